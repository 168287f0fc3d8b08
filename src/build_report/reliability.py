"""Krippendorff's alpha for nominal data: the reliability of coding, corrected for the agreement chance gives.

alpha = 1 - D_o / D_e, from the coincidence matrix of the values paired within each unit (Krippendorff, Content
Analysis, ch. 12): D_o is the share of pairable values that are paired with a different value in their own unit,
D_e the share expected if values were paired at random across all units. Units coded by fewer than two coders
are not pairable and count for nothing. The query coding_reliability.sql computes the two-coder case in SQL; the
tests check the two against each other and against worked examples.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def alpha_nominal(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Alpha for nominal values. Each unit is the values its coders gave it (None where a coder gave none).
    Returns None when alpha is not defined: fewer than two pairable values, or only one value in all the data
    (no variation, so no disagreement can be told from chance)."""
    coincidences: Counter = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidences[(a, b)] += 1 / (m - 1)
    n_c: Counter = Counter()
    for (a, _b), o in coincidences.items():
        n_c[a] += o
    n = sum(n_c.values())
    if n < 2:
        return None
    observed = sum(o for (a, b), o in coincidences.items() if a != b)
    expected = (n * n - sum(x * x for x in n_c.values())) / (n - 1)
    if expected == 0:
        return None
    return 1 - observed / expected
