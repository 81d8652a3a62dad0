"""The rule the SMS and e-mail channels share about their `console` provider."""

from ..core.config import Settings


def refuse_console_in_production(settings: Settings, setting: str, provider: str) -> None:
    """The console providers write codes to the log: development only."""
    if settings.ENV == "production" and provider == "console":
        raise ValueError(f"the console providers are for development only: change {setting}")
