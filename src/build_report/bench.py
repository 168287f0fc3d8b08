"""`make bench`: how the gate scales. Synthetic packages of 10k, 100k and 1M rows, valid and with faults.

A synthetic package is the real one replicated: every table but `documents` and `sources` is copied
k times with its IDs renumbered (copy 12 of CLM-0001 is CLM-120001, in every cell that names it),
so every copy passes every check, provenance included. Faulty packages then break a fraction of
rows, each in a way that gives exactly one failure row (a hostile cell, a type error, a date before
the period, a line number that disagrees with the offsets), and the bench checks that the gate
reports exactly that many.

Each validation runs as a child process (`python -m build_report validate`, every failure listed
and written to JSON): wall time, and peak memory from the child's own resource usage. Beside it, a
bare DuckDB scan of the same CSV files (count(*) of read_csv) shows what reading alone costs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import csvio, model
from .package import Package

SHARED = {
    "documents",
    "sources",
    "places",
    "governorates",
}  # entities: referenced by every copy, never copied (one entity, one ID)
OFFSETS = ("char_start", "char_end")  # claim fields that count code points of the archive
_URL = re.compile(r"https?://[^\s<>\"]+")
_KEY_PATTERN = re.compile(r"\^\(?([A-Z|]+)\)?-\[0-9\]\{\d+,\}\$")

# table -> ways to break one row, each giving exactly one failure: (field, how, expected rule)
FAULTS = {
    "claims": [
        ("notes", lambda v: "<b>bold</b>", "no-html"),
        ("line", lambda v: str(int(v) + 1), "line-matches-offsets"),
    ],
    "incidents": [
        ("notes", lambda v: "=1+1", "no-formula-lead"),
        ("date_start", lambda v: "2015-01-01", "constraint-minimum"),
    ],
    "tallies": [("notes", lambda v: "tab\x07bell", "no-control-characters")],
    "places": [("notes", lambda v: "<script>x</script>", "no-script")],
    "overlap_groups": [("reason", lambda v: " leading blank", "no-leading-or-trailing-blank")],
    "search_log": [("n_results", lambda v: "many", "type-error")],
    "corroborations": [("title", lambda v: (v or "x") + " ", "no-leading-or-trailing-blank")],
    "crosswalk": [("summary", lambda v: "<i>x</i>", "no-html")],
    # The basis keeps its words (a formula sign before them): the windows check reads them (a period in part of a
    # month says so there), and a basis replaced whole gave a second failure on the row.
    "context_totals": [("basis", lambda v: "@" + v, "no-formula-lead")],
}


def id_prefixes(pkg: Package) -> list[str]:
    """The prefixes of the row IDs of every copied table (CLM of CLM-0001), read from the primary keys' patterns."""
    out: set[str] = set()
    for res in pkg.table_resources():
        if res["name"] in SHARED:
            continue
        for f in res["schema"]["fields"]:
            if f["name"] in ([pk] if isinstance(pk := res["schema"]["primaryKey"], str) else pk):
                m = _KEY_PATTERN.fullmatch(str(f.get("constraints", {}).get("pattern", "")))
                if m:
                    out.update(m.group(1).split("|"))
    return sorted(out, key=len, reverse=True)


