"""The rule registry is complete: every rule the gate can raise is declared once, by one owner, and every
declared rule is made to fire by at least one case of the fault catalogues. The example failures the methods
page shows (checks/examples.csv, package data) are recomputed here from the catalogues.

Run `python tests/test_rules.py` to rewrite checks/examples.csv after changing a catalogue."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from build_report import csvio, validate
from build_report.checks import meaning, registry

CATALOGUES = sorted(HERE.glob("faults*.csv")) + sorted((HERE / "malformed").glob("*.csv"))
RULE_SHAPE = r"^[a-z0-9]+(-[a-z0-9_{}]+)+$"


def catalogue_rules() -> list[tuple[str, str, str]]:
    """(raised rule, fault, failure as table:row:field) for every expected failure of every case, in order."""
    out = []
    for path in CATALOGUES:
        for case in csvio.read(path)[1]:
            for item in (case.get("expect") or "").split(" ; "):
                parts = [p.strip() for p in item.split("|")]
                if len(parts) == 4:
                    out.append((parts[3], case["fault"], ":".join(parts[:3])))
    return out


def computed_examples() -> list[dict]:
    first: dict[str, dict] = {}
    for raised, fault, failure in catalogue_rules():
        rule = registry.declared(raised)
        if rule is not None:
            first.setdefault(rule, {"rule": rule, "fault": fault, "failure": failure})
    return [first[r] for r in registry.rules() if r in first]


def literal_rules() -> set[str]:
    """Rule-shaped string literals passed to a call in the gate's modules (the names a check raises)."""
    out = set()
    for m in [*registry.MODULES, validate]:
        tree = ast.parse(Path(m.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and re.match(RULE_SHAPE, arg.value):
                        out.add(arg.value)
    return out


def test_no_rule_declared_twice():
    names = [r for m in registry.MODULES for r in m.RULES]
    assert len(names) == len(set(names))
    assert registry.rules()  # raises when two owners declare one rule


def test_every_rule_a_catalogue_expects_is_declared():
    assert [r for r, _, _ in catalogue_rules() if registry.declared(r) is None] == []


def test_every_rule_of_the_expectation_suite_is_declared():
    names = [e.get("rule") or meaning.rule_name(e["expectation"], e["kwargs"]) for e in meaning.suite()]
    assert [n for n in names if registry.declared(n) is None] == []


def test_every_rule_named_in_the_checks_code_is_declared():
    assert sorted(r for r in literal_rules() if registry.declared(r) is None) == []


def test_every_declared_rule_has_a_catalogue_case():
    examples = {e["rule"] for e in computed_examples()}
    missing = [r for r in registry.rules() if r not in examples and r not in registry.no_case()]
    assert missing == []


def test_rules_without_a_case_are_declared_and_really_have_none():
    examples = {e["rule"] for e in computed_examples()}
    assert set(registry.no_case()) <= set(registry.rules())
    assert set(registry.no_case()) & examples == set()
    assert all(len(why) > 40 for why in registry.no_case().values())


def test_examples_in_package_data_are_the_catalogues_first_cases():
    kept = csvio.read(registry.EXAMPLES)[1]
    assert kept == computed_examples(), "run `python tests/test_rules.py` to rewrite checks/examples.csv"


def test_the_registry_test_can_fail():
    """A rule raised but not declared, and a declared family, are told apart."""
    assert registry.declared("no-such-rule-anywhere") is None
    assert registry.declared("coded-by-rule-exact") == "coded-by-rule-{rule}"


if __name__ == "__main__":
    rows = computed_examples()
    csvio.write(registry.EXAMPLES, registry.EXAMPLE_FIELDS, [[r[k] for k in registry.EXAMPLE_FIELDS] for r in rows])
    print(f"wrote {len(rows)} examples to {registry.EXAMPLES}")
