"""The template's releases, as CHANGELOG.md and the tags name them."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

CHANGELOG = Path(__file__).resolve().parent.parent / "CHANGELOG.md"


def releases() -> list[tuple[str, str | None]]:
    """(version, recorded commit or None), newest first."""
    found: list[tuple[str, str | None]] = []
    for line in CHANGELOG.read_text().splitlines():
        if heading := re.match(r"## (\d+\.\d+\.\d+)\b", line):
            found.append((heading[1], None))
        elif (commit := re.match(r"Commit: ([0-9a-f]{7,40})\b", line)) and found:
            found[-1] = (found[-1][0], commit[1])
    return found


def git(clone: Path, *args: str) -> str | None:
    result = subprocess.run(["git", *args], cwd=clone, capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def releases_before_head(clone: Path) -> list[str]:
    """The tags of the releases before HEAD, newest first, tagging their recorded commits
    where tags were not kept."""
    head = git(clone, "rev-parse", "HEAD")
    tags = []
    for version, commit in releases():
        tag = f"v{version}"
        sha = git(clone, "rev-parse", f"{tag}^{{commit}}") or (
            commit and git(clone, "rev-parse", f"{commit}^{{commit}}")
        )
        if not sha or sha == head or git(clone, "merge-base", "--is-ancestor", sha, "HEAD") is None:
            continue
        if not git(clone, "rev-parse", tag):
            git(clone, "tag", tag, sha)
        tags.append(tag)
    if not tags:
        raise LookupError("CHANGELOG.md names no release before HEAD")
    return tags
