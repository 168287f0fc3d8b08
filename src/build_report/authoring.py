"""Authoring aids: `derive` writes the derived columns into the tables, `locate` finds a quote in the archive."""

from __future__ import annotations

import duckdb

from . import csvio, scope
from .checks import agreement, truth
from .derive import AFTER, compute
from .failures import Failure
from .package import Package, connect


def disagreements(pkg: Package, con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """The coded fields that differ from the coder's reading with no decision to explain them."""
    return [f for f in agreement.check(pkg, con) if f.rule == "coding-agrees-with-coder"]


def main(root: str | None) -> int:
    pkg = Package.load(root)
    con = connect(pkg, lenient=True)
    # Never launder: a row whose primary values disagree with the words keeps its derived values (which the
    # gate then also reports as stale) until the disagreement is fixed or decided.
    held = disagreements(pkg, con)
    blocked = {(f.table, f.row_id) for f in held}
    for f in held:
        print(f"not derived: {f.line()}")
    want = compute(con)
    path = pkg.path("incidents")
    fields, rows = csvio.read(path)
    changed = 0
    for row in rows:
        if ("incidents", row["incident_id"]) in blocked:
            continue
        for k, v in want.get(row["incident_id"], {}).items():
            if row[k] != v:
                print(f"incidents:{row['incident_id']}:{k}: {row[k]!r} -> {v!r}")
                row[k] = v
                changed += 1
    csvio.write(path, fields, rows)
    print(f"{changed} derived value(s) changed")
    done = bases(pkg, con, blocked)
    if held:
        print(f"{len(held)} disagreement(s) with the coder: their rows were not derived (fix or decide them first)")
        return 1
    return done


def bases(pkg: Package, con: duckdb.DuckDBPyConnection, blocked: set[tuple[str, str]] = frozenset()) -> int:
    """Write attribution_basis, target_basis and weapon_basis (where the words of each value stand), except on
    the rows in blocked (rows that disagree with the coder)."""
    got = truth.bases(con, pkg.archive_text())
    changed = 0
    for table, key in (("incidents", "incident_id"), ("tallies", "tally_id")):
        path = pkg.path(table)
        fields, rows = csvio.read(path)
        for col, after in AFTER.items():
            if after in fields and col not in fields:
                fields.insert(fields.index(after) + 1, col)
        for row in rows:
            if (table, row[key]) in blocked:
                continue
            for col, v in got.get((table, row[key]), {}).items():
                v = v or ""  # unsupported values stay empty: the gate names them
                if row.get(col, "") != v:
                    print(f"{table}:{row[key]}:{col}: {row.get(col, '')!r} -> {v!r}")
                    changed += 1
                row[col] = v
            for col in AFTER:
                if col in fields:
                    row.setdefault(col, "")
        csvio.write(path, fields, rows)
    print(f"{changed} basis value(s) changed")
    return 0


def locate(root: str | None, quote: str) -> int:
    """Print every place where a quote occurs, with line, section and offsets, for a new claim row."""
    pkg = Package.load(root)
    text = pkg.archive_text()
    start, found = 0, 0
    while (i := text.find(quote, start)) >= 0:
        ln = scope.line_at(text, i)
        print(f"line={ln.number} section={ln.section} char_start={i} char_end={i + len(quote)}")
        found += 1
        start = i + 1
    if not found:
        print("not found: the quote must match the archive exactly (curly quotes and apostrophes included)")
    return 0 if found else 1
