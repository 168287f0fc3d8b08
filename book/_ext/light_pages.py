"""Keep the report's pages light (a local Sphinx extension, named in book/_config.yml).

- jupyter-book puts every script under _static/ into html_js_files, so every page would load it. The Vega
  bundle (about 0.9 MB) and the register's filters (register.js) are taken out of that list and added only
  to the pages whose body needs them (a chart; the register's form), once per page, in the head, so before
  the charts' inline scripts that call vegaEmbed as the page parses.
- No page loads Font Awesome's script (1.5 MB; book/_templates/static/webpack-macros.html leaves it out),
  so it is deleted from the output after the build, with the theme's source maps.
- Nor its web font (156 kB): the few icons the pages name are written into the theme's CSS as SVG masks,
  each path taken from the pinned theme's own copy of Font Awesome Free (icons CC BY 4.0); the font's
  @font-face rules and the content rules of the 1,800 icons no page uses are removed.
- myst-nb's stylesheet (43 kB, for notebook cells and outputs, of which the report has none) is left off
  every page.
- The theme's stylesheet keeps only the rules whose classes a page or a script names (a selector naming a
  class that occurs in no page and no script cannot match): about 110 kB of 320 kB.
- Sphinx's search scripts and index (about 220 kB) load only on the search page (see
  book/_templates/layout.html); the search box sends the query there.
"""

import re
from pathlib import Path
from urllib.parse import quote

VEGA = "vendor/vega-bundle.js"
# Scripts a page loads only when its body has the marker: the Vega bundle where a chart is, the register's filters.
PAGE_SCRIPTS = {
    VEGA: 'class="vega-chart"',
    "charts.js": 'class="vega-chart"',
    "register.js": 'id="register-filter"',
    "query.js": 'id="query-console"',
}
# Stylesheets likewise: the Query page's own rules.
PAGE_STYLES = {"query.css": 'id="query-console"'}
# The Query page's engine and data (loaded by query.js when asked): they put no class on any page, and their 11 MB of
# words would keep theme rules that no page uses.
QUERY_DATA = ("vendor/duckdb/", "vendor/query-data.js")
# Written by the theme into _static/ but loaded by no page of this report.
UNUSED = ("scripts/fontawesome.js",)
UNUSED_CSS = "_static/mystnb."  # myst-nb's notebook stylesheet, left off every page


def drop_page_scripts(app, config):
    # jupyter-book adds every .js file under _static/ to html_js_files, so every page would load them.
    # Nor is anything else under vendor/ (a stale file there would otherwise load on every page).
    config.html_js_files = [
        js
        for js in config.html_js_files
        if (name := js[0] if isinstance(js, tuple) else js) not in PAGE_SCRIPTS and not name.startswith("vendor/")
    ]
    config.html_css_files = [
        css for css in config.html_css_files if (css[0] if isinstance(css, tuple) else css) not in PAGE_STYLES
    ]


def add_page_scripts(app, pagename, templatename, context, doctree):
    body = context.get("body") or ""
    for style, marker in PAGE_STYLES.items():
        if marker in body:  # before the list below is copied: the builder's list is the page's until then
            app.builder.add_css_file(style)
    # myst-nb's stylesheet (43 kB) styles notebook cells and outputs; the report has none.
    if "css_files" in context:
        context["css_files"] = [
            c for c in context["css_files"] if not str(getattr(c, "filename", c)).startswith(UNUSED_CSS)
        ]
    for script, marker in PAGE_SCRIPTS.items():
        if marker in body:
            app.builder.add_js_file(script)  # for this page only: Sphinx restores the list before each page


FA_CLASS = re.compile(r'class="([^"]*\bfa-solid\b[^"]*)"')
FA_RULE = re.compile(r'(?:\.fa-[a-z0-9-]+:(?::)?before,?)+\{content:"[^"]*"\}')
FA_FONT = re.compile(r'@font-face\{[^}]*Font Awesome[^}]*\}')
NOT_ICONS = {"fa-solid", "fa-lg", "fa-fw", "fa-sm", "fa-xs", "fa-2x"}


