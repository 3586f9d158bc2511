"""What the SMS gateway posts back to Schakel: delivery reports and newcomers' answers.

Each request is checked before anything in it is believed: Twilio signs the full URL it
posted to plus the form's fields (sorted by name) with HMAC-SHA1 under the auth token,
in the X-Twilio-Signature header. The check uses Twilio's own RequestValidator, against
the public URL the gateway was given (`[sms] public_url`), not the address the request
reached behind a proxy. Unsigned or forged requests are refused and logged.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from twilio.request_validator import RequestValidator

from bot.core.config import SmsConfig

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"


class Delivery(enum.StrEnum):
    """Where a sent SMS stands, as the gateway reports it."""

    SENT = "sent"  # left for the phone network
    DELIVERED = "delivered"  # the phone network confirmed it arrived
    UNDELIVERED = "undelivered"  # the network could not deliver it
    FAILED = "failed"  # the gateway could not send it


@dataclass(frozen=True)
class StatusReport:
    sid: str
    delivery: Delivery
    error_code: int | None


@dataclass(frozen=True)
class Inbound:
    sid: str
    from_number: str
    body: str


def signed_by_gateway(
    config: SmsConfig, path: str, form: Mapping[str, str], signature: str | None
) -> bool:
    """Did the gateway send this form to `path`, unchanged?"""
    if not signature or config.auth_token is None or not config.public_url:
        return False
    url = config.public_url.rstrip("/") + path
    validator = RequestValidator(config.auth_token.get_secret_value())
    return bool(validator.validate(url, dict(form), signature))


def read_status(form: Mapping[str, str]) -> StatusReport | None:
    """A delivery report; None for a state Schakel does not act on (queued, sending)."""
    sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "")
    if not sid or status not in {d.value for d in Delivery}:
        return None
    code = form.get("ErrorCode", "")
    return StatusReport(sid, Delivery(status), int(code) if code.isdigit() else None)


def read_inbound(form: Mapping[str, str]) -> Inbound | None:
    sid, sender = form.get("MessageSid", ""), form.get("From", "")
    if not sid or not sender:
        return None
    return Inbound(sid, sender, form.get("Body", ""))
