"""Speed of the rendered defaults next to a bare FastAPI app, measured in one run.

    uv run python benchmarks/auth_speed.py [--rounds 12] [--round-seconds 1.5] [--seconds 8]

Renders the defaults from a clean clone of the committed template, serves them with one
uvicorn worker next to a bare FastAPI app on the same interpreter, against a PostgreSQL and a
Redis this script starts (or TEST_DATABASE_URL / TEST_REDIS_URL), and reports:

- authenticated GET /users/me throughput as a share of the bare app's GET throughput
  (goal: at least 20 %), as the median of short rounds that alternate the two apps, so that
  both meet the same machine (on a shared host its speed drifts within seconds), with the CPU
  time each server spent per request, which shows whether the server or the load was the limit;
- GET /health p99 latency while 16 clients log in with codes, then while 16 log in with
  passwords (goal: under 10 ms each).

Load comes from raw keep-alive HTTP/1.1 connections; the /health probe runs in a process of its
own, so its latencies are the server's and not the load generator's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import re
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import services
from tests.projects import TEST_VERSION, Project, clean_clone, project_env, render
from tests.servers import Server, serve

PACKAGE = "fastforge_service"
CLIENTS = 16
BARE_APP = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def root() -> dict[str, str]:
    return {"status": "ok"}
"""
CODE_LINE = re.compile(rb"Mock SMS: Sending OTP (\d{6}) to (\S+)")
SERVER_OPTIONS = ("--no-access-log", "--log-level", "info")


def render_defaults(workdir: Path) -> Project:
    template = clean_clone(workdir / "template")
    project = Project(render(template, workdir / "service", {}, TEST_VERSION))
    project.sync()
    return project


