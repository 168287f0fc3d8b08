"""Released ID lists: what validation compares against so that IDs stay stable between versions."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import yaml

from . import csvio
from .package import Package, read_text


def keyed(pkg: Package) -> list[tuple[str, str]]:
    """(table, primary key) of every table whose IDs other rows cite (the target of another table's foreign
    key), in descriptor order: the IDs a release records and later versions must keep."""
    cited = {target for table, _, target, _ in pkg.foreign_keys() if target != table}
    return [(r["name"], pkg.primary_key(r["name"])) for r in pkg.table_resources() if r["name"] in cited]


def version_key(version: str) -> tuple[int, int, int] | None:
    """(major, minor, patch) for a MAJOR.MINOR.PATCH version, else None: the one semver parser."""
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version or "")
    return tuple(int(x) for x in m.groups()) if m else None


def latest(root: Path) -> str | None:
    """The latest release recorded under releases/ (a folder with a frozen datapackage.json), or None."""
    done = earlier(root, None)
    return done[-1] if done else None


def earlier(root: Path, version: str | None) -> list[str]:
    """Every release older than `version` (every release when it is None), oldest first."""
    key = version_key(version) if version else None
    done = [
        p.parent.name
        for p in (root / "releases").glob("*/datapackage.json")
        if version_key(p.parent.name) and (key is None or version_key(p.parent.name) < key)
    ]
    return sorted(done, key=version_key)


def before(root: Path, version: str) -> str | None:
    """The latest release older than `version`: what a version's changes are measured against."""
    done = earlier(root, version)
    return done[-1] if done else None


def notes(changelog: str, version: str | None = None) -> list[str]:
    """The bullets of a version's section of CHANGELOG.md ("## Unreleased" when no version), one line each."""
    heading = re.escape(version) + r" \(" if version else r"Unreleased[ \t]*\n"
    m = re.search(rf"^## {heading}.*?\n(.*?)(?=^## |\Z)", changelog, re.MULTILINE | re.DOTALL)
    bullets, current = [], None
    for line in (m.group(1) if m else "").splitlines():
        if line.startswith("- "):
            current = [line[2:].strip()]
            bullets.append(current)
        elif current is not None and line.startswith("  ") and line.strip():
            current.append(line.strip())
        else:
            current = None
    return [" ".join(b) for b in bullets]


_RANGE = re.compile(r"(?<![\w-])([A-Z]+)-(\d+)\s*(?:–|\.\.|to)\s*\1-(\d+)(?![\w-])")


def names_row(note: str, row_id: str) -> bool:
    """True when a note names the row: its ID as a word, or a range such as "SRCH-0262–SRCH-0364"."""
    if re.search(rf"(?<![\w-]){re.escape(row_id)}(?![\w-])", note):
        return True
    prefix, _, number = row_id.rpartition("-")
    return number.isdigit() and any(p == prefix and int(a) <= int(number) <= int(b) for p, a, b in _RANGE.findall(note))


def headline(note: str) -> str:
    """A note's bold lead ("**Double count removed.** ..."), or the note itself, shortened."""
    bold = re.match(r"\*\*(.+?)\*\*", note)
    return bold.group(1).rstrip(".") if bold else (note if len(note) <= 160 else note[:157] + "...")


def frozen_descriptor(root: Path, version: str) -> dict:
    """The datapackage.json of a release, as frozen in releases/<version>/."""
    return json.loads(read_text(root, f"releases/{version}/datapackage.json"))


def quote_fingerprint(quote: str) -> str:
    """A short hash of a claim quote: a released claim whose fingerprint changes has changed meaning."""
    return hashlib.sha256(quote.encode("utf-8")).hexdigest()[:16]


def snapshot_ids(pkg: Package, version: str) -> str:
    """Write releases/<version>/ids.csv: every ID of the package, with a fingerprint of each claim quote."""
    out = pkg.root / "releases" / version / "ids.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for table, key in keyed(pkg):
        for r in csvio.read(pkg.path(table))[1]:
            rows.append(
                {
                    "table": table,
                    "id": r[key],
                    "status": r.get("status", "active"),
                    "fingerprint": quote_fingerprint(r["quote"]) if table == "claims" else "",
                }
            )
    csvio.write(out, ["table", "id", "status", "fingerprint"], rows)
    return str(out.relative_to(pkg.root))


