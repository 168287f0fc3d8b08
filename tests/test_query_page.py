"""The Query page in Debian's Chromium, opened from disk (file://) with every other request blocked: DuckDB-WASM
starts, every named query (every .sql file, so every figure and chart of the registry) gives the build's result
cell for cell, an edited query runs and its result downloads as CSV, and the "Recompute" link under a figure and
a chart opens the page, runs the query and shows the build's value beside the browser's, at 1400 and 375 px
(screenshots: build/screenshots/query-*.png). No other page loads the engine."""

import csv
import io
import re

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, need_chromium, offline_page
from test_reader import LAYOUT, SHOTS, WIDTHS

from build_report import engine, figures, queries, query_page
from build_report.checks import agreement
from build_report.package import Package, columns_and_records, connect

need_chromium()


def build_connection():
    """The connection as the book build makes it (book.main): the package's tables and the coder's agreement table."""
    pkg = Package.load(ROOT)
    c = connect(pkg)
    agreement.frame(c, pkg.archive_text())
    return c


@pytest.fixture(scope="module")
def con():
    return build_connection()


@pytest.fixture(scope="module")
def engine_page(browser, built_report):
    """The Query page from disk with the engine started (it starts only when asked)."""
    ctx, page = offline_page(browser, (built_report / "generated" / "query.html").as_uri(), ("file://",), 1400)
    assert page.evaluate("() => typeof window.duckdbQuery") == "undefined"  # nothing loaded before it is asked for
    page.evaluate("() => window.queryPage.ready()")
    yield page
    assert not page.outside, page.outside
    assert not page.errors, page.errors
    ctx.close()


def differences(want: dict, got: dict) -> list:
    out = []
    if want["columns"] != got["columns"]:
        out.append(("columns", want["columns"], got["columns"]))
    if len(want["rows"]) != len(got["rows"]):
        out.append(("rows", len(want["rows"]), len(got["rows"])))
    for r, (a, b) in enumerate(zip(want["rows"], got["rows"])):
        out += [(r + 1, want["columns"][c], x, y) for c, (x, y) in enumerate(zip(a, b)) if x != y]
    return out


def test_every_named_query_gives_the_build_result_in_the_browser(engine_page, con):
    names = query_page.names()
    used = {f.query for f in figures.FIGURES.values()} | {c.query for c in figures.CHARTS.values()}
    assert used <= set(names), used - set(names)
    assert engine_page.evaluate("() => window.queryPage.names()") == names  # every query is listed on the page
    found = {}
    for name in names:
        got = engine_page.evaluate("(sql) => window.queryPage.query(sql)", queries.sql(name))
        want = query_page.result(con, name)
        assert want["rows"] or name.startswith("check_"), name  # a query that returns nothing would compare nothing
        if diff := differences(want, got):
            found[name] = diff[:5]
    assert not found, found


def test_the_page_states_the_engine_size_and_licence(built_report):
    html = (built_report / "generated" / "query.html").read_text(encoding="utf-8")
    files = built_report / query_page.ENGINE_DIR
    size = sum((files / f).stat().st_size for f in engine.FILES if f.endswith(".js"))
    assert f"Load the query engine ({size / 1_000_000:.1f} MB)" in html
    assert engine.locked()["integrity"] in html and (files / "LICENSES.txt").stat().st_size > 1000


