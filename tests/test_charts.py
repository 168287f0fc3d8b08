"""The charts as a reader sees them (Debian's Chromium, offline, at desktop and phone width), and their
inputs: the time line draws refined windows, the map draws Syria's outline and names its governorates, no
chart or chart table shows a governorate code, every chart has a text alternative and a table of its data,
and the palette keeps its contrast."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, need_chromium, offline_page

from build_report import charts, figures, geo, queries
from build_report.package import Package, connect

CODE = re.compile(r"\bSY-[A-Z]{2}\b")
WIDTHS = [1400, 375]


@pytest.fixture(scope="module")
def con():
    return connect(Package.load(ROOT))


def _luminance(hex_colour: str) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_palette_contrast():
    # WCAG 2.1: text 4.5:1 (1.4.3), graphical objects 3:1 against what they sit on (1.4.11).
    assert contrast(charts.TEXT, "#FFFFFF") >= 4.5
    for colour in (charts.BLUE, charts.VERMILLION, charts.GREY_LINE, charts.BLACK):
        assert contrast(colour, "#FFFFFF") >= 3, colour
    for colour in (charts.BLUE, charts.VERMILLION, charts.GREY_LINE):
        assert contrast(colour, charts.GREY_FILL) >= 3, colour  # ticks and refined windows on the compilation's window
    for colour, _shape in charts.PRECISION.values():
        assert contrast(colour, charts.MAP_FILL) >= 3, colour  # points on the map
        assert contrast(colour, charts.SHADE) >= 3, colour  # points on a shaded governorate
        # (never on a neighbour: the gate keeps every point inside Syria's outline)


def test_map_inputs_match_their_provenance():
    files = geo.provenance()["files"]
    assert {r["file"] for r in files} == {"syria.geojson", "neighbours.geojson", "governorates.geojson"}
    for record in files:
        path = Path(geo.__file__).parent / record["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == record["sha256"], record["file"]
        assert record["source"]["registry"] == "npm" and record["source"]["integrity"].startswith("sha512-")
        licence = (path.parent / record["source"]["licence_file"]).read_text(encoding="utf-8")
        assert "Copyright" in licence, record["source"]["licence_file"]
        assert path.stat().st_size < 200_000, record["file"]  # simplified: the map page stays light
    feature = geo.outline()["features"][0]
    assert feature["id"] == "760" and feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_the_boundaries_are_the_14_governorates_and_hold_their_places(con):
    import pycountry

    from build_report.checks import coherence

    codes = {s.code for s in pycountry.subdivisions.get(country_code="SY")}
    assert set(geo.governorate_boundaries()) == codes and len(codes) == 14
    # Each governorate's capital (its label point, from GeoNames, not from Natural Earth) lies inside its boundary,
    # or within the gate's tolerance of it: Al Qunayţirah lies in the UNDOF zone, which Natural Earth draws apart.
    for code, g in geo.governorates().items():
        lat, lon = g["latitude"], g["longitude"]
        inside = coherence.governorate_at(lat, lon) == code
        assert inside or coherence.km_to_boundary(code, lat, lon) <= coherence.GOVERNORATE_TOLERANCE_KM, code
    # ...and the rule can fail: Aleppo's capital is far outside Dar'a.
    aleppo = geo.governorates()["SY-HL"]
    assert coherence.km_to_boundary("SY-DR", aleppo["latitude"], aleppo["longitude"]) > 100
    # A neighbour is not Syria, and the frame holds Syria.
    x0, y0, x1, y1 = geo.frame()
    a, b, c, d = geo.bounds(geo.outline())
    assert x0 < a and y0 < b and c < x1 and d < y1
    assert "760" not in {f["id"] for f in geo.neighbours()["features"]}


def test_the_governorates_table_is_what_its_script_writes():
    from build_report import csvio, model

    header, rows = csvio.read(ROOT / "data" / "governorates.csv")
    assert header == list(model.TABLES["governorates"].fields)
    want = [{k: "" if v is None else str(v) for k, v in r.items()} for r in geo.table_rows()]
    assert rows == want, "run `python evidence/governorates_table.py`"


def test_every_governorate_has_a_name_and_a_label_point_with_origin(con):
    import pycountry

    govs = geo.governorates()
    assert set(govs) == {s.code for s in pycountry.subdivisions.get(country_code="SY")}
    for code, g in govs.items():
        assert g["name"] and not CODE.search(g["name"]), code
        assert g["latitude"] is not None and "GeoNames" in g["origin"], code
    used = {
        r[0] for r in con.execute("SELECT DISTINCT admin1_code FROM places WHERE admin1_code IS NOT NULL").fetchall()
    }
    assert used <= set(govs)


def test_no_chart_spec_or_table_holds_a_governorate_code(con):
    for name, chart in figures.CHARTS.items():
        df = queries.run(con, chart.query)
        spec = charts.build(chart.builder, df, chart.alt)
        assert not CODE.search(json.dumps(spec, ensure_ascii=False)), name
        columns, rows = charts.table(chart.builder, df)
        assert not CODE.search(json.dumps([columns, rows], default=str, ensure_ascii=False)), name
        assert charts.describe(chart.builder, df, chart.alt).startswith(chart.alt)


def _pages_with_charts(built_report):
    return sorted(
        p for p in (built_report / "generated").glob("*.html") if 'class="chart"' in p.read_text(encoding="utf-8")
    )


def _open(browser, path, width):
    ctx, page = offline_page(browser, path.as_uri(), ("file://",), width)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vega-chart')].every(c => c.querySelector('svg g.role-mark'))",
        timeout=20000,
    )
    return ctx, page


def _browser_ready():
    need_chromium()


@pytest.mark.parametrize("width", WIDTHS)
def test_time_line_draws_refined_windows(browser, built_report, con, width):
    _browser_ready()
    refined = figures.compute(con, "incidents_dates_refined")
    df = queries.run(con, "chart_incident_timeline")
    ctx, page = _open(browser, built_report / "generated" / "when.html", width)
    try:
        fig = page.locator("figure#chart-incident_timeline")
        layers = fig.locator("g.role-mark[class*='rows_']")
        assert layers.count() == 3
        compilation, narrowed, ticks = (layers.nth(i).locator("path") for i in range(3))
        assert compilation.count() == int((df["layer"] == charts.COMPILATION).sum())
        assert narrowed.count() == refined["value"] > 0
        assert ticks.count() == int(df["layer"].isin([charts.USED, charts.NOT_USED]).sum())
        for i in range(narrowed.count()):
            box = narrowed.nth(i).bounding_box()
            assert box and box["width"] >= 2 and box["height"] >= 4, (i, box)
        assert not page.errors, page.errors
        text = page.locator("main").inner_text()
        assert "may narrow" not in text and "later version" not in text
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [*WIDTHS, 768])
def test_map_has_14_named_governorates_neighbours_and_names(browser, built_report, con, width):
    _browser_ready()
    ctx, page = _open(browser, built_report / "generated" / "where.html", width)
    try:
        svg = page.locator("figure#chart-place_map svg")
        paths = svg.locator(f"g.{charts.GOVERNORATES}_marks path")
        assert paths.count() == 14
        names = {r[0] for r in con.execute("SELECT name FROM governorates").fetchall()}
        labels = {paths.nth(i).get_attribute("aria-label") for i in range(14)}
        assert {label.split(";")[0].split(": ")[-1].strip() for label in labels} == names, labels
        frame = svg.bounding_box()
        for i in range(14):
            box = paths.nth(i).bounding_box()
            assert box and box["width"] > 2 and box["height"] > 2, i
        # The governorates together span most of the drawing in one direction (the map is fitted to Syria).
        boxes = [paths.nth(i).bounding_box() for i in range(14)]
        span_x = max(b["x"] + b["width"] for b in boxes) - min(b["x"] for b in boxes)
        span_y = max(b["y"] + b["height"] for b in boxes) - min(b["y"] for b in boxes)
        assert span_x > 0.8 * frame["width"] or span_y > 0.7 * frame["height"], (span_x, span_y, frame)
        if width < 420:  # on a phone Syria fills the map's width, and the map is no taller than Syria needs
            assert span_x > 0.85 * frame["width"] and span_y > 0.6 * frame["height"], (span_x, span_y, frame)
        shown = {
            t.strip()
            for t in page.evaluate(
                "() => [...document.querySelectorAll('#chart-place_map svg g.mark-text text')]"
                ".filter(t => getComputedStyle(t).opacity !== '0' && t.getAttribute('opacity') !== '0').map(t => t.textContent)"
            )
        }
        df = queries.run(con, "chart_place_map")
        # Every shaded governorate is named (where the full name finds no room, by its English short name).
        shaded = {charts._short_name(g) for g in df.loc[df["kind"] == "area", "governorate"]}
        assert shaded and all(any(s in t for t in shown) for s in shaded), shaded - shown
        assert f"{charts.SCALE_KM} km" in shown
        for title in df.loc[df["kind"] == "point", "title"]:
            assert any(title in t for t in shown), title  # every point is named
        if width >= 1000:  # on a wide screen every governorate is named
            assert all(any(charts._short_name(g["name"]) in t for t in shown) for g in geo.governorates().values())
        # Each point is reachable by a finger: a target of 24 px or more under it, linking where the point links.
        targets = svg.locator(f"g.{charts.TARGETS}_marks path")
        assert targets.count() == int((df["kind"] == "point").sum())
        for i in range(targets.count()):
            box = targets.nth(i).bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24, (i, box)
        assert not page.errors, page.errors
    finally:
        ctx.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_chart_shows_a_governorate_code_and_each_has_its_table(browser, built_report, width):
    _browser_ready()
    for path in _pages_with_charts(built_report):
        ctx, page = _open(browser, path, width)
        try:
            for fig in page.locator("figure.chart").all():
                name = fig.get_attribute("data-chart")
                svg_text = fig.locator("svg").evaluate("s => s.textContent")
                assert not CODE.search(svg_text), (path.name, name, CODE.findall(svg_text))
                label = fig.locator(".vega-chart").get_attribute("aria-label")
                assert label and not CODE.search(label)
                details = page.locator(f"details#data-{name}")
                assert details.count() == 1
                fig.locator("a.chart-data-link").click()
                assert details.evaluate("d => d.open"), name
                table_text = details.inner_text()
                assert not CODE.search(table_text), (path.name, name, CODE.findall(table_text))
                assert details.locator("tbody tr").count() >= 1
                for selector in ("figcaption", "a.chart-data-link"):
                    rgb = fig.locator(selector).evaluate("e => getComputedStyle(e).color")
                    hex_colour = "#" + "".join(f"{int(v):02X}" for v in re.findall(r"\d+", rgb)[:3])
                    assert contrast(hex_colour, "#FFFFFF") >= 4.5, (name, selector, rgb)
        finally:
            ctx.close()


def test_time_line_draws_the_same_days_in_every_time_zone(browser, built_report):
    _browser_ready()
    boxes = []
    for tz in ("UTC", "America/Los_Angeles", "Asia/Tokyo"):
        ctx = browser.new_context(viewport={"width": 1400, "height": 900}, timezone_id=tz)
        try:
            page = ctx.new_page()
            page.goto((built_report / "generated" / "when.html").as_uri())
            page.wait_for_function(
                "() => document.querySelector('#vis-incident_timeline svg g.role-mark')", timeout=20000
            )
            fig = page.locator("figure#chart-incident_timeline")
            boxes.append(
                [
                    round(fig.locator(f"g.role-mark[class*='rows_layer_{i}'] path").first.bounding_box()["x"])
                    for i in range(3)
                ]
            )
        finally:
            ctx.close()
    assert boxes[0] == boxes[1] == boxes[2], boxes


def test_every_located_row_page_has_its_locator_map(built_report, con):
    """An incident or tally page whose place has one governorate links its locator map (an SVG beside the site's
    downloads) with a text alternative naming the place's governorate; the drawing has the 14 boundaries."""
    rows = con.execute(
        "SELECT i.incident_id, p.admin1_code, p.latitude FROM incidents i JOIN places p USING (place_id) "
        "UNION ALL SELECT t.tally_id, p.admin1_code, p.latitude FROM tallies t JOIN places p USING (place_id)"
    ).fetchall()
    located = [(rid, code, lat) for rid, code, lat in rows if code]
    assert located
    for rid, code, lat in located:
        folder = "incidents" if rid.startswith("INC") else "tallies"
        page = (built_report / "generated" / folder / f"{rid}.html").read_text(encoding="utf-8")
        m = re.search(r'<figure class="locator-map"><img src="([^"]+)" alt="([^"]+)"', page)
        assert m, rid
        svg = (built_report / "generated" / folder / m.group(1)).resolve()
        assert svg.is_file() and svg.is_relative_to(built_report.resolve()), (rid, m.group(1))
        assert geo.name(code) in m.group(2).replace("&#39;", "'"), (rid, m.group(2))
        drawing = svg.read_text(encoding="utf-8")
        assert drawing.count("<path") == 14 + len(geo.outline()["features"]), rid
        assert ("<circle" in drawing) == (lat is not None), rid
        assert svg.stat().st_size < 40_000, rid


