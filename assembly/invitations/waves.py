"""Drawing a wave of letters into the assembly file, and verifying every wave drawn.

A wave is recorded once, in one transaction: its design and the frame's digest (which the
commitment covers), the seed, every address's stratum and inclusion probability, and its
letters with their references. The tables refuse any change afterwards (see `schema`), and
`verify_waves` redraws each wave from the stored frame and seed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, Number, _
from assembly.invitations.errors import InvitationError
from assembly.invitations.lottery import (
    AREA_FIELDS,
    METHOD,
    Design,
    FrameRow,
    Stratum,
    draw_wave,
    frame_digest,
    seed_sha256,
)
from assembly.invitations.purged import purged_on, refuse_if_purged
from assembly.invitations.references import make_reference
from assembly.store import write_transaction
from sortition.bundle import canonical_json


@dataclass(frozen=True)
class WaveSummary:
    wave: int
    letters: int
    strata: tuple[Stratum, ...]
    seed_sha256: str
    frame_sha256: str
    commitment: str
    selection_sha256: str


def _area_expression(db: Database, field: str) -> str:
    if field in AREA_FIELDS:
        return f"coalesce(a.{field}, '')"
    columns = {
        k
        for (text,) in db.execute("select distinct areas from invitation_addresses")
        for k in json.loads(text)
    }
    if field not in columns:
        known = ", ".join([*AREA_FIELDS, *sorted(columns)])
        raise InvitationError(
            _(
                "--area-field: %(field)s is not one of the frame's areas (%(known)s)",
                field=repr(field),
                known=known,
            )
        )
    return "coalesce(json_extract(a.areas, '$.' || json_quote(?)), '')"


def frame_rows(db: Database, design: Design, before_wave: int) -> tuple[list[int], list[FrameRow]]:
    """The frame as a wave sees it: ids and rows, `mailed` meaning a letter of an earlier wave."""
    expression = _area_expression(db, design.area_field)
    params: list[Any] = [] if design.area_field in AREA_FIELDS else [design.area_field]
    params.append(before_wave)
    cursor = db.execute(
        f"select a.id, a.uprn, cast({expression} as text), a.decile, l.wave is not null "
        "from invitation_addresses a left join invitation_letters l "
        "on l.address_id = a.id and l.wave < ? order by a.id",
        params,
    )
    ids, rows = [], []
    for id_, uprn, area, decile, mailed in cursor:
        ids.append(id_)
        rows.append(FrameRow(uprn, area, decile, mailed == 1))
    if not rows:
        raise InvitationError(
            _("the file has no address frame: run `assembly invitations addresses`")
        )
    return ids, rows


def design_json(design: Design) -> dict[str, Any]:
    body = asdict(design)
    body["deciles"] = list(design.deciles)
    body["per_area"] = [list(p) for p in design.per_area]
    body["areas"] = list(design.areas)
    body["method"] = METHOD
    return body


def design_from_json(body: dict[str, Any]) -> Design:
    return Design(
        wave=body["wave"],
        letters=body["letters"],
        top_up=body["top_up"],
        deciles=tuple(body["deciles"]),
        per_area=tuple((a, n) for a, n in body["per_area"]),
        area_field=body["area_field"],
        areas=tuple(body["areas"]),
    )


def commitment(design: Design, frame_sha256: str, strata: tuple[Stratum, ...]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces) of design, frame digest and strata:
    published before the seed is drawn, it shows the design was not chosen after the seed."""
    body = {
        "design": design_json(design),
        "frame_sha256": frame_sha256,
        "strata": [[s.name, s.size, s.letters] for s in strata],
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()


def selection_digest(uprns_and_refs: list[tuple[str, str]]) -> str:
    """SHA-256 of `UPRN<TAB>REFERENCE` lines in letter order."""
    return hashlib.sha256("".join(f"{u}\t{r}\n" for u, r in uprns_and_refs).encode()).hexdigest()


def next_wave(db: Database) -> int:
    return db.execute("select coalesce(max(wave), 0) + 1 from invitation_waves").fetchone()[0]


def plan_wave(db: Database, design: Design) -> tuple[str, str, tuple[Stratum, ...]]:
    """The frame digest, commitment and strata of a wave not yet drawn (to publish first)."""
    refuse_if_purged(db, N_("the mailed list was purged on %(day)s, so no wave can be drawn"))
    from assembly.invitations.lottery import allocate, stratum_of

    _ids, rows = frame_rows(db, design, design.wave)
    stratum = [stratum_of(r, design) for r in rows]
    sizes: dict[str, int] = {}
    for s in stratum:
        if s:
            sizes[s] = sizes.get(s, 0) + 1
    strata = allocate(sizes, design)
    digest = frame_digest(rows, stratum)
    return digest, commitment(design, digest, strata), strata


def draw_letters(db: Database, design: Design, seed: str, clock: Clock) -> WaveSummary:
    """Draw and record one wave (the next one) in a single transaction."""
    refuse_if_purged(db, N_("the mailed list was purged on %(day)s, so no wave can be drawn"))
    expected = next_wave(db)
    if design.wave != expected:
        raise InvitationError(
            _(
                "the next wave is wave %(expected)s, not wave %(wave)s",
                expected=expected,
                wave=design.wave,
            )
        )
    ids, rows = frame_rows(db, design, design.wave)
    result = draw_wave(rows, design, seed)
    digest = frame_digest(rows, result.stratum)
    promise = commitment(design, digest, result.strata)
    probability = {s.name: s.probability for s in result.strata}
    letters = [
        (ids[i], make_reference(design.wave, position), position)
        for position, i in enumerate(result.chosen)
    ]
    chosen_digest = selection_digest(
        [
            (rows[i].uprn, ref)
            for i, (_id, ref, _position) in zip(result.chosen, letters, strict=True)
        ]
    )
    with write_transaction(db):
        db.execute(
            "insert into invitation_waves (wave, drawn_at, seed, seed_sha256, letters, design, "
            "frame_sha256, commitment, selection_sha256) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                design.wave,
                to_iso(clock.now()),
                seed,
                seed_sha256(seed),
                len(letters),
                canonical_json(design_json(design)).decode(),
                digest,
                promise,
                chosen_digest,
            ],
        )
        db.conn.executemany(
            "insert into invitation_inclusion (wave, address_id, stratum, probability) "
            "values (?, ?, ?, ?)",
            (
                (design.wave, id_, s, probability.get(s, 0.0))
                for id_, s in zip(ids, result.stratum, strict=True)
            ),
        )
        db.conn.executemany(
            "insert into invitation_letters (address_id, reference, position, wave) "
            "values (?, ?, ?, ?)",
            ((a, r, p, design.wave) for a, r, p in letters),
        )
    return WaveSummary(
        design.wave, len(letters), result.strata, seed_sha256(seed), digest, promise, chosen_digest
    )


