"""Chart builders: one Vega-Lite spec per registry entry (figures.CHARTS), one mark per query row.

Every mark of a chart's rows layer (named "rows", so its SVG group has the class `rows_marks`) carries its
row ID in the tooltip and links to that row's page or register entry; other layers (the outline of Syria,
governorate names) are drawn from the map inputs in geo/. Each builder also has a text alternative
(`describe`) and a table of the same data (`table`), shown under the chart.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies), each mark at least
3:1 against what it sits on; text is #333 or darker.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import NamedTuple

import altair as alt
import pandas as pd

from . import geo, links

# Okabe & Ito (2008), "Color Universal Design": distinguishable with protanopia, deuteranopia and tritanopia.
# Its orange, sky blue, yellow and reddish purple are left out: under 3:1 against white.
BLUE, VERMILLION, GREEN, BLACK = "#0072B2", "#D55E00", "#009E73", "#000000"
GREY_FILL, GREY_LINE, TEXT = "#E6E6E6", "#595959", "#333333"
ROWS = "rows"  # the name of the layer with one mark per query row

COMPILATION, REFINED = "the compilation's window", "refined window"
USED = "report used for the refined window"
NOT_USED = "report not used for a window"


def _prepare(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["register_url"] = [links.row_url(i) for i in df["id"]]
    for col in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[col]):
            df[col] = df[col].dt.strftime("%Y-%m-%d")
        elif df[col].dtype == object:
            df[col] = [v.isoformat() if hasattr(v, "isoformat") else v for v in df[col]]
    return df


def _short(text: str, n: int = 34) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def stacked_bar(df):
    df = _prepare(df)
    # An open range has no maximum: say so in words rather than showing "null".
    df["max_text"] = ["none stated" if pd.isna(v) else str(int(v)) for v in df["killed_max"]]
    return (
        alt.Chart(df, name=ROWS)
        .mark_bar(stroke="white", strokeWidth=1, color=BLUE)
        .encode(
            # Two lines: on a phone the governorate names leave the bars about 170 px, too narrow for one.
            x=alt.X("killed_min:Q", title=["people reported killed", "(minimum)"], stack="zero"),
            y=alt.Y("governorate:N", title="governorate"),
            detail="id:N",
            href="register_url:N",
            tooltip=[
                alt.Tooltip("id:N", title="row"),
                alt.Tooltip("title:N", title="incident"),
                alt.Tooltip("governorate:N", title="governorate"),
                alt.Tooltip("phrase:N", title="claim words"),
                alt.Tooltip("killed_min:Q", title="min"),
                alt.Tooltip("max_text:N", title="max"),
            ],
        )
        .properties(height=max(180, 28 * df["governorate"].nunique()))
    )


def timeline(df):
    """Per incident: the compilation's window (light bar), the refined window (dark bar) and the event date
    of each report found (ticks, vermillion where the report narrowed the window)."""
    df = _prepare(df)
    first = df[df["layer"] == COMPILATION].sort_values(["window_start", "window_end", "id"])
    order = [f"{i} {_short(t)}" for i, t in zip(first["id"], first["title"])]
    labels = dict(zip(first["id"], order))
    df["incident"] = [labels[i] for i in df["id"]]
    df["report"] = df["report"].fillna("")
    df["report_id"] = df["report_id"].fillna("")
    df["midday"] = [f"{d}T12:00:00Z" for d in df["date_from"]]
    colour = alt.Color(
        "layer:N",
        title=None,
        legend=alt.Legend(
            orient="top",
            direction="vertical",
            labelLimit=300,
            symbolType="square",
            symbolStrokeColor=GREY_LINE,
            symbolStrokeWidth=1,
            symbolOpacity=1,
        ),
        scale=alt.Scale(domain=[COMPILATION, REFINED, USED, NOT_USED], range=[GREY_FILL, BLUE, VERMILLION, GREY_LINE]),
    )
    # On a narrow screen the axis names the incident by ID only; the tooltip and the table give the title.
    y = alt.Y(
        "incident:N",
        title=None,
        sort=order,
        axis=alt.Axis(
            labelLimit=220, labelColor=TEXT, labelExpr="width < 420 ? slice(datum.label, 0, 8) : datum.label"
        ),
    )
    # Dates are days, not instants: a UTC scale draws them on the same day in every reader's time zone.
    utc = alt.Scale(type="utc")
    x = alt.X(
        "date_from:T", title="date (2016)", scale=utc, axis=alt.Axis(format="%-d %b", labelColor=TEXT, titleColor=TEXT)
    )
    tooltip = [
        alt.Tooltip("id:N", title="incident"),
        alt.Tooltip("title:N", title="title"),
        alt.Tooltip("layer:N", title="what"),
        alt.Tooltip("window_start:N", title="from"),
        alt.Tooltip("window_end:N", title="to"),
        alt.Tooltip("basis:N", title="basis"),
        alt.Tooltip("report_id:N", title="report"),
        alt.Tooltip("report:N", title="reported by"),
    ]
    base = alt.Chart(df).encode(y=y, color=colour, href="register_url:N", tooltip=tooltip)
    # The compilation's window first, the refined window over it, the report dates on top.
    wide = (
        base.transform_filter(alt.datum.layer == COMPILATION)
        .mark_bar(stroke=GREY_LINE, strokeWidth=1, size=16)
        .encode(x=x, x2="date_after:T")
    )
    narrow = (
        base.transform_filter(alt.datum.layer == REFINED)
        .mark_bar(stroke=BLUE, strokeWidth=1, size=8)
        .encode(x=x, x2="date_after:T")
    )
    ticks = (
        base.transform_filter(alt.FieldOneOfPredicate("layer", [USED, NOT_USED]))
        .mark_tick(thickness=3, size=20)
        .encode(x=alt.X("midday:T", title="date (2016)", scale=utc))
    )
    layers = [wide, narrow, ticks]
    n = len(order)
    return alt.layer(*layers, name=ROWS).properties(height=max(180, 24 * n))


def count_bar(df):
    category = next(c for c in df.columns if c not in ("id", "title", "row_type"))
    return (
        alt.Chart(_prepare(df), name=ROWS)
        .mark_bar(stroke="white", strokeWidth=1, color=BLUE)
        .encode(
            x=alt.X("count():Q", title="rows"),
            y=alt.Y(f"{category}:N", title=category.replace("_", " ")),
            detail="id:N",
            href="register_url:N",
            tooltip=[
                alt.Tooltip("id:N", title="row"),
                alt.Tooltip("title:N", title="description"),
                alt.Tooltip(f"{category}:N", title=category.replace("_", " ")),
            ],
        )
    )


def claims_bar(df):
    df = _prepare(df)
    df["named"] = ["no outlet named" if o == "no outlet named" else "an outlet named" for o in df["outlet"]]
    return (
        alt.Chart(df, name=ROWS)
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("count():Q", title="claims"),
            y=alt.Y("kind:N", title="kind of claim"),
            color=alt.Color(
                "named:N",
                title="source",
                legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(domain=["an outlet named", "no outlet named"], range=[BLUE, VERMILLION]),
            ),
            detail="id:N",
            href="register_url:N",
            tooltip=[
                alt.Tooltip("id:N", title="row"),
                alt.Tooltip("outlet:N", title="outlet"),
                alt.Tooltip("title:N", title="claim words"),
            ],
        )
    )


PRECISION = {
    "town": (VERMILLION, "circle"),
    "village": (GREEN, "triangle-up"),
    "neighbourhood": (BLUE, "square"),
    "facility": (BLACK, "diamond"),
}
# Syria white on grey neighbours and a pale sea; a governorate holding places known only to the governorate is
# shaded. Every point colour keeps 3:1 against white and against the shading (tests/test_charts.py).
MAP_FILL, SHADE, NEIGHBOUR, SEA = "#FFFFFF", "#FCF3E0", "#DDDDDD", "#DCEAF4"
BOUNDARY = "#8A8A8A"
# The map's height follows its width by the aspect of the fitted box (no blank band above or below Syria on a
# phone), up to this height on a wide screen (where the box is centred between the neighbours).
MAP_MAX_HEIGHT = 560
SCALE_KM = 100
GOVERNORATES = "governorates"  # the layer of the 14 boundaries, one named path each
TARGETS = "targets"  # the layer of the points' tap targets
BAND = "label_band"  # the parameter holding the index in BANDS of the view's width
TARGET_SIZE = 700  # px² of the targets' discs (Vega draws a circle of size s with radius √s / 2: 26 px across)


class Band(NamedTuple):
    """A range of view widths the names are laid out for once: they are checked at every SAMPLE px of it."""

    start: int  # px: the narrowest view width of the band (the first band's start is the narrowest drawn)
    end: int  # px: where the next band starts (the last band's end is the widest checked)
    font: int  # px: the type size of every name and label in the band
    all_names: bool  # whether every governorate is named where there is room (else only the shaded ones)


# Phones held upright (a 320 px window gives a view of 272 px: the first band starts below it; a narrower view
# gets the first band's layout, whose clearances are not guaranteed there), a phone on its side or a small
# tablet, and anything wider. The type is never under 10 px. Two bands for phones: over one band of 260 to 420 px
# no spot is clear for every label.
BANDS = (Band(260, 340, 10, False), Band(340, 420, 10, False), Band(420, 640, 10, True), Band(640, 1200, 11, True))
SAMPLE = 10
LINE_BREAK = "\n"  # a cluster of points is labelled with one name a line (a line's height is the type size + 1)
LABEL_GAP = 2  # px kept clear around every name, beyond its estimated box
# A character's advance as a share of the type size, rounded up from DejaVu Sans (the default sans-serif of a
# Debian browser, wider than Arial or Helvetica), so that an estimated box holds the drawn text; bold is wider.
_ADVANCE = {"ijl'.,:;!|": 0.32, "ft()-r ": 0.44, "mwMW": 1.0}
BOLD_WIDER = 1.1


def _advance(c: str) -> float:
    return next((v for k, v in _ADVANCE.items() if c in k), 0.8 if c.isupper() else 0.65)


def _merc(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), -math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


# Degrees of margin around Syria's outline in the box the map is fitted to; more to the west, where the coast is,
# so that on a phone a coastal governorate's name has sea to sit on (the map is as tall as its box on a wide
# screen, so the wider box costs nothing there).
MARGIN, WEST_MARGIN = 0.25, 0.8


def _fit_box() -> tuple[float, float, float, float]:
    """The box the map is fitted to: Syria's outline with MARGIN around it (WEST_MARGIN to the west)."""
    x0, y0, x1, y1 = geo.bounds(geo.outline())
    return x0 - WEST_MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN


