"""Validation checks. Each module returns a list of Failure; validate.py runs them all."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Failure:
    table: str
    row_id: str  # the row's primary key, or "-" for a file-level fault
    field: str  # "-" when the fault concerns a whole row or file
    rule: str
    value: str
    check: str  # structure, meaning or provenance

    def line(self) -> str:
        value = self.value if len(self.value) <= 120 else self.value[:117] + "..."
        return f"{self.table}:{self.row_id}:{self.field}: {self.rule} — {value!r}"

    def as_dict(self) -> dict:
        return asdict(self)
