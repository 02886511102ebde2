"""A worker process for the SIGKILL test: logs each send to a file, then hangs on chat 5002.

python tests/routing/killable_worker.py DATABASE_URL SENDS_FILE
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from intake_store.db import make_engine, make_session_factory
from intake_store.roster import StaffRef
from routing.notify.base import StaffMessage
from routing.worker import RoutingWorker, WorkerConfig


class FileNotifier:
    """Every send is a line in a file: what the staff member's phone would have received."""

    channel = "telegram"

    def __init__(self, path: Path, hang_on: str | None) -> None:
        self.path = path
        self.hang_on = hang_on

    def can_reach(self, recipient: StaffRef) -> bool:
        return bool(recipient.telegram_chat_id)

    async def send(self, recipient: StaffRef, alert: StaffMessage) -> str:
        with self.path.open("a") as sends:
            sends.write(f"{recipient.telegram_chat_id} {alert.reference_code}\n")
        if recipient.telegram_chat_id == self.hang_on:
            time.sleep(600)  # sent, but never recorded: the parent kills us here
        return "ok"


def main() -> None:
    url, sends = sys.argv[1], Path(sys.argv[2])
    worker = RoutingWorker(
        session_factory=make_session_factory(make_engine(url)),
        notifiers=[FileNotifier(sends, hang_on="5002")],
        config=WorkerConfig(),
        worker_id="doomed",
    )
    asyncio.run(worker.run_once())


if __name__ == "__main__":
    main()
