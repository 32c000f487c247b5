"""Stratified sortition: fair selection of citizens' panels that meet quotas.

A pure library (numpy and the open HiGHS solver): no UI and no database.
"""

from sortition.model import (
    BadInput,
    Cancelled,
    Distribution,
    Infeasible,
    Instance,
    Pool,
    ProgressEvent,
    Quota,
    SortitionError,
    normalise,
)

__version__ = "0.1.0"

__all__ = [
    "BadInput",
    "Cancelled",
    "Distribution",
    "Infeasible",
    "Instance",
    "Pool",
    "ProgressEvent",
    "Quota",
    "SortitionError",
    "__version__",
    "normalise",
]
