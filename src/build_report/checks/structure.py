"""Structure: file encoding and layout, then Frictionless (types, required, unique, enum, pattern, keys).

Frictionless counts the header as row 1; every error is translated to the row's primary key here.
"""

from __future__ import annotations

import csv
import io
import re

from . import Failure
from ..package import Package

HOSTILE = [
    ("no-script", re.compile(r"<\s*/?\s*script|javascript\s*:|<\s*iframe|\bon[a-z]+\s*=", re.I)),
    ("no-html", re.compile(r"<[A-Za-z/!]")),
    ("no-control-characters", re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")),
]
FORMULA = re.compile(r"^[=+\-@]")


def file_faults(pkg: Package, res: dict) -> list[Failure]:
    """Faults that stop a CSV being read as a table at all."""
    name, path = res["name"], pkg.root / res["path"]
    out = []

    def fail(rule, value, row="-", field="-"):
        out.append(Failure(name, row, field, rule, value, "structure"))

    if not path.exists():
        fail("file-exists", res["path"])
        return out
    data = path.read_bytes()
    if not data.strip():
        fail("file-not-empty", f"{len(data)} bytes")
        return out
    if data.startswith(b"\xef\xbb\xbf"):
        fail("no-byte-order-mark", "EF BB BF at byte 0")
    for i, raw_line in enumerate(data.split(b"\n")):
        try:
            raw_line.decode("utf-8")
        except UnicodeDecodeError as e:
            fail("utf-8", f"line {i + 1}, byte {e.start}: {raw_line[e.start:e.start + 4]!r}", row=_row_id_at(data, i, pkg, name))
    if b"\r" in data:
        line = data[: data.index(b"\r")].count(b"\n")
        fail("no-carriage-return", f"CR on line {line + 1}", row=_row_id_at(data, line, pkg, name))
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n")
        fail("no-nul-byte", f"NUL on line {line + 1}", row=_row_id_at(data, line, pkg, name))
    if out:
        return out
    header = next(csv.reader(io.StringIO(data.decode("utf-8"))), [])
    expected = [f["name"] for f in res["schema"]["fields"]]
    if header != expected:
        extra = [h for h in header if h not in expected]
        missing = [e for e in expected if e not in header]
        if extra:
            fail("no-extra-columns", ", ".join(extra))
        if missing:
            fail("no-missing-columns", ", ".join(missing))
        if not extra and not missing:
            fail("column-order", ", ".join(header))
    return out


def _row_id_at(data: bytes, line: int, pkg: Package, name: str) -> str:
    """Best-effort row ID for a physical line: its first cell, if the line decodes."""
    if line == 0:
        return "header"
    try:
        first = data.split(b"\n")[line].decode("utf-8", "replace").split(",")[0]
    except IndexError:
        return "-"
    return first.strip('"') or f"line {line + 1}"


def read_rows(pkg: Package, name: str) -> list[dict]:
    with open(pkg.path(name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def cell_hygiene(pkg: Package, res: dict, rows: list[dict]) -> list[Failure]:
    """Text that would run as script, execute in a spreadsheet, or hide in blanks."""
    name = res["name"]
    key = res["schema"]["primaryKey"][0]
    out = []
    for i, row in enumerate(rows):
        rid = row.get(key) or f"row {i + 1}"
        for field, value in row.items():
            if not value or field is None:
                continue
            for rule, rx in HOSTILE:
                if rx.search(value):
                    out.append(Failure(name, rid, field, rule, value, "structure"))
                    break
            if FORMULA.match(value) and not re.fullmatch(r"-?\d+(\.\d+)?", value):
                out.append(Failure(name, rid, field, "no-formula-lead", value, "structure"))
            if value != value.strip():
                out.append(Failure(name, rid, field, "no-leading-or-trailing-blank", value, "structure"))
    return out


def frictionless_faults(pkg: Package, names: set[str]) -> list[Failure]:
    """Run Frictionless on the resources that passed the file checks and map its errors to row IDs."""
    from frictionless import Package as FPackage

    descriptor = dict(pkg.descriptor)
    resources = []
    for r in descriptor["resources"]:
        if "schema" in r and r["name"] not in names:
            continue
        r = dict(r)
        if "schema" in r:
            schema = dict(r["schema"])
            # A foreign key into a table that failed its file checks cannot be evaluated.
            schema["foreignKeys"] = [fk for fk in schema.get("foreignKeys", []) if fk["reference"]["resource"] in names | {""}]
            r["schema"] = schema
        resources.append(r)
    descriptor["resources"] = resources
    report = FPackage(descriptor, basepath=str(pkg.root)).validate()
    rows_cache: dict[str, list[dict]] = {}
    out = []
    for task in report.tasks:
        name = task.name
        key = pkg.primary_key(name) if name in names else None
        for err in task.errors:
            e = err.to_dict()
            row_number = e.get("rowNumber")
            row_id = "-"
            if row_number and key:
                rows = rows_cache.setdefault(name, read_rows(pkg, name))
                idx = row_number - 2  # header is row 1
                row_id = (rows[idx].get(key) or f"row {idx + 1}") if 0 <= idx < len(rows) else f"row {idx + 1}"
            field = e.get("fieldName") or "-"
            if e.get("type") == "foreign-key" and e.get("note"):
                field = ",".join(re.findall(r'"([a-z_]+)"', e["note"])[:1]) or field
            rule = e.get("type", "frictionless")
            note = e.get("note") or ""
            if rule == "constraint-error" and note:
                m = re.search(r'constraint "(\w+)"', note)
                rule = f"constraint-{m.group(1)}" if m else rule
            value = e.get("cell")
            if value is None:
                value = ",".join(str(c) for c in e.get("cells") or []) or note or e.get("message", "")
            out.append(Failure(name, row_id, field, rule, str(value), "structure"))
    return out
