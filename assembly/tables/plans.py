"""Table plans for an assembly file: who is in the room, the pins, and saved plans to show,
print and export.

The room is the members marked present at a session, or for no session every panel member
(selected, invited or confirmed). The search itself is `assembly.tables.search` (pure, no database).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, Text, _, stored_form, working
from assembly.core.safe_output import csv_text, md_text
from assembly.sessions.attendance import members_by_id, present_ids, sessions_with_someone_present
from assembly.sessions.sessions import get_session
from assembly.store import write_transaction
from assembly.tables.search import (
    Pins,
    PlanError,
    Progress,
    TablePlan,
    encode,
    plan_tables,
)

DEFAULT_REPEAT_WEIGHT = 2.0
"""The app's trade-off: one repeat meeting costs as much as two units of squared mix gap. On the
demo (36 people, 6 tables, 3 rounds) weight 1 left 17 pairs meeting twice, 2 left 9 for a 3%
larger mix gap, 4 left 3 for a 16% larger gap."""
NOT_GIVEN = N_("(not given)")
"""A blank feature value, counted as a value of its own (shown as `_(NOT_GIVEN)`)."""


class TablePlanRequestError(ValueError):
    """A plan cannot be made as asked (no one present, unknown member or feature); says why."""


@dataclass(frozen=True)
class Attendee:
    member_id: int
    number: int
    name: str | None
    features: dict[str, str]


@dataclass(frozen=True)
class Room:
    """Who the plan seats and where that list came from (in words, for the screen: a `Text`,
    its English kept in a saved plan's title, shown with `working().text`)."""

    people: tuple[Attendee, ...]
    source: str


# A pin in words (`PinRow.describe`). A saved plan keeps its pins so, in English and filled in,
# as they were when it was made (`table_plans.pins`); a page shows each in the working language
# (`pin_in_words`), as the screen shows the pins in force. The one place that knows their wording.
PIN_INTERPRETER = N_("#%(number)s sits with the %(label)s")
PIN_TOGETHER = N_("#%(number)s and #%(other)s sit together")
PIN_APART = N_("#%(number)s and #%(other)s sit apart")
# An interpreter pin's label as kept when the officer named only the language ("BSL").
INTERPRETER_LABEL = N_("%(language)s interpreter")
_INTERPRETER_LABEL = re.compile(stored_form(INTERPRETER_LABEL, {"language": ".+"}), re.DOTALL)


# Whole sentences for each kind: a kind's English word is never put into another language's.
_SECOND_NUMBER = {
    "together": N_("seating members together needs a second member number"),
    "apart": N_("seating members apart needs a second member number"),
}
_TWO_NUMBERS = {
    "together": N_(
        "seating members together needs two different member numbers (both were %(number)s)"
    ),
    "apart": N_("seating members apart needs two different member numbers (both were %(number)s)"),
}


def interpreter_label(label: str) -> Text | str:
    """An interpreter pin's label, to show in the reader's language: 'BSL interpreter', as
    kept, is 'cyfieithydd BSL' on a Welsh screen; a label written some other way stays so."""
    found = _INTERPRETER_LABEL.fullmatch(label)
    return Text(INTERPRETER_LABEL, found.groupdict()) if found else label


# Member numbers in figures, the interpreter's label any text.
_PINS = tuple(
    (message, re.compile(stored_form(message, {"label": ".+"}, default=r"\d+"), re.DOTALL))
    for message in (PIN_INTERPRETER, PIN_TOGETHER, PIN_APART)
)


def pin_in_words(pin: str) -> str:
    """A saved plan's pin (its stored English) in the working language; anything else as it
    was written."""
    for message, pattern in _PINS:
        found = pattern.fullmatch(pin)
        if found:
            values: dict[str, object] = dict(found.groupdict())
            if "label" in values:
                values["label"] = interpreter_label(found["label"])
            return _(message, **values)
    return pin


@dataclass(frozen=True)
class PinRow:
    id: int
    kind: str  # together / apart / interpreter
    member_id: int
    number: int
    other_member_id: int | None
    other_number: int | None
    label: str | None

    def describe(self) -> Text:
        """The pin in words: a `Text`, so a saved plan keeps its English and a screen shows it
        in the working language (`working().text`, or as a message's value)."""
        if self.kind == "interpreter":
            label = interpreter_label(self.label or "")
            return Text(PIN_INTERPRETER, {"number": self.number, "label": label})
        if self.kind == "together":
            return Text(PIN_TOGETHER, {"number": self.number, "other": self.other_number})
        return Text(PIN_APART, {"number": self.number, "other": self.other_number})


@dataclass(frozen=True)
class PlanResult:
    """A freshly made plan, not yet saved."""

    room: Room
    feature_names: tuple[str, ...]
    pins: tuple[PinRow, ...]
    skipped_pins: tuple[PinRow, ...]  # pins naming someone not in the room
    plan: TablePlan
    seed: int
    repeat_weight: float
    session_id: int | None


@dataclass(frozen=True)
class SeatView:
    member_id: int
    number: int
    name: str | None
    met_before: tuple[tuple[int, int], ...]  # (other member's number, round they first met)
    pinned: str  # "" or what keeps them here, e.g. "with BSL interpreter"


@dataclass(frozen=True)
class TableView:
    round: int  # 1-based
    table: int  # 1-based
    seats: tuple[SeatView, ...]
    mix: dict[str, Counter[str]]  # feature label -> value counts at this table (shown only)
    gap: float  # people away from the room's mix, summed over all features (L1)
    interpreters: tuple[str, ...]


@dataclass(frozen=True)
class SavedPlan:
    id: int
    title: str
    session_id: int | None
    tables: int
    rounds: int
    seed: int
    repeat_weight: float
    feature_names: tuple[str, ...]
    pins: tuple[str, ...]  # the pins in words, as they were when the plan was made
    people: int
    diversity: float
    diversity_l1: float
    repeats: int
    repeat_pairs: int
    iterations: int
    cancelled: bool
    created_at: str
    views: tuple[tuple[TableView, ...], ...]  # [round][table]


# --------------------------------------------------------------------------------------------
# Who is in the room


def panel_room(db: Database) -> Room:
    rows = db.query(
        "select m.id, m.number, r.name, r.features from members m "
        "join respondents r on r.id = m.respondent_id "
        "where m.status in ('selected', 'invited', 'confirmed') order by m.number"
    )
    people = tuple(
        Attendee(r["id"], r["number"], r["name"], json.loads(r["features"] or "{}")) for r in rows
    )
    return Room(people, Text(N_("all %(count)s panel members"), {"count": len(people)}))


def session_room(db: Database, session_id: int) -> Room:
    """Members marked present at a session (the sessions area's attendance)."""
    present = members_by_id(db, sorted(present_ids(db, session_id))).values()
    people = tuple(
        Attendee(m.id, m.number, m.name, m.features)
        for m in sorted(present, key=lambda m: m.number)
    )
    if not people:
        raise TablePlanRequestError(
            _(
                "no one is marked present at session %(session)s; take attendance first, "
                "or plan for all panel members",
                session=session_id,
            )
        )
    return Room(
        people,
        Text(
            N_("%(count)s present at %(session)s"),
            {"count": len(people), "session": _session_title(db, session_id)},
        ),
    )


def _session_title(db: Database, session_id: int) -> Text:
    title = get_session(db, session_id).title
    if title:
        return Text(N_("session %(session)s (%(title)s)"), {"session": session_id, "title": title})
    return Text(N_("session %(session)s"), {"session": session_id})


def sessions_with_attendance(db: Database) -> list[tuple[int, str]]:
    """(session id, label) for sessions with someone marked present, for the screen's chooser
    (in the working language)."""
    return [(i, working().text(_session_title(db, i))) for i in sessions_with_someone_present(db)]


def room_for(db: Database, session_id: int | None) -> Room:
    return panel_room(db) if session_id is None else session_room(db, session_id)


# --------------------------------------------------------------------------------------------
# Pins


def list_pins(db: Database) -> list[PinRow]:
    return [
        PinRow(
            r["id"],
            r["kind"],
            r["member_id"],
            r["number"],
            r["other_member_id"],
            r["other_number"],
            r["label"],
        )
        for r in db.query(
            "select p.id, p.kind, p.member_id, m.number, p.other_member_id, "
            "o.number as other_number, p.label from table_pins p "
            "join members m on m.id = p.member_id "
            "left join members o on o.id = p.other_member_id order by p.id"
        )
    ]


def _member_id(db: Database, number: int) -> int:
    row = db.execute("select id from members where number = ?", [number]).fetchone()
    if row is None:
        raise TablePlanRequestError(_("there is no member number %(number)s", number=number))
    return int(row[0])


def add_pin(
    db: Database,
    kind: str,
    number: int,
    clock: Clock,
    *,
    other_number: int | None = None,
    label: str | None = None,
) -> int:
    """Pin member `number`: 'together' or 'apart' with `other_number`, or 'interpreter' with
    the interpreter named in `label` (everyone with the same label sits at that table)."""
    if kind not in ("together", "apart", "interpreter"):
        raise TablePlanRequestError(
            _("unknown pin kind %(kind)s: use together, apart or interpreter", kind=repr(kind))
        )
    member = _member_id(db, number)
    other = None
    if kind == "interpreter":
        label = (label or "").strip()
        if not label:
            raise TablePlanRequestError(_("say which interpreter, e.g. 'BSL interpreter'"))
    else:
        if other_number is None:
            raise TablePlanRequestError(_(_SECOND_NUMBER[kind]))
        if other_number == number:
            raise TablePlanRequestError(_(_TWO_NUMBERS[kind], number=number))
        other = _member_id(db, other_number)
        label = None
    with write_transaction(db):
        return int(
            db["table_pins"]
            .insert(
                {
                    "kind": kind,
                    "member_id": member,
                    "other_member_id": other,
                    "label": label,
                    "created_at": to_iso(clock.now()),
                }
            )
            .last_pk
        )


def remove_pin(db: Database, pin_id: int) -> None:
    with write_transaction(db):
        if db.execute("delete from table_pins where id = ?", [pin_id]).rowcount == 0:
            raise TablePlanRequestError(_("there is no pin %(pin)s", pin=pin_id))


def _pins_for(room: Room, pins: Sequence[PinRow]) -> tuple[Pins, list[PinRow], list[PinRow]]:
    index = {a.member_id: k for k, a in enumerate(room.people)}
    together: list[tuple[int, ...]] = []
    apart: list[tuple[int, int]] = []
    by_label: dict[str, list[int]] = {}
    used, skipped = [], []
    for pin in pins:
        if pin.member_id not in index or (
            pin.other_member_id is not None and pin.other_member_id not in index
        ):
            skipped.append(pin)
            continue
        used.append(pin)
        if pin.kind == "interpreter":
            by_label.setdefault(pin.label or "", []).append(index[pin.member_id])
        elif pin.kind == "together":
            together.append((index[pin.member_id], index[pin.other_member_id]))
        else:
            apart.append((index[pin.member_id], index[pin.other_member_id]))
    together.extend(tuple(sorted(set(g))) for g in by_label.values() if len(set(g)) > 1)
    return Pins(tuple(together), tuple(apart)), used, skipped


# --------------------------------------------------------------------------------------------
# Making, saving and reading plans


def feature_names(db: Database) -> list[str]:
    return [r[0] for r in db.execute("select name from features order by position")]


def make_plan(
    db: Database,
    *,
    tables: int,
    rounds: int,
    seed: int,
    session_id: int | None = None,
    features: Sequence[str] | None = None,
    repeat_weight: float = DEFAULT_REPEAT_WEIGHT,
    iterations: int | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> PlanResult:
    """Read the room and the pins, then search. Raises TablePlanRequestError in plain words."""
    room = room_for(db, session_id)
    known = feature_names(db)
    names = list(known if features is None else features)
    for name in names:
        if name not in known:
            if known:
                raise TablePlanRequestError(
                    _(
                        "unknown feature %(feature)s; this assembly has: %(features)s",
                        feature=repr(name),
                        features=", ".join(known),
                    )
                )
            raise TablePlanRequestError(
                _("unknown feature %(feature)s; this assembly has: none", feature=repr(name))
            )
    columns = [[p.features.get(name) or NOT_GIVEN for p in room.people] for name in names]
    codes = encode(columns) if names else np.zeros((len(room.people), 0), dtype=np.int64)
    pins, used, skipped = _pins_for(room, list_pins(db))
    try:
        plan = plan_tables(
            codes,
            tables,
            rounds,
            np.random.default_rng(seed),
            pins=pins,
            repeat_weight=repeat_weight,
            iterations=iterations,
            progress=progress,
            should_stop=should_stop,
        )
    except PlanError as error:
        raise TablePlanRequestError(_plan_problem(error, room)) from error
    return PlanResult(
        room, tuple(names), tuple(used), tuple(skipped), plan, seed, repeat_weight, session_id
    )


def _plan_problem(error: PlanError, room: Room) -> str:
    """Why the search could not plan, in the working language, with members' numbers (the
    search speaks of person indices, in its own English)."""
    values = error.values

    def number(k: int) -> int:
        return room.people[k].number if 0 <= k < len(room.people) else k

    if error.kind == "tables":
        return _("tables must be at least 1 (got %(tables)s)", tables=values[0])
    if error.kind == "rounds":
        return _("rounds must be at least 1 (got %(rounds)s)", rounds=values[0])
    if error.kind == "too_few":
        return _(
            "%(people)s people cannot fill %(tables)s tables: use at most %(people)s tables",
            people=values[0],
            tables=values[1],
        )
    if error.kind == "group_too_big":
        return _(
            "%(people)s people are pinned to sit together but tables seat at most %(most)s: "
            "use fewer tables or split the pin",
            people=values[0],
            most=values[1],
        )
    if error.kind == "both_pins":
        return _(
            "people #%(first)s and #%(second)s are pinned both together and apart; remove one "
            "of the pins",
            first=number(values[0]),
            second=number(values[1]),
        )
    if error.kind == "no_seating":
        return _(
            "could not seat everyone without breaking a keep-apart pin: there are more people "
            "pinned apart from each other than tables, or pinned groups leave no room; use "
            "more tables or remove a pin"
        )
    return _with_numbers(str(error), room)


def _with_numbers(message: str, room: Room) -> str:
    """The search speaks of person indices; people know member numbers."""
    import re

    def swap(match: re.Match[str]) -> str:
        k = int(match.group(2))
        number = room.people[k].number if 0 <= k < len(room.people) else k
        return f"{match.group(1)}#{number}"

    return re.sub(r"(people |person |and )(\d+)", swap, message)


def save_plan(db: Database, result: PlanResult, clock: Clock, title: str | None = None) -> int:
    """Store a plan and its seats in one transaction; returns the plan id."""
    plan = result.plan
    now = to_iso(clock.now())
    # stored: its English (a `Text`)
    title = title or Text(
        N_("%(tables)s tables x %(rounds)s rounds for %(room)s"),
        {"tables": plan.tables, "rounds": plan.rounds, "room": result.room.source},
    )
    with write_transaction(db):
        plan_id = int(
            db["table_plans"]
            .insert(
                {
                    "session_id": result.session_id,
                    "title": title,
                    "tables": plan.tables,
                    "rounds": plan.rounds,
                    "seed": result.seed,
                    "repeat_weight": result.repeat_weight,
                    "features": json.dumps(list(result.feature_names)),
                    "pins": json.dumps([p.describe() for p in result.pins]),
                    "people": len(result.room.people),
                    "diversity": plan.score.diversity,
                    "diversity_l1": plan.score.diversity_l1,
                    "repeats": plan.score.repeats,
                    "repeat_pairs": plan.score.repeat_pairs,
                    "iterations": plan.iterations,
                    "cancelled": int(plan.cancelled),
                    "created_at": now,
                }
            )
            .last_pk
        )
        db["table_seats"].insert_all(
            {
                "plan_id": plan_id,
                "round": r + 1,
                "table_no": int(plan.seating[r, k]) + 1,
                "member_id": person.member_id,
            }
            for r in range(plan.rounds)
            for k, person in enumerate(result.room.people)
        )
    return plan_id


@dataclass(frozen=True)
class PlanSummary:
    id: int
    title: str
    tables: int
    rounds: int
    people: int
    repeat_pairs: int
    created_at: str


def list_plans(db: Database) -> list[PlanSummary]:
    return [
        PlanSummary(
            r["id"],
            r["title"],
            r["tables"],
            r["rounds"],
            r["people"],
            r["repeat_pairs"],
            r["created_at"],
        )
        for r in db.query(
            "select id, title, tables, rounds, people, repeat_pairs, created_at "
            "from table_plans order by id desc"
        )
    ]


def load_plan(db: Database, plan_id: int | None = None) -> SavedPlan:
    """A saved plan (the newest if `plan_id` is None), laid out by round and table."""
    if plan_id is None:
        row = db.execute("select max(id) from table_plans").fetchone()
        if row is None or row[0] is None:
            raise TablePlanRequestError(_("no table plan has been made yet"))
        plan_id = int(row[0])
    rows = list(db.query("select * from table_plans where id = ?", [plan_id]))
    if not rows:
        raise TablePlanRequestError(_("there is no table plan %(plan)s", plan=plan_id))
    info = rows[0]
    seats = list(
        db.query(
            "select s.round, s.table_no, s.member_id, m.number, r.name, r.features "
            "from table_seats s join members m on m.id = s.member_id "
            "join respondents r on r.id = m.respondent_id where s.plan_id = ? "
            "order by s.round, s.table_no, m.number",
            [plan_id],
        )
    )
    names = tuple(json.loads(info["features"]))
    views = _views(db, seats, info["tables"], info["rounds"], names)
    return SavedPlan(
        id=plan_id,
        title=info["title"],
        session_id=info["session_id"],
        tables=info["tables"],
        rounds=info["rounds"],
        seed=info["seed"],
        repeat_weight=info["repeat_weight"],
        feature_names=names,
        pins=tuple(json.loads(info["pins"])),
        people=info["people"],
        diversity=info["diversity"],
        diversity_l1=info["diversity_l1"],
        repeats=info["repeats"],
        repeat_pairs=info["repeat_pairs"],
        iterations=info["iterations"],
        cancelled=bool(info["cancelled"]),
        created_at=info["created_at"],
        views=views,
    )


def _views(
    db: Database, seats: list[dict], tables: int, rounds: int, names: tuple[str, ...]
) -> tuple[tuple[TableView, ...], ...]:
    members = sorted({s["member_id"] for s in seats})
    index = {m: k for k, m in enumerate(members)}
    number = {s["member_id"]: s["number"] for s in seats}
    name = {s["member_id"]: s["name"] for s in seats}
    feats = {s["member_id"]: json.loads(s["features"] or "{}") for s in seats}
    seating = np.zeros((rounds, len(members)), dtype=np.int64)
    for s in seats:
        seating[s["round"] - 1, index[s["member_id"]]] = s["table_no"] - 1
    sensitive = {
        r[0] for r in db.execute("select name from features where sensitive = 1").fetchall()
    }
    shown = [n for n in names if n not in sensitive]
    # People read the mix: "Age band", the feature's label, not its internal name "age_band".
    label = {r[0]: r[1] for r in db.execute("select name, label from features").fetchall()}
    pins = list_pins(db)
    interpreter_of = {p.member_id: p.label for p in pins if p.kind == "interpreter"}
    together_with: dict[int, list[int]] = {}
    for p in pins:
        if p.kind == "together" and p.other_member_id is not None:
            together_with.setdefault(p.member_id, []).append(p.other_number or 0)
            together_with.setdefault(p.other_member_id, []).append(p.number)
    room_share = {f: Counter(feats[m].get(f) or NOT_GIVEN for m in members) for f in names}
    n = len(members)
    out = []
    for r in range(rounds):
        row = []
        for t in range(tables):
            here = [m for m in members if seating[r, index[m]] == t]
            seat_views = []
            for m in here:
                met = []
                for other in here:
                    if other == m:
                        continue
                    earlier = [
                        q for q in range(r) if seating[q, index[m]] == seating[q, index[other]]
                    ]
                    if earlier and number[other] not in together_with.get(m, []):
                        met.append((number[other], earlier[0] + 1))
                pinned = ""
                if m in interpreter_of:
                    pinned = _("with %(who)s", who=interpreter_of[m])
                elif m in together_with:
                    together = ", ".join(f"#{x}" for x in sorted(together_with[m]))
                    pinned = _("with %(who)s", who=together)
                seat_views.append(SeatView(m, number[m], name[m], tuple(sorted(met)), pinned))
            mix = {
                label.get(f) or f: Counter(feats[m].get(f) or NOT_GIVEN for m in here)
                for f in shown
            }
            gap = 0.0
            for f in names:
                counts = Counter(feats[m].get(f) or NOT_GIVEN for m in here)
                for value, total in room_share[f].items():
                    gap += abs(counts.get(value, 0) - len(here) * total / n)
            interpreters = tuple(sorted({interpreter_of[m] for m in here if m in interpreter_of}))
            row.append(TableView(r + 1, t + 1, tuple(seat_views), mix, gap, interpreters))
        out.append(tuple(row))
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Exports: what the room needs, no more (numbers and names; no contacts, no sensitive features)


def repeat_words(seat: SeatView) -> str:
    if not seat.met_before:
        return ""
    met = ", ".join(
        _("#%(number)s (round %(round)s)", number=n, round=r) for n, r in seat.met_before
    )
    return _("↻ met before: %(who)s", who=met)


def export_csv(saved: SavedPlan, *, names: bool = True) -> str:
    """The plan as CSV, every cell neutralised for spreadsheets."""
    header = ["round", "table", "member_number"]
    if names:
        header.append("name")
    lines = []
    for row in saved.views:
        for view in row:
            for seat in view.seats:
                line = [view.round, view.table, seat.number]
                if names:
                    line.append(seat.name or "")
                met = "; ".join(
                    _("#%(number)s in round %(round)s", number=n, round=r)
                    for n, r in seat.met_before
                )
                lines.append([*line, seat.pinned, met])
    return csv_text([*header, "pinned", "met_before"], lines)


def export_markdown(saved: SavedPlan, *, names: bool = True) -> str:
    lines = [f"# {md_text(saved.title)}", ""]
    lines.append(
        _(
            "%(people)s people, %(tables)s tables, %(rounds)s rounds. Pairs meeting more than "
            "once: %(pairs)s. Mix gap: %(gap)s people in all (0 is best: every table mirrors "
            "the room).",
            people=saved.people,
            tables=saved.tables,
            rounds=saved.rounds,
            pairs=saved.repeat_pairs,
            gap=format(saved.diversity_l1, ".1f"),
        )
    )
    if saved.pins:
        pins = "; ".join(md_text(pin_in_words(p)) for p in saved.pins)
        lines += ["", _("Pins: %(pins)s.", pins=pins)]
    for row in saved.views:
        lines += ["", "## " + (_("Round %(round)s", round=row[0].round) if row else _("Round"))]
        for view in row:
            if view.interpreters:
                heading = _(
                    "Table %(table)s — %(interpreters)s",
                    table=view.table,
                    interpreters=md_text(", ".join(view.interpreters)),
                )
            else:
                heading = _("Table %(table)s", table=view.table)
            lines += ["", "### " + heading, ""]
            for seat in view.seats:
                who = f"#{seat.number}" + (f" {md_text(seat.name)}" if names and seat.name else "")
                notes = [md_text(x) for x in (seat.pinned, repeat_words(seat)) if x]
                lines.append(f"- {who}" + (f" ({'; '.join(notes)})" if notes else ""))
            if view.mix:
                lines += ["", _("Mix: %(mix)s", mix=md_text(mix_words(view)))]
    return "\n".join(lines) + "\n"


def mix_words(view: TableView) -> str:
    parts = []
    for feature, counts in view.mix.items():
        inner = ", ".join(
            f"{_(v) if v == NOT_GIVEN else v} {c}"
            for v, c in sorted(counts.items(), key=lambda x: -x[1])
        )
        parts.append(f"{feature}: {inner}")
    return "; ".join(parts)
