"""Agreement: every coded value is what the rule-based coder reads in the words, or a recorded decision says why not.

Each active incident, tally, claim and place is coded twice: by hand (the data) and by the coder (coder.py, which
reads only the archived text). For every coded field the two must agree, or a row of coding_decisions must name
the field, give both values as they stand and the reason, with a review by someone who did not code it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from .. import coder
from ..package import Package, records
from . import Failure, truth

RULES = {
    "coding-agrees-with-coder": "every coded field of incidents, tallies, claims and places (perpetrators, target, "
    "weapon, place, count rules and ranges, who was killed, tally measure, outlet, governorate) equals what the "
    "rule-based coder reads in the words, or a coding decision records both values and the reason",
    "decision-names-a-disagreement": "a coding decision names one row, a coded field where hand and coder differ "
    "today, and the two values as they stand (no decision where they agree, none left stale)",
    "decision-reviewed-by-another": "a coding decision is reviewed by someone other than its author, and is not "
    "overturned (an overturned decision means the hand value must be corrected)",
}

CHECK = "agreement"
CATEGORIES = ["killed", "children", "women", "injured", "displaced", "strikes"]
ID_COLUMNS = {"incidents": "incident_id", "tallies": "tally_id", "claims": "claim_id", "places": "place_id"}
ID_TABLES = {v: k for k, v in ID_COLUMNS.items()}


@dataclass(frozen=True)
class Cell:
    """One coded field of one row, as coded by hand and by the coder."""

    table: str
    row_id: str
    field: str
    hand: str  # the cell as the data holds it ('' for empty)
    coder: str  # the coder's proposal, as text
    agrees: bool
    words: str  # the quotes the coder read


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _n(v: int | None) -> str:
    return "" if v is None else str(v)


def _parties_text(parties: list[str]) -> str:
    return "; ".join(parties) if parties else "not stated"


def _readable(text: str, c: dict) -> bool:
    """True when a claim's quote is the archive at its offsets (else provenance reports it, and it is not coded)."""
    start, end = c["char_start"], c["char_end"]
    return start is not None and end is not None and text[int(start) : int(end)] == c["quote"]


def _proposal(proposals: dict[str, coder.Proposal], text: str, c: dict) -> coder.Proposal:
    """The coder's proposal for a claim, computed once per claim (the incident or tally it codes and its own outlet
    are both read from it)."""
    if c["claim_id"] not in proposals:
        proposals[c["claim_id"]] = coder.code(text, int(c["char_start"]), int(c["char_end"]))
    return proposals[c["claim_id"]]


def _claims(
    con, text: str, key: str, uncoded: set, proposals: dict[str, coder.Proposal]
) -> dict[str, list[tuple[str, coder.Proposal]]]:
    out: dict[str, list[tuple[str, coder.Proposal]]] = {}
    for c in records(
        con,
        f"SELECT claim_id, {key}, quote, char_start, char_end FROM claims WHERE {key} IS NOT NULL "
        "AND status = 'active' ORDER BY claim_id",
    ):
        if not _readable(text, c):
            uncoded.add((ID_TABLES[key], c[key]))
            continue
        out.setdefault(c[key], []).append((c["quote"], _proposal(proposals, text, c)))
    return out


def _merge(props: list[coder.Proposal], attr: str) -> list:
    seen: list = []
    for p in props:
        for v in getattr(p, attr):
            if v not in seen:
                seen.append(v)
    return seen


def _pick(cands: list[coder.Count], hand: tuple[str, str, str]) -> coder.Count | None:
    """The coder's count to compare with the hand coding: one that equals it if any, else the first."""
    for c in cands:
        if (c.rule, _n(c.min), _n(c.max)) == hand:
            return c
    return cands[0] if cands else None


def _parties_cell(table: str, rid: str, hand_value: str | None, props, words: str) -> Cell:
    lex_order = list(coder.lexicons()["parties"])
    got = [p for p in lex_order if p in _merge(props, "parties")]
    hand = set(truth.parties(hand_value or "not stated"))
    shown = excerpt(words, coder.lexicons()["parties"], hand ^ set(got))
    return Cell(table, rid, "alleged_perpetrator", _text(hand_value), _parties_text(got), hand == set(got), shown)


