"""The SMS gateway client and webhook checks, against the offline Twilio stand-in."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pydantic import SecretStr, ValidationError
from twilio.request_validator import RequestValidator

from bot.core.config import SmsConfig
from bot.sending.sms_gateway import (
    STATUS_PATH,
    SmsAccepted,
    SmsRefused,
    SmsTryLater,
    TwilioGateway,
    gateway_for,
)
from bot.sending.sms_webhooks import Delivery, read_inbound, read_status, signed_by_gateway
from tests.twilio_standin import TwilioStandIn, segments_of, twilio_signature

PUBLIC = "https://schakel.example.org/hooks"


def _config(twilio: TwilioStandIn, **changes: object) -> SmsConfig:
    values: dict[str, object] = {
        "account_sid": twilio.account_sid,
        "auth_token": twilio.auth_token,
        "sender": "+32460000000",
        "api_base": twilio.api_base,
    }
    return SmsConfig.model_validate(values | changes)


async def test_a_message_is_accepted_with_its_segments(twilio: TwilioStandIn) -> None:
    gateway = TwilioGateway(_config(twilio))
    accepted = await gateway.send("+32470123456", "Afspraak morgen om 10:00 bij VDAB.")
    arabic = await gateway.send("+32470123456", "موعدك غدًا الساعة 10:00. " * 3)
    await gateway.close()
    assert accepted == SmsAccepted(twilio.messages[0].sid, 1)
    assert arabic.segments == segments_of("موعدك غدًا الساعة 10:00. " * 3) == 2
    assert [m.to for m in twilio.messages] == ["+32470123456"] * 2
    assert twilio.messages[0].sender == "+32460000000"


async def test_each_refusal_is_told_apart(twilio: TwilioStandIn) -> None:
    twilio.landlines.add("+3292650000")
    twilio.opted_out.add("+32470999999")
    gateway = TwilioGateway(_config(twilio))
    outcomes = {}
    for number in ("+3292650000", "+32470999999", "0470 12", "+32470123456"):
        try:
            await gateway.send(number, "Hallo" if number != "+32470123456" else "x" * 1601)
        except SmsRefused as refused:
            outcomes[number] = (refused.code, refused.unreachable, refused.opted_out)
    await gateway.close()
    assert outcomes == {
        "+3292650000": (21614, True, False),
        "+32470999999": (21610, False, True),
        "0470 12": (21211, True, False),
        "+32470123456": (21617, False, False),
    }
    assert twilio.messages == []


async def test_a_wrong_auth_token_is_refused(twilio: TwilioStandIn) -> None:
    gateway = TwilioGateway(_config(twilio, auth_token="not-the-token"))
    with pytest.raises(SmsRefused) as refused:
        await gateway.send("+32470123456", "Hallo")
    await gateway.close()
    assert refused.value.code == 20003 and twilio.messages == []


async def test_busy_and_broken_gateways_mean_try_later(twilio: TwilioStandIn) -> None:
    twilio.per_second = 2
    gateway = TwilioGateway(_config(twilio))
    await gateway.send("+32470123456", "een")
    await gateway.send("+32470123456", "twee")
    with pytest.raises(SmsTryLater) as busy:
        await gateway.send("+32470123456", "drie")
    assert busy.value.retry_after >= 1 and not busy.value.maybe_sent
    await asyncio.sleep(1.0)  # the stand-in's window, not a timing assertion
    twilio.fail_next(1, status=503)
    with pytest.raises(SmsTryLater) as broken:
        await gateway.send("+32470123456", "vier")
    await gateway.close()
    assert not broken.value.maybe_sent
    assert [m.body for m in twilio.messages] == ["een", "twee"]
    assert twilio.refused == [(429, 20429), (503, 0)]


async def test_a_timeout_may_have_sent_it(twilio: TwilioStandIn) -> None:
    twilio.answer_late(1, seconds=0.5)
    client = httpx.AsyncClient(timeout=0.1)
    gateway = TwilioGateway(_config(twilio), client)
    with pytest.raises(SmsTryLater) as late:
        await gateway.send("+32470123456", "Hallo")
    await gateway.close()
    assert late.value.maybe_sent
    assert len(twilio.messages) == 1  # it did go: hence the in-flight rule


async def test_a_network_error_did_not_send_it() -> None:
    config = SmsConfig(account_sid="AC" + "a" * 32, auth_token=SecretStr("t"),
                       sender="+32460000000", api_base="http://127.0.0.1:9")  # fmt: skip
    gateway = TwilioGateway(config)
    with pytest.raises(SmsTryLater) as down:
        await gateway.send("+32470123456", "Hallo")
    await gateway.close()
    assert not down.value.maybe_sent


async def test_status_callbacks_are_signed_and_read(twilio: TwilioStandIn) -> None:
    config = _config(twilio, public_url=PUBLIC)
    received: list[tuple[str, dict[str, str], bool]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        form = dict(httpx.QueryParams(request.content.decode()))
        path = request.url.path.removeprefix("/hooks")
        signed = signed_by_gateway(config, path, form, request.headers.get("X-Twilio-Signature"))
        received.append((path, form, signed))
        return httpx.Response(204)

    twilio._client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    twilio.undeliverable.add("+32470000001")
    gateway = TwilioGateway(config)
    first = await gateway.send("+32470123456", "Hallo")
    second = await gateway.send("+32470000001", "Hallo")
    await gateway.close()
    await twilio.settled()
    assert all(path == STATUS_PATH and signed for path, _, signed in received)
    reports = {(r.sid, r.delivery, r.error_code) for _, form, _ in received
               if (r := read_status(form)) is not None}  # fmt: skip
    assert reports == {
        (first.sid, Delivery.SENT, None),
        (first.sid, Delivery.DELIVERED, None),
        (second.sid, Delivery.SENT, None),
        (second.sid, Delivery.UNDELIVERED, 30003),
    }


def test_forged_unsigned_and_altered_webhooks_are_refused() -> None:
    config = SmsConfig(account_sid="AC" + "b" * 32, auth_token=SecretStr("secret-token"),
                       sender="+32460000000", public_url=PUBLIC)  # fmt: skip
    form = {"MessageSid": "SM1", "From": "+32470123456", "Body": "1"}
    good = twilio_signature("secret-token", PUBLIC + "/sms/inbound", form)
    assert signed_by_gateway(config, "/sms/inbound", form, good)
    assert not signed_by_gateway(config, "/sms/inbound", form, None)
    assert not signed_by_gateway(config, "/sms/inbound", form | {"Body": "2"}, good)
    assert not signed_by_gateway(config, "/sms/status", form, good)
    forged = twilio_signature("another-token", PUBLIC + "/sms/inbound", form)
    assert not signed_by_gateway(config, "/sms/inbound", form, forged)
    # The stand-in signs exactly as Twilio's own library checks.
    assert RequestValidator("secret-token").validate(PUBLIC + "/sms/inbound", form, good)


def test_inbound_and_status_forms_are_read_strictly() -> None:
    inbound = read_inbound({"MessageSid": "SM2", "From": "+32470123456", "Body": " Ja "})
    assert inbound is not None and inbound.body == " Ja " and inbound.sid == "SM2"
    assert read_inbound({"Body": "1"}) is None
    assert read_status({"MessageSid": "SM3", "MessageStatus": "queued"}) is None
    assert read_status({"MessageSid": "SM3", "MessageStatus": "failed", "ErrorCode": "30008"})
    assert read_status({"MessageStatus": "delivered"}) is None


def test_configuration_is_complete_or_refused() -> None:
    assert gateway_for(SmsConfig()) is None  # off by default
    sid = "AC" + "c" * 32
    for values, problem in [
        ({"account_sid": "AC123"}, "Account SID"),
        ({"account_sid": sid, "sender": "+32460000000"}, "auth_token is missing"),
        ({"account_sid": sid, "auth_token": "t"}, "set sender"),
        ({"account_sid": sid, "auth_token": "t", "sender": "0460 00 00 00"}, "international"),
        ({"translation": "sometimes"}, "translation"),
        ({"provider": "messagebird"}, "only 'twilio'"),
    ]:
        with pytest.raises(ValidationError, match=problem):
            SmsConfig.model_validate(values)
    config = SmsConfig(
        account_sid=sid, auth_token=SecretStr("t"), messaging_service_sid="MG" + "d" * 32
    )
    assert isinstance(gateway_for(config), TwilioGateway)
    assert "**" in repr(config) and "auth_token=SecretStr" in repr(config)
