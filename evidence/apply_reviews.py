"""Apply a second-pass review of rows already in the tables: its searches, its corrections, one review row each.

Run from the package root:  .venv/bin/python evidence/apply_reviews.py evidence/reviews-2026-11-25-categories/*.json

A reviewer file (written by a reader who did not code the rows) holds
{"reviewer", "searches": [{ref, query, corpus, n_results, urls_returned}],
 "reviews": [{row_id, search_ref, url_returned, outcome, corrections, note}]}.
Rows are found by their ID's prefix (COR- corroborations, XW- crosswalk, CTX- context_totals). A search keeps
the URLs of the rows it was used for, when it returned them. Rerunnable: the IDs given are kept in
evidence/apply-reviews-ids.json, so a second run rewrites the same rows. Writes only through csvio.write.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "evidence"))
from import_pending import Table, search_row

IDS = ROOT / "evidence" / "apply-reviews-ids.json"
TABLES = {
    "COR": ("corroborations", "corroboration_id"),
    "XW": ("crosswalk", "crosswalk_id"),
    "CTX": ("context_totals", "context_id"),
}


def main(files: list[str]) -> int:
    ids = json.loads(IDS.read_text(encoding="utf-8")) if IDS.exists() else {}
    log, revs = Table("search_log", "search_id"), Table("reviews", "review_id")
    tables = {prefix: Table(name, key) for prefix, (name, key) in TABLES.items()}

    def assign(key: str, table: Table, prefix: str, width: int) -> str:
        if key not in ids:
            ids[key] = table.next_id(prefix, width)
        return ids[key]

    for file in files:
        path = Path(file)
        d = json.loads(path.read_text(encoding="utf-8"))
        label = d.get("reviewer") or path.stem
        day = d.get("reviewed_on") or path.parent.name.removeprefix("reviews-")[:10]
        target = {rv["row_id"]: tables[rv["row_id"].split("-")[0]] for rv in d["reviews"]}
        sids = {}
        for s in d["searches"]:
            sid = assign(f"search:{label}:{s['ref']}", log, "SRCH", 4)
            sids[s["ref"]] = sid
            used = [target[rv["row_id"]].index[rv["row_id"]] for rv in d["reviews"] if rv.get("search_ref") == s["ref"]]
            kept = list(dict.fromkeys(r["url"] for r in used if r.get("url") in s.get("urls_returned", [])))
            claim = next((r.get("claim_id") for r in used if r.get("claim_id")), "")
            log.put(search_row(sid, claim, s, day, kept))
        for rv in d["reviews"]:
            table = target[rv["row_id"]]
            row = table.index[rv["row_id"]]
            fields = []
            for field, value in (rv.get("corrections") or {}).items():
                if field not in table.fields:
                    raise SystemExit(f"{rv['row_id']}: correction of unknown field {field}")
                fields.append(field)
                row[field] = "" if value is None else str(value)
            rid = assign(f"review:{label}:{rv['row_id']}", revs, "REV", 4)
            revs.put(
                {
                    "review_id": rid,
                    "table": table.name,
                    "row_id": rv["row_id"],
                    "reviewed_on": day,
                    "reviewer": f"second-pass reviewer {label} (a fresh reader, not the coder)",
                    "search_id": sids.get(rv.get("search_ref"), ""),
                    "outcome": rv["outcome"] if rv["outcome"] != "corrected" or fields else "confirmed",
                    "fields_changed": ";".join(fields),
                    "note": " ".join(rv.get("note", "").split()),
                }
            )
        print(f"{label}: {len(d['reviews'])} reviews, {len(d['searches'])} searches")
    for t in (log, revs, *tables.values()):
        t.save()
    IDS.write_text(json.dumps(ids, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
