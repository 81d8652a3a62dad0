"""The questions: every validator refuses a bad answer with its message, and Copier passes that
message on, also for answers given with --data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml

from .projects import REPO_ROOT, TEST_VERSION, load_module, render

QUESTIONS: dict[str, Any] = {
    key: spec
    for key, spec in yaml.safe_load((REPO_ROOT / "copier.yml").read_text()).items()
    if not key.startswith("_")
}
BAD_ANSWERS = [
    ("project_name", "", "The project name is required."),
    ("project_name", "x" * 61, "60 at most"),
    ("project_name", "Tab\there", "printable characters only"),
    ("project_slug", "My-Service", "is not a valid slug"),
    ("project_slug", "service-", "is not a valid slug"),
    ("project_slug", "1service", "is not a valid slug"),
    ("package_name", "my-service", "is not a valid Python identifier"),
    ("package_name", "class", "is a Python keyword"),
    ("package_name", "match", "is a Python keyword"),
    ("package_name", "json", "would shadow the standard library module"),
    ("author_name", " ", "The author name is required."),
    ("author_email", "not-an-address", "does not look like an e-mail address"),
    ("auth_rate_limit", "3/fortnight", "is not a rate"),
    ("auth_rate_limit", "0/minute", "is not a rate"),
    ("otp_send_limit", "five/hour", "is not a rate"),
    ("otp_max_attempts", 0, "between 1 and 10 wrong codes"),
    ("otp_max_attempts", 11, "between 1 and 10 wrong codes"),
    ("otp_attempt_window_minutes", 1441, "between 1 and 1440 minutes"),
    ("otp_expire_minutes", 11, "between 1 and 10 minutes"),
    ("access_token_expire_minutes", 0, "between 1 and 1440 minutes"),
    ("refresh_token_expire_days", 366, "between 1 and 365 days"),
]


# Loaded from their files, as Copier loads them.
answers, literals, secrets = (
    load_module(f"extensions/{name}.py") for name in ("answers", "literals", "secrets")
)
JINJA = jinja2.Environment(
    extensions=[answers.AnswersExtension, literals.LiteralsExtension, secrets.SecretsExtension],
    undefined=jinja2.StrictUndefined,
)


def problem(question: str, value: Any) -> str:
    """What the question's validator in copier.yml says of `value`: empty when it takes it."""
    return JINJA.from_string(QUESTIONS[question]["validator"]).render({question: value}).strip()


@pytest.mark.parametrize(
    ("question", "value", "message"),
    BAD_ANSWERS,
    ids=[f"{question}={value!r}"[:40] for question, value, _ in BAD_ANSWERS],
)
def test_a_bad_answer_is_refused_with_its_message(question: str, value: Any, message: str) -> None:
    assert message in problem(question, value)


@pytest.mark.parametrize("question", [q for q, spec in QUESTIONS.items() if "validator" in spec])
def test_the_default_answer_is_taken(question: str) -> None:
    default = JINJA.from_string(str(QUESTIONS[question]["default"])).render(
        project_name=QUESTIONS["project_name"]["default"],
        project_slug=answers.slugify(QUESTIONS["project_name"]["default"]),
    )
    value = type(QUESTIONS[question]["default"])(default)
    assert problem(question, value) == ""


def test_every_validated_question_has_a_bad_answer() -> None:
    validated = {key for key, spec in QUESTIONS.items() if "validator" in spec}
    assert validated <= {question for question, _, _ in BAD_ANSWERS}


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ('Acme "Gate" Auth', "acme-gate-auth"),
        ("Über  Service!", "uber-service"),
        ("2 Factor Gate", "factor-gate"),
        ("!!!", "service"),
    ],
)
def test_the_slug_derived_from_the_name_is_valid(name: str, slug: str) -> None:
    assert answers.slugify(name) == slug
    assert answers.slug_problem(slug) == ""


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("plain", '"plain"'),
        ('say "hi"', "'say \"hi\"'"),
        ('it\'s "both"', '"it\'s \\"both\\""'),
        ("back\\slash", '"back\\\\slash"'),
    ],
)
def test_python_literals_read_back_as_the_text(text: str, literal: str) -> None:
    assert literals.py_string(text) == literal
    assert eval(literal) == text


def test_secrets_are_long_and_fresh() -> None:
    drawn = {JINJA.from_string("{{ random_secret() }}").render() for _ in range(50)}
    assert len(drawn) == 50 and all(len(secret) >= 64 for secret in drawn)


def test_copier_refuses_a_bad_answer_given_with_data(template: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="auth_rate_limit") as refused:
        render(template, tmp_path / "service", {"auth_rate_limit": "3/fortnight"}, TEST_VERSION)
    assert "is not a rate" in str(refused.value)
    assert not (tmp_path / "service" / "pyproject.toml").exists()


def test_copier_refuses_an_answer_outside_the_choices(template: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="python_version"):
        render(template, tmp_path / "service", {"python_version": "3.11"}, TEST_VERSION)


def test_the_secrets_go_to_dotenv_and_never_to_the_answers(template: Path, tmp_path: Path) -> None:
    project = render(template, tmp_path / "service", {}, TEST_VERSION)
    lines = (project / ".env").read_text().splitlines()
    pairs = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    secrets_ = [pairs["SECRET_KEY"], pairs["ADMIN_SECRET_KEY"]]
    assert secrets_[0] != secrets_[1] and all(len(secret) >= 32 for secret in secrets_)
    answers_file = (project / ".copier-answers.yml").read_text()
    assert all(secret not in answers_file for secret in secrets_)
    assert ".env" in (project / ".gitignore").read_text().splitlines()
