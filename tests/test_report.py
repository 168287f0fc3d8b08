"""The built report: links resolve, nothing loads from outside, and every glued figure is recomputed
here, independently of the registry's SQL, from exactly the rows its footnote lists."""

import datetime as dt
import re
import struct
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from build_report import citation, csvio, figures, queries
from build_report.package import Package, connect


@pytest.fixture(scope="session")
def site(built_report):
    return {p: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in built_report.rglob("*.html")}


def generated(site, name):
    """The parsed page generated/<name>.html."""
    return next(soup for path, soup in site.items() if path.parent.name == "generated" and path.name == f"{name}.html")


def data(name):
    header, rows = csvio.read(ROOT / "data" / f"{name}.csv")
    return pd.DataFrame(rows, columns=header, dtype=str)


def _ids_in(soup):
    return {el["id"] for el in soup.find_all(id=True)}


def test_every_internal_link_resolves_to_an_anchor(site):
    ids = {
        page: _ids_in(soup) for page, soup in site.items()
    }  # once per page: the register alone has thousands of links
    broken = []
    for page, soup in site.items():
        for a in soup.find_all("a", href=True):
            href = a["href"]
            url = urlparse(href)
            if url.scheme or href.startswith("mailto:"):
                continue
            target = (page.parent / url.path).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if target.suffix != ".html":
                if not target.exists():
                    broken.append((page.name, href))
                continue
            if target not in site or url.fragment and url.fragment not in ids[target]:
                broken.append((page.name, href))
    assert not broken, broken[:20]


def test_no_page_loads_anything_from_outside(site, built_report):
    outside = []
    for page, soup in site.items():
        for tag, attr in (
            ("script", "src"),
            ("link", "href"),
            ("img", "src"),
            ("iframe", "src"),
            ("source", "src"),
            ("video", "src"),
            ("audio", "src"),
            ("embed", "src"),
        ):
            for el in soup.find_all(tag):
                v = el.get(attr) or ""
                if (
                    tag == "link"
                    and "stylesheet" not in (el.get("rel") or [])
                    and "preload" not in (el.get("rel") or [])
                ):
                    continue
                if re.match(r"^(https?:)?//", v):
                    outside.append((page.name, tag, v))
    for css in built_report.rglob("*.css"):
        for m in re.finditer(
            r"(@import|url\()\s*['\"]?((https?:)?//[^'\")]+)", css.read_text(encoding="utf-8", errors="replace")
        ):
            outside.append((css.name, "css", m.group(2)))
    assert not outside, outside[:20]


def test_every_register_row_has_its_anchor(site):
    anchors = _ids_in(generated(site, "register"))
    pkg = Package.load(ROOT)
    for table in ("claims", "incidents", "tallies", "places"):
        missing = [i for i in data(table)[pkg.primary_key(table)] if i.lower() not in anchors]
        assert not missing, (table, missing)


def _int(s):
    return int(float(s)) if s not in ("", None) else None


def _window_reports(inc_active, cor, used):
    """Reports giving an event date for an active incident: those that narrowed its window (a probable original
    or independent report, high or medium confidence, inside the compilation's window), or the others."""
    out = set()
    for k in cor[cor.event_date_start != ""].itertuples():
        i = inc_active[inc_active.incident_id == k.incident_id]
        if i.empty:
            continue
        i = i.iloc[0]
        narrows = (
            k.relation in ("probable_original", "independent")
            and k.confidence in ("high", "medium")
            and i.date_start <= k.event_date_start
            and k.event_date_end <= i.date_end
        )
        if used and narrows and i.date_start_refined != "" or not used and not narrows:
            out.add(k.corroboration_id)
    return out


def _reviewed() -> set:
    """Rows whose latest review (by review number) is not pending."""
    latest = {}
    for r in data("reviews").itertuples():
        n = int(r.review_id.split("-")[1])
        if r.row_id not in latest or n > latest[r.row_id][0]:
            latest[r.row_id] = (n, r.outcome)
    return {row for row, (_, outcome) in latest.items() if outcome != "pending"}


