from typing import Literal

from pydantic import BaseModel

CheckStatus = Literal["ok", "error"]


class Health(BaseModel):
    status: Literal["ok"]


class ExtendedHealth(BaseModel):
    status: CheckStatus
    checks: dict[str, CheckStatus]
