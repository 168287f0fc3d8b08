"""Loaders for R and Stata users, generated from the Table Schema: the R reader (R/read_package.R: readr
with the descriptor's column types, enum fields as factors) and one Stata file per table (variable labels
from field titles, value labels from enums)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from . import csvio
from .outputs import FIXED_TIME
from .package import Package

R_TYPES = {"string": "c", "integer": "i", "number": "d", "date": "D", "boolean": "l"}
R_LOADER = Path("R") / "read_package.R"


def _r_string(text: str) -> str:
    """An R string literal: backslashes, quotes and control characters escaped."""
    out = []
    for c in str(text):
        if c in '\\"':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\x{ord(c):02x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def r_loader(descriptor: dict) -> str:
    """The R source of read_package(): every table's path, readr column types and enum levels."""
    tables = []
    for res in descriptor["resources"]:
        if "schema" not in res:
            continue
        fields = res["schema"]["fields"]
        types = "".join(R_TYPES[f.get("type", "string")] for f in fields)
        levels = [
            f"{f['name']} = c({', '.join(_r_string(v) for v in f['constraints']['enum'])})"
            for f in fields
            if f.get("constraints", {}).get("enum")
        ]
        tables.append(
            f"  {res['name']} = list(\n"
            f"    path = {_r_string(res['path'])},\n"
            f"    types = {_r_string(types)},\n"
            f"    levels = list({', '.join(levels)})\n"
            "  )"
        )
    return TEMPLATE.replace("@VERSION@", str(descriptor.get("version", ""))).replace("@TABLES@", ",\n".join(tables))


TEMPLATE = """# Read the data package in R with readr. Generated from datapackage.json (version @VERSION@) by
# `python -m build_report r-loader`; a test fails when it no longer matches the descriptor, so do not edit it.
#
#   source("R/read_package.R")
#   tables <- read_package(".")   # or the folder of an unpacked release zip
#   tables$incidents
#
# Column types come from the Table Schema (string: character, integer: integer, number: double,
# date: Date, boolean: logical); a field with an enum is a factor whose levels are the enum, in the
# descriptor's order. Empty cells are NA. Only readr is needed (Debian: r-cran-readr).
suppressPackageStartupMessages(library(readr))

package_tables <- list(
@TABLES@
)

read_table <- function(dir, name) {
  spec <- package_tables[[name]]
  table <- read_csv(file.path(dir, spec$path), col_types = spec$types, na = "",
                    locale = locale(encoding = "UTF-8"), progress = FALSE, show_col_types = FALSE)
  if (nrow(problems(table)) > 0) stop(paste("table", name, "does not parse as its schema says"))
  for (field in names(spec$levels)) {
    values <- table[[field]]
    unknown <- setdiff(unique(values[!is.na(values)]), spec$levels[[field]])
    if (length(unknown) > 0) stop(paste("table", name, "field", field, "has values outside its enum:", unknown[1]))
    table[[field]] <- factor(values, levels = spec$levels[[field]])
  }
  table
}

read_package <- function(dir = ".") {
  tables <- lapply(names(package_tables), function(name) read_table(dir, name))
  names(tables) <- names(package_tables)
  tables
}
"""


def r_loader_main(root: str | None) -> int:
    pkg = Package.load(root)
    path = pkg.root / R_LOADER
    path.parent.mkdir(exist_ok=True)
    path.write_text(r_loader(pkg.descriptor), encoding="utf-8")
    print(path.relative_to(pkg.root))
    return 0


# ---- Stata ----------------------------------------------------------------------------------------

STATA_LABEL = 80  # Stata's limit for a variable or data label


def stata_frame(pkg: Package, res: dict) -> tuple[pd.DataFrame, dict, dict, dict]:
    """A table as Stata will hold it: (frame, variable labels, value labels, date conversions)."""
    rows = csvio.read(pkg.root / res["path"])[1]
    frame, labels, value_labels, dates = {}, {}, {}, {}
    for f in res["schema"]["fields"]:
        name, kind, cells = f["name"], f.get("type", "string"), [r[f["name"]] for r in rows]
        enum = f.get("constraints", {}).get("enum")
        labels[name] = (f.get("title") or name)[:STATA_LABEL]
        if enum:
            codes = {v: i for i, v in enumerate(enum, start=1)}
            frame[name] = pd.array([codes[c] if c else None for c in cells], dtype="float64")
            value_labels[name] = {float(i): v[:32000] for v, i in codes.items()}
        elif kind == "boolean":
            frame[name] = pd.array([1.0 if c == "true" else 0.0 if c == "false" else None for c in cells], "float64")
            value_labels[name] = {0.0: "false", 1.0: "true"}
        elif kind in ("integer", "number"):
            frame[name] = pd.array([float(c) if c else None for c in cells], dtype="float64")
        elif kind == "date":
            frame[name] = pd.to_datetime(pd.Series([c or None for c in cells], dtype="object"), format="%Y-%m-%d")
            dates[name] = "td"
        else:
            frame[name] = pd.Series(cells, dtype="object")
    return pd.DataFrame(frame), labels, value_labels, dates


def write_stata(pkg: Package, dest: Path) -> list[Path]:
    """One .dta file per table (Stata 14+ format, Unicode), byte-identical when rebuilt."""
    dest.mkdir(parents=True, exist_ok=True)
    made = []
    for res in pkg.table_resources():
        frame, labels, value_labels, dates = stata_frame(pkg, res)
        path = dest / f"{res['name']}.dta"
        frame.to_stata(
            path,
            write_index=False,
            version=118,
            convert_dates=dates,
            variable_labels=labels,
            value_labels=value_labels,
            data_label=(res.get("title") or res["name"])[:STATA_LABEL],
            time_stamp=dt.datetime(*FIXED_TIME),
        )
        made.append(path)
    return made