def _one(table, rid, field, hand, found: list[str], none: str, words, vocabulary: dict) -> Cell:
    value = "; ".join(found) if found else none
    keys = set(found) ^ ({_text(hand)} - {none})
    return Cell(table, rid, field, _text(hand), value, _text(hand) == value, excerpt(words, vocabulary, keys))


NEAR = 30  # characters of context either side of the words a failure shows


def excerpt(words: str, vocabulary: dict[str, list[str]], keys: Iterable[str]) -> str:
    """The part of the words where a lexicon entry of one of keys stands (with some context), else the words."""
    hits = sorted(h for k in keys if k in vocabulary for h in coder.find(words, vocabulary[k]))
    if not hits:
        return words
    a, b = hits[0]
    return ("..." if a > NEAR else "") + words[max(0, a - NEAR) : b + NEAR] + ("..." if b + NEAR < len(words) else "")


def cells(con: duckdb.DuckDBPyConnection, text: str, uncoded: set | None = None) -> list[Cell]:
    """Every coded field of every active incident, tally, claim and place, with the coder's proposal. Rows left
    uncoded because a quote of theirs is not the archive at its offsets are added to `uncoded`."""
    uncoded = set() if uncoded is None else uncoded
    out: list[Cell] = []
    places = {r["place_id"]: r for r in records(con, "SELECT * FROM places")}
    proposals: dict[str, coder.Proposal] = {}
    by_incident = _claims(con, text, "incident_id", uncoded, proposals)
    for r in records(con, "SELECT * FROM incidents WHERE status = 'active' ORDER BY incident_id"):
        rid = r["incident_id"]
        if rid not in by_incident or ("incidents", rid) in uncoded:
            continue  # no active claim, or one that is not the archive: provenance reports it
        quotes = [q for q, _ in by_incident[rid]]
        props = [p for _, p in by_incident[rid]]
        words = " | ".join(quotes)
        out.append(_parties_cell("incidents", rid, r["alleged_perpetrator"], props, words))
        lex = coder.lexicons()
        targets, weapons = _merge(props, "targets"), _merge(props, "weapons")
        out.append(
            _one("incidents", rid, "target_type", r["target_type"], targets, "unspecified", words, lex["targets"])
        )
        out.append(_one("incidents", rid, "weapon", r["weapon"], weapons, "not stated", words, lex["weapons"]))
        out.append(_place_cell(rid, r["place_id"], places, _merge(props, "places"), words))
        counts = [c for p in props for c in p.counts]
        for cat in CATEGORIES:
            hand = tuple(_text(r[f"{cat}_{x}"]) for x in ("rule", "min", "max"))
            got = _pick([c for c in counts if c.category == cat], hand)
            want = (got.rule, _n(got.min), _n(got.max)) if got else ("", "", "")
            # The words shown are the count's own: the coder's phrase, else the hand-coded one.
            shown = got.phrase if got else _text(r[f"{cat}_phrase"]) or words
            for x, h, c in zip(("rule", "min", "max"), hand, want, strict=True):
                out.append(Cell("incidents", rid, f"{cat}_{x}", h, c, h == c, shown))
            if cat == "killed":
                desc = (got.described_as or "") if got else ""
                hand_desc = _text(r["killed_described_as"])
                out.append(Cell("incidents", rid, "killed_described_as", hand_desc, desc, hand_desc == desc, shown))
    by_tally = _claims(con, text, "tally_id", uncoded, proposals)
    for r in records(con, "SELECT * FROM tallies WHERE status = 'active' ORDER BY tally_id"):
        rid = r["tally_id"]
        if rid not in by_tally or ("tallies", rid) in uncoded:
            continue
        props = [p for _, p in by_tally[rid]]
        words = " | ".join(q for q, _ in by_tally[rid])
        out.append(_parties_cell("tallies", rid, r["alleged_perpetrator"], props, words))
        hand = (_text(r["value_rule"]), _text(r["value_min"]), _text(r["value_max"]))
        cands = [c for p in props for c in p.counts if c.measure]
        got = next((c for c in cands if c.measure == r["measure"] and (c.rule, _n(c.min), _n(c.max)) == hand), None)
        got = got or next((c for c in cands if c.measure == r["measure"]), None) or _pick(cands, hand)
        want = (got.measure or "", got.rule, _n(got.min), _n(got.max)) if got else ("", "", "", "")
        shown = got.phrase if got else _text(r["value_phrase"]) or words
        for x, h, c in zip(
            ("measure", "value_rule", "value_min", "value_max"), (_text(r["measure"]), *hand), want, strict=True
        ):
            out.append(Cell("tallies", rid, x, h, c, h == c, shown))
    sources = {r["source_id"]: r for r in records(con, "SELECT source_id, name_as_written FROM sources")}
    for r in records(
        con,
        "SELECT claim_id, quote, char_start, char_end, source_id, source_basis, section FROM claims "
        "WHERE status = 'active' ORDER BY claim_id",
    ):
        if not _readable(text, r):
            uncoded.add(("claims", r["claim_id"]))
            continue
        got = _proposal(proposals, text, r).outlet
        src = sources.get(r["source_id"]) if r["source_id"] else None
        hand_name = _text(src["name_as_written"]) if src else ""
        name = got.name if got else ""
        out.append(
            Cell(
                "claims",
                r["claim_id"],
                "source_id",
                _text(r["source_id"]) + (f" ({hand_name})" if hand_name else ""),
                name,
                _norm(hand_name) == _norm(name) and bool(src or not got),
                r["quote"],
            )
        )
        basis = got.basis if got else ""
        hand_basis = _text(r["source_basis"])
        out.append(Cell("claims", r["claim_id"], "source_basis", hand_basis, basis, hand_basis == basis, r["quote"]))
    quotes = {
        r["claim_id"]: r
        for r in records(con, "SELECT claim_id, quote, char_start, char_end FROM claims WHERE status = 'active'")
    }
    for r in records(con, "SELECT place_id, admin1_code, admin1_origin FROM places WHERE admin1_basis = 'quote'"):
        c = quotes.get(r["admin1_origin"] or "")
        if c is None or not _readable(text, c):
            uncoded.add(("places", r["place_id"]))
            continue  # an origin that is not an active claim, or not the archive, is reported by provenance
        govs = coder.governorates(c["quote"])
        value = "; ".join(govs)
        out.append(
            Cell(
                "places",
                r["place_id"],
                "admin1_code",
                _text(r["admin1_code"]),
                value,
                _text(r["admin1_code"]) == value,
                c["quote"],
            )
        )
    return out


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().lower()


