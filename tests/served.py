"""A rendered service run the way production runs it: uvicorn with several worker processes."""

from __future__ import annotations

import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

CODE_LINE = re.compile(r"Mock (?:SMS: Sending OTP|email: Sending code) (\d{6}) to (\S+)")
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    url: str
    log: Path

    def codes_for(self, recipient: str) -> list[str]:
        text = self.log.read_text(errors="replace")
        return [code for code, to in CODE_LINE.findall(text) if to == recipient]

    def last_code(self, recipient: str, sent_before: int = 0) -> str:
        """The newest code sent to `recipient`, waiting until there are more than `sent_before`."""
        deadline = time.monotonic() + 10
        while len(codes := self.codes_for(recipient)) <= sent_before:
            assert time.monotonic() < deadline, f"no code reached {recipient}"
            time.sleep(0.02)
        return codes[-1]


@contextmanager
def serve(project: Path, package: str, env: dict[str, str], workers: int) -> Iterator[Server]:
    port = free_port()
    log = project / f"server-{port}.log"
    command = [
        *("uv", "run", "--no-sync", "uvicorn", f"{package}.main:create_app", "--factory"),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
    ]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=project, env=env, stdout=output, stderr=output)
    server = Server(f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:
                if httpx.get(f"{server.url}/health/extended", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
