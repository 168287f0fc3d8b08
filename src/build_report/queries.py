"""Named SQL queries: each question is a .sql file in queries/, run against the package in DuckDB."""

from __future__ import annotations

from functools import cache
from pathlib import Path

QUERY_DIR = Path(__file__).parent / "queries"


@cache
def sql(name: str) -> str:
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


def describe(name: str) -> str:
    """The one-line comment at the top of a query file: what it returns."""
    first = sql(name).splitlines()[0]
    return first.removeprefix("--").strip()


def run(con, name: str):
    """Run a named query and return a pandas DataFrame. A query may join `governorates` (names, never codes)."""
    if "governorates" in sql(name):
        from . import geo

        geo.register(con)
    return con.execute(sql(name)).df()
