"""Prometheus metrics: what the service counts, and the text /metrics serves.

Several uvicorn workers are several processes: in prometheus-client's multiprocess mode (set
by PROMETHEUS_MULTIPROC_DIR, which the `serve` command prepares before the workers start) each
writes its values to files of its own there, and /metrics adds them up, so any worker answers
for all of them.
"""

import os

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlmodel.ext.asyncio.session import AsyncSession

from .db import after_commit

# Set by `serve` (core/server.py) for uvicorn's workers.
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests, by method, route template and status",
    ["method", "route", "status"],
)
REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from a request's arrival to its response's end, by method and route template",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
IN_PROGRESS = Gauge(
    "http_requests_in_progress",
    "Requests taken and not yet answered, over every worker",
    # A worker that stops gracefully leaves 0 in its file; one killed mid-request leaves its
    # count until `serve` starts again and empties the folder.
    multiprocess_mode="sum",
)
LOGINS = Counter(
    "auth_logins_total",
    "Logins, by method (sms, email, pwd; otp or recovery_code for a second step) and outcome "
    "(succeeded, failed, mfa_required)",
    ["method", "outcome"],
)
CODES_SENT = Counter(
    "auth_codes_sent_total",
    "One-time codes a provider took, by channel and provider",
    ["channel", "provider"],
)
LOCKOUTS = Counter("auth_lockouts_total", "Lockouts started, by method", ["method"])
REFRESH_TOKEN_REUSE = Counter(
    "auth_refresh_token_reuse_total",
    "Spent refresh tokens presented again: each ended its session",
)
DELIVERY_FAILURES = Counter(
    "notifications_delivery_failures_total",
    "Messages a provider did not take, by channel, provider and kind (code, notice)",
    ["channel", "provider", "kind"],
)


def count_login_after_commit(db: AsyncSession, method: str) -> None:
    """A login succeeded, once its session is committed: a login that then fails is none."""

    async def count() -> None:
        LOGINS.labels(method, "succeeded").inc()

    after_commit(db, count)


def exposition() -> bytes:
    """Every metric in Prometheus's text format, summed over the workers when there are several."""
    if MULTIPROCESS_DIR not in os.environ:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return generate_latest(registry)
