"""The Query page's engine: DuckDB-WASM from npm, pinned by package-lock.json here, made to load from file://.

Chromium refuses ES modules, module workers and fetch() from file://, so the npm files are turned into three
classic scripts that a page can load with <script src> from disk (README.md here says why each step):
- duckdb-api.js: the ES module API and the Apache Arrow reader it imports, bundled by esbuild into one script
  that publishes window.duckdbQuery;
- duckdb-worker.js: the worker's source as a string (the page starts the worker from a Blob URL);
- duckdb-wasm.js: the WebAssembly module, gzipped and base64-encoded (the page decompresses it and hands the
  worker a Blob URL of the bytes).
Nothing is fetched from a network at build or run time: `make engine` runs `npm ci` from the lock file, once.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import subprocess
from pathlib import Path

HERE = Path(__file__).parent
NPM_NAME = "@duckdb/duckdb-wasm"
# The exception-handling build: 34.2 MB of WebAssembly (7.6 MB gzipped) against 39.4 MB for the MVP build, and
# Chromium has run WebAssembly exceptions since version 95.
FLAVOUR = "eh"
FILES = ("duckdb-api.js", "duckdb-worker.js", "duckdb-wasm.js", "LICENSES.txt")


class EngineMissing(Exception):
    """The npm packages are not installed (or not at the locked version): `make engine` installs them."""


def locked() -> dict:
    """The lock file's entry for DuckDB-WASM: version, resolved tarball and integrity hash."""
    lock = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"][f"node_modules/{NPM_NAME}"]
    version = entry["version"]
    # The lock omits `resolved` (npm's omit-lockfile-registry-resolved); the tarball is the registry's for the version.
    tarball = entry.get("resolved") or f"https://registry.npmjs.org/{NPM_NAME}/-/{NPM_NAME.split('/')[1]}-{version}.tgz"
    return {"name": NPM_NAME, "version": version, "tarball": tarball, "integrity": entry["integrity"]}


def _installed() -> Path:
    pkg = HERE / "node_modules" / NPM_NAME
    want = locked()["version"]
    try:
        have = json.loads((pkg / "package.json").read_text(encoding="utf-8"))["version"]
    except FileNotFoundError:
        raise EngineMissing(f"{NPM_NAME} is not installed under {HERE / 'node_modules'}: run `make engine`") from None
    if have != want:
        raise EngineMissing(f"{NPM_NAME} {have} is installed but the lock file pins {want}: run `make engine`")
    return pkg


def _stamp() -> str:
    """What the built files depend on: the lock file, the bundle's entry point and this module."""
    h = hashlib.sha256()
    for name in ("package-lock.json", "entry.js", "__init__.py"):
        h.update((HERE / name).read_bytes())
    return h.hexdigest()


def build(dest: Path) -> dict:
    """Write the engine's files into dest (the book's static files) unless they are already there for this lock
    file; return what the Query page says about them (version, provenance, size of each file)."""
    dest.mkdir(parents=True, exist_ok=True)
    stamp = dest / "STAMP"
    if not (
        stamp.exists() and stamp.read_text(encoding="utf-8") == _stamp() and all((dest / f).exists() for f in FILES)
    ):
        _write(dest)
        stamp.write_text(_stamp(), encoding="utf-8")
    return {**locked(), "flavour": FLAVOUR, "files": {f: (dest / f).stat().st_size for f in FILES}}


def _write(dest: Path) -> None:
    pkg = _installed()
    dist = pkg / "dist"
    meta = dest / "metafile.json"
    subprocess.run(
        [
            str(HERE / "node_modules" / ".bin" / "esbuild"),
            str(HERE / "entry.js"),
            "--bundle",
            "--format=iife",
            "--minify",
            "--legal-comments=eof",
            "--target=chrome100",
            f"--metafile={meta}",
            f"--outfile={dest / 'duckdb-api.js'}",
            "--log-level=warning",
        ],
        check=True,
        cwd=HERE,
    )
    bundled = _bundled_packages(json.loads(meta.read_text(encoding="utf-8")))
    meta.unlink()
    worker = (dist / f"duckdb-browser-{FLAVOUR}.worker.js").read_text(encoding="utf-8")
    # JSON is a JavaScript string literal; < is escaped so that no "</script" can appear in the file.
    (dest / "duckdb-worker.js").write_text(
        "window.duckdbWorkerSource = " + json.dumps(worker).replace("<", "\\u003c") + ";\n", encoding="utf-8"
    )
    wasm = gzip.compress((dist / f"duckdb-{FLAVOUR}.wasm").read_bytes(), compresslevel=9, mtime=0)
    (dest / "duckdb-wasm.js").write_text(
        'window.duckdbWasmGzipBase64 = "' + base64.b64encode(wasm).decode("ascii") + '";\n', encoding="utf-8"
    )
    (dest / "LICENSES.txt").write_text(_licences([NPM_NAME, *sorted(bundled - {NPM_NAME})]), encoding="utf-8")


def _bundled_packages(meta: dict) -> set[str]:
    """The npm packages whose files esbuild put into the bundle (from its metafile), so the licences listed are
    those of what is shipped, not a hand-kept list."""
    names = set()
    for path in meta["inputs"]:
        parts = path.split("node_modules/")[-1].split("/") if "node_modules/" in path else []
        if parts:
            names.add("/".join(parts[:2]) if parts[0].startswith("@") else parts[0])
    return names


def _licences(names: list[str]) -> str:
    """Each shipped package's name, version, licence and licence text, as its package folder holds them."""
    out = []
    for name in names:
        folder = HERE / "node_modules" / name
        info = json.loads((folder / "package.json").read_text(encoding="utf-8"))
        texts = [p for p in sorted(folder.iterdir()) if p.name.upper().startswith(("LICENSE", "LICENCE", "NOTICE"))]
        body = "\n".join(p.read_text(encoding="utf-8", errors="replace").strip() for p in texts)
        out.append(
            f"{name} {info['version']} ({info.get('license', 'no licence field')})\n"
            f"{body or 'The package ships no licence file; its package.json names the licence above.'}\n"
        )
    return ("\n" + "=" * 72 + "\n\n").join(out)
