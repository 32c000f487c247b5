"""The audit bundle: one JSON file from which anyone can check a draw.

It holds the SHA-256 of each input file, the pool pseudonymised (ids, quota feature values and
household group numbers; never names, contacts or addresses), the quotas, the algorithm and
library version, the M numbered panels of the lottery, the public seed and the chosen panel.

`commitment` is the SHA-256 of everything except the draw (canonical JSON: keys sorted, no
spaces, UTF-8). Announce it before the seed is drawn; then nobody can change the panels, the
pool or the quotas afterwards without the commitment changing. docs/audit.md has the rules.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sortition._version import __version__
from sortition.compact import TypeLottery
from sortition.files import write_atomic
from sortition.lottery import Lottery, choose_panel_index, panel_probabilities, seed_digest
from sortition.model import BadInput, Instance, Pool, Quota, normalise
from sortition.types import shared_households
from sortition.words import Words, words

FORMAT = "sortition-audit-bundle"
FORMAT_VERSION = 1
SEED_RULE = (
    "SHA-256 of the seed text's UTF-8 bytes (exactly as written, no trailing newline), read as "
    "a big-endian unsigned integer, modulo the lottery size; panels are numbered 0 to size - 1"
)
PROBABILITY_TOLERANCE = 1e-9


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes: what `sha256sum FILE` prints."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
    except OSError as error:
        raise BadInput(_unreadable(error), file=str(path)) from None
    return digest.hexdigest()


def _unreadable(error: OSError) -> Words:
    return words("cannot be read (%(reason)s)", reason=str(error.strerror or error))


def canonical_json(value: Any) -> bytes:
    """The bytes the commitment hashes: sorted keys, no whitespace, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def commitment_of(bundle: Mapping[str, Any]) -> str:
    """SHA-256 over the bundle without its `draw` and `commitment` entries."""
    body = {k: v for k, v in bundle.items() if k not in ("draw", "commitment")}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def instance_digest(instance: Instance) -> str:
    """SHA-256 of an instance (pool, quotas and panel size): a changed pool or quota changes it.

    The one fingerprint of what a lottery was computed from: the app checks a draw's stored
    snapshot against it before the seed is entered, and the example's stored lotteries are
    found by it.
    """
    pool = instance.pool
    body = {
        "ids": list(pool.ids),
        "features": list(pool.features),
        "values": {f: list(pool.values[f]) for f in pool.features},
        "codes": pool.codes.astype(int).tolist(),
        "households": household_groups(pool),
        "quotas": [[q.feature, q.value, q.min, q.max] for q in instance.quotas],
        "panel_size": instance.panel_size,
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()


def household_groups(pool: Pool) -> list[str | None]:
    """Pseudonymous household labels ("h1", "h2", ...) for households with two or more people.

    Labels follow the order of first appearance, so they reveal nothing but who shares one.
    """
    labels: list[str | None] = [None] * pool.size
    for number, people in enumerate(shared_households(pool), start=1):
        for person in people:
            labels[person] = f"h{number}"
    return labels


def _pool_json(pool: Pool) -> dict[str, Any]:
    groups = household_groups(pool)
    people = []
    for i, person in enumerate(pool.ids):
        people.append(
            {
                "id": person,
                "features": {
                    f: pool.values[f][int(pool.codes[i, j])] for j, f in enumerate(pool.features)
                },
                "household": groups[i],
            }
        )
    return {
        "features": list(pool.features),
        "values": {f: list(pool.values[f]) for f in pool.features},
        "people": people,
    }


def _by_id(pool: Pool, values: np.ndarray) -> dict[str, float]:
    return {person: float(values[i]) for i, person in enumerate(pool.ids)}


def build_bundle(
    instance: Instance,
    lottery: Lottery,
    *,
    seed_text: str | None = None,
    algorithm: str | None = None,
    input_files: Mapping[str, str | os.PathLike[str]] | None = None,
    read_options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The audit bundle for a lottery over `instance`'s pool, drawn with `seed_text` if given.

    `input_files` maps a role ("people", "quotas") to the file read; each is recorded by base
    name and SHA-256. `read_options` (e.g. id_column, address_columns) are recorded so that
    `verify_bundle` reads the people file the same way.
    """
    pool = instance.pool
    if len(lottery.target_probabilities) != pool.size:
        raise BadInput(
            words(
                "the lottery covers %(covered)s people, the pool %(pool)s",
                covered=len(lottery.target_probabilities),
                pool=pool.size,
            )
        )
    inputs = {
        role: {"name": Path(path).name, "sha256": file_sha256(path)}
        for role, path in (input_files or {}).items()
    }
    bundle: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "library": {"name": "sortition", "version": __version__},
        "algorithm": algorithm or lottery.algorithm,
        "inputs": inputs,
        "read_options": dict(read_options or {}),
        "panel_size": instance.panel_size,
        "pool": _pool_json(pool),
        "quotas": [
            {"feature": q.feature, "value": q.value, "min": q.min, "max": q.max}
            for q in instance.quotas
        ],
        "lottery": {
            "size": lottery.size,
            "numbering": "0 to size - 1",
            "panels": [[pool.ids[i] for i in panel] for panel in lottery.panels],
            "probabilities": _by_id(pool, lottery.probabilities),
            "distribution_probabilities": _by_id(pool, lottery.target_probabilities),
            "largest_change": lottery.largest_change,
            "rounding_optimal": lottery.optimal,
        },
    }
    if lottery.types is not None:
        bundle["lottery"].update(_type_panels_json(pool, lottery.types, lottery.type_copies))
    bundle["commitment"] = commitment_of(bundle)
    bundle["draw"] = None
    return add_draw(bundle, seed_text) if seed_text is not None else bundle


def _type_panels_json(pool: Pool, types: TypeLottery, copies: Sequence[int]) -> dict[str, Any]:
    """The numbered panels in compact form: each type's ids in the order its seats go round,
    then each type panel used, its seats per type and how many numbers it holds, in order."""
    return {
        "types": [[pool.ids[int(i)] for i in people] for people in types.members],
        "type_panels": [
            {
                "seats": [
                    [int(t), int(types.columns[j, t])] for t in np.flatnonzero(types.columns[j])
                ],
                "copies": int(c),
            }
            for j, c in enumerate(copies)
        ],
    }


def add_draw(bundle: Mapping[str, Any], seed_text: str) -> dict[str, Any]:
    """The bundle with its draw made from the public seed (the rest is unchanged)."""
    if bundle.get("draw"):
        raise BadInput(words("this bundle has been drawn already; a draw is never repeated"))
    panels = bundle["lottery"]["panels"]
    index = choose_panel_index(seed_text, len(panels))
    out = dict(bundle)
    out["draw"] = {
        "seed": seed_text,
        "seed_sha256": seed_digest(seed_text),
        "rule": SEED_RULE,
        "index": index,
        "panel": list(panels[index]),
    }
    return out


def write_bundle(path: str | os.PathLike[str], bundle: Mapping[str, Any]) -> None:
    """Write the bundle as indented JSON, one panel (type, type panel) per line; replaces
    `path` only when complete."""
    token = f"@@line-{uuid.uuid4().hex}-"
    lines: list[Any] = []

    def one_per_line(items: Sequence[Any]) -> list[str]:
        start = len(lines)
        lines.extend(items)
        return [f"{token}{start + j}" for j in range(len(items))]

    lottery = dict(bundle["lottery"])
    for key in ("panels", "types", "type_panels"):
        if key in lottery:
            lottery[key] = one_per_line(lottery[key])
    shown = dict(bundle, lottery=lottery)
    text = re.sub(
        rf'"{token}(\d+)"',
        lambda m: json.dumps(lines[int(m.group(1))], ensure_ascii=False),
        json.dumps(shown, indent=2, ensure_ascii=False),
    )
    # Owner-only (0600, the writer's default): a bundle lists every respondent's pseudonymous
    # id and features.
    write_atomic(path, text + "\n")


def load_bundle(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a bundle file, with a clear message if it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise BadInput(_unreadable(error), file=str(path)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadInput(
            words("is not a JSON file (%(reason)s)", reason=str(error)), file=str(path)
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadInput(words("is not a %(format)s file", format=FORMAT), file=str(path))
    return data


def instance_from_bundle(bundle: Mapping[str, Any]) -> Instance:
    """The selection instance a bundle records (households as their pseudonymous groups)."""
    try:
        pool_json = bundle["pool"]
        features = tuple(pool_json["features"])
        values = {f: tuple(pool_json["values"][f]) for f in features}
        people = pool_json["people"]
        codes = np.zeros((len(people), len(features)), dtype=np.int64)
        for i, person in enumerate(people):
            for j, f in enumerate(features):
                value = person["features"][f]
                if value not in values[f]:
                    raise BadInput(
                        words(
                            "person %(person)s has unknown %(feature)s value %(value)s",
                            person=repr(person["id"]),
                            feature=str(f),
                            value=repr(value),
                        )
                    )
                codes[i, j] = values[f].index(value)
        households = tuple(p.get("household") for p in people)
        pool = Pool(
            ids=tuple(str(p["id"]) for p in people),
            features=features,
            values=values,
            codes=codes,
            households=households if any(h is not None for h in households) else (),
        )
        quotas = tuple(
            Quota(str(q["feature"]), str(q["value"]), int(q["min"]), int(q["max"]))
            for q in bundle["quotas"]
        )
        for q in quotas:
            if q.feature not in values or q.value not in values[q.feature]:
                raise BadInput(
                    words(
                        "quota %(feature)s = %(value)s names no pool feature value",
                        feature=q.feature,
                        value=q.value,
                    )
                )
        return Instance(pool, quotas, int(bundle["panel_size"]))
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise BadInput(
            words("the bundle is incomplete or malformed (%(reason)s)", reason=repr(error))
        ) from None


def _index(instance: Instance) -> dict[str, int]:
    """Each pool id's index: made once a check, not once for each of its 1,000 panels."""
    return {person: i for i, person in enumerate(instance.pool.ids)}


def _indices(index: Mapping[str, int], panel: Sequence[str]) -> tuple[list[int], list[str]]:
    """The pool indices of `panel`'s ids, and the ids that are not in the pool."""
    unknown = [p for p in panel if p not in index]
    return [index[p] for p in panel if p in index], unknown


def _reason(error: Exception) -> str | Words:
    """An error's own words: a refusal's `Words`, any other error's text (data)."""
    return error.words if isinstance(error, BadInput) else str(error)


def verify_bundle(
    bundle: Mapping[str, Any] | str | os.PathLike[str],
    people_path: str | os.PathLike[str] | None = None,
    quotas_path: str | os.PathLike[str] | None = None,
    *,
    commitment: str | None = None,
    id_column: str | None = None,
    address_columns: Sequence[str] | None = None,
) -> list[Words]:
    """Every way the bundle fails to check out, in words; an empty list means it verifies.

    Re-derives the chosen panel from the seed, checks every panel meets the quotas and the
    household rule, that the stated probabilities follow from the panels and that the
    commitment matches the content (and `commitment`, the publicly announced one, if given).
    With the input files, checks their hashes and that the pool and quotas match them;
    `id_column` names the people file's id column when the bundle does not record it, and
    `address_columns` (when given) the columns that make a household, as `select` read them.
    Each problem is `Words`: `str()` gives the English, an app shows it in its own language.
    """
    if not isinstance(bundle, Mapping):
        try:
            bundle = load_bundle(bundle)
        except BadInput as error:
            return [error.words]
    try:
        return _verify(bundle, people_path, quotas_path, commitment, id_column, address_columns)
    except (
        BadInput,
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        IndexError,
        OverflowError,  # int(inf)
    ) as error:
        # A tampered or truncated bundle may have any shape: report it, never crash.
        return [
            words(
                "the bundle is malformed (%(kind)s: %(reason)s)",
                kind=type(error).__name__,
                reason=_reason(error),
            )
        ]


def _verify(
    bundle: Mapping[str, Any],
    people_path: str | os.PathLike[str] | None,
    quotas_path: str | os.PathLike[str] | None,
    commitment: str | None,
    id_column: str | None = None,
    address_columns: Sequence[str] | None = None,
) -> list[Words]:
    problems: list[Words] = []
    if bundle.get("format") != FORMAT:
        return [
            words(
                "not a %(format)s (format is %(found)s)",
                format=FORMAT,
                found=repr(bundle.get("format")),
            )
        ]
    if bundle.get("format_version") != FORMAT_VERSION:
        return [
            words(
                "unknown bundle format version %(version)s",
                version=repr(bundle.get("format_version")),
            )
        ]
    try:
        instance = instance_from_bundle(bundle)
        lottery = bundle["lottery"]
        panels = lottery["panels"]
        size = int(lottery["size"])
    except (BadInput, KeyError, TypeError, ValueError, OverflowError) as error:
        return [words("the bundle cannot be read: %(reason)s", reason=_reason(error))]
    pool = instance.pool

    recorded = bundle.get("commitment")
    actual = commitment_of(bundle)
    if recorded != actual:
        problems.append(
            words(
                "commitment mismatch: the bundle records %(recorded)s, its content hashes to "
                "%(actual)s (the pool, quotas, panels or another field was changed after it was "
                "made)",
                recorded=str(recorded),
                actual=actual,
            )
        )
    if commitment is not None and commitment.strip().lower() != actual:
        problems.append(
            words(
                "commitment mismatch: announced %(announced)s, the content hashes to %(actual)s",
                announced=commitment.strip(),
                actual=actual,
            )
        )
    if len(set(pool.ids)) != pool.size:
        problems.append(words("pool: some id appears more than once"))

    # Panels: count, membership, quotas, households.
    if size != len(panels):
        problems.append(
            words(
                "lottery: size is %(size)s but %(panels)s panels are listed",
                size=size,
                panels=len(panels),
            )
        )
    index_panels: list[tuple[int, ...]] = []
    bad_panels: list[Words] = []
    index = _index(instance)
    for j, panel in enumerate(panels):
        if not isinstance(panel, list) or not all(isinstance(p, str) for p in panel):
            bad_panels.append(words("panel %(panel)s: not a list of ids", panel=j))
            index_panels.append(())
            continue
        members, unknown = _indices(index, panel)
        bad_panels.extend(
            words("panel %(panel)s: %(person)s is not in the pool", panel=j, person=repr(p))
            for p in unknown
        )
        bad_panels.extend(
            words("panel %(panel)s: %(problem)s", panel=j, problem=v)
            for v in instance.violations(members)
        )
        index_panels.append(tuple(members))
    problems.extend(bad_panels[:20])
    if len(bad_panels) > 20:
        problems.append(words("... and %(more)s more panel problems", more=len(bad_panels) - 20))
    if "type_panels" in lottery:
        problems.extend(_verify_type_panels(instance, lottery, index_panels, size))

    # Probabilities follow from the panels.
    derived = panel_probabilities(tuple(index_panels), pool.size)
    stated = lottery.get("probabilities", {})
    wrong = [
        person
        for i, person in enumerate(pool.ids)
        if abs(float(stated.get(person, -1.0)) - derived[i]) > PROBABILITY_TOLERANCE
    ]
    if wrong:
        problems.append(
            words(
                "probabilities: %(wrong)s stated probabilities do not follow from the panels "
                "(first: %(person)s stated %(stated)s, panels give %(derived)s)",
                wrong=len(wrong),
                person=repr(wrong[0]),
                stated=f"{stated.get(wrong[0])}",
                derived=f"{derived[pool.ids.index(wrong[0])]:.6f}",
            )
        )
    extra = set(stated) - set(pool.ids)
    if extra:
        problems.append(words("probabilities: %(extra)s ids are not in the pool", extra=len(extra)))
    before = lottery.get("distribution_probabilities", {})
    if before and not wrong:
        change = max(
            (abs(derived[i] - float(before.get(p, 0.0))) for i, p in enumerate(pool.ids)),
            default=0.0,
        )
        if abs(change - float(lottery.get("largest_change", -1))) > PROBABILITY_TOLERANCE:
            problems.append(
                words(
                    "largest change: stated %(stated)s, the panels and the distribution's "
                    "probabilities give %(change)s",
                    stated=f"{lottery.get('largest_change')}",
                    change=f"{change:.9f}",
                )
            )

    problems.extend(_verify_draw(bundle.get("draw"), panels))
    if people_path is not None or quotas_path is not None:
        problems.extend(
            _verify_files(bundle, instance, people_path, quotas_path, id_column, address_columns)
        )
    return problems


def _verify_type_panels(
    instance: Instance, lottery: Mapping[str, Any], panels: Sequence[tuple[int, ...]], size: int
) -> list[Words]:
    """The numbered panels follow, bit for bit, from the compact form the bundle also holds:
    its types (every person in exactly one) and type panels with their copies."""
    pool = instance.pool
    index = _index(instance)
    try:
        members: list[np.ndarray] = []
        for t, people in enumerate(lottery["types"]):
            indices, unknown = _indices(index, people)
            if unknown:
                return [
                    words("type %(type)s: %(person)s is not in the pool", type=t, person=repr(p))
                    for p in unknown[:5]
                ]
            members.append(np.array(indices, dtype=np.int64))
        columns = np.zeros((len(lottery["type_panels"]), len(members)), dtype=np.int64)
        copies: list[int] = []
        for j, entry in enumerate(lottery["type_panels"]):
            for t, c in entry["seats"]:
                if not 0 <= int(t) < len(members) or not 0 < int(c) <= len(members[int(t)]):
                    return [
                        words(
                            "type panel %(panel)s: %(seats)s seats for type %(type)s, which "
                            "cannot be",
                            panel=j,
                            seats=f"{c}",
                            type=f"{t}",
                        )
                    ]
                columns[j, int(t)] = int(c)
            copies.append(int(entry["copies"]))
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        return [words("the type panels cannot be read: %(reason)s", reason=str(error))]
    everyone = np.sort(np.concatenate(members)) if members else np.zeros(0, dtype=np.int64)
    if not np.array_equal(everyone, np.arange(pool.size)):
        return [words("types: not every person of the pool is in exactly one type")]
    if sum(copies) != size or len(panels) != size or min(copies, default=1) < 1:
        return [
            words(
                "type panels: their copies add up to %(copies)s, not the lottery size %(size)s",
                copies=sum(copies),
                size=size,
            )
        ]
    weights = np.array(copies, dtype=float) / size
    derived = TypeLottery(tuple(members), columns, weights).numbered_panels(copies)
    wrong = [j for j, panel in enumerate(derived) if tuple(sorted(panels[j])) != panel]
    if wrong:
        return [
            words(
                "type panels: %(wrong)s numbered panels differ from the ones the type panels "
                "give (first: panel %(first)s)",
                wrong=len(wrong),
                first=wrong[0],
            )
        ]
    return []


def _verify_draw(draw: Any, panels: Sequence[Sequence[str]]) -> list[Words]:
    if not draw:
        return []
    try:
        seed = str(draw["seed"])
        index = int(draw["index"])
        chosen = list(draw["panel"])
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        return [words("draw: incomplete (%(reason)s)", reason=repr(error))]
    problems = []
    if draw.get("rule") != SEED_RULE:
        problems.append(words("draw: the rule stated is not this library's seed rule"))
    if draw.get("seed_sha256") != seed_digest(seed):
        problems.append(words("draw: seed_sha256 is not the SHA-256 of the seed text"))
    if not panels:
        return [*problems, words("draw: there are no panels to draw from")]
    expected = choose_panel_index(seed, len(panels))
    if index != expected:
        problems.append(
            words(
                "draw: the seed %(seed)s selects panel %(expected)s, but the bundle says %(index)s",
                seed=repr(seed),
                expected=expected,
                index=index,
            )
        )
    if 0 <= index < len(panels) and sorted(chosen) != sorted(panels[index]):
        problems.append(
            words("draw: the chosen panel is not panel %(index)s of the lottery", index=index)
        )
    if sorted(chosen) != sorted(panels[expected]):
        problems.append(
            words(
                "draw: the chosen panel is not panel %(expected)s, which the seed selects",
                expected=expected,
            )
        )
    return problems


_NO_HASH = {
    "quotas": words("quotas file: the bundle records no hash for it"),
    "people": words("people file: the bundle records no hash for it"),
}
_OTHER_FILE = {
    "quotas": words(
        "quotas file: SHA-256 %(actual)s differs from the bundle's %(recorded)s (%(name)s is "
        "not the file the draw used)"
    ).msgid,
    "people": words(
        "people file: SHA-256 %(actual)s differs from the bundle's %(recorded)s (%(name)s is "
        "not the file the draw used)"
    ).msgid,
}


def _verify_files(
    bundle: Mapping[str, Any],
    instance: Instance,
    people_path: str | os.PathLike[str] | None,
    quotas_path: str | os.PathLike[str] | None,
    id_column: str | None = None,
    address_columns: Sequence[str] | None = None,
) -> list[Words]:
    from sortition import io

    problems: list[Words] = []
    inputs = bundle.get("inputs", {})
    quotas = instance.quotas
    for role, path in (("quotas", quotas_path), ("people", people_path)):
        if path is None:
            continue
        recorded = inputs.get(role, {}).get("sha256")
        try:
            actual = file_sha256(path)
        except BadInput as error:
            problems.append(error.words)
            continue
        if recorded is None:
            problems.append(_NO_HASH[role])
        elif recorded != actual:
            problems.append(
                Words(
                    _OTHER_FILE[role],
                    {"actual": actual, "recorded": f"{recorded}", "name": Path(path).name},
                )
            )
    if quotas_path is not None:
        try:
            file_quotas = io.read_quotas(quotas_path)
        except BadInput as error:
            problems.append(words("quotas file: %(problem)s", problem=error.words))
        else:
            problems.extend(_compare_quotas(quotas, file_quotas))
            quotas = file_quotas
    if people_path is not None:
        options = bundle.get("read_options", {})
        try:
            file_pool = io.read_people(
                people_path,
                quotas,
                id_column=id_column or options.get("id_column"),
                address_columns=tuple(
                    address_columns
                    if address_columns is not None
                    else options.get("address_columns", ())
                ),
            )
        except BadInput as error:
            problems.append(words("people file: %(problem)s", problem=error.words))
        else:
            problems.extend(_compare_pools(instance.pool, file_pool))
    return problems


def _compare_quotas(bundle_quotas: Sequence[Quota], file_quotas: Sequence[Quota]) -> list[Words]:
    def key(q: Quota) -> tuple[str, str]:
        return normalise(q.feature), normalise(q.value)

    ours = {key(q): q for q in bundle_quotas}
    theirs = {key(q): q for q in file_quotas}
    problems = []
    for k in sorted(ours.keys() | theirs.keys()):
        a, b = ours.get(k), theirs.get(k)
        if a is None:
            problems.append(
                words(
                    "quota %(feature)s = %(value)s: in the quotas file, not the bundle",
                    feature=b.feature,
                    value=b.value,
                )
            )
        elif b is None:
            problems.append(
                words(
                    "quota %(feature)s = %(value)s: in the bundle, not the quotas file",
                    feature=a.feature,
                    value=a.value,
                )
            )
        elif (a.min, a.max) != (b.min, b.max):
            problems.append(
                words(
                    "quota %(feature)s = %(value)s: the bundle says %(min)s to %(max)s, the "
                    "quotas file %(file_min)s to %(file_max)s",
                    feature=a.feature,
                    value=a.value,
                    min=a.min,
                    max=a.max,
                    file_min=b.min,
                    file_max=b.max,
                )
            )
    return problems


def _compare_pools(ours: Pool, theirs: Pool) -> list[Words]:
    problems: list[Words] = []
    if ours.ids != theirs.ids:
        missing = [p for p in theirs.ids if p not in set(ours.ids)]
        added = [p for p in ours.ids if p not in set(theirs.ids)]
        problems.append(
            words(
                "pool: ids differ from the people file (%(missing)s missing from the bundle, "
                "%(added)s not in the file)",
                missing=len(missing),
                added=len(added),
            )
        )
    their_index = {p: i for i, p in enumerate(theirs.ids)}
    differing = []
    for i, person in enumerate(ours.ids):
        j = their_index.get(person)
        if j is None:
            continue
        for f in ours.features:
            if f not in theirs.features or normalise(ours.value_of(i, f)) != normalise(
                theirs.value_of(j, f)
            ):
                differing.append(f"{person!r} {f}")
    if differing:
        problems.append(
            words(
                "pool: %(differing)s feature values differ from the people file (first: %(first)s)",
                differing=len(differing),
                first=", ".join(differing[:5]),
            )
        )
    ours_groups = _partition(ours.ids, household_groups(ours))
    theirs_groups = _partition(theirs.ids, household_groups(theirs))
    if ours_groups != theirs_groups:
        problems.append(words("pool: the households differ from those in the people file"))
    return problems


def _partition(ids: Sequence[str], groups: Sequence[str | None]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for person, group in zip(ids, groups, strict=True):
        if group is not None:
            out.setdefault(group, set()).add(person)
    return {frozenset(s) for s in out.values()}
