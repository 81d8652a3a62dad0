"""A sender for both channels that keeps what it is given, for the tests to read back."""


class Outbox:
    """Stands in for the SMS and e-mail senders; `messages()` is what recipients would read."""

    def __init__(self) -> None:
        self._sent: list[tuple[str, str]] = []
        # (recipient, SMS text or e-mail subject) of every security notice sent so far.
        self.notices: list[tuple[str, str]] = []

    async def send_code(self, recipient: str, code: str, *_: object) -> None:
        self._sent.append((recipient, code))

    async def send_notice(self, recipient: str, text: str, *_: str) -> None:
        """(phone, text) for an SMS; (address, subject) for an e-mail."""
        self.notices.append((recipient, text))

    def messages(self) -> list[tuple[str, str]]:
        """(recipient, code) of every code sent so far, oldest first."""
        return list(self._sent)

    def codes_for(self, recipient: str) -> list[str]:
        return [code for to, code in self._sent if to == recipient]

    def last_code(self, recipient: str) -> str:
        codes = self.codes_for(recipient)
        assert codes, f"no code was sent to {recipient}"
        return codes[-1]