def _merc_box() -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = _fit_box()
    (a, b), (c, d) = _merc(x0, y1), _merc(x1, y0)
    return a, b, c, d


def map_aspect() -> float:
    """Height over width of the fitted box in Mercator: the map's height at a given width, below the cap."""
    a, b, c, d = _merc_box()
    return (d - b) / (c - a)


def _height_expr() -> str:
    return f"min({MAP_MAX_HEIGHT}, ceil(width * {map_aspect():.5f}))"


def _band_expr() -> str:
    """The index in BANDS of the view's width (a Vega expression)."""
    expr = str(len(BANDS) - 1)
    for i in range(len(BANDS) - 2, -1, -1):
        expr = f"width < {BANDS[i + 1].start} ? {i} : ({expr})"
    return expr


def _frame(width: float) -> tuple[float, float, float, float]:
    """(scale, x offset, y offset, height) of the view at a width: the fitted box centred in it (d3's fitSize)."""
    a, b, c, d = _merc_box()
    height = min(MAP_MAX_HEIGHT, math.ceil(width * map_aspect()))
    s = min(width / (c - a), height / (d - b))
    return s, width / 2 - (a + c) / 2 * s, height / 2 - (b + d) / 2 * s, height


def _xy(lon: float, lat: float, frame) -> tuple[float, float]:
    x, y = _merc(lon, lat)
    return x * frame[0] + frame[1], y * frame[0] + frame[2]


