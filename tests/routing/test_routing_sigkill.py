"""A real worker process killed with SIGKILL in the middle of delivering one alert."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from killable_worker import FileNotifier
from routing_env import RoutingEnv

from intake_store import outbox

REPO = Path(__file__).resolve().parents[2]


async def test_sigkilled_worker_is_replaced_without_double_alerts(
    env: RoutingEnv, tmp_path: Path
) -> None:
    env.clock.set(datetime.now(UTC))  # the child process runs on the real clock
    env.add_staff("Lan", chat="5001", hours=("00:00", "00:00"))  # 24 h: real clock in the child
    env.add_staff("Minh", chat="5002", hours=("00:00", "00:00"))
    ref = env.urgent_intake()
    sends = tmp_path / "sends.txt"
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("killable_worker.py")), env.url, str(sends)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if sends.exists() and len(sends.read_text().splitlines()) == 2:
                break
            time.sleep(0.05)
        assert sends.exists() and len(sends.read_text().splitlines()) == 2
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)

    env.clock.set(datetime.now(UTC) + timedelta(seconds=61))  # past the dead worker's lease
    survivor = env.worker([FileNotifier(sends, hang_on=None)], worker_id="survivor")
    assert (await survivor.run_once()).sent == 1
    received = Counter(line.split()[0] for line in sends.read_text().splitlines())
    # Lan's alert was recorded as sent: never repeated. Minh's was unconfirmed: sent again.
    assert received == {"5001": 1, "5002": 2}
    with env.store.begin() as session:
        (row,) = outbox.list_outbox(session, intake_id=ref.id)
    assert (row.status, row.attempts) == ("sent", 2)
