"""Structure: every table file read once, streaming, by one parser; the Table Schema enforced on every cell.

For each tabular resource, in one pass:
- the bytes: empty file, byte-order marks, UTF-16/32, carriage returns (one failure per file);
- the layout: header against the schema's fields, blank rows, rows with too many or too few cells,
  bad quoting (each such row once, by line; the rows after it are still read);
- each cell, at most one failure, the first that applies: undecodable bytes, size, hygiene (text that
  would run as script or a spreadsheet formula, control characters, blanks at either end), then the
  schema: required, type, enum, pattern, minimum, maximum, minLength, maxLength;
- then in DuckDB, on the cells that passed: primary keys, unique fields and foreign keys.

The rows are loaded into DuckDB as they are read, so the checks of meaning and provenance see exactly
the rows checked here (a cell of the wrong type is NULL there). Nothing is re-read per error, and nothing stops
counting: every failure is kept.

This module owns the Table Schema rules in the gate. Frictionless implements the same standard; the
test suite runs it on the fault catalogue and requires the same failures (tests/test_reference.py).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from .. import csvio, lookalike
from ..descriptor import PathRefused
from ..fieldtypes import parse_value
from ..package import Package, _q, active_views, typed_select
from . import Failure, safe

RULES = {
    "file-not-empty": "a table file holds at least its header",
    "utf-8": "files are UTF-8: no UTF-16/32, no undecodable bytes (reported per cell)",
    "no-byte-order-mark": "no byte-order mark at the start of a file",
    "no-carriage-return": "lines end with LF only (one failure per file, with the number of lines affected)",
    "no-extra-columns": "the header has no column the schema does not define",
    "no-missing-columns": "the header has every column of the schema",
    "column-order": "the header lists the columns in the schema's order",
    "csv-quoting": "quotes are balanced and closed before a comma or line end",
    "dialect-declared": "every CSV resource declares the written form as its dialect, so that clients need not guess it",
    "label-field-named": "every table that another table links to names its labelField: one of its own string fields, "
    "the text that stands for a row where a link to it is shown (datasette's label_column)",
    "resource-hash": "a resource's hash, where the descriptor gives one (every released descriptor does), is "
    '"sha256:" and the SHA-256 of its file',
    "csv-form": "the file is in the one written form: every non-empty field in double quotes, empty fields bare (one failure per file, at the first line that differs)",
    "no-blank-row": "no empty line or row of empty cells",
    "cells-match-header": "every row has as many cells as the header",
    "table-has-rows": "a table has at least one row below its header (a header-only file is said once, as such)",
    "cell-size": "no cell longer than 65,536 characters",
    "no-control-characters": "no control characters, bidirectional marks, overrides or isolates, or stray byte-order "
    "marks in a cell",
    "id-one-script": "an ID (a primary or foreign key cell) holds no invisible character, no mix of scripts and no "
    "look-alike of an ASCII character (Unicode's confusables)",
    "url-host-idna": "a URL's host is a valid internationalised domain name (IDNA), in one script, with no look-alike "
    "of an ASCII character",
    "no-script": "no text that would run as script (<script>, javascript:, event handlers, iframes)",
    "no-html": "no HTML tags",
    "no-formula-lead": "no cell starting with =, +, - or @ (spreadsheet formulas), numbers aside",
    "no-leading-or-trailing-blank": "no blank at either end of a cell",
    "constraint-required": "required cells are not empty (primary-key fields are required)",
    "type-error": "cells parse as the field's type (integer, number, ISO date, boolean)",
    "constraint-enum": "cells are one of the field's allowed values",
    "constraint-pattern": "cells match the field's pattern",
    "constraint-minimum": "cells are not below the field's minimum",
    "constraint-maximum": "cells are not above the field's maximum",
    "constraint-minLength": "cells are not shorter than the field's minLength",
    "constraint-maxLength": "cells are not longer than the field's maxLength",
    "primary-key": "primary keys are unique (the failure names the line of the first row)",
    "constraint-unique": "unique fields hold no value twice (the failure names the line of the first row)",
    "foreign-key": "a reference names an existing row of the referenced table",
    "file-readable": "the file can be read while checking (an I/O error is reported, not raised)",
}

# Rules no fault catalogue can make fire, each with why (the registry test accepts only these).
NO_CASE = {
    "file-readable": "an I/O error while reading a file that the descriptor check found to be a regular file inside "
    "the package; a copy of the package cannot be made to do that (the tests run as root, who may read any file)",
}

MAX_CELL = 65536
CHUNK = 20000  # rows per batch loaded into DuckDB
FAST_FROM = 1 << 21  # bytes: a table file this large or larger is read by the fast reader when in the written form

# Hygiene. A cheap test flags every cell that might break a rule; only those are examined rule by rule.
# Bidirectional marks (LRM, RLM, ALM) are controls too: invisible, they reorder what a reader sees.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
# Any cell with one of these characters, or a formula sign or blank at either end, is examined.
_SUSPECT_CHAR = re.compile(rf"[{_CONTROL}\udc80-\udcff<:=]").search
_LEAD = frozenset("=+-@")
HOSTILE = [
    ("no-control-characters", re.compile(f"[{_CONTROL}]")),
    ("no-script", re.compile(r"<\s*/?\s*script|javascript\s*:|<\s*iframe|\bon[a-z]+\s*=", re.IGNORECASE)),
    ("no-html", re.compile(r"<[A-Za-z/!]")),
]
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_FORMULA = re.compile(r"^[=+\-@]")
_SIGNED_NUMBER = re.compile(r"-?\d+(\.\d+)?")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # cell size is a rule below, not a crash


def hygiene(v: str) -> str | None:
    """The first hygiene rule a cell breaks, or None."""
    if _UNDECODABLE.search(v):
        return "utf-8"
    if len(v) > MAX_CELL:
        return "cell-size"
    for rule, rx in HOSTILE:
        if rx.search(v):
            return rule
    if _FORMULA.match(v) and not _SIGNED_NUMBER.fullmatch(v):
        return "no-formula-lead"
    if v[0].isspace() or v[-1].isspace():
        return "no-leading-or-trailing-blank"
    return None


def _checker(f: dict) -> Callable[[str], tuple[str, str] | None] | None:
    """A function cell -> None or (rule, detail) for one field's type and constraints (empty cells excluded)."""
    ftype = f.get("type", "string")
    c = f.get("constraints", {})
    enum = lo = hi = minlen = maxlen = None
    if "enum" in c:
        enum = {
            parse_value(ftype, x if isinstance(x, str) else str(x).lower() if isinstance(x, bool) else str(x))[0]
            for x in c["enum"]
        }
    if "minimum" in c:
        lo = parse_value(ftype, str(c["minimum"]))[0]
    if "maximum" in c:
        hi = parse_value(ftype, str(c["maximum"]))[0]
    minlen, maxlen = c.get("minLength"), c.get("maxLength")
    if ftype == "string" and enum is None and minlen is None and maxlen is None:
        return None  # patterns are matched in DuckDB, column by column (see `matched`)

    def check(v: str) -> tuple[str, str] | None:
        if ftype == "string":
            x = v
        else:
            x, err = parse_value(ftype, v)
            if err:
                return "type-error", err
        if enum is not None and x not in enum:
            return "constraint-enum", "not one of the allowed values"
        if lo is not None and x < lo:
            return "constraint-minimum", f"below the minimum {c['minimum']}"
        if hi is not None and x > hi:
            return "constraint-maximum", f"above the maximum {c['maximum']}"
        if minlen is not None and len(v) < minlen:
            return "constraint-minLength", f"shorter than {minlen} characters"
        if maxlen is not None and len(v) > maxlen:
            return "constraint-maxLength", f"longer than {maxlen} characters"
        return None

    return check


