"""The routes researchers take to load the package: frictionless into pandas, the Excel workbook,
Parquet and the keyed DuckDB file. Every value is compared with the CSV text."""

import datetime as dt
import re

import duckdb
import pytest
from conftest import ROOT
from frictionless import Package as FPackage
from openpyxl import load_workbook

from build_report import csvio, outputs
from build_report.package import Package

PKG = Package.load(ROOT)
TABLES = [r["name"] for r in PKG.table_resources()]
ARABIC = re.compile(r"[\u0600-\u06ff]")


def csv_rows(name):
    return csvio.read(PKG.path(name))[1]


def as_text(value) -> str:
    """A loaded value written back the way the CSV writes it ('' for missing)."""
    # NaN of any numeric type is the one value unequal to itself.
    if value is None or value != value or str(value) in ("<NA>", "NaT"):  # noqa: PLR0124
        return ""
    if type(value).__name__ in ("bool", "bool_"):  # Python's or NumPy's; the CSV writes booleans in lower case
        return "true" if value else "false"
    if isinstance(value, (dt.datetime, dt.date)) or hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@pytest.mark.parametrize("name", TABLES)
def test_frictionless_to_pandas(name):
    df = FPackage(str(ROOT / "datapackage.json")).get_resource(name).to_pandas().reset_index()
    rows = csv_rows(name)
    assert len(df) == len(rows)
    key = PKG.primary_key(name)
    by_key = {r[key]: r for r in rows}
    for record in df.to_dict("records"):
        want = by_key[record[key]]
        for field, text in want.items():
            assert as_text(record[field]) == text, (name, record[key], field)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = outputs.write_xlsx(PKG, tmp_path_factory.mktemp("xlsx") / "package.xlsx")
    return load_workbook(path)


def test_xlsx_has_a_readme_and_one_sheet_per_table(workbook):
    assert workbook.sheetnames == ["README", *TABLES]
    readme = " ".join(str(c.value) for row in workbook["README"].iter_rows() for c in row if c.value)
    assert PKG.version in readme and "not covered" in readme


@pytest.mark.parametrize("name", TABLES)
def test_xlsx_round_trip_keeps_every_value(workbook, name):
    sheet = workbook[name]
    got = [[as_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    rows = csv_rows(name)
    header = list(rows[0].keys()) if rows else []
    assert got[0] == header
    assert got[1:] == [[r[h] for h in header] for r in rows]


def test_xlsx_keeps_arabic_text(workbook):
    in_csv = sum(1 for name in TABLES for r in csv_rows(name) for v in r.values() if ARABIC.search(v))
    in_xlsx = sum(
        1
        for name in TABLES
        for row in workbook[name].iter_rows(values_only=True)
        for v in row
        if isinstance(v, str) and ARABIC.search(v)
    )
    assert in_csv > 0 and in_xlsx == in_csv


def test_xlsx_text_never_becomes_a_formula(tmp_path):
    (tmp_path / "data").mkdir()
    import shutil

    shutil.copy(ROOT / "datapackage.json", tmp_path)
    shutil.copytree(ROOT / "data", tmp_path / "data", dirs_exist_ok=True)
    path = tmp_path / "data" / "overlap_groups.csv"
    rows = csvio.read_lists(path)
    rows[1][2] = "=HYPERLINK(\"http://example.invalid\")"
    csvio.write(path, rows[0], rows[1:])
    book = load_workbook(outputs.write_xlsx(Package.load(tmp_path), tmp_path / "x.xlsx"))
    cell = book["overlap_groups"].cell(row=2, column=3)
    assert cell.data_type == "s" and cell.value == rows[1][2]


@pytest.fixture(scope="module")
def keyed_db(tmp_path_factory):
    path = outputs.write_database(PKG, tmp_path_factory.mktemp("db") / "claims.duckdb")
    con = duckdb.connect(str(path))
    yield con
    con.close()


def test_duckdb_primary_keys_reject_a_duplicate(keyed_db):
    with pytest.raises(duckdb.ConstraintException):
        keyed_db.execute("INSERT INTO claims SELECT * FROM claims WHERE claim_id = 'CLM-0001'")


def test_duckdb_foreign_keys_reject_a_dangling_reference(keyed_db):
    with pytest.raises(duckdb.ConstraintException):
        keyed_db.execute("UPDATE claims SET incident_id = 'INC-9999' WHERE claim_id = 'CLM-0020'")


def test_duckdb_has_every_table_key_and_comment(keyed_db):
    keys = {
        t
        for (t,) in keyed_db.execute(
            "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'"
        ).fetchall()
    }
    assert keys == set(TABLES)
    fks = keyed_db.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY'"
    ).fetchone()[0]
    declared = sum(
        1
        for r in PKG.table_resources()
        for fk in r["schema"].get("foreignKeys", [])
        if fk["reference"]["resource"] not in ("", r["name"])
    )
    assert fks == declared
    missing = keyed_db.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND (comment IS NULL OR comment = '')"
    ).fetchall()
    assert missing == []
    for name in TABLES:
        assert keyed_db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(csv_rows(name))


def test_parquet_per_table(tmp_path):
    files = outputs.write_parquet(PKG, tmp_path)
    assert sorted(p.stem for p in files) == sorted(TABLES)
    con = duckdb.connect()
    for p in files:
        assert con.execute(f"SELECT count(*) FROM read_parquet('{p}')").fetchone()[0] == len(csv_rows(p.stem))


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory):
    import sqlite3

    path = outputs.write_sqlite(PKG, tmp_path_factory.mktemp("sqlite") / "claims.sqlite")
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = ON")
    yield con
    con.close()


def test_sqlite_keys_and_types(sqlite_db):
    import sqlite3

    assert sqlite_db.execute("PRAGMA foreign_key_check").fetchall() == []
    with pytest.raises(sqlite3.IntegrityError):
        sqlite_db.execute("INSERT INTO claims SELECT * FROM claims WHERE claim_id = 'CLM-0001'")
    with pytest.raises(sqlite3.IntegrityError):
        sqlite_db.execute("UPDATE claims SET incident_id = 'INC-9999' WHERE claim_id = 'CLM-0020'")
    assert "REGEXP" not in " ".join(
        sql for (sql,) in sqlite_db.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")
    )
    for name in TABLES:
        fields = {f["name"]: f["type"] for f in PKG.fields(name)}
        cur = sqlite_db.execute(f'SELECT * FROM "{name}"')
        cols = [c[0] for c in cur.description]
        got = {r[cols.index(PKG.primary_key(name))]: dict(zip(cols, r)) for r in cur.fetchall()}
        for row in csv_rows(name):
            record = got[row[PKG.primary_key(name)]]
            for field, text in row.items():
                value = record[field]
                assert as_text(value) == text, (name, field)
                if text and fields[field] == "integer":
                    assert isinstance(value, int)


def test_datasette_metadata_describes_every_column():
    meta = outputs.datasette_metadata(PKG, "claims")
    assert meta["license"] and meta["source"]
    tables = meta["databases"]["claims"]["tables"]
    assert set(tables) == set(TABLES)
    for name in TABLES:
        assert set(tables[name]["columns"]) == {f["name"] for f in PKG.fields(name)}
