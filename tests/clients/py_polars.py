"""Read every table with polars, typed from the descriptor's Table Schemas, and print
{table: {"fields": [...], "dtypes": [...], "rows": [[text, ...]]}} as JSON (null as "").
Run with the interpreter of .venv-clients: python py_polars.py path/to/datapackage.json"""

import json
import os
import sys

import polars as pl

TYPES = {"string": pl.String, "integer": pl.Int64, "number": pl.Float64, "date": pl.Date, "boolean": pl.Boolean}


def text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def main(descriptor: str) -> None:
    root = os.path.dirname(os.path.abspath(descriptor))
    with open(descriptor, encoding="utf-8") as f:
        resources = [r for r in json.load(f)["resources"] if "schema" in r]
    out = {}
    for res in resources:
        schema = {f["name"]: TYPES[f["type"]] for f in res["schema"]["fields"]}
        frame = pl.read_csv(os.path.join(root, res["path"]), schema=schema)
        out[res["name"]] = {
            "fields": frame.columns,
            "dtypes": [str(t) for t in frame.dtypes],
            "rows": [[text(v) for v in row] for row in frame.iter_rows()],
        }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