def test_an_edited_query_runs_and_its_result_downloads_as_csv(engine_page, con, tmp_path):
    page = engine_page
    page.select_option("#query-pick", "chart_claims_by_kind")
    named = page.input_value("#query-sql")
    assert named == queries.sql("chart_claims_by_kind")
    edited = f"SELECT * FROM (\n{named.strip().rstrip(';')}\n) AS named ORDER BY ALL DESC LIMIT 5"
    page.fill("#query-sql", edited)
    page.click("#query-run")
    page.wait_for_selector("#query-result table")
    assert "Edited" in page.text_content("#query-compare")
    columns, rows = columns_and_records(con, edited)
    want = [[query_page.cell(r[c]) for c in columns] for r in rows]
    assert len(want) == 5
    shown = page.eval_on_selector_all(
        "#query-result tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    assert shown == [[text(v) for v in row] for row in want]
    with page.expect_download() as download:
        page.click("#query-csv")
    path = tmp_path / "result.csv"
    download.value.save_as(path)
    got = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert got == [columns] + [["" if v is None else text(v) for v in row] for row in want]
    assert not page.outside, page.outside


def text(v) -> str:
    """A cell as the page shows it: NULL, lists in brackets."""
    if v is None:
        return "NULL"
    if isinstance(v, list):
        return "[" + ", ".join(text(x) for x in v) + "]"
    if isinstance(v, bool):
        return str(v).lower()
    return str(v)


RECOMPUTE = re.compile(r"^query\.html#q-([a-z0-9_]+)$")


def test_recompute_under_every_figure_and_chart_and_the_engine_on_no_other_page(built_report):
    """Each figure's footnote and each chart's caption link to the Query page with the figure's own query, which the
    page lists; only the Query page names the engine, its data, script or stylesheet."""
    query_html = (built_report / "generated" / "query.html").read_text(encoding="utf-8")
    seen_figures, seen_charts = set(), set()
    for path in sorted((built_report / "generated").rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        for span in soup.select("span.figure"):
            note = soup.find(id=span.find_next("a", class_="footnote-reference")["href"].lstrip("#"))
            links = [RECOMPUTE.match(a["href"]).group(1) for a in note.select("a.recompute")]
            assert links == [figures.FIGURES[span["data-figure"]].query], (path.name, span["data-figure"], links)
            seen_figures.add(span["data-figure"])
        for fig in soup.select("figure.chart"):
            links = [RECOMPUTE.match(a["href"]).group(1) for a in fig.select("figcaption a.recompute")]
            assert links == [figures.CHARTS[fig["data-chart"]].query], (path.name, fig["data-chart"], links)
            seen_charts.add(fig["data-chart"])
        for a in soup.select("a.recompute"):
            assert f'id="q-{RECOMPUTE.match(a["href"]).group(1)}"' in query_html, (path.name, a["href"])
        if path.name != "query.html":
            assert not re.search(r"query\.js|query\.css|query-data\.js|vendor/duckdb", html), path
    assert seen_charts == set(figures.CHARTS)
    assert seen_figures == set(figures.FIGURES)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_recompute_opens_the_query_runs_it_and_shows_both_values(browser, built_report, device):
    """From a page with a figure and a chart: its Recompute link runs the query on the Query page (from disk), and
    the build's value is shown beside the browser's, with 0 cells differing; nothing is cut off at this width."""
    width = WIDTHS[device]
    SHOTS.mkdir(parents=True, exist_ok=True)
    con = build_connection()
    for kind in ("figure", "chart"):
        source = next(
            p
            for p in sorted((built_report / "generated").glob("*.html"))
            if ('class="figure"' if kind == "figure" else 'class="vega-chart"') in p.read_text(encoding="utf-8")
        )
        ctx, page = offline_page(browser, source.as_uri(), ("file://",), width)
        link = page.locator(
            "figure.chart a.recompute" if kind == "chart" else ".footnote a.recompute, aside a.recompute"
        )
        if not link.count():
            link = page.locator("a.recompute")
        target = link.first.get_attribute("href").split("#q-")[1]
        link.first.click()
        page.wait_for_selector("#query-compare[data-differences]", timeout=180_000)
        assert page.url.endswith(f"query.html#q-{target}")
        assert page.get_attribute("#query-compare", "data-differences") == "0", page.text_content("#query-compare")
        want = query_page.result(con, target)
        if kind == "figure":
            row = dict(zip(want["columns"], want["rows"][0]))
            value = str(row["value"]) if "value" in row else None
            said = page.text_content("#query-compare .query-values")
            if value is not None:
                assert f"In the report (the build): {value}. In your browser: {value}." in said, said
        assert f"{len(want['rows'])} row" in page.text_content("#query-compare .query-same")
        page.wait_for_timeout(300)  # tables.js re-fits the result table after a resize event
        problems = page.evaluate(LAYOUT)
        page.screenshot(path=str(SHOTS / f"query-{kind}-{device}.png"), full_page=False)
        assert not problems, problems
        assert not page.outside, page.outside
        assert not page.errors, page.errors
        ctx.close()
