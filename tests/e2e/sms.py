"""Helpers for the SMS tests: the Application with SMS on, pointed at the offline Twilio
(tests/twilio_standin.py), and a newcomer who joins by SMS."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

from bot.app.demo import DEMO_ORGANISATIONS
from bot.app.standin import FakeTelegram, SimUser
from bot.appointments import reminders
from bot.core.clock import from_db
from bot.core.config import Config, HttpConfig, SmsConfig, StorageConfig
from bot.sending.services import Services
from messages import render, texts
from tests.conftest import FakeClock
from tests.e2e.people import MONDAY_AFTER_SPRING_SWITCH, caseworker_with_phone, plan_by_chat
from tests.twilio_standin import TwilioStandIn

AMAL_NUMBER = "+32470123456"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sms_config(tmp_path: Path, twilio: TwilioStandIn, **sms: object) -> Config:
    """SMS on, the bot's HTTP server on a free port that the stand-in posts to."""
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    twilio.inbound_url = public + "/sms/inbound"
    values: dict[str, object] = {
        "account_sid": twilio.account_sid,
        "auth_token": twilio.auth_token,
        "sender": twilio.number,
        "api_base": twilio.api_base,
        "public_url": public,
        "rate_per_second": twilio.per_second,
    }
    return Config(
        storage=StorageConfig(database=tmp_path / "schakel.db"),
        organisations=DEMO_ORGANISATIONS,
        http=HttpConfig(listen=f"127.0.0.1:{port}"),
        sms=SmsConfig.model_validate(values | sms),
    )


async def amal_by_sms(
    telegram: FakeTelegram, services: Services, clock: FakeClock, twilio: TwilioStandIn
) -> tuple[SimUser, str]:
    """Nine days before the appointment a caseworker registers Amal (Somali) by SMS; she
    answers JA. Returns the caseworker and her reference."""
    clock.now = MONDAY_AFTER_SPRING_SWITCH.astimezone(dt.UTC) - dt.timedelta(days=9)
    caseworker = await caseworker_with_phone(services, telegram)
    await telegram.send(caseworker, f"/nieuw Amal so A1 sms {AMAL_NUMBER}")
    reference = await services.store.fetch_value("SELECT reference FROM newcomers")
    assert isinstance(reference, str)
    assert await twilio.reply(AMAL_NUMBER, "Ja") == 200
    assert twilio.messages[-2].body == render("nl", texts.SMS_AGREED)
    return caseworker, reference


async def amal_by_sms_with_an_appointment(
    telegram: FakeTelegram, services: Services, clock: FakeClock, twilio: TwilioStandIn
) -> tuple[SimUser, str]:
    caseworker, reference = await amal_by_sms(telegram, services, clock, twilio)
    await plan_by_chat(telegram, caseworker, reference, MONDAY_AFTER_SPRING_SWITCH, "so")
    return caseworker, reference


async def remind(services: Services, clock: FakeClock, nth: int = 0) -> int:
    """The clock at the `nth` reminder's minute (0: the first), and the reminders run."""
    due = await services.store.fetch_all("SELECT due_at FROM reminders ORDER BY due_at")
    clock.now = from_db(due[nth]["due_at"])
    return await reminders.run_due(services)
