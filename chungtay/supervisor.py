"""Start Chung Tay's processes as children with prefixed logs, and stop them together.

Used by `chungtay run` and by the end-to-end tests, so the tests start the system exactly the way a
newcomer does.

Start-up is all or nothing: a child that exits before every child is ready fails start-up (a
missing model or a taken port is a mistake to fix, not to retry). After that, with ``restart=True``
(what `chungtay run` uses) a child that dies is started again after a growing delay while the
others keep serving: with Rasa down the gateway still stores messages, answers 111/113 and opens
urgent cases, and the worker still alerts. Without it (the default, for tests that kill children
on purpose) the first death stops everything, so no failure is hidden by a restart.
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

from chungtay.log_format import wrap_line

logger = logging.getLogger(__name__)

COLOURS = ("36", "35", "33", "32", "34", "31")


@dataclass(frozen=True)
class ProcessSpec:
    """One child process; `ready_url` answers 2xx once the process serves requests."""

    name: str
    command: Sequence[str]
    ready_url: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RestartPolicy:
    """Delay before the n-th quick restart in a row: ``first * 2**n`` up to ``cap`` seconds.

    A child that ran ``healthy_after`` seconds before dying starts the series again.
    """

    first: float = 1.0
    cap: float = 30.0
    healthy_after: float = 60.0

    def delay(self, restarts_in_a_row: int) -> float:
        return min(self.cap, self.first * 2.0 ** min(restarts_in_a_row, 30))


@dataclass
class _Child:
    started_at: float
    restarts_in_a_row: int = 0
    restart_at: float | None = None  # set while a dead child waits for its restart


class Supervisor:
    """Owns a set of child processes for the lifetime of a `with` block."""

    def __init__(
        self,
        specs: Sequence[ProcessSpec],
        *,
        cwd: Path,
        env: Mapping[str, str] | None = None,
        output: IO[str] | None = None,
        restart: bool = False,
        policy: RestartPolicy | None = None,
        json_lines: bool = False,
    ) -> None:
        self.specs = list(specs)
        self.cwd = cwd
        self.env = dict(os.environ if env is None else env)
        self.output = output or sys.stdout
        self.restart = restart
        self.policy = policy or RestartPolicy()
        # JSON logs: children's lines pass as they are (other output wrapped), without prefixes.
        self.json_lines = json_lines
        self.processes: dict[str, subprocess.Popen[str]] = {}
        self._children: dict[str, _Child] = {}
        self._lock = threading.Lock()
        self._stopping = False
        self._monitor: threading.Thread | None = None
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
            self._spawn(spec)

    def _spawn(self, spec: ProcessSpec) -> None:
        env = {
            **self.env,
            **spec.env,
            "PYTHONUNBUFFERED": "1",
            "CHUNGTAY_PROCESS_NAME": spec.name,  # the `process` of its JSON log lines
        }
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
        child = self._children.get(spec.name)
        if child is None:
            self._children[spec.name] = _Child(started_at=time.monotonic())
        else:
            child.started_at, child.restart_at = time.monotonic(), None
        threading.Thread(
            target=self._pump, args=(spec.name, process), daemon=True, name=f"log-{spec.name}"
        ).start()

    def _pump(self, name: str, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            text = line.rstrip("\n")
            text = wrap_line(text, process=name) if self.json_lines else self._prefix[name] + text
            with self._lock:
                self.output.write(text + "\n")
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
                break
            if time.monotonic() > deadline:
                names = ", ".join(s.name for s in pending)
                raise TimeoutError(f"not ready after {timeout:.0f} s: {names}")
            time.sleep(0.5)
        if self.dead():  # one without a ready URL may have died while the others came up
            name, code = self.dead()[0]
            raise RuntimeError(f"{name} exited with code {code} during start-up")
        self._start_monitor()

    def _start_monitor(self) -> None:
        """Restarts begin once start-up is over (``wait_ready`` or ``wait``)."""
        if self.restart and self._monitor is None:
            self._monitor = threading.Thread(target=self._watch, daemon=True, name="restarts")
            self._monitor.start()

    def _watch(self) -> None:
        while not self._stopping:
            self.restart_dead()
            time.sleep(0.1)

    def restart_dead(self) -> None:
        """Schedule a restart for each child that died, and start those whose delay is over."""
        now = time.monotonic()
        with self._lock:
            if self._stopping:
                return
            for spec in self.specs:
                code = self.processes[spec.name].poll()
                child = self._children[spec.name]
                if code is None:
                    continue
                if child.restart_at is None:
                    # What it started itself (Sanic's worker, say) must not keep its port.
                    _signal_group(self.processes[spec.name], signal.SIGKILL)
                    if now - child.started_at >= self.policy.healthy_after:
                        child.restarts_in_a_row = 0
                    delay = self.policy.delay(child.restarts_in_a_row)
                    child.restarts_in_a_row += 1
                    child.restart_at = now + delay
                    # Name and exit code only: the child's own output stays in its own lines.
                    logger.warning(
                        "%s exited with code %s; restarting in %.1f s", spec.name, code, delay
                    )
                elif now >= child.restart_at:
                    self._spawn(spec)

    def wait(self) -> int:
        """Block until we are asked to stop (or, without restarts, a child exits).

        Returns the exit code to use.
        """
        self._start_monitor()
        stop = threading.Event()

        def request_stop(signum: int, _frame: object) -> None:
            logger.info("received %s, stopping", signal.Signals(signum).name)
            stop.set()

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            while not stop.wait(0.5):
                if not self.restart and (dead := self.dead()):
                    name, code = dead[0]
                    logger.error("%s exited with code %s; stopping the others", name, code)
                    return code or 1
            return 0
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop(self, grace: float = 10.0) -> None:
        with self._lock:  # no restart starts after this
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
