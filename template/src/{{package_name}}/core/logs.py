"""Where log records go: the service's own at LOG_LEVEL, its libraries' from WARNING up."""

import logging

SERVICE_LOGGER = __name__.partition(".")[0]


def configure_logging(level: str) -> None:
    # Libraries stay at WARNING whatever LOG_LEVEL says: some log at INFO on every request,
    # which buries the service's own records and costs CPU on the hottest path. (A no-op when
    # the root logger has handlers already, as under pytest, which sets the levels itself.)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger(SERVICE_LOGGER).setLevel(level)
