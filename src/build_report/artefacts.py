"""The files of a release, built from its frozen record under releases/<version>/ (or, for a report built
from unreleased data, from the working copy), with their SHA256SUMS.

A record keeps what cannot be rebuilt byte for byte (DuckDB writes a random identifier into its file
header; Chromium stamps a PDF with the time it printed it) under releases/<version>/artefacts/; every
other file is rebuilt from the record and compared with the record's SHA256SUMS. The records of 0.1.0
and 0.2.0 (legacy layout) rebuild exactly as they were first built: their zip carries the changelog
only, and their SQLite file has dots in its name.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

from . import citation, csvio, loaders, outputs, releases
from .descriptor import inside
from .package import Package, connect

KEPT = (".duckdb", ".pdf")
# Files of a record (0.2.1 on) that its package zip carries beside the descriptor and the data, so that
# the zip is self-contained: how to cite it, under which licence, what it holds, and its manifest.
ZIP_RECORD_FILES = ("CHANGELOG.md", "CITATION.cff", "LICENSE", "README.md", releases.MANIFEST)
LEGACY_ZIP_EXTRAS = ("CHANGELOG.md",)
SUMS = "SHA256SUMS"


# Kinds of release file added after 0.2.1, and how a record's SHA256SUMS names them: a record rebuilds
# with the kinds it lists, so that every release rebuilds byte for byte as it was released.
NEWER = {
    "stata": lambda name: name.startswith("stata/"),
    "datacite": lambda name: name.startswith("datacite-") and name.endswith(".xml"),
}


def period(pkg: Package) -> tuple[str, str]:
    """The span of the reported events: earliest start and latest end of an incident window."""
    start, end = connect(pkg).execute("SELECT min(date_start), max(date_end) FROM incidents").fetchone()
    return start.isoformat(), end.isoformat()


def compilation_url(pkg: Package) -> str | None:
    row = connect(pkg).execute("SELECT url FROM documents WHERE url IS NOT NULL ORDER BY document_id").fetchone()
    return row[0] if row else None


def datacite(pkg: Package, record: Path) -> str:
    """DataCite XML of a release, from its record: its citation, descriptor and identifier."""
    cff = citation.load(record)
    ident = releases.identifier(releases.release_manifest(record))
    return citation.datacite_xml(cff, pkg.descriptor, ident, period(pkg), compilation_url(pkg))


class Refused(Exception):
    """A precondition failed; nothing was written."""


def database_stem(label: str) -> str:
    """The SQLite file's stem, which datasette takes as the database name in every URL: no dots, which
    datasette would read as a format suffix (claims_0_2_1, not claims-0.2.1)."""
    return "claims_" + "".join(c if c.isalnum() else "_" for c in label)


def build_artefacts(
    pkg: Package,
    dist: Path,
    diff: list[dict] | None,
    record: Path | None = None,
    label: str | None = None,
    newer: frozenset[str] = frozenset(NEWER),
) -> list[Path]:
    """Every release file, built from a package folder into dist/: the package zip, Parquet, xlsx,
    DuckDB, SQLite with datasette metadata, the row-level diff; then SHA256SUMS.

    `record` is the release record the package folder was laid out from (its extras and kept files go
    into the zip); `label` names the files when they are not a release's (an unreleased working copy)."""
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    label = label or pkg.version
    legacy = record is not None and releases.legacy_layout(record)
    name = pkg.descriptor["name"]
    made = [write_package_zip(pkg, dist / f"{name}-{label}.zip", record, label, legacy)]
    # A release's Parquet folder is parquet/, as ever; an unreleased copy's names its label, like every file.
    made += outputs.write_parquet(pkg, dist / ("parquet" if label == pkg.version else f"parquet-{label}"))
    made.append(outputs.write_xlsx(pkg, dist / f"{name}-{label}.xlsx"))
    made.append(outputs.write_database(pkg, dist / f"claims-{label}.duckdb"))
    stem = f"claims-{label}" if legacy else database_stem(label)
    sqlite = outputs.write_sqlite(pkg, dist / f"{stem}.sqlite")
    made += [sqlite, outputs.write_datasette_metadata(pkg, sqlite, dist / f"{stem}.metadata.json")]
    if "stata" in newer and not legacy:
        made += loaders.write_stata(pkg, dist / ("stata" if label == pkg.version else f"stata-{label}"))
    if "datacite" in newer and record is not None and not legacy:
        path = dist / f"datacite-{label}.xml"
        path.write_text(datacite(pkg, record), encoding="utf-8")
        made.append(path)
    if diff is not None:
        for ext, writer in (("json", write_diff_json), ("csv", write_diff_csv)):
            path = dist / f"diff-{label}.{ext}"
            writer(path, diff)
            made.append(path)
    write_sums(dist)
    return made


