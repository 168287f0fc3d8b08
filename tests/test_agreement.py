"""Agreement between the hand coding and the rule-based coder: Krippendorff's alpha, the reliability query, and
every class of edit that the gate once let through, applied to every row where it applies."""

from __future__ import annotations

import re
import shutil
from fractions import Fraction

import pytest
from conftest import copy_package

from build_report import authoring, coder, csvio, queries, reliability, validate
from build_report.checks import agreement, truth
from build_report.package import Package, connect, records

# ---- Krippendorff's alpha -------------------------------------------------------------------------


def test_alpha_two_coders_binary_worked_by_hand():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", example A: two coders, ten units.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    # By hand: the coincidence matrix counts each unit's pair both ways.
    #   units (0,0): 4, 5, 7, 8, 10 -> o00 = 2 * 5 = 10;  units (1,1): 2 -> o11 = 2
    #   units (0,1) or (1,0): 1, 3, 6, 9 -> o01 = o10 = 4
    #   n0 = o00 + o01 = 14, n1 = o11 + o10 = 6, n = 20
    #   alpha = 1 - (n - 1) * o01 / (n0 * n1) = 1 - 19 * 4 / (14 * 6) = 1 - 76/84 = 8/84
    by_hand = 1 - Fraction(19 * 4, 14 * 6)
    assert by_hand == Fraction(2, 21)
    assert reliability.alpha_nominal(list(zip(a, b, strict=True))) == pytest.approx(float(by_hand))


def test_alpha_four_coders_missing_values():
    # The same paper, example C: four coders, twelve units, values missing; nominal alpha 0.743.
    rows = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = list(zip(*rows, strict=True))
    assert reliability.alpha_nominal(units) == pytest.approx(0.743, abs=0.0005)


def test_alpha_perfect_and_undefined():
    assert reliability.alpha_nominal([("a", "a"), ("b", "b")]) == 1
    assert reliability.alpha_nominal([("a", "a"), ("a", "a")]) is None  # no variation
    assert reliability.alpha_nominal([("a", None)]) is None  # nothing pairable


def test_alpha_chance_agreement_is_zero_or_less():
    assert reliability.alpha_nominal([("a", "b"), ("b", "a")]) < 0


# ---- the reliability query ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def con():
    pkg = Package.load()
    c = connect(pkg)
    agreement.frame(c, pkg.archive_text())
    return c


def test_query_alpha_is_the_python_alpha(con):
    for row in queries.rows(con, "coding_reliability"):
        pairs = [
            (r["hand_code"], r["coder"])
            for r in records(
                con,
                "SELECT hand_code, coder FROM coding_agreement WHERE tbl = ? AND field = ? AND nominal",
                [row["table"], row["field"]],
            )
        ]
        want = reliability.alpha_nominal(pairs) if pairs else None
        if want is None:
            assert row["alpha"] is None, row
        else:
            assert row["alpha"] == pytest.approx(want, abs=0.0005), row


def test_query_counts_every_disagreement_and_decision(con):
    got = {(r["table"], r["field"]): r for r in queries.rows(con, "coding_reliability")}
    for (tbl, field), r in got.items():
        n, agree, dec = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE agrees), count(decision_id) FROM coding_agreement "
            "WHERE tbl = ? AND field = ?",
            [tbl, field],
        ).fetchone()
        assert (r["rows_coded"], r["agreements"], r["decisions"]) == (n, agree, dec)
    # Decisions exist only where hand and coder differ.
    assert (
        con.execute("SELECT count(*) FROM coding_agreement WHERE agrees AND decision_id IS NOT NULL").fetchone()[0] == 0
    )


# ---- every class of edit the gate once let through ----------------------------------------------


def _rows(pkg_dir, table):
    return csvio.read(pkg_dir / "data" / f"{table}.csv")


def _country_place(pkg_dir) -> str:
    return next(r["place_id"] for r in _rows(pkg_dir, "places")[1] if r["location_precision"] == "country")


def _active(rows):
    return [r for r in rows if r.get("status", "active") == "active"]


PARTY_WORDS = {
    "Russia": "Russia",
    "Syrian government": "the Syrian government",
    "coalition": "the coalition",
    "US": "the US",
}


# The classes of edit a hand coder could make, each of which the coder must catch.
CLASSES = [
    "drop_party",
    "drop_target",
    "drop_weapon",
    "add_party",
    "more_than_as",
    "people_as_children",
    "to_country",
    "other_outlet",
]


