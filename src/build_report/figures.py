"""The figure registry: every number and chart in the report, by name, with the query behind it.

Book pages use figures by name ({{fig:NAME}}, {{chart:NAME}}); tests walk this same registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import queries
from .package import missing


@dataclass(frozen=True)
class Figure:
    query: str  # a .sql file in queries/ returning value (or value_min, value_max) and ids
    label: str  # what the number counts, for the footnote
    depends_on_grading: bool = False  # said in the footnote: the number moves when grading changes


@dataclass(frozen=True)
class Chart:
    query: str  # a .sql file in queries/ returning one row per mark, with an id column
    builder: str  # function name in charts.py
    caption: str
    alt: str


FIGURES = {
    "claims_total": Figure("claims_total", "claims extracted from the compilation"),
    "incidents_total": Figure("incidents_total", "reported incidents"),
    "tallies_total": Figure("tallies_total", "aggregate statistics (tallies)"),
    "killed_naive_sum": Figure("killed_naive_sum", "people reported killed, naive sum over incidents"),
    "killed_conservative_total": Figure("killed_conservative_total", "people reported killed, each overlap group counted once"),
    "civilians_killed_explicit": Figure("civilians_killed_explicit", "killed where the claim describes the dead as civilians"),
    "incidents_single_source": Figure("incidents_single_source", "incidents resting on a single source", True),
    "incidents_corroborated": Figure("incidents_corroborated", "incidents graded fair (two or more independent sources)", True),
    "incidents_contested": Figure("incidents_contested", "incidents graded contested", True),
    "claims_with_report": Figure("claims_with_report", "claims with an original or independent report found"),
    "claims_nothing_found": Figure("claims_nothing_found", "claims searched for with nothing found"),
    "searches_total": Figure("searches_total", "searches logged for claims"),
    "incidents_dates_refined": Figure("incidents_dates_refined", "incidents whose date window corroboration narrowed"),
    "incidents_without_figure": Figure("incidents_without_figure", "incidents whose claims give no death toll"),
    "places_with_coordinates": Figure("places_with_coordinates", "places with a coordinate from a recorded origin"),
    "rows_reviewed": Figure("rows_reviewed", "corroboration, crosswalk and context rows reviewed a second time"),
    "rows_corrected_by_review": Figure("rows_corrected_by_review", "rows a second-pass review corrected"),
    "claims_unattributed": Figure("claims_unattributed", "claims for which the compilation names no outlet"),
    "rows_not_reviewed": Figure("rows_not_reviewed", "corroboration, crosswalk and context rows not yet reviewed a second time"),
    "incidents_with_independent_report": Figure("incidents_with_independent_report",
                                                "active incidents with an independent report of high or medium confidence"),
    "incidents_with_independent_report_first_pass": Figure(
        "incidents_with_independent_report_first_pass",
        "active incidents with an independent report found by the first pass (searches of the first day)"),
    "incidents_independent_share": Figure("incidents_independent_share",
                                          "per cent of active incidents with an independent report of high or medium confidence"),
    "incidents_independent_share_first_pass": Figure(
        "incidents_independent_share_first_pass",
        "per cent of active incidents with an independent report found by the first pass (searches of the first day)"),
}

CHARTS = {
    "harm_by_governorate": Chart(
        "chart_harm_by_governorate", "stacked_bar",
        "People reported killed by governorate (minimum of each range), one segment per incident. Overlapping reports are not removed here; see How to read the numbers.",
        "Stacked bar chart of the minimum number of people reported killed in each governorate, one segment per incident."),
    "incident_timeline": Chart(
        "chart_incident_timeline", "timeline",
        "Date windows of the reported incidents. Each bar spans the earliest to the latest possible date; most are bounded only by the compilation's own dates.",
        "Timeline with one horizontal bar per incident spanning its possible dates."),
    "target_types": Chart(
        "chart_target_types", "count_bar",
        "What the claims report was hit, one segment per incident.",
        "Bar chart counting incidents by reported target type."),
    "alleged_perpetrator": Chart(
        "chart_alleged_perpetrator", "count_bar",
        "Perpetrator as each claim states it, for incidents and tallies. This is the source's attribution, not ours.",
        "Bar chart counting incidents and tallies by the perpetrator the claim names."),
    "claims_by_kind": Chart(
        "chart_claims_by_kind", "claims_bar",
        "Claims by kind, coloured by the outlet the compilation names for them (if any).",
        "Stacked bar chart of claims by kind, coloured by named outlet."),
    "place_map": Chart(
        "chart_place_map", "map",
        "Places with a coordinate from a recorded origin (gazetteer entry or searched page), coloured by location precision. No boundary layer is drawn.",
        "Map of point locations of places with citable coordinates, by longitude and latitude."),
}


def compute(con, name: str) -> dict:
    """A figure's value as plain Python numbers (never NumPy scalars) and the IDs behind it."""
    row = queries.rows(con, FIGURES[name].query)[0]
    ids = [str(i) for i in row["ids"]] if row.get("ids") is not None else []
    out = {"ids": ids}
    for k in ("value", "value_min", "value_max"):
        if k in row:
            v = row[k]
            out[k] = None if missing(v) else int(v)
    return out


def text(fig: dict) -> str:
    """A value in words: a range stays a range, never a false point value."""
    if "value" in fig:
        return f"{fig['value']:,}"
    lo, hi = fig["value_min"], fig["value_max"]
    if lo is None:
        return "no figure"
    if hi is None:
        return f"at least {lo:,}"
    if hi == lo:
        return f"{lo:,}"
    return f"at least {lo:,} and up to {hi:,}"
