"""The template as users get it, and the services rendered from it.

The template is cloned from the committed HEAD and tagged above every release, so that Copier
renders exactly what is committed, never the dirty work tree.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

import copier
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_VERSION = "v99.0.0"


class CommandFailed(AssertionError):
    """A command exited non-zero; its message holds everything the command printed."""


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; on failure, raise with everything it printed."""
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise CommandFailed(f"{' '.join(args)} exited {result.returncode} in {cwd}:\n{output}")
    return output


def load_module(relative_path: str) -> ModuleType:
    """A module of this repository that is not a package's, loaded from its file."""
    path = REPO_ROOT / relative_path
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def git(cwd: Path, *args: str) -> str:
    return run(["git", *args], cwd)


def clean_clone(destination: Path) -> Path:
    """A clone of the committed template, HEAD tagged TEST_VERSION."""
    git(REPO_ROOT, "clone", "--quiet", "--no-hardlinks", str(REPO_ROOT), str(destination))
    git(destination, "tag", TEST_VERSION)
    return destination


def render(template: Path, destination: Path, answers: dict[str, Any], ref: str) -> Path:
    copier.run_copy(
        str(template),
        destination,
        data=answers,
        defaults=True,
        unsafe=True,
        quiet=True,
        vcs_ref=ref,
    )
    return destination


def project_env(**extra: str) -> dict[str, str]:
    """The environment of a rendered project's commands: this session's venv and pytest left
    out, and Python free to cache the bytecode it compiles (the projects are throwaway; without
    the cache, every command the tests start would compile all it imports again)."""
    left_out = ("VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in left_out and not key.startswith(("PYTEST_", "UV_PROJECT_ENVIRONMENT"))
    }
    env.update(extra)
    return env


@dataclass
class Project:
    """A rendered service on disk, with its own environment once synced."""

    path: Path

    @cached_property
    def answers(self) -> dict[str, Any]:
        """The answers as Copier recorded them: the variant's, completed by the defaults."""
        answers: dict[str, Any] = yaml.safe_load((self.path / ".copier-answers.yml").read_text())
        return answers

    @property
    def package(self) -> str:
        return str(self.answers["package_name"])

    def sync(self) -> None:
        run(["uv", "sync", "--quiet"], self.path, project_env())

    def run(self, *args: str, **env: str) -> str:
        return run(["uv", "run", "--no-sync", *args], self.path, project_env(**env))

    def files(self) -> Iterator[Path]:
        skipped = {".venv", ".git", ".pytest_cache", ".ruff_cache", ".mypy_cache", "__pycache__"}
        for path in self.path.rglob("*"):
            if path.is_file() and not skipped & set(path.relative_to(self.path).parts):
                yield path


@dataclass(frozen=True)
class Variant:
    """A set of answers from tests/variants/, rendered and proven as a whole."""

    name: str
    answers: dict[str, Any]


VARIANTS = [
    Variant(path.stem, yaml.safe_load(path.read_text()) or {})
    for path in sorted((Path(__file__).parent / "variants").glob("*.yml"))
]


@dataclass
class Rendered(Project):
    """A variant rendered and synced, with a database and a Redis database of its own."""

    variant: Variant
    database_url: str
    redis_url: str
