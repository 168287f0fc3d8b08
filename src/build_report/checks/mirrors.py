"""Mirrors: a URL on a host that serves copies of other publishers' pages rests on a mirror, and the row says so.

The hosts are registered here, once: wiki mirrors and scrapers, an IPFS gateway, a video re-upload site, and
staging, CMS and mail subdomains of a publisher (where a page is a copy outside the publisher's public site).
A row whose URL is on one of them must either be marked `on_mirror` (no original found) or cite the original
publisher and keep the copy in `mirror_url`; the pages show the mark beside the link.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import duckdb

from ..package import records
from . import Failure

CHECK = "truth"

RULES = {
    "mirror-host-marked": "a URL on a registered mirror, scraper, staging, CMS or mail host is marked on_mirror "
    "(no original found), or the row cites the original publisher and keeps the copy in mirror_url",
}

# Hosts ending with one of these serve copies of other sites' pages.
MIRROR_SUFFIXES = (
    "piglix.com",
    "wikizero.org",
    "wikisko.ru",
    "the-uncensored-wiki.com",
    "cloudflare-ipfs.com",
    "ipfs.dweb.link",
    "liveleak.com",
)
# Hosts starting with one of these are a publisher's staging, CMS or mail subdomain, not its public site.
MIRROR_PREFIXES = ("stg.", "staging.", "acquiaprod.", "mail.")

# (table, key, URL fields) of the rows that cite pages and carry on_mirror.
CITING = (
    ("corroborations", "corroboration_id", ("url",)),
    ("places", "place_id", ("coord_origin", "admin1_origin")),
)


def on_mirror_host(url: str | None) -> bool:
    """True when the URL's host is a registered mirror host."""
    if not url or "://" not in url:
        return False
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith(MIRROR_SUFFIXES) or host.startswith(MIRROR_PREFIXES)


def check(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    for table, key, fields in CITING:
        for r in records(con, f"SELECT {key} AS id, on_mirror, {', '.join(fields)} FROM {table} ORDER BY {key}"):
            for f in fields:
                if on_mirror_host(r[f]) and r["on_mirror"] is not True:
                    out.append(Failure(table, r["id"], f, "mirror-host-marked", r[f], CHECK))
    return out
