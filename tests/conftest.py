import shutil
import subprocess
from pathlib import Path

import pytest

from build_report.codebook import ARGS, CHROMIUM  # noqa: F401 - the browser tests use the codebook's Chromium and flags

ROOT = Path(__file__).resolve().parent.parent


def copy_package(dest: Path) -> Path:
    """A throwaway copy of the package (descriptor, data, released IDs) for tests that corrupt it."""
    shutil.copy(ROOT / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(ROOT / "data", dest / "data")
    if (ROOT / "releases").exists():
        shutil.copytree(ROOT / "releases", dest / "releases")
    return dest


def checkout(dest: Path) -> Path:
    """A copy of everything the report is built from, nothing built: the package (descriptor, data, releases),
    changelog, citation, the book's sources, and the fault catalogues its methods page quotes."""
    dest.mkdir(parents=True, exist_ok=True)
    copy_package(dest)
    for name in ("CHANGELOG.md", "CITATION.cff"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "book", dest / "book", ignore=shutil.ignore_patterns("_build", "generated"))
    (dest / "tests" / "malformed").mkdir(parents=True)
    for path in [*ROOT.glob("tests/faults*.csv"), *ROOT.glob("tests/malformed/*.csv")]:
        shutil.copy(path, dest / path.relative_to(ROOT))
    return dest


@pytest.fixture
def package_copy(tmp_path):
    return copy_package(tmp_path)


@pytest.fixture(scope="session")
def built_report(tmp_path_factory) -> Path:
    """Build the report once per test session with the README's own command, from a checkout in a temporary
    folder (the source tree gets nothing), and return its HTML folder."""
    pkg = checkout(tmp_path_factory.mktemp("report") / "pkg")
    result = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(ROOT), "report", f"PKG={pkg}"],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return pkg / "book" / "_build" / "html"


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test (Playwright's sync API allows one running instance per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def wait_for_charts(page) -> None:
    """vega-embed renders asynchronously: wait until every chart has drawn (or time out and let the test say so)."""
    try:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.vega-chart')].every(c => c.querySelector('svg g.role-mark'))",
            timeout=15000)
    except Exception:
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
