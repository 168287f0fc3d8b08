"""Windows: a date window agrees with the words that say how it was read (model.WINDOWS).

A window's basis is the row's own account of its dates. Where the basis states something the dates can be held
to (a calendar date, a weekday, "the publication date", a named precision, or the very same reasoning as
another row's), the dates must agree with it: a window shifted by a day or a year then contradicts its row.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter, defaultdict

import duckdb

from .. import datewords, model
from ..package import _q, records
from . import Failure

CHECK = "coherence"

RULES = {
    "window-one-per-basis": "rows whose windows are read by the same words (the same basis) have the same window",
    "window-ends-at-publication": "a window whose basis says its upper bound is the publication date ends on the "
    "publication date of the document its claims quote",
    "window-fits-precision": "a window fits its named precision: a day is one day, a week at most seven, a month one "
    "calendar month, months whole calendar months, an open start has no start",
    "basis-dates-are-row-dates": "a calendar date (YYYY-MM-DD) written in a basis is one of the row's own dates",
    "basis-weekday-in-window": "a window of less than a week whose basis names weekdays starts and ends on one of them",
    "window-bounds-as-written": "a window whose words write a period (a day range, whole months, 'since' a day) "
    "starts on the first day of one and ends on the last day of one; words that write single days and name no "
    "weekday (those are held by basis-weekday-in-window) give the days it starts and ends on; the publication date "
    "may end it where the words say so, and the campaign's first day stands for the start of its month",
    "period-in-whole-months": "a tracker's period is whole calendar months (from the campaign's first day at the "
    "earliest), unless its basis says it is part of a month",
}

_ISO = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
_WEEKDAYS = [d.lower() for d in calendar.day_name]
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)


def check(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out: list[Failure] = []
    shared: dict[str, list[tuple[str, str, tuple, model.Window]]] = defaultdict(list)  # basis -> rows
    published = _published(con)
    for w in model.WINDOWS:
        key = model.TABLES[w.table].key
        dates = [f for t, f in model.date_fields() if t == w.table]
        prec = f"{_q(w.precision)}::VARCHAR" if w.precision else "NULL"
        for r in records(
            con,
            f"SELECT {_q(key)} AS id, {_date(w.start)} AS s, {_date(w.end)} AS e, {prec} AS p, {_q(w.basis)}::VARCHAR AS b, "
            f"{', '.join(_date(f) + ' AS ' + _q(f) for f in dates)} FROM {_q(w.table)} ORDER BY 1",
        ):
            basis = r["b"] or ""
            if w.precision and basis:
                shared[basis].append((w.table, r["id"], (r["s"], r["e"], r["p"]), w))
            out += _precision(w, r)
            out += _iso(w.table, r["id"], w.basis, basis, {r[f] for f in dates})
            out += _weekdays(w, r)
            if model.PUBLICATION_BOUND in basis and w.table in published:
                want = published[w.table].get(r["id"])
                # An end after the publication is the expectation suite's failure (published_date >= date_end), and
                # a publication after today is date-not-in-future's: each fault is reported once.
                if want is not None and r["e"] is not None and r["e"] < want <= dt.date.today():
                    out.append(
                        _fail(w.table, r["id"], w.end, "window-ends-at-publication", f"{r['e']}; published {want}")
                    )
    for t, f, b in model.DATE_BASES:
        key = model.TABLES[t].key
        dates = [x for tt, x in model.date_fields() if tt == t]
        for r in records(
            con,
            f"SELECT {_q(key)} AS id, {_q(b)}::VARCHAR AS b, {', '.join(_date(x) + ' AS ' + _q(x) for x in dates)} "
            f"FROM {_q(t)} ORDER BY 1",
        ):
            if r[f] is not None:
                out += _iso(t, r["id"], b, r["b"] or "", {r[x] for x in dates})
    out += _one_per_basis(shared)
    out += _whole_months(con)
    return out


def _whole_months(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    part = re.compile(r"\b(" + "|".join(model.PART_OF_A_MONTH) + r")\b", re.IGNORECASE)
    for t, start, end, basis in model.WHOLE_MONTHS:
        key = model.TABLES[t].key
        for rid, s, e, b in con.execute(
            f"SELECT {_q(key)}, {_date(start)}, {_date(end)}, {_q(basis)}::VARCHAR FROM {_q(t)} ORDER BY 1"
        ).fetchall():
            if s is None or e is None or part.search(b or ""):
                continue
            last = e.replace(day=calendar.monthrange(e.year, e.month)[1])
            if (s.day != 1 and s != model.CAMPAIGN_START) or e != last:
                out.append(_fail(t, rid, start if s.day != 1 else end, "period-in-whole-months", f"{s}..{e}"))
    return out


def _years(con: duckdb.DuckDBPyConnection) -> tuple[int, ...]:
    """The years a date written without its year is read in: from the campaign's to the latest document's."""
    row = con.execute("SELECT max(TRY_CAST(published_date AS DATE)) FROM documents").fetchone()
    last = row[0] if row else None
    return tuple(range(model.CAMPAIGN_START.year, max(last.year if last else 0, model.CAMPAIGN_START.year) + 1))


def as_written(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """window-bounds-as-written. It runs after every other check: where a narrower rule (the campaign's first day,
    the order of a pair, a whole-month period, the publication bound) fails the same cell, that rule names it."""
    out: list[Failure] = []
    published = _published(con)
    years = _years(con)
    for w in model.WINDOWS:
        key = model.TABLES[w.table].key
        pub = "TRY_CAST(published_date AS DATE)" if "published_date" in model.TABLES[w.table].fields else "NULL"
        words = "".join(f", {_q(f)}::VARCHAR AS {_q('words_' + f)}" for f in w.words)
        for r in records(
            con,
            f"SELECT {_q(key)} AS id, {_date(w.start)} AS s, {_date(w.end)} AS e, {_q(w.basis)}::VARCHAR AS b, "
            f"{pub} AS pub{words} FROM {_q(w.table)} ORDER BY 1",
        ):
            if r["s"] is not None and r["e"] is not None and r["s"] > r["e"]:
                continue  # an inverted pair is low-not-above-high's
            basis = r["b"] or ""
            text = " ".join([basis, *(r["words_" + f] or "" for f in w.words)])
            if model.PUBLICATION_BOUND in basis and w.table in published:
                # The compilation's publication bound is window-ends-at-publication's (and the expectation suite's).
                r = {**r, "e": None}
            out += _as_written(w, r, text, r["pub"] or published.get(w.table, {}).get(r["id"]), years)
    return out


def _as_written(
    w: model.Window, r: dict, text: str, published: dt.date | None, years: tuple[int, ...]
) -> list[Failure]:
    st = datewords.stated(text, years)
    starts, ends = set(st.starts), set(st.ends)
    if not starts and not ends and not _WEEKDAY.search(text):
        # No period written: single days say when it happened (a weekday would mark a day relative to another).
        starts, ends = set(st.days), set(st.days)
    if model.CAMPAIGN_START.replace(day=1) in starts:
        starts.add(model.CAMPAIGN_START)
    # A publication after today is date-not-in-future's failure, not the window's.
    if published is not None and published <= dt.date.today() and "publication" in text.lower():
        ends.add(published)
    out = []
    for bound, field, allowed in ((r["s"], w.start, starts), (r["e"], w.end, ends)):
        if bound is not None and bound >= model.CAMPAIGN_START and allowed and bound not in allowed:
            out.append(
                _fail(
                    w.table,
                    r["id"],
                    field,
                    "window-bounds-as-written",
                    f"{bound}; its words write {', '.join(sorted(map(str, allowed)))}",
                )
            )
    return out


def _date(field: str) -> str:
    """A date field as a date in SQL (NULL where a changed field type holds something else)."""
    return f"TRY_CAST({_q(field)} AS DATE)"


def _fail(table: str, rid: object, field: str, rule: str, value: object) -> Failure:
    return Failure(table, str(rid), field, rule, str(value), CHECK)


def _published(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, dt.date]]:
    """table -> row ID -> the publication date of the document its claims quote (the latest, if several)."""
    out: dict[str, dict[str, dt.date]] = {"incidents": {}, "tallies": {}}
    for t, f in (("incidents", "incident_id"), ("tallies", "tally_id")):
        for rid, d in con.execute(
            f"SELECT c.{f}, max(TRY_CAST(d.published_date AS DATE)) FROM claims c JOIN documents d USING (document_id) "
            f"WHERE c.{f} IS NOT NULL GROUP BY 1"
        ).fetchall():
            out[t][rid] = d
    return out


def _precision(w: model.Window, r: dict) -> list[Failure]:
    p, s, e = r["p"], r["s"], r["e"]
    if not w.precision or p is None:
        return []
    bad = False
    if p == "open_start":
        bad = s is not None
    elif s is not None and e is not None:
        last = e.replace(day=calendar.monthrange(e.year, e.month)[1])
        if p == "day":
            bad = s != e
        elif p == "week":
            bad = (e - s).days > 6
        elif p == "month":
            bad = s.day != 1 or e != last or (s.year, s.month) != (e.year, e.month)
        elif p == "months":
            bad = s.day != 1 or e != last or (s.year, s.month) == (e.year, e.month)
    if not bad:
        return []
    return [_fail(w.table, r["id"], w.start, "window-fits-precision", f"{p}: {s}..{e}")]


def _iso(table: str, rid: str, field: str, basis: str, dates: set) -> list[Failure]:
    own = {d.isoformat() for d in dates if d is not None}
    stray = [d for d in _ISO.findall(basis) if d not in own]
    if not stray:
        return []
    return [_fail(table, rid, field, "basis-dates-are-row-dates", f"{stray[0]} is not a date of the row")]


def _weekdays(w: model.Window, r: dict) -> list[Failure]:
    s, e = r["s"], r["e"]
    named = {_WEEKDAYS.index(m.lower()) for m in _WEEKDAY.findall(r["b"] or "")}
    if not named or s is None or e is None or (e - s).days >= 6 or e < s:
        return []
    # A basis that names weekdays for a window of days names its first and last day (a single day: that day).
    wrong = [(f, d) for f, d in ((w.start, s), (w.end, e)) if d.weekday() not in named]
    return [
        _fail(
            w.table,
            r["id"],
            f,
            "basis-weekday-in-window",
            f"{s}..{e}: {d} is a {calendar.day_name[d.weekday()]}, "
            f"not a {' or '.join(calendar.day_name[x] for x in sorted(named))}",
        )
        for f, d in wrong[:1]
    ]


def _one_per_basis(shared: dict[str, list]) -> list[Failure]:
    out = []
    for rows in shared.values():
        if len(rows) < 2:
            continue
        # The window most rows of the basis have (the first row's on a tie) is the one the words give.
        counts = Counter(win for _, _, win, _ in rows)
        top = max(counts.values())
        usual = next(win for _, _, win, _ in rows if counts[win] == top)
        for table, rid, win, w in rows:
            if win != usual:
                field = w.start if win[0] != usual[0] else w.end if win[1] != usual[1] else w.precision
                out.append(
                    _fail(
                        table,
                        rid,
                        field,
                        "window-one-per-basis",
                        f"{win[0]}..{win[1]} ({win[2]}); the same basis gives {usual[0]}..{usual[1]} ({usual[2]})",
                    )
                )
    return out
