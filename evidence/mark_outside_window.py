"""A report dated outside its incident's window is a conflict, not a refinement: mark it so.

Run from the package root:  .venv/bin/python evidence/mark_outside_window.py

Rule (stated on the methods page, checked by the gate as report-dated-in-window): a probable original or
independent report of high or medium confidence whose event dates fall outside its incident's date window
becomes relation = conflicting, with different_date among its reasons. The window is not widened for it.
Rerunnable; writes only through build_report.csvio.write.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from build_report import csvio


def main() -> int:
    incidents = {r["incident_id"]: r for r in csvio.read(ROOT / "data" / "incidents.csv")[1]}
    path = ROOT / "data" / "corroborations.csv"
    fields, rows = csvio.read(path)
    for row in rows:
        inc = incidents.get(row["incident_id"])
        if (
            not inc
            or row["relation"] not in ("probable_original", "independent")
            or row["confidence"] not in ("high", "medium")
        ):
            continue
        start, end = row["event_date_start"], row["event_date_end"] or row["event_date_start"]
        if start and (start < inc["date_start"] or end > inc["date_end"]):
            reasons = [r for r in row["reasons"].split(";") if r]
            if "different_date" not in reasons:
                reasons.append("different_date")
            print(
                f"{row['corroboration_id']}: dated {start}..{end}, outside {inc['incident_id']}'s window "
                f"{inc['date_start']}..{inc['date_end']}: {row['relation']} -> conflicting"
            )
            row["relation"], row["reasons"] = "conflicting", ";".join(reasons)
    csvio.write(path, fields, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
