"""Copier migration for services rendered before 0.4.0.

From 0.4.0 on, the migrations ship inside the package (src/PACKAGE/migrations), so that an
installed service runs them too. `copier update` moves the template's revisions there; the
revisions the owner added to migrations/versions are the owner's files, which Copier leaves in
place, where Alembic would no longer find them. This moves them beside the template's and
removes the old folder once nothing of the owner's is left in it. Run by `copier update` in
the service's directory:

    python migrations_into_package.py PACKAGE
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def move_owner_revisions(project: Path, package: str) -> list[str]:
    """Move the revisions left in migrations/versions into the package; their names."""
    old = project / "migrations"
    new = project / "src" / package / "migrations" / "versions"
    moved = []
    for revision in sorted((old / "versions").glob("*.py")):
        revision.rename(new / revision.name)
        moved.append(revision.name)
    for cache in old.rglob("__pycache__"):
        shutil.rmtree(cache)
    for folder in (old / "versions", old):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return moved


if __name__ == "__main__":
    if moved := move_owner_revisions(Path(), sys.argv[1]):
        print(f"FastForge 0.4.0: moved {', '.join(moved)} into src/{sys.argv[1]}/migrations")
