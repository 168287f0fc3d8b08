"""`make release VERSION=x.y.z`: refuse unless safe, set the version everywhere, build the
artefacts into dist/, and record a row-level diff and the released IDs under releases/."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import yaml

from . import citation, codebook, csvio, derive, outputs, releases, validate
from .checks import contract
from .package import Package, connect
from .releases import Refused, frozen_package

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
        old = read_table(old_dir / "tables" / Path(res["path"]).name, key) if old_dir else {}
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


# ---- artefacts --------------------------------------------------------------------------------

# Files of the frozen record that the package zip carries besides the descriptor and its resources.
RECORD_EXTRAS = outputs.ZIP_EXTRAS
# Artefacts whose bytes cannot be rebuilt: DuckDB writes a random identifier into its file header, and
# Chromium stamps a PDF with the time it printed it. They are kept in the repository under
# releases/<version>/artefacts/ and checked against SHA256SUMS.
KEPT_ARTEFACTS = (".duckdb", ".pdf")


def build_artefacts(pkg: Package, dist: Path, diff: list[dict]) -> list[Path]:
    """Every release file, built from a package folder: zip, Parquet, xlsx, DuckDB, diff; then SHA256SUMS."""
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    made = [outputs.write_zip(pkg, dist / f"{pkg.descriptor['name']}-{pkg.version}.zip")]
    made += outputs.write_parquet(pkg, dist / "parquet")
    made.append(outputs.write_xlsx(pkg, dist / f"{pkg.descriptor['name']}-{pkg.version}.xlsx"))
    made.append(outputs.write_database(pkg, dist / f"claims-{pkg.version}.duckdb"))
    sqlite = outputs.write_sqlite(pkg, dist / f"claims-{pkg.version}.sqlite")
    meta = dist / f"claims-{pkg.version}.metadata.json"
    meta.write_text(
        json.dumps(outputs.datasette_metadata(pkg, sqlite.stem), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    made += [sqlite, meta]
    for ext, writer in (("json", _write_json), ("csv", _write_csv)):
        path = dist / f"diff-{pkg.version}.{ext}"
        writer(path, diff)
        made.append(path)
    write_sums(dist)
    return made


def write_sums(dist: Path) -> None:
    """SHA256SUMS over every artefact in dist/ (the report zip excepted: it shows the checksum of this file)."""
    files = [p for p in dist.rglob("*") if p.is_file() and p.name != "SHA256SUMS" and not p.name.startswith("report-")]
    (dist / "SHA256SUMS").write_text(
        "".join(f"{outputs.sha256(p)}  {p.relative_to(dist).as_posix()}\n" for p in sorted(files)), encoding="utf-8"
    )


def read_sums(path: Path) -> dict[str, str]:
    """name -> SHA-256 from a SHA256SUMS file."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(None, 1)
        out[name.strip()] = digest
    return out


