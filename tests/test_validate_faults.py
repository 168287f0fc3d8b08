"""The fault catalogues: every corruption must give exactly the failures it names, nothing more, nothing less.

Catalogues: tests/faults*.csv (data faults) and tests/malformed/*.csv (malformed and hostile input).
Columns: fault, op, table, row, field, value, expect. `expect` is the exact set of failure rows,
items `table|row_id|field|rule` joined by " ; " (empty: the package must pass), or `exit=N` for an
environment fault that must end with exit code N and no failure rows. `{latest}` anywhere in a line
stands for the latest release (rules about released rows name it).

Each case runs in-process on a fresh copy of the package (copied from one pristine copy made per
session). Three end-to-end runs of `make validate` at the end check the real command: a clean
package, a data fault, and an environment fault.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import ROOT, copy_package

from build_report import csvio, releases, validate

HERE = Path(__file__).parent
SECRET = "SECRET-7f3a9c-outside-the-package"


# Rules about the released package name the latest release; a catalogue writes it "{latest}", and the patch
# version after it "{next_patch}".
LATEST = releases.latest(ROOT)
NEXT_PATCH = ".".join(map(str, (*releases.version_key(LATEST)[:2], releases.version_key(LATEST)[2] + 1)))


def _load(paths) -> list[dict]:
    out = []
    for p in paths:
        for row in csvio.read(p)[1]:
            row = {k: v.replace("{latest}", LATEST).replace("{next_patch}", NEXT_PATCH) for k, v in row.items()}
            row["catalogue"] = p.relative_to(HERE).as_posix()
            out.append(row)
    return out


FAULTS = _load(sorted(HERE.glob("faults*.csv")))
MALFORMED = _load(sorted((HERE / "malformed").glob("*.csv")))


def expected(text: str) -> tuple[set[tuple[str, ...]], int]:
    """(the exact set of (table, row_id, field, rule), the exit code)."""
    text = text.strip()
    if text.startswith("exit="):
        return set(), int(text[5:])
    items = {tuple(x.strip().split("|")) for x in text.split(" ; ") if x.strip()}
    for item in items:
        assert len(item) == 4, f"expect item {item!r} is not table|row_id|field|rule"
    return items, 1 if items else 0


# ---- the operations a catalogue line can apply ---------------------------------------------------


def _csv(pkg, table):
    path = pkg / "data" / f"{table}.csv"
    return path, csvio.read_lists(path)


def _write(path, rows):
    csvio.write(path, rows[0], rows[1:])


_ESC = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|n|r|t|\\)")


def _bytes(value: str) -> bytes:
    """A catalogue value as bytes: \\xNN is that byte, \\uNNNN that character in UTF-8, \\n \\r \\t \\\\ as usual."""
    out, pos = bytearray(), 0
    for m in _ESC.finditer(value):
        out += value[pos : m.start()].encode("utf-8")
        tok = m.group(1)
        if tok[0] == "x":
            out.append(int(tok[1:], 16))
        elif tok[0] == "u":
            out += chr(int(tok[1:], 16)).encode("utf-8")
        else:
            out += {"n": b"\n", "r": b"\r", "t": b"\t", "\\": b"\\"}[tok]
        pos = m.end()
    return bytes(out + value[pos:].encode("utf-8"))


def _pointer(doc, pointer: str):
    """(parent, key) of a JSON pointer such as /resources/3/path."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]
    for p in parts[:-1]:
        doc = doc[int(p)] if isinstance(doc, list) else doc[p]
    last = parts[-1]
    return doc, int(last) if isinstance(doc, list) and last.isdigit() else last


def _resource_index(descriptor, name):
    return next(i for i, r in enumerate(descriptor["resources"]) if r.get("name") == name)


