"""The package loads unchanged in the tools researchers use.

Every table is loaded by each third-party client, and every cell the client returns is compared with the
text of the CSV file: 0 cells may differ, and the Arabic text must survive. Integers and dates are compared
as the client's value written back as text; numbers by value. The clients are installed by `make clients`
(which `make test` runs first) from pinned lock files under tests/clients/; a client that is missing fails
its test with the reason recorded by the install, it is never skipped.

| client | how it is run |
|---|---|
| frictionless -> pandas | in process (.venv) |
| polars, csvkit (`csvstat`, no flags; `csvjson -I` for the cells), datasette | .venv-clients |
| Python `datapackage` and `tableschema` | .venv-datapackage (old pins) |
| JavaScript `datapackage` | node, tests/clients/js (npm ci from package-lock.json) |
| R readr, with the descriptor's types | Rscript (Debian r-cran-readr) |
| LibreOffice headless (.xlsx and each CSV, UTF-8 filter) | soffice (Debian libreoffice-calc-nogui) |
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from build_report import artefacts, book, csvio, loaders, outputs
from build_report.package import Package

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ROOT / "tests" / "clients"
LOGS = ROOT / "build" / "clients"  # what `make clients` recorded for each client it installed
PKG = Package.load(ROOT)
RESOURCES = list(PKG.table_resources())
TABLES = [r["name"] for r in RESOURCES]
ARABIC = re.compile("[\u0600-\u06ff]")
TIMEOUT = 300


def expected(name: str) -> tuple[list[str], list[list[str]]]:
    res = next(r for r in RESOURCES if r["name"] == name)
    header, rows = csvio.read(ROOT / res["path"])
    return header, [[row[h] for h in header] for row in rows]


def kinds(name: str) -> list[str]:
    return [f["type"] for f in next(r for r in RESOURCES if r["name"] == name)["schema"]["fields"]]


def same(text: str, got: str, kind: str) -> bool:
    if text == got:
        return True
    if kind == "number" and text and got:
        try:
            return math.isclose(float(text), float(got), rel_tol=0, abs_tol=0)
        except ValueError:
            return False
    return False


def differences(client: str, loaded: dict[str, tuple[list[str], list[list[str]]]]) -> list[str]:
    """Every cell of every table that the client returned differently from the CSV text, as messages
    (table, row, field, expected, got); also a missing table, a different header or row count."""
    out = []
    for name in TABLES:
        if name not in loaded:
            out.append(f"{client}: table {name} not loaded")
            continue
        header, rows = expected(name)
        got_header, got_rows = loaded[name]
        if list(got_header) != header:
            out.append(f"{client}: {name} header {list(got_header)[:5]}... != {header[:5]}...")
            continue
        if len(got_rows) != len(rows):
            out.append(f"{client}: {name} has {len(got_rows)} rows, the CSV {len(rows)}")
        for i, (want, got) in enumerate(zip(rows, got_rows), start=2):
            if len(got) != len(want):
                out.append(f"{client}: {name} line {i}: {len(got)} cells, the CSV {len(want)}")
                continue
            for field, kind, a, b in zip(header, kinds(name), want, got):
                if not same(a, b, kind):
                    out.append(f"{client}: {name} line {i} {field}: CSV {a[:60]!r}, client {b[:60]!r}")
    return out


def assert_same(client: str, loaded) -> None:
    diff = differences(client, loaded)
    assert not diff, f"{len(diff)} cells different:\n" + "\n".join(diff[:40])
    arabic = sum(bool(ARABIC.search(v)) for name in TABLES for row in loaded[name][1] for v in row)
    want = sum(bool(ARABIC.search(v)) for name in TABLES for row in expected(name)[1] for v in row)
    assert want > 0 and arabic == want, f"{client}: {arabic} cells with Arabic text, the CSVs {want}"


def need(path: Path | str, client: str) -> str:
    """The client's executable, or a failure naming why it is missing (from make clients' log)."""
    found = shutil.which(str(path)) if os.sep not in str(path) else (str(path) if Path(path).exists() else None)
    if found:
        return found
    log = LOGS / f"{client}.log"
    if not log.exists():
        reason = "`make clients` has not been run (make test runs it)"
    else:
        lines = [
            line
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
            if not line.startswith("WARNING: Location")
        ]  # pip's notes on unused local indexes
        reason = (
            f"the last `make clients` logged ({log.relative_to(ROOT)}):\n" + "\n".join(lines[-30:])
            if lines
            else "the last `make clients` installed it without error; it has been removed since"
        )
    pytest.fail(f"client {client} is not installed ({path} is missing): {reason}", pytrace=False)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT, **kw)
    assert result.returncode == 0, f"{cmd[0]} exited {result.returncode}: {result.stderr[-3000:]}"
    return result


def from_json(data: dict) -> dict:
    return {name: (t["fields"], t["rows"]) for name, t in data.items()}


def text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if hasattr(value, "hour") else value.isoformat()
    return str(value)


# ---- the CSV form itself ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", TABLES)
def test_sniffer_finds_comma_and_double_quote(name):
    res = next(r for r in RESOURCES if r["name"] == name)
    head = (ROOT / res["path"]).read_bytes()[:1024].decode("utf-8", errors="ignore")
    dialect = csv.Sniffer().sniff(head)
    assert (dialect.delimiter, dialect.quotechar) == (",", '"')


# ---- Python clients ---------------------------------------------------------------------------------


def test_frictionless_to_pandas():
    import pandas as pd
    from frictionless import Package as FPackage

    package = FPackage(str(ROOT / "datapackage.json"))
    loaded = {}
    for name in TABLES:
        frame = package.get_resource(name).to_pandas().reset_index()
        rows = [
            ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else text(v) for v in row]
            for row in frame.itertuples(index=False, name=None)
        ]
        loaded[name] = (list(frame.columns), rows)
    assert_same("frictionless -> pandas", loaded)


def test_polars():
    python = need(ROOT / ".venv-clients" / "bin" / "python", "python-clients")
    data = json.loads(run([python, str(CLIENTS / "py_polars.py"), str(ROOT / "datapackage.json")]).stdout)
    assert_same("polars", from_json(data))
    polars = {"string": "String", "integer": "Int64", "number": "Float64", "date": "Date"}
    for name in TABLES:
        assert data[name]["dtypes"] == [polars[k] for k in kinds(name)], name


def test_csvkit():
    csvstat = need(ROOT / ".venv-clients" / "bin" / "csvstat", "python-clients")
    csvjson = str(Path(csvstat).with_name("csvjson"))
    loaded, default = {}, {}
    for res in RESOURCES:
        header, rows = expected(res["name"])
        stat = run([csvstat, str(ROOT / res["path"])])  # no flags: csvkit sniffs the dialect itself
        assert stat.stderr == "", f"csvstat {res['name']}: {stat.stderr}"
        assert re.findall(r'^\s*\d+\. "(.*)"$', stat.stdout, flags=re.MULTILINE) == header, res["name"]
        assert f"Row count: {len(rows)}" in stat.stdout, res["name"]
        # -I: no type inference, so the cells come back as csvkit parsed them (empty cells as null)
        for flags, store in ((["-I"], default), (["-I", "--blanks", "--null-value", ""], loaded)):
            cells = json.loads(run([csvjson, str(ROOT / res["path"]), *flags]).stdout)
            store[res["name"]] = (list(cells[0]) if cells else header, [[text(v) for v in r.values()] for r in cells])
    assert_same("csvkit (--blanks --null-value '')", loaded)
    # By default csvkit (agate) also reads the words na, n/a, none, null and . as missing, in any case.
    # The package has `none` as a coded value (places.admin1_basis, places.coord_basis): those cells,
    # and only those, come back empty. The README tells csvkit users to pass --blanks --null-value "".
    nulls = {"na", "n/a", "none", "null", "."}
    changed = differences("csvkit", default)
    words = [
        m
        for m in changed
        if re.search(r"CSV '([^']*)', client ''$", m) and re.search(r"CSV '([^']*)'", m).group(1).lower() in nulls
    ]
    assert changed == words, "\n".join(m for m in changed if m not in words)


def test_python_datapackage_and_tableschema():
    python = need(ROOT / ".venv-datapackage" / "bin" / "python", "datapackage-py")
    data = json.loads(run([python, str(CLIENTS / "py_datapackage.py"), str(ROOT / "datapackage.json")]).stdout)
    assert_same("datapackage (Python)", from_json(data["datapackage"]))
    assert_same("tableschema (Python, no dialect)", from_json(data["tableschema"]))


# ---- JavaScript and R ------------------------------------------------------------------------------


def test_js_datapackage():
    node = need("node", "datapackage-js")
    need(CLIENTS / "js" / "node_modules" / "datapackage" / "package.json", "datapackage-js")
    data = json.loads(run([node, str(CLIENTS / "js" / "read.js"), str(ROOT / "datapackage.json")]).stdout)
    assert_same("datapackage (JavaScript)", from_json(data))


def test_r_readr(tmp_path):
    rscript = need("Rscript", "r-readr")
    letters = {"string": "c", "integer": "i", "number": "d", "date": "D", "boolean": "l"}
    args = []
    for res in RESOURCES:
        args += [res["name"], str(ROOT / res["path"]), "".join(letters[k] for k in kinds(res["name"]))]
    out = run([rscript, str(CLIENTS / "readr.R"), str(tmp_path)] + args).stdout
    report = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    loaded = {}
    for name in TABLES:
        header, rows = expected(name)
        assert report[name] == [str(len(rows)), str(len(header)), "0"], (
            f"readr {name}: rows, columns, problems {report[name]}"
        )
        loaded[name] = csvio.read(tmp_path / f"{name}.csv")
        loaded[name] = (loaded[name][0], [[r[h] for h in loaded[name][0]] for r in loaded[name][1]])
    assert_same("R readr", loaded)


def enum_fields(name: str) -> list[str]:
    return [
        f["name"]
        for f in next(r for r in RESOURCES if r["name"] == name)["schema"]["fields"]
        if f.get("constraints", {}).get("enum")
    ]


def test_r_loader_is_generated_from_the_descriptor():
    assert (ROOT / loaders.R_LOADER).read_text(encoding="utf-8") == loaders.r_loader(PKG.descriptor), (
        "R/read_package.R is stale: python -m build_report r-loader"
    )


def test_r_read_package(tmp_path):
    # The repository's loader, as a user sources it: every table, enum fields as factors, 0 cells different.
    rscript = need("Rscript", "r-readr")
    out = run([rscript, str(CLIENTS / "read_package.R"), str(ROOT / loaders.R_LOADER), str(ROOT), str(tmp_path)])
    report = {line.split()[0]: line.split()[1:] for line in out.stdout.splitlines() if line.strip()}
    loaded = {}
    for name in TABLES:
        header, rows = expected(name)
        assert report[name][:2] == [str(len(rows)), str(len(header))], f"R read_package {name}: {report[name]}"
        assert report[name][2].split(",")[1:] == enum_fields(name), f"R read_package {name}: factors {report[name]}"
        loaded[name] = csvio.read(tmp_path / f"{name}.csv")
        loaded[name] = (loaded[name][0], [[r[h] for h in loaded[name][0]] for r in loaded[name][1]])
    assert_same("R read_package", loaded)


def stata_text(value, kind: str) -> str:
    """A cell as pandas reads it from a .dta file, written back as the CSV writes it."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if kind == "date":
        return value.strftime("%Y-%m-%d")
    if kind == "integer":
        return str(int(value))
    if kind == "boolean":
        return str(value)
    return text(value)


