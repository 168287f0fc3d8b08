"""Meaning: the suite of expectations in expectations.json, evaluated in DuckDB.

expectations.json is written in Great Expectations' vocabulary (expectation names and arguments),
and Great Expectations stays its reference implementation: tests/test_reference.py runs the same
suite through GX on the fault catalogue and requires the same failures. The gate itself evaluates
the suite here, in SQL, because importing GX alone takes longer than every check of the gate
together (see docs/maintaining.md).

Each entry runs one expectation on a frame: a table of the package, a named query in
src/build_report/queries (check_*.sql), or derived_fields. Each unexpected value is reported
against the row's ID (the frame's first column).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .. import coding, derive, queries
from ..model import TABLES
from ..package import _q, records
from . import Failure

SUITE = Path(__file__).resolve().parent.parent / "expectations.json"
# The plausible window of dates (not before September 2015, the compilation's oldest reference point
# "last September"; reported event dates not after 2016) is in the schema: minimum/maximum constraints
# of the date fields in datapackage.json, enforced by structure. Dates not after today: truth.

RULES = {
    "{column_A} >= {column_B}": "ordered pairs: max >= min, end >= start, wholes >= parts (ExpectColumnPairValuesAToBeGreaterThanB)",
    "{column_A} > {column_B}": "strictly ordered pairs: a quote ends after it starts (ExpectColumnPairValuesAToBeGreaterThanB)",
    "{column_A} == {column_B}": "stored derived fields equal their recomputation (ExpectColumnPairValuesToBeEqual)",
    "in vocabulary": "values from a vocabulary the schema cannot hold, e.g. ISO 3166-2:SY codes (ExpectColumnValuesToBeInSet)",
    "kind-agrees-with-incident_id-and-tally_id": "a claim's kind agrees with what it links to",
    "source_basis-set-with-source_id": "a source basis is given exactly when a source is",
    "group-has-two-members": "an overlap group has at least two active members",
    "same-incident-and-tally-as-its-claim": "a corroboration links what its claim links",
    "query-equals-search-log": "a corroboration's query is the query of its search",
    "crosswalk-url-of-its-dataset": "a crosswalk URL is on its dataset's own site (airwars.org, snhr.org, ...), or a "
    "GitHub file at a fixed commit for a dataset held as a file",
    "crosswalk-reasons-agree-with-fit": "a crosswalk row's reasons state the date and toll fit the data decide "
    "(same_date on our one day, different_date outside our window, same_figures or different_figures) and never "
    "contradict it (check_crosswalk_fit)",
    "overlap-bound-has-basis": "a bound on the deaths an overlap group's members can share (max_shared_killed) has a "
    "basis, a report on an incident of the group (max_shared_basis), and a basis has a bound",
    "overlap-group-one-level": "a group within a wider group contains no group, and a group that contains groups has "
    "no incident or tally of its own",
    "independent-outside-original-chain": "a report marked independent (high or medium confidence) relies, through the "
    "source it names or copies, neither on the compilation nor on a probable original of its incident or tally: a "
    "syndicated, translated or relayed copy is a copy",
    "copy-relies-on-original": "a report marked copy relies on the group of a probable original of its incident or tally",
    "checks-can-run": "every frame of the suite can be computed (e.g. a changed field type breaks a query)",
}


def parameters() -> dict:
    import pycountry

    return {
        "$iso_3166_2_sy": sorted(s.code for s in pycountry.subdivisions.get(country_code="SY")),
        "$rules": sorted(coding.RULES),
        "$grades": coding.GRADES,
    }


def suite() -> list[dict]:
    return json.loads(SUITE.read_text(encoding="utf-8"))["expectations"]


def bind(entry: dict, params: dict) -> dict:
    """An entry's kwargs with $parameters filled in."""
    return {k: params.get(v, v) if isinstance(v, str) else v for k, v in entry["kwargs"].items()}


