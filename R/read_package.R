# Read the data package in R with readr. Generated from datapackage.json (version 0.2.1) by
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
  documents = list(
    path = "data/documents.csv",
    types = "ccccccDccciccc",
    levels = list(media_type = c("text/plain"), encoding = c("utf-8"))
  ),
  sources = list(
    path = "data/sources.csv",
    types = "cccccccccc",
    levels = list(source_type = c("compilation", "monitor", "civil_defence", "news_outlet", "activist_media", "social_media", "ngo", "un_body", "aggregator"))
  ),
  places = list(
    path = "data/places.csv",
    types = "ccccccciddcccccclcc",
    levels = list(place_type = c("town", "village", "neighbourhood", "facility", "region", "governorate", "country"), admin1_basis = c("quote", "url", "geonames", "none"), coord_basis = c("geonames", "url", "none"), location_precision = c("exact", "neighbourhood", "town", "district", "governorate", "region", "country", "unknown"))
  ),
  overlap_groups = list(
    path = "data/overlap_groups.csv",
    types = "ccccic",
    levels = list()
  ),
  incidents = list(
    path = "data/incidents.csv",
    types = "ccDDcccccccccciicciicciicciicciicciiccDDiicciccc",
    levels = list(date_precision = c("day", "days", "week", "month", "months", "window", "open_start"), alleged_perpetrator = c("Russia", "Russia and the Syrian government", "Syrian government forces and Russia", "Russia and the US-led coalition", "not stated", "Russia and the coalition"), attribution_basis = c("quote", "list heading", "compilation title"), target_type = c("hospital", "school", "mosque", "market", "bakery", "idp_camp", "homes", "villages", "unspecified"), target_basis = c("quote", "list heading", "compilation title"), weapon = c("cluster_munitions", "not stated"), weapon_basis = c("quote", "list heading", "compilation title"), killed_described_as = c("civilians", "children", "women_and_children", "worshippers", "people"), killed_rule = c("exact", "at_least", "more_than", "n_plus", "dozens", "hundreds", "thousands", "stated_unnumbered", "single_person", "from_subgroup"), children_rule = c("exact", "at_least", "more_than", "n_plus", "dozens", "hundreds", "thousands", "stated_unnumbered", "single_person", "from_subgroup"), women_rule = c("exact", "at_least", "more_than", "n_plus", "dozens", "hundreds", "thousands", "stated_unnumbered", "single_person", "from_subgroup"), injured_rule = c("exact", "at_least", "more_than", "n_plus", "dozens", "hundreds", "thousands", "stated_unnumbered", "single_person", "from_subgroup"), displaced_rule = c("exact", "at_least", "more_than", "n_plus", "dozens", "hundreds", "thousands", "stated_unnumbered", "single_person", "from_subgroup"), strikes_rule = c("exact", "at_least", "more_than", "n_plus", "dozens", "hundreds", "thousands", "stated_unnumbered", "single_person", "from_subgroup"), grading = c("single_source", "weak", "fair", "confirmed", "contested", "discounted"), status = c("active", "withdrawn"))
  ),
  tallies = list(
    path = "data/tallies.csv",
    types = "cciiccDDccccccccc",
    levels = list(measure = c("civilians_killed", "people_killed", "schools_attacked", "medical_facility_attacks", "people_out_of_school"), value_rule = c("exact", "at_least", "more_than", "n_plus", "dozens", "hundreds", "thousands", "stated_unnumbered", "single_person", "from_subgroup"), period_precision = c("day", "days", "week", "month", "months", "window", "open_start"), attribution_basis = c("quote", "list heading", "compilation title"), status = c("active", "withdrawn"))
  ),
  claims = list(
    path = "data/claims.csv",
    types = "ccciciicccccccc",
    levels = list(section = c("prose", "summaries", "large_scale", "tweets_videos"), kind = c("incident_report", "aggregate_statistic", "general_allegation", "media_item", "analysis"), source_basis = c("named_in_quote", "named_in_item", "named_in_preceding_text"), link_status = c("lost_in_capture", "recovered", "no_link"), status = c("active", "withdrawn"))
  ),
  search_log = list(
    path = "data/search_log.csv",
    types = "ccccDicc",
    levels = list(corpus = c("pages", "docs", "issues", "code", "find_repos", "find_files", "read_file", "find_string", "fetch"), outcome = c("found", "not_found"))
  ),
  corroborations = list(
    path = "data/corroborations.csv",
    types = "ccccccccccDcDDcciiciicccccclccl",
    levels = list(killed_described_as = c("civilians", "children", "women_and_children", "worshippers", "people"), relation = c("probable_original", "independent", "copy", "conflicting", "candidate"), confidence = c("high", "medium", "low"))
  ),
  crosswalk = list(
    path = "data/crosswalk.csv",
    types = "ccccccccDccddiicccccc",
    levels = list(dataset = c("Airwars", "UCDP GED", "ACLED", "SNHR", "VDC"), match_confidence = c("high", "medium", "low"))
  ),
  context_totals = list(
    path = "data/context_totals.csv",
    types = "cccccDDciic",
    levels = list()
  ),
  reviews = list(
    path = "data/reviews.csv",
    types = "cccDccccc",
    levels = list(table = c("corroborations", "crosswalk", "context_totals"), outcome = c("confirmed", "corrected", "url_not_returned", "pending"))
  ),
  coding_decisions = list(
    path = "data/coding_decisions.csv",
    types = "ccccccccccDccDc",
    levels = list(field = c("alleged_perpetrator", "target_type", "weapon", "place_id", "killed_described_as", "killed_rule", "killed_min", "killed_max", "children_rule", "children_min", "children_max", "women_rule", "women_min", "women_max", "injured_rule", "injured_min", "injured_max", "displaced_rule", "displaced_min", "displaced_max", "strikes_rule", "strikes_min", "strikes_max", "measure", "value_rule", "value_min", "value_max", "source_id", "source_basis", "admin1_code"), review_outcome = c("pending", "upheld", "overturned"))
  ),
  governorates = list(
    path = "data/governorates.csv",
    types = "ccccciccc",
    levels = list()
  )
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
