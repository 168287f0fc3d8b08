"""The rendered report in a real browser (Debian's Chromium driven by Playwright), offline, opened from disk
(file://) as a reader of the downloaded report would. tests/test_reader.py visits every page over HTTP."""

import re

from conftest import ROW_MARKS, need_chromium, offline_page, wait_for_charts

ROW_ID = re.compile(r"\b(INC|TAL|CLM|PLC)-\d{4,}\b")

need_chromium()


def pages(built_report):
    return sorted(p.relative_to(built_report).as_posix() for p in (built_report / "generated").glob("*.html"))


def open_page(browser, url, width=1280):
    """A fresh offline page (see conftest.offline_page), once its charts have drawn."""
    ctx, page = offline_page(browser, url, ("file://",), width)
    wait_for_charts(page)
    return ctx, page


def each_page(browser, root_url, rels, width=1280):
    """Yield (rel, page) for every page, each in its own fresh browser context."""
    for rel in rels:
        ctx, page = open_page(browser, f"{root_url}/{rel}", width)
        try:
            yield rel, page
        finally:
            ctx.close()


def test_every_page_renders_offline(browser, built_report, chart_rows):
    for rel, page in each_page(browser, built_report.as_uri(), pages(built_report)):
        assert not page.errors, (rel, page.errors)
        assert not page.outside, (rel, page.outside)
        for fig in page.locator("figure.chart").all():
            name = fig.get_attribute("data-chart")
            marks = fig.locator(ROW_MARKS).count()
            assert marks == chart_rows[name], (rel, name, marks, chart_rows[name])
            label = fig.locator(".vega-chart").get_attribute("aria-label")
            assert label and len(label) > 10


def test_hover_shows_row_and_click_opens_its_page(browser, built_report):
    for rel, page in each_page(browser, built_report.as_uri(), pages(built_report)):
        for fig in page.locator("figure.chart").all():
            name = fig.get_attribute("data-chart")
            mark = fig.locator(ROW_MARKS).first
            mark.hover()
            page.wait_for_function(
                "() => /(INC|TAL|CLM|PLC)-\\d{4}/.test((document.querySelector('#vg-tooltip-element') || {}).innerText || '')",
                timeout=10000,
            )
            tip = page.locator("#vg-tooltip-element").inner_text()
            m = ROW_ID.search(tip)
            assert m, (name, tip)
            with page.expect_navigation():
                mark.click()
            row = m.group(0)
            if row.startswith(("INC-", "TAL-")):  # an incident or tally opens its own page
                folder = "incidents" if row.startswith("INC-") else "tallies"
                assert page.url.endswith(f"{folder}/{row}.html"), (name, page.url)
                assert page.locator(".row-page").get_attribute("data-row") == row
                assert row not in page.locator("h1").first.inner_text()  # the heading says what, where and when
            else:
                assert page.url.endswith("register.html#" + row.lower()), (name, page.url)
                assert page.locator(f"#{row.lower()}").is_visible()
            page.go_back()
            page.wait_for_function(
                "() => [...document.querySelectorAll('.vega-chart')].every(c => c.querySelector('svg g.role-mark'))",
                timeout=15000,
            )


def test_footnote_then_row_link_lands_on_quote(browser, built_report):
    ctx, page = open_page(browser, (built_report / "generated" / "index.html").as_uri())
    try:
        spans = page.locator("span.figure")
        assert spans.count() >= 5
        for i in range(spans.count()):
            span = spans.nth(i)
            ids = span.get_attribute("data-ids").split()
            if not ids:
                continue
            ref = span.locator("xpath=following::a[contains(@class,'footnote-reference')][1]")
            ref.click()
            note_id = ref.get_attribute("href").split("#")[1]
            link = page.locator(f"[id='{note_id}'] a.row-link").first
            assert link.inner_text() == ids[0]
            link.click()
            page.wait_for_load_state("load")
            assert page.url.endswith("#" + ids[0].lower())
            entry = page.locator(f"[id='{ids[0].lower()}']")
            assert entry.is_visible()
            if ids[0].startswith(("CLM", "INC")):
                assert entry.locator("blockquote.verbatim").count() >= 1
            page.go_back()
            page.wait_for_load_state("load")
    finally:
        ctx.close()
