"""SMS gateways: how a text message leaves Schakel. One interface, one real provider.

`TwilioGateway` speaks Twilio's Messaging REST API (POST .../Messages.json, form-encoded,
Basic auth with the Account SID and auth token). Any provider that speaks the same API
works by setting `[sms] api_base`. Another provider: write a class with the same `send`
and `close`, and choose it in `gateway_for` (config `[sms] provider`).

What a send can end in, as the dispatcher needs to know it:
- `SmsAccepted`: the gateway took it (its id, for the status callbacks that follow);
- `SmsTryLater`: a 429, a 5xx, a network error or a timeout; `maybe_sent` when the
  gateway may have taken it (a timeout: the in-flight rule applies, as for Telegram);
- `SmsRefused`: refused for good; `unreachable` when the number cannot get SMS (not a
  valid or not a mobile number), `opted_out` when its owner sent STOP to the gateway.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

import httpx

from bot.core.config import SmsConfig

log = logging.getLogger(__name__)

API_VERSION = "2010-04-01"
# Twilio's error codes that say the number itself cannot be reached by SMS.
UNREACHABLE_CODES = frozenset(
    {
        21211,  # invalid 'To' phone number
        21214,  # 'To' number cannot be reached
        21612,  # not reachable from this sender (landline, unreachable carrier)
        21614,  # 'To' number is not a valid mobile number
    }
)
OPTED_OUT_CODE = 21610  # the recipient sent STOP to the gateway
TOO_MANY_REQUESTS_CODE = 20429
TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class SmsAccepted:
    sid: str  # the gateway's id (SM...), named again in its status callbacks
    segments: int


class SmsTryLater(Exception):
    def __init__(self, reason: str, *, retry_after: float = 0.0, maybe_sent: bool = False):
        super().__init__(reason)
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent


class SmsRefused(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.unreachable = code in UNREACHABLE_CODES
        self.opted_out = code == OPTED_OUT_CODE


class SmsGateway(Protocol):
    async def send(self, to: str, body: str) -> SmsAccepted: ...

    async def close(self) -> None: ...


STATUS_PATH = "/sms/status"  # the gateway posts delivery reports here
INBOUND_PATH = "/sms/inbound"  # and the newcomers' answers here


class TwilioGateway:
    def __init__(self, config: SmsConfig, client: httpx.AsyncClient | None = None) -> None:
        assert config.auth_token is not None  # SmsConfig refuses an account without one
        self._config = config
        self._url = (
            f"{config.api_base.rstrip('/')}/{API_VERSION}/Accounts/{config.account_sid}"
            "/Messages.json"
        )
        self._auth = (config.account_sid, config.auth_token.get_secret_value())
        self._client = client or httpx.AsyncClient(timeout=TIMEOUT_SECONDS)

    def _form(self, to: str, body: str) -> dict[str, str]:
        form = {"To": to, "Body": body}
        if self._config.messaging_service_sid:
            form["MessagingServiceSid"] = self._config.messaging_service_sid
        else:
            form["From"] = self._config.sender
        if self._config.public_url:
            form["StatusCallback"] = self._config.public_url.rstrip("/") + STATUS_PATH
        return form

    async def send(self, to: str, body: str) -> SmsAccepted:
        try:
            answer = await self._client.post(self._url, data=self._form(to, body), auth=self._auth)
        except httpx.TimeoutException as error:
            raise SmsTryLater(f"timeout: {error!r}", maybe_sent=True) from None
        except httpx.TransportError as error:
            raise SmsTryLater(f"network: {error!r}") from None
        if answer.status_code in (200, 201):
            sent = answer.json()
            return SmsAccepted(sid=str(sent["sid"]), segments=int(sent.get("num_segments") or 1))
        code, description = _error_of(answer)
        if answer.status_code == 429 or code == TOO_MANY_REQUESTS_CODE:
            raise SmsTryLater(description, retry_after=_retry_after(answer))
        if answer.status_code >= 500:
            raise SmsTryLater(f"{answer.status_code}: {description}")
        raise SmsRefused(code, description)

    async def close(self) -> None:
        await self._client.aclose()


def _error_of(answer: httpx.Response) -> tuple[int, str]:
    """Twilio's error body: {"code": 21211, "message": "...", "status": 400}."""
    try:
        body = answer.json()
        return int(body.get("code") or 0), str(body.get("message") or answer.reason_phrase)
    except (ValueError, TypeError, AttributeError):
        return 0, f"{answer.status_code} {answer.reason_phrase}"


def _retry_after(answer: httpx.Response) -> float:
    try:
        return max(1.0, float(answer.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


def gateway_for(config: SmsConfig) -> SmsGateway | None:
    """The configured gateway, or None while SMS is off ([sms] account_sid empty)."""
    if not config.enabled:
        return None
    return TwilioGateway(config)
