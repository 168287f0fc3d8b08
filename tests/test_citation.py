"""Citing the data: CITATION.cff is valid, every format generated from it parses, the Zenodo metadata
is complete and current, and a release's artefacts rebuild byte for byte from its frozen record."""

import json
import re
import shutil
import subprocess

import pytest
from conftest import ROOT
from pybtex.database import parse_string

from build_report import artefacts, citation, csvio, release, releases
from build_report.package import Package

CFF = citation.load(ROOT)
CFFCONVERT = ROOT / ".venv-cff" / "bin" / "cffconvert"


def test_citation_file_validates_with_cffconvert():
    assert CFFCONVERT.exists(), "make test installs cffconvert into .venv-cff (see requirements-cff.lock)"
    r = subprocess.run(
        [str(CFFCONVERT), "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_citation_names_the_latest_release_and_its_identifier():
    # CITATION.cff cites the latest release; the working data may be the next version, not yet released.
    latest = releases.latest(ROOT)
    assert str(CFF["version"]) == latest
    assert releases.version_key(Package.load(ROOT).version) >= releases.version_key(latest)
    digest = releases.identifier(releases.release_manifest(releases.record_dir(ROOT, latest)))
    assert f"sha256:{digest}" in [i["value"] for i in CFF["identifiers"]]
    assert (ROOT / "releases" / latest / "CITATION.cff").read_text(encoding="utf-8") == (
        ROOT / "CITATION.cff"
    ).read_text(encoding="utf-8"), "the release's own citation is the one the repository gives"


def test_bibtex_parses_with_a_key_version_and_locator():
    bib = parse_string(citation.bibtex(CFF), "bibtex")
    ((key, entry),) = bib.entries.items()
    assert key == citation.bibtex_key(CFF) and re.fullmatch(r"[a-z0-9_]+", key)
    assert entry.fields["version"] == str(CFF["version"])
    assert "doi" in entry.fields or "url" in entry.fields or "sha256:" in entry.fields["note"]
    # An organisation stays one name, not "contributors, S. c. d. p."
    (person,) = entry.persons["author"]
    assert str(person) == "{Syria claims data project contributors}"


def test_ris_has_the_required_tags():
    lines = citation.ris(CFF).splitlines()
    tags = [ln[:2] for ln in lines]
    assert lines[0] == "TY  - DATA" and lines[-1].startswith("ER  -")
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", ln) for ln in lines)
    assert {"AU", "TI", "PY", "ET"} <= set(tags)


def test_csl_json_item():
    (item,) = json.loads(citation.csl_json(CFF))
    assert item["type"] == "dataset" and item["version"] == str(CFF["version"])
    assert item["issued"]["date-parts"][0][0] == int(str(CFF["date-released"])[:4])
    assert item.get("DOI") or item.get("URL") or "sha256:" in item.get("note", "")


def test_row_citation_names_dataset_version_row_and_locator():
    line = citation.row(CFF, "INC-0014")
    assert CFF["title"] in line and str(CFF["version"]) in line and "INC-0014" in line
    assert citation.locator(CFF) in line


def test_zenodo_metadata_is_generated_and_complete():
    meta = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    # Fields and vocabularies of Zenodo's deposit metadata (see the Releasing section of docs/maintaining.md).
    for field in ("upload_type", "publication_date", "title", "creators", "description", "access_right", "license"):
        assert meta.get(field), field
    assert meta["upload_type"] == "dataset" and meta["access_right"] == "open"
    assert meta["license"] == meta["license"].lower() == "cc-by-4.0"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["publication_date"])
    assert meta["version"] == releases.latest(ROOT) and meta["keywords"]
    relations = {r["relation"] for r in meta["related_identifiers"]}
    assert "isDerivedFrom" in relations and relations <= {"isDerivedFrom", "references", "isSupplementTo", "cites"}
    for r in meta["related_identifiers"]:
        assert r["identifier"].startswith(("http://", "https://")) and r["scheme"] == "url"
        assert r["resource_type"] in ("publication-other", "publication-report", "dataset")
    for d in meta["dates"]:
        assert d["type"] in ("Collected", "Valid", "Withdrawn") and d["start"] <= d["end"]
    assert any(i["value"].split(":", 1)[1] in meta["notes"] for i in CFF["identifiers"] if i["type"] == "other")


def test_zenodo_metadata_is_current(tmp_path):
    for name in ("datapackage.json", "CITATION.cff"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    release.write_zenodo(Package.load(tmp_path))
    assert (tmp_path / ".zenodo.json").read_text(encoding="utf-8") == (ROOT / ".zenodo.json").read_text(
        encoding="utf-8"
    )


def test_readme_citation_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quoted = re.search(r"## How to cite.*?\n\n(> .*?)\n\n", readme, re.DOTALL).group(1)
    text = re.sub(r"\s*\n>\s*", " ", quoted).removeprefix("> ").replace("*", "")
    assert text == citation.apa(CFF)


def released_versions():
    return sorted((p.parent.name for p in (ROOT / "releases").glob("*/SHA256SUMS")), key=release.parse)


@pytest.mark.parametrize("version", released_versions())
def test_release_artefacts_rebuild_byte_identical(tmp_path, version):
    shutil.copytree(ROOT / "releases" / version, tmp_path / "releases" / version)
    assert artefacts.rebuild(tmp_path, version) == []
    sums = artefacts.read_sums(tmp_path / "releases" / version / "SHA256SUMS")
    assert {n.rsplit(".", 1)[-1] for n in sums} >= {"zip", "parquet", "xlsx", "duckdb", "json", "csv"}


def test_every_incident_tally_and_claim_has_a_row_citation(built_report):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((built_report / "generated" / "register.html").read_text(encoding="utf-8"), "html.parser")
    entries = {s["id"]: s for s in soup.select("section.register-entry")}
    pkg = Package.load(ROOT)
    for table in ("incidents", "tallies", "claims"):
        key = pkg.primary_key(table)
        for row in csvio.read(pkg.path(table))[1]:
            line = entries[row[key].lower()].select_one(".citation-row").get_text()
            assert line == citation.row(CFF, row[key])
            assert "register.html" not in line and citation.locator(CFF) in line


def test_cite_page_shows_every_format(built_report):
    page = (built_report / "generated" / "cite.html").read_text(encoding="utf-8")
    for cls in ("citation-apa", "citation-bibtex", "citation-ris", "citation-csl-json"):
        assert f'class="{cls}"' in page, cls
    assert citation.bibtex_key(CFF) in page


def test_home_page_carries_schema_org_dataset(built_report):
    # The JSON-LD parses, says Dataset with the required properties, and its distribution is exactly the
    # Downloads page's files with their SHA-256.
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((built_report / "generated" / "index.html").read_text(encoding="utf-8"), "html.parser")
    (script,) = soup.select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@context"] == "https://schema.org/" and data["@type"] == "Dataset"
    for key in ("name", "description", "version", "license", "creator", "temporalCoverage", "spatialCoverage"):
        assert data[key], key
    assert data["license"].startswith("https://creativecommons.org/")
    start, end = data["temporalCoverage"].split("/")
    assert start <= end
    sums = artefacts.read_sums(built_report / "downloads" / "SHA256SUMS")
    assert {d["name"]: d["identifier"]["value"] for d in data["distribution"]} == sums
    assert all(
        d["@type"] == "DataDownload" and d["contentUrl"].startswith("../downloads/") for d in data["distribution"]
    )
    assert f"sha256:{releases.identifier(releases.working_manifest(Package.load(ROOT)))}" in data["identifier"]