def _text_size(text: str, font: int, style: str) -> tuple[float, float]:
    lines = text.split(LINE_BREAK)
    longest = max(sum(_advance(c) for c in line) for line in lines) * (BOLD_WIDER if style == "bold" else 1)
    return longest * font + 2 * LABEL_GAP, (font + 1) * len(lines) + 2 * LABEL_GAP


def _text_box(x: float, y: float, text: str, font: int, style: str, spot) -> tuple:
    """The box of a text drawn at a point with (dx, dy, align) and a middle baseline (Vega-Lite's default): Vega
    centres the first line there, and further lines go down."""
    dx, dy, align = spot
    w, h = _text_size(text, font, style)
    left = {"left": x + dx - LABEL_GAP, "right": x + dx - w + LABEL_GAP}.get(align, x + dx - w / 2)
    top = y + dy - (font + 1) / 2 - LABEL_GAP
    return left, top, left + w, top + h


def _target_box(x: float, y: float) -> tuple:
    r = math.sqrt(TARGET_SIZE) / 2
    return x - r, y - r, x + r, y + r


def _overlap(a, b) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _inside(box, width: float, height: float) -> bool:
    return box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height


# A governorate's name set apart from its capital on a leader line is joined to it by at most this many px (at the
# band's widest), so that it reads as that governorate's name.
MAX_LEADER = 40
LEADER_WIDTH = 0.8  # px: the stroke of a leader line (the scale bar's is wider)


@cache
def _merc_governorates() -> dict[str, tuple]:
    """ISO 3166-2:SY code -> (its rings in Mercator, their bounding box)."""
    out = {}
    for code, rings in geo.governorate_boundaries().items():
        merc = tuple(tuple(_merc(x, y) for x, y in ring) for ring in rings)
        xs, ys = [x for r in merc for x, _ in r], [y for r in merc for _, y in r]
        out[code] = merc, (min(xs), min(ys), max(xs), max(ys))
    return out


def _gap(p: tuple[float, float], code: str, within: float = math.inf) -> float:
    """How far (in Mercator units) a point lies from a governorate: 0 inside it; `within` or more when it is at
    least that far from the governorate's bounding box."""
    rings, (x0, y0, x1, y1) = _merc_governorates()[code]
    x, y = p
    if math.hypot(max(x0 - x, 0, x - x1), max(y0 - y, 0, y - y1)) >= within:
        return within
    if geo.in_rings(rings, y, x):
        return 0.0
    best = within
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, [*ring[1:], *ring[:1]]):
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy or 1)))
            best = min(best, math.hypot(x - ax - t * dx, y - ay - t * dy))
    return best


@cache
def _nearest_governorate(x: float, y: float) -> str:
    """The code of the governorate nearest a Mercator point (the one it lies in, if any)."""
    best, out = math.inf, ""
    for code in _merc_governorates():
        d = _gap((x, y), code, best)
        if d < best:
            best, out = d, code
    return out


def _area(name: dict) -> float:
    """The area of a governorate name's bounding box in Mercator (how much room the name has)."""
    x0, y0, x1, y1 = _merc_governorates()[name["code"]][1]
    return (x1 - x0) * (y1 - y0)


@cache
def _containing(x: float, y: float) -> str:
    """The code of the governorate a Mercator point lies in ('' for none: the sea or a neighbour)."""
    return next((code for code in _merc_governorates() if _gap((x, y), code, 1e-9) == 0), "")


def _at(box: tuple, frame, u: float, v: float) -> tuple[float, float]:
    """A point of a box (u, v its shares of the width and height) in Mercator, rounded to about 100 m (so that the
    sampled widths share their work)."""
    s, ox, oy, _ = frame
    return round((box[0] + u * (box[2] - box[0]) - ox) / s, 5), round((box[1] + v * (box[3] - box[1]) - oy) / s, 5)


def _names(box: tuple, frame, code: str, leader: bool) -> bool:
    """Whether a name's box reads as naming the governorate `code`: its centre inside that governorate, and (unless
    the name is wider than the governorate, as for a city governorate) more of its 3 x 3 sample points in it than
    in other governorates (the sea and neighbours do not count); or, for a name on a leader line, its centre
    nearer that governorate than any other (over the sea or a neighbour beside it)."""
    centre = _at(box, frame, 0.5, 0.5)
    if leader:
        return _nearest_governorate(*centre) == code
    if _containing(*centre) != code:
        return False
    x0, _, x1, _ = _merc_governorates()[code][1]
    if box[2] - box[0] >= (x1 - x0) * frame[0]:
        return True
    under = [_containing(*_at(box, frame, u, v)) for u in (1 / 6, 0.5, 5 / 6) for v in (1 / 6, 0.5, 5 / 6)]
    return under.count(code) > sum(1 for c in under if c and c != code)


def _widths(band: Band) -> list[int]:
    return list(range(band.start, band.end, SAMPLE)) + [band.end]


