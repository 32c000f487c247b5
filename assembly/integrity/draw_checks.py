"""The draws, witnesses, members and respondents tables against the draw record.

The record (`assembly.organiser.draws_record`) is the hash-chained account of each draw; the
tables are what the app reads. Every fact the record holds is compared with its column, and
each draw is re-derived with the selection library's own public functions: its stored bundle
must hash to the recorded commitment and verify (`sortition.verify_bundle`: every panel meets
the quotas, the probabilities follow from the panels), its pool must have the recorded
fingerprint (`sortition.instance_digest`), and the recorded seed must pick the recorded panel
from the bundle's lottery (`sortition.choose_panel_index`). The members must be the panel
drawn plus the recorded replacements and status changes, and each respondent's features must
be those in the pool the fingerprint covers.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from sqlite_utils import Database

from assembly.core.i18n import _
from assembly.core.library_words import refusal, said
from assembly.integrity.findings import Finding
from assembly.organiser.draws_record import DrawRecord, RecordedDraw, text_sha256
from sortition import (
    BadInput,
    choose_panel_index,
    commitment_of,
    instance_digest,
    instance_from_bundle,
    seed_digest,
    verify_bundle,
)

_PLAIN = (  # draws column -> the `computed` fact it must equal
    ("algorithm", "algorithm"),
    ("panel_size", "panel_size"),
    ("lottery_size", "lottery_size"),
    ("commitment", "commitment"),
    ("snapshot_sha256", "fingerprint"),
    ("min_probability", "min_probability"),
    ("largest_change", "largest_change"),
    ("seconds", "seconds"),
    ("upper_bound", "upper_bound"),
    ("time_limit", "time_limit"),
)
_DRAWN = (("seed", "seed"), ("seed_sha256", "seed_sha256"), ("panel_index", "panel_index"))
_SEEDED = ("seed", "seed_sha256", "panel_index", "panel", "drawn_at")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def check_draws(db: Database, record: DrawRecord) -> tuple[list[Finding], dict[int, dict]]:
    """Findings for the `draws` table, and each draw's bundle that checked out (by draw id)."""
    findings: list[Finding] = []
    bundles: dict[int, dict] = {}
    seen = set()
    for row in db.query("select * from draws order by id"):
        seen.add(row["id"])
        recorded = record.draws.get(row["id"])
        if recorded is None:
            findings.append(
                Finding("draws", f"id {row['id']}", _("this draw is not in the draw record."))
            )
            continue
        found, bundle = _check_draw(row, recorded)
        findings.extend(found)
        if bundle is not None:
            bundles[row["id"]] = bundle
    for draw_id, recorded in record.draws.items():
        if draw_id not in seen:
            findings.append(
                Finding(
                    "draws",
                    "",
                    _(
                        "draw %(draw)s (draw_record entry %(seq)s) has no row (deleted?).",
                        draw=draw_id,
                        seq=recorded.seq,
                    ),
                )
            )
    return findings, bundles


def _check_draw(
    row: Mapping[str, Any], recorded: RecordedDraw
) -> tuple[list[Finding], dict | None]:
    facts, drawn = recorded.facts, recorded.drawn
    key = f"id {row['id']}"
    out: list[Finding] = []

    def wrong(column: str, stored: Any, expected: Any) -> None:
        seq = recorded.drawn_seq if column in _SEEDED and drawn else recorded.seq
        out.append(
            Finding(
                "draws",
                key,
                _(
                    "%(column)s is %(stored)s, but the draw record (entry %(seq)s) has "
                    "%(expected)s.",
                    column=column,
                    stored=_shown(stored),
                    seq=seq,
                    expected=_shown(expected),
                ),
            )
        )

    if row["created_at"] != recorded.created_at:
        wrong("created_at", row["created_at"], recorded.created_at)
    for column, name in _PLAIN:
        if row[column] != facts[name]:
            wrong(column, row[column], facts[name])
    if bool(row["stopped_early"]) != bool(facts["stopped_early"]):
        wrong("stopped_early", row["stopped_early"], facts["stopped_early"])
    if text_sha256(row["probabilities"]) != facts["probabilities_sha256"]:
        out.append(
            Finding(
                "draws",
                key,
                _(
                    "probabilities were changed: their SHA-256 is not the one in the draw record "
                    "(entry %(seq)s).",
                    seq=recorded.seq,
                ),
            )
        )
    for column, name in _DRAWN:
        expected = drawn[name] if drawn else None
        if row[column] != expected:
            wrong(column, row[column], expected)
    stored_panel = _json(row["panel"])
    expected_panel = list(drawn["panel"]) if drawn else None
    if stored_panel != expected_panel:
        if isinstance(stored_panel, list) and isinstance(expected_panel, list):
            added = sorted(set(map(str, stored_panel)) - set(expected_panel))
            dropped = sorted(set(expected_panel) - set(map(str, stored_panel)))
            out.append(
                Finding(
                    "draws",
                    key,
                    _(
                        "panel holds %(added)s in place of %(dropped)s: not the panel in the "
                        "draw record (entry %(seq)s).",
                        added=_shown(added),
                        dropped=_shown(dropped),
                        seq=recorded.drawn_seq,
                    )
                    if added or dropped
                    else _(
                        "panel is reordered from the draw record's (entry %(seq)s).",
                        seq=recorded.drawn_seq,
                    ),
                )
            )
        else:
            wrong("panel", stored_panel, expected_panel)
    expected_at = recorded.drawn_at if drawn else None
    if row["drawn_at"] != expected_at:
        wrong("drawn_at", row["drawn_at"], expected_at)
    bundle_findings, bundle = _check_bundle(row, recorded)
    return out + bundle_findings, bundle


