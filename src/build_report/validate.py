"""Run every check on a package and write the results: one line per failure, JSON, and a summary."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from .checks import Failure, meaning, provenance, structure
from .package import Package, connect


def run(pkg: Package) -> list[Failure]:
    failures: list[Failure] = []
    loadable = set()
    for res in pkg.table_resources():
        faults = structure.file_faults(pkg, res)
        failures += faults
        if not faults:
            loadable.add(res["name"])
            failures += structure.cell_hygiene(pkg, res, structure.read_rows(pkg, res["name"]))
    failures += structure.frictionless_faults(pkg, loadable)
    if loadable != {r["name"] for r in pkg.table_resources()}:
        # Checks of meaning and provenance join all tables; they need every file readable.
        return failures
    con = connect(pkg, lenient=True)
    failures += meaning.check(con)
    failures += provenance.check(pkg, con)
    return failures


def summary_markdown(pkg: Package, failures: list[Failure], seconds: float) -> str:
    """A short human summary, shown in the report as the Data quality page."""
    tables = {r["name"]: r for r in pkg.table_resources()}
    lines = [f"Validation of package version {pkg.version}: "
             + ("**passed**, no failures." if not failures else f"**{len(failures)} failures**.")]
    lines.append("")
    lines.append("| check | what it guards against | failures |")
    lines.append("|---|---|---|")
    by_check = Counter(f.check for f in failures)
    for check, what in [("structure", "broken files, wrong types, missing or duplicate keys, broken references, hostile text"),
                        ("meaning", "impossible ranges, parts larger than wholes, dates outside the document's period, stale derived fields"),
                        ("provenance", "quotes that differ from the archive, uncovered list items, counts not coded by rule, coordinates without origin, lost IDs")]:
        lines.append(f"| {check} | {what} | {by_check.get(check, 0)} |")
    lines.append("")
    lines.append(f"Tables checked: {', '.join(tables)}.")
    return "\n".join(lines) + "\n"


def main(root: str | None, json_path: str | None, summary_path: str | None) -> int:
    started = time.perf_counter()
    try:
        pkg = Package.load(root)
    except (OSError, ValueError) as e:
        print(f"datapackage:-:-: datapackage-readable — {e}")
        print("1 failure")
        return 1
    failures = run(pkg)
    seconds = time.perf_counter() - started
    for f in failures:
        print(f.line())
    print(f"{len(failures)} failure{'s' if len(failures) != 1 else ''}"
          + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(Counter(x.check for x in failures).items()))})" if failures else "")
          + f" in {seconds:.1f} s")
    if json_path:
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(json.dumps({"version": pkg.version, "passed": not failures, "count": len(failures),
                                               "failures": [f.as_dict() for f in failures]}, indent=1) + "\n", encoding="utf-8")
    if summary_path:
        Path(summary_path).parent.mkdir(parents=True, exist_ok=True)
        Path(summary_path).write_text(summary_markdown(pkg, failures, seconds), encoding="utf-8")
    return 1 if failures else 0
