"""Hostile text in the data never becomes markup. Every string of tests/hostile/corpus.csv is put into
free-text cells of every table, hostile URLs into its URL fields, and the corpus into the descriptor's
titles and descriptions; then the package is validated and the report is built. Each injected string
must either fail validation at its row and field, or appear literally, as text, on the built pages; no
link leads anywhere but an http(s) URL or the site itself. A secret file beside the checkout must never
reach the build."""

import html.parser
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import checkout

from build_report import csvio, links, validate
from build_report.package import Package

CORPUS = csvio.read(Path(__file__).parent / "hostile" / "corpus.csv")[1]
SECRET = "SECRET-TOKEN-7f3a9c1e-do-not-publish"
# URL fields take URLs that must never become links: not http(s), or http(s) with markup in them.
HOSTILE_URLS = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    'https://example.invalid/"onmouseover="alert(1)',
    "https://example.invalid/<script>alert(1)</script>",
    "//example.invalid/protocol-relative",
    "ftp://example.invalid/x",
    "https://example.invalid/ok](javascript:alert(1))",
]
ID_LIKE = re.compile(r"^\^\(?[A-Z]|https\?|\[0-9a-f\]|same_place|data/archive")
# Tables the report does not show cell by cell (it counts their rows, or shows a few derived columns): those the
# register leaves out, read from the register's own list.
NOT_SHOWN = set(links.NOT_IN_REGISTER)


def url_fields(resource: dict) -> list[str]:
    return [
        f["name"]
        for f in resource["schema"]["fields"]
        if f.get("constraints", {}).get("pattern", "").startswith("^https?://")
    ]


def free_text_fields(resource: dict) -> list[str]:
    out = []
    for f in resource["schema"]["fields"]:
        c = f.get("constraints", {})
        if (
            f["type"] == "string"
            and "enum" not in c
            and not ID_LIKE.search(c.get("pattern", ""))
            and not f["name"].endswith("_id")
        ):
            out.append(f["name"])
    return out


class Text(html.parser.HTMLParser):
    """The text a reader sees: character data outside script and style, entities decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    (base / "secret.txt").write_text(SECRET + "\n")
    pkg = checkout(base / "checkout")
    texts = [c["text"].replace("{SECRET}", str(base / "secret.txt")) for c in CORPUS]

    injected = []  # (table, row_id, field, text)
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    n = 0
    for res in desc["resources"]:
        if "schema" not in res:
            continue
        path = pkg / res["path"]
        rows = csvio.read_lists(path)
        header, key = rows[0], res["schema"]["primaryKey"][0]
        for field in free_text_fields(res):
            i = header.index(field)
            for row in rows[1:]:
                text = texts[n % len(texts)]
                n += 1
                row[i] = text
                injected.append((res["name"], row[header.index(key)], field, text))
        for j, field in enumerate(url_fields(res)):
            i = header.index(field)
            for k, row in enumerate(rows[1:]):
                text = HOSTILE_URLS[(j + k) % len(HOSTILE_URLS)]
                row[i] = text
                injected.append((res["name"], row[header.index(key)], field, text))
        csvio.write(path, rows[0], rows[1:])
        res["description"] = texts[n % len(texts)]
        res["title"] = texts[(n + 1) % len(texts)]
        last = res["schema"]["fields"][-1]
        last["description"], last["title"] = texts[(n + 2) % len(texts)], texts[(n + 3) % len(texts)]
        injected += [
            (res["name"], "-", "description", res["description"]),
            (res["name"], "-", "title", res["title"]),
            (res["name"], "-", last["name"] + ".description", last["description"]),
            (res["name"], "-", last["name"] + ".title", last["title"]),
        ]
        n += 4
    desc["title"], desc["description"] = texts[n % len(texts)], texts[(n + 1) % len(texts)]
    injected += [("datapackage", "-", "title", desc["title"]), ("datapackage", "-", "description", desc["description"])]
    (pkg / "datapackage.json").write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    failures = validate.run(Package.load(pkg))
    py = sys.executable
    jb = str(Path(py).parent / "jupyter-book")
    pages = subprocess.run(
        [py, "-m", "build_report", "--root", str(pkg), "pages"], capture_output=True, text=True, cwd=pkg
    )
    assert pages.returncode == 0, pages.stdout[-2000:] + pages.stderr[-3000:]
    build = subprocess.run(
        [jb, "build", str(pkg / "book"), "--keep-going", "--quiet"],
        capture_output=True,
        text=True,
        cwd=pkg,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-3000:]
    site = pkg / "book" / "_build" / "html"
    text = []
    for page in sorted(site.rglob("*.html")):
        parser = Text()
        parser.feed(page.read_text(encoding="utf-8"))
        text.append(" ".join(parser.parts))
    return {"injected": injected, "failures": failures, "site": site, "text": squash(" ".join(text))}


def test_corpus_is_large_and_varied():
    assert len(CORPUS) >= 25
    kinds = " ".join(c["text"] for c in CORPUS)
    for needle in ("```{", "{download}", "{eval}", "<script", "onerror=", "](", "![", "{{", "\u202e"):
        assert needle in kinds, needle


def test_every_hostile_string_fails_validation_or_shows_literally(hostile_build):
    failed = {(f.table, f.row_id, f.field) for f in hostile_build["failures"]}
    page_text = hostile_build["text"]
    problems = []
    for table, row, field, text in hostile_build["injected"]:
        if (table, row, field) in failed:
            continue
        if table in NOT_SHOWN and row != "-":
            continue
        if squash(text) not in page_text:
            problems.append((table, row, field, text))
    assert problems == [], problems[:10]


def test_the_secret_never_reaches_the_build(hostile_build):
    for path in hostile_build["site"].rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


class Tags(html.parser.HTMLParser):
    """Every element the browser would create, with its attributes, and the text of executable scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.in_script = tag == "script" and dict(attrs).get("type", "text/javascript") != "application/json"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts.append(data)


def test_hostile_markup_is_never_live(hostile_build):
    for page in hostile_build["site"].rglob("*.html"):
        parser = Tags()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            assert not any(k.startswith("on") and "alert" in (v or "") for k, v in attrs.items()), (page, tag, attrs)
            assert tag != "iframe" and not (tag == "img" and attrs.get("src") == "x"), (page, tag, attrs)
            href = (attrs.get("href") or "").lower()
            assert not href.startswith(("javascript:", "data:", "file:", "//", "ftp:")), (page, tag, attrs)
            # An http(s) URL the data's pattern allows may carry odd characters in its path; it is still just a link.
            assert "<" not in href and '"' not in href, (page, tag, attrs)
        assert not any("alert(1)" in js for js in parser.scripts), page
