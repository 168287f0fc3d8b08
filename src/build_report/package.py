"""Load the Frictionless data package: descriptor, paths, archive text, and DuckDB tables typed from the schemas."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

DUCK_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE", "boolean": "BOOLEAN"}



def missing(v) -> bool:
    """True for SQL NULL as pandas shows it: None, NaN, NaT or pd.NA."""
    import pandas as pd

    if v is None:
        return True
    if isinstance(v, (list, tuple, dict)) or hasattr(v, "__len__") and not isinstance(v, str):
        return False  # a list of IDs is a value, even when empty
    return bool(pd.isna(v))


def default_root() -> Path:
    """The package root: the nearest parent of the working directory holding datapackage.json."""
    here = Path.cwd().resolve()
    for p in [here, *here.parents]:
        if (p / "datapackage.json").exists():
            return p
    raise FileNotFoundError("no datapackage.json in the working directory or its parents")


@dataclass
class Package:
    root: Path
    descriptor: dict

    @classmethod
    def load(cls, root: Path | str | None = None) -> "Package":
        root = Path(root).resolve() if root else default_root()
        return cls(root, json.loads((root / "datapackage.json").read_text(encoding="utf-8")))

    @property
    def version(self) -> str:
        return self.descriptor.get("version", "")

    def resource(self, name: str) -> dict:
        for r in self.descriptor["resources"]:
            if r["name"] == name:
                return r
        raise KeyError(f"no resource named {name!r} in datapackage.json")

    def table_resources(self) -> list[dict]:
        return [r for r in self.descriptor["resources"] if "schema" in r]

    def path(self, name: str) -> Path:
        return self.root / self.resource(name)["path"]

    def fields(self, name: str) -> list[dict]:
        return self.resource(name)["schema"]["fields"]

    def primary_key(self, name: str) -> str:
        return self.resource(name)["schema"]["primaryKey"][0]

    def archive_bytes(self) -> bytes:
        return self.path("archive").read_bytes()

    def archive_text(self) -> str:
        return self.archive_bytes().decode("utf-8")


def connect(pkg: Package, database: str = ":memory:", lenient: bool = False) -> duckdb.DuckDBPyConnection:
    """Open DuckDB with one table per tabular resource, typed from its Table Schema.

    With lenient=True every column is read as text and cast with TRY_CAST, so that a table with a
    bad cell still loads (the bad cell becomes NULL) and the checks of meaning can run beside the
    structural report that names the cell.
    """
    con = duckdb.connect(database)
    for res in pkg.table_resources():
        name = res["name"]
        fields = res["schema"]["fields"]
        path = str(pkg.root / res["path"]).replace("'", "''")
        cols = ", ".join(f"'{f['name']}': 'VARCHAR'" for f in fields)
        raw = f"read_csv('{path}', header=true, auto_detect=false, columns={{{cols}}}, quote='\"', escape='\"', null_padding=false)"
        cast = "TRY_CAST" if lenient else "CAST"
        select = ", ".join(
            f"{cast}(NULLIF({_q(f['name'])}, '') AS {DUCK_TYPES[f['type']]}) AS {_q(f['name'])}" for f in fields
        )
        con.execute(f"CREATE TABLE {_q(name)} AS SELECT {select} FROM {raw}")
        con.execute(f"COMMENT ON TABLE {_q(name)} IS {_lit(res.get('description', ''))}")
        for f in fields:
            con.execute(f"COMMENT ON COLUMN {_q(name)}.{_q(f['name'])} IS {_lit(f.get('description', ''))}")
    return con


def _q(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
