"""Artefacts built from the package: a zip of the package, the CSVs, Parquet, an Excel workbook, a DuckDB
database, and a SQLite database with datasette metadata."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

from . import csvio
from .package import Package, _lit, _q, connect

FIXED_TIME = (2016, 2, 4, 0, 0, 0)  # zip entries carry no build time, so rebuilds are byte-identical


def zip_files(files: list[Path], root: Path, dest: Path) -> Path:
    """A zip of files named relative to root, in sorted order, with fixed timestamps and modes."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for f in sorted(files):
            info = zipfile.ZipInfo(f.relative_to(root).as_posix(), date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, f.read_bytes())
    return dest


def zip_entries(entries: dict[str, bytes], dest: Path) -> Path:
    """A zip of named byte strings, in sorted order, with fixed timestamps and modes."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, entries[name])
    return dest


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def database_main(root: str | None) -> int:
    pkg = Package.load(root)
    path = write_database(pkg, pkg.root / "build" / "claims.duckdb")
    print(path)
    return 0


# ---- tables in other formats ---------------------------------------------------------------------


def _table_order(pkg: Package) -> list[dict]:
    """Table resources with every referenced table before the tables that point at it (for foreign keys)."""
    todo = {r["name"]: r for r in pkg.table_resources()}
    done: list[dict] = []
    while todo:
        ready = [
            n
            for n, r in todo.items()
            if all(
                fk["reference"]["resource"] in ("", n) or fk["reference"]["resource"] not in todo
                for fk in r["schema"].get("foreignKeys", [])
            )
        ]
        if not ready:  # a cycle: keep descriptor order for the rest
            ready = list(todo)
        for n in ready:
            done.append(todo.pop(n))
    return done


def write_database(pkg: Package, dest: Path) -> Path:
    """A DuckDB file with every table typed from its schema, with primary keys, foreign keys, NOT NULL
    where the schema requires a value, and the schema's descriptions as table and column comments."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        dest.unlink()
    src = connect(pkg)
    src.execute("SET threads=1")
    src.execute(f"ATTACH {_lit(str(dest))} AS out")
    for res in _table_order(pkg):
        name, schema = res["name"], res["schema"]
        types = dict(
            src.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_catalog = current_database() AND table_name = ?",
                [name],
            ).fetchall()
        )
        cols = [
            f"{_q(f['name'])} {types[f['name']]}" + (" NOT NULL" if f.get("constraints", {}).get("required") else "")
            for f in schema["fields"]
        ]
        cols.append("PRIMARY KEY (" + ", ".join(_q(k) for k in schema["primaryKey"]) + ")")
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"]["resource"] or name
            if target == name:
                continue  # DuckDB cannot check a key that points into its own table; validation does
            cols.append(
                f"FOREIGN KEY ({', '.join(_q(c) for c in fk['fields'])}) REFERENCES "
                f"{_q(target)} ({', '.join(_q(c) for c in fk['reference']['fields'])})"
            )
        src.execute(f"CREATE TABLE out.{_q(name)} ({', '.join(cols)})")
        key = ", ".join(_q(k) for k in schema["primaryKey"])
        src.execute(f"INSERT INTO out.{_q(name)} SELECT * FROM {_q(name)} ORDER BY {key}")
        src.execute(f"COMMENT ON TABLE out.{_q(name)} IS {_lit(res.get('description', ''))}")
        for f in schema["fields"]:
            src.execute(f"COMMENT ON COLUMN out.{_q(name)}.{_q(f['name'])} IS {_lit(f.get('description', ''))}")
    src.execute("DETACH out")
    src.close()
    return dest


def write_parquet(pkg: Package, dest: Path) -> list[Path]:
    """One Parquet file per table, rows in key order, typed as in DuckDB."""
    dest.mkdir(parents=True, exist_ok=True)
    con = connect(pkg)
    con.execute("SET threads=1")
    made = []
    for res in pkg.table_resources():
        key = ", ".join(_q(k) for k in res["schema"]["primaryKey"])
        target = dest / f"{res['name']}.parquet"
        con.execute(f"COPY (SELECT * FROM {_q(res['name'])} ORDER BY {key}) TO {_lit(str(target))} (FORMAT parquet)")
        made.append(target)
    return made


XLSX_README = [
    "This workbook holds the tables of the data package, one sheet per table, with the same rows and values as the CSV files.",
    "Text is Unicode (Arabic place names and curly quotes included). Empty cells are missing values (no value was reported or coded).",
    "Dates are real spreadsheet dates shown as YYYY-MM-DD; counts are whole numbers.",
    "Rows record what sources reported, not established facts. Read the methods page of the report before using the numbers.",
]


