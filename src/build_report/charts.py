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
MAP_HEIGHT = 480
# The narrowest and widest the map's column is drawn at (a phone held upright, a desktop): labels are placed so
# that they collide at neither.
MAP_WIDTHS = (340, 780)
SCALE_KM = 100
GOVERNORATES = "governorates"  # the layer of the 14 boundaries, one named path each
TARGETS = "targets"  # the layer of the points' tap targets


def _merc(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), -math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _fit_box() -> tuple[float, float, float, float]:
    """The box the map is fitted to: Syria's outline with a quarter of a degree around it."""
    x0, y0, x1, y1 = geo.bounds(geo.outline())
    return x0 - 0.25, y0 - 0.25, x1 + 0.25, y1 + 0.25


def _scales() -> list[float]:
    """Pixels per Mercator unit at each width of MAP_WIDTHS (the fitted box fills the width or the height)."""
    x0, y0, x1, y1 = _fit_box()
    (a, b), (c, d) = _merc(x0, y1), _merc(x1, y0)
    return [min(w / (c - a), MAP_HEIGHT / (d - b)) for w in MAP_WIDTHS]


def _views() -> list[tuple[float, float, float, float]]:
    """The view's box in the pixels of each scale of _scales(): the fitted box is centred in it."""
    x0, y0, x1, y1 = _fit_box()
    (a, b), (c, d) = _merc(x0, y1), _merc(x1, y0)
    out = []
    for w, s in zip(MAP_WIDTHS, _scales()):
        cx, cy = (a + c) / 2 * s, (b + d) / 2 * s
        out.append((cx - w / 2, cy - MAP_HEIGHT / 2, cx + w / 2, cy + MAP_HEIGHT / 2))
    return out


def _outside(box, view) -> float:
    """The area of a box that lies outside the view (a name cut off at the map's edge)."""
    area = (box[2] - box[0]) * (box[3] - box[1])
    return area - _overlap(box, view)


def _box(lon: float, lat: float, scale: float, text: str, size: float, dx: float, dy: float, align: str):
    """The pixel box of a text drawn at a point (or of a point itself, for text '')."""
    x, y = _merc(lon, lat)
    x, y = x * scale + dx, y * scale + dy
    # A point is kept clear by a margin around its symbol: a name may not come near it.
    w = 0.58 * size * len(text) if text else 16
    h = size + 2 if text else 16
    left = {"left": x, "right": x - w}.get(align, x - w / 2)
    return left, y - h / 2, left + w, y + h / 2


def _overlap(a, b) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


# Where a governorate's name may go beside its capital, in order of preference: (dx, dy, align).
_NAME_SPOTS = ((0, 0, "center"), (0, 13, "center"), (0, -13, "center"), (6, 0, "left"), (-6, 0, "right"))
_NAME_SPOTS += ((0, 26, "center"), (0, -26, "center"), (6, 13, "left"), (-6, 13, "right"), (6, -13, "left"))
_NAME_SPOTS += ((-6, -13, "right"), (0, 39, "center"), (0, -39, "center"))


def _place(boxes_at, spots, taken: list, view) -> tuple:
    """The first spot, of the best, whose box covers the least of what is taken, and lies least outside the view:
    (dx, dy, align, box). `boxes_at(dx, dy, align)` gives the box of a spot."""
    best: tuple | None = None
    for dx, dy, align in spots:
        box = boxes_at(dx, dy, align)
        cost = sum(_overlap(box, o) for o in taken) + 3 * _outside(box, view)
        if best is None or cost < best[0]:
            best = (cost, dx, dy, align, box)
    assert best is not None  # spots is not empty
    return best[1:]


def _label_points(df) -> list[dict]:
    """Each governorate's name at its capital (GeoNames), moved beside it where it would cover a point or a name
    already placed (names are placed from north to south). Placed apart for a phone (index 0: smaller type, and
    only the governorates with something drawn are named) and a wider screen (index 1)."""
    points = [(r.longitude, r.latitude) for r in df.itertuples() if r.kind == "point"]
    shaded = set(df.loc[df["kind"] == "area", "governorate"])
    drawn = set(df["governorate"])
    govs = sorted((g for g in geo.governorates().values() if g["latitude"] is not None), key=lambda g: -g["latitude"])
    out = [
        {
            "name": g["name"],
            "latitude": g["latitude"],
            "longitude": g["longitude"],
            "weight": "bold" if g["name"] in shaded else "normal",
            "drawn": g["name"] in drawn,
        }
        for g in govs
    ]
    for i, (scale, view, size) in enumerate(zip(_scales(), _views(), (9, 11))):
        taken = [_box(*pt, scale, "", 0, 0, 0, "") for pt in points]
        for n in out:
            if i == 0 and not n["drawn"]:
                n.update({"dx0": 0, "dy0": 0, "align0": "center", "box0": None})
                continue

            def at(dx, dy, align, n=n, scale=scale, size=size):
                return _box(n["longitude"], n["latitude"], scale, n["name"], size, dx, dy, align)

            dx, dy, align, box = _place(at, _NAME_SPOTS, taken, view)
            taken.append(box)
            n.update({f"dx{i}": dx, f"dy{i}": dy, f"align{i}": align, f"box{i}": box})
    return out


# Where a point's label may go, in order of preference: (dx, dy, align).
_LABEL_SPOTS = (
    (8, 0, "left"),
    (-8, 0, "right"),
    (0, -12, "center"),
    (0, 13, "center"),
    (8, -10, "left"),
    (8, 10, "left"),
)


