"""The compilation annotated (source.html) and the pages of incidents and tallies, in Chromium from
file://, offline; the withdrawn tombstone from the generator itself."""

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, need_chromium, offline_page

from build_report import book, citation, csvio, source_pages
from build_report.links import markdown_text
from build_report.package import Package, connect, records

need_chromium()


@pytest.fixture(scope="module")
def db():
    pkg = Package.load(ROOT)
    return pkg, connect(pkg)


def open_page(browser, site, url, width=1280):
    """An offline page that may load only files of the built site's folder."""
    return offline_page(browser, url, (site.as_uri() + "/",), width)


def row_pages(built_report):
    gen = built_report / "generated"
    return sorted([*gen.glob("incidents/*.html"), *gen.glob("tallies/*.html")])


def test_source_text_is_the_archive_and_marks_are_the_quotes(browser, built_report, db):
    pkg, con = db
    claims = {c["claim_id"]: c for c in records(con, "SELECT * FROM claims")}
    active = {k for k, c in claims.items() if c["status"] == "active"}
    ctx, page = open_page(browser, built_report, (built_report / "generated" / "source.html").as_uri())
    try:
        assert page.locator("pre.archive-text").evaluate("e => e.textContent") == pkg.archive_text()
        marks = page.evaluate("""() => [...document.querySelectorAll('pre.archive-text mark.claim')].map(m => ({
            id: m.id, claim: m.dataset.claim, text: m.textContent, title: m.title, tab: m.getAttribute('tabindex'),
            href: m.querySelector('a') && m.querySelector('a').getAttribute('href')}))""")
        assert {m["claim"] for m in marks} == active
        for m in marks:
            c = claims[m["claim"]]
            assert m["id"] == "src-" + c["claim_id"].lower()
            assert m["text"] == c["quote"], m
            assert m["href"] == "register.html#" + c["claim_id"].lower()
            assert m["title"].startswith(c["claim_id"] + ": ") and m["tab"] == "0"
        excluded = page.locator("pre.archive-text .ln.excluded")
        assert excluded.count() > 0
        assert all(t for t in excluded.evaluate_all("els => els.map(e => e.dataset.excluded && e.title)"))
        assert (
            page.locator(".archive-sha256").inner_text()
            == __import__("hashlib").sha256(pkg.archive_bytes()).hexdigest()
        )
        url = records(con, "SELECT url FROM documents")[0]["url"]
        assert page.locator(f".source-url a[href='{url}']").count() == 1
        # a mark's link opens its register entry
        first = min(active)
        with page.expect_navigation():
            page.locator(f"#src-{first.lower()} a").click()
        assert page.url.endswith("register.html#" + first.lower())
        assert not page.outside and not page.errors, (page.outside, page.errors)
    finally:
        ctx.close()


def test_every_register_claim_entry_links_back(browser, built_report, db):
    _, con = db
    claims = records(con, "SELECT claim_id, incident_id, tally_id, status FROM claims")
    ctx, page = open_page(browser, built_report, (built_report / "generated" / "register.html").as_uri())
    try:
        for c in claims:
            if c["status"] != "active":
                continue
            target = f"source.html#src-{c['claim_id'].lower()}"
            for entry in [c["claim_id"], c["incident_id"], c["tally_id"]]:
                if entry:
                    links = page.locator(f"[id='{entry.lower()}'] a.source-link[href='{target}']")
                    assert links.count() == 1, (entry, target)
        for r in records(con, "SELECT incident_id AS id FROM incidents UNION ALL SELECT tally_id FROM tallies"):
            assert page.locator(f"[id='{r['id'].lower()}'] a.page-link").count() == 1, r
        # the link lands on the span, and the span is visible
        c = next(c for c in claims if c["status"] == "active")
        # The entry's words are folded: a reader unfolds them, then follows the link.
        page.locator(f"[id='{c['claim_id'].lower()}'] details.entry-body > summary").click()
        with page.expect_navigation():
            page.locator(f"[id='{c['claim_id'].lower()}'] a.source-link").click()
        assert page.locator(f"#src-{c['claim_id'].lower()}").is_visible()
        assert not page.outside and not page.errors, (page.outside, page.errors)
    finally:
        ctx.close()


def _shown(v):
    return "" if v is None else str(int(v))


def test_every_row_page_shows_the_rows_figures(browser, built_report, db):
    _, con = db
    incidents = {r["incident_id"]: r for r in records(con, "SELECT * FROM incidents")}
    tallies = {r["tally_id"]: r for r in records(con, "SELECT * FROM tallies")}
    paths = row_pages(built_report)
    assert {p.stem for p in paths} == set(incidents) | set(tallies)
    for path in paths:
        ctx, page = open_page(browser, built_report, path.as_uri())
        try:
            rid = path.stem
            assert page.locator(f".row-page[data-row='{rid}']").count() == 1
            if rid in incidents:
                r = incidents[rid]
                for f in ("killed_min", "killed_max"):
                    cell = page.locator(f"table.coded-values [data-field='{f}']")
                    if r["killed_phrase"] is None:
                        assert cell.count() == 0, (rid, f)
                    else:
                        assert cell.inner_text().strip() == _shown(r[f]), (rid, f, r[f])
                for f in ("killed_min_refined", "killed_max_refined"):
                    shown = page.locator(f"table.refined-values [data-field='{f}']").inner_text().strip()
                    assert shown == (_shown(r[f]) or "—"), (rid, f)
                assert page.locator("[data-field='n_sources']").inner_text() == str(r["n_sources"])
                assert page.locator("[data-field='grading']").inner_text() == r["grading"]
            else:
                r = tallies[rid]
                for f in ("value_min", "value_max"):
                    assert page.locator(f"[data-field='{f}']").inner_text().strip() == _shown(r[f]), (rid, f)
            # claims link to the source page; the citation names the row
            key = "incident_id" if rid in incidents else "tally_id"
            for c in records(con, f"SELECT claim_id FROM claims WHERE {key} = ? AND status = 'active'", [rid]):
                assert page.locator(f"a.source-link[href='../source.html#src-{c['claim_id'].lower()}']").count() >= 1
            assert re.search(rf"\brow {rid}\b", page.locator("p.citation-row").inner_text())
            assert not page.outside and not page.errors, (rid, page.outside, page.errors)
        finally:
            ctx.close()