def recompute(name, ids):
    """Each figure recomputed in pandas from its listed rows, with the rule that selects the rows checked too."""
    claims, inc = data("claims"), data("incidents")
    cor, log = data("corroborations"), data("search_log")
    inc_active = inc[inc.status == "active"]
    rows = inc[inc.incident_id.isin(ids)]
    killed = rows.killed_min.map(_int)
    counts = {
        "claims_total": (set(claims[claims.status == "active"].claim_id), len(ids)),
        "incidents_total": (set(inc_active.incident_id), len(ids)),
        "tallies_total": (set(data("tallies").query("status == 'active'").tally_id), len(ids)),
        "incidents_single_source": (set(inc_active[inc_active.grading == "single_source"].incident_id), len(ids)),
        "incidents_without_figure": (set(inc_active[inc_active.killed_min == ""].incident_id), len(ids)),
        "places_with_coordinates": (set(data("places").query("latitude != ''").place_id), len(ids)),
        "claims_unattributed": (set(claims[(claims.status == "active") & (claims.source_id == "")].claim_id), len(ids)),
        "incidents_contested": (set(inc_active[inc_active.grading == "contested"].incident_id), len(ids)),
        "incidents_dates_refined": (set(inc_active[inc_active.date_start_refined != ""].incident_id), len(ids)),
        "claims_with_report": (
            set(
                cor[
                    cor.relation.isin(["probable_original", "independent"]) & cor.confidence.isin(["high", "medium"])
                ].claim_id
            )
            & set(claims[claims.status == "active"].claim_id),
            len(ids),
        ),
        "claims_nothing_found": (
            (set(log.claim_id) - {""} - set(cor.claim_id)) & set(claims[claims.status == "active"].claim_id),
            len(ids),
        ),
        "searches_total": (set(log.claim_id) - {""}, int((log.claim_id != "").sum())),
        "rows_reviewed": (_reviewed(), len(ids)),
        "rows_corrected_by_review": (set(data("reviews").query("outcome == 'corrected'").row_id), len(ids)),
        "rows_not_reviewed": (
            (set(cor.corroboration_id) | set(data("crosswalk").crosswalk_id) | set(data("context_totals").context_id))
            - _reviewed(),
            len(ids),
        ),
        # the When and Where pages (charts)
        "incidents_dates_not_refined": (set(inc_active[inc_active.date_start_refined == ""].incident_id), len(ids)),
        "reports_narrowing_windows": (_window_reports(inc_active, cor, used=True), len(ids)),
        "report_dates_not_used": (_window_reports(inc_active, cor, used=False), len(ids)),
        "incidents_in_one_month": (
            set(
                inc_active[
                    [
                        (a or b)[:7] == (c or d)[:7]
                        for a, b, c, d in zip(
                            inc_active.date_start_refined,
                            inc_active.date_start,
                            inc_active.date_end_refined,
                            inc_active.date_end,
                        )
                    ]
                ].incident_id
            ),
            len(ids),
        ),
        "places_governorate_only": (
            set(data("places").query("latitude == '' and admin1_code != ''").place_id),
            len(ids),
        ),
        "places_without_governorate": (
            set(data("places").query("latitude == '' and admin1_code == ''").place_id),
            len(ids),
        ),
    }
    # One definition of "independently corroborated": two or more independence groups (n_sources >= 2).
    corroborated = set(inc_active[inc_active.n_sources.map(int) >= 2].incident_id)
    counts["incidents_corroborated"] = (corroborated, len(corroborated))
    counts["incidents_corroborated_share"] = (corroborated, int(100 * len(corroborated) / len(inc_active) + 0.5))
    lacking = set(inc_active.incident_id) - corroborated
    counts["incidents_not_corroborated"] = (lacking, len(lacking))
    # Resting on the compilation alone: no probable original, copy of one or independent report (high or medium).
    found = cor[
        cor.relation.isin(["probable_original", "copy", "independent"]) & cor.confidence.isin(["high", "medium"])
    ]
    alone = set(inc_active.incident_id) - set(found.incident_id)
    counts["incidents_compilation_alone"] = (alone, len(alone))
    counts["incidents_cluster_munitions"] = (
        set(inc_active[inc_active.weapon == "cluster_munitions"].incident_id),
        len(ids),
    )
    raqqa = inc_active[(inc_active.place_id == "PLC-0006") & (inc_active.overlap_group != "")]
    shared = raqqa.overlap_group.value_counts()
    counts["incidents_raqqa_one_group"] = (set(raqqa[raqqa.overlap_group.map(shared) > 1].incident_id), len(ids))
    xw, tallies_active = data("crosswalk"), set(data("tallies").query("status == 'active'").tally_id)
    sure = xw[xw.match_confidence.isin(["high", "medium"])]
    airwars = sure[
        (sure.dataset == "Airwars")
        & (sure.incident_id.isin(inc_active.incident_id) | sure.tally_id.isin(tallies_active))
    ]
    counts["crosswalk_airwars_matched"] = (set(airwars.crosswalk_id), len(ids))
    counts["tallies_matching_snhr"] = (set(sure[sure.dataset == "SNHR"].tally_id) & tallies_active, len(ids))
    if name in counts:
        expected_ids, value = counts[name]
        return expected_ids, {"value": value}
    if name in ("killed_naive_sum", "civilians_killed_explicit"):
        sel = inc_active[inc_active.killed_min != ""]
        if name == "civilians_killed_explicit":
            sel = sel[sel.killed_described_as != "people"]
        maxes = rows.killed_max.map(_int)
        return set(sel.incident_id), {
            "value_min": int(killed.sum()),
            "value_max": None if maxes.isna().any() or None in list(maxes) else int(maxes.sum()),
        }
    if name == "killed_conservative_total":
        # Each group counts once: by its largest member, or, with a bound on what its members can share, by their
        # sum less the bound (never below the largest); groups within a wider group are its members.
        groups = data("overlap_groups").set_index("overlap_group")
        sel = inc_active[inc_active.killed_min != ""]

        def count(group, members):
            bound = groups.loc[group, "max_shared_killed"]
            top = min(members, key=lambda m: (-m[0], min(m[1])))
            if bound == "":
                return top
            return max(sum(m[0] for m in members) - int(bound), top[0]), set().union(*(m[1] for m in members))

        leaf = {}
        for g, part in sel[sel.overlap_group != ""].groupby("overlap_group"):
            leaf[g] = count(g, [(int(k), {i}) for k, i in zip(part.killed_min, part.incident_id)])
        units = [
            (int(k), {i})
            for k, i in zip(sel[sel.overlap_group == ""].killed_min, sel[sel.overlap_group == ""].incident_id)
        ]
        wider = {}
        for g, value in leaf.items():
            parent = groups.loc[g, "within_group"]
            if parent:
                wider.setdefault(parent, []).append(value)
            else:
                units.append(value)
        units += [count(p, members) for p, members in wider.items()]
        return set().union(*(u[1] for u in units)), {"value_min": sum(u[0] for u in units), "value_max": None}
    raise AssertionError(f"no recomputation written for figure {name!r}")