def icon_css(outdir: Path) -> str:
    """CSS drawing each solid icon the pages name as an SVG mask in the current text colour."""
    import pydata_sphinx_theme

    names = set()
    for page in outdir.rglob("*.html"):
        for classes in FA_CLASS.findall(page.read_text(encoding="utf-8")):
            names.update(c for c in classes.split() if c.startswith("fa-") and c not in NOT_ICONS)
    source = (
        Path(pydata_sphinx_theme.__file__).parent
        / "theme"
        / "pydata_sphinx_theme"
        / "static"
        / "scripts"
        / "fontawesome.js"
    )
    js = source.read_text(encoding="utf-8")
    solid = js[js.index('d("far",') : js.index('d("fas",')]  # the solid pack is the one defined before its registration
    rules = []
    for cls in sorted(names):
        name = cls.removeprefix("fa-")
        m = re.search(r'[,{]"?' + re.escape(name) + r'"?:\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","([^"]*)"\]', solid)
        if not m:
            raise RuntimeError(f"icon {cls} is not in the theme's Font Awesome solid set")
        w, h, path = int(m.group(1)), int(m.group(2)), m.group(3)
        svg = quote(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}"><path d="{path}"/></svg>', safe="")
        rules.append(
            f'.{cls}:before{{content:"";display:inline-block;width:{w / h:.4f}em;height:1em;vertical-align:-0.125em;'
            f'background-color:currentColor;-webkit-mask:url("data:image/svg+xml,{svg}") no-repeat center/contain;'
            f'mask:url("data:image/svg+xml,{svg}") no-repeat center/contain}}'
        )
    return (
        "\n/* Font Awesome Free 6 icons used by these pages (CC BY 4.0), as SVG masks; see book/_ext/light_pages.py */\n"
        + "\n".join(rules)
        + "\n"
    )


CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")


def _blocks(css: str):
    """The top-level items of a stylesheet as (prelude, body) pairs (nested braces and quoted strings skipped)."""
    i, n = 0, len(css)
    while i < n:
        j = css.find("{", i)
        if j < 0:
            return
        depth, k = 1, j + 1
        while depth and k < n:
            c = css[k]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            elif c in "\"'":
                k = css.index(c, k + 1)
            k += 1
        yield css[i:j].strip(), css[j + 1 : k - 1]
        i = k


def _purge(css: str, known: set[str]) -> str:
    """Keep each selector whose every class name occurs somewhere in the pages or in a script (scripts add
    classes at run time); other at-rules are kept whole."""
    kept = []
    for prelude, body in _blocks(css):
        if prelude.startswith(("@media", "@supports", "@layer")):
            inner = _purge(body, known)
            if inner:
                kept.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            kept.append(f"{prelude}{{{body}}}")
        else:
            selectors = [s for s in prelude.split(",") if all(c in known for c in CLASS.findall(s))]
            if selectors:
                kept.append(",".join(selectors) + "{" + body + "}")
    return "".join(kept)


def unused_rules_removed(css: str, outdir: Path) -> str:
    """The theme's stylesheet without the rules for classes that no page and no script names (most of Bootstrap's
    utilities): about 210 kB of 320 kB. Licence comments (/*! ... */) are kept."""
    words = set()
    for path in list(outdir.rglob("*.html")) + list((outdir / "_static").rglob("*.js")):
        if path.is_relative_to(outdir / "_static") and path.relative_to(outdir / "_static").as_posix().startswith(
            QUERY_DATA
        ):
            continue
        words.update(re.findall(r"[\w-]+", path.read_text(encoding="utf-8", errors="replace")))
    charset = '@charset "UTF-8";'
    body = css.replace(charset, "", 1)
    notices = "".join(re.findall(r"/\*!.*?\*/", body, flags=re.DOTALL))
    return charset + notices + _purge(re.sub(r"/\*.*?\*/", "", body, flags=re.DOTALL), words)


def prune(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    css_path = static / "styles" / "pydata-sphinx-theme.css"
    css = css_path.read_text(encoding="utf-8")
    if "SVG masks" not in css:
        css = unused_rules_removed(FA_FONT.sub("", FA_RULE.sub("", css)), Path(app.outdir))
        css_path.write_text(css + icon_css(Path(app.outdir)), encoding="utf-8")
    for rel in UNUSED:
        (static / rel).unlink(missing_ok=True)
    for path in static.rglob("*.map"):
        path.unlink()


def setup(app):
    app.connect("config-inited", drop_page_scripts, priority=900)  # after Sphinx's own conversion (800)
    app.connect("html-page-context", add_page_scripts)
    app.connect("build-finished", prune)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