def write_package_zip(pkg: Package, dest: Path, record: Path | None, label: str, legacy: bool) -> Path:
    """The package zip. A legacy record's zip holds the descriptor, the resources and the changelog; from
    0.2.1 on it also holds the citation, licence, README, manifest and codebook PDF, and a SHA256SUMS of
    its own files, so that `sha256sum -c SHA256SUMS` works inside the unpacked zip."""
    # Every file through the guard: a symlink leading outside the tree (a CHANGELOG.md pointing at a system
    # file, say) is refused, never zipped.
    files = [pkg.file("datapackage.json")] + [pkg.file(r["path"]) for r in pkg.descriptor["resources"]]
    if legacy:
        files += [pkg.file(x) for x in LEGACY_ZIP_EXTRAS if os.path.lexists(pkg.root / x)]
        return outputs.zip_files(files, pkg.root, dest)
    entries = {f.relative_to(pkg.root).as_posix(): f.read_bytes() for f in files}
    # An unreleased copy's zip carries no citation or release README: they describe the last release.
    source = record if record is not None else pkg.root
    for extra in ZIP_RECORD_FILES if record is not None else ("CHANGELOG.md", "LICENSE"):
        if os.path.lexists(source / extra):
            entries[extra] = inside(source, extra).read_bytes()
    if record is not None:
        pdf = record / "artefacts" / f"codebook-{label}.pdf"
        if pdf.is_file():
            entries[pdf.name] = pdf.read_bytes()
    entries[SUMS] = sums_text({n: outputs.sha256_bytes(b) for n, b in entries.items()}).encode("utf-8")
    return outputs.zip_entries(entries, dest)


def sums_text(digests: dict[str, str]) -> str:
    return "".join(f"{d}  {n}\n" for n, d in sorted(digests.items()))


def write_sums(dist: Path) -> None:
    """SHA256SUMS over every artefact in dist/ (the report zip excepted: it shows the checksum of this file)."""
    files = [p for p in dist.rglob("*") if p.is_file() and p.name != SUMS and not p.name.startswith("report-")]
    (dist / SUMS).write_text(sums_text({p.relative_to(dist).as_posix(): outputs.sha256(p) for p in files}), "utf-8")


def read_sums(path: Path) -> dict[str, str]:
    """name -> SHA-256 from a SHA256SUMS file."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(None, 1)
        out[name.strip()] = digest
    return out


def write_diff_json(path: Path, diff: list[dict]) -> None:
    path.write_text(json.dumps(diff, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_diff_csv(path: Path, diff: list[dict]) -> None:
    # Not csvio: this file is a release artefact, and 0.1.0's must rebuild byte for byte as it was written.
    fields = ["table", "id", "change", "field", "old", "new"] + (["reason"] if diff and "reason" in diff[0] else [])
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(diff)


def frozen_package(root: Path, version: str, dest: Path) -> Package:
    """Lay out releases/<version>/ as a package folder again: descriptor, resources at their paths, extras."""
    record = releases.record_dir(root, version)
    if not (record / "datapackage.json").exists():
        raise Refused(f"no frozen record at releases/{version}/")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    descriptor = releases.frozen_descriptor(root, version)
    # Copied through the guard: a file of the record that is a symlink leading out of it is refused.
    (dest / "datapackage.json").write_bytes(inside(record, "datapackage.json").read_bytes())
    for res in descriptor["resources"]:
        source = releases.record_file(record, res)
        if not os.path.lexists(source):
            raise Refused(f"releases/{version}/ lacks {source.relative_to(record)}")
        target = dest / res["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(inside(record, source.relative_to(record).as_posix()).read_bytes())
    for extra in LEGACY_ZIP_EXTRAS if releases.legacy_layout(record) else ZIP_RECORD_FILES:
        if os.path.lexists(record / extra):
            (dest / extra).write_bytes(inside(record, extra).read_bytes())
    return Package.load(dest, frozen=True)


def rebuild(root: Path, version: str, dist: Path | None = None, first: bool = False) -> list[str]:
    """Rebuild a release's files into dist/ (default dist/<version>/) from its frozen record and compare
    them with the record's SHA256SUMS. Returns the problems (empty when every file matches).

    `first` is the release itself: the record has no SHA256SUMS yet, so the files just built are kept
    (the DuckDB file into the record's artefacts/) and their SHA256SUMS is recorded."""
    record = releases.record_dir(root, version)
    sums = record / SUMS
    if not sums.exists() and not first:
        raise Refused(f"releases/{version}/SHA256SUMS is missing")
    dist = dist or root / "dist" / version
    pkg = frozen_package(root, version, root / "build" / f"frozen-{version}")
    diff = csvio.read(record / "diff.csv")[1]
    # A record built before a kind of file existed rebuilds without it: what its SHA256SUMS lists decides.
    listed = read_sums(sums) if sums.exists() else {}
    newer = frozenset(k for k, made in NEWER.items() if first or any(made(n) for n in listed))
    build_artefacts(pkg, dist, diff, record, newer=newer)
    kept = record / "artefacts"
    if first:
        kept.mkdir(exist_ok=True)
        for p in dist.iterdir():
            if p.suffix in KEPT and not (kept / p.name).exists():
                shutil.copy(p, kept / p.name)
    for p in sorted(kept.iterdir()) if kept.exists() else []:  # the kept copies stand for what cannot be rebuilt
        shutil.copy(p, dist / p.name)
    if first:
        write_sums(dist)
        shutil.copy(dist / SUMS, sums)
        return []
    want, problems = read_sums(sums), []
    for name, digest in sorted(want.items()):
        path = dist / name
        if not path.exists():
            problems.append(f"{name}: missing")
        elif outputs.sha256(path) != digest:
            problems.append(f"{name}: SHA-256 {outputs.sha256(path)} differs from SHA256SUMS {digest}")
    extra = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file() and p.name != SUMS)
    problems += [f"{n}: built but not in SHA256SUMS" for n in extra if n not in want]
    (dist / SUMS).write_bytes(sums.read_bytes())
    return problems
