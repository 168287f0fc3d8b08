"""Validation checks. Each module returns a list of Failure; validate.py runs them all.

Every check module declares RULES = {"rule-name": "what it guards against"}: the rules it can emit,
one owner per rule (checks/registry.py gathers them). Failure and `safe` live in failures.py, below the
package reader, which reports descriptor faults with them too.
"""

from __future__ import annotations

from ..failures import EXCERPT, ID_EXCERPT, Failure, safe

__all__ = ["EXCERPT", "ID_EXCERPT", "Failure", "safe"]
