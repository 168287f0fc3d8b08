"""No number is typed into a page's prose: every count on a page is a registered figure ({{fig:NAME}}, from
figures.FIGURES), so that it is computed from the data and footnoted with its rows. The tokens with a digit that
remain are names and definitions, each allowed here with its reason; a new one fails until it is a figure or
given a reason."""

from __future__ import annotations

import re

from conftest import ROOT

from build_report import figures

TEMPLATES = ROOT / "book" / "templates"
# (page, token) -> why it is not a figure
DATE = "a date of the compilation (published 4 February 2016; its period from 1 January): the registry holds counts"
ALLOWED = {
    ("where.md", "3166-2"): "the name of the standard ISO 3166-2",
    ("where.md", "3166-2:SY"): "the name of the standard ISO 3166-2 (Syria's part)",
    ("where.md", "@amcharts/amcharts5-geodata"): "the name of an npm package",
    ("methods.md", "SHA-256"): "the name of a hash function",
    ("methods.md", "(2"): "the definition of corroboration: two or more independence groups",
    ("methods.md", "(1"): "the scale of Krippendorff's alpha: 1 is perfect agreement",
    ("methods.md", "0"): "the scale of Krippendorff's alpha: 0 is no better than chance",
    ("methods.md", "(COR-0017)"): "a row ID, a stable name",
    ("methods.md", "(INC-0003)."): "a row ID, a stable name",
    ("index.md", "2016"): DATE,
    ("index.md", "2016,"): DATE,
    ("methods.md", "4"): DATE,
    ("methods.md", "2016"): DATE,
    ("when.md", "1"): DATE,
    ("when.md", "4"): DATE,
    ("when.md", "2016"): DATE,
    ("when.md", "2016)"): DATE,
    ("when.md", "2016."): DATE,
}
PLACEHOLDER = re.compile(r"\{\{[^}]*\}\}")
CODE = re.compile(r"`[^`]*`")
LINK_TARGET = re.compile(r"\]\([^)]*\)")


def typed_numbers(text: str) -> list[str]:
    text = LINK_TARGET.sub("]", CODE.sub("", PLACEHOLDER.sub("", text)))
    return [t for t in text.split() if re.search(r"\d", t)]


def test_no_count_is_typed_into_a_page():
    found = {
        (path.name, token)
        for path in sorted(TEMPLATES.glob("*.md"))
        for token in typed_numbers(path.read_text(encoding="utf-8"))
        if (path.name, token) not in ALLOWED
    }
    assert found == set(), sorted(found)


def test_the_check_finds_a_typed_number():
    assert typed_numbers("three reports, and 3 more ({{fig:claims_total}} in all; `INC-0001`)") == ["3"]


def test_every_figure_a_page_names_is_registered():
    named = {m for path in TEMPLATES.glob("*.md") for m in re.findall(r"\{\{fig:(\w+)\}\}", path.read_text("utf-8"))}
    assert named <= set(figures.FIGURES), named - set(figures.FIGURES)
