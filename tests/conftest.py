"""Fixtures: the committed template, and each variant of the catalogue rendered and synced."""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from . import services
from .projects import TEST_VERSION, VARIANTS, Rendered, Variant, clean_clone

SERVICES = pytest.StashKey[ExitStack]()


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
        # A test module's fixtures of one variant live until its last test of that variant.
        metafunc.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS], scope="module")


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Every test of one variant on one worker, in order, sharing one render and its database;
    every other test wherever there is room."""
    from xdist.scheduler import LoadScopeScheduling

    class ByVariant(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((v.name for v in VARIANTS if nodeid.endswith(f"[{v.name}]")), nodeid)

    return ByVariant(config, log)


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean clone of the committed template: what users get, never the dirty work tree."""
    return clean_clone(tmp_path_factory.mktemp("template") / "fastforge")


@pytest.fixture(scope="session")
def renders() -> dict[str, Rendered]:
    return {}


@pytest.fixture(scope="module")
def rendered(
    template: Path, variant: Variant, renders: dict[str, Rendered], copie_session: Any
) -> Rendered:
    """The variant rendered and synced, with a fresh database and Redis database of its own."""
    if variant.name not in renders:
        result = copie_session.copy(
            extra_answers=variant.answers, template_dir=template, vcs_ref=TEST_VERSION
        )
        if result.exception is not None:
            raise result.exception
        project = Rendered(
            result.project_dir,
            variant,
            database_url=services.fresh_database(f"variant_{variant.name.replace('-', '_')}"),
            redis_url=services.fresh_redis_database(),
        )
        project.sync()
        renders[variant.name] = project
    return renders[variant.name]