# Where a governorate's name may go beside its capital, and a point's label beside its point (clear of its 26 px
# target), in order of preference: (dx, dy, align). Rings further out come last.
_NAME_SPOTS = [(0, 0, "center"), (0, 13, "center"), (0, -13, "center"), (6, 0, "left"), (-6, 0, "right")]
_NAME_SPOTS += [(0, 26, "center"), (0, -26, "center"), (6, 13, "left"), (-6, 13, "right"), (6, -13, "left")]
_NAME_SPOTS += [(-6, -13, "right"), (0, 39, "center"), (0, -39, "center"), (6, 26, "left"), (-6, 26, "right")]
_NAME_SPOTS += [(6, -26, "left"), (-6, -26, "right"), (0, 52, "center"), (0, -52, "center")]
_LABEL_SPOTS = [(16, 0, "left"), (-16, 0, "right"), (0, -22, "center"), (0, 22, "center"), (12, -18, "left")]
_LABEL_SPOTS += [(12, 18, "left"), (-12, -18, "right"), (-12, 18, "right"), (0, -35, "center"), (0, 35, "center")]
# Then the same sides, slid along them.
_LABEL_SPOTS += [(16, dy, "left") for dy in (-7, 7, -14, 14)] + [(-16, dy, "right") for dy in (-7, 7, -14, 14)]
_LABEL_SPOTS += [(dx, dy, "center") for dy in (-22, 22) for dx in (-15, 15, -30, 30)]
# Last, the sides in finer steps (a narrow phone's map leaves gaps only a few px wider than a label).
_LABEL_SPOTS += [(s * 16, dy, a) for s, a in ((1, "left"), (-1, "right")) for dy in range(-20, 21, 2) if dy % 7]


def _short_name(name: str) -> str:
    """A governorate's English short name: the name in brackets ("Al Lādhiqīyah (Latakia)"), else the name."""
    m = re.search(r"\(([^()]+)\)\s*$", name)
    return m.group(1) if m else name


def _clusters(df) -> list[dict]:
    """Points closer than 14 px on the narrowest map share one label, their names joined."""
    narrow = _frame(BANDS[0].start)
    clusters: list[list] = []
    for r in sorted((r for r in df.itertuples() if r.kind == "point"), key=lambda r: (r.longitude, r.latitude)):
        here = _xy(r.longitude, r.latitude, narrow)
        home = next(
            (c for c in clusters if any(math.dist(here, _xy(q.longitude, q.latitude, narrow)) < 14 for q in c)), None
        )
        if home is None:
            clusters.append([r])
        else:
            home.append(r)
    # The largest clusters first: they have the fewest places to go.
    clusters.sort(key=len, reverse=True)
    return [
        {
            "texts": [LINE_BREAK.join(sorted(r.title for r in c))],
            "longitude": sum(r.longitude for r in c) / len(c),
            "latitude": sum(r.latitude for r in c) / len(c),
            "members": [(r.longitude, r.latitude) for r in c],
            "style": "italic",
            "required": True,
            "anchors": [],
            "code": "",
        }
        for c in clusters
    ]


def _governorate_names(df) -> list[dict]:
    shaded = set(df.loc[df["kind"] == "area", "governorate"])
    govs = sorted((g for g in geo.governorates().values() if g["latitude"] is not None), key=lambda g: -g["latitude"])
    return [
        {
            # The full name, then its English short form where the full one finds no room (the full name stays
            # in the boundary's tooltip and accessible name, and in the table under the map).
            "texts": list(dict.fromkeys([g["name"], _short_name(g["name"])])),
            "code": g["code"],
            "longitude": g["longitude"],
            "latitude": g["latitude"],
            "members": [],
            "style": "bold" if g["name"] in shaded else "normal",
            # A shaded governorate is a mark: its name must be shown. A governorate with only points in it is named
            # where there is room (its points are named).
            "required": g["name"] in shaded,
            "anchors": _anchors(g["code"], g["longitude"], g["latitude"]),
        }
        for g in govs
    ]


def _anchors(code: str, lon: float, lat: float, step: float = 0.1) -> list[tuple[float, float]]:
    """Other points a governorate's name may be centred on, where no spot beside its capital is clear: points of a
    grid inside its boundary, nearest the capital first."""
    rings = geo.governorate_boundaries()[code]
    x0, y0 = min(x for r in rings for x, _ in r), min(y for r in rings for _, y in r)
    x1, y1 = max(x for r in rings for x, _ in r), max(y for r in rings for _, y in r)
    grid = [
        (x0 + i * step, y0 + j * step)
        for i in range(1, math.ceil((x1 - x0) / step))
        for j in range(1, math.ceil((y1 - y0) / step))
    ]
    inside = [(x, y) for x, y in grid if geo.in_rings(rings, y, x)]
    return sorted(inside, key=lambda p: math.dist(p, (lon, lat)))


def _scale_bar_boxes(frame, font: int) -> list[tuple]:
    bar = _scale_bar().iloc[0]
    x, y = _xy(bar["lon"], bar["lat"], frame)
    x2, _ = _xy(bar["lon2"], bar["lat"], frame)
    return [(x - 2, y - 3, x2 + 2, y + 3), _text_box(x, y, bar["text"], font, "normal", (0, -8, "left"))]


def _layout(df) -> list[dict]:
    """Every label of the map (a name per point or cluster of points, a name per governorate), laid out once per
    band of BANDS: at a spot, and in a form (full, else short), that keeps it inside the view, off every point's
    tap target, off the scale bar and off every label and leader line placed before it, at every width sampled in
    the band. Point labels are placed first (they are data), then shaded governorates, north to south, then the
    others; a label that must be shown and finds no clear spot is moved to the front and the band
    laid out again. A governorate's name goes beside its capital, else centred on a point inside its boundary,
    else (if it must be shown) on a leader line. A label that still finds no clear spot is left out of that band
    if it may be (a governorate not shaded), else put where it covers least (the browser test then
    fails). Each label gets, per band i, `text{i}` ('' when left out), `longitude{i}`, `latitude{i}`, `spot{i}`
    (dx, dy, align) and `leader{i}` (whether a line joins the label to its anchor)."""
    # The optional names, smallest governorate first: a small one has the fewest spots that read as its own.
    order = _clusters(df) + sorted(_governorate_names(df), key=lambda n: (not n["required"], n["required"] or _area(n)))
    for i, band in enumerate(BANDS):
        labels = list(order)
        for _ in range(len(labels)):
            failed = _place_band(labels, i, band)
            if not failed:
                break
            labels = failed + [lab for lab in labels if not any(lab is f for f in failed)]
    return order


