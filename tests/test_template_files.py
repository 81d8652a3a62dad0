"""The template's files: no two render to one path, where the one Copier writes last would
silently replace the other."""

from collections import Counter

from .projects import REPO_ROOT

TEMPLATE = REPO_ROOT / "template"


def test_no_two_template_files_render_to_one_path() -> None:
    targets = Counter(
        str(path.relative_to(TEMPLATE)).removesuffix(".jinja")
        for path in TEMPLATE.rglob("*")
        if path.is_file()
    )
    assert [target for target, count in targets.items() if count > 1] == []
