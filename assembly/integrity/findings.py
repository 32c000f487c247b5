"""A finding: one thing in the file that is not as the app recorded it, by table and row."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    table: str
    row: str  # the row's key as the table has it ("id 3", "number 1", "seq 12"), or "" if gone
    problem: str

    def line(self) -> str:
        where = f"{self.table} {self.row}" if self.row else self.table
        return f"✗ {where}: {self.problem}"
