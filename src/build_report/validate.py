"""Run every check on a package and write the results: one line per failure, JSON, and a summary.

Exit codes: 0 no failure; 1 data failures (the package, including its descriptor, is at fault);
2 usage or environment errors (no package at the root given, an output that cannot be written, or
a fault of the validator itself). No traceback is ever printed (set BUILD_REPORT_DEBUG=1 to see one).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .checks import (
    Failure,
    agreement,
    coherence,
    contract,
    groups,
    meaning,
    mirrors,
    provenance,
    relations,
    safe,
    structure,
    truth,
    windows,
    words,
)
from .failures import DataError
from .package import Package, UsageError, _q

SHOW = 1000  # failures printed by default; the JSON always has all of them


@dataclass
class Report:
    failures: list[Failure]
    skipped: list[str] = field(default_factory=list)  # checks not run, and why
    paths: dict[str, str] = field(default_factory=dict)  # table -> its file, for "file line N"


def run(pkg: Package) -> list[Failure]:
    """Every failure of the package (the in-process entry point)."""
    return run_report(pkg).failures


def run_report(pkg: Package) -> Report:
    failures: list[Failure] = list(pkg.faults)
    tables = [r["name"] for r in pkg.table_resources()]
    report = Report(failures, paths={r["name"]: r["path"] for r in pkg.table_resources()})
    con = duckdb.connect()
    result = structure.check(pkg, con)
    failures += result.failures
    if pkg.faults or result.intact != set(tables):
        broken = (["datapackage.json"] if pkg.faults else []) + [t for t in tables if t not in result.intact]
        report.skipped.append(
            "the checks of meaning and provenance, which need the descriptor and every table "
            f"read whole (not so: {', '.join(broken)}); fix the failures above, then validate again"
        )
        report.failures = one_per_cell(failures)
        return _lines(report, con, result, pkg)
    structure.load_typed(pkg, con, set(tables))
    structure.keep_lines(pkg, con, set(tables))
    later: list[Failure] = []
    for name, stage in later_stages(pkg, con):
        try:
            later += stage()
        except (duckdb.Error, DataError) as e:
            # A check that cannot run on this package (a changed field type breaks a query, a file of the tree
            # refused by the guard) is a failure of the package, named. Anything else is a fault of the
            # validator: it is not caught here, and the command ends with exit code 2 (see main).
            text = str(e).strip().splitlines()
            later.append(
                Failure(name, "-", "-", "checks-can-run", f"{type(e).__name__}: {text[0] if text else ''}", name)
            )
    failures += later
    report.failures = one_per_cell(failures)
    return _lines(report, con, result, pkg)


def later_stages(pkg: Package, con: duckdb.DuckDBPyConnection) -> list[tuple[str, Callable[[], list[Failure]]]]:
    """The checks that run once the tables are loaded typed, in order (the mutation campaign runs the same)."""
    return [
        ("meaning", lambda: meaning.check(con)),
        ("provenance", lambda: provenance.check(pkg, con)),
        ("truth", lambda: truth.check(pkg, con)),
        ("mirrors", lambda: mirrors.check(con)),
        ("windows", lambda: windows.check(con)),
        ("words", lambda: words.check(con)),
        ("groups", lambda: groups.check(con)),
        ("relations", lambda: relations.check(con)),
        ("agreement", lambda: agreement.check(pkg, con)),
        ("contract", lambda: contract.check(pkg)),
        # Last: where the contract already names a descriptor change, its failure is the one kept for that cell.
        ("coherence", lambda: coherence.check(pkg, con)),
        # After every narrower rule, so that the cell a narrower rule fails is named by it.
        ("as-written", lambda: windows.as_written(con)),
    ]


def one_per_cell(failures: list[Failure]) -> list[Failure]:
    """One fault, one row: a cell (table, row, field) is reported once, by the first check that fails it.

    Checks run in a fixed order (descriptor, structure, meaning, provenance), so a cell of the wrong
    type is reported as such, not again as a broken range or a quote that differs from the archive.
    Failures of a whole row or file (field or row "-") are all kept.
    Stored derived fields are compared with their recomputation (rules "X == X_recomputed") only on
    rows without another failure.
    """
    seen = set()
    out = []
    # Derived fields are recomputed from the row's inputs: a row with another failure is not also
    # reported as stale (fix the input, then the derived value). A disagreement with the coder is the
    # exception: derive would launder it, so the stale field is reported too, after the disagreement.
    faulty_rows = {
        (f.table, f.row_id) for f in failures if not f.rule.endswith("_recomputed") and f.check != agreement.CHECK
    }
    for f in failures:
        if f.rule.endswith("_recomputed") and (f.table, f.row_id) in faulty_rows:
            continue
        if f.field != "-" and f.row_id != "-":
            k = (f.table, f.row_id, f.field)
            if k in seen:
                continue
            seen.add(k)
        out.append(f)
    # Stale derived fields last: the disagreement that made them stale is named first.
    return [f for f in out if not f.rule.endswith("_recomputed")] + [f for f in out if f.rule.endswith("_recomputed")]


def _lines(report: Report, con, result, pkg: Package) -> Report:
    """Give every failure that names a row the line of that row in its file."""
    wanted = {f.table for f in report.failures if f.lineno is None and f.row_id not in ("-", "header")}
    lines: dict[tuple[str, str], int] = {}
    for res in pkg.table_resources():
        name = res["name"]
        if name not in wanted or name not in result.loaded:
            continue
        pk = res["schema"]["primaryKey"]
        rid = " || '/' || ".join(_q(k) for k in ([pk] if isinstance(pk, str) else pk))
        want = {f.row_id for f in report.failures if f.table == name}
        for row_id, line in con.execute(f'SELECT {rid}, min("__line") FROM {_q("raw_" + name)} GROUP BY 1').fetchall():
            if row_id in want:
                lines[(name, row_id)] = line
    report.failures[:] = [
        f.with_line(lines[(f.table, f.row_id)]) if f.lineno is None and (f.table, f.row_id) in lines else f
        for f in report.failures
    ]
    return report


# The gate's checks in the order they run, each with what it guards against (the summary and the Data quality page).
CHECKS: list[tuple[str, str]] = [
    ("structure", "broken files, wrong types, missing or duplicate keys, broken references, hostile text"),
    (
        "meaning",
        "impossible ranges, parts larger than wholes, dates outside the document's period, stale derived fields",
    ),
    (
        "provenance",
        "quotes that differ from the archive, uncovered list items, counts not coded by rule, coordinates without origin, lost IDs",
    ),
    (
        "truth",
        "values the words do not support, double counts, rows resting on withdrawn rows, evidence that disagrees with its searches",
    ),
    (
        "contract",
        "fields, types, constraints and keys of the latest release removed or loosened without a major version",
    ),
]


def summary_markdown(pkg: Package, failures: list[Failure]) -> str:
    """A short human summary, shown in the report as the Data quality page."""
    tables = [r["name"] for r in pkg.table_resources()]
    lines = [
        f"Validation of package version {pkg.version}: "
        + ("**passed**, no failures." if not failures else f"**{len(failures)} failures**.")
    ]
    lines.append("")
    lines.append("| check | what it guards against | failures |")
    lines.append("|---|---|---|")
    by_check = Counter(f.check for f in failures)
    for check, what in CHECKS:
        lines.append(f"| {check} | {what} | {by_check.get(check, 0)} |")
    lines.append("")
    lines.append(f"Tables checked: {', '.join(tables)}.")
    try:
        lines.append("")
        lines.append(contract.compare(pkg).sentence())
    except (OSError, ValueError, KeyError, TypeError, DataError):
        lines.append("The descriptor could not be compared with the latest release (see the failures).")
    return "\n".join(lines) + "\n"


class _Output:
    """An output file, checked writable before any work and replaced atomically at the end."""

    def __init__(self, path: str | None):
        self.path = Path(path) if path else None
        if self.path:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with tempfile.NamedTemporaryFile(dir=self.path.parent, prefix=".probe-"):
                    pass
                if self.path.exists() and (self.path.is_dir() or not os.access(self.path, os.W_OK)):
                    raise PermissionError(13, "the file exists and cannot be replaced")
            except (FileExistsError, NotADirectoryError):
                raise UsageError(
                    f"cannot write {str(self.path)!r}: {str(self.path.parent)!r} is not a folder"
                ) from None
            except OSError as e:
                raise UsageError(f"cannot write {str(self.path)!r}: {e.strerror or e}") from None

    def write(self, text: str) -> None:
        if not self.path:
            return
        try:
            with tempfile.NamedTemporaryFile(
                "w", dir=self.path.parent, prefix=".tmp-", delete=False, encoding="utf-8"
            ) as f:
                f.write(text)
            os.replace(f.name, self.path)
        except OSError as e:
            raise UsageError(f"cannot write {str(self.path)!r}: {e.strerror or e}") from None


def main(root: str | None, json_path: str | None, summary_path: str | None, show: int = SHOW) -> int:
    try:
        return _main(root, json_path, summary_path, show)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a fault of the validator: say so plainly, without a traceback
        if os.environ.get("BUILD_REPORT_DEBUG"):
            raise
        print(
            f"error: the validator itself failed ({type(e).__name__}: {safe(e, 300)}); "
            "set BUILD_REPORT_DEBUG=1 to see where",
            file=sys.stderr,
        )
        return 2


def _main(root, json_path, summary_path, show) -> int:
    started = time.perf_counter()
    json_out, summary_out = _Output(json_path), _Output(summary_path)
    pkg = Package.load(root, strict=False)
    report = run_report(pkg)
    failures = report.failures
    seconds = time.perf_counter() - started
    shown = failures if not show or show >= len(failures) else failures[:show]
    out = sys.stdout
    for f in shown:
        out.write(f.line(report.paths.get(f.table)) + "\n")
    if len(shown) < len(failures):
        where = f"; all {len(failures)} are in {json_path}" if json_path else "; use --show 0 to list them all"
        out.write(f"... {len(failures) - len(shown)} more failures not shown{where}\n")
    for s in report.skipped:
        out.write(f"not run: {s}\n")
    if not report.skipped:
        try:
            out.write(contract.compare(pkg).sentence() + "\n")
        except (OSError, ValueError, KeyError, TypeError, DataError):
            pass
    by_check = Counter(x.check for x in failures)
    out.write(
        f"{len(failures)} failure{'s' if len(failures) != 1 else ''}"
        + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(by_check.items()))})" if failures else "")
        + f" in {seconds:.1f} s\n"
    )
    json_out.write(
        json.dumps(
            {
                "version": pkg.version,
                "passed": not failures,
                "count": len(failures),
                "skipped": report.skipped,
                "failures": [f.as_dict() for f in failures],
            },
            indent=1,
        )
        + "\n"
    )
    summary_out.write(summary_markdown(pkg, failures))
    return 1 if failures else 0
