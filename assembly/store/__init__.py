"""Storage: one SQLite file per assembly, opened through sqlite-utils, schema by migrations."""

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
