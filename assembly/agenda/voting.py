"""Counting prioritisation votes: dot and approval tallies, Borda, Schulze and pairwise
"Which matters more?" votes, with ties broken by a rule declared before anyone voted.

Pure functions over plain data: options are any hashable ids (topic ids in the app), given in
the order they were proposed, because the "earliest" tie rule and every table follow that order.
Every result keeps its full counts, so a published ranking can be checked by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assembly.core.i18n import N_, Number, Text, Translator, _, ngettext, working

METHODS: dict[str, str] = {
    "dot": N_("Dot voting: each person spreads a fixed number of dots over the topics"),
    "approval": N_("Approval: each person ticks every topic they support"),
    "borda": N_("Ranked ballots counted by Borda: last place 0 points, each place higher 1 more"),
    "schulze": N_("Ranked ballots counted by Schulze: head-to-head contests, strongest paths"),
    "pairwise": N_(
        "Which matters more? Two topics at a time (All Our Ideas score, Bradley–Terry fit)"
    ),
}

TIE_RULES: dict[str, str] = {
    "earliest": N_("a tie goes to the topic proposed first"),
    "lot": N_("a tie is settled by lot, drawn from a number fixed when the vote opened"),
}

RANKED_METHODS = ("borda", "schulze")
TALLY_METHODS = ("dot", "approval")


class BallotError(ValueError):
    """A ballot or tally that cannot be counted; the message says which and why."""


# The names of a result's full counts: kept in the record as English (`result_record`), shown in
# the reader's language (`count_name`).
TYPED_IN = N_("typed in")
FROM_PAPERS = N_("from paper tallies")
SHARE = N_("share of ballots")
POINTS = N_("points")
NOT_RANKED = N_("not ranked")
BEATS_PATHS = N_("beats (strongest paths)")
HEAD_TO_HEAD = N_("wins head-to-head")
WINS = N_("wins")
LOSSES = N_("losses")
# A score with its measure, as the terminal and the room show it ('3 dots').
SCORED = {
    "dots": N_("%(score)s dots"),
    "ticks": N_("%(score)s ticks"),
    "points": N_("%(score)s points"),
    "beats": N_("%(score)s beats"),
}
# The places of ranked ballots, named in the record as '1st', '2nd', ...
_ORDINAL = re.compile(r"([0-9]+)(st|nd|rd|th)")
_PLACES = {
    "st": N_("%(n)sst"),
    "nd": N_("%(n)snd"),
    "rd": N_("%(n)srd"),
    "th": N_("%(n)sth"),
}


def count_name(key: str, tr: Translator | None = None) -> str:
    """The name of one of a result's counts (a key of `Standing.counts`) in `tr`'s language
    (the working language by default)."""
    tr = tr or working()
    place = _ORDINAL.fullmatch(key)
    if place:
        return tr.gettext(_PLACES[place.group(2)], n=int(place.group(1)))
    return tr.gettext(key)


def score_text(score: float, label: str, tr: Translator | None = None) -> str:
    """A score with its measure ('3 dots') in `tr`'s language (the working one by default)."""
    tr = tr or working()
    shown = f"{score:g}"
    if label in SCORED:
        return tr.gettext(SCORED[label], score=shown)
    return f"{shown} {tr.gettext(label)}"


def ballot_label(n: int) -> str:
    """'Ballot 3', where a message names a ballot by its place."""
    return _("Ballot %(n)s", n=n)


def tally_label(n: int) -> str:
    """'Paper tally 2', where a message names a typed-in paper tally."""
    return _("Paper tally %(n)s", n=n)


@dataclass(frozen=True)
class Standing:
    """One option's place: `rank` after the tie rule, `shared_rank` before it (equal scores
    share a rank), and the method's full counts for this option."""

    option: Hashable
    rank: int
    shared_rank: int
    score: float
    counts: Mapping[str, float]


def rank_label(standing: Standing, standings: Sequence[Standing]) -> str:
    """The place as people read it: '4', or '4= (3 tied)' when equal scores share 4th place.
    The '=' says joint and the count says how many share it, so the number cannot be read as
    dots or as 'tied with rank 3'; the declared tie rule's order is the order of the rows."""
    tied = sum(1 for s in standings if s.shared_rank == standing.shared_rank)
    if tied > 1:
        return _("%(rank)s= (%(tied)s tied)", rank=standing.shared_rank, tied=tied)
    return str(standing.rank)


