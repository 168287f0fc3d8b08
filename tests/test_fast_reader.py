"""The structural pass has two readers, and they must agree. A file in the written form is read by the fast one
(pyarrow parses it; DuckDB picks the values that could break a rule; Python's rules judge those); any other file by
the row reader (Python's csv module, every cell). Here every table of the package is written with hostile, malformed
and look-alike values in every column, and both readers must give the same failures, in the same order, and load the
same rows on the same lines. A file not in the written form must be left to the row reader."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from conftest import ROOT

from build_report import csvio
from build_report.checks import structure
from build_report.package import Package

# Values that break, or nearly break, each rule of a cell; and some that pass.
EDGES = [
    "plain text",
    " leading blank",
    "trailing blank ",
    "\u00a0no-break space first",
    "ends in a tab\t",
    "line\nend inside",
    "=1+1",
    "+44 20",
    "-5",
    "-1.5",
    "@mention",
    "<b>bold</b>",
    "a < b",
    "<script>x</script>",
    "javascript :alert(1)",
    "JaVaScRiPt:x",
    "x onClick = y",
    "action=run&on=1",
    "bell\x07",
    "left\u200eright mark",
    "zero\u200bwidth",
    "\u202eoverride",
    "stray\ufeffmark",
    "CLM-0001",
    "\u0421LM-0001",
    "INC-0001",
    "INC-00001",
    "many",
    "12",
    "1e3",
    "2016-02-30",
    "2016-01-15",
    "true",
    '"quoted"',
    'a ""doubled"" quote',
    "https://example.org/a",
    "https://xn--80ak6aa92e.com/x",
    "https://\u0440aypal.com/x",
    "https://exa mple.org/",
    "https:///nohost",
    "x" * 70_000,
    "ümlaut and عربي",
]


def _hostile_package(tmp_path) -> Package:
    src = Package.load(ROOT)
    dest = tmp_path / "pkg"
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copy(ROOT / "datapackage.json", dest / "datapackage.json")
    for res in src.table_resources():
        header, *rows = csvio.read_lists(src.path(res["name"]))
        rows = [list(r) for r in rows * 3]
        for i, v in enumerate(EDGES):
            for j in range(len(header)):
                rows[(i * len(header) + j) % len(rows)][j] = v
        rows[len(rows) // 2][0] = ""  # an empty key
        rows.append([""] * len(header))  # a row of empty cells
        rows.append(list(rows[0]))
        csvio.write(dest / res["path"], header, rows)
    return Package.load(dest, strict=False)


def _read(reader, pkg: Package, res: dict):
    con = duckdb.connect()
    result = structure.Result()
    taken = reader(pkg.path(res["name"]), structure._Cells(res), con, result)
    if taken is False:  # the fast reader gave the file up: what it may have loaded is replaced by the row reader
        return taken, None, None, None, None
    rows = con.execute(f'SELECT * FROM "raw_{res["name"]}" ORDER BY "__line"').fetchall()
    return taken, [f.as_dict() for f in result.failures], rows, result.loaded, result.intact


def test_both_readers_give_the_same_failures_and_rows(tmp_path):
    pkg = _hostile_package(tmp_path)
    for res in pkg.table_resources():
        taken, fast, fast_rows, loaded, intact = _read(structure._scan_written, pkg, res)
        _, slow, slow_rows, slow_loaded, slow_intact = _read(structure._scan_rows, pkg, res)
        assert taken is True, res["name"]  # csvio writes the written form: the fast reader must take it
        assert fast == slow, res["name"]
        assert fast_rows == slow_rows, res["name"]
        assert (loaded, intact) == (slow_loaded, slow_intact)
        assert len(fast) >= 5, res["name"]  # the edges did break rules, in every table


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b.replace(b'","', b",", 1),  # a field not quoted
        lambda b: b.replace(b"\n", b"\n\n", 2),  # a blank line
        lambda b: b[:-1],  # no line end at the end
        lambda b: b.replace(b'""', b'"', 1) if b'""' in b else b[:-1],  # a quote not doubled
        lambda b: b + b'"x"\n',  # a row of one cell
    ],
)
def test_a_file_not_in_the_written_form_goes_to_the_row_reader(tmp_path, damage):
    pkg = _hostile_package(tmp_path)
    res = pkg.resource("claims")
    path = pkg.path("claims")
    path.write_bytes(damage(path.read_bytes()))
    taken, *_ = _read(structure._scan_written, pkg, res)
    assert taken is False
