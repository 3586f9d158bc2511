"""`[sms] translation`: a second SMS in the newcomer's own language after the Dutch one,
end to end through the real Application, the offline Telegram and the offline Twilio.
Its segments are counted as the network counts them and go against the month's budget."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.app.standin import FakeTelegram
from bot.core.config import Config
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import render, texts
from messages.sms import GSM7, UCS2, measure
from tests.conftest import FakeClock
from tests.e2e.people import MONDAY_AFTER_SPRING_SWITCH, caseworker_with_phone, plan_by_chat
from tests.e2e.sms import AMAL_NUMBER, amal_by_sms_with_an_appointment, remind, sms_config
from tests.twilio_standin import TwilioStandIn

ANSWER_LINE = "Antwoord 1 = ik kom, 2 = ik kan niet"
NINE_DAYS_BEFORE = MONDAY_AFTER_SPRING_SWITCH.astimezone(dt.UTC) - dt.timedelta(days=9)


@pytest.fixture
def config(request: pytest.FixtureRequest, tmp_path: Path, twilio: TwilioStandIn) -> Config:
    return sms_config(tmp_path, twilio, translation=request.param)


async def month_segments(services: Services) -> int:
    return await services.store.fetch_int("SELECT sum(segments) FROM sms_months")


@pytest.mark.parametrize("config", ["latin-script"], indirect=True)
async def test_latin_script_a_somali_newcomer_gets_each_sms_in_dutch_then_somali(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    caseworker, reference = await amal_by_sms_with_an_appointment(telegram, services, clock, twilio)
    bodies = [sms.body for sms in twilio.messages]
    # The opt-in: Dutch, then the same question in Somali (JA and STOP kept).
    assert bodies[0] == render("nl", texts.SMS_OPT_IN, contact="Laila Peeters", organisation="VDAB")
    assert bodies[1] == render(
        "so", texts.SMS_OPT_IN_OWN, contact="Laila Peeters", organisation="VDAB"
    )
    assert "JA" in bodies[1] and "STOP" in bodies[1] and "Schakel ayaa" in bodies[1]
    # The new appointment: Dutch with the keywords, then Somali with its own answer line.
    new_dutch, new_somali = bodies[-2:]
    assert new_dutch.startswith("Nieuwe afspraak: maandag 29 maart om 10:00")
    assert new_dutch.endswith(ANSWER_LINE)
    assert new_somali.splitlines()[0] == render("so", texts.NEW_TITLE)
    assert new_somali.endswith(render("so", texts.SMS_ANSWER_OWN))
    assert "VDAB, Kongostraat 7, 9000 Gent" in new_somali
    assert measure(new_somali).encoding == GSM7

    # The reminder: one Dutch SMS, then the Somali one; both counted in the budget.
    before = await month_segments(services)
    assert await remind(services, clock) == 2
    dutch, somali = twilio.messages[-2:]
    assert dutch.body.startswith("Afspraak maandag 29 maart om 10:00") and dutch.segments == 1
    assert somali.body.splitlines()[0] == render("so", texts.REMINDER_TITLE)
    assert somali.segments == measure(somali.body).parts
    assert await month_segments(services) == before + dutch.segments + somali.segments
    rows = await services.store.fetch_all(
        "SELECT purpose, ref, sms_segments FROM outbox WHERE channel = 'sms'"
        " ORDER BY id DESC LIMIT 2"
    )
    assert [(r["purpose"], r["sms_segments"]) for r in rows] == [
        ("reminder", somali.segments),
        ("reminder", dutch.segments),
    ]
    assert rows[0]["ref"] == rows[1]["ref"]  # both about the one appointment

    # An answer to the Somali SMS is read as an answer about that appointment.
    assert await twilio.reply(AMAL_NUMBER, "1") == 200
    answer = await services.store.fetch_value("SELECT answer FROM appointments")
    assert answer == "coming"
    assert twilio.messages[-1].body == render("nl", texts.SMS_COMING_THANKS)
    told = telegram.texts_to(caseworker.id)[-1]
    assert told.startswith(f"Amal ({reference})")


@pytest.mark.parametrize("config", ["latin-script"], indirect=True)
async def test_latin_script_sends_nothing_more_to_an_arabic_reader(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    clock.now = NINE_DAYS_BEFORE
    caseworker = await caseworker_with_phone(services, telegram)
    await telegram.send(caseworker, f"/nieuw Amal ar A1 sms {AMAL_NUMBER}")
    assert len(twilio.messages) == 1  # the Dutch opt-in only
    assert await twilio.reply(AMAL_NUMBER, "JA") == 200
    reference = await services.store.fetch_value("SELECT reference FROM newcomers")
    sent = len(twilio.messages)
    await plan_by_chat(telegram, caseworker, str(reference), MONDAY_AFTER_SPRING_SWITCH, "ar")
    assert len(twilio.messages) == sent + 1
    assert twilio.messages[-1].body.endswith(ANSWER_LINE)


@pytest.mark.parametrize("config", ["always"], indirect=True)
async def test_always_an_arabic_reader_gets_a_second_sms_in_ucs2_counted_in_parts(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    clock.now = NINE_DAYS_BEFORE
    caseworker = await caseworker_with_phone(services, telegram)
    await telegram.send(caseworker, f"/nieuw Amal ar A1 sms {AMAL_NUMBER}")
    _opt_in, own = twilio.messages
    assert own.body == render("ar", texts.SMS_OPT_IN_OWN, contact="Laila Peeters",
                              organisation="VDAB")  # fmt: skip
    assert measure(own.body).encoding == UCS2 and own.segments == measure(own.body).parts > 1
    assert await twilio.reply(AMAL_NUMBER, "JA") == 200
    reference = await services.store.fetch_value("SELECT reference FROM newcomers")
    await plan_by_chat(telegram, caseworker, str(reference), MONDAY_AFTER_SPRING_SWITCH, "ar")
    dutch, arabic = twilio.messages[-2:]
    assert dutch.body.startswith("Nieuwe afspraak:") and dutch.segments == 2
    assert arabic.body.splitlines()[0].strip("\u200f") == render("ar", texts.NEW_TITLE).strip(
        "\u200f"
    )
    assert arabic.segments == measure(arabic.body).parts >= 2
    segments = await services.store.fetch_value("SELECT sum(segments) FROM sms_months")
    assert segments == sum(sms.segments for sms in twilio.messages)


@pytest.mark.parametrize("config", ["latin-script"], indirect=True)
async def test_a_second_sms_past_the_budget_is_skipped_with_the_reason(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    await amal_by_sms_with_an_appointment(telegram, services, clock, twilio)
    used = await month_segments(services)
    # Room for the Dutch reminder only: its Somali SMS is over the budget.
    services.dispatcher.sms.monthly_segments = used + 1  # type: ignore[union-attr]
    await remind(services, clock)
    rows = await services.store.fetch_all(
        "SELECT status, reason FROM outbox WHERE channel = 'sms' ORDER BY id DESC LIMIT 2"
    )
    assert rows[1]["status"] == "sent"
    assert rows[0]["status"] == "skipped" and "budget" in str(rows[0]["reason"])
    assert twilio.messages[-1].body.startswith("Afspraak maandag 29 maart om 10:00")