def derived_fields(con: duckdb.DuckDBPyConnection) -> None:
    """The frame derived_fields: stored derived columns beside their recomputation, both as the text
    incidents.csv holds."""
    want = derive.compute(con)
    columns = ["incident_id", *derive.DERIVED, *(f"{c}_recomputed" for c in derive.DERIVED)]
    rows = []
    for r in records(con, f"SELECT incident_id, {', '.join(derive.DERIVED)} FROM incidents"):
        again = want.get(r["incident_id"], {})
        rows.append(
            [r["incident_id"], *(derive.as_text(r[c]) for c in derive.DERIVED), *(again.get(c) for c in derive.DERIVED)]
        )
    con.execute("CREATE OR REPLACE TEMP TABLE derived_fields (" + ", ".join(f"{_q(c)} VARCHAR" for c in columns) + ")")
    if rows:
        # One insert of a columnar batch: executemany runs one statement per row (seconds at 20,000 incidents).
        batch = pa.table({c: pa.array(list(v), pa.string()) for c, v in zip(columns, zip(*rows), strict=True)})
        con.register("__derived", batch)
        con.execute("INSERT INTO derived_fields SELECT * FROM __derived")
        con.unregister("__derived")


def prepare(con: duckdb.DuckDBPyConnection, frames: set[str]) -> dict[str, str]:
    """Create the suite's frames in DuckDB: {frame: error message} for those that could not be computed."""
    errors = {}
    for frame in sorted(frames):
        if frame.startswith("check_"):
            try:
                con.execute(f"CREATE OR REPLACE TEMP TABLE {_q(frame)} AS {queries.sql(frame)}")
            except (duckdb.Error, OSError) as e:
                errors[frame] = _first_line(e)
        elif frame == "derived_fields":
            try:
                derived_fields(con)
            except (duckdb.Error, KeyError, ValueError, TypeError) as e:
                errors[frame] = _first_line(e)
    return errors


def _first_line(e: Exception) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0] if text else ''}"


