"""SMS when things go wrong, end to end through the offline Twilio: 429 and 5xx tried
again, a timeout and a crash between sending and recording (the in-flight rule), numbers
that cannot get SMS (refused at sending, undelivered later), the monthly budget, and the
fallback from a blocked Telegram chat to SMS."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot.app.standin import FakeTelegram
from bot.appointments import reminders
from bot.core.clock import from_db
from bot.core.config import Config
from bot.people.staff import Role
from bot.sending import outbox, sms_gateway
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import DUTCH_SEPARATOR, render, texts
from tests.conftest import FakeClock, make_staff
from tests.e2e.people import (
    MONDAY_AFTER_SPRING_SWITCH,
    caseworker_with_phone,
    linked_newcomer,
    plan_by_chat,
)
from tests.e2e.sms import AMAL_NUMBER, amal_by_sms, sms_config
from tests.twilio_standin import TwilioStandIn

OTHER_NUMBER = "+32470654321"


@pytest.fixture
def config(
    tmp_path: Path,
    twilio: TwilioStandIn,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> Config:
    # A gateway that answers too late: the client gives up after half a second here.
    monkeypatch.setattr(sms_gateway, "TIMEOUT_SECONDS", 0.5)
    marker = request.node.get_closest_marker("sms")
    return sms_config(tmp_path, twilio, **(marker.kwargs if marker else {}))


async def rows(services: Services) -> list[tuple[object, ...]]:
    found = await services.store.fetch_all(
        "SELECT purpose, status, possible_duplicate, sms_status, sms_error, reason"
        " FROM outbox WHERE channel = 'sms' ORDER BY id"
    )
    return [tuple(row) for row in found]


def bodies_to(twilio: TwilioStandIn, number: str) -> list[str]:
    return [sms.body for sms in twilio.messages if sms.to == number]


async def test_429_and_5xx_are_tried_again_and_each_sms_arrives_once(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    caseworker = await caseworker_with_phone(services, telegram)
    twilio.fail_next(2, 503)
    await telegram.send(caseworker, f"/nieuw Amal so sms {AMAL_NUMBER}")
    assert bodies_to(twilio, AMAL_NUMBER) == []
    for seconds in (3, 5):  # the backoff: 2, then 4 seconds
        clock.advance(seconds=seconds)
        await services.dispatcher.run_due()
    assert len(bodies_to(twilio, AMAL_NUMBER)) == 1

    # The gateway takes one a second; Schakel was told ten: the second gets a 429, and
    # goes after the pause, not as an attempt.
    twilio.per_second = 1
    await telegram.send(caseworker, f"/nieuw Yonas so sms {OTHER_NUMBER}")
    assert (429, 20429) in twilio.refused
    clock.advance(seconds=2)
    await services.dispatcher.run_due()
    assert len(bodies_to(twilio, OTHER_NUMBER)) == 1
    assert twilio.refused.count((503, 0)) == 2
    assert [(status, duplicate) for _, status, duplicate, *_ in await rows(services)] == [
        ("sent", 0),
        ("sent", 0),
    ]


async def test_a_timeout_is_tried_again_flagged_as_a_possible_duplicate(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    caseworker = await caseworker_with_phone(services, telegram)
    twilio.answer_late(1, 1.0)
    await telegram.send(caseworker, f"/nieuw Amal so sms {AMAL_NUMBER}")
    clock.advance(seconds=3)
    await services.dispatcher.run_due()
    # The gateway had taken the first: two copies, the second flagged; never a third.
    assert len(bodies_to(twilio, AMAL_NUMBER)) == 2
    [(purpose, status, duplicate, *_)] = await rows(services)
    assert (purpose, status, duplicate) == ("sms_opt_in", "sent", 1)


async def test_a_crash_between_sending_and_recording_follows_the_in_flight_rule(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caseworker = await caseworker_with_phone(services, telegram)

    async def dies(*args: object) -> None:
        raise RuntimeError("killed after the gateway took it, before it was written down")

    with monkeypatch.context() as crash:
        crash.setattr(outbox, "mark_sms_sent", dies)
        await telegram.send(caseworker, f"/nieuw Amal so sms {AMAL_NUMBER}")
    assert len(bodies_to(twilio, AMAL_NUMBER)) == 1
    assert [row[1] for row in await rows(services)] == ["sending"]
    # At the next start: sent again once, flagged; not a third time.
    assert await outbox.recover_in_flight(services.store, services.clock) == (1, 0)
    await services.dispatcher.run_due()
    assert len(bodies_to(twilio, AMAL_NUMBER)) == 2
    [(_, status, duplicate, *_, reason)] = await rows(services)
    assert (status, duplicate, reason) == ("sent", 1, outbox.RECOVERED_REASON)


async def test_a_number_that_cannot_get_sms_marks_the_newcomer_and_tells_the_contact_once(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    caseworker = await caseworker_with_phone(services, telegram)
    twilio.landlines.add(AMAL_NUMBER)  # refused at sending: 21614
    twilio.undeliverable.add(OTHER_NUMBER)  # taken, then undelivered: 30003
    await telegram.send(caseworker, f"/nieuw Amal so sms {AMAL_NUMBER}")
    await telegram.send(caseworker, f"/nieuw Yonas ti sms {OTHER_NUMBER}")
    await twilio.settled()
    states = await services.store.fetch_all(
        "SELECT first_name, reference, sms_state FROM newcomers ORDER BY id"
    )
    assert [(row["first_name"], row["sms_state"]) for row in states] == [
        ("Amal", "unreachable"),
        ("Yonas", "unreachable"),
    ]
    notices = [
        render(
            "nl", texts.STAFF_SMS_UNREACHABLE, name=row["first_name"], reference=row["reference"]
        )
        for row in states
    ]
    # The caseworker's chat is paced (about one a second): let the bot's clock move on
    # until both notices have gone, without asserting on how long that takes.
    for _ in range(30):
        if all(notice in telegram.texts_to(caseworker.id) for notice in notices):
            break
        clock.advance(seconds=2)
        await services.dispatcher.run_due()
        await asyncio.sleep(0.1)
    told = telegram.texts_to(caseworker.id)
    for notice in notices:
        assert told.count(notice) == 1
    assert [(status, error) for _, status, _, _, error, _ in await rows(services)] == [
        ("failed", None),
        ("sent", 30003),
    ]
    # An answer from an unreachable number later changes nothing and tells nobody again.
    assert await twilio.reply(OTHER_NUMBER, "ja") == 200
    await services.dispatcher.run_due()
    assert (
        telegram.texts_to(caseworker.id).count(
            render(
                "nl", texts.STAFF_SMS_UNREACHABLE, name="Yonas", reference=states[1]["reference"]
            )
        )
        == 1
    )


@pytest.mark.sms(monthly_segments=4)
async def test_past_the_monthly_budget_nothing_more_goes_and_coordinators_are_told_once(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    coordinator = await make_staff(services, telegram, 9, "Els Claes", Role.COORDINATOR)
    caseworker, reference = await amal_by_sms(telegram, services, clock, twilio)
    assert len(twilio.messages) == 3  # opt-in, thanks, the contact's number: 3 of 4
    # The new appointment takes two segments: past the budget, not sent.
    await plan_by_chat(telegram, caseworker, reference, MONDAY_AFTER_SPRING_SWITCH, "so")
    due = await services.store.fetch_all("SELECT due_at FROM reminders ORDER BY due_at")
    clock.now = from_db(due[0]["due_at"])
    await reminders.run_due(services)  # one segment would fit: it goes
    clock.now = from_db(due[1]["due_at"])
    await reminders.run_due(services)  # the budget is used: not sent
    await services.dispatcher.run_due()
    assert len(twilio.messages) == 4
    budget = render("nl", texts.COORDINATOR_SMS_BUDGET, segments="4")
    assert telegram.texts_to(coordinator.id).count(budget) == 1
    assert [(purpose, status) for purpose, status, *_ in await rows(services)][-3:] == [
        ("new", "skipped"),
        ("reminder", "sent"),
        ("reminder", "skipped"),
    ]


async def test_a_blocked_telegram_chat_falls_back_to_sms_and_the_contact_is_told(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    clock.now = MONDAY_AFTER_SPRING_SWITCH.astimezone(dt.UTC) - dt.timedelta(days=9)
    caseworker = await caseworker_with_phone(services, telegram)
    amal, reference = await linked_newcomer(telegram, caseworker, 3, "Amal", "so")
    await telegram.send(caseworker, f"/sms {reference} {AMAL_NUMBER}")
    assert twilio.messages[-1].body.startswith("Dit is Schakel")
    assert await twilio.reply(AMAL_NUMBER, "JA") == 200
    await plan_by_chat(telegram, caseworker, reference, MONDAY_AFTER_SPRING_SWITCH, "so")
    sent_by_sms = len(twilio.messages)
    on_telegram = telegram.texts_to(amal.id)[-1]
    assert on_telegram.split(DUTCH_SEPARATOR)[1].startswith("Nieuwe afspraak")

    telegram.blocked.add(amal.id)
    due = await services.store.fetch_all("SELECT due_at FROM reminders ORDER BY due_at")
    clock.now = from_db(due[0]["due_at"])
    await reminders.run_due(services)  # Telegram answers 403
    await services.dispatcher.run_due()
    assert render("nl", texts.STAFF_SMS_FALLBACK, name="Amal", reference=reference) in (
        telegram.texts_to(caseworker.id)
    )
    # The reminder that bounced goes again, by SMS, worded for SMS.
    assert len(twilio.messages) == sent_by_sms + 1
    resent = twilio.messages[-1].body
    assert resent.startswith("Afspraak maandag 29 maart om 10:00") and resent.endswith(
        render("nl", texts.SMS_ANSWER)
    )
    bounced = await services.store.fetch_one(
        "SELECT status, reason FROM outbox WHERE channel = 'telegram' AND purpose = 'reminder'"
    )
    assert bounced is not None and bounced["status"] == "failed"
    await services.dispatcher.run_due()  # nothing more: sent once
    assert len(twilio.messages) == sent_by_sms + 1
    clock.now = from_db(due[1]["due_at"])
    assert await reminders.run_due(services) == 1
    assert len(twilio.messages) == sent_by_sms + 2
    assert twilio.messages[-1].body.startswith("Afspraak maandag 29 maart om 10:00")
