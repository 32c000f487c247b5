"""A transparent lottery: the selection distribution rounded to M equally likely numbered panels.

A distribution with irrational-looking weights cannot be drawn in public. Following Flanigan,
Kehne and Procaccia ("Fair sortition made transparent", NeurIPS 2021) we replace it by a list
of M panels, each chosen with probability exactly 1/M, taken only from the distribution's own
panels (so every one of them meets the quotas). Panel j appears floor(M * w_j) or
ceil(M * w_j) times; which ones get the extra copy is decided by a small integer programme that
minimises the largest change in anyone's probability of selection.

The public draw then picks the panel numbered `choose_panel_index(seed_text, M)`: the SHA-256
digest of the seed text (UTF-8 bytes, exactly as typed), read as a big-endian integer, modulo M.
Panels are numbered from 0 to M - 1. docs/audit.md shows how to recompute this with `sha256sum`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from sortition.model import BadInput, Distribution

DEFAULT_LOTTERY_SIZE = 1000


@dataclass(frozen=True)
class Lottery:
    """M numbered panels (0..M-1), each drawn with probability 1/M.

    `probabilities[i]` is person i's chance of selection under the lottery (copies / M);
    `target_probabilities` are the distribution's; `largest_change` is the largest absolute
    difference between the two for any person. `optimal` says whether the rounding was proved
    to minimise that change (it is always a valid lottery either way).
    """

    panels: tuple[tuple[int, ...], ...]
    probabilities: np.ndarray
    target_probabilities: np.ndarray
    largest_change: float
    algorithm: str = ""
    optimal: bool = True

    @property
    def size(self) -> int:
        return len(self.panels)

    def copies(self) -> dict[tuple[int, ...], int]:
        """How many of the M numbers each distinct panel holds."""
        out: dict[tuple[int, ...], int] = {}
        for panel in self.panels:
            out[panel] = out.get(panel, 0) + 1
        return out


def seed_digest(seed_text: str) -> str:
    """Hex SHA-256 of the seed text's UTF-8 bytes: what `printf '%s' TEXT | sha256sum` prints."""
    return hashlib.sha256(seed_text.encode("utf-8")).hexdigest()


def choose_panel_index(seed_text: str, size: int) -> int:
    """The number (0..size-1) of the panel a public seed selects.

    SHA-256 of the seed text's UTF-8 bytes (no trailing newline, no trimming), read as a
    big-endian unsigned integer, modulo `size`. The bias of the modulo is below size / 2**256.
    """
    if size < 1:
        raise BadInput(f"lottery size must be at least 1, not {size}")
    if not seed_text:
        raise BadInput("the public seed is empty")
    return int(seed_digest(seed_text), 16) % size


def panel_probabilities(panels: tuple[tuple[int, ...], ...], n: int) -> np.ndarray:
    """Each person's share of the listed panels that include them (chance under a uniform pick)."""
    counts = np.zeros(n, dtype=float)
    for panel in panels:
        counts[list(panel)] += 1
    return counts / max(len(panels), 1)


