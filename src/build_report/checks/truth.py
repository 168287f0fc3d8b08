"""Truth: coded values must be what the words say, no row is counted twice, no active row rests on a
withdrawn one, and the evidence is consistent with the searches that found it.

Lexicons are in lexicons.json. A value is supported by the words of its claim's quote, of the heading
of the list the quote stands in, or of the compilation's title (in that order; the first that holds
the words is the basis).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import duckdb

from .. import derive, lexicon, model, releases, scope
from ..model import TABLES
from ..package import REPORT_GROUPS, Package, records
from . import Failure

RULES = {
    "phrase-expresses-category": "children and women phrases name their group; a killed phrase has a word of death nearer "
    "to it than any word of injury (in the phrase, or within a few words of it in its quote, "
    "no other number between), injured the reverse; displaced and strikes a word of theirs",
    "attribution-supported-by-words": "every party of an alleged perpetrator is named in the quote, its list heading or the "
    "compilation's title; 'US-led coalition' needs those words, never only 'coalition' or 'US'",
    "target-supported-by-words": "a target type other than unspecified is named in the quote or its list heading",
    "weapon-supported-by-words": "a weapon other than 'not stated' is named in the quote or its list heading",
    "basis-recorded": "attribution_basis, target_basis and weapon_basis say where the words of the value stand: quote, "
    "list heading or compilation title, the nearest that holds them (empty when not stated); run derive",
    "claim-spans-do-not-overlap": "two active claims never quote overlapping characters of the archive (one passage, one claim)",
    "active-row-points-at-active-row": "an active row never links to a withdrawn claim, incident or tally (both rows named)",
    "search-outcome-agrees": "a search is 'found' exactly when it kept URLs, and kept none when it returned none",
    "date-not-in-future": "search and publication dates are not after the day of validation",
    "shared-report-same-overlap-group": "a report (URL) cited for two incidents puts them in one overlap group, or in groups "
    "within one wider group (both named), "
    "unless one of its rows records 'distinct_event' among its reasons",
    "overlap-group-in-one-governorate": "an overlap group's incidents lie in one governorate, unless its reason says why it spans governorates",
    "place-named-in-words": "an incident's place is named, in one of its written forms, in a linked quote or its list heading "
    "(places known only to country level excepted)",
    "review-names-a-row": "a review names a row that exists in the table it names",
    "report-one-independence-group": "rows citing one report (URL) for the same incident or tally resolve it to one independence "
    "group: the group of the source it relies on, else of its publisher (both rows named)",
    "independence-group-derived": "a source's independence group is the group of the source it relies on "
    "(relies_on_source_id), else the source itself: typed groups that contradict this fail",
    "archive-equals-released-archive": "the archive's bytes hash to the hash recorded by the latest release",
    "refined-window-covers-stated-span": "a refined date window is never shorter than the span its claim states "
    "('72 hours' and '3 days' are 3 days); refinement_basis says when it was widened",
    "report-dated-in-window": "a probable original or independent report of high or medium confidence is dated inside its "
    "incident's window; one dated outside is marked conflicting (different_date), never used to refine",
    "refined-range-one-category": "a report named in an incident's refined killed range counts the same category as the claim "
    "(killed_described_as: civilians with civilians; a toll with fighters is 'people')",
}

CHECK = "truth"


def check(pkg: Package, con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out: list[Failure] = []
    # Provenance reports a missing or undecodable archive (archive-exists, archive-readable): each fault once.
    try:
        data: bytes | None = pkg.archive_bytes()
    except (KeyError, OSError):
        data = None
    try:
        text = None if data is None else data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    out += categories(con)
    if text is not None:
        out += attribution(con, text)
        out += spans(con, text)
    out += references(pkg, con)
    out += searches(con)
    out += dates(con)
    out += shared_reports(con)
    out += group_governorates(con)
    out += places_named(con)
    out += independence(con)
    out += source_groups(con)
    if data is not None:
        out += released_archive(pkg)
    out += reviews(con)
    out += refinements(con)
    return out


BASES = ["quote", "list heading", "compilation title"]  # where a value's words may come from, nearest first


def _claim_texts(con: duckdb.DuckDBPyConnection, key: str, archive: str) -> dict[str, list[tuple[str, str]]]:
    """For each incident or tally: (basis, text) pairs that may support its values: its quotes, the
    headings of the lists they stand in, the compilation's title."""
    title = archive.split("\n", 1)[0]
    out: dict[str, list[tuple[str, str]]] = {}
    for c in records(con, f"SELECT {key}, quote, section FROM active_claims WHERE {key} IS NOT NULL ORDER BY claim_id"):
        texts = out.setdefault(c[key], [])
        texts.append(("quote", c["quote"] or ""))
        if c["section"] in scope.LISTS:
            texts.append(("list heading", scope.LISTS[c["section"]]))
    for texts in out.values():
        texts.append(("compilation title", title))
    return out


