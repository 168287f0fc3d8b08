"""Where a value links to on the report's pages: row IDs, anchors, row pages and URLs, in one place.

Only an http(s) URL of the data's own pattern becomes a link; a row ID links to its register entry,
or, for incidents and tallies, may name its own page.
"""

from __future__ import annotations

import re

from .package import missing

URL = re.compile(r'^https?://[^\s<>"]+$')  # the data's own URL pattern (datapackage.json)
ROW_ID = re.compile(r"^(CLM|INC|TAL|PLC|COR|SRC|SRCH|XW|CTX)-\d+$")
LINKED_ROWS = ("CLM", "INC", "TAL", "PLC", "COR", "XW", "CTX")  # the register has an entry for these
FOLDERS = {"INC": "incidents", "TAL": "tallies"}  # rows with a page of their own
REGISTER = "register.html"


def anchor(row_id: str) -> str:
    """A row's anchor: its ID in lower case (upper case is redirected on the page)."""
    return row_id.lower()


def page_of(row_id: str, up: str = "") -> str | None:
    """The page of an incident or tally, relative to generated/ (or to a row page with up='../'), else None."""
    if not ROW_ID.match(row_id or "") or row_id[:3] not in FOLDERS:
        return None
    return f"{up}{FOLDERS[row_id[:3]]}/{row_id}.html"


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
    if ROW_ID.match(s) and s.startswith(LINKED_ROWS):
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
