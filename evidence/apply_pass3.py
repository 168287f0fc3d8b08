"""Apply evidence pass 3 (issue 25): the rows to append and the fields to set, each set with its reason,
read from evidence/pass3-2026-12-06.json (kept as the record of origin), or from another edit file of the
same shape named on the command line (the recall pass: evidence/recall-words-2026-12-06.json).

Run from the package root:  .venv/bin/python evidence/apply_pass3.py [EDIT_FILE]

New columns of a table (added to datapackage.json) are filled empty for rows that do not set them.
Rerunnable: an appended row whose ID is already present is replaced, not duplicated. Writes only
through build_report.csvio.write.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from build_report import csvio

EDITS = ROOT / "evidence" / "pass3-2026-12-06.json"
# Fields of the edit file that explain a change and are not columns; reason_text is the value of a
# table's own `reason` column, kept apart from the reason for the edit.
META = {"reason"}


def columns(table: str) -> list[str]:
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in descriptor["resources"] if r["name"] == table)
    return [f["name"] for f in res["schema"]["fields"]]


def main(edit_file: Path = EDITS) -> int:
    edits = json.loads(edit_file.read_text(encoding="utf-8"))
    for table in sorted(set(edits.get("append", {})) | set(edits.get("set", {}))):
        path = ROOT / "data" / f"{table}.csv"
        _, rows = csvio.read(path)
        header = columns(table)
        key = header[0]
        rows = [{c: r.get(c) or "" for c in header} for r in rows]
        by_id = {r[key]: r for r in rows}
        for new in edits.get("append", {}).get(table, []):
            row = {c: new.get(c, "") for c in header}
            if row[key] in by_id:
                by_id[row[key]].update(row)
            else:
                rows.append(row)
                by_id[row[key]] = row
        for row_id, change in edits.get("set", {}).get(table, {}).items():
            if row_id not in by_id:
                raise SystemExit(f"{table}: {row_id} not found (edit file {edit_file.name})")
            for field, value in change.items():
                if field in META:
                    continue
                column = "reason" if field == "reason_text" else field
                if column not in header:
                    raise SystemExit(f"{table}: {row_id}: no column {column!r}")
                by_id[row_id][column] = value
            print(f"{table} {row_id}: {change.get('reason', '')}")
        csvio.write(path, header, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else EDITS))
