"""The `dev` command: the service with reload, on local servers unless their URLs are set."""

import os
from contextlib import ExitStack
from pathlib import Path

import uvicorn

from ..core.config import ServiceSettings
from ..core.migrations import PACKAGE, upgrade_head
from .local_services import ensure_database, local_postgres, local_redis

SOURCE = Path(__file__).resolve().parents[1]
DATA = SOURCE.parents[1] / ".dev"


class ConfiguredServers(ServiceSettings):
    """The servers `.env` or the environment name, if any."""

    DATABASE_URL: str | None = None
    REDIS_URL: str | None = None


def serve(host: str, port: int) -> None:
    configured = ConfiguredServers()
    with ExitStack() as stack:
        if not configured.DATABASE_URL:
            server = stack.enter_context(local_postgres(DATA / "postgres"))
            os.environ["DATABASE_URL"] = ensure_database(server, PACKAGE)
        if not configured.REDIS_URL:
            os.environ["REDIS_URL"] = stack.enter_context(local_redis(DATA / "redis"))
        upgrade_head()
        uvicorn.run(
            f"{PACKAGE}.main:create_app",
            factory=True,
            host=host,
            port=port,
            reload=True,
            reload_dirs=[str(SOURCE)],
        )
