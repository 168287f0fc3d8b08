"""The codebook PDF: the methods and dictionary pages of the built report, printed by Chromium."""

import re
import subprocess
import sys

from conftest import ROOT, need_chromium

from build_report.package import Package

need_chromium()


def test_codebook_prints_methods_and_dictionary(built_report, tmp_path):
    version = Package.load(ROOT).version
    # In its own process: the browser tests keep a Playwright session open in this one.
    code = (
        "import sys; from pathlib import Path; from build_report import codebook; "
        "codebook.print_codebook(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(built_report), str(tmp_path / "codebook.pdf"), version],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    pdf = (tmp_path / "codebook.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert pages >= 5, pages  # every field of every table is described: this is not a one-pager
