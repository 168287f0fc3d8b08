"""The report as a reader gets it, in Debian's Chromium over HTTP: each page is visited once at desktop (1400 px)
and once at phone (375 px) width, and from those visits come what every page weighs, its screenshots, tables
and text that fit the screen, script errors, charts that draw a mark per row, and accessibility basics. Then
the register's filters.

Outputs for a reviewer (git-ignored, under build/): build/page-weights.csv (every page, every file it loaded
and its size) and build/screenshots/<page>-desktop.png, <page>-phone.png (the top 16,384 px of a longer page).
"""

import csv
import io
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import ROOT, ROW_MARKS, need_chromium, offline_page, wait_for_charts
from playwright.sync_api import Error as PlaywrightError
from test_accessibility import BLOCKING, RUN, axe_source

OUT = ROOT / "build"
SHOTS = OUT / "screenshots"
LIMIT = 1_500_000  # bytes a page may load in all: its HTML and every file it fetches
WIDTHS = {"desktop": 1400, "phone": 375}
SHOT_HEIGHT = 16_384  # px: the tallest screenshot taken (Chromium's largest texture)

need_chromium()


def all_pages(built_report):
    """Every page of the report under generated/, row pages included."""
    return sorted(p.relative_to(built_report).as_posix() for p in (built_report / "generated").rglob("*.html"))


# Run in the page: what a reader would see as cut off. Every table fits inside the text column, or scrolls
# within its own wrapper only when it cannot wrap; no cell's text runs past its edge; the page and the article
# never scroll sideways; no chart draws text outside itself.
LAYOUT = """() => {
    const out = [];
    const article = document.querySelector('.bd-article') || document.body;
    const right = article.getBoundingClientRect().right;
    for (const t of article.querySelectorAll('table')) {
        const box = t.getBoundingClientRect();
        if (!box.width) continue;  // inside a closed <details>
        const name = t.className || t.id || 'table';
        if (t.scrollWidth > t.clientWidth + 1 && getComputedStyle(t).overflowX !== 'visible')
            out.push(name + ': scrolls sideways (' + t.scrollWidth + ' > ' + t.clientWidth + ')');
        if (box.right > right + 1) out.push(name + ': runs past the text column by ' + Math.round(box.right - right) + ' px');
        for (const c of t.querySelectorAll('th, td')) {
            if (c.scrollWidth > c.clientWidth + 1) {
                out.push(name + ': text overflows a cell: ' + c.innerText.slice(0, 40));
                break;
            }
        }
    }
    const doc = document.documentElement.scrollWidth - window.innerWidth;
    if (doc > 1) out.push('page scrolls sideways by ' + doc + ' px');
    const wide = article.scrollWidth - article.clientWidth;
    if (wide > 1) out.push('article scrolls sideways by ' + wide + ' px');
    // A chart's text (axis titles, labels, legends) drawn past its own SVG is cut off; text a chart hides
    // (opacity 0, as the map does with minor names on a phone) does not count.
    for (const svg of document.querySelectorAll('.vega-chart svg')) {
        const box = svg.getBoundingClientRect();
        for (const t of svg.querySelectorAll('text')) {
            if (!t.textContent.trim()) continue;
            let hidden = false;
            for (let e = t; e && e !== svg; e = e.parentElement) {
                const o = e.getAttribute('opacity') ?? e.getAttribute('fill-opacity');
                if (o !== null && Number(o) === 0) hidden = true;
            }
            const r = t.getBoundingClientRect();
            if (!hidden && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1))
                out.push('chart text cut off at the edge: ' + t.textContent.slice(0, 40));
        }
    }
    return out;
}"""


# Run in the page: headings start at h1 and skip no level, every visible link has a name, every chart a label.
ACCESSIBILITY = """() => {
    const levels = [...document.querySelectorAll('.bd-article h1, .bd-article h2, .bd-article h3, .bd-article h4, .bd-article h5, .bd-article h6')]
        .map(h => Number(h.tagName[1]));
    const skips = levels.filter((l, i) => i > 0 && l > levels[i - 1] + 1);
    const unnamed = [...document.querySelectorAll('a[href]')].filter(a => {
        const text = (a.innerText || '').trim() || a.getAttribute('aria-label') || a.getAttribute('title')
            || [...a.querySelectorAll('img')].map(i => i.alt).join('');
        return !text && a.offsetParent !== null && a.checkVisibility();  // links in a closed <details> are not shown
    }).map(a => a.outerHTML.slice(0, 120));
    const charts = [...document.querySelectorAll('.vega-chart')].filter(c => !c.getAttribute('aria-label')).length;
    return {first: levels[0], skips, unnamed, charts};
}"""

