"""The one message model every channel converts its traffic to and from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Channel = Literal["webchat", "telegram", "zalo", "sms"]


def storable(value: str) -> str:
    """Text every store can hold: a lone surrogate (a valid JSON escape, but not UTF-8) becomes
    U+FFFD and NUL (which PostgreSQL refuses) is dropped. Everything else is kept as sent."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace("\x00", "")


def _storable_tree(value: Any) -> Any:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable(str(k)): _storable_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable_tree(v) for v in value]
    return value


@dataclass(frozen=True)
class Attachment:
    """A media or location item; stored as metadata only (type and provider URL/coordinates)."""

    kind: str  # image, audio, video, file, sticker, location, ...
    url: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", storable(self.kind))
        object.__setattr__(self, "url", storable(self.url) if self.url is not None else None)
        object.__setattr__(self, "payload", _storable_tree(self.payload))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "url": self.url,
            **({"payload": self.payload} if self.payload else {}),
        }


# messages.external_id is VARCHAR(128); providers' ids are far shorter (a Twilio SID is 34).
MAX_EXTERNAL_ID = 120


@dataclass(frozen=True)
class InboundMessage:
    channel: Channel
    sender_id: str  # the channel's own id (chat id, Zalo user id, phone number): personal data
    external_id: str  # the channel's message id; the dedupe key together with the channel
    text: str
    attachments: tuple[Attachment, ...] = ()
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # Web chat: the keyed hash of the client's address (bot/flood.py); never the address itself.
    source: str | None = None

    def __post_init__(self) -> None:
        # Channels hand over whatever the JSON or form carried; the store needs valid text.
        for name in ("sender_id", "external_id", "text"):
            object.__setattr__(self, name, storable(getattr(self, name)))


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class BotReply:
    """One bot message as Rasa's REST channel returns it, reduced to what channels can show."""

    text: str
    buttons: tuple[Button, ...] = ()
    # Set when a person (an operator) wrote it, not the assistant: "Cán bộ" (bot/staff_label.py).
    staff_label: str | None = None

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
