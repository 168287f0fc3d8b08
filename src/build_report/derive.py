"""Derived columns: what each should hold, computed from the rows it depends on, never typed.

Pure: nothing here writes a file (authoring.py writes them), so the checks can recompute and compare."""

from __future__ import annotations

import datetime as dt

from . import coding, queries
from .package import missing, records

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


# The basis columns, each written just after the coded column whose words it locates.
AFTER = {"attribution_basis": "alleged_perpetrator", "target_basis": "target_type", "weapon_basis": "weapon"}
