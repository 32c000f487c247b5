"""Draws: computing the selection lottery, the public draw from a seed, witnesses and the bundle.

A draw happens in two steps. `compute_draw` (slow, run in a worker) asks the library's one
draw pipeline, `sortition.public_draw`, for a lottery over panels meeting the quotas (LEXIMIN
by default) rounded to M numbered panels and bundled; `record_draw` stores it with a pseudonymised snapshot of the pool and
quotas and the audit bundle's commitment. Then `enter_seed` takes the seed read out in
public, picks panel number SHA-256(seed) mod M and makes its people the panel members.
Every draw is kept; nothing later in the file changes a stored draw. Each step is also
appended to the draw record (`draws_record`), the hash chain covered by the signed
checkpoints, in the same transaction; what a draw is shown to be comes from that record.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import Number, _
from assembly.organiser import draws_record
from assembly.organiser.draws_record import Witness
from assembly.organiser.errors import OrganiserError
from assembly.organiser.history_notes import DRAWN_NOTE, written_note
from assembly.organiser.infeasible import explained
from assembly.organiser.quotas import build_instance
from assembly.store import atomic, write_transaction
from sortition import (
    ALGORITHMS,
    DEFAULT_LOTTERY_SIZE,
    ROUNDING_SECONDS,
    Distribution,
    Infeasible,
    Instance,
    Lottery,
    add_draw,
    commitment_of,
    explain_infeasible,
    instance_digest,
    instance_from_bundle,
    normalise,
    public_draw,
    write_bundle,
)


@dataclass(frozen=True)
class ComputedDraw:
    instance: Instance
    algorithm: str
    probabilities: np.ndarray
    lottery: Lottery
    bundle: dict
    seconds: float
    # The search hit its time or round budget: the lottery meets every quota but is only the
    # fairest found so far; `upper_bound` (when known) is a proven ceiling on the smallest chance.
    stopped_early: bool = False
    upper_bound: float | None = None
    time_limit: float | None = None  # seconds, as asked for

    @property
    def min_probability(self) -> float:
        return float(np.min(self.probabilities))


@dataclass(frozen=True)
class DrawSummary:
    id: int
    created_at: str
    algorithm: str
    panel_size: int
    pool_size: int
    min_probability: float
    lottery_size: int
    largest_change: float
    commitment: str
    seconds: float
    seed: str | None
    seed_sha256: str | None
    panel_index: int | None
    panel: tuple[str, ...]
    drawn_at: str | None
    witnesses: tuple[Witness, ...]
    stopped_early: bool = False
    upper_bound: float | None = None
    time_limit: float | None = None

    @property
    def drawn(self) -> bool:
        return self.seed is not None


def draw_stopped_message(summary: DrawSummary | ComputedDraw) -> str | None:
    """The plain-words warning for a draw that stopped at its budget, else None."""
    if not summary.stopped_early:
        return None
    return stopped_early_message(
        summary.algorithm, summary.min_probability, summary.upper_bound, summary.time_limit
    )


def draw_proof_message(summary: DrawSummary | ComputedDraw) -> str | None:
    """Plain words for a LEXIMIN/MAXIMIN draw proven the fairest: the ceiling no lottery can
    pass and how close this one is to it (None for other draws and stopped ones)."""
    if summary.stopped_early or summary.upper_bound is None:
        return None
    return proof_message(summary.min_probability, summary.upper_bound)


def proof_message(min_probability: float, upper_bound: float) -> str:
    """ "Proven fairest" in words a committee can repeat (screen and command line)."""
    gap_points = max(upper_bound - min_probability, 0.0) * 100
    upper, smallest, gap = f"{upper_bound:.2%}", f"{min_probability:.2%}", f"{gap_points:.4f}"
    if gap_points < 1e-4:
        return _(
            "Proven the fairest: no lottery can give the least-chosen respondent more than "
            "%(upper)s; this one gives %(smallest)s (proof gap less than 0.0001 percentage "
            "points).",
            upper=upper,
            smallest=smallest,
        )
    return _(
        "Proven the fairest: no lottery can give the least-chosen respondent more than "
        "%(upper)s; this one gives %(smallest)s (proof gap %(gap)s percentage points).",
        upper=upper,
        smallest=smallest,
        gap=gap,
    )


def fidelity_message(lottery_size: int, largest_change: float) -> str:
    """How far the public draw's numbered panels move anyone's chance, in words (issue 21)."""
    points = f"{largest_change * 100:.2f}"
    return _(
        "The public draw's %(panels)s numbered panels change anyone's chance by at most "
        "%(points)s percentage points.",
        panels=Number(lottery_size),
        points=points,
    )


def stopped_early_message(
    algorithm: str,
    min_probability: float,
    upper_bound: float | None,
    time_limit: float | None = None,
) -> str:
    """Plain words for a draw whose search hit its budget (screen and command line)."""
    name = algorithm.upper()
    smallest = f"{min_probability:.1%}"
    upper = None if upper_bound is None else f"{upper_bound:.1%}"
    if time_limit is not None:
        minutes = time_limit / 60
        shown = f"{minutes:g}" if minutes >= 1 else f"{minutes:.2g}"
        if upper is not None:
            return _(
                "%(name)s stopped at the %(minutes)s-minute limit: the smallest chance is "
                "%(smallest)s (no lottery can give more than %(upper)s).",
                name=name,
                minutes=shown,
                smallest=smallest,
                upper=upper,
            )
        return _(
            "%(name)s stopped at the %(minutes)s-minute limit: the smallest chance is "
            "%(smallest)s.",
            name=name,
            minutes=shown,
            smallest=smallest,
        )
    if upper is not None:
        return _(
            "%(name)s stopped before proving its lottery the fairest: the smallest chance is "
            "%(smallest)s (no lottery can give more than %(upper)s).",
            name=name,
            smallest=smallest,
            upper=upper,
        )
    return _(
        "%(name)s stopped before proving its lottery the fairest: the smallest chance is "
        "%(smallest)s.",
        name=name,
        smallest=smallest,
    )


@dataclass(frozen=True)
class PanelQuotaRow:
    feature: str
    value: str
    selected: int
    min: int
    max: int
    pool_share: float
    target_share: float | None

    @property
    def met(self) -> bool:
        return self.min <= self.selected <= self.max


def compute_draw(
    instance: Instance,
    algorithm: str = "leximin",
    *,
    lottery_size: int = DEFAULT_LOTTERY_SIZE,
    rng: np.random.Generator | None = None,
    progress: Callable | None = None,
    cancel: object | None = None,
    rounding_seconds: float = ROUNDING_SECONDS,
    max_rounds: int | None = None,
    time_limit: float | None = None,
    distribution: Distribution | None = None,
) -> ComputedDraw:
    """The lottery for `instance` (no database: safe in a worker thread).

    `distribution`: a lottery already computed for exactly this instance and algorithm (the
    example's, computed ahead); the draw is then only rounded and bundled.

    `max_rounds` (the same answer every time on one installation) or `time_limit` (seconds) cap the LEXIMIN and
    MAXIMIN search, which on a large pool with many distinct feature combinations can run for
    many minutes: the lottery is still over panels that meet every quota, only not proven the
    fairest (`stopped_early`)."""
    if algorithm not in ALGORITHMS:
        raise OrganiserError(
            _(
                "unknown algorithm %(algorithm)s; choose one of %(algorithms)s.",
                algorithm=repr(algorithm),
                algorithms=", ".join(ALGORITHMS),
            ),
            title=_("Algorithm"),
        )
    if time_limit is not None and not time_limit > 0:
        raise OrganiserError(
            _(
                "the time limit must be a positive number of seconds, not %(limit)s.",
                limit=repr(time_limit),
            ),
            title=_("Time limit"),
        )
    start = time.perf_counter()
    try:
        drawn = public_draw(
            instance,
            algorithm,
            lottery_size=lottery_size,
            rng=rng,
            progress=progress,
            cancel=cancel,
            max_rounds=max_rounds,
            time_limit=time_limit,
            rounding_seconds=rounding_seconds,
            distribution=distribution,
        )
    except Infeasible as error:
        try:
            why = explained(explain_infeasible(instance))
        except Infeasible as deeper:
            why = explained(deeper)
        raise OrganiserError(
            _(
                "No panel meets the quotas, so there is nothing to draw.\n%(why)s",
                why=why or error,
            ),
            title=_("Quotas cannot be met"),
        ) from None
    stats = drawn.distribution.stats
    return ComputedDraw(
        instance=instance,
        algorithm=algorithm,
        probabilities=np.asarray(drawn.distribution.probabilities, dtype=float),
        lottery=drawn.lottery,
        bundle=drawn.bundle,
        seconds=time.perf_counter() - start,
        stopped_early=stats.stopped_early,
        upper_bound=stats.upper_bound,
        time_limit=time_limit,
    )


def source_inputs(db: Database) -> tuple[dict, dict]:
    """The bundle's `inputs` and `read_options`: the original files, by name and SHA-256, and
    how the people file was read, so `python -m sortition verify --people P --quotas Q` checks
    the app's bundle against them (docs/audit.md section 4).

    A file is named only while the file's content is what the draw used: the pool is the one
    the latest import wrote (an import with replace swaps the whole pool, and `pool_imports`
    keeps a row for each), and the quotas are still exactly those of the quotas file last loaded.
    """
    from assembly.organiser.quotas import quotas_source

    inputs: dict = {}
    read_options: dict = {}
    latest = db.execute(
        "select file_name, file_sha256, rows, mapping from pool_imports order by id desc limit 1"
    ).fetchone()
    respondents = db.execute("select count(*) from respondents").fetchone()[0]
    if latest is not None and latest[2] == respondents:
        name, sha256, _rows, mapping = latest
        roles = json.loads(mapping)
        inputs["people"] = {"name": name, "sha256": sha256}
        read_options["id_column"] = next(c for c, r in roles.items() if r == "id")
        household = [c for c, r in roles.items() if r == "household"]
        address = household or [c for c, r in roles.items() if r in ("address", "postcode")]
        read_options["address_columns"] = address
    source = quotas_source(db)
    if source is not None:
        inputs["quotas"] = {"name": source["name"], "sha256": source["sha256"]}
    return inputs, read_options


def with_sources(db: Database, bundle: dict) -> dict:
    """The bundle naming its source files (see `source_inputs`), its commitment recomputed:
    the commitment covers the inputs, so it is made once they are in."""
    inputs, read_options = source_inputs(db)
    named = {**bundle, "inputs": inputs, "read_options": read_options}
    named["commitment"] = commitment_of(named)
    return named


def refuse_new_draw_once_drawn(db: Database) -> None:
    """Refuse a new draw when a panel has been drawn: its lottery could never be seeded (a
    panel is drawn once), so it would wait for a public seed for good (issue 25 item 4)."""
    seeded = db.execute(
        "select id, seed from draws where seed is not null order by id limit 1"
    ).fetchone()
    panel_members = db.execute(
        "select count(*) from members where status in ('selected', 'invited', 'confirmed')"
    ).fetchone()[0]
    if seeded:
        raise OrganiserError(
            _(
                "a panel of %(members)s members has been drawn already (draw %(draw)s was drawn "
                "with seed %(seed)s), so a new draw could never be used: a panel is drawn once, "
                "in public. For drop-outs, use the reserves (assembly draw reserves) or replace "
                "withdrawn members (assembly members replace).",
                members=panel_members,
                draw=seeded[0],
                seed=repr(seeded[1]),
            ),
            title=_("Panel exists"),
        )
    if panel_members:
        raise OrganiserError(
            _(
                "a panel of %(members)s members has been drawn already (members exist), so a new "
                "draw could never be used: a panel is drawn once, in public. For drop-outs, use "
                "the reserves (assembly draw reserves) or replace withdrawn members (assembly "
                "members replace).",
                members=panel_members,
            ),
            title=_("Panel exists"),
        )


def record_draw(db: Database, computed: ComputedDraw, clock: Clock) -> int:
    """Store a computed draw with its snapshot; returns its id."""
    instance = computed.instance
    bundle = with_sources(db, computed.bundle)
    ids = instance.pool.ids
    with write_transaction(db):
        refuse_new_draw_once_drawn(db)
        row = db["draws"].insert(
            {
                "created_at": to_iso(clock.now()),
                "algorithm": computed.algorithm,
                "panel_size": instance.panel_size,
                "pool_snapshot": json.dumps(bundle["pool"], ensure_ascii=False),
                "quotas_snapshot": json.dumps(bundle["quotas"], ensure_ascii=False),
                "snapshot_sha256": instance_digest(instance),
                "probabilities": json.dumps(
                    {ids[i]: round(float(p), 12) for i, p in enumerate(computed.probabilities)}
                ),
                "min_probability": float(np.min(computed.probabilities)),
                "lottery_size": computed.lottery.size,
                "largest_change": float(computed.lottery.largest_change),
                "commitment": bundle["commitment"],
                "bundle": json.dumps(bundle, ensure_ascii=False),
                "seconds": round(computed.seconds, 3),
                "stopped_early": int(computed.stopped_early),
                "upper_bound": computed.upper_bound,
                "time_limit": computed.time_limit,
            }
        )
        draw_id = int(row.last_pk)
        stored = _row(db, draw_id)
        draws_record.append(
            db, draw_id, "computed", draws_record.computed_facts(stored), at=stored["created_at"]
        )
    return draw_id


def run_draw(
    db: Database,
    clock: Clock,
    algorithm: str = "leximin",
    *,
    lottery_size: int = DEFAULT_LOTTERY_SIZE,
    rng: np.random.Generator | None = None,
    progress: Callable | None = None,
    cancel: object | None = None,
    rounding_seconds: float = ROUNDING_SECONDS,
    time_limit: float | None = None,
) -> int:
    """Compute and record a draw over the file's current pool and quotas (command line path)."""
    refuse_new_draw_once_drawn(db)
    instance = build_instance(db)
    computed = compute_draw(
        instance,
        algorithm,
        lottery_size=lottery_size,
        rng=rng,
        progress=progress,
        cancel=cancel,
        rounding_seconds=rounding_seconds,
        time_limit=time_limit,
    )
    return record_draw(db, computed, clock)


def _row(db: Database, draw_id: int) -> dict:
    rows = list(db.query("select * from draws where id = ?", [draw_id]))
    if not rows:
        known = [str(r[0]) for r in db.execute("select id from draws order by id")]
        raise OrganiserError(
            _(
                "there is no draw %(draw)s; the draws are %(draws)s.",
                draw=draw_id,
                draws=", ".join(known),
            )
            if known
            else _("there is no draw %(draw)s; no draw has been run.", draw=draw_id),
            title=_("No such draw"),
        )
    return rows[0]


def recorded_draw(db: Database, draw_id: int) -> draws_record.RecordedDraw:
    """The draw as the draw record holds it (its chain checked first), never its table row."""
    _row(db, draw_id)
    record = draws_record.read_record(db)
    found = record.draws.get(draw_id)
    if found is None:
        problem = "" if record.chain.ok else f" {record.chain.describe()}"
        raise OrganiserError(
            _(
                "draw %(draw)s is not in the draw record, so what the file says about it cannot "
                "be trusted.%(problem)s Run 'assembly verify' on the file to see what changed.",
                draw=draw_id,
                problem=problem,
            ),
            title=_("Draw not in the record"),
        )
    return found


def witnesses(db: Database, draw_id: int) -> tuple[Witness, ...]:
    return tuple(w for _seq, w in recorded_draw(db, draw_id).witnesses)


def summary_of(recorded: draws_record.RecordedDraw) -> DrawSummary:
    """A draw's summary from its record entries."""
    facts, drawn = recorded.facts, recorded.drawn or {}
    return DrawSummary(
        id=recorded.id,
        created_at=recorded.created_at,
        algorithm=facts["algorithm"],
        panel_size=facts["panel_size"],
        pool_size=facts["pool_size"],
        min_probability=facts["min_probability"],
        lottery_size=facts["lottery_size"],
        largest_change=facts["largest_change"],
        commitment=facts["commitment"],
        seconds=facts["seconds"],
        seed=drawn.get("seed"),
        seed_sha256=drawn.get("seed_sha256"),
        panel_index=drawn.get("panel_index"),
        panel=tuple(drawn.get("panel", ())),
        drawn_at=recorded.drawn_at,
        witnesses=tuple(w for _seq, w in recorded.witnesses),
        stopped_early=bool(facts["stopped_early"]),
        upper_bound=facts["upper_bound"],
        time_limit=facts["time_limit"],
    )


def draw_summary(db: Database, draw_id: int) -> DrawSummary:
    """What the draw record says about draw `draw_id` (see `recorded_draw`)."""
    return summary_of(recorded_draw(db, draw_id))


def list_draws(db: Database) -> list[DrawSummary]:
    return [draw_summary(db, r[0]) for r in db.execute("select id from draws order by id")]


def latest_draw_id(db: Database) -> int | None:
    row = db.execute("select max(id) from draws").fetchone()
    return row[0]


def probabilities(db: Database, draw_id: int) -> dict[str, float]:
    """Each respondent's chance of selection in the draw, by ref."""
    return json.loads(_row(db, draw_id)["probabilities"])


def draw_instance(db: Database, draw_id: int) -> Instance:
    """The pool and quotas exactly as the draw used them (from its snapshot, not today's pool).

    The stored bundle is used only while it still hashes to the commitment the draw record
    holds: a pool, quota or panel edited in the file is refused, not drawn from.
    """
    stored = json.loads(_row(db, draw_id)["bundle"])
    recorded = recorded_draw(db, draw_id).facts["commitment"]
    if commitment_of(stored) != recorded:
        raise OrganiserError(
            _(
                "draw %(draw)s's stored pool, quotas or lottery no longer hash to the commitment "
                "in the draw record: they were changed outside the app. Run 'assembly verify' on "
                "the file to see what changed.",
                draw=draw_id,
            ),
            title=_("Draw changed"),
        )
    return instance_from_bundle(stored)


@atomic
def add_witness(db: Database, draw_id: int, name: str, role: str, clock: Clock) -> None:
    """Record someone who watched the public draw (an observer, not a respondent)."""
    _row(db, draw_id)
    name = " ".join(name.split())
    if not name:
        raise OrganiserError(_("a witness needs a name."), title=_("Witness"))
    witness = {"name": name, "role": " ".join(role.split()), "recorded_at": to_iso(clock.now())}
    with write_transaction(db):
        db["draw_witnesses"].insert({"draw_id": draw_id, **witness})
        draws_record.append(db, draw_id, "witness", witness, at=witness["recorded_at"])


def enter_seed(db: Database, draw_id: int, seed: str, clock: Clock) -> DrawSummary:
    """The public draw: the seed picks the panel, whose people become members 1..k.

    The checks and the writes share one BEGIN IMMEDIATE transaction: of two people entering a
    seed at the same moment, one draws and the other is told the draw was already made.
    """
    if not seed:
        raise OrganiserError(
            _("the public seed is empty; type it exactly as read out."), title=_("Seed")
        )
    with write_transaction(db):
        row = _row(db, draw_id)
        drawn = recorded_draw(db, draw_id).drawn  # the record, should the table be edited
        if row["seed"] is not None or drawn is not None:
            seed, index = (drawn["seed"], drawn["panel_index"]) if drawn else (row["seed"], None)
            raise OrganiserError(
                _(
                    "draw %(draw)s was already drawn with seed %(seed)s (panel %(panel)s); a "
                    "draw is never repeated.",
                    draw=draw_id,
                    seed=repr(seed),
                    panel=row["panel_index"] if index is None else index,
                ),
                title=_("Already drawn"),
            )
        instance = build_instance(db)
        if instance_digest(instance) != row["snapshot_sha256"]:
            raise OrganiserError(
                _(
                    "the pool or quotas changed since draw %(draw)s was computed, so its lottery "
                    "no longer matches them. Run a new draw.",
                    draw=draw_id,
                ),
                title=_("Draw is out of date"),
            )
        seeded = db.execute(
            "select id, seed from draws where seed is not null order by id limit 1"
        ).fetchone()
        panel_members = db.execute(
            "select count(*) from members where status in ('selected', 'invited', 'confirmed')"
        ).fetchone()[0]
        if panel_members:
            raise OrganiserError(
                _(
                    "a panel of %(members)s members has been drawn already (draw %(draw)s was "
                    "already drawn with seed %(seed)s).",
                    members=panel_members,
                    draw=seeded[0],
                    seed=repr(seeded[1]),
                )
                if seeded
                else _(
                    "a panel of %(members)s members has been drawn already.",
                    members=panel_members,
                ),
                title=_("Panel exists"),
            )
        bundle = add_draw(json.loads(row["bundle"]), seed)
        chosen = bundle["draw"]["panel"]
        ref_to_id = {r[0]: r[1] for r in db.execute("select ref, id from respondents")}
        now = to_iso(clock.now())
        db["draws"].update(
            draw_id,
            {
                "seed": seed,
                "seed_sha256": bundle["draw"]["seed_sha256"],
                "panel_index": bundle["draw"]["index"],
                "panel": json.dumps(chosen, ensure_ascii=False),
                "drawn_at": now,
                "bundle": json.dumps(bundle, ensure_ascii=False),
            },
        )
        start = db.execute("select coalesce(max(number), 0) from members").fetchone()[0]
        seated = [[start + offset, ref] for offset, ref in enumerate(chosen, start=1)]
        draws_record.append(
            db, draw_id, "drawn", draws_record.drawn_facts(_row(db, draw_id), seated), at=now
        )
        for offset, ref in enumerate(chosen, start=1):
            member = db["members"].insert(
                {
                    "respondent_id": ref_to_id[ref],
                    "number": start + offset,
                    "status": "selected",
                    "draw_id": draw_id,
                    "status_changed_at": now,
                }
            )
            db["member_events"].insert(
                {
                    "member_id": member.last_pk,
                    "status": "selected",
                    "note": written_note(DRAWN_NOTE, draw=draw_id, panel=bundle["draw"]["index"]),
                    "at": now,
                }
            )
    return draw_summary(db, draw_id)


def bundle(db: Database, draw_id: int) -> dict:
    return json.loads(_row(db, draw_id)["bundle"])


def export_bundle(db: Database, draw_id: int, path: str | Path) -> Path:
    """Write the draw's audit bundle (no names, contacts or addresses) as JSON."""
    path = Path(path)
    try:
        write_bundle(path, bundle(db, draw_id))
    except OSError as error:
        raise OrganiserError(
            _(
                "%(path)s: cannot be written (%(error)s).",
                path=path,
                error=error.strerror or error,
            ),
            title=_("Export"),
        ) from None
    return path


def panel_quota_table(db: Database, draw_id: int) -> list[PanelQuotaRow]:
    """For the drawn panel: selected per value against the draw's quotas, pool and target shares."""
    instance = draw_instance(db, draw_id)
    pool = instance.pool
    panel_refs = list((recorded_draw(db, draw_id).drawn or {}).get("panel", ()))
    index = {ref: i for i, ref in enumerate(pool.ids)}
    panel = [index[r] for r in panel_refs]
    membership = instance.membership()
    targets = {
        (normalise(r[0]), normalise(r[1])): r[2]
        for r in db.execute("select feature, value, target_share from feature_values")
    }
    out = []
    for q, quota in enumerate(instance.quotas):
        out.append(
            PanelQuotaRow(
                quota.feature,
                quota.value,
                int(membership[q, panel].sum()) if panel else 0,
                quota.min,
                quota.max,
                float(membership[q].mean()) if pool.size else 0.0,
                targets.get((normalise(quota.feature), normalise(quota.value))),
            )
        )
    return out


def histogram(values: list[float], bins: int = 20) -> list[tuple[float, float, int]]:
    """(low, high, count) bins of selection probabilities for a text or terminal plot."""
    if not values:
        return []
    counts, edges = np.histogram(np.asarray(values), bins=bins, range=(0.0, max(values) or 1.0))
    return [(float(edges[i]), float(edges[i + 1]), int(c)) for i, c in enumerate(counts)]
