"""Chart builders: one Altair chart per registry entry, one mark per query row.

Every mark carries its row ID in the tooltip and links to that row's page or register entry.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import links

def _prepare(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["register_url"] = [links.row_url(i) for i in df["id"]]
    for col in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[col]):
            df[col] = df[col].dt.strftime("%Y-%m-%d")
    return df


def stacked_bar(df):
    df = _prepare(df)
    # An open range has no maximum: say so in words rather than showing "null".
    df["max_text"] = ["none stated" if pd.isna(v) else str(int(v)) for v in df["killed_max"]]
    return alt.Chart(df).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("killed_min:Q", title="people reported killed (minimum)", stack="zero"),
        y=alt.Y("governorate:N", title="governorate (ISO 3166-2)"),
        color=alt.Color("governorate:N", legend=None),
        detail="id:N",
        href="register_url:N",
        tooltip=[alt.Tooltip("id:N", title="row"), alt.Tooltip("title:N", title="incident"),
                 alt.Tooltip("phrase:N", title="claim words"), alt.Tooltip("killed_min:Q", title="min"),
                 alt.Tooltip("max_text:N", title="max")],
    )


def timeline(df):
    return alt.Chart(_prepare(df)).mark_bar(height=8).encode(
        x=alt.X("date_start:T", title="possible dates"),
        x2="date_after_end:T",
        y=alt.Y("id:N", title=None, sort=None),
        color=alt.Color("date_precision:N", title="date precision"),
        href="register_url:N",
        tooltip=[alt.Tooltip("id:N", title="row"), alt.Tooltip("title:N", title="incident"),
                 alt.Tooltip("date_start:N", title="earliest"), alt.Tooltip("date_after_end:N", title="day after latest")],
    )


def count_bar(df):
    category = [c for c in df.columns if c not in ("id", "title", "row_type")][0]
    return alt.Chart(_prepare(df)).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("count():Q", title="rows"),
        y=alt.Y(f"{category}:N", title=category.replace("_", " ")),
        detail="id:N",
        href="register_url:N",
        tooltip=[alt.Tooltip("id:N", title="row"), alt.Tooltip("title:N", title="description"),
                 alt.Tooltip(f"{category}:N", title=category.replace("_", " "))],
    )


def claims_bar(df):
    return alt.Chart(_prepare(df)).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("count():Q", title="claims"),
        y=alt.Y("kind:N", title="kind of claim"),
        color=alt.Color("outlet:N", title="named outlet"),
        detail="id:N",
        href="register_url:N",
        tooltip=[alt.Tooltip("id:N", title="row"), alt.Tooltip("outlet:N", title="outlet"),
                 alt.Tooltip("title:N", title="claim words")],
    )


def map(df):  # noqa: A001 - the registry names builders by what they draw
    return alt.Chart(_prepare(df)).mark_point(size=90, opacity=0.85, filled=True).encode(
        longitude="longitude:Q",
        latitude="latitude:Q",
        color=alt.Color("location_precision:N", title="location precision"),
        shape=alt.Shape("coord_basis:N", title="coordinate origin"),
        href="register_url:N",
        tooltip=[alt.Tooltip("id:N", title="row"), alt.Tooltip("title:N", title="place"),
                 alt.Tooltip("location_precision:N", title="precision"), alt.Tooltip("coord_basis:N", title="origin")],
    ).project(type="mercator")


def build(builder: str, df: pd.DataFrame) -> dict:
    chart = globals()[builder](df).properties(width="container", height=max(180, 16 * df.shape[0]) if builder == "timeline" else 260)
    return chart.to_dict()
