"""Derived columns and authoring aids. Derived values are computed, never typed."""

from __future__ import annotations

import datetime as dt

from . import coding, csvio, queries, scope
from .checks import agreement, truth
from .package import Package, connect, missing, records

DERIVED = [
    "date_start_refined",
    "date_end_refined",
    "killed_min_refined",
    "killed_max_refined",
    "refinement_basis",
    "n_sources",
    "grading",
]


def as_text(v) -> str:
    """A value as incidents.csv holds it: '' for NULL, ISO dates, whole numbers without a decimal point."""
    if missing(v):
        return ""
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def compute(con) -> dict[str, dict[str, str]]:
    """Every derived incident column, as the text it should have in incidents.csv, by incident ID."""
    refined = {r["incident_id"]: r for r in queries.rows(con, "incident_refinements")}
    spans = stated_spans(con)
    out = {}
    for c in queries.rows(con, "incident_source_counts"):
        r = refined.get(c["incident_id"], {})
        row = {col: as_text(r.get(col)) for col in DERIVED[:4]}
        start, end, days = widen(row["date_start_refined"], row["date_end_refined"], spans.get(c["incident_id"]))
        row["date_start_refined"], row["date_end_refined"] = start, end
        parts = []
        if as_text(r.get("date_ids")):
            parts.append(
                f"window narrowed to the event dates given by {r['date_ids']}"
                + (
                    f", widened to the {days} days the claim states (counted back from the latest report date)"
                    if days
                    else ""
                )
            )
        if as_text(r.get("killed_ids")):
            parts.append(f"killed range spans the compilation's figures and those of {r['killed_ids']}")
        row["refinement_basis"] = "; ".join(parts)
        row["n_sources"] = str(int(c["n_sources"]))
        row["grading"] = coding.grade(int(c["n_sources"]), int(c["n_conflicting"]))
        out[c["incident_id"]] = row
    return out


def stated_spans(con) -> dict[str, int]:
    """incident_id -> the longest span of time its active claims state, in days (coding.stated_span_days)."""
    out: dict[str, int] = {}
    for r in records(
        con, "SELECT incident_id, quote FROM active_claims WHERE incident_id IS NOT NULL ORDER BY claim_id"
    ):
        days = coding.stated_span_days(r["quote"])
        if days and days > out.get(r["incident_id"], 0):
            out[r["incident_id"]] = days
    return out


def widen(start: str, end: str, days: int | None, lo: str = "", hi: str = "") -> tuple[str, str, int | None]:
    """A refined window never narrows below the span its claim states: a shorter one is widened to that many
    days, ending on its latest report date (a stated span counts back from the report). Returns the window
    and the span applied (None when nothing changed)."""
    if not (start and end and days):
        return start, end, None
    s, e = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if (e - s).days + 1 >= days:
        return start, end, None
    s = e - dt.timedelta(days=days - 1)
    return s.isoformat(), e.isoformat(), days


def disagreements(pkg: Package, con) -> list:
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


AFTER = {"attribution_basis": "alleged_perpetrator", "target_basis": "target_type", "weapon_basis": "weapon"}


def bases(pkg: Package, con, blocked: set[tuple[str, str]] = frozenset()) -> int:
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
