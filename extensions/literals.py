"""Filters that turn free-text answers into literals of the languages the template writes.

A project name or description may hold quotes or backslashes; these filters keep the rendered
files valid, and the Python one picks the quotes `ruff format` would pick.
"""

from __future__ import annotations

import json

from jinja2 import Environment
from jinja2.ext import Extension


def py_string(value: str) -> str:
    """A Python string literal, single-quoted only where that spares escapes (as ruff does)."""
    escaped = value.replace("\\", "\\\\").replace("\n", "\\n")
    if '"' in value and "'" not in value:
        return f"'{escaped}'"
    return '"' + escaped.replace('"', '\\"') + '"'


def quoted(value: str) -> str:
    """A double-quoted string as TOML and dotenv files read it."""
    return json.dumps(value, ensure_ascii=False)


class LiteralsExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(py_string=py_string, quoted=quoted)
