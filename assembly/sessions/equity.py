"""Who is being heard: each group's share of speaking time against its share of the members present.

The groups are those of every category the panel was drawn on (gender, age band, ethnicity, ...).
A group heard at less than half its share of the room is flagged. Special-category features
(features.sensitive = 1) appear here only as group totals: nothing in this module pairs a
person's name with them. Their totals also move only in steps of `SENSITIVE_BATCH` finished
turns: a bar that grew while one person spoke would tell everyone watching the screen that
person's ethnicity or disability.

The figures are computed here from speaking times given to it; `speakers.session_equity` reads
them from the file (the queue uses the same figures, so this module imports no speaker code).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assembly.core.i18n import N_, _
from assembly.organiser.overview import Feature

FLAG_BELOW = 0.5  # flagged when speaking share < FLAG_BELOW x presence share
SENSITIVE_BATCH = 5  # special-category totals change only after every 5th finished turn
NOT_RECORDED = N_("Not recorded")  # the group of members with no value: compared in English
# A share after one short turn says nothing: the panel warns only once this much was heard
MIN_EVIDENCE_SECONDS = 300
MIN_EVIDENCE_SPEAKERS = 3


@dataclass(frozen=True)
class GroupShare:
    feature: str
    value: str
    present: int
    presence_share: float
    seconds: float
    speaking_share: float
    flagged: bool

    @property
    def ratio(self) -> float | None:
        """Speaking share over presence share (1.0 = heard exactly in proportion)."""
        return self.speaking_share / self.presence_share if self.presence_share else None

    @property
    def shown_value(self) -> str:
        """The group as the screens show it: its value from the file, as written, or "Not
        recorded" in the working language."""
        return _(NOT_RECORDED) if self.value == NOT_RECORDED else self.value

    @property
    def verdict(self) -> str:
        """The group's state in words (the working language's), so nothing rests on colour."""
        if self.flagged:
            return _("⚠ heard less than half their share")
        if self.ratio is None or (self.seconds == 0 and self.presence_share == 0):
            return ""
        if self.ratio < 0.8:
            return _("heard less than their share")
        if self.ratio > 1.25:
            return _("heard more than their share")
        return _("about their share")


@dataclass(frozen=True)
class CategoryEquity:
    feature: str
    label: str
    sensitive: bool
    groups: tuple[GroupShare, ...]

    @property
    def flagged(self) -> tuple[GroupShare, ...]:
        return tuple(g for g in self.groups if g.flagged)


@dataclass(frozen=True)
class EquityReport:
    present: int
    total_seconds: float
    categories: tuple[CategoryEquity, ...]
    speakers: int = 0

    @property
    def enough_evidence(self) -> bool:
        """Whether enough was heard, from enough people, for a warning to mean something."""
        return self.total_seconds >= MIN_EVIDENCE_SECONDS and self.speakers >= MIN_EVIDENCE_SPEAKERS

    def flagged_groups(self) -> set[tuple[str, str]]:
        return {(g.feature, g.value) for c in self.categories for g in c.flagged}


def compute_equity(
    categories: Sequence[Feature],
    member_features: Mapping[int, Mapping[str, str]],
    present: set[int],
    seconds: Mapping[int, float],
    sensitive_seconds: Mapping[int, float] | None = None,
) -> EquityReport:
    """Shares per group from who is present and how long each member spoke.

    Anyone who spoke counts as present. A group is flagged only once someone has spoken.
    Special-category features use `sensitive_seconds` when given (the batched totals).
    """
    room = set(present) | {m for m, s in seconds.items() if s > 0}
    room &= set(member_features)
    out = []
    for feature in categories:
        use = seconds
        if feature.sensitive and sensitive_seconds is not None:
            use = sensitive_seconds
        total = sum(use.get(m, 0.0) for m in room)
        values = list(feature.values)
        for m in sorted(room):
            value = member_features[m].get(feature.name) or NOT_RECORDED
            if value not in values:
                values.append(value)
        groups = []
        for value in values:
            people = [
                m for m in room if (member_features[m].get(feature.name) or NOT_RECORDED) == value
            ]
            if value == NOT_RECORDED and not people:
                continue
            share = len(people) / len(room) if room else 0.0
            spoken = sum(use.get(m, 0.0) for m in people)
            speaking_share = spoken / total if total else 0.0
            groups.append(
                GroupShare(
                    feature=feature.name,
                    value=value,
                    present=len(people),
                    presence_share=share,
                    seconds=spoken,
                    speaking_share=speaking_share,
                    flagged=total > 0 and share > 0 and speaking_share < FLAG_BELOW * share,
                )
            )
        out.append(CategoryEquity(feature.name, feature.label, feature.sensitive, tuple(groups)))
    total = sum(seconds.get(m, 0.0) for m in room)
    speakers = sum(1 for m in room if seconds.get(m, 0.0) > 0)
    return EquityReport(
        present=len(room), total_seconds=total, categories=tuple(out), speakers=speakers
    )
