"""Storage: one SQLite file per assembly, opened through sqlite-utils, schema by migrations.

Only the file and its upgrades live here: each area's tables are in that area's `schema.py`, and
`assembly.schema` lists them all for `assembly.store.migrations`. May import: `assembly.core.clock`
and outside libraries; never an area or the UI.
"""

from assembly.store.database import (
    AssemblyFile,
    AssemblyLocked,
    NewerVersion,
    NotAnAssembly,
    ReadOnlyFile,
    StoreError,
    atomic,
    create_assembly,
    open_assembly,
    write_transaction,
)

__all__ = [
    "AssemblyFile",
    "AssemblyLocked",
    "NewerVersion",
    "NotAnAssembly",
    "ReadOnlyFile",
    "StoreError",
    "atomic",
    "create_assembly",
    "open_assembly",
    "write_transaction",
]
