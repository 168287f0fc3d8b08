"""Fill the pending second-pass reviews of evidence pass 3 from a reviewer's file.

Run from the package root:  .venv/bin/python evidence/apply_pending_reviews.py evidence/reviews-2026-12-06/*.json

A reviewer file (written by a reader with a fresh context, who did not code or change the rows) is a list of
{row_id, outcome, fields_changed, corrections, note, searches: [{query, corpus, n_results, found, urls_kept}]}.
Each row's pending review (outcome "pending" in reviews) becomes the review: its searches are logged in
search_log (the first is the review's search_id), its corrections are written into the row, and the review
names the fields changed. A row still marked pending by the reviewer keeps its pending review. Rerunnable: the
search IDs given are kept in evidence/apply-pending-reviews-ids.json. Writes only through csvio.write.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "evidence"))
from import_pending import Table, search_row

IDS = ROOT / "evidence" / "apply-pending-reviews-ids.json"
TABLES = {"COR": ("corroborations", "corroboration_id"), "XW": ("crosswalk", "crosswalk_id")}
REVIEWER = "second-pass reviewer with a fresh context, given only the rows and the search tools (not the coder)"
DAY = "2026-12-06"


def main(files: list[str]) -> int:
    ids = json.loads(IDS.read_text(encoding="utf-8")) if IDS.exists() else {}
    log, revs = Table("search_log", "search_id"), Table("reviews", "review_id")
    tables = {prefix: Table(name, key) for prefix, (name, key) in TABLES.items()}
    claims = Table("claims", "claim_id")
    pending = {r["row_id"]: r for r in revs.rows if r["outcome"] == "pending"}
    for file in files:
        for rv in json.loads(Path(file).read_text(encoding="utf-8")):
            rid = rv["row_id"]
            if rv["outcome"] == "pending":
                continue
            if rid not in pending:
                raise SystemExit(f"{rid}: no pending review to fill")
            table = tables[rid.split("-")[0]]
            row = table.index[rid]
            claim = row.get("claim_id") or next(
                (
                    c["claim_id"]
                    for c in claims.rows
                    if c["incident_id"] == row.get("incident_id") and c["status"] == "active"
                ),
                "",
            )
            sids = []
            for n, s in enumerate(rv["searches"]):
                key = f"search:{Path(file).stem}:{rid}:{n}"
                if key not in ids:
                    ids[key] = log.next_id("SRCH", 4)
                kept = [u for u in s.get("urls_kept", []) if u]
                log.put(search_row(ids[key], claim, s, DAY, kept, n_default=len(kept)))
                sids.append(ids[key])
            for field, value in (rv.get("corrections") or {}).items():
                if field not in table.fields:
                    raise SystemExit(f"{rid}: correction of unknown field {field}")
                row[field] = "" if value is None else str(value)
            changed = sorted(set(rv.get("fields_changed") or []) | set(rv.get("corrections") or {}))
            review = pending[rid]
            review.update(
                {
                    "reviewed_on": DAY,
                    "reviewer": REVIEWER,
                    "search_id": sids[0] if sids else "",
                    "outcome": rv["outcome"],
                    "fields_changed": ";".join(changed) if rv["outcome"] == "corrected" else "",
                    "note": " ".join(rv["note"].split()),
                }
            )
    for t in (log, revs, *tables.values()):
        t.save()
    IDS.write_text(json.dumps(ids, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