# Run in the page: each chart's name, the marks it drew from its query's rows, and its text label.
CHARTS = """(marks) => [...document.querySelectorAll('figure.chart')].map(f => ({
    name: f.dataset.chart, marks: f.querySelectorAll(marks).length,
    label: (f.querySelector('.vega-chart') || {getAttribute: () => null}).getAttribute('aria-label')}))"""


# Run in the page: the URLs that axe-core asks for by mistake. Its CSS preload fetches a same-origin sheet's
# @import by the rule's href as written, resolved against the page instead of the sheet, so the theme's
# "../basic.css" (in _static/styles/theme.css) is requested as /basic.css, a 404 that the browser logs. Only a
# script's request for one of these URLs is forgiven: no page can ask for them itself.
MISRESOLVED_IMPORTS = """() => [...document.styleSheets].flatMap(sheet => {
    try { return [...sheet.cssRules].filter(r => r instanceof CSSImportRule).map(r => [r.href, sheet.href]); }
    catch (e) { return []; }
}).map(([href, base]) => [new URL(href, document.baseURI).href, new URL(href, base || document.baseURI).href])
  .filter(([wrong, right]) => wrong !== right).map(([wrong]) => wrong)"""


def shot(rel, device) -> Path:
    """build/screenshots/<page>-<device>.png, row pages as incidents-INC-0001-phone.png."""
    return SHOTS / f"{rel.removeprefix('generated/').removesuffix('.html').replace('/', '-')}-{device}.png"


def visit(browser, http_root, rel, device):
    """Open one page at one width, offline but for the local server, and wait until it has settled: its charts
    drawn, its web fonts loaded and no request still open. Return the files it loaded (URL -> bytes), any
    request to elsewhere, script errors, its layout problems, accessibility findings and charts drawn; its
    full-page screenshot goes to build/screenshots/."""
    ctx = browser.new_context(viewport={"width": WIDTHS[device], "height": 900})
    ctx.set_default_timeout(90_000)  # full-page screenshots of the long register page are slow on a busy machine
    page = ctx.new_page()
    loaded: dict[str, int] = {}
    outside: list[str] = []
    open_requests: set = set()
    errors: list[str] = []
    # The message alone does not say which file failed to load: its location does.
    page.on("console", lambda m: m.type == "error" and errors.append(f"{m.text} ({m.location.get('url', '')})"))
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_response(response):
        try:
            loaded[response.url.split("?")[0]] = len(response.body())
        except PlaywrightError:  # a redirect has no body
            pass

    kinds: dict[str, set[str]] = {}  # URL -> the kinds of request made for it (document, stylesheet, xhr, ...)
    page.on("request", lambda r: (open_requests.add(r), kinds.setdefault(r.url, set()).add(r.resource_type)))
    page.on("requestfinished", lambda r: open_requests.discard(r))
    page.on("requestfailed", lambda r: open_requests.discard(r))
    page.on("response", on_response)
    ctx.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith((http_root, "data:", "blob:"))
            else (outside.append(r.request.url), r.abort())
        ),
    )
    try:
        page.goto(f"{http_root}/{rel}")
        page.wait_for_load_state("load")
        wait_for_charts(page)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        # Rather than networkidle's fixed half-second of quiet, wait until no request is open (usually at once).
        deadline = 300
        while open_requests and deadline:
            page.wait_for_timeout(50)
            deadline -= 1
        assert not open_requests, (rel, [r.url for r in open_requests])
        problems = page.evaluate(LAYOUT)
        accessibility = page.evaluate(ACCESSIBILITY)
        charts = page.evaluate(CHARTS, ROW_MARKS)
        # axe-core (tests/test_accessibility.py pins it) on the same visit: the light theme at this width.
        misresolved = set(page.evaluate(MISRESOLVED_IMPORTS))
        page.add_script_tag(content=axe_source())
        axe = page.evaluate(RUN)
        # A page taller than SHOT_HEIGHT is shot to that height: the register runs to some 470,000 px on a phone,
        # which takes seconds to encode and no viewer opens. LAYOUT above has checked the whole page.
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(
            path=str(shot(rel, device)),
            full_page=True,
            clip={"x": 0, "y": 0, "width": WIDTHS[device], "height": min(height, SHOT_HEIGHT)},
        )
    finally:
        ctx.close()
    harness = {url for url in misresolved if kinds.get(url, set()) <= {"xhr", "fetch"}}
    errors = [e for e in errors if not any(e.endswith(f"({url})") for url in harness)]
    return {
        "loaded": loaded,
        "outside": outside,
        "errors": errors,
        "problems": problems,
        "accessibility": accessibility,
        "charts": charts,
        "axe": axe,
    }


