"""The compilation annotated (generated/source.md) and a page per incident and per tally
(generated/incidents/INC-NNNN.md, generated/tallies/TAL-NNNN.md).

As everywhere in the book, data reaches the pages only through autoescaped templates, written as
fragments and included with `{raw} html`; the .md files hold nothing but a heading (an incident's title and date
window, or a tally's measure and period, with every punctuation mark escaped by links.markdown_text, so that no
markup can form) and the include. Files are named by row IDs that match ROW_ID, so no data string can choose a path.
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path

from . import citation, coding, figures, geo, links, locator, scope
from .links import ROW_ID, URL, anchor, day_span, markdown_text, page_of, value
from .package import Package, missing, overlap_members, records, reports_with_publisher

COUNTS = ("killed", "children", "women", "injured", "displaced", "strikes")

# The grading scale (Airwars') in words, for a reader; tests/test_source_pages.py checks that every value the
# descriptor allows has its words here.
GRADING_WORDS = {
    "single_source": "single source: one independent source reports it",
    "weak": "weak: independent sources, but thin",
    "fair": "fair: two or more independent sources report it",
    "confirmed": "confirmed: the party responsible has conceded it",
    "contested": "contested: a report names a different perpetrator or place",
    "discounted": "discounted: found not to have happened as claimed",
}


def source_anchor(claim_id: str) -> str:
    return "src-" + anchor(claim_id)


def range_text(lo, hi) -> str:
    """A count range in words ("at least 12", "99", "no figure")."""
    return _range(lo, hi)


def _range(lo, hi) -> str:
    return figures.text({"value_min": None if missing(lo) else int(lo), "value_max": None if missing(hi) else int(hi)})


def coded_counts(row: dict) -> list[dict]:
    """The counts of an incident row that were coded from a phrase: category, phrase, rule, min, max."""
    out = []
    for cat in COUNTS:
        phrase, rule = row.get(f"{cat}_phrase"), row.get(f"{cat}_rule")
        if missing(phrase) and missing(rule):
            continue
        out.append(
            {
                "category": cat,
                "field": cat,
                "phrase": "" if missing(phrase) else str(phrase),
                "rule": "" if missing(rule) else str(rule),
                "rule_text": coding.RULES.get(str(rule), ""),
                "min": _blank(row.get(f"{cat}_min")),
                "max": _blank(row.get(f"{cat}_max")),
                "range": _range(row.get(f"{cat}_min"), row.get(f"{cat}_max")),
            }
        )
    return out


def _blank(v) -> str:
    if missing(v):
        return ""
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def claim_tips(incidents: dict, tallies: dict, claims: list[dict]) -> dict[str, str]:
    """For each claim: 'CLM-0001: kind, INC-0001: coded values', shown on hover and focus."""
    tips = {}
    for c in claims:
        parts = [str(c["kind"]).replace("_", " ")]
        if not missing(c["incident_id"]) and c["incident_id"] in incidents:
            r = incidents[c["incident_id"]]
            coded = [f'{x["category"]} {x["range"]} (“{x["phrase"]}”, {x["rule"]})' for x in coded_counts(r)]
            parts.append(
                f'{c["incident_id"]}: '
                + "; ".join(
                    [f'attributed to {r["alleged_perpetrator"]}'] + coded
                    if coded
                    else [f'attributed to {r["alleged_perpetrator"]}', "no count coded"]
                )
            )
        elif not missing(c["tally_id"]) and c["tally_id"] in tallies:
            t = tallies[c["tally_id"]]
            parts.append(
                f'{c["tally_id"]}: {str(t["measure"]).replace("_", " ")} '
                f'{_range(t["value_min"], t["value_max"])} (“{t["value_phrase"]}”, {t["value_rule"]})'
            )
        else:
            parts.append("linked to no incident or tally")
        tips[c["claim_id"]] = f'{c["claim_id"]}: ' + ", ".join(parts)
    return tips


def source_lines(text: str, claims: list[dict], tips: dict[str, str]) -> list[dict]:
    """The archive's lines, each split into plain and claim segments, with the reason of excluded lines.

    Joining every segment's text and every line's end gives back the archive exactly.
    """
    spans = sorted((int(c["char_start"]), int(c["char_end"]), c) for c in claims if c["status"] == "active")
    out = []
    for ln in scope.lines(text):
        start, end = ln.start, ln.start + len(ln.text)
        segs, pos, covered = [], start, False
        for s, e, c in spans:
            if e <= start or s >= end:
                continue
            s, e = max(s, start), min(e, end)
            if s > pos:
                segs.append({"text": text[pos:s], "claim": None})
            first = s == int(
                c["char_start"]
            )  # a span crossing a line break is marked on each line, its id on the first
            segs.append(
                {
                    "text": text[s:e],
                    "claim": {
                        "id": c["claim_id"],
                        "anchor": anchor(c["claim_id"]),
                        "source_anchor": source_anchor(c["claim_id"]) if first else "",
                        "tip": tips.get(c["claim_id"], c["claim_id"]),
                    },
                }
            )
            pos, covered = e, True
        if pos < end:
            segs.append({"text": text[pos:end], "claim": None})
        key = scope.exclusion(text, ln, covered)
        out.append(
            {
                "number": ln.number,
                "segments": segs,
                "key": key or "",
                "reason": scope.EXCLUDED.get(key, ""),
                "end": "\n" if end < len(text) else "",
            }
        )
    return out


def source_page(pkg: Package, con, frags, render) -> str:
    text = pkg.archive_text()
    claims = records(con, "SELECT * FROM claims ORDER BY char_start")
    incidents = {r["incident_id"]: r for r in records(con, "SELECT * FROM incidents")}
    tallies = {r["tally_id"]: r for r in records(con, "SELECT * FROM tallies")}
    docs = records(con, "SELECT * FROM documents ORDER BY document_id")
    doc = docs[0] if docs else {}
    lines = source_lines(text, claims, claim_tips(incidents, tallies, claims))
    reasons = {k: sum(1 for ln in lines if ln["key"] == k) for k in scope.EXCLUDED}
    meta = {
        "title": doc.get("title") or "",
        "author": doc.get("author") or "",
        "url": value(doc.get("url")),
        "published": value(doc.get("published_date")),
        "published_basis": value(doc.get("published_date_basis")),
        "sha256": hashlib.sha256(pkg.archive_bytes()).hexdigest(),
        "path": pkg.resource("archive").get("path", ""),
        "n_claims": sum(1 for c in claims if c["status"] == "active"),
        "n_lines": len(lines),
    }
    legend = [{"key": k, "reason": r, "count": reasons[k]} for k, r in scope.EXCLUDED.items() if reasons[k]]
    return "# The compilation, annotated\n" + frags.include(
        render("source.html.j2", meta=meta, legend=legend, lines=lines), "source"
    )


def _link(row_id: str, up: str) -> dict | str:
    page = page_of(row_id, up)
    return {"text": row_id, "href": page} if page else row_id


LOCATORS = "locators"  # the folder of the locator maps, under the site's root
# From a row page (generated/incidents/, generated/tallies/) back to the site's root: links stay relative, so that
# a copy of the report works wherever it is placed.
ROOT_FROM_ROW_PAGE = posixpath.relpath(".", "generated/incidents")


def row_pages(con, frags, gen: Path, cff: dict, render) -> list[dict]:
    """Write one page per incident and per tally; return the index entries (kind, id, href, lead, figure, status)."""

    def value(v):
        return links.value(v, up="../")  # the pages live one folder below the register

    claims = records(
        con, "SELECT c.*, s.name AS source_name FROM claims c LEFT JOIN sources s USING (source_id) ORDER BY claim_id"
    )
    places = {p["place_id"]: p for p in records(con, "SELECT * FROM places")}
    groups = {g["overlap_group"]: g for g in records(con, "SELECT * FROM overlap_groups")}
    members = overlap_members(con)
    cors = reports_with_publisher(con)
    xws = records(con, "SELECT * FROM crosswalk ORDER BY crosswalk_id")
    incidents = records(con, "SELECT * FROM incidents ORDER BY incident_id")
    tallies = records(con, "SELECT * FROM tallies ORDER BY tally_id")

    def quotes(rid, key):
        return [
            {
                "id": c["claim_id"],
                "anchor": anchor(c["claim_id"]),
                "quote": c["quote"],
                "line": c["line"],
                "char_start": c["char_start"],
                "char_end": c["char_end"],
                "kind": str(c["kind"]).replace("_", " "),
                "source": c["source_name"] or "none named (rests on the compilation)",
                "status": c["status"],
                "source_anchor": source_anchor(c["claim_id"]) if c["status"] == "active" else "",
            }
            for c in claims
            if c[key] == rid
        ]

    def reports(rid, key):
        out = []
        for k in cors:
            if k[key] != rid and not any(k["claim_id"] == c["claim_id"] and c[key] == rid for c in claims):
                continue
            link = (
                {"text": str(k["publisher"] or k["publisher_as_shown"]), "href": str(k["url"])}
                if URL.match(str(k["url"] or ""))
                else value(k["url"])
            )
            out.append(
                {
                    "id": k["corroboration_id"],
                    "anchor": anchor(k["corroboration_id"]),
                    "link": link,
                    "on_mirror": k.get("on_mirror") is True,
                    "relation": str(k["relation"]).replace("_", " "),
                    "confidence": k["confidence"],
                    "title": value(k["title"]),
                    "published": value(k["published_date"]),
                    "figures": _range(k["killed_min"], k["killed_max"]),
                    "perpetrator": value(k["perpetrator_as_reported"]),
                    "place": value(k["place_as_reported"]),
                    "reasons": str(k["reasons"] or "").replace(";", ", ").replace("_", " "),
                    "summary": value(k["summary"]),
                }
            )
        return out

    def crosswalk(rid, key):
        return [
            [
                value(x["crosswalk_id"]),
                value(x["dataset"]),
                {"text": str(x["external_id"] or x["url"]), "href": str(x["url"])}
                if URL.match(str(x["url"] or ""))
                else value(x["external_id"]),
                value(x["external_date"]),
                value(x["external_location"]),
                _range(x["civilians_min"], x["civilians_max"]),
                value(x["grading"]),
                value(x["match_confidence"]),
                str(x["reasons"] or "").replace(";", ", ").replace("_", " "),
            ]
            for x in xws
            if x[key] == rid
        ]

    ctxs = records(con, "SELECT * FROM context_totals ORDER BY context_id")

    def context(start, end):
        """Systematic trackers' totals whose period overlaps the row's window: for scale, never added."""
        if missing(start) or missing(end):
            return []
        return [
            [
                value(x["context_id"]),
                {"text": str(x["tracker"]), "href": str(x["url"])}
                if URL.match(str(x["url"] or ""))
                else value(x["tracker"]),
                f'{value(x["period_start"])} to {value(x["period_end"])}',
                value(x["measure"]),
                _range(x["value_min"], x["value_max"]),
            ]
            for x in ctxs
            if not missing(x["period_start"])
            and not missing(x["period_end"])
            and x["period_start"] <= end
            and x["period_end"] >= start
        ]

    def overlap(rid, g, up):
        if missing(g):
            return None
        info = groups.get(g, {})
        wider = groups.get(info.get("within_group")) if not missing(info.get("within_group")) else None
        return {
            "id": g,
            "label": value(info.get("label")),
            "reason": value(info.get("reason")),
            "members": [_link(m, up) for m in members.get(g, []) if m != rid],
            # The wider group that joins this one to another, with the most their members can share.
            "wider": None
            if wider is None
            else {
                "id": wider["overlap_group"],
                "label": value(wider.get("label")),
                "reason": value(wider.get("reason")),
                "groups": sorted(k for k, v in groups.items() if v.get("within_group") == wider["overlap_group"]),
                "bound": None if missing(wider.get("max_shared_killed")) else int(wider["max_shared_killed"]),
                "basis": None if missing(wider.get("max_shared_basis")) else _link(wider["max_shared_basis"], up),
            },
        }

    def place(pid):
        p = places.get(pid)
        if not p:
            return None
        coords = (
            f'{p["latitude"]}, {p["longitude"]}' if not missing(p["latitude"]) and not missing(p["longitude"]) else ""
        )
        return {
            "id": pid,
            "anchor": anchor(pid),
            "name": value(p["standard_name"]),
            "as_written": value(p["name_as_written"]),
            "admin1": geo.name(p["admin1_code"], ""),
            "admin1_basis": value(p["admin1_basis"]),
            "coords": coords,
            "coord_basis": value(p["coord_basis"]),
            "coord_origin": value(p["coord_origin"]),
            "on_mirror": p.get("on_mirror") is True,
            "precision": value(p["location_precision"]),
        }

    def fields(r):
        return [(k, value(v)) for k, v in r.items() if value(v) != ""]

    maps = gen / "_downloads_extra" / LOCATORS  # html_extra_path: copied to the site's root
    maps.mkdir(parents=True, exist_ok=True)

    def locator_map(rid, pid):
        """The row's locator map, written beside the downloads; None for a place neither located nor in one
        governorate (the country, several governorates)."""
        p = places.get(pid)
        if not p or p["admin1_code"] not in geo.governorates():
            return None
        gov = geo.name(p["admin1_code"])
        located = not missing(p["latitude"]) and not missing(p["longitude"])
        name = str(p["standard_name"])
        if located:
            alt = f"Locator map of Syria's governorates: {name} marked by a dot in {gov} governorate."
            drawing = render(
                "locator.svg.j2",
                title=alt,
                **locator.drawing(p["admin1_code"], float(p["latitude"]), float(p["longitude"])),
            )
        else:
            alt = f"Locator map of Syria's governorates: {gov} shaded, since {name} has no coordinate."
            drawing = render("locator.svg.j2", title=alt, **locator.drawing(p["admin1_code"]))
        (maps / f"{rid}.svg").write_text(drawing, encoding="utf-8")
        return {"src": f"{ROOT_FROM_ROW_PAGE}/{LOCATORS}/{rid}.svg", "alt": alt, "width": locator.WIDTH}

    index = []
    for kind, rows, key, table in (
        ("incident", incidents, "incident_id", "incidents"),
        ("tally", tallies, "tally_id", "tallies"),
    ):
        folder = gen / table  # links.page_of names the same folder
        folder.mkdir(parents=True, exist_ok=True)
        for r in rows:
            rid = r[key]
            if not ROW_ID.match(str(rid)):
                continue  # never a file named by a string that is not an ID (the gate fails such a row)
            up = "../"
            if kind == "incident":
                lead = value(r["title"])
                counts = coded_counts(r)
                refined = [
                    (k, value(r[k]))
                    for k in (
                        "date_start_refined",
                        "date_end_refined",
                        "killed_min_refined",
                        "killed_max_refined",
                        "refinement_basis",
                    )
                ]
                when = {
                    "start": value(r["date_start"]),
                    "end": value(r["date_end"]),
                    "precision": value(r["date_precision"]),
                    "basis": value(r["date_basis"]),
                }
                stated = [
                    ("alleged perpetrator (as stated)", value(r["alleged_perpetrator"])),
                    ("target", value(r["target_type"])),
                    ("weapon", value(r["weapon"])),
                    ("killed described as", value(r["killed_described_as"])),
                ]
                grading = {"grading": value(r["grading"]), "n_sources": value(r["n_sources"])}
            else:
                lead = f'{str(r["measure"]).replace("_", " ")}: {r["value_phrase"]}'
                counts = [
                    {
                        "category": str(r["measure"]).replace("_", " "),
                        "phrase": str(r["value_phrase"] or ""),
                        "rule": str(r["value_rule"] or ""),
                        "rule_text": coding.RULES.get(str(r["value_rule"]), ""),
                        "min": _blank(r["value_min"]),
                        "max": _blank(r["value_max"]),
                        "field": "value",
                        "range": _range(r["value_min"], r["value_max"]),
                    }
                ]
                refined = None
                when = {
                    "start": value(r["period_start"]),
                    "end": value(r["period_end"]),
                    "precision": value(r["period_precision"]),
                    "basis": value(r["period_basis"]),
                }
                stated = [
                    ("alleged perpetrator (as stated)", value(r["alleged_perpetrator"])),
                    ("area as written", value(r["area_as_written"])),
                ]
                grading = None
            page = page_of(rid)
            facts, caveats = key_facts(r, kind, place(r["place_id"]), reports(rid, key), xws)
            html = render(
                "row.html.j2",
                facts=facts,
                caveats=caveats,
                kind=kind,
                id=rid,
                anchor=anchor(rid),
                lead=lead,
                status=str(r["status"]),
                notes=value(r["notes"]),
                counts=counts,
                refined=refined,
                when=when,
                stated=stated,
                grading=grading,
                quotes=quotes(rid, key),
                reports=reports(rid, key),
                crosswalk=crosswalk(rid, key),
                overlap=overlap(rid, r["overlap_group"], up),
                context=context(
                    r["date_start"] if kind == "incident" else r["period_start"],
                    r["date_end"] if kind == "incident" else r["period_end"],
                ),
                place=place(r["place_id"]),
                locator=locator_map(rid, r["place_id"]),
                fields=fields(r),
                cite=citation.row(cff, rid),
                up=up,
            )
            title = heading(r, kind) + (" (withdrawn)" if r["status"] == "withdrawn" else "")
            (folder / f"{rid}.md").write_text(
                f"# {markdown_text(title)}\n" + frags.include(html, rid.lower(), up="../"), encoding="utf-8"
            )
            index.append(
                {
                    "kind": kind,
                    "id": rid,
                    "href": page,
                    "lead": lead,
                    "title": title,
                    "status": str(r["status"]),
                    "figure": counts[0]["range"]
                    if counts and kind == "tally"
                    else _range(r.get("killed_min"), r.get("killed_max"))
                    if kind == "incident"
                    else "",
                }
            )
    return index


def heading(r: dict, kind: str) -> str:
    """A row page's heading, from the data: what and where (the incident's neutral title, or the tally's measure
    and area), and when (the refined window where reports narrowed it, else the compilation's)."""
    if kind == "incident":
        start = r["date_start_refined"] if not missing(r.get("date_start_refined")) else r["date_start"]
        end = r["date_end_refined"] if not missing(r.get("date_end_refined")) else r["date_end"]
        return f"{r['title']}, {day_span(start, end)}"
    what = str(r["measure"]).replace("_", " ").capitalize()
    area = "" if missing(r.get("area_as_written")) else f" in {r['area_as_written']}"
    return f"{what}{area}, {day_span(r['period_start'], r['period_end'])}"


def key_facts(r: dict, kind: str, place: dict | None, reports: list[dict], xws: list[dict]):
    """The key facts shown first on a row page, as (label, text) pairs, and its caveats in words: a conflicting
    report, a matched record of another dataset whose toll differs, a single source."""
    facts = [("row", r["incident_id"] if kind == "incident" else r["tally_id"])]
    if kind == "incident":
        window = day_span(r["date_start"], r["date_end"])
        if not missing(r.get("date_start_refined")):
            window = f"{day_span(r['date_start_refined'], r['date_end_refined'])} (refined by reports; compilation: {window})"
        facts.append(("when", window))
    else:
        facts.append(("period", day_span(r["period_start"], r["period_end"])))
    if place:
        where = place["name"] if isinstance(place["name"], str) else ""
        facts.append(("where", where + (f", {place['admin1']} governorate" if place["admin1"] else "")))
    if kind == "incident":
        facts.append(("reported killed", _range(r["killed_min"], r["killed_max"])))
        facts.append(("reported injured", _range(r["injured_min"], r["injured_max"])))
    else:
        facts.append((str(r["measure"]).replace("_", " "), _range(r["value_min"], r["value_max"])))
    facts.append(
        ("alleged perpetrator (as stated)", "" if missing(r["alleged_perpetrator"]) else str(r["alleged_perpetrator"]))
    )
    caveats = []
    if kind == "incident":
        grading = str(r["grading"] or "")
        facts.append(("grading", GRADING_WORDS.get(grading, grading)))
        n = 0 if missing(r["n_sources"]) else int(r["n_sources"])
        facts.append(("independent sources", f"{n}"))
        for rep in reports:
            if rep["relation"] == "conflicting":
                who = rep["link"]["text"] if isinstance(rep["link"], dict) else str(rep["link"] or "a report")
                caveats.append(f"A report conflicts with the claim ({who}, {rep['confidence']} confidence).")
        claimed = (
            None if missing(r["killed_min"]) else int(r["killed_min"]),
            None if missing(r["killed_max"]) else int(r["killed_max"]),
        )
        for x in xws:
            if x["incident_id"] != r["incident_id"] or (missing(x["civilians_min"]) and missing(x["civilians_max"])):
                continue
            theirs = (
                None if missing(x["civilians_min"]) else int(x["civilians_min"]),
                None if missing(x["civilians_max"]) else int(x["civilians_max"]),
            )
            if theirs != claimed and claimed != (None, None):
                caveats.append(
                    f"The matched {x['dataset']} record{'' if missing(x['external_id']) else ' ' + str(x['external_id'])} "
                    f"gives {_range(*theirs)} civilians killed; the compilation claims {_range(*claimed)}."
                )
        if grading == "single_source":
            caveats.append("It rests on a single source: no independent report of it was found.")
    return facts, caveats
