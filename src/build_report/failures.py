"""A failure of the gate: one row naming the table, the row ID, the field, the rule and a safe excerpt.

A Failure's text is always a short, safe excerpt (see `safe`): whatever a data file or descriptor holds,
no control character, bidi override or unbounded string reaches a terminal, the JSON report or a page.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from . import lookalike


class DataError(Exception):
    """A fault of the package's files, raised by the package's own readers: the gate reports it as a failure.
    Anything else raised while checking is a fault of the validator itself, not of the data."""


EXCERPT = 120  # characters of a value shown in a failure
ID_EXCERPT = 60  # characters of a row ID or field name

# C0 and C1 controls, DEL, lone surrogates (undecodable bytes), bidirectional embeddings, overrides
# and isolates, and the line/paragraph separators: all are shown as escapes, never as themselves.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\ud800-\udfff]")


def _escape(m: re.Match) -> str:
    c = ord(m.group(0))
    if 0xDC80 <= c <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{c - 0xDC00:02x}"
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def _codepoint(c: str) -> str:
    return f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"


def safe(text: object, limit: int = EXCERPT) -> str:
    """A printable, bounded excerpt: unsafe characters escaped, long text cut with a count of what was cut."""
    text = "" if text is None else str(text)
    cut = ""
    if len(text) > limit:
        cut = f"... ({len(text) - limit} more characters)"
        text = text[:limit]
    text = _UNSAFE.sub(_escape, text)
    if not text.isascii():  # invisible characters and look-alikes of ASCII, so that a bad value never looks valid
        hide = lookalike.suspect_positions(text)
        if hide:
            text = "".join(_codepoint(c) if i in hide else c for i, c in enumerate(text))
    return text + cut


@dataclass(frozen=True)
class Failure:
    table: str
    row_id: str  # the row's primary key, "line N" when a row has no readable key, or "-" for a file-level fault
    field: str  # "-" when the fault concerns a whole row or file
    rule: str
    value: str
    check: str  # structure, meaning or provenance
    lineno: int | None = dataclasses.field(default=None, compare=False)  # physical line in the table's file, when known

    def __post_init__(self) -> None:
        # Whatever a check passes in, only safe excerpts are kept.
        object.__setattr__(self, "table", safe(self.table, ID_EXCERPT))
        object.__setattr__(self, "row_id", safe(self.row_id, ID_EXCERPT))
        object.__setattr__(self, "field", safe(self.field, ID_EXCERPT))
        object.__setattr__(self, "rule", safe(self.rule, ID_EXCERPT))
        object.__setattr__(self, "value", safe(self.value))

    def key(self) -> tuple[str, str, str, str]:
        """What the fault catalogue asserts: (table, row_id, field, rule)."""
        return (self.table, self.row_id, self.field, self.rule)

    def line(self, path: str | None = None) -> str:
        where = f" ({path} line {self.lineno})" if path and self.lineno else ""
        return f"{self.table}:{self.row_id}:{self.field}: {self.rule} — {self.value!r}{where}"

    def as_dict(self) -> dict:
        return {
            "table": self.table,
            "row_id": self.row_id,
            "field": self.field,
            "rule": self.rule,
            "value": self.value,
            "check": self.check,
            "line": self.lineno,
        }

    def with_line(self, lineno: int | None) -> Failure:
        return Failure(self.table, self.row_id, self.field, self.rule, self.value, self.check, lineno)
