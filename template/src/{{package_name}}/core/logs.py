"""Where log records go: the service's own at LOG_LEVEL, its libraries' from WARNING up."""

import logging

SERVICE_LOGGER = __name__.partition(".")[0]


def configure_logging(level: str) -> None:
    # Libraries stay at WARNING whatever LOG_LEVEL says: at INFO some log on every request
    # (psycopg's pool wrote three lines per checkout), burying the service's own records and
    # costing CPU on the hottest path. (A no-op when the root logger already has handlers,
    # as under pytest, which sets the levels itself.)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger(SERVICE_LOGGER).setLevel(level)