def test_upper_case_row_anchor_lands_on_the_entry(browser, built_report):
    ctx, page = open_page(browser, built_report, (built_report / "generated" / "register.html").as_uri() + "#CLM-0001")
    try:
        page.wait_for_function("() => location.hash === '#clm-0001'", timeout=10000)
        assert page.locator("#clm-0001").is_visible()
        page.evaluate("() => { location.hash = 'INC-0014'; }")
        page.wait_for_function("() => location.hash === '#inc-0014'", timeout=10000)
        assert page.locator("#inc-0014").is_visible()
    finally:
        ctx.close()
    ctx, page = open_page(
        browser, built_report, (built_report / "generated" / "source.html").as_uri() + "#SRC-CLM-0002"
    )
    try:
        page.wait_for_function("() => location.hash === '#src-clm-0002'", timeout=10000)
    finally:
        ctx.close()


def test_new_pages_fit_a_phone_and_load_nothing_from_outside(browser, built_report):
    gen = built_report / "generated"
    for path in [
        gen / "source.html",
        gen / "incidents.html",
        *row_pages(built_report)[:3],
        row_pages(built_report)[-1],
    ]:
        ctx, page = open_page(browser, built_report, path.as_uri(), width=375)
        try:
            overflow = page.evaluate("""() => {
                const a = document.querySelector('.bd-article') || document.body;
                return {doc: document.documentElement.scrollWidth - window.innerWidth, article: a.scrollWidth - a.clientWidth};
            }""")
            assert overflow["doc"] <= 1 and overflow["article"] <= 1, (path.name, overflow)
            assert not page.outside and not page.errors, (path.name, page.outside, page.errors)
        finally:
            ctx.close()


def _set_status(path: Path, key: str, row_id: str, status: str):
    fields, rows = csvio.read(path)
    for r in rows:
        if r[key] == row_id:
            r["status"] = status
            r["notes"] = "Withdrawn in a test: the same strike as another row."
    csvio.write(path, fields, rows)


def test_withdrawn_rows_keep_a_tombstone_page(package_copy, tmp_path):
    _set_status(package_copy / "data" / "incidents.csv", "incident_id", "INC-0014", "withdrawn")
    _set_status(package_copy / "data" / "tallies.csv", "tally_id", "TAL-0002", "withdrawn")
    pkg = Package.load(package_copy)
    gen = tmp_path / "generated"
    gen.mkdir()
    frags = book.Fragments(gen)
    index = source_pages.row_pages(connect(pkg), frags, gen, citation.load(ROOT), book.render)
    for rid, folder in (("INC-0014", "incidents"), ("TAL-0002", "tallies")):
        md = (gen / folder / f"{rid}.md").read_text(encoding="utf-8")
        heading = md.splitlines()[0]
        assert heading.startswith("# ") and heading.endswith(r" \(withdrawn\)"), heading
        assert "2016" in heading, heading  # the heading says when, from the data
        fragment = gen / re.search(r":file: \.\./(_html/\S+)", md).group(1)
        html = fragment.read_text(encoding="utf-8")
        assert 'data-status="withdrawn"' in html and "<strong>Withdrawn.</strong>" in html
        assert "Withdrawn in a test: the same strike as another row." in html
        assert next(i for i in index if i["id"] == rid)["status"] == "withdrawn"
    active = (gen / "incidents" / "INC-0001.md").read_text(encoding="utf-8")
    html = (gen / re.search(r":file: \.\./(_html/\S+)", active).group(1)).read_text(encoding="utf-8")
    assert "Withdrawn." not in html


def test_every_grading_has_words_and_headings_are_inert():
    """Every grading the descriptor allows is said in words on the row pages, and a heading made from data text
    cannot form markup (every ASCII punctuation mark is escaped)."""
    desc = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    (incidents,) = [r for r in desc["resources"] if r["name"] == "incidents"]
    (grading,) = [f for f in incidents["schema"]["fields"] if f["name"] == "grading"]
    assert set(grading["constraints"]["enum"]) <= set(source_pages.GRADING_WORDS)
    hostile = "{raw}`html` <script>x</script> [a](b) $x$ {{sub}} :::{note}\n# two"
    text = markdown_text(hostile)
    assert "\n" not in text
    assert not re.search(r"(?<!\\)[{}`<>\[\]$:#]", text), text
