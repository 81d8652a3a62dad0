"""The scripts `copier update` runs when it crosses a release, as functions on files."""

from __future__ import annotations

from pathlib import Path

import pytest

from .projects import load_module

console = load_module("upgrades/console_providers_in_dotenv.py")
packaged = load_module("upgrades/migrations_into_package.py")
merging = load_module("upgrades/merge_revision_heads.py")


@pytest.mark.parametrize(
    ("sms", "smtp", "added"),
    [
        ("twilio", True, ["SMS_SERVICE_TYPE=console", "EMAIL_SERVICE_TYPE=console"]),
        ("vonage", False, ["SMS_SERVICE_TYPE=console"]),
        ("console", True, ["EMAIL_SERVICE_TYPE=console"]),
        ("console", False, []),
    ],
)
def test_console_lines_are_added_for_real_providers(
    tmp_path: Path, sms: str, smtp: bool, added: list[str]
) -> None:
    env = tmp_path / ".env"
    env.write_text("SECRET_KEY=kept\n")
    assert console.add_console_providers(env, sms, smtp) == added
    appended = f"\n{console.NOTE}\n" + "".join(f"{line}\n" for line in added) if added else ""
    assert env.read_text() == "SECRET_KEY=kept\n" + appended
    assert console.add_console_providers(env, sms, smtp) == []  # a second run adds nothing


def test_a_setting_the_owner_made_is_left_alone(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("SMS_SERVICE_TYPE=twilio\n")
    assert console.add_console_providers(env, "twilio", False) == []
    assert env.read_text() == "SMS_SERVICE_TYPE=twilio\n"


def test_no_env_file_no_change(tmp_path: Path) -> None:
    assert console.add_console_providers(tmp_path / ".env", "twilio", True) == []
    assert not (tmp_path / ".env").exists()


def test_the_owners_revisions_move_into_the_package(tmp_path: Path) -> None:
    old = tmp_path / "migrations" / "versions"
    new = tmp_path / "src" / "acme" / "migrations" / "versions"
    old.mkdir(parents=True)
    new.mkdir(parents=True)
    (old / "20270101_abcd_owner.py").write_text("revision = 'abcd'\n")
    (old / "__pycache__").mkdir()
    (old / "__pycache__" / "x.pyc").write_bytes(b"")
    assert packaged.move_owner_revisions(tmp_path, "acme") == ["20270101_abcd_owner.py"]
    assert (new / "20270101_abcd_owner.py").read_text() == "revision = 'abcd'\n"
    assert not (tmp_path / "migrations").exists()


def test_other_files_of_the_owner_keep_the_old_folder(tmp_path: Path) -> None:
    old = tmp_path / "migrations"
    (old / "versions").mkdir(parents=True)
    (tmp_path / "src" / "acme" / "migrations" / "versions").mkdir(parents=True)
    (old / "NOTES.md").write_text("ours\n")
    assert packaged.move_owner_revisions(tmp_path, "acme") == []
    assert (old / "NOTES.md").exists() and not (old / "versions").exists()


def revisions(tmp_path: Path, **chain: str | tuple[str, ...] | None) -> Path:
    """A package's versions folder holding one revision file per `name=down_revision`."""
    versions = tmp_path / "src" / "acme" / "migrations" / "versions"
    versions.mkdir(parents=True)
    for name, down in chain.items():
        (versions / f"2027_{name}.py").write_text(
            f'"""{name}"""\n\nrevision: str = "{name}"\ndown_revision = {down!r}\n'
        )
    return versions


def test_a_forked_chain_gets_one_merge_revision(tmp_path: Path) -> None:
    versions = revisions(tmp_path, r1=None, r2="r1", r3="r2", own1="r2", own2="own1")
    (versions / "README").write_text("not a revision\n")
    merge = merging.merge_heads(tmp_path, "acme")
    assert merge is not None and merge.parent == versions
    assert merging.read_revision(merge)[1] == ["own2", "r3"]
    assert merging.heads(versions) == [merging.read_revision(merge)[0]]
    assert merging.merge_heads(tmp_path, "acme") is None  # one head now: nothing more to do


def test_a_merge_revision_counts_as_following_each_head(tmp_path: Path) -> None:
    versions = revisions(tmp_path, r1=None, r2="r1", own1="r1", m=("r2", "own1"))
    assert merging.heads(versions) == ["m"]
    assert merging.merge_heads(tmp_path, "acme") is None


def test_a_single_chain_is_left_alone(tmp_path: Path) -> None:
    versions = revisions(tmp_path, r1=None, r2="r1")
    assert merging.merge_heads(tmp_path, "acme") is None
    assert sorted(path.name for path in versions.iterdir()) == ["2027_r1.py", "2027_r2.py"]