# Run in the page: every label of the map as a reader sees it. Each visible text of the map (the names and the
# scale bar; not the legend, not the white halo drawn under each name) must lie inside the part of the map that is
# shown (the SVG's box, cut to the text's clip rectangle, the map's view), must not overlap another label or any
# point's tap target, and must be at least MIN_FONT px.
MIN_FONT = 10  # px
MAP_LABELS = """(minFont) => {
    const svg = document.querySelector('#chart-place_map svg');
    const frame = svg.getBoundingClientRect();
    const shown = e => { for (; e && e !== svg; e = e.parentElement)
        if (e.getAttribute('opacity') === '0' || getComputedStyle(e).display === 'none') return false; return true; };
    const clipOf = e => {
        for (; e && e !== svg; e = e.parentElement) {
            const ref = e.getAttribute('clip-path');
            if (!ref) continue;
            const rect = svg.querySelector(ref.slice(4, -1).replace(/"/g, '') + ' rect');
            const m = e.getScreenCTM();
            const x = +rect.getAttribute('x') || 0, y = +rect.getAttribute('y') || 0;
            return {left: m.e + x * m.a, top: m.f + y * m.d, right: m.e + (x + +rect.getAttribute('width')) * m.a,
                    bottom: m.f + (y + +rect.getAttribute('height')) * m.d};
        }
        return null;
    };
    const labels = [...svg.querySelectorAll('g.mark-text text')]
        .filter(t => t.textContent.trim() && shown(t) && !t.closest('.role-legend'))
        .filter(t => (t.getAttribute('fill') || '').toLowerCase() !== 'white')
        .map(t => { const r = t.getBoundingClientRect(); const c = clipOf(t) || frame;
            return {text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize), left: r.left, top: r.top,
                    right: r.right, bottom: r.bottom, view: {left: Math.max(c.left, frame.left),
                    top: Math.max(c.top, frame.top), right: Math.min(c.right, frame.right),
                    bottom: Math.min(c.bottom, frame.bottom)}}; });
    const targets = [...svg.querySelectorAll('g.targets_marks path')].map(p => p.getBoundingClientRect());
    const meet = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
        && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
    const out = [];
    for (const l of labels) {
        const v = l.view;
        if (l.left < v.left - 0.5 || l.right > v.right + 0.5 || l.top < v.top - 0.5 || l.bottom > v.bottom + 0.5)
            out.push(`cut off: ${l.text} [${Math.round(l.left - v.left)}, ${Math.round(v.right - l.right)}]`);
        if (l.size < minFont) out.push(`too small: ${l.text} (${l.size} px)`);
        targets.forEach((t, i) => meet(l, t) && out.push(`covers the tap target of point ${i}: ${l.text}`));
    }
    labels.forEach((a, i) => labels.slice(i + 1).forEach(b => meet(a, b) && out.push(`overlap: ${a.text} / ${b.text}`)));
    return {problems: out, labels: labels.map(l => l.text), targets: targets.length};
}"""


