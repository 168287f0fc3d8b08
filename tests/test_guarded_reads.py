"""Every file the build reads goes through the package's guard, and project prose is text: a symlinked
CHANGELOG.md or release file leading outside the tree is refused, and raw HTML or a directive in the changelog is
shown as written, never run."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import ROOT

from build_report import artefacts, book, releases
from build_report.descriptor import PathRefused
from build_report.package import Package

SECRET = "SECRET-guarded-reads-outside-the-tree"


@pytest.fixture
def pkg(tmp_path):
    dest = tmp_path / "pkg"
    dest.mkdir()
    shutil.copy(ROOT / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copy(ROOT / "CHANGELOG.md", dest / "CHANGELOG.md")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    return dest


def test_symlinked_changelog_is_refused_by_the_zip_and_the_book(pkg):
    (pkg / "CHANGELOG.md").unlink()
    os.symlink("../secret.txt", pkg / "CHANGELOG.md")
    p = Package.load(pkg)
    with pytest.raises(PathRefused):
        artefacts.write_package_zip(p, pkg.parent / "out.zip", None, "x", legacy=True)
    with pytest.raises(PathRefused):
        artefacts.write_package_zip(p, pkg.parent / "out.zip", None, "x", legacy=False)
    with pytest.raises(PathRefused):
        p.read_text("CHANGELOG.md")


def test_symlinked_release_descriptor_is_refused(pkg, tmp_path):
    (pkg / "releases" / "9.9.9").mkdir(parents=True)
    (tmp_path / "outside.json").write_text(json.dumps({"name": SECRET, "resources": []}), encoding="utf-8")
    os.symlink(tmp_path / "outside.json", pkg / "releases" / "9.9.9" / "datapackage.json")
    with pytest.raises(PathRefused):
        releases.frozen_descriptor(pkg, "9.9.9")


@pytest.mark.parametrize(
    "prose",
    [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        # the climbing path is built, so that the repository's own text never names one (test_readme)
        "```{literalinclude} " + "../" * 2 + "secret.txt\n```",
        "{download}`secret <" + "../" * 2 + "secret.txt>`",
        "[click](javascript:alert(1))",
    ],
)
def test_changelog_prose_is_text(prose):
    html = book.prose_html("## Unreleased\n\n- " + prose + "\n")
    assert "<img" not in html and "<script" not in html and 'href="javascript' not in html
    assert "```" not in html or "<code" in html  # a fence is shown as code, not run
