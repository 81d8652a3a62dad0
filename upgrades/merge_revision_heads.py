"""Copier migration for releases that add a revision to the service's chain.

An owner's own revisions sit on the template's head of their day. When a release adds its next
revision on that same head, the chain forks, and `alembic upgrade head` refuses to choose. This
writes the merge revision `alembic merge heads` would, so that the update leaves one head: the
deployed database upgrades through the template's new revision, and the owner's stay applied.
Run by `copier update` in the service's directory:

    python merge_revision_heads.py PACKAGE
"""

from __future__ import annotations

import ast
import hashlib
import sys
from pathlib import Path

MERGE = '''"""Merge the template's revisions with the service's own (written by `copier update`).

Revision ID: {revision}
Revises: {down_list}
"""

revision = "{revision}"
down_revision = {down_tuple}
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''


def _names(node: ast.expr | None) -> list[str]:
    """The revision ids an assigned value names: a string, a tuple or list of them, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List):
        return [name for element in node.elts for name in _names(element)]
    return []


def read_revision(path: Path) -> tuple[str, list[str]] | None:
    """(revision, the revisions it follows) of a revision file; None for any other file."""
    assigned: dict[str, ast.expr | None] = {}
    for statement in ast.parse(path.read_text()).body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign):
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name):
            assigned[target.id] = value
    revision = _names(assigned.get("revision"))
    return (revision[0], _names(assigned.get("down_revision"))) if revision else None


def heads(versions: Path) -> list[str]:
    """The revisions of the folder that no other revision follows."""
    chain = [found for path in versions.glob("*.py") if (found := read_revision(path))]
    followed = {parent for _, parents in chain for parent in parents}
    return sorted(revision for revision, _ in chain if revision not in followed)


def merge_heads(project: Path, package: str) -> Path | None:
    """Write the merge revision when the service's chain has several heads; its path."""
    versions = project / "src" / package / "migrations" / "versions"
    tips = heads(versions) if versions.is_dir() else []
    if len(tips) < 2:
        return None
    revision = "merge_" + hashlib.sha256(" ".join(tips).encode()).hexdigest()[:8]
    down_tuple = "(" + ", ".join(f'"{tip}"' for tip in tips) + ")"
    path = versions / f"{revision}.py"
    path.write_text(
        MERGE.format(revision=revision, down_list=", ".join(tips), down_tuple=down_tuple)
    )
    return path


if __name__ == "__main__":
    if written := merge_heads(Path(), sys.argv[1]):
        print(f"FastForge: the service's revisions and the template's meet in {written}")
