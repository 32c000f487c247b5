"""Demo part 1: the respondent pool of about 1,500 people who answered the invitation letters.

The pool is skewed the way real pools are: older, white, better-off and non-disabled residents
answer more often, so quotas have real work to do.
"""

from __future__ import annotations

import json

import numpy as np

from assembly.core.clock import FixedClock, to_iso
from assembly.store import AssemblyFile, write_transaction

ORDER = 10
POOL_SIZE = 1500

# feature name, label, sensitive?, [(value, census share, response bias)]
FEATURES: list[tuple[str, str, bool, list[tuple[str, float, float]]]] = [
    (
        "gender",
        "Gender",
        False,
        [("Woman", 0.51, 1.1), ("Man", 0.48, 0.9), ("Non-binary or other", 0.01, 1.0)],
    ),
    (
        "age_band",
        "Age band",
        False,
        [
            ("16-24", 0.13, 0.5),
            ("25-34", 0.21, 0.8),
            ("35-44", 0.19, 0.9),
            ("45-54", 0.16, 1.1),
            ("55-64", 0.13, 1.4),
            ("65-74", 0.10, 1.6),
            ("75+", 0.08, 1.2),
        ],
    ),
    (
        "ethnicity",
        "Ethnic group",
        True,
        [
            ("Asian or Asian British", 0.20, 0.8),
            ("Black or Black British", 0.16, 0.7),
            ("Mixed or multiple", 0.06, 0.9),
            ("White", 0.52, 1.2),
            ("Other ethnic group", 0.06, 0.8),
        ],
    ),
    (
        "deprivation",
        "Deprivation (IMD quintile of home area)",
        False,
        [
            ("1 most deprived", 0.27, 0.6),
            ("2", 0.26, 0.9),
            ("3", 0.20, 1.1),
            ("4", 0.15, 1.3),
            ("5 least deprived", 0.12, 1.5),
        ],
    ),
    (
        "disability",
        "Disability (day-to-day activities limited)",
        True,
        [
            ("Limited a lot", 0.07, 0.6),
            ("Limited a little", 0.09, 0.9),
            ("Not limited", 0.84, 1.05),
        ],
    ),
    (
        "language",
        "First language",
        False,
        [("English", 0.74, 1.15), ("Another language", 0.26, 0.6)],
    ),
    (
        "ward",
        "Ward",
        False,
        [
            ("Abbey Mills", 0.14, 0.9),
            ("Canal Side", 0.13, 1.0),
            ("Eastgate", 0.12, 0.8),
            ("Hollowfield Central", 0.14, 1.0),
            ("Marsh Lane", 0.11, 0.9),
            ("Northwood", 0.12, 1.3),
            ("St Anne's", 0.12, 1.1),
            ("Wharf Green", 0.12, 1.0),
        ],
    ),
]

FIRST_NAMES = [
    "Aisha",
    "Amir",
    "Amara",
    "Ben",
    "Bola",
    "Chen",
    "Chloe",
    "Daniel",
    "Deepa",
    "Ella",
    "Emeka",
    "Fatima",
    "Grace",
    "Hassan",
    "Ivan",
    "Jade",
    "James",
    "Kemi",
    "Leah",
    "Liam",
    "Maria",
    "Mohammed",
    "Nadia",
    "Niamh",
    "Oliver",
    "Olu",
    "Priya",
    "Rhys",
    "Rosa",
    "Sam",
    "Sofia",
    "Tariq",
    "Tom",
    "Uma",
    "Viktor",
    "Wei",
    "Yusuf",
    "Zara",
    "Joan",
    "Patrick",
    "Irene",
    "Kwame",
    "Mei",
    "Anil",
    "Ruth",
    "Dev",
    "Sinead",
    "Marek",
    "Aaliyah",
]
LAST_NAMES = [
    "Adeyemi",
    "Ahmed",
    "Ali",
    "Begum",
    "Brown",
    "Campbell",
    "Chowdhury",
    "Clarke",
    "Davies",
    "Evans",
    "Green",
    "Hall",
    "Hussain",
    "Jones",
    "Kaur",
    "Khan",
    "Kowalski",
    "Lewis",
    "Mensah",
    "Murphy",
    "Nguyen",
    "Okafor",
    "Patel",
    "Rahman",
    "Roberts",
    "Santos",
    "Shah",
    "Silva",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Walker",
    "Williams",
    "Wilson",
    "Wright",
    "Yilmaz",
    "Zhang",
    "Osei",
    "Byrne",
]
STREETS = [
    "Acacia Road",
    "Barge Walk",
    "Chandlers Way",
    "Dockside Terrace",
    "Elm Grove",
    "Ferry Lane",
    "Gasworks Street",
    "Hollow Road",
    "Ironmonger Row",
    "Jubilee Close",
    "Kiln Yard",
    "Lock Street",
    "Market Parade",
    "Nettle Lane",
    "Orchard Rise",
    "Pump House Mews",
    "Quay Road",
    "Ropewalk",
    "Sluice Gardens",
    "Tannery Street",
]


def store_features(db) -> None:
    """The example's features and their values, with target shares, in the order `FEATURES`
    lists them (inside the caller's transaction); tests that build a room directly use it too."""
    for position, (name, label, sensitive, values) in enumerate(FEATURES):
        db["features"].insert(
            {"name": name, "label": label, "position": position, "sensitive": int(sensitive)}
        )
        db["feature_values"].insert_all(
            {"feature": name, "value": value, "position": k, "target_share": share}
            for k, (value, share, _bias) in enumerate(values)
        )


def _draw_values(
    rng: np.random.Generator, values: list[tuple[str, float, float]], n: int
) -> list[str]:
    weights = np.array([share * bias for _, share, bias in values])
    picks = rng.choice(len(values), size=n, p=weights / weights.sum())
    return [values[i][0] for i in picks]


def build(assembly: AssemblyFile, rng: np.random.Generator, clock: FixedClock) -> None:
    columns = {name: _draw_values(rng, values, POOL_SIZE) for name, _, _, values in FEATURES}
    now = to_iso(clock.now())
    rows = []
    household_of: list[str] = []
    addresses: list[tuple[str, str]] = []
    for i in range(POOL_SIZE):
        # About one in twelve respondents shares a home with an earlier respondent.
        if i > 10 and rng.random() < 0.08:
            j = int(rng.integers(0, i))
            address, postcode = addresses[j]
            household = household_of[j]
        else:
            street = STREETS[int(rng.integers(len(STREETS)))]
            address = f"{int(rng.integers(1, 240))} {street}, Hollowfield"
            postcode = f"HF{int(rng.integers(1, 9))} {int(rng.integers(1, 10))}{chr(65 + int(rng.integers(26)))}{chr(65 + int(rng.integers(26)))}"
            household = f"H{i + 1:05d}"
        addresses.append((address, postcode))
        household_of.append(household)
        first = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
        last = LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]
        rows.append(
            {
                "ref": f"R{i + 1:04d}",
                "name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}{i + 1}@example.org",
                "phone": f"07700 900{i % 1000:03d}",
                "address": address,
                "postcode": postcode,
                "household": household,
                "features": json.dumps({name: columns[name][i] for name in columns}),
                "imported_at": now,
            }
        )
    db = assembly.db()
    with write_transaction(db):
        store_features(db)
        db["respondents"].insert_all(rows)
    clock.advance(days=14)
