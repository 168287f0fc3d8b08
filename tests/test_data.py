"""The data proved against the archive and the schemas, independently of the validator's code."""

import hashlib
import json

import duckdb
import pytest
from conftest import ROOT
from frictionless import Package as FPackage

from build_report import coding, csvio
from build_report.checks import provenance
from build_report.package import Package, connect

PKG = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
ARCHIVE = next(r for r in PKG["resources"] if r["name"] == "archive")
TEXT = (ROOT / ARCHIVE["path"]).read_text(encoding="utf-8")


def rows(name):
    return csvio.read(ROOT / "data" / f"{name}.csv")[1]


def test_archive_hash_and_size_match_descriptor():
    data = (ROOT / ARCHIVE["path"]).read_bytes()
    assert ARCHIVE["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert ARCHIVE["bytes"] == len(data)


@pytest.mark.parametrize("claim", rows("claims"), ids=lambda c: c["claim_id"])
def test_quote_equals_archive_at_offsets(claim):
    assert TEXT[int(claim["char_start"]) : int(claim["char_end"])] == claim["quote"]


def _paragraphs():
    """(start, end, text) of every line, which is one paragraph or list item in this archive."""
    pos, out = 0, []
    for line in TEXT.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _list_lines():
    """Non-blank lines under the three list headings, up to the political list (found by text here)."""
    lines = TEXT.split("\n")
    heads = [
        i
        for i, ln in enumerate(lines)
        if ln.strip()
        in (
            "Summaries of Russian war crimes",
            "Large-scale crimes",
            "Tweets and videos of grisly slaughter over last couple of days",
        )
    ]
    end = next(i for i, ln in enumerate(lines) if ln.startswith("And who Russia wanted to invite"))
    return [i for i in range(heads[0], end) if lines[i].strip() and i not in heads]


def test_every_list_line_is_covered_by_a_claim():
    paras = _paragraphs()
    covered = {
        i
        for c in rows("claims")
        for i, (s, e, _) in enumerate(paras)
        if s <= int(c["char_start"]) and int(c["char_end"]) <= e
    }
    missing = [paras[i][2][:60] for i in _list_lines() if i not in covered]
    assert not missing
    assert len(_list_lines()) == 9 + 21 + 13  # items in the three lists, headings excluded


def test_every_quote_lies_inside_one_paragraph():
    paras = _paragraphs()
    for c in rows("claims"):
        s, e = int(c["char_start"]), int(c["char_end"])
        assert any(ps <= s and e <= pe for ps, pe, _ in paras), c["claim_id"]


def test_no_claim_from_excluded_parts():
    lines = TEXT.split("\n")
    end = next(i for i, ln in enumerate(lines) if ln.startswith("And who Russia wanted to invite"))
    excluded_from = sum(len(ln) + 1 for ln in lines[:end])
    assert all(int(c["char_end"]) <= excluded_from for c in rows("claims"))


@pytest.mark.parametrize("table,key,field", provenance.claimed(Package.load(ROOT)))
def test_every_incident_and_tally_has_a_claim(table, key, field):
    linked = {c[field] for c in rows("claims") if c[field]}
    assert {r[key] for r in rows(table)} <= linked


def test_frictionless_reports_valid():
    report = FPackage(str(ROOT / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_duckdb_reads_every_table_from_the_package_paths():
    con = duckdb.connect()
    for res in PKG["resources"]:
        if "schema" in res:
            n = con.execute(f"SELECT count(*) FROM read_csv('{ROOT / res['path']}', header=true)").fetchone()[0]
            assert n == len(rows(res["name"])) > 0


def test_typed_load_matches_schema_types():
    con = connect(Package.load(ROOT))
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name='incidents'"
        ).fetchall()
    )
    assert types["date_start"] == "DATE" and types["killed_min"] == "BIGINT"


@pytest.mark.parametrize(
    "phrase,rule,expected",
    [
        ("at least 12 innocent civilians", "at_least", (12, None)),
        ("more than 35 civilians", "more_than", (36, None)),
        ("over150 000", "more_than", (150001, None)),
        ("30+ wounded", "n_plus", (30, None)),
        ("dozens of people", "dozens", (12, None)),
        ("hundreds injured", "hundreds", (100, None)),
        ("Thousands of residents", "thousands", (1000, None)),
        ("1,815 civilians", "exact", (1815, 1815)),
        ("Kill Seven Women and Children", "exact", (7, 7)),
        ("victims", "stated_unnumbered", (None, None)),
    ],
)
def test_coding_rules(phrase, rule, expected):
    assert coding.code_count(phrase, rule) == expected


def test_coding_rule_without_number_is_an_error():
    with pytest.raises(ValueError):
        coding.code_count("many", "exact")


def test_grading_rule():
    assert coding.grade(1) == "single_source"
    assert coding.grade(2) == "fair"
    assert coding.grade(3, conflicting=1) == "contested"


def test_coordinates_only_with_origin():
    for p in rows("places"):
        if p["latitude"]:
            assert p["coord_basis"] in ("geonames", "url") and p["coord_origin"], p["place_id"]