def round_to_lottery(
    distribution: Distribution, size: int = DEFAULT_LOTTERY_SIZE, *, time_limit: float = 20.0
) -> Lottery:
    """Round `distribution` to a uniform lottery over `size` panels taken from it.

    Each panel keeps floor(size * weight) copies; the remaining copies go to panels with a
    fractional part, chosen by a MILP (HiGHS) that minimises max_i |new p_i - p_i|, where p_i
    are the distribution's stated probabilities. If the solver cannot prove optimality within
    `time_limit` seconds, the best rounding found is used and `optimal` is False.
    """
    if size < 1:
        raise BadInput(f"lottery size must be at least 1, not {size}")
    weights = np.asarray(distribution.weights, dtype=float)
    if len(weights) != len(distribution.panels) or len(weights) == 0:
        raise BadInput("the distribution has no panels, or not one weight per panel")
    if np.any(weights < -1e-9) or weights.sum() <= 0:
        raise BadInput("the distribution's weights must be non-negative and not all zero")
    weights = np.clip(weights, 0.0, None)
    weights = weights / weights.sum()

    # Canonical order: distinct panels sorted, so the same distribution gives the same numbering.
    merged: dict[tuple[int, ...], float] = {}
    for panel, w in zip(distribution.panels, weights, strict=True):
        key = tuple(sorted(int(i) for i in panel))
        merged[key] = merged.get(key, 0.0) + float(w)
    distinct = sorted(merged)
    w = np.array([merged[p] for p in distinct])

    target = np.asarray(distribution.probabilities, dtype=float)
    n = len(target)
    if distinct and max(max(p) for p in distinct if p) >= n:
        raise BadInput("a panel names a person beyond the distribution's probabilities")
    members = np.zeros((n, len(distinct)), dtype=float)
    for j, panel in enumerate(distinct):
        members[list(panel), j] = 1.0

    scaled = w * size
    base = np.floor(scaled + 1e-9).astype(int)
    base = np.minimum(base, size)
    remainder = size - int(base.sum())
    if remainder < 0:  # only possible through rounding noise: take copies from the largest
        for j in np.argsort(-(base - scaled))[:-remainder]:
            base[j] -= 1
        remainder = 0
    extra, optimal = _choose_extra_copies(
        members, base, scaled, target, size, remainder, time_limit
    )
    counts = base + extra

    panels: list[tuple[int, ...]] = []
    for panel, c in zip(distinct, counts, strict=True):
        panels.extend([panel] * int(c))
    result = tuple(panels)
    probs = panel_probabilities(result, n)
    change = float(np.max(np.abs(probs - target))) if n else 0.0
    return Lottery(
        panels=result,
        probabilities=probs,
        target_probabilities=target,
        largest_change=change,
        algorithm=distribution.algorithm,
        optimal=optimal,
    )


def _choose_extra_copies(
    members: np.ndarray,
    base: np.ndarray,
    scaled: np.ndarray,
    target: np.ndarray,
    size: int,
    remainder: int,
    time_limit: float,
) -> tuple[np.ndarray, bool]:
    """0/1 extra copy per panel, `remainder` in all, minimising the largest probability change."""
    extra = np.zeros(len(base), dtype=int)
    if remainder == 0:
        return extra, True
    frac = scaled - base
    candidates = np.flatnonzero(frac > 1e-9)
    if len(candidates) < remainder:  # weights summing to 1 make this impossible, but be safe
        candidates = np.arange(len(base))
    # Fallback and warm start: largest remainders first.
    order = candidates[np.argsort(-frac[candidates], kind="stable")]
    greedy = np.zeros(len(base), dtype=int)
    greedy[order[:remainder]] = 1
    if len(candidates) == remainder:
        return greedy, True

    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix, hstack, vstack

    # Work in units of copies: gap_i = M * p_i - copies_i from the floors.
    gap = size * target - members @ base
    sub = members[:, candidates]
    touched = sub.sum(axis=1) > 0
    fixed_dev = float(np.max(np.abs(gap[~touched]))) if np.any(~touched) else 0.0
    a = csr_matrix(sub[touched])
    g = gap[touched]
    ones = csr_matrix(np.ones((a.shape[0], 1)))
    # variables: x (len(candidates) binaries), then T >= |a x - g|
    upper = hstack([a, -ones])  # a x - T <= g
    lower = hstack([-a, -ones])  # -a x - T <= -g
    total = csr_matrix(np.concatenate([np.ones(len(candidates)), [0.0]])[None, :])
    constraints = [
        LinearConstraint(vstack([upper, lower]).tocsr(), -np.inf, np.concatenate([g, -g])),
        LinearConstraint(total, remainder, remainder),
    ]
    c = np.zeros(len(candidates) + 1)
    c[-1] = 1.0
    integrality = np.ones(len(candidates) + 1)
    integrality[-1] = 0
    bounds = Bounds(
        np.concatenate([np.zeros(len(candidates)), [fixed_dev]]),
        np.concatenate([np.ones(len(candidates)), [np.inf]]),
    )
    res = milp(
        c,
        constraints=constraints,
        integrality=integrality,
        bounds=bounds,
        options={"time_limit": time_limit, "disp": False},
    )
    if res.x is None:
        return greedy, False
    chosen = np.round(res.x[:-1]).astype(int)
    if chosen.sum() != remainder:
        return greedy, False
    extra[candidates] = chosen

    # Keep whichever of the solver's answer and the greedy one is better (time-limited solves).
    def worst(e: np.ndarray) -> float:
        return float(np.max(np.abs(gap - members @ e))) if len(gap) else 0.0

    if worst(greedy) < worst(extra):
        return greedy, False
    return extra, bool(res.status == 0)
