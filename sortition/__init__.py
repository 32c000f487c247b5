"""Stratified sortition: fair selection of citizens' panels that meet quotas.

A pure library: no UI and no database. It needs numpy, scipy (sparse matrices and the
rounding MILP), HiGHS through `highspy` (the LEXIMIN column generation), Clarabel (the
lottery LP that reaches the relaxation's LEXIMIN), numba (the panel sampler's inner loop),
openpyxl and defusedxml (workbooks) and click (the command line); the slow ones are imported
only by the functions that use them.

What is named here is the library's API; the modules behind it are free to change.
"""

from sortition._version import __version__
from sortition.bundle import (
    add_draw,
    build_bundle,
    commitment_of,
    instance_digest,
    instance_from_bundle,
    load_bundle,
    verify_bundle,
    write_bundle,
)
from sortition.compact import TypeLottery
from sortition.draw import ROUNDING_SECONDS, PublicDraw, public_draw
from sortition.highs import silence_solver_banner
from sortition.io import read_instance, read_people, read_quotas
from sortition.leximin import DEFAULT_GAP, FirstLevelProven
from sortition.loosen import Loosening, explain_infeasible, find_panel
from sortition.lottery import (
    DEFAULT_LOTTERY_SIZE,
    Lottery,
    choose_panel_index,
    round_to_lottery,
    seed_digest,
)
from sortition.model import (
    BadInput,
    Cancelled,
    Distribution,
    Infeasible,
    Instance,
    Pool,
    ProgressEvent,
    Quota,
    SelectionStats,
    SortitionError,
    chances,
    normalise,
)
from sortition.replace import ReplacementResult, replace_dropouts, replacement_problem
from sortition.select import ALGORITHMS, select
from sortition.tabular import Table, TableError, id_key, read_table, whole_number
from sortition.targets import quotas_from_targets, read_targets, write_quotas

__all__ = [
    "ALGORITHMS",
    "DEFAULT_GAP",
    "DEFAULT_LOTTERY_SIZE",
    "ROUNDING_SECONDS",
    "BadInput",
    "Cancelled",
    "Distribution",
    "FirstLevelProven",
    "Infeasible",
    "Instance",
    "Loosening",
    "Lottery",
    "Pool",
    "ProgressEvent",
    "PublicDraw",
    "Quota",
    "ReplacementResult",
    "SelectionStats",
    "SortitionError",
    "Table",
    "TableError",
    "TypeLottery",
    "__version__",
    "add_draw",
    "build_bundle",
    "chances",
    "choose_panel_index",
    "commitment_of",
    "explain_infeasible",
    "find_panel",
    "id_key",
    "instance_digest",
    "instance_from_bundle",
    "load_bundle",
    "normalise",
    "public_draw",
    "quotas_from_targets",
    "read_instance",
    "read_people",
    "read_quotas",
    "read_table",
    "read_targets",
    "replace_dropouts",
    "replacement_problem",
    "round_to_lottery",
    "seed_digest",
    "select",
    "silence_solver_banner",
    "verify_bundle",
    "whole_number",
    "write_bundle",
    "write_quotas",
]
