"""Record what each report's killed figure counts (corroborations.killed_described_as).

Run from the package root:  .venv/bin/python evidence/killed_categories.py

A refined killed range keeps categories apart: a report's figure refines an incident's range only when it
counts the same people as the claim (civilians with civilians, children with children). This script codes
the category of the reports that can refine a range (probable original or independent, high or medium
confidence, with a killed figure), each from the words of the row's title or summary, which are quoted beside
it. "people" is used when the report counts the dead without saying they were all civilians, or counts
fighters too. Rerunnable; writes only through build_report.csvio.write.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from build_report import csvio

# row -> (category, the words of its title or summary the category rests on)
CODED = {
    "COR-0016": (
        "civilians",
        "SNHR monthly and incident reports count civilians (probable original of '99 civilians')",
    ),
    "COR-0017": ("people", "81 dead, of whom 52 civilians/prisoners and 29 fighters"),
    "COR-0018": ("civilians", "killed 100 named civilians"),
    "COR-0019": ("civilians", "at least 100 civilians killed"),
    "COR-0020": ("civilians", "eight children and their teacher"),
    "COR-0021": ("civilians", "eight children and a teacher"),
    "COR-0022": ("civilians", "eight children and a teacher"),
    "COR-0023": ("children", "eight children killed"),
    "COR-0025": ("people", "killed eight incl. three children"),
    "COR-0026": ("people", "eight killed including three children"),
    "COR-0028": ("people", "Arabic summary of the Telegraph report (eight killed)"),
    "COR-0030": ("civilians", "52-96 civilians killed"),
    "COR-0031": ("people", "killed at least 40"),
    "COR-0032": ("people", "including civilians, fighters and prisoners"),
    "COR-0034": ("people", "51 dead / at least 10 dead"),
    "COR-0037": ("women_and_children", "seven civilians, all women and children"),
    "COR-0044": ("civilians", "eight children and a teacher"),
    "COR-0045": ("civilians", "killed dozens of civilians"),
    "COR-0046": ("civilians", "title: more than 35 civilians"),
    "COR-0047": ("civilians", "Arabic version of the same report"),
    "COR-0049": ("civilians", "Over 60 killed; the page calls them civilians (second-pass review killed-categories)"),
    "COR-0060": ("people", "40 killed in nine raids"),
    "COR-0061": ("people", "toll rose from 35 to 51"),
    "COR-0062": ("people", "killed 27 in Raqqa and about 30 in Tabiya Jazira and al-Bulayl"),
    "COR-0063": ("people", "Over thirty killed, including women and children"),
    "COR-0064": ("civilians", "killed seven civilians"),
    "COR-0065": ("women_and_children", "seven civilians, all women and children"),
    "COR-0076": ("civilians", "killed 15 civilians"),
    "COR-0077": ("civilians", "15 killed; the page calls them civilians (second-pass review killed-categories)"),
    "COR-0078": (
        "civilians",
        "15 killed (Haritan strikes); the page calls them civilians (second-pass review killed-categories)",
    ),
    "COR-0080": ("civilians", "killed more than fifty civilians"),
    "COR-0082": ("civilians", "killed six civilians"),
    "COR-0094": ("civilians", "killed ten civilians"),
    "COR-0109": ("worshippers", "at least 10 worshippers killed"),
    "COR-0133": ("civilians", "killed eight civilians, seven of them in Burj al-Qai"),
}
FIELD, AFTER = "killed_described_as", "killed_max"


def main() -> int:
    path = ROOT / "data" / "corroborations.csv"
    fields, rows = csvio.read(path)
    if FIELD not in fields:
        fields.insert(fields.index(AFTER) + 1, FIELD)
    for row in rows:
        row[FIELD] = CODED.get(row["corroboration_id"], (row.get(FIELD) or "", ""))[0]
    missing = set(CODED) - {r["corroboration_id"] for r in rows}
    if missing:
        raise SystemExit(f"unknown rows: {sorted(missing)}")
    csvio.write(path, fields, rows)
    print(f"{sum(1 for r in rows if r[FIELD])} reports with a killed category")
    return 0


if __name__ == "__main__":
    sys.exit(main())
