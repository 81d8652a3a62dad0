"""`copier update`, proven on throwaway git histories built from a clean clone of the template.

Each scenario renders a service, commits it as its owner would, changes it, updates it, and
checks what the owner would look at: conflicts, their edits, the template's changes.
"""

from __future__ import annotations

import filecmp
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml

from . import services
from .conftest import TEST_VERSION, project_env, run
from .releases import releases_before_head

pytestmark = pytest.mark.slow

# A conflict marker opens a line; the READMEs only quote it.
MARKER = re.compile(r"^<<<<<<< before updating", re.MULTILINE)
TWILIO = {"sms_provider": "twilio", "email_login": False}
# Redis DBs the variants leave free (they take 1 to 10).
UPDATED_SUITE_REDIS_DB = 15


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Service Owner")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "owner@example.com")


@pytest.fixture(scope="module")
def previous(template: Path) -> str:
    return releases_before_head(template)[0]


@pytest.fixture(scope="module")
def first(template: Path) -> str:
    """The first release: older than every migration, and the furthest from HEAD."""
    return releases_before_head(template)[-1]


def git(project: Path, *args: str) -> str:
    return run(["git", *args], project)


def commit(project: Path, message: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "--allow-empty", "-m", message)


def render(template: Path, project: Path, ref: str, answers: dict[str, Any]) -> Path:
    copier.run_copy(
        str(template), project, data=answers, defaults=True, unsafe=True, quiet=True, vcs_ref=ref
    )
    git(project, "init", "--quiet", "--initial-branch", "main")
    commit(project, f"Render {ref}")
    return project


def update(project: Path, **answers: Any) -> None:
    copier.run_update(
        project,
        data=answers,
        defaults=True,
        overwrite=True,
        unsafe=True,
        quiet=True,
        conflict="inline",
        vcs_ref=TEST_VERSION,
    )


def report(project: Path, scenario: str) -> None:
    """One line for the record (pytest -s shows it): what the update changed, what conflicts."""
    changed = [line for line in git(project, "status", "--porcelain").splitlines() if line]
    print(f"\n{scenario}: {len(changed)} files changed, conflicts in {files_with_markers(project)}")


def package(project: Path) -> Path:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return project / "src" / answers["package_name"]


def files_with_markers(project: Path) -> list[str]:
    files = (path for path in project.rglob("*") if ".git" not in path.parts and path.is_file())
    return sorted(
        str(path.relative_to(project)) for path in files if MARKER.search(path.read_text("latin-1"))
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1))


def make_owner_edits(project: Path) -> None:
    """A changed line in a file the template also changes elsewhere, a module, a dependency."""
    edit(
        package(project) / "core" / "config.py",
        "DB_POOL_SIZE: int = Field(default=10, ge=1)",
        "DB_POOL_SIZE: int = Field(default=20, ge=1)",
    )
    (package(project) / "extras.py").write_text('def greeting() -> str:\n    return "hello"\n')
    edit(
        project / "pyproject.toml",
        '    "uvicorn[standard]>=0.32",\n',
        '    "uvicorn[standard]>=0.32",\n    "rich>=13.9",\n',
    )
    commit(project, "Owner edits")


def assert_owner_edits_kept(project: Path) -> None:
    assert (
        "DB_POOL_SIZE: int = Field(default=20, ge=1)"
        in (package(project) / "core" / "config.py").read_text()
    )
    assert (package(project) / "extras.py").exists()
    assert '"rich>=13.9"' in (project / "pyproject.toml").read_text()