@dataclass(frozen=True)
class TieBreak:
    """Options that scored the same, and the order the declared rule put them in."""

    options: tuple[Hashable, ...]
    score: float
    rule: str


@dataclass(frozen=True)
class Result:
    method: str
    tie_rule: str
    ballots: int
    standings: tuple[Standing, ...]  # best first
    ties: tuple[TieBreak, ...]
    score_label: str
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def order(self) -> tuple[Hashable, ...]:
        return tuple(s.option for s in self.standings)

    def standing(self, option: Hashable) -> Standing:
        for s in self.standings:
            if s.option == option:
                return s
        raise KeyError(option)


# --- tie rules -------------------------------------------------------------------------------


def tie_keys(
    options: Sequence[Hashable], rule: str, seed: int | None = None
) -> dict[Hashable, int]:
    """A key per option that orders tied options under `rule` (lower goes higher).

    "earliest": proposal order. "lot": a permutation drawn from `seed`, fixed for all options at
    once, so the same seed always gives the same draw and anyone can repeat it."""
    if rule == "earliest":
        return {o: i for i, o in enumerate(options)}
    if rule == "lot":
        if seed is None:
            raise BallotError(_("The 'lot' tie rule needs the number drawn when the vote opened."))
        draw = np.random.default_rng(seed).permutation(len(options))
        return {o: int(k) for o, k in zip(options, draw, strict=True)}
    raise BallotError(
        _(
            "Unknown tie rule %(rule)s; choose one of: %(rules)s.",
            rule=repr(rule),
            rules=", ".join(TIE_RULES),
        )
    )


def rank_by_score(
    method: str,
    options: Sequence[Hashable],
    scores: Mapping[Hashable, float],
    counts: Mapping[Hashable, Mapping[str, float]],
    *,
    tie_rule: str,
    seed: int | None,
    ballots: int,
    score_label: str,
    extra: Mapping[str, Any] | None = None,
) -> Result:
    """Order options by score (higher first), breaking equal scores by the declared rule."""
    keys = tie_keys(options, tie_rule, seed)
    ordered = sorted(options, key=lambda o: (-scores[o], keys[o]))
    standings = []
    ties = []
    shared = 0
    for i, option in enumerate(ordered):
        if i == 0 or scores[option] != scores[ordered[i - 1]]:
            shared = i + 1
            group = tuple(o for o in ordered if scores[o] == scores[option])
            if len(group) > 1:
                ties.append(TieBreak(group, float(scores[option]), TIE_RULES[tie_rule]))
        standings.append(
            Standing(option, i + 1, shared, float(scores[option]), dict(counts[option]))
        )
    return Result(
        method, tie_rule, ballots, tuple(standings), tuple(ties), score_label, dict(extra or {})
    )


# --- checking input --------------------------------------------------------------------------


def _check_options(options: Sequence[Hashable]) -> None:
    if len(set(options)) != len(options):
        raise BallotError(_("The same topic is listed twice among the options."))
    if not options:
        raise BallotError(_("There are no topics to vote on."))


def _check_marks(options: Sequence[Hashable], marks: Mapping[Hashable, int], where: str) -> None:
    known = set(options)
    for option, value in marks.items():
        if option not in known:
            raise BallotError(
                _(
                    "%(where)s: topic %(option)s is not in this vote.",
                    where=where,
                    option=repr(option),
                )
            )
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise BallotError(
                _(
                    "%(where)s: the count for topic %(option)s must be a whole number.",
                    where=where,
                    option=repr(option),
                )
            )
        if value < 0:
            raise BallotError(
                _(
                    "%(where)s: topic %(option)s has %(value)s; a count cannot be negative.",
                    where=where,
                    option=repr(option),
                    value=value,
                )
            )


def check_ranking(options: Sequence[Hashable], ranking: Sequence[Hashable], where: str) -> None:
    """A ranked ballot lists known topics, each at most once (it may stop before the end)."""
    known = set(options)
    seen = set()
    for place, option in enumerate(ranking, start=1):
        if option not in known:
            raise BallotError(
                _(
                    "%(where)s, place %(place)s: topic %(option)s is not in this vote.",
                    where=where,
                    place=place,
                    option=repr(option),
                )
            )
        if option in seen:
            raise BallotError(
                _(
                    "%(where)s, place %(place)s: topic %(option)s is ranked twice.",
                    where=where,
                    place=place,
                    option=repr(option),
                )
            )
        seen.add(option)
    if not ranking:
        raise BallotError(_("%(where)s: the ballot ranks no topics.", where=where))