@pytest.fixture(scope="session")
def visits(browser, built_report, http_root):
    """visits(device) -> {page: visit}: every page at that width, each opened once however many tests read it
    (session scope, so that a worker moving between test files keeps them)."""
    done: dict[str, dict] = {}

    def at(device):
        if device not in done:
            SHOTS.mkdir(parents=True, exist_ok=True)
            for old in SHOTS.glob(f"*-{device}.png"):  # so that every screenshot a test finds is from this run
                old.unlink()
            done[device] = {rel: visit(browser, http_root, rel, device) for rel in all_pages(built_report)}
        return done[device]

    return at


def screenshots_taken_and_nothing_cut_off(visits, built_report, device):
    """A full-page screenshot of every page at this width (build/screenshots/), and nothing cut off (LAYOUT):
    no table or cell runs past its edge, and neither the page nor its text scrolls sideways; no script error."""
    seen = visits(device)
    assert sorted(seen) == all_pages(built_report)
    for rel in seen:
        assert shot(rel, device).stat().st_size > 0, rel
    problems = [f"{rel}: {p}" for rel, v in seen.items() for p in [*v["problems"], *v["errors"]]]
    assert not problems, "\n".join(problems)


# Under `make test` (pytest-xdist, --dist loadscope) a class is one unit of work, so each width's visits are made
# by one worker, and the two widths can be made by two.
class TestDesktop:
    def test_every_page_loads_at_most_1_5_mb(self, visits, built_report):
        """Every file each page loads, with its size, is listed in build/page-weights.csv; no page may exceed 1.5 MB."""
        rows, totals = [], {}
        for rel, seen in visits("desktop").items():
            assert not seen["outside"], (rel, seen["outside"])
            scripts = [u for u in seen["loaded"] if u.endswith("vega-bundle.js")]
            assert len(scripts) <= 1, (rel, scripts)
            totals[rel] = sum(seen["loaded"].values())
            for url, size in sorted(seen["loaded"].items()):
                rows.append([rel, unquote(urlparse(url).path).lstrip("/"), str(size)])
        OUT.mkdir(exist_ok=True)
        with open(OUT / "page-weights.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["page", "file", "bytes"])
            w.writerows(
                [[rel, "(all files)", str(total)] for rel, total in sorted(totals.items(), key=lambda x: -x[1])]
            )
            w.writerows(rows)
        heavy = {rel: total for rel, total in totals.items() if total > LIMIT}
        assert not heavy, heavy
        # The Vega bundle is loaded by the pages that draw a chart and by no other.
        charted = {r for r in totals if "vega-chart" in (built_report / r).read_text(encoding="utf-8")}
        with_vega = {r[0] for r in rows if r[1].endswith("vega-bundle.js")}
        assert with_vega == charted, with_vega ^ charted
        assert not any(r[1].endswith("fontawesome.js") for r in rows)

    def test_screenshots_and_tables_fit(self, visits, built_report):
        screenshots_taken_and_nothing_cut_off(visits, built_report, "desktop")

    def test_every_chart_draws_a_mark_per_row_and_has_a_label(self, visits, chart_rows):
        drawn = []
        for rel, seen in visits("desktop").items():
            for chart in seen["charts"]:
                drawn.append(chart["name"])
                assert chart["marks"] == chart_rows[chart["name"]], (rel, chart, chart_rows[chart["name"]])
                assert chart["label"] and len(chart["label"]) > 10, (rel, chart)
        assert set(drawn) == set(chart_rows), set(chart_rows) - set(drawn)

    def test_axe_finds_nothing_serious(self, visits):
        no_serious_axe_violation(visits, "desktop")

    def test_accessibility_basics(self, visits):
        """Headings start at h1 and skip no level, every visible link has a name, every chart a label."""
        for rel, seen in visits("desktop").items():
            result = seen["accessibility"]
            assert result["first"] == 1, (rel, result)
            assert not result["skips"], (rel, result)
            assert not result["unnamed"], (rel, result)
            assert result["charts"] == 0, (rel, result)


class TestPhone:
    def test_screenshots_and_tables_fit(self, visits, built_report):
        screenshots_taken_and_nothing_cut_off(visits, built_report, "phone")

    def test_axe_finds_nothing_serious(self, visits):
        no_serious_axe_violation(visits, "phone")


def no_serious_axe_violation(visits, device):
    """axe-core on every page at this width (light theme): no serious or critical violation."""
    bad = [
        f"{rel}: {v['id']} ({v['impact']}, {v['count']}): {v['nodes'][:2]}"
        for rel, seen in visits(device).items()
        for v in seen["axe"]
        if v["impact"] in BLOCKING
    ]
    assert not bad, f"{len(bad)} serious or critical:\n" + "\n".join(bad[:40])


def register(browser, built_report, fragment="", width=WIDTHS["desktop"]):
    url = (built_report / "generated" / "register.html").as_uri() + fragment
    ctx, page = offline_page(browser, url, ("file://",), width)
    page.wait_for_selector("#register-filter:not([hidden])")
    return ctx, page


def visible_ids(page):
    return page.eval_on_selector_all("section.register-entry:not([hidden])", "els => els.map(e => e.dataset.id)")


def shown(page):
    text = page.locator("#register-count").inner_text()
    n, total = text.removesuffix(" shown").split(" of ")
    return int(n), int(total)


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_register_filters_narrow_and_the_hash_restores_them(browser, built_report, device):
    ctx, page = register(browser, built_report, width=WIDTHS[device])
    try:
        assert not page.errors, page.errors
        total = page.locator("section.register-entry").count()
        assert shown(page) == (total, total)
        # Every control has a visible label, and the count is a polite live region.
        for control in page.locator("#register-filter input, #register-filter select").all():
            cid = control.get_attribute("id")
            assert page.locator(f"label[for='{cid}']").inner_text().strip(), cid
        assert page.locator("#register-count").get_attribute("role") == "status"
        assert page.locator("#register-count").get_attribute("aria-live") == "polite"
        # Governorates are offered by name, never by code.
        govs = [o for o in page.locator("#register-gov option").all_inner_texts() if o != "all"]
        assert govs and not [g for g in govs if g.startswith("SY-")], govs
        gov = "Idlib" if "Idlib" in govs else govs[0]
        page.select_option("#register-gov", gov)
        ids = visible_ids(page)
        assert 0 < len(ids) < total
        assert shown(page) == (len(ids), total)
        assert all(
            gov in e.split("|")
            for e in page.eval_on_selector_all(
                "section.register-entry:not([hidden])", "els => els.map(e => e.dataset.gov)"
            )
        )
        # Keyboard: the search box, then each filter, in reading order; typing narrows further.
        page.focus("#register-q")
        order = ["register-q"]
        for _ in range(5):
            page.keyboard.press("Tab")
            order.append(page.evaluate("document.activeElement.id"))
        assert order == [
            "register-q",
            "register-gov",
            "register-grading",
            "register-kind",
            "register-link",
            "register-table",
        ], order
        page.focus("#register-q")
        page.keyboard.type(ids[0].lower())
        page.wait_for_function(
            f"() => document.getElementById('register-count').innerText !== '{len(ids)} of {total} shown'"
        )
        texts = page.eval_on_selector_all("section.register-entry:not([hidden])", "els => els.map(e => e.textContent)")
        assert texts and all(ids[0] in t for t in texts) and len(texts) < len(ids)
        assert visible_ids(page)[0] == ids[0]
        page.select_option("#register-grading", index=0)
        state = page.evaluate("window.location.hash")
        assert "gov=" in state and "q=" in state, state
        narrowed = visible_ids(page)
        # The same address in a fresh page restores the filters and the entries shown.
        ctx2, page2 = register(browser, built_report, state, WIDTHS[device])
        try:
            assert page2.input_value("#register-gov") == gov
            assert page2.input_value("#register-q") == ids[0].lower()
            assert visible_ids(page2) == narrowed
            assert shown(page2) == (len(narrowed), total)
            # A link to an entry the filters hide clears them, so that the entry is seen.
            hidden = next(
                i
                for i in page2.eval_on_selector_all("section.register-entry", "els => els.map(e => e.dataset.id)")
                if i not in narrowed
            )
            page2.evaluate(f"window.location.hash = '#{hidden.lower()}'")
            page2.wait_for_function(f"() => !document.getElementById('{hidden.lower()}').closest('[hidden]')")
            assert shown(page2) == (total, total)
        finally:
            ctx2.close()
        page.click("#register-clear")
        page.wait_for_function(
            f"() => document.getElementById('register-count').innerText === '{total} of {total} shown'"
        )
        assert page.evaluate("window.location.hash") == ""
    finally:
        ctx.close()


def test_register_csv_holds_exactly_the_visible_rows(browser, built_report, tmp_path):
    ctx, page = register(browser, built_report, "#table=claims&link=lost%20in%20capture")
    try:
        ids = visible_ids(page)
        assert 0 < len(ids) < page.locator("section.register-entry").count()
        # A title that a spreadsheet would run as a formula is written as text.
        page.evaluate("""() => { const h = document.querySelector('section.register-entry:not([hidden]) h3');
                                 h.textContent = h.textContent.split(':')[0] + ': =HYPERLINK("x")'; }""")
        with page.expect_download() as info:
            page.click("#register-csv")
        path = tmp_path / "rows.csv"
        info.value.save_as(path)
        raw = path.read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(raw)))
        assert [r["id"] for r in rows] == ids
        assert rows[0]["title"] == "'=HYPERLINK(\"x\")"
        assert all(r["table"] == "claims" and r["link_status"] == "lost in capture" for r in rows)
        for line in raw.splitlines():  # every cell quoted
            assert line.startswith('"') and line.endswith('"'), line
    finally:
        ctx.close()
