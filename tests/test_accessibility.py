"""Accessibility as a test: axe-core (the engine of Lighthouse and of most accessibility audits; MPL-2.0, pinned in
tests/a11y/package-lock.json and installed by `make clients`, never shipped in the report). tests/test_reader.py runs
it on every page at phone and desktop width in the light theme, during the visits it makes anyway; this file runs it
on every page in the dark theme. No serious or critical violation is allowed. Every violation found in the dark
theme is written to build/axe-<device>-dark.csv for a reviewer."""

import csv
import json
from pathlib import Path

import pytest
from conftest import ROOT, need_chromium, offline_page, wait_for_charts

need_chromium()

AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
LOCK = ROOT / "tests" / "a11y" / "package-lock.json"
WIDTHS = {"phone": 375, "desktop": 1400}
BLOCKING = {"serious", "critical"}

RUN = """async () => {
    const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                       resultTypes: ['violations']});
    return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5), count: v.nodes.length}));
}"""


def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make clients` installs it (npm ci in tests/a11y)", pytrace=False)
    pinned = json.loads(LOCK.read_text(encoding="utf-8"))["packages"]["node_modules/axe-core"]["version"]
    installed = json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == pinned, f"axe-core {installed} installed, {pinned} pinned: run make clients"
    return AXE.read_text(encoding="utf-8")


def pages(built_report: Path) -> list[str]:
    return sorted(p.relative_to(built_report).as_posix() for p in (built_report / "generated").rglob("*.html"))


def audit(browser, built_report, device, scheme):
    source = axe_source()
    found = []
    for rel in pages(built_report):
        ctx, page = offline_page(browser, (built_report / rel).as_uri(), ("file://",), WIDTHS[device])
        try:
            if scheme == "dark":
                page.evaluate("() => document.documentElement.dataset.theme = 'dark'")
                # The theme animates colours when the scheme changes: let every transition end, so that axe
                # measures the dark colours, not a blend on its way to them (the register's links failed so once).
                page.evaluate(
                    "() => Promise.all(document.getAnimations().filter(a => a instanceof CSSTransition)"
                    ".map(a => a.finished.catch(() => null)))"
                )
            wait_for_charts(page)
            page.add_script_tag(content=source)
            for v in page.evaluate(RUN):
                found.append({"page": rel, "device": device, "scheme": scheme, **v})
        finally:
            ctx.close()
    return found


@pytest.mark.parametrize("scheme", ["dark"])
@pytest.mark.parametrize("device", ["desktop"])
def test_no_serious_or_critical_violation_on_any_page(browser, built_report, device, scheme):
    found = audit(browser, built_report, device, scheme)
    out = ROOT / "build" / f"axe-{device}-{scheme}.csv"
    out.parent.mkdir(exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["page", "device", "scheme", "rule", "impact", "elements", "first elements", "help"])
        for v in found:
            w.writerow([v["page"], device, scheme, v["id"], v["impact"], v["count"], " | ".join(v["nodes"]), v["help"]])
    blocking = [
        f"{v['page']}: {v['id']} ({v['impact']}, {v['count']}): {v['nodes'][:2]}"
        for v in found
        if v["impact"] in BLOCKING
    ]
    assert not blocking, f"{len(blocking)} serious or critical:\n" + "\n".join(blocking[:40])
