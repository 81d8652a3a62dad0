"""SIGTERM (CONTRACT 5): the server stops taking connections, answers every request in flight,
and exits 0."""

import asyncio
import signal

import httpx
from prometheus_client.parser import text_string_to_metric_families

from .conftest import ServiceUrls
from .flows import PHONE
from .workers import Workers, serving

PASSWORD = "correct horse battery staple"
LOGINS = 30


async def in_progress(client: httpx.AsyncClient) -> int:
    """Requests the workers have taken and not answered, this scrape apart."""
    text = (await client.get("/metrics")).text
    families = text_string_to_metric_families(text)
    gauge = next(family for family in families if family.name == "http_requests_in_progress")
    return int(sum(sample.value for sample in gauge.samples)) - 1


async def storm_then_stop(server: Workers) -> tuple[int, list[httpx.Response]]:
    """Password logins (Argon2, one at a time per worker); SIGTERM once the workers have taken
    every one of them and some are unanswered. How many were answered before it, and every
    answer."""
    fresh = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=server.url, limits=fresh, timeout=60) as client:
        await client.post("/auth/request-otp", json={"phone_number": PHONE})
        body = {"phone_number": PHONE, "otp": server.last_code(PHONE)}
        tokens = (await client.post("/auth/verify-login-otp", json=body)).json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        await client.put("/auth/password", json={"new_password": PASSWORD}, headers=headers)
        form = {"username": PHONE, "password": PASSWORD}
        logins = [asyncio.create_task(client.post("/auth/login", data=form)) for _ in range(LOGINS)]
        # A connection still in the kernel's queue is not in flight: the server never took it.
        # Counted before the scrape, an answer cannot be counted twice.
        while (answered := sum(login.done() for login in logins)) + await in_progress(
            client
        ) < LOGINS:
            await asyncio.sleep(0.01)
        server.process.send_signal(signal.SIGTERM)
        return answered, list(await asyncio.gather(*logins))


def test_sigterm_answers_every_request_in_flight(service_urls: ServiceUrls) -> None:
    settings = {"AUTH_RATE_LIMIT": "1000/minute", "AUTH_CONCURRENCY": "1"}
    with serving(service_urls.database, service_urls.redis, **settings) as server:
        answered, answers = asyncio.run(storm_then_stop(server))
        assert answered < LOGINS  # requests were in flight when the signal came
        assert [answer.status_code for answer in answers] == [200] * LOGINS
        assert server.process.wait(timeout=30) == 0
        # It takes no new connection once stopped.
        try:
            httpx.get(server.url + "/health", timeout=2)
            raise AssertionError("the server still answers")
        except httpx.TransportError:
            pass
