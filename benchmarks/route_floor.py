"""How high `auth_speed.py`'s ratios could go if FastAPI's route layer cost nothing.

    uv run python benchmarks/route_floor.py [--rounds 7] [--round-seconds 1.5] [--service PATH]

Serves the rendered defaults (or the service at PATH) twice, next to the bare FastAPI app of
`auth_speed.py`: once as they are, and once with three plain Starlette routes in front of their
own, each doing what one endpoint's handler does through the service's own code, in the same
order, with nothing of FastAPI's per-route work (dependency solving, body and response models)
and no admission slot:

- `GET /lean/me`: the bearer token's caller (`current_user`, called directly), its public
  profile as JSON;
- `POST /lean/request-otp`: the per-IP limit, the body's phone number checked (the same
  pydantic model), the code issued and sent (`auth.service.send_phone_code`);
- `POST /lean/refresh`: the per-IP limit, the body checked, the token rotated and the new pair
  made (`sessions.service.rotate`).

Everything else is the service's: its middleware (request ids, the access record and metrics,
the input guard), its error handlers, its routers behind. A lean route's ratio to the bare app
is the most that endpoint could reach without leaving out one of those or one of its parts;
between it and the endpoint's own ratio is what its FastAPI route costs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from auth_speed import (
    CLIENTS,
    PACKAGE,
    SERVER_OPTIONS,
    CodeReader,
    Connection,
    alternate,
    arguments,
    bare_server,
    code_requests,
    gets,
    measure_service,
    password_login,
    phone,
    posts,
    refreshes,
    set_passwords,
    spread,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.servers import serve

# The service with the lean routes in front; imported by the server from a directory of its own.
LEAN_APP = """
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from PACKAGE.auth.schemas import RefreshRequest
from PACKAGE.auth.service import send_phone_code
from PACKAGE.core.guards import limit_by_client_ip
from PACKAGE.credentials.schemas import PhoneCodeRequest
from PACKAGE.identity.dependencies import current_user
from PACKAGE.main import create_app
from PACKAGE.sessions.service import rotate
from PACKAGE.users.schemas import UserPublic

SENT = b'{"message":"OTP sent for login or registration"}'


def json_response(body: str | bytes) -> Response:
    return Response(body, media_type="application/json")


async def me(request: Request) -> Response:
    caller = await current_user(request)
    return json_response(UserPublic.model_validate(caller, from_attributes=True).model_dump_json())


async def request_otp(request: Request) -> Response:
    await limit_by_client_ip(request)
    body = PhoneCodeRequest.model_validate_json(await request.body())
    state = request.app.state
    await send_phone_code(
        state.code_store, state.rate_limiter, state.settings, state.sms_sender, body.phone_number
    )
    return json_response(SENT)


async def refresh(request: Request) -> Response:
    await limit_by_client_ip(request)
    body = RefreshRequest.model_validate_json(await request.body())
    state = request.app.state
    # A refusal's unit of work is left out: every refresh here succeeds.
    pair = await rotate(state.direct_pool, state.settings, body.refresh_token)
    assert pair is not None
    return json_response(pair.model_dump_json())


def create_lean_app():
    app = create_app()
    app.router.routes[:0] = [
        Route("/lean/me", me, methods=["GET"]),
        Route("/lean/request-otp", request_otp, methods=["POST"]),
        Route("/lean/refresh", refresh, methods=["POST"]),
    ]
    return app
""".replace("PACKAGE", PACKAGE)
# The three endpoints: the service's path, the lean route's, the bare app's load, the goal.
ENDPOINTS = {
    "GET /users/me": ("/users/me", "/lean/me", "bare GET /", "≥ 0.5"),
    "POST /auth/request-otp": ("/auth/request-otp", "/lean/request-otp", "bare POST /", "≥ 0.35"),
    "POST /auth/refresh": ("/auth/refresh", "/lean/refresh", "bare POST /", "≥ 0.25"),
}


async def measure(args: argparse.Namespace, project: Path, env: dict[str, str]) -> None:
    service_app = (f"{PACKAGE}.main:create_app", env)
    with tempfile.TemporaryDirectory() as lean_dir, ExitStack() as stack:
        (Path(lean_dir) / "lean_app.py").write_text(LEAN_APP)
        lean_app = ("lean_app:create_lean_app", {**env, "PYTHONPATH": lean_dir})
        options = ("--factory", *SERVER_OPTIONS)
        bare = stack.enter_context(bare_server(project, env))
        service, lean = (
            stack.enter_context(serve(project, app, app_env, options=options))
            for app, app_env in (service_app, lean_app)
        )
        await set_passwords(service.port, CodeReader(service.log))
        pairs = {}
        for server in (service, lean):
            connection = await Connection.open(server.port)
            pairs[server.port] = [
                json.loads(await password_login(connection, i % CLIENTS))
                for i in range(args.connections)
            ]
        auth = {"Authorization": f"Bearer {pairs[service.port][0]['access_token']}"}
        loads = {
            "bare GET /": (bare, gets("/", {})),
            "bare POST /": (bare, posts("/", lambda: {"phone_number": phone(0)})),
        }
        for name, (path, lean_path, _, _) in ENDPOINTS.items():
            for label, server, route in (("", service, path), ("lean ", lean, lean_path)):
                if name.startswith("GET"):
                    load = gets(route, auth)
                elif "refresh" in name:
                    load = refreshes([pair["refresh_token"] for pair in pairs[server.port]], route)
                else:
                    load = code_requests(route)
                loads[label + name] = (server, load)
        rounds = await alternate(args, loads, env["DATABASE_URL"])

    def ratios(name: str, bare_name: str) -> list[float]:
        return [rates[name].rate / rates[bare_name].rate for rates in rounds]

    print(f"Median (range) of {args.rounds} rounds:\n")
    print("| figure | the service's route | its lean route | goal |\n|---|---|---|---|")
    for name, (_, _, bare_name, goal) in ENDPOINTS.items():
        own, lean = ratios(name, bare_name), ratios("lean " + name, bare_name)
        print(f"| `{name}` ÷ {bare_name} | {spread(own)} | {spread(lean)} | {goal} |")
    print("\nServer CPU per request, median (µs):", end=" ")
    print(
        ", ".join(
            f"{name} {statistics.median(r[name].cpu_per_request for r in rounds) * 1e6:.0f}"
            for name in loads
        )
    )


def main() -> None:
    measure_service(arguments(__doc__.splitlines()[0]).parse_args(), "route_floor", measure)


if __name__ == "__main__":
    main()