CONTEXT_WORDS = 5  # words either side of a phrase that may carry its category ("killing 12 civilians")
OPPOSITE = {"killed": "injured", "injured": "killed"}


def _contexts(quote: str, phrase: str) -> list[tuple[list[str], int, int]]:
    """Each occurrence of phrase in quote as (words, first, last): the phrase's words with up to CONTEXT_WORDS
    words either side, cut at a sentence break and at any other number (a number belongs to its own count)."""
    out = []
    for m in re.finditer(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])", quote):
        before = re.split(r"[.;!?|\n]", quote[: m.start()])[-1].split()[-CONTEXT_WORDS:]
        after = re.split(r"[.;!?|\n]", quote[m.end() :])[0].split()[:CONTEXT_WORDS]
        cut = max((k for k, w in enumerate(before) if re.search(r"\d", w)), default=-1)
        before = before[cut + 1 :]
        after = after[: min((k for k, w in enumerate(after) if re.search(r"\d", w)), default=len(after))]
        words = before + phrase.split() + after
        out.append((words, len(before), len(before) + len(phrase.split()) - 1))
    return out


def _distance(words: list[str], first: int, last: int, lexicon_words: list[str]) -> int | None:
    hits = [k for k, w in enumerate(words) if lexicon.has_word(w, lexicon_words)]
    return min((0 if first <= k <= last else first - k if k < first else k - last) for k in hits) if hits else None


def expresses(measure: str, phrase: str, quotes: list[str], lex: dict) -> bool:
    """True when the phrase expresses its category: children and women name their group in the phrase;
    killed and injured have a word of their category nearer to the phrase than one of the other
    (in the phrase, or within a few words of it in a linked quote); displaced and strikes a word of theirs."""
    words = lex[measure]
    if measure in ("children", "women"):
        return lexicon.has_word(phrase, words)
    if measure in OPPOSITE and lexicon.has_word(phrase, lex[OPPOSITE[measure]]) and not lexicon.has_word(phrase, words):
        return False
    for quote in quotes:
        for ctx, first, last in _contexts(quote, phrase):
            mine = _distance(ctx, first, last, words)
            other = _distance(ctx, first, last, lex[OPPOSITE[measure]]) if measure in OPPOSITE else None
            if mine is not None and (other is None or mine < other):
                return True
    return False


