"""Speed of the rendered defaults next to a bare FastAPI app, measured in one run.

    uv run python benchmarks/auth_speed.py [--rounds 7] [--round-seconds 1.5] [--storm-seconds 4]
                                           [--service PATH]

Renders the defaults from a clean clone of the committed template (or takes the rendered
service at PATH), serves them with one uvicorn worker next to a bare FastAPI app on the same
interpreter and server flags (uvloop, httptools), against a PostgreSQL and a Redis this script
starts (or TEST_DATABASE_URL / TEST_REDIS_URL), and reports, as the median and range of rounds
that alternate the two apps so that both meet the same machine (a shared host's speed drifts
within seconds):

- GET /users/me (bearer) throughput ÷ the bare app's GET (goal ≥ 0.5);
- POST /auth/request-otp ÷ the bare app's POST of a JSON body (goal ≥ 0.35);
- POST /auth/refresh ÷ the bare POST (goal ≥ 0.25);
- with the server CPU microseconds each request cost, which shows whether the server or the
  load was the limit;
- GET /health p99 while 16 clients log in with codes, then with passwords, in every round
  (goal ≤ 10 ms in each).

Load comes from raw keep-alive HTTP/1.1 connections; the /health probe runs in a process of its
own, so its latencies are the server's and not the load generator's.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import multiprocessing
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

import psycopg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import services
from tests.projects import TEST_VERSION, Project, clean_clone, project_env, render
from tests.servers import Server, serve

PACKAGE = "fastforge_service"
CLIENTS = 16
BARE_APP = """
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Body(BaseModel):
    phone_number: str


@app.get("/")
async def read() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/")
async def write(body: Body) -> dict[str, str]:
    return {"status": "ok"}
"""
CODE_LINE = re.compile(rb"Mock SMS: Sending OTP (\d{6}) to (\S+)")
SERVER_OPTIONS = ("--no-access-log", "--log-level", "info")
PASSWORD = "benchmark password 1"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# Numbers the code requests go to, none of them a logged-in client's.
REQUESTED_NUMBERS = range(1000, 10000)


def benchmark_env(database: str) -> dict[str, str]:
    """The service's environment: a fresh database and Redis database, no limit in the way."""
    unlimited = "1000000000/minute"
    return project_env(
        DATABASE_URL=services.fresh_database(database),
        REDIS_URL=services.fresh_redis_database(),
        SECRET_KEY="benchmark-secret-key-long-enough-0123456789",
        AUTH_RATE_LIMIT=unlimited,
        OTP_SEND_LIMIT=unlimited,
        SMS_COUNTRY_HOURLY_LIMIT="1000000000/hour",
        LOG_LEVEL="INFO",
    )


@contextmanager
def bare_server(project: Path, env: dict[str, str]) -> Iterator[Server]:
    """The bare app, served in the project's interpreter with the service's server flags; its
    module lives in a directory of its own, so nothing is written into the service."""
    with tempfile.TemporaryDirectory() as bare_dir:
        (Path(bare_dir) / "bare_app.py").write_text(BARE_APP)
        bare_env = {**env, "PYTHONPATH": bare_dir}
        options = SERVER_OPTIONS
        with serve(project, "bare_app:app", bare_env, ready_path="/", options=options) as app:
            yield app


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


# One request of a load, on the connection it is given; a load makes one per connection.
type Request = Callable[[Connection], Awaitable[None]]
type Load = Callable[[int], Request]


def gets(path: str, headers: dict[str, str]) -> Load:
    def client(index: int) -> Request:
        async def one(connection: Connection) -> None:
            status, _ = await connection.request("GET", path, headers=headers)
            assert status == 200, status

        return one

    return client


def posts(path: str, payload: Callable[[], object]) -> Load:
    def client(index: int) -> Request:
        async def one(connection: Connection) -> None:
            status, _ = await connection.post_json(path, payload())
            assert status == 200, status

        return one

    return client


def phone(index: int) -> str:
    return f"+1202555{index:04d}"


def code_requests(path: str = "/auth/request-otp") -> Load:
    """POST /auth/request-otp, each to the next of REQUESTED_NUMBERS."""
    numbers = itertools.cycle(REQUESTED_NUMBERS)
    return posts(path, lambda: {"phone_number": phone(next(numbers))})


def refreshes(tokens: list[str], path: str = "/auth/refresh") -> Load:
    """POST /auth/refresh, each connection rotating a session of its own (tokens[index])."""

    def client(index: int) -> Request:
        async def one(connection: Connection) -> None:
            status, pair = await connection.post_json(path, {"refresh_token": tokens[index]})
            assert status == 200, status
            tokens[index] = json.loads(pair)["refresh_token"]

        return one

    return client


