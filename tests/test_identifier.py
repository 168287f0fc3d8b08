"""One version, one identifier, one set of files.

The identifier of a version is the SHA-256 of its manifest (the SHA-256 of the descriptor and of every
data file). Every release's CITATION.cff states it, or a later release publishes the correction
(0.1.0 states none, 0.2.0 states 0.1.0's checksum of SHA256SUMS: both are frozen, and 0.2.1's
errata.csv corrects them). Every release rebuilds byte for byte and `sha256sum -c` passes on its files
and inside its zip; every release's descriptor opens with frictionless; a report offers exactly a
release's files, or says it is an unreleased working copy."""

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_package
from frictionless import Package as FrictionlessPackage

from build_report import artefacts, book, csvio, releases
from build_report.package import Package

VERSIONS = sorted((p.parent.name for p in (ROOT / "releases").glob("*/datapackage.json")), key=releases.version_key)
SELF_CITING = [v for v in VERSIONS if not releases.legacy_layout(releases.record_dir(ROOT, v))]


def record(version: str) -> Path:
    return releases.record_dir(ROOT, version)


def errata() -> dict[str, list[dict]]:
    """version -> the corrections later releases publish for its citation."""
    out: dict[str, list[dict]] = {}
    for v in VERSIONS:
        path = record(v) / "errata.csv"
        for row in csvio.read(path)[1] if path.exists() else []:
            out.setdefault(row["version"], []).append({**row, "by": v})
    return out


@pytest.mark.parametrize("version", VERSIONS)
def test_citation_states_the_identifier_or_a_later_release_corrects_it(version):
    ident = releases.identifier(releases.release_manifest(record(version)))
    stated = releases.stated_identifier(record(version))
    if stated == ident:
        return
    # A frozen citation that is wrong: a later release must say so and give the right identifier.
    fixes = [e for e in errata().get(version, []) if releases.version_key(e["by"]) > releases.version_key(version)]
    assert fixes, (
        f"{version}'s CITATION.cff states {stated}, not its identifier {ident}, and no later release corrects it"
    )
    assert {e["identifier"] for e in fixes} == {f"sha256:{ident}"}
    assert {e["stated"] for e in fixes} == {f"sha256:{stated}" if stated else ""}


def test_the_releases_that_supersede_a_citation_are_named():
    # What the parametrised test allows, said once: 0.2.1 supersedes the citations of 0.1.0 and 0.2.0.
    corrected = {v: sorted(e["by"] for e in rows) for v, rows in errata().items()}
    if "0.2.1" in VERSIONS:
        assert corrected.get("0.2.0") == ["0.2.1"]
    assert SELF_CITING and releases.stated_identifier(record(VERSIONS[-1])) == releases.identifier(
        releases.release_manifest(record(VERSIONS[-1]))
    ), "the latest release must cite itself correctly: no later release can correct it"


