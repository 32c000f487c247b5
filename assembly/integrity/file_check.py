"""`assembly verify`: everything in an assembly file that can be checked, in one pass.

- the feedback log: its hash chain and, replayed, every item's summary (`verify_log`, deep);
- the draw record: its hash chain, and that its entries agree with one another;
- published checkpoints, where given: each is a prefix of today's log and draw record;
- each draw against the record and its commitment, re-derived from the stored pool, lottery
  and seed; the witnesses, the members and each respondent's features against the record
  (`draw_checks`).

What no check of the file alone can catch: someone who rewrites the log or the draw record
after its last checkpoint published outside the file, recomputing every hash (docs/integrity.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from assembly.core.hashchain import ChainCheck
from assembly.core.i18n import _
from assembly.feedback import checkpoints as cps
from assembly.feedback.verify import verify_log
from assembly.integrity import draw_checks
from assembly.integrity.findings import Finding
from assembly.organiser.draws_record import TABLE as RECORD_TABLE
from assembly.organiser.draws_record import read_record

_TABLES = (
    "feedback_entries",
    "feedback_items",
    RECORD_TABLE,
    "draws",
    "draw_witnesses",
    "members",
    "respondents",
)


@dataclass(frozen=True)
class FileCheck:
    """What `verify_file` found: the two chains, the findings, and each checkpoint's verdict."""

    log: ChainCheck
    record: ChainCheck
    findings: tuple[Finding, ...]
    checkpoints: tuple[cps.CheckpointVerdict, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)  # rows compared, per table

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        """One line for a screen: all good, or how many findings and the first."""
        if self.ok:
            return _(
                "%(log)s %(record)s Draws, witnesses and members match it.",
                log=self.log.describe(),
                record=self.record.describe()[2:],
            )
        first = self.findings[0].line()
        more = len(self.findings) - 1
        if not more:
            return first
        return _("%(first)s (and %(more)s more: run 'assembly verify')", first=first, more=more)


def verify_file(
    db: Database,
    checkpoints: list[cps.Checkpoint] | None = None,
    key_ids: set[str] | None = None,
) -> FileCheck:
    """Check everything in the file; see the module's docstring for what."""
    missing = [t for t in _TABLES if not db[t].exists()]
    if missing:  # dropped outright: nothing to compare with
        gone = ChainCheck(False, 0, None, _("a table of the file is missing."))
        findings = tuple(Finding(t, "", _("the table is missing (dropped?).")) for t in missing)
        return FileCheck(gone, gone, findings)
    findings: list[Finding] = []
    log = verify_log(db, deep=True)
    if not log.ok:
        findings.append(Finding("feedback_entries", f"seq {log.first_bad_seq}", log.problem))
    record = read_record(db)
    if not record.chain.ok:
        findings.append(
            Finding(RECORD_TABLE, f"seq {record.chain.first_bad_seq}", record.chain.problem)
        )
    for problem in record.problems:
        row, _colon, text = problem.partition(": ")
        findings.append(Finding(RECORD_TABLE, row, text))
    verdicts: list[cps.CheckpointVerdict] = []
    if checkpoints is not None and log.ok and record.chain.ok:
        verdicts = cps.check_checkpoints(db, log, checkpoints, key_ids, record.chain)
        findings.extend(
            Finding(v.table, "" if v.seq is None else f"seq {v.seq}", v.message)
            for v in verdicts
            if not v.ok
        )
    drawn, bundles = draw_checks.check_draws(db, record)
    findings.extend(drawn)
    findings.extend(draw_checks.check_witnesses(db, record))
    findings.extend(draw_checks.check_members(db, record))
    findings.extend(draw_checks.check_respondents(db, bundles))
    counts = {
        table: db.execute(f"select count(*) from {table}").fetchone()[0]
        for table in ("draws", "draw_witnesses", "members", "respondents")
    }
    return FileCheck(log, record.chain, tuple(findings), tuple(verdicts), counts)