def test_every_glued_figure_equals_its_recomputation(site):
    seen = set()
    for soup in site.values():
        for span in soup.select("span.figure"):
            name = span["data-figure"]
            seen.add(name)
            ids = span["data-ids"].split()
            expected_ids, expected = recompute(name, ids)
            assert set(ids) == expected_ids, name
            for k, v in expected.items():
                if k.startswith("_"):
                    continue
                shown = span.get(f"data-{k.replace('_', '-')}")
                assert _int(shown) == v, (name, k, shown, v)
            # the footnote lists exactly these rows, each linked to its register anchor
            ref = span.find_next("a", class_="footnote-reference")
            note = soup.find(id=ref["href"].lstrip("#"))
            links = [a.get_text() for a in note.select("a.row-link")]
            assert links == ids, name
            assert all(a["href"] == f"register.html#{a.get_text().lower()}" for a in note.select("a.row-link"))
    assert seen == set(figures.FIGURES), set(figures.FIGURES) - seen


def test_ranges_are_shown_as_ranges(site):
    for soup in site.values():
        for span in soup.select("span.figure[data-value-min]"):
            if not span.get("data-value-max"):
                assert span.get_text().startswith("at least"), span.get_text()


def test_overview_reaches_a_quote_in_two_clicks(site):
    index, register = generated(site, "index"), generated(site, "register")
    for span in index.select("span.figure"):
        ref = span.find_next("a", class_="footnote-reference")  # click 1: the footnote
        note = index.find(id=ref["href"].lstrip("#"))
        for a in note.select("a.row-link"):  # click 2: a row
            entry = register.find(id=a["href"].split("#")[1])
            assert entry is not None and entry.select("blockquote.verbatim"), a["href"]


