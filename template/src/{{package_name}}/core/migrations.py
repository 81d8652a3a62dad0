"""Alembic, driven from Python: the migrations ship inside the package, so the `migrate`
command, the dev server and the tests run them the same way from a checkout or a wheel."""

from alembic import command
from alembic.config import Config

PACKAGE = __name__.partition(".")[0]


def alembic_config(database_url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", f"{PACKAGE}:migrations")
    if database_url:
        # ConfigParser treats % as interpolation; URL-encoded passwords contain it.
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_head(database_url: str | None = None) -> None:
    command.upgrade(alembic_config(database_url), "head")
