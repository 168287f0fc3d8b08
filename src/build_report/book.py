"""Book generation: render page templates with registry figures and charts, and generate the
register, data dictionary, downloads, citation, changelog and data-quality pages under book/generated/.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

import duckdb
from markdown_it import MarkdownIt
from markupsafe import Markup

from . import (
    artefacts,
    chart_files,
    charts,
    citation,
    coder,
    coding,
    csvio,
    figures,
    geo,
    lexicon,
    outputs,
    queries,
    query_page,
    releases,
    source_pages,
    validate,
)
from .checks import agreement, contract, registry
from .links import REGISTER_SECTIONS, ROW_ID, URL, anchor, page_of, value
from .links import day_span as links_day_span
from .package import (
    Package,
    _q,
    columns_and_records,
    connect,
    missing,
    overlap_members,
    records,
    reports_with_publisher,
)
from .rendering import env, render

FIG = re.compile(r"\{\{(fig|chart|table|rules|gate|lead):([a-z_]+)\}\}")


class Fragments:
    """HTML fragments written beside the generated pages and included verbatim with `{raw} html`."""

    def __init__(self, gen: Path):
        self.folder = gen / "_html"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def include(self, html_text: str, name: str = "", up: str = "") -> str:
        """Write a fragment; `up` is the way from the including page's folder back to generated/ ('../')."""
        self.count += 1
        path = self.folder / f"{self.count:03d}{'-' + name if name else ''}.html"
        path.write_text(html_text, encoding="utf-8")
        return f"\n```{{raw}} html\n:file: {up}_html/{path.name}\n```\n"


# Project prose (CHANGELOG.md) is text too: CommonMark with raw HTML off, so a tag shows as written, and no MyST, so
# a directive or a role is shown as code and never run. Unsafe link schemes are refused by markdown-it itself.
_PROSE = MarkdownIt("commonmark", {"html": False})


def prose_html(text: str) -> str:
    """HTML of a piece of project prose, with raw HTML escaped and no directive or role interpreted."""
    return _PROSE.render(text)


def inline():
    """The macros of inline.html.j2 (a row link, a figure's value), for markup that sits inside prose."""
    return env().get_template("inline.html.j2").module


def row_link(row_id: str) -> str:
    return str(inline().row_link(row_id, anchor(row_id)))


