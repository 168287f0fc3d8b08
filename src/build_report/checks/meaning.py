"""Meaning: the Great Expectations suite in expectations.json, run on DataFrames that DuckDB produces.

GX runs through its pandas route in an ephemeral context: its SQL data source fails on DuckDB (see
DESIGN.md). Each unexpected value is reported against the row's ID.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import warnings
from pathlib import Path

from . import Failure
from .. import coding, derive, queries

SUITE = Path(__file__).resolve().parent.parent / "expectations.json"
# The earliest date any claim can refer to: the compilation's oldest reference point is
# "last September" (line 52), i.e. September 2015.
EARLIEST = "2015-09-01"
# Corroborating reports may date an event after the compilation (a later toll), but not after 2016.
LATEST_EVENT = "2016-12-31"


def parameters() -> dict:
    import pandas as pd
    import pycountry

    return {
        "$earliest": pd.Timestamp(EARLIEST),
        "$latest_event": pd.Timestamp(LATEST_EVENT),
        "$searched": pd.Timestamp(dt.date.today()),
        "$iso_3166_2_sy": sorted(s.code for s in pycountry.subdivisions.get(country_code="SY")),
        "$rules": sorted(coding.RULES),
        "$grades": coding.GRADES,
    }


def frames(con) -> dict:
    """Every frame the suite may name: the tables, the check_* queries, and derived_fields."""
    out = {}
    for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
        out[name] = con.execute(f'SELECT * FROM "{name}"').df()
    for path in sorted(queries.QUERY_DIR.glob("check_*.sql")):
        out[path.stem] = queries.run(con, path.stem)
    # Stored derived columns beside their recomputation, both as the text incidents.csv holds.
    want = derive.compute(con)
    stored = out["incidents"][["incident_id", *derive.DERIVED]].copy()
    for col in derive.DERIVED:
        stored[col] = [derive._text(v) for v in stored[col]]
    derived = stored.merge(want.rename(columns={c: f"{c}_recomputed" for c in derive.DERIVED}), on="incident_id", how="left")
    out["derived_fields"] = derived
    return out


def check(con) -> list[Failure]:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx

        suite = json.loads(SUITE.read_text(encoding="utf-8"))["expectations"]
        params = parameters()
        data = frames(con)
        ctx = gx.get_context(mode="ephemeral")
        from great_expectations.data_context.types.base import ProgressBarsConfig

        ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        source = ctx.data_sources.add_pandas("package")
        out = []
        # One suite per frame, validated in one call: far faster than one call per expectation.
        by_frame: dict[str, list[dict]] = {}
        for entry in suite:
            by_frame.setdefault(entry["frame"], []).append(entry)
        for frame, entries in by_frame.items():
            df = data[frame]
            key = df.columns[0]
            batch = source.add_dataframe_asset(frame).add_batch_definition_whole_dataframe(frame).get_batch(
                batch_parameters={"dataframe": df})
            gx_suite = gx.ExpectationSuite(name=frame)
            meta = []
            for i, entry in enumerate(entries):
                kwargs = {k: params.get(v, v) if isinstance(v, str) else v for k, v in entry["kwargs"].items()}
                # GX does not keep the suite's order in its results: tag each expectation to pair them back.
                gx_suite.add_expectation(getattr(gx.expectations, entry["expectation"])(**kwargs, meta={"entry": i}))
                meta.append((entry, kwargs))
            results = batch.validate(gx_suite, result_format={
                "result_format": "COMPLETE", "unexpected_index_column_names": [key]}).results
            for result in results:
                entry, kwargs = meta[result.expectation_config.meta["entry"]]
                if result.success:
                    continue
                rule = entry.get("rule") or _rule_name(entry["expectation"], kwargs)
                table = _table_of(key) if frame.startswith("check_") or frame == "derived_fields" else frame
                field = entry.get("field") or kwargs.get("column") or kwargs.get("column_A", "-")
                found = result.result.get("unexpected_index_list") or []
                if not found:
                    out.append(Failure(table, "-", field, rule, "expectation could not run", "meaning"))
                for item in found:
                    value = {k: v for k, v in item.items() if k != key}
                    shown = ", ".join(f"{k}={v}" for k, v in value.items())
                    out.append(Failure(table, str(item.get(key)), field, rule, shown, "meaning"))
        return out


def _table_of(key: str) -> str:
    return {"corroboration_id": "corroborations", "incident_id": "incidents", "tally_id": "tallies", "claim_id": "claims",
            "overlap_group": "overlap_groups", "place_id": "places"}.get(key, key)


def _rule_name(expectation: str, kwargs: dict) -> str:
    """A short readable rule, e.g. 'killed_max >= killed_min'."""
    if "column_A" in kwargs:
        op = "==" if "Equal" in expectation else (">=" if kwargs.get("or_equal") else ">")
        return f"{kwargs['column_A']} {op} {kwargs['column_B']}"
    if expectation == "ExpectColumnValuesToBeBetween":
        lo, hi = kwargs.get("min_value"), kwargs.get("max_value")
        return f"{kwargs['column']} " + (f">= {lo}" if hi is None else f"between {lo} and {hi}")
    if expectation == "ExpectColumnValuesToMatchRegex":
        return f"matches {kwargs['regex']}"
    if expectation == "ExpectColumnValuesToBeInSet":
        vs = kwargs["value_set"]
        return "in vocabulary" if len(vs) > 3 else f"in {vs}"
    if expectation == "ExpectColumnValuesToBeUnique":
        return "unique"
    return expectation
