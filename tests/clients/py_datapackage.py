"""Load every table with the old Python `datapackage` (its Package, which reads the descriptor's dialect)
and with `tableschema` alone (a Table from the CSV path and the schema, no dialect: the library sniffs the
file), casting values with the schema. Prints {client: {table: {"fields": [...], "rows": [[text, ...]]}}}
as JSON. Run with the interpreter of .venv-datapackage: python py_datapackage.py path/to/datapackage.json"""

import datetime
import decimal
import json
import os
import sys

import datapackage
import tableschema


def text(value):
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


def main(descriptor: str) -> None:
    root = os.path.dirname(os.path.abspath(descriptor))
    package = datapackage.Package(descriptor, base_path=root)
    if not package.valid:
        raise SystemExit("descriptor invalid: " + "; ".join(map(str, package.errors)))
    out = {"datapackage": {}, "tableschema": {}}
    for resource in package.resources:
        if not resource.tabular:
            continue
        rows = resource.read(cast=True)
        out["datapackage"][resource.name] = {"fields": resource.headers, "rows": [[text(v) for v in r] for r in rows]}
        table = tableschema.Table(os.path.join(root, resource.descriptor["path"]), schema=resource.descriptor["schema"])
        rows = table.read(cast=True)
        out["tableschema"][resource.name] = {"fields": table.headers, "rows": [[text(v) for v in r] for r in rows]}
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
