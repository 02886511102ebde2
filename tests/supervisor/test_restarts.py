"""`chungtay run`'s supervisor keeps the hotline up when one child dies.

Tiny Python children stand in for Rasa and the gateway: one serves HTTP, one only sleeps. The
sleeper is killed while the server keeps answering; it comes back after a doubling delay.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from chungtay.supervisor import ProcessSpec, RestartPolicy, Supervisor
from tests.e2e.helpers import free_port, wait_for

SLEEPER = "import time\nprint('up', flush=True)\nwhile True: time.sleep(1)"
POLICY = RestartPolicy(first=0.5, cap=1.5, healthy_after=30.0)


def _server(port: int) -> ProcessSpec:
    return ProcessSpec(
        name="web",
        command=[sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        ready_url=f"http://127.0.0.1:{port}/",
    )


def _sleeper(name: str = "rasa") -> ProcessSpec:
    return ProcessSpec(name=name, command=[sys.executable, "-c", SLEEPER])


def _serves(port: int) -> bool:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
        return bool(response.status == 200)


def _kill_and_time_restart(supervisor: Supervisor, name: str) -> tuple[float, int]:
    """SIGKILL the child; seconds until a new process of it runs, and that process's pid."""
    old = supervisor.processes[name]
    os.killpg(old.pid, signal.SIGKILL)
    killed = time.monotonic()
    assert wait_for(lambda: supervisor.processes[name] is not old, timeout=10), "not restarted"
    return time.monotonic() - killed, supervisor.processes[name].pid


def test_a_killed_child_comes_back_with_a_doubling_delay_while_the_others_serve(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="chungtay.supervisor")
    port = free_port()
    output = io.StringIO()
    with Supervisor(
        [_sleeper(), _server(port)], cwd=tmp_path, output=output, restart=True, policy=POLICY
    ) as supervisor:
        supervisor.wait_ready(timeout=20)
        web_pid = supervisor.processes["web"].pid
        answered: list[bool] = []
        stop = threading.Event()

        def probe() -> None:
            while not stop.is_set():
                try:
                    answered.append(_serves(port))
                except OSError:
                    answered.append(False)
                time.sleep(0.05)

        prober = threading.Thread(target=probe)
        prober.start()
        delays = []
        pids = {supervisor.processes["rasa"].pid}
        for _ in range(4):
            delay, pid = _kill_and_time_restart(supervisor, "rasa")
            delays.append(delay)
            pids.add(pid)
        stop.set()
        prober.join()

        assert len(pids) == 5  # four new processes
        assert supervisor.processes["rasa"].poll() is None
        # Doubling up to the cap (each a quick death, so no reset); slack for a busy machine.
        for delay, expected in zip(delays, (0.5, 1.0, 1.5, 1.5), strict=True):
            assert expected <= delay < expected + 0.45, delays
        assert answered and all(answered), "the other child stopped serving"
        assert supervisor.processes["web"].pid == web_pid
        # The restarted child's output still reaches the log (a quickly killed one may not print).
        assert wait_for(lambda: output.getvalue().count("rasa | up") >= 2, timeout=5)

    restarts = [r.getMessage() for r in caplog.records if "restarting" in r.getMessage()]
    assert restarts == [
        "rasa exited with code -9; restarting in 0.5 s",
        "rasa exited with code -9; restarting in 1.0 s",
        "rasa exited with code -9; restarting in 1.5 s",
        "rasa exited with code -9; restarting in 1.5 s",
    ]
    assert all(p.poll() is not None for p in supervisor.processes.values())


def test_a_child_that_ran_healthily_starts_the_delays_again(tmp_path: Path) -> None:
    policy = RestartPolicy(first=0.5, cap=5.0, healthy_after=1.0)
    with Supervisor(
        [_sleeper()], cwd=tmp_path, output=io.StringIO(), restart=True, policy=policy
    ) as supervisor:
        supervisor.wait_ready(timeout=5)
        first, _ = _kill_and_time_restart(supervisor, "rasa")
        time.sleep(1.2)  # healthy for longer than healthy_after
        second, _ = _kill_and_time_restart(supervisor, "rasa")
    # Without the reset the second delay would be 1.0 s.
    assert 0.5 <= first < 0.95 and 0.5 <= second < 0.95, (first, second)


def test_sigterm_stops_every_child_even_while_one_waits_for_its_restart(tmp_path: Path) -> None:
    port = free_port()
    policy = RestartPolicy(first=5.0, cap=5.0)
    with Supervisor(
        [_sleeper(), _server(port)], cwd=tmp_path, output=io.StringIO(), restart=True, policy=policy
    ) as supervisor:
        supervisor.wait_ready(timeout=20)
        os.killpg(supervisor.processes["rasa"].pid, signal.SIGKILL)
        threading.Timer(1.0, os.kill, args=(os.getpid(), signal.SIGTERM)).start()
        started = time.monotonic()
        code = supervisor.wait()  # a death is not a reason to return any more: only SIGTERM
        assert code == 0
        assert 0.9 <= time.monotonic() - started < 5.0
    assert all(p.poll() is not None for p in supervisor.processes.values())
    assert supervisor.processes["rasa"].returncode == -9  # stopping cancelled its restart


def test_without_restart_the_first_death_still_stops_everything(tmp_path: Path) -> None:
    with Supervisor([_sleeper(), _sleeper("worker")], cwd=tmp_path, output=io.StringIO()) as sup:
        sup.wait_ready(timeout=5)
        os.killpg(sup.processes["worker"].pid, signal.SIGKILL)
        assert sup.wait() == -9
    assert all(p.poll() is not None for p in sup.processes.values())


def test_a_child_that_dies_during_start_up_still_fails_start_up(tmp_path: Path) -> None:
    port = free_port()
    crash = ProcessSpec(name="rasa", command=[sys.executable, "-c", "raise SystemExit(3)"])
    with Supervisor(
        [crash, _server(port)], cwd=tmp_path, output=io.StringIO(), restart=True, policy=POLICY
    ) as supervisor:
        with pytest.raises(RuntimeError, match="rasa exited with code 3 during start-up"):
            supervisor.wait_ready(timeout=20)
        time.sleep(0.6)
        assert supervisor.processes["rasa"].returncode == 3  # not restarted behind our back


def test_what_a_dead_child_left_running_is_killed_before_its_restart(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    leaves_one = (
        "import subprocess, sys, time\n"
        f"pid_file = {str(pid_file)!r}\n"
        "import os\n"
        "if not os.path.exists(pid_file):\n"
        "    g = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "    open(pid_file, 'w').write(str(g.pid))\n"
        "    time.sleep(0.5)\n"
        "    raise SystemExit(1)\n"
        "time.sleep(600)\n"
    )
    spec = ProcessSpec(name="actions", command=[sys.executable, "-c", leaves_one])
    with Supervisor(
        [spec], cwd=tmp_path, output=io.StringIO(), restart=True, policy=POLICY
    ) as supervisor:
        supervisor.wait_ready(timeout=5)
        first = supervisor.processes["actions"]
        assert wait_for(pid_file.exists, timeout=10)
        grandchild = int(pid_file.read_text())
        assert wait_for(lambda: not _alive(grandchild), timeout=10), "left running"
        assert wait_for(lambda: supervisor.processes["actions"] is not first, timeout=5)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