# --- dot and approval ------------------------------------------------------------------------


def tally_result(
    method: str,
    options: Sequence[Hashable],
    ballots: Sequence[Mapping[Hashable, int]] = (),
    tallies: Sequence[tuple[Mapping[Hashable, int], int]] = (),
    *,
    tie_rule: str = "earliest",
    seed: int | None = None,
    dots_per_voter: int | None = None,
    ballot_names: Callable[[int], str] = ballot_label,
    tally_names: Callable[[int], str] = tally_label,
) -> Result:
    """Dot or approval totals from individual `ballots` ({option: dots}, approval marks are 1)
    plus typed-in paper `tallies` ((totals, number of papers)). Counts keep both sources apart.
    A refusal names the ballot or tally by its place (`ballot_names(n)`, `tally_names(n)`)."""
    if method not in TALLY_METHODS:
        raise BallotError(_("%(method)s is not a tally method.", method=repr(method)))
    _check_options(options)
    from_ballots = dict.fromkeys(options, 0)
    from_papers = dict.fromkeys(options, 0)
    voters = dict.fromkeys(options, 0)
    for n, ballot in enumerate(ballots, start=1):
        where = ballot_names(n)
        _check_marks(options, ballot, where)
        if method == "approval" and any(v > 1 for v in ballot.values()):
            raise BallotError(
                _("%(where)s: an approval ballot ticks a topic at most once.", where=where)
            )
        if dots_per_voter is not None and method == "dot":
            used = sum(ballot.values())
            if used > dots_per_voter:
                raise BallotError(
                    ngettext(
                        "%(where)s uses %(used)s but each person has %(num)s dot.",
                        "%(where)s uses %(used)s but each person has %(num)s dots.",
                        dots_per_voter,
                        where=where,
                        used=ngettext("%(num)s dot", "%(num)s dots", used, num=Number(used)),
                        num=Number(dots_per_voter),
                    )
                )
        for option, value in ballot.items():
            from_ballots[option] += int(value)
            voters[option] += 1 if value > 0 else 0
    papers = 0
    for n, (totals, count) in enumerate(tallies, start=1):
        where = tally_names(n)
        _check_marks(options, totals, where)
        if count < 0:
            raise BallotError(_("%(where)s: the number of papers cannot be negative.", where=where))
        papers += count
        for option, value in totals.items():
            if method == "approval" and value > count:
                raise BallotError(
                    _(
                        "%(where)s: topic %(option)s has %(value)s ticks from %(count)s papers.",
                        where=where,
                        option=repr(option),
                        value=value,
                        count=count,
                    )
                )
            from_papers[option] += int(value)
    scores = {o: from_ballots[o] + from_papers[o] for o in options}
    label = N_("dots") if method == "dot" else N_("ticks")
    counts = {
        o: {
            label: scores[o],
            TYPED_IN: from_ballots[o],
            FROM_PAPERS: from_papers[o],
        }
        for o in options
    }
    total_ballots = len(ballots) + papers
    if method == "approval":
        for o in options:
            counts[o][SHARE] = scores[o] / total_ballots if total_ballots else 0.0
    return rank_by_score(
        method,
        options,
        scores,
        counts,
        tie_rule=tie_rule,
        seed=seed,
        ballots=total_ballots,
        score_label=label,
    )


# --- ranked ballots --------------------------------------------------------------------------


def place_counts(
    options: Sequence[Hashable], rankings: Sequence[Sequence[Hashable]]
) -> dict[Hashable, list[int]]:
    """How many ballots put each option 1st, 2nd, ...; the last entry counts 'not ranked'."""
    n = len(options)
    out = {o: [0] * (n + 1) for o in options}
    for ranking in rankings:
        for place, option in enumerate(ranking):
            out[option][place] += 1
        for option in set(options) - set(ranking):
            out[option][n] += 1
    return out