def _place_cell(rid: str, place_id, places: dict, mentions: list[str], words: str) -> Cell:
    p = places.get(place_id)
    if p is None:
        return Cell("incidents", rid, "place_id", _text(place_id), "; ".join(mentions), True, words)  # structure's
    hand = f"{place_id} ({p['name_as_written'] or p['standard_name']})"
    if p["location_precision"] == "country":
        agrees = not mentions
    else:
        names = [n.strip() for n in (p["name_as_written"] or "").split(";") if n.strip()]
        agrees = any(coder.names_place(mentions, n) for n in names)
    return Cell("incidents", rid, "place_id", hand, "; ".join(mentions) or "no place named", agrees, words)


def decisions(con: duckdb.DuckDBPyConnection) -> list[dict]:
    rows = records(con, "SELECT * FROM coding_decisions ORDER BY decision_id")
    for r in rows:
        named = [(t, r[k]) for t, k in ID_COLUMNS.items() if r.get(k)]
        r["_table"], r["_row"] = named[0] if len(named) == 1 else ("", "")
    return rows


def check(pkg: Package, con: duckdb.DuckDBPyConnection) -> list[Failure]:
    try:
        text = pkg.archive_text()
    except (KeyError, OSError, UnicodeDecodeError):
        return []  # nothing can be coded without the archive; provenance reports it (archive-exists, -readable)
    uncoded: set[tuple[str, str]] = set()
    all_cells = cells(con, text, uncoded)
    out: list[Failure] = []
    decided = decisions(con)
    by_cell = {(d["_table"], d["_row"], d["field"]): d for d in decided}
    disagreements = {(c.table, c.row_id, c.field): c for c in all_cells if not c.agrees}
    for key, c in disagreements.items():
        d = by_cell.get(key)
        covered = d and (_text(d["hand_value"]), _text(d["coder_value"])) == (c.hand, c.coder)
        if covered and d["review_outcome"] != "overturned":
            continue
        note = (
            f" (decision {d['decision_id']} records hand {_text(d['hand_value'])!r}, coder {_text(d['coder_value'])!r})"
            if d
            else ""
        )
        out.append(
            Failure(
                c.table,
                c.row_id,
                c.field,
                "coding-agrees-with-coder",
                f"hand {c.hand or 'empty'!r}, coder {c.coder or 'nothing'!r}{note}; words: {c.words}",
                CHECK,
            )
        )
    coded = {(c.table, c.row_id, c.field): c for c in all_cells}
    for d in decided:
        key = (d["_table"], d["_row"], d["field"])
        c = coded.get(key)
        if not d["_table"]:
            why = "names no row, or more than one (exactly one of incident_id, tally_id, claim_id, place_id)"
        elif c is None and (d["_table"], d["_row"]) in uncoded:
            why = ""  # the row's quote is not the archive: provenance names it, the decision waits
        elif c is None:
            why = f"{d['field']} of {d['_row']} is not a coded field of an active row"
        elif c.agrees:
            why = f"hand and coder agree on {d['field']} of {d['_row']} ({c.hand!r})"
        elif (_text(d["hand_value"]), _text(d["coder_value"])) != (c.hand, c.coder):
            why = f"records hand {_text(d['hand_value'])!r}, coder {_text(d['coder_value'])!r}; now hand {c.hand!r}, coder {c.coder!r}"
        else:
            why = ""
        if why:
            out.append(
                Failure("coding_decisions", d["decision_id"], "field", "decision-names-a-disagreement", why, CHECK)
            )
        if d["reviewer"] and _norm(d["reviewer"]) == _norm(d["decided_by"] or ""):
            out.append(
                Failure(
                    "coding_decisions",
                    d["decision_id"],
                    "reviewer",
                    "decision-reviewed-by-another",
                    f"{d['reviewer']} also decided it",
                    CHECK,
                )
            )
        elif d["review_outcome"] == "overturned":
            out.append(
                Failure(
                    "coding_decisions",
                    d["decision_id"],
                    "review_outcome",
                    "decision-reviewed-by-another",
                    f"overturned by {d['reviewer']}: correct {d['field']} of {d['_row']}",
                    CHECK,
                )
            )
    return out


