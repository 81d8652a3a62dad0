"""The questions: each validator refuses a bad answer with its message, also from --data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import render

BAD_ANSWERS = [
    ("project_name", "", "The project name is required."),
    ("project_name", "x" * 61, "60 at most"),
    ("project_name", "Tab\there", "printable characters only"),
    ("project_slug", "My-Service", "is not a valid slug"),
    ("project_slug", "service-", "is not a valid slug"),
    ("project_slug", "1service", "is not a valid slug"),
    ("package_name", "my-service", "is not a valid Python identifier"),
    ("package_name", "class", "is a Python keyword"),
    ("package_name", "json", "would shadow the standard library module"),
    ("author_name", " ", "The author name is required."),
    ("author_email", "not-an-address", "does not look like an e-mail address"),
    ("python_version", "3.11", "3.11"),
    ("sms_provider", "carrier-pigeon", "carrier-pigeon"),
    ("email_provider", "sendmail", "sendmail"),
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


@pytest.mark.parametrize(
    ("question", "value", "message"),
    BAD_ANSWERS,
    ids=[f"{question}={value!r}"[:40] for question, value, _ in BAD_ANSWERS],
)
def test_bad_answer_is_refused_with_its_message(
    template: Path, tmp_path: Path, question: str, value: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=question) as refused:
        render(template, tmp_path / "service", {question: value})
    assert message in str(refused.value)
    assert not (tmp_path / "service" / "pyproject.toml").exists()


def test_every_question_has_a_bad_answer_test() -> None:
    config = yaml.safe_load((Path(__file__).parent.parent / "copier.yml").read_text())
    validated = {key for key, spec in config.items() if "validator" in (spec or {})}
    tested = {question for question, _, _ in BAD_ANSWERS}
    assert validated <= tested


def test_secrets_are_fresh_and_stay_out_of_the_answers(template: Path, tmp_path: Path) -> None:
    first = render(template, tmp_path / "one", {})
    second = render(template, tmp_path / "two", {})

    def secrets(path: Path) -> dict[str, str]:
        lines = (path / ".env").read_text().splitlines()
        pairs = dict(line.split("=", 1) for line in lines if not line.startswith("#"))
        return {key: pairs[key] for key in ("SECRET_KEY", "ADMIN_SECRET_KEY")}

    one, two = secrets(first), secrets(second)
    assert all(len(value) >= 32 for value in one.values())
    assert one["SECRET_KEY"] != one["ADMIN_SECRET_KEY"]
    assert one != two
    answers = (first / ".copier-answers.yml").read_text()
    assert all(value not in answers for value in one.values())
    assert ".env" in (first / ".gitignore").read_text().splitlines()