# Run in the page: which governorate each governorate's name reads as (the one whose boundary is nearest the
# centre of the name's box; 0 inside it), and every leader line (a rule of the leaders' stroke width): its length,
# the label at its end, whether its start lies in the governorate that label names, and the other labels it crosses.
MAP_NAMES = """([names, leaderWidth]) => {
    const svg = document.querySelector('#chart-place_map svg');
    const govs = [...svg.querySelectorAll('g.governorates_marks path')].map(p => {
        const name = p.getAttribute('aria-label').split(';')[0].split(': ').pop().trim();
        const m = p.getScreenCTM(), len = p.getTotalLength(), pts = [];
        for (let d = 0; d <= len; d += 0.5 / m.a) {
            const q = p.getPointAtLength(d);
            pts.push([m.a * q.x + m.c * q.y + m.e, m.b * q.x + m.d * q.y + m.f]);
        }
        // Even-odd, so that a hole (a city governorate inside its countryside) is never filled.
        p.style.fillRule = 'evenodd';
        const inside = (x, y) => p.isPointInFill(new DOMPoint(x, y).matrixTransform(m.inverse()));
        return {name, gap: (x, y) => inside(x, y) ? 0 : Math.min(...pts.map(([a, b]) => Math.hypot(a - x, b - y))),
                inside};
    });
    const shown = e => { for (; e && e !== svg; e = e.parentElement)
        if (e.getAttribute('opacity') === '0' || getComputedStyle(e).display === 'none') return false; return true; };
    const labels = [...svg.querySelectorAll('g.mark-text text')]
        .filter(t => t.textContent.trim() && shown(t) && !t.closest('.role-legend'))
        .filter(t => (t.getAttribute('fill') || '').toLowerCase() !== 'white')
        .map(t => { const r = t.getBoundingClientRect();
            return {text: t.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                    gov: getComputedStyle(t).fontStyle === 'italic' ? undefined  // a point's name is italic
                        : Object.keys(names).find(n => names[n].includes(t.textContent))}; });
    const out = {reads: [], leaders: []};
    for (const l of labels.filter(l => l.gov)) {
        const x = (l.left + l.right) / 2, y = (l.top + l.bottom) / 2;
        const near = govs.map(g => [g.gap(x, y), g.name]).sort((a, b) => a[0] - b[0]);
        out.reads.push({text: l.text, gov: l.gov, nearest: near[0][1], gap: near[0][0], next: near[1][0]});
    }
    // Whether the segment a-b passes through a box (Liang-Barsky clipping), the box shrunk by half a pixel.
    const crosses = (a, b, r) => {
        let t0 = 0, t1 = 1;
        const dx = b[0] - a[0], dy = b[1] - a[1];
        for (const [p, q] of [[-dx, a[0] - r.left - 0.5], [dx, r.right - 0.5 - a[0]], [-dy, a[1] - r.top - 0.5],
                              [dy, r.bottom - 0.5 - a[1]]]) {
            if (p === 0) { if (q < 0) return false; continue; }
            const t = q / p;
            if (p < 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
            if (t0 > t1) return false;
        }
        return true;
    };
    const lines = [...svg.querySelectorAll('g.mark-rule line')]
        .filter(l => shown(l) && Math.abs(parseFloat(l.getAttribute('stroke-width')) - leaderWidth) < 1e-6);
    for (const line of lines) {
        const m = line.getScreenCTM();
        const at = (x, y) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
        const a = at(+line.getAttribute('x1') || 0, +line.getAttribute('y1') || 0);
        const b = at(+line.getAttribute('x2') || 0, +line.getAttribute('y2') || 0);
        const gapTo = l => Math.hypot(Math.max(l.left - b[0], 0, b[0] - l.right), Math.max(l.top - b[1], 0, b[1] - l.bottom));
        const own = labels.reduce((best, l) => gapTo(l) < gapTo(best) ? l : best, labels[0]);
        const g = own.gov && govs.find(g => g.name === own.gov);
        out.leaders.push({label: own.text, length: Math.hypot(b[0] - a[0], b[1] - a[1]), reach: gapTo(own),
                          starts_in_own: g ? g.inside(...a) : null,
                          crosses: labels.filter(l => l !== own && crosses(a, b, l)).map(l => l.text)});
    }
    return out;
}"""


