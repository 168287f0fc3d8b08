"""The rule-based coder: reads a claim's words and proposes its coded values.

Its only inputs are the archived text, the span of one claim (the unit of analysis), the scope rules
(which lines surround a claim: its list item, the text introducing it, the compilation's title) and its
word lists (coder_lexicons.json). It never reads the data tables: the gate's agreement check compares
its proposals with the hand coding, and every difference must be explained by a recorded decision.

What it reads, nearest first:
- perpetrators, targets, weapons and counts: the quote; for perpetrators of the author's own prose only,
  the compilation's title when the quote names no party (list items are other outlets' words, so their
  list heading, which is the compiler's framing, is not read as the item's attribution);
- outlets: the quote, then the rest of its line (the list item), then a cue on the line before that
  introduces what follows ("wrote on his Facebook page");
- places and governorates: the quote.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from . import coding, scope

PATH = Path(__file__).parent / "coder_lexicons.json"


@cache
def lexicons() -> dict:
    data = json.loads(PATH.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


@dataclass(frozen=True)
class Count:
    category: str  # killed, children, women, injured, displaced, strikes, attacks, out_of_school
    rule: str  # a rule of coding.RULES
    min: int | None
    max: int | None
    phrase: str  # the words of the count, as written
    start: int  # offsets of the phrase in the quote
    end: int
    described_as: str | None = None  # who or what is counted: civilians, people, worshippers, schools, ...

    @property
    def measure(self) -> str | None:
        """The tally measure this count is, from the measures lexicon (first that fits), or None."""
        for name, (category, described) in lexicons()["measures"].items():
            if category == self.category and described in ("*", self.described_as):
                return name
        return None


@dataclass(frozen=True)
class Outlet:
    name: str
    basis: str  # named_in_quote, named_in_item, named_in_preceding_text


@dataclass
class Proposal:
    parties: list[str] = field(default_factory=list)  # keys of the parties lexicon, in lexicon order
    party_basis: str = ""  # quote, compilation title, or "" when none is named
    targets: list[str] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # place mentions, plain (no # or _)
    governorates: list[str] = field(default_factory=list)  # ISO 3166-2:SY codes named
    outlet: Outlet | None = None


# --- matching -------------------------------------------------------------------------------------

WORD = r"[\w’']"


def _entry(word: str) -> re.Pattern:
    """A lexicon entry as a pattern: whole words, '*' for any ending, case-sensitive when it has a capital."""
    body = re.escape(word[:-1]) + WORD + "*" if word.endswith("*") else re.escape(word)
    body = body.replace(r"\ ", r"\s+")
    flags = 0 if any(c.isupper() for c in word) else re.IGNORECASE
    return re.compile(rf"(?<!{WORD}){body}(?!{WORD})", flags)


@cache
def _compiled(words: tuple[str, ...]) -> list[re.Pattern]:
    return [_entry(w) for w in words]


def find(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Every (start, end) where an entry of words occurs in text, in order."""
    hits = {(m.start(), m.end()) for p in _compiled(tuple(words)) for m in p.finditer(text)}
    return sorted(hits)


def named(text: str, vocabulary: dict[str, list[str]]) -> list[str]:
    """The keys of a lexicon whose words occur in text, in lexicon order."""
    # Only whether any entry occurs matters here: stop at the first (find lists them all, which costs more).
    return [key for key, words in vocabulary.items() if any(p.search(text) for p in _compiled(tuple(words)))]


# --- the unit and its surroundings ----------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    quote: str
    section: str | None  # prose, a list name, or None (out of scope)
    line_before: str  # the quote's line before the quote
    line_after: str  # the quote's line after the quote
    previous_line: str  # the non-blank line before the quote's line, in the same section
    title: str


def unit(text: str, start: int, end: int) -> Unit:
    ln = scope.line_at(text, start)
    if ln is None:
        raise ValueError(f"offset {start} is not in the text")
    lines = scope.lines_of(text)
    # Walk back from the quote's line (never a slice of every line before it: that is quadratic over a long archive).
    before = next(
        (
            x.text
            for x in (lines[i] for i in range(ln.number - 2, -1, -1))
            if x.text.strip() and x.section == ln.section
        ),
        "",
    )
    line_end = ln.start + len(ln.text)
    return Unit(
        quote=text[start:end],
        section=ln.section,
        line_before=text[ln.start : start],
        line_after=text[end:line_end] if end <= line_end else "",
        previous_line=before,
        title=_title(text),
    )


