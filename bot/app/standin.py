"""An offline Telegram: a BaseRequest that answers Bot API calls without a network.

The real Application, handlers, JobQueue and database run against it, in the tests
and in the demo. It records every call, lets simulated people write and press
buttons in private chats and groups, and can play Telegram's limits and errors.

Limits, when switched on, counted as Telegram counts them: when a message ARRIVES
(after the simulated latency and whatever the event loop added), sends and edits
alike: at most 30 in any one-second window overall, 20 in any 60 seconds per group,
and about one a second per private chat (a burst of 3, then one a second). Going over
answers 429 with retry_after, as Telegram does; a refused message does not count.
(It shares no arithmetic with the bot's own pacing, bot/sending/pacing.py: the bot
cannot see arrivals, only when it asked and when the answer came.)

Faults (`fail`, `chaos`, `blocked`, `gone`): 429 with retry_after, 5xx, timeouts
(before Telegram got the message, or after it delivered it and the answer was lost),
400 "chat not found" and 403 "bot was blocked by the user"; one at a time, in bursts
after a number of calls, or drawn at random from a seed (the same seed gives the same
faults to the same chat, however the calls interleave).

What Telegram always refuses, it refuses here too, with Telegram's own answer
(docs/standin.md lists them): a method it does not know (404), a text of more than
4,096 UTF-16 code units (or none), a caption of more than 1,024, button data of more
than 64 bytes, an edit of a message that is not there or that changes nothing, a
deletion of a message that is not there, a button answer (callback query alert) of
more than 200 characters, and a second answer to the same press.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import math
import random
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import httpx
from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import TimedOut
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.core.clock import Clock, utc_now

SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
EDIT_METHODS = frozenset({"editMessageText", "editMessageReplyMarkup"})
# What Telegram's flood control counts as a message: sends and edits alike.
COUNTED_METHODS = SEND_METHODS | EDIT_METHODS
# Every method the stand-in plays; any other gets Telegram's answer to an unknown one.
KNOWN_METHODS = COUNTED_METHODS | frozenset(
    {
        "getMe", "getUpdates", "answerCallbackQuery", "deleteMessage", "setMyCommands",
        "setWebhook", "deleteWebhook", "getWebhookInfo", "close", "logOut",
    }
)  # fmt: skip
BOT_ID = 123456
# "timeout": the request never reached Telegram; "timeout-delivered": Telegram delivered
# the message, but the answer was lost on the way back (the request layer timed out).
# "409": another process polls with the same token (getUpdates).
FAULT_KINDS = (
    "429", "403", "400-chat", "400", "409", "500", "502", "503", "timeout",
    "timeout-delivered",
)  # fmt: skip
CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"  # noqa: E501
WEBHOOK_ACTIVE = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"  # noqa: E501
WEBHOOK_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# With long_polling, the longest a getUpdates without updates waits (Telegram: `timeout`).
LONG_POLL_MAX = 1.0
# Telegram's sizes (Bot API: sendMessage, sendPhoto, answerCallbackQuery), in characters.
TEXT_MAX = 4096
CAPTION_MAX = 1024
CALLBACK_ANSWER_MAX = 200
# Telegram's limit on a button's callback_data, in bytes (UTF-8).
CALLBACK_DATA_MAX = 64
# Telegram's flood control (as it counts: at arrival). Overall: 30 in any second.
OVERALL_LIMIT, OVERALL_WINDOW = 30, 1.0
# A group: 20 in any minute. A private chat: a burst of 3, then one a second.
GROUP_LIMIT, GROUP_WINDOW = 20, 60.0
PRIVATE_BURST, PRIVATE_PER_SECOND = 3, 1.0
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup"
    " are exactly the same as a current content and reply markup of the message"
)
# What Telegram marks as a command at the start of a message: /name or /name@bot.
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{1,64})?(?![A-Za-z0-9_@])")


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    at: float
    files: dict[str, int] = field(default_factory=dict)  # part name -> size in bytes
    outcome: str = "ok"  # or the fault kind that answered
    retry_after: int | None = None  # with a 429
    uploads: dict[str, bytes] = field(default_factory=dict)  # part name -> the file itself
    filenames: dict[str, str] = field(default_factory=dict)  # part name -> its file name
    limited: bool = False  # the 429 is Telegram's flood control, not a fault a test set

    @property
    def delivered(self) -> bool:
        """The person got it (a lost answer does not make it unsent)."""
        return self.outcome in ("ok", "timeout-delivered")


@dataclass(frozen=True)
class SimUser:
    id: int
    first_name: str
    language_code: str | None = None
    last_name: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass(frozen=True)
class SimGroup:
    id: int
    title: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": "supergroup", "title": self.title}


@dataclass
class Fault:
    """An error to answer instead of success, for calls that match."""

    kind: str  # one of FAULT_KINDS
    chat_id: int | None = None
    method: str | None = None
    times: int = 1
    retry_after: int = 1
    after: int = 0  # let this many matching calls through first (a burst mid-way)
    # An outage: every matching call from start to end (on the stand-in's clock) fails.
    during: tuple[dt.datetime, dt.datetime] | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}")

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.method is not None and self.method != method:
            return False
        if self.method is None and method not in SEND_METHODS:
            return False
        return self.chat_id is None or _int(params.get("chat_id")) == self.chat_id


@dataclass(frozen=True)
class Chaos:
    """Faults drawn at random: each send to a chat fails with `rates[kind]` probability.

    The draw depends only on the seed, the chat and how many sends that chat had before,
    so a run is reproducible even though concurrent sends interleave differently.
    """

    seed: int
    rates: Mapping[str, float]
    retry_after: tuple[int, ...] = (1, 2)
    chats: frozenset[int] | None = None  # only these chats; None: every chat

    def __post_init__(self) -> None:
        for kind in self.rates:
            Fault(kind)  # checks the kind
        if sum(self.rates.values()) >= 1:
            raise ValueError("the fault rates add up to 1 or more: nothing would arrive")

    def draw(self, chat_id: int, nth: int) -> Fault | None:
        if self.chats is not None and chat_id not in self.chats:
            return None
        dice = random.Random(f"{self.seed}:{chat_id}:{nth}")
        roll = dice.random()
        for kind, rate in self.rates.items():
            if roll < rate:
                return Fault(kind, chat_id, retry_after=dice.choice(self.retry_after))
            roll -= rate
        return None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _Bucket:
    """A leaky bucket: `capacity` at once, then `per_second` (a private chat)."""

    def __init__(self, capacity: float, per_second: float) -> None:
        self.capacity, self.rate = capacity, per_second
        self.level, self.at = 0.0, 0.0

    def wait(self, now: float) -> float:
        """0 when there is room now, else seconds until there is."""
        level = max(0.0, self.level - (now - self.at) * self.rate)
        if level + 1 <= self.capacity + 1e-9:
            return 0.0
        return (level + 1 - self.capacity) / self.rate

    def take(self, now: float) -> None:
        self.level = max(0.0, self.level - (now - self.at) * self.rate) + 1
        self.at = now


class _Window:
    """A sliding window: at most `limit` arrivals in any `seconds` (overall, a group)."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self.arrivals: deque[float] = deque()

    def wait(self, now: float) -> float:
        while self.arrivals and self.arrivals[0] <= now - self.seconds:
            self.arrivals.popleft()
        if len(self.arrivals) < self.limit:
            return 0.0
        return self.arrivals[0] + self.seconds - now

    def take(self, now: float) -> None:
        self.arrivals.append(now)


