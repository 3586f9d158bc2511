"""The demo's SMS, offline: Twilio's Messaging API answered inside the process and one
newcomer's phone that shows what arrives and sends what she types.

The bot's real `TwilioGateway` talks to it (form-encoded, Basic auth, Messages.json)
through an httpx transport that never opens a connection; each message is counted in
segments as a phone network counts them. What the newcomer types goes in through the
bot's real inbound webhook on its HTTP server, signed as Twilio signs it, so the demo
takes the same road as a real answer. (The tests have a stricter stand-in that runs as
an HTTP server: tests/twilio_standin.py.)
"""

from __future__ import annotations

import base64
import secrets
import socket
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import httpx
from twilio.request_validator import RequestValidator

from bot.core.config import HttpConfig, SmsConfig
from bot.sending.sms_gateway import INBOUND_PATH, SmsGateway, TwilioGateway
from messages.sms import measure

ACCOUNT_SID = "AC" + "d" * 32
AUTH_TOKEN = "demo-auth-token-not-a-secret"
SENDER = "+32460000000"


def free_local_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Sms:
    incoming: bool  # True: the phone received it; False: its owner sent it
    body: str
    segments: int


@dataclass
class DemoPhone:
    """One newcomer's phone (her number) and the gateway in front of it."""

    owner: str
    number: str
    port: int = field(default_factory=free_local_port)
    shown: list[Sms] = field(default_factory=list)

    @property
    def public_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self) -> tuple[SmsConfig, HttpConfig]:
        sms = SmsConfig.model_validate(
            {
                "account_sid": ACCOUNT_SID,
                "auth_token": AUTH_TOKEN,
                "sender": SENDER,
                "public_url": self.public_url,
                "rate_per_second": 100,
                "translation": "latin-script",
            }
        )
        return sms, HttpConfig(listen=f"127.0.0.1:{self.port}")

    def gateway(self, config: SmsConfig) -> SmsGateway:
        client = httpx.AsyncClient(transport=httpx.MockTransport(self._messages_api))
        return TwilioGateway(config, client)

    def _messages_api(self, request: httpx.Request) -> httpx.Response:
        expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return httpx.Response(401, json={"code": 20003, "message": "Authenticate"})
        form = dict(parse_qsl(request.content.decode()))
        if form.get("To") != self.number:
            return httpx.Response(400, json={"code": 21211, "message": "not the demo's phone"})
        body = form["Body"]
        segments = measure(body).parts
        self.shown.append(Sms(incoming=True, body=body, segments=segments))
        sid = "SM" + secrets.token_hex(16)
        return httpx.Response(201, json={"sid": sid, "num_segments": str(segments)})

    async def type(self, body: str) -> None:
        """The newcomer answers: the gateway posts it, signed, to the bot's webhook."""
        self.shown.append(Sms(incoming=False, body=body, segments=measure(body).parts))
        url = self.public_url + INBOUND_PATH
        form = {
            "MessageSid": "SM" + secrets.token_hex(16),
            "AccountSid": ACCOUNT_SID,
            "From": self.number,
            "To": SENDER,
            "Body": body,
        }
        signature = RequestValidator(AUTH_TOKEN).compute_signature(url, form)
        async with httpx.AsyncClient(timeout=10) as client:
            answer = await client.post(url, data=form, headers={"X-Twilio-Signature": signature})
        answer.raise_for_status()

    def transcript(self) -> str:
        lines = [f"── phone of {self.owner} ({self.number}), by SMS ──"]
        for sms in self.shown:
            who, arrow = ("Schakel", "◂") if sms.incoming else (self.owner, "▸")
            count = f"  [{sms.segments} SMS]" if sms.incoming else ""
            first, *rest = sms.body.splitlines() or [""]
            lines.append(f"  {who} {arrow} {first}{count}")
            pad = " " * (len(who) + 5)
            lines.extend(f"{pad}{line}" for line in rest)
        return "\n".join(lines) + "\n"
