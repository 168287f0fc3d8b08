"""The codebook: the report's methods and data-dictionary pages, printed by Chromium into one PDF with
page numbers, as a release artefact for readers who want the rules on paper."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium tries background connections that this closed network refuses.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PAGES = ("generated/methods.html", "generated/dictionary.html")
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#444">'
          '<span class="title"></span> — page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')


def print_codebook(html_dir: Path, dest: Path, version: str) -> Path:
    """Print the methods and dictionary pages of a built report into one PDF."""
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
            parts.append(page.inner_html("article") if page.query_selector("article") else page.inner_html("main"))
        css = "".join(f'<link rel="stylesheet" href="{(html_dir / "_static" / name).resolve().as_uri()}">'
                      for name in ("styles/sphinx-book-theme.css", "report.css") if (html_dir / "_static" / name).exists())
        page.set_content(f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Codebook, version {version}</title>"
                         f"{css}<style>body{{font-family:sans-serif;margin:0}} a{{color:inherit}}</style></head>"
                         f"<body><h1>Codebook, data package version {version}</h1>"
                         + "<hr>".join(parts) + "</body></html>")
        page.pdf(path=str(dest), format="A4", print_background=False, display_header_footer=True,
                 header_template="<span></span>", footer_template=FOOTER,
                 margin={"top": "15mm", "bottom": "18mm", "left": "14mm", "right": "14mm"})
        browser.close()
    return dest
