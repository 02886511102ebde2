"""Fakes at the HTTP edge of python-telegram-bot and Twilio, speaking their real payloads."""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from telegram.request import BaseRequest, RequestData
from twilio.http import HttpClient
from twilio.http.response import Response


class FakeTelegram(BaseRequest):
    """Bot API server double: records sendMessage calls, can answer 429 or 403, serves updates."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self.failures: list[tuple[int, dict[str, Any]]] = []  # consumed by sendMessage
        self.updates: list[dict[str, Any]] = []
        self.answered: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    def fail_next(self, status: int, description: str, retry_after: int | None = None) -> None:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        self.failures.append((status, body))

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = {
            k: json.loads(v) if v[:1] in "[{" or v.lstrip("-").isdigit() else v
            for k, v in (request_data.json_parameters if request_data else {}).items()
        }
        with self._lock:
            self.calls.append(api_method)
            if api_method == "getMe":
                return 200, _ok(
                    {
                        "id": 777,
                        "is_bot": True,
                        "first_name": "Chung Tay trực ban",
                        "username": "chungtay_staff_bot",
                    }
                )
            if api_method == "sendMessage":
                if self.failures:
                    status, body = self.failures.pop(0)
                    return status, json.dumps(body).encode()
                self.sent.append(params)
                return 200, _ok(
                    {
                        "message_id": len(self.sent),
                        "date": int(time.time()),
                        "chat": {"id": int(params["chat_id"]), "type": "private"},
                        "text": params["text"],
                    }
                )
            if api_method == "getUpdates":
                updates, self.updates = self.updates, []
                return 200, _ok(updates)
            if api_method == "answerCallbackQuery":
                self.answered.append(params)
                return 200, _ok(True)
        return 404, json.dumps(
            {"ok": False, "error_code": 404, "description": "Not Found"}
        ).encode()

    def press_acknowledge(self, *, chat_id: int, intake_id: int) -> None:
        """A staff member presses "Nhận xử lý" under an alert."""
        n = len(self.updates) + 1
        self.updates.append(
            {
                "update_id": 1000 + n,
                "callback_query": {
                    "id": f"cq{n}",
                    "from": {"id": chat_id, "is_bot": False, "first_name": "Lan"},
                    "chat_instance": "ci",
                    "data": f"ack:{intake_id}",
                    "message": {
                        "message_id": 1,
                        "date": int(time.time()),
                        "chat": {"id": chat_id, "type": "private"},
                        "text": "alert",
                    },
                },
            }
        )


def _ok(result: Any) -> bytes:
    return json.dumps({"ok": True, "result": result}).encode()


class FakeTwilio(HttpClient):
    """Twilio REST double for Messages.create and Calls.create; ``fail`` / ``fail_calls`` make it
    answer with an API error."""

    def __init__(self) -> None:
        super().__init__(logging.getLogger("fake-twilio"), is_async=False)
        self.sent: list[dict[str, Any]] = []
        self.calls: list[dict[str, Any]] = []
        self.fail: tuple[int, int, str] | None = None
        self.fail_calls: tuple[int, int, str] | None = None

    def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        assert method == "POST" and uri.endswith(("/Messages.json", "/Calls.json")), uri
        is_call = uri.endswith("/Calls.json")
        fail = self.fail_calls if is_call else self.fail
        if fail is not None:
            status, code, message = fail
            return Response(
                status, json.dumps({"code": code, "message": message, "status": status})
            )
        data = data or {}
        account = "AC" + "0" * 32
        if is_call:
            self.calls.append(dict(data))
            sid = f"CA{len(self.calls):032d}"
            body = {"sid": sid, "status": "queued", "to": data.get("To"), "account_sid": account}
            return Response(201, json.dumps({**body, "from": data.get("From")}))
        self.sent.append(dict(data))
        sid = f"SM{len(self.sent):032d}"
        return Response(
            201,
            json.dumps(
                {
                    "sid": sid,
                    "status": "queued",
                    "to": data.get("To"),
                    "from": data.get("From"),
                    "body": data.get("Body"),
                    "account_sid": account,
                }
            ),
        )
