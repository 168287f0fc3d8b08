"""Groups: an overlap group's membership agrees with what the group says of itself.

A group links rows that may count the same people, so that totals never count them twice. Incidents and tallies
are never added up together (an aggregate statistic is not an incident count), so a group holds one kind. Where
a group's reason names its members by ID, those are its members, all of them; and every group's reason names them,
so that a member dropped from a group, or a row put into one, contradicts the group's own words.
"""

from __future__ import annotations

import re
from collections import defaultdict

import duckdb

from .. import model
from ..package import records
from . import Failure

CHECK = "coherence"

RULES = {
    "overlap-group-one-kind": "an overlap group holds incidents or tallies, never both (an aggregate statistic is "
    "never counted with incident counts)",
    "overlap-group-reason-names-members": "an overlap group's reason names its members by ID: the incidents, tallies "
    "and groups it names are exactly the group's members and the groups within it",
}

_MEMBER_TABLES = ("incidents", "tallies", "overlap_groups")
_ID = re.compile("|".join(rf"\b{model.TABLES[t].prefix}-[0-9]+\b" for t in _MEMBER_TABLES))


def check(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    members: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # group -> table -> IDs
    for table in ("incidents", "tallies"):
        key = model.TABLES[table].key
        for rid, g in con.execute(
            f"SELECT {key}, overlap_group FROM {table} WHERE overlap_group IS NOT NULL ORDER BY 1"
        ).fetchall():
            members[g][table].add(rid)
    groups = records(
        con, "SELECT overlap_group AS g, reason::VARCHAR AS reason, within_group FROM overlap_groups ORDER BY 1"
    )
    for r in groups:
        if r["within_group"]:
            members[r["within_group"]]["overlap_groups"].add(r["g"])
    known = {
        t: {x for (x,) in con.execute(f"SELECT {model.TABLES[t].key} FROM {t}").fetchall()} for t in _MEMBER_TABLES
    }
    for r in groups:
        mine = members.get(r["g"], {})
        if mine.get("incidents") and mine.get("tallies"):
            out.append(
                Failure(
                    "overlap_groups",
                    r["g"],
                    "overlap_group",
                    "overlap-group-one-kind",
                    f"incidents {', '.join(sorted(mine['incidents']))} with tallies {', '.join(sorted(mine['tallies']))}",
                    CHECK,
                )
            )
        # A retired ID named in the history of a group (a row that no longer exists) is not a member.
        named = {x for x in _ID.findall(r["reason"] or "") if x != r["g"] and any(x in known[t] for t in known)}
        have = set().union(*mine.values()) if mine else set()
        missing, extra = sorted(named - have), sorted(have - named)
        if named and not missing and not extra or not have and not named:
            continue
        said = (
            f"names no member by ID; members {', '.join(extra)}"
            if not named
            else "; ".join(
                p
                for p in (
                    f"names {', '.join(missing)}, not members" if missing else "",
                    f"members {', '.join(extra)} not named" if extra else "",
                )
                if p
            )
        )
        out.append(Failure("overlap_groups", r["g"], "reason", "overlap-group-reason-names-members", said, CHECK))
    return out
