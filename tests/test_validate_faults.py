"""The fault catalogue: every corruption in faults.csv must make `make validate` fail at the right place."""

import csv
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

CATALOGUE = list(csv.DictReader(open(Path(__file__).parent / "faults.csv", newline="", encoding="utf-8")))


def make_validate(pkg: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", "--no-print-directory", "-C", str(ROOT), "validate", f"PKG={pkg}", f"BUILD={pkg}/build"],
                          capture_output=True, text=True, timeout=300)


def _csv(pkg, table):
    path = pkg / "data" / f"{table}.csv"
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        return path, list(r)


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def apply(pkg: Path, fault: dict) -> None:
    op, table, row, field, value = fault["op"], fault["table"], fault["row"], fault["field"], fault["value"]
    if op == "append_archive":
        archive = next((pkg / "data" / "archive").iterdir())
        archive.write_bytes(archive.read_bytes() + value.encode())
        return
    path, rows = _csv(pkg, table)
    header = rows[0]
    if op == "set":
        i = header.index(field)
        target = next(r for r in rows[1:] if r[0] == row)
        target[i] = value
        _write(path, rows)
    elif op == "set_many":  # several fields of one row, ";"-separated in field and value
        target = next(r for r in rows[1:] if r[0] == row)
        for f, v in zip(field.split(";"), value.split(";")):
            target[header.index(f)] = v
        _write(path, rows)
    elif op == "delete_where":  # every row whose field equals value
        i = header.index(field)
        _write(path, [rows[0]] + [r for r in rows[1:] if r[i] != value])
    elif op == "delete_row":
        _write(path, [r for r in rows if r[0] != row])
    elif op == "add_column":
        _write(path, [r + [field if n == 0 else ""] for n, r in enumerate(rows)])
    elif op == "drop_column":
        i = header.index(field)
        _write(path, [r[:i] + r[i + 1:] for r in rows])
    elif op == "swap_columns":
        i = header.index(field)
        _write(path, [[r[i]] + r[:i] + r[i + 1:] for r in rows])
    elif op == "empty":
        path.write_bytes(b"")
    elif op == "prepend_bytes":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    elif op == "crlf":
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    elif op == "set_bytes":
        i = header.index(field)
        target = next(r for r in rows[1:] if r[0] == row)
        marker = "\u2063MARK\u2063"
        target[i] = (target[i] or "x") + marker
        _write(path, rows)
        raw = value.encode().decode("unicode_escape").encode("latin-1")
        path.write_bytes(path.read_bytes().replace(marker.encode(), raw))
    else:
        raise ValueError(f"unknown fault op {op!r}")


def test_catalogue_is_large_enough_and_distinct():
    assert len(CATALOGUE) >= 30
    assert len({f["fault"] for f in CATALOGUE}) == len(CATALOGUE)


def test_clean_package_passes(package_copy):
    result = make_validate(package_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failures" in result.stdout


@pytest.mark.parametrize("fault", CATALOGUE, ids=lambda f: f["fault"].replace(" ", "-"))
def test_fault_is_caught_at_the_right_place(package_copy, fault):
    apply(package_copy, fault)
    result = make_validate(package_copy)
    out = result.stdout + result.stderr
    assert "Traceback" not in out, out
    assert result.returncode != 0, out
    prefix = f"{fault['expect_table']}:{fault['expect_row']}:"
    assert any(line.startswith(prefix) and fault["expect_rule"] in line for line in result.stdout.splitlines()), \
        f"expected a line starting {prefix!r} naming {fault['expect_rule']!r}; got:\n{result.stdout}"
