"""Book generation: render page templates with registry figures and charts, and generate the
register, data dictionary, downloads, citation, changelog and data-quality pages under book/generated/.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import yaml

from . import charts, coding, figures, outputs, queries
from .releases import version_key
from .package import Package, connect, missing

FIG = re.compile(r"\{\{(fig|chart|table|rules):([a-z_]+)\}\}")
ANCHOR_PREFIX = {"CLM": "claims", "INC": "incidents", "TAL": "tallies", "PLC": "places"}


def anchor(row_id: str) -> str:
    return row_id.lower()


def row_link(row_id: str) -> str:
    return f'<a class="row-link" href="register.html#{anchor(row_id)}">{html.escape(row_id)}</a>'


def render_template(text: str, con, state: dict) -> str:
    """Replace {{fig:NAME}} with the value and a footnote, {{chart:NAME}} with an embedded chart."""
    notes: list[str] = []

    def sub(m):
        kind, name = m.groups()
        if kind == "fig":
            fig = figures.compute(con, name)
            spec = figures.FIGURES[name]
            attrs = " ".join(f'data-{k.replace("_", "-")}="{"" if v is None else v}"'
                             for k, v in fig.items() if k != "ids")
            grading = " This figure depends on the grading rule." if spec.depends_on_grading else ""
            notes.append(f"[^{name}]: {html.escape(spec.label).capitalize()}, from query `{spec.query}` "
                         f"({html.escape(queries.describe(spec.query))}). Rows: "
                         + (", ".join(row_link(i) for i in fig["ids"]) or "none") + "." + grading)
            return (f'<span class="figure" data-figure="{name}" {attrs} data-ids="{" ".join(fig["ids"])}">'
                    f"{figures.text(fig)}</span>[^{name}]")
        if kind == "table":
            return query_table(con, name)
        if kind == "rules":
            return rules_table()
        state["chart_no"] += 1
        chart = figures.CHARTS[name]
        df = queries.run(con, chart.query)
        spec = charts.build(chart.builder, df)
        return (f'<figure class="chart" id="chart-{name}" data-chart="{name}" data-rows="{len(df)}">\n'
                f'<div class="vega-chart" id="vis-{name}" role="img" aria-label="{html.escape(chart.alt)}"></div>\n'
                f'<figcaption>Figure {state["chart_no"]}. {html.escape(chart.caption)}</figcaption>\n</figure>\n'
                f"<script>vegaEmbed('#vis-{name}', {json.dumps(spec)}, "
                "{actions: false, renderer: 'svg', loader: {target: '_self'}});</script>\n")

    body = FIG.sub(sub, text)
    return body + ("\n\n" + "\n\n".join(dict.fromkeys(notes)) + "\n" if notes else "")


def rules_table() -> str:
    """The coding rules as a table, each row worked out by coding.code_count on an example wording."""
    rows = ["| rule | what it covers | example wording | min | max |", "|---|---|---|---|---|"]
    for rule, what in coding.RULES.items():
        example = coding.EXAMPLES[rule]
        lo, hi = coding.code_count(example, rule)
        rows.append(f"| `{rule}` | {html.escape(what, quote=False)} | “{html.escape(example, quote=False)}” | {_cell(lo)} | {_cell(hi)} |")
    return "\n".join(rows) + "\n"


def query_table(con, query: str) -> str:
    """A Markdown table of a named query; IDs link to the register, URLs are links, ranges read as ranges."""
    df = queries.run(con, query)
    for lo, hi, name in (("value_min", "value_max", "value"), ("killed_min", "killed_max", "killed")):
        if lo in df.columns:
            df[name] = [figures.text({"value_min": _int(a), "value_max": _int(b)}) for a, b in zip(df[lo], df[hi])]
            df = df.drop(columns=[lo, hi])
    for name in ("publisher", "tracker"):
        if name in df.columns and "url" in df.columns:
            df[name] = [f'<a href="{html.escape(u)}">{html.escape(n)}</a>' for n, u in zip(df[name], df["url"])]
            df = df.drop(columns=["url"])
    head = "| " + " | ".join(c.replace("_", " ") for c in df.columns) + " |\n|" + "---|" * len(df.columns)
    rows = ["| " + " | ".join((v if str(v).startswith("<a ") else _cell(v)).replace("|", "\\|") for v in r) + " |"
            for r in df.itertuples(index=False)]
    return head + "\n" + "\n".join(rows) + "\n"


def _int(v):
    return None if missing(v) else int(v)


def _cell(v) -> str:
    if missing(v):
        return "—"
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    s = str(v)
    if s.startswith("http://") or s.startswith("https://"):
        return f'<a href="{html.escape(s)}">{html.escape(s)}</a>'
    if re.fullmatch(r"(CLM|INC|TAL|PLC|COR)-\d{4}", s):
        return row_link(s)
    return html.escape(s)


def _entry(row_id: str, title: str, fields: dict, extra: str = "") -> str:
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{_cell(v)}</td></tr>" for k, v in fields.items()
                   if _cell(v) != "—")
    return (f'<section class="register-entry" id="{anchor(row_id)}">\n<h3>{html.escape(row_id)}: {html.escape(title)}</h3>\n'
            f'{extra}<table class="register-fields">{rows}</table>\n</section>\n\n')


def register_page(con) -> str:
    claims = con.execute("SELECT * FROM claims ORDER BY claim_id").df().to_dict("records")
    by_incident, by_tally = {}, {}
    for c in claims:
        if c["incident_id"] is not None and c["incident_id"] == c["incident_id"]:
            by_incident.setdefault(c["incident_id"], []).append(c)
        if c["tally_id"] is not None and c["tally_id"] == c["tally_id"]:
            by_tally.setdefault(c["tally_id"], []).append(c)
    places = {p["place_id"]: p for p in con.execute("SELECT * FROM places").df().to_dict("records")}
    sources = {s["source_id"]: s for s in con.execute("SELECT * FROM sources").df().to_dict("records")}
    groups = {}
    for iid, g in con.execute("SELECT incident_id, overlap_group FROM incidents UNION ALL SELECT tally_id, overlap_group FROM tallies").fetchall():
        if g:
            groups.setdefault(g, []).append(iid)

    def quotes(cs):
        return "".join(
            f'<blockquote class="verbatim" cite="#{anchor(c["claim_id"])}"><p>{html.escape(c["quote"])}</p>'
            f'<footer>{row_link(c["claim_id"])}, archive characters {c["char_start"]}–{c["char_end"]} (line {c["line"]})</footer></blockquote>\n'
            for c in cs)

    reports: dict[str, list[dict]] = {}
    cors = con.execute("SELECT k.*, s.name AS publisher FROM corroborations k JOIN sources s USING (source_id) ORDER BY corroboration_id").df().to_dict("records")
    for k in cors:
        for key in ("incident_id", "tally_id", "claim_id"):
            if k[key] is not None and k[key] == k[key]:
                reports.setdefault(k[key], []).append(k)
    crosswalk: dict[str, list[dict]] = {}
    for x in con.execute("SELECT * FROM crosswalk ORDER BY crosswalk_id").df().to_dict("records"):
        for key in ("incident_id", "tally_id"):
            if x[key] is not None and x[key] == x[key]:
                crosswalk.setdefault(x[key], []).append(x)

    def found(row_id):
        items = [f'<li>{row_link(k["corroboration_id"])} {html.escape(k["relation"].replace("_", " "))} '
                 f'({html.escape(k["confidence"])} confidence): <a href="{html.escape(k["url"])}">{html.escape(k["publisher"])}</a></li>'
                 for k in reports.get(row_id, [])]
        items += [f'<li>Airwars {html.escape(_cell(x["external_id"]).replace("—", "record"))} ({html.escape(x["match_confidence"])} match confidence): '
                  f'<a href="{html.escape(x["url"])}">{html.escape(x["url"])}</a></li>' for x in crosswalk.get(row_id, [])]
        if not items:
            return '<p class="reports-none">No corroborating report was found (see the search log).</p>\n'
        return '<p class="reports-head">Reports found:</p>\n<ul class="reports">' + "".join(items) + "</ul>\n"

    def partners(row_id, g):
        if not g or g != g:
            return "—"
        return g + ": " + ", ".join(x for x in groups.get(g, []) if x != row_id)

    out = ["# Register of incidents, tallies, claims and places\n",
           "Every row of the data package has an entry here, with a stable anchor named after its ID "
           "(for example `register.html#inc-0001`). Quotes are the compilation's own words, verbatim, with "
           "their character offsets in the archived text.\n",
           "## Incidents\n"]
    for r in con.execute("SELECT * FROM incidents ORDER BY incident_id").df().to_dict("records"):
        p = places[r["place_id"]]
        fields = {k: v for k, v in r.items() if k not in ("title",)}
        fields["place"] = f'{p["standard_name"]} ({p["admin1_code"] or "no governorate"}), precision {p["location_precision"]}'
        fields["overlap partners"] = partners(r["incident_id"], r["overlap_group"])
        out.append(_entry(r["incident_id"], r["title"], fields, quotes(by_incident.get(r["incident_id"], [])) + found(r["incident_id"])))
    out.append("## Tallies\n")
    for r in con.execute("SELECT * FROM tallies ORDER BY tally_id").df().to_dict("records"):
        fields = dict(r)
        fields["overlap partners"] = partners(r["tally_id"], r["overlap_group"])
        out.append(_entry(r["tally_id"], f'{r["measure"].replace("_", " ")}: {r["value_phrase"]}', fields,
                          quotes(by_tally.get(r["tally_id"], [])) + found(r["tally_id"])))
    out.append("## Claims\n")
    for c in claims:
        fields = {k: v for k, v in c.items() if k != "quote"}
        sid = c["source_id"]
        fields["source"] = sources[sid]["name"] if sid in sources else "none named (rests on the compilation)"
        out.append(_entry(c["claim_id"], c["kind"].replace("_", " "), fields, quotes([c]) + found(c["claim_id"])))
    out.append("## Corroborating reports\n")
    out.append("What each report says is recorded in fields and summarised in our own words; follow the link to read it.\n")
    for k in cors:
        fields = {key: v for key, v in k.items() if key not in ("corroboration_id",)}
        out.append(_entry(k["corroboration_id"], f'{k["publisher"]}: {k["relation"].replace("_", " ")}', fields))
    out.append("## Places\n")
    for p in places.values():
        out.append(_entry(p["place_id"], p["standard_name"], p))
    return "\n".join(out)


def dictionary_page(pkg: Package) -> str:
    out = ["# Data dictionary\n", "Generated from `datapackage.json`. Types and constraints are those of the Table Schemas.\n"]
    for res in pkg.table_resources():
        out.append(f"## {res['name']}\n\n{res['description']}\n")
        out.append(f"File `{res['path']}`; primary key `{res['schema']['primaryKey'][0]}`.\n")
        out.append("| field | type | constraints | description |\n|---|---|---|---|")
        for f in res["schema"]["fields"]:
            c = f.get("constraints", {})
            cons = "; ".join(f"{k}: {', '.join(v) if isinstance(v, list) else v}" for k, v in c.items() if k != "pattern")
            if "pattern" in c:
                cons += ("; " if cons else "") + "pattern (see datapackage.json)"
            desc = f["description"].replace("|", "\\|")
            out.append(f"| `{f['name']}` | {f['type']} | {cons.replace('|', chr(92) + '|')} | {desc} |")
        out.append("")
    return "\n".join(out)


def cite_page(root: Path, version: str) -> str:
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    authors = "; ".join(a.get("name") or f"{a.get('family-names')}, {a.get('given-names')}" for a in cff["authors"])
    year = str(cff.get("date-released", ""))[:4]
    return (f"# How to cite\n\nCite the version you used. This report was built from version **{cff['version']}** "
            f"of the data package (datapackage.json says {version}).\n\n"
            f"> {authors} ({year}). *{cff['title']}* (Version {cff['version']}) [Data set]. Licence {cff['license']}.\n\n"
            "```bibtex\n"
            f"@misc{{syria_claims_{cff['version'].replace('.', '_')},\n  author = {{{authors}}},\n  title = {{{cff['title']}}},\n"
            f"  year = {{{year}}},\n  version = {{{cff['version']}}},\n  note = {{Data set, licence {cff['license']}}}\n}}\n```\n\n"
            "The citation is generated from `CITATION.cff` in the repository.\n")


def downloads_page(pkg: Package, dest: Path) -> str:
    files = outputs.write_downloads(pkg, dest)
    lines = ["# Downloads\n", f"Version {pkg.version} of the data package. Checksums are SHA-256.\n",
             "| file | what it is | SHA-256 |", "|---|---|---|"]
    for name, what, digest in files:
        lines.append(f"| {{download}}`{name} <downloads/{name}>` | {what} | `{digest[:16]}…` |")
    return "\n".join(lines) + "\n"


def changelog_page(pkg: Package) -> str:
    """CHANGELOG.md, then the row-level diff of the latest release ("What changed in x.y.z")."""
    text = (pkg.root / "CHANGELOG.md").read_text(encoding="utf-8")
    done = sorted((p.parent for p in (pkg.root / "releases").glob("*/diff.csv") if version_key(p.parent.name)),
                  key=lambda p: version_key(p.name))
    if not done:
        return text
    latest = done[-1]
    import csv

    with open(latest / "diff.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = [text.rstrip() + "\n", f"## What changed in {latest.name}\n",
           f"Row by row, against the release before it ({len(rows)} changes; machine-readable in "
           f"`releases/{latest.name}/diff.csv`).\n"]
    if rows:
        out.append("| table | row | change | field | old | new |\n|---|---|---|---|---|---|")
        for r in rows[:300]:
            out.append("| " + " | ".join(_cell(r[k] or None).replace("|", "\\|") for k in ("table", "id", "change", "field", "old", "new")) + " |")
        if len(rows) > 300:
            out.append(f"\n… {len(rows) - 300} more rows in the CSV.")
    return "\n".join(out) + "\n"


def version_stamp(pkg: Package) -> str:
    """A line at the foot of every page: which data this page was built from."""
    digest = outputs.data_checksum(pkg)
    return (f'<p class="data-version">Built from data package version <span class="pkg-version">{html.escape(pkg.version)}</span>; '
            f'data checksum (SHA-256 over the package files) <code class="data-checksum">{digest}</code>.</p>\n')


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
    state = {"chart_no": 0}
    # Charts are numbered in reading order, so render templates in the table-of-contents order.
    order = [e.strip().removeprefix("- file: generated/").removeprefix("root: generated/")
             for e in (book / "_toc.yml").read_text(encoding="utf-8").splitlines() if "generated/" in e]
    for template in sorted((book / "templates").glob("*.md"), key=lambda t: order.index(t.stem) if t.stem in order else 99):
        (gen / template.name).write_text(render_template(template.read_text(encoding="utf-8"), con, state), encoding="utf-8")
    (gen / "register.md").write_text(register_page(con), encoding="utf-8")
    (gen / "dictionary.md").write_text(dictionary_page(pkg), encoding="utf-8")
    (gen / "cite.md").write_text(cite_page(pkg.root, pkg.version), encoding="utf-8")
    (gen / "changelog.md").write_text(changelog_page(pkg), encoding="utf-8")
    (gen / "downloads.md").write_text(downloads_page(pkg, gen / "downloads"), encoding="utf-8")
    summary = pkg.root / "build" / "validation.md"
    quality = summary.read_text(encoding="utf-8") if summary.exists() else "Run `make validate` to produce the summary.\n"
    (gen / "quality.md").write_text("# Data quality\n\nThe result of `make validate` on the package this report was built from.\n\n" + quality, encoding="utf-8")
    stamp = version_stamp(pkg)
    for page in gen.glob("*.md"):
        page.write_text(page.read_text(encoding="utf-8") + "\n" + stamp, encoding="utf-8")
    print(f"wrote {len(list(gen.glob('*.md')))} pages to {gen.relative_to(pkg.root)}")
    return 0