def test_every_chart_has_a_caption_and_alt_text(site):
    for soup in site.values():
        for fig in soup.select("figure.chart"):
            assert fig.select_one("figcaption").get_text().startswith("Figure ")
            assert fig.select_one(".vega-chart")["aria-label"]


def test_coding_rules_table_lists_every_rule(site):
    from build_report import coding

    text = generated(site, "reading").get_text()
    for rule, example in coding.EXAMPLES.items():
        assert rule in text and example in text, rule
    assert set(coding.EXAMPLES) == set(coding.RULES)


def test_every_moved_headline_figure_names_its_reason(tmp_path):
    # The changelog page sets each headline figure beside the release before; a figure that moved must
    # list the rows that moved it and a changelog note naming one of them.
    from build_report import book, releases
    from build_report.package import Package, connect

    pkg = Package.load(ROOT)
    if releases.before(ROOT, pkg.version) is None:
        pytest.fail("no earlier release to compare with")
    frags = book.Fragments(tmp_path)
    book.figures_compared(pkg, connect(pkg), frags)
    table = BeautifulSoup(next((tmp_path / "_html").glob("*figures-compared.html")).read_text(), "html.parser")
    head = [th.get_text(strip=True) for th in table.find_all("th")]
    # Every earlier release has its column, oldest first, then this version's (issue: 0.3.0 beside 0.2.0 and 0.2.1).
    expected = releases.earlier(ROOT, releases.released_as(pkg))
    assert head[1 : len(expected) + 1] == expected, head
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.find_all("tr")[1:]]
    assert [r[0] for r in rows] == [figures.FIGURES[n].label for n in figures.headline()]
    for row in rows:
        figure, then, now, entered, left, why = row[0], *row[-5:]
        if then != now:
            assert entered != "—" or left != "—", figure
            assert why != "—", f"{figure}: {then} -> {now} with no changelog note naming the rows"


def _query_text(value) -> str:
    """A query value as the chart's CSV should show it (written here, not taken from chart_files)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()  # a month's first day, as a day
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def test_every_chart_has_source_licence_citation_and_downloads(site):
    pkg = Package.load(ROOT)
    con = connect(pkg)
    licence = pkg.descriptor["licenses"][0]
    seen = set()
    for page, soup in site.items():
        for fig in soup.select("figure.chart"):
            name = fig["data-chart"]
            seen.add(name)
            number = fig.select_one("figcaption").get_text().split(".")[0]  # "Figure N"
            assert fig.select_one(".chart-source").get_text(strip=True).startswith("Source: "), name
            lic = fig.select_one(".chart-licence a[rel=license]")
            assert lic.get_text() == licence["name"] and lic["href"] == licence["path"], name
            cite = fig.select_one(".chart-cite .chart-citation").get_text()
            assert f"{number}:" in cite and f"[figure {name}]" in cite and citation.load(ROOT)["version"] in cite, name
            links = {a["data-kind"]: page.parent / a["href"] for a in fig.select("a.chart-download")}
            assert set(links) == {"csv", "svg", "png"}, name
            for kind, path in links.items():
                assert path.is_file() and path.stat().st_size > 0, (name, kind)
            # The CSV is the chart's query result, every column and row, recomputed here from DuckDB's records.
            header, rows = csvio.read(links["csv"])
            expected = queries.rows(con, figures.CHARTS[name].query)
            assert expected and header == list(expected[0]), name
            assert [[r[h] for h in header] for r in rows] == [[_query_text(r[h]) for h in header] for r in expected]
            svg = ET.parse(links["svg"]).getroot()
            assert svg.tag.endswith("svg") and len(list(svg.iter())) > 20, name
            png = links["png"].read_bytes()
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR", name
            width, height = struct.unpack(">II", png[16:24])
            assert width >= 400 and height >= 100, (name, width, height)
    assert seen == set(figures.CHARTS), set(figures.CHARTS) - seen
