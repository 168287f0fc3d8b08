"""Citations: CITATION.cff is the one source; BibTeX, RIS, CSL-JSON, APA, a line per row and the Zenodo
deposit metadata are all written from it (and from the package for what only the data knows).

Until a DOI exists, a version is identified by its number plus the SHA-256 of its SHA256SUMS file,
which lists the SHA-256 of every released file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import yaml

from .package import read_bytes, read_text

CFF = "CITATION.cff"


def load(root: Path) -> dict:
    return yaml.safe_load(read_text(root, CFF))


def sums_digest(root: Path, version: str) -> str | None:
    """SHA-256 of releases/<version>/SHA256SUMS, the version's identifier until a DOI exists."""
    rel = f"releases/{version}/SHA256SUMS"
    return hashlib.sha256(read_bytes(root, rel)).hexdigest() if os.path.lexists(root / rel) else None


def set_identifiers(
    root: Path, version: str, digest: str | None, doi: str | None = None, url: str | None = None
) -> dict:
    """Write the version's checksum, and a DOI or URL when given, into CITATION.cff."""
    cff = load(root)
    ids = [i for i in cff.get("identifiers", []) if i.get("type") not in ("other", "doi", "url")]
    if doi:
        cff["doi"] = doi
        ids.append({"type": "doi", "value": doi, "description": f"DOI of version {version}"})
    if url:
        cff["url"] = url
        ids.append({"type": "url", "value": url, "description": f"Where version {version} can be downloaded"})
    if digest:
        ids.append(
            {
                "type": "other",
                "value": f"sha256:{digest}",
                "description": f"SHA-256 of releases/{version}/SHA256SUMS, which lists the SHA-256 of every file of version {version}",
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
    """The version checksum recorded in CITATION.cff ("sha256:..."), if any."""
    for i in cff.get("identifiers", []):
        if i.get("type") == "other" and str(i.get("value", "")).startswith("sha256:"):
            return str(i["value"])
    return None


def locator(cff: dict) -> str:
    """How a reader finds exactly this version: the DOI, else the URL, else the checksum."""
    if cff.get("doi"):
        return f"https://doi.org/{cff['doi']}"
    if cff.get("url"):
        return str(cff["url"])
    return checksum(cff) or "no checksum recorded yet (unreleased)"


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
    note = f"Licence {cff.get('license', '')}" + (f"; version checksum {sums}" if sums else "")
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
        lines.append(f"N1  - Version checksum {checksum(cff)}")
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
        item["note"] = f"Version checksum {checksum(cff)}"
    return json.dumps([item], indent=2, ensure_ascii=False) + "\n"


def row(cff: dict, row_id: str, page: str) -> str:
    """One line to cite a single row: dataset, version, row ID, DOI or checksum, and where it is shown."""
    return (
        f"{'; '.join(_authors(cff))} ({_year(cff)}). {cff['title']}, version {cff['version']}, "
        f"row {row_id} ({page}). {locator(cff)}"
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
        meta["notes"] += f" Version checksum (SHA-256 of SHA256SUMS): {sums}."
    return meta