def _place_band(labels: list[dict], i: int, band: Band) -> list[dict]:
    """Lay out the labels in this order for band i (see _layout); return the ones that must be shown and found no
    clear spot."""
    points = [m for lab in labels for m in lab["members"]]
    widths = _widths(band)
    frames = [_frame(w) for w in widths]
    taken = [[_target_box(*_xy(*p, f)) for p in points] + _scale_bar_boxes(f, band.font) for f in frames]

    def boxes_at(lon, lat, text, spot, lab):
        return [_text_box(*_xy(lon, lat, f), text, band.font, lab["style"], spot) for f in frames]

    def clear(boxes, lead=None, code=""):
        """Inside the view and clear of what is taken (with its leader's dots), and, for a governorate's name,
        reading as that governorate's (_names)."""
        dots = lead or [[] for _ in frames]
        return all(
            _inside(box, w, f[3]) and not any(_overlap(b, o) for b in [box, *ds] for o in t)
            for box, ds, t, w, f in zip(boxes, dots, taken, widths, frames)
        ) and all(_names(box, f, code, lead is not None) for box, f in zip(boxes, frames) if code)

    def cost(boxes):
        return sum(
            sum(_overlap(box, o) for o in t) + (0 if _inside(box, w, f[3]) else 1e6)
            for box, t, w, f in zip(boxes, taken, widths, frames)
        )

    failed = []
    for lab in labels:
        here = (lab["longitude"], lab["latitude"])
        lab.update({f"text{i}": "", f"spot{i}": (0, 0, "center"), f"longitude{i}": here[0], f"latitude{i}": here[1]})
        lab[f"leader{i}"] = False
        if not lab["required"] and not band.all_names:
            continue
        spots = _NAME_SPOTS
        if lab["members"]:  # a cluster's label starts beyond its farthest point (at the band's widest)
            wide = frames[-1]
            reach = max(math.dist(_xy(*here, wide), _xy(*m, wide)) for m in lab["members"])
            # A label of several lines grows downwards from its first: raised by its extra lines above the point,
            # by half of them beside it.
            extra = (band.font + 1) * lab["texts"][0].count(LINE_BREAK)
            spots = [
                (
                    dx + math.copysign(reach, dx) if dx else 0,
                    dy + math.copysign(reach, dy) - (extra if dy < 0 else 0) if dy else -extra / 2,
                    a,
                )
                for dx, dy, a in _LABEL_SPOTS
            ]
        choices = [(text, here, spot) for text in lab["texts"] for spot in spots]
        choices += [(text, at, spot) for text in lab["texts"] for at in lab["anchors"] for spot in spots[:3]]
        found = next(
            (
                (text, at, spot, b)
                for text, at, spot in choices
                if clear(b := boxes_at(*at, text, spot, lab), code=lab["code"])
            ),
            None,
        )
        lead: list[list] = [[] for _ in frames]  # the boxes of a leader line's dots, per width
        if found is None and lab["required"]:
            # Further out, on a leader line from the anchor, the shortest line first: the label's point is
            # geographic, so the line and the label keep their place on the map at every width of the band.
            # A governorate's name stays within MAX_LEADER px of its capital at the band's widest; a point's label
            # may go further (its line starts at its points).
            far = _leader_spots(*((here, frames[-1][0], MAX_LEADER) if lab["code"] else (here, frames[0][0], 72)))
            for (at, spot), text in ((c, t) for c in far for t in lab["texts"]):
                line = [_line_boxes(_xy(*here, f), _xy(*at, f), lab["members"]) for f in frames]
                if clear(b := boxes_at(*at, text, spot, lab), line, lab["code"]):
                    found, lead, lab[f"leader{i}"] = (text, at, spot, b), line, True
                    break
        if found is None and not lab["required"]:
            continue
        if found is None:
            failed.append(lab)
            text = lab["texts"][0]
            found = min(
                ((text, here, spot, boxes_at(*here, text, spot, lab)) for spot in spots), key=lambda c: cost(c[3])
            )
        text, at, spot, boxes = found
        lab.update({f"text{i}": text, f"spot{i}": (round(spot[0]), round(spot[1]), spot[2])})
        lab.update({f"longitude{i}": at[0], f"latitude{i}": at[1]})
        for t, box, ds in zip(taken, boxes, lead):
            t += [box, *ds]
    return failed


def _leader_spots(here: tuple[float, float], scale: float, longest: int) -> list[tuple[tuple[float, float], tuple]]:
    """Where a label on a leader line may go: 24 to `longest` px from its anchor (at the scale given), in 16
    directions, aligned away from the anchor first: ((lon, lat), (dx, dy, align))."""
    out = []
    for reach in range(24, longest + 1, 8):
        for k in range(16):
            angle = 2 * math.pi * k / 16
            cx, cy = math.cos(angle), math.sin(angle)
            x, y = _merc(*here)
            x, y = x + cx * reach / scale, y + cy * reach / scale
            lon = math.degrees(x)
            lat = math.degrees(2 * math.atan(math.exp(-y)) - math.pi / 2)
            # Beside the line's end, or above or below it; then starting or ending there (near an edge).
            aligns = ["left" if cx > 0.3 else "right" if cx < -0.3 else "center", "left", "right"]
            for align in dict.fromkeys(aligns):
                dy = 0 if abs(cx) > 0.3 else (7 if cy > 0 else -7)
                dx = 0 if abs(cx) <= 0.3 else (3 if align == "left" else -3 if align == "right" else 0)
                out.append(((lon, lat), (dx, dy, align)))
    return out


def _line_boxes(start, end, members) -> list[tuple]:
    """A leader line as small boxes every 3 px, from where it leaves its anchor (past its points' targets, for a
    cluster) to 3 px short of its label."""
    r = math.sqrt(TARGET_SIZE) / 2 if members else 4
    length = math.dist(start, end)
    out = []
    d = r
    while d < length - 3:
        x = start[0] + (end[0] - start[0]) * d / length
        y = start[1] + (end[1] - start[1]) * d / length
        out.append((x - 0.5, y - 0.5, x + 0.5, y + 0.5))
        d += 3
    return out


