"""The page templates: one Jinja environment, auto-escaping, shared by the book and the printed codebook."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).parent / "templates"


@cache
def env() -> Environment:
    # Data reaches pages only through these templates, escaped. MyST never sees a data string: each
    # fragment is written to its own file and included with a raw directive, which is not parsed.
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context) -> str:
    return env().get_template(template).render(**context)