async def throughput(port: int, load: Load, seconds: float, connections: int) -> float:
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker(index: int) -> None:
        nonlocal done
        connection = await Connection.open(port)
        one = load(index)
        while time.perf_counter() < deadline:
            await one(connection)
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(index) for index in range(connections)))
    return done / (time.perf_counter() - started)


class Rate(NamedTuple):
    """One app under one load for a while: requests per second, server CPU seconds per request."""

    rate: float
    cpu_per_request: float

    @classmethod
    async def run(cls, server: Server, load: Load, seconds: float, connections: int) -> Rate:
        cpu = server.cpu_seconds()
        rate = await throughput(server.port, load, seconds, connections)
        return cls(rate, (server.cpu_seconds() - cpu) / (rate * seconds))


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


async def log_in_with_code(connection: Connection, reader: CodeReader, number: str) -> bytes:
    seen = len(reader.codes.get(number, []))
    status, _ = await connection.post_json("/auth/request-otp", {"phone_number": number})
    assert status == 200, status
    code = await reader.next_code(number, seen)
    status, pair = await connection.post_json(
        "/auth/verify-login-otp", {"phone_number": number, "otp": code}
    )
    assert status == 200, status
    return pair


async def code_logins(port: int, reader: CodeReader, stop: asyncio.Event) -> int:
    logins = 0

    async def client(index: int) -> None:
        nonlocal logins
        connection = await Connection.open(port)
        while not stop.is_set():
            await log_in_with_code(connection, reader, phone(index))
            logins += 1

    await asyncio.gather(*(client(index) for index in range(CLIENTS)))
    return logins


async def password_login(connection: Connection, index: int) -> bytes:
    body = urlencode({"username": phone(index), "password": PASSWORD}).encode()
    status, pair = await connection.request("POST", "/auth/login", body, FORM)
    assert status == 200, status
    return pair


async def password_logins(port: int, stop: asyncio.Event) -> int:
    logins = 0

    async def client(index: int) -> None:
        nonlocal logins
        connection = await Connection.open(port)
        while not stop.is_set():
            await password_login(connection, index)
            logins += 1

    await asyncio.gather(*(client(index) for index in range(CLIENTS)))
    return logins


async def set_passwords(port: int, reader: CodeReader) -> None:
    async def one(index: int) -> None:
        connection = await Connection.open(port)
        pair = await log_in_with_code(connection, reader, phone(index))
        access = json.loads(pair)["access_token"]
        body = json.dumps({"new_password": PASSWORD}).encode()
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


type Storm = Callable[[asyncio.Event], Awaitable[int]]


class StormRound(NamedTuple):
    """/health under one login storm: its p99 and median (ms), and the storm's logins/s."""

    p99: float
    median: float
    logins_per_second: float

    @classmethod
    async def run(cls, port: int, seconds: float, storm: Storm) -> StormRound:
        results: multiprocessing.Queue[list[float]] = multiprocessing.Queue()
        prober = multiprocessing.Process(target=probe_health, args=(port, seconds, results))
        stop = asyncio.Event()
        task = asyncio.ensure_future(storm(stop))
        await asyncio.sleep(0.5)  # the storm is on before the first probe
        prober.start()
        latencies = await asyncio.to_thread(results.get)
        stop.set()
        logins = await task
        prober.join()
        p99 = statistics.quantiles(latencies, n=100)[98] * 1000
        return cls(p99, statistics.median(latencies) * 1000, logins / (seconds + 0.5))


class Figure(NamedTuple):
    name: str
    goal: str
    values: list[float]

    def row(self, unit: str = "") -> str:
        return f"| {self.name} | {spread(self.values, unit)} | {self.goal} |"


def spread(values: list[float], unit: str = "") -> str:
    """The median (range) of `values`."""
    middle, low, high = statistics.median(values), min(values), max(values)
    return f"{middle:.2f}{unit} ({low:.2f}-{high:.2f})"


def analyze(database_url: str) -> None:
    """ANALYZE the service's database, as autovacuum keeps a production database analyzed.

    The refresh load adds a thousand refresh tokens a second to a table that held a few dozen,
    and a statement planned for a few dozen rows scans the whole table (4 ms a refresh at
    20 000 rows): the refreshes would slow down round by round, PostgreSQL's autovacuum looking
    only once a minute. No production table grows fiftyfold within a minute. ANALYZE also makes
    the service's connections plan their prepared statements again.
    """
    url = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as database:
        database.execute("ANALYZE")


async def alternate(
    args: argparse.Namespace, loads: dict[str, tuple[Server, Load]], database_url: str
) -> list[dict[str, Rate]]:
    """Each load's rate in each of `args.rounds` rounds, the loads taking turns within a round
    so that all meet the same machine; after a warm-up (connections, caches, prepared
    statements), and with the database analyzed before each round."""
    for app, load in loads.values():
        await throughput(app.port, load, 1, args.connections)
    rounds: list[dict[str, Rate]] = []
    for _ in range(args.rounds):
        analyze(database_url)
        rounds.append(
            {
                name: await Rate.run(app, load, args.round_seconds, args.connections)
                for name, (app, load) in loads.items()
            }
        )
    return rounds