def _governorate_features(df) -> list[dict]:
    """The 14 boundaries, each named (never by its code), with the row of places known only to it where there is
    one (its ID, title, places and link: the shading is that row's mark)."""
    areas = {r["governorate"]: r for r in df[df["kind"] == "area"].to_dict("records")}
    out = []
    for f in geo.boundaries()["features"]:
        name = geo.name(f["id"])
        props = {"name": name, "label": f"{name} governorate"}
        if name in areas:
            r = areas[name]
            props |= {
                "id": r["id"],
                "title": r["title"],
                "places": r["places"],
                "register_url": r["register_url"],
                "label": f"{name} governorate: {r['title']}",
            }
        out.append({"type": "Feature", "properties": props, "geometry": f["geometry"]})
    return out


def _scale_bar() -> pd.DataFrame:
    """A bar of SCALE_KM along the parallel near the fitted box's south-east corner (Mercator's scale there), in
    the desert of the neighbours, where no name is drawn."""
    _, y0, x1, _ = _fit_box()
    lat = y0 + 0.3
    lon = x1 - 0.3 - SCALE_KM / (111.32 * math.cos(math.radians(lat)))
    return pd.DataFrame(
        [
            {
                "lon": lon,
                "lat": lat,
                "lon2": lon + SCALE_KM / (111.32 * math.cos(math.radians(lat))),
                "text": f"{SCALE_KM} km",
            }
        ]
    )


def map(df):
    """Syria, its 14 governorates (each a named path) and its neighbours in grey; a point per place with a
    citable coordinate (styled by location precision) with its name; and, for places known only to a governorate
    (or without a coordinate), that governorate shaded: an area, never a false point. A scale bar of 100 km."""
    df = _prepare(df)
    df["places"] = df["places"].fillna("")
    df["coord_basis"] = df["coord_basis"].fillna("")
    # Sea, neighbours and outline are a backdrop, not data: hidden from screen readers and clipped to the view.
    west, south, east, north = geo.frame()
    sea = alt.Chart(alt.Data(values=[geo.box(west, south, east, north)])).mark_geoshape(
        fill=SEA, stroke=None, aria=False, clip=True
    )
    neighbours = alt.Chart(alt.Data(values=[{**f, "id": None} for f in geo.neighbours()["features"]])).mark_geoshape(
        fill=NEIGHBOUR, stroke="white", strokeWidth=0.8, aria=False, clip=True
    )
    land = alt.Chart(alt.Data(values=geo.outline()["features"])).mark_geoshape(fill=MAP_FILL, stroke=None, aria=False)
    features = _governorate_features(df)
    boundaries = (
        alt.Chart(alt.Data(values=features), name=GOVERNORATES)
        .mark_geoshape(fill=MAP_FILL, fillOpacity=0, stroke=BOUNDARY, strokeWidth=0.8, aria=True)
        # The full name, where the map's label gives the short one (charts.js and report.css let a pointer reach it).
        .encode(description="properties.name:N", tooltip=[alt.Tooltip("properties.name:N", title="governorate")])
    )
    border = alt.Chart(alt.Data(values=geo.outline()["features"])).mark_geoshape(
        filled=False, stroke=GREY_LINE, strokeWidth=1.4, aria=False
    )
    tooltip = [
        alt.Tooltip("id:N", title="row"),
        alt.Tooltip("title:N", title="place"),
        alt.Tooltip("governorate:N", title="governorate"),
        alt.Tooltip("location_precision:N", title="precision"),
        alt.Tooltip("coord_basis:N", title="coordinate origin"),
    ]
    shaded = [f for f in features if "id" in f["properties"]]
    areas = (
        alt.Chart(alt.Data(values=shaded), name=f"{ROWS}_areas")
        .mark_geoshape(fill=SHADE, stroke=BLACK, strokeWidth=1.2, strokeDash=[4, 3])
        .encode(
            href="properties.register_url:N",
            description="properties.label:N",
            tooltip=[
                alt.Tooltip("properties.id:N", title="row"),
                alt.Tooltip("properties.name:N", title="governorate"),
                alt.Tooltip("properties.title:N", title="place"),
                alt.Tooltip("properties.places:N", title="places"),
            ],
        )
    )
    pts = df[df["kind"] == "point"]
    # Every point is also a transparent disc of 24 px or more under the mark, so that a finger can reach it.
    targets = (
        alt.Chart(pts, name=TARGETS)
        .mark_point(shape="circle", size=TARGET_SIZE, filled=True, opacity=0, aria=False)
        .encode(longitude="longitude:Q", latitude="latitude:Q", href="register_url:N", tooltip=tooltip)
    )
    domain = [p for p in PRECISION if p in set(df["location_precision"])] or ["town"]
    points = (
        alt.Chart(pts, name=f"{ROWS}_points")
        .mark_point(size=alt.ExprRef("width < 420 ? 70 : 110"), filled=True, opacity=1, stroke="white", strokeWidth=1)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            color=alt.Color(
                "location_precision:N",
                title="location precision",
                legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(domain=domain, range=[PRECISION[p][0] for p in domain]),
            ),
            shape=alt.Shape(
                "location_precision:N",
                title="location precision",
                legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(domain=domain, range=[PRECISION[p][1] for p in domain]),
            ),
            href="register_url:N",
            tooltip=tooltip,
        )
    )
    # Every label, laid out per band of widths (_layout). A row is a label as drawn in one or more bands (the same
    # text, place, spot and type size): it is shown when the band of the view's width is one of its `bands`.
    drawn: dict[tuple, list[int]] = {}
    lines: dict[tuple, list[int]] = {}
    for lab in _layout(df):
        for i, band in enumerate(BANDS):
            if lab[f"text{i}"]:
                at = (lab[f"longitude{i}"], lab[f"latitude{i}"])
                drawn.setdefault((lab[f"text{i}"], *at, *lab[f"spot{i}"], lab["style"], band.font), []).append(i)
                if lab[f"leader{i}"]:
                    lines.setdefault((lab["longitude"], lab["latitude"], *at), []).append(i)
    shown = f"indexof(datum.bands, {BAND}) >= 0"
    texts = []
    if lines:  # a label set apart from its anchor, joined to it by a thin line under the text
        rule = pd.DataFrame([(*k, b) for k, b in lines.items()], columns=["lon", "lat", "lon2", "lat2", "bands"])
        texts.append(
            alt.Chart(rule)
            .transform_filter(shown)
            .mark_rule(stroke=TEXT, strokeWidth=LEADER_WIDTH, aria=False)
            .encode(longitude="lon:Q", latitude="lat:Q", longitude2="lon2:Q", latitude2="lat2:Q")
        )
    rows = pd.DataFrame(
        [(*k, b) for k, b in drawn.items()],
        columns=["text", "lon", "lat", "dx", "dy", "align", "style", "font", "bands"],
    )
    for (dx, dy, align, style, font), at in rows.groupby(["dx", "dy", "align", "style", "font"]):  # a mark's constants
        look = dict(
            fontSize=int(font),
            dx=int(dx),
            dy=int(dy),
            align=align,
            fontWeight="bold" if style == "bold" else "normal",
            fontStyle="italic" if style == "italic" else "normal",
            lineBreak=LINE_BREAK,
            lineHeight=int(font) + 1,
            aria=False,
            clip=True,  # a name past the edge would otherwise shrink the map to make room for it
        )
        enc = dict(longitude="lon:Q", latitude="lat:Q", text="text:N")
        data = at[["text", "lon", "lat", "bands"]]
        for paint in (dict(stroke="white", strokeWidth=3, strokeOpacity=0.9, fill="white"), dict(fill=TEXT)):
            texts.append(alt.Chart(data).transform_filter(shown).mark_text(**look, **paint).encode(**enc))
    bar = _scale_bar()
    scale = [
        alt.Chart(bar)
        .mark_rule(stroke=TEXT, strokeWidth=2, aria=False)
        .encode(longitude="lon:Q", latitude="lat:Q", longitude2="lon2:Q", latitude2="lat:Q"),
        alt.Chart(bar)
        .mark_text(fill=TEXT, fontSize=10, dy=-8, align="left", aria=False)
        .encode(longitude="lon:Q", latitude="lat:Q", text="text:N"),
    ]
    x0, y0, x1, y1 = _fit_box()
    projection = alt.Projection(type="mercator", fit=[geo.box(x0, y0, x1, y1)])
    return (
        alt.layer(sea, neighbours, land, boundaries, areas, border, targets, points, *texts, *scale)
        .project(**projection.to_dict())
        .add_params(alt.param(name="height", expr=_height_expr()), alt.param(name=BAND, expr=_band_expr()))
        .properties(height=MAP_MAX_HEIGHT)  # the start: the parameter "height" then follows the width
    )