def _place_counts_dict(places: list[int]) -> dict[str, float]:
    named = {_ordinal(i + 1): float(c) for i, c in enumerate(places[:-1])}
    named[NOT_RANKED] = float(places[-1])
    return named


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def borda_result(
    options: Sequence[Hashable],
    rankings: Sequence[Sequence[Hashable]],
    *,
    tie_rule: str = "earliest",
    seed: int | None = None,
) -> Result:
    """Borda count: with n topics, 1st place earns n-1 points, 2nd n-2, ... last 0.
    A ballot may stop early; topics it leaves out earn nothing from it."""
    _check_options(options)
    for n, ranking in enumerate(rankings, start=1):
        check_ranking(options, ranking, ballot_label(n))
    n = len(options)
    scores = dict.fromkeys(options, 0)
    for ranking in rankings:
        for place, option in enumerate(ranking):
            scores[option] += n - 1 - place
    places = place_counts(options, rankings)
    counts = {o: {POINTS: float(scores[o]), **_place_counts_dict(places[o])} for o in options}
    return rank_by_score(
        "borda",
        options,
        scores,
        counts,
        tie_rule=tie_rule,
        seed=seed,
        ballots=len(rankings),
        score_label=POINTS,
    )


def pairwise_preferences(
    options: Sequence[Hashable], rankings: Sequence[Sequence[Hashable]]
) -> np.ndarray:
    """d[i, j]: how many ballots rank option i above option j (ranked beats unranked)."""
    index = {o: i for i, o in enumerate(options)}
    n = len(options)
    d = np.zeros((n, n), dtype=np.int64)
    for ranking in rankings:
        placed = [index[o] for o in ranking]
        rest = [i for i in range(n) if i not in set(placed)]
        for a, i in enumerate(placed):
            for j in placed[a + 1 :]:
                d[i, j] += 1
            for j in rest:
                d[i, j] += 1
    return d


def strongest_paths(d: np.ndarray) -> np.ndarray:
    """Schulze's strongest path strengths (Floyd–Warshall on winning margins' winning votes)."""
    n = d.shape[0]
    p = np.where(d > d.T, d, 0)
    np.fill_diagonal(p, 0)
    for k in range(n):
        for i in range(n):
            if i == k:
                continue
            for j in range(n):
                if j in (i, k):
                    continue
                p[i, j] = max(p[i, j], min(p[i, k], p[k, j]))
    return p


def schulze_result(
    options: Sequence[Hashable],
    rankings: Sequence[Sequence[Hashable]],
    *,
    tie_rule: str = "earliest",
    seed: int | None = None,
) -> Result:
    """Schulze: X goes above Y when X's strongest path to Y beats Y's to X. The score is how many
    topics each beats that way; equal scores mean neither beats the other, so the tie rule
    decides (as it must in a Condorcet cycle)."""
    _check_options(options)
    for n, ranking in enumerate(rankings, start=1):
        check_ranking(options, ranking, ballot_label(n))
    d = pairwise_preferences(options, rankings)
    p = strongest_paths(d)
    beats = (p > p.T).sum(axis=1)
    scores = {o: int(beats[i]) for i, o in enumerate(options)}
    places = place_counts(options, rankings)
    head_to_head = (d > d.T).sum(axis=1)
    counts = {
        o: {
            BEATS_PATHS: float(beats[i]),
            HEAD_TO_HEAD: float(head_to_head[i]),
            **_place_counts_dict(places[o]),
        }
        for i, o in enumerate(options)
    }
    return rank_by_score(
        "schulze",
        options,
        scores,
        counts,
        tie_rule=tie_rule,
        seed=seed,
        ballots=len(rankings),
        score_label=N_("beats"),
        extra={"preferences": d.tolist(), "strongest_paths": p.tolist()},
    )


# --- pairwise: "Which matters more?" ---------------------------------------------------------


def pairwise_counts(
    options: Sequence[Hashable], choices: Sequence[tuple[Hashable, Hashable]]
) -> np.ndarray:
    """w[i, j]: how often option i was chosen over option j; `choices` are (winner, loser)."""
    index = {o: i for i, o in enumerate(options)}
    w = np.zeros((len(options), len(options)), dtype=np.int64)
    for n, (winner, loser) in enumerate(choices, start=1):
        for option in (winner, loser):
            if option not in index:
                raise BallotError(
                    _(
                        "Choice %(n)s: topic %(option)s is not in this vote.",
                        n=n,
                        option=repr(option),
                    )
                )
        if winner == loser:
            raise BallotError(_("Choice %(n)s: a topic cannot be compared with itself.", n=n))
        w[index[winner], index[loser]] += 1
    return w


