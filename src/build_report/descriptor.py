"""Descriptor: datapackage.json is JSON, an object, and every resource it lists can be read safely.

Failures name table "datapackage", the resource (its name, or resources[i] when it has none) as the
row, and the property as the field. Paths are refused before anything is opened (`inside`). This is the
package reader's own guard (package.py loads through it), so it sits below the package and imports no check.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path, PurePosixPath
from typing import Any

from . import patterns
from .failures import DataError, Failure
from .fieldtypes import DUCK_TYPES, parse_value

DESCRIPTOR = "datapackage.json"
MAX_DESCRIPTOR_BYTES = 16 * 1024 * 1024

RULES = {
    "descriptor-readable": "datapackage.json is a regular file inside the package, UTF-8, of sane size",
    "descriptor-is-json": "datapackage.json parses as JSON",
    "descriptor-is-object": "datapackage.json is a JSON object",
    "descriptor-no-duplicate-keys": "no JSON object of datapackage.json names a key twice (a parser keeps only one of them)",
    "descriptor-has-resources": "the descriptor lists its resources in a non-empty array",
    "resource-is-object": "every resource is a JSON object",
    "resource-has-name": "every resource has a name of lower-case letters, digits, '.', '_' or '-'",
    "resource-name-unique": "no two resources share a name",
    "resource-has-path": "every resource names one file by a relative path",
    "path-inside-package": "no path is absolute, a URL, climbs out with '..', or is a symlink leading outside the package",
    "file-exists": "every resource's file exists",
    "file-is-regular": "every resource's file is a regular file (not a folder, device or pipe)",
    "resource-has-schema": "every CSV resource has a Table Schema",
    "schema-has-fields": "a schema lists its fields in a non-empty array",
    "field-is-valid": "every field is an object with a unique name (case-insensitively) and a supported type",
    "constraint-is-valid": "constraints are known, of the right type, and patterns compile",
    "schema-has-primary-key": "every table has a primary key naming its fields",
    "foreign-key-resolves": "every foreign key names fields of its own and of an existing resource",
}


class PathRefused(DataError):
    """A path that is not a regular file inside the package. `rule` names why."""

    def __init__(self, rule: str, reason: str):
        self.rule, self.reason = rule, reason
        super().__init__(reason)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def inside(root: Path, rel: object) -> Path:
    """The real path of `rel` (a package-relative POSIX path) if it is a regular file inside root.

    Checked without opening anything: lexically first (absolute, URL, `..`, backslash, NUL), then
    with realpath (which follows symlinks by reading the links, never the files). Raises PathRefused.
    """
    if not isinstance(rel, str) or not rel:
        raise PathRefused("resource-has-path", "path must be one relative file path (a non-empty string)")
    if "\x00" in rel or "\\" in rel:
        raise PathRefused("path-inside-package", "path holds a NUL or a backslash")
    if _SCHEME.match(rel) or rel.startswith("//"):
        raise PathRefused("path-inside-package", "path is a URL; only files inside the package are read")
    p = PurePosixPath(rel)
    if p.is_absolute():
        raise PathRefused("path-inside-package", "path is absolute; it must be relative to the package root")
    if ".." in p.parts:
        raise PathRefused("path-inside-package", "path climbs out of the package with '..'")
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, *p.parts))
    if os.path.commonpath([real, real_root]) != real_root:
        raise PathRefused(
            "path-inside-package", "path is a symlink (or passes through one) leading outside the package"
        )
    try:
        st = os.stat(real)
    except FileNotFoundError:
        raise PathRefused("file-exists", "no such file") from None
    except OSError as e:
        raise PathRefused("file-exists", f"cannot be examined ({e.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise PathRefused("file-is-regular", "not a regular file (a folder, device or pipe)")
    return Path(real)


NAME = re.compile(r"^[a-z0-9._-]+$")
CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength"}


def _fail(row: str, field: str, rule: str, value: str) -> Failure:
    return Failure("datapackage", row, field, rule, value, "structure")


class DuplicateKey(ValueError):
    """A JSON object names a key twice."""


def _no_duplicates(pairs: list) -> dict:
    out: dict = {}
    for k, v in pairs:
        if k in out:
            raise DuplicateKey(k)
        out[k] = v
    return out


def read(root: Path) -> tuple[dict | None, list[Failure]]:
    """Read datapackage.json: (descriptor, []) or (None, [the failure])."""
    try:
        path = inside(root, DESCRIPTOR)
    except PathRefused as e:
        return None, [_fail("-", "-", "descriptor-readable" if e.rule != "path-inside-package" else e.rule, e.reason)]
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_DESCRIPTOR_BYTES + 1)
    except OSError as e:
        return None, [_fail("-", "-", "descriptor-readable", f"cannot be read ({e.strerror})")]
    if len(data) > MAX_DESCRIPTOR_BYTES:
        return None, [_fail("-", "-", "descriptor-readable", f"larger than {MAX_DESCRIPTOR_BYTES} bytes")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, [_fail("-", "-", "descriptor-readable", f"not UTF-8 (byte {e.start})")]
    if text.startswith("\ufeff"):
        return None, [_fail("-", "-", "descriptor-readable", "starts with a byte-order mark")]
    try:
        descriptor = json.loads(text, object_pairs_hook=_no_duplicates)
    except DuplicateKey as e:
        return None, [
            _fail("-", "-", "descriptor-no-duplicate-keys", f"the key {e.args[0]!r} appears twice in one object")
        ]
    except json.JSONDecodeError as e:
        return None, [_fail("-", "-", "descriptor-is-json", f"{e.msg} at line {e.lineno}, column {e.colno}")]
    except RecursionError:
        return None, [_fail("-", "-", "descriptor-is-json", "nested too deeply")]
    if not isinstance(descriptor, dict):
        return None, [_fail("-", "-", "descriptor-is-object", f"a JSON {_kind(descriptor)}")]
    return descriptor, []


def _kind(v: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(v), "number")


def check(root: Path, descriptor: dict, linear: bool = True) -> tuple[list[Failure], set[str]]:
    """Every fault of the descriptor's resources, and the names of the resources that are sound."""
    out: list[Failure] = []
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        what = (
            "missing"
            if resources is None
            else f"a JSON {_kind(resources)}"
            if not isinstance(resources, list)
            else "empty"
        )
        return [_fail("-", "resources", "descriptor-has-resources", what)], set()
    seen: dict[str, int] = {}
    good: dict[str, dict] = {}
    for i, res in enumerate(resources):
        row = f"resources[{i}]"
        if not isinstance(res, dict):
            out.append(_fail(row, "-", "resource-is-object", f"a JSON {_kind(res)}"))
            continue
        name = res.get("name")
        if not isinstance(name, str) or not NAME.match(name):
            out.append(_fail(row, "name", "resource-has-name", "missing" if name is None else str(name)))
            continue
        row = name
        if name in seen:
            out.append(_fail(name, "name", "resource-name-unique", f"resources[{seen[name]}] and resources[{i}]"))
            good.pop(name, None)
            continue
        seen[name] = i
        n = len(out)
        try:
            inside(root, res.get("path"))
        except PathRefused as e:
            out.append(_fail(row, "path", e.rule, e.reason))
        tabular = (
            res.get("profile") == "tabular-data-resource"
            or res.get("format") == "csv"
            or (isinstance(res.get("path"), str) and res["path"].lower().endswith(".csv"))
        )
        if "schema" in res or tabular:
            out += _schema(row, res.get("schema"), linear)
        if len(out) == n:
            good[name] = res
    # Foreign keys, once every resource's own schema is known to be sound. A key into a resource
    # that exists but has its own fault is not reported again (structure skips it).
    named = {r["name"]: r for r in resources if isinstance(r, dict) and isinstance(r.get("name"), str)}
    twice = {n for n in named if sum(1 for r in resources if isinstance(r, dict) and r.get("name") == n) > 1}
    for name, res in list(good.items()):
        if "schema" not in res:
            continue
        problems = _foreign_keys(name, res["schema"], named, twice)
        if problems:
            out += problems
            good.pop(name)
    return out, set(good)


