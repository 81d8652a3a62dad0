"""Workflow files and Dockerfiles, the template's own and every variant's, checked by the tools
GitHub's users would point at them: the workflow schema, zizmor and hadolint."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from .projects import REPO_ROOT, VARIANTS, Rendered, run

TOOLS = Path(sys.executable).parent


def workflows(root: Path) -> list[Path]:
    return sorted((root / ".github" / "workflows").glob("*.yml"))


def check_github_files(root: Path) -> None:
    files = workflows(root)
    assert files, f"no workflow in {root}"
    schema = TOOLS / "check-jsonschema"
    run([str(schema), "--builtin-schema", "vendor.github-workflows", *map(str, files)], root)
    dependabot = root / ".github" / "dependabot.yml"
    if dependabot.exists():
        run([str(schema), "--builtin-schema", "vendor.dependabot", str(dependabot)], root)
    # zizmor exits non-zero on any finding at or above the given severity.
    zizmor = [str(TOOLS / "zizmor"), "--offline", "--min-severity", "medium"]
    run([*zizmor, str(root / ".github")], root)


def test_the_template_workflows_pass_schema_and_zizmor() -> None:
    check_github_files(REPO_ROOT)


def test_the_template_ci_matrix_is_the_variant_catalogue() -> None:
    workflow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "ci.yml").read_text())
    matrix = workflow["jobs"]["variant"]["strategy"]["matrix"]["variant"]
    assert sorted(matrix) == sorted(variant.name for variant in VARIANTS)


@pytest.mark.slow
def test_rendered_ci_and_dockerfile_pass_the_linters(rendered: Rendered) -> None:
    if rendered.answers["ci_provider"] == "github":
        check_github_files(rendered.path)
    else:
        assert not (rendered.path / ".github").exists()
    run([str(TOOLS / "hadolint"), "--failure-threshold", "info", "Dockerfile"], rendered.path)


def test_the_oldest_copier_job_tests_the_declared_minimum() -> None:
    minimum = yaml.safe_load((REPO_ROOT / "copier.yml").read_text())["_min_copier_version"]
    workflow = (REPO_ROOT / ".github" / "workflows" / "ci.yml").read_text()
    assert f'--with "copier=={minimum}"' in workflow
