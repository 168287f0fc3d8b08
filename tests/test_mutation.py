"""A fast sample of the mutation campaign (make mutate): every kind, a few hundred mutants, no unlisted survivor.

Survivors that are defects of the gate, not yet fixed, are listed in tests/mutation_known_survivors.csv with
why the gate misses them; they are not equivalents and count against the score.

The kinds named coded-* (coded values changed against the quote's words) are in the sample: the agreement rule
(hand coding against the rule-based coder) kills them.
"""

from __future__ import annotations

import copy
import csv
import time
from pathlib import Path

import pytest
from conftest import ROOT

from build_report import model, mutate
from build_report.checks import coherence

SAMPLE = 320


@pytest.fixture(scope="module")
def campaign():
    return mutate.Campaign(ROOT)


@pytest.fixture(scope="module")
def mutants(campaign):
    return mutate.capped(mutate.generate(campaign), mutate.PER_FIELD)


def test_every_kind_of_the_issue_is_generated(mutants):
    kinds = {m.kind for m in mutants}
    for prefix in (
        "date-",
        "pair-",
        "latlon-swap",
        "place-moved",
        "gazetteer-id-moved",
        "governorate-changed",
        "repoint-",
        "group-drop",
        "group-move",
        "duplicate-",
        "id-",
        "confusable-",
        "url-host",
        "url-other-source",
        "enum-",
        "empty-",
        "descriptor-",
        *sorted(mutate.CODED),
    ):
        assert any(k.startswith(prefix) for k in kinds), prefix
    assert len(mutants) >= 3000


def test_sample_has_no_unlisted_survivor(campaign, mutants):
    picked = mutate.sample(mutants, SAMPLE)
    assert len(picked) >= 300
    assert {m.kind for m in picked} == {m.kind for m in mutants}
    started = time.perf_counter()
    outcome = mutate.run(campaign, picked, mutate.equivalents())
    seconds = time.perf_counter() - started
    # Known gate defects are survivors, not equivalents: they count against the score in docs/mutation.md. The list
    # can only shrink: a new survivor fails here, and so does a listed one that the gate now kills.
    known = {(r["kind"], r["table"], r["field"], r["row"]) for r in _known_defects()}
    found = {(m.kind, m.table, m.field, m.row) for m in outcome.survivors}
    new = sorted(found - known)
    assert not new, f"{len(new)} unlisted survivors in {seconds:.0f} s:\n" + "\n".join(" ".join(k) for k in new)
    # A listed survivor that the sample no longer draws (a new table or kind shifts the draw) is not "killed".
    drawn = {(m.kind, m.table, m.field, m.row) for m in picked}
    fixed = sorted((known & drawn) - found)
    assert not fixed, "killed now, remove from tests/mutation_known_survivors.csv:\n" + "\n".join(
        " ".join(k) for k in fixed
    )


def _known_defects() -> list[dict]:
    with open(ROOT / "tests" / "mutation_known_survivors.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_a_dropped_foreign_key_leaves_no_reference_dangling(campaign):
    """A major version may drop a foreign key from the descriptor; a claim pointing at no incident still fails."""
    d = copy.deepcopy(campaign.pkg.descriptor)
    claims = next(r for r in d["resources"] if r["name"] == "claims")
    claims["schema"]["foreignKeys"] = [
        fk for fk in claims["schema"]["foreignKeys"] if fk["reference"]["resource"] != "incidents"
    ]
    d["version"] = "1.0.0"
    pkg = copy.copy(campaign.pkg)
    pkg.descriptor = d
    rules = {(f.table, f.row_id, f.field, f.rule) for f in coherence.descriptor(pkg)}
    assert ("datapackage", "claims", "incident_id", "descriptor-matches-model") in rules
    rid = next(k for k, r in campaign.rows["claims"].items() if r["incident_id"])
    con = campaign.con
    con.begin()
    try:
        con.execute("UPDATE claims SET incident_id = 'INC-9999' WHERE claim_id = ?", [rid])
        found = {(f.table, f.row_id, f.field, f.rule) for f in coherence.references(con)}
    finally:
        con.rollback()
    assert found == {("claims", rid, "incident_id", "reference-resolves")}


def test_equivalents_are_reviewed_with_a_reason():
    for e in mutate.equivalents():
        assert e["reason"].strip() and len(e["reason"]) > 30, e
        assert e["kind"] not in mutate.CODED, "coded kinds await issue 24; they are not equivalent"


def test_every_coherence_rule_has_a_catalogue_case():
    text = "".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parent).glob("faults*.csv"))
    text += (Path(__file__).parent / "malformed" / "cases.csv").read_text(encoding="utf-8")
    missing = [r for r in coherence.RULES if f"|{r}" not in text and r != "reference-resolves"]
    # reference-resolves fires only once the descriptor no longer declares the key: a case above builds it.
    assert not missing, missing


def test_model_pairs_and_dates_are_found_by_name():
    assert ("incidents", "killed_min", "killed_max") in model.pairs()
    assert ("incidents", "date_start_refined", "date_end_refined") in model.pairs()
    assert ("reviews", "reviewed_on") in model.date_fields()
