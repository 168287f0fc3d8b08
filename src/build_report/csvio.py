"""The one way this project reads and writes its CSV tables.

Written form: UTF-8 without a byte-order mark, LF line endings, comma-separated, every non-empty
field in double quotes (a quote inside doubled), empty fields bare. Quoting every non-empty field
stops sniffing clients from guessing a wrong delimiter or quote character; leaving empty fields bare
keeps them missing (null) rather than empty strings in clients such as polars.
"""

from __future__ import annotations

import csv
from pathlib import Path

# The same form as a Frictionless CSV dialect: every CSV resource of the descriptor declares it.
DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "lineTerminator": "\n", "header": True}


def read(path: Path) -> tuple[list[str], list[dict]]:
    """(header, rows as dicts of text) of a CSV table."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def read_lists(path: Path) -> list[list[str]]:
    """A CSV table as lists of text, header first."""
    header, rows = read(path)
    return [header, *([r[h] for h in header] for r in rows)]


def _field(value: str | None) -> str:
    if value is None or value == "":
        return ""
    return '"' + str(value).replace('"', '""') + '"'


def line(values) -> str:
    """One row in the written form, with its line ending."""
    return ",".join(_field(v) for v in values) + "\n"


def dumps(header: list[str], rows: list[dict] | list[list]) -> str:
    return line(header) + "".join(
        line([row.get(h, "") for h in header] if isinstance(row, dict) else row) for row in rows
    )


def write(path: Path, header: list[str], rows: list[dict] | list[list]) -> None:
    path.write_text(dumps(header, rows), encoding="utf-8", newline="")


def first_noncanonical_line(path: Path) -> int | None:
    """The 1-based physical line where a file first departs from the written form, or None."""
    header, rows = read(path)
    want = dumps(header, rows).encode("utf-8").split(b"\n")
    got = path.read_bytes().split(b"\n")
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            return i + 1
    return None if len(got) == len(want) else min(len(got), len(want)) + 1