def aoi_scores(w: np.ndarray) -> np.ndarray:
    """All Our Ideas score per option: (wins + 1) / (wins + losses + 2), i.e. its estimated chance
    of being chosen over a random other option, starting from an even 1/2 with no data."""
    wins = w.sum(axis=1)
    losses = w.sum(axis=0)
    return (wins + 1) / (wins + losses + 2)


@dataclass(frozen=True)
class BradleyTerryFit:
    strengths: np.ndarray  # sum to 1
    iterations: int
    converged: bool
    exists: bool  # False when some option never won or never lost within a connected set


def comparison_graph_connected(w: np.ndarray) -> bool:
    """Hunter's condition for the Bradley–Terry maximum-likelihood fit to exist: for every split of
    the options in two, someone in each part has beaten someone in the other (strong connection)."""
    n = w.shape[0]
    reach = (w > 0) | np.eye(n, dtype=bool)
    for k in range(n):
        reach = reach | (reach[:, [k]] & reach[[k], :])
    return bool(reach.all())


def bradley_terry(
    w: np.ndarray, *, prior: float = 0.0, tol: float = 1e-10, max_iter: int = 10_000
) -> BradleyTerryFit:
    """Fit P(i chosen over j) = s_i / (s_i + s_j) by Hunter's MM algorithm (2004):
    s_i <- W_i / sum_j n_ij / (s_i + s_j), normalised to sum 1.

    With `prior` > 0 every option also gets `prior` wins and `prior` losses against a fixed
    average opponent, so the fit exists even when a topic never won (as the AOI score's +1 does);
    with prior 0 it is the plain maximum-likelihood fit, which needs a connected comparison graph.
    """
    w = np.asarray(w, dtype=float)
    n = w.shape[0]
    games = w + w.T
    wins = w.sum(axis=1)
    exists = prior > 0 or comparison_graph_connected(w)
    s = np.full(n, 1.0 / n)
    if n == 0:
        return BradleyTerryFit(s, 0, True, True)
    converged = False
    iterations = 0
    while iterations < max_iter:
        iterations += 1
        pair = s[:, None] + s[None, :]
        denom = np.divide(games, pair, out=np.zeros_like(games), where=pair > 0).sum(axis=1)
        numer = wins.copy()
        if prior > 0:
            average = 1.0 / n  # the fixed opponent has the mean strength
            denom = denom + 2 * prior / (s + average)
            numer = numer + prior
        new = np.divide(numer, denom, out=np.zeros(n), where=denom > 0)
        if prior == 0:
            total = new.sum()
            new = new / total if total > 0 else np.full(n, 1.0 / n)
        change = np.abs(new - s).max()
        s = new
        if change < tol:
            converged = True
            break
    s = s / s.sum()
    return BradleyTerryFit(s, iterations, converged, exists)


def win_chances(strengths: np.ndarray) -> np.ndarray:
    """Bradley–Terry chance of each option being chosen over a random other one (like AOI's)."""
    n = len(strengths)
    if n < 2:
        return np.full(n, 0.5)
    pair = strengths[:, None] / (strengths[:, None] + strengths[None, :])
    np.fill_diagonal(pair, 0.0)
    return pair.sum(axis=1) / (n - 1)


# Residents read these words; the methods behind them are named in extra["how_scored"].
PAIR_SCORE = N_("chance of winning a pair")
FIT_STRENGTH = N_("estimated strength")
FIT_CHANCE = N_("estimated chance of winning")


