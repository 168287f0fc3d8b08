"""`make release VERSION=x.y.z`: refuse unless safe, set the version everywhere, build the
artefacts into dist/, and record a row-level diff and the released IDs under releases/."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import yaml

from . import artefacts, citation, codebook, csvio, derive, figures, outputs, queries, releases, validate
from .artefacts import Refused, rebuild
from .checks import agreement, contract
from .package import Package, connect

LEVELS = {"patch": 0, "minor": 1, "major": 2}


def parse(version: str) -> tuple[int, int, int]:
    key = releases.version_key(version)
    if key is None:
        raise Refused(f"version {version!r} is not of the form MAJOR.MINOR.PATCH")
    return key


def bump_level(old: str, new: str) -> str:
    o, n = parse(old), parse(new)
    if n <= o:
        raise Refused(f"version {new} is not greater than the last release {old}")
    return "major" if n[0] > o[0] else "minor" if n[1] > o[1] else "patch"


# ---- what changed -------------------------------------------------------------------------


def schema_changes(pkg: Package, previous: str) -> list[tuple[str, str]]:
    """(level, description) of every schema change since a release, as the gate's contract classifies them."""
    return [
        (c.level, f"{c.resource}.{c.field} {c.what}" if c.field != "-" else f"resource {c.resource}: {c.what}")
        for c in contract.changes(pkg, previous, releases.frozen_descriptor(pkg.root, previous), pkg.descriptor)
    ]


def read_table(path: Path, key: str) -> dict[str, dict]:
    if not path.exists():
        return {}
    return {r[key]: r for r in csvio.read(path)[1]}


def row_diff(pkg: Package, old_dir: Path | None) -> list[dict]:
    """Rows added, withdrawn (tombstoned), removed and changed, field by field, old -> new."""
    out = []
    for res in pkg.table_resources():
        name, key = res["name"], res["schema"]["primaryKey"][0]
        new = read_table(pkg.root / res["path"], key)
        old = read_table(releases.record_file(old_dir, res), key) if old_dir else {}
        for rid in sorted(new.keys() - old.keys()):
            out.append({"table": name, "id": rid, "change": "added", "field": "", "old": "", "new": ""})
        for rid in sorted(old.keys() - new.keys()):
            out.append({"table": name, "id": rid, "change": "removed", "field": "", "old": "", "new": ""})
        for rid in sorted(old.keys() & new.keys()):
            a, b = old[rid], new[rid]
            if a.get("status") == "active" and b.get("status") == "withdrawn":
                out.append(
                    {
                        "table": name,
                        "id": rid,
                        "change": "withdrawn",
                        "field": "status",
                        "old": "active",
                        "new": "withdrawn",
                    }
                )
            for field in sorted((a.keys() | b.keys()) - {"status"}):
                if a.get(field, "") != b.get(field, ""):
                    out.append(
                        {
                            "table": name,
                            "id": rid,
                            "change": "changed",
                            "field": field,
                            "old": a.get(field, ""),
                            "new": b.get(field, ""),
                        }
                    )
    return out


# Why a row changed, found in what the project already records; a release refuses a change without one.
DERIVED_REASON = "derived: recomputed by `python -m build_report derive` from the rows it depends on"