def apply(pkg: Path, fault: dict, secret: Path | None = None) -> None:
    if "+" in fault["op"]:  # several edits in turn: "op1+op2", each other column's parts separated by " + "
        ops = fault["op"].split("+")
        cols = {k: (v.split(" + ") if " + " in v else [v] * len(ops)) for k, v in fault.items() if k != "op"}
        for i, one in enumerate(ops):
            apply(pkg, {"op": one, **{k: v[i] for k, v in cols.items()}}, secret)
        return
    op, table, row, field, value = fault["op"], fault["table"], fault["row"], fault["field"], fault["value"]
    if secret is not None:
        value = value.replace("{secret}", str(secret))
    dp = pkg / "datapackage.json"
    if op == "append_archive":
        archive = next((pkg / "data" / "archive").iterdir())
        archive.write_bytes(archive.read_bytes() + value.encode())
        return
    if op == "append_archive_rehash":  # the archive edited outside every quote, its hash and size updated everywhere
        archive = next((pkg / "data" / "archive").iterdir())
        data = archive.read_bytes() + _bytes(value)
        archive.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        d = json.loads(dp.read_text(encoding="utf-8"))
        res = d["resources"][_resource_index(d, "archive")]
        res["hash"], res["bytes"] = f"sha256:{digest}", len(data)
        dp.write_text(json.dumps(d, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        docs = pkg / "data" / "documents.csv"
        rows = csvio.read_lists(docs)
        rows[1][rows[0].index("sha256")], rows[1][rows[0].index("bytes")] = digest, str(len(data))
        csvio.write(docs, rows[0], rows[1:])
        return
    if op == "descriptor_set":  # field: a JSON pointer (/resources/claims/... names a resource), value: JSON
        d = json.loads(dp.read_text(encoding="utf-8"))
        parts = field.split("/")
        if field.startswith("/resources/") and not parts[2].isdigit():  # /resources/claims/... names a resource
            parts[2] = str(_resource_index(d, parts[2]))
            if len(parts) > 5 and parts[3:5] == ["schema", "fields"] and not parts[5].isdigit():  # .../fields/quote/...
                fields = d["resources"][int(parts[2])]["schema"]["fields"]
                parts[5] = str(next(i for i, f in enumerate(fields) if f["name"] == parts[5]))
        parent, key = _pointer(d, "/".join(parts))
        if value == "<delete>":
            del parent[key]
        elif isinstance(parent, list) and key == len(parent):
            parent.append(json.loads(value))
        else:
            parent[key] = json.loads(value)
        dp.write_text(json.dumps(d, indent=1, ensure_ascii=False), encoding="utf-8")
        return
    if op == "descriptor_set_many":  # several pointers and JSON values, ";"-separated as in set_many
        for f, v in zip(field.split(";"), value.split(";")):
            apply(pkg, {**fault, "op": "descriptor_set", "field": f, "value": v})
        return
    if op == "descriptor_raw":  # the whole descriptor replaced by these bytes
        dp.write_bytes(_bytes(value))
        return
    if op == "symlink":  # field: a package path, value: the link's target
        link = pkg / field
        if link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to(value)
        return
    if op == "remove":  # field: a package path
        (pkg / field).unlink()
        return
    if op == "mkfifo":
        path = pkg / field
        path.unlink()
        os.mkfifo(path)
        return
    path = pkg / "data" / f"{table}.csv"
    if op == "raw_replace":  # field: bytes to find (first occurrence), value: bytes to put instead
        data = path.read_bytes()
        old = _bytes(field)
        assert old in data, f"{field!r} not in {path.name}"
        path.write_bytes(data.replace(old, _bytes(value), 1))
        return
    if op == "edit_line":  # the physical line of row `row` replaced by value, where {line} is the line as it was
        lines = path.read_bytes().split(b"\n")
        i = next(i for i, ln in enumerate(lines) if ln.startswith(b'"' + row.encode() + b'",'))
        lines[i] = _bytes(value).replace(b"{line}", lines[i])
        path.write_bytes(b"\n".join(lines))
        return
    if op == "insert_line":  # value (bytes) as a new line after the row whose ID is `row` ("header" for the top)
        lines = path.read_bytes().split(b"\n")
        at = (
            1
            if row == "header"
            else next(i for i, ln in enumerate(lines) if ln.startswith(b'"' + row.encode() + b'",')) + 1
        )
        lines.insert(at, _bytes(value))
        path.write_bytes(b"\n".join(lines))
        return
    if op == "append_bytes":
        path.write_bytes(path.read_bytes() + _bytes(value))
        return
    if op == "encode":  # the file re-encoded, e.g. utf-16 (with BOM) or utf-16-le (without)
        path.write_bytes(path.read_bytes().decode("utf-8").encode(value))
        return
    if op == "set_huge":  # a cell of `value` times the character "x"
        path2, rows = _csv(pkg, table)
        i = rows[0].index(field)
        next(r for r in rows[1:] if r[0] == row)[i] = "x" * int(value)
        _write(path2, rows)
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
    elif op == "duplicate_row":  # a copy of the row appended at the end
        _write(path, rows + [list(next(r for r in rows[1:] if r[0] == row))])
    elif op == "add_column":
        _write(path, [r + [field if n == 0 else ""] for n, r in enumerate(rows)])
    elif op == "drop_column":
        i = header.index(field)
        _write(path, [r[:i] + r[i + 1 :] for r in rows])
    elif op == "swap_columns":
        i = header.index(field)
        _write(path, [[r[i]] + r[:i] + r[i + 1 :] for r in rows])
    elif op == "empty":
        path.write_bytes(b"")
    elif op == "header_only":
        _write(path, rows[:1])
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
        path.write_bytes(path.read_bytes().replace(marker.encode(), _bytes(value)))
    else:
        raise ValueError(f"unknown fault op {op!r}")


# ---- running a case ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pristine(tmp_path_factory) -> Path:
    return copy_package(tmp_path_factory.mktemp("pristine"))


@pytest.fixture
def case_dir(tmp_path, pristine):
    """tmp/pkg: a fresh copy of the package; tmp/secret.txt: a file beside it that must never be read."""
    (tmp_path / "secret.txt").write_text(f"claim_id,quote\n{SECRET},{SECRET}\n", encoding="utf-8")
    shutil.copytree(pristine, tmp_path / "pkg", symlinks=True)
    return tmp_path


def run_in_process(pkg: Path, build: Path) -> tuple[int, str, dict | None]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = validate.main(str(pkg), str(build / "validation.json"), str(build / "validation.md"), show=0)
    json_path = build / "validation.json"
    report = json.loads(json_path.read_text(encoding="utf-8")) if json_path.is_file() else None
    return code, out.getvalue() + err.getvalue(), report


def check_case(case_dir: Path, fault: dict) -> None:
    pkg, secret = case_dir / "pkg", case_dir / "secret.txt"
    build = case_dir / "build"
    if fault["op"] == "build_is_file":
        build.write_text("not a folder", encoding="utf-8")
    else:
        apply(pkg, fault, secret)
    want, want_code = expected(fault["expect"])
    code, output, report = run_in_process(pkg, build)
    assert "Traceback" not in output, output
    shown = json.dumps(report) if report else ""
    assert SECRET not in output and SECRET not in shown, "a file outside the package was read"
    assert code == want_code, f"exit code {code}, expected {want_code}:\n{output}"
    if want_code == 2:
        assert output.startswith("error: ") and len(output.splitlines()) == 1, output
        return
    got = {(f["table"], f["row_id"], f["field"], f["rule"]) for f in report["failures"]}
    assert got == want, (
        "\nmissing: "
        + " ; ".join("|".join(x) for x in sorted(want - got))
        + "\nunexpected: "
        + " ; ".join("|".join(x) for x in sorted(got - want))
        + "\n"
        + output
    )
    for f in report["failures"]:  # every excerpt is short and safe
        for k in ("table", "row_id", "field", "rule", "value"):
            assert len(f[k]) <= 200 and all(c >= " " and c not in "\x7f\u202e\u2066" for c in f[k]), f


def test_catalogues_are_large_enough_and_distinct():
    assert len(FAULTS) >= 64
    assert len(MALFORMED) >= 20
    names = [f["fault"] for f in FAULTS + MALFORMED]
    assert len(set(names)) == len(names), [n for n in names if names.count(n) > 1]


def test_clean_package_passes(case_dir):
    code, output, report = run_in_process(case_dir / "pkg", case_dir / "build")
    assert code == 0 and report["passed"] and report["count"] == 0, output


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f["fault"].replace(" ", "-"))
def test_fault_gives_exactly_its_failures(case_dir, fault):
    check_case(case_dir, fault)


@pytest.mark.parametrize("fault", MALFORMED, ids=lambda f: f["fault"].replace(" ", "-"))
def test_malformed_input_gives_exactly_its_failures(case_dir, fault):
    check_case(case_dir, fault)


# ---- end to end: the real command --------------------------------------------------------------


def make_validate(pkg: Path, build: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(ROOT), "validate", f"PKG={pkg}", f"BUILD={build}"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_make_validate_passes_on_the_clean_package(case_dir):
    result = make_validate(case_dir / "pkg", case_dir / "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failures" in result.stdout
    assert json.loads((case_dir / "build" / "validation.json").read_text())["passed"] is True


def test_make_validate_names_a_data_fault(case_dir):
    pkg = case_dir / "pkg"
    apply(pkg, {"op": "set", "table": "claims", "row": "CLM-0007", "field": "kind", "value": "rumour"})
    result = make_validate(pkg, case_dir / "build")
    # make ends with 2 whenever its command fails; it names the command's own exit code (1: data failures).
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.search(r"make(\[\d+\])?: \*\*\* \[Makefile:\d+: validate\] Error 1", result.stderr), result.stderr
    assert (
        result.stdout.splitlines()[0]
        == "claims:CLM-0007:kind: constraint-enum — 'rumour (not one of the allowed values)' (data/claims.csv line 8)"
    )
    assert "1 failure (structure: 1)" in result.stdout


def test_make_validate_refuses_an_unwritable_build_folder(case_dir):
    (case_dir / "build").write_text("a file where the build folder should be", encoding="utf-8")
    result = make_validate(case_dir / "pkg", case_dir / "build")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("error: cannot write"), result.stderr
    # make names the command's exit code: 2, an environment error (not 1, data failures)
    assert re.search(r"make(\[\d+\])?: \*\*\* \[Makefile:\d+: validate\] Error 2", result.stderr), result.stderr
