"""What the parts of a request that no design of it can leave out cost the server, each alone.

    uv run python benchmarks/request_parts.py [--service PATH] [--rounds 5]

The floor under `auth_speed.py`'s ratios: a code request must count its client IP, run the code
script, check the phone number and write two log lines (the console provider's and the access
record); a refresh must count its client IP, run the rotation statement, sign an access token
and write the access record. Each part runs alone, through the rendered service's own code, in
the service's interpreter and event loop (uvloop), against a PostgreSQL and a Redis this script
starts (or TEST_DATABASE_URL / TEST_REDIS_URL): CPU microseconds per call, the least of its
rounds. Beside them, the server CPU of the bare FastAPI POST that `auth_speed.py` divides by,
and the highest ratio each endpoint could reach if FastAPI, the service's middleware and its
dependencies cost nothing beyond the bare POST: what is left between that and the measured
ratio is theirs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from auth_speed import (
    PACKAGE,
    Rate,
    bare_server,
    benchmark_env,
    phone,
    posts,
    render_defaults,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import services
from tests.projects import Project

# Runs in the rendered service's interpreter; prints {part: µs}.
PROBE = """
import json, logging, os, sys, time, uuid
from datetime import UTC, datetime, timedelta

import uvloop

from PACKAGE.core.config import Settings
from PACKAGE.core.db import create_direct_pool
from PACKAGE.core.logs import configure_logging
from PACKAGE.core.phone_numbers import sms_country_code, to_e164
from PACKAGE.core.rate_limit import RateLimiter
from PACKAGE.core.redis import create_redis
from PACKAGE.credentials.code_store import CodeStore
from PACKAGE.credentials.codes import issue_code
from PACKAGE.identity.tokens import Authentication, create_access_token

CALLS, ROUNDS = 2000, int(sys.argv[1])


async def cpu(part):
    for _ in range(CALLS // 10):
        await part()
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(CALLS):
            await part()
        best = min(best, (time.process_time() - started) / CALLS)
    return round(best * 1e6, 1)


async def main():
    settings = Settings()
    # The log lines go where a server's would, minus the terminal.
    configure_logging("INFO", settings.LOG_FORMAT)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    redis = create_redis(settings)
    limiter = RateLimiter(redis)
    codes = CodeStore.from_settings(redis, settings)
    pool = await create_direct_pool(settings)
    number = "+12025550143"
    authentication = Authentication(datetime.now(UTC), ["pwd"])
    log = logging.getLogger("PACKAGE.core.access_log")

    async def ip_limit():
        await limiter.hit(settings.AUTH_RATE_LIMIT, "auth", "/auth/refresh", "127.0.0.1")

    async def code_script():
        await issue_code(codes, limiter, settings, "login:" + number, number, sms_country=1)

    async def phone_check():
        sms_country_code(to_e164(number), settings.SMS_ALLOWED_COUNTRIES)

    async def statement():
        await pool.fetchval("SELECT 1")

    async def access_token():
        lifetime = timedelta(minutes=15)
        create_access_token(uuid.uuid4(), uuid.uuid4(), authentication, "k" * 40, lifetime)

    async def log_line():
        log.info("%s %s %s %.2f ms", "POST", "/auth/refresh", 200, 1.5)

    parts = {
        "per-IP limit (one script round trip)": ip_limit,
        "code script (one round trip)": code_script,
        "phone number to E.164 and its SMS country": phone_check,
        "one statement on the direct pool": statement,
        "access token signed (HS256)": access_token,
        "one log line": log_line,
    }
    costs = {name: await cpu(part) for name, part in parts.items()}
    await pool.close()
    await redis.aclose()
    print(json.dumps(costs))


# The event loop the server runs on.
uvloop.run(main())
""".replace("PACKAGE", PACKAGE)
# The parts of each endpoint (a log line twice: the console provider's and the access record).
ENDPOINTS = {
    "POST /auth/request-otp": [
        "per-IP limit (one script round trip)",
        "code script (one round trip)",
        "phone number to E.164 and its SMS country",
        "one log line",
        "one log line",
    ],
    "POST /auth/refresh": [
        "per-IP limit (one script round trip)",
        "one statement on the direct pool",
        "access token signed (HS256)",
        "one log line",
    ],
}


async def bare_post(project: Path, env: dict[str, str], rounds: int) -> float:
    """The server CPU per bare POST, median of `rounds`, as `auth_speed.py` measures it."""
    with bare_server(project, env) as bare:
        load = posts("/", lambda: {"phone_number": phone(0)})
        await Rate.run(bare, load, 1, 32)
        rates = [await Rate.run(bare, load, 1.5, 32) for _ in range(rounds)]
    return statistics.median(rate.cpu_per_request for rate in rates) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--service", type=Path, help="a rendered default service to measure")
    args = parser.parse_args()
    with ExitStack() as stack, tempfile.TemporaryDirectory() as workdir:
        project = Project(args.service) if args.service else render_defaults(Path(workdir))
        services.start(stack, Path(workdir))
        env = benchmark_env("parts")
        output = project.run("python", "-c", PROBE, str(args.rounds), **env)
        costs: dict[str, float] = json.loads(output.splitlines()[-1])
        bare = asyncio.run(bare_post(project.path, env, args.rounds))

    print("| part | CPU µs per call |\n|---|---|")
    for name, cost in costs.items():
        print(f"| {name} | {cost:.0f} |")
    print(f"\nbare POST (server CPU per request, median of {args.rounds} rounds): {bare:.0f} µs\n")
    print("| endpoint | its parts | highest ratio to the bare POST they allow |\n|---|---|---|")
    for endpoint, names in ENDPOINTS.items():
        parts = sum(costs[name] for name in names)
        print(f"| `{endpoint}` | {parts:.0f} µs | {bare / (bare + parts):.2f} |")


if __name__ == "__main__":
    main()
