"""The coding rules: count phrases to min/max ranges, and source counts to a grading.

These functions are the single definition of each rule. Validation recomputes every coded value
with them, and `python -m build_report derive` uses them to fill the derived columns.
"""

from __future__ import annotations

import re

# phrase rule -> how the number in the phrase becomes (min, max); None means open or unknown.
RULES = {
    "exact": "the number, as both min and max",
    "at_least": '"at least N": min N, no max',
    "more_than": '"more than N" or "over N": min N+1, no max',
    "n_plus": '"N+": min N, no max',
    "dozens": '"dozens": min 12, no max',
    "hundreds": '"hundreds": min 100, no max',
    "thousands": '"thousands" or "1000s": min 1000, no max',
    "stated_unnumbered": "harm stated without a number: min and max empty",
    "single_person": "one person described individually: min 1, no max",
    "from_subgroup": "only a subgroup is counted (e.g. children): total min is the subgroup number, no max",
}

WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}
_NUMBER = re.compile(r"\d{1,3}(?:[ ,]\d{3})+(?!\d)|\d+")


def number_in(phrase: str) -> int | None:
    """The first number written in a phrase, in digits (1,815 / 150 000 / 30) or as a word (Eight)."""
    m = _NUMBER.search(phrase)
    if m:
        return int(re.sub(r"[ ,]", "", m.group(0)))
    for word in re.findall(r"[A-Za-z]+", phrase):
        if word.lower() in WORDS:
            return WORDS[word.lower()]
    return None


def code_count(phrase: str, rule: str) -> tuple[int | None, int | None]:
    """Apply a coding rule to a phrase and return (min, max). Raises ValueError when they do not fit."""
    if rule not in RULES:
        raise ValueError(f"unknown coding rule {rule!r}")
    fixed = {"dozens": 12, "hundreds": 100, "thousands": 1000}
    if rule in fixed:
        return fixed[rule], None
    if rule == "stated_unnumbered":
        return None, None
    if rule == "single_person":
        return 1, None
    n = number_in(phrase)
    if n is None:
        raise ValueError(f"rule {rule!r} needs a number, and phrase {phrase!r} has none")
    if rule == "exact":
        return n, n
    if rule == "more_than":
        return n + 1, None
    return n, None  # at_least, n_plus, from_subgroup


GRADES = ["single_source", "weak", "fair", "confirmed", "contested", "discounted"]


def grade(n_sources: int, conflicting: int = 0) -> str:
    """Airwars-style grading from the number of independent sources and of conflicting reports.

    confirmed (an acknowledgement by the alleged perpetrator) and discounted (a claim shown false)
    cannot follow from counting sources, so this rule never assigns them; weak is kept for Airwars
    compatibility and not assigned either.
    """
    if conflicting:
        return "contested"
    return "fair" if n_sources >= 2 else "single_source"
