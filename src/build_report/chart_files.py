"""The files offered under each chart, made at build time: its data as CSV (the query result it draws,
column for column) and its image as SVG and PNG (drawn by vl-convert from the same spec, offline).

They are separate files linked from the page, never inlined, so a chart page stays light.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import vl_convert

from . import csvio

FOLDER = "figures"  # under the site's root (html_extra_path), beside downloads/
STATIC_WIDTH = 720  # px: a chart drawn to its page's column has no column in a file; this is the report's
PNG_SCALE = 2  # sharp on high-density screens and in print


def cell_text(value) -> str:
    """A query value as CSV text: empty for NULL, a day as YYYY-MM-DD, a whole number without ".0"."""
    if value is None or value is pd.NA or value is pd.NaT:  # nullable integer columns hold pd.NA
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def data_csv(df: pd.DataFrame) -> str:
    """The chart's query result as CSV in the project's written form (csvio)."""
    cols = list(df.columns)
    return csvio.dumps(cols, [[cell_text(v) for v in row] for row in df.itertuples(index=False, name=None)])


def static_spec(spec: dict, width: int = STATIC_WIDTH) -> dict:
    """The spec with every width fitted to its container replaced by a fixed width (a file has no container)."""
    if isinstance(spec, dict):
        return {k: (width if k == "width" and v == "container" else static_spec(v, width)) for k, v in spec.items()}
    if isinstance(spec, list):
        return [static_spec(v, width) for v in spec]
    return spec


def write(name: str, spec: dict, df: pd.DataFrame, dest: Path) -> dict[str, str]:
    """Write <name>.csv, .svg and .png into dest/figures; return {kind: path under the site's root}."""
    folder = dest / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    fixed = static_spec(spec)
    out = {}
    for kind in ("csv", "svg", "png"):
        path = folder / f"{name}.{kind}"
        if kind == "csv":
            path.write_text(data_csv(df), encoding="utf-8", newline="")
        elif kind == "svg":
            path.write_text(vl_convert.vegalite_to_svg(fixed), encoding="utf-8")
        else:
            path.write_bytes(vl_convert.vegalite_to_png(fixed, scale=PNG_SCALE))
        out[kind] = f"{FOLDER}/{path.name}"
    return out
