"""The fake Bot API server: a thread serving 127.0.0.1, recording calls, injecting faults."""

from __future__ import annotations

import itertools
import json
import re
import socket
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from bot.testing.checks import (
    ApiError,
    Call,
    check_markup,
    check_text,
    decode_params,
    strip_tags,
)
from bot.testing.updates import BOT_ID, BOT_USERNAME, UpdateMaker

#: A well-formed token (matches what TelegramSettings.require_token accepts).
TOKEN = "123456789:AAEfakeFAKEfake0123456789abcdefghijk"

class FakeBotApi(UpdateMaker):
    """A fake Bot API: tests push updates in (``UpdateMaker``), the bot's calls are recorded.

    ``base_url`` (``http://127.0.0.1:PORT/bot``) goes to PTB's ``base_url``. Calls are
    checked the way Telegram would (HTML that does not parse, messages over 4096,
    callback data over 64 bytes answer 400), so rendering bugs fail loudly.

    Usage::

        with FakeBotApi() as api:
            api.push_message("ماذا قال شي؟", user_id=1)
            [call] = api.wait_for("sendMessage")
    """

    def __init__(self, token: str = TOKEN):
        self.token = token
        self.bot_user = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "NewsQA",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self.calls: list[Call] = []
        #: Called (in a server thread) with each Call as it is recorded.
        self.listeners: list[Callable[[Call], None]] = []
        self.pushed_at: dict[int, float] = {}  # update_id -> when it was pushed
        self._updates: list[dict] = []
        self._chats: dict[int, dict] = {}
        self._failures: dict[str, list[int]] = {}
        self._outages: dict[str, tuple[float, int]] = {}
        self._drops: dict[str, int] = {}
        self._cond = threading.Condition()
        self._stopped = False
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._query_ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else headers, then body: a 40 ms delayed-ACK stall

            def do_POST(self):  # noqa: N802 (http.server's naming)
                api._handle(self)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the server first"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- pushing updates ----------------------------------------------------------------

    def push_update(self, update: dict) -> int:
        """Queue a raw update (``update_id`` is added); returns its id."""
        with self._cond:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **update})
            self.pushed_at[update_id] = time.monotonic()
            self._cond.notify_all()
        return update_id

    # -- injecting faults ------------------------------------------------------------------

    def fail_next(self, method: str, times: int = 1, status: int = 502) -> None:
        """Answer the next ``times`` calls of ``method`` with an HTTP error (401, 500, 502…)."""
        with self._cond:
            self._failures.setdefault(method, []).extend([status] * times)

    def fail_for(self, method: str, seconds: float, status: int = 500) -> None:
        """Answer every call of ``method`` with an HTTP error for the next ``seconds``."""
        with self._cond:
            self._outages[method] = (time.monotonic() + seconds, status)

    def drop_next(self, method: str, times: int = 1) -> None:
        """Carry out the next ``times`` calls of ``method``, then close the connection
        without answering: the client cannot know the call arrived (a lost response)."""
        with self._cond:
            self._drops[method] = self._drops.get(method, 0) + times

    # -- reading what the bot did -----------------------------------------------------------

    def calls_of(self, method: str, predicate: Callable[[Call], bool] | None = None) -> list[Call]:
        with self._cond:
            return [
                c for c in self.calls if c.method == method and (predicate is None or predicate(c))
            ]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 10.0,
        predicate: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until ``count`` calls of ``method`` were recorded; returns them all.

        Raises:
            TimeoutError: fewer arrived in time (the message lists what did).
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [
                    c
                    for c in self.calls
                    if c.method == method and (predicate is None or predicate(c))
                ]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise TimeoutError(
                        f"{len(found)}/{count} {method} calls after {timeout}s; calls: {seen}"
                    )
                self._cond.wait(left)

    def sent_to(self, chat_id: int) -> list[Call]:
        """The sendMessage calls to one chat."""
        return self.calls_of("sendMessage", lambda c: c.params.get("chat_id") == chat_id)

    # -- serving --------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", request.path.split("?")[0])
        try:
            if match is None:
                raise ApiError(404, "Not Found")
            if match.group(1) != self.token:
                self._record(Call(match.group(2), {}, time.monotonic(), None, 401))
                raise ApiError(401, "Unauthorized")
            method, at = match.group(2), time.monotonic()
            params = decode_params(request.headers.get("Content-Type", ""), body)
            try:
                status = self._injected_failure(method)
                if status is not None:
                    raise ApiError(status, HTTPStatus(status).phrase)
                handler = getattr(self, f"_api_{method}", None)
                if handler is None:
                    raise ApiError(404, "Not Found: method not found")
                result = handler(params)
            except ApiError as exc:
                self._record(Call(method, params, at, None, exc.code))
                raise
            self._record(Call(method, params, at, result))
            if self._take_drop(method):
                request.close_connection = True
                request.connection.shutdown(socket.SHUT_RDWR)  # done, but no answer
                return
            payload, code = {"ok": True, "result": result}, 200
        except ApiError as exc:
            payload = {"ok": False, "error_code": exc.code, "description": exc.description}
            code = exc.code
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            request.send_response(code)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a long poll cancelled at shutdown)

    def _injected_failure(self, method: str) -> int | None:
        with self._cond:
            failures = self._failures.get(method)
            if failures:
                return failures.pop(0)
            until, status = self._outages.get(method, (0.0, 0))
            return status if time.monotonic() < until else None

    def _take_drop(self, method: str) -> bool:
        with self._cond:
            if self._drops.get(method):
                self._drops[method] -= 1
                return True
            return False

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()
        for listener in list(self.listeners):
            listener(call)

    def _sent_message(self, params: dict, message_id: int | None = None) -> dict:
        chat_id = params.get("chat_id")
        with self._cond:
            chat = self._chats.get(
                chat_id, {"id": chat_id, "type": "private", "first_name": "Test"}
            )
        message = {
            "message_id": message_id or next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
            "text": strip_tags(params.get("text", "…")),
        }
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        return message

    # Each _api_<method> returns the result or raises ApiError.

    def _api_getMe(self, params):
        return self.bot_user

    def _api_getUpdates(self, params):
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        with self._cond:
            while True:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or self._stopped:
                    return self._updates[:limit]
                left = deadline - time.monotonic()
                if left <= 0:
                    return []
                self._cond.wait(left)

    def _api_sendMessage(self, params):
        check_text(params, "text")
        check_markup(params.get("reply_markup"))
        return self._sent_message(params)

    def _api_editMessageText(self, params):
        check_text(params, "text")
        check_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        return self._sent_message(params, int(params["message_id"]))

    def _api_editMessageReplyMarkup(self, params):
        check_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        return self._sent_message(params, int(params["message_id"]))

    def _api_answerCallbackQuery(self, params):
        if len(params.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _api_answerInlineQuery(self, params):
        results = params.get("results") or []
        ids = [r.get("id") for r in results]
        if (
            len(results) > 50
            or len(set(ids)) != len(ids)
            or any(len(str(i).encode()) > 64 for i in ids)
        ):
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        for result in results:
            content = result.get("input_message_content") or {}
            if content.get("parse_mode") == "HTML":
                check_text(content, "message_text")
        return True

    def _api_setMyCommands(self, params):
        for command in params.get("commands") or []:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")) or not (
                1 <= len(command.get("description", "")) <= 256
            ):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        return True

    def _api_getWebhookInfo(self, params):
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    def _api_getMyCommands(self, params):
        commands = [c.params.get("commands") for c in self.calls_of("setMyCommands")]
        return commands[-1] if commands else []

    def _api_setWebhook(self, params):
        return True

    _api_deleteWebhook = _api_deleteMyCommands = _api_sendChatAction = _api_setWebhook
    _api_close = _api_logOut = _api_setWebhook
