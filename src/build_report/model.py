"""The data model: the one place where the package's invariants are declared.

Tables and their keys, the links between tables, the closed vocabularies, the active filter, the ordered
pairs (min/max, start/end), the chains of dates between tables, and what makes two rows the same entity.
The descriptor (datapackage.json) is checked against this model (checks/coherence.py), the generic rules
of coherence are derived from it, and the mutation campaign (mutate.py) generates its mutants from it.

This module imports nothing of the package: everything else may import it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# The Russian air campaign in Syria began on 30 September 2015: nothing in the package dates before it.
CAMPAIGN_START = dt.date(2015, 9, 30)

# The active filter: rows in force have status = 'active' (withdrawn rows are kept as tombstones).
ACTIVE_FIELD, ACTIVE_VALUE = "status", "active"


@dataclass(frozen=True)
class Table:
    key: str  # primary key (one field)
    prefix: str  # every ID is PREFIX-digits, in one canonical form
    digits: int  # at least this many digits
    fields: tuple[str, ...]
    # A key that is a standard's code rather than a project ID (an ISO 3166-2:SY code): its one form, as a
    # regular expression; prefix and digits are then unused.
    form: str | None = None


TABLES: dict[str, Table] = {
    "documents": Table(
        "document_id",
        "DOC",
        4,
        (
            "document_id",
            "title",
            "author",
            "publisher",
            "url",
            "url_query",
            "published_date",
            "published_date_basis",
            "archive_path",
            "sha256",
            "bytes",
            "media_type",
            "encoding",
            "notes",
        ),
    ),
    "sources": Table(
        "source_id",
        "SRC",
        3,
        (
            "source_id",
            "name",
            "name_as_written",
            "source_type",
            "relies_on_source_id",
            "independence_group",
            "url",
            "domains",
            "url_query",
            "notes",
        ),
    ),
    "places": Table(
        "place_id",
        "PLC",
        4,
        (
            "place_id",
            "name_as_written",
            "standard_name",
            "place_type",
            "admin1_code",
            "admin1_basis",
            "admin1_origin",
            "geonames_id",
            "latitude",
            "longitude",
            "coord_basis",
            "coord_origin",
            "origin_title",
            "origin_query",
            "location_precision",
            "notes",
            "on_mirror",
            "mirror_url",
            "mirror_query",
        ),
    ),
    # Syria's governorates (first-level divisions): their ISO 3166-2:SY codes, names, and the sources of their
    # names, label points and boundaries (made by evidence/governorates_table.py from the map inputs in geo/).
    "governorates": Table(
        "code",
        "SY",
        0,
        (
            "code",
            "name",
            "iso_name",
            "name_origin",
            "label_city",
            "label_geonames_id",
            "label_rule",
            "natural_earth_name",
            "boundary_source",
        ),
        form=r"SY-[A-Z]{2}",
    ),
    "overlap_groups": Table(
        "overlap_group",
        "OG",
        2,
        ("overlap_group", "label", "reason", "within_group", "max_shared_killed", "max_shared_basis"),
    ),
    "incidents": Table(
        "incident_id",
        "INC",
        4,
        (
            "incident_id",
            "title",
            "date_start",
            "date_end",
            "date_precision",
            "date_basis",
            "place_id",
            "alleged_perpetrator",
            "attribution_basis",
            "target_type",
            "target_basis",
            "weapon",
            "weapon_basis",
            "killed_described_as",
            *(
                f"{m}_{p}"
                for m in ("killed", "children", "women", "injured", "displaced", "strikes")
                for p in ("min", "max", "phrase", "rule")
            ),
            "date_start_refined",
            "date_end_refined",
            "killed_min_refined",
            "killed_max_refined",
            "refinement_basis",
            "overlap_group",
            "n_sources",
            "grading",
            "status",
            "notes",
        ),
    ),
    "tallies": Table(
        "tally_id",
        "TAL",
        4,
        (
            "tally_id",
            "measure",
            "value_min",
            "value_max",
            "value_phrase",
            "value_rule",
            "period_start",
            "period_end",
            "period_precision",
            "period_basis",
            "area_as_written",
            "place_id",
            "alleged_perpetrator",
            "attribution_basis",
            "overlap_group",
            "status",
            "notes",
        ),
    ),
    "claims": Table(
        "claim_id",
        "CLM",
        4,
        (
            "claim_id",
            "document_id",
            "section",
            "line",
            "quote",
            "char_start",
            "char_end",
            "kind",
            "incident_id",
            "tally_id",
            "source_id",
            "source_basis",
            "link_status",
            "status",
            "notes",
        ),
    ),
    "search_log": Table(
        "search_id",
        "SRCH",
        4,
        ("search_id", "claim_id", "query", "corpus", "searched_on", "n_results", "outcome", "urls_kept"),
    ),
    "corroborations": Table(
        "corroboration_id",
        "COR",
        4,
        (
            "corroboration_id",
            "claim_id",
            "incident_id",
            "tally_id",
            "search_id",
            "query",
            "url",
            "source_id",
            "publisher_as_shown",
            "title",
            "published_date",
            "published_date_basis",
            "event_date_start",
            "event_date_end",
            "event_date_basis",
            "place_as_reported",
            "killed_min",
            "killed_max",
            "killed_described_as",
            "injured_min",
            "injured_max",
            "perpetrator_as_reported",
            "relation",
            "confidence",
            "reasons",
            "relies_on_source_id",
            "summary",
            "on_mirror",
            "mirror_url",
            "mirror_search_id",
            "url_is_copy",
        ),
    ),
    "crosswalk": Table(
        "crosswalk_id",
        "XW",
        4,
        (
            "crosswalk_id",
            "dataset",
            "incident_id",
            "tally_id",
            "external_id",
            "url",
            "search_id",
            "query",
            "external_date",
            "external_location",
            "geolocation_accuracy",
            "latitude",
            "longitude",
            "civilians_min",
            "civilians_max",
            "grading",
            "match_confidence",
            "reasons",
            "summary",
            "dataset_version",
            "version_search_id",
        ),
    ),
    "context_totals": Table(
        "context_id",
        "CTX",
        4,
        (
            "context_id",
            "tracker",
            "url",
            "search_id",
            "query",
            "period_start",
            "period_end",
            "measure",
            "value_min",
            "value_max",
            "basis",
        ),
    ),
    "reviews": Table(
        "review_id",
        "REV",
        4,
        ("review_id", "table", "row_id", "reviewed_on", "reviewer", "search_id", "outcome", "fields_changed", "note"),
    ),
    "coding_decisions": Table(
        "decision_id",
        "DEC",
        4,
        (
            'decision_id',
            'incident_id',
            'tally_id',
            'claim_id',
            'place_id',
            'field',
            'hand_value',
            'coder_value',
            'reason',
            'decided_by',
            'decided_on',
            'reviewer',
            'review_outcome',
            'reviewed_on',
            'review_note',
        ),
    ),
}


@dataclass(frozen=True)
class ForeignKey:
    table: str
    field: str
    target: str
    target_field: str


def _fk(table: str, field: str, target: str) -> ForeignKey:
    return ForeignKey(table, field, target, TABLES[target].key)


FOREIGN_KEYS: tuple[ForeignKey, ...] = (
    _fk("sources", "independence_group", "sources"),
    _fk("sources", "relies_on_source_id", "sources"),
    _fk("places", "admin1_code", "governorates"),
    _fk("incidents", "place_id", "places"),
    _fk("incidents", "overlap_group", "overlap_groups"),
    _fk("tallies", "place_id", "places"),
    _fk("tallies", "overlap_group", "overlap_groups"),
    _fk("claims", "document_id", "documents"),
    _fk("claims", "incident_id", "incidents"),
    _fk("claims", "tally_id", "tallies"),
    _fk("claims", "source_id", "sources"),
    _fk("search_log", "claim_id", "claims"),
    _fk("corroborations", "claim_id", "claims"),
    _fk("corroborations", "incident_id", "incidents"),
    _fk("corroborations", "tally_id", "tallies"),
    _fk("corroborations", "search_id", "search_log"),
    _fk("corroborations", "source_id", "sources"),
    _fk("corroborations", "relies_on_source_id", "sources"),
    _fk("crosswalk", "incident_id", "incidents"),
    _fk("crosswalk", "tally_id", "tallies"),
    _fk("crosswalk", "search_id", "search_log"),
    _fk("context_totals", "search_id", "search_log"),
    _fk("reviews", "search_id", "search_log"),
    _fk("overlap_groups", "within_group", "overlap_groups"),
    _fk("corroborations", "mirror_search_id", "search_log"),
    _fk("crosswalk", "version_search_id", "search_log"),
    _fk("coding_decisions", "incident_id", "incidents"),
    _fk("coding_decisions", "tally_id", "tallies"),
    _fk("coding_decisions", "claim_id", "claims"),
    _fk("coding_decisions", "place_id", "places"),
)

# reviews.row_id names a row of the table named in reviews.table: a link whose target varies by row.
POLYMORPHIC_LINKS = (("reviews", "table", "row_id"),)

_RULES = (
    "exact",
    "at_least",
    "more_than",
    "n_plus",
    "dozens",
    "hundreds",
    "thousands",
    "stated_unnumbered",
    "single_person",
    "from_subgroup",
)
_BASES = ("quote", "list heading", "compilation title")
_PRECISION = ("day", "days", "week", "month", "months", "window", "open_start")
_KILLED_AS = ("civilians", "children", "women_and_children", "worshippers", "people")
STATUS = ("active", "withdrawn")

ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("documents", "media_type"): ("text/plain",),
    ("documents", "encoding"): ("utf-8",),
    ("sources", "source_type"): (
        "compilation",
        "monitor",
        "civil_defence",
        "news_outlet",
        "activist_media",
        "social_media",
        "ngo",
        "un_body",
        "aggregator",
    ),
    ("places", "place_type"): ("town", "village", "neighbourhood", "facility", "region", "governorate", "country"),
    ("places", "admin1_basis"): ("quote", "url", "geonames", "none"),
    ("places", "coord_basis"): ("geonames", "url", "none"),
    ("places", "location_precision"): (
        "exact",
        "neighbourhood",
        "town",
        "district",
        "governorate",
        "region",
        "country",
        "unknown",
    ),
    ("incidents", "date_precision"): _PRECISION,
    ("incidents", "alleged_perpetrator"): (
        "Russia",
        "Russia and the Syrian government",
        "Syrian government forces and Russia",
        "Russia and the US-led coalition",
        "not stated",
        "Russia and the coalition",
    ),
    ("incidents", "attribution_basis"): _BASES,
    ("incidents", "target_type"): (
        "hospital",
        "school",
        "mosque",
        "market",
        "bakery",
        "idp_camp",
        "homes",
        "villages",
        "unspecified",
    ),
    ("incidents", "target_basis"): _BASES,
    ("incidents", "weapon"): ("cluster_munitions", "not stated"),
    ("incidents", "weapon_basis"): _BASES,
    ("incidents", "killed_described_as"): _KILLED_AS,
    **{("incidents", f"{m}_rule"): _RULES for m in ("killed", "children", "women", "injured", "displaced", "strikes")},
    ("incidents", "grading"): ("single_source", "weak", "fair", "confirmed", "contested", "discounted"),
    ("incidents", "status"): STATUS,
    ("tallies", "measure"): (
        "civilians_killed",
        "people_killed",
        "schools_attacked",
        "medical_facility_attacks",
        "people_out_of_school",
    ),
    ("tallies", "value_rule"): _RULES,
    ("tallies", "period_precision"): _PRECISION,
    ("tallies", "attribution_basis"): _BASES,
    ("tallies", "status"): STATUS,
    ("claims", "section"): ("prose", "summaries", "large_scale", "tweets_videos"),
    ("claims", "kind"): ("incident_report", "aggregate_statistic", "general_allegation", "media_item", "analysis"),
    ("claims", "source_basis"): ("named_in_quote", "named_in_item", "named_in_preceding_text"),
    ("claims", "link_status"): ("lost_in_capture", "recovered", "no_link"),
    ("claims", "status"): STATUS,
    ("search_log", "corpus"): (
        "pages",
        "docs",
        "issues",
        "code",
        "find_repos",
        "find_files",
        "read_file",
        "find_string",
        "fetch",
    ),
    ("search_log", "outcome"): ("found", "not_found"),
    ("corroborations", "killed_described_as"): _KILLED_AS,
    ("corroborations", "relation"): ("probable_original", "independent", "copy", "conflicting", "candidate"),
    ("corroborations", "confidence"): ("high", "medium", "low"),
    ("crosswalk", "dataset"): ("Airwars", "UCDP GED", "ACLED", "SNHR", "VDC"),
    ("crosswalk", "match_confidence"): ("high", "medium", "low"),
    ("reviews", "table"): ("corroborations", "crosswalk", "context_totals"),
    ("reviews", "outcome"): ("confirmed", "corrected", "url_not_returned", "pending"),
    ("coding_decisions", "field"): (
        'alleged_perpetrator',
        'target_type',
        'weapon',
        'place_id',
        'killed_described_as',
        'killed_rule',
        'killed_min',
        'killed_max',
        'children_rule',
        'children_min',
        'children_max',
        'women_rule',
        'women_min',
        'women_max',
        'injured_rule',
        'injured_min',
        'injured_max',
        'displaced_rule',
        'displaced_min',
        'displaced_max',
        'strikes_rule',
        'strikes_min',
        'strikes_max',
        'measure',
        'value_rule',
        'value_min',
        'value_max',
        'source_id',
        'source_basis',
        'admin1_code',
    ),
    ("coding_decisions", "review_outcome"): ('pending', 'upheld', 'overturned'),
}


def active_tables() -> list[str]:
    """Tables whose rows can be withdrawn (they carry the active filter)."""
    return [t for t, m in TABLES.items() if ACTIVE_FIELD in m.fields]


# ---- ordered pairs -------------------------------------------------------------------------------

_PAIR = [(re.compile(r"^(.*)_min(_refined)?$"), "{0}_max{1}"), (re.compile(r"^(.*)_start(_refined)?$"), "{0}_end{1}")]


def pairs() -> list[tuple[str, str, str]]:
    """(table, low field, high field): every X_min/X_max and X_start/X_end pair of every table, found by name
    (so that a new pair is covered the day its fields are added to the model)."""
    out = []
    for name, t in TABLES.items():
        for f in t.fields:
            for rx, high in _PAIR:
                m = rx.match(f)
                if m:
                    other = high.format(m.group(1), m.group(2) or "")
                    if other in t.fields:
                        out.append((name, f, other))
    return out


def date_fields() -> list[tuple[str, str]]:
    """(table, field) of every date: found by name (dates end in _date, _start, _end, _on, _refined dates)."""
    rx = re.compile(r"(_date|date_start|date_end|period_start|period_end|_on|date_start_refined|date_end_refined)$")
    return [(t, f) for t, m in TABLES.items() for f in m.fields if rx.search(f)]


def record_dates() -> list[tuple[str, str]]:
    """(table, field) of every date that records when something was published or done (published_date,
    searched_on, reviewed_on, decided_on): none can be after today. Event dates and periods are bounded otherwise."""
    return [(t, f) for t, f in date_fields() if f == "published_date" or f.endswith("_on")]


# ---- where a URL came from -----------------------------------------------------------------------------

# (table, field that may hold a URL, field naming the search that returned it): a search_log ID where that field is
# a foreign key to search_log, else the query itself. tests/test_model_coverage.py checks that every field of the
# descriptor with the URL pattern is here, so that a new URL field cannot escape url-returned-by-recorded-search.
URL_SEARCHES: tuple[tuple[str, str, str], ...] = (
    ("documents", "url", "url_query"),
    ("sources", "url", "url_query"),
    ("places", "coord_origin", "origin_query"),
    ("places", "admin1_origin", "origin_query"),
    ("places", "mirror_url", "mirror_query"),
    ("corroborations", "url", "search_id"),
    ("corroborations", "mirror_url", "mirror_search_id"),
    ("crosswalk", "url", "search_id"),
    ("context_totals", "url", "search_id"),
)


# (table, field): searches cited for what their results show, not for a URL of the row (which URL_SEARCHES covers).
CITED_SEARCHES: tuple[tuple[str, str], ...] = (("crosswalk", "version_search_id"),)

# The fields that make a row the entity its ID names. A released ID whose identity fields have all changed names
# another entity: that takes a new ID (IDs are never reused). Other fields may be corrected under the same ID.
# A claim's identity is its quote, held more strictly (quote-unchanged-since-{version}).
IDENTITY: dict[str, tuple[str, ...]] = {
    "corroborations": ("url", "title"),
    "crosswalk": ("dataset", "url"),
    "context_totals": ("tracker", "url"),
    "search_log": ("query", "searched_on"),
    "reviews": ("table", "row_id"),
}


def names_search_by_id(table: str, field: str) -> bool:
    """True when table.field is a foreign key to search_log (an ID), False when it holds a query."""
    return any(k.table == table and k.field == field and k.target == "search_log" for k in FOREIGN_KEYS)


# ---- chains of dates between tables ---------------------------------------------------------------


@dataclass(frozen=True)
class DateChain:
    """`earlier` comes on or before `later`, for the row pairs the join gives (SQL over the typed tables,
    aliases a and b; `where` restricts it). The failure is reported on `table`.`field` of row b."""

    name: str
    earlier: str  # SQL expression over a
    later: str  # SQL expression over b
    join: str  # FROM ... clause binding a and b
    table: str  # the table of b
    field: str  # the field of b that is reported
    where: str = "TRUE"


DATE_CHAINS: tuple[DateChain, ...] = (
    DateChain(
        "decision-before-review",
        "a.decided_on",
        "b.reviewed_on",
        "coding_decisions a JOIN coding_decisions b ON b.decision_id = a.decision_id",
        "coding_decisions",
        "reviewed_on",
    ),
    DateChain(
        "event-before-report",
        "a.date_start",
        "b.published_date",
        "incidents a JOIN corroborations b ON b.incident_id = a.incident_id",
        "corroborations",
        "published_date",
        "b.relation IN ('probable_original', 'independent')",
    ),
    DateChain(
        "event-before-report",
        "a.event_date_start",
        "b.published_date",
        "corroborations a JOIN corroborations b ON b.corroboration_id = a.corroboration_id",
        "corroborations",
        "published_date",
    ),
    DateChain(
        "event-before-report",
        "a.date_start",
        "d.published_date",
        "incidents a JOIN claims b ON b.incident_id = a.incident_id JOIN documents d ON d.document_id = b.document_id",
        "claims",
        "incident_id",
    ),
    DateChain(
        "event-before-report",
        "a.period_start",
        "d.published_date",
        "tallies a JOIN claims b ON b.tally_id = a.tally_id JOIN documents d ON d.document_id = b.document_id",
        "claims",
        "tally_id",
    ),
    DateChain(
        "event-before-report",
        "a.external_date",
        "b.reviewed_on",
        "crosswalk a JOIN reviews b ON b.\"table\" = 'crosswalk' AND b.row_id = a.crosswalk_id",
        "reviews",
        "reviewed_on",
    ),
    # A report's event ends on or before the report (an incident's or a tally's window end against the
    # compilation's publication is the expectation suite's published_date >= date_end).
    DateChain(
        "event-before-report",
        "a.event_date_end",
        "b.published_date",
        "corroborations a JOIN corroborations b ON b.corroboration_id = a.corroboration_id",
        "corroborations",
        "published_date",
    ),
    # A report offered as the same event as a claim (anything but a conflicting one) reports an event that the
    # compilation could have listed: on or before the compilation's publication.
    DateChain(
        "event-before-report",
        "a.event_date_start",
        "d.published_date",
        "corroborations a JOIN claims c ON c.claim_id = a.claim_id JOIN documents d ON d.document_id = c.document_id "
        "JOIN corroborations b ON b.corroboration_id = a.corroboration_id",
        "corroborations",
        "event_date_start",
        "b.relation <> 'conflicting'",
    ),
    DateChain(
        "event-before-report",
        "a.event_date_end",
        "d.published_date",
        "corroborations a JOIN claims c ON c.claim_id = a.claim_id JOIN documents d ON d.document_id = c.document_id "
        "JOIN corroborations b ON b.corroboration_id = a.corroboration_id",
        "corroborations",
        "event_date_end",
        # A window with no start is a count as of its end (people displaced so far): it may run past the compilation.
        "b.relation <> 'conflicting' AND a.event_date_start IS NOT NULL",
    ),
    DateChain(
        "publication-before-search",
        "d.published_date",
        "b.searched_on",
        "search_log b JOIN claims a ON a.claim_id = b.claim_id JOIN documents d ON d.document_id = a.document_id",
        "search_log",
        "searched_on",
    ),
    DateChain(
        "publication-before-search",
        "a.published_date",
        "s.searched_on",
        "corroborations a JOIN search_log s ON s.search_id = a.search_id "
        "JOIN corroborations b ON b.corroboration_id = a.corroboration_id",
        "corroborations",
        "published_date",
    ),
    DateChain(
        "search-before-review",
        "a.searched_on",
        "b.reviewed_on",
        "search_log a JOIN reviews b ON b.search_id = a.search_id",
        "reviews",
        "reviewed_on",
    ),
    DateChain(
        "search-before-review",
        "a.searched_on",
        "b.reviewed_on",
        "corroborations k JOIN search_log a ON a.search_id = k.search_id "
        "JOIN reviews b ON b.\"table\" = 'corroborations' AND b.row_id = k.corroboration_id",
        "reviews",
        "reviewed_on",
    ),
)


# ---- entity identity --------------------------------------------------------------------------------


def norm_name(text: str | None) -> str:
    """A name as compared for identity: accents, case, punctuation and a leading 'the' ignored."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = re.sub(r"\([^)]*\)", " ", t)  # a parenthesised gloss is not part of the name
    t = re.sub(r"[^\w]+", " ", t).strip()
    return re.sub(r"^the ", "", t)


