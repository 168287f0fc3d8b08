"""Artefacts built from the package: a zip of the package, the CSVs, and a DuckDB database file."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

from .package import Package, connect

FIXED_TIME = (2016, 2, 4, 0, 0, 0)  # zip entries carry no build time, so rebuilds are byte-identical


def package_files(pkg: Package) -> list[Path]:
    files = [pkg.root / "datapackage.json"] + [pkg.root / r["path"] for r in pkg.descriptor["resources"]]
    for extra in ("CITATION.cff", "CHANGELOG.md", "README.md"):
        if (pkg.root / extra).exists():
            files.append(pkg.root / extra)
    return files


def data_checksum(pkg: Package) -> str:
    """SHA-256 over the descriptor and every resource file, in a fixed order: one value names the data."""
    h = hashlib.sha256()
    for f in [pkg.root / "datapackage.json"] + [pkg.root / r["path"] for r in pkg.descriptor["resources"]]:
        h.update(f.relative_to(pkg.root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def zip_files(files: list[Path], root: Path, dest: Path) -> Path:
    """A zip of files named relative to root, in sorted order, with fixed timestamps and modes."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for f in sorted(files):
            info = zipfile.ZipInfo(f.relative_to(root).as_posix(), date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, f.read_bytes())
    return dest


def write_zip(pkg: Package, dest: Path) -> Path:
    return zip_files(package_files(pkg), pkg.root, dest)


def write_database(pkg: Package, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        dest.unlink()
    con = connect(pkg, database=str(dest))
    con.close()
    return dest


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_downloads(pkg: Package, dest: Path) -> list[tuple[str, str, str]]:
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    name = f"{pkg.descriptor['name']}-{pkg.version}.zip"
    out.append((name, "the whole data package (descriptor, tables, archive, citation)", write_zip(pkg, dest / name)))
    out.append(("claims.duckdb", "a DuckDB database with every table, typed and commented from the schemas",
                write_database(pkg, dest / "claims.duckdb")))
    for res in pkg.table_resources():
        target = dest / Path(res["path"]).name
        shutil.copy(pkg.root / res["path"], target)
        out.append((target.name, f"table `{res['name']}` (CSV)", target))
    return [(n, w, sha256(p)) for n, w, p in out]


def database_main(root: str | None) -> int:
    pkg = Package.load(root)
    path = write_database(pkg, pkg.root / "build" / "claims.duckdb")
    print(path)
    return 0
