"""The OpenAPI document is fit for generated clients, errors and their codes included."""

import re
from pathlib import Path
from typing import Any

from httpx import AsyncClient

METHODS = {"get", "put", "post", "delete", "patch"}
# Answers whose body the contract defines otherwise: the readiness report.
NOT_ERRORS = {("GET /health/extended", "503")}
README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def documented_operations() -> set[str]:
    """The operations the README's endpoint tables name: a row starts `| GET, PUT `/path` |`."""
    endpoints = README.split("\n## Endpoints\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([A-Z, ]+) `([^`?]+)", endpoints, flags=re.MULTILINE)
    return {f"{method.strip()} {path}" for methods, path in rows for method in methods.split(",")}


def schema(document: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    name = reference["$ref"].rsplit("/", 1)[-1]
    found: dict[str, Any] = document["components"]["schemas"][name]
    return found


async def test_every_operation_is_named_tagged_and_summarised(client: AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    ids = [operation["operationId"] for _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    for name, operation in operations(document):
        assert operation.get("summary") and operation.get("tags"), name


async def test_error_statuses_carry_a_body_with_a_code(client: AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    for name, operation in operations(document):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")) and (name, status) not in NOT_ERRORS:
                reference = response["content"]["application/json"]["schema"]
                assert "code" in schema(document, reference)["properties"], f"{name} {status}"


async def test_input_is_declared_with_its_422(client: AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    for name, operation in operations(document):
        if operation.get("parameters") or operation.get("requestBody"):
            declared = operation["responses"].get("422")
            assert declared, f"{name} reads input and declares no 422"
            reference = declared["content"]["application/json"]["schema"]
            assert "errors" in schema(document, reference)["properties"], name


async def test_bearer_routes_declare_their_401(client: AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    for name, operation in operations(document):
        if operation.get("security"):
            assert "401" in operation["responses"], name


async def test_the_readme_documents_exactly_the_operations(client: AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert documented_operations() == {name for name, _ in operations(document)}


async def test_every_auth_operation_documents_the_per_ip_limit(client: AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    for name, operation in operations(document):
        if " /auth/" in name:
            assert "`rate_limited`" in operation["responses"]["429"]["description"], name


async def test_a_route_documents_its_codes_beside_its_routers(client: AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    refusal = document["paths"]["/auth/update-phone"]["post"]["responses"]["401"]
    assert "`not_authenticated`" in refusal["description"]
    assert "`reauthentication_required`" in refusal["description"]
    assert "WWW-Authenticate" in refusal["headers"]
