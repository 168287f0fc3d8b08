"""Released ID lists: what validation compares against so that IDs stay stable between versions."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from . import csvio, outputs
from .package import Package


class Refused(Exception):
    """A release precondition failed; nothing was written."""


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
    done = [p.parent.name for p in (root / "releases").glob("*/datapackage.json") if version_key(p.parent.name)]
    return max(done, key=version_key) if done else None


def before(root: Path, version: str) -> str | None:
    """The latest release older than `version`: what a version's changes are measured against."""
    key = version_key(version)
    done = [
        p.parent.name
        for p in (root / "releases").glob("*/datapackage.json")
        if version_key(p.parent.name) and (key is None or version_key(p.parent.name) < key)
    ]
    return max(done, key=version_key) if done else None


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
    return json.loads((root / "releases" / version / "datapackage.json").read_text(encoding="utf-8"))


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


def frozen_package(root: Path, version: str, dest: Path) -> Package:
    """Lay out releases/<version>/ as a package folder again: descriptor, resources at their paths, extras."""
    record_dir = root / "releases" / version
    if not (record_dir / "datapackage.json").exists():
        raise Refused(f"no frozen record at releases/{version}/")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    descriptor = frozen_descriptor(root, version)
    shutil.copy(record_dir / "datapackage.json", dest / "datapackage.json")
    for res in descriptor["resources"]:
        source = record_dir / ("tables" if "schema" in res else "archive") / Path(res["path"]).name
        if not source.exists():
            raise Refused(f"releases/{version}/ lacks {source.relative_to(record_dir)}")
        target = dest / res["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    for extra in outputs.ZIP_EXTRAS:
        if (record_dir / extra).exists():
            shutil.copy(record_dir / extra, dest / extra)
    return Package.load(dest)
