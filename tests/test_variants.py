"""Every variant of the catalogue, rendered and proven: clean output, lint, migrations, suite."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from .projects import Rendered, Variant, run

pytestmark = pytest.mark.slow

JINJA_LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|\{#|%\}|#\}")

# What each unselected option must leave no trace of, searched case-insensitively in every file.
SMS_TRACES = {
    "twilio": ["twilio"],
    "vonage": ["vonage", "nexmo"],
}
EMAIL_LOGIN_TRACES = [
    "EMAIL_SERVICE_TYPE",
    "verify-email",
    "update-email",
    "is_email_verified",
    "email_login",
]
# A real SMS provider brings a fake of its API for the tests; console needs none.
CONSOLE_SMS_TRACES = ["httpserver", "SMS_TIMEOUT_SECONDS"]
NO_CI_TRACES = ["dependabot", "actions/checkout"]
EMAIL_PROVIDER_TRACES = {"smtp": ["smtp"]}
NO_KUBERNETES_TRACES = ["kustomize", "kubectl"]
# The Kubernetes version the manifests are checked against: the oldest still supported.
KUBERNETES_VERSION = "1.32.0"
MANIFEST_KINDS = {
    "ConfigMap",
    "Deployment",
    "HorizontalPodAutoscaler",
    "NetworkPolicy",
    "PodDisruptionBudget",
    "Service",
}


# Answer -> the setting whose default it must be.
SETTING_OF_ANSWER = {
    "project_name": "APP_NAME",
    "auth_rate_limit": "AUTH_RATE_LIMIT",
    "otp_send_limit": "OTP_SEND_LIMIT",
    "otp_max_attempts": "OTP_MAX_ATTEMPTS",
    "otp_attempt_window_minutes": "OTP_ATTEMPT_WINDOW_MINUTES",
    "otp_expire_minutes": "OTP_EXPIRE_MINUTES",
    "access_token_expire_minutes": "ACCESS_TOKEN_EXPIRE_MINUTES",
    "refresh_token_expire_days": "REFRESH_TOKEN_EXPIRE_DAYS",
    "sms_provider": "SMS_SERVICE_TYPE",
    "email_provider": "EMAIL_SERVICE_TYPE",
}


def forbidden_traces(answers: dict[str, Any]) -> list[str]:
    def unchosen(table: dict[str, list[str]], chosen: object) -> list[str]:
        return [word for name, words in table.items() if name != chosen for word in words]

    traces = unchosen(SMS_TRACES, answers["sms_provider"])
    if answers["sms_provider"] == "console":
        traces += CONSOLE_SMS_TRACES
    if answers["ci_provider"] == "none":
        traces += NO_CI_TRACES
    if answers["deploy"] != "kubernetes":
        traces += NO_KUBERNETES_TRACES
    if not answers["email_login"]:
        return traces + EMAIL_LOGIN_TRACES + unchosen(EMAIL_PROVIDER_TRACES, None)
    return traces + unchosen(EMAIL_PROVIDER_TRACES, answers["email_provider"])


def test_no_template_syntax_left(rendered: Rendered) -> None:
    jinja_files = [p for p in rendered.files() if p.suffix == ".jinja"]
    assert jinja_files == []
    leftovers = [
        f"{path.relative_to(rendered.path)}:{number}: {line.strip()}"
        for path in rendered.files()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1)
        if JINJA_LEFTOVER.search(line)
    ]
    assert leftovers == []


def test_unselected_options_leave_no_trace(rendered: Rendered) -> None:
    words = forbidden_traces(rendered.answers)
    # The answers file names every question, answered or not.
    files = [path for path in rendered.files() if path.name != ".copier-answers.yml"]
    found = [
        f"{path.relative_to(rendered.path)}: {word}"
        for path in files
        for word in words
        if word.lower() in path.read_text(errors="replace").lower()
        or word.lower() in str(path.relative_to(rendered.path)).lower()
    ]
    assert found == []


def test_ruff_is_clean(rendered: Rendered) -> None:
    rendered.run("ruff", "check", ".")
    rendered.run("ruff", "format", "--check", ".")


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the variants a worker checks: what they share, mostly the libraries'
    stubs, is analysed once; whatever differs is found by its hash and analysed again."""
    return tmp_path_factory.mktemp("mypy-cache")


def test_mypy_is_clean(rendered: Rendered, mypy_cache: Path) -> None:
    rendered.run("mypy", "--cache-dir", str(mypy_cache), "src", "tests")


# The declared defaults of every settings class, read without building one (a real provider
# needs credentials). The classes live beside the code that reads them: import every module.
DEFAULTS_SCRIPT = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    if not module.name.endswith(".__main__"):
        importlib.import_module(module.name)
base = importlib.import_module(package.__name__ + ".core.config").ServiceSettings
classes, pending = set(), [base]
while pending:
    cls = pending.pop()
    classes.add(cls)
    pending += cls.__subclasses__()
fields = {name: f.default for cls in classes for name, f in cls.model_fields.items()}
print(json.dumps(fields, default=str))
"""


def test_answers_are_the_settings_defaults(rendered: Rendered, variant: Variant) -> None:
    assert {key: rendered.answers[key] for key in variant.answers} == variant.answers
    output = rendered.run("python", "-c", DEFAULTS_SCRIPT, rendered.package)
    settings = json.loads(output.strip().splitlines()[-1])
    expected = {
        setting: rendered.answers[answer]
        for answer, setting in SETTING_OF_ANSWER.items()
        if answer in rendered.answers
    }
    assert {setting: settings.get(setting) for setting in expected} == expected
    assert ("EMAIL_SERVICE_TYPE" in settings) == rendered.answers["email_login"]


def test_kubernetes_manifests_build_and_validate(rendered: Rendered) -> None:
    """Each overlay, built as `kubectl apply -k` would, is valid against Kubernetes' schemas
    (offline, strict: no field the API would drop)."""
    if rendered.answers["deploy"] != "kubernetes":
        assert not (rendered.path / "deploy").exists()
        return
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl (with its built-in kustomize) is not installed")
    overlays = sorted((rendered.path / "deploy" / "kubernetes" / "overlays").iterdir())
    assert [overlay.name for overlay in overlays] == ["production"]
    for overlay in overlays:
        built = run(["kubectl", "kustomize", str(overlay)], rendered.path)
        resources = [resource for resource in yaml.safe_load_all(built) if resource]
        assert {resource["kind"] for resource in resources} == MANIFEST_KINDS
        for resource in resources:
            kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
        assert "kind: Secret" not in built  # referenced, never written


def test_migrations_match_the_models(rendered: Rendered) -> None:
    rendered.run("alembic", "upgrade", "head", DATABASE_URL=rendered.database_url)
    rendered.run("alembic", "check", DATABASE_URL=rendered.database_url)


def test_own_suite_passes(rendered: Rendered, variant: Variant) -> None:
    # With its coverage floor, as the rendered CI runs it.
    output = rendered.run(
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--cov",
        TEST_DATABASE_URL=rendered.database_url,
        TEST_REDIS_URL=rendered.redis_url,
    )
    summary = output.strip().splitlines()[-1]
    passed = re.search(r"(\d+) passed", summary)
    assert passed and "failed" not in summary and "error" not in summary, output
    coverage = re.search(r"^TOTAL\s.*?(\d+%)$", output, flags=re.MULTILINE)
    assert coverage, output
    print(f"{variant.name}: {summary}; coverage {coverage[1]}")