def categories(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    lex = lexicon.lexicons()["count_categories"]
    quotes: dict[str, list[str]] = {}
    for c in records(
        con,
        "SELECT incident_id, quote FROM active_claims WHERE incident_id IS NOT NULL ORDER BY claim_id",
    ):
        quotes.setdefault(c["incident_id"], []).append(c["quote"] or "")
    out = []
    # The verdict depends on the measure, the phrase and the quotes alone: judged once for each (incidents that
    # repeat the same words, as the bench's copies do, cost one judgement).
    judged: dict[tuple, bool | None] = {}
    for measure in lex:
        for r in records(
            con,
            f"SELECT incident_id, {measure}_phrase AS phrase FROM active_incidents "
            f"WHERE {measure}_phrase IS NOT NULL ORDER BY incident_id",
        ):
            qs = quotes.get(r["incident_id"], [])
            key = (measure, r["phrase"], tuple(qs))
            if key not in judged:
                judged[key] = (
                    expresses(measure, r["phrase"], qs, lex)
                    if any(lexicon.contains_phrase(q, r["phrase"]) for q in qs)
                    else None
                )
            if judged[key] is None:
                continue  # not in its quote: provenance reports that (phrase-in-linked-quote)
            if not judged[key]:
                out.append(
                    Failure(
                        "incidents",
                        r["incident_id"],
                        f"{measure}_phrase",
                        "phrase-expresses-category",
                        r["phrase"],
                        CHECK,
                    )
                )
    return out


def parties(value: str) -> list[str]:
    """The parties an attribution names, as keys of the perpetrators lexicon."""
    v = value.lower()
    named = [
        ("Russia", r"\brussia"),
        ("Syrian government", r"syrian government|\bregime\b"),
        ("coalition", r"\bcoalition\b"),
        ("US", r"\bus\b"),
    ]
    return [party for party, pattern in named if re.search(pattern, v)]


def _basis(support: list[tuple[str, str]], wanted: list[list[str]]) -> str | None:
    """The nearest basis such that the texts up to it hold a word of every list in wanted, else None."""
    for basis in BASES:
        texts = [t for k, t in support if BASES.index(k) <= BASES.index(basis)]
        if all(any(lexicon.has_word(t, words) for t in texts) for words in wanted):
            return basis
    return None


def bases(con: duckdb.DuckDBPyConnection, archive: str) -> dict[tuple[str, str], dict[str, str | None]]:
    """{(table, id): {field: basis}}: what each coded attribution, target and weapon rests on ("" when not stated),
    and None where the words do not support the value."""
    lex = lexicon.lexicons()
    out: dict[tuple[str, str], dict[str, str | None]] = {}
    for table, key in coded_attributions():
        has_target = "target_basis" in TABLES[table].fields
        texts = _claim_texts(con, key, archive)
        cols = "alleged_perpetrator" + (", target_type, weapon" if has_target else "")
        for r in records(con, f"SELECT {key}, {cols} FROM active_{table} ORDER BY {key}"):
            support = texts.get(r[key])
            if not support:
                continue  # no active claim: provenance reports that (has-an-active-claim)
            got: dict[str, str | None] = {}
            value = r["alleged_perpetrator"] or "not stated"
            if value == "not stated":
                got["attribution_basis"] = ""
            else:
                named = parties(value)
                wanted = [lex["perpetrators"][p] for p in named]
                if "us-led" in value.lower():
                    wanted.append(["us-led", "u.s.-led"])
                got["attribution_basis"] = _basis(support, wanted) if named else None
            if has_target:
                near = [(k, t) for k, t in support if k != "compilation title"]  # the title names no target or weapon
                for col, basis_col, none, vocab in (
                    ("target_type", "target_basis", "unspecified", lex["targets"]),
                    ("weapon", "weapon_basis", "not stated", lex["weapons"]),
                ):
                    v = r[col]
                    got[basis_col] = (
                        "" if v in (None, none) else _basis(near, [vocab.get(v, [])]) if vocab.get(v) else None
                    )
            out[(table, r[key])] = got
    return out


def coded_attributions() -> list[tuple[str, str]]:
    """(table, key) of every table of the model that codes an attribution with its basis (incidents, tallies)."""
    return [(name, t.key) for name, t in TABLES.items() if "attribution_basis" in t.fields]


FIELD_OF = {
    "attribution_basis": ("alleged_perpetrator", "attribution-supported-by-words"),
    "target_basis": ("target_type", "target-supported-by-words"),
    "weapon_basis": ("weapon", "weapon-supported-by-words"),
}


def attribution(con: duckdb.DuckDBPyConnection, archive: str) -> list[Failure]:
    out = []
    stored: dict[tuple[str, str], dict] = {}
    for table, key in coded_attributions():
        cols = [c for c in FIELD_OF if c in TABLES[table].fields]
        select = ", ".join(cols + [FIELD_OF[c][0] for c in cols])
        for r in records(con, f"SELECT {key} AS id, {select} FROM active_{table}"):
            stored[(table, r["id"])] = r
    for (table, rid), got in bases(con, archive).items():
        values = stored[(table, rid)]
        for col, basis in got.items():
            field, rule = FIELD_OF[col]
            if basis is None:
                out.append(Failure(table, rid, field, rule, values[field], CHECK))
            elif (values[col] or "") != basis:
                out.append(
                    Failure(
                        table,
                        rid,
                        col,
                        "basis-recorded",
                        f"{values[col] or 'empty'}; the words are found in: {basis or 'nothing (not stated)'}",
                        CHECK,
                    )
                )
    return out


def spans(con: duckdb.DuckDBPyConnection, archive: str) -> list[Failure]:
    """Active claims whose span overlaps an earlier one, by a sort and one sweep (never a self-join: claims that
    repeat one span would make it quadratic). Claims are taken in order of start (then ID); one that starts
    before the furthest end reached so far overlaps the claim that reached it, and is reported, naming it.
    A claim whose quote is not the archive at its offsets is provenance's failure, and takes no part."""
    rows = con.execute(
        "SELECT claim_id, char_start, char_end, quote FROM active_claims "
        "WHERE char_start IS NOT NULL AND char_end IS NOT NULL ORDER BY char_start, claim_id"
    ).fetchall()
    out: list[Failure] = []
    reach, holder = -1, ("", -1)  # the furthest end so far, and the claim (ID, start) that reached it
    for cid, start, end, quote in rows:
        if not 0 <= start < end or archive[start:end] != quote:
            continue
        if start < reach and holder[0] != cid:  # a row repeated under one ID is the primary key's failure
            out.append(
                Failure(
                    "claims",
                    cid,
                    "char_start",
                    "claim-spans-do-not-overlap",
                    f"overlaps {holder[0]} (characters {holder[1]}-{reach})",
                    CHECK,
                )
            )
        if end > reach:
            reach, holder = end, (cid, start)
    return sorted(out, key=lambda f: f.row_id)


# The search log records searches made; a search stays true whatever became of the claim it was made for.
NOT_IN_FORCE = {"search_log"}


def links(pkg: Package) -> list[tuple[str, str, str, str, str]]:
    """(table, key, field, target table, target key) of every foreign key, read from the descriptor, into a
    table whose rows can be withdrawn (it has a status field), from a table whose rows stay in force."""
    return [
        (table, pkg.primary_key(table), field, target, tkey)
        for table, field, target, tkey in pkg.foreign_keys()
        if target != table and table not in NOT_IN_FORCE and pkg.has_field(target, "status")
    ]


def references(pkg: Package, con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    for table, key, field, target, tkey in links(pkg):
        rows_in_force = f"active_{table}" if pkg.has_field(table, "status") else table
        rows = records(
            con,
            f"SELECT s.{key} AS id, t.{tkey} AS target FROM {rows_in_force} s JOIN {target} t ON t.{tkey} = s.{field} "
            f"WHERE t.status = 'withdrawn' ORDER BY s.{key}",
        )
        out += [
            Failure(table, r["id"], field, "active-row-points-at-active-row", f"{r['target']} is withdrawn", CHECK)
            for r in rows
        ]
    return out


def searches(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    for r in records(con, "SELECT search_id, outcome, n_results, urls_kept FROM search_log ORDER BY search_id"):
        kept = bool((r["urls_kept"] or "").strip())
        if (r["outcome"] == "found") != kept or (r["n_results"] == 0 and kept):
            out.append(
                Failure(
                    "search_log",
                    r["search_id"],
                    "outcome",
                    "search-outcome-agrees",
                    f"outcome={r['outcome']}, n_results={r['n_results']}, urls kept={'yes' if kept else 'none'}",
                    CHECK,
                )
            )
    return out


def dates(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    today = dt.date.today()
    out = []
    for table, field in model.record_dates():
        key = TABLES[table].key
        for r in records(
            con,
            f"SELECT {key} AS id, {field} AS d FROM {table} WHERE TRY_CAST({field} AS DATE) > current_date ORDER BY {key}",
        ):
            out.append(Failure(table, r["id"], field, "date-not-in-future", f"{r['d']} is after {today}", CHECK))
    return out


def shared_reports(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    rows = records(
        con,
        """
        SELECT DISTINCT a.incident_id AS a, b.incident_id AS b, a.url AS url
        FROM corroborations a JOIN corroborations b ON a.url = b.url AND a.incident_id < b.incident_id
        JOIN active_incidents ia ON ia.incident_id = a.incident_id JOIN active_incidents ib ON ib.incident_id = b.incident_id
        -- Two groups within one wider group are one group here: the wider group bounds what they share.
        LEFT JOIN overlap_groups ga ON ga.overlap_group = ia.overlap_group
        LEFT JOIN overlap_groups gb ON gb.overlap_group = ib.overlap_group
        WHERE a.confidence IN ('high', 'medium') AND b.confidence IN ('high', 'medium')
          AND a.relation IN ('probable_original', 'independent') AND b.relation IN ('probable_original', 'independent')
          AND (ia.overlap_group IS NULL OR ib.overlap_group IS NULL
               OR coalesce(ga.within_group, ia.overlap_group) <> coalesce(gb.within_group, ib.overlap_group))
          -- A row may record that the report covers several events and this is a different one.
          AND NOT (coalesce(a.reasons, '') LIKE '%distinct_event%' OR coalesce(b.reasons, '') LIKE '%distinct_event%')
        ORDER BY a, b""",
    )
    return [
        Failure(
            "incidents",
            r["b"],
            "overlap_group",
            "shared-report-same-overlap-group",
            f"shares the report {r['url']} with {r['a']} but not an overlap group",
            CHECK,
        )
        for r in rows
    ]


def _plain(text: str) -> str:
    """Hashtags and underscores read as words: '#Qabr_alEnglizi' names Qabr alEnglizi."""
    return re.sub(r"\s+", " ", text.replace("#", " ").replace("_", " ")).lower()


def places_named(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    for r in records(
        con,
        """
            SELECT i.incident_id, p.place_id, p.name_as_written, string_agg(c.quote, ' | ') AS quotes,
                   list(DISTINCT c.section) AS sections
            FROM active_incidents i JOIN places p USING (place_id)
            JOIN active_claims c ON c.incident_id = i.incident_id
            WHERE p.location_precision <> 'country' AND p.name_as_written IS NOT NULL
            GROUP BY ALL ORDER BY i.incident_id""",
    ):
        words = _plain(r["quotes"] + " | " + " | ".join(scope.LISTS.get(s, "") for s in r["sections"]))
        names = [n.strip() for n in r["name_as_written"].split(";") if n.strip()]
        if not any(lexicon.contains_phrase(words, _plain(n)) for n in names):
            out.append(
                Failure(
                    "incidents",
                    r["incident_id"],
                    "place_id",
                    "place-named-in-words",
                    f"{r['place_id']} ({r['name_as_written']}) is not named in its quotes",
                    CHECK,
                )
            )
    return out


def group_governorates(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    rows = records(
        con,
        """
        SELECT g.overlap_group, g.reason, list(DISTINCT p.admin1_code ORDER BY p.admin1_code) AS codes
        FROM overlap_groups g JOIN active_incidents i ON i.overlap_group = g.overlap_group
        JOIN places p ON p.place_id = i.place_id AND p.admin1_code IS NOT NULL
        GROUP BY ALL HAVING count(DISTINCT p.admin1_code) > 1 ORDER BY 1""",
    )
    return [
        Failure(
            "overlap_groups",
            r["overlap_group"],
            "reason",
            "overlap-group-in-one-governorate",
            f"incidents in {', '.join(r['codes'])}",
            CHECK,
        )
        for r in rows
        if not lexicon.has_word(r["reason"] or "", ["governorates"])
    ]


def released_archive(pkg: Package) -> list[Failure]:
    latest = releases.latest(pkg.root)
    if latest is None:
        return []
    frozen = json.loads(pkg.read_text(f"releases/{latest}/datapackage.json"))
    want = next((r.get("hash") for r in frozen.get("resources", []) if r.get("name") == "archive"), None)
    got = "sha256:" + hashlib.sha256(pkg.archive_bytes()).hexdigest()
    current = next((r.get("hash") for r in pkg.descriptor.get("resources", []) if r.get("name") == "archive"), None)
    # When the file differs from the descriptor too, provenance reports it (sha256-matches-datapackage).
    if want and got != want and got == current:
        return [
            Failure(
                "archive",
                "-",
                "hash",
                "archive-equals-released-archive",
                f"{got}; release {latest} recorded {want}",
                CHECK,
            )
        ]
    return []


def reviews(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    tables = {"corroborations": "corroboration_id", "crosswalk": "crosswalk_id", "context_totals": "context_id"}
    known = {t: {r[0] for r in con.execute(f"SELECT {k} FROM {t}").fetchall()} for t, k in tables.items()}
    return [
        Failure(
            "reviews",
            r["review_id"],
            "row_id",
            "review-names-a-row",
            f"{r['row_id']} is not a row of {r['table']}",
            CHECK,
        )
        for r in records(con, 'SELECT review_id, "table", row_id FROM reviews ORDER BY review_id')
        if r["row_id"] not in known.get(r["table"], set())
    ]


def independence(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Independence is derived from data: a report counts in the group of the source it relies on, so two
    rows citing the same report for the same incident or tally must name sources of one group. (One page
    may rely on different monitors for different events, e.g. Raqqa deaths from one, Deir ez-Zor from another.)"""
    rows = records(
        con,
        f"""
        WITH r AS ({REPORT_GROUPS})
        SELECT b.id AS b, a.id AS a, b.url, a.grp AS ga, b.grp AS gb
        FROM r a JOIN r b ON a.url = b.url AND a.target IS NOT DISTINCT FROM b.target AND a.grp <> b.grp AND a.id < b.id
        WHERE NOT EXISTS (SELECT 1 FROM r x WHERE x.url = b.url AND x.target IS NOT DISTINCT FROM b.target
                          AND x.grp <> b.grp AND x.id < a.id)
        ORDER BY b.id""",
    )
    seen, out = set(), []
    for r in rows:
        if r["b"] in seen:
            continue
        seen.add(r["b"])
        out.append(
            Failure(
                "corroborations",
                r["b"],
                "relies_on_source_id",
                "report-one-independence-group",
                f"cites the report {r['url']} as {r['a']} does, but in group {r['gb']}, not {r['ga']}",
                CHECK,
            )
        )
    return out


def source_groups(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Independence groups derived from data: follow relies_on_source_id to a source that relies on none."""
    rows = {
        r["source_id"]: r
        for r in records(con, "SELECT source_id, relies_on_source_id, independence_group FROM sources")
    }
    out = []
    for sid in sorted(rows):
        seen, cur = [sid], sid
        while rows.get(cur, {}).get("relies_on_source_id") and rows[cur]["relies_on_source_id"] not in seen:
            cur = rows[cur]["relies_on_source_id"]
            seen.append(cur)
        want = cur if cur in rows else sid
        if rows[sid]["independence_group"] != want:
            via = (
                f" (relies on {rows[sid]['relies_on_source_id']})"
                if rows[sid]["relies_on_source_id"]
                else " (relies on no source)"
            )
            out.append(
                Failure(
                    "sources",
                    sid,
                    "independence_group",
                    "independence-group-derived",
                    f"{rows[sid]['independence_group']}; derived from the data: {want}{via}",
                    CHECK,
                )
            )
    return out


def refinements(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Refinement by rule: windows not narrower than the stated span, reports outside the window marked as
    conflicts, killed ranges from reports of the claim's own category."""
    out = []
    spans = derive.stated_spans(con)
    for r in records(
        con,
        """SELECT incident_id, TRY_CAST(date_start_refined AS DATE) AS s, TRY_CAST(date_end_refined AS DATE) AS e
                             FROM active_incidents ORDER BY incident_id""",
    ):
        want = spans.get(r["incident_id"])
        if want and r["s"] and r["e"] and (r["e"] - r["s"]).days + 1 < want:
            out.append(
                Failure(
                    "incidents",
                    r["incident_id"],
                    "refinement_basis",
                    "refined-window-covers-stated-span",
                    f"refined window {r['s']}..{r['e']} is shorter than the {want} days its claim states",
                    CHECK,
                )
            )
    for r in records(
        con,
        """
            SELECT k.corroboration_id, k.incident_id, k.event_date_start, coalesce(k.event_date_end, k.event_date_start) AS e,
                   i.date_start, i.date_end
            FROM corroborations k JOIN active_incidents i USING (incident_id)
            WHERE k.relation IN ('probable_original', 'independent') AND k.confidence IN ('high', 'medium')
              AND TRY_CAST(k.event_date_start AS DATE) IS NOT NULL
              -- An inverted window is reported once, by meaning, not again through its reports.
              AND TRY_CAST(i.date_end AS DATE) >= TRY_CAST(i.date_start AS DATE)
              AND (TRY_CAST(k.event_date_start AS DATE) < TRY_CAST(i.date_start AS DATE)
                   OR TRY_CAST(coalesce(k.event_date_end, k.event_date_start) AS DATE) > TRY_CAST(i.date_end AS DATE))
            ORDER BY k.corroboration_id""",
    ):
        out.append(
            Failure(
                "corroborations",
                r["corroboration_id"],
                "relation",
                "report-dated-in-window",
                f"dated {r['event_date_start']}..{r['e']}, outside {r['incident_id']}'s window "
                f"{r['date_start']}..{r['date_end']}: mark it conflicting",
                CHECK,
            )
        )
    cats = {
        r["corroboration_id"]: r["killed_described_as"]
        for r in records(con, "SELECT corroboration_id, killed_described_as FROM corroborations")
    }
    for r in records(
        con,
        """SELECT incident_id, killed_described_as, refinement_basis FROM active_incidents
                             WHERE refinement_basis LIKE '%killed range spans%' ORDER BY incident_id""",
    ):
        named = re.findall(r"COR-\d+", r["refinement_basis"].split("killed range spans", 1)[1])
        for cid in named:
            if cid in cats and cats[cid] != r["killed_described_as"]:
                out.append(
                    Failure(
                        "corroborations",
                        cid,
                        "killed_described_as",
                        "refined-range-one-category",
                        f"counts {cats[cid] or 'an uncoded category'}, but refines {r['incident_id']}'s range of "
                        f"{r['killed_described_as'] or 'uncoded'} killed",
                        CHECK,
                    )
                )
    return out
