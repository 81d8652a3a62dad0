from fastapi import APIRouter, Response, status
from prometheus_client import CONTENT_TYPE_LATEST

from ..core.config import SettingsDep
from ..core.db import EngineDep
from ..core.metrics import exposition
from ..core.redis import RedisDep
from .schemas import ExtendedHealth, Health
from .service import check_dependencies

router = APIRouter(prefix="/health", tags=["health"])
# Served unless METRICS_ENABLED=false in production (see main.py).
metrics_router = APIRouter(tags=["health"])


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


@metrics_router.get(
    "/metrics",
    summary="Prometheus metrics, summed over the workers",
    operation_id="metrics",
    response_class=Response,
    responses={
        status.HTTP_200_OK: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}
    },
)
async def metrics() -> Response:
    return Response(exposition(), media_type=CONTENT_TYPE_LATEST)