_HOST = re.compile(r"https?://([^/\s?#:@]*)")


def _plain_id(v: str) -> tuple[str, str] | None:
    if v.isascii():  # the fast path: an ASCII ID has no look-alike (its pattern says the rest)
        return None
    why = lookalike.problem(v)
    return ("id-one-script", why) if why else None


def _plain_hosts(v: str) -> tuple[str, str] | None:
    for host in _HOST.findall(v):
        why = lookalike.host_problem(host)
        if why:
            return "url-host-idna", f"host {host}: {why}"
    return None


def _text_checks(res: dict) -> list[Callable[[str], tuple[str, str] | None] | None]:
    """Per column, a function cell -> None or (rule, detail) for text that could pass for something else:
    key cells (primary and foreign keys) and URL cells (a field whose pattern is a URL's, or a list of URLs)."""
    keys = set(_pk(res))
    for fk in res["schema"].get("foreignKeys", []):
        keys.update([fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"])
    out: list[Callable[[str], tuple[str, str] | None] | None] = []
    for f in res["schema"]["fields"]:
        pattern = f.get("constraints", {}).get("pattern", "")
        if f["name"] in keys:
            out.append(_plain_id)
        elif str(pattern).startswith("^https?://") or f["name"].startswith("urls"):
            out.append(_plain_hosts)
        else:
            out.append(None)
    return out


def _pk(res: dict) -> list[str]:
    pk = res["schema"]["primaryKey"]
    return [pk] if isinstance(pk, str) else list(pk)


def _label_fields(pkg: Package, resources: list[dict]) -> list[Failure]:
    """A table that others link to says which of its fields names a row (its labelField), so that a client
    showing a link can show that text instead of a bare ID. (A rule of the gate, not of loading: releases up
    to 0.2.0 name no label field, and still load.)"""
    targets = {
        fk["reference"].get("resource") or res["name"]
        for res in pkg.table_resources()
        for fk in res["schema"].get("foreignKeys", [])
    }
    out = []
    for res in resources:
        if res["name"] not in targets:
            continue
        label = res.get("labelField")
        types = {f["name"]: f.get("type", "string") for f in res["schema"]["fields"]}
        if not isinstance(label, str) or types.get(label) != "string":
            value = "missing" if label is None else f"{json.dumps(label)} is not a string field of {res['name']}"
            out.append(Failure("datapackage", res["name"], "labelField", "label-field-named", value, "structure"))
    return out


def _hashes(pkg: Package, names: list[str] | None) -> list[Failure]:
    """Every resource with a `hash` (the release writes one for each file) holds the file it names."""
    out = []
    for res in pkg.descriptor.get("resources", []):
        if "hash" not in res or (names is not None and res.get("name") not in names):
            continue
        if "schema" not in res:  # the archive: provenance checks its hash and size (sha256-matches-datapackage)
            continue
        want = res["hash"]
        try:
            got = "sha256:" + hashlib.sha256(pkg.file(res["path"]).read_bytes()).hexdigest()
        except (PathRefused, OSError):
            continue  # the file's own rules report it
        if want != got:
            value = f"descriptor gives {json.dumps(want)}, the file's SHA-256 is {got}"
            out.append(Failure("datapackage", str(res.get("name")), "hash", "resource-hash", value, "structure"))
    return out


class Result:
    """What the structural pass found: failures, the tables loaded intact, and the line of every row ID."""

    def __init__(self) -> None:
        self.failures: list[Failure] = []
        self.intact: set[str] = set()  # tables whose every row was read (cell faults allowed)
        self.loaded: set[str] = set()  # tables with a raw table in DuckDB (file readable, header right)
        self.written: set[str] = set()  # tables read by the fast reader: byte for byte in the written form

    def fail(self, table: str, row: str, field: str, rule: str, value: str, line: int | None = None) -> None:
        self.failures.append(Failure(table, row, field, rule, value, "structure", line))


def check(pkg: Package, con: duckdb.DuckDBPyConnection, names: list[str] | None = None) -> Result:
    """Check every table and load it into `con` as raw text ("raw_<name>", with its line numbers)."""
    result = Result()
    resources = [r for r in pkg.table_resources() if names is None or r["name"] in names]
    result.failures += _label_fields(pkg, resources)
    result.failures += _hashes(pkg, names)
    for res in resources:
        if res.get("dialect") != csvio.DIALECT:  # the table is still read: the gate reads the written form
            result.failures.append(
                Failure(
                    "datapackage",
                    res["name"],
                    "dialect",
                    "dialect-declared",
                    json.dumps(res.get("dialect")),
                    "structure",
                )
            )
        try:
            before = len(result.failures)
            scan(pkg, res, con, result)
            # The form is checked only on a file with no other structural fault, so one fault is not reported twice.
            # (A file the fast reader took is in the written form: it compared every byte with it.)
            if len(result.failures) == before and res["name"] in result.intact - result.written:
                line = csvio.first_noncanonical_line(pkg.path(res["name"]))
                if line is not None:
                    result.fail(
                        res["name"],
                        "header" if line == 1 else f"line {line}",
                        "-",
                        "csv-form",
                        "differs from the written form: non-empty fields in double quotes, empty fields bare",
                        line,
                    )
        except PathRefused as e:  # the file changed since the descriptor check
            result.fail(res["name"], "-", "-", e.rule, e.reason)
        except OSError as e:
            result.fail(res["name"], "-", "-", "file-readable", e.strerror or type(e).__name__)
    for res in resources:
        if res["name"] in result.loaded:
            matched(res, con, result)
            keys(res, con, result)
    return result


def _sniff(path: Path, name: str, result: Result) -> bool:
    """Byte-level faults that stop a file being read as UTF-8 CSV at all. True when the file may be parsed."""
    with open(path, "rb") as f:
        head = f.read(65536)
        if not head.strip():
            rest = f.read(1)
            if not rest:
                result.fail(name, "-", "-", "file-not-empty", f"{len(head)} bytes")
                return False
        if head.startswith(codecs.BOM_UTF8):
            result.fail(name, "-", "-", "no-byte-order-mark", "EF BB BF at byte 0", 1)
            return False
        for bom, enc in (
            (codecs.BOM_UTF32_LE, "UTF-32"),
            (codecs.BOM_UTF32_BE, "UTF-32"),
            (codecs.BOM_UTF16_LE, "UTF-16"),
            (codecs.BOM_UTF16_BE, "UTF-16"),
        ):
            if head.startswith(bom):
                result.fail(name, "-", "-", "utf-8", f"{enc} byte-order mark: the file is {enc}, not UTF-8", 1)
                return False
        first = head.split(b"\n", 1)[0]
        if b"\x00" in first:
            result.fail(
                name, "-", "-", "utf-8", "NUL bytes in the header: the file looks like UTF-16 or UTF-32, not UTF-8", 1
            )
            return False
        # Carriage returns anywhere: one failure for the file, at the first, with a count.
        f.seek(0)
        line, first_cr, count = 1, None, 0
        while chunk := f.read(1 << 20):
            if first_cr is None:
                i = chunk.find(b"\r")
                if i >= 0:
                    first_cr = line + chunk.count(b"\n", 0, i)
            count += chunk.count(b"\r")
            line += chunk.count(b"\n")
        if first_cr is not None:
            result.fail(
                name,
                "header" if first_cr == 1 else f"line {first_cr}",
                "-",
                "no-carriage-return",
                f"CR on line {first_cr}" + (f" and {count - 1} more" if count > 1 else ""),
                first_cr,
            )
            return False
    return True


class _Cells:
    """The rules of one table's cells, in the order they apply; the same for both readers below."""

    def __init__(self, res: dict) -> None:
        self.name = res["name"]
        fields = res["schema"]["fields"]
        self.names = [f["name"] for f in fields]
        self.pk_idx = [self.names.index(k) for k in _pk(res)]
        self.checkers = [_checker(f) for f in fields]
        self.texts = _text_checks(res)
        self.required = [
            bool(f.get("constraints", {}).get("required")) or i in self.pk_idx for i, f in enumerate(fields)
        ]

    def fault(self, j: int, v: str) -> tuple[str, str] | None:
        """(rule, value shown) for the first rule a non-empty cell of column j breaks, or None. It depends on the
        value alone, so the fast reader asks it once per distinct value."""
        if _SUSPECT_CHAR(v) or v[0] in _LEAD or v[0].isspace() or v[-1].isspace() or len(v) > MAX_CELL:
            rule = hygiene(v)
            if rule:
                return rule, (f"{len(v)} characters" if rule == "cell-size" else v)
        # Look-alikes first: an ID with a Cyrillic letter is named as such, not only as off-pattern.
        text = self.texts[j]
        err = text(v) if text is not None else None
        chk = self.checkers[j]
        if err is None and chk is not None:
            err = chk(v)
        return (err[0], f"{v} ({err[1]})") if err else None

    def row(self, row: list[str], start: int, fails: list[Failure]) -> bool:
        """Append the failures of one row (as many cells as the header); False for a blank row, which is not loaded."""
        name, names, required = self.name, self.names, self.required
        rid: str | None = None
        for j, v in enumerate(row):
            if not v:
                if required[j]:
                    if rid is None:
                        if not any(row):
                            fails.append(
                                Failure(
                                    name,
                                    f"line {start}",
                                    "-",
                                    "no-blank-row",
                                    f"{len(row)} empty cells",
                                    "structure",
                                    start,
                                )
                            )
                            return False
                        rid = _row_id(row, self.pk_idx, start)
                    fails.append(Failure(name, rid, names[j], "constraint-required", "", "structure", start))
                continue
            err = self.fault(j, v)
            if err:
                if rid is None:
                    rid = _row_id(row, self.pk_idx, start)
                fails.append(Failure(name, rid, names[j], err[0], err[1], "structure", start))
                if err[0] == "utf-8":  # keep the row loadable; the cell is reported, and later checks skip it
                    row[j] = _UNDECODABLE.sub("\ufffd", v)
        return True


def scan(pkg: Package, res: dict, con: duckdb.DuckDBPyConnection, result: Result) -> None:
    """Read one table file, check its layout and every cell, and load its rows into DuckDB ("raw_<name>").

    A file in the written form (see csvio), valid UTF-8, is read by the fast reader (`_scan_written`: pyarrow
    parses it, DuckDB looks for the cells that could break a rule, and only those rows are checked cell by cell
    here). Any other file is read row by row by Python's csv module, which names each fault of layout by its line.
    Both apply the same rules (`_Cells`) and give the same failures."""
    name = res["name"]
    path = pkg.path(name)
    if not _sniff(path, name, result):
        return
    cells = _Cells(res)
    # A small file is read row by row: the fast reader's queries cost more than the rows (the real package's
    # tables are all small; tests/test_fast_reader.py holds both readers to the same failures on any file).
    if path.stat().st_size < FAST_FROM or not _scan_written(path, cells, con, result):
        _scan_rows(path, cells, con, result)


def _raw_table(con: duckdb.DuckDBPyConnection, name: str, names: list[str]) -> None:
    con.execute(
        f"CREATE OR REPLACE TABLE {_q('raw_' + name)} ("
        + ", ".join(f"{_q(n)} VARCHAR" for n in names)
        + ', "__line" BIGINT)'
    )


# Cells that could break a rule of hygiene, in RE2 (DuckDB's engine): a superset of what `hygiene` finds. Every
# character outside printable ASCII, tab and LF (controls, bidirectional marks, look-alikes, other blanks); "<"
# (tags, script, iframes); the two other script forms; a formula sign or a blank at either end. On the characters
# left, RE2's \s, \b and (?i) match what Python's do, so no cell that `hygiene` fails escapes it.
_MAYBE = r"[^\t\n\x20-\x7e]|<|(?i:javascript\s*:)|(?i:\bon[a-z]+\s*=)|^[=+\-@]|^\s|\s$"
_BLOCK = 1 << 22  # bytes per block of the CSV parser; a row longer than that sends the file to the general reader


def _written_bytes(rows: pa.StringArray) -> bytes:
    """The bytes of a string array, as one buffer (its values are stored end to end)."""
    _, offsets, values = rows.buffers()
    o = memoryview(offsets).cast("i")
    # Copied into bytes: comparing two memoryviews goes element by element, bytes by memcmp.
    start, end = o[rows.offset], o[rows.offset + len(rows)]
    return values.slice(start, end - start).to_pybytes()


def _scan_written(path: Path, cells: _Cells, con: duckdb.DuckDBPyConnection, result: Result) -> bool:
    """The fast reader, for a file in the written form; False for any other file (the general reader then reads it
    from the start, replacing what this one loaded).

    pyarrow parses the file block by block; each block's rows are written back in the written form (csvio) and
    compared with the file, byte for byte, so the file is taken only when its rows are exactly what Python's csv
    module reads (no fault of layout is possible, and the line of each row follows from the line ends inside its
    cells). The rows are loaded as they are; then DuckDB finds, column by column, the distinct values that could
    break a rule, Python checks each once (`_Cells.fault`), and only the rows holding a failing value or an empty
    required cell are checked cell by cell, exactly as the general reader checks every row."""
    name, names = cells.name, cells.names
    raw = _q("raw_" + name)
    head = csvio.line(names).encode("utf-8")
    n_rows, line = 0, 2
    if len(names) < 2:
        return False  # one column: an empty cell is a blank line, which the csv module reads as no cell at all
    with open(path, "rb") as f:
        if f.read(len(head)) != head:
            return False
        try:
            reader = pcsv.open_csv(
                path,
                read_options=pcsv.ReadOptions(block_size=_BLOCK),
                parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
                convert_options=pcsv.ConvertOptions(
                    column_types={n: pa.string() for n in names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            if reader.schema.names != names:
                return False
            _raw_table(con, name, names)
            for batch in reader:
                if not batch.num_rows:
                    continue
                quoted = [
                    pc.if_else(
                        pc.equal(c, ""),
                        "",
                        pc.binary_join_element_wise('"', pc.replace_substring(c, '"', '""'), '"', ""),
                    )
                    for c in batch.columns
                ]
                rows = pc.binary_join_element_wise(pc.binary_join_element_wise(*quoted, ","), "\n", "")
                written = _written_bytes(rows)
                got = f.read(len(written))
                if got != written or b"\x00" in got:
                    return False
                # Row i starts on the line after the line ends of the rows before it (a cell may hold line ends).
                ends = pc.cast(pc.count_substring(rows, "\n"), pa.int64())
                total = pc.cumulative_sum(ends)
                lines = pc.add(pc.subtract(total, ends), line)
                line += total[-1].as_py()
                n_rows += batch.num_rows
                con.register("__rows", pa.Table.from_batches([batch]).append_column("__line", lines))
                con.execute(f"INSERT INTO {raw} SELECT * FROM __rows")
                con.unregister("__rows")
            if f.read(1):
                return False
        except (pa.ArrowException, ValueError, TypeError):
            return False  # not in the written form, as far as pyarrow can tell: the general reader names the fault
    if not n_rows:
        result.fail(name, "-", "-", "table-has-rows", "the file holds a header and no row")

    suspects: set[int] = set()
    for j, col in enumerate(names):
        c = _q(col)
        if cells.required[j]:
            suspects.update(x for (x,) in con.execute(f"SELECT \"__line\" FROM {raw} WHERE {c} = ''").fetchall())
        params: dict = {"maybe": _MAYBE}
        maybe = f"regexp_matches({c}, $maybe) OR length({c}) > {MAX_CELL}"
        if cells.checkers[j] is not None:
            maybe = "true"  # type and constraints: every distinct value is checked
        elif cells.texts[j] is _plain_hosts:
            params["hosts"] = _HOST.pattern
            hosts = con.execute(
                f"SELECT DISTINCT unnest(regexp_extract_all({c}, $hosts, 1)) FROM {raw}", {"hosts": _HOST.pattern}
            ).fetchall()
            bad = [h for (h,) in hosts if h is not None and lookalike.host_problem(h)]
            if bad:
                params["bad"] = bad
                maybe += f" OR list_has_any(regexp_extract_all({c}, $hosts, 1), $bad::VARCHAR[])"
            else:
                del params["hosts"]
        if maybe == "true":
            params = {}
        values = con.execute(f"SELECT DISTINCT {c} FROM {raw} WHERE {c} <> '' AND ({maybe})", params).fetchall()
        failing = [v for (v,) in values if cells.fault(j, v)]
        if failing:
            con.register("__failing", pa.table({"v": pa.array(failing, pa.string())}))
            suspects.update(
                x
                for (x,) in con.execute(
                    f"SELECT \"__line\" FROM {raw} WHERE {c} IN (SELECT v FROM __failing)"
                ).fetchall()
            )
            con.unregister("__failing")
    if suspects:
        con.register("__suspects", pa.table({"line": pa.array(sorted(suspects), pa.int64())}))
        rows = con.execute(
            f'SELECT * FROM {raw} WHERE "__line" IN (SELECT line FROM __suspects) ORDER BY "__line"'
        ).fetchall()
        con.unregister("__suspects")
        blank = [row[-1] for row in rows if not cells.row(list(row[:-1]), row[-1], result.failures)]
        if blank:
            con.execute(f'DELETE FROM {raw} WHERE "__line" IN (SELECT unnest($b))', {"b": blank})
    result.loaded.add(name)
    result.intact.add(name)
    result.written.add(name)
    return True


def _scan_rows(path: Path, cells: _Cells, con: duckdb.DuckDBPyConnection, result: Result) -> None:
    """The general reader: Python's csv module, row by row; every fault of layout named by its line."""
    name, names = cells.name, cells.names
    ncols = len(names)
    with open(path, encoding="utf-8", errors="surrogateescape", newline="\n") as fh:
        reader = csv.reader(fh, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as e:
            result.fail(name, "header", "-", "csv-quoting", str(e), 1)
            return
        if header is None:
            result.fail(name, "-", "-", "file-not-empty", "no header")
            return
        if any(_UNDECODABLE.search(h) for h in header):
            result.fail(name, "header", "-", "utf-8", ", ".join(header), 1)
            return
        if header != names:
            extra = [h for h in header if h not in names]
            missing = [n for n in names if n not in header]
            if extra:
                result.fail(name, "header", "-", "no-extra-columns", ", ".join(extra), 1)
            if missing:
                result.fail(name, "header", "-", "no-missing-columns", ", ".join(missing), 1)
            if not extra and not missing:
                result.fail(name, "header", "-", "column-order", ", ".join(header), 1)
            return

        fails = result.failures
        schema = pa.schema([(n, pa.string()) for n in names] + [("__line", pa.int64())])
        _raw_table(con, name, names)
        buf: list[list] = []
        lines: list[int] = []
        intact = True
        prev = reader.line_num
        header_line = prev

        def flush():
            if not buf:
                return
            columns = [pa.array(c, pa.string()) for c in zip(*buf)] + [pa.array(lines, pa.int64())]
            con.register("__batch", pa.Table.from_arrays(columns, schema=schema))
            con.execute(f"INSERT INTO {_q('raw_' + name)} SELECT * FROM __batch")
            con.unregister("__batch")
            buf.clear()
            lines.clear()

        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                start, prev = prev + 1, reader.line_num
                result.fail(
                    name,
                    f"line {start}",
                    "-",
                    "csv-quoting",
                    f"{e}; lines {start}-{prev} could not be read as rows" if prev > start else str(e),
                    start,
                )
                intact = False
                continue
            start, prev = prev + 1, reader.line_num
            if len(row) != ncols:
                if not any(row):
                    result.fail(name, f"line {start}", "-", "no-blank-row", "empty line", start)
                    continue
                result.fail(
                    name,
                    _row_id(row, cells.pk_idx, start),
                    "-",
                    "cells-match-header",
                    f"{len(row)} cells, header has {ncols}",
                    start,
                )
                intact = False
                continue
            if cells.row(row, start, fails):
                buf.append(row)
                lines.append(start)
                if len(buf) >= CHUNK:
                    flush()
        flush()
        if reader.line_num == header_line:
            result.fail(name, "-", "-", "table-has-rows", "the file holds a header and no row")
    result.loaded.add(name)
    if intact:
        result.intact.add(name)


def _row_id(row: list, pk_idx: list[int], line: int) -> str:
    """The row's primary key as written, when it is a plausible one; else its line."""
    try:
        parts = [row[i] for i in pk_idx]
    except IndexError:
        return f"line {line}"
    rid = "/".join(p for p in parts if p)
    if rid and len(rid) <= 60 and safe(rid) == rid and rid == rid.strip() and "<" not in rid:
        return rid
    return f"line {line}"


def matched(res: dict, con: duckdb.DuckDBPyConnection, result: Result) -> None:
    """Every field's pattern, over its whole column at once, in DuckDB's regular expressions (RE2: linear time,
    vectorised). A cell that already failed a check of its own is reported once (validate.py keeps the first
    failure of each cell, and the scan's come first)."""
    name = res["name"]
    pk = _pk(res)
    names = [f["name"] for f in res["schema"]["fields"]]
    pk_idx = [names.index(k) for k in pk]
    for f in res["schema"]["fields"]:
        pattern = f.get("constraints", {}).get("pattern")
        if not isinstance(pattern, str):
            continue
        col = _q(f["name"])
        try:
            rows = con.execute(
                f"SELECT \"__line\", {', '.join(_q(k) for k in pk)}, {col} FROM {_q('raw_' + name)} "
                f"WHERE {col} IS NOT NULL AND {col} <> '' AND NOT regexp_full_match({col}, ?) ORDER BY \"__line\"",
                [pattern],
            ).fetchall()
        except duckdb.Error as e:
            result.fail(
                "datapackage",
                name,
                f"schema.fields[{f['name']}].constraints.pattern",
                "constraint-is-valid",
                f"DuckDB cannot run it: {str(e).splitlines()[0]}",
            )
            continue
        for line, *parts in rows:
            v = parts[-1]
            cells = [""] * len(names)
            for i, p in zip(pk_idx, parts[:-1]):
                cells[i] = p or ""
            rid = _row_id(cells, pk_idx, line)
            result.fail(name, rid, f["name"], "constraint-pattern", f"{v} (does not match {pattern})", line)


def keys(res: dict, con: duckdb.DuckDBPyConnection, result: Result) -> None:
    """Primary keys, unique fields and foreign keys, in SQL on the raw rows.

    A cell that already failed a check of its own (say a malformed ID) is reported once: validate.py
    keeps the first failure of each cell. Keys into a table not read whole are not checked (its own
    failures say which rows could not be read)."""
    name = res["name"]
    schema = res["schema"]
    pk = _pk(res)
    raw = _q("raw_" + name)
    pk_expr = " || '/' || ".join(_q(k) for k in pk)
    # Each duplicate after the first, naming the line of the first.
    for field_list, rule in [(pk, "primary-key")] + [
        ([f["name"]], "constraint-unique")
        for f in schema["fields"]
        if f.get("constraints", {}).get("unique") and [f["name"]] != pk
    ]:
        cols = ", ".join(_q(c) for c in field_list)
        not_null = " AND ".join(f"{_q(c)} IS NOT NULL AND {_q(c)} <> ''" for c in field_list)
        rows = con.execute(f"""
            SELECT {pk_expr} AS rid, "__line", first_line, {" || '/' || ".join(_q(c) for c in field_list)} AS v FROM (
                SELECT *, min("__line") OVER (PARTITION BY {cols}) AS first_line FROM {raw} WHERE {not_null})
            WHERE "__line" > first_line ORDER BY "__line" """).fetchall()
        for rid, line, first, v in rows:
            result.fail(name, rid if rid else f"line {line}", field_list[0], rule, f"{v} is also on line {first}", line)
    for fk in schema.get("foreignKeys", []):
        fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
        ref = fk["reference"]
        target = ref.get("resource") or name
        rfields = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
        if target not in result.intact:
            continue  # some rows of the referenced file could not be read: its own failures say which
        traw = _q("raw_" + target)
        present = " AND ".join(f"r.{_q(c)} IS NOT NULL AND r.{_q(c)} <> ''" for c in fields)
        match = " AND ".join(f"t.{_q(rc)} = r.{_q(c)}" for c, rc in zip(fields, rfields))
        rows = con.execute(f"""
            SELECT {" || '/' || ".join('r.' + _q(k) for k in pk)}, r."__line", {" || '/' || ".join('r.' + _q(c) for c in fields)}
            FROM {raw} AS r WHERE {present} AND NOT EXISTS (SELECT 1 FROM {traw} AS t WHERE {match})
            ORDER BY r."__line" """).fetchall()
        for rid, line, v in rows:
            result.fail(
                name,
                rid if rid else f"line {line}",
                fields[0],
                "foreign-key",
                f"{v} is not a {'/'.join(rfields)} of {target}",
                line,
            )


def load_typed(pkg: Package, con: duckdb.DuckDBPyConnection, names: set[str]) -> None:
    """Typed tables (named as the resources) from the raw ones: what the checks of meaning read. Tables, not
    views: a view would cast every cell again on each of the checks' queries (about 30 times slower)."""
    for res in pkg.table_resources():
        if res["name"] in names:
            con.execute(
                f"CREATE OR REPLACE TABLE {_q(res['name'])} AS SELECT {typed_select(res['schema']['fields'])} "
                f"FROM {_q('raw_' + res['name'])} ORDER BY \"__line\""
            )
    active_views(con, pkg, names)


def keep_lines(pkg: Package, con: duckdb.DuckDBPyConnection, names: set[str]) -> None:
    """Once the typed tables are made, a raw table keeps only what finds a row's line (its key and "__line"): the
    text of every cell is not held twice while the checks of meaning run (about 400 MB at a million rows)."""
    for res in pkg.table_resources():
        if res["name"] in names:
            raw = _q("raw_" + res["name"])
            con.execute(f'CREATE OR REPLACE TABLE {raw} AS SELECT {", ".join(map(_q, _pk(res)))}, "__line" FROM {raw}')
