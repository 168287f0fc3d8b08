"""Text that cannot pass for something else: invisible characters, look-alikes and mixed scripts.

Which character looks like which comes from Unicode's own tables (confusables.txt and the script of
each character, as shipped by confusable-homoglyphs), and which is invisible from the general
category (format characters, non-ASCII spaces, controls): no list is kept by hand here.

Used in two places: `failures.safe` escapes such characters in every failure message (so a bad value
never looks valid), and the structure check refuses them in IDs, enum values and URL hosts.
"""

from __future__ import annotations

import functools
import unicodedata

import idna
from confusable_homoglyphs import categories, confusables

# Scripts that mix with any other: digits, punctuation, combining marks.
NEUTRAL = {"COMMON", "INHERITED", "UNKNOWN"}


@functools.cache
def invisible(c: str) -> bool:
    """A character that shows as nothing, or as a blank that is not a space: format characters (zero-width
    space and joiners, bidirectional marks, the byte-order mark, soft hyphen), other spaces, controls,
    private-use, unassigned and surrogate code points."""
    if c.isascii():
        return not c.isprintable()
    return unicodedata.category(c) in {"Cf", "Cc", "Co", "Cn", "Cs", "Zs", "Zl", "Zp"}


@functools.cache
def script(c: str) -> str:
    try:
        return categories.alias(c)
    except (KeyError, IndexError, ValueError):
        return "UNKNOWN"


@functools.cache
def looks_ascii(c: str) -> bool:
    """A non-ASCII character that Unicode lists as confusable with an ASCII character, or whose compatibility
    form is ASCII (a fullwidth or mathematical letter)."""
    if c.isascii():
        return False
    folded = unicodedata.normalize("NFKC", c)
    if folded != c and folded.isascii() and folded.isprintable():
        return True
    found = confusables.is_confusable(c, greedy=True, preferred_aliases=[])
    return bool(found) and any(h["c"].isascii() for f in found for h in f["homoglyphs"])


def scripts(text: str) -> set[str]:
    """The scripts of the letters of a text (digits, punctuation and marks belong to none)."""
    return {s for s in map(script, text) if s not in NEUTRAL}


def mixed_script(text: str) -> bool:
    return len(scripts(text)) > 1


def suspect_positions(text: str) -> set[int]:
    """Indexes of characters to show escaped in a message: every invisible one; and the look-alikes of ASCII
    characters in a word that holds ASCII letters or digits too (a Cyrillic 'а' in 'Alеppo'), or in a word
    made only of such look-alikes (a Cyrillic 'СЕС' that reads as 'CEC'). A word wholly in another script
    (Arabic, Cyrillic) stays readable."""
    if text.isascii():
        return {i for i, c in enumerate(text) if not c.isprintable()}
    out = {i for i, c in enumerate(text) if invisible(c)}
    start = None
    for i, c in enumerate(text + " "):
        if i < len(text) and not c.isspace() and i not in out:
            if start is None:
                start = i
            continue
        if start is not None:
            word = range(start, i)
            alike = [j for j in word if looks_ascii(text[j])]
            if alike:
                has_ascii = any(text[j].isascii() and text[j].isalnum() for j in word)
                letters = [j for j in word if text[j].isalpha() or looks_ascii(text[j])]
                if has_ascii or mixed_script(text[start:i]) or len(alike) == len(letters):
                    out.update(alike)
            start = None
    return out


def problem(value: str) -> str | None:
    """Why an identifier or enum value could pass for another, or None: an invisible character, a mix of
    scripts, or a character that Unicode lists as a look-alike of an ASCII one."""
    if value.isascii():
        return None
    bad = next((c for c in value if invisible(c)), None)
    if bad is not None:
        return f"holds an invisible character U+{ord(bad):04X}"
    if mixed_script(value):
        return f"mixes scripts ({', '.join(sorted(scripts(value)))})"
    bad = next((c for c in value if looks_ascii(c)), None)
    if bad is not None:
        return f"holds U+{ord(bad):04X} {unicodedata.name(bad, '')}, a look-alike of an ASCII character"
    return None


@functools.lru_cache(maxsize=65536)
def host_problem(host: str) -> str | None:
    """Why a URL host is not one plain name, or None: it must be valid IDNA (UTS 46, punycode decoded) and
    each of its labels in one script, with no look-alike of ASCII in a non-ASCII label."""
    try:
        ascii_form = idna.encode(host, uts46=True, std3_rules=True).decode("ascii")
        unicode_form = idna.decode(ascii_form)
    except (idna.IDNAError, UnicodeError, ValueError) as e:
        return f"not a valid internationalised host name ({e})"
    if ascii_form.lower() != host.lower() and unicode_form != host.lower():
        return f"not in normal form (IDNA maps it to {ascii_form})"
    if mixed_script(unicode_form.replace(".", "")):
        return f"mixes scripts ({', '.join(sorted(scripts(unicode_form)))})"
    for label in unicode_form.split("."):
        if not label.isascii():
            why = problem(label)
            if why:
                return why
    return None