def _point_labels(df, names: list[dict]) -> list[dict]:
    """One label per cluster of points (points closer than 14 px on a phone share one label, their names joined),
    at the spot that covers least of the governorate names, the other labels and the points, placed apart for a
    phone (index 0) and a wider screen (index 1)."""
    scales = _scales()
    pts = [r for r in df.itertuples() if r.kind == "point"]
    phone = min(scales)
    clusters: list[list] = []
    for r in sorted(pts, key=lambda r: (r.longitude, r.latitude)):
        x, y = _merc(r.longitude, r.latitude)
        home = next(
            (
                c
                for c in clusters
                if any(
                    math.dist((x * phone, y * phone), [v * phone for v in _merc(q.longitude, q.latitude)]) < 14
                    for q in c
                )
            ),
            None,
        )
        if home is None:
            clusters.append([r])
        else:
            home.append(r)
    out = [
        {
            "text": ", ".join(sorted(r.title for r in c)),
            "longitude": sum(r.longitude for r in c) / len(c),
            "latitude": sum(r.latitude for r in c) / len(c),
            "members": c,
        }
        for c in clusters
    ]
    for i, (scale, view) in enumerate(zip(scales, _views())):
        taken = [n[f"box{i}"] for n in names if n.get(f"box{i}")]
        taken += [_box(r.longitude, r.latitude, scale, "", 0, 0, 0, "") for r in pts]
        for lab in out:
            # A cluster's label starts beyond its farthest point.
            reach = max(
                math.dist(
                    [v * scale for v in _merc(lab["longitude"], lab["latitude"])],
                    [v * scale for v in _merc(r.longitude, r.latitude)],
                )
                for r in lab["members"]
            )
            spots = [
                (dx + math.copysign(reach, dx) if dx else 0, dy + math.copysign(reach, dy) if dy else 0, align)
                for dx, dy, align in _LABEL_SPOTS
            ]

            def at(dx, dy, align, lab=lab, scale=scale):
                return _box(lab["longitude"], lab["latitude"], scale, lab["text"], 10, dx, dy, align)

            dx, dy, align, box = _place(at, spots, taken, view)
            taken.append(box)
            lab.update({f"dx{i}": round(dx), f"dy{i}": round(dy), f"align{i}": align})
    for lab in out:
        del lab["members"]
    return out


def _by_width(column: str, at: pd.DataFrame, text: bool = False):
    """A text mark's property that differs between a phone and a wider screen (columns X0 and X1 of a group)."""
    phone, wide = at[f"{column}0"].iloc[0], at[f"{column}1"].iloc[0]
    if text:
        return alt.ExprRef(f"width < 420 ? '{phone}' : '{wide}'")
    return alt.ExprRef(f"width < 420 ? {int(phone)} : {int(wide)}")


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
        .encode(description="properties.name:N")
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
                alt.Tooltip("properties.title:N", title="place"),
                alt.Tooltip("properties.places:N", title="places"),
            ],
        )
    )
    pts = df[df["kind"] == "point"]
    # Every point is also a transparent disc of 24 px or more under the mark, so that a finger can reach it.
    targets = (
        alt.Chart(pts, name=TARGETS)
        .mark_point(shape="circle", size=700, filled=True, opacity=0, aria=False)
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
    names = _label_points(df)
    texts = []
    label = dict(longitude="longitude:Q", latitude="latitude:Q", text="name:N")
    keys = ["dx0", "dy0", "align0", "dx1", "dy1", "align1"]
    frame = pd.DataFrame([{k: v for k, v in n.items() if not k.startswith("box")} for n in names])
    for _, at in frame.groupby([*keys, "weight", "drawn"]):  # constants of a text mark
        # On a phone only the governorates with something drawn are named, in a smaller type.
        style = dict(
            fontSize=alt.ExprRef("width < 420 ? 9 : 11"),
            dx=_by_width("dx", at),
            dy=_by_width("dy", at),
            align=_by_width("align", at, text=True),
            fontWeight=at["weight"].iloc[0],
            opacity=1 if at["drawn"].iloc[0] else alt.ExprRef("width < 420 ? 0 : 1"),
            aria=False,
            clip=True,  # a name past the edge would otherwise shrink the map to make room for it
        )
        texts += [
            alt.Chart(at)
            .mark_text(**style, stroke="white", strokeWidth=3, strokeOpacity=0.9, fill="white")
            .encode(**label),
            alt.Chart(at).mark_text(**style, fill=TEXT).encode(**label),
        ]
    spots = pd.DataFrame(_point_labels(df, names))
    for _, at in spots.groupby(keys):
        style = dict(
            fontSize=alt.ExprRef("width < 420 ? 9 : 10"),
            dx=_by_width("dx", at),
            dy=_by_width("dy", at),
            align=_by_width("align", at, text=True),
            aria=False,
            clip=True,
        )
        enc = dict(longitude="longitude:Q", latitude="latitude:Q", text="text:N")
        texts += [
            alt.Chart(at)
            .mark_text(**style, stroke="white", strokeWidth=3, fill="white", fontStyle="italic")
            .encode(**enc),
            alt.Chart(at).mark_text(**style, fill=TEXT, fontStyle="italic").encode(**enc),
        ]
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
        .properties(height=MAP_HEIGHT)
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
