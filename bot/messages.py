"""The one message model every channel converts its traffic to and from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Channel = Literal["webchat", "telegram", "zalo", "sms"]


@dataclass(frozen=True)
class Attachment:
    """A media or location item; stored as metadata only (type and provider URL/coordinates)."""

    kind: str  # image, audio, video, file, sticker, location, ...
    url: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "url": self.url,
            **({"payload": self.payload} if self.payload else {}),
        }


@dataclass(frozen=True)
class InboundMessage:
    channel: Channel
    sender_id: str  # the channel's own id (chat id, Zalo user id, phone number): personal data
    external_id: str  # the channel's message id; the dedupe key together with the channel
    text: str
    attachments: tuple[Attachment, ...] = ()
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class BotReply:
    """One bot message as Rasa's REST channel returns it, reduced to what channels can show."""

    text: str
    buttons: tuple[Button, ...] = ()

    @classmethod
    def from_rasa(cls, item: dict[str, Any]) -> BotReply | None:
        text = item.get("text")
        if not isinstance(text, str):
            custom = item.get("custom")
            text = custom.get("text") if isinstance(custom, dict) else None
        if not isinstance(text, str) or not text.strip():
            return None
        buttons = tuple(
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", b.get("title", ""))))
            for b in item.get("buttons") or []
            if isinstance(b, dict) and b.get("title")
        )
        return cls(text=text, buttons=buttons)

    def buttons_json(self) -> list[dict[str, str]] | None:
        return [{"title": b.title, "payload": b.payload} for b in self.buttons] or None
