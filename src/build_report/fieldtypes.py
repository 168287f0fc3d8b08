"""The Table Schema field types the package uses: their DuckDB types and the one parser of their text."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

DUCK_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE", "boolean": "BOOLEAN"}

_INT = re.compile(r"[+-]?[0-9]+").fullmatch
_NUM = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?").fullmatch
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch
TRUE, FALSE = {"true", "True", "TRUE", "1"}, {"false", "False", "FALSE", "0"}
I64 = 2**63


def parse_value(ftype: str, v: str) -> tuple[Any, str | None]:
    """(value, None) or (None, reason): the one definition of the types the package uses."""
    if ftype == "string":
        return v, None
    if ftype == "integer":
        if _INT(v):
            n = int(v)
            if -I64 <= n < I64:
                return n, None
            return None, "integer out of range"
        return None, "not an integer"
    if ftype == "number":
        if _NUM(v):
            x = float(v)
            if math.isfinite(x):
                return x, None
        return None, "not a number"
    if ftype == "date":
        if _DATE(v):
            try:
                return dt.date.fromisoformat(v), None
            except ValueError:
                pass
        return None, "not a date (YYYY-MM-DD)"
    if ftype == "boolean":
        if v in TRUE:
            return True, None
        if v in FALSE:
            return False, None
        return None, "not a boolean"
    return None, f"unknown type {ftype}"
