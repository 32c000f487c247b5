"""The compiled inner loop of `sortition.sampler` (numba); see there for what it does and why.

Kept in its own module so that importing `sortition` never loads numba: only a run that
samples panels pays for it (compiled once, then cached beside this file).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def walk_panels(
    counts,
    lower,
    upper,
    quota_of,
    lo,
    hi,
    value_feature,
    house_of,
    households,
    log_weights,
    pull,
    target,
    steps,
    every,
    reseat,
    seed,
):
    np.random.seed(seed)
    types, features = quota_of.shape
    rows = len(lo)
    c = counts.copy()
    totals = np.zeros(rows, dtype=np.int64)
    for t in range(types):
        if c[t] > 0:
            for f in range(features):
                totals[quota_of[t, f]] += c[t]
    houses = np.zeros(households + 1, dtype=np.int64)
    for t in range(types):
        houses[house_of[t]] += c[t]
    adapt = False
    for t in range(types):
        if pull[t] != 0.0:
            adapt = True
    out = np.zeros((steps // every, types), dtype=np.int64)
    weights = np.exp(log_weights - np.max(log_weights))
    rate = np.zeros(types)
    freed = np.zeros(reseat, dtype=np.int64)
    added = np.zeros(reseat, dtype=np.int64)
    short = np.zeros(rows, dtype=np.int64)
    # Each type's quota rows as bits (a value with no quota: bit `rows + f` of its feature f),
    # and, while seats are refilled, the rows a seat must not count towards: a type may take a
    # seat when the two share no bit.
    words = (rows + features + 63) // 64
    rows_of = np.zeros((types, words), dtype=np.uint64)
    for t in range(types):
        for f in range(features):
            bit = quota_of[t, f] if quota_of[t, f] < rows - 1 else rows + f
            rows_of[t, bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
    blocked = np.zeros(words, dtype=np.uint64)
    missing = np.zeros(features, dtype=np.int64)
    # Seats above their type's lower bound: the same at the start of every step (every step
    # refills the seats it frees, or is undone), one fewer for each seat freed.
    spare = 0
    for t in range(types):
        spare += c[t] - lower[t]
    recorded = 0
    # The step at which each type's weight was last worked out: the exponential is taken only
    # for the types a refill considers, once a step, from that step's log weights (the same
    # bits as taking it for every type).
    weighed = np.full(types, -1, dtype=np.int64)
    weighed_at = 0.0
    for step in range(steps):
        if adapt:
            top = -1e300
            for t in range(types):
                if upper[t] > lower[t]:
                    log_weights[t] += pull[t] * (target[t] - c[t])
                    if log_weights[t] > top:
                        top = log_weights[t]
            weighed_at = top  # each type's weight is worked out when first needed this step
        want = np.random.randint(1, reseat + 1)
        n_freed = 0
        removable = spare
        for _ in range(want):
            if removable == 0:
                break
            pick = np.random.randint(0, removable)
            a = 0
            for t in range(types):
                pick -= c[t] - lower[t]
                if pick < 0:
                    a = t
                    break
            c[a] -= 1
            removable -= 1
            for f in range(features):
                totals[quota_of[a, f]] -= 1
            houses[house_of[a]] -= 1
            freed[n_freed] = a
            n_freed += 1
        n_added = 0
        for remaining in range(n_freed, 0, -1):
            for f in range(features):
                missing[f] = 0
            for q in range(rows - 1):
                short[q] = max(lo[q] - totals[q], 0)
                missing[value_feature[q]] += short[q]
            # blocked[q]: a seat counting towards row q would break a maximum, or take a seat
            # that feature's unmet minimums still need; a value with no quota (the sentinel
            # row) counts as row `rows + f` of its feature f, blocked only by the latter.
            for w in range(words):
                blocked[w] = 0
            for q in range(rows - 1):
                if totals[q] >= hi[q] or (missing[value_feature[q]] >= remaining and short[q] <= 0):
                    blocked[q // 64] |= np.uint64(1) << np.uint64(q % 64)
            for f in range(features):
                if missing[f] >= remaining:
                    bit = rows + f
                    blocked[bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
            total = 0.0
            for t in range(types):
                rate[t] = 0.0
                if c[t] >= upper[t]:
                    continue
                if house_of[t] < households and houses[house_of[t]] > 0:
                    continue
                ok = True
                for w in range(words):
                    if rows_of[t, w] & blocked[w]:
                        ok = False
                        break
                if ok:
                    if adapt and weighed[t] != step:
                        weights[t] = np.exp(max(log_weights[t] - weighed_at, -700.0))
                        weighed[t] = step
                    rate[t] = weights[t] * (upper[t] - c[t])
                    total += rate[t]
            if total <= 0.0:
                break
            pick = np.random.random() * total
            b = -1
            for t in range(types):
                if rate[t] > 0.0:
                    b = t
                    pick -= rate[t]
                    if pick < 0.0:
                        break
            c[b] += 1
            for f in range(features):
                totals[quota_of[b, f]] += 1
            houses[house_of[b]] += 1
            added[n_added] = b
            n_added += 1
        if n_added < n_freed:  # dead end: put the panel back as it was
            for i in range(n_added):
                b = added[i]
                c[b] -= 1
                for f in range(features):
                    totals[quota_of[b, f]] -= 1
                houses[house_of[b]] -= 1
            for i in range(n_freed):
                a = freed[i]
                c[a] += 1
                for f in range(features):
                    totals[quota_of[a, f]] += 1
                houses[house_of[a]] += 1
        if (step + 1) % every == 0 and recorded < out.shape[0]:
            out[recorded] = c
            recorded += 1
    return out[:recorded], c, log_weights
