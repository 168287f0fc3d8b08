"""Bring the pending evidence of 2026-11-25 into the tables, with its second-pass reviews.

Run from the package root:  .venv/bin/python evidence/import_pending.py

Inputs (kept unchanged as the record of origin):
- evidence/pending/recall-pass-2026-11-25.json: the recall pass (searches with every URL returned,
  new corroborations, a result per row);
- evidence/pending/crosswalks-beyond-airwars-2026-11-25.json: crosswalk candidates in SNHR and UCDP GED
  records (its searches are already in search_log as SRCH-0322..SRCH-0364, matched by query and corpus);
- evidence/reviews-2026-11-25/*.json: second-pass reviews of the new rows by readers who did not code
  them (NEWCOR-nn = new_corroborations[nn-1], NEWXW-nn = new_crosswalk[nn-1]).

Rerunnable: the IDs each item became are kept in evidence/import-ids.json; a second run rewrites the
same rows under the same IDs. Tables are written only through build_report.csvio.write. No URL, date or
name is typed here: each comes from the JSON files. The script only matches publishers to existing
sources (PUBLISHERS, RELIES_ON) and classifies new sources (NEW_TYPES).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from build_report import csvio

EVIDENCE = ROOT / "evidence"
RECALL = EVIDENCE / "pending" / "recall-pass-2026-11-25.json"
CROSSWALK = EVIDENCE / "pending" / "crosswalks-beyond-airwars-2026-11-25.json"
REVIEWS = EVIDENCE / "reviews-2026-11-25"
IDS = EVIDENCE / "import-ids.json"
SEARCHED_ON = "2026-11-25"  # the day every pending search and review was made (named in the files' names)

# Publisher as shown -> an existing source (same organisation).
PUBLISHERS = {
    "Syria Direct": "SRC-019",
    "Syrian Press Center (المركز الصحفي السوري)": "SRC-032",
    "Physicians for Human Rights (PHR)": "SRC-006",
    "Akhbar al-Aan (أخبار الآن)": "SRC-047",
    "Middle East Eye": "SRC-034",
    "Micro Syria (مايكرو سيريا)": "SRC-064",
    "Syrian Observatory for Human Rights (المرصد السوري لحقوق الإنسان)": "SRC-023",
    "Orient Net (أورينت نت)": "SRC-020",
    "Syrian Mirror (مرآة سوريا)": "SRC-049",
    "VICE News": "SRC-051",
    "BuzzFeed News": "SRC-004",
    "Al Jazeera English": "SRC-048",
    "Al Jazeera Net (الجزيرة نت)": "SRC-048",
}
# The report's own "relies on" words -> the source relied on: an existing source, "new" (a new source
# named by those words up to the first parenthesis or semicolon), or None (a body that is not a source
# of harm figures; the words stay in the corroboration's summary).
RELIES_ON = {
    "Andan Media Center (first responder Adnan Mudlij)": "new",
    "Physicians for Human Rights (PHR)": "SRC-006",
    "Syrian Observatory for Human Rights (SOHR)": "SRC-023",
    "Human Rights Watch (HRW)": "SRC-063",
    "Anadolu Agency correspondent, citing Syrian Civil Defence teams": "SRC-003",
    "Amnesty International": "new",
    # The first monitor named; the row for TAL-0005 takes the civilian figure of the second (see its review).
    "Violations Documentation Center (VDC); Syrian Observatory for Human Rights (SOHR)": "new",
    "Syrian Observatory for Human Rights (SOHR); sources quoted by Al Jazeera": "SRC-023",
    "Free Education Directorate, Latakia countryside": None,
    "Central Sharia Court of al-Houla": None,
}
# Kind of each new source (sources.source_type).
NEW_TYPES = {
    "Masdar (zamanmasdar.com)": "news_outlet",
    "CIVIC – Center for Civilians in Conflict (Press Room)": "ngo",
    "Hibr Press (حبر)": "news_outlet",
    "Hmak (موجز حماك)": "news_outlet",
    "Sabq (سبق)": "news_outlet",
    "Energy Bulletin (daily.energybulletin.org, relaying BBC)": "news_outlet",
    "Andan Media Center": "activist_media",
    "Amnesty International": "ngo",
    "Violations Documentation Center": "monitor",
}
# UCDP GED event ids are numbers; the crosswalk's external_id takes letters then digits.
GED_PREFIX = "GED"


def _num(ident: str) -> int:
    return int(ident.split("-")[1])


def search_row(sid: str, claim: str, search: dict, day: str, kept: list[str], n_default: int | None = None) -> dict:
    """The search_log row of one logged search (of an import or a review): kept are the URLs it returned that the
    data uses; n_results, when the search does not give it, is n_default or else the number of URLs returned."""
    returned = len(search.get("urls_returned", []))
    return {
        "search_id": sid,
        "claim_id": claim,
        "query": search["query"].strip(),
        "corpus": search.get("corpus", "pages"),
        "searched_on": day,
        "n_results": search.get("n_results", returned if n_default is None else n_default),
        "outcome": "found" if kept else "not_found",
        "urls_kept": " ".join(kept),
    }


class Table:
    def __init__(self, name: str, key: str):
        self.name, self.key = name, key
        self.path = ROOT / "data" / f"{name}.csv"
        self.fields, self.rows = csvio.read(self.path)
        self.index = {r[key]: r for r in self.rows}
        self.reserved: set[str] = set()

    def next_id(self, prefix: str, width: int) -> str:
        n = max((_num(k) for k in set(self.index) | self.reserved), default=0) + 1
        self.reserved.add(f"{prefix}-{n:0{width}d}")
        return f"{prefix}-{n:0{width}d}"

    def put(self, row: dict) -> None:
        """Write the given fields of a row (a new row gets every field; fields not given stay as they are)."""
        row = {f: ("" if v is None else str(v)) for f, v in row.items()}
        unknown = set(row) - set(self.fields)
        if unknown:
            raise SystemExit(f"{self.name}: unknown fields {sorted(unknown)}")
        if row[self.key] in self.index:
            self.index[row[self.key]].update(row)
        else:
            row = {f: row.get(f, "") for f in self.fields}
            self.rows.append(row)
            self.index[row[self.key]] = row

    def save(self) -> None:
        csvio.write(self.path, self.fields, self.rows)


def _file_in_query(url: str, query: str) -> bool:
    """A fetch or read_file look-up opened a GitHub file: its address at the commit is what it returned."""
    m = re.match(r"https://github\.com/([^/]+/[^/]+)/blob/[0-9a-f]{40}/(.+)$", url)
    return bool(m) and (m.group(1) in query or m.group(2).rsplit("/", 1)[-1] in query)


def main() -> int:
    ids = json.loads(IDS.read_text(encoding="utf-8")) if IDS.exists() else {}
    recall = json.loads(RECALL.read_text(encoding="utf-8"))
    xw = json.loads(CROSSWALK.read_text(encoding="utf-8"))
    reviewer_files = sorted(REVIEWS.glob("*.json")) if REVIEWS.exists() else []

    log, sources = Table("search_log", "search_id"), Table("sources", "source_id")
    cors, cross = Table("corroborations", "corroboration_id"), Table("crosswalk", "crosswalk_id")
    revs = Table("reviews", "review_id")
    claims = {r["claim_id"]: r for r in csvio.read(ROOT / "data" / "claims.csv")[1]}

    def assign(key: str, table: Table, prefix: str, width: int) -> str:
        if key not in ids:
            ids[key] = table.next_id(prefix, width)
        return ids[key]

    # -- Rows as the reviews leave them: corrections applied before anything is written.
    new_cor = [dict(c) for c in recall["new_corroborations"]]
    new_xw = [dict(x) for x in xw["new_crosswalk"]]
    reviews = []  # (label, file dict, review)
    for path in reviewer_files:
        d = json.loads(path.read_text(encoding="utf-8"))
        for rv in d.get("reviews", []):
            reviews.append((d.get("reviewer") or path.stem, d, rv))
    changed: dict[str, list[str]] = {}
    for label, _, rv in reviews:
        kind, n = rv["row_id"].rsplit("-", 1)
        row = (new_cor if kind == "NEWCOR" else new_xw)[int(n) - 1]
        for field, value in (rv.get("corrections") or {}).items():
            if field not in row:
                raise SystemExit(f"{rv['row_id']}: correction of unknown field {field}")
            if str(row[field] or "") != str(value or ""):
                row[field] = value
                changed.setdefault(rv["row_id"], []).append(field)

    # -- The recall pass: one search_log row per search; URLs kept are those a new row cites.
    cited: dict[str, list[str]] = {}
    claim_of: dict[str, str] = {}
    for c in new_cor:
        if c["url"] not in cited.setdefault(c["search_ref"], []):
            cited[c["search_ref"]].append(c["url"])
        claim_of.setdefault(c["search_ref"], c["claim_id"])
    for p in recall["per_row"]:
        row_claims = sorted(
            k for k, r in claims.items() if r["status"] == "active" and p["row_id"] in (r["incident_id"], r["tally_id"])
        )
        for ref in p["search_refs"]:
            claim_of.setdefault(ref, row_claims[0] if row_claims else "")
    recall_sid = {}
    for s in recall["searches"]:
        sid = assign(f"recall:{s['ref']}", log, "SRCH", 4)
        recall_sid[s["ref"]] = sid
        kept = [u for u in cited.get(s["ref"], []) if u in s["urls_returned"]]
        missing = [u for u in cited.get(s["ref"], []) if u not in s["urls_returned"]]
        if missing:
            raise SystemExit(f"recall {s['ref']}: cited URL not returned: {missing}")
        log.put(
            {
                "search_id": sid,
                "claim_id": claim_of.get(s["ref"], ""),
                "query": s["query"].strip(),
                "corpus": s["corpus"],
                "searched_on": SEARCHED_ON,
                "n_results": s["n_results"],
                "outcome": "found" if kept else "not_found",
                "urls_kept": " ".join(kept),
            }
        )

    # -- The crosswalk searches are in search_log already (same query and corpus, searched on the same day).
    xw_sid = {}
    for s in xw["searches"]:
        hits = [
            r
            for r in log.rows
            if r.get("query") == s["query"].strip()
            and r.get("corpus") == s["corpus"]
            and r.get("searched_on") == SEARCHED_ON
        ]
        if not hits:
            raise SystemExit(f"crosswalk search {s['ref']} is not in search_log")
        xw_sid[s["ref"]] = hits[-1]["search_id"]
    ids["crosswalk-searches"] = xw_sid

    # -- Sources: an existing one for a known publisher, else a new row named as the result shows it.
    def source(name: str, origin_sid: str) -> str:
        if name in PUBLISHERS:
            return PUBLISHERS[name]
        if name not in NEW_TYPES:
            raise SystemExit(f"no source for publisher {name!r}: add it to PUBLISHERS or NEW_TYPES")
        sid = assign(f"source:{name}", sources, "SRC", 3)
        sources.put(
            {
                "source_id": sid,
                "name": name,
                "source_type": NEW_TYPES[name],
                "independence_group": sid,
                "notes": f"Added with the recall pass of {SEARCHED_ON}: named by a report that search {origin_sid} returned.",
            }
        )
        return sid

    def relied_on(words: str, origin_sid: str) -> str:
        if not words:
            return ""
        if words not in RELIES_ON:
            raise SystemExit(f"relies_on {words!r} is not mapped in RELIES_ON")
        target = RELIES_ON[words]
        if target == "new":
            return source(re.split(r" \(|;", words)[0].strip(), origin_sid)
        return target or ""

    # -- Corroborations.
    for i, c in enumerate(new_cor):
        cid = assign(f"recall:cor:{i}", cors, "COR", 4)
        ids.setdefault("NEWCOR", {})[f"NEWCOR-{i + 1:02d}"] = cid
        sid = recall_sid[c["search_ref"]]
        summary = " ".join(c["summary"].split())
        relies = relied_on(c["relies_on"], sid)
        if c["relies_on"] and not relies:
            summary += f" The report relies on: {c['relies_on']}."
        cors.put(
            {
                "corroboration_id": cid,
                "claim_id": c["claim_id"],
                "incident_id": c["incident_id"],
                "tally_id": c["tally_id"],
                "search_id": sid,
                "query": log.index[sid]["query"],
                "url": c["url"],
                "source_id": source(c["publisher_as_shown"], sid),
                "publisher_as_shown": c["publisher_as_shown"],
                "title": c["title"],
                "published_date": c["published_date"],
                "published_date_basis": c["published_date_basis"] if c["published_date"] else "",
                "event_date_start": c["event_date_start"],
                "event_date_end": c["event_date_end"],
                "event_date_basis": c["event_date_basis"] if c["event_date_start"] else "",
                "place_as_reported": c["place_as_reported"],
                "killed_min": c["killed_min"],
                "killed_max": c["killed_max"],
                "injured_min": c["injured_min"],
                "injured_max": c["injured_max"],
                "perpetrator_as_reported": c["perpetrator_as_reported"],
                "relation": c["relation"],
                "confidence": c["confidence"],
                "reasons": c["reasons"],
                "relies_on_source_id": relies,
                "summary": summary,
            }
        )

    # -- Crosswalk rows: the search that returned the record's address (for a fetched repository, the fetch).
    for i, x in enumerate(new_xw):
        xid = assign(f"crosswalk:{i}", cross, "XW", 4)
        ids.setdefault("NEWXW", {})[f"NEWXW-{i + 1:02d}"] = xid
        sid = xw_sid[x["search_ref"].split(";")[-1]]
        srow = log.index[sid]
        kept = srow["urls_kept"].split()
        if x["url"] not in kept:
            if srow["corpus"] in ("fetch", "read_file") and _file_in_query(x["url"], srow["query"]):
                srow["urls_kept"] = " ".join(kept + [x["url"]])
                srow["outcome"] = "found"
            else:
                raise SystemExit(f"crosswalk {i}: {x['url']} is not kept by {sid}")
        ext = x["external_id"]
        if ext and x["dataset"] == "UCDP GED":
            ext = GED_PREFIX + ext
        cross.put(
            {
                "crosswalk_id": xid,
                "dataset": x["dataset"],
                "incident_id": x["incident_id"],
                "tally_id": x["tally_id"],
                "external_id": ext,
                "url": x["url"],
                "search_id": sid,
                "query": srow["query"],
                "external_date": x["external_date"],
                "external_location": x["external_location"],
                "civilians_min": x["civilians_min"],
                "civilians_max": x["civilians_max"],
                "match_confidence": x["match_confidence"],
                "reasons": x["reasons"],
                "summary": " ".join(x["summary"].split()),
            }
        )

    # -- Reviews: each reviewer's searches into search_log, one reviews row per reviewed row.
    for path in reviewer_files:
        d = json.loads(path.read_text(encoding="utf-8"))
        label = d.get("reviewer") or path.stem
        users: dict[str, list[dict]] = {}
        for rv in d.get("reviews", []):
            users.setdefault(rv.get("search_ref"), []).append(rv)
        sids = {}
        for s in d.get("searches", []):
            sid = assign(f"review:{label}:{s['ref']}", log, "SRCH", 4)
            sids[s["ref"]] = sid
            kept, claim = [], ""
            for rv in users.get(s["ref"], []):
                row = target_row(rv["row_id"], ids, cors, cross)
                url = row["url"]
                returned = url in s.get("urls_returned", []) or (
                    s["corpus"] in ("fetch", "read_file") and rv.get("url_returned") and _file_in_query(url, s["query"])
                )
                if returned and url not in kept:
                    kept.append(url)
                claim = claim or row.get("claim_id", "")
            log.put(search_row(sid, claim, s, SEARCHED_ON, kept))
        for rv in d.get("reviews", []):
            table, row = target_table(rv["row_id"], ids, cors, cross)
            rid = assign(f"review:{rv['row_id']}", revs, "REV", 4)
            fields = changed.get(rv["row_id"], [])
            outcome = rv["outcome"]
            if outcome == "corrected" and not fields:
                outcome = "confirmed"
            revs.put(
                {
                    "review_id": rid,
                    "table": table.name,
                    "row_id": row[table.key],
                    "reviewed_on": SEARCHED_ON,
                    "reviewer": f"second-pass reviewer {label} (a fresh reader, not the coder)",
                    "search_id": sids.get(rv.get("search_ref"), ""),
                    "outcome": outcome,
                    "fields_changed": ";".join(fields),
                    "note": " ".join(rv.get("note", "").split()),
                }
            )

    for t in (log, sources, cors, cross, revs):
        t.save()
    IDS.write_text(json.dumps(ids, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    reviewed = {rv["row_id"] for _, _, rv in reviews}
    print(
        f"{len(new_cor)} corroborations, {len(new_xw)} crosswalk rows, {len(recall['searches'])} recall searches, "
        f"{len(reviews)} reviews ({len(changed)} rows corrected)"
    )
    unreviewed = [k for k in list(ids.get("NEWCOR", {})) + list(ids.get("NEWXW", {})) if k not in reviewed]
    if unreviewed:
        print("not reviewed:", " ".join(f"{k}={ids['NEWCOR'].get(k) or ids['NEWXW'].get(k)}" for k in unreviewed))
    return 0


def target_table(ref: str, ids: dict, cors: Table, cross: Table):
    kind = ref.rsplit("-", 1)[0]
    table = cors if kind == "NEWCOR" else cross
    return table, table.index[ids[kind][ref]]


def target_row(ref: str, ids: dict, cors: Table, cross: Table) -> dict:
    return target_table(ref, ids, cors, cross)[1]


if __name__ == "__main__":
    sys.exit(main())
