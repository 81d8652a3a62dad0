"""Each variant as production runs it: the wheel installed alone, without the development
dependencies, migrated and served by uvicorn with two workers from outside the source tree (as
the Docker image does, with no Docker engine needed), and walked through over HTTP.

The parallel parts print their figures (run with -s to see them): how many of 30 wrong codes
were evaluated, how many of 20 redemptions of one code succeeded, how many of 10 refreshes of
one token did, how many of 30 wrong passwords were evaluated, all spread over both workers.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from . import services
from .projects import CommandFailed, Rendered, project_env, run
from .servers import Server, serve

pytestmark = pytest.mark.slow

PHONE = "+12025550143"
MAX_ATTEMPTS = 3
MAX_PASSWORDS = 5
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def installed(rendered: Rendered, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the variant's wheel and its runtime dependencies alone."""
    venv = tmp_path_factory.mktemp(f"installed-{rendered.variant.name}") / "venv"
    # What the Dockerfile runs: the locked dependencies but the development ones, and the
    # service itself built as a wheel, not linked to the source tree.
    install = ["uv", "sync", "--frozen", "--no-dev", "--no-editable", "--quiet"]
    run(install, rendered.path, project_env(UV_PROJECT_ENVIRONMENT=str(venv)))
    return venv


@pytest.fixture(scope="module")
def server(
    rendered: Rendered, installed: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    elsewhere = tmp_path_factory.mktemp(f"elsewhere-{rendered.variant.name}")
    database = f"production_{rendered.variant.name.replace('-', '_')}"
    env = project_env(
        DATABASE_URL=services.fresh_database(database),
        # The variant's Redis database, which its suite leaves empty.
        REDIS_URL=rendered.redis_url,
        SECRET_KEY="production-test-secret-key-with-enough-length-0123",
        ENV="development",
        SMS_SERVICE_TYPE="console",
        EMAIL_SERVICE_TYPE="console",
        AUTH_RATE_LIMIT="100000/minute",
        OTP_SEND_LIMIT="100000/minute",
        OTP_MAX_ATTEMPTS=str(MAX_ATTEMPTS),
        PASSWORD_MAX_ATTEMPTS=str(MAX_PASSWORDS),
    )
    env.pop("TEST_DATABASE_URL", None)
    run([str(installed / "bin" / rendered.package), "migrate"], elsewhere, env)
    python, target = installed / "bin" / "python", f"{rendered.package}.main:create_app"
    with serve(
        elsewhere, target, env, python=python, workers=2, ready_path="/health/extended"
    ) as running:
        yield running


def test_the_wheel_leaves_the_development_tools_out(rendered: Rendered, installed: Path) -> None:
    importable = "import importlib.util, sys; sys.exit(not importlib.util.find_spec(sys.argv[1]))"
    package = rendered.package
    with pytest.raises(CommandFailed):
        run([str(installed / "bin" / "python"), "-c", importable, f"{package}.devtools"], Path())
    with pytest.raises(CommandFailed, match="needs a checkout"):
        run([str(installed / "bin" / package), "dev"], Path(), project_env())


def code_login(http: httpx.Client, server: Server, phone: str) -> dict[str, str]:
    sent = len(server.codes_for(phone))
    assert http.post("/auth/request-otp", json={"phone_number": phone}).status_code == 200
    code = server.last_code(phone, sent)
    response = http.post("/auth/verify-login-otp", json={"phone_number": phone, "otp": code})
    assert response.status_code == 200, response.text
    return dict(response.json())


def bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_the_whole_flow_over_http(server: Server, rendered: Rendered) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        tokens = code_login(http, server, PHONE)
        assert http.get("/users/me", headers=bearer(tokens)).json()["phone_number"] == PHONE

        rotated = http.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert rotated.status_code == 200
        tokens = rotated.json()
        assert (
            http.post("/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code
            == 204
        )
        assert http.get("/users/me", headers=bearer(tokens)).status_code == 401

        tokens = code_login(http, server, PHONE)
        response = http.put(
            "/auth/password", json={"new_password": PASSWORD}, headers=bearer(tokens)
        )
        assert response.status_code == 204
        login = http.post("/auth/login", data={"username": PHONE, "password": PASSWORD})
        assert login.status_code == 200

        if rendered.answers["email_login"]:
            address = "ada@example.com"
            sent = len(server.codes_for(address))
            update = http.post(
                "/auth/update-email", json={"email": address}, headers=bearer(tokens)
            )
            assert update.status_code == 200
            code = server.last_code(address, sent)
            verify = http.post(
                "/auth/verify-email", json={"verification_code": code}, headers=bearer(tokens)
            )
            assert verify.status_code == 200
            sent = len(server.codes_for(address))
            assert http.post("/auth/request-otp", json={"email": address}).status_code == 200
            code = server.last_code(address, sent)
            by_email = http.post("/auth/login", data={"username": address, "password": code})
            assert by_email.status_code == 200
            me = http.get("/users/me", headers=bearer(by_email.json())).json()
            assert (me["email"], me["phone_number"]) == (address, PHONE)


async def parallel(server: Server, path: str, count: int, **body: dict[str, str]) -> Counter[int]:
    """`count` POSTs of one body (`json=` or `data=`) at once; how many got each status."""
    # One connection per request, so the kernel spreads them over both worker processes.
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=server.url, timeout=30, limits=limits) as http:
        responses = await asyncio.gather(*(http.post(path, **body) for _ in range(count)))
    return Counter(response.status_code for response in responses)


def test_limits_hold_across_two_workers(server: Server, rendered: Rendered) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        guessed = "+12025550144"
        http.post("/auth/request-otp", json={"phone_number": guessed})
        right = server.last_code(guessed)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        body = {"phone_number": guessed, "otp": wrong}
        guesses = asyncio.run(parallel(server, "/auth/verify-login-otp", 30, json=body))

        redeemed = "+12025550145"
        http.post("/auth/request-otp", json={"phone_number": redeemed})
        code = server.last_code(redeemed)
        body = {"phone_number": redeemed, "otp": code}
        redemptions = asyncio.run(parallel(server, "/auth/verify-login-otp", 20, json=body))

        token = code_login(http, server, "+12025550146")["refresh_token"]
        body = {"refresh_token": token}
        refreshes = asyncio.run(parallel(server, "/auth/refresh", 10, json=body))

        owner = "+12025550147"
        tokens = code_login(http, server, owner)
        body = {"new_password": PASSWORD}
        assert http.put("/auth/password", json=body, headers=bearer(tokens)).status_code == 204
        form = {"username": owner, "password": "not the password"}
        passwords = asyncio.run(parallel(server, "/auth/login", 30, data=form))

    print(
        f"\n{rendered.variant.name}, 2 workers: wrong codes evaluated {guesses[401]} of 30 "
        f"(429: {guesses[429]}); redemptions of one code succeeded {redemptions[200]} of 20; "
        f"refreshes of one token succeeded {refreshes[200]} of 10; wrong passwords evaluated "
        f"{passwords[401]} of 30 (429: {passwords[429]})"
    )
    assert guesses == Counter({401: MAX_ATTEMPTS, 429: 30 - MAX_ATTEMPTS})
    assert redemptions[200] == 1
    assert refreshes[200] <= 1
    assert passwords == Counter({401: MAX_PASSWORDS, 429: 30 - MAX_PASSWORDS})