def edits(pkg_dir) -> dict[str, list[tuple[str, str, dict[str, str]]]]:
    """Edit class -> [(table, row ID, {field: new value})], one per row where the class applies. The first field
    of each edit is the coded field the gate must name."""
    inc = _active(_rows(pkg_dir, "incidents")[1])
    tal = _active(_rows(pkg_dir, "tallies")[1])
    claims = _active(_rows(pkg_dir, "claims")[1])
    sources = _rows(pkg_dir, "sources")[1]
    text = (pkg_dir / "data" / "archive" / "000_417f629a4e5b8d57.txt").read_text(encoding="utf-8")
    out: dict[str, list] = {k: [] for k in CLASSES}
    for table, rows, key in (("incidents", inc, "incident_id"), ("tallies", tal, "tally_id")):
        for r in rows:
            parties = truth.parties(r["alleged_perpetrator"])
            if len(parties) > 1:
                for drop in parties:
                    keep = [p for p in parties if p != drop]
                    out["drop_party"].append(
                        (table, r[key], {"alleged_perpetrator": " and ".join(PARTY_WORDS[p] for p in keep)})
                    )
            if table == "tallies":
                extra = next(p for p in ("US", "coalition", "Russia") if p not in parties)
                now = r["alleged_perpetrator"] if parties else ""
                value = f"{now} and {PARTY_WORDS[extra]}" if now else PARTY_WORDS[extra]
                out["add_party"].append(
                    (table, r[key], {"alleged_perpetrator": value, "attribution_basis": "compilation title"})
                )
            prefix = "value" if table == "tallies" else None
            for cat in ["value"] if prefix else agreement.CATEGORIES:
                rule, lo = r[f"{cat}_rule"], r[f"{cat}_min"]
                if rule == "more_than":
                    n = str(int(lo) - 1)
                    out["more_than_as"].append(
                        (table, r[key], {f"{cat}_rule": "exact", f"{cat}_min": n, f"{cat}_max": n})
                    )
                    out["more_than_as"].append((table, r[key], {f"{cat}_rule": "at_least", f"{cat}_min": n}))
    country = _country_place(pkg_dir)
    places = {p["place_id"]: p for p in _rows(pkg_dir, "places")[1]}
    for r in inc:
        if r["target_type"] != "unspecified":
            out["drop_target"].append(
                ("incidents", r["incident_id"], {"target_type": "unspecified", "target_basis": ""})
            )
        if r["weapon"] != "not stated":
            out["drop_weapon"].append(("incidents", r["incident_id"], {"weapon": "not stated", "weapon_basis": ""}))
        if r["killed_described_as"] == "people":
            out["people_as_children"].append(("incidents", r["incident_id"], {"killed_described_as": "children"}))
        if places[r["place_id"]]["location_precision"] != "country":
            out["to_country"].append(("incidents", r["incident_id"], {"place_id": country}))
    for c in claims:
        if not c["source_id"]:
            continue
        line = text.split("\n")[int(c["line"]) - 1]
        other = next(
            s
            for s in sources
            if s["source_id"] != c["source_id"]
            and s["name_as_written"]
            and s["name_as_written"].lower() not in line.lower()
        )
        out["other_outlet"].append(("claims", c["claim_id"], {"source_id": other["source_id"]}))
    return out


def _apply(pkg_dir, batch):
    by_table: dict[str, list] = {}
    for table, rid, values in batch:
        by_table.setdefault(table, []).append((rid, values))
    for table, items in by_table.items():
        path = pkg_dir / "data" / f"{table}.csv"
        fields, rows = csvio.read(path)
        key = fields[0]
        for rid, values in items:
            row = next(r for r in rows if r[key] == rid)
            row.update(values)
        csvio.write(path, fields, rows)


def _batches(items):
    """Edits in rounds, one edit per row a round, so that each is seen on its own row."""
    rounds: list[list] = []
    for item in items:
        for r in rounds:
            if all((t, i) != (item[0], item[1]) for t, i, _ in r):
                r.append(item)
                break
        else:
            rounds.append([item])
    return rounds


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return copy_package(tmp_path_factory.mktemp("agreement-pristine"))


def test_every_class_applies_somewhere(pristine):
    got = edits(pristine)
    assert all(got[k] for k in CLASSES), {k: len(v) for k, v in got.items()}


@pytest.mark.parametrize("kind", CLASSES)
def test_edit_class_fails_the_gate_on_every_row(kind, pristine, tmp_path):
    for n, batch in enumerate(_batches(edits(pristine)[kind])):
        pkg_dir = tmp_path / f"round{n}"
        shutil.copytree(pristine, pkg_dir)
        _apply(pkg_dir, batch)
        pkg = Package.load(pkg_dir)
        gate = validate.run(pkg)
        named = {(f.table, f.row_id, f.field) for f in gate}
        con = connect(pkg)
        mine = {(f.table, f.row_id, f.field): f for f in agreement.check(pkg, con)}
        for table, rid, values in batch:
            field = next(iter(values))
            assert (table, rid, field) in named, f"{kind}: the gate does not name {table} {rid} {field}"
            f = mine.get((table, rid, field))
            assert f is not None and f.rule == "coding-agrees-with-coder", f"{kind}: {table} {rid} {field}"
            hand_shown = re.search(r"hand '([^']*)'", f.value).group(1)
            assert hand_shown.startswith(values[field][:20]) or values[field] in f.value, f.value
            assert re.search(r"coder '[^']*'", f.value), f.value


def test_derive_does_not_launder(pristine, tmp_path, capsys):
    pkg_dir = tmp_path / "pkg"
    shutil.copytree(pristine, pkg_dir)
    _apply(pkg_dir, [("incidents", "INC-0005", {"killed_rule": "exact", "killed_min": "35", "killed_max": "35"})])
    assert authoring.main(str(pkg_dir)) == 1
    failures = validate.run(Package.load(pkg_dir))
    rows = [(f.field, f.rule) for f in failures if f.row_id == "INC-0005"]
    assert ("killed_min_refined", "killed_min_refined == killed_min_refined_recomputed") in rows
    first_stale = next(i for i, r in enumerate(rows) if r[1].endswith("_recomputed"))
    assert any(r[1] == "coding-agrees-with-coder" for r in rows[:first_stale])


def test_coder_sees_no_data_table():
    src = (coder.PATH.parent / "coder.py").read_text(encoding="utf-8")
    assert not re.search(r"^from \.(checks|package|csvio|queries)\b|^import duckdb", src, re.MULTILINE)