# ---- the version identifier ----------------------------------------------------------------------
#
# A version is identified by the SHA-256 of its manifest: one line per file of the released data, in
# `sha256sum` format ("<hex>  <path>\n"), the descriptor first, then every resource in descriptor order,
# each named by the path the descriptor gives it. The citation files, the changelog and the artefacts
# are not in it, so they can all state the identifier without a loop. From 0.2.1 on the release
# carries the manifest as MANIFEST.sha256: `sha256sum -c MANIFEST.sha256` checks it against the files,
# and `sha256sum MANIFEST.sha256` prints the identifier.

MANIFEST = "MANIFEST.sha256"


def record_dir(root: Path, version: str) -> Path:
    return root / "releases" / version


def legacy_layout(record: Path) -> bool:
    """True for the records of 0.1.0 and 0.2.0, which keep tables under tables/ and the archive under
    archive/ while their descriptor names data/...; later records keep every file at its descriptor path."""
    return (record / "tables").is_dir()


def record_file(record: Path, res: dict) -> Path:
    """Where a resource's file is in a release record, whichever layout the record has."""
    if legacy_layout(record):
        return record / ("tables" if "schema" in res else "archive") / Path(res["path"]).name
    return record / res["path"]


def with_hashes(descriptor: dict, files: dict[str, Path]) -> dict:
    """The descriptor with every resource's `hash` set to the SHA-256 of its file (as released)."""
    out = json.loads(json.dumps(descriptor))
    for res in out["resources"]:
        res["hash"] = "sha256:" + hashlib.sha256(files[res["name"]].read_bytes()).hexdigest()
    return out


def descriptor_text(descriptor: dict) -> str:
    """The one serialisation of a descriptor that the project writes (two-space indent, UTF-8)."""
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def manifest_text(descriptor: bytes, files: list[tuple[str, Path]]) -> str:
    lines = [f"{hashlib.sha256(descriptor).hexdigest()}  datapackage.json\n"]
    lines += [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {name}\n" for name, p in files]
    return "".join(lines)


def identifier(manifest: str) -> str:
    return hashlib.sha256(manifest.encode("utf-8")).hexdigest()


def release_manifest(record: Path) -> str:
    """The manifest of a release record (or of an unpacked release zip), computed from its files."""
    desc_bytes = (record / "datapackage.json").read_bytes()
    desc = json.loads(desc_bytes)
    return manifest_text(desc_bytes, [(r["path"], record_file(record, r)) for r in desc["resources"]])


def working_descriptor(pkg: Package) -> dict:
    """The descriptor the working data would be released with: the working one with every `hash` set."""
    return with_hashes(pkg.descriptor, {r["name"]: pkg.root / r["path"] for r in pkg.descriptor["resources"]})


def working_manifest(pkg: Package) -> str:
    """The manifest the working data would have if it were released now."""
    text = descriptor_text(working_descriptor(pkg)).encode("utf-8")
    return manifest_text(text, [(r["path"], pkg.root / r["path"]) for r in pkg.descriptor["resources"]])


def released_as(pkg: Package) -> str | None:
    """The release whose data the working copy is, byte for byte (same identifier), or None."""
    mine = identifier(working_manifest(pkg))
    for p in (pkg.root / "releases").glob("*/datapackage.json"):
        if version_key(p.parent.name) and identifier(release_manifest(p.parent)) == mine:
            return p.parent.name
    return None


def stated_identifier(record: Path) -> str | None:
    """The identifier a release's CITATION.cff states ("sha256:<hex>" among its identifiers), if any."""
    path = record / "CITATION.cff"
    if not path.exists():
        return None
    for i in yaml.safe_load(path.read_text(encoding="utf-8")).get("identifiers") or []:
        m = re.fullmatch(r"sha256:([0-9a-f]{64})", str(i.get("value", "")))
        if m:
            return m.group(1)
    return None


def identifier_main(target: str) -> int:
    """`python -m build_report identifier PATH`: the identifier of a release record or unpacked zip."""
    record = Path(target)
    if not (record / "datapackage.json").exists():
        print(f"{target}: no datapackage.json here (give releases/X.Y.Z or an unpacked release zip)")
        return 2
    print(f"sha256:{identifier(release_manifest(record))}")
    return 0


def loadable_descriptor(record: Path) -> dict:
    """A release's descriptor with every path pointing at its file in the record, for any loader
    (`frictionless.Package(descriptor, basepath=str(record))`). From 0.2.1 on it is the descriptor as it
    stands; for 0.1.0 and 0.2.0, whose frozen descriptors name data/... while the files are under tables/
    and archive/, the paths are resolved here, in memory: frozen files are never edited."""
    desc = json.loads((record / "datapackage.json").read_text(encoding="utf-8"))
    for res in desc["resources"]:
        res["path"] = record_file(record, res).relative_to(record).as_posix()
    return desc
