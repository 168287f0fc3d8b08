"""The report on phones and tablets, pressed as a reader presses it (Debian's Chromium, offline, from disk):
the navigation and contents buttons open and close their panels by click, tap and keyboard; charts drawn narrow
refit when the window widens; tooltips stay on screen, and on touch the first tap shows one and the second opens
the row; the Data quality page is a page, not Markdown source. Screenshots of the 375, 768 and 1400 px views of
the chart pages go to build/screenshots/resized/ for a reviewer."""

import csv
import io

import pytest
from conftest import ROOT, ROW_MARKS, need_chromium, offline_page, wait_for_charts

need_chromium()

SHOTS = ROOT / "build" / "screenshots" / "resized"
PHONE, TABLET, DESKTOP = 375, 768, 1400


def chart_pages(built_report) -> list[str]:
    return sorted(
        p.relative_to(built_report).as_posix()
        for p in (built_report / "generated").glob("*.html")
        if 'class="vega-chart"' in p.read_text(encoding="utf-8")
    )


def open_at(browser, built_report, rel, width, touch=False):
    if not touch:
        ctx, page = offline_page(browser, (built_report / rel).as_uri(), ("file://",), width)
    else:
        ctx = browser.new_context(viewport={"width": width, "height": 800}, has_touch=True, is_mobile=True)
        ctx.set_default_timeout(60_000)
        ctx.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "blob:")) else r.abort()
        )
        page = ctx.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto((built_report / rel).as_uri())
        page.wait_for_load_state("load")
    wait_for_charts(page)
    return ctx, page


def visible(page, selector):
    """The one element of `selector` a reader can see (the theme keeps a hidden twin of each toggle)."""
    shown = [e for e in page.locator(selector).all() if e.is_visible()]
    assert len(shown) == 1, (selector, len(shown))
    return shown[0]


# Panel, its dialog, and what must become visible in it: links of the site's navigation, or of the page's contents.
PANELS = {
    "navigation": (".primary-toggle", "#pst-primary-sidebar-modal", "nav.bd-docs-nav a.reference"),
    "contents": (".secondary-toggle", "#pst-secondary-sidebar-modal", "nav.page-toc a, .bd-toc-nav a"),
}


@pytest.mark.parametrize("width", [PHONE, TABLET])
@pytest.mark.parametrize("how", ["click", "tap", "keyboard"])
@pytest.mark.parametrize("panel", sorted(PANELS))
def test_menu_buttons_open_and_close_the_navigation(browser, built_report, panel, how, width):
    toggle_sel, dialog_sel, links_sel = PANELS[panel]
    ctx, page = open_at(browser, built_report, "generated/methods.html", width, touch=how == "tap")
    try:
        dialog = page.locator(dialog_sel)
        assert not dialog.evaluate("d => d.open")
        button = visible(page, toggle_sel)
        assert button.get_attribute("aria-label"), "the button has a name"
        if how == "click":
            button.click()
        elif how == "tap":
            button.tap()
        else:
            button.focus()
            page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.querySelector('{dialog_sel}').open", timeout=5000)
        links = [a for a in dialog.locator(links_sel).all() if a.is_visible()]
        assert len(links) >= 3, (panel, how, width, len(links))
        box = dialog.bounding_box()
        assert box and box["width"] > 150 and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"menu-{panel}-{how}-{width}.png"))
        # Close it as that reader would: Escape on the keyboard, a press beside the panel otherwise.
        if how == "keyboard":
            page.keyboard.press("Escape")
        else:
            # Midway between the panel and the screen's edge: a tap close to the panel would be taken as a tap on
            # its nearest link (Chromium's touch adjustment).
            right = box["x"] + box["width"]
            x = (right + width) / 2 if width - right > box["x"] else box["x"] / 2
            (page.touchscreen.tap if how == "tap" else page.mouse.click)(x, 400)
        page.wait_for_function(f"() => !document.querySelector('{dialog_sel}').open", timeout=5000)
        assert not [a for a in dialog.locator(links_sel).all() if a.is_visible()]
        # Pressed again, it opens again (the panel's content went back where it came from).
        button.click() if how != "tap" else button.tap()
        page.wait_for_function(f"() => document.querySelector('{dialog_sel}').open", timeout=5000)
        assert [a for a in dialog.locator(links_sel).all() if a.is_visible()]
        assert not page.errors, page.errors
    finally:
        ctx.close()


# Run in the page: each chart's figure (its column) and its drawing's width, and the box of every mark drawn from its
# query's rows, relative to the drawing.
GEOMETRY = """(marks) => [...document.querySelectorAll('figure.chart')].map(f => {
    const svg = f.querySelector('.vega-chart svg');
    const b = f.getBoundingClientRect(), s = svg.getBoundingClientRect();
    return {name: f.dataset.chart, box: b.width, left: b.left, svg: s.width, svgLeft: s.left,
            marks: [...f.querySelectorAll(marks)].map(m => { const r = m.getBoundingClientRect();
                return [Math.round(r.left - s.left), Math.round(r.top - s.top), Math.round(r.width), Math.round(r.height)]; })};
})"""


