"""The reference implementations: Frictionless for the Table Schema, Great Expectations for expectations.json.

The gate evaluates both specifications itself (checks/structure.py streams the files once;
checks/meaning.py runs the suite in DuckDB), because that is fast enough for a million rows and a
warm `make validate` in about a second. These tests keep the standard tools as the judges: on the
clean package, and on one package holding every row-level fault of the catalogues at once, they
must find the same failures as the gate.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import warnings
from pathlib import Path

import duckdb
import pytest
from conftest import copy_package
from test_validate_faults import FAULTS, apply

from build_report import queries
from build_report.checks import meaning, structure
from build_report.package import Package

ROW_OPS = {"set", "set_many"}  # edits that leave every file readable
# More schema faults, beside the catalogue's: required, minimum, types, a duplicate key and its references.
EXTRA = [
    ("places", "PLC-0007", "standard_name", ""),
    ("claims", "CLM-0011", "line", "0"),
    ("search_log", "SRCH-0003", "searched_on", "2016-02-30"),
    ("places", "PLC-0008", "longitude", "east"),
    ("crosswalk", "XW-0002", "civilians_min", "-1"),
    ("claims", "CLM-0012", "claim_id", "CLM-0011"),
    ("sources", "SRC-010", "independence_group", "SRC-9999"),
    ("corroborations", "COR-0030", "confidence", "certain"),
]


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    clean = copy_package(tmp_path_factory.mktemp("clean"))
    faulty = tmp_path_factory.mktemp("faulty")
    shutil.copytree(clean, faulty, dirs_exist_ok=True)
    applied = 0
    # Faults that rewrite a row's ID or write a line break are left out: the faults after them would no longer find
    # the row, or its line would no longer be its row number, and the comparison below matches the two reports row
    # by row (the catalogue tests each of them on its own).
    keys = {r["name"]: r["schema"]["primaryKey"] for r in Package.load(clean).table_resources()}
    for fault in FAULTS:
        multiline = any(c in fault["value"] for c in "\r\n")  # Frictionless counts rows, the gate lines
        if fault["op"] in ROW_OPS and fault["field"] not in keys.get(fault["table"], ()) and not multiline:
            apply(faulty, fault)
            applied += 1
    assert applied >= 40
    for table, row, field, value in EXTRA:
        apply(faulty, {"op": "set", "table": table, "row": row, "field": field, "value": value})
    return {"clean": clean, "faulty": faulty}


def _gate(pkg_dir: Path):
    pkg = Package.load(pkg_dir)
    con = duckdb.connect()
    result = structure.check(pkg, con)
    assert result.intact == {r["name"] for r in pkg.table_resources()}
    structure.load_typed(pkg, con, result.intact)
    return pkg, con, result


# ---- Frictionless ------------------------------------------------------------------------------

FRICTIONLESS_RULES = {
    "type-error": "type-error",
    "primary-key": "primary-key",
    "unique-error": "constraint-unique",
    "foreign-key": "foreign-key",
}


def frictionless_failures(pkg: Package) -> set[tuple]:
    """(table, line, field, rule) for every Frictionless error, one per cell (type before constraints before keys)."""
    from frictionless import Package as FPackage

    report = FPackage(str(pkg.root / "datapackage.json")).validate(limit_errors=1_000_000)
    out, seen = [], set()
    for task in report.tasks:
        for err in task.errors:
            e = err.to_dict()
            rule = FRICTIONLESS_RULES.get(e["type"])
            if e["type"] == "constraint-error":
                rule = "constraint-" + re.search(r'constraint "(\w+)"', e["note"]).group(1)
            assert rule, f"Frictionless error the gate has no rule for: {e}"
            field = e.get("fieldName")
            if e["type"] == "foreign-key":
                field = re.findall(r'"([a-z_]+)"', e["note"])[0]
            if e["type"] == "primary-key":
                field = pkg.primary_key(task.name)
            if rule == "constraint-unique" and field == pkg.primary_key(task.name):
                rule = "primary-key"  # the gate reports a duplicate key once, as the key's
            # Frictionless counts the header as row 1; with no blank or multi-line rows, row = line.
            out.append((task.name, e["rowNumber"], field, rule))
    order = {"type-error": 0, "foreign-key": 2, "primary-key": 2, "constraint-unique": 2}
    result = set()
    for item in sorted(out, key=lambda x: order.get(x[3], 1)):
        if item[:3] not in seen:
            seen.add(item[:3])
            result.add(item)
    return result


def gate_schema_failures(pkg: Package, result) -> set[tuple]:
    """The gate's structural failures in the same terms. A hygiene rule fired on a field with a
    pattern is what Frictionless sees as a pattern error; elsewhere Frictionless has no such rule."""
    out = set()
    for f in result.failures:
        if f.rule in structure.RULES and f.rule.startswith(("type-", "constraint-", "primary-", "foreign-")):
            out.add((f.table, f.lineno, f.field, f.rule))
        elif f.rule in (
            "no-script",
            "no-html",
            "no-control-characters",
            "no-formula-lead",
            "no-leading-or-trailing-blank",
        ):
            field = next(x for x in pkg.fields(f.table) if x["name"] == f.field)
            pattern = field.get("constraints", {}).get("pattern")
            if pattern and not re.match(f"^{pattern}$", f.value):  # the short values used here are whole
                out.add((f.table, f.lineno, f.field, "constraint-pattern"))
        else:
            raise AssertionError(f"unexpected structural failure in a row-level fault package: {f}")
    return out


@pytest.mark.parametrize("which", ["clean", "faulty"])
def test_structure_agrees_with_frictionless(packages, which):
    pkg, _, result = _gate(packages[which])
    ours, theirs = gate_schema_failures(pkg, result), frictionless_failures(pkg)
    if which == "faulty":
        assert len(ours) >= 20
    assert ours == theirs, f"\nonly the gate: {sorted(ours - theirs)}\nonly Frictionless: {sorted(theirs - ours)}"


# ---- Great Expectations ------------------------------------------------------------------------


def gx_failures(con) -> set[tuple]:
    """Run expectations.json through Great Expectations (pandas data source, ephemeral context)."""
    import pandas as pd

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        entries = meaning.suite()
        params = {k: pd.Timestamp(v) if isinstance(v, dt.date) else v for k, v in meaning.parameters().items()}
        errors = meaning.prepare(con, {e["frame"] for e in entries})
        assert not errors, errors
        ctx = gx.get_context(mode="ephemeral")
        ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        source = ctx.data_sources.add_pandas("package")
        by_frame: dict[str, list[dict]] = {}
        for entry in entries:
            by_frame.setdefault(entry["frame"], []).append(entry)
        out = set()
        for frame, frame_entries in by_frame.items():
            df = queries.frame(con, f'SELECT * FROM "{frame}"')
            key = df.columns[0]
            batch = (
                source.add_dataframe_asset(frame)
                .add_batch_definition_whole_dataframe(frame)
                .get_batch(batch_parameters={"dataframe": df})
            )
            suite = gx.ExpectationSuite(name=frame)
            for i, entry in enumerate(frame_entries):
                kwargs = meaning.bind(entry, params)
                suite.add_expectation(getattr(gx.expectations, entry["expectation"])(**kwargs, meta={"entry": i}))
            results = batch.validate(
                suite, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [key]}
            ).results
            for res in results:
                entry = frame_entries[res.expectation_config.meta["entry"]]
                kwargs = meaning.bind(entry, params)
                rule = entry.get("rule") or meaning.rule_name(
                    entry["expectation"], meaning.bind(entry, meaning.parameters())
                )
                field = entry.get("field") or kwargs.get("column") or kwargs.get("column_A", "-")
                table = meaning.table_of(key) if frame.startswith("check_") or frame == "derived_fields" else frame
                assert res.success or res.result.get("unexpected_index_list"), (frame, rule, res.result)
                for item in res.result.get("unexpected_index_list") or []:
                    out.add((table, str(item[key]), field, rule))
        return out


def test_meaning_agrees_with_great_expectations(packages):
    for which in ("clean", "faulty"):
        _, con, _ = _gate(packages[which])
        ours = {f.key() for f in meaning.check(con)}
        assert not any(k[3] == "checks-can-run" for k in ours)
        theirs = gx_failures(con)
        assert ours == theirs, f"{which}\nonly the gate: {sorted(ours - theirs)}\nonly GX: {sorted(theirs - ours)}"
        if which == "faulty":
            assert len(ours) >= 15
