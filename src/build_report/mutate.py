"""The mutation campaign: plausible lies generated from the data model, each validated in process.

The package is read and checked once. Each mutant is one plausible edit (a date shifted, a pair swapped, a
reference pointed at another row, an entity duplicated, a descriptor key dropped, ...), made inside a DuckDB
transaction on the rows the gate loaded, checked by the gate's own checks, and rolled back. A mutant is killed
when the gate reports any failure (the real package has none); a survivor is a mutant that passes. Survivors
listed in mutation_equivalents.csv beside this module (kind, table, field, row, reason: package data, reviewed)
are equivalent edits and do not count.

`python -m build_report mutate` runs every mutant and writes docs/mutation.md.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from . import descriptor, model, validate
from .checks import Failure, coherence, structure
from .failures import DataError
from .package import Package, _q

# The reviewed equivalent mutants: package data of the tool, not of its tests.
EQUIVALENTS = Path(__file__).resolve().parent / "mutation_equivalents.csv"
# Kinds that change a coded value against the words of its quote: killed by the agreement rule of the
# double-coding issue (24), not by this gate yet.
CODED = {
    "coded-drop-co-perpetrator",
    "coded-drop-target",
    "coded-drop-weapon",
    "coded-more-than-as-exact",
    "coded-people-as-children",
    "coded-country-level-place",
    "coded-unnamed-outlet",
}
# The gate's stages that cost most per mutant, in increasing cost (measured on the real package); the others run
# before them.
COSTLY = ["provenance", "truth", "meaning", "agreement"]
CONFUSABLE = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "c": "\u0441", "p": "\u0440", "i": "\u0456"}


@dataclass
class Mutant:
    kind: str
    table: str
    row: str
    field: str
    what: str
    cells: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # (table, row, field, value)
    inserts: list[tuple[str, dict]] = field(default_factory=list)
    descriptor: dict | None = None
    descriptor_text: str | None = None


class Campaign:
    """The package loaded once; mutants evaluated against it."""

    def __init__(self, root: str | Path | None = None):
        self.pkg = Package.load(root)
        self.con = duckdb.connect(config={"threads": 1})
        result = structure.check(self.pkg, self.con)
        names = {r["name"] for r in self.pkg.table_resources()}
        structure.load_typed(self.pkg, self.con, names)
        self.rows: dict[str, dict[str, dict]] = {}
        for t, m in model.TABLES.items():
            cur = self.con.execute(f"SELECT * EXCLUDE (__line) FROM {_q('raw_' + t)} ORDER BY __line")
            cols = [d[0] for d in cur.description]
            self.rows[t] = {r[cols.index(m.key)]: dict(zip(cols, r)) for r in cur.fetchall()}
        self.tmp = Path(tempfile.mkdtemp(prefix="mutate-"))
        base = self.failures_of(Mutant("none", "-", "-", "-", "the package as it is"))
        if result.failures or base:
            raise SystemExit(f"the package does not pass the gate ({len(result.failures) + len(base)} failures)")

    # ---- evaluation ------------------------------------------------------------------------------

    def failures_of(self, m: Mutant, every: bool = False) -> list[Failure]:
        """The gate's failures on the mutant: those of the first stage that finds any, or with every=True those
        of every stage after the structural ones."""
        pkg = self.pkg
        if m.descriptor_text is not None:
            (self.tmp / "datapackage.json").write_text(m.descriptor_text, encoding="utf-8")
            return descriptor.read(self.tmp)[1]
        if m.descriptor is not None:
            pkg = copy.copy(self.pkg)
            pkg.descriptor = m.descriptor
            faults, _ = descriptor.check(self.pkg.root, m.descriptor)
            if faults:
                return faults
        con = self.con
        con.begin()
        try:
            out = self._cells(pkg, m)
            if out:
                return out
            for table, row in m.inserts:
                cols = list(row)
                con.execute(
                    f"INSERT INTO {_q('raw_' + table)} ({', '.join(_q(c) for c in cols)}, __line) "
                    f"VALUES ({', '.join('?' for _ in cols)}, 999999)",
                    [row[c] for c in cols],
                )
            for table, rid, f, value in m.cells:
                key = model.TABLES[table].key
                con.execute(f"UPDATE {_q('raw_' + table)} SET {_q(f)} = ? WHERE {_q(key)} = ?", [value or "", rid])
            touched = {t for t, *_ in m.cells} | {t for t, _ in m.inserts}
            if m.descriptor is None and touched:
                structure.load_typed(pkg, con, touched)
            result = structure.Result()
            result.intact = {r["name"] for r in pkg.table_resources()}
            result.loaded = set(result.intact)
            result.failures += structure._label_fields(pkg, pkg.table_resources())
            for res in pkg.table_resources():
                # Keys can break only in a table written to, or in one that links to it.
                links = {fk["reference"].get("resource") or res["name"] for fk in res["schema"].get("foreignKeys", [])}
                if m.descriptor is not None or res["name"] in touched or links & touched:
                    structure.keys(res, con, result)
            if result.failures:
                return result.failures
            if m.descriptor is not None:
                structure.load_typed(pkg, con, result.intact)
            # Coherence's steps first, then the gate's other checks cheapest first (a mutant is killed by the first
            # failure, so the order changes the time, not the verdict); the contract only for a descriptor mutant
            # (it compares descriptors only).
            later = [
                (name, stage)
                for name, stage in validate.later_stages(pkg, con)
                if name != "coherence" and (name != "contract" or m.descriptor is not None)
            ]
            later.sort(key=lambda ns: COSTLY.index(ns[0]) if ns[0] in COSTLY else -1)
            stages = coherence.steps(pkg, con) + [stage for _, stage in later]
            found: list[Failure] = []
            for stage in stages:
                try:
                    found += stage()
                except (duckdb.Error, DataError) as e:
                    # Exactly what validate.py reports as a check that cannot run on the package (checks-can-run);
                    # anything else is a fault of the gate, and ends the campaign as it would end the validator.
                    found.append(Failure("-", "-", "-", "checks-can-run", f"{type(e).__name__}: {e}", "mutate"))
                    break  # a failed statement ends the transaction's usefulness
                if found and not every:
                    break
            return found
        finally:
            con.rollback()

    def _cells(self, pkg: Package, m: Mutant) -> list[Failure]:
        """Structure's cell rules on the cells the mutant writes (every cell of a table whose schema changed)."""
        out = []
        specs = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in pkg.table_resources()}
        todo = [(t, r, f, v or "") for t, r, f, v in m.cells]
        for t, row in m.inserts:
            todo += [(t, row[model.TABLES[t].key], f, v) for f, v in row.items()]
        if m.descriptor is not None:
            todo += [
                (t, rid, f, v) for t, rows in self.rows.items() for rid, row in rows.items() for f, v in row.items()
            ]
        for t, rid, f, v in todo:
            spec = specs.get(t, {}).get(f)
            if spec is None:
                continue
            required = (spec.get("constraints") or {}).get("required")
            if not v:
                if required:
                    out.append(Failure(t, rid, f, "constraint-required", "", "structure"))
                continue
            rule = structure.hygiene(v)
            if rule:
                out.append(Failure(t, rid, f, rule, v, "structure"))
                continue
            chk = structure._checker(spec)
            err = chk(v) if chk else None
            if err:
                out.append(Failure(t, rid, f, err[0], v, "structure"))
        return out