def host(url: str | None) -> str:
    """A URL's host, lower case, without a leading www."""
    try:
        h = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""
    return h.removeprefix("www.")


@dataclass(frozen=True)
class Identity:
    """Two rows of `table` are one entity when they agree on any one of `keys` (each a tuple of fields,
    compared after `norm`), with every field of that key present."""

    table: str
    keys: tuple[tuple[str, ...], ...]


IDENTITIES: tuple[Identity, ...] = (
    # An outlet: by normalised name, and by its own web domain (sources.domains).
    Identity("sources", (("name",), ("domains",))),
    # A place: by standard name, by gazetteer ID, and by coordinates.
    Identity("places", (("standard_name",), ("geonames_id",), ("latitude", "longitude"))),
    # A search: the same query, corpus and day is the same search.
    Identity("search_log", (("query", "corpus", "searched_on", "claim_id"),)),
)


def id_pattern(table: str) -> str:
    """The Table Schema pattern of an ID of table (its key, and every reference to it)."""
    t = TABLES[table]
    return f"^{t.form}$" if t.form else f"^{t.prefix}-[0-9]{{{t.digits},}}$"


def canonical_id(table: str, value: str) -> bool:
    """True when value is an ID of table in its one canonical form: PREFIX-digits, ASCII, upper case."""
    t = TABLES[table]
    if t.form:
        return re.fullmatch(t.form, value, flags=re.ASCII) is not None
    m = re.fullmatch(rf"{t.prefix}-([0-9]{{{t.digits},}})", value, flags=re.ASCII)
    # Zero-padded to the table's width and no further: INC-0012, never INC-00012.
    return m is not None and (len(m.group(1)) == t.digits or not m.group(1).startswith("0"))


