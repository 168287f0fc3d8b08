# Read every table with the repository's R loader (R/read_package.R) and write each back as CSV for
# comparison; print one line per table: name, rows, columns, and the fields that came back as factors.
# Usage: Rscript read_package.R LOADER PACKAGE_DIR OUTDIR
args <- commandArgs(trailingOnly = TRUE)
source(args[1])
tables <- read_package(args[2])
for (name in names(tables)) {
  table <- tables[[name]]
  write_csv(table, file.path(args[3], paste0(name, ".csv")), na = "")
  factors <- names(table)[vapply(table, is.factor, logical(1))]
  cat(name, nrow(table), ncol(table), paste(c("factors:", factors), collapse = ","), "\n")
}