class FakeTelegram(BaseRequest):
    def __init__(
        self,
        bot_username: str = "SchakelBot",
        *,
        limits: bool = False,
        latency: float = 0.0,
        clock: Clock = utc_now,
        long_polling: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot_username = bot_username
        # getUpdates waits (up to LONG_POLL_MAX) as Telegram's does, for a bot run with
        # run_polling (tests/run_child.py); otherwise it would ask again at once, for ever.
        self.long_polling = long_polling
        self.clock = clock  # for outages (`fail(..., during=...)`): the bot's clock in tests
        # Telegram's own clock, for the limits (tests of the limits move it themselves).
        self.monotonic = monotonic
        self.limits = limits
        self.latency = latency
        self.calls: list[ApiCall] = []
        self.faults: list[Fault] = []
        self.chaos: Chaos | None = None
        self.blocked: set[int] = set()  # users who blocked the bot: always 403
        self.gone: set[int] = set()  # chats that no longer exist: always 400 chat not found
        self._sends_to: dict[int, int] = defaultdict(int)  # chat -> send calls so far
        self.names: dict[int, str] = {BOT_ID: "Schakel"}
        self.transcript: list[tuple[int, str, str]] = []  # (chat, who, text)
        self.menus: dict[int, list[str]] = {}  # chat -> labels of its persistent keyboard
        # callback query id -> (who pressed, the answer's text: "" for none); each press
        # may be answered once, as in Telegram.
        self.answers: dict[str, tuple[int, str]] = {}
        self._pressed_by: dict[str, int] = {}
        self.on_send: Callable[[ApiCall], None] | None = None
        self._messages: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        self._message_ids = itertools.count(1)
        self._last_sent: dict[tuple[int, int], int] = {}  # (chat, user): their last message
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._overall = _Window(OVERALL_LIMIT, OVERALL_WINDOW)
        self._per_chat: dict[int, _Bucket | _Window] = {}
        self._application: Application[Any, Any, Any, Any, Any, Any] | None = None
        # setWebhook's url and secret_token; while set, updates are posted there (to
        # `webhook_target`, the address the HTTPS proxy in front of the bot passes them
        # on to) and getUpdates is refused, as on Telegram.
        self.webhook: tuple[str, str] | None = None
        self.webhook_target: str | None = None
        self.webhook_answers: list[int] = []  # the HTTP status of each post, in order

    # --- BaseRequest ------------------------------------------------------------

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        uploads, filenames = {}, {}
        if request_data is not None and request_data.contains_files:
            for name, part in request_data.multipart_data.items():
                uploads[name] = part[1] if isinstance(part[1], bytes) else b""
                filenames[name] = str(part[0])
        files = {name: len(data) for name, data in uploads.items()}
        if self.latency:
            await asyncio.sleep(self.latency)
        # Stamped when it arrives: after the latency and whatever delay the event loop
        # added, which is when Telegram counts it.
        call = ApiCall(
            api_method, params, self.monotonic(), files, uploads=uploads, filenames=filenames
        )
        self.calls.append(call)
        failure = self._failure(api_method, params, call)
        if failure is not None:
            return failure
        if api_method == "getUpdates" and self.long_polling:
            await asyncio.sleep(min(_int(params.get("timeout")) or 0, LONG_POLL_MAX))
        result = self._answer(api_method, params, call)
        if api_method in SEND_METHODS and self.on_send is not None:
            self.on_send(call)
        if call.outcome == "timeout-delivered":
            raise TimedOut("simulated timeout: delivered, but the answer was lost")
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # --- what goes wrong --------------------------------------------------------

    def fail(
        self,
        kind: str,
        *,
        chat_id: int | None = None,
        method: str | None = None,
        times: int = 1,
        retry_after: int = 1,
        after: int = 0,
        during: tuple[dt.datetime, dt.datetime] | None = None,
    ) -> None:
        """Answer `times` matching calls with an error instead of success, after letting
        `after` of them through (a burst in the middle of a delivery); or, `during` an
        outage, every matching call."""
        self.faults.append(Fault(kind, chat_id, method, times, retry_after, after, during))

    def _failure(
        self, method: str, params: dict[str, Any], call: ApiCall
    ) -> tuple[int, bytes] | None:
        chat_id = _int(params.get("chat_id"))
        if method in SEND_METHODS and chat_id is not None:
            if chat_id in self.blocked:
                call.outcome = "403"
                return _error(403, "Forbidden: bot was blocked by the user")
            if chat_id in self.gone:
                call.outcome = "400-chat"
                return _error(400, "Bad Request: chat not found")
            nth = self._sends_to[chat_id]
            self._sends_to[chat_id] += 1
            drawn = self.chaos.draw(chat_id, nth) if self.chaos is not None else None
            if drawn is not None:
                return _fault_answer(drawn, call)
        for fault in self.faults:
            if fault.during is not None:
                start, end = fault.during
                if start <= self.clock() < end and fault.matches(method, params):
                    return _fault_answer(fault, call)
            elif fault.times > 0 and fault.matches(method, params):
                if fault.after > 0:
                    fault.after -= 1
                    continue
                fault.times -= 1
                return _fault_answer(fault, call)
        if method not in KNOWN_METHODS:
            call.outcome = "404"
            return _error(404, "Not Found")
        if method == "getUpdates" and self.webhook is not None:
            call.outcome = "409"
            return _error(409, WEBHOOK_ACTIVE)
        if method == "setWebhook" and (refused := _bad_webhook(params)):
            call.outcome = "400"
            return _error(400, refused)
        if refused := _refused(method, params, self.answers) or self._impossible(method, params):
            call.outcome = "400"
            return _error(400, refused)
        if self.limits and method in COUNTED_METHODS and chat_id is not None:
            wait = self._limit_wait(chat_id, call.at)
            if wait > 0:
                retry_after = math.ceil(wait)
                call.outcome, call.retry_after, call.limited = "429", retry_after, True
                return _error(
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    {"retry_after": retry_after},
                )
        return None

    def _limit_wait(self, chat_id: int, now: float) -> float:
        """0 and counted when this message may arrive now, else the seconds until it may."""
        per_chat = self._per_chat.get(chat_id)
        if per_chat is None:
            per_chat = (
                _Window(GROUP_LIMIT, GROUP_WINDOW)
                if chat_id < 0
                else _Bucket(PRIVATE_BURST, PRIVATE_PER_SECOND)
            )
            self._per_chat[chat_id] = per_chat
        wait = max(self._overall.wait(now), per_chat.wait(now))
        if wait <= 0:
            self._overall.take(now)
            per_chat.take(now)
        return wait

    def _impossible(self, method: str, params: dict[str, Any]) -> str:
        """Telegram's 400 for a call about a message that is not there, or an edit that
        changes nothing; "" when it is fine."""
        if method not in EDIT_METHODS and method != "deleteMessage":
            return ""
        chat_id, message_id = _int(params.get("chat_id")), _int(params.get("message_id"))
        message = self._messages.get(chat_id or 0, {}).get(message_id or 0)
        if method == "deleteMessage":
            return "" if message is not None else "Bad Request: message to delete not found"
        if message is None:
            return "Bad Request: message to edit not found"
        if message.get("from", {}).get("id") != BOT_ID:
            return "Bad Request: message can't be edited"
        same_text = method != "editMessageText" or params.get("text") == message.get("text")
        if same_text and _markup(params) == message.get("reply_markup", {}):
            return NOT_MODIFIED
        return ""

    # --- what goes right --------------------------------------------------------

    def _answer(self, method: str, params: dict[str, Any], call: ApiCall) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Schakel",
                "username": self.bot_username,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method in SEND_METHODS:
            return self._store_message(method, params, call)
        if method in EDIT_METHODS:
            return self._edit(params)
        if method == "deleteMessage":
            chat_id = _int(params.get("chat_id")) or 0
            del self._messages[chat_id][_int(params.get("message_id")) or 0]
            self.transcript.append(
                (chat_id, "Schakel", f"[deletes message {params['message_id']}]")
            )
            return True
        if method == "getUpdates":
            return []
        if method == "setWebhook":
            self.webhook = (str(params["url"]), str(params.get("secret_token") or ""))
        if method == "deleteWebhook":
            self.webhook = None
        if method == "getWebhookInfo":
            url = self.webhook[0] if self.webhook else ""
            return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}
        if method == "answerCallbackQuery":
            query_id = str(params.get("callback_query_id"))
            self.answers[query_id] = (self._pressed_by.get(query_id, 0), params.get("text") or "")
        return True  # answerCallbackQuery, setMyCommands, deleteWebhook, ...

    def _store_message(self, method: str, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Schakel"},
        }
        if method == "sendMessage":
            message["text"] = params["text"]
            shown = params["text"]
        else:
            kind = "photo" if method == "sendPhoto" else "document"
            size = sum(call.files.values())
            message["caption"] = params.get("caption", "")
            if kind == "photo":
                message["photo"] = [
                    {
                        "file_id": f"photo{message['message_id']}",
                        "file_unique_id": f"p{message['message_id']}",
                        "width": 512,
                        "height": 512,
                        "file_size": size,
                    }
                ]
            else:
                message["document"] = {
                    "file_id": f"doc{message['message_id']}",
                    "file_unique_id": f"d{message['message_id']}",
                    "file_size": size,
                }
            shown = f"[{kind}, {size} bytes] {message['caption']}".rstrip()
        if markup := params.get("reply_markup"):
            markup = markup if isinstance(markup, dict) else json.loads(markup)
            shown += _buttons_line(markup)
            if "keyboard" in markup:
                # A reply keyboard belongs to the chat, not to the message (Bot API).
                self.menus[chat_id] = [
                    b["text"] if isinstance(b, dict) else b
                    for row in markup["keyboard"]
                    for b in row
                ]
            else:
                message["reply_markup"] = markup
        self._messages[chat_id][message["message_id"]] = message
        self.transcript.append((chat_id, "Schakel", shown))
        return message

    def _edit(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        chat_id, message_id = _int(params.get("chat_id")), _int(params.get("message_id"))
        message = self._messages[chat_id or 0][message_id or 0]  # _impossible checked it
        if "text" in params:
            message["text"] = params["text"]
        if params.get("reply_markup"):
            markup = params["reply_markup"]
            message["reply_markup"] = markup if isinstance(markup, dict) else json.loads(markup)
        else:
            message.pop("reply_markup", None)
        shown = message.get("text", "") + _buttons_line(message.get("reply_markup", {}))
        self.transcript.append((chat_id or 0, "Schakel", f"[edits message {message_id}] {shown}"))
        return message

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id < 0:
            return {"id": chat_id, "type": "supergroup", "title": self.names.get(chat_id, "group")}
        return {"id": chat_id, "type": "private", "first_name": self.names.get(chat_id, "user")}

    # --- simulated people -------------------------------------------------------

    def attach(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self._application = application

    def user(
        self,
        user_id: int,
        first_name: str,
        language_code: str | None = None,
        last_name: str | None = None,
    ) -> SimUser:
        self.names[user_id] = first_name
        return SimUser(user_id, first_name, language_code, last_name)

    def group(self, chat_id: int, title: str) -> SimGroup:
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        self.names[chat_id] = title
        return SimGroup(chat_id, title)

    async def send(
        self, user: SimUser, text: str, group: SimGroup | None = None, *, edited: bool = False
    ) -> None:
        """`user` writes `text` in their private chat with the bot (or in `group`);
        `edited`: they change an earlier message of theirs into `text`."""
        chat = self._where(user, group)
        where = (int(chat["id"]), user.id)
        # An edit keeps the id of the message it changes, as on Telegram.
        if edited and where not in self._last_sent:
            raise ValueError(f"{user.first_name} has sent nothing here to edit")
        message_id = self._last_sent[where] if edited else next(self._message_ids)
        self._last_sent[where] = message_id
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": user.as_dict(),
            "text": text,
        }
        if command := _COMMAND.match(text):
            # As Telegram marks a command (in UTF-16 code units, which are ASCII here).
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": command.end()}]
        kind = "message"
        if edited:
            kind, message["edit_date"] = "edited_message", int(time.time())
        shown = f"[edits a message] {text}" if edited else text
        self._messages[int(chat["id"])][message_id] = message
        self.transcript.append((int(chat["id"]), user.first_name, shown))
        await self._process({"update_id": next(self._update_ids), kind: message})

    def has_sent(self, user: SimUser, group: SimGroup | None = None) -> bool:
        """Whether `user` wrote here before (only then can they edit a message)."""
        return (int(self._where(user, group)["id"]), user.id) in self._last_sent

    def restart_update_ids(self) -> None:
        """As Telegram may after a week without updates: the next update ids start over."""
        self._update_ids = itertools.count(1)

    def _where(self, user: SimUser, group: SimGroup | None) -> dict[str, Any]:
        if group is not None:
            return group.as_dict()
        return {"id": user.id, "type": "private", "first_name": user.first_name}

    async def send_file(
        self, user: SimUser, kind: str, caption: str = "", group: SimGroup | None = None
    ) -> None:
        """`user` sends a photo, a document, a sticker, a voice message, a location or a
        contact in their private chat (or in `group`)."""
        n = next(self._message_ids)
        files: dict[str, Any] = {
            "photo": {
                "photo": [
                    {"file_id": f"up{n}", "file_unique_id": f"u{n}", "width": 800, "height": 600}
                ]
            },
            "document": {
                "document": {
                    "file_id": f"up{n}",
                    "file_unique_id": f"u{n}",
                    "file_name": "brief.pdf",
                    "mime_type": "application/pdf",
                }
            },
            "sticker": {
                "sticker": {
                    "file_id": f"up{n}",
                    "file_unique_id": f"u{n}",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                    "type": "regular",
                }
            },
            "voice": {"voice": {"file_id": f"up{n}", "file_unique_id": f"u{n}", "duration": 3}},
            "location": {"location": {"latitude": 51.0543, "longitude": 3.7174}},
            "contact": {
                "contact": {"phone_number": "+32470123456", "first_name": "Iemand", "user_id": 7}
            },
        }
        message: dict[str, Any] = {
            "message_id": n,
            "date": int(time.time()),
            "from": user.as_dict(),
            "chat": self._where(user, group),
            **files[kind],
        }
        if caption and kind in ("photo", "document", "voice"):
            message["caption"] = caption
        chat_id = int(message["chat"]["id"])
        self._messages[chat_id][n] = message
        self.transcript.append((chat_id, user.first_name, f"[{kind}] {caption}".rstrip()))
        await self._process({"update_id": next(self._update_ids), "message": message})

    async def send_update(self, data: dict[str, Any]) -> None:
        """Any raw update (stickers, files, edited messages...), given as Bot API JSON."""
        await self._process({"update_id": next(self._update_ids), **data})

    async def press(self, user: SimUser, button_text: str, group: SimGroup | None = None) -> None:
        """`user` taps the newest button with this text in their chat (or in `group`)."""
        chat_id = group.id if group else user.id
        for message in reversed(list(self._messages[chat_id].values())):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] != button_text:
                        continue
                    if "url" in button:  # a link: the phone opens it, Telegram sends no update
                        self.transcript.append(
                            (chat_id, user.first_name, f"[opens {button['url']}]")
                        )
                        return
                    self.transcript.append((chat_id, user.first_name, f"[taps {button_text}]"))
                    await self.press_data(user, button["callback_data"], message)
                    return
        raise LookupError(f"no button {button_text!r} in chat {chat_id}")

    async def press_data(
        self,
        user: SimUser,
        data: str | None,
        message: dict[str, Any] | None = None,
        *,
        group: SimGroup | None = None,
        inline: bool = False,
    ) -> str:
        """A button press with any callback data, even made up (for forgery tests), under
        a message of the bot in the user's chat (or in `group`). `data=None`: a game
        button, which has none; `inline`: under a message sent via inline mode, which
        names no chat. Returns the press's id (see `answers`)."""
        query_id = str(next(self._callback_ids))
        where = message["chat"]["id"] if message else group.id if group else user.id
        query: dict[str, Any] = {
            "id": query_id,
            "from": user.as_dict(),
            "chat_instance": str(where),
        }
        if data is None:
            query["game_short_name"] = "game"
        else:
            query["data"] = data
        if inline:
            query["inline_message_id"] = f"inline{query_id}"
        else:
            query["message"] = message or {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": group.as_dict() if group else self._chat(user.id),
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Schakel"},
                "text": "?",
            }
        self._pressed_by[query_id] = user.id
        await self._process({"update_id": next(self._update_ids), "callback_query": query})
        return query_id

    async def _process(self, data: dict[str, Any]) -> None:
        if self.webhook is not None:
            await self._post_to_webhook(data)
            return
        if self._application is None:
            raise RuntimeError("attach(application) first")
        update = Update.de_json(data, self._application.bot)
        await self._application.process_update(update)

    async def _post_to_webhook(self, data: dict[str, Any]) -> None:
        """As Telegram delivers an update to a bot with a webhook: a JSON POST with the
        secret token in its header, to the path of the webhook's URL."""
        assert self.webhook is not None
        url, secret = self.webhook
        if self.webhook_target is None:
            raise RuntimeError("a webhook is set: say where its proxy leads (webhook_target)")
        headers = {WEBHOOK_SECRET_HEADER: secret} if secret else {}
        async with httpx.AsyncClient() as client:
            answer = await client.post(
                self.webhook_target + (urlsplit(url).path or "/"), json=data, headers=headers
            )
        self.webhook_answers.append(answer.status_code)

    # --- reading what happened --------------------------------------------------

    def texts_to(self, chat_id: int) -> list[str]:
        """Every text (or caption) the bot sent to a chat, oldest first."""
        return [
            who_text
            for chat, who, who_text in self.transcript
            if chat == chat_id and who == "Schakel"
        ]

    def inline_buttons(self, chat_id: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """(message, button) for every button with callback data the bot's messages in this
        chat carry now, oldest message first: what a person could still tap."""
        return [
            (message, button)
            for message in self._messages[chat_id].values()
            for row in message.get("reply_markup", {}).get("inline_keyboard", [])
            for button in row
            if "callback_data" in button
        ]

    def sent(self, method: str = "sendMessage") -> list[ApiCall]:
        return [call for call in self.calls if call.method == method and call.outcome == "ok"]

    def render_transcript(self, chat_ids: list[int] | None = None) -> str:
        chats = chat_ids or list(dict.fromkeys(chat for chat, _, _ in self.transcript))
        parts = []
        for chat_id in chats:
            parts.append(f"── chat with {self.names.get(chat_id, chat_id)} ──")
            for chat, who, text in self.transcript:
                if chat != chat_id:
                    continue
                arrow = "◂" if who == "Schakel" else "▸"
                lines = text.splitlines() or [""]
                parts.append(f"  {who} {arrow} {lines[0]}")
                pad = " " * (len(who) + 5)
                parts.extend(f"{pad}{line}" for line in lines[1:])
            parts.append("")
        return "\n".join(parts)


def _refused(method: str, params: dict[str, Any], answers: dict[str, tuple[int, str]]) -> str:
    """Telegram's 400 description for a call it never accepts, or "" when it is fine."""
    if method in ("sendMessage", "editMessageText"):
        text = str(params.get("text") or "")
        if not text.strip():
            return "Bad Request: message text is empty"
        if utf16_length(text) > TEXT_MAX:
            return "Bad Request: message is too long"
    if (
        method in ("sendPhoto", "sendDocument")
        and utf16_length(str(params.get("caption") or "")) > CAPTION_MAX
    ):
        return "Bad Request: message caption is too long"
    for row in _markup(params).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_MAX:
                return "Bad Request: BUTTON_DATA_INVALID"
    if method == "answerCallbackQuery":
        if str(params.get("callback_query_id")) in answers:
            return (
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        if len(str(params.get("text") or "")) > CALLBACK_ANSWER_MAX:
            return "Bad Request: MESSAGE_TOO_LONG"
    return ""


def utf16_length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji outside the BMP is two)."""
    return len(text.encode("utf-16-le")) // 2


def _markup(params: dict[str, Any]) -> dict[str, Any]:
    """The reply markup of a call, as a dict ({} for none)."""
    markup = params.get("reply_markup")
    if not markup:
        return {}
    return markup if isinstance(markup, dict) else dict(json.loads(markup))


def _buttons_line(markup: dict[str, Any]) -> str:
    """Inline buttons as [ a | b ], a persistent reply keyboard as [menu: a | b]."""
    if keyboard := markup.get("keyboard"):
        labels = [b["text"] if isinstance(b, dict) else b for row in keyboard for b in row]
        return "\n[menu: " + " | ".join(labels) + "]"
    rows = markup.get("inline_keyboard", [])
    labels = [button["text"] for row in rows for button in row]
    return "\n[ " + " | ".join(labels) + " ]" if labels else ""


def _error(
    code: int, description: str, parameters: dict[str, Any] | None = None
) -> tuple[int, bytes]:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return code, json.dumps(body).encode()


def _fault_answer(fault: Fault, call: ApiCall) -> tuple[int, bytes] | None:
    """The error to answer; None for a fault that shows only after delivering."""
    call.outcome = fault.kind
    if fault.kind == "timeout-delivered":
        return None
    if fault.kind == "timeout":
        raise TimedOut("simulated timeout")
    if fault.kind == "429":
        call.retry_after = fault.retry_after
        return _error(
            429,
            f"Too Many Requests: retry after {fault.retry_after}",
            {"retry_after": fault.retry_after},
        )
    if fault.kind == "403":
        return _error(403, "Forbidden: bot was blocked by the user")
    if fault.kind == "400-chat":
        return _error(400, "Bad Request: chat not found")
    if fault.kind == "400":
        return _error(400, "Bad Request: message is too long")
    if fault.kind == "409":
        return _error(409, CONFLICT)
    if fault.kind in ("500", "502", "503"):
        code = int(fault.kind)
        return _error(code, HTTPStatus(code).phrase)
    raise ValueError(f"unknown fault kind {fault.kind!r}")


def _bad_webhook(params: dict[str, Any]) -> str:
    """Telegram's 400 for a webhook it will not use; "" when it is fine."""
    url = str(params.get("url") or "")
    if urlsplit(url).scheme != "https":
        return "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    secret = str(params.get("secret_token") or "")
    if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        return "Bad Request: secret token contains unallowed characters"
    return ""
