"""Start Chung Tay's processes as children with prefixed logs, and stop them together.

Used by `chungtay run` and by the end-to-end tests, so the tests start the system exactly the way a
newcomer does. If one child dies the others are stopped: a half-running hotline is worse than a
stopped one that says why.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

logger = logging.getLogger(__name__)

COLOURS = ("36", "35", "33", "32", "34", "31")


@dataclass(frozen=True)
class ProcessSpec:
    """One child process; `ready_url` answers 2xx once the process serves requests."""

    name: str
    command: Sequence[str]
    ready_url: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)


class Supervisor:
    """Owns a set of child processes for the lifetime of a `with` block."""

    def __init__(
        self,
        specs: Sequence[ProcessSpec],
        *,
        cwd: Path,
        env: Mapping[str, str] | None = None,
        output: IO[str] | None = None,
    ) -> None:
        self.specs = list(specs)
        self.cwd = cwd
        self.env = dict(os.environ if env is None else env)
        self.output = output or sys.stdout
        self.processes: dict[str, subprocess.Popen[str]] = {}
        self._lock = threading.Lock()
        self._stopping = False
        width = max((len(s.name) for s in self.specs), default=0)
        colour = self.output.isatty() if hasattr(self.output, "isatty") else False
        self._prefix = {
            s.name: (
                f"\033[{COLOURS[i % len(COLOURS)]}m{s.name:<{width}} |\033[0m "
                if colour
                else f"{s.name:<{width}} | "
            )
            for i, s in enumerate(self.specs)
        }

    def __enter__(self) -> Supervisor:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        for spec in self.specs:
            env = {**self.env, **spec.env, "PYTHONUNBUFFERED": "1"}
            process = subprocess.Popen(
                list(spec.command),
                cwd=self.cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                errors="replace",
                start_new_session=True,  # Ctrl-C reaches us, and we stop children in order
            )
            self.processes[spec.name] = process
            threading.Thread(
                target=self._pump, args=(spec.name, process), daemon=True, name=f"log-{spec.name}"
            ).start()

    def _pump(self, name: str, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with self._lock:
                self.output.write(self._prefix[name] + line.rstrip("\n") + "\n")
                self.output.flush()

    def dead(self) -> list[tuple[str, int]]:
        """Children that have exited, with their exit codes."""
        return [
            (name, code)
            for name, process in self.processes.items()
            if (code := process.poll()) is not None
        ]

    def wait_ready(self, timeout: float) -> None:
        """Block until every child with a ready URL answers; raise if one dies or time runs out."""
        deadline = time.monotonic() + timeout
        pending = [s for s in self.specs if s.ready_url]
        while pending:
            if dead := self.dead():
                name, code = dead[0]
                raise RuntimeError(f"{name} exited with code {code} during start-up")
            pending = [s for s in pending if not _answers(s.ready_url or "")]
            if not pending:
                return
            if time.monotonic() > deadline:
                names = ", ".join(s.name for s in pending)
                raise TimeoutError(f"not ready after {timeout:.0f} s: {names}")
            time.sleep(0.5)

    def wait(self) -> int:
        """Block until a child exits or we are asked to stop; returns the exit code to use."""
        stop = threading.Event()

        def request_stop(signum: int, _frame: object) -> None:
            logger.info("received %s, stopping", signal.Signals(signum).name)
            stop.set()

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            while not stop.wait(0.5):
                if dead := self.dead():
                    name, code = dead[0]
                    logger.error("%s exited with code %s; stopping the others", name, code)
                    return code or 1
            return 0
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop(self, grace: float = 10.0) -> None:
        if self._stopping:
            return
        self._stopping = True
        for process in self.processes.values():
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop in %.0f s; killing it", name, grace)
                _signal_group(process, signal.SIGKILL)
                process.wait()


def _signal_group(process: subprocess.Popen[str], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False