def write_xlsx(pkg: Package, dest: Path) -> Path:
    """A workbook with a README sheet and one sheet per table; byte-identical when rebuilt."""
    import datetime as dt
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    fixed = dt.datetime(*FIXED_TIME)
    wb.properties.creator = pkg.descriptor.get("name", "")
    wb.properties.created = wb.properties.modified = fixed
    readme = wb.active
    readme.title = "README"
    d = pkg.descriptor
    lines = [[d.get("title", "")], [f"Version {pkg.version}"], [d.get("description", "")], []]
    lines += [[t] for t in XLSX_README]
    for lic in d.get("licenses", []):
        lines.append([f"Licence: {lic.get('title') or lic.get('name')} ({lic.get('path', '')})"])
    for res in d["resources"]:
        if "schema" not in res and res.get("licenses"):
            lines.append([f"{res['name']}: {res['licenses'][0].get('title', '')}"])
    lines += [[], ["sheet", "field", "type", "title", "description"]]
    for res in pkg.table_resources():
        for f in res["schema"]["fields"]:
            lines.append([res["name"], f["name"], f["type"], f.get("title", ""), f.get("description", "")])
    for row in lines:
        readme.append([_text_cell(v) for v in row])
    for res in pkg.table_resources():
        ws = wb.create_sheet(res["name"][:31])
        fields = res["schema"]["fields"]
        ws.append([f["name"] for f in fields])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in csvio.read(pkg.root / res["path"])[1]:
            ws.append([_typed_cell(row[f["name"]], f["type"]) for f in fields])
        for col, f in enumerate(fields, start=1):
            if f["type"] == "date":
                for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps every zip entry, and the "modified" property, with the current time: fix both.
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            fixed_info = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed_info.external_attr = 0o644 << 16
            fixed_info.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + fixed.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data
                )
            out.writestr(fixed_info, data)
    return dest


def _text_cell(value):
    from openpyxl.cell.cell import Cell

    cell = Cell(None, value=value)
    cell.data_type = "s"  # text stays text: never a formula, whatever its first character
    return cell


def _typed_cell(text: str, kind: str):
    import datetime as dt

    if text == "":
        return None
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "date":
        return dt.date.fromisoformat(text)
    return _text_cell(text)


SQLITE_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "date": "TEXT", "boolean": "INTEGER"}


def write_sqlite(pkg: Package, dest: Path) -> Path:
    """A SQLite file for datasette and other SQLite tools: typed columns, primary and foreign keys, no
    REGEXP checks (SQLite has no regular expressions unless a tool adds them), rows in key order.

    Written here rather than by frictionless' SQL writer (`Package.publish("sqlite:///...")`, which
    datapackage-to-datasette uses), which cannot load this package: it creates an empty table for the
    text resource, turns each `pattern` into a REGEXP check that raises on empty cells (and that no other
    SQLite client can evaluate), and writes date bounds as unquoted arithmetic. Reproductions and the
    workaround for frictionless users: docs/upstream-frictionless.md. Only table resources become tables;
    validation, not the database, enforces patterns, enums and bounds."""
    import sqlite3

    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        dest.unlink()
    con = sqlite3.connect(dest)
    for res in _table_order(pkg):
        name, schema = res["name"], res["schema"]
        cols = [
            f"{_q(f['name'])} {SQLITE_TYPES[f['type']]}"
            + (" NOT NULL" if f.get("constraints", {}).get("required") else "")
            for f in schema["fields"]
        ]
        cols.append("PRIMARY KEY (" + ", ".join(_q(k) for k in schema["primaryKey"]) + ")")
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"]["resource"] or name
            cols.append(
                f"FOREIGN KEY ({', '.join(_q(c) for c in fk['fields'])}) REFERENCES "
                f"{_q(target)} ({', '.join(_q(c) for c in fk['reference']['fields'])})"
            )
        con.execute(f"CREATE TABLE {_q(name)} ({', '.join(cols)})")
        kinds = [f["type"] for f in schema["fields"]]
        rows = [
            [
                None if v == "" else int(v) if k == "integer" else float(v) if k == "number" else v
                for v, k in zip(row, kinds)
            ]
            for row in csvio.read_lists(pkg.root / res["path"])[1:]
        ]
        key = [f["name"] for f in schema["fields"]].index(schema["primaryKey"][0])
        rows.sort(key=lambda r: r[key])
        con.executemany(f"INSERT INTO {_q(name)} VALUES ({', '.join('?' for _ in kinds)})", rows)
    con.commit()
    con.execute("VACUUM")
    con.close()
    return dest


def write_datasette_metadata(pkg: Package, database: Path, dest: Path) -> Path:
    """datasette's metadata.json for the SQLite file `database` (datasette names a database by its stem)."""
    dest.write_text(
        json.dumps(datasette_metadata(pkg, database.stem), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return dest


def datasette_metadata(pkg: Package, database: str) -> dict:
    """datasette's metadata.json: titles, descriptions, label columns, licence and source, from the descriptor."""
    d = pkg.descriptor
    lic = (d.get("licenses") or [{}])[0]
    source = (d.get("sources") or [{}])[0]
    tables = {}
    for res in pkg.table_resources():
        tables[res["name"]] = {
            "title": res.get("title", res["name"]),
            "description": res.get("description", ""),
            "columns": {f["name"]: f.get("description", "") for f in res["schema"]["fields"]},
        }
        if res.get("labelField"):  # 0.2.0 and earlier name none, so their metadata rebuilds unchanged
            tables[res["name"]]["label_column"] = res["labelField"]
    return {
        "title": d.get("title", ""),
        "description": d.get("description", ""),
        "license": lic.get("name", ""),
        "license_url": lic.get("path", ""),
        "source": source.get("title", ""),
        "source_url": source.get("path", ""),
        "databases": {database: {"tables": tables}},
    }
