"""Page markup lives in templates, and a URL becomes a link only under the data's own pattern."""

import ast
import json
import re

from conftest import ROOT

from build_report import book

SRC = ROOT / "src" / "build_report"
TAG = re.compile(
    r"<(a|p|div|span|pre|code|table|thead|tbody|tr|td|th|blockquote|section|h[1-6]|ul|ol|li|img|script|style|link)[\s>/]"
)


def test_no_page_markup_in_python():
    """Every piece of HTML is in src/build_report/templates/ (autoescaped Jinja2); Python only passes data."""
    found = []
    for path in sorted(SRC.glob("*.py")):  # the page-making modules (checks/ only names rules)
        if path.name == "bench.py":  # its strings are hostile cell values for synthetic faults, not markup
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and TAG.search(node.value):
                found.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    assert found == [], found


def test_links_only_under_the_datas_url_pattern():
    desc = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    patterns = {
        f["constraints"]["pattern"]
        for r in desc["resources"]
        for f in r.get("schema", {}).get("fields", [])
        if f.get("constraints", {}).get("pattern", "").startswith("^https?://")
    }
    assert patterns == {book.URL.pattern}, "the report links URLs under the data's own pattern, not its own"
    assert book.value("https://example.org/a") == {"text": "https://example.org/a", "href": "https://example.org/a"}
    for text in (
        "javascript:alert(1)",
        "ftp://example.org/a",
        "https://example.org/<b>",
        "see https://example.org/a",
        "file:///etc/passwd",
        "//example.org/a",
        "data:text/html,<script>alert(1)</script>",
    ):
        assert book.value(text) == text, text


def test_templates_autoescape():
    env = book.env()
    assert env.autoescape is True
    assert book.row_link("INC-0001") == '<a class="row-link" href="register.html#inc-0001">INC-0001</a>'
    out = book.render("preformatted.html.j2", cls="x", text="<script>alert(1)</script>")
    assert "<script>" not in out and "&lt;script&gt;" in out