def _write_json(path: Path, diff: list[dict]) -> None:
    path.write_text(json.dumps(diff, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_csv(path: Path, diff: list[dict]) -> None:
    # Not csvio: this file is a release artefact, and 0.1.0's must rebuild byte for byte as it was written.
    fields = ["table", "id", "change", "field", "old", "new"] + (["reason"] if diff and "reason" in diff[0] else [])
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(diff)


def record(pkg: Package, diff: list[dict], dist: Path | None = None) -> Path:
    """releases/<version>/: the frozen record a release can be rebuilt and compared from.

    Descriptor, tables and archive (the package as released), IDs, row-level diff, changelog, and,
    when artefacts were built, SHA256SUMS over every artefact plus the artefacts that cannot be rebuilt
    byte for byte.
    """
    out = pkg.root / "releases" / pkg.version
    releases.snapshot_ids(pkg, pkg.version)
    shutil.copy(pkg.root / "datapackage.json", out / "datapackage.json")
    (out / "tables").mkdir(exist_ok=True)
    for res in pkg.descriptor["resources"]:
        folder = out / ("tables" if "schema" in res else "archive")
        folder.mkdir(exist_ok=True)
        shutil.copy(pkg.root / res["path"], folder / Path(res["path"]).name)
    for extra in (*RECORD_EXTRAS, "CITATION.cff"):
        if (pkg.root / extra).exists():
            shutil.copy(pkg.root / extra, out / extra)
    _write_csv(out / "diff.csv", diff)
    if dist is not None:
        shutil.copy(dist / "SHA256SUMS", out / "SHA256SUMS")
        kept = out / "artefacts"
        kept.mkdir(exist_ok=True)
        for p in dist.iterdir():
            if p.suffix in KEPT_ARTEFACTS:
                shutil.copy(p, kept / p.name)
    return out


def rebuild(root: Path, version: str) -> list[str]:
    """Rebuild a release's artefacts into dist/<version>/ from its frozen record and compare with its
    SHA256SUMS. Returns the problems (empty when every file matches)."""
    record_dir = root / "releases" / version
    sums = record_dir / "SHA256SUMS"
    if not sums.exists():
        raise Refused(f"releases/{version}/SHA256SUMS is missing")
    work = root / "build" / f"frozen-{version}"
    pkg = frozen_package(root, version, work)
    diff = csvio.read(record_dir / "diff.csv")[1]
    dist = root / "dist" / version
    build_artefacts(pkg, dist, diff)
    kept = record_dir / "artefacts"
    for p in sorted(kept.iterdir()) if kept.exists() else []:  # the kept copies stand for what cannot be rebuilt
        shutil.copy(p, dist / p.name)
    want, problems = read_sums(sums), []
    for name, digest in sorted(want.items()):
        path = dist / name
        if not path.exists():
            problems.append(f"{name}: missing")
        elif outputs.sha256(path) != digest:
            problems.append(f"{name}: SHA-256 {outputs.sha256(path)} differs from SHA256SUMS {digest}")
    (dist / "SHA256SUMS").write_bytes(sums.read_bytes())
    return problems


def artefacts_main(root: str | None, version: str) -> int:
    root_path = Path(root).resolve() if root else Package.load(None).root
    try:
        problems = rebuild(root_path, version)
    except Refused as e:
        print(f"artefacts refused: {e}")
        return 2
    for p in problems:
        print(p)
    n = len(read_sums(root_path / "releases" / version / "SHA256SUMS"))
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
    if subprocess.run(shlex.split(tests), cwd=root, check=False).returncode != 0:
        raise Refused(f"the tests fail ({tests})")
    date = date or dt.date.today().isoformat()
    texts = with_version(root, version, date, diff_markdown(version, previous, diff, schema))
    got = versions(root, texts)
    if set(got.values()) != {version}:
        raise Refused(f"the version could not be set in every file: {got}")
    # All refusals have passed: from here on, files are written.
    for name, text in texts.items():
        (root / name).write_text(text, encoding="utf-8")
    pkg = Package.load(root)
    dist = root / "dist" / version
    made = build_artefacts(pkg, dist, diff)
    html = root / "book" / "_build" / "html"
    if with_report:
        subprocess.run(["make", "-s", "report"], cwd=root, check=True)
        made.append(codebook.print_codebook(html, dist / f"codebook-{version}.pdf", version))
        write_sums(dist)
    where = record(pkg, diff, dist)
    citation.set_identifiers(root, version, citation.sums_digest(root, version), doi, url)
    write_zenodo(pkg)
    if with_report:  # built again, so that its citation page carries the checksum just recorded
        subprocess.run(["make", "-s", "report"], cwd=root, check=True)
        outputs.zip_files([p for p in html.rglob("*") if p.is_file()], html, dist / f"report-{version}.zip")
    print(
        f"released {version}: {len(made)} artefacts in dist/{version}/ (SHA256SUMS in {where.relative_to(root)}/), "
        f"version checksum sha256:{citation.sums_digest(root, version)}"
    )
    print("next: review, then commit the version files and releases/, and tag the commit v" + version)
    return 0