def _names(v: Any) -> list | None:
    """A field list as Table Schema allows it: one name or an array of names."""
    if isinstance(v, str):
        return [v]
    if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
        return v
    return None


def _schema(row: str, schema: Any, linear: bool = True) -> list[Failure]:
    if schema is None:
        return [_fail(row, "schema", "resource-has-schema", "a CSV resource without a schema")]
    if not isinstance(schema, dict):
        return [_fail(row, "schema", "resource-has-schema", f"a JSON {_kind(schema)}")]
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return [
            _fail(
                row,
                "schema.fields",
                "schema-has-fields",
                "missing" if fields is None else f"a JSON {_kind(fields)}" if not isinstance(fields, list) else "empty",
            )
        ]
    out = []
    names: set[str] = set()  # lower case: two fields may not differ only in case
    exact: set[str] = set()  # as written: a key names a field exactly (a key in another case is not a field)
    for j, f in enumerate(fields):
        where = f"schema.fields[{j}]"
        if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not f["name"]:
            out.append(_fail(row, where, "field-is-valid", "a field needs a non-empty name"))
            continue
        where = f"schema.fields[{f['name']}]"
        if f["name"].lower() in names:
            out.append(_fail(row, where, "field-is-valid", "duplicate field name"))
        names.add(f["name"].lower())
        exact.add(f["name"])
        ftype = f.get("type", "string")
        if ftype not in DUCK_TYPES:
            out.append(
                _fail(row, where + ".type", "field-is-valid", f"type {ftype!r} is not one of {', '.join(DUCK_TYPES)}")
            )
            continue
        if f.get("format", "default") != "default":
            out.append(_fail(row, where + ".format", "field-is-valid", f"format {f.get('format')!r} is not supported"))
        out += _constraints(row, where, ftype, f.get("constraints", {}), linear)
    if out:
        return out
    pk = _names(schema.get("primaryKey"))
    if pk is None or any(k not in exact for k in pk):
        value = str(schema.get("primaryKey", "missing"))
        if pk is not None and all(k.lower() in names for k in pk):
            value += " (written in another case than its field: names are case-sensitive)"
        out.append(_fail(row, "schema.primaryKey", "schema-has-primary-key", value))
    return out