def frame(con: duckdb.DuckDBPyConnection, text: str) -> None:
    """The table coding_agreement (one row per coded field of a row, hand beside coder, and the decision that
    covers a disagreement) for the named reliability queries."""
    decided = {(d["_table"], d["_row"], d["field"]): d for d in decisions(con)}
    con.execute(
        "CREATE OR REPLACE TEMP TABLE coding_agreement (tbl VARCHAR, row_id VARCHAR, field VARCHAR, hand VARCHAR, "
        "coder VARCHAR, agrees BOOLEAN, nominal BOOLEAN, hand_code VARCHAR, decision_id VARCHAR, "
        "review_outcome VARCHAR)"
    )
    rows = []
    for c in cells(con, text):
        d = decided.get((c.table, c.row_id, c.field))
        # For alpha the hand value is read in the coder's categories: an agreeing attribution written
        # "Russia and the coalition" is the category "Russia; coalition".
        hand_code = c.coder if c.agrees else c.hand
        rows.append(
            [
                c.table,
                c.row_id,
                c.field,
                c.hand,
                c.coder,
                c.agrees,
                nominal(c.field),
                hand_code,
                d["decision_id"] if d else None,
                d["review_outcome"] if d else None,
            ]
        )
    if rows:
        con.executemany("INSERT INTO coding_agreement VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def nominal(field: str) -> bool:
    """Fields whose values are categories (Krippendorff's alpha for nominal data applies); counts and the
    place and outlet identities are compared for agreement only."""
    return not (field.endswith(("_min", "_max")) or field in ("place_id", "source_id"))
