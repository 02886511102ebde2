"""A supervisor blocks the address a flood of web chats comes from, on the intake page; the
gateway then answers that address with 113/111 only; unblocking restores it. Both audited."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bot.app import create_app as create_gateway
from intake_store import audit
from intake_store.models import Intake, OutboxRow
from tests.conftest import make_test_settings
from tests.console.conftest import make_console
from tests.gateway.conftest import RASA_URL, FakeRasa

URGENT = "cứu tôi với, tôi đang bị nhốt"


def _chat(n: int) -> dict[str, str]:
    return {"session": f"flood{n:03d}" + "z" * 16, "message_id": f"m-{n:08d}", "text": URGENT}


def _counts(store: object) -> tuple[int, int]:
    with store.begin() as session:  # type: ignore[attr-defined]
        return (
            int(session.scalar(select(func.count()).select_from(Intake)) or 0),
            int(session.scalar(select(func.count()).select_from(OutboxRow)) or 0),
        )


async def test_supervisor_blocks_an_address_from_the_intake_page_and_unblocks_it(
    tmp_path: Path,
) -> None:
    settings = make_test_settings(tmp_path, rasa_url=RASA_URL)
    console_run = make_console(settings)
    console = next(console_run)
    rasa = FakeRasa()
    gateway = create_gateway(
        settings, store=console.store, rasa_transport=rasa.transport, retry_loop=False
    )
    transport = httpx.ASGITransport(app=gateway, client=("198.51.100.23", 5555))
    async with (
        gateway.router.lifespan_context(gateway),
        httpx.AsyncClient(transport=transport, base_url="http://gw") as web,
    ):
        assert (await web.post("/webchat/messages", json=_chat(0))).status_code == 200
        with console.store.begin() as session:
            intake_id = session.scalars(select(Intake.id)).one()
        page = f"/intakes/{intake_id}"

        # An operator sees no block form and may not post one.
        assert console.login("operator") == 303
        assert "Chặn địa chỉ mạng này" not in console.client.get(page).text
        refused = console.post(f"{page}/block", {"kind": "address", "reason": "tin giả"})
        assert refused == 403
        console.client.post("/logout", data={"csrf_token": console.csrf()})

        assert console.login("supervisor") == 303
        html = console.client.get(page).text
        assert "Chặn địa chỉ mạng này" in html and "Chặn người gửi này" in html
        assert console.post(f"{page}/block", {"kind": "address", "reason": ""}) == 400
        assert console.post("/intakes/999999/block", {"kind": "sender", "reason": "x"}) == 404
        assert console.post(f"{page}/block", {"kind": "address", "reason": "tin giả"}) == 303
        html = console.client.get(page).text
        assert "Địa chỉ mạng của hồ sơ này đang bị chặn." in html
        [block_id] = re.findall(r'id="block-(\d+)"', html)
        assert "198.51.100.23" not in html

        before, calls = _counts(console.store), len(rasa.calls)
        blocked = await web.post("/webchat/messages", json=_chat(1))
        assert blocked.status_code == 200
        [reply] = blocked.json()["replies"]
        assert "113" in reply["text"] and "111" in reply["text"]
        assert _counts(console.store) == before and len(rasa.calls) == calls

        assert console.post(f"/blocks/{block_id}/unblock", {"reason": "", "back": "1"}) == 400
        unblocked = console.post(
            f"/blocks/{block_id}/unblock", {"reason": "đã xác minh", "back": str(intake_id)}
        )
        assert unblocked == 303
        assert f'id="block-{block_id}"' not in console.client.get(page).text
        assert (await web.post("/webchat/messages", json=_chat(2))).status_code == 200
        assert len(rasa.calls) == calls + 1 and _counts(console.store)[0] == before[0] + 1

    with console.store.begin() as session:
        trail = [
            (a.action, a.actor, a.reason)
            for a in audit.list_audit(session, subject_type="intake", subject_id=intake_id)
            if a.action in ("block_source", "unblock_source")
        ]
    assert sorted(trail) == [
        ("block_source", "supervisor", "tin giả"),
        ("unblock_source", "supervisor", "đã xác minh"),
    ]
    next(console_run, None)  # closes the console and its store