def _title(text: str) -> str:
    """The first line of the text. Not text.split("\n", 1): that copies the whole rest of the archive, once per
    claim (quadratic over the claims of a long archive)."""
    end = text.find("\n")
    return text if end < 0 else text[:end]


def code(text: str, start: int, end: int) -> Proposal:
    """Everything the coder proposes for the claim quoting text[start:end]."""
    p = _code(unit(text, start, end))
    # A copy: the proposal is memoised by its unit, and a caller must not change the one kept.
    return Proposal(
        list(p.parties),
        p.party_basis,
        list(p.targets),
        list(p.weapons),
        list(p.counts),
        list(p.places),
        list(p.governorates),
        p.outlet,
    )


@lru_cache(maxsize=65536)
def _code(u: Unit) -> Proposal:
    """The proposal for one unit. The unit is all the coder reads, so claims with the same words in the same
    surroundings (a quote repeated across captures of the page) are coded once."""
    p = Proposal()
    if u.section is None:
        return p  # out of scope: nothing is coded
    lex = lexicons()
    p.parties = named(u.quote, lex["parties"])
    p.party_basis = "quote" if p.parties else ""
    if not p.parties and u.section == "prose":
        p.parties = named(u.title, lex["parties"])
        p.party_basis = "compilation title" if p.parties else ""
    p.targets = named(u.quote, lex["targets"])
    p.weapons = named(u.quote, lex["weapons"])
    p.counts = counts(u.quote, u.line_before)
    p.places = places(u.quote)
    p.governorates = governorates(u.quote)
    p.outlet = outlet(u)
    return p


# --- outlets --------------------------------------------------------------------------------------

INTRODUCES = "introduces what follows"


def _outlets(text: str, kinds: dict[str, list[str]]) -> list[tuple[int, str]]:
    out = []
    for patterns in kinds.values():
        for pattern in patterns:
            out += [(m.start(), m.group("name").strip()) for m in re.finditer(pattern, text)]
    return sorted(out)


def outlet(u: Unit) -> Outlet | None:
    """The outlet the item names: in the quote, else in the rest of its line (nearest to the quote), else by a
    cue on the line before that introduces what follows."""
    cues = lexicons()["outlet_cues"]
    item = {k: v for k, v in cues.items() if k != INTRODUCES}
    found = _outlets(u.quote, item)
    if found:
        return Outlet(found[0][1], "named_in_quote")
    after = [(pos, name) for pos, name in _outlets(u.line_after, item)]
    before = [(len(u.line_before) - pos, name) for pos, name in _outlets(u.line_before, item)]
    nearest = sorted(after + before)
    if nearest:
        return Outlet(nearest[0][1], "named_in_item")
    intro = _outlets(u.previous_line, {INTRODUCES: cues[INTRODUCES]})
    if intro:
        return Outlet(intro[-1][1], "named_in_preceding_text")
    return None


# --- places ---------------------------------------------------------------------------------------

_NAME = r"(?:[A-Z][\w’'-]*|al-?[A-Za-z][\w’'-]*)"
_RUN = rf"{_NAME}(?:\s{_NAME})*"


def plain(text: str) -> str:
    """Hashtags and underscores read as words: '#Qabr_alEnglizi' is 'Qabr alEnglizi'."""
    return re.sub(r"\s+", " ", text.replace("#", " ").replace("_", " ")).strip()


def _gov_names() -> list[str]:
    return [n for names in lexicons()["governorates"].values() for n in names]


def governorates(quote: str) -> list[str]:
    """The governorates a quote names, as ISO 3166-2:SY codes."""
    return named(plain(quote), lexicons()["governorates"])


def _not_place(name: str) -> bool:
    words = [w for ws in lexicons()["not_places"].values() for w in ws]
    return all(tok in words for tok in name.split())


