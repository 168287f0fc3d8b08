"""The codebook: the report's methods and data-dictionary pages, printed by Chromium into one PDF with
page numbers, as a release artefact for readers who want the rules on paper."""

from __future__ import annotations

from pathlib import Path

from .rendering import render

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium tries background connections that this closed network refuses.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = ("generated/methods.html", "generated/dictionary.html")


def print_codebook(html_dir: Path, dest: Path, version: str) -> Path:
    """Print the methods and dictionary pages of a built report into one PDF."""
    from markupsafe import Markup
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing (make test installs Debian's chromium)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        parts = []
        for rel in PAGES:
            page.goto((html_dir / rel).resolve().as_uri())
            # The article only: no sidebar, navigation or scripts, which have no place on paper.
            # Markup as the browser serialised it from our own built page, whose data text is already escaped.
            parts.append(
                Markup(page.inner_html("article") if page.query_selector("article") else page.inner_html("main"))
            )
        css = [
            (html_dir / "_static" / name).resolve().as_uri()
            for name in ("styles/sphinx-book-theme.css", "report.css")
            if (html_dir / "_static" / name).exists()
        ]
        page.set_content(render("codebook.html.j2", version=version, stylesheets=css, parts=parts))
        page.pdf(
            path=str(dest),
            format="A4",
            print_background=False,
            display_header_footer=True,
            header_template=render("codebook-header.html.j2"),
            footer_template=render("codebook-footer.html.j2"),
            margin={"top": "15mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
        )
        browser.close()
    return dest
