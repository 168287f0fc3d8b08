"""Dates written in words: what a row's own text says of its dates ("1-27 Jan 2016", "January 2016", "26 January").

The gate holds coded dates to the words that explain them. This module only reads the words: a full date, a day
range, a month named with its year, and a date written without its year (read in every year the caller gives).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {
    m.lower(): i for i, m in enumerate(calendar.month_abbr) if m
}
_M = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_D = r"(?<![\d/-])(\d{1,2})(?:st|nd|rd|th)?"
_Y = r"(\d{4})(?!\d)"
_TO = r"\s*(?:-|–|to|until|and)\s*"
# A year may follow a date in brackets: "26 January (2016)".
_OPT_Y = rf"(?:,?[ -]\(?{_Y}\)?)?"

# 21-27 Jan 2016; 1 to 15 December 2015
_RANGE_ONE_MONTH = re.compile(rf"{_D}{_TO}(\d{{1,2}})(?:st|nd|rd|th)? {_M}{_OPT_Y}", re.IGNORECASE)
# 30 Sep-31 Dec 2015; 30 September 2015 to 31 December 2015
_RANGE_TWO_MONTHS = re.compile(rf"{_D} {_M}{_OPT_Y}{_TO}(\d{{1,2}})(?:st|nd|rd|th)? {_M}{_OPT_Y}", re.IGNORECASE)
# 21 Feb 2016; 26 January (2016); 2 Feb
_DAY_MONTH = re.compile(rf"{_D} {_M}{_OPT_Y}", re.IGNORECASE)
# February 21, 2016; February 1st, 2016; january 20; february-21-2016 (a URL's slug)
_MONTH_DAY = re.compile(rf"\b{_M}[ -](\d{{1,2}})(?:st|nd|rd|th)?(?!\d){_OPT_Y}", re.IGNORECASE)
# January 2016 (a whole month: no day before or after it)
_MONTH_YEAR = re.compile(rf"(?<!\d )\b{_M},? {_Y}", re.IGNORECASE)
# since 26 January (2016); from 30 September: the start of an open period
_SINCE = re.compile(rf"\b(?:since|from) {_D} {_M}{_OPT_Y}", re.IGNORECASE)
# Oct-Nov 2015 (whole months)
_MONTH_RANGE = re.compile(rf"\b{_M}{_TO}{_M},? {_Y}", re.IGNORECASE)
# 2016-02-01; 2016/02/02
_NUMERIC = re.compile(r"(?<!\d)(\d{4})[-/](\d{2})[-/](\d{2})(?!\d)")


@dataclass
class Stated:
    """What a text states of a window. A period (a day range, whole months) gives the days the window may start and
    end on; single days are kept apart, since a single day may be the report's date rather than the event's."""

    starts: set[dt.date] = field(default_factory=set)  # first days of the periods written
    ends: set[dt.date] = field(default_factory=set)  # last days of the periods written
    days: set[dt.date] = field(default_factory=set)  # single days, a day written without its year in every year given
    full: set[dt.date] = field(default_factory=set)  # single days written in full (day, month and year)


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _years(y: str | None, years: tuple[int, ...]) -> tuple[int, ...]:
    return (int(y),) if y else years


def _add(into: set[dt.date], ys: tuple[int, ...], m: int, d: int) -> None:
    into.update(x for x in (_date(y, m, d) for y in ys) if x is not None)


def written_dates(text: str) -> set[dt.date]:
    """The full dates (day, month and year) a text writes, in words or as numbers."""
    return stated(text, ()).full


def stated(text: str, years: tuple[int, ...]) -> Stated:
    """The window bounds a text writes. A date written without its year is read in each of `years`."""
    kept = _stated(text, tuple(years))
    return Stated(set(kept.starts), set(kept.ends), set(kept.days), set(kept.full))  # the caller's own copy


@lru_cache(maxsize=65536)
def _stated(text: str, years: tuple[int, ...]) -> Stated:
    """stated(), read once per text and years: many rows share a basis ("date of the report"), and the words are
    read by several checks."""
    out = Stated()
    spans: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return not any(a <= m.start() < b or a < m.end() <= b for a, b in spans)

    for m in _MONTH_RANGE.finditer(text):
        m1, m2, y = _MONTHS[m[1].lower()], _MONTHS[m[2].lower()], int(m[3])
        out.starts.add(dt.date(y if m1 <= m2 else y - 1, m1, 1))
        out.ends.add(dt.date(y, m2, calendar.monthrange(y, m2)[1]))
        spans.append(m.span())
    for m in _RANGE_TWO_MONTHS.finditer(text):
        if not free(m):
            continue
        d1, m1, y1, d2, m2, y2 = m.groups()
        ys2 = _years(y2, years)
        ys1 = _years(y1, ys2)
        _add(out.starts, ys1, _MONTHS[m1.lower()], int(d1))
        _add(out.ends, ys2, _MONTHS[m2.lower()], int(d2))
        spans.append(m.span())
    for m in _RANGE_ONE_MONTH.finditer(text):
        if not free(m):
            continue
        d1, d2, mo, y = m.groups()
        ys = _years(y, years)
        _add(out.starts, ys, _MONTHS[mo.lower()], int(d1))
        _add(out.ends, ys, _MONTHS[mo.lower()], int(d2))
        spans.append(m.span())
    for m in _SINCE.finditer(text):
        if not free(m):
            continue
        d, mo, y = m.groups()
        _add(out.starts, _years(y, years), _MONTHS[mo.lower()], int(d))
        if y:
            _add(out.full, (int(y),), _MONTHS[mo.lower()], int(d))
        spans.append(m.span())
    for pattern, order in ((_DAY_MONTH, "dmy"), (_MONTH_DAY, "mdy")):
        for m in pattern.finditer(text):
            if not free(m):
                continue
            a, b, y = m.groups()
            d, mo = (a, b) if order == "dmy" else (b, a)
            _add(out.days, _years(y, years), _MONTHS[mo.lower()], int(d))
            if y:
                _add(out.full, (int(y),), _MONTHS[mo.lower()], int(d))
            spans.append(m.span())
    for m in _NUMERIC.finditer(text):
        if not free(m):
            continue
        x = _date(int(m[1]), int(m[2]), int(m[3]))
        if x is not None:
            out.days.add(x)
            out.full.add(x)
        spans.append(m.span())
    for m in _MONTH_YEAR.finditer(text):
        if not free(m):
            continue
        mo, y = _MONTHS[m[1].lower()], int(m[2])
        out.starts.add(dt.date(y, mo, 1))
        out.ends.add(dt.date(y, mo, calendar.monthrange(y, mo)[1]))
    return out