def _json(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def _check_bundle(
    row: Mapping[str, Any], recorded: RecordedDraw
) -> tuple[list[Finding], dict | None]:
    """The stored bundle and snapshots, re-derived against the recorded commitment and seed."""
    key = f"id {row['id']}"
    facts, drawn = recorded.facts, recorded.drawn
    bundle = _json(row["bundle"])
    if not isinstance(bundle, dict):
        return [Finding("draws", key, _("its bundle is not a JSON object."))], None
    out: list[Finding] = []
    actual = commitment_of(bundle)
    if actual != facts["commitment"]:
        out.append(
            Finding(
                "draws",
                key,
                _(
                    "its bundle (pool, quotas, lottery) hashes to %(actual)s, not to the "
                    "commitment %(commitment)s in the draw record (entry %(seq)s).",
                    actual=actual,
                    commitment=facts["commitment"],
                    seq=recorded.seq,
                ),
            )
        )
    try:
        instance = instance_from_bundle(bundle)
    except BadInput as error:
        return [
            *out,
            Finding("draws", key, _("its bundle cannot be read: %(error)s.", error=refusal(error))),
        ], None
    if instance_digest(instance) != facts["fingerprint"]:
        out.append(
            Finding(
                "draws",
                key,
                _(
                    "its bundle's pool and quotas do not have the instance fingerprint in the "
                    "draw record (entry %(seq)s).",
                    seq=recorded.seq,
                ),
            )
        )
    for column, part in (("pool_snapshot", "pool"), ("quotas_snapshot", "quotas")):
        if _json(row[column]) != bundle.get(part):
            out.append(
                Finding(
                    "draws",
                    key,
                    _(
                        "%(column)s is not the %(part)s its bundle was committed with.",
                        column=column,
                        part=part,
                    ),
                )
            )
    out.extend(
        Finding("draws", key, _("its bundle does not verify: %(problem)s.", problem=said(problem)))
        for problem in verify_bundle(bundle)
    )
    out.extend(_check_seed(key, bundle, recorded))
    if out:
        return out, None
    if drawn is None and bundle.get("draw"):
        out.append(Finding("draws", key, _("its bundle holds a draw the draw record never made.")))
    return out, (None if out else bundle)


def _check_seed(key: str, bundle: Mapping[str, Any], recorded: RecordedDraw) -> Iterator[Finding]:
    """The recorded seed picks the recorded panel from the bundle's lottery, and the bundle's
    own draw is that one."""
    drawn = recorded.drawn
    if drawn is None:
        return
    try:
        panels = bundle["lottery"]["panels"]
    except (KeyError, TypeError):
        yield Finding("draws", key, _("its bundle has no lottery."))
        return
    seed = drawn["seed"]
    if seed_digest(seed) != drawn["seed_sha256"]:
        yield Finding(
            "draw_record", f"seq {recorded.drawn_seq}", _("its seed_sha256 is not the seed's.")
        )
    index = choose_panel_index(seed, len(panels)) if panels else None
    if index != drawn["panel_index"]:
        yield Finding(
            "draw_record",
            f"seq {recorded.drawn_seq}",
            _(
                "the seed %(seed)s picks panel %(index)s of the committed lottery, not "
                "%(recorded)s.",
                seed=repr(seed),
                index=index,
                recorded=drawn["panel_index"],
            ),
        )
    elif sorted(panels[index]) != sorted(drawn["panel"]):
        yield Finding(
            "draws",
            key,
            _(
                "panel %(index)s of its committed lottery is not the panel in draw_record entry "
                "%(seq)s.",
                index=index,
                seq=recorded.drawn_seq,
            ),
        )
    draw = bundle.get("draw") or {}
    if (draw.get("seed"), draw.get("index"), draw.get("panel")) != (
        seed,
        drawn["panel_index"],
        list(drawn["panel"]),
    ):
        yield Finding(
            "draws",
            key,
            _(
                "its bundle's draw (seed, panel) is not the one in draw_record entry %(seq)s.",
                seq=recorded.drawn_seq,
            ),
        )
    seated = sorted(ref for _number, ref in drawn["members"])
    if seated != sorted(drawn["panel"]):
        yield Finding(
            "draw_record", f"seq {recorded.drawn_seq}", _("its members are not its panel.")
        )


def check_witnesses(db: Database, record: DrawRecord) -> list[Finding]:
    """Every witness row is one the record holds, and every recorded witness has its row."""
    expected = Counter()
    entries: dict[tuple, int] = {}
    for draw_id, recorded in record.draws.items():
        for seq, w in recorded.witnesses:
            fact = (draw_id, w.name, w.role, w.recorded_at)
            expected[fact] += 1
            entries.setdefault(fact, seq)
    findings = []
    for row in db.query(
        "select id, draw_id, name, role, recorded_at from draw_witnesses order by id"
    ):
        fact = (row["draw_id"], row["name"], row["role"], row["recorded_at"])
        if expected[fact] > 0:
            expected[fact] -= 1
        else:
            findings.append(
                Finding(
                    "draw_witnesses",
                    f"id {row['id']}",
                    _(
                        "witness %(name)s of draw %(draw)s is not in the draw record (added or "
                        "changed outside the app).",
                        name=repr(row["name"]),
                        draw=row["draw_id"],
                    ),
                )
            )
    for fact, left in expected.items():
        for _unused in range(left):
            findings.append(
                Finding(
                    "draw_witnesses",
                    "",
                    _(
                        "witness %(name)s of draw %(draw)s (draw_record entry %(seq)s) has no row "
                        "(deleted?).",
                        name=repr(fact[1]),
                        draw=fact[0],
                        seq=entries[fact],
                    ),
                )
            )
    return findings


def check_members(db: Database, record: DrawRecord) -> list[Finding]:
    """The members table is the drawn panel plus the recorded replacements and status changes."""
    findings = []
    seen = set()
    rows = db.query(
        "select m.id, m.number, m.status, m.draw_id, m.respondent_id, r.ref, "
        "o.number as replaces from members m left join respondents r on r.id = m.respondent_id "
        "left join members o on o.id = m.replaces_member_id order by m.number"
    )
    for row in rows:
        key = f"id {row['id']}"
        seen.add(row["number"])
        recorded = record.members.get(row["number"])
        if recorded is None:
            findings.append(
                Finding(
                    "members",
                    key,
                    _(
                        "member %(number)s is not in the draw record (added outside the app).",
                        number=row["number"],
                    ),
                )
            )
            continue
        if row["ref"] != recorded.ref:
            findings.append(
                Finding(
                    "members",
                    key,
                    _(
                        "member %(number)s is respondent %(ref)s (respondent_id %(id)s), but the "
                        "draw record seated %(recorded)s.",
                        number=row["number"],
                        ref=repr(row["ref"]),
                        id=row["respondent_id"],
                        recorded=repr(recorded.ref),
                    ),
                )
            )
        if row["status"] != recorded.status:
            findings.append(
                Finding(
                    "members",
                    key,
                    _(
                        "member %(number)s is %(status)s, but the draw record has them "
                        "%(recorded)s (draw_record entry %(seq)s).",
                        number=row["number"],
                        status=row["status"],
                        recorded=recorded.status,
                        seq=recorded.seq,
                    ),
                )
            )
        if row["draw_id"] != recorded.draw_id:
            findings.append(
                Finding(
                    "members",
                    key,
                    _(
                        "member %(number)s names draw %(draw)s, but the draw record seated them "
                        "from draw %(recorded)s.",
                        number=row["number"],
                        draw=row["draw_id"],
                        recorded=recorded.draw_id,
                    ),
                )
            )
        if row["replaces"] != recorded.replaces:
            findings.append(
                Finding(
                    "members",
                    key,
                    _(
                        "member %(number)s replaces %(replaces)s, but the draw record says "
                        "%(recorded)s.",
                        number=row["number"],
                        replaces=row["replaces"],
                        recorded=recorded.replaces,
                    ),
                )
            )
    for number, recorded in record.members.items():
        if number not in seen:
            findings.append(
                Finding(
                    "members",
                    "",
                    _(
                        "member %(number)s (draw_record entry %(seq)s) has no row (deleted?).",
                        number=number,
                        seq=recorded.seq,
                    ),
                )
            )
    return findings


def check_respondents(db: Database, bundles: Mapping[int, dict]) -> list[Finding]:
    """Each respondent's features are those of the pool the draw's fingerprint covers.

    Only bundles that checked out are used (their pool has the recorded fingerprint). A
    respondent whose personal data was purged keeps no features, and is not compared.
    """
    expected: dict[str, tuple[int, dict[str, str]]] = {}
    for draw_id, bundle in sorted(bundles.items()):
        for person in bundle["pool"]["people"]:
            expected.setdefault(person["id"], (draw_id, person["features"]))
    findings = []
    found = set()
    for rid, ref, features, purged_at in db.execute(
        "select id, ref, features, purged_at from respondents order by id"
    ):
        if ref not in expected:
            continue
        found.add(ref)
        draw_id, wanted = expected[ref]
        stored = _json(features)
        if purged_at is not None and stored == {}:
            continue
        if not isinstance(stored, dict):
            findings.append(
                Finding("respondents", f"id {rid}", _("its features are not readable."))
            )
            continue
        for feature, value in wanted.items():
            if stored.get(feature) != value:
                findings.append(
                    Finding(
                        "respondents",
                        f"id {rid}",
                        _(
                            "respondent %(ref)s has %(feature)s %(stored)s, but the pool of draw "
                            "%(draw)s (its recorded fingerprint) has %(value)s.",
                            ref=repr(ref),
                            feature=feature,
                            stored=_shown(stored.get(feature)),
                            draw=draw_id,
                            value=repr(value),
                        ),
                    )
                )
                break
    findings.extend(_household_findings(db, bundles))
    for ref in sorted(set(expected) - found):
        findings.append(
            Finding(
                "respondents",
                "",
                _(
                    "respondent %(ref)s of draw %(draw)s's pool has no row (deleted?).",
                    ref=repr(ref),
                    draw=expected[ref][0],
                ),
            )
        )
    return findings


def _household_findings(db: Database, bundles: Mapping[int, dict]) -> Iterator[Finding]:
    """Who shares a household in the file is who shared one in each draw's pool.

    Households decide who may replace whom, so a key changed to split a household (or to join
    two) would let a second person from one address onto the panel unseen. The bundle keeps
    only pseudonymous groups, so the partitions are compared, not the keys. Purged respondents
    keep no key and are left out.
    """
    stored = {
        ref: (rid, household)
        for rid, ref, household, purged_at in db.execute(
            "select id, ref, household, purged_at from respondents order by id"
        )
        if purged_at is None
    }
    reported: set[str] = set()
    for draw_id, bundle in sorted(bundles.items()):
        people = [p for p in bundle["pool"]["people"] if p["id"] in stored]
        recorded: dict[str, set[str]] = {}
        in_file: dict[str, set[str]] = {}
        for person in people:
            if person.get("household"):
                recorded.setdefault(person["household"], set()).add(person["id"])
            key = stored[person["id"]][1]
            if key:
                in_file.setdefault(key, set()).add(person["id"])
        wanted = {ref: group for group in recorded.values() for ref in group}
        found = {ref: group for group in in_file.values() for ref in group}
        for person in people:
            ref = person["id"]
            mates, should = found.get(ref, {ref}), wanted.get(ref, {ref})
            if mates == should or ref in reported:
                continue
            reported.add(ref)
            yield Finding(
                "respondents",
                f"id {stored[ref][0]}",
                _(
                    "respondent %(ref)s shares a household with %(mates)s in the file, but with "
                    "%(should)s in the pool of draw %(draw)s (its recorded fingerprint).",
                    ref=repr(ref),
                    mates=_names(mates - {ref}),
                    should=_names(should - {ref}),
                    draw=draw_id,
                ),
            )


def _names(refs: set[str]) -> str:
    return ", ".join(repr(r) for r in sorted(refs)) if refs else _("nobody")
