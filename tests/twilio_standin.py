"""An offline stand-in for Twilio's Messaging API, as strict as the real one where Schakel
could go wrong. A real HTTP server on 127.0.0.1 (Starlette under uvicorn).

It refuses what Twilio refuses, with Twilio's status and error code: no or wrong Basic
auth (401, 20003), a missing To, Body or sender (21604, 21602, 21603), a body over 1600
characters (21617), an invalid number (21211), a landline (21614), a number whose owner
sent STOP (21610), more than `per_second` requests in any one-second window as they
arrive (429, 20429). Faults on demand: the next requests answered 500/503, or taken but
answered too late (the client times out, the message is on its way all the same).

What it accepts it reports back the way Twilio does: status callbacks (sent, then
delivered or undelivered with an error code) and inbound messages, form-encoded and
signed with X-Twilio-Signature, computed here independently of Twilio's library:
base64(HMAC-SHA1(auth token, URL + each field name and value, sorted by name)).
"""

from __future__ import annotations

import asyncio
import base64
import collections
import hashlib
import hmac
import re
import secrets
import socket
import time
from dataclasses import dataclass, field

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_TWO = set("^{}\\[~]|€\f")
E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def segments_of(body: str) -> int:
    """How many SMS a body costs (GSM-7 160/153, else UCS-2 70/67 UTF-16 units)."""
    if all(c in GSM7 or c in GSM7_TWO for c in body):
        units, single, part = sum(2 if c in GSM7_TWO else 1 for c in body), 160, 153
    else:
        units, single, part = len(body.encode("utf-16-le")) // 2, 70, 67
    return 1 if units <= single else -(-units // part)


def twilio_signature(auth_token: str, url: str, form: dict[str, str]) -> str:
    data = url + "".join(f"{name}{form[name]}" for name in sorted(form))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


@dataclass
class SentSms:
    sid: str
    to: str
    sender: str
    body: str
    segments: int
    arrived_at: float
    status_callback: str


@dataclass
class Callback:
    url: str
    form: dict[str, str]
    status_code: int


@dataclass
class TwilioStandIn:
    account_sid: str = "AC" + "0" * 31 + "1"
    auth_token: str = "standin-auth-token-0123456789abcdef"
    per_second: int = 10
    landlines: set[str] = field(default_factory=set)
    opted_out: set[str] = field(default_factory=set)
    undeliverable: set[str] = field(default_factory=set)  # accepted, then "undelivered"
    number: str = "+32460000000"  # Schakel's sender number at the gateway
    inbound_url: str = ""  # where newcomers' answers are posted (the bot's webhook)
    messages: list[SentSms] = field(default_factory=list)
    refused: list[tuple[int, int]] = field(default_factory=list)  # (HTTP status, code)
    callbacks: list[Callback] = field(default_factory=list)
    _faults: collections.deque[int] = field(default_factory=collections.deque)
    _arrivals: collections.deque[float] = field(default_factory=collections.deque)
    _late: int = 0
    _late_seconds: float = 0.0

    # --- running ---------------------------------------------------------------------

    async def start(self) -> str:
        app = Starlette(routes=[Route("/2010-04-01/Accounts/{sid}/Messages.json",
                                      self._create, methods=["POST"])])  # fmt: skip
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[self._socket]))
        while not self._server.started:
            await asyncio.sleep(0.01)
        self._client = httpx.AsyncClient(timeout=5)
        self._pending: set[asyncio.Task[None]] = set()
        host, port = self._socket.getsockname()
        self.api_base = f"http://{host}:{port}"
        return self.api_base

    async def stop(self) -> None:
        await asyncio.gather(*self._pending, return_exceptions=True)
        self._server.should_exit = True
        await self._task
        await self._client.aclose()

    # --- faults ----------------------------------------------------------------------

    def fail_next(self, count: int, status: int = 503) -> None:
        self._faults.extend([status] * count)

    def answer_late(self, count: int, seconds: float) -> None:
        """Take the next messages but answer only after `seconds` (past a client timeout)."""
        self._late, self._late_seconds = count, seconds

    # --- the API ---------------------------------------------------------------------

    def _error(self, status: int, code: int, message: str) -> JSONResponse:
        self.refused.append((status, code))
        body = {"code": code, "message": message, "status": status,
                "more_info": f"https://www.twilio.com/docs/errors/{code}"}  # fmt: skip
        return JSONResponse(body, status_code=status)

    def _authorised(self, request: Request, sid: str) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        given = request.headers.get("authorization", "")
        return sid == self.account_sid and hmac.compare_digest(given, f"Basic {expected}")

    def _over_rate(self, now: float) -> bool:
        while self._arrivals and now - self._arrivals[0] >= 1.0:
            self._arrivals.popleft()
        if len(self._arrivals) >= self.per_second:
            return True
        self._arrivals.append(now)
        return False

    async def _create(self, request: Request) -> Response:
        now = time.monotonic()  # counted when the request has arrived
        if not self._authorised(request, request.path_params["sid"]):
            return self._error(401, 20003, "Authenticate")
        if self._over_rate(now):
            return self._error(429, 20429, "Too Many Requests")
        if self._faults:
            status = self._faults.popleft()
            self.refused.append((status, 0))
            return Response("Service Unavailable", status_code=status)
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return self._error(400, 21604, "A 'To' phone number is required.")
        form = {k: str(v) for k, v in (await request.form()).items()}
        to, body = form.get("To", ""), form.get("Body", "")
        sender = form.get("From", "") or form.get("MessagingServiceSid", "")
        if not to:
            return self._error(400, 21604, "A 'To' phone number is required.")
        if not body:
            return self._error(400, 21602, "Message body is required.")
        if not sender:
            return self._error(400, 21603, "A 'From' phone number is required.")
        if len(body) > 1600:
            return self._error(
                400, 21617, "The concatenated message body exceeds the 1600 character limit."
            )
        if not E164.match(to):
            return self._error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if to in self.landlines:
            return self._error(400, 21614, f"'To' number {to} is not a valid mobile number")
        if to in self.opted_out:
            return self._error(400, 21610, "Attempt to send to unsubscribed recipient")
        sms = SentSms("SM" + secrets.token_hex(16), to, sender, body, segments_of(body), now,
                      form.get("StatusCallback", ""))  # fmt: skip
        self.messages.append(sms)
        if sms.status_callback:
            self._later(self._report(sms))
        if self._late:
            self._late -= 1
            await asyncio.sleep(self._late_seconds)
        return JSONResponse(
            {"sid": sms.sid, "account_sid": self.account_sid, "to": to, "from": sender,
             "body": body, "status": "queued", "num_segments": str(sms.segments),
             "error_code": None, "error_message": None},
            status_code=201,
        )  # fmt: skip

    # --- what Twilio posts back ------------------------------------------------------

    def _later(self, work: collections.abc.Coroutine[None, None, None]) -> None:
        task = asyncio.create_task(work)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def post_signed(self, url: str, form: dict[str, str], *, sign: bool = True) -> int:
        headers = {"X-Twilio-Signature": twilio_signature(self.auth_token, url, form)}
        answer = await self._client.post(url, data=form, headers=headers if sign else {})
        self.callbacks.append(Callback(url, form, answer.status_code))
        return answer.status_code

    async def _report(self, sms: SentSms) -> None:
        base = {"MessageSid": sms.sid, "SmsSid": sms.sid, "AccountSid": self.account_sid,
                "From": sms.sender, "To": sms.to}  # fmt: skip
        await self.post_signed(sms.status_callback, {**base, "MessageStatus": "sent"})
        if sms.to in self.undeliverable:
            final = {"MessageStatus": "undelivered", "ErrorCode": "30003"}
        else:
            final = {"MessageStatus": "delivered"}
        await self.post_signed(sms.status_callback, {**base, **final})

    async def settled(self) -> None:
        """Every status callback posted."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    async def reply(self, from_number: str, body: str, *, sign: bool = True) -> int:
        """A newcomer answers by SMS: Twilio posts it to the inbound webhook."""
        form = {
            "MessageSid": "SM" + secrets.token_hex(16),
            "AccountSid": self.account_sid,
            "From": from_number,
            "To": self.number,
            "Body": body,
            "NumSegments": "1",
        }
        return await self.post_signed(self.inbound_url, form, sign=sign)