class Copier:
    """Copy k of a row of the real package: IDs renumbered (copy 12 of CLM-0001 is CLM-120001, in every cell that
    names it), claim offsets and lines moved to copy k of the archive, and URLs made copy k's own (a fragment),
    so that copy k is a package of its own inside the whole, and passes every rule the real one passes.
    IDs that are issued in order of time (model.RECORDED_ON: searches, reviews, decisions) are interleaved
    instead: copy k of number n is n * stride + k, in the real rows too (k = 0), so that the copies of a row
    stand next to it and the dates still rise with the IDs (ids-in-order-of-time).
    With spans=False the claims keep the real offsets: every copied claim repeats a span (the adversarial case)."""

    def __init__(self, pkg: Package, archive: str, spans: bool = True, copies: int = 1):
        self.ids = re.compile(r"\b(" + "|".join(map(re.escape, id_prefixes(pkg))) + r")-(\d+)\b")
        self.width = len(archive) + 1  # copies of the archive are joined by a newline
        self.lines = archive.count("\n") + 1
        self.spans = spans
        self.stride = 10 ** len(str(copies))
        self.timed = {model.TABLES[t].prefix: model.TABLES[t].digits for t, _ in model.RECORDED_ON}

    def _id(self, m: re.Match, k: int) -> str:
        prefix, number = m.group(1), m.group(2)
        if prefix in self.timed:
            return f"{prefix}-{int(number) * self.stride + k:0{self.timed[prefix]}d}"
        return f"{prefix}-{k}{number}" if k else m.group(0)

    def row(self, header: list[str], row: list[str], k: int) -> list[str]:
        p = str(k)
        out = [self.ids.sub(lambda m: self._id(m, k), c) if "-" in c else c for c in row]
        if not k:
            return out
        out = [
            _URL.sub(lambda m: m.group(0) + ("-" if "#" in m.group(0) else "#") + f"copy{p}", c) if "://" in c else c
            for c in out
        ]
        if self.spans and "char_start" in header:
            for f in OFFSETS:
                i = header.index(f)
                if out[i]:
                    out[i] = str(int(out[i]) + k * self.width)
            i = header.index("line")
            if out[i]:
                out[i] = str(int(out[i]) + k * self.lines)
        return out


def make_package(
    src: Package, dest: Path, n_rows: int, fault_rate: float = 0.0, seed: int = 1, spans: bool = True
) -> dict:
    """Write a synthetic package of about n_rows rows into dest; return its row and fault counts, rule by rule.

    The one generator of the bench (and of its test): the real package's tables copied k times (see Copier), the
    archive copied k times with them, and its hash and size recorded where the real package records them.
    fault_rate breaks that share of the copied rows, each in one way of FAULTS; spans=False repeats every
    claim's span in every copy (each active copied claim then gives exactly one claim-spans-do-not-overlap)."""
    dest.mkdir(parents=True, exist_ok=True)
    text = src.archive_text()
    tables = {}
    for res in src.table_resources():
        header, *rows = csvio.read_lists(src.path(res["name"]))
        tables[res["name"]] = (res["path"], header, rows)
    shared_rows = sum(len(rows) for name, (_, _, rows) in tables.items() if name in SHARED)
    per_copy = sum(len(rows) for name, (_, _, rows) in tables.items() if name not in SHARED)
    copies = max(1, round((n_rows - shared_rows) / per_copy))
    archive = ("\n".join([text] * copies) if spans else text).encode("utf-8")
    digest = hashlib.sha256(archive).hexdigest()
    descriptor = json.loads(src.read_text("datapackage.json"))
    for res in descriptor["resources"]:
        if res["name"] == "archive":
            res["hash"], res["bytes"] = f"sha256:{digest}", len(archive)
    (dest / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", "utf-8")
    archive_path = src.resource("archive")["path"]
    (dest / archive_path).parent.mkdir(parents=True, exist_ok=True)
    (dest / archive_path).write_bytes(archive)
    copier = Copier(src, text, spans, copies)
    rng = random.Random(seed)
    total = faults = 0
    expected: dict[str, int] = {}
    repeated = "claim-spans-do-not-overlap"
    for name, (path, header, rows) in tables.items():
        out = dest / path
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w", newline="", encoding="utf-8") as f:  # the written form of csvio, streamed
            f.write(csvio.line(header))
            if name in SHARED:
                for row in rows:
                    row = copier.row(header, row, 0)  # a reference to an interleaved ID follows it
                    if name == "documents" and row[header.index("archive_path")] == archive_path:
                        row = list(row)
                        row[header.index("sha256")], row[header.index("bytes")] = digest, str(len(archive))
                    f.write(csvio.line(row))
                total += len(rows)
                continue
            kinds = [(header.index(field), how, rule) for field, how, rule in FAULTS.get(name, [])]
            for k in range(copies):
                for row in rows:
                    row = copier.row(header, row, k)
                    if not spans and k and name == "claims" and row[header.index("status")] == "active":
                        faults += 1
                        expected[repeated] = expected.get(repeated, 0) + 1
                    elif kinds and fault_rate and rng.random() < fault_rate:
                        i, how, rule = kinds[rng.randrange(len(kinds))]
                        row = list(row)
                        row[i] = how(row[i])
                        faults += 1
                        expected[rule] = expected.get(rule, 0) + 1
                    f.write(csvio.line(row))
            total += copies * len(rows)
    return {"rows": total, "faults": faults, "copies": copies, "expected": expected}


def validate_child(root: Path, out: Path) -> tuple[float, int, int, dict, float]:
    """(wall seconds, peak RSS in bytes, exit code, JSON report) of one validation in a child process."""
    cmd = [
        sys.executable,
        "-m",
        "build_report",
        "--root",
        str(root),
        "validate",
        "--json",
        str(out / "validation.json"),
        "--show",
        "0",
    ]
    env = dict(os.environ, GX_ANALYTICS_ENABLED="false", PYTHONHASHSEED="0")
    with open(out / "stdout.txt", "w", encoding="utf-8") as stdout:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    report = json.loads((out / "validation.json").read_text(encoding="utf-8")) if proc.returncode in (0, 1) else {}
    return seconds, usage.ru_maxrss * 1024, proc.returncode, report, usage.ru_utime + usage.ru_stime


def duckdb_scan(root: Path, pkg: Package) -> float:
    """Seconds for DuckDB to read every table file of the package (count(*), all columns as text)."""
    import duckdb

    con = duckdb.connect()
    started = time.perf_counter()
    for res in pkg.table_resources():
        path = str(root / res["path"]).replace("'", "''")
        con.execute(f"SELECT count(*) FROM read_csv('{path}', header=true, all_varchar=true)").fetchone()
    return time.perf_counter() - started


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(
            next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")).split()[1]
        )
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    import duckdb

    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}"
    )


