"""Command line: python -m build_report {validate,derive,locate,pages,database,release,artefacts,identifier,r-loader,
snapshot-ids,bench,mutate}."""

from __future__ import annotations

import argparse
import sys

# The commands are the top of the import graph: everything is imported here, nothing inside a function.
from . import authoring, bench, book, gate, loaders, mutate, outputs, release, releases, validate
from .package import Package


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m build_report", description=__doc__)
    p.add_argument("--root", help="package root (default: the nearest folder with datapackage.json)")
    sub = p.add_subparsers(dest="command", required=True)
    gate.add_arguments(sub.add_parser("validate", help="run every check; non-zero exit on any failure"))
    sub.add_parser("derive", help="recompute derived columns (n_sources, grading) and show what changed")
    loc = sub.add_parser("locate", help="print the offsets of a quote in the archive, for a new claim row")
    loc.add_argument("quote")
    sub.add_parser("pages", help="generate the book's data pages and charts under book/")
    sub.add_parser("database", help="write a DuckDB database file built from the package")
    rel = sub.add_parser("release", help="release VERSION: check, set versions, build dist/, record the diff and IDs")
    rel.add_argument("version")
    rel.add_argument("--date", help="release date (default: today)")
    rel.add_argument("--without-report", action="store_true", help="skip building and zipping the report")
    rel.add_argument(
        "--doi", help="the DOI minted for this version, written into CITATION.cff, .zenodo.json and the cite page"
    )
    rel.add_argument("--url", help="where this version can be downloaded, written into the same files")
    art = sub.add_parser(
        "artefacts", help="artefacts VERSION: rebuild a release's files from releases/VERSION and check SHA256SUMS"
    )
    art.add_argument("version")
    mu = sub.add_parser("mutate", help="the mutation campaign: mutants of the package from the model; docs/mutation.md")
    mu.add_argument("--out", default="docs/mutation.md", help="where to write the score table ('' for nowhere)")
    mu.add_argument("--limit", type=int, default=0, help="a sample of about N mutants across every kind (0: all)")
    mu.add_argument(
        "--budget", type=float, default=0, help="stop after this many seconds, reporting the mutants judged"
    )
    ident = sub.add_parser(
        "identifier",
        help="identifier PATH: the version identifier (SHA-256 of the manifest) of releases/X.Y.Z or an unpacked release zip",
    )
    ident.add_argument("path")
    sub.add_parser(
        "r-loader", help="write R/read_package.R (readr, column types and factor levels) from the descriptor"
    )
    snap = sub.add_parser("snapshot-ids", help="record the package's IDs as released in VERSION")
    snap.add_argument("version")
    b = sub.add_parser(
        "bench", help="time the gate on synthetic packages of 10k, 100k and 1M rows; write docs/benchmarks.md"
    )
    b.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated row counts")
    b.add_argument("--runs", type=int, default=5, help="runs per package up to 100k rows (one run above)")
    b.add_argument(
        "--faults", type=int, default=50000, help="also a package with this many faults, all listed (0: none)"
    )
    b.add_argument("--out", default="docs/benchmarks.md", help="where to write the table ('' for nowhere)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)

    if args.command == "validate":
        return validate.main(args.root, args.json, args.summary, args.show)
    if args.command == "derive":
        return authoring.main(args.root)
    if args.command == "locate":
        return authoring.locate(args.root, args.quote)
    if args.command == "pages":
        return book.main(args.root)
    if args.command == "database":
        return outputs.database_main(args.root)
    if args.command == "release":
        return release.main(args.root, args.version, args.date, not args.without_report, args.doi, args.url)
    if args.command == "artefacts":
        return release.artefacts_main(args.root, args.version)
    if args.command == "identifier":
        return releases.identifier_main(args.path)
    if args.command == "r-loader":
        return loaders.r_loader_main(args.root)
    if args.command == "bench":
        return bench.main(
            args.root, [int(x) for x in args.sizes.split(",") if x], args.runs, args.out or None, args.faults
        )
    if args.command == "mutate":
        return mutate.main(args.root, args.out or None, args.limit or None, budget=args.budget or None)
    if args.command == "snapshot-ids":
        print(releases.snapshot_ids(Package.load(args.root), args.version))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