def chart_spec_json(spec: dict) -> Markup:
    """A chart spec as compact JSON (no spaces after separators: the page carries the map's boundaries) that is
    safe inside a script element: <, > and & are \\u escapes."""
    text = (
        json.dumps(spec, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    return Markup(text)


def chart_source(pkg: Package, cff: dict) -> str:
    """The source line under a chart: the data package and version, and the sources the descriptor names
    (each title up to its first semicolon: the rest says where the project keeps it)."""
    named = [str(s.get("title", "")).split(";")[0] for s in pkg.descriptor.get("sources") or []]
    built = f", built from: {'; '.join(n for n in named if n)}" if any(named) else ""
    return f"{cff['title']}, version {cff['version']}{built}"


def render_template(text: str, con, state: dict, frags: Fragments) -> str:
    """Replace {{fig:NAME}} with the value and a footnote, {{chart:NAME}}/{{table:NAME}} with included HTML."""
    notes: list[str] = []

    def sub(m):
        kind, name = m.groups()
        if kind == "fig":
            fig = figures.compute(con, name)
            spec = figures.FIGURES[name]
            attrs = [(k.replace("_", "-"), "" if v is None else int(v)) for k, v in fig.items() if k != "ids"]
            grading = " This figure depends on the grading rule." if spec.depends_on_grading else ""
            notes.append(
                f"[^{name}]: {html.escape(spec.label).capitalize()}, from query `{spec.query}` "
                f"({html.escape(queries.describe(spec.query))}). Rows: "
                + (", ".join(row_link(i) for i in fig["ids"] if ROW_ID.match(i)) or "none")
                + "."
                + grading
                + " "
                + str(inline().recompute(spec.query))
                + "."
            )
            ids = " ".join(i for i in fig["ids"] if ROW_ID.match(i))
            return str(inline().figure(name, attrs, ids, figures.text(fig))) + f"[^{name}]"
        if kind == "table":
            return frags.include(query_table(con, name), name)
        if kind == "lead":
            return frags.include(lead_block(con), "lead")
        if kind == "rules":
            return frags.include(rules_table(), "rules")
        if kind == "gate":
            return frags.include(
                gate_rules_table()
                if name == "rules"
                else coder_lexicons_table()
                if name == "coder_lexicons"
                else lexicons_table(),
                f"gate-{name}",
            )
        state["chart_no"] += 1
        chart = figures.CHARTS[name]
        df = queries.run(con, chart.query)
        alt_text = charts.describe(chart.builder, df, chart.alt)
        spec = charts.build(chart.builder, df, alt_text)
        columns, rows = charts.table(chart.builder, df)
        # The downloads are drawn from the same spec and data frame as the chart on the page.
        files = chart_files.write(name, spec, df, state["extra"])
        licence = state["licence"]
        return frags.include(
            render(
                "chart.html.j2",
                name=name,
                query=chart.query,
                rows=len(df),
                alt=alt_text,
                caption=chart.caption,
                number=state["chart_no"],
                spec_json=chart_spec_json(spec),
                columns=columns,
                table_rows=rows,
                source=f"{state['source']}; query {chart.query} ({queries.describe(chart.query)}).",
                licence=licence["name"],
                licence_url=licence.get("path", ""),
                licence_title=licence.get("title", ""),
                cite=citation.figure(state["cff"], state["chart_no"], chart.caption, name),
                files=files,
                up="../",  # chart pages are generated/<page>.html; the files sit at the site's root
            ),
            name,
        )

    body = FIG.sub(sub, text)
    return body + ("\n\n" + "\n\n".join(dict.fromkeys(notes)) + "\n" if notes else "")


def lead_block(con) -> str:
    """The home page's opening: the key figures (each from its named query, with the rows behind it one link
    away), the systematic trackers' totals for the same months (context_totals, never added to anything) for the period of
    the incidents, the compilation named from the documents table, and the caveat that these are claims."""
    figs = []
    for name, words in figures.lead():
        fig = figures.compute(con, name)
        figs.append({"name": name, "value": figures.text(fig), "words": words, "ids": len(fig["ids"])})
    # The same period: the trackers' rows that overlap the incidents' windows.
    span = con.execute("SELECT min(date_start), max(date_end) FROM active_incidents").fetchone()
    trackers = [
        {
            "tracker": r["tracker"],
            "url": str(r["url"]) if URL.match(str(r["url"] or "")) else "",
            "period": links_day_span(r["period_start"], r["period_end"]),
            "value": figures.text({"value_min": _int(r["value_min"]), "value_max": _int(r["value_max"])}),
            "measure": r["measure"],
        }
        for r in records(con, queries.sql("context_comparison"))
        if span[0] is not None and r["period_end"] >= span[0] and r["period_start"] <= span[1]
    ]
    docs = [
        {
            "title": d["title"],
            "author": d["author"],
            "publisher": d["publisher"],
            "published": links_day_span(d["published_date"], d["published_date"]),
            "url": str(d["url"]) if URL.match(str(d["url"] or "")) else "",
        }
        for d in records(con, "SELECT * FROM documents ORDER BY document_id")
    ]
    return render("lead.html.j2", figures=figs, trackers=trackers, documents=docs)


def rules_table() -> str:
    """The coding rules as a table, each row worked out by coding.code_count on an example wording."""
    rows = []
    for rule, what in coding.RULES.items():
        example = coding.EXAMPLES[rule]
        lo, hi = coding.code_count(example, rule)
        rows.append([rule, what, f"“{example}”", value(lo), value(hi)])
    return render(
        "table.html.j2",
        columns=["rule", "what it covers", "example wording", "min", "max"],
        rows=rows,
        cls="rules",
        note="",
    )


def gate_rules_table() -> str:
    """Every rule of the gate with the module that owns it and an example failure: the first case of the fault
    catalogues that makes it fire (checks/examples.csv, kept equal to the catalogues by tests/test_rules.py)."""
    examples = registry.examples()
    rows = []
    for rule, (owner, what) in registry.rules().items():
        if rule in examples:
            example = f"{examples[rule][0]} → {examples[rule][1]}"
        else:
            example = "no case can be made: " + registry.no_case().get(rule, "")
        rows.append([rule, owner, what, example])
    return render(
        "table.html.j2",
        columns=["rule", "owner", "what it guards against", "example failure (fault catalogue)"],
        rows=rows,
        cls="gate-rules",
        note="",
    )


def lexicons_table() -> str:
    rows = [
        [group, key, ", ".join(words)]
        for group, entries in lexicon.lexicons().items()
        for key, words in entries.items()
    ]
    return render("table.html.j2", columns=["list", "value", "words"], rows=rows, cls="lexicons", note="")


def coder_lexicons_table() -> str:
    rows = [
        [group, key, ", ".join(words)] for group, entries in coder.lexicons().items() for key, words in entries.items()
    ]
    return render("table.html.j2", columns=["list", "value", "words"], rows=rows, cls="lexicons", note="")


def query_table(con, query: str) -> str:
    """An HTML table of a named query; IDs link to the register, URLs are links, ranges read as ranges."""
    columns, records_ = columns_and_records(con, queries.sql(query))
    for lo, hi, name in (("value_min", "value_max", "value"), ("killed_min", "killed_max", "killed")):
        if lo in columns:
            for r in records_:
                r[name] = figures.text({"value_min": _int(r.pop(lo)), "value_max": _int(r.pop(hi))})
            columns = [c for c in columns if c not in (lo, hi)] + [name]
    linked = None
    for name in ("publisher", "tracker"):
        if name in columns and "url" in columns:
            linked = name
    shown = [c for c in columns if not (c == "url" and linked)]
    rows = []
    for r in records_:
        row = []
        for c in shown:
            v = value(r[c])
            if c == linked and URL.match(str(r["url"] or "")):
                v = {"text": str(r[c]), "href": str(r["url"])}
            row.append(v)
        rows.append(row)
    return render(
        "table.html.j2", columns=[c.replace("_", " ") for c in shown], rows=rows, cls=f"query-{query}", note=""
    )


def _int(v):
    return None if v is None else int(v)


def _dated(row) -> bool:
    return bool(row) and not missing(row.get("date_start")) and not missing(row.get("date_end"))


NO_GOVERNORATE = "no governorate (country or region)"


def register_page(con, frags: Fragments, cff: dict) -> str:
    def cite(row_id):
        return citation.row(cff, row_id)

    claims = records(con, "SELECT * FROM claims ORDER BY claim_id")
    by_incident, by_tally = {}, {}
    for c in claims:
        if not missing(c["incident_id"]):
            by_incident.setdefault(c["incident_id"], []).append(c)
        if not missing(c["tally_id"]):
            by_tally.setdefault(c["tally_id"], []).append(c)
    places = {p["place_id"]: p for p in records(con, "SELECT * FROM places ORDER BY place_id")}
    sources = {s["source_id"]: s for s in records(con, "SELECT * FROM sources")}
    groups = overlap_members(con)
    cors = reports_with_publisher(con)
    reports: dict[str, list[dict]] = {}
    for k in cors:
        item = {
            "row": k["corroboration_id"],
            "label": f"{str(k['relation']).replace('_', ' ')} ({k['confidence']} confidence)",
            "link": {"text": str(k["publisher"] or k["publisher_as_shown"]), "href": str(k["url"])}
            if URL.match(str(k["url"]))
            else str(k["url"]),
        }
        for key in ("incident_id", "tally_id", "claim_id"):
            if not missing(k[key]):
                reports.setdefault(k[key], []).append(item)
    for x in records(con, "SELECT * FROM crosswalk ORDER BY crosswalk_id"):
        item = {
            "row": "",
            "label": f"{x['dataset']} {'' if missing(x['external_id']) else x['external_id']} "
            f"({x['match_confidence']} match confidence)",
            "link": value(x["url"]),
        }
        for key in ("incident_id", "tally_id"):
            if not missing(x[key]):
                reports.setdefault(x[key], []).append(item)

    def quotes(cs):
        return [
            {
                **c,
                "anchor": anchor(c["claim_id"]),
                "source_anchor": source_pages.source_anchor(c["claim_id"]) if c["status"] == "active" else "",
            }
            for c in cs
        ]

    def fields(r, skip=()):
        return [(k, value(v)) for k, v in r.items() if k not in skip and value(v) != ""]

    def partners(row_id, g):
        if missing(g):
            return ""
        return f"{g}: " + ", ".join(x for x in groups.get(g, []) if x != row_id)

    # What the register's filters match on (templates/register.html.j2, _static/register.js): each entry carries the
    # governorate names, gradings, claim kinds and link statuses of the rows it belongs to; an entry without a
    # value for a dimension is hidden while that dimension is filtered.
    def gov_of_place(place_id):
        if missing(place_id) or place_id not in places:
            return []
        code = places[place_id]["admin1_code"]
        return [geo.name(code, NO_GOVERNORATE)]

    rows_of = {
        r["incident_id"]: r
        for r in records(con, "SELECT incident_id, place_id, grading, date_start, date_end FROM incidents")
    }
    rows_of |= {
        r["tally_id"]: r
        for r in records(
            con, "SELECT tally_id, place_id, period_start AS date_start, period_end AS date_end FROM tallies"
        )
    }
    claim_of = {c["claim_id"]: c for c in claims}

    def facets(row_ids=(), claim_rows=(), place_id=None, table=""):
        row_ids = [i for i in row_ids if not missing(i)]
        claim_rows = list(claim_rows)
        gov = set(gov_of_place(place_id))
        for i in row_ids:
            gov.update(gov_of_place(rows_of.get(i, {}).get("place_id")))
        return {
            "table": table,
            "gov": sorted(gov),
            "grading": sorted(
                {
                    str(rows_of[i]["grading"]).replace("_", " ")
                    for i in row_ids
                    if not missing(rows_of.get(i, {}).get("grading"))
                }
            ),
            "kind": sorted({str(c["kind"]).replace("_", " ") for c in claim_rows}),
            "link": sorted({str(c["link_status"]).replace("_", " ") for c in claim_rows}),
            # The widest window of the rows it belongs to (ISO dates compare as text), for the date filter.
            "start": min((str(rows_of[i]["date_start"]) for i in row_ids if _dated(rows_of.get(i))), default=""),
            "end": max((str(rows_of[i]["date_end"]) for i in row_ids if _dated(rows_of.get(i))), default=""),
        }

    incidents = []
    for r in records(con, "SELECT * FROM incidents ORDER BY incident_id"):
        p = places.get(r["place_id"], {})
        f = fields(r, ("title",))
        f.append(
            (
                "place",
                (
                    f'{p.get("standard_name")} ({geo.name(p.get("admin1_code"), "no governorate")}), '
                    f'precision {p.get("location_precision")}'
                ),
            )
        )
        f.append(("overlap partners", partners(r["incident_id"], r["overlap_group"]) or ""))
        incidents.append(
            {
                "id": r["incident_id"],
                "anchor": anchor(r["incident_id"]),
                "title": r["title"],
                "quotes": quotes(by_incident.get(r["incident_id"], [])),
                "reports": reports.get(r["incident_id"], []),
                "fields": [x for x in f if x[1] != ""],
                "cite": cite(r["incident_id"]),
                "page": page_of(r["incident_id"]),
                "facets": facets([r["incident_id"]], by_incident.get(r["incident_id"], []), table="incidents"),
            }
        )
    tallies = []
    for r in records(con, "SELECT * FROM tallies ORDER BY tally_id"):
        f = fields(r)
        f.append(("overlap partners", partners(r["tally_id"], r["overlap_group"]) or ""))
        tallies.append(
            {
                "id": r["tally_id"],
                "anchor": anchor(r["tally_id"]),
                "title": f'{str(r["measure"]).replace("_", " ")}: {r["value_phrase"]}',
                "quotes": quotes(by_tally.get(r["tally_id"], [])),
                "reports": reports.get(r["tally_id"], []),
                "fields": [x for x in f if x[1] != ""],
                "cite": cite(r["tally_id"]),
                "page": page_of(r["tally_id"]),
                "facets": facets([r["tally_id"]], by_tally.get(r["tally_id"], []), table="tallies"),
            }
        )
    claim_entries = []
    for c in claims:
        f = fields(c, ("quote",))
        sid = c["source_id"]
        f.append(("source", sources[sid]["name"] if sid in sources else "none named (rests on the compilation)"))
        claim_entries.append(
            {
                "id": c["claim_id"],
                "anchor": anchor(c["claim_id"]),
                "title": str(c["kind"]).replace("_", " "),
                "quotes": quotes([c]),
                "reports": reports.get(c["claim_id"], []),
                "fields": f,
                "cite": cite(c["claim_id"]),
                "page": "",
                "facets": facets([c["incident_id"], c["tally_id"]], [c], table="claims"),
            }
        )
    review_of: dict[str, str] = {}
    for v in records(con, "SELECT * FROM reviews ORDER BY review_id"):
        review_of[v["row_id"]] = (
            f'{v["outcome"].replace("_", " ")} on {v["reviewed_on"]} ({v["review_id"]}'
            + (f'; corrected: {v["fields_changed"]}' if v["fields_changed"] else "")
            + f'): {v["note"] or ""}'
        )
    for k in cors:
        k["second-pass review"] = review_of.get(k["corroboration_id"], "not yet reviewed")
    report_entries = [
        {
            "id": k["corroboration_id"],
            "anchor": anchor(k["corroboration_id"]),
            "title": f'{k["publisher"]}: {str(k["relation"]).replace("_", " ")}'
            + (" (a copy on a mirror site; no original page found)" if k.get("on_mirror") is True else ""),
            "quotes": [],
            "reports": None,
            "fields": fields(k, ("corroboration_id",)),
            "cite": "",
            "page": "",
            "facets": facets(
                [k["incident_id"], k["tally_id"]]
                + (
                    [claim_of[k["claim_id"]]["incident_id"], claim_of[k["claim_id"]]["tally_id"]]
                    if k["claim_id"] in claim_of
                    else []
                ),
                [claim_of[k["claim_id"]]] if k["claim_id"] in claim_of else [],
                table="corroborations",
            ),
        }
        for k in cors
    ]
    crosswalk_entries = [
        {
            "id": x["crosswalk_id"],
            "anchor": anchor(x["crosswalk_id"]),
            "title": f'{x["dataset"]} {x["external_id"] or "record"}',
            "quotes": [],
            "reports": None,
            "fields": fields(x, ("crosswalk_id",))
            + [("second-pass review", review_of.get(x["crosswalk_id"], "not yet reviewed"))],
            "cite": "",
            "page": "",
            "facets": facets(
                [x["incident_id"], x["tally_id"]],
                by_incident.get(x["incident_id"], []) + by_tally.get(x["tally_id"], []),
                table="crosswalk",
            ),
        }
        for x in records(con, "SELECT * FROM crosswalk ORDER BY crosswalk_id")
    ]
    context_entries = [
        {
            "id": x["context_id"],
            "anchor": anchor(x["context_id"]),
            "title": f'{x["tracker"]}: {x["measure"]}',
            "quotes": [],
            "reports": None,
            "fields": fields(x, ("context_id",))
            + [("second-pass review", review_of.get(x["context_id"], "not yet reviewed"))],
            "cite": "",
            "page": "",
            "facets": facets(table="context_totals"),
        }
        for x in records(con, "SELECT * FROM context_totals ORDER BY context_id")
    ]
    # A governorate is shown by its name, never its code (the code stays in the CSV files).
    place_entries = [
        {
            "id": p["place_id"],
            "anchor": anchor(p["place_id"]),
            "title": p["standard_name"],
            "quotes": [],
            "reports": None,
            "cite": "",
            "page": "",
            "fields": [("governorate", geo.name(v, "")) if k == "admin1_code" else (k, v) for k, v in fields(p)],
            "facets": facets(place_id=p["place_id"], table="places"),
        }
        for p in places.values()
    ]
    entries = {
        "incidents": incidents,
        "tallies": tallies,
        "claims": claim_entries,
        "corroborations": report_entries,
        "crosswalk": crosswalk_entries,
        "context_totals": context_entries,
        "places": place_entries,
    }
    intros = {
        "corroborations": "What each report says is recorded in fields and summarised in our own words; "
        "follow the link to read it.",
        "context_totals": "Shown for scale only; never added to anything.",
    }
    # One section per table of the register's list (links.REGISTER_SECTIONS): a table listed there with no
    # entries built here is a KeyError at build time, never a section silently missing.
    sections = [
        {"key": table, "title": title, "intro": intros.get(table, ""), "entries": entries[table]}
        for table, title in REGISTER_SECTIONS.items()
    ]
    if set(entries) != set(REGISTER_SECTIONS):
        raise ValueError(f"register entries built for tables not in links.REGISTER_SECTIONS: {set(entries)}")
    options = {
        key: sorted(
            {v for sec in sections for e in sec["entries"] for v in e["facets"][key]},
            key=lambda v: (v == NO_GOVERNORATE, v),
        )
        for key in ("gov", "grading", "kind", "link")
    }
    options["table"] = [(sec["key"], sec["title"]) for sec in sections]
    summary = []
    for r in records(con, "SELECT * FROM incidents ORDER BY date_start, incident_id"):
        p = places.get(r["place_id"], {})
        summary.append(
            {
                "id": r["incident_id"],
                "anchor": anchor(r["incident_id"]),
                "page": page_of(r["incident_id"]),
                "title": r["title"],
                "start": str(r["date_start"] or ""),
                "date": links_day_span(r["date_start"], r["date_end"]),
                "place": str(p.get("standard_name") or ""),
                "gov": geo.name(p.get("admin1_code"), NO_GOVERNORATE),
                "killed_min": "" if missing(r["killed_min"]) else int(r["killed_min"]),
                "killed_max": "" if missing(r["killed_max"]) else int(r["killed_max"]),
                "killed": source_pages.range_text(r["killed_min"], r["killed_max"]),
                "grading": str(r["grading"] or "").replace("_", " "),
                "perpetrator": str(r["alleged_perpetrator"] or ""),
                "status": str(r["status"]),
            }
        )
    intro = (
        "Every row of the data package has an entry here, with a stable anchor named after its ID "
        "(for example `register.html#inc-0001`). Quotes are the compilation's own words, verbatim, with "
        "their character offsets in the archived text.\n"
    )
    return (
        "# Register of incidents, tallies, claims and places\n\n"
        + intro
        + frags.include(render("register.html.j2", sections=sections, options=options, summary=summary), "register")
    )


def incidents_page(con, frags: Fragments, gen: Path, cff: dict) -> str:
    """A page per incident and per tally (generated/incidents/, generated/tallies/), and their index."""
    index = source_pages.row_pages(con, frags, gen, cff, render)
    out = (
        "# Incidents and tallies, one page each\n\nEach incident and each tally has a page of its own at a stable "
        "address (`incidents/INC-0001.html`, `tallies/TAL-0001.html`): its claims in the compilation's words, the "
        "values coded from them, the reports found, and a line to cite it. Withdrawn rows keep their page.\n"
    )
    for kind, title in (("incident", "Incidents"), ("tally", "Tallies")):
        rows = [
            [{"text": i["title"], "href": i["href"]}, i["id"], i["figure"], i["status"]]
            for i in index
            if i["kind"] == kind
        ]
        out += f"\n## {title}\n" + frags.include(
            render(
                "table.html.j2",
                columns=["page", "row", "killed" if kind == "incident" else "value", "status"],
                rows=rows,
                cls=f"row-index row-index-{kind}",
                note="",
            ),
            f"index-{kind}",
        )
    return out


def dictionary_page(pkg: Package, frags: Fragments) -> str:
    tables = []
    for res in pkg.table_resources():
        fields = []
        for f in res["schema"]["fields"]:
            c = f.get("constraints", {})
            cons = "; ".join(
                f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in c.items() if k != "pattern"
            )
            if "pattern" in c:
                cons += ("; " if cons else "") + f"pattern {c['pattern']}"
            fields.append(
                {
                    "name": f["name"],
                    "title": f.get("title", ""),
                    "type": f.get("type", ""),
                    "constraints": cons,
                    "description": f.get("description", ""),
                }
            )
        tables.append(
            {
                "name": res["name"],
                "title": res.get("title", ""),
                "description": res.get("description", ""),
                "path": res["path"],
                "key": ", ".join(res["schema"].get("primaryKey", [])),
                "label": res.get("labelField", ""),
                "fields": fields,
            }
        )
    return (
        "# Data dictionary\n\nGenerated from `datapackage.json`. Types and constraints are those of the Table Schemas.\n"
        + frags.include(
            render(
                "dictionary.html.j2",
                tables=tables,
                package_title=pkg.descriptor.get("title", ""),
                package_description=pkg.descriptor.get("description", ""),
            ),
            "dictionary",
        )
    )


def cite_page(root: Path, frags: Fragments, released: str) -> str:
    """The cite page; `released` is the release the data is (empty for an unreleased working copy)."""
    cff = citation.load(root)
    checksum = citation.checksum(cff) or ""
    formats = [
        {"id": "bibtex", "title": "BibTeX", "text": citation.bibtex(cff)},
        {"id": "ris", "title": "RIS", "text": citation.ris(cff)},
        {"id": "csl-json", "title": "CSL-JSON", "text": citation.csl_json(cff)},
    ]
    return "# How to cite\n" + frags.include(
        render(
            "cite.html.j2",
            version=str(cff["version"]),
            data_version=released,
            checksum=checksum,
            apa=citation.apa(cff),
            formats=formats,
            row_example=citation.row(cff, "INC-0014"),
        ),
        "cite",
    )


# What each kind of release file is, by how its name ends; the Downloads page says it beside the file.
DOWNLOAD_KINDS = (
    (
        ".zip",
        (
            "the whole data package: descriptor, tables, archive, changelog, and from 0.2.1 on the citation, "
            "licence, README, codebook and SHA256SUMS of its own files"
        ),
    ),
    (".parquet", "one table in Parquet, typed"),
    (".xlsx", "an Excel workbook: a README sheet and one sheet per table"),
    (".duckdb", "a DuckDB database with every table, typed, keyed and commented from the schemas"),
    (".sqlite", "a SQLite database with every table, typed and keyed, for datasette and SQLite tools"),
    (".metadata.json", "datasette metadata for the SQLite file: datasette serve FILE.sqlite -m FILE.metadata.json"),
    (".pdf", "the codebook: the methods and data-dictionary pages on paper"),
    (".dta", "one table in Stata format (118): variable labels from field titles, value labels from enums"),
    (".json", "the row-level changes against the release before it (JSON)"),
    (".csv", "the row-level changes against the release before it (CSV)"),
)


def download_files(pkg: Package, dest: Path) -> tuple[str | None, dict[str, Path]]:
    """The files the report offers, built into dest: a released version's files exactly (the same names
    and bytes as its SHA256SUMS lists), or, for unreleased data, the same kinds of file named as an
    unreleased working copy. Returns (the release or None, name -> path)."""
    version = releases.released_as(pkg)
    if version and (releases.record_dir(pkg.root, version) / artefacts.SUMS).exists():
        problems = artefacts.rebuild(pkg.root, version, dest)
        if problems:
            raise RuntimeError(f"release {version} does not rebuild: " + "; ".join(problems[:3]))
    else:
        version = None
        artefacts.build_artefacts(pkg, dest, None, label=unreleased_label(pkg))
    sums = artefacts.read_sums(dest / artefacts.SUMS)
    return version, {name: dest / name for name in sums}


def unreleased_label(pkg: Package) -> str:
    latest = releases.latest(pkg.root)
    return f"unreleased-after-{latest}" if latest else "unreleased"


def downloads_page(pkg: Package, version: str | None, files: dict[str, Path], frags: Fragments) -> str:
    # The files are copied to downloads/ at the site's root (html_extra_path), beside generated/.
    rows = []
    for name, path in files.items():
        what = next((w for end, w in DOWNLOAD_KINDS if name.endswith(end)), "")
        rows.append([{"text": name, "href": f"../downloads/{name}"}, what, outputs.sha256(path)])
    rows.append([{"text": "SHA256SUMS", "href": "../downloads/SHA256SUMS"}, "the SHA-256 of every file above", ""])
    if version:
        intro = (
            f"The files of release {version}, the same names and bytes as the release itself (its SHA256SUMS "
            "lists them). Checksums are SHA-256, in full."
        )
    else:
        intro = (
            f"This report was built from an unreleased working copy, after {releases.latest(pkg.root) or 'no release'}: "
            "these files are not a release and carry no release's name. Cite and download a release for published work. "
            "Checksums are SHA-256, in full."
        )
    return (
        "# Downloads\n\n"
        + intro
        + "\n"
        + frags.include(
            render("table.html.j2", columns=["file", "what it is", "SHA-256"], rows=rows, cls="downloads", note=""),
            "downloads",
        )
    )


# The report's headline figures, compared on the changelog page between a version and the release before it.
def _figure(con, name: str) -> tuple[str, set[str]] | None:
    """(shown value, IDs) of a figure, or None when its query cannot run on that version's tables."""
    try:
        fig = figures.compute(con, name)
    except duckdb.Error:  # an older release may lack a field the query reads
        return None
    return f"{figures.text(fig)} {figures.FIGURES[name].unit}", set(fig["ids"])


def _add_new_fields(old_con, con) -> None:
    """Fields added since a release read as empty in its tables (a minor release only adds fields), so that a
    query that uses them computes the release's figure too instead of failing on a missing column."""
    columns = (
        "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_schema, table_name) "
        "WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE'"
    )
    have = {(t, c) for t, c, _ in old_con.execute(columns).fetchall()}
    tables = {t for t, _ in have}
    for t, c, kind in con.execute(columns).fetchall():
        if t in tables and (t, c) not in have:
            old_con.execute(f"ALTER TABLE {_q(t)} ADD COLUMN {_q(c)} {kind}")


def figures_compared(pkg: Package, con, frags: Fragments) -> str:
    """The headline figures of this version beside those of every earlier release, each recomputed by the same
    query on that release's tables; which rows entered or left each figure since the release just before, and
    the changelog notes that name those rows (the reason)."""
    # A released version is set beside the releases before it, with its own section's notes; a working copy
    # whose data differ from every release is set beside all releases, with the Unreleased notes.
    released = releases.released_as(pkg)
    earlier = releases.earlier(pkg.root, released)
    if not earlier:
        return ""
    cons = {}
    for version in earlier:
        try:
            old = artefacts.frozen_package(pkg.root, version, pkg.root / "build" / f"frozen-{version}")
        except artefacts.Refused:
            continue
        cons[version] = connect(old)
        _add_new_fields(cons[version], con)
    if not cons:
        return ""
    previous = max(cons, key=releases.version_key)
    notes = releases.notes(pkg.read_text("CHANGELOG.md"), released)
    rows = []
    for name in figures.headline():
        label = figures.FIGURES[name].label
        now = _figure(con, name)
        then = {version: _figure(c, name) for version, c in cons.items()}
        last = then[previous]
        entered = sorted(now[1] - last[1]) if now and last else []
        left = sorted(last[1] - now[1]) if now and last else []
        why = sorted({releases.headline(n) for n in notes for rid in entered + left if releases.names_row(n, rid)})
        rows.append(
            [label]
            + ["not computable" if v is None else str(v[0]) for v in then.values()]
            + ["" if now is None else str(now[0]), ", ".join(entered), ", ".join(left), "; ".join(why)]
        )
    this = released or f"working copy after {previous} (not yet released)"
    return (
        f"## What changed in the figures\n\nThe report's headline figures in {', '.join(cons)} and in {this}, "
        "each computed by the same named query on each version's tables. The rows that entered or left a figure "
        f"since {previous} are listed with the changelog notes that name them.\n"
        + frags.include(
            render(
                "table.html.j2",
                columns=[
                    "figure",
                    *cons,
                    this,
                    f"rows that entered since {previous}",
                    f"rows that left since {previous}",
                    "changelog notes naming those rows",
                ],
                rows=rows,
                cls="figures-compared",
                note="",
            ),
            "figures-compared",
        )
    )


def changelog_page(pkg: Package, con, frags: Fragments) -> str:
    """CHANGELOG.md (the project's own prose), the headline figures against the release before, then the
    row-level diff of the latest release as data."""
    head, sep, rest = pkg.read_text("CHANGELOG.md").partition("\n## ")
    head = re.sub(r"\A\s*# [^\n]*\n", "", head)  # the page's own title stands for the file's
    text = "# Changelog\n" + frags.include(prose_html(head), "changelog-head")
    compared = figures_compared(pkg, con, frags)
    if compared:
        text += "\n" + compared + "\n"
    if sep:
        text += frags.include(prose_html("## " + rest), "changelog")
    version = releases.latest(pkg.root)
    if version is None or not os.path.lexists(pkg.root / "releases" / version / "diff.csv"):
        return text
    return (
        text.rstrip() + "\n\n" + f"## What changed in {version}, row by row\n\n"
        f"Every row that changed, against the release before, is listed in the appendix "
        f"[Changes row by row](changelog-rows.md).\n"
    )


def changelog_rows_page(pkg: Package, frags: Fragments) -> str:
    """The appendix page of the latest release's row-level diff (releases/X/diff.csv), as data."""
    head = "# Appendix: changes row by row\n\n"
    version = releases.latest(pkg.root)
    if version is None or not os.path.lexists(pkg.root / "releases" / version / "diff.csv"):
        return head + "No release has a row-level diff yet.\n"
    latest = pkg.root / "releases" / version
    rows = csvio.read(pkg.file(f"releases/{version}/diff.csv"))[1]
    cols = ["table", "id", "change", "field", "old", "new"] + (["reason"] if rows and "reason" in rows[0] else [])
    shown = [[value(r[k] or None) for k in cols] for r in rows[:300]]
    note = f"{len(rows) - 300} more rows in the CSV." if len(rows) > 300 else ""
    return (
        head + f"What changed in {latest.name}, row by row, against the release before it ({len(rows)} changes; "
        f"machine-readable in `releases/{latest.name}/diff.csv`). The [changelog](changelog.md) says why.\n"
        + frags.include(
            render(
                "table.html.j2", columns=["row" if c == "id" else c for c in cols], rows=shown, cls="diff", note=note
            ),
            "diff",
        )
    )


def quality_page(pkg: Package, frags: Fragments) -> str:
    """The result of `make validate` (build/validation.json) as a sentence and a table of the gate's checks;
    failures are counted per check here and listed in full in the JSON. Shown as HTML from a template, never
    as Markdown: a failure can quote a value from the data."""
    summary = "build/validation.json"
    head = "# Data quality\n\nThe result of `make validate` on the package this report was built from.\n"
    if not os.path.lexists(pkg.root / summary):
        return head + "\nRun `make validate` to produce it.\n"
    result = json.loads(pkg.read_text(summary))
    by_check: dict[str, int] = {}
    for f in result.get("failures", []):
        by_check[f.get("check", "")] = by_check.get(f.get("check", ""), 0) + 1
    try:
        compared = contract.compare(pkg).sentence()
    except (OSError, ValueError, KeyError, TypeError):
        compared = "The descriptor could not be compared with the latest release (see the failures)."
    return head + frags.include(
        render(
            "quality.html.j2",
            version=str(result.get("version", "")),
            passed=bool(result.get("passed")),
            count=int(result.get("count", 0)),
            rows=[[check, what, by_check.get(check, 0)] for check, what in validate.CHECKS],
            skipped=[str(x) for x in result.get("skipped", [])],
            tables=[r["name"] for r in pkg.table_resources()],
            compared=compared,
        ),
        "quality",
    )


def jsonld_text(data: dict) -> Markup:
    """JSON for the page's ld+json script element: less-than, greater-than and & written as \\u escapes, so that
    no value from the data can close the element or start markup (JSON reads the escapes back as the characters)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def dataset_jsonld(pkg: Package, version: str | None, files: dict[str, Path]) -> str:
    """schema.org Dataset metadata of the data this report was built from, for the home page."""
    data = citation.schema_org(
        citation.load(pkg.root),
        pkg.descriptor,
        releases.identifier(releases.working_manifest(pkg)),
        version is not None,
        artefacts.period(pkg),
        {name: outputs.sha256(path) for name, path in files.items()},
        "../downloads/",
    )
    return render("jsonld.html.j2", data=jsonld_text(data))


def version_stamp(pkg: Package) -> str:
    """A line at the foot of every page: which data this page was built from, its identifier and what that
    is, and whether it is a release or an unreleased working copy."""
    version = releases.released_as(pkg)
    return (
        render(
            "stamp.html.j2",
            version=version or "",
            latest=releases.latest(pkg.root) or "",
            identifier=releases.identifier(releases.working_manifest(pkg)),
            manifest=releases.MANIFEST,
        )
        + "\n"
    )


def main(root: str | None) -> int:
    pkg = Package.load(root)
    book = pkg.root / "book"
    gen = book / "generated"
    if gen.exists():
        shutil.rmtree(gen)
    gen.mkdir(parents=True)
    vendor = book / "_static" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    bundle = vendor / "vega-bundle.js"
    if not bundle.exists():
        import vl_convert

        # One local copy of vega, vega-lite and vega-embed: the report must work with no network.
        # Wrapped in a function so its top-level names do not collide with the theme's scripts;
        # it publishes vegaEmbed, vega and vegaLite on window.
        bundle.write_text("(function () {\n" + vl_convert.javascript_bundle() + "\n})();\n", encoding="utf-8")
    con = connect(pkg)
    agreement.frame(con, pkg.archive_text())  # the hand and coder values beside each other, for the reliability queries
    cff = citation.load(pkg.root)
    state = {
        "chart_no": 0,
        "root": pkg.root,
        "extra": gen / "_downloads_extra",  # html_extra_path: copied to the site's root as it is
        "cff": cff,
        "licence": pkg.descriptor["licenses"][0],
        "source": chart_source(pkg, cff),
    }
    frags = Fragments(gen)
    # Charts are numbered in reading order, so render templates in the table-of-contents order.
    order = [
        e.strip().removeprefix("- file: generated/").removeprefix("root: generated/")
        for e in pkg.read_text("book/_toc.yml").splitlines()
        if "generated/" in e
    ]
    for template in sorted(
        (book / "templates").glob("*.md"), key=lambda t: order.index(t.stem) if t.stem in order else 99
    ):
        (gen / template.name).write_text(
            render_template(pkg.read_text(f"book/templates/{template.name}"), con, state, frags), encoding="utf-8"
        )
    (gen / "register.md").write_text(register_page(con, frags, citation.load(pkg.root)), encoding="utf-8")
    (gen / "source.md").write_text(source_pages.source_page(pkg, con, frags, render), encoding="utf-8")
    (gen / "incidents.md").write_text(incidents_page(con, frags, gen, citation.load(pkg.root)), encoding="utf-8")
    (gen / "dictionary.md").write_text(dictionary_page(pkg, frags), encoding="utf-8")
    (gen / "query.md").write_text(query_page.page(pkg, con, frags, render), encoding="utf-8")
    (gen / "cite.md").write_text(cite_page(pkg.root, frags, releases.released_as(pkg) or ""), encoding="utf-8")
    (gen / "changelog.md").write_text(changelog_page(pkg, con, frags), encoding="utf-8")
    (gen / "changelog-rows.md").write_text(changelog_rows_page(pkg, frags), encoding="utf-8")
    version, files = download_files(pkg, gen / "_downloads_extra" / "downloads")
    (gen / "downloads.md").write_text(downloads_page(pkg, version, files, frags), encoding="utf-8")
    with open(gen / "index.md", "a", encoding="utf-8") as index:
        index.write("\n" + frags.include(dataset_jsonld(pkg, version, files), "dataset-jsonld") + "\n")
    (gen / "quality.md").write_text(quality_page(pkg, frags), encoding="utf-8")
    stamp = version_stamp(pkg)
    for page in sorted(gen.rglob("*.md")):
        up = "../" * (len(page.relative_to(gen).parts) - 1)
        page.write_text(
            page.read_text(encoding="utf-8") + "\n" + frags.include(stamp, "stamp", up=up), encoding="utf-8"
        )
    print(f"wrote {len(list(gen.rglob('*.md')))} pages to {gen.relative_to(pkg.root)}")
    return 0