def adversarial_rows(src: Package, repeated: int) -> int:
    """Rows of a package whose copies repeat `repeated` active claim spans in all (the adversarial case)."""
    sizes = {r["name"]: len(csvio.read(src.path(r["name"]))[1]) for r in src.table_resources()}
    active = sum(1 for r in csvio.read(src.path("claims"))[1] if r["status"] == "active")
    per_copy = sum(n for name, n in sizes.items() if name not in SHARED)
    copies = -(-repeated // active) + 1
    return copies * per_copy + sum(n for name, n in sizes.items() if name in SHARED)


def faulty_rows(src: Package, faults: int, rate: float) -> int:
    """Rows of a package in which breaking `rate` of the breakable rows (those of the tables FAULTS can break) gives
    about `faults` faults: only those tables' copied rows are broken, so half of all rows would give fewer."""
    sizes = {r["name"]: len(csvio.read(src.path(r["name"]))[1]) for r in src.table_resources()}
    breakable = sum(n for name, n in sizes.items() if name in FAULTS and name not in SHARED)
    per_copy = sum(n for name, n in sizes.items() if name not in SHARED)
    copies = round(faults / (rate * breakable))
    return copies * per_copy + sum(n for name, n in sizes.items() if name in SHARED)


def main(root: str | None, sizes: list[int], runs: int, out: str | None, big_faults: int) -> int:
    src = Package.load(root)
    load_start = os.getloadavg()  # the machine is shared: what else ran is part of every figure
    measured = commit(src.root, out)  # before any run: the code every run used
    # (rows, fault rate, spans kept apart); rows 0: the real package itself
    cases = [(0, 0.0, True)] + [(n, 0.0, True) for n in sizes] + [(n, 0.01, True) for n in sizes]
    if big_faults:
        cases.append((faulty_rows(src, big_faults, 0.5), 0.5, True))  # half the rows broken: big_faults faults
        cases.append((adversarial_rows(src, big_faults), 0.0, False))  # big_faults claims repeating spans
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for n, rate, spans in cases:
            where = Path(tmp) / f"pkg-{n}-{rate}-{spans}"
            if n:
                made = make_package(src, where, n, rate, spans=spans)
            else:
                made = {"rows": 0, "faults": 0, "expected": {}}
                for res in src.descriptor["resources"]:  # a plain copy of the real package
                    (where / res["path"]).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(src.path(res["name"]), where / res["path"])
                    if "schema" in res:
                        with open(src.path(res["name"]), encoding="utf-8") as lines:
                            made["rows"] += sum(1 for _ in lines) - 1
                shutil.copy(src.root / "datapackage.json", where / "datapackage.json")
            bench_pkg = Package.load(where)
            repeat = runs if n <= 100_000 else 1  # a run above 100k rows is heavy on a shared machine: once
            times, peaks, scans, cpus = [], [], [], []
            report = {}
            for _ in range(repeat):
                seconds, peak, code, report, cpu = validate_child(where, Path(tmp))
                if code not in (0, 1):
                    print((Path(tmp) / "stdout.txt").read_text(encoding="utf-8")[-2000:], file=sys.stderr)
                    return 2
                times.append(seconds)
                cpus.append(cpu)
                peaks.append(peak)
                scans.append(duckdb_scan(where, bench_pkg))
            found = report.get("count", 0)
            by_rule: dict[str, int] = {}
            for f in report.get("failures", []):
                by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
            exact = found == made["faults"] and by_rule == made["expected"]
            row = {
                "real": not n,
                "kind": "real" if not n else "adversarial" if not spans else "faulty" if rate else "valid",
                "rows": made["rows"],
                "faults": made["faults"],
                "found": found,
                "exact": exact,
                "runs": repeat,
                "seconds": statistics.median(times),
                "cpu": statistics.median(cpus),
                "min": min(times),
                "max": max(times),
                "peak_mb": max(peaks) / 1e6,
                "scan": statistics.median(scans),
            }
            results.append(row)
            print(
                f"{row['rows']:>9} rows, {row['faults']:>6} faults (found {found}{'' if exact else ', MISMATCH'}): "
                f"{row['seconds']:.1f} s median of {repeat} ({row['min']:.1f}-{row['max']:.1f}), "
                f"CPU {row['cpu']:.1f} s, "
                f"{row['rows'] / row['seconds']:,.0f} rows/s, peak {row['peak_mb']:.0f} MB; "
                f"DuckDB scan {row['scan']:.2f} s",
                flush=True,
            )
            shutil.rmtree(where)
            if out:  # written after every package, so that a run stopped half-way says how far it got
                write(out, markdown(results, runs, measured, len(cases), load_start))
                write(str(Path(out).with_suffix(".json")), summary_json(results, measured))
    if out:
        print(f"wrote {out}")
    return 0 if all(r["exact"] and "OVER" not in within(r) for r in results) else 1


def commit(root: Path, out: str | None = None) -> str:
    """The commit measured (with '+ uncommitted changes' when the tree differs from it; the bench's own output
    file, which an earlier run may have left changed, does not count)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=False
        )
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return "unknown (no git)"
    if head.returncode:
        return "unknown (not a git checkout)"
    try:
        mine = str((Path.cwd() / out).resolve().relative_to(Path(root).resolve())) if out else None
    except ValueError:
        mine = None  # written outside the checkout
    changed = [ln[3:] for ln in dirty.stdout.splitlines() if ln[3:] != mine]
    return head.stdout.strip() + (" + uncommitted changes" if changed else "")


def summary_json(results: list[dict], measured: str) -> str:
    """The measured packages as data, beside the page, for the release notes to quote (with the commit)."""
    runs = [
        {
            "package": r["kind"],
            "rows": r["rows"],
            "faults": r["faults"],
            "found": r["found"],
            "seconds": round(r["seconds"], 1),
            "cpu_seconds": round(r["cpu"], 1),
            "peak_mb": round(r["peak_mb"]),
        }
        for r in results
    ]
    return json.dumps({"commit": measured, "date": dt.date.today().isoformat(), "runs": runs}, indent=2) + "\n"


def write(out: str, text: str) -> None:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")


def markdown(
    results: list[dict], runs: int, measured: str = "", planned: int = 0, load_start: tuple[float, ...] = ()
) -> str:
    lines = [
        "# Benchmarks of the validation gate",
        "",
        "Written by `make bench` (`python -m build_report bench`); do not edit by hand.",
        "",
        *(
            [f"**Incomplete run: {len(results)} of the {planned} packages planned were measured.**", ""]
            if planned > len(results)
            else []
        ),
        f"- Commit measured: {measured}",
        f"- Date: {dt.date.today().isoformat()}",
        f"- Machine: {machine()}",
        "- Packages (one generator, `bench.make_package`): the real package copied k times, IDs renumbered (the",
        "  prefixes read from the primary keys' patterns; `documents`, `sources` and `places` shared), the archive copied",
        "  with the tables (its hash recorded), claim offsets and URLs made each copy's own: valid by",
        "  construction. *Faulty* packages break a share of the rows, each so that it gives exactly one failure",
        "  row; the *adversarial* one keeps every copied claim on the real offsets, so that each repeats a span.",
        "  *found* is what the gate reported; the bench fails unless it equals *faults*, rule by rule.",
        "- Validation: `python -m build_report validate --show 0 --json ...` in a child process, every failure",
        "  printed and written to JSON. Time is wall-clock; CPU time is the child's user + system time (what the",
        "  gate costs when the machine is shared); peak memory is the child's maximum resident set size.",
        "- The machine is shared (2 cores, several engineers and a CI run working on it at once), so wall-clock",
        "  times include waiting for the processor; the CPU time beside them is what the gate itself cost.",
        f"- Load average (1, 5, 15 min) when the bench began: {', '.join(f'{x:.1f}' for x in load_start) or '-'};",
        f"  when it ended (or reached the last package listed): {', '.join(f'{x:.1f}' for x in os.getloadavg())}.",
        f"- Runs: median of {runs} runs up to 100k rows; one run above (a 1M-row run takes minutes and the",
        "  machine is shared, so the range is given too).",
        "- DuckDB scan: `SELECT count(*) FROM read_csv(...)` of every table file, all columns as text: the cost",
        "  of reading alone, for scale.",
        "",
        (
            "| package | rows | faults | found | runs | validation (median) | range | CPU time (median) | rows/s "
            "| peak memory | DuckDB scan | scan rows/s |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['kind']} | {r['rows']:,} | {r['faults']:,} | {r['found']:,} | {r['runs']} | {r['seconds']:.1f} s | "
            f"{r['min']:.1f}–{r['max']:.1f} s | {r['cpu']:.1f} s | {r['rows'] / r['seconds']:,.0f} | "
            f"{r['peak_mb']:,.0f} MB | "
            f"{r['scan']:.2f} s | {r['rows'] / r['scan']:,.0f} |"
        )
    valid = sorted((r for r in results if not r["faults"] and not r["real"]), key=lambda r: r["rows"])
    lines.append("")
    if len(valid) >= 2:
        a, b = valid[-2], valid[-1]
        per = (b["seconds"] - a["seconds"]) / (b["rows"] - a["rows"]) * 100_000
        fixed = next((r["seconds"] for r in results if r["real"]), None)
        lines += [
            f"Linearity: from {a['rows']:,} to {b['rows']:,} valid rows, each further 100,000 rows cost "
            f"{per:.1f} s."
            + (
                f" Below that the fixed cost dominates: {fixed:.1f} s for the real package, "
                "mostly starting Python and importing DuckDB, pandas and pyarrow."
                if fixed
                else ""
            ),
            "",
        ]
    goals = [f"{r['kind']} {r['rows']:,} rows: {verdict}" for r in results if (verdict := within(r))]
    lines += [
        "Budgets: 100k rows in at most 10 s; 1M rows in at most 60 s and 2 GB; 50k faults listed in full, and the",
        "adversarial package, in at most 60 s and 2 GB; cost linear in rows. Measured: "
        + ("; ".join(goals) if goals else "no package in a budget's range")
        + ".",
        "",
    ]
    return "\n".join(lines)


def budget(r: dict) -> tuple[float, float] | None:
    """(seconds, MB) that a result must stay within, or None when no budget covers its size."""
    if r["kind"] == "adversarial" or r["faults"] >= 45_000 or r["rows"] >= 900_000:
        return 60.0, 2000.0
    if 90_000 <= r["rows"] <= 110_000:
        return 10.0, 2000.0
    return None


def within(r: dict) -> str:
    """'' when no budget applies, else the figures against the budget."""
    b = budget(r)
    if b is None:
        return ""
    ok = r["seconds"] <= b[0] and r["peak_mb"] <= b[1]
    return (
        f"{r['seconds']:.1f} s (CPU {r['cpu']:.1f} s), {r['peak_mb']:,.0f} MB "
        f"({'within' if ok else 'OVER'} {b[0]:.0f} s, {b[1]:,.0f} MB)"
    )