def _map_names(page) -> dict:
    """MAP_NAMES for the map as drawn now, with each governorate's full and short name."""
    names = {g["name"]: [g["name"], charts._short_name(g["name"])] for g in geo.governorates().values()}
    return page.evaluate(MAP_NAMES, [names, charts.LEADER_WIDTH])


def _name_problems(seen: dict) -> list[str]:
    """Each governorate's name reads as its own governorate (nearest its boundary, or inside it); a leader line is
    at most charts.MAX_LEADER px, ends at its label, starts inside the governorate it names and crosses no label."""
    out = [f"{r['text']} reads as {r['nearest']}" for r in seen["reads"] if r["nearest"] != r["gov"]]
    for line in seen["leaders"]:
        if line["length"] > charts.MAX_LEADER + 1:
            out.append(f"leader of {line['label']}: {line['length']:.0f} px")
        if line["reach"] > 6:
            out.append(f"leader of {line['label']} ends {line['reach']:.0f} px from it")
        if line["starts_in_own"] is False:
            out.append(f"leader of {line['label']} starts outside its governorate")
        if line["crosses"]:
            out.append(f"leader of {line['label']} crosses {line['crosses']}")
    return out


def _map_labels(page) -> dict:
    page.wait_for_function("() => document.querySelector('#chart-place_map svg g.mark-text text')", timeout=20000)
    page.wait_for_timeout(600)  # a resize redraws the map on the next frames
    return page.evaluate(MAP_LABELS, MIN_FONT)