@pytest.mark.parametrize("version", SELF_CITING)
def test_manifest_file_is_the_manifest_and_sha256sum_gives_the_identifier(version):
    folder = record(version)
    assert (folder / releases.MANIFEST).read_text(encoding="utf-8") == releases.release_manifest(folder)
    check = subprocess.run(["sha256sum", "-c", releases.MANIFEST], cwd=folder, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    plain = subprocess.run(["sha256sum", releases.MANIFEST], cwd=folder, capture_output=True, text=True, check=True)
    command = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "build_report", "identifier", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert (
        command.stdout.strip() == "sha256:" + plain.stdout.split()[0] == f"sha256:{releases.stated_identifier(folder)}"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_every_release_opens_with_frictionless(version):
    folder = record(version)
    if version in SELF_CITING:  # as it stands: the paths were laid out at release time
        pkg = FrictionlessPackage(str(folder / "datapackage.json"))
    else:  # 0.1.0 and 0.2.0 are frozen with data/ paths; the loader resolves them without editing a file
        pkg = FrictionlessPackage(releases.loadable_descriptor(folder), basepath=str(folder))
    report = pkg.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert len(pkg.get_resource("incidents").read_rows()) > 0


@pytest.mark.parametrize("version", SELF_CITING)
def test_released_descriptor_hashes_every_file(version):
    folder = record(version)
    desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for res in desc["resources"]:
        got = subprocess.run(["sha256sum", res["path"]], cwd=folder, capture_output=True, text=True, check=True)
        assert res["hash"] == "sha256:" + got.stdout.split()[0], res["name"]


@pytest.mark.parametrize("version", VERSIONS)
def test_release_rebuilds_and_sha256sum_checks_every_file(tmp_path, version):
    shutil.copytree(record(version), tmp_path / "releases" / version)
    dist = tmp_path / "dist"
    assert artefacts.rebuild(tmp_path, version, dist) == []
    check = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=dist, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    if version not in SELF_CITING:
        return
    (zipped,) = dist.glob("*.zip")
    inside = tmp_path / "unzipped"
    with zipfile.ZipFile(zipped) as z:
        z.extractall(inside)
    check = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=inside, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    listed = {line.split("  ", 1)[1] for line in (inside / "SHA256SUMS").read_text().splitlines()}
    assert listed == {p.relative_to(inside).as_posix() for p in inside.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert {"CITATION.cff", "LICENSE", "README.md", "CHANGELOG.md", releases.MANIFEST} <= listed
    if (record(version) / "artefacts" / f"codebook-{version}.pdf").exists():
        assert f"codebook-{version}.pdf" in listed
    # The zip's citation states the identifier that the zip's own manifest gives.
    cff = yaml.safe_load((inside / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(cff["version"]) == version
    assert releases.stated_identifier(inside) == releases.identifier(releases.release_manifest(inside))
    # The datasette database is named without dots, so that its URLs work.
    (sqlite,) = dist.glob("*.sqlite")
    assert "." not in sqlite.stem


def test_a_report_of_a_release_offers_exactly_its_files(tmp_path):
    latest = SELF_CITING[-1] if SELF_CITING else pytest.skip("no release records its manifest yet")
    root = tmp_path / "pkg"
    pkg = artefacts.frozen_package(ROOT, latest, root)
    shutil.copytree(ROOT / "releases", root / "releases")
    version, files = book.download_files(pkg, tmp_path / "downloads")
    assert version == latest
    want = artefacts.read_sums(record(latest) / "SHA256SUMS")
    assert set(files) == set(want)
    for name, path in files.items():
        assert artefacts.outputs.sha256(path) == want[name], name


def test_a_report_of_unreleased_data_names_no_release(tmp_path):
    (tmp_path / "pkg").mkdir()
    root = copy_package(tmp_path / "pkg")
    path = root / "data" / "sources.csv"
    header, rows = csvio.read(path)
    rows[0]["notes"] = (rows[0]["notes"] + " Edited.").strip()
    csvio.write(path, header, rows)
    pkg = Package.load(root)
    assert releases.released_as(pkg) is None
    version, files = book.download_files(pkg, tmp_path / "downloads")
    assert version is None
    released = {n for v in VERSIONS for n in artefacts.read_sums(record(v) / "SHA256SUMS")} if VERSIONS else set()
    for name in files:
        assert name not in released, name
        assert (
            f"unreleased-after-{VERSIONS[-1]}" in name or f"unreleased_after_{VERSIONS[-1].replace('.', '_')}" in name
        )
    assert f"unreleased working copy, after {VERSIONS[-1]}" in book.version_stamp(pkg)


DATACITE = "{http://datacite.org/schema/kernel-4}"


@pytest.mark.parametrize("version", SELF_CITING)
def test_datacite_metadata_of_every_release(tmp_path, version):
    # Well-formed DataCite kernel-4 XML with every mandatory property (the DOI once one exists) and the
    # release's identifier; checked by structure here, for the kernel's XSD is not available offline.
    import xml.etree.ElementTree as ET

    pkg = artefacts.frozen_package(ROOT, version, tmp_path / "pkg")
    root = ET.fromstring(artefacts.datacite(pkg, record(version)))
    assert root.tag == f"{DATACITE}resource"
    cff = yaml.safe_load((record(version) / "CITATION.cff").read_text(encoding="utf-8"))
    one = {tag: root.findall(f"{DATACITE}{tag}") for tag in ("titles", "publisher", "publicationYear", "resourceType")}
    assert all(len(v) == 1 and (v[0].text or len(v[0])) for v in one.values()), one
    assert root.find(f"{DATACITE}resourceType").get("resourceTypeGeneral") == "Dataset"
    assert root.find(f"{DATACITE}publicationYear").text == str(cff["date-released"])[:4]
    assert [c.text for c in root.iter(f"{DATACITE}creatorName")] == [a["name"] for a in cff["authors"]]
    assert (root.find(f"{DATACITE}identifier") is not None) == bool(cff.get("doi"))
    alternates = {a.text for a in root.iter(f"{DATACITE}alternateIdentifier")}
    assert f"sha256:{releases.stated_identifier(record(version))}" in alternates
    assert root.find(f"{DATACITE}version").text == version
    start, end = root.find(f"{DATACITE}dates/{DATACITE}date[@dateType='Valid']").text.split("/")
    assert start <= end
