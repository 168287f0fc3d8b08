"""Lists that follow the model: a table or URL field added to the model (src/build_report/model.py) but not handled
by the pages and checks that must handle it fails here, instead of being left out silently."""

from __future__ import annotations

import csv
import re

import pytest
from conftest import ROOT

from build_report import links, model
from build_report.checks import meaning, truth
from build_report.package import Package


def test_every_table_is_in_the_register_or_says_why_not():
    shown, left_out = set(links.REGISTER_SECTIONS), set(links.NOT_IN_REGISTER)
    assert not shown & left_out, shown & left_out
    assert shown | left_out == set(model.TABLES), set(model.TABLES) ^ (shown | left_out)
    assert set(links.ROW_PAGES) <= shown


@pytest.mark.parametrize("table", [name for name, t in model.TABLES.items() if not t.form])
def test_an_id_of_every_table_is_a_row_id(table):
    t = model.TABLES[table]
    row_id = f"{t.prefix}-{'7' * t.digits}"
    assert links.table_of_row(row_id) == table
    linked = links.value(row_id)
    assert isinstance(linked, dict) == (table in links.REGISTER_SECTIONS), linked
    assert (links.page_of(row_id) is not None) == (table in links.ROW_PAGES)


@pytest.mark.parametrize("table", [name for name, t in model.TABLES.items() if t.form])
def test_a_code_of_a_coded_table_is_not_taken_for_a_row_id(table):
    # A table keyed by a standard's code (ISO 3166-2:SY) has no project row IDs: its codes are shown as text.
    t = model.TABLES[table]
    codes = [r[t.key] for r in csv.DictReader((ROOT / "data" / f"{table}.csv").open(encoding="utf-8"))]
    assert codes and all(re.fullmatch(t.form, c) for c in codes), codes
    assert all(links.table_of_row(c) is None and links.value(c) == c for c in codes)


@pytest.mark.parametrize("table", list(model.TABLES))
def test_failures_of_the_meaning_suite_name_the_table_of_a_key(table):
    assert meaning.table_of(model.TABLES[table].key) == table


URL_PATTERN = re.compile(r"^\^https\?://")


def test_every_url_field_names_the_search_that_returned_it():
    pkg = Package.load(ROOT)
    url_fields = {
        (res["name"], f["name"])
        for res in pkg.table_resources()
        for f in res["schema"]["fields"]
        if URL_PATTERN.match(f.get("constraints", {}).get("pattern", ""))
    }
    declared = {(t, f) for t, f, _ in model.URL_SEARCHES}
    assert url_fields <= declared, url_fields - declared
    for table, field, via in model.URL_SEARCHES:
        assert field in model.TABLES[table].fields and via in model.TABLES[table].fields, (table, field, via)


def test_tables_named_by_the_checks_are_tables_of_the_model():
    assert truth.NOT_IN_FORCE <= set(model.TABLES)
    assert {t for t, _ in truth.coded_attributions()} == {"incidents", "tallies"}
    assert {t for t, _ in model.record_dates()} >= {"documents", "search_log", "corroborations"}