# ---- generation ------------------------------------------------------------------------------------


def _next(values: list, v):
    """Another value of the list than v (the next one, cyclically)."""
    others = [x for x in values if x != v]
    if not others:
        return None
    later = [x for x in others if str(x) > str(v)]
    return (later or others)[0]


def _date(v: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(v) if v else None
    except ValueError:
        return None


def generate(c: Campaign) -> list[Mutant]:
    rows, out = c.rows, []
    add = out.append
    published = min(_date(r["published_date"]) for r in rows["documents"].values())

    def cell(kind, t, rid, f, v, what):
        add(Mutant(kind, t, rid, f, what, cells=[(t, rid, f, v)]))

    # Dates: +-1 day, +-1 year, before the campaign, after the compilation's publication.
    event_dates = {
        ("incidents", "date_start"),
        ("incidents", "date_end"),
        ("tallies", "period_start"),
        ("tallies", "period_end"),
        ("corroborations", "event_date_start"),
        ("corroborations", "event_date_end"),
    }
    for t, f in model.date_fields():
        for rid, r in rows[t].items():
            d = _date(r[f])
            if d is None:
                continue
            for kind, new in (
                ("date-plus-day", d + dt.timedelta(days=1)),
                ("date-minus-day", d - dt.timedelta(days=1)),
                ("date-plus-year", d + dt.timedelta(days=365)),
                ("date-minus-year", d - dt.timedelta(days=365)),
                ("date-before-campaign", model.CAMPAIGN_START - dt.timedelta(days=1)),
            ):
                cell(kind, t, rid, f, new.isoformat(), f"{d} -> {new}")
            if (t, f) in event_dates and d <= published:
                new = published + dt.timedelta(days=1)
                cell("date-after-publication", t, rid, f, new.isoformat(), f"{d} -> {new}")
    # Ordered pairs: swapped, or the low side raised above the high side.
    for t, low, high in model.pairs():
        for rid, r in rows[t].items():
            a, b = r[low], r[high]
            if a and b and a != b:
                add(Mutant("pair-swap", t, rid, low, f"{a} <-> {b}", cells=[(t, rid, low, b), (t, rid, high, a)]))
            if a and b:
                d = _date(b)
                raised = (d + dt.timedelta(days=1)).isoformat() if d else str(int(float(b)) + 1) if b else None
                cell("pair-raise-low", t, rid, low, raised, f"{low} {a} -> {raised} (above {b})")
    # Places: latitude and longitude swapped; moved to another place's point or gazetteer ID; governorate changed.
    with_point = [rid for rid, r in rows["places"].items() if r["latitude"]]
    codes = sorted(coherence._governorate_names())
    for t in ("places", "crosswalk"):
        for rid, r in rows[t].items():
            if r["latitude"] and r["longitude"]:
                add(
                    Mutant(
                        "latlon-swap",
                        t,
                        rid,
                        "latitude",
                        f"{r['latitude']}, {r['longitude']} swapped",
                        cells=[(t, rid, "latitude", r["longitude"]), (t, rid, "longitude", r["latitude"])],
                    )
                )
    for rid in with_point:
        r = rows["places"][rid]
        other = rows["places"][_next(with_point, rid)]
        add(
            Mutant(
                "place-moved",
                "places",
                rid,
                "latitude",
                f"to {other['place_id']}'s point",
                cells=[
                    ("places", rid, "latitude", other["latitude"]),
                    ("places", rid, "longitude", other["longitude"]),
                ],
            )
        )
    gids = sorted({r["geonames_id"] for r in rows["places"].values() if r["geonames_id"]})
    for rid, r in rows["places"].items():
        if r["geonames_id"]:
            cell(
                "gazetteer-id-moved", "places", rid, "geonames_id", _next(gids, r["geonames_id"]), "another place's ID"
            )
        if r["admin1_code"]:
            new = _next(codes, r["admin1_code"])
            cell("governorate-changed", "places", rid, "admin1_code", new, f"{r['admin1_code']} -> {new}")
    # References: every reference pointed at another row of its table.
    for fk in model.FOREIGN_KEYS:
        targets = sorted(rows[fk.target])
        for rid, r in rows[fk.table].items():
            if r[fk.field]:
                new = _next(targets, r[fk.field])
                cell(f"repoint-{fk.target}", fk.table, rid, fk.field, new, f"{r[fk.field]} -> {new}")
    # Overlap groups: a member dropped, or put into another group.
    groups = sorted(rows["overlap_groups"])
    for t in ("incidents", "tallies"):
        for rid, r in rows[t].items():
            if r["overlap_group"]:
                cell("group-drop", t, rid, "overlap_group", None, f"out of {r['overlap_group']}")
            new = _next(groups, r["overlap_group"])
            cell("group-move", t, rid, "overlap_group", new, f"{r['overlap_group']} -> {new}")
    # Entities duplicated under a new ID; IDs given a variant form.
    for t in ("sources", "places", "search_log"):
        m = model.TABLES[t]
        top = max(int(k.split("-")[1]) for k in rows[t])
        for rid, r in rows[t].items():
            new = dict(r)
            new[m.key] = f"{m.prefix}-{top + 1:0{m.digits}d}"
            if t == "sources" and r["independence_group"] == rid:
                new["independence_group"] = new[m.key]
            add(Mutant(f"duplicate-{t}", t, rid, m.key, f"copied as {new[m.key]}", inserts=[(t, new)]))
    for fk in model.FOREIGN_KEYS:
        for rid, r in rows[fk.table].items():
            v = r[fk.field]
            if not v:
                continue
            prefix, digits = v.split("-", 1)
            for kind, new in (
                ("id-leading-zero", f"{prefix}-0{digits}"),
                ("id-case", v.lower()),
                ("id-lookalike", v.replace("O", "\u041e", 1) if "O" in v else v.replace("C", "\u0421", 1)),
            ):
                if new != v:
                    cell(kind, fk.table, rid, fk.field, new, f"{v} -> {new!r}")
    # Confusable letters in enum values, names and URL hosts.
    for (t, f), values in model.ENUMS.items():
        for rid, r in rows[t].items():
            v = r[f]
            k = next((i for i, ch in enumerate(v or "") if ch in CONFUSABLE), None)
            if k is not None:
                cell("confusable-enum", t, rid, f, v[:k] + CONFUSABLE[v[k]] + v[k + 1 :], f"{v!r} letter {k}")
    for t, f in (("sources", "name"), ("places", "standard_name"), ("corroborations", "url")):
        for rid, r in rows[t].items():
            v = r[f] or ""
            start = v.index("//") + 2 if f == "url" and "//" in v else 0
            k = next((i for i in range(start, len(v)) if v[i] in CONFUSABLE), None)
            if k is not None:
                cell(f"confusable-{f.split('_')[-1]}", t, rid, f, v[:k] + CONFUSABLE[v[k]] + v[k + 1 :], f"letter {k}")
    # URLs: another host; a URL moved to a row of another source.
    cor = rows["corroborations"]
    for rid, r in cor.items():
        host = model.host(r["url"])
        if host:
            new = r["url"].replace(host, "example-" + host, 1)
            cell("url-host", "corroborations", rid, "url", new, f"{host} -> example-{host}")
        other = next((o for o in cor.values() if o["source_id"] != r["source_id"] and o["url"] != r["url"]), None)
        if other:
            cell(
                "url-other-source",
                "corroborations",
                rid,
                "url",
                other["url"],
                f"the URL of {other['corroboration_id']}",
            )
    # Vocabulary: status, relation, outcome, link_status, grading and basis fields to another allowed value.
    for (t, f), values in model.ENUMS.items():
        if f in ("status", "relation", "outcome", "link_status", "grading") or f.endswith("_basis"):
            for rid, r in rows[t].items():
                for v in values:
                    if v != r[f]:
                        cell(f"enum-{f}", t, rid, f, v, f"{r[f]} -> {v}")
    # Fields that others depend on, emptied.
    for rid, r in rows["reviews"].items():
        if r["outcome"] == "corrected":
            cell("empty-fields_changed", "reviews", rid, "fields_changed", None, "emptied")
    for rid, r in rows["places"].items():
        for f in ("coord_origin", "admin1_origin", "origin_query"):
            if r[f]:
                cell(f"empty-{f}", "places", rid, f, None, "emptied")
    for rid, r in rows["claims"].items():
        if r["link_status"] != "recovered":
            cell("empty-recovered-url", "claims", rid, "link_status", "recovered", "recovered without a URL")
    out += _descriptor_mutants(c)
    out += _coded_mutants(c)
    return out


def capped(mutants: list[Mutant], per: int) -> list[Mutant]:
    """At most `per` mutants of each (kind, table, field), spread evenly over its rows (all of them when fewer)."""
    groups: dict[tuple, list[Mutant]] = defaultdict(list)
    for m in mutants:
        groups[(m.kind, m.table, m.field)].append(m)
    out = []
    for ms in groups.values():
        step = max(1.0, len(ms) / per)
        out += [ms[int(i * step)] for i in range(min(per, len(ms)))]
    return out


def _descriptor_mutants(c: Campaign) -> list[Mutant]:
    out = []
    d0 = c.pkg.descriptor
    for i, res in enumerate(d0["resources"]):
        schema = res.get("schema")
        if not schema:
            continue
        name = res["name"]
        for j, fk in enumerate(schema.get("foreignKeys", [])):
            d = copy.deepcopy(d0)
            del d["resources"][i]["schema"]["foreignKeys"][j]
            out.append(Mutant("descriptor-drop-foreign-key", name, "-", str(fk["fields"]), "dropped", descriptor=d))
        d = copy.deepcopy(d0)
        del d["resources"][i]["schema"]["primaryKey"]
        out.append(Mutant("descriptor-drop-primary-key", name, "-", "primaryKey", "dropped", descriptor=d))
        for k, f in enumerate(schema["fields"]):
            for cname, cval in (f.get("constraints") or {}).items():
                d = copy.deepcopy(d0)
                del d["resources"][i]["schema"]["fields"][k]["constraints"][cname]
                out.append(Mutant("descriptor-drop-constraint", name, "-", f["name"], f"{cname} dropped", descriptor=d))
                if cname == "enum":
                    for e in cval:
                        d = copy.deepcopy(d0)
                        d["resources"][i]["schema"]["fields"][k]["constraints"]["enum"].remove(e)
                        out.append(
                            Mutant("descriptor-drop-enum-value", name, "-", f["name"], f"{e} dropped", descriptor=d)
                        )
    text = json.dumps(d0, indent=2, ensure_ascii=False)
    for key in ('"version"', '"name"', '"title"'):
        at = text.index(key)
        line = text[at : text.index("\n", at)].rstrip(",")
        out.append(
            Mutant(
                "descriptor-duplicate-key",
                "datapackage",
                "-",
                key.strip('"'),
                "key written twice",
                descriptor_text=text[:at] + line + ",\n  " + text[at:],
            )
        )
    for v in ("0.2", "v0.3.0", "0.3.0-draft", "next", "1.0.0.0", ""):
        d = copy.deepcopy(d0)
        d["version"] = v
        out.append(Mutant("descriptor-bad-version", "datapackage", "-", "version", repr(v), descriptor=d))
    return out


def _coded_mutants(c: Campaign) -> list[Mutant]:
    """Coded values changed against the quote's words (the kinds of the double-coding issue)."""
    out, rows = [], c.rows
    country = next((k for k, r in rows["places"].items() if r["place_type"] == "country"), None)
    for rid, r in rows["incidents"].items():
        ap = r["alleged_perpetrator"]
        if ap not in ("Russia", "not stated"):
            out.append(
                Mutant(
                    "coded-drop-co-perpetrator",
                    "incidents",
                    rid,
                    "alleged_perpetrator",
                    f"{ap} -> Russia",
                    cells=[("incidents", rid, "alleged_perpetrator", "Russia")],
                )
            )
        if r["target_type"] != "unspecified":
            out.append(
                Mutant(
                    "coded-drop-target",
                    "incidents",
                    rid,
                    "target_type",
                    "-> unspecified",
                    cells=[("incidents", rid, "target_type", "unspecified"), ("incidents", rid, "target_basis", None)],
                )
            )
        if r["weapon"] != "not stated":
            out.append(
                Mutant(
                    "coded-drop-weapon",
                    "incidents",
                    rid,
                    "weapon",
                    "-> not stated",
                    cells=[("incidents", rid, "weapon", "not stated"), ("incidents", rid, "weapon_basis", None)],
                )
            )
        for m in ("killed", "children", "women", "injured", "displaced", "strikes"):
            if r[f"{m}_rule"] == "more_than" and r[f"{m}_min"]:
                n = str(int(r[f"{m}_min"]) - 1)
                out.append(
                    Mutant(
                        "coded-more-than-as-exact",
                        "incidents",
                        rid,
                        f"{m}_rule",
                        f"more than {n} as exactly {n}",
                        cells=[
                            ("incidents", rid, f"{m}_rule", "exact"),
                            ("incidents", rid, f"{m}_min", n),
                            ("incidents", rid, f"{m}_max", n),
                        ],
                    )
                )
        if r["killed_described_as"] == "people":
            out.append(
                Mutant(
                    "coded-people-as-children",
                    "incidents",
                    rid,
                    "killed_described_as",
                    "people -> children",
                    cells=[("incidents", rid, "killed_described_as", "children")],
                )
            )
        if country and r["place_id"] != country:
            out.append(
                Mutant(
                    "coded-country-level-place",
                    "incidents",
                    rid,
                    "place_id",
                    f"-> {country}",
                    cells=[("incidents", rid, "place_id", country)],
                )
            )
    sources = sorted(rows["sources"])
    for rid, r in rows["claims"].items():
        if r["source_id"] and r["source_basis"] in ("named_in_item", "named_in_preceding_text"):
            new = _next(sources, r["source_id"])
            out.append(
                Mutant(
                    "coded-unnamed-outlet",
                    "claims",
                    rid,
                    "source_id",
                    f"{r['source_id']} -> {new}",
                    cells=[("claims", rid, "source_id", new)],
                )
            )
    return out


# ---- the campaign ------------------------------------------------------------------------------------


def equivalents() -> list[dict]:
    """The reviewed equivalent mutants (package data beside this module)."""
    with open(EQUIVALENTS, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def is_equivalent(m: Mutant, eq: list[dict]) -> bool:
    return any(
        e["kind"] == m.kind
        and e["table"] in (m.table, "*")
        and e["field"] in (m.field, "*")
        and e["row"] in (m.row, "*")
        for e in eq
    )


@dataclass
class Outcome:
    mutants: list[Mutant]  # the mutants judged
    killed: dict[int, str]  # index -> first rule
    survivors: list[Mutant]
    equivalent: list[Mutant]
    seconds: float
    generated: int = 0  # mutants generated (more than judged when a budget cut the run short)
    load: tuple[float, float] | None = None  # one-minute load average at the start and at the end


def run(
    c: Campaign, mutants: list[Mutant], eq: list[dict], progress: bool = False, budget: float | None = None
) -> Outcome:
    """Every mutant judged; with a budget (seconds), those judged before it runs out (the rest are left out)."""
    started = time.perf_counter()
    load0 = os.getloadavg()[0]
    generated = len(mutants)
    killed, survivors, equivalent = {}, [], []
    for i, m in enumerate(mutants):
        if budget and time.perf_counter() - started > budget:
            mutants = mutants[:i]
            break
        if progress and i and i % 100 == 0:
            print(
                f"... {i} of {len(mutants)} mutants, {len(killed)} killed, {len(equivalent)} equivalent, "
                f"{len(survivors)} survivors, {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        fails = c.failures_of(m)
        if fails:
            killed[i] = fails[0].rule
        elif is_equivalent(m, eq):
            equivalent.append(m)
        else:
            survivors.append(m)
            if progress:
                print(f"survivor: {m.kind} {m.table} {m.row} {m.field}: {m.what}", file=sys.stderr)
    return Outcome(
        mutants, killed, survivors, equivalent, time.perf_counter() - started, generated, (load0, os.getloadavg()[0])
    )


def sample(mutants: list[Mutant], n: int, seed: int = 32, exclude: set[str] = frozenset()) -> list[Mutant]:
    """n mutants drawn evenly across kinds (every kind represented), reproducibly."""
    by_kind: dict[str, list[Mutant]] = defaultdict(list)
    for m in mutants:
        if m.kind not in exclude:
            by_kind[m.kind].append(m)
    rng = random.Random(seed)
    per = max(1, n // max(1, len(by_kind)))
    out, rest = [], []
    for kind in sorted(by_kind):
        ms = list(by_kind[kind])
        rng.shuffle(ms)
        out += ms[:per]
        rest += ms[per:]
    rng.shuffle(rest)
    return out + rest[: max(0, n - len(out))]  # topped up from the larger kinds


def table(o: Outcome) -> list[tuple[str, int, int, int, int, float]]:
    """(kind, mutants, killed, equivalent, survivors, score %) per kind; score over non-equivalent mutants."""
    total, kill, eqv, surv = Counter(), Counter(), Counter(), Counter()
    for i, m in enumerate(o.mutants):
        total[m.kind] += 1
        kill[m.kind] += i in o.killed
    for m in o.equivalent:
        eqv[m.kind] += 1
    for m in o.survivors:
        surv[m.kind] += 1
    rows = []
    for k in sorted(total):
        denom = total[k] - eqv[k]
        rows.append((k, total[k], kill[k], eqv[k], surv[k], 100.0 * kill[k] / denom if denom else 100.0))
    return rows


def _score(rows, kinds=None) -> float:
    sel = [r for r in rows if kinds is None or kinds(r[0])]
    denom = sum(r[1] - r[3] for r in sel)
    return 100.0 * sum(r[2] for r in sel) / denom if denom else 100.0


def markdown(o: Outcome, commit: str) -> str:
    rows = table(o)
    lines = [
        "# Mutation campaign",
        "",
        "`make mutate` measures the gate against generated lies. From the data model (`src/build_report/model.py`) it",
        "generates mutants of the real package, each one plausible edit on one row or on the descriptor (a date shifted,",
        "a pair swapped, a reference pointed at another row, an entity copied under a new ID, a letter swapped for a",
        "look-alike, a key dropped from the descriptor, ...), on every row and field where the kind applies. Each",
        "mutant is checked in process by the gate's own checks, on the tables loaded once, inside a DuckDB",
        "transaction that is rolled back. A mutant is killed when the gate reports any failure.",
        "",
        "A survivor is either a gap in the gate or an edit that nothing in the package can tell from the truth (an",
        "equivalent mutant). Equivalent ones are listed, each with its reason, in",
        "`src/build_report/mutation_equivalents.csv`, and do not count against the score. The kinds named `coded-*`",
        "change a coded value against the words of its quote; the agreement rule (hand coding against the rule-based",
        "coder) kills them. `tests/test_mutation.py` runs a sample of every kind in `make test`; the gate's known",
        "defects (survivors that are not equivalent) are listed in `tests/mutation_known_survivors.csv`, and the list",
        "can only shrink.",
        "",
        f"Measured at commit `{commit}` on {dt.date.today().isoformat()}: {len(o.mutants)} mutants in {o.seconds:.0f} s"
        + (f" (load average {o.load[0]:.2f} at the start, {o.load[1]:.2f} at the end, on 2 cores)" if o.load else "")
        + (
            f" (a time budget stopped the run after {len(o.mutants)} of the {o.generated} generated; they are drawn "
            "in a shuffled order, so the table is a fair sample of every kind, not the whole campaign)."
            if o.generated > len(o.mutants)
            else "."
        ),
        "",
        f"- Score, all kinds but `coded-*`: **{_score(rows, lambda k: k not in CODED):.1f}%**",
        f"- Score, `coded-*` kinds: {_score(rows, lambda k: k in CODED):.1f}%",
        f"- Score, overall: {_score(rows):.1f}%",
        "",
        "| kind | mutants | killed | equivalent | survivors | score |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [f"| {k} | {n} | {ki} | {e} | {s} | {sc:.1f}% |" for k, n, ki, e, s, sc in rows]
    lines += ["", "## Survivors", ""]
    if not o.survivors:
        lines.append("None.")
    for m in o.survivors:
        lines.append(f"- `{m.kind}` {m.table} {m.row} {m.field}: {m.what}")
    return "\n".join(lines) + "\n"


def summary_json(o: Outcome, commit: str) -> str:
    """The campaign's totals: what `release.measures_markdown` reports."""
    rows = table(o)
    equivalent = sum(r[3] for r in rows)
    return (
        json.dumps(
            {
                "commit": commit,
                "date": dt.date.today().isoformat(),
                "mutants": len(o.mutants),
                "generated": o.generated,
                "killed": sum(r[2] for r in rows),
                "equivalent": equivalent,
                "survivors": sum(r[4] for r in rows),
                "score_percent": round(_score(rows), 1),
                "seconds": round(o.seconds),
                "load_average": list(o.load) if o.load else None,
            },
            indent=2,
        )
        + "\n"
    )


PER_FIELD = 12  # mutants of one kind on one field: enough rows to find a gap, few enough for 15 minutes


def main(
    root: str | None, out: str | None, limit: int | None = None, per: int = PER_FIELD, budget: float | None = None
) -> int:
    c = Campaign(root)
    # The commit measured is the one checked out when the run begins (a commit made during a run is not measured).
    try:
        commit = (
            subprocess.run(
                ["git", "-C", str(c.pkg.root), "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            or "unknown"
        )
    except OSError:
        commit = "unknown"
    mutants = capped(generate(c), per)
    random.Random(32).shuffle(mutants)  # kinds interleaved: a run cut short is still a fair sample
    if limit:
        mutants = sample(mutants, limit)
    o = run(c, mutants, equivalents(), progress=True, budget=budget)
    rows = table(o)
    for k, n, ki, e, s, sc in rows:
        print(f"{k:32} {n:5} killed {ki:5} equivalent {e:4} survivors {s:4} {sc:6.1f}%")
    print(
        f"{len(mutants)} mutants in {o.seconds:.0f} s; score without coded kinds "
        f"{_score(rows, lambda k: k not in CODED):.1f}%, overall {_score(rows):.1f}%"
    )
    for m in o.survivors:
        print(f"survivor: {m.kind} {m.table} {m.row} {m.field}: {m.what}")
    if out:
        Path(c.pkg.root / out).write_text(markdown(o, commit), encoding="utf-8")
        # The same measure as data, beside the page, for the release notes to quote (with the commit measured).
        Path(c.pkg.root / out).with_suffix(".json").write_text(summary_json(o, commit), encoding="utf-8")
    shutil.rmtree(c.tmp, ignore_errors=True)
    bad = [m for m in o.survivors if m.kind not in CODED]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(None, "docs/mutation.md"))