INCIDENTS_PANEL = "incidents in the compilation"


def _short_series(name: str) -> str:
    """A tracker's short name: the acronym it gives in brackets ("... (SNHR)"), else its name."""
    m = re.search(r"\(([A-Z]{2,})\)\s*$", str(name))
    return m.group(1) if m else str(name)


def context(df):
    """One row per month for the compilation (one segment per incident, read on the top axis) and one row
    per systematic tracker's total (a context_totals row, read on the bottom axis; a tick at its maximum)."""
    df = _prepare(df)
    df["value_max"] = [None if pd.isna(v) else int(v) for v in df["value_max"]]
    df["period_order"] = [str(v)[:10] for v in df["period_order"]]
    df["label"] = [
        f"{p} · compilation" if panel == INCIDENTS_PANEL else f"{p} · {_short_series(s)} ({i})"
        for p, s, i, panel in zip(df["period_short"], df["series"], df["id"], df["panel"])
    ]
    ordered = df.assign(first=[0 if p == INCIDENTS_PANEL else 1 for p in df["panel"]]).sort_values(
        ["period_order", "first", "id"]
    )
    order = list(dict.fromkeys(ordered["label"]))
    tooltip = [
        alt.Tooltip("id:N", title="row"),
        alt.Tooltip("series:N", title="from"),
        alt.Tooltip("period:N", title="period"),
        alt.Tooltip("title:N", title="what"),
        alt.Tooltip("detail:N", title="window or value"),
    ]
    # Two panels, one per unit (incidents, people killed): a row's label sits above its bar, so that each
    # panel can take the page's width (an axis of labels beside a panel would overflow it on a phone).
    y = alt.Y("label:N", title=None, sort=order, axis=None, scale=alt.Scale(paddingInner=0.55, paddingOuter=0.3))
    inc = df[df["panel"] == INCIDENTS_PANEL]
    ctx = df[df["panel"] != INCIDENTS_PANEL]

    def labels(data):
        rows = data.drop_duplicates("label")
        return (
            alt.Chart(rows)
            .mark_text(align="left", baseline="bottom", dy=-9, fontSize=11, fill=TEXT)
            .encode(y=y, x=alt.datum(0), text="label:N")
        )

    def panel(data, title):
        return dict(
            width="container",
            height=34 * max(1, data["label"].nunique()),
            title=alt.TitleParams(title, anchor="start", fontSize=12, color=TEXT),
        )

    incidents = alt.layer(
        alt.Chart(inc, name=ROWS)
        .mark_bar(color=BLUE, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("sum(value_min):Q", title="incidents (one segment each)", axis=alt.Axis(tickMinStep=1)),
            y=y,
            detail="id:N",
            href="register_url:N",
            tooltip=tooltip,
        ),
        labels(inc),
    ).properties(**panel(inc, "The compilation: incidents per month"))
    ranged = ctx[ctx["value_max"].notna() & (ctx["value_max"] != ctx["value_min"])]
    trackers = alt.layer(
        alt.Chart(ctx, name=ROWS + "_trackers")
        .mark_bar(color=VERMILLION)
        .encode(
            x=alt.X("value_min:Q", title="people reported killed (minimum; tick at the maximum)"),
            y=y,
            href="register_url:N",
            tooltip=tooltip,
        ),
        alt.Chart(ranged, name="range_max")
        .mark_tick(color=BLACK, thickness=2, size=16)
        .encode(x="value_max:Q", y=y, tooltip=tooltip, href="register_url:N"),
        labels(ctx),
    ).properties(**panel(ctx, "Trackers: people reported killed"))
    return alt.vconcat(incidents, trackers, spacing=24)