def pairwise_result(
    options: Sequence[Hashable],
    choices: Sequence[tuple[Hashable, Hashable]],
    *,
    skipped: int = 0,
    tie_rule: str = "earliest",
    seed: int | None = None,
) -> Result:
    """Rank by the All Our Ideas score, with a Bradley–Terry fit beside it. `skipped` counts
    "can't decide" answers, reported but not scored."""
    _check_options(options)
    w = pairwise_counts(options, choices)
    aoi = aoi_scores(w)
    fit = bradley_terry(w, prior=0.0)
    if not fit.exists:
        fit = bradley_terry(w, prior=1.0)
        bt_note = Text(
            N_("fitted with one even game against an average topic (some never won or lost)")
        )
    else:
        bt_note = Text(N_("maximum-likelihood fit"))
    chances = win_chances(fit.strengths)
    wins = w.sum(axis=1)
    losses = w.sum(axis=0)
    scores = {o: float(aoi[i]) for i, o in enumerate(options)}
    counts = {
        o: {
            WINS: float(wins[i]),
            LOSSES: float(losses[i]),
            PAIR_SCORE: float(aoi[i]),
            FIT_STRENGTH: float(fit.strengths[i]),
            FIT_CHANCE: float(chances[i]),
        }
        for i, o in enumerate(options)
    }
    return rank_by_score(
        "pairwise",
        options,
        scores,
        counts,
        tie_rule=tie_rule,
        seed=seed,
        ballots=len(choices),
        score_label=PAIR_SCORE,
        extra={
            # Kept in the record as English, shown in the reader's language.
            "how_scored": Text(
                N_(
                    "How scored: '%(score)s' is the All Our Ideas score; '%(strength)s' and "
                    "'%(chance)s' come from a Bradley–Terry fit (%(note)s)."
                ),
                {
                    "score": Text(PAIR_SCORE),
                    "strength": Text(FIT_STRENGTH),
                    "chance": Text(FIT_CHANCE),
                    "note": bt_note,
                },
            ),
            "wins_matrix": w.tolist(),
            "skipped": skipped,
            "bradley_terry": bt_note,
            "bradley_terry_iterations": fit.iterations,
        },
    )


def next_pair(
    options: Sequence[Hashable],
    choices: Sequence[tuple[Hashable, Hashable]],
    rng: np.random.Generator,
) -> tuple[Hashable, Hashable]:
    """The next two topics to ask about: a least-asked pair, chosen at random among those, so
    every pair gets asked about before any is asked twice."""
    if len(options) < 2:
        raise BallotError(_("Pairwise voting needs at least two topics."))
    w = pairwise_counts(options, choices)
    asked = w + w.T
    n = len(options)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    least = min(asked[i, j] for i, j in pairs)
    candidates = [(i, j) for i, j in pairs if asked[i, j] == least]
    i, j = candidates[int(rng.integers(len(candidates)))]
    if rng.random() < 0.5:
        i, j = j, i
    return options[i], options[j]


def count(
    method: str,
    options: Sequence[Hashable],
    *,
    ballots: Sequence[Any] = (),
    tallies: Sequence[tuple[Mapping[Hashable, int], int]] = (),
    skipped: int = 0,
    tie_rule: str = "earliest",
    seed: int | None = None,
    dots_per_voter: int | None = None,
) -> Result:
    """Count a vote by its declared method: tally ballots are {option: n}, ranked ballots are
    lists (best first), pairwise ballots are (chosen, other) pairs."""
    if method in TALLY_METHODS:
        return tally_result(
            method,
            options,
            ballots,
            tallies,
            tie_rule=tie_rule,
            seed=seed,
            dots_per_voter=dots_per_voter,
        )
    if tallies:
        raise BallotError(
            _("Paper tallies of totals cannot be used with %(method)s voting.", method=method)
        )
    if method == "borda":
        return borda_result(options, ballots, tie_rule=tie_rule, seed=seed)
    if method == "schulze":
        return schulze_result(options, ballots, tie_rule=tie_rule, seed=seed)
    if method == "pairwise":
        return pairwise_result(options, ballots, skipped=skipped, tie_rule=tie_rule, seed=seed)
    raise BallotError(
        _(
            "Unknown voting method %(method)s; choose one of: %(methods)s.",
            method=repr(method),
            methods=", ".join(METHODS),
        )
    )


def bar_lines(
    rows: Sequence[tuple[str, float, str]], *, width: int = 30, label_width: int = 28
) -> list[str]:
    """A terminal bar chart that reads without colour: label, a bar of blocks, the number written
    out. `rows` are (label, value, value as text); bars scale to the largest value."""
    top = max((v for _label, v, _shown in rows), default=0.0)
    out = []
    for label, value, shown in rows:
        cells = value / top * width if top > 0 else 0.0
        full = int(cells)
        bar = "█" * full + ("▌" if cells - full >= 0.5 else "")
        name = label if len(label) <= label_width else label[: label_width - 1] + "…"
        out.append(f"{name:<{label_width}} {bar:<{width + 1}} {shown}")
    return out