def differences(left: Path, right: Path) -> Iterator[str]:
    """Files that differ between two trees, ignoring git, secrets, environments and caches."""
    ignored = {".git", ".env", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache"}
    comparison = filecmp.dircmp(left, right, ignore=list(ignored))
    pending = [(comparison, Path())]
    while pending:
        current, prefix = pending.pop()
        for name in current.left_only + current.right_only + current.diff_files:
            yield str(prefix / name)
        pending += [(sub, prefix / name) for name, sub in current.subdirs.items()]


def test_update_from_the_first_release_keeps_owner_edits_and_migrates(
    template: Path, first: str, tmp_path: Path
) -> None:
    project = render(template, tmp_path / "service", first, TWILIO)
    assert "SMS_SERVICE_TYPE" not in (project / ".env").read_text()
    make_owner_edits(project)

    update(project)
    report(project, f"{first} -> HEAD, twilio, with owner edits")

    assert files_with_markers(project) == []
    assert_owner_edits_kept(project)
    assert (package(project) / "auth" / "router.py").exists()  # the template's change arrived
    # The answers name the version now rendered (HEAD may carry a release tag beside the test one).
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    rendered_commit = git(template, "rev-parse", f"{answers['_commit']}^{{commit}}")
    assert rendered_commit == git(template, "rev-parse", "HEAD")
    assert "SMS_SERVICE_TYPE=console" in (project / ".env").read_text()  # the 0.2.0 migration

    commit(project, "Update FastForge")
    env = project_env(
        TEST_DATABASE_URL=services.fresh_database("updated_suite"),
        TEST_REDIS_URL=services.redis_database(UPDATED_SUITE_REDIS_DB),
    )
    run(["uv", "sync", "--quiet"], project, env)
    for check in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["pytest", "-q"]):
        run(["uv", "run", "--no-sync", *check], project, env)


def test_update_from_the_previous_release_equals_a_fresh_render(
    template: Path, previous: str, tmp_path: Path
) -> None:
    project = render(template, tmp_path / "updated", previous, {})
    update(project)
    report(project, f"{previous} -> HEAD, defaults")
    fresh = render(template, tmp_path / "fresh", TEST_VERSION, {})
    assert files_with_markers(project) == []
    assert sorted(differences(project, fresh)) == []


def test_changed_answers_give_a_fresh_render_plus_owner_edits(
    template: Path, tmp_path: Path
) -> None:
    project = render(template, tmp_path / "updated", TEST_VERSION, {})
    make_owner_edits(project)
    update(project, **TWILIO)
    report(project, "HEAD -> HEAD, sms_provider console -> twilio, email_login true -> false")

    fresh = render(template, tmp_path / "fresh", TEST_VERSION, TWILIO)
    make_owner_edits(fresh)
    assert files_with_markers(project) == []
    assert sorted(differences(project, fresh)) == []
    assert not (package(project) / "notifications" / "email.py").exists()


def test_update_to_the_same_version_changes_nothing(template: Path, tmp_path: Path) -> None:
    project = render(template, tmp_path / "service", TEST_VERSION, {})
    make_owner_edits(project)
    update(project)
    report(project, "HEAD -> HEAD, with owner edits")
    assert git(project, "status", "--porcelain") == ""


def test_a_conflict_shows_as_inline_markers(template: Path, first: str, tmp_path: Path) -> None:
    # From the first release: the lines around the edited one have changed since.
    project = render(template, tmp_path / "service", first, {})
    main = package(project) / "main.py"
    edit(main, "app.include_router(health_router)", "app.include_router(health_router)  # ours")
    commit(project, "Owner edits a line the template rewrites")

    update(project)
    report(project, f"{first} -> HEAD, owner edit on a line the template rewrites")

    assert files_with_markers(project) == [str(main.relative_to(project))]
    text = main.read_text()
    assert "# ours" in text and "=======" in text and ">>>>>>> after updating" in text
    # Git sees the conflict too: the owner resolves it before committing.
    status = subprocess.run(
        ["git", "diff", "--check"], cwd=project, capture_output=True, text=True, check=False
    )
    assert "leftover conflict marker" in status.stdout


def test_the_secrets_are_never_replaced(template: Path, previous: str, tmp_path: Path) -> None:
    project = render(template, tmp_path / "service", previous, {})
    before = (project / ".env").read_text()
    update(project)
    assert (project / ".env").read_text() == before