@pytest.mark.parametrize(
    "sizes",
    [
        [(320, 640)],
        [(375, 812)],
        [(768, 1024)],
        [(1400, 900)],
        [(375, 812), (1400, 900), (375, 812)],
        [(320, 640), (768, 1024), (320, 640)],
        [(375, 812), (812, 375)],
        [(812, 375), (768, 1024)],  # the map's box narrows by exactly its padding (12 px)
    ],
    ids=["320", "375", "768", "1400", "375-1400-375", "320-768-320", "375-rotated", "812-768"],
)
def test_map_labels_inside_the_map_and_clear_of_points_and_each_other(browser, built_report, con, sizes):
    """At each window size (after resizing from the first, as a reader widening a window or turning a phone does),
    every label of the map lies inside the map's visible box, covers no point's tap target and no other label, and
    is at least 10 px; every point is named, and so is every shaded governorate (its full name or the English
    short name in brackets); each governorate's name reads as its own (_name_problems) and every leader line is
    short, starts in its governorate and crosses no label."""
    _browser_ready()
    ctx, page = _open(browser, built_report / "generated" / "where.html", sizes[0][0])
    try:
        for width, height in sizes:
            page.set_viewport_size({"width": width, "height": height})
            seen = _map_labels(page)
            assert not seen["problems"], (width, seen["problems"])
            named = _map_names(page)
            assert not _name_problems(named), (width, _name_problems(named))
            drawn, box = page.evaluate(
                "() => ['#vis-place_map svg', '#vis-place_map'].map(s => document.querySelector(s).getBoundingClientRect().width)"
            )
            assert drawn <= box + 1, (width, drawn, box)  # the map refitted to its box
            df = queries.run(con, "chart_place_map")
            assert seen["targets"] == int((df["kind"] == "point").sum())
            text = " ".join(seen["labels"])
            for title in df.loc[df["kind"] == "point", "title"]:
                assert title in text, (width, title)
            for name in df.loc[df["kind"] == "area", "governorate"]:
                short = re.search(r"\(([^()]+)\)$", name)
                assert name in seen["labels"] or (short and short.group(1) in seen["labels"]), (width, name)
        assert not page.errors, page.errors
    finally:
        ctx.close()