def _constraints(row: str, where: str, ftype: str, c: Any, linear: bool = True) -> list[Failure]:
    where += ".constraints"
    if not isinstance(c, dict):
        return [_fail(row, where, "constraint-is-valid", f"a JSON {_kind(c)}")]
    out = []
    for k, v in c.items():
        bad = None
        if k not in CONSTRAINTS:
            bad = "unknown constraint"
        elif k in ("required", "unique"):
            bad = None if isinstance(v, bool) else "must be true or false"
        elif k == "enum":
            if not isinstance(v, list) or not v:
                bad = "must be a non-empty array"
            elif any(parse_value(ftype, x if isinstance(x, str) else json.dumps(x))[1] for x in v):
                bad = f"values must be {ftype} values"
        elif k == "pattern":
            if not isinstance(v, str):
                bad = "must be a string"
            else:
                bad = patterns.check(v, linear)
        elif k in ("minLength", "maxLength"):
            bad = None if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else "must be a whole number"
        elif k in ("minimum", "maximum"):
            if ftype not in ("integer", "number", "date") or isinstance(v, bool):
                bad = f"not allowed on a {ftype} field"
            elif parse_value(ftype, v if isinstance(v, str) else json.dumps(v))[1]:
                bad = f"must be a {ftype} value"
        if bad:
            out.append(_fail(row, f"{where}.{k}", "constraint-is-valid", bad))
    return out


def _foreign_keys(name: str, schema: dict, named: dict, twice: set) -> list[Failure]:
    fks = schema.get("foreignKeys", [])
    if not isinstance(fks, list):
        return [_fail(name, "schema.foreignKeys", "foreign-key-resolves", f"a JSON {_kind(fks)}")]
    own = {f["name"] for f in schema["fields"]}
    out = []
    for j, fk in enumerate(fks):
        where = f"schema.foreignKeys[{j}]"
        ref = fk.get("reference") if isinstance(fk, dict) else None
        fields = _names(fk.get("fields")) if isinstance(fk, dict) else None
        if (
            fields is None
            or not isinstance(ref, dict)
            or _names(ref.get("fields")) is None
            or not isinstance(ref.get("resource", ""), str)
        ):
            out.append(
                _fail(name, where, "foreign-key-resolves", "needs fields and a reference with a resource and fields")
            )
            continue
        target = ref.get("resource", "") or name
        rfields = _names(ref["fields"]) or []
        if len(rfields) != len(fields) or any(f not in own for f in fields):
            out.append(
                _fail(name, where, "foreign-key-resolves", f"fields {', '.join(fields)} are not all fields of {name}")
            )
            continue
        if target in twice:
            continue  # ambiguous: the duplicate name is reported on the resource
        if target not in named:
            out.append(_fail(name, where, "foreign-key-resolves", f"resource {target!r} does not exist"))
            continue
        tschema = named[target].get("schema")
        tfields = tschema.get("fields") if isinstance(tschema, dict) else None
        if not isinstance(tfields, list):
            continue  # the target's own fault is reported on the target
        theirs = {f.get("name") for f in tfields if isinstance(f, dict)}
        if any(f not in theirs for f in rfields):
            out.append(
                _fail(
                    name,
                    where,
                    "foreign-key-resolves",
                    f"{target} has no field {', '.join(f for f in rfields if f not in theirs)}",
                )
            )
    return out
