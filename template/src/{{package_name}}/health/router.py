from fastapi import APIRouter, Response, status

from ..core.config import SettingsDep
from ..core.db import EngineDep
from ..core.redis import RedisDep
from .schemas import ExtendedHealth, Health
from .service import check_dependencies

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", summary="Liveness: the process answers", operation_id="health")
async def health() -> Health:
    return Health(status="ok")


@router.get(
    "/extended",
    summary="Readiness: the database and Redis answer",
    operation_id="health_extended",
    responses={status.HTTP_503_SERVICE_UNAVAILABLE: {"model": ExtendedHealth}},
)
async def health_extended(
    response: Response, settings: SettingsDep, engine: EngineDep, redis: RedisDep
) -> ExtendedHealth:
    report = await check_dependencies(engine, redis, settings.HEALTH_CHECK_TIMEOUT_SECONDS)
    if report.status != "ok":
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return report
