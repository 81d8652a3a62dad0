"""Where log records go, and how they read: one line each, as text or as a JSON object, with
the id of the request they belong to; the service's own at LOG_LEVEL, its libraries' from
WARNING up."""

import json
import logging
from datetime import UTC, datetime
from typing import Any

from .request_ids import current_request_id

SERVICE_LOGGER = __name__.partition(".")[0]
# uvicorn's loggers keep handlers of their own unless told otherwise.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# What every record has: the rest are the fields a record was given (`extra=`).
STANDARD_FIELDS = {*vars(logging.makeLogRecord({})), "message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Give each record the id of the request it was written in (`-` outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, and the fields the
    record was given (an access record's method, path, status, duration_ms, client_ip)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        entry |= {k: v for k, v in vars(record).items() if k not in STANDARD_FIELDS}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def logging_config(level: str, log_format: str) -> dict[str, Any]:
    """`configure_logging`'s setup as a `logging.config` dictionary, for uvicorn's --log-config:
    its own processes write in the service's format from their first record."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": f"{__name__}.RequestIdFilter"}},
        "formatters": {
            "json": {"()": f"{__name__}.JsonFormatter"},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": log_format,
            }
        },
        "root": {"level": "WARNING", "handlers": ["stderr"]},
        "loggers": {
            SERVICE_LOGGER: {"level": level},
            **{name: {"level": "INFO"} for name in UVICORN_LOGGERS},
            "uvicorn.access": {"level": "WARNING"},
        },
    }


def configure_logging(level: str, log_format: str) -> None:
    # No record names its thread, process or source line: finding them costs every record
    # (the logging HOWTO's "Optimization"), and the access record is written for every request.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging.logAsyncioTasks = False  # type: ignore[attr-defined]  # 3.12's; typeshed lacks it
    logging._srcfile = None
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    # Libraries stay at WARNING whatever LOG_LEVEL says: some log at INFO on every request,
    # which buries the service's own records and costs CPU on the hottest path. (A no-op when
    # the root logger has handlers already, as under pytest, which sets the levels itself.)
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    logging.getLogger(SERVICE_LOGGER).setLevel(level)
    # uvicorn's records read as the service's. Its access log is replaced by the service's own
    # (core/access_log.py), which knows the route template, the duration and the request id.
    for name in UVICORN_LOGGERS:
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