def test_charts_refit_when_the_window_widens_and_narrows(browser, built_report):
    """Drawn at 375 px, then widened to 1400 px (and narrowed to 768 px): every chart fits its box and fills it,
    and every mark of its rows is where a chart drawn at that width in the first place puts it (so no bar is cut
    short and no map is cropped)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = chart_pages(built_report)
    assert pages
    for rel in pages:
        fresh = {}
        for width in (DESKTOP, TABLET):
            ctx, page = open_at(browser, built_report, rel, width)
            try:
                fresh[width] = {c["name"]: c for c in page.evaluate(GEOMETRY, ROW_MARKS)}
                page.screenshot(path=str(SHOTS / f"{rel.split('/')[-1][:-5]}-{width}-fresh.png"), full_page=True)
            finally:
                ctx.close()
        ctx, page = open_at(browser, built_report, rel, PHONE)
        try:
            page.screenshot(path=str(SHOTS / f"{rel.split('/')[-1][:-5]}-{PHONE}.png"), full_page=True)
            for width in (DESKTOP, TABLET):
                page.set_viewport_size({"width": width, "height": 900})
                page.wait_for_timeout(400)  # the refit runs on the next frames
                page.wait_for_function(
                    """() => [...document.querySelectorAll('.vega-chart')].every(c => {
                        const s = c.querySelector('svg'); return s && s.getBoundingClientRect().width <= c.parentElement.clientWidth + 1;})""",
                    timeout=10000,
                )
                page.wait_for_timeout(200)
                page.screenshot(path=str(SHOTS / f"{rel.split('/')[-1][:-5]}-{PHONE}-to-{width}.png"), full_page=True)
                for chart in page.evaluate(GEOMETRY, ROW_MARKS):
                    want = fresh[width][chart["name"]]
                    where = (rel, width, chart["name"])
                    assert chart["svg"] <= chart["box"] + 1, (*where, chart["svg"], chart["box"])
                    assert chart["svg"] >= 0.9 * chart["box"], (*where, chart["svg"], chart["box"])
                    assert abs(chart["box"] - want["box"]) <= 2, (*where, chart["box"], want["box"])
                    assert len(chart["marks"]) == len(want["marks"]) > 0, where
                    off = [
                        (a, b)
                        for a, b in zip(chart["marks"], want["marks"])
                        if max(map(abs, (x - y for x, y in zip(a, b)))) > 2
                    ]
                    assert not off, (*where, off[:3])
        finally:
            ctx.close()


TOOLTIP = """() => { const t = document.getElementById('vg-tooltip-element');
    if (!t || !t.classList.contains('visible')) return null;
    const r = t.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: t.innerText}; }"""


def test_tooltips_stay_on_screen_at_375_px(browser, built_report):
    for rel in chart_pages(built_report):
        ctx, page = open_at(browser, built_report, rel, PHONE)
        try:
            for fig in page.locator("figure.chart").all():
                marks = fig.locator(ROW_MARKS)
                n = marks.count()
                for i in sorted({0, n // 2, n - 1}):
                    mark = marks.nth(i)
                    mark.scroll_into_view_if_needed()
                    box = mark.bounding_box()
                    if not box or box["width"] < 1:
                        continue
                    # Marks at the start, middle and end of the chart: near the screen's sides a tooltip is likeliest
                    # to run off.
                    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                    page.wait_for_function(TOOLTIP, timeout=5000)
                    page.wait_for_timeout(100)
                    tip = page.evaluate(TOOLTIP)
                    assert tip and tip["text"].strip(), (rel, fig.get_attribute("data-chart"), i)
                    assert tip["left"] >= 0 and tip["right"] <= PHONE, (rel, fig.get_attribute("data-chart"), i, tip)
                    assert tip["top"] >= 0 and tip["bottom"] <= page.viewport_size["height"], (
                        rel,
                        fig.get_attribute("data-chart"),
                        i,
                        tip,
                    )
                    page.mouse.move(0, 0)
        finally:
            ctx.close()


def test_on_touch_the_first_tap_shows_the_tooltip_and_the_second_opens_the_row(browser, built_report):
    rel = chart_pages(built_report)[0]
    ctx, page = open_at(browser, built_report, rel, PHONE, touch=True)
    try:
        mark = page.locator(f"figure.chart {ROW_MARKS}").first
        mark.scroll_into_view_if_needed()
        url = page.url
        mark.tap()
        page.wait_for_function(TOOLTIP, timeout=5000)
        tip = page.evaluate(TOOLTIP)
        assert tip["left"] >= 0 and tip["right"] <= PHONE, tip
        assert page.url == url  # still here
        with page.expect_navigation():
            mark.tap()
        assert page.url != url and (
            "/incidents/" in page.url or "/tallies/" in page.url or "register.html#" in page.url
        )
    finally:
        ctx.close()


def test_data_quality_page_is_a_page_not_markdown(browser, built_report):
    ctx, page = open_at(browser, built_report, "generated/quality.html", PHONE)
    try:
        text = page.locator("article").inner_text()
        assert "**" not in text and "|---" not in text and "| check |" not in text, text[:400]
        assert page.locator("pre").count() == 0
        rows = page.locator("table.quality-checks tbody tr")
        assert rows.count() >= 5
        assert (
            page.locator("p.quality-result strong").inner_text() in ("passed",)
            or "failure" in page.locator("p.quality-result strong").inner_text()
        )
    finally:
        ctx.close()


def register_page(browser, built_report, width=DESKTOP, fragment=""):
    ctx, page = offline_page(
        browser, (built_report / "generated" / "register.html").as_uri() + fragment, ("file://",), width
    )
    page.wait_for_selector("#register-filter:not([hidden])")
    return ctx, page


def shown_ids(page):
    return page.eval_on_selector_all("section.register-entry:not([hidden])", "els => els.map(e => e.dataset.id)")


def test_register_is_a_readers_tool(browser, built_report, tmp_path):
    """Short by default; a summary table that sorts; spellings of one name match; a date range narrows; nothing
    matching says so; the CSV holds every coded field (dates, counts, place, perpetrator) of the rows shown."""
    ctx, page = register_page(browser, built_report)
    try:
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= 25_000, height
        # The summary table: one row per incident; sorting by reported killed puts the largest last, then first.
        rows = page.locator("#register-summary tbody tr")
        assert rows.count() == page.locator("section.register-entry[data-table='incidents']").count()
        page.click("#register-summary button[data-sort='killed']")
        values = [
            v
            for v in page.eval_on_selector_all(
                "#register-summary tbody tr td:nth-child(5)", "els => els.map(e => e.dataset.sortValue)"
            )
            if v
        ]
        assert [int(v) for v in values] == sorted(int(v) for v in values)
        page.click("#register-summary button[data-sort='killed']")
        values = [
            v
            for v in page.eval_on_selector_all(
                "#register-summary tbody tr td:nth-child(5)", "els => els.map(e => e.dataset.sortValue)"
            )
            if v
        ]
        assert [int(v) for v in values] == sorted((int(v) for v in values), reverse=True)
        assert page.locator("#register-summary th[aria-sort='descending']").count() == 1
        # Spellings: every variant finds the same entries.
        found = {}
        for spelling in ("Maarat", "Ma'arrat", "Maarrat", "maʿarat"):
            page.fill("#register-q", spelling)
            page.wait_for_timeout(400)
            found[spelling] = shown_ids(page)
        assert found["Maarat"] and all(v == found["Maarat"] for v in found.values()), found
        # Nothing matches: a message says so; clearing brings every entry back.
        page.fill("#register-q", "zzzqqq")
        page.wait_for_timeout(400)
        assert shown_ids(page) == [] and page.locator("#register-none").is_visible()
        page.click("#register-clear")
        page.wait_for_timeout(300)
        assert not page.locator("#register-none").is_visible()
        # A date range keeps the entries whose window overlaps it, and hides the summary rows of the others.
        page.fill("#register-from", "2016-01-09")
        page.fill("#register-to", "2016-01-12")
        page.wait_for_timeout(400)
        dated = page.eval_on_selector_all(
            "section.register-entry:not([hidden])", "els => els.map(e => [e.dataset.start, e.dataset.end])"
        )
        assert dated and all(s and e and s <= "2016-01-12" and e >= "2016-01-09" for s, e in dated)
        visible_rows = page.eval_on_selector_all(
            "#register-summary tbody tr:not([hidden])", "els => els.map(e => e.dataset.id)"
        )
        assert set(visible_rows) == {i for i in shown_ids(page) if i.startswith("INC-")}
        # The CSV: exactly the entries shown, with every coded field.
        page.select_option("#register-table", "incidents")
        page.wait_for_timeout(300)
        ids = shown_ids(page)
        with page.expect_download() as info:
            page.click("#register-csv")
        path = tmp_path / "rows.csv"
        info.value.save_as(path)
        got = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert [r["id"] for r in got] == ids
        for field in (
            "date_start",
            "date_end",
            "killed_min",
            "killed_max",
            "place",
            "alleged_perpetrator",
            "target_type",
        ):
            assert field in got[0], (field, list(got[0]))
        assert all(r["date_start"] for r in got)
    finally:
        ctx.close()
