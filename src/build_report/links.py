"""Where a value links to on the report's pages: row IDs, anchors, row pages and URLs, in one place.

Only an http(s) URL of the data's own pattern becomes a link; a row ID links to its register entry,
or, for incidents and tallies, may name its own page.
"""

from __future__ import annotations

import re

from .model import TABLES
from .package import missing

URL = re.compile(r'^https?://[^\s<>"]+$')  # the data's own URL pattern (datapackage.json)
# A row ID of any table of the model (its prefix and digits); the longest prefix first, so that SRCH is not SRC.
TABLE_OF_PREFIX = {t.prefix: name for name, t in TABLES.items()}
ROW_ID = re.compile(r"^(" + "|".join(sorted(TABLE_OF_PREFIX, key=len, reverse=True)) + r")-\d+$")

# The register's sections, in page order: table -> heading. book.register_page builds one section per table here
# (and fails on a table it has no builder for); tests/test_model_coverage.py checks that every table of the model
# is either here or in NOT_IN_REGISTER, so a new table cannot be left out silently.
REGISTER_SECTIONS = {
    "incidents": "Incidents",
    "tallies": "Tallies",
    "claims": "Claims",
    "corroborations": "Corroborating reports",
    "crosswalk": "Crosswalk to other datasets",
    "context_totals": "Context totals from systematic trackers",
    "places": "Places",
}
NOT_IN_REGISTER = {
    "governorates": "the standard's divisions, listed under the map on the Where page with their sources",
    "documents": "the archived document, described on the sources page",
    "sources": "outlets, named in the entries of the claims and reports that cite them",
    "overlap_groups": "shown as each member's overlap partners",
    "search_log": "counted on the methods and corroboration pages; the CSV file holds every search",
    "reviews": "shown as the second-pass review of each reviewed row",
    "coding_decisions": "listed with their reasons and reviews in the appendix on the rules of the gate",
}
ROW_PAGES = ("incidents", "tallies")  # tables whose rows have a page of their own, in a folder named for the table
REGISTER = "register.html"


def table_of_row(row_id: str) -> str | None:
    """The table a row ID belongs to (by its prefix), or None for a string that is not a row ID."""
    m = ROW_ID.match(row_id or "")
    return TABLE_OF_PREFIX[m.group(1)] if m else None


def anchor(row_id: str) -> str:
    """A row's anchor: its ID in lower case (upper case is redirected on the page)."""
    return row_id.lower()


def page_of(row_id: str, up: str = "") -> str | None:
    """The page of an incident or tally, relative to generated/ (or to a row page with up='../'), else None."""
    table = table_of_row(row_id)
    if table not in ROW_PAGES:
        return None
    return f"{up}{table}/{row_id}.html"


def row_url(row_id: str, up: str = "") -> str:
    """Where a click on a row goes: its own page if it has one, else its register entry."""
    return page_of(row_id, up) or f"{up}{REGISTER}#{anchor(row_id)}"


def value(v, up: str = ""):
    """A cell for the templates: a link for a row ID or an http(s) URL, else plain text ('' for missing).
    `up` is the way back to generated/ from a page in a subfolder."""
    if missing(v):
        return ""
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v)
    if URL.match(s):
        return {"text": s, "href": s}
    if table_of_row(s) in REGISTER_SECTIONS:
        return {"text": s, "href": f"{up}{REGISTER}#{anchor(s)}", "cls": "row-link"}
    return s


_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(text: str) -> str:
    """Data text for a Markdown heading, inert: on one line, and every ASCII punctuation mark backslash-escaped
    (CommonMark), so that no role, directive, link, HTML or substitution can be formed from it."""
    return _PUNCT.sub(r"\\\1", " ".join(str(text).split()))


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def day_span(start, end) -> str:
    """A date window in words: "14–16 January 2016", "1 January – 4 February 2016", or one day."""
    if missing(start) and missing(end):
        return "date not stated"
    a, b = (start if not missing(start) else end), (end if not missing(end) else start)

    def parts(d):
        return d.day, MONTHS[d.month - 1], d.year

    (d1, m1, y1), (d2, m2, y2) = parts(a), parts(b)
    if (d1, m1, y1) == (d2, m2, y2):
        return f"{d1} {m1} {y1}"
    if (m1, y1) == (m2, y2):
        return f"{d1}–{d2} {m1} {y1}"
    if y1 == y2:
        return f"{d1} {m1} – {d2} {m2} {y1}"
    return f"{d1} {m1} {y1} – {d2} {m2} {y2}"
