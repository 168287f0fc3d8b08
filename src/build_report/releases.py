"""Released ID lists: what validation compares against so that IDs stay stable between versions."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from . import csvio
from .package import Package


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
            rows.append({"table": table, "id": r[key], "status": r.get("status", "active"),
                         "fingerprint": quote_fingerprint(r["quote"]) if table == "claims" else ""})
    csvio.write(out, ["table", "id", "status", "fingerprint"], rows)
    return str(out.relative_to(pkg.root))