def add_reasons(pkg: Package, diff: list[dict], old_dir: Path) -> list[dict]:
    """Give every diff row a `reason`: its second-pass review, the changelog note naming the row, the rule
    that derives the field, or the schema change that added or removed it. Rows left without one are
    returned, so that the release can refuse them."""
    derived = set(derive.DERIVED) | set(derive.AFTER)
    old_fields = {
        r["name"]: {f["name"] for f in r.get("schema", {}).get("fields", [])}
        for r in json.loads((old_dir / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    }
    new_fields = {r["name"]: {f["name"] for f in r["schema"]["fields"]} for r in pkg.table_resources()}
    notes = releases.notes((pkg.root / "CHANGELOG.md").read_text(encoding="utf-8"))
    reviews: dict[tuple[str, str], list[str]] = {}
    if any(r["name"] == "reviews" for r in pkg.table_resources()):
        for r in csvio.read(pkg.path("reviews"))[1]:
            if r.get("outcome") == "corrected":
                reviews.setdefault((r["table"], r["row_id"]), []).append(
                    f"{r['review_id']} (second-pass review): {r['note']}"
                )
    cited: dict[str, list[str]] = {}  # row ID -> the rows whose cells name it (e.g. a search -> its reviews)
    for res in pkg.table_resources():
        key = res["schema"]["primaryKey"][0]
        for r in csvio.read(pkg.path(res["name"]))[1]:
            for field, v in r.items():
                if field != key and v:
                    for token in re.split(r"[;,\s]+", v):
                        cited.setdefault(token, []).append(r[key])
    missing = []
    for d in diff:
        named = [releases.headline(n) for n in notes if releases.names_row(n, d["id"])]
        why = reviews.get((d["table"], d["id"]), []) if d["change"] == "changed" else []
        if d["change"] == "changed" and d["field"] in derived:
            why = [DERIVED_REASON]
        elif d["change"] == "changed" and d["field"] not in old_fields.get(d["table"], set()) & new_fields.get(
            d["table"], set()
        ):
            why = [
                f"schema: field {d['field']} "
                + ("added" if d["field"] in new_fields.get(d["table"], set()) else "removed")
            ]
        if d["change"] == "added" and not named and d["id"] in cited:
            users = sorted(set(cited[d["id"]]))
            why = ["the record of " + ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")]
        if d["change"] == "added" and d["table"] == "reviews" and not named:
            r = next(r for r in csvio.read(pkg.path("reviews"))[1] if r["review_id"] == d["id"])
            why = [f"second-pass review of {r['table']} {r['row_id']}"]
        d["reason"] = "; ".join(dict.fromkeys(why + named))
        if not d["reason"]:
            missing.append(d)
    return missing


def required_level(schema: list[tuple[str, str]], diff: list[dict]) -> str:
    level = max((LEVELS[lv] for lv, _ in schema), default=0)
    if any(d["change"] == "added" for d in diff):
        level = max(level, LEVELS["minor"])
    return next(k for k, v in LEVELS.items() if v == level)


# ---- versions in files ----------------------------------------------------------------------


def changelog_version(text: str) -> str | None:
    m = re.search(r"^## (\d+\.\d+\.\d+)", text, re.MULTILINE)
    return m.group(1) if m else None


VERSIONED = ("datapackage.json", "CITATION.cff", "CHANGELOG.md")  # the files that state the version


def versions(root: Path, texts: dict[str, str] | None = None) -> dict[str, str | None]:
    """The version each file states, as written under root or as in `texts` (not yet written)."""
    texts = texts or {name: (root / name).read_text(encoding="utf-8") for name in VERSIONED}
    return {
        "datapackage.json": json.loads(texts["datapackage.json"]).get("version"),
        "CITATION.cff": str(yaml.safe_load(texts["CITATION.cff"]).get("version")),
        "CHANGELOG.md": changelog_version(texts["CHANGELOG.md"]),
    }


def with_version(root: Path, version: str, date: str, diff_md: str) -> dict[str, str]:
    """The texts of the versioned files with the version set, the changelog with its new section; nothing is written."""
    desc = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    desc["version"] = version
    cff = re.sub(
        r"^version: .*$", f"version: {version}", (root / "CITATION.cff").read_text(encoding="utf-8"), flags=re.MULTILINE
    )
    cff = re.sub(r'^date-released: .*$', f'date-released: "{date}"', cff, flags=re.MULTILINE)
    log = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    section = f"## {version} ({date})\n\n{diff_md}"
    m = re.search(r"^## Unreleased[ \t]*\n(.*?)(?=^## |\Z)", log, re.MULTILINE | re.DOTALL)
    if m:
        # The notes written under Unreleased come first under the new heading (they are for readers), then
        # the generated row-level summary; Unreleased starts empty.
        notes = m.group(1).strip()
        section = f"## {version} ({date})\n\n" + (notes + "\n\n" if notes else "") + diff_md + "\n"
        log = log[: m.start()] + "## Unreleased\n\n" + section + log[m.end() :]
    else:
        first = re.search(r"^## ", log, re.MULTILINE)
        log = log[: first.start()] + section + log[first.start() :] if first else log + "\n" + section
    return {
        "datapackage.json": json.dumps(desc, indent=2, ensure_ascii=False) + "\n",
        "CITATION.cff": cff,
        "CHANGELOG.md": log,
    }


def write_zenodo(pkg: Package) -> None:
    """.zenodo.json from CITATION.cff plus the package: the compilation it derives from, the trackers it cites."""
    con = connect(pkg)
    compilation = [
        u for (u,) in con.execute("SELECT url FROM documents WHERE url IS NOT NULL ORDER BY document_id").fetchall()
    ]
    trackers = [u for (u,) in con.execute("SELECT DISTINCT url FROM context_totals WHERE url IS NOT NULL").fetchall()]
    start, end = con.execute("SELECT min(date_start), max(date_end) FROM incidents").fetchone()
    meta = citation.zenodo(
        citation.load(pkg.root),
        pkg.descriptor,
        compilation[0] if compilation else None,
        trackers,
        (start.isoformat(), end.isoformat()),
    )
    (pkg.root / ".zenodo.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def diff_markdown(version: str, previous: str | None, diff: list[dict], schema: list[tuple[str, str]]) -> str:
    counts = {
        c: len({(d["table"], d["id"]) for d in diff if d["change"] == c})
        for c in ("added", "withdrawn", "changed", "removed")
    }
    lines = [
        f"Row-level changes against {previous or 'nothing (first release)'}: "
        + ", ".join(f"{n} {c}" for c, n in counts.items())
        + f" (details: `releases/{version}/diff.csv`)."
    ]
    for level, what in schema:
        lines.append(f"- schema ({level}): {what}")
    changed = [d for d in diff if d["change"] == "changed"]
    for d in changed[:50]:
        lines.append(f"- {d['table']} {d['id']}: {d['field']} `{d['old']}` → `{d['new']}`")
    if len(changed) > 50:
        lines.append(f"- … and {len(changed) - 50} more changed fields")
    if counts["added"] and previous:
        lines.append("- added: " + ", ".join(sorted({d['id'] for d in diff if d['change'] == 'added'})))
    return "\n".join(lines) + "\n"


def agreement_markdown(pkg: Package) -> str:
    """The release's coding reliability, from the query coding_reliability: hand coding against the rule-based
    coder, per field and in all."""
    con = connect(pkg)
    agreement.frame(con, pkg.archive_text())
    rows = queries.rows(con, "coding_reliability")
    units = sum(r["rows_coded"] for r in rows)
    agree = sum(r["agreements"] for r in rows)
    head = "Coding reliability (hand coding against the rule-based coder, query `coding_reliability`): "
    lines = [f"{head}{agree} of {units} coded fields agree; every other field has a coding decision."]
    for r in rows:
        alpha = "not computed (a count, or a single value)" if r["alpha"] is None else r["alpha"]
        lines.append(
            f"- {r['table']}.{r['field']}: {r['agreements']} of {r['rows_coded']} agree "
            f"({r['percent_agreement']}%), Krippendorff's alpha {alpha}, {r['decisions']} decision(s), "
            f"{r['decisions_pending']} pending review"
        )
    return "\n" + "\n".join(lines) + "\n"


def measures_markdown(pkg: Package, tests_started: float) -> str:
    """What the release notes report about the gate, the evidence and the report: the mutation score and the
    bench (from the files `make mutate` and `make bench` write, with the commit each measured), the share of
    incidents independently corroborated (recomputed here), and the page weights (only when this release's own
    test run wrote them; an older file would describe another build)."""
    con = connect(pkg)
    share = figures.compute(con, "incidents_corroborated_share")
    count = figures.compute(con, "incidents_corroborated")
    total = figures.compute(con, "incidents_total")
    lines = [
        "",
        "Measures of this release:",
        (
            f"- Incidents independently corroborated: {figures.text(count)} of {figures.text(total)} "
            f"({figures.text(share)}%; queries `incidents_corroborated`, `incidents_total`)."
        ),
    ]
    mutation = pkg.root / "docs" / "mutation.json"
    if mutation.is_file():
        m = json.loads(mutation.read_text(encoding="utf-8"))
        lines.append(
            f"- Mutation score of the gate: {m['score_percent']}% ({m['killed']} killed of "
            f"{m['mutants'] - m['equivalent']} non-equivalent mutants, {m['equivalent']} equivalent, "
            f"{m['survivors']} survivors; `make mutate` at commit {m['commit']}, {m['date']}; docs/mutation.md)."
        )
    else:
        lines.append("- Mutation score of the gate: not measured (no docs/mutation.json; run `make mutate`).")
    bench = pkg.root / "docs" / "benchmarks.json"
    if bench.is_file():
        b = json.loads(bench.read_text(encoding="utf-8"))
        runs = "; ".join(
            f"{r['package']}: {r['rows']:,} rows, {r['faults']:,} faults found as {r['found']:,}, "
            f"{r['seconds']} s, {r['peak_mb']} MB"
            for r in b["runs"]
        )
        lines.append(f"- Validation bench (`make bench` at commit {b['commit']}, {b['date']}): {runs}.")
    elif (pkg.root / "docs" / "benchmarks.md").is_file():
        lines.append(
            "- Validation bench: see docs/benchmarks.md (its run predates the JSON summary `make bench` writes)."
        )
    else:
        lines.append("- Validation bench: not measured (run `make bench`).")
    weights = pkg.root / "build" / "page-weights.csv"
    if weights.is_file() and weights.stat().st_mtime >= tests_started:
        pages = [r for r in csvio.read(weights)[1] if r["file"] == "(all files)"]
        heaviest = max(pages, key=lambda r: int(r["bytes"]))
        lines.append(
            f"- Page weights (this release's test run, every file a page loads): {len(pages)} pages, the "
            f"heaviest {heaviest['page']} at {int(heaviest['bytes']) / 1e6:.2f} MB (limit 1.5 MB)."
        )
    else:
        lines.append("- Page weights: not measured by this release's test command.")
    return "\n".join(lines) + "\n"


# ---- the record ---------------------------------------------------------------------------------


def errata(root: Path, version: str) -> list[dict]:
    """Earlier releases whose CITATION.cff does not state their identifier (0.1.0 states none; 0.2.0
    states 0.1.0's checksum of SHA256SUMS): the identifier each should have stated. Their files are
    frozen, so the correction is published by the next release."""
    out = []
    for p in sorted((root / "releases").glob("*/datapackage.json"), key=lambda p: parse(p.parent.name)):
        if p.parent.name == version:
            continue
        stated, actual = releases.stated_identifier(p.parent), releases.identifier(releases.release_manifest(p.parent))
        if stated != actual:
            out.append(
                {
                    "version": p.parent.name,
                    "stated": f"sha256:{stated}" if stated else "",
                    "identifier": f"sha256:{actual}",
                }
            )
    return out


def errata_notes(rows: list[dict]) -> str:
    """A changelog note per corrected citation: what it states, and the version's identifier."""
    return "".join(
        f"- **Citation of {e['version']} corrected.** Its CITATION.cff "
        + (f"states `{e['stated']}`, which is not its identifier" if e["stated"] else "states no identifier")
        + f"; the identifier of {e['version']} (the SHA-256 of its manifest) is `{e['identifier']}` "
        "(recorded in this release's `errata.csv`).\n"
        for e in rows
    )


def record(pkg: Package, diff: list[dict], readme: str) -> Path:
    """releases/<version>/: the frozen record the release is built, cited and compared from.

    The descriptor as released (every resource's `hash` set) and each resource file at the path the
    descriptor gives it, so that the descriptor opens where it stands; MANIFEST.sha256, whose SHA-256 is
    the version's identifier; the citation, changelog, licence and a README; the IDs, the row-level diff,
    and the corrections of earlier releases' citations (errata.csv)."""
    out = releases.record_dir(pkg.root, pkg.version)
    releases.snapshot_ids(pkg, pkg.version)
    descriptor = releases.working_descriptor(pkg)
    (out / "datapackage.json").write_text(releases.descriptor_text(descriptor), encoding="utf-8")
    for res in pkg.descriptor["resources"]:
        target = out / res["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(pkg.root / res["path"], target)
    (out / releases.MANIFEST).write_text(releases.release_manifest(out), encoding="utf-8")
    for extra in ("CHANGELOG.md", "CITATION.cff", "LICENSE"):
        if (pkg.root / extra).exists():
            shutil.copy(pkg.root / extra, out / extra)
    (out / "README.md").write_text(readme, encoding="utf-8")
    artefacts.write_diff_csv(out / "diff.csv", diff)
    fixes = errata(pkg.root, pkg.version)
    if fixes:
        csvio.write(out / "errata.csv", ["version", "stated", "identifier"], fixes)
    return out


def artefacts_main(root: str | None, version: str) -> int:
    root_path = Path(root).resolve() if root else Package.load(None).root
    try:
        problems = rebuild(root_path, version)
    except Refused as e:
        print(f"artefacts refused: {e}")
        return 2
    for p in problems:
        print(p)
    n = len(artefacts.read_sums(root_path / "releases" / version / "SHA256SUMS"))
    print(
        f"{version}: {n - len(problems)} of {n} artefacts match releases/{version}/SHA256SUMS; files in dist/{version}/"
    )
    return 1 if problems else 0


# ---- the command --------------------------------------------------------------------------------


def git_clean(root: Path) -> bool:
    r = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=False)
    return r.returncode == 0 and not r.stdout.strip()


def main(
    root: str | None, version: str, date: str | None, with_report: bool, doi: str | None = None, url: str | None = None
) -> int:
    try:
        return _release(Package.load(root), version, date, with_report, doi, url)
    except Refused as e:
        print(f"release refused: {e}")
        return 1


def _release(pkg: Package, version: str, date: str | None, with_report: bool, doi: str | None, url: str | None) -> int:
    # Every refusal comes first; nothing is written until all of them have passed (see below).
    root = pkg.root
    parse(version)
    if doi and not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
        raise Refused(f"{doi!r} is not a DOI (10.NNNN/...)")
    if url and not re.fullmatch(r"https?://\S+", url):
        raise Refused(f"{url!r} is not an http(s) URL")
    if not git_clean(root):
        raise Refused("the working tree is not clean (commit or stash first)")
    previous = releases.latest(root)
    level = bump_level(previous, version) if previous else None
    # The gate sees the descriptor as it will be released, so the contract holds its changes against that version.
    failures = validate.run(dataclasses.replace(pkg, descriptor={**pkg.descriptor, "version": version}))
    if failures:
        raise Refused(
            f"make validate fails ({len(failures)} failures: "
            + "; ".join(f"{f.table}:{f.row_id}:{f.field}: {f.rule} ({f.value})" for f in failures[:3])
            + ")"
        )
    old_dir = root / "releases" / previous if previous else None
    schema = schema_changes(pkg, previous) if previous else []
    diff = row_diff(pkg, old_dir)
    if previous:
        unexplained = add_reasons(pkg, diff, old_dir)
        if unexplained:
            raise Refused(
                f"{len(unexplained)} changed row(s) have no reason (a second-pass review or a note under "
                "\"## Unreleased\" in CHANGELOG.md naming the row): "
                + ", ".join(sorted({f"{d['table']} {d['id']}" for d in unexplained})[:10])
            )
        need = required_level(schema, diff)
        if LEVELS[level] < LEVELS[need]:
            why = "; ".join(w for lv, w in schema if lv == need) or "new rows"
            raise Refused(f"{version} is a {level} release, but the changes need a {need} one ({why})")
    # The tests come last of the refusals, being the slowest; the release test substitutes a quick command.
    tests = os.environ.get("RELEASE_TEST_COMMAND", "make test")
    tests_started = time.time()
    if subprocess.run(shlex.split(tests), cwd=root, check=False).returncode != 0:
        raise Refused(f"the tests fail ({tests})")
    date = date or dt.date.today().isoformat()
    fixes = errata(root, version)
    notes = errata_notes(fixes) + diff_markdown(version, previous, diff, schema) + agreement_markdown(pkg)
    notes += measures_markdown(pkg, tests_started)
    texts = with_version(root, version, date, notes)
    got = versions(root, texts)
    if set(got.values()) != {version}:
        raise Refused(f"the version could not be set in every file: {got}")
    # All refusals have passed: from here on, files are written.
    for name, text in texts.items():
        (root / name).write_text(text, encoding="utf-8")
    pkg = Package.load(root)
    # The identifier is known before any artefact exists: it covers the data only.
    ident = releases.identifier(releases.working_manifest(pkg))
    cff = citation.set_identifiers(root, version, ident, doi, url)
    write_zenodo(pkg)
    where = record(pkg, diff, release_readme(pkg, cff, ident))
    if releases.identifier(releases.release_manifest(where)) != ident:
        raise RuntimeError(f"releases/{version}/ does not hold the data it was made from")
    html = root / "book" / "_build" / "html"
    if with_report:  # the codebook is printed from the report; the zip carries it
        subprocess.run(["make", "-s", "report"], cwd=root, check=True)
        codebook.print_codebook(html, where / "artefacts" / f"codebook-{version}.pdf", version)
    dist = root / "dist" / version
    rebuild(root, version, dist, first=True)
    made = [p for p in dist.rglob("*") if p.is_file() and p.name != "SHA256SUMS"]
    if with_report:  # built again: its Downloads page now offers the release's files
        subprocess.run(["make", "-s", "report"], cwd=root, check=True)
        outputs.zip_files([p for p in html.rglob("*") if p.is_file()], html, dist / f"report-{version}.zip")
    print(
        f"released {version}: {len(made)} artefacts in dist/{version}/ (SHA256SUMS in {where.relative_to(root)}/); "
        f"identifier sha256:{ident} (python -m build_report identifier releases/{version})"
    )
    if not (doi or url or cff.get("doi") or cff.get("url")):
        print("warning: no DOI and no URL given, so citations carry the identifier only (see docs/releasing.md)")
    print("next: review, then commit the version files and releases/, and tag the commit v" + version)
    return 0


def release_readme(pkg: Package, cff: dict, ident: str) -> str:
    """The README of a release (in its record and its zip): what it is, how to verify it, how to cite it.
    Plain text, not a page: nothing in it is rendered."""
    d, version = pkg.descriptor, pkg.version
    lic = (d.get("licenses") or [{}])[0]
    files = "\n".join(f"- {r['path']}: {r.get('title') or r['name']}" for r in d["resources"])
    return f"""# {d.get("title", "")}

Version {version}. {d.get("description", "")}

## Files

- datapackage.json: the Frictionless descriptor (tables, fields, keys, and the SHA-256 of every file as `hash`)
{files}
- {releases.MANIFEST}: the SHA-256 of the descriptor and of every data file
- CITATION.cff, CHANGELOG.md, LICENSE, this README, and (when printed) the codebook PDF
- SHA256SUMS: the SHA-256 of every file of the zip but itself

## Verify

    sha256sum -c SHA256SUMS        # every file of the zip
    sha256sum -c {releases.MANIFEST}   # the data files against the manifest
    sha256sum {releases.MANIFEST}      # prints the version identifier

The identifier of version {version} is sha256:{ident}: the SHA-256 of {releases.MANIFEST}, a file that
lists the data (descriptor, tables, archive) and not the citation files, which can therefore state it.

## Cite

{citation.apa(cff)}

## Licence

{lic.get("title") or lic.get("name", "")} ({lic.get("path", "")}) for the tables and the descriptor. The archived
compilation text is third-party material, included unchanged for verification; see its resource in datapackage.json.
"""
