"""What of the compilation is in scope: its prose before the lists and its three headed lists.

Out of scope (see README): the political list after the third list, the reader comments, and the
page chrome. Headings are found by their text, so the map follows the archive, not line numbers.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

LISTS = {
    "summaries": "Summaries of Russian war crimes",
    "large_scale": "Large-scale crimes",
    "tweets_videos": "Tweets and videos of grisly slaughter over last couple of days",
}
END_OF_LISTS = "And who Russia wanted to invite to Geneva"
PROSE_START_LINE = 5  # lines 1-3 are the title and byline


@dataclass
class Line:
    number: int  # from 1
    start: int  # code-point offset of the line in the text
    text: str
    section: str | None  # prose, a list name, heading, or None (out of scope)


@lru_cache(maxsize=4)
def lines(text: str) -> list[Line]:
    """The archive's lines with their sections (computed once per text; do not modify the list)."""
    out, pos, section, page = [], 0, "prose", 1
    split = text.split("\n")
    title = split[0].strip()
    for i, raw in enumerate(split, start=1):
        stripped = raw.strip()
        if i > 1 and title and stripped == title:
            # The page begins again (a text of several captures, as the bench makes): its own prose follows.
            section, page = "prose", i
            out.append(Line(i, pos, raw, None))
        elif stripped in LISTS.values():
            section = next(k for k, v in LISTS.items() if v == stripped)
            out.append(Line(i, pos, raw, "heading"))
        elif stripped.startswith(END_OF_LISTS):
            section = None
            out.append(Line(i, pos, raw, None))
        else:
            s = section if i - page + 1 >= PROSE_START_LINE else None
            out.append(Line(i, pos, raw, s if stripped else None))
        pos += len(raw) + 1
    return out


def list_items(text: str) -> list[Line]:
    """Every non-blank line of the three headed lists: each must be covered by a claim."""
    return [ln for ln in lines(text) if ln.section in LISTS]


@dataclass(frozen=True)
class _Index:
    text: str
    lines: list[Line]
    starts: list[int]


_last: list[_Index] = []


def _index(text: str) -> _Index:
    """The lines of text and their starts, kept for the last text asked about. Found by identity first: a cache
    keyed by the text compares two equal texts character by character on every call, which made each lookup cost
    the archive's length (quadratic over the claims of a long archive)."""
    if not _last or _last[0].text is not text:
        all_lines = lines(text)
        _last[:] = [_Index(text, all_lines, [ln.start for ln in all_lines])]
    return _last[0]


def line_at(text: str, offset: int) -> Line | None:
    """The line holding a code-point offset (its end counts as inside it), or None."""
    idx = _index(text)
    all_lines = idx.lines
    i = bisect.bisect_right(idx.starts, offset) - 1
    # An offset at a line's end is inside that line, even where the next line starts right after.
    if i > 0 and offset == all_lines[i - 1].start + len(all_lines[i - 1].text):
        i -= 1
    if i < 0:
        return None
    ln = all_lines[i]
    return ln if ln.start <= offset <= ln.start + len(ln.text) else None


def lines_of(text: str) -> list[Line]:
    """lines(text), through the same identity-first index as line_at (do not modify the list)."""
    return _index(text).lines


# Why a line of the archive produced no claim, by what the scope map above says of it. The source
# page marks each such line with its reason; nothing here is written per line.
EXCLUDED = {
    "title": "title and byline of the page",
    "heading": "list heading",
    "commentary": "opening commentary, no claim",
    "outside": "outside the extracted lists: political list, comments, page chrome",
    "uncovered": "list item with no active claim",
}


def exclusion(text: str, line: Line, covered: bool) -> str | None:
    """The EXCLUDED key of a non-blank line that holds no active claim (None for blank or claim-bearing lines)."""
    if not line.text.strip():
        return None
    if line.section == "heading":
        return "heading"
    if covered:
        return None
    if line.section == "prose":
        return "commentary"
    if line.section in LISTS:
        return "uncovered"
    first_heading = next((ln.number for ln in lines(text) if ln.section == "heading"), 0)
    return "title" if line.number < min(PROSE_START_LINE, first_heading or PROSE_START_LINE) else "outside"
