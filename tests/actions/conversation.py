"""Drive the real custom actions through a conversation described in scenario JSON.

Each turn is stored the way the gateway stores it (a real SQLite store from ``make_test_settings``),
then handed to an action inside a ``rasa_sdk.Tracker`` shaped like the one Rasa sends: the user
event with the gateway's metadata, the parse data with the ``chungtay`` block, and — for form
answers — the slot candidate appended after the user event, as Rasa's FormAction does.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from intake_store.messages import record_inbound
from intake_store.store import Store

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = Path(__file__).parent / "scenarios"


def load_scenario(name: str) -> dict[str, Any]:
    return json.loads((SCENARIOS / f"{name}.json").read_text(encoding="utf-8"))


def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@dataclass
class Conversation:
    """One person on one channel, with the slots Rasa would keep for them."""

    store: Store
    channel: str = "webchat"
    sender: str = field(default_factory=lambda: secrets.token_hex(8))
    slots: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    replies: list[dict[str, Any]] = field(default_factory=list)
    conversation_id: int | None = None
    rasa_sender_id: str = ""

    def user_turn(self, turn: dict[str, Any]) -> dict[str, Any]:
        """Store the message like the gateway and add the user event; returns the parse data."""
        with self.store.begin() as session:
            record = record_inbound(
                session,
                cipher=self.store.cipher,
                hasher=self.store.hasher,
                channel=self.channel,
                sender_id=self.sender,
                external_id=secrets.token_hex(8),
                text=turn["text"],
            )
        self.conversation_id, self.rasa_sender_id = record.conversation_id, record.rasa_sender_id
        parse = {
            "text": turn["text"],
            "intent": {"name": turn.get("intent", "inform"), "confidence": 0.9},
            "entities": turn.get("entities", []),
            "chungtay": {
                "triage": turn.get("triage", "other"),
                "urgent_reasons": turn.get("urgent_reasons", []),
                "language": turn.get("language", "vi"),
            },
            # e.g. the response selector's output, as the pipeline adds it to every message
            **turn.get("parse", {}),
        }
        metadata = {
            "channel": self.channel,
            "message_id": record.message_id,
            "conversation_id": record.conversation_id,
        }
        self.events.append(
            {"event": "user", "text": turn["text"], "parse_data": parse, "metadata": metadata}
        )
        return parse

    def tracker(self, parse: dict[str, Any], candidates: dict[str, Any] | None = None) -> Tracker:
        events = list(self.events)
        slots = dict(self.slots)
        for name, value in (candidates or {}).items():
            events.append({"event": "slot", "name": name, "value": value})
            slots[name] = value
        return Tracker(self.rasa_sender_id, slots, parse, events, False, None, {}, "action_listen")

    async def run(
        self, action: Action, parse: dict[str, Any], candidates: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Run one action; apply its slot events; keep what it said."""
        if isinstance(action, FormValidationAction) and self.active_form() != action.form_name():
            # Rasa runs the form, which records its activation, before its validator.
            self.events.append({"event": "active_loop", "name": action.form_name()})
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, self.tracker(parse, candidates), domain())
        self.replies += dispatcher.messages
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
            elif event.get("event") == "reset_slots":
                self.slots = {}
        if isinstance(action, FormValidationAction) and not any(
            e.get("name") == "requested_slot" for e in events
        ):
            # What Rasa's FormAction does when the validator leaves the order to the domain.
            form = domain()["forms"][action.form_name()]["required_slots"]
            self.slots["requested_slot"] = next(
                (s for s in form if self.slots.get(s) is None), None
            )
        self.events.append({"event": "action", "name": action.name()})
        # What the person was shown, as Rasa's tracker keeps it (offers and follow-ups read it).
        self.events += [
            {"event": "bot", "text": m.get("text"), "data": {"buttons": m.get("buttons") or []}}
            for m in dispatcher.messages
        ]
        self.events += [e for e in events if e.get("event") == "slot"]
        return events

    def active_form(self) -> str | None:
        """The form the recorded events last activated (None once it ended)."""
        loops = [e.get("name") for e in self.events if e.get("event") == "active_loop"]
        return loops[-1] if loops else None

    async def reply_to_form(self, validator: FormValidationAction, turn: dict[str, Any]) -> bool:
        """The person replies to the question the form asked, routed as Rasa routes it: the
        slot's from_text mapping takes the words unless the domain excludes the intent, then the
        validator may reject the turn. True when the form kept the turn (else the rules take it).
        """
        slot = self.slots["requested_slot"]
        parse = self.user_turn(turn)
        [mapping] = domain()["slots"][slot]["mappings"]
        if parse["intent"]["name"] in mapping.get("not_intent", []):
            return False
        events = await self.run(validator, parse, {slot: turn["text"]})
        return not any(e.get("event") == "action_execution_rejected" for e in events)

    def said(self) -> str:
        return "\n".join(str(reply.get("text") or "") for reply in self.replies)
