"""Several workers on one outbox, and a worker that dies between sends."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from routing_env import RoutingEnv

from intake_store import outbox
from intake_store.roster import StaffRef
from intake_store.store import Store
from routing.notify.base import StaffAlert


class Killed(BaseException):
    """Stands for SIGKILL: nothing in the worker may catch it."""


async def test_worker_killed_mid_delivery_redelivers_without_double_send(env: RoutingEnv) -> None:
    env.add_staff("Lan", chat="5001")
    env.add_staff("Minh", chat="5002")
    ref = env.urgent_intake()
    dying = env.worker([env.telegram_notifier()], worker_id="dying")
    telegram = env.telegram_notifier()

    # Lan is alerted; the worker dies right after Telegram accepted Minh's alert.
    async def send_then_die(recipient: StaffRef, alert: StaffAlert) -> str:
        provider_ref = await telegram.send(recipient, alert)
        if recipient.telegram_chat_id == "5002":
            raise Killed
        return provider_ref

    dying.notifiers[0].send = send_then_die
    with pytest.raises(Killed):
        await dying.run_once()
    with env.store.begin() as session:
        (row,) = outbox.list_outbox(session, intake_id=ref.id)
    assert row.status == "sending"  # the claim outlives the dead worker ...

    survivor = env.worker([env.telegram_notifier()], worker_id="survivor")
    assert (await survivor.run_once()).claimed == 0  # ... until its lease expires
    env.clock.advance(61)
    assert (await survivor.run_once()).sent == 1
    # Lan is not alerted twice; Minh's unconfirmed send is repeated (at-least-once).
    assert Counter(m["chat_id"] for m in env.telegram.sent) == {5001: 1, 5002: 2}
    await survivor.aclose()


def test_two_workers_racing_send_each_alert_once(
    env: RoutingEnv, make_store: Callable[[str], Store]
) -> None:
    env.add_staff("Lan", chat="5001")
    refs = [env.urgent_intake(f"m{i}", sender=f"p{i}") for i in range(24)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run(name: str) -> None:
        store = make_store(env.url)  # own engine and connections, like a second process
        try:
            worker = env.worker([env.telegram_notifier()], worker_id=name, store=store)
            worker.config = type(worker.config)(
                console_base_url="https://console.example.vn", batch_size=3
            )
            start.wait()

            async def drain() -> None:
                # Keep competing until every row is delivered (an empty claim is not the end).
                for _ in range(500):
                    await worker.run_once()
                    with store.begin() as session:
                        busy = [r for r in outbox.list_outbox(session) if r.status != "sent"]
                    if not busy:
                        break
                await worker.aclose()

            asyncio.run(drain())
        except BaseException as error:
            errors.append(error)
        finally:
            store.dispose()

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    sent_codes = Counter(m["text"].split("hồ sơ ")[1].split("\n")[0] for m in env.telegram.sent)
    assert sent_codes == {r.reference_code: 1 for r in refs}
    with env.store.begin() as session:
        rows = outbox.list_outbox(session)
    assert {r.status for r in rows} == {"sent"} and len(rows) == 24


async def test_a_slow_delivery_keeps_its_lease_so_no_second_worker_sends_it_again(
    env: RoutingEnv,
) -> None:
    for n in range(3):
        env.add_staff(f"Trực {n}", chat=f"500{n}")
    ref = env.urgent_intake()
    slow = env.worker([env.telegram_notifier()], worker_id="slow")
    other = env.worker([env.telegram_notifier()], worker_id="other")
    telegram = env.telegram_notifier()
    claimed_by_other: list[int] = []

    # Each send takes 40 s, so the three together outlast the 60 s lease; the other worker
    # polls the outbox while each one is out.
    async def slow_send(recipient: StaffRef, alert: StaffAlert) -> str:
        env.clock.advance(40)
        claimed_by_other.append((await other.run_once()).claimed)
        return await telegram.send(recipient, alert)

    slow.notifiers[0].send = slow_send
    assert (await slow.run_once()).sent == 1
    assert claimed_by_other == [0, 0, 0]
    assert Counter(m["chat_id"] for m in env.telegram.sent) == {5000: 1, 5001: 1, 5002: 1}
    with env.store.begin() as session:
        assert [r.status for r in outbox.list_outbox(session, intake_id=ref.id)] == ["sent"]
    await slow.aclose()
    await other.aclose()