# ---- fields that others depend on -----------------------------------------------------------------

# (table, field, condition in SQL): the field is not empty where the condition holds.
DEPENDENT_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("reviews", "fields_changed", "outcome = 'corrected'", "correcting-review-names-fields"),
)


# ---- date windows and the words that explain them ----------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A date window of a table: its first and last possible day, its named precision (if the table has one) and
    the field whose words say how the window was read."""

    table: str
    start: str
    end: str
    precision: str | None
    basis: str
    words: tuple[str, ...] = ()  # other fields whose words state the window (read with the basis)


WINDOWS: tuple[Window, ...] = (
    Window("incidents", "date_start", "date_end", "date_precision", "date_basis"),
    Window("tallies", "period_start", "period_end", "period_precision", "period_basis"),
    Window("corroborations", "event_date_start", "event_date_end", None, "event_date_basis"),
    Window("context_totals", "period_start", "period_end", None, "basis", ("measure",)),
)
# Bases that explain a single date (the same checks of their words, on one day).
DATE_BASES: tuple[tuple[str, str, str], ...] = (
    ("documents", "published_date", "published_date_basis"),
    ("corroborations", "published_date", "published_date_basis"),
)
# The words by which a basis says that a window ends on the compilation's publication date.
PUBLICATION_BOUND = "upper bound is the publication date"

# Tables whose rows record when they were made: their IDs are issued in order of time, so a later ID never
# carries an earlier date (the search log and the reviews are appended to, never back-dated).
RECORDED_ON: tuple[tuple[str, str], ...] = (
    ("search_log", "searched_on"),
    ("reviews", "reviewed_on"),
    ("coding_decisions", "decided_on"),
)
# (table, date field, fields whose words write it): where those words write a full date (day, month and year),
# the field holds one of the dates written.
WRITTEN_DATES: tuple[tuple[str, str, tuple[str, ...]], ...] = (("crosswalk", "external_date", ("summary", "url")),)
# (table, place reference, the words that name it): the place row has those words among its names.
NAMED_PLACES: tuple[tuple[str, str, str], ...] = (("tallies", "place_id", "area_as_written"),)
# Trackers publish their figures by calendar month: a tracker's period is whole months (from the campaign's first
# day at the earliest) unless its basis says it is part of one, in one of these words.
WHOLE_MONTHS: tuple[tuple[str, str, str, str], ...] = (("context_totals", "period_start", "period_end", "basis"),)
PART_OF_A_MONTH = ("partial", "half", "since")


# ---- constraints beyond IDs and vocabularies ----------------------------------------------------------

# Required, unique, bounds and patterns of every field, kept in the model's own file beside this module; the
# descriptor is checked against it (so a constraint dropped from a field no release holds yet is still caught).
CONSTRAINTS_FILE = Path(__file__).resolve().with_name("model_constraints.json")


@functools.cache
def constraints() -> dict[str, dict[str, dict]]:
    """table -> field -> {constraint: value}, with named patterns written out."""
    data = json.loads(CONSTRAINTS_FILE.read_text(encoding="utf-8"))
    named = data["patterns"]
    return {
        t: {f: {k: named.get(v, v) if k == "pattern" else v for k, v in c.items()} for f, c in fields.items()}
        for t, fields in data["tables"].items()
    }
