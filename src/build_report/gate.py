"""The gate's own command line: `python -m build_report.gate` runs the validator, as `make validate` does.

It imports the gate and nothing of the report builder (charts, pages, book, release), so that a warm run costs
the checks rather than the imports; `python -m build_report validate` takes the same arguments.
"""

from __future__ import annotations

import argparse
import sys

from . import validate


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The validator's arguments (shared with `python -m build_report validate`)."""
    p.add_argument("--json", help="write the machine-readable report here")
    p.add_argument("--summary", help="write the short Markdown summary here")
    p.add_argument(
        "--show",
        type=int,
        default=1000,
        metavar="N",
        help="print at most N failures (default 1000; 0 prints all); the JSON always has all",
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m build_report.gate", description="run every check of the gate")
    p.add_argument("--root", help="package root (default: the nearest folder with datapackage.json)")
    add_arguments(p)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return validate.main(args.root, args.json, args.summary, args.show)


if __name__ == "__main__":
    sys.exit(main())
