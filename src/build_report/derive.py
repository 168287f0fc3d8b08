"""Derived columns and authoring aids. Derived values are computed, never typed."""

from __future__ import annotations

import csv

from . import coding, queries, scope
from .package import Package, connect


def main(root: str | None) -> int:
    pkg = Package.load(root)
    con = connect(pkg, lenient=True)
    counts = dict(queries.run(con, "incident_source_counts")[["incident_id", "n_sources"]].itertuples(index=False))
    path = pkg.path("incidents")
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    changed = 0
    for row in rows:
        n = int(counts.get(row["incident_id"], 0))
        new = {"n_sources": str(n), "grading": coding.grade(n)}
        for k, v in new.items():
            if row[k] != v:
                print(f"incidents:{row['incident_id']}:{k}: {row[k]!r} -> {v!r}")
                row[k] = v
                changed += 1
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{changed} derived value(s) changed")
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
