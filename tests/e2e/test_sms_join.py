"""Joining by SMS, the rest of it: a newcomer who joined by SMS moves to Telegram with their
invite link and is asked, in their language and in Dutch, whether SMS stays as the
fallback ("no" erases the number); a caseworker adds a number from the newcomer's sheet.
End to end: the real Application, the offline Telegram and the offline Twilio."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.app.standin import FakeTelegram
from bot.core.config import Config
from bot.people.staff import Role
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import DUTCH_SEPARATOR, render, texts
from tests.conftest import FakeClock, invite_token, last_link, make_staff
from tests.e2e.people import (
    MONDAY_AFTER_SPRING_SWITCH,
    caseworker_with_phone,
    linked_newcomer,
    plan_by_chat,
)
from tests.e2e.sms import AMAL_NUMBER, amal_by_sms, remind, sms_config
from tests.twilio_standin import TwilioStandIn


@pytest.fixture
def config(tmp_path: Path, twilio: TwilioStandIn) -> Config:
    return sms_config(tmp_path, twilio)


async def sms_of_amal(services: Services) -> tuple[object, object]:
    row = await services.store.fetch_one("SELECT sms_number, sms_state FROM newcomers")
    assert row is not None
    return row["sms_number"], row["sms_state"]


async def test_no_erases_the_number_and_messages_go_by_telegram_only(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    caseworker, reference = await amal_by_sms(telegram, services, clock, twilio)
    amal = telegram.user(3, "Amal", "so")
    await telegram.send(amal, f"/start {invite_token(last_link(telegram, caseworker))}")
    question = telegram.texts_to(amal.id)[-1]
    assert question.startswith(
        render("so", texts.SMS_KEEP_QUESTION)
        + DUTCH_SEPARATOR
        + render("nl", texts.SMS_KEEP_QUESTION)
    )
    assert [button["text"] for _, button in telegram.inline_buttons(amal.id)][-2:] == [
        render("so", texts.BUTTON_SMS_KEEP),
        render("so", texts.BUTTON_SMS_ERASE),
    ]
    await telegram.press(amal, render("so", texts.BUTTON_SMS_ERASE))
    assert render("nl", texts.SMS_NUMBER_ERASED) in telegram.texts_to(amal.id)[-1]
    assert await sms_of_amal(services) == (None, None)
    told = render("nl", texts.STAFF_SMS_NUMBER_ERASED, name="Amal", reference=reference)
    assert told in telegram.texts_to(caseworker.id)
    action = await services.store.fetch_value(
        "SELECT action FROM audit_log WHERE action = 'newcomer.sms.erase'"
    )
    assert action == "newcomer.sms.erase"
    # The new appointment and its reminder now go by Telegram, nothing more by SMS.
    sent_by_sms = len(twilio.messages)
    await plan_by_chat(telegram, caseworker, reference, MONDAY_AFTER_SPRING_SWITCH, "so")
    assert "Nieuwe afspraak" in telegram.texts_to(amal.id)[-1]
    assert len(twilio.messages) == sent_by_sms
    assert not any(  # the question's buttons are gone once answered
        button["text"] == render("so", texts.BUTTON_SMS_KEEP)
        for _, button in telegram.inline_buttons(amal.id)
    )
    # An SMS from the erased number is no newcomer's any more: not read.
    assert await twilio.reply(AMAL_NUMBER, "2") == 200
    answer = await services.store.fetch_value("SELECT answer FROM appointments")
    assert answer is None


async def test_yes_keeps_the_number_and_sms_takes_over_when_telegram_fails(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    caseworker, reference = await amal_by_sms(telegram, services, clock, twilio)
    amal = telegram.user(3, "Amal", "so")
    await telegram.send(amal, f"/start {invite_token(last_link(telegram, caseworker))}")
    await telegram.press(amal, render("so", texts.BUTTON_SMS_KEEP))
    assert render("nl", texts.SMS_KEPT) in telegram.texts_to(amal.id)[-1]
    assert await sms_of_amal(services) == (AMAL_NUMBER, "agreed")
    told = render("nl", texts.STAFF_SMS_KEPT, name="Amal", reference=reference)
    assert told in telegram.texts_to(caseworker.id)
    sent_by_sms = len(twilio.messages)
    await plan_by_chat(telegram, caseworker, reference, MONDAY_AFTER_SPRING_SWITCH, "so")
    assert len(twilio.messages) == sent_by_sms  # Telegram reaches her: no SMS
    telegram.blocked.add(amal.id)
    await remind(services, clock)
    await services.dispatcher.run_due()
    assert twilio.messages[-1].body.startswith("Afspraak maandag 29 maart om 10:00")


async def test_a_newcomer_who_never_answered_the_sms_agrees_to_it_on_telegram(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    clock.now = MONDAY_AFTER_SPRING_SWITCH.astimezone(dt.UTC) - dt.timedelta(days=9)
    caseworker = await caseworker_with_phone(services, telegram)
    await telegram.send(caseworker, f"/nieuw Amal so A1 sms {AMAL_NUMBER}")
    assert await sms_of_amal(services) == (AMAL_NUMBER, "asked")
    amal = telegram.user(3, "Amal", "so")
    await telegram.send(amal, f"/start {invite_token(last_link(telegram, caseworker))}")
    await telegram.press(amal, render("so", texts.BUTTON_AGREE))
    assert telegram.texts_to(amal.id)[-1].startswith(render("so", texts.SMS_KEEP_QUESTION))
    await telegram.press(amal, render("so", texts.BUTTON_SMS_KEEP))
    assert await sms_of_amal(services) == (AMAL_NUMBER, "agreed")


async def test_a_newcomer_without_a_number_is_not_asked(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
) -> None:
    caseworker = await caseworker_with_phone(services, telegram)
    await telegram.send(caseworker, "/nieuw Amal so A1")
    amal = telegram.user(3, "Amal", "so")
    await telegram.send(amal, f"/start {invite_token(last_link(telegram, caseworker))}")
    await telegram.press(amal, render("so", texts.BUTTON_AGREE))
    assert not any(
        render("nl", texts.SMS_KEEP_QUESTION) in text for text in telegram.texts_to(amal.id)
    )


async def test_a_number_added_from_the_sheet_gets_the_same_checks_and_the_opt_in(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    caseworker = await caseworker_with_phone(services, telegram)
    _, reference = await linked_newcomer(telegram, caseworker, 3, "Amal", "so")
    _, other = await linked_newcomer(telegram, caseworker, 4, "Dawit", "ti")
    await telegram.send(caseworker, f"/sms {other} +32470999888")
    await telegram.send(caseworker, f"/client {reference}")
    await telegram.press(caseworker, render("nl", texts.BUTTON_SMS_NUMBER))
    asked = render("nl", texts.SMS_NUMBER_ASK, name="Amal", reference=reference)
    assert telegram.texts_to(caseworker.id)[-1].startswith(asked)
    # A landline, then Dawit's number: refused with the reason, nothing kept.
    await telegram.send(caseworker, "09 265 48 11")
    assert telegram.texts_to(caseworker.id)[-1] == render(
        "nl", texts.BAD_SMS_NUMBER, number="09 265 48 11"
    )
    await telegram.send(caseworker, "+32470999888")
    assert telegram.texts_to(caseworker.id)[-1] == render("nl", texts.SMS_NUMBER_TAKEN)
    row = await services.store.fetch_one(
        "SELECT sms_number, sms_state FROM newcomers WHERE reference = ?", (reference,)
    )
    assert row is not None and tuple(row) == (None, None)
    opt_ins = len(twilio.messages)
    # The form ended with the refusal: the sheet's button again, and a good number.
    await telegram.press(caseworker, render("nl", texts.BUTTON_SMS_NUMBER))
    await telegram.send(caseworker, "0470 12 34 56")
    assert telegram.texts_to(caseworker.id)[-1] == render(
        "nl", texts.STAFF_SMS_OPT_IN_SENT, name="Amal", reference=reference, number="0470 12 34 56"
    )
    assert len(twilio.messages) == opt_ins + 1
    assert twilio.messages[-1].to == AMAL_NUMBER
    assert twilio.messages[-1].body.startswith("Dit is Schakel, van Laila Peeters (VDAB).")
    row = await services.store.fetch_one(
        "SELECT sms_number, sms_state FROM newcomers WHERE reference = ?", (reference,)
    )
    assert row is not None and tuple(row) == (AMAL_NUMBER, "asked")
    # Typing now is no longer an answer to that form.
    await telegram.send(caseworker, "+32470111222")
    assert telegram.texts_to(caseworker.id)[-1] == render("nl", texts.NOT_UNDERSTOOD)


async def test_a_coordinator_sees_no_sms_button_on_the_sheet(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    twilio: TwilioStandIn,
) -> None:
    caseworker = await caseworker_with_phone(services, telegram)
    _, reference = await linked_newcomer(telegram, caseworker, 3, "Amal", "so")
    coordinator = await make_staff(services, telegram, 7, "Kris", Role.COORDINATOR)
    await telegram.send(coordinator, f"/client {reference}")
    labels = [button["text"] for _, button in telegram.inline_buttons(coordinator.id)]
    assert render("nl", texts.BUTTON_HISTORY) in labels
    assert render("nl", texts.BUTTON_SMS_NUMBER) not in labels
