"""Load the Frictionless data package: descriptor, paths, archive text, and DuckDB tables typed from the schemas.

Safe loading: no file outside the package root is ever opened. A resource path is refused before
anything is read when it is absolute, a URL, climbs out with `..`, or resolves (through a symlink)
to a place outside the root. `Package.load` refuses a descriptor with any fault; the validator loads
with `strict=False` and reports every fault as a failure row instead (descriptor.py).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from . import descriptor as dcheck
from .descriptor import DESCRIPTOR, inside
from .failures import DataError
from .fieldtypes import DUCK_TYPES


class UsageError(Exception):
    """No package where one was asked for: exit code 2, not a data failure."""


class PackageError(Exception):
    """The descriptor cannot be used. `failures` lists every fault found (Failure rows)."""

    def __init__(self, failures: list):
        self.failures = failures
        super().__init__("; ".join(f.line() for f in failures[:5]))


def missing(v: Any) -> bool:
    """True for SQL NULL as `records` gives it (None) and for a number that is not a number (NaN)."""
    return v is None or isinstance(v, float) and math.isnan(v)


def default_root() -> Path:
    """The package root: the nearest parent of the working directory holding datapackage.json."""
    here = Path.cwd().resolve()
    for p in [here, *here.parents]:
        if (p / DESCRIPTOR).exists():
            return p
    raise UsageError("no datapackage.json in the working directory or its parents (use --root)")


def read_bytes(root: Path, rel: object) -> bytes:
    """The bytes of a package-relative file, through the guard: the one way any file of the tree is read
    (data, descriptor, prose such as CHANGELOG.md, templates, frozen releases). Raises PathRefused."""
    return inside(root, rel).read_bytes()


def read_text(root: Path, rel: str) -> str:
    """The text of a package-relative file (UTF-8), through the guard. Raises PathRefused, or DataError when
    the file is not UTF-8."""
    try:
        return read_bytes(root, rel).decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{rel} is not UTF-8 (byte {e.start})") from None


@dataclass
class Package:
    root: Path
    descriptor: dict
    faults: list = field(default_factory=list)  # descriptor failures (only with strict=False)
    usable: set = field(default_factory=set)  # resource names whose descriptor entry and path are sound

    @classmethod
    def load(cls, root: Path | str | None = None, strict: bool = True, frozen: bool = False) -> Package:
        """Read and check the descriptor. Raises UsageError (no package), PackageError (strict, any fault).
        frozen=True is for a past release laid out again: its patterns need only compile (see patterns.py)."""
        if root is not None:
            root = Path(root)
            if not root.is_dir():
                raise UsageError(f"package root {str(root)!r} is not a folder")
            root = root.resolve()
        else:
            root = default_root()
        if not os.path.lexists(root / DESCRIPTOR):
            raise UsageError(f"no {DESCRIPTOR} in {str(root)!r}")
        descriptor, faults = dcheck.read(root)
        usable: set = set()
        if descriptor is not None:
            more, usable = dcheck.check(root, descriptor, linear=not frozen)
            faults += more
        if faults and strict:
            raise PackageError(faults)
        return cls(root, descriptor if descriptor is not None else {}, faults, usable)

    @property
    def version(self) -> str:
        v = self.descriptor.get("version", "")
        return v if isinstance(v, str) else ""

    def resource(self, name: str) -> dict:
        for r in self.descriptor.get("resources", []):
            if isinstance(r, dict) and r.get("name") == name:
                return r
        raise KeyError(f"no resource named {name!r} in datapackage.json")

    def table_resources(self) -> list[dict]:
        return [
            r
            for r in self.descriptor.get("resources", [])
            if isinstance(r, dict) and "schema" in r and (not self.faults or r.get("name") in self.usable)
        ]

    def path(self, name: str) -> Path:
        """The file of a resource, refused (PathRefused) unless it is a regular file inside the package."""
        return inside(self.root, self.resource(name).get("path"))

    def file(self, rel: str) -> Path:
        """Any package-relative file (e.g. releases/0.1.0/ids.csv), with the same refusal as resource paths."""
        return inside(self.root, rel)

    def read_text(self, rel: str) -> str:
        """Any package-relative text file, read through the guard (see `read_text`)."""
        return read_text(self.root, rel)

    def fields(self, name: str) -> list[dict]:
        return self.resource(name)["schema"]["fields"]

    def primary_key(self, name: str) -> str:
        pk = self.resource(name)["schema"]["primaryKey"]
        return pk if isinstance(pk, str) else pk[0]

    def has_field(self, name: str, field: str) -> bool:
        return any(f.get("name") == field for f in self.fields(name))

    def foreign_keys(self) -> list[tuple[str, str, str, str]]:
        """(table, field, target table, target field) of every foreign key of the tables, in descriptor order
        (a reference to resource "" is to the table itself)."""
        out = []
        for res in self.table_resources():
            for fk in res["schema"].get("foreignKeys", []):
                fields, ref = fk["fields"], fk["reference"]
                targets = ref["fields"]
                fields, targets = ([x] if isinstance(x, str) else x for x in (fields, targets))
                out += [(res["name"], f, ref.get("resource") or res["name"], t) for f, t in zip(fields, targets)]
        return out

    def archive_bytes(self) -> bytes:
        return read_bytes(self.root, self.resource("archive").get("path"))

    def archive_text(self) -> str:
        return self.archive_bytes().decode("utf-8")


def connect(pkg: Package, database: str = ":memory:", lenient: bool = False) -> duckdb.DuckDBPyConnection:
    """Open DuckDB with one table per tabular resource, typed from its Table Schema.

    With lenient=True every column is read as text and cast with TRY_CAST, so that a table with a
    bad cell still loads (the bad cell becomes NULL). The validator does not use this: it loads the
    tables from the rows its own parser checked (checks/structure.py).
    """
    con = duckdb.connect(database)
    for res in pkg.table_resources():
        con.execute(create_table_sql(res, str(pkg.path(res["name"])), lenient))
        describe(con, res)
    active_views(con, pkg)
    return con


def create_table_sql(res: dict, path: str, lenient: bool = False) -> str:
    """The statement that loads one table from its CSV file, typed from its Table Schema (also run by the Query
    page's DuckDB-WASM on the same file, so that both engines read the data the same way)."""
    fields = res["schema"]["fields"]
    cols = ", ".join(f"{_lit(f['name'])}: 'VARCHAR'" for f in fields)
    raw = f"read_csv({_lit(path)}, header=true, auto_detect=false, columns={{{cols}}}, quote='\"', escape='\"', null_padding=false)"
    return f"CREATE TABLE {_q(res['name'])} AS SELECT {typed_select(fields, lenient)} FROM {raw}"


def active_view_sql(pkg: Package, names: set[str] | None = None) -> list[str]:
    """A view active_TABLE of the rows in force, for every table with a status field: the filter said once."""
    return [
        f"CREATE OR REPLACE VIEW {_q('active_' + res['name'])} AS SELECT * FROM {_q(res['name'])} WHERE status = 'active'"
        for res in pkg.table_resources()
        if (names is None or res["name"] in names) and pkg.has_field(res["name"], "status")
    ]


def active_views(con: duckdb.DuckDBPyConnection, pkg: Package, names: set[str] | None = None) -> None:
    for statement in active_view_sql(pkg, names):
        con.execute(statement)


def columns_and_records(
    con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None
) -> tuple[list[str], list[dict]]:
    """The column names of a query and its rows as dicts of plain Python values, None for NULL."""
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return cols, [dict(zip(cols, row)) for row in cur.fetchall()]


def records(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """Rows of a query as dicts of plain Python values, None for NULL: the way checks and pages read data."""
    return columns_and_records(con, sql, params)[1]


def overlap_members(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The incidents and tallies of each overlap group, in ID order."""
    members: dict[str, list[str]] = {}
    for rid, g in con.execute(
        "SELECT incident_id, overlap_group FROM incidents UNION ALL "
        "SELECT tally_id, overlap_group FROM tallies ORDER BY 1"
    ).fetchall():
        if g:
            members.setdefault(g, []).append(rid)
    return members


# Each corroborating report with the independence group it counts in: that of the source it relies on, else of its
# own source. One query for the checks that compare reports by group (truth.independence, coherence.mirrors).
REPORT_GROUPS = """
    SELECT k.corroboration_id AS id, k.url, k.source_id, coalesce(k.incident_id, k.tally_id) AS target,
           k.relies_on_source_id AS relies, k.url_is_copy AS mirror, s.independence_group AS grp
    FROM corroborations k JOIN sources s ON s.source_id = coalesce(k.relies_on_source_id, k.source_id)"""


def reports_with_publisher(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every corroboration, with its publisher's name as `publisher`."""
    return records(
        con,
        "SELECT k.*, s.name AS publisher FROM corroborations k LEFT JOIN sources s USING (source_id) "
        "ORDER BY corroboration_id",
    )


def typed_select(fields: list[dict], lenient: bool = True) -> str:
    cast = "TRY_CAST" if lenient else "CAST"
    return ", ".join(
        f"{cast}(NULLIF({_q(f['name'])}, '') AS {DUCK_TYPES[f['type']]}) AS {_q(f['name'])}" for f in fields
    )


def describe(con: duckdb.DuckDBPyConnection, res: dict) -> None:
    """Carry the descriptor's descriptions into DuckDB comments."""
    name = res["name"]
    con.execute(f"COMMENT ON TABLE {_q(name)} IS {_lit(str(res.get('description', '')))}")
    for f in res["schema"]["fields"]:
        con.execute(f"COMMENT ON COLUMN {_q(name)}.{_q(f['name'])} IS {_lit(str(f.get('description', '')))}")


def _q(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
