"""Where log records go: the service's own at LOG_LEVEL, its libraries' from WARNING up."""

import logging

SERVICE_LOGGER = __name__.partition(".")[0]


def configure_logging(level: str) -> None:
    # Libraries stay at WARNING whatever LOG_LEVEL says: at INFO, psycopg's pool alone writes
    # three lines for every authenticated request, burying the service's own records and
    # costing each request more CPU than its database query. (A no-op when the root logger
    # already has handlers, as under pytest, which sets the levels itself.)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger(SERVICE_LOGGER).setLevel(level)
