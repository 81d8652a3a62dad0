from typing import Any

from fastapi import status
from pydantic import BaseModel


class ErrorDetail(BaseModel):
    detail: str


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for error statuses, each with FastAPI's `{"detail": ...}` body."""
    descriptions = {
        status.HTTP_400_BAD_REQUEST: "The request cannot be carried out as it stands",
        status.HTTP_401_UNAUTHORIZED: "Missing or invalid credentials",
        status.HTTP_403_FORBIDDEN: "Not allowed for this user",
        status.HTTP_404_NOT_FOUND: "No such resource",
        status.HTTP_409_CONFLICT: "Conflicts with the current state",
        status.HTTP_429_TOO_MANY_REQUESTS: "Rate limited; see Retry-After",
        status.HTTP_503_SERVICE_UNAVAILABLE: "A dependency is unavailable",
    }
    return {code: {"model": ErrorDetail, "description": descriptions[code]} for code in codes}
