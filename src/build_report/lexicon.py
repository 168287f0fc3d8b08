"""The gate's word lists (lexicons.json) and whole-word matching."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

PATH = Path(__file__).parent / "lexicons.json"


@cache
def lexicons() -> dict:
    data = json.loads(PATH.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def contains_phrase(text: str, phrase: str) -> bool:
    """True when phrase occurs in text with a word boundary at both ends (numbers are whole tokens)."""
    return re.search(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])", text) is not None


def _pattern(word: str) -> str:
    return re.escape(word[:-1]) + r"[\w'’]*" if word.endswith("*") else re.escape(word)


def has_word(text: str, words: list[str]) -> bool:
    """True when text holds one of the words, whole and case-insensitive ('kill*' matches 'killing')."""
    return bool(words) and _any_word(tuple(words)).search(text) is not None


@cache
def _any_word(words: tuple[str, ...]) -> re.Pattern:
    """One pattern for a list of words, compiled once: it matches where any of the words would (the engine tries
    every alternative at every position), without a pattern built and looked up per word and per call."""
    return re.compile(r"(?<![\w])(?:" + "|".join(_pattern(w) for w in words) + r")(?![\w])", re.IGNORECASE)
