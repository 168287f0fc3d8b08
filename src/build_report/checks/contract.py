"""Contract: the latest release's frozen descriptor (releases/<version>/datapackage.json) is the contract
the working descriptor must keep.

Semantic versioning for data packages: a breaking change needs a major version, an addition a minor
one, a correction a patch. Breaking: a resource or field removed, a field's type changed, a constraint
removed or loosened (required or unique turned off, an enum dropped or losing values, a minimum
lowered, a maximum raised, a pattern that accepts what it refused), a primary key or foreign key
dropped or changed, a field's description (its meaning) changed. Additions: a resource, field, enum value, constraint or foreign key added, a
pattern widened so that every released value still matches (e.g. IDs with more digits).

While the working version equals the latest release, the package is unreleased work: breaking
changes fail (declare them by setting a major version), additions are pending and `make release`
demands at least a minor version for them. Once the version is raised, it must cover every change.
The summary names the release compared against (compare()).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from .. import csvio, patterns, releases
from ..package import Package
from . import Failure

RULES = {
    "breaking-change-needs-major-version": "a field, type, constraint, primary or foreign key of the latest release's "
    "descriptor removed, changed or loosened needs a major version (both versions named)",
    "addition-needs-minor-version": "a raised version covers the additions since the latest release: at least a minor version",
    "version-not-behind-release": "the working version is not lower than the latest release",
}

CHECK = "contract"
# Strings that any loosened pattern would start to accept (a pattern widened to '.*' is no widening of IDs).
PROBES = ["", " ", "x", "0", "-", "null", "None", "DROP", "\u00e9"]
LOOSER = {
    "minimum": lambda old, new: new < old,
    "maximum": lambda old, new: new > old,
    "minLength": lambda old, new: new < old,
    "maxLength": lambda old, new: new > old,
}


@dataclass
class Change:
    level: str  # "major" or "minor"
    resource: str
    field: str
    what: str


@dataclass
class Comparison:
    release: str | None
    version: str
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.level == "major"]

    @property
    def additions(self) -> list[Change]:
        return [c for c in self.changes if c.level == "minor"]

    def sentence(self) -> str:
        if not self.release:
            return "No earlier release to compare the descriptor with."
        return (
            f"Descriptor compared with release {self.release} (releases/{self.release}/datapackage.json): "
            f"{len(self.breaking)} breaking change(s), {len(self.additions)} addition(s)"
            + (" pending a minor release." if self.additions and self.version == self.release else ".")
        )


def _released_values(pkg: Package, release: str, resource: dict, name: str) -> list[str]:
    path = releases.record_file(releases.record_dir(pkg.root, release), resource)
    if not os.path.lexists(path):
        return []
    path = pkg.file(path.relative_to(pkg.root).as_posix())  # refused if it leads outside the package
    return [r[name] for r in csvio.read(path)[1] if r.get(name)]


def _accepts(pattern: str, value: str) -> bool:
    """Whether a pattern accepts a value: in RE2 (linear time); a frozen release's pattern that RE2 cannot run
    (lookaround, before patterns were held to RE2) is matched with `re`, only against short released values."""
    try:
        return patterns.fullmatch(pattern)(value)
    except patterns.PatternError:
        pass
    if len(value) > 1000:
        return False
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        return False


def _constraints(pkg: Package, release: str, res: str, old_res: dict, f: str, ca: dict, cb: dict) -> list[Change]:
    out = []
    for k in sorted(set(ca) | set(cb)):
        a: Any = ca.get(k)
        b: Any = cb.get(k)
        if a == b:
            continue
        if k not in cb:
            out.append(Change("major", res, f, f"constraint {k} removed"))
        elif k not in ca:
            out.append(Change("minor", res, f, f"constraint {k} added"))
        elif k in ("required", "unique"):
            out.append(Change("major" if a and not b else "minor", res, f, f"constraint {k} {a} -> {b}"))
        elif k == "enum":
            lost, gained = [v for v in a if v not in b], [v for v in b if v not in a]
            if lost:
                out.append(Change("major", res, f, f"enum values removed: {', '.join(map(str, lost))}"))
            if gained:
                out.append(Change("minor", res, f, f"enum values added: {', '.join(map(str, gained))}"))
        elif k in LOOSER:
            try:
                looser = LOOSER[k](a, b)
            except TypeError:
                looser = True
            out.append(Change("major" if looser else "minor", res, f, f"constraint {k} {a} -> {b}"))
        elif k == "pattern":
            widened = all(_accepts(b, v) for v in _released_values(pkg, release, old_res, f)) and not any(
                _accepts(b, p) and not _accepts(a, p) for p in PROBES
            )
            out.append(
                Change(
                    "minor" if widened else "major",
                    res,
                    f,
                    f"pattern {a} -> {b}" + ("" if widened else " (accepts what it refused)"),
                )
            )
        else:
            out.append(Change("major", res, f, f"constraint {k} {a!r} -> {b!r}"))
    return out


def _keys(schema: dict) -> tuple[list, list]:
    pk = schema.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else list(pk or [])
    fks = [json.dumps(fk, sort_keys=True) for fk in schema.get("foreignKeys", []) or []]
    return pk, fks


def changes(pkg: Package, release: str, old: dict, new: dict) -> list[Change]:
    """Every difference of the working descriptor's resources and schemas from the released ones: the one
    classification of schema changes, used by the gate and by `make release`."""
    out: list[Change] = []
    # A resource without a name is the descriptor check's fault, reported there.
    old_res: dict[str, dict] = {
        r["name"]: r for r in old.get("resources", []) if isinstance(r, dict) and isinstance(r.get("name"), str)
    }
    new_res: dict[str, dict] = {
        r["name"]: r for r in new.get("resources", []) if isinstance(r, dict) and isinstance(r.get("name"), str)
    }
    for name in sorted(old_res.keys() - new_res.keys(), key=str):
        out.append(Change("major", str(name), "-", "resource removed"))
    for name in sorted(new_res.keys() - old_res.keys(), key=str):
        out.append(Change("minor", str(name), "-", "resource added"))
    for name in sorted(old_res.keys() & new_res.keys(), key=str):
        sa, sb = old_res[name].get("schema") or {}, new_res[name].get("schema") or {}
        fa = {f["name"]: f for f in sa.get("fields", []) if isinstance(f, dict) and "name" in f}
        fb = {f["name"]: f for f in sb.get("fields", []) if isinstance(f, dict) and "name" in f}
        for f in sorted(fa.keys() - fb.keys()):
            out.append(Change("major", name, f, "field removed or renamed"))
        for f in sorted(fb.keys() - fa.keys()):
            out.append(Change("minor", name, f, "field added"))
        for f in [f for f in fa if f in fb]:
            a, b = fa[f], fb[f]
            if a.get("type", "string") != b.get("type", "string"):
                out.append(Change("major", name, f, f"type {a.get('type', 'string')} -> {b.get('type', 'string')}"))
            if a.get("format") != b.get("format"):
                out.append(Change("major", name, f, f"format {a.get('format')} -> {b.get('format')}"))
            if a.get("description") != b.get("description"):  # a field's description is its meaning
                out.append(Change("major", name, f, "meaning (description) changed"))
            out += _constraints(
                pkg, release, name, old_res[name], f, a.get("constraints") or {}, b.get("constraints") or {}
            )
        (pka, fka), (pkb, fkb) = _keys(sa), _keys(sb)
        if pka and pka != pkb:
            out.append(Change("major", name, "primaryKey", f"primary key {pka} -> {pkb or 'none'}"))
        for fk in fka:
            if fk not in fkb:
                fields = json.loads(fk).get("fields")
                out.append(Change("major", name, "foreignKeys", f"foreign key on {fields} dropped or changed"))
        for fk in fkb:
            if fk not in fka:
                out.append(Change("minor", name, "foreignKeys", f"foreign key on {json.loads(fk).get('fields')} added"))
    return out


def version_of(pkg: Package) -> str:
    """The version the descriptor carries (`make release VERSION=x` validates the descriptor as it will be
    released, with that version)."""
    return pkg.version


def compare(pkg: Package) -> Comparison:
    """The working descriptor against the latest release's frozen descriptor."""
    release = releases.latest(pkg.root)
    cmp = Comparison(release, version_of(pkg))
    if release is None:
        return cmp
    cmp.changes = changes(pkg, release, releases.frozen_descriptor(pkg.root, release), pkg.descriptor)
    return cmp


def check(pkg: Package) -> list[Failure]:
    cmp = compare(pkg)
    if cmp.release is None:
        return []
    old, new = releases.version_key(cmp.release), releases.version_key(cmp.version)
    if new is None or old is None:
        return []  # structure reports a version that is not MAJOR.MINOR.PATCH
    if new < old:
        return [
            Failure(
                "datapackage",
                "-",
                "version",
                "version-not-behind-release",
                f"{cmp.version} is lower than the latest release {cmp.release}",
                CHECK,
            )
        ]
    out = []
    if new[0] <= old[0]:
        out += [
            Failure(
                "datapackage",
                c.resource,
                c.field,
                "breaking-change-needs-major-version",
                f"{c.what} since release {cmp.release}; version {cmp.version} is not a major version after it",
                CHECK,
            )
            for c in cmp.breaking
        ]
    if new != old and new[:2] == old[:2]:
        out += [
            Failure(
                "datapackage",
                c.resource,
                c.field,
                "addition-needs-minor-version",
                f"{c.what} since release {cmp.release}; version {cmp.version} is only a patch",
                CHECK,
            )
            for c in cmp.additions
        ]
    return out
