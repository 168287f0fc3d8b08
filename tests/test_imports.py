"""The import graph of src/: data flows one way, so no module imports one above it, no two modules import
each other (directly or round a loop), and no project import hides inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "build_report"

# The layers, lowest first. A module may import modules of its own layer or of a lower one, never of a higher
# one. "checks.*" stands for every module under checks/ not named elsewhere.
LAYERS: list[tuple[str, list[str]]] = [
    (
        "model",
        [
            "lookalike",
            "patterns",
            "model",
            "failures",
            "fieldtypes",
            "csvio",
            "scope",
            "lexicon",
            "datewords",
            "coding",
            "geo",
            "geo.extract",
            "citation",
        ],
    ),
    ("descriptor", ["descriptor"]),
    ("package", ["package", "releases", "outputs", "links", "loaders", "artefacts"]),
    ("coder", ["coder", "reliability"]),
    ("queries", ["queries"]),
    ("derived columns", ["derive"]),
    ("checks", ["checks", "checks.*"]),
    ("rule registry", ["checks.registry"]),
    ("gate", ["validate", "authoring", "bench", "mutate"]),
    ("figures", ["figures"]),
    ("charts", ["charts", "chart_files", "locator"]),
    ("engine", ["engine"]),
    ("pages", ["rendering", "source_pages", "codebook", "query_page"]),
    ("book", ["book"]),
    ("release", ["release"]),
    ("gate command", ["gate"]),
    ("commands", ["cli", "__main__", ""]),
]


def modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / PACKAGE).rglob("*.py"):
        parts = path.relative_to(SRC / PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def layer_of(name: str) -> int:
    for i, (_, names) in enumerate(LAYERS):
        if name in names:
            return i
    for i, (_, names) in enumerate(LAYERS):
        if any(n.endswith(".*") and name.startswith(n[:-1]) for n in names):
            return i
    raise AssertionError(f"module {name!r} has no layer: add it to LAYERS in tests/test_imports.py")


def imports(name: str, path: Path, known: set[str]) -> list[tuple[str, int, bool]]:
    """(imported project module, line, inside a function) for every import statement of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            in_function.update(id(n) for n in ast.walk(node) if n is not node)
    out = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name.removeprefix(PACKAGE + ".") for a in node.names if a.name.split(".")[0] == PACKAGE]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").split(".")[0] == PACKAGE:
                module = (node.module or "").removeprefix(PACKAGE).lstrip(".")
            else:
                continue
            for a in node.names:
                sub = f"{module}.{a.name}" if module else a.name
                targets.append(sub if sub in known else module)
        for t in targets:
            out.append((t, node.lineno, id(node) in in_function))
    return out


def graph() -> tuple[dict[str, set[str]], list[str]]:
    mods = modules()
    edges: dict[str, set[str]] = {m: set() for m in mods}
    hidden = []
    for name, path in mods.items():
        for target, line, inner in imports(name, path, set(mods)):
            assert target in mods, f"{name} imports {target!r}, which is not a module of src/{PACKAGE}"
            if target != name:
                edges[name].add(target)
            if inner:
                hidden.append(f"{path.relative_to(SRC)}:{line} imports {target} inside a function")
    return edges, hidden


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each a cycle or a knot of them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    edges, _ = graph()
    assert cycles(edges) == []


def test_no_project_import_inside_a_function():
    _, hidden = graph()
    assert hidden == []


def test_no_import_from_a_lower_layer_to_a_higher_one():
    edges, _ = graph()
    upward = [
        f"{a} ({LAYERS[layer_of(a)][0]}) imports {b} ({LAYERS[layer_of(b)][0]})"
        for a, targets in sorted(edges.items())
        for b in sorted(targets)
        if layer_of(b) > layer_of(a)
    ]
    assert upward == []


def test_the_checks_can_fail(tmp_path):
    """The graph test sees what it must: a loop, an import in a function and an upward import."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    path = tmp_path / "charts.py"
    path.write_text("from . import figures\n\n\ndef f():\n    from .book import render\n", encoding="utf-8")
    assert imports("charts", path, set(modules())) == [("figures", 1, False), ("book", 5, True)]
    assert layer_of("book") > layer_of("charts") > layer_of("figures")
