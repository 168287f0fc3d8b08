"""Citations: CITATION.cff is the one source; BibTeX, RIS, CSL-JSON, APA, a line per row and the Zenodo
deposit metadata are all written from it (and from the package for what only the data knows).

A version is identified by its number plus its identifier: the SHA-256 of its manifest (MANIFEST.sha256,
the SHA-256 of the descriptor and of every data file; see releases.py). The citation files are not in the
manifest, so they can state it. Every citation also carries a locator: the DOI when the release was
given one, else the URL it was given.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

CFF = "CITATION.cff"
MANIFEST = "MANIFEST.sha256"  # releases.MANIFEST; named here too, for citation does not import the package


def load(root: Path) -> dict:
    return yaml.safe_load((root / CFF).read_text(encoding="utf-8"))


def set_identifiers(root: Path, version: str, ident: str, doi: str | None = None, url: str | None = None) -> dict:
    """Write the version's identifier, and a DOI or URL when given, into CITATION.cff. A URL given to an
    earlier release stays, as the repository's address, until another is given."""
    cff = load(root)
    ids = [i for i in cff.get("identifiers", []) if i.get("type") not in ("other", "doi", "url")]
    cff.pop("doi", None)
    if doi:
        cff["doi"] = doi
        ids.append({"type": "doi", "value": doi, "description": f"DOI of version {version}"})
    if url:
        cff["url"] = url
    if cff.get("url"):
        ids.append({"type": "url", "value": cff["url"], "description": "Where the releases can be downloaded"})
    ids.append(
        {
            "type": "other",
            "value": f"sha256:{ident}",
            "description": f"Identifier of version {version}: the SHA-256 of its {MANIFEST}, which lists the "
            f"SHA-256 of its descriptor and data files; python -m build_report identifier releases/{version}",
        }
    )
    cff["identifiers"] = ids
    (root / CFF).write_text(yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    return cff


def _authors(cff: dict) -> list[str]:
    return [a.get("name") or f"{a.get('family-names')}, {a.get('given-names')}" for a in cff["authors"]]


def _year(cff: dict) -> str:
    return str(cff.get("date-released", ""))[:4]


def checksum(cff: dict) -> str | None:
    """The version identifier recorded in CITATION.cff ("sha256:..."), if any."""
    for i in cff.get("identifiers", []):
        if i.get("type") == "other" and str(i.get("value", "")).startswith("sha256:"):
            return str(i["value"])
    return None


def locator(cff: dict) -> str:
    """How a reader finds exactly this version: the DOI, else the URL, with the identifier; the identifier
    alone when the release was given neither."""
    ident = checksum(cff) or "no identifier recorded yet (unreleased)"
    if cff.get("doi"):
        return f"https://doi.org/{cff['doi']} ({ident})"
    if cff.get("url"):
        return f"{cff['url']} ({ident})"
    return ident


def apa(cff: dict) -> str:
    return (
        f"{'; '.join(_authors(cff))} ({_year(cff)}). {cff['title']} (Version {cff['version']}) [Data set]. "
        f"{locator(cff)}"
    )


def bibtex_key(cff: dict) -> str:
    return f"syriaclaims{_year(cff)}v{str(cff['version']).replace('.', '_')}"


def _bib(value: str) -> str:
    return value.replace("\\", "").replace("{", "").replace("}", "")


def bibtex(cff: dict) -> str:
    fields = [
        # An organisation is one name: double braces keep BibTeX from splitting it into given and family names.
        ("author", " and ".join("{" + _bib(a) + "}" for a in _authors(cff))),
        ("title", _bib(cff["title"])),
        ("year", _year(cff)),
        ("version", str(cff["version"])),
        ("howpublished", "Data set"),
    ]
    if cff.get("doi"):
        fields.append(("doi", str(cff["doi"])))
    if cff.get("url"):
        fields.append(("url", str(cff["url"])))
    sums = checksum(cff)
    note = f"Licence {cff.get('license', '')}" + (f"; version identifier {sums}" if sums else "")
    fields.append(("note", _bib(note)))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@misc{{{bibtex_key(cff)},\n{body}\n}}\n"


def ris(cff: dict) -> str:
    lines = ["TY  - DATA"]
    lines += [f"AU  - {a}" for a in _authors(cff)]
    lines += [
        f"TI  - {cff['title']}",
        f"PY  - {_year(cff)}",
        f"DA  - {cff.get('date-released', '')}",
        f"ET  - {cff['version']}",
        "M3  - Data set",
    ]
    if cff.get("doi"):
        lines.append(f"DO  - {cff['doi']}")
    if cff.get("url"):
        lines.append(f"UR  - {cff['url']}")
    if checksum(cff):
        lines.append(f"N1  - Version identifier {checksum(cff)}")
    lines += [f"KW  - {k}" for k in cff.get("keywords", [])]
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def csl_json(cff: dict) -> str:
    date = str(cff.get("date-released", ""))
    item = {
        "id": bibtex_key(cff),
        "type": "dataset",
        "title": cff["title"],
        "author": [{"literal": a} for a in _authors(cff)],
        "issued": {"date-parts": [[int(x) for x in date.split("-")]]}
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
        else {},
        "version": str(cff["version"]),
        "genre": "Data set",
    }
    if cff.get("doi"):
        item["DOI"] = str(cff["doi"])
    if cff.get("url"):
        item["URL"] = str(cff["url"])
    if checksum(cff):
        item["note"] = f"Version identifier {checksum(cff)}"
    return json.dumps([item], indent=2, ensure_ascii=False) + "\n"


def row(cff: dict, row_id: str) -> str:
    """One line to cite a single row: dataset, version, row ID and the version's locator (no page address:
    a page of a locally built report is not where a reader of the citation can find the row)."""
    return (
        f"{'; '.join(_authors(cff))} ({_year(cff)}). {cff['title']}, version {cff['version']}, "
        f"row {row_id}. {locator(cff)}"
    )


def zenodo(
    cff: dict, descriptor: dict, compilation_url: str | None, tracker_urls: list[str], period: tuple[str, str]
) -> dict:
    """Zenodo deposit metadata, from CITATION.cff plus what the package knows."""
    related = []
    if compilation_url:
        related.append(
            {
                "identifier": compilation_url,
                "relation": "isDerivedFrom",
                "resource_type": "publication-other",
                "scheme": "url",
            }
        )
    for url in sorted(set(tracker_urls)):
        related.append(
            {"identifier": url, "relation": "references", "resource_type": "publication-other", "scheme": "url"}
        )
    meta = {
        "upload_type": "dataset",
        "title": cff["title"],
        "version": str(cff["version"]),
        "publication_date": str(cff.get("date-released", "")),
        "creators": [{"name": a} for a in _authors(cff)],
        "description": cff.get("abstract", descriptor.get("description", "")),
        "access_right": "open",
        "license": str(cff.get("license", "")).lower(),
        "keywords": list(cff.get("keywords", [])),
        "language": "eng",
        "related_identifiers": related,
        "dates": [
            {
                "type": "Valid",
                "start": period[0],
                "end": period[1],
                "description": "Period of the reported events the claims refer to",
            }
        ],
        "notes": "Rows record what sources reported, not established facts. The archived compilation text is "
        "third-party material included unchanged for verification and is not covered by the data licence.",
    }
    if cff.get("doi"):
        meta["doi"] = str(cff["doi"])
    sums = checksum(cff)
    if sums:
        meta["notes"] += f" Version identifier (SHA-256 of {MANIFEST}): {sums}."
    return meta


# ---- findable: DataCite and schema.org --------------------------------------------------------------

DATACITE_NS = "http://datacite.org/schema/kernel-4"
DATACITE_XSD = "http://schema.datacite.org/meta/kernel-4.5/metadata.xsd"


def datacite_xml(
    cff: dict, descriptor: dict, identifier: str, period: tuple[str, str], compilation_url: str | None
) -> str:
    """DataCite metadata (kernel 4.5) of a version: the mandatory properties (identifier when a DOI exists,
    creators, titles, publisher, publication year, resource type) and the recommended ones this package
    knows (subjects, dates, version, rights, abstract, the identifier as an alternate identifier, the
    compilation it derives from, the place covered). Written with ElementTree, so every value is escaped."""
    ET.register_namespace("", DATACITE_NS)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")

    def el(parent, tag, text=None, **attrs):
        e = ET.SubElement(parent, f"{{{DATACITE_NS}}}{tag}", attrs)
        if text is not None:
            e.text = str(text)
        return e

    root = ET.Element(
        f"{{{DATACITE_NS}}}resource",
        {"{http://www.w3.org/2001/XMLSchema-instance}schemaLocation": f"{DATACITE_NS} {DATACITE_XSD}"},
    )
    if cff.get("doi"):
        el(root, "identifier", cff["doi"], identifierType="DOI")
    creators = el(root, "creators")
    for a in _authors(cff):
        el(el(creators, "creator"), "creatorName", a, nameType="Organizational")
    el(el(root, "titles"), "title", cff["title"])
    el(root, "publisher", _authors(cff)[0])
    el(root, "publicationYear", _year(cff))
    el(root, "resourceType", "Data package", resourceTypeGeneral="Dataset")
    subjects = el(root, "subjects")
    for k in cff.get("keywords", []):
        el(subjects, "subject", k)
    dates = el(root, "dates")
    el(dates, "date", str(cff.get("date-released", "")), dateType="Issued")
    el(dates, "date", f"{period[0]}/{period[1]}", dateType="Valid", dateInformation="Period of the reported events")
    el(root, "language", "en")
    alt = el(root, "alternateIdentifiers")
    el(alt, "alternateIdentifier", f"sha256:{identifier}", alternateIdentifierType="SHA-256 of MANIFEST.sha256")
    if cff.get("url"):
        el(alt, "alternateIdentifier", cff["url"], alternateIdentifierType="URL")
    if compilation_url:
        el(
            el(root, "relatedIdentifiers"),
            "relatedIdentifier",
            compilation_url,
            relatedIdentifierType="URL",
            relationType="IsDerivedFrom",
        )
    el(root, "version", cff["version"])
    lic = (descriptor.get("licenses") or [{}])[0]
    el(
        el(root, "rightsList"),
        "rights",
        lic.get("title") or lic.get("name", ""),
        rightsURI=lic.get("path", ""),
        rightsIdentifier=lic.get("name", ""),
        rightsIdentifierScheme="SPDX",
    )
    el(el(root, "descriptions"), "description", cff.get("abstract", ""), descriptionType="Abstract")
    el(el(el(root, "geoLocations"), "geoLocation"), "geoLocationPlace", "Syria")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def schema_org(
    cff: dict,
    descriptor: dict,
    identifier: str,
    released: bool,
    period: tuple[str, str],
    files: dict[str, str],
    base: str,
) -> dict:
    """schema.org Dataset (JSON-LD) of the data a report was built from: name, description, version,
    licence, creator, the distribution with each file's SHA-256, temporal and spatial coverage. `files`
    maps a download's name to its SHA-256, `base` is the downloads folder relative to the page."""
    lic = (descriptor.get("licenses") or [{}])[0]
    formats = {
        ".zip": "application/zip",
        ".parquet": "application/vnd.apache.parquet",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".sqlite": "application/vnd.sqlite3",
        ".duckdb": "application/octet-stream",
        ".dta": "application/x-stata-dta",
        ".pdf": "application/pdf",
        ".json": "application/json",
        ".csv": "text/csv",
        ".xml": "application/xml",
    }
    data = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": cff["title"],
        "description": cff.get("abstract", descriptor.get("description", "")),
        "version": str(cff["version"]) if released else f"unreleased working copy, after {cff['version']}",
        "license": lic.get("path", ""),
        "creator": [{"@type": "Organization", "name": a} for a in _authors(cff)],
        "keywords": list(cff.get("keywords", [])),
        "identifier": [f"sha256:{identifier}"] + ([f"https://doi.org/{cff['doi']}"] if cff.get("doi") else []),
        "isAccessibleForFree": True,
        "temporalCoverage": f"{period[0]}/{period[1]}",
        "spatialCoverage": {"@type": "Place", "name": "Syria"},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": name,
                "contentUrl": f"{base}{name}",
                "encodingFormat": next((v for k, v in formats.items() if name.endswith(k)), "application/octet-stream"),
                "identifier": {"@type": "PropertyValue", "propertyID": "SHA-256", "value": digest},
            }
            for name, digest in sorted(files.items())
        ],
    }
    if released:
        data["datePublished"] = str(cff.get("date-released", ""))
    return data
