"""Jinja helpers that derive and check answers.

Copier validators are Jinja expressions; these globals give them what plain
Jinja lacks: Python's own notion of identifiers, keywords and stdlib modules.
"""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata

from jinja2 import Environment
from jinja2.ext import Extension


def slugify(value: str) -> str:
    """Lower-case ASCII words joined by single hyphens, as `project_slug` requires."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = "-".join(words).lstrip("0123456789-")
    return slug or "service"


def package_problem(name: str) -> str:
    """Why `name` cannot be the Python package name, or "" when it can."""
    if not name.isidentifier() or not name.isascii():
        return f"'{name}' is not a valid Python identifier (ASCII letters, digits, underscores)."
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"'{name}' is a Python keyword."
    if name in sys.stdlib_module_names:
        return f"'{name}' would shadow the standard library module of the same name."
    return ""


def slug_problem(slug: str) -> str:
    """Why `slug` cannot be the project slug, or "" when it can."""
    if re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", slug):
        return ""
    return (
        f"'{slug}' is not a valid slug: start with a lower-case letter, then lower-case"
        " letters, digits or hyphens, and end with a letter or digit."
    )


def email_problem(address: str) -> str:
    """Why `address` does not look like an e-mail address, or "" when it does."""
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s.]+", address):
        return ""
    return f"'{address}' does not look like an e-mail address (name@domain.tld)."


def rate_problem(limit: str) -> str:
    """Why `limit` is not a rate such as 3/minute, or "" when it is."""
    if re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", limit):
        return ""
    return f"'{limit}' is not a rate: write N/second, N/minute, N/hour or N/day with N at least 1."


class AnswersExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["slugify"] = slugify
        environment.globals.update(
            package_problem=package_problem,
            slug_problem=slug_problem,
            email_problem=email_problem,
            rate_problem=rate_problem,
        )