def build(builder: str, df: pd.DataFrame, description: str = "") -> dict:
    chart = globals()[builder](df)
    chart = chart.properties(description=description)
    if builder != "context":  # a concatenation sizes its panels itself
        chart = chart.properties(width="container")
    if builder != "context" and "height" not in chart.to_dict(validate=False):
        chart = chart.properties(height=260)
    # White in the theme's dark mode too: the contrast of every colour is measured on white.
    chart = (
        chart.configure(background="white", padding=6)
        .configure_axis(labelColor=TEXT, titleColor=TEXT, labelFontSize=11, titleFontSize=12)
        .configure_legend(labelColor=TEXT, titleColor=TEXT, labelFontSize=11)
        .configure_view(stroke=None)
    )
    return chart.to_dict()


# --- text alternatives and data tables: the same rows as the marks, in words ---------------------------


def _day(v) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)[:10]


def _span(a, b) -> str:
    a, b = _day(a), _day(b)
    return a if a == b else f"{a} to {b}"


def describe(builder: str, df: pd.DataFrame, alt_text: str) -> str:
    """The chart's text alternative: the registry's sentence plus what the data shows, counted from the rows."""
    if builder == "timeline":
        n = int((df["layer"] == COMPILATION).sum())
        r = int((df["layer"] == REFINED).sum())
        used = int((df["layer"] == USED).sum())
        return (
            f"{alt_text} {n} incidents; {r} have a refined window narrowed by corroborating reports; "
            f"{used + int((df['layer'] == NOT_USED).sum())} report dates are marked, {used} of them used for a refined "
            f"window. The table below lists every window."
        )
    if builder == "map":
        pts, areas = df[df["kind"] == "point"], df[df["kind"] == "area"]
        return (
            f"{alt_text} {len(pts)} places are drawn as points; places without a coordinate are shown by "
            f"shading their governorate, {len(areas)} in all: {', '.join(areas['governorate'])}. "
            "The table below lists every place drawn."
        )
    if builder == "context":
        inc = df[df["panel"] == INCIDENTS_PANEL]
        months = "; ".join(f"{p}: {n}" for p, n in inc.groupby("period", sort=False).size().items())
        ctx = df[df["panel"] != INCIDENTS_PANEL]
        totals = "; ".join(f"{r.series}, {r.period}: {r.detail}" for r in ctx.itertuples())
        return (
            f"{alt_text} Incidents in the compilation by month: {months}. Trackers' totals of people reported "
            f"killed: {totals}. The table below lists every row."
        )
    return f"{alt_text} {len(df)} rows; the table below lists them."


def table(builder: str, df: pd.DataFrame) -> tuple[list[str], list[list]]:
    """The chart's data as table columns and rows (IDs become links in the template)."""
    if builder == "timeline":
        rows = []
        for (i, title), g in df.groupby(["id", "title"], sort=False):
            comp = g[g["layer"] == COMPILATION].iloc[0]
            ref = g[g["layer"] == REFINED]
            reps = g[g["layer"].isin([USED, NOT_USED])]
            rows.append(
                (
                    comp["window_start"],
                    i,
                    [
                        {"text": i, "href": links.row_url(i)},
                        title,
                        _span(comp["window_start"], comp["window_end"]),
                        _span(ref.iloc[0]["window_start"], ref.iloc[0]["window_end"]) if len(ref) else "not narrowed",
                        ref.iloc[0]["basis"] if len(ref) else "",
                        "; ".join(
                            f"{r.report_id} {_day(r.window_start)}{' (used)' if r.layer == USED else ''}"
                            for r in reps.itertuples()
                        )
                        or "none",
                    ],
                )
            )
        rows.sort(key=lambda t: (str(t[0]), t[1]))
        return (
            [
                "incident",
                "title",
                "compilation's window",
                "refined window",
                "basis of the refinement",
                "report dates (event date each report gives)",
            ],
            [r[2] for r in rows],
        )
    if builder == "map":
        return (
            ["place", "what", "governorate", "precision", "coordinate origin", "latitude", "longitude"],
            [
                [
                    {"text": r["id"], "href": links.row_url(r["id"])} if r["kind"] == "point" else r["places"],
                    r["title"],
                    r["governorate"],
                    r["location_precision"],
                    r["coord_basis"] or "",
                    "" if r["kind"] == "area" else f"{r['latitude']:.4f}",
                    "" if r["kind"] == "area" else f"{r['longitude']:.4f}",
                ]
                for r in df.to_dict("records")
            ],
        )
    hidden = {"row_type", "period_order", "period_short"}
    cols = [c for c in df.columns if c not in hidden]
    out = []
    for r in df.to_dict("records"):
        out.append(
            [
                {"text": r[c], "href": links.row_url(r[c])}
                if c == "id"
                else (
                    ""
                    if r[c] is None or (isinstance(r[c], float) and r[c] != r[c])
                    else (int(r[c]) if isinstance(r[c], float) and r[c].is_integer() else r[c])
                )
                for c in cols
            ]
        )
    return [c.replace("_", " ") for c in cols], out
