"""The rule registry: every rule of the gate, declared once by the module that owns it.

Each owner declares RULES = {"rule-name": "what it guards against"} (a name may hold {placeholders}, e.g.
"coded-by-rule-{rule}", for a family of rules), and NO_CASE for a rule no fault catalogue can make fire,
with why. This module gathers them in the order the checks run. Each rule's example failure, the first case
of the fault catalogues (tests/faults*.csv, tests/malformed/) that makes it fire, is kept beside it as
package data (examples.csv), so the report shows it without reading the test tree; tests/test_rules.py
recomputes the examples from the catalogues and fails when they differ.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from types import ModuleType

from .. import csvio, descriptor
from . import (
    agreement,
    coherence,
    contract,
    groups,
    meaning,
    mirrors,
    provenance,
    relations,
    structure,
    truth,
    windows,
    words,
)

# The modules that own the gate's rules, in the order they run.
MODULES: list[ModuleType] = [
    descriptor,
    structure,
    meaning,
    provenance,
    truth,
    mirrors,
    windows,
    words,
    groups,
    relations,
    agreement,
    contract,
    coherence,
]
EXAMPLES = Path(__file__).resolve().parent / "examples.csv"
EXAMPLE_FIELDS = ["rule", "fault", "failure"]


def rules() -> dict[str, tuple[str, str]]:
    """rule -> (owner, what it guards against). A rule declared by two owners is an error."""
    out: dict[str, tuple[str, str]] = {}
    for m in MODULES:
        owner = m.__name__.rsplit(".", 1)[-1]
        for rule, what in m.RULES.items():
            if rule in out:
                raise ValueError(f"rule {rule!r} is declared by both {out[rule][0]} and {owner}")
            out[rule] = (owner, what)
    return out


def no_case() -> dict[str, str]:
    """rule -> why no fault catalogue can make it fire."""
    return {rule: why for m in MODULES for rule, why in getattr(m, "NO_CASE", {}).items()}


def pattern(rule: str) -> re.Pattern:
    """A declared rule as a pattern: each {placeholder} stands for any text."""
    return re.compile("^" + re.sub(r"\\\{[A-Za-z_]+\\\}", ".+", re.escape(rule)) + "$")


def declared(raised: str) -> str | None:
    """The declared rule a raised rule name is an instance of (itself, or the family it belongs to)."""
    if raised in rules():
        return raised
    return next((r for r in rules() if "{" in r and pattern(r).match(raised)), None)


@cache
def examples() -> dict[str, tuple[str, str]]:
    """rule -> (fault, failure): the first catalogue case that makes the rule fire, as kept in examples.csv."""
    return {r["rule"]: (r["fault"], r["failure"]) for r in csvio.read(EXAMPLES)[1]}
