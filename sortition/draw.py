"""The public draw in one function: select, round to numbered panels, bundle, and draw.

`public_draw` is what both the library's command line (`select --bundle`, `draw`) and the app
run: a lottery over panels meeting the quotas, rounded to M numbered panels (each drawn with
probability 1/M), the audit bundle committing to them and, when the public seed is known, the
panel it picks. A pure function of its inputs: no files written, no UI.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sortition.bundle import build_bundle
from sortition.compact import TypeLottery, from_panels
from sortition.leximin import DEFAULT_GAP
from sortition.lottery import DEFAULT_LOTTERY_SIZE, Lottery, round_to_lottery
from sortition.model import CancelToken, Distribution, Instance, ProgressCallback, ProgressEvent
from sortition.select import select
from sortition.types import TypeModel, group_types
from sortition.words import words

ROUNDING_SECONDS = 5.0
"""How long the rounding may search for a provably best rounding (a good one is found first
either way; the bundle records whether it was proved optimal)."""


@dataclass(frozen=True)
class PublicDraw:
    """A selection rounded to numbered panels and bundled; drawn if the seed was given.

    `index` is the number (0 to M - 1) of the panel the seed picked and `panel` its people
    (pool indices); both are None until the seed is known (see `sortition.add_draw`).
    """

    distribution: Distribution
    lottery: Lottery
    bundle: dict[str, Any]
    index: int | None = None
    panel: tuple[int, ...] | None = None


def public_draw(
    instance: Instance,
    algorithm: str = "leximin",
    *,
    lottery_size: int = DEFAULT_LOTTERY_SIZE,
    seed_text: str | None = None,
    rng: np.random.Generator | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    fixed: Iterable[int] = (),
    time_limit: float | None = None,
    max_rounds: int | None = None,
    gap: float = DEFAULT_GAP,
    rounding_seconds: float = ROUNDING_SECONDS,
    input_files: Mapping[str, str | os.PathLike[str]] | None = None,
    read_options: Mapping[str, Any] | None = None,
    distribution: Distribution | None = None,
) -> PublicDraw:
    """Select by `algorithm`, round to `lottery_size` numbered panels and bundle them.

    The selection options are `select`'s (`rng` is used by the legacy algorithm only; a fresh
    one is made if it is not given). `seed_text`, the public seed, draws the panel; without it
    the bundle is undrawn, to be drawn once the commitment has been announced.
    `distribution`: a lottery already computed for exactly this instance and algorithm (such
    as a published one); it is then only rounded and bundled. `input_files` and
    `read_options` are recorded in the bundle (see `sortition.build_bundle`).
    Raises `Infeasible` when no panel meets the quotas, `Cancelled` when `cancel` is set.
    """
    fixed = tuple(fixed)
    if distribution is None:
        distribution = select(
            instance,
            algorithm,
            rng=rng if rng is not None else np.random.default_rng(),
            progress=progress,
            cancel=cancel,
            fixed=fixed,
            time_limit=time_limit,
            max_rounds=max_rounds,
            gap=gap,
        )
    if progress is not None:
        progress(
            ProgressEvent(
                "lottery",
                words("rounding to %(panels)s numbered panels", panels=lottery_size),
                None,
            )
        )
    model = group_types(instance, fixed)
    lottery = round_to_lottery(
        distribution,
        lottery_size,
        time_limit=rounding_seconds,
        types=type_lottery(distribution, model),
        model=model,
    )
    bundle = build_bundle(
        instance,
        lottery,
        seed_text=seed_text,
        algorithm=algorithm,
        input_files=input_files,
        read_options=read_options,
    )
    drawn = bundle.get("draw")
    if not drawn:
        return PublicDraw(distribution, lottery, bundle)
    index = int(drawn["index"])
    return PublicDraw(distribution, lottery, bundle, index, lottery.panels[index])


def type_lottery(distribution: Distribution, model: TypeModel) -> TypeLottery | None:
    """The lottery over type panels behind `distribution`, or None when it treats members of
    a type differently (the legacy sampler's): the numbered panels are rounded over it. A
    compact lottery is its own. `model`: the pool's types (`group_types`)."""
    if distribution.types is not None:
        return distribution.types
    return from_panels(
        model.members,
        distribution.panels,
        distribution.weights,
        distribution.probabilities,
    )