def places(quote: str) -> list[str]:
    """Place mentions: a capitalised name after a place cue ('in', 'on the town of', a hashtag), a governorate
    with the qualifier before it ('rural DeirEzzor', 'northern Aleppo'), or a name before ', <governorate>'."""
    text = plain(quote)
    cues = lexicons()["place_cues"]
    qual = "|".join(re.escape(q) for q in cues["qualifiers"])
    cue = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues["before a name"])
    govs = "|".join(re.escape(g) for g in sorted(_gov_names(), key=len, reverse=True))
    found: list[str] = []
    # Cue words and qualifiers in any case; the name itself is capitalised.
    for m in re.finditer(rf"(?<![\w’'])(?i:{cue})\s+(?:the\s+)?(?P<name>(?:(?i:{qual})\s+)?{_RUN})", text):
        found.append(m.group("name"))
    for m in re.finditer(rf"(?<![\w’'])(?P<name>(?:(?i:{qual})\s+)?(?:{govs}))(?![\w’'])", text):
        found.append(m.group("name"))
    for m in re.finditer(rf"(?<![\w’'])(?P<name>{_RUN}),\s*(?:{govs})(?![\w’'])", text):
        found.append(m.group("name"))
    for m in re.finditer(rf"#(?P<name>{_NAME}(?:[_\s]{_NAME})*)", quote):
        found.append(plain(m.group("name")))
    out = []
    for name in found:
        name = re.sub(r"[’']s$", "", name.strip())
        if name and not _not_place(name) and name not in out:
            out.append(name)
    return out


def names_place(mentions: list[str], name: str) -> bool:
    """True when a place name is one of the mentions, or the leading words of one (headline case runs on:
    'Turkmen Village Kill Seven' names 'Turkmen Village')."""
    want = plain(name).lower().split()
    return any(plain(m).lower().split()[: len(want)] == want for m in mentions if want)


# --- counts ---------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\d{1,3}(?:[ ,]\d{3})+(?![\d,])|\d+(?:\+|s\b)?|[^\W\d_](?:[^\W\d]|[’'.-](?=\w))*|[^\w\s]")
_BREAK = set(".;!?|:()“”\"")


@dataclass
class Tok:
    text: str
    start: int
    end: int