async def measure(args: argparse.Namespace, project: Path, env: dict[str, str]) -> None:
    service = f"{PACKAGE}.main:create_app"
    with (
        bare_server(project, env) as bare,
        serve(project, service, env, options=("--factory", *SERVER_OPTIONS)) as server,
    ):
        port, connections = server.port, args.connections
        reader = CodeReader(server.log)
        await set_passwords(port, reader)
        connection = await Connection.open(port)
        pairs = [
            json.loads(await password_login(connection, i % CLIENTS)) for i in range(connections)
        ]
        auth = {"Authorization": f"Bearer {pairs[0]['access_token']}"}
        loads = {
            "bare GET /": (bare, gets("/", {})),
            "GET /users/me": (server, gets("/users/me", auth)),
            "bare POST /": (bare, posts("/", lambda: {"phone_number": phone(0)})),
            "POST /auth/request-otp": (server, code_requests()),
            "POST /auth/refresh": (server, refreshes([pair["refresh_token"] for pair in pairs])),
        }
        rounds = await alternate(args, loads, env["DATABASE_URL"])
        storms: dict[str, list[StormRound]] = {"code": [], "password": []}
        for _ in range(args.rounds):
            storms["code"].append(
                await StormRound.run(
                    port, args.storm_seconds, lambda stop: code_logins(port, reader, stop)
                )
            )
            storms["password"].append(
                await StormRound.run(
                    port, args.storm_seconds, lambda stop: password_logins(port, stop)
                )
            )

    for number, rates in enumerate(rounds, start=1):
        print(
            f"round {number}: "
            + "; ".join(
                f"{name} {rate.rate:.0f}/s {rate.cpu_per_request * 1e6:.0f} µs"
                for name, rate in rates.items()
            )
        )
    for name, results in storms.items():
        print(f"{name} storm p99 (ms) per round: " + ", ".join(f"{r.p99:.1f}" for r in results))

    def ratios(name: str, bare_name: str) -> list[float]:
        return [rates[name].rate / rates[bare_name].rate for rates in rounds]

    figures = [
        Figure("`GET /users/me` ÷ bare `GET`", "≥ 0.5", ratios("GET /users/me", "bare GET /")),
        Figure(
            "`POST /auth/request-otp` ÷ bare `POST`",
            "≥ 0.35",
            ratios("POST /auth/request-otp", "bare POST /"),
        ),
        Figure(
            "`POST /auth/refresh` ÷ bare `POST`",
            "≥ 0.25",
            ratios("POST /auth/refresh", "bare POST /"),
        ),
    ]
    storm_figures = [
        Figure(
            f"`/health` p99 during a {CLIENTS}-client {name}-login storm",
            "≤ 10 ms in every round",
            [result.p99 for result in results],
        )
        for name, results in storms.items()
    ]
    print(f"\nMedian (range) of {args.rounds} rounds:\n")
    print("| figure | measured | goal |\n|---|---|---|")
    for figure in figures:
        print(figure.row())
    for figure in storm_figures:
        print(figure.row(" ms"))
    print("\nServer CPU per request, median (µs):", end=" ")
    print(
        ", ".join(
            f"{name} {statistics.median(r[name].cpu_per_request for r in rounds) * 1e6:.0f}"
            for name in loads
        )
    )
    for name, results in storms.items():
        rate = statistics.median(result.logins_per_second for result in results)
        median = statistics.median(result.median for result in results)
        print(f"{name} storm: {rate:.0f} logins/s, /health median {median:.2f} ms")


def arguments(description: str) -> argparse.ArgumentParser:
    """The options every benchmark of the rendered service against the bare app takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--round-seconds", type=float, default=1.5, help="per app and load")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--service", type=Path, help="a rendered default service to measure")
    return parser


type Measure = Callable[[argparse.Namespace, Path, dict[str, str]], Awaitable[None]]


def measure_service(args: argparse.Namespace, database: str, measure: Measure) -> None:
    """`measure` the rendered defaults (or the service `--service` names), migrated, against
    a PostgreSQL and a Redis of their own."""
    with ExitStack() as stack, tempfile.TemporaryDirectory() as workdir:
        project = Project(args.service) if args.service else render_defaults(Path(workdir))
        services.start(stack, Path(workdir))
        env = benchmark_env(database)
        project.run(project.package, "migrate", **env)
        asyncio.run(measure(args, project.path, env))


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--storm-seconds", type=float, default=4, help="of each login storm")
    measure_service(parser.parse_args(), "benchmark", measure)


if __name__ == "__main__":
    main()
