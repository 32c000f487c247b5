"""Many valid panels fast: a walk between panels that keeps every quota at every step.

Column generation needs good panels in bulk: one MILP per panel is far too slow when a
lottery needs a thousand panels or more. This sampler walks from panel to panel: each step
frees one to eight seats and fills them again one by one, each from the types (drawn in
proportion to a weight per person) whose arrival keeps every maximum, every household rule and
every type's bounds, and leaves the minimums reachable with the seats still free; a step that
runs into a dead end is undone. Freeing one seat alone could not move between panels that
differ in a quota held exactly (its minimum equal to its maximum), hence several at once
(on a pool where 21 of 34 quotas are held exactly, up to eight at a time brings the
herded panels within 10% of their target for 95% of types, one at a time not at all).

With a target (expected seats per type) the weights adapt as the walk goes (herding): a type
seated more than its target loses weight, one seated less gains it, so the panels seen average
close to the target far sooner than independent samples would, which is what a lottery that
must reach the target needs. The loop is compiled with numba: it makes millions of small
decisions, about 25 times faster compiled than as numpy calls (bench/ has the figures).
Randomness comes only from the `numpy.random.Generator` passed in (it seeds the walk).
"""

from __future__ import annotations

import numpy as np

from sortition.types import TypeModel


class PanelSampler:
    """Walks between valid panels (counts per type) of `model`."""

    def __init__(self, model: TypeModel, rng: np.random.Generator) -> None:
        self.model = model
        self.rng = rng
        pool = model.instance.pool
        quotas = model.instance.quotas
        count = model.count
        sentinel = len(quotas)
        self.quota_of = model.quota_rows(missing=sentinel)
        # The feature each quota row belongs to (the sentinel row, last, to none).
        self.value_feature = np.array(
            [pool.features.index(q.feature) for q in quotas] + [-1], dtype=np.int64
        )
        self.lo = np.array([q.min for q in quotas] + [-1], dtype=np.int64)
        self.hi = np.array([q.max for q in quotas] + [count * 10**6], dtype=np.int64)
        self.house_of = model.household_of(missing=len(model.households))
        self.lower = model.lower.astype(np.int64)
        self.upper = model.upper.astype(np.int64)

    def walk(
        self,
        start: np.ndarray,
        weights: np.ndarray,
        steps: int,
        every: int,
        reseat: int = 8,
        target: np.ndarray | None = None,
        rate: float = 0.05,
    ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
        """Panels seen every `every` steps of a walk of `steps` from `start`, the last panel,
        and the weights at the end (they change only when adapting to a `target`).

        `weights` are per person of each type; with `target` they adapt at `rate`, in
        proportion to how far each type is from its target relative to the target."""
        panels, ends, last_weights = self.walks(
            [start], [weights], steps, every, reseat, target, rate
        )
        return panels, ends[0], last_weights[0]

    def walks(
        self,
        starts: list[np.ndarray],
        weights: list[np.ndarray],
        steps: int,
        every: int,
        reseat: int = 8,
        target: np.ndarray | None = None,
        rate: float = 0.05,
    ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
        """`walk` from each start at once, one thread each (the compiled loop releases the
        GIL): the panels of every walk in the order of `starts`, then each walk's last panel
        and weights. Each walk's seed is drawn from the generator in that order before any
        starts, so the panels do not depend on how the threads are scheduled or on how many
        cores there are."""
        from sortition._walk import walk_panels

        movable = self.upper > self.lower
        if target is None:
            pull = np.zeros(len(starts[0]))
            goal = np.zeros(len(starts[0]))
        else:
            pull = np.where(movable, rate / np.maximum(target, 1e-3), 0.0)
            goal = target.astype(float)
        seeds = [int(self.rng.integers(2**62)) for _ in starts]

        def one(start: np.ndarray, weight: np.ndarray, seed: int):
            log_weights = np.log(np.maximum(weight, 1e-300)).astype(float)
            return walk_panels(
                start.astype(np.int64),
                self.lower,
                self.upper,
                self.quota_of,
                self.lo,
                self.hi,
                self.value_feature,
                self.house_of,
                len(self.model.households),
                log_weights,
                pull,
                goal,
                int(steps),
                int(every),
                int(reseat),
                seed,
            )

        jobs = list(zip(starts, weights, seeds, strict=True))
        if len(jobs) == 1:
            done = [one(*jobs[0])]
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(len(jobs)) as pool:
                done = list(pool.map(lambda job: one(*job), jobs))
        panels = [panel for out, _last, _log in done for panel in out]
        ends = [last for _out, last, _log in done]
        ends_weights = [np.exp(log - np.max(log)) for _out, _last, log in done]
        return panels, ends, ends_weights
