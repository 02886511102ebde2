"""Forwarding one stored message to Rasa's ``chungtay`` REST channel (docs/architecture.md)."""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

import httpx

from bot.messages import BotReply


class RasaUnavailable(Exception):
    """Rasa (or the action server behind it) did not answer usefully; the message stays queued."""


class RasaClient:
    def __init__(
        self,
        base_url: str,
        *,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport
        )

    async def send(
        self,
        *,
        sender: str,
        text: str,
        channel: str,
        message_id: int,
        conversation_id: int,
    ) -> list[BotReply]:
        body = {
            "sender": sender,
            "message": unicodedata.normalize("NFC", text),
            "metadata": {
                "channel": channel,
                "message_id": message_id,
                "conversation_id": conversation_id,
            },
        }
        try:
            response = await self._client.post("/webhooks/chungtay/webhook", json=body)
        except httpx.HTTPError as error:
            raise RasaUnavailable(f"{error.__class__.__name__}") from error
        # Rasa answers 500 when the action server is down or an action failed.
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        try:
            items: Any = response.json()
        except ValueError as error:
            raise RasaUnavailable("invalid JSON") from error
        if not isinstance(items, list):
            raise RasaUnavailable("unexpected answer shape")
        replies = [BotReply.from_rasa(item) for item in items if isinstance(item, dict)]
        return [reply for reply in replies if reply is not None]

    async def append_events(self, *, sender: str, events: list[dict[str, Any]]) -> None:
        """Add events to a conversation's tracker (Rasa's HTTP API, ``rasa run --enable-api``)."""
        await self._tracker_events("POST", sender, events)

    async def replace_events(self, *, sender: str, events: list[dict[str, Any]]) -> None:
        """Replace a conversation's whole tracker; ``[]`` forgets it (in-memory tracker store)."""
        await self._tracker_events("PUT", sender, events)

    async def _tracker_events(self, method: str, sender: str, events: list[dict[str, Any]]) -> None:
        path = f"/conversations/{quote(sender, safe='')}/tracker/events"
        try:
            response = await self._client.request(
                method, path, params={"include_events": "NONE"}, json=events
            )
        except httpx.HTTPError as error:
            raise RasaUnavailable(f"{error.__class__.__name__}") from error
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")

    async def aclose(self) -> None:
        await self._client.aclose()
