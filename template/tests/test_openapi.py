"""The OpenAPI document is fit for generated clients."""

from httpx import AsyncClient

METHODS = {"get", "put", "post", "delete", "patch"}


async def test_every_operation_is_named_tagged_and_summarised(client: AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    operations = [
        operation
        for path in document["paths"].values()
        for method, operation in path.items()
        if method in METHODS
    ]
    ids = [operation["operationId"] for operation in operations]
    assert len(ids) == len(set(ids))
    assert all(operation.get("summary") and operation.get("tags") for operation in operations)


async def test_error_statuses_carry_a_detail_model(client: AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for code, response in operation["responses"].items():
                if code.startswith(("4", "5")) and code not in {"422", "429"}:
                    schema = response.get("content", {}).get("application/json", {}).get("schema")
                    assert schema, f"{method.upper()} {path} {code} has no body model"