def _tokens(quote: str) -> list[Tok]:
    """Numbers ('1,815', '150 000', '30+', '1000s'), words and punctuation; 'over150' is 'over' and 150."""
    return [Tok(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(quote)]


def _number(tok: str) -> int | None:
    if re.fullmatch(r"\d{1,3}(?:[ ,]\d{3})+|\d+(?:\+|s)?", tok):
        return int(re.sub(r"[ ,+s]", "", tok))
    return coding.WORDS.get(tok.lower())


def _is(tok: Tok, words: list[str]) -> bool:
    hits = find(tok.text, words)
    return bool(hits) and hits[0] == (0, len(tok.text))


def _match_at(toks: list[Tok], i: int, words: list[str], quote: str) -> int:
    """The number of tokens from toks[i] that form an entry of words (0 if none), longest first."""
    for n in (3, 2, 1):
        if i + n <= len(toks):
            span = quote[toks[i].start : toks[i + n - 1].end]
            if any(a == 0 and b == len(span) for a, b in find(span, words)):
                return n
    return 0


def _noun(toks: list[Tok], i: int, quote: str) -> tuple[str | None, int, list[str]]:
    """The counted noun after token i: (noun key or None, index of the phrase's last token, every noun of a
    list 'of children, rebels and civilians'). Up to three modifiers may stand between; stops at a stop word."""
    lex = lexicons()
    nouns = lex["count_nouns"]
    stops = lex["noun_stops"]["words"]
    objects = lex["not_counted"]["objects"]
    k, last = i + 1, i
    if k < len(toks) and toks[k].text == "+":
        k += 1
    if k < len(toks) and toks[k].text.lower() == "of":  # "hundreds of ..." / "a number of ..."
        k += 1
        items, first = [], None
        while k < len(toks) and toks[k].text not in _BREAK:
            if toks[k].text == "," or toks[k].text.lower() == "and":
                k += 1
                continue
            if _is(toks[k], stops + list(_harm_words())):
                break
            n = max((_match_at(toks, k, ws, quote), key) for key, ws in nouns.items())
            if n[0]:
                items.append(n[1])
                first = first or n[1]
                last = k + n[0] - 1
                k += n[0]
            else:
                if _is(toks[k], objects):
                    return "object", k, []
                items.append(toks[k].text)
                last = k
                k += 1
        if len(items) > 1:
            return "people", last, items
        return first, last, items
    for _ in range(4):
        if k >= len(toks) or toks[k].text in _BREAK or toks[k].text == ",":
            break
        if _is(toks[k], objects + lex["not_counted"]["durations"]):
            return "object", k, []
        hit = [(n, key) for key, ws in nouns.items() if (n := _match_at(toks, k, ws, quote))]
        if hit:
            n, key = max(hit)
            end = k + n - 1
            # "46 martyrs all of them civilians": the group named after "all of them" is who was counted.
            if end + 4 < len(toks) and _match_at(toks, end + 1, ["all of them"], quote) == 3:
                group = [(m, g) for g, ws in nouns.items() if (m := _match_at(toks, end + 4, ws, quote))]
                if group:
                    m, g = max(group)
                    return (g if key == "people" or key == "martyrs" else key), end + 3 + m, [g]
            return key, end, [key]
        if _is(toks[k], stops) or _is(toks[k], list(_harm_words())):
            break
        k += 1
    return None, last, []


@cache
def _harm_words_t() -> tuple[str, ...]:
    h = lexicons()["harm_words"]
    return tuple(w for key in ("killed", "injured", "displaced") for w in h[key])


def _harm_words() -> tuple[str, ...]:
    return _harm_words_t()


CONTEXT = 5  # words either side of a count that may carry its category, as the gate reads them


def _marks(toks: list[Tok], quote: str, keys: list[str]) -> list[set[str]]:
    """For each token, the harm categories (of keys) whose words cover it."""
    harm = lexicons()["harm_words"]
    marks: list[set[str]] = [set() for _ in toks]
    for key in keys:
        for a, b in find(quote, harm[key]):
            for k, t in enumerate(toks):
                if t.start < b and a < t.end:
                    marks[k].add(key)
    return marks


def _category(
    toks: list[Tok], first: int, last: int, quote: str, keys: list[str], barriers: set[int] | frozenset = frozenset()
) -> str | None:
    """The category whose word is nearest the count (tokens first..last), within CONTEXT words either side,
    never across a sentence break or another number; before the count wins a tie."""
    marks = _marks(toks, quote, keys)
    best: tuple[int, int, str] | None = None
    for side, rng in ((0, range(first - 1, -1, -1)), (1, range(last + 1, len(toks)))):
        words = 0
        for k in rng:
            t = toks[k]
            if t.text in _BREAK or _number(t.text) is not None or k in barriers:
                break
            if re.fullmatch(r"\W", t.text):
                continue
            words += 1
            if words > CONTEXT:
                break
            for key in sorted(marks[k]):
                if best is None or (words, side, key) < best:
                    best = (words, side, key)
    for k in range(first, last + 1):  # a word of the phrase itself ("dead" in "people dead")
        for key in sorted(marks[k]):
            best = (0, 0, key)
    return best[2] if best else None


def _sentence_has(toks: list[Tok], i: int, words: list[str], quote: str) -> bool:
    a = i
    while a > 0 and toks[a - 1].text not in _BREAK:
        a -= 1
    b = i
    while b + 1 < len(toks) and toks[b + 1].text not in _BREAK:
        b += 1
    return bool(find(quote[toks[a].start : toks[b].end], words))


def _rule(toks: list[Tok], i: int, quote: str) -> tuple[str, int]:
    """The coding rule of the count at token i, and the index of its first token (the cue's)."""
    rules = lexicons()["count_rules"]
    t = toks[i].text
    if t.endswith("+") or (i + 1 < len(toks) and toks[i + 1].text == "+"):
        return "n_plus", i
    if re.fullmatch(r"\d+s", t):
        return ("thousands" if int(t[:-1]) >= 1000 else "hundreds"), i
    for rule in ("more_than", "at_least"):
        for n in (2, 1):
            if i - n >= 0 and _match_at(toks, i - n, rules[rule], quote) == n:
                return rule, i - n
    return "exact", i


def counts(quote: str, before: str = "") -> list[Count]:
    """Every count phrase of a quote, with its rule, range, category and who is counted. `before` is the text of
    the quote's line before it, where a relative pronoun ("of whom 679 were killed") finds the group it stands for."""
    lex = lexicons()
    rules = lex["count_rules"]
    months = lex["not_counted"]["months"]
    toks = _tokens(quote)
    found: list[tuple[int, int, str, str | None]] = []  # first token, last token, rule, noun
    used: set[int] = set()
    for i, tok in enumerate(toks):
        if i in used:
            continue
        value = _number(tok.text)
        rule, first = None, i
        if value is None:
            for quantity in ("dozens", "hundreds", "thousands"):
                if _is(tok, rules[quantity]):
                    rule = quantity
            if rule is None and i >= 1 and _match_at(toks, i - 1, ["a number of"], quote) == 3:
                rule, first = "stated_unnumbered", i - 1
            if rule is None:
                continue
        else:
            if 1900 <= value <= 2100 and i > 0 and (_is(toks[i - 1], months) or toks[i - 1].text.lower() == "in"):
                continue  # a year
            rule, first = _rule(toks, i, quote)
        noun, last, _items = _noun(toks, i, quote)
        if noun == "object":
            continue
        used.update(range(first, last + 1))
        found.append((first, last, rule, noun))
    out: list[Count] = []
    for first, last, rule, noun in found:
        # The words of another count's phrase belong to that count ("6 martyrs, 30+ wounded").
        barriers = {k for f, la, _, _ in found if (f, la) != (first, last) for k in range(f, la + 1)}
        pronoun = lexicons()["count_nouns"]["antecedent"]
        after_pronoun = any(first >= n and _match_at(toks, first - n, pronoun, quote) == n for n in (2, 1))
        if noun == "antecedent" or (noun is None and after_pronoun):
            noun = _antecedent(quote[: toks[first].start], before)  # "of whom 679": the group named before
        out.extend(_count(toks, first, last, quote, rule, noun, barriers))
    out.extend(_unnumbered(toks, quote, out))
    return _subgroups(out)


def _antecedent(*texts: str) -> str:
    """The group a relative pronoun stands for: the last group noun of the sentence before it (its own quote
    first, then the line before the quote), else people."""
    nouns = lexicons()["count_nouns"]
    persons = [k for k in lexicons()["noun_classes"]["persons"] if k not in ("antecedent", "martyrs")]
    sentence = re.split(r"[.;!?]", "".join(reversed(texts)))[-1]
    hits = [(a, k) for k in persons for a, _ in find(sentence, nouns[k])]
    return max(hits)[1] if hits else "people"


def _count(toks, first, last, quote, rule, noun, barriers=frozenset()) -> list[Count]:
    classes = lexicons()["noun_classes"]
    phrase = quote[toks[first].start : toks[last].end]
    lo, hi = coding.code_count(phrase, rule) if rule != "stated_unnumbered" else (None, None)
    if rule in ("exact", "at_least", "more_than", "n_plus") and lo is None:
        return []

    def mk(category: str, described: str | None) -> Count:
        return Count(category, rule, lo, hi, phrase, toks[first].start, toks[last].end, described)

    if noun in classes["events"]:
        if noun == "attacks":
            after = quote[toks[last].end :]
            fac = re.match(r"\s+on\s+(?P<f>[\w ]+)", after)
            desc = next(
                (k for k in classes["facilities"] if fac and find(fac.group("f"), lexicons()["count_nouns"][k])), None
            )
            return [mk("attacks", desc)]
        return [mk("strikes", None)]
    if noun in classes["facilities"]:
        return [mk("attacks", noun)] if _category(toks, first, last, quote, ["attacks"], barriers) else []
    if noun == "martyrs":
        return [mk("killed", "people")]
    category = _category(toks, first, last, quote, ["killed", "injured", "displaced", "out_of_school"], barriers)
    desc = noun or "people"
    if noun in ("children", "women"):
        if not _sentence_has(toks, first, lexicons()["harm_words"]["killed"], quote):
            return []
        return [mk(noun, noun)]
    if category is None:
        return []
    return [mk(category, desc)]


def _unnumbered(toks: list[Tok], quote: str, numbered: list[Count]) -> list[Count]:
    """Harm stated without a number: 'including children' after a killed count, bare 'martyrs'."""
    out: list[Count] = []
    nouns = lexicons()["count_nouns"]
    covered = [(c.start, c.end) for c in numbered]
    for i, t in enumerate(toks):
        if any(a <= t.start < b for a, b in covered):
            continue
        if t.text.lower() == "including" and i + 1 < len(toks):
            for group in ("children", "women"):
                n = _match_at(toks, i + 1, nouns[group], quote)
                killed = _sentence_has(toks, i, lexicons()["harm_words"]["killed"], quote)
                if n and _number(toks[i + 1].text) is None and killed:
                    phrase = quote[t.start : toks[i + n].end]
                    out.append(Count(group, "stated_unnumbered", None, None, phrase, t.start, toks[i + n].end, group))
        elif _match_at(toks, i, nouns["martyrs"], quote) and not any(c.category == "killed" for c in numbered + out):
            out.append(Count("killed", "stated_unnumbered", None, None, t.text, t.start, t.end, "people"))
    return out


def _subgroups(found: list[Count]) -> list[Count]:
    """A killed count given only for a subgroup ('Eight children dead') is also the total's minimum."""
    if any(c.category == "killed" for c in found):
        return found
    subs = [c for c in found if c.category in ("children", "women") and c.min is not None]
    if subs:
        c = subs[0]
        found = found + [Count("killed", "from_subgroup", c.min, None, c.phrase, c.start, c.end, c.described_as)]
    return found