def test_stata(tmp_path):
    # The release's .dta files, read back (pandas' reader: no Stata here): 0 cells different, a variable
    # label per field from its title, and every enum a value label with its values in the enum's order.
    files = loaders.write_stata(PKG, tmp_path)
    loaded = {}
    for path in files:
        name = path.stem
        fields = {f["name"]: f for f in next(r for r in RESOURCES if r["name"] == name)["schema"]["fields"]}
        with pd.io.stata.StataReader(path) as reader:
            frame = reader.read(convert_categoricals=True)
            labels, values = reader.variable_labels(), reader.value_labels()
        assert labels == {n: (f.get("title") or n)[:80] for n, f in fields.items()}, name
        for field in enum_fields(name):
            assert list(values[field].values()) == fields[field]["constraints"]["enum"], (name, field)
        rows = [
            [stata_text(v, fields[c]["type"]) for c, v in zip(frame.columns, row)]
            for row in frame.astype(object).itertuples(index=False)
        ]
        loaded[name] = (list(frame.columns), rows)
    assert set(loaded) == set(TABLES)
    assert_same("Stata (.dta)", loaded)


# ---- datasette ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read().decode("utf-8"))


def test_datasette_json_api(tmp_path):
    datasette = need(ROOT / ".venv-clients" / "bin" / "datasette", "python-clients")
    # Named as a release names it (claims_0_2_1.sqlite): datasette takes the stem for the database's name,
    # and a dotted stem (claims-0.2.0) made every JSON URL answer 404.
    db = outputs.write_sqlite(PKG, tmp_path / f"{artefacts.database_stem(PKG.version)}.sqlite")
    meta = outputs.write_datasette_metadata(PKG, db, tmp_path / "metadata.json")
    database = db.stem
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [datasette, "serve", str(db), "-m", str(meta), "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(f"{base}/-/versions.json")
                break
            except OSError:
                assert server.poll() is None, "datasette stopped: " + server.stdout.read().decode(errors="replace")
                assert time.monotonic() < deadline, "datasette did not answer within 60 s"
                time.sleep(0.3)
        loaded = {}
        for name in TABLES:
            rows = get_json(f"{base}/{database}/{name}.json?_shape=array&_size=max&_nocount=1")
            header, want = expected(name)
            assert len(rows) == len(want) < 1000, name  # one page (datasette's max_returned_rows is 1000)
            loaded[name] = (list(rows[0]), [[text(v) for v in r.values()] for r in rows])
        # datasette returns rows in primary-key (text) order; compare in the CSV's order
        for name in TABLES:
            header, want = expected(name)
            key = header.index(PKG.primary_key(name))
            by_key = {r[key]: r for r in loaded[name][1]}
            loaded[name] = (loaded[name][0], [by_key.get(w[key], []) for w in want])
        assert_same("datasette", loaded)

        # Typed integers, and every foreign key of every table shown with its target's label (the target's
        # labelField in the descriptor, datasette's label_column in the metadata), never a bare ID.
        claims = get_json(f"{base}/{database}/claims.json?_shape=array&_size=max")
        assert all(isinstance(r["char_start"], int) and isinstance(r["line"], int) for r in claims)
        labels = {}
        for res in PKG.table_resources():
            if res.get("labelField"):
                header, rows = expected(res["name"])
                key, label = header.index(PKG.primary_key(res["name"])), header.index(res["labelField"])
                labels[res["name"]] = {r[key]: r[label] for r in rows}
        shown = 0
        for res in PKG.table_resources():
            fks = [
                (fk["fields"], fk["reference"]["resource"] or res["name"])
                for fk in res["schema"].get("foreignKeys", [])
            ]
            if not fks:
                continue
            rows = get_json(f"{base}/{database}/{res['name']}.json?_shape=array&_labels=on&_size=max&_nocount=1")
            for fields, target in fks:
                field = fields if isinstance(fields, str) else fields[0]
                for row in rows:
                    if row[field] is None:
                        continue
                    cell = row[field]
                    assert isinstance(cell, dict), (res["name"], field, cell)
                    assert cell["label"] == labels[target][cell["value"]], (res["name"], field, cell)
                    shown += 1
        assert shown > 0
        assert get_json(f"{base}/-/metadata.json")["license"] == PKG.descriptor["licenses"][0]["name"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


# ---- LibreOffice ----------------------------------------------------------------------------------

# LibreOffice's CSV filter options: separator 44 (,), text delimiter 34 ("), character set 76 (UTF-8),
# first line 1, no column formats, language 1033; on import "quoted field as text" true and "detect
# special numbers" false; on export cells as shown; for the workbook token 12 = -1: every sheet to a file
# of its own, named <book>-<sheet>.csv.
LO_IMPORT = "CSV:44,34,76,1,,1033,true,false"
LO_EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,false,true"
LO_EXPORT_SHEETS = LO_EXPORT + ",false,false,-1"


def soffice(args: list[str], tmp_path: Path) -> None:
    exe = need("soffice", "libreoffice")
    profile = (tmp_path / "profile").as_uri()  # a throwaway profile: no lock on the user's own
    run([exe, f"-env:UserInstallation={profile}", "--headless", "--norestore"] + args, cwd=tmp_path)


def read_back(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def test_libreoffice_csv_with_utf8_filter(tmp_path):
    for res in RESOURCES:
        shutil.copy(ROOT / res["path"], tmp_path / f"{res['name']}.csv")
    soffice(
        ["--infilter=" + LO_IMPORT, "--convert-to", LO_EXPORT, "--outdir", str(tmp_path / "out")]
        + [f"{name}.csv" for name in TABLES],
        tmp_path,
    )
    assert_same("LibreOffice (CSV)", {name: read_back(tmp_path / "out" / f"{name}.csv") for name in TABLES})


def test_libreoffice_xlsx(tmp_path):
    book = outputs.write_xlsx(PKG, tmp_path / "package.xlsx")
    soffice(["--convert-to", LO_EXPORT_SHEETS, "--outdir", str(tmp_path / "out"), book.name], tmp_path)
    sheets = {name: tmp_path / "out" / f"package-{name[:31]}.csv" for name in TABLES}
    assert_same("LibreOffice (xlsx)", {name: read_back(path) for name, path in sheets.items()})


def test_downloads_carry_the_sqlite_file_and_its_datasette_metadata(tmp_path):
    _, files = book.download_files(PKG, tmp_path)
    (sqlite,) = [n for n in files if n.endswith(".sqlite")]
    stem = sqlite.removesuffix(".sqlite")
    assert "." not in stem and f"{stem}.metadata.json" in files
    meta = json.loads((tmp_path / f"{stem}.metadata.json").read_text(encoding="utf-8"))
    assert set(meta["databases"]) == {stem}  # datasette names the database after the file's stem
    assert set(meta["databases"][stem]["tables"]) == set(TABLES)
    assert meta["license"] and meta["source"] and meta["title"] == PKG.descriptor["title"]


def test_the_comparison_catches_a_changed_cell_and_lost_arabic():
    loaded = {name: expected(name) for name in TABLES}
    assert differences("copy", loaded) == []
    header, rows = expected("places")
    i, j = next((i, j) for i, row in enumerate(rows) for j, v in enumerate(row) if ARABIC.search(v))
    garbled = [list(r) for r in rows]
    garbled[i][j] = garbled[i][j].encode("utf-8").decode("latin-1")  # what a Latin-1 import shows
    loaded["places"] = (header, garbled)
    assert len(differences("latin-1", loaded)) == 1
    with pytest.raises(AssertionError, match="1 cells different"):
        assert_same("latin-1", loaded)
