import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from build_report.codebook import ARGS, CHROMIUM

ROOT = Path(__file__).resolve().parent.parent
# The marks drawn from a chart's query rows (charts.py names that layer "rows"), not the outline or labels.
ROW_MARKS = "g.role-mark[class*='rows_'] path"


def need_chromium() -> None:
    """Skip the calling module's browser tests when Debian's Chromium is missing; under CI, fail instead:
    `make test` installs it, so a missing browser there is a broken install, not a reason to skip."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs it; under CI a missing browser is a failure", pytrace=False
        )
    pytest.skip(f"{CHROMIUM} is not installed (make test installs it)", allow_module_level=True)


def copy_package(dest: Path) -> Path:
    """A throwaway copy of the package (descriptor, data, released IDs) for tests that corrupt it."""
    shutil.copy(ROOT / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(ROOT / "data", dest / "data")
    if (ROOT / "releases").exists():
        shutil.copytree(ROOT / "releases", dest / "releases")
    return dest


def checkout(dest: Path) -> Path:
    """A copy of everything the report is built from, nothing built: the package (descriptor, data, releases),
    changelog, citation and the book's sources."""
    dest.mkdir(parents=True, exist_ok=True)
    copy_package(dest)
    for name in ("CHANGELOG.md", "CITATION.cff"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "book", dest / "book", ignore=shutil.ignore_patterns("_build", "generated"))
    return dest  # no tests/: the report must not read the test tree


@pytest.fixture
def package_copy(tmp_path):
    return copy_package(tmp_path)


@pytest.fixture(scope="session")
def built_report(tmp_path_factory) -> Path:
    """Build the report once per test run with the README's own command, from a checkout in a temporary
    folder (the source tree gets nothing), and return its HTML folder. Under pytest-xdist the workers share
    one build: the first to take the lock builds, the others wait and reuse it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    html = shared / "report" / "pkg" / "book" / "_build" / "html"
    with open(shared / "report.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        done = shared / "report.built"
        if not done.exists():
            shutil.rmtree(shared / "report", ignore_errors=True)  # a build that failed half-way
            pkg = checkout(shared / "report" / "pkg")
            result = subprocess.run(
                ["make", "-s", "--no-print-directory", "-C", str(ROOT), "report", f"PKG={pkg}"],
                capture_output=True,
                text=True,
                timeout=900,
            )
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
            done.touch()
    return html


@pytest.fixture(scope="session")
def http_root(built_report):
    """The built report on a local HTTP server (127.0.0.1, a free port), so that the browser reports each file
    it loads with its size."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_report)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def chart_rows():
    """{chart name: rows of its query}: the marks each chart must draw."""
    from build_report import figures, queries
    from build_report.package import Package, connect

    con = connect(Package.load(ROOT))
    return {name: len(queries.rows(con, c.query)) for name, c in figures.CHARTS.items()}


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test (Playwright's sync API allows one running instance per thread)."""
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def wait_for_charts(page) -> None:
    """vega-embed renders asynchronously: wait until every chart has drawn (or time out and let the test say so)."""
    try:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.vega-chart')].every(c => c.querySelector('svg g.role-mark'))",
            timeout=15000,
        )
    except PlaywrightTimeout:  # the test then reports which chart did not draw
        pass


def offline_page(browser, url, allowed: tuple[str, ...], width: int = 1280):
    """A fresh page that records script errors and blocks (and records) every request whose URL does not
    start with one of `allowed` (data: and blob: URLs, which the page makes itself, are allowed too)."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    ctx.set_default_timeout(90_000)  # full-page screenshots of the long register page are slow on a busy machine
    page = ctx.new_page()
    page.errors, page.outside = [], []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    prefixes = (*allowed, "data:", "blob:")

    def route(r):
        if r.request.url.startswith(prefixes):
            r.continue_()
        else:
            page.outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page.goto(url)
    page.wait_for_load_state("load")
    return ctx, page
