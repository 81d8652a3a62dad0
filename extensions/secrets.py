"""A Jinja global that draws fresh secrets for the rendered `.env`.

The secrets are produced while rendering, never asked as questions, so they
cannot end up in the answers file.
"""

from __future__ import annotations

import secrets

from jinja2 import Environment
from jinja2.ext import Extension


class SecretsExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals["random_secret"] = lambda nbytes=48: secrets.token_urlsafe(nbytes)
