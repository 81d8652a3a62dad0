"""Fixtures that render the template from a clean clone and prepare each variant."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml

from . import services

REPO_ROOT = Path(__file__).resolve().parent.parent
VARIANTS_DIR = Path(__file__).parent / "variants"
# The clean clone is tagged above any release, so that Copier renders exactly its HEAD.
TEST_VERSION = "v99.0.0"
SERVICES = pytest.StashKey[ExitStack]()


@dataclass(frozen=True)
class Variant:
    name: str
    answers: dict[str, Any]
    redis_db: int


def load_variants() -> list[Variant]:
    files = sorted(VARIANTS_DIR.glob("*.yml"))
    # Redis DB 0 stays unused, so no variant shares a database with anything else.
    return [
        Variant(path.stem, yaml.safe_load(path.read_text()) or {}, redis_db=index)
        for index, path in enumerate(files, start=1)
    ]


VARIANTS = load_variants()


def pytest_configure(config: pytest.Config) -> None:
    # Only the controller starts servers; the xdist workers inherit the URLs it exports.
    if hasattr(config, "workerinput"):
        return
    stack = ExitStack()
    config.stash[SERVICES] = stack
    services.start(stack, Path(stack.enter_context(tempfile.TemporaryDirectory())))


def pytest_unconfigure(config: pytest.Config) -> None:
    if SERVICES in config.stash:
        config.stash[SERVICES].close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "variant" in metafunc.fixturenames:
        # Every check of one variant runs on one worker, in order, sharing one render.
        metafunc.parametrize(
            "variant",
            [pytest.param(v, id=v.name, marks=pytest.mark.xdist_group(v.name)) for v in VARIANTS],
        )


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; on failure, fail the test with everything it printed."""
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited {result.returncode} in {cwd}:\n{output}")
    return output


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean clone of the committed template: what users get, never the dirty work tree."""
    clone = tmp_path_factory.mktemp("template") / "fastforge"
    run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO_ROOT), str(clone)], REPO_ROOT)
    run(["git", "tag", TEST_VERSION], clone)
    return clone


def render(template: Path, destination: Path, answers: dict[str, Any]) -> Path:
    copier.run_copy(
        str(template),
        destination,
        data=answers,
        defaults=True,
        unsafe=True,
        quiet=True,
        vcs_ref=TEST_VERSION,
    )
    return destination


def project_env(**extra: str) -> dict[str, str]:
    """The environment of a rendered project's commands: this session's venv and pytest left out."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "VIRTUAL_ENV" and not key.startswith(("PYTEST_", "UV_PROJECT_ENVIRONMENT"))
    }
    env.update(extra)
    return env


@dataclass
class Rendered:
    variant: Variant
    path: Path
    database_url: str
    redis_url: str

    @cached_property
    def answers(self) -> dict[str, Any]:
        """The answers as Copier recorded them: the variant's, completed by the defaults."""
        answers: dict[str, Any] = yaml.safe_load((self.path / ".copier-answers.yml").read_text())
        return answers

    @property
    def package(self) -> str:
        return str(self.answers["package_name"])

    def run(self, *args: str, **env: str) -> str:
        return run(["uv", "run", "--no-sync", *args], self.path, project_env(**env))

    def files(self) -> Iterator[Path]:
        skipped = {".venv", ".git", ".pytest_cache", ".ruff_cache", ".mypy_cache", "__pycache__"}
        for path in self.path.rglob("*"):
            if path.is_file() and not skipped & set(path.relative_to(self.path).parts):
                yield path


@pytest.fixture(scope="session")
def renders() -> dict[str, Rendered]:
    return {}


@pytest.fixture
def rendered(
    template: Path,
    variant: Variant,
    renders: dict[str, Rendered],
    tmp_path_factory: pytest.TempPathFactory,
) -> Rendered:
    """The variant rendered, its environment synced, and a fresh database and Redis DB for it."""
    if variant.name not in renders:
        path = render(template, tmp_path_factory.mktemp(variant.name) / "service", variant.answers)
        run(["uv", "sync", "--quiet"], path, project_env())
        renders[variant.name] = Rendered(
            variant,
            path,
            database_url=services.fresh_database(f"variant_{variant.name.replace('-', '_')}"),
            redis_url=services.redis_database(variant.redis_db),
        )
    return renders[variant.name]
