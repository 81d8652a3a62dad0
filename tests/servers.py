"""A rendered service run the way production runs it: uvicorn, with one or more workers."""

from __future__ import annotations

import os
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
    port: int
    pid: int
    log: Path

    def codes_for(self, recipient: str) -> list[str]:
        """The codes the console providers wrote to the log for `recipient`, oldest first."""
        text = self.log.read_text(errors="replace")
        return [code for code, to in CODE_LINE.findall(text) if to == recipient]

    def last_code(self, recipient: str, sent_before: int = 0) -> str:
        """The newest code sent to `recipient`, waiting until there are more than `sent_before`."""
        deadline = time.monotonic() + 10
        while len(codes := self.codes_for(recipient)) <= sent_before:
            assert time.monotonic() < deadline, f"no code reached {recipient}"
            time.sleep(0.02)
        return codes[-1]

    def cpu_seconds(self) -> float:
        """User and system CPU time the server process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serve(
    project: Path,
    target: str,
    env: dict[str, str],
    *,
    python: Path | None = None,
    workers: int = 1,
    ready_path: str = "/health",
    options: tuple[str, ...] = ("--factory",),
) -> Iterator[Server]:
    """uvicorn serving `target` in `project`, once `ready_path` answers 200.

    The Python is the project's environment's unless `python` names another."""
    port = free_port()
    log = project / f"server-{port}.log"
    python = python or project / ".venv" / "bin" / "python"
    command = [str(python), "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), *options]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=project, env=env, stdout=output, stderr=output)
    server = Server(f"http://127.0.0.1:{port}", port, process.pid, log)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:
                if httpx.get(server.url + ready_path, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
