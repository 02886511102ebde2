"""``chungtay content check|build`` and ``chungtay ask "câu hỏi"`` for knowledge-base editors."""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import socket
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from content.answers import read_selection, reply_for
from content.build import AWARENESS_FILE, write_awareness_file
from content.knowledge import (
    KnowledgeBase,
    Problem,
    check_knowledge_base,
    errors,
    load_knowledge_base,
)

if TYPE_CHECKING:
    from chungtay.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    content = subparsers.add_parser("content", help="awareness knowledge base (content/kb)")
    commands = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    check = commands.add_parser("check", help="validate the knowledge base; non-zero on errors")
    check.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        help="check review dates as of this day (YYYY-MM-DD; default: today)",
    )
    check.set_defaults(handler=check_command)
    build = commands.add_parser("build", help=f"validate, then regenerate {AWARENESS_FILE.name}")
    build.add_argument(
        "--check", action="store_true", help="only report whether the file is up to date"
    )
    build.set_defaults(handler=build_command)

    ask = subparsers.add_parser(
        "ask", help="send one question through the running Rasa and show the answer and source"
    )
    ask.add_argument("question", help='the question, e.g. "tổng đài 111 có mất phí không"')
    ask.add_argument("--rasa-url", help="Rasa server (default: settings.rasa_url)")
    ask.add_argument(
        "--no-start",
        action="store_true",
        help="fail instead of starting a temporary Rasa when none is running",
    )
    ask.set_defaults(handler=ask_command)


def _report(problems: list[Problem]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if errors(problems) else 0


def check_command(args: argparse.Namespace | None) -> int:
    kb = load_knowledge_base()
    today = getattr(args, "today", None)
    status = _report(check_knowledge_base(kb, today=today))
    if status == 0:
        print(f"content check: {len(kb.entries)} entries OK")
    return status


def build_command(args: argparse.Namespace) -> int:
    from content.build import render_awareness_yaml

    kb = load_knowledge_base()
    if _report(check_knowledge_base(kb)):
        print("content build: fix the errors above first", file=sys.stderr)
        return 1
    if args.check:
        current = AWARENESS_FILE.read_text(encoding="utf-8") if AWARENESS_FILE.exists() else ""
        if current != render_awareness_yaml(kb):
            print(f"{AWARENESS_FILE} is out of date: run `chungtay content build`", file=sys.stderr)
            return 1
        print(f"{AWARENESS_FILE} is up to date")
        return 0
    changed = write_awareness_file(kb)
    print(f"{AWARENESS_FILE} {'written' if changed else 'unchanged'} ({len(kb.entries)} topics)")
    return 0


@dataclass(frozen=True)
class AskResult:
    intent: str
    triage: str
    language: str
    confidence: float
    text: str
    buttons: list[dict]
    entry_id: str | None
    source: str | None


def ask_question(
    question: str,
    *,
    rasa_url: str,
    auth_token: str,
    kb: KnowledgeBase,
    timeout: float = 20.0,
    transport: httpx.BaseTransport | None = None,
) -> AskResult:
    """Parse ``question`` with the running Rasa model and build the reply the action would send."""
    text = unicodedata.normalize("NFC", question)
    with httpx.Client(base_url=rasa_url, timeout=timeout, transport=transport) as client:
        # Rasa's HTTP API (`--auth-token`) reads its token from the query string only.
        response = client.post("/model/parse", params={"token": auth_token}, json={"text": text})
        response.raise_for_status()
        parse: dict[str, Any] = response.json()
    chungtay = parse.get("chungtay") or {}
    language = "en" if chungtay.get("language") == "en" else "vi"
    intent = (parse.get("intent") or {}).get("name") or ""
    selection = read_selection(parse)
    if intent != "faq":
        return AskResult(
            intent=intent,
            triage=chungtay.get("triage", ""),
            language=language,
            confidence=float((parse.get("intent") or {}).get("confidence") or 0.0),
            text="",
            buttons=[],
            entry_id=None,
            source=None,
        )
    reply, buttons, entry = reply_for(parse, language, kb)
    return AskResult(
        intent=intent,
        triage=chungtay.get("triage", ""),
        language=language,
        confidence=selection.confidence,
        text=reply,
        buttons=buttons,
        entry_id=entry.id if entry else None,
        source="; ".join(s.ref for s in entry.sources) if entry else None,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _temporary_rasa(settings: Settings) -> Iterator[tuple[str, str]]:
    """A Rasa server with the current model (trained if stale) on a free local port.

    Yields its URL and the auth token it was started with (the configured ones, else one-off
    tokens: this Rasa lives only for one question).
    """
    from chungtay.commands import rasa_server
    from chungtay.supervisor import Supervisor
    from chungtay.training import ensure_model, project_root

    root = project_root()
    model = ensure_model(root, settings.model_dir)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    settings = settings.model_copy(
        update={
            "rasa_auth_token": settings.rasa_auth_token or secrets.token_hex(32),
            "action_server_token": settings.action_server_token or secrets.token_hex(32),
        }
    )
    # /model/parse never calls the action server; endpoints.yml only needs its address.
    spec = rasa_server(settings, root=root, model=model, host="127.0.0.1", port=port)
    log_path = Path(settings.data_dir) / "ask-rasa.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"no Rasa running: starting one with {model.name} (log: {log_path})", file=sys.stderr)
    with (
        log_path.open("w", encoding="utf-8") as log,
        Supervisor([spec], cwd=root, output=log) as sup,
    ):
        sup.wait_ready(timeout=300.0)
        yield url, settings.rasa_auth_token


def ask_command(args: argparse.Namespace) -> int:
    from chungtay.settings import get_settings

    settings = get_settings()
    rasa_url = args.rasa_url or settings.rasa_url
    kb = load_knowledge_base()
    timeout = settings.rasa_timeout_seconds
    try:
        result = ask_question(
            args.question,
            rasa_url=rasa_url,
            auth_token=settings.rasa_auth_token,
            kb=kb,
            timeout=timeout,
        )
    except httpx.ConnectError:
        if args.no_start:
            print(f"no Rasa at {rasa_url}: start the stack with `chungtay run`", file=sys.stderr)
            return 2
        with _temporary_rasa(settings) as (temporary_url, token):
            result = ask_question(
                args.question, rasa_url=temporary_url, auth_token=token, kb=kb, timeout=timeout
            )
    except httpx.HTTPStatusError as error:
        # Not the error's text: it quotes the URL, token included.
        print(f"Rasa at {rasa_url} answered HTTP {error.response.status_code}", file=sys.stderr)
        return 2
    except httpx.HTTPError as error:
        print(f"Rasa at {rasa_url} failed: {error.__class__.__name__}", file=sys.stderr)
        return 2
    print(f"intent: {result.intent}  triage: {result.triage or '-'}  language: {result.language}")
    if result.intent != "faq":
        print("not an awareness question: the conversation takes the triage path instead")
        return 0
    print(f"entry: {result.entry_id or '(low confidence: topics offered)'}")
    print(f"confidence: {result.confidence:.2f}")
    if result.source:
        print(f"source: {result.source}")
    print("--- reply ---")
    print(result.text)
    for button in result.buttons:
        print(f"[{button['title']}] -> {button['payload']}")
    return 0
