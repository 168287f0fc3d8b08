"""The codebook PDF: the methods and dictionary pages of the built report, printed by Chromium."""

import re
from pathlib import Path

import pytest

from build_report import codebook
from build_report.package import Package

from conftest import ROOT

if not Path(codebook.CHROMIUM).exists():
    pytest.skip(f"{codebook.CHROMIUM} is not installed (make test installs it)", allow_module_level=True)


def test_codebook_prints_methods_and_dictionary(built_report, tmp_path):
    version = Package.load(ROOT).version
    pdf = codebook.print_codebook(built_report, tmp_path / "codebook.pdf", version).read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert pages >= 5, pages  # every field of every table is described: this is not a one-pager
