import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from .events import EventType


class EventView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    type: EventType
    user_id: uuid.UUID | None
    actor_id: uuid.UUID | None
    created_at: datetime
    ip_address: str | None
    user_agent: str | None
    details: dict[str, Any]


class EventPage(BaseModel):
    items: list[EventView]
    total: int
    offset: int
    limit: int
