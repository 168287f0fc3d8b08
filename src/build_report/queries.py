"""Named SQL queries: each question is a .sql file in queries/, run against the package in DuckDB."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:  # DuckDB builds the frames itself; the gate, which needs none, does not pay for importing pandas
    import pandas as pd

from . import geo
from .package import records

QUERY_DIR = Path(__file__).parent / "queries"


@cache
def sql(name: str) -> str:
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


def describe(name: str) -> str:
    """The one-line comment at the top of a query file: what it returns."""
    first = sql(name).splitlines()[0]
    return first.removeprefix("--").strip()


def _prepared(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """A query may join `governorate_labels` (the map's label points): the table is registered when one does."""
    if geo.LABELS in sql(name):
        geo.register(con)
    return name


def rows(con: duckdb.DuckDBPyConnection, name: str) -> list[dict]:
    """Run a named query: its rows as dicts, None for NULL (package.records)."""
    return records(con, sql(_prepared(con, name)))


def frame(con: duckdb.DuckDBPyConnection, text: str) -> pd.DataFrame:
    """The rows of a query as a pandas DataFrame: the one place data frames are built, for the charts (Altair
    takes data frames) and for Great Expectations' pandas data source in tests/test_reference.py."""
    return con.execute(text).df()


def run(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """Run a named query into a DataFrame, for a chart."""
    return frame(con, sql(_prepared(con, name)))
