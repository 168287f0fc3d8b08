"""The one engine for the descriptor's patterns: RE2 (google-re2), whose matching time is linear in the text.

A pattern from the descriptor is data: with Python's backtracking `re`, one such as `^(a+)+$` makes a
long cell take hours. RE2 has no backreferences or lookaround, so a pattern that needs them is refused
(a fault of the descriptor), never run with a backtracking engine. Only the frozen descriptors of past
releases, checksummed and never edited, may still hold one: they are compiled with `re` (for their
syntax) and matched only against the contract check's short probes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import re2

_OPTIONS = re2.Options()
_OPTIONS.max_mem = 8 << 20  # a pattern whose automaton needs more is refused, not built
_OPTIONS.log_errors = False  # a refused pattern is reported as a failure, not logged by RE2 on stderr


class PatternError(ValueError):
    """A pattern that RE2 cannot run: a syntax error, lookaround or a backreference, or one too large."""


def fullmatch(pattern: str) -> Callable[[str], bool]:
    """A function text -> whether the whole text matches `pattern`, in time linear in the text."""
    try:
        rx = re2.compile(pattern, options=_OPTIONS)
    except (re2.error, TypeError, ValueError) as e:
        raise PatternError(str(e) or "not a pattern RE2 can run") from None
    return lambda text: rx.fullmatch(text) is not None


def check(pattern: str, linear: bool = True) -> str | None:
    """Why the pattern cannot be used, or None. With linear=False (a frozen release) only its syntax is asked."""
    if linear:
        try:
            fullmatch(pattern)
        except PatternError as e:
            return f"not a linear-time (RE2) pattern: {e}"
        return None
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as e:
        return f"does not compile: {e}"
    return None
