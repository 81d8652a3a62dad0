"""Copier migration for services rendered before 0.2.0.

From 0.2.0 on, a real SMS or e-mail provider without its credentials stops the service at
start-up. A service rendered earlier has a `.env` (never touched by updates) without the
`SMS_SERVICE_TYPE=console` / `EMAIL_SERVICE_TYPE=console` lines that new renders write for
development, so its development server would no longer start: this adds those lines, unless
the setting is already there. Run by `copier update` in the service's directory:

    python console_providers_in_dotenv.py SMS_PROVIDER SMTP_CHOSEN
"""

from __future__ import annotations

import sys
from pathlib import Path

NOTE = "# Added by the FastForge 0.2.0 update: codes go to the log until the provider is set."


def add_console_providers(env: Path, sms_provider: str, smtp_chosen: bool) -> list[str]:
    """Append the console lines `env` lacks for the chosen providers; the lines added."""
    if not env.exists():
        return []
    text = env.read_text()
    settings = {line.split("=", 1)[0].strip() for line in text.splitlines() if "=" in line}
    wanted = []
    if sms_provider != "console" and "SMS_SERVICE_TYPE" not in settings:
        wanted.append("SMS_SERVICE_TYPE=console")
    if smtp_chosen and "EMAIL_SERVICE_TYPE" not in settings:
        wanted.append("EMAIL_SERVICE_TYPE=console")
    if wanted:
        env.write_text(text.rstrip("\n") + "\n\n" + "\n".join([NOTE, *wanted]) + "\n")
    return wanted


if __name__ == "__main__":
    if added := add_console_providers(Path(".env"), sys.argv[1], sys.argv[2] == "True"):
        print(f"FastForge 0.2.0: added {', '.join(added)} to .env")