def check(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    entries = suite()
    params = parameters()
    errors = prepare(con, {e["frame"] for e in entries})
    out: list[Failure] = []
    failed: list[str] = [f"{frame} ({msg})" for frame, msg in errors.items()]
    for entry in entries:
        frame = entry["frame"]
        kwargs = bind(entry, params)
        rule = entry.get("rule") or rule_name(entry["expectation"], kwargs)
        field = entry.get("field") or kwargs.get("column") or kwargs.get("column_A", "-")
        if frame in errors:
            continue
        try:
            key, found = unexpected(con, frame, entry["expectation"], kwargs)
        except (duckdb.Error, re.error, KeyError, TypeError) as e:
            failed.append(f"{rule} ({_first_line(e)})")
            continue
        table = table_of(key) if frame.startswith("check_") or frame == "derived_fields" else frame
        for rid, shown in found:
            out.append(Failure(table, str(rid), field, rule, shown, "meaning"))
    if failed:
        # One row for the stage: the cause (typically a field type changed in the descriptor) is one fault.
        out.append(
            Failure(
                "meaning",
                "-",
                "-",
                "checks-can-run",
                f"{len(failed)} could not be evaluated: " + "; ".join(failed),
                "meaning",
            )
        )
    return out


def unexpected(
    con: duckdb.DuckDBPyConnection, frame: str, expectation: str, kw: dict
) -> tuple[str, list[tuple[str, str]]]:
    """(key column, [(row ID, "col=value, ...")]) for the rows that break one expectation, in frame order.

    Semantics follow Great Expectations' column-map expectations: missing values are skipped by
    single-column expectations; pair expectations skip rows as `ignore_row_if` says (GX's default:
    both values missing).
    """
    cols = [r[0] for r in con.execute(f"DESCRIBE {_q(frame)}").fetchall()]
    key = cols[0]
    f = _q(frame)
    if expectation in ("ExpectColumnPairValuesAToBeGreaterThanB", "ExpectColumnPairValuesToBeEqual"):
        a, b = _q(kw["column_A"]), _q(kw["column_B"])
        if expectation == "ExpectColumnPairValuesToBeEqual":
            op = "="
        else:
            op = ">=" if kw.get("or_equal") else ">"
        skip = {
            "either_value_is_missing": f"{a} IS NULL OR {b} IS NULL",
            "both_values_are_missing": f"{a} IS NULL AND {b} IS NULL",
            "neither": "false",
        }[kw.get("ignore_row_if", "both_values_are_missing")]
        shown = [kw["column_A"], kw["column_B"]]
        sql = f"SELECT {_q(key)}, {a}, {b} FROM {f} WHERE NOT ({skip}) AND NOT coalesce({a} {op} {b}, false)"
        rows = con.execute(sql).fetchall()
    elif expectation == "ExpectColumnValuesToBeBetween":
        c = _q(kw["column"])
        conds, args = [], []
        if kw.get("min_value") is not None:
            conds.append(f"{c} {'<=' if kw.get('strict_min') else '<'} ?")
            args.append(kw["min_value"])
        if kw.get("max_value") is not None:
            conds.append(f"{c} {'>=' if kw.get('strict_max') else '>'} ?")
            args.append(kw["max_value"])
        shown = [kw["column"]]
        rows = con.execute(
            f"SELECT {_q(key)}, {c} FROM {f} WHERE {c} IS NOT NULL AND ({' OR '.join(conds) or 'false'})", args
        ).fetchall()
    elif expectation == "ExpectColumnValuesToBeInSet":
        c = _q(kw["column"])
        shown = [kw["column"]]
        rows = con.execute(
            f"SELECT {_q(key)}, {c} FROM {f} WHERE {c} IS NOT NULL AND NOT list_contains(?, {c})",
            [list(kw["value_set"])],
        ).fetchall()
    elif expectation == "ExpectColumnValuesToMatchRegex":
        c = _q(kw["column"])
        rx = re.compile(kw["regex"])  # Python's re, as GX's pandas engine uses
        shown = [kw["column"]]
        rows = [
            r
            for r in con.execute(f"SELECT {_q(key)}, {c} FROM {f} WHERE {c} IS NOT NULL").fetchall()
            if not rx.search(str(r[1]))
        ]
    elif expectation == "ExpectColumnValuesToBeUnique":
        c = _q(kw["column"])
        shown = [kw["column"]]
        rows = con.execute(
            f"SELECT {_q(key)}, {c} FROM {f} WHERE {c} IS NOT NULL QUALIFY count(*) OVER (PARTITION BY {c}) > 1"
        ).fetchall()
    elif expectation == "ExpectColumnValuesToNotBeNull":
        c = _q(kw["column"])
        shown = [kw["column"]]
        rows = con.execute(f"SELECT {_q(key)}, {c} FROM {f} WHERE {c} IS NULL").fetchall()
    else:
        raise KeyError(f"expectation {expectation} is not supported by the gate's evaluator")
    return key, [(r[0], ", ".join(f"{n}={_show(v)}" for n, v in zip(shown, r[1:]))) for r in rows]


def _show(v: Any) -> str:
    if v is None:
        return "None"
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


# The table whose primary key a column is (claim_id: claims), from the model; a column that is no table's key names
# itself (an expectation over a derived frame).
_TABLE_OF_KEY = {t.key: name for name, t in TABLES.items()}


def table_of(key: str) -> str:
    return _TABLE_OF_KEY.get(key, key)


def rule_name(expectation: str, kwargs: dict) -> str:
    """A short readable rule, e.g. 'killed_max >= killed_min'."""
    if "column_A" in kwargs:
        op = "==" if "Equal" in expectation else (">=" if kwargs.get("or_equal") else ">")
        return f"{kwargs['column_A']} {op} {kwargs['column_B']}"
    if expectation == "ExpectColumnValuesToBeBetween":
        lo, hi = _show(kwargs.get("min_value")), _show(kwargs.get("max_value"))
        return f"{kwargs['column']} " + (f">= {lo}" if kwargs.get("max_value") is None else f"between {lo} and {hi}")
    if expectation == "ExpectColumnValuesToMatchRegex":
        return f"matches {kwargs['regex']}"
    if expectation == "ExpectColumnValuesToBeInSet":
        vs = kwargs["value_set"]
        return "in vocabulary" if len(vs) > 3 else f"in {vs}"
    if expectation == "ExpectColumnValuesToBeUnique":
        return "unique"
    return expectation
