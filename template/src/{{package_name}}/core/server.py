"""The `serve` command: uvicorn as production runs it, with its workers, one metrics folder for
all of them, the service's log format and a graceful shutdown."""

import json
import os
import sys
import tempfile
from pathlib import Path

from .config import ServerSettings
from .logs import logging_config

PACKAGE = __name__.partition(".")[0]
# prometheus-client reads it when it is first imported: it must be set before any worker is.
METRICS_FOLDER = "PROMETHEUS_MULTIPROC_DIR"


def prepare_metrics_folder() -> Path:
    """The folder the workers keep their metrics in, emptied of a previous run's."""
    folder = Path(os.environ.get(METRICS_FOLDER) or tempfile.mkdtemp(prefix="metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[METRICS_FOLDER] = str(folder)
    return folder


def serve(host: str, port: int, workers: int | None) -> None:
    """Become uvicorn: a fresh process imports prometheus-client only once the folder is set.

    WEB_CONCURRENCY sets the workers when `workers` is not given. On SIGTERM uvicorn stops
    accepting connections and gives requests in flight SHUTDOWN_GRACE_SECONDS to finish.
    """
    settings = ServerSettings()
    folder = prepare_metrics_folder()
    log_config = folder / "logging.json"
    log_config.write_text(json.dumps(logging_config(settings.LOG_LEVEL, settings.LOG_FORMAT)))
    command = [sys.executable, "-m", "uvicorn", f"{PACKAGE}.main:create_app", "--factory"]
    command += ["--host", host, "--port", str(port), "--log-config", str(log_config)]
    # The service decides itself which X-Forwarded-For to believe (TRUSTED_PROXIES), and
    # writes an access record of its own.
    command += ["--no-proxy-headers", "--no-access-log"]
    command += ["--timeout-graceful-shutdown", str(settings.SHUTDOWN_GRACE_SECONDS)]
    if workers is not None:
        command += ["--workers", str(workers)]
    os.execv(sys.executable, command)  # noqa: S606 - a fixed command, in a fresh process
