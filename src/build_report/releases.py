"""Released ID lists: what validation compares against so that IDs stay stable between versions."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

from .package import Package

KEYED = [("documents", "document_id"), ("sources", "source_id"), ("places", "place_id"),
         ("incidents", "incident_id"), ("tallies", "tally_id"), ("claims", "claim_id")]


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
    done = [p.parent.name for p in (root / "releases").glob("*/datapackage.json")
            if version_key(p.parent.name) and (key is None or version_key(p.parent.name) < key)]
    return max(done, key=version_key) if done else None


def notes(changelog: str, version: str | None = None) -> list[str]:
    """The bullets of a version's section of CHANGELOG.md ("## Unreleased" when no version), one line each."""
    heading = re.escape(version) + r" \(" if version else r"Unreleased[ \t]*\n"
    m = re.search(rf"^## {heading}.*?\n(.*?)(?=^## |\Z)", changelog, re.M | re.S)
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


def quote_fingerprint(quote: str) -> str:
    """A short hash of a claim quote: a released claim whose fingerprint changes has changed meaning."""
    return hashlib.sha256(quote.encode("utf-8")).hexdigest()[:16]


def snapshot_ids(pkg: Package, version: str) -> str:
    """Write releases/<version>/ids.csv: every ID of the package, with a fingerprint of each claim quote."""
    out = pkg.root / "releases" / version / "ids.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for table, key in KEYED:
        with open(pkg.path(table), newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                rows.append({"table": table, "id": r[key], "status": r.get("status", "active"),
                             "fingerprint": quote_fingerprint(r["quote"]) if table == "claims" else ""})
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["table", "id", "status", "fingerprint"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return str(out.relative_to(pkg.root))