class Connection:
    """One keep-alive HTTP/1.1 connection: just enough protocol to time a server, not a client."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        lines = [f"{method} {path} HTTP/1.1", "Host: bench", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    async def post_json(self, path: str, payload: object, **headers: str) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json", **headers}
        return await self.request("POST", path, json.dumps(payload).encode(), headers)


async def throughput(
    port: int, path: str, seconds: float, connections: int, headers: dict[str, str]
) -> float:
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        connection = await Connection.open(port)
        while time.perf_counter() < deadline:
            status, _ = await connection.request("GET", path, headers=headers)
            assert status == 200, status
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return done / (time.perf_counter() - started)


class CodeReader:
    """Follows the server log for the codes the console SMS provider writes there."""

    def __init__(self, log: Path) -> None:
        self.log, self.offset, self.codes = log, 0, dict[str, list[str]]()

    async def next_code(self, phone: str, seen: int) -> str:
        while len(self.codes.get(phone, [])) <= seen:
            with self.log.open("rb") as handle:
                handle.seek(self.offset)
                chunk = handle.read()
            cut = chunk.rfind(b"\n") + 1
            self.offset += cut
            for code, to in CODE_LINE.findall(chunk[:cut]):
                self.codes.setdefault(to.decode(), []).append(code.decode())
            await asyncio.sleep(0.002)
        return self.codes[phone][-1]


def phone(index: int) -> str:
    return f"+1202555{index:04d}"


async def code_logins(port: int, reader: CodeReader, stop: asyncio.Event) -> int:
    logins = 0

    async def client(index: int) -> None:
        nonlocal logins
        connection = await Connection.open(port)
        number = phone(index)
        while not stop.is_set():
            seen = len(reader.codes.get(number, []))
            status, _ = await connection.post_json("/auth/request-otp", {"phone_number": number})
            assert status == 200, status
            code = await reader.next_code(number, seen)
            body = {"phone_number": number, "otp": code}
            status, _ = await connection.post_json("/auth/verify-login-otp", body)
            assert status == 200, status
            logins += 1

    await asyncio.gather(*(client(index) for index in range(CLIENTS)))
    return logins


async def password_logins(port: int, stop: asyncio.Event, password: str) -> int:
    logins = 0
    form = "application/x-www-form-urlencoded"

    async def client(index: int) -> None:
        nonlocal logins
        connection = await Connection.open(port)
        body = urlencode({"username": phone(index), "password": password}).encode()
        while not stop.is_set():
            status, _ = await connection.request(
                "POST", "/auth/login", body, {"Content-Type": form}
            )
            assert status == 200, status
            logins += 1

    await asyncio.gather(*(client(index) for index in range(CLIENTS)))
    return logins


async def set_passwords(port: int, reader: CodeReader, password: str) -> None:
    async def one(index: int) -> None:
        connection = await Connection.open(port)
        number = phone(index)
        seen = len(reader.codes.get(number, []))
        await connection.post_json("/auth/request-otp", {"phone_number": number})
        code = await reader.next_code(number, seen)
        _, tokens = await connection.post_json(
            "/auth/verify-login-otp", {"phone_number": number, "otp": code}
        )
        access = json.loads(tokens)["access_token"]
        body = json.dumps({"new_password": password}).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {access}"}
        status, _ = await connection.request("PUT", "/auth/password", body, headers)
        assert status == 204, status

    await asyncio.gather(*(one(index) for index in range(CLIENTS)))


def probe_health(port: int, seconds: float, results: multiprocessing.Queue[list[float]]) -> None:
    """Sequential GET /health on one connection, in its own process; puts the latencies."""

    async def probe() -> list[float]:
        connection = await Connection.open(port)
        latencies = []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status, _ = await connection.request("GET", "/health")
            latencies.append(time.perf_counter() - started)
            assert status == 200
            await asyncio.sleep(0.005)
        return latencies

    results.put(asyncio.run(probe()))


async def under_load(port: int, seconds: float, load: object) -> tuple[list[float], int]:
    results: multiprocessing.Queue[list[float]] = multiprocessing.Queue()
    prober = multiprocessing.Process(target=probe_health, args=(port, seconds, results))
    stop = asyncio.Event()
    task = asyncio.ensure_future(load(stop))  # type: ignore[operator]
    await asyncio.sleep(0.5)  # the load is running before the first probe
    prober.start()
    latencies = await asyncio.to_thread(results.get)
    stop.set()
    count = await task
    prober.join()
    return latencies, count


def p99(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=100)[98] * 1000


class Round(NamedTuple):
    """One app under load for a while: requests per second, server CPU seconds per request."""

    rate: float
    cpu_per_request: float

    @classmethod
    async def run(
        cls, server: Server, path: str, seconds: float, connections: int, headers: dict[str, str]
    ) -> Round:
        cpu = server.cpu_seconds()
        rate = await throughput(server.port, path, seconds, connections, headers)
        return cls(rate, (server.cpu_seconds() - cpu) / (rate * seconds))

    def __str__(self) -> str:
        return f"{self.rate:6.0f} req/s, {self.cpu_per_request * 1e6:4.0f} µs server CPU/req"


async def measure(args: argparse.Namespace, project: Path, env: dict[str, str]) -> None:
    bare_dir = project / "bench_bare"
    bare_dir.mkdir(exist_ok=True)
    (bare_dir / "bare_app.py").write_text(BARE_APP)
    bare_env = {**env, "PYTHONPATH": str(bare_dir)}
    service = f"{PACKAGE}.main:create_app"
    with (
        serve(project, "bare_app:app", bare_env, ready_path="/", options=SERVER_OPTIONS) as bare,
        serve(project, service, env, options=("--factory", *SERVER_OPTIONS)) as server,
    ):
        bare_server, port = bare, server.port
        reader = CodeReader(server.log)
        password = "benchmark password 1"
        await set_passwords(port, reader, password)
        connection = await Connection.open(port)
        body = urlencode({"username": phone(0), "password": password}).encode()
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        _, tokens = await connection.request("POST", "/auth/login", body, form)
        auth = {"Authorization": f"Bearer {json.loads(tokens)['access_token']}"}

        slice_, connections = args.round_seconds, args.connections
        # Warm both up (connections, caches, prepared statements), then alternate them.
        await throughput(bare_server.port, "/", 1, connections, {})
        await throughput(port, "/users/me", 1, connections, auth)
        rounds = []
        for _ in range(args.rounds):
            bare = await Round.run(bare_server, "/", slice_, connections, {})
            me = await Round.run(server, "/users/me", slice_, connections, auth)
            rounds.append((bare, me))
        seconds = args.seconds
        code_latencies, code_count = await under_load(
            port, seconds, lambda stop: code_logins(port, reader, stop)
        )
        password_latencies, password_count = await under_load(
            port, seconds, lambda stop: password_logins(port, stop, password)
        )

    for number, (bare, me) in enumerate(rounds, start=1):
        print(
            f"round {number:2}: bare GET / {bare}; GET /users/me (bearer) {me}: "
            f"{me.rate / bare.rate:.1%}"
        )
    ratio = statistics.median(me.rate / bare.rate for bare, me in rounds)
    cpu_ratio = statistics.median(bare.cpu_per_request / me.cpu_per_request for bare, me in rounds)
    print(f"GET /users/me / bare GET, median of {len(rounds)} rounds: {ratio:.1%} (goal >= 20%)")
    print(f"  (server CPU per bare GET / per GET /users/me, median: {cpu_ratio:.1%})")
    for name, latencies, count in (
        ("code", code_latencies, code_count),
        ("password", password_latencies, password_count),
    ):
        print(
            f"GET /health p99 while {CLIENTS} clients log in with {name}s: "
            f"{p99(latencies):.2f} ms (median {statistics.median(latencies) * 1000:.2f} ms, "
            f"{len(latencies)} probes, {count / seconds:.0f} logins/s) (goal < 10 ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--round-seconds", type=float, default=1.5, help="per app and round")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8, help="of each login load")
    args = parser.parse_args()
    with ExitStack() as stack, tempfile.TemporaryDirectory() as workdir:
        project = render_defaults(Path(workdir))
        services.start(stack, Path(workdir))
        env = project_env(
            DATABASE_URL=services.fresh_database("benchmark"),
            REDIS_URL=services.fresh_redis_database(),
            SECRET_KEY="benchmark-secret-key-long-enough-0123456789",
            AUTH_RATE_LIMIT="1000000/minute",
            OTP_SEND_LIMIT="1000000/minute",
            LOG_LEVEL="INFO",
        )
        project.run(project.package, "migrate", **env)
        asyncio.run(measure(args, project.path, env))


if __name__ == "__main__":
    main()
