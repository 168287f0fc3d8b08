"""Words: a coded value agrees with the words its own row writes about it (model.WRITTEN_DATES, NAMED_PLACES).

A date that a row's summary or URL writes in full, and an area that a row names as written, are the row's own
evidence for its coded date and place: a date shifted, or a place pointed at another row, contradicts them.
"""

from __future__ import annotations

import duckdb

from .. import model
from ..datewords import written_dates
from ..package import _q, records
from . import Failure

CHECK = "coherence"

RULES = {
    "date-as-written": "a date that its row's words (summary, URL) write in full is one of the full dates written there",
    "area-names-its-place": "an area as written is one of the names of the place it is coded as",
}


def check(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    for table, field, texts in model.WRITTEN_DATES:
        key = model.TABLES[table].key
        for r in records(
            con,
            f"SELECT {_q(key)} AS id, TRY_CAST({_q(field)} AS DATE) AS d, "
            f"{', '.join(f'{_q(t)}::VARCHAR AS {_q(t)}' for t in texts)} FROM {_q(table)} "
            f"WHERE TRY_CAST({_q(field)} AS DATE) IS NOT NULL ORDER BY 1",
        ):
            written = set().union(*(written_dates(r[t] or "") for t in texts))
            if written and r["d"] not in written:
                out.append(
                    Failure(
                        table,
                        str(r["id"]),
                        field,
                        "date-as-written",
                        f"{r['d']}; its words write {', '.join(sorted(map(str, written)))}",
                        CHECK,
                    )
                )
    for table, ref, words in model.NAMED_PLACES:
        key = model.TABLES[table].key
        for r in records(
            con,
            f"SELECT s.{_q(key)} AS id, s.{_q(ref)} AS ref, s.{_q(words)}::VARCHAR AS w, "
            "p.name_as_written::VARCHAR AS name_as_written, p.standard_name::VARCHAR AS standard_name "
            f"FROM {_q(table)} s JOIN places p ON p.place_id = s.{_q(ref)} WHERE s.{_q(words)} IS NOT NULL ORDER BY 1",
        ):
            names = {model.norm_name(n) for n in [r["standard_name"], *(r["name_as_written"] or "").split(";")]}
            if model.norm_name(r["w"]) not in names:
                out.append(
                    Failure(
                        table,
                        str(r["id"]),
                        ref,
                        "area-names-its-place",
                        f"{r['w']!r} is not a name of {r['ref']} ({r['standard_name']})",
                        CHECK,
                    )
                )
    return out