def verify_waves(db: Database) -> list[tuple[str, bool]]:
    """Each wave redrawn from the stored frame and seed: a line per wave, "ok" or what differs,
    and whether it failed. After a purge no wave can be redrawn, which is no failure: the lines
    say so and give the commitment that was published."""
    day = purged_on(db)
    if day is not None:
        return [
            (
                _(
                    "wave %(wave)s: its %(count)s letters cannot be redrawn: the mailed list was "
                    "purged on %(day)s. Its seed and commitment are kept: %(commitment)s",
                    wave=wave,
                    count=Number(letters),
                    day=day,
                    commitment=promise,
                ),
                False,
            )
            for wave, letters, promise in db.execute(
                "select wave, letters, commitment from invitation_waves order by wave"
            )
        ]
    report = []
    for wave, seed, design_text, frame_sha, promise, chosen_sha in db.execute(
        "select wave, seed, design, frame_sha256, commitment, selection_sha256 "
        "from invitation_waves order by wave"
    ).fetchall():
        design = design_from_json(json.loads(design_text))
        problems = []
        ids, rows = frame_rows(db, design, wave)
        try:
            result = draw_wave(rows, design, seed)
        except InvitationError as error:
            report.append(
                (_("wave %(wave)s: cannot be redrawn: %(error)s", wave=wave, error=error), True)
            )
            continue
        digest = frame_digest(rows, result.stratum)
        if digest != frame_sha:
            problems.append(_("the frame differs from the one drawn from"))
        if commitment(design, digest, result.strata) != promise:
            problems.append(_("the commitment does not match the design and frame"))
        refs = [make_reference(wave, p) for p in range(len(result.chosen))]
        if (
            selection_digest([(rows[i].uprn, r) for i, r in zip(result.chosen, refs, strict=True)])
            != chosen_sha
        ):
            problems.append(_("the recorded selection digest differs from the redrawn letters"))
        stored = db.execute(
            "select a.uprn, l.reference from invitation_letters l join invitation_addresses a "
            "on a.id = l.address_id where l.wave = ? order by l.position",
            [wave],
        ).fetchall()
        if [(u, r) for u, r in stored] != [
            (rows[i].uprn, r) for i, r in zip(result.chosen, refs, strict=True)
        ]:
            problems.append(_("the stored letters are not the ones the seed draws"))
        probability = {s.name: s.probability for s in result.strata}
        stored_p = dict(
            db.execute(
                "select address_id, probability from invitation_inclusion where wave = ?", [wave]
            ).fetchall()
        )
        expected_p = {
            id_: probability.get(s, 0.0) for id_, s in zip(ids, result.stratum, strict=True)
        }
        if stored_p != expected_p:
            problems.append(_("the stored inclusion probabilities differ from the design's"))
        report.append(
            (
                _(
                    "wave %(wave)s: ok, %(count)s letters redrawn from the seed",
                    wave=wave,
                    count=Number(len(stored)),
                ),
                False,
            )
            if not problems
            else (
                _("wave %(wave)s: FAILED: %(problems)s", wave=wave, problems="; ".join(problems)),
                True,
            )
        )
    return report
