# Read tables with readr, typed as the descriptor says, and write each back as CSV for comparison.
# Usage: Rscript readr.R OUTDIR NAME PATH COLTYPES [NAME PATH COLTYPES ...]
# COLTYPES is readr's compact spec, one letter per field in schema order (c text, i integer,
# d number, D date, l boolean), built from datapackage.json by tests/test_clients.py.
# Prints one line per table: name, rows, columns, problems.
suppressPackageStartupMessages(library(readr))
args <- commandArgs(trailingOnly = TRUE)
outdir <- args[1]
specs <- matrix(args[-1], nrow = 3)
for (k in seq_len(ncol(specs))) {
  name <- specs[1, k]
  table <- read_csv(specs[2, k], col_types = specs[3, k], na = "", locale = locale(encoding = "UTF-8"),
                    progress = FALSE, show_col_types = FALSE)
  write_csv(table, file.path(outdir, paste0(name, ".csv")), na = "")
  cat(name, nrow(table), ncol(table), nrow(problems(table)), "\n")
}
