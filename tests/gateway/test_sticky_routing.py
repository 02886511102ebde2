"""Several Rasa replicas: one conversation sticks to one replica, and fails over in hash order."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import Counter

import httpx
import pytest

from bot.rasa_client import RasaClient, RasaUnavailable, parse_urls, rendezvous_order

URLS = [f"http://rasa-{n}.internal:5005" for n in range(1, 5)]
SENDERS = [secrets.token_hex(16) for _ in range(6000)]


def primary(sender: str, urls: list[str]) -> str:
    return rendezvous_order(sender, urls)[0]


def test_hash_is_stable_and_independent_of_the_list_order() -> None:
    # blake2b, not hash(): the same replica in every gateway process and after restarts.
    assert rendezvous_order("abc", URLS) == rendezvous_order("abc", list(reversed(URLS)))
    assert primary("abc", URLS) == primary("abc", URLS[:]) == "http://rasa-2.internal:5005"


def test_hash_spreads_conversations_evenly() -> None:
    counts = Counter(primary(sender, URLS) for sender in SENDERS)
    assert set(counts) == set(URLS)
    share = len(SENDERS) / len(URLS)
    assert all(abs(count - share) < 0.08 * share for count in counts.values()), counts


def test_when_a_replica_leaves_only_its_conversations_move_each_to_its_next_choice() -> None:
    gone = URLS[1]
    rest = [url for url in URLS if url != gone]
    moved = 0
    for sender in SENDERS:
        before = rendezvous_order(sender, URLS)
        after = primary(sender, rest)
        if before[0] == gone:
            moved += 1
            assert after == before[1]  # the failover target the gateway already used
        else:
            assert after == before[0]
    assert abs(moved - len(SENDERS) / 4) < 0.08 * len(SENDERS) / 4
    # And a replica joining takes about 1/(n+1) of the conversations, all from the others.
    joined = [*URLS, "http://rasa-5.internal:5005"]
    changed = [s for s in SENDERS if primary(s, joined) != primary(s, URLS)]
    assert all(primary(s, joined) == joined[-1] for s in changed)
    assert abs(len(changed) - len(SENDERS) / 5) < 0.1 * len(SENDERS) / 5


def test_parse_urls() -> None:
    assert parse_urls(" http://a:5005/, http://b:5005,,http://a:5005") == [
        "http://a:5005",
        "http://b:5005",
    ]


class Replicas:
    """Rasa replicas behind one MockTransport: each can be up, refusing, or time out mid-way."""

    def __init__(self, urls: list[str], delay: float = 0.0) -> None:
        self.state = dict.fromkeys(urls, "up")
        self.delay = delay
        self.calls: list[tuple[str, int]] = []
        self.events: list[str] = []

    async def handler(self, request: httpx.Request) -> httpx.Response:
        url = f"{request.url.scheme}://{request.url.host}:{request.url.port}"
        body = json.loads(request.content)
        if self.state[url] == "refusing":
            raise httpx.ConnectError("connection refused", request=request)
        message_id = body["metadata"]["message_id"]
        self.calls.append((url, message_id))
        self.events.append(f"start {message_id}")
        await asyncio.sleep(self.delay)
        self.events.append(f"end {message_id}")
        if self.state[url] == "timeout":
            raise httpx.ReadTimeout("read timeout", request=request)
        return httpx.Response(200, json=[{"recipient_id": body["sender"], "text": url}])


async def _send(client: RasaClient, sender: str, message_id: int) -> str:
    replies = await client.send(
        sender=sender, text="xin chào", channel="webchat", message_id=message_id, conversation_id=1
    )
    return replies[0].text


async def test_client_sticks_fails_over_in_hash_order_and_never_resends_a_sent_message() -> None:
    urls = URLS[:3]
    replicas = Replicas(urls)
    client = RasaClient(
        ",".join(urls), timeout=5, auth_token="t", transport=httpx.MockTransport(replicas.handler)
    )
    sender = SENDERS[0]
    order = rendezvous_order(sender, urls)
    try:
        assert [await _send(client, sender, n) for n in (1, 2, 3)] == [order[0]] * 3
        replicas.state[order[0]] = "refusing"  # down: never reached, so safe to go elsewhere
        assert await _send(client, sender, 4) == order[1]
        assert client.replicas_for(sender)[-1] == order[0]  # tried last while marked down
        replicas.state[order[1]] = "timeout"  # reached, maybe processed: must not go to a third
        with pytest.raises(RasaUnavailable):
            await _send(client, sender, 5)
        assert [url for url, n in replicas.calls if n == 5] == [order[1]]
    finally:
        await client.aclose()


async def test_one_senders_messages_go_one_at_a_time_lowest_id_first() -> None:
    # Rasa takes long enough on 10 for 13, 11 and 12 to be queued behind it even on a loaded
    # machine (a 0.05 s turn once ended before they were all waiting, and 13 went first).
    replicas = Replicas(URLS[:2], delay=0.5)
    client = RasaClient(
        URLS[:2], timeout=5, auth_token="t", transport=httpx.MockTransport(replicas.handler)
    )
    try:
        first = asyncio.create_task(_send(client, "person", 10))
        while "start 10" not in replicas.events:  # 10 is at Rasa; 13, 11, 12 queue out of order
            await asyncio.sleep(0.005)
        rest = [asyncio.create_task(_send(client, "person", n)) for n in (13, 11, 12)]
        other = asyncio.create_task(_send(client, "someone-else", 99))
        await asyncio.gather(first, *rest, other)
    finally:
        await client.aclose()
    mine = [e for e in replicas.events if not e.endswith(" 99")]
    assert mine == [f"{what} {n}" for n in (10, 11, 12, 13) for what in ("start", "end")]
    # Another conversation is not held up behind this one.
    assert replicas.events.index("start 99") < replicas.events.index("end 10")
