"""SMS for newcomers without Telegram, end to end: the real Application, the offline
Telegram and the offline Twilio (HTTP, Basic auth, form-encoded, Twilio's error codes,
signed status callbacks and inbound messages)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from bot.announcements import delivery as announcement_delivery
from bot.announcements import records as announcements
from bot.announcements.audiences import Audience, AudienceKind
from bot.announcements.model import Plan, Rsvp, SessionKind
from bot.announcements.words import SESSION_NAMES, dutch_part, template_texts
from bot.app.standin import FakeTelegram
from bot.appointments import reminders
from bot.core.clock import from_db
from bot.core.config import Config
from bot.people.staff import Role, find_staff
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from handlers.core.replies import quoted
from messages import render, texts
from messages.sms import measure
from tests.conftest import FakeClock, make_staff
from tests.e2e.people import (
    MONDAY_AFTER_SPRING_SWITCH,
    caseworker_with_phone,
    linked_newcomer,
    plan_by_chat,
)
from tests.e2e.sms import AMAL_NUMBER, amal_by_sms, amal_by_sms_with_an_appointment, sms_config
from tests.twilio_standin import TwilioStandIn, twilio_signature

ANSWER_LINE = "Antwoord 1 = ik kom, 2 = ik kan niet"


@pytest.fixture
def config(tmp_path: Path, twilio: TwilioStandIn) -> Config:
    return sms_config(tmp_path, twilio)


async def sms_rows(services: Services) -> list[dict[str, object]]:
    rows = await services.store.fetch_all(
        "SELECT purpose, status, sms_status, sms_error, sms_segments, reason, possible_duplicate"
        " FROM outbox WHERE channel = 'sms' ORDER BY id"
    )
    return [dict(row) for row in rows]


async def sms_state(services: Services) -> str | None:
    value = await services.store.fetch_value("SELECT sms_state FROM newcomers")
    return None if value is None else str(value)


async def test_joining_by_sms_then_reminders_and_answers_by_sms(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    caseworker, reference = await amal_by_sms(telegram, services, clock, twilio)
    opt_in, _agreed, contact = twilio.messages
    assert contact.body == render(
        "nl", texts.SMS_CONTACT, contact="Laila Peeters", number="0470 12 34 56"
    )
    assert opt_in.to == AMAL_NUMBER and opt_in.sender == twilio.number
    assert opt_in.body == render(
        "nl", texts.SMS_OPT_IN, contact="Laila Peeters", organisation="VDAB"
    )
    told = telegram.texts_to(caseworker.id)
    assert (
        render(
            "nl",
            texts.STAFF_SMS_OPT_IN_SENT,
            name="Amal",
            reference=reference,
            number="0470 12 34 56",
        )
        in told
    )
    assert render("nl", texts.STAFF_SMS_AGREED, name="Amal", reference=reference) in told
    assert await sms_state(services) == "agreed"
    # The delivery reports come back signed and mark each row.
    await twilio.settled()
    assert [row["sms_status"] for row in await sms_rows(services)] == ["delivered"] * 3

    # A new appointment goes by SMS, with the reply keywords.
    await plan_by_chat(telegram, caseworker, reference, MONDAY_AFTER_SPRING_SWITCH, "so")
    new = twilio.messages[-1]
    assert new.body.startswith("Nieuwe afspraak: maandag 29 maart om 10:00")
    assert new.body.endswith(ANSWER_LINE)

    # The reminders at their minute, each one SMS.
    due = await services.store.fetch_all("SELECT due_at FROM reminders ORDER BY due_at")
    clock.now = from_db(due[0]["due_at"])
    assert await reminders.run_due(services) == 1
    reminder = twilio.messages[-1]
    # No room left for "Vragen? Bel ...": the number came after her JA.
    assert reminder.body.splitlines() == [
        "Afspraak maandag 29 maart om 10:00",
        "VDAB, Kongostraat 7, 9000 Gent",
        "Met Laila Peeters en Inge Claes, tolk Somalisch",
        ANSWER_LINE,
    ]
    assert reminder.segments == measure(reminder.body).parts == 1

    # 2: cannot come; the question why; 3: Dutch class. The caseworker hears both.
    assert await twilio.reply(AMAL_NUMBER, "2") == 200
    assert telegram.texts_to(caseworker.id)[-1].startswith(
        f"Amal ({reference}) kan niet komen naar de afspraak van"
    )
    assert twilio.messages[-1].body == render("nl", texts.SMS_WHY_NOT)
    assert await twilio.reply(AMAL_NUMBER, "3") == 200
    row = await services.store.fetch_one("SELECT answer, answer_reason FROM appointments")
    assert row is not None and tuple(row) == ("not_coming", "dutch_class")
    assert telegram.texts_to(caseworker.id)[-1].endswith("Reden: les Nederlands.")
    assert twilio.messages[-1].body == render("nl", texts.SMS_REASON_THANKS)

    # Free text goes to the contact person as it is, with her code.
    assert await twilio.reply(AMAL_NUMBER, "Ik heb morgen les tot 11 uur") == 200
    assert telegram.texts_to(caseworker.id)[-1] == render(
        "nl", texts.STAFF_SMS_FORWARDED, name="Amal", reference=reference,
        text="Ik heb morgen les tot 11 uur",
    )  # fmt: skip
    # A national register number is neither passed on nor kept.
    assert await twilio.reply(AMAL_NUMBER, "Mijn nummer is 85.07.30-033.28") == 200
    assert telegram.texts_to(caseworker.id)[-1].endswith(
        "Mijn nummer is [rijksregisternummer verwijderd]"
    )
    stored = await services.store.fetch_value(
        "SELECT count(*) FROM outbox WHERE payload LIKE '%033.28%'"
    )
    assert stored == 0

    # After the next reminder, 1: coming.
    clock.now = from_db(due[1]["due_at"])
    assert await reminders.run_due(services) == 1
    assert twilio.messages[-1].body == reminder.body
    assert await twilio.reply(AMAL_NUMBER, "ja ik kom!") == 200
    assert await services.store.fetch_value("SELECT answer FROM appointments") == "coming"
    assert telegram.texts_to(caseworker.id)[-1].startswith(f"Amal ({reference}) komt naar")
    assert twilio.messages[-1].body == render("nl", texts.SMS_COMING_THANKS)

    # STOP: nothing more by SMS (the gateway confirms STOP itself); START: again.
    sent = len(twilio.messages)
    assert await twilio.reply(AMAL_NUMBER, "STOP") == 200
    assert await sms_state(services) == "stopped"
    assert telegram.texts_to(caseworker.id)[-1] == render(
        "nl", texts.STAFF_SMS_STOPPED, name="Amal", reference=reference
    )
    clock.now = from_db(due[2]["due_at"])
    await reminders.run_due(services)
    assert len(twilio.messages) == sent
    assert await twilio.reply(AMAL_NUMBER, "start") == 200
    assert await sms_state(services) == "agreed"
    assert twilio.messages[-1].body == render("nl", texts.SMS_STARTED)
    assert telegram.texts_to(caseworker.id)[-1] == render(
        "nl", texts.STAFF_SMS_STARTED, name="Amal", reference=reference
    )


async def test_a_forged_or_unsigned_webhook_is_refused_and_changes_nothing(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await amal_by_sms_with_an_appointment(telegram, services, clock, twilio)
    assert await twilio.reply(AMAL_NUMBER, "STOP", sign=False) == 403
    form = {"MessageSid": "SM" + "1" * 32, "From": AMAL_NUMBER, "Body": "STOP"}
    forged = twilio_signature("not-the-auth-token", twilio.inbound_url, form)
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            twilio.inbound_url, data=form, headers={"X-Twilio-Signature": forged}
        )
        status_url = twilio.inbound_url.replace("/sms/inbound", "/sms/status")
        report = {"MessageSid": twilio.messages[0].sid, "MessageStatus": "failed",
                  "ErrorCode": "21211"}  # fmt: skip
        signed_for_another_url = twilio_signature(twilio.auth_token, twilio.inbound_url, report)
        refused_report = await client.post(
            status_url, data=report, headers={"X-Twilio-Signature": signed_for_another_url}
        )
    assert answer.status_code == refused_report.status_code == 403
    assert await sms_state(services) == "agreed"
    assert "refused a request to /sms/inbound" in caplog.text
    assert "refused a request to /sms/status" in caplog.text


async def test_the_number_is_in_their_data_and_forget_me_erases_it(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    caseworker = await caseworker_with_phone(services, telegram)
    amal, reference = await linked_newcomer(telegram, caseworker, 3, "Amal", "so")
    await telegram.send(caseworker, f"/sms {reference} 0470 12 34 56")  # one word: refused
    assert telegram.texts_to(caseworker.id)[-1] == render("nl", texts.SMS_USAGE)
    await telegram.send(caseworker, f"/sms {reference} 092654811")  # a landline
    assert telegram.texts_to(caseworker.id)[-1] == render(
        "nl", texts.BAD_SMS_NUMBER, number=quoted("092654811")
    )
    await telegram.send(caseworker, f"/sms {reference} {AMAL_NUMBER}")
    assert await twilio.reply(AMAL_NUMBER, "ja") == 200

    # On her sheet for the people who help her; not for a coordinator.
    coordinator = await make_staff(services, telegram, 7, "Kris Maes", Role.COORDINATOR)
    shown = render("nl", texts.NEWCOMER_SHEET_SMS, number="0470 12 34 56", state="akkoord")
    await telegram.send(caseworker, f"/client {reference}")
    assert shown in telegram.texts_to(caseworker.id)[-1]
    await telegram.send(coordinator, f"/client {reference}")
    sheet = telegram.texts_to(coordinator.id)[-1]
    assert sheet.startswith(f"Amal ({reference})") and "0470" not in sheet
    await telegram.send(amal, "/gegevens")
    assert render("so", texts.MY_DATA_SMS, number="0470 12 34 56") in telegram.texts_to(amal.id)[-1]
    await telegram.send(amal, "/vergeet")
    await telegram.press(amal, render("so", texts.BUTTON_FORGET_YES))
    row = await services.store.fetch_one(
        "SELECT sms_number, sms_state, sms_agreed_at FROM newcomers WHERE reference = ?",
        (reference,),
    )
    assert row is not None and tuple(row) == (None, None, None)
    # An SMS from that number afterwards is read by no one and passed to no one.
    told = len(telegram.texts_to(caseworker.id))
    assert await twilio.reply(AMAL_NUMBER, "Hallo?") == 200
    await services.dispatcher.run_due()
    assert len(telegram.texts_to(caseworker.id)) == told


async def test_an_announcement_goes_by_sms_and_1_answers_it(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    coordinator = await make_staff(services, telegram, 7, "Kris Maes", Role.COORDINATOR)
    await amal_by_sms(telegram, services, clock, twilio)
    author = await find_staff(services.store, coordinator.id)
    assert author is not None
    starts = MONDAY_AFTER_SPRING_SWITCH + dt.timedelta(days=1)
    plan = Plan(
        title=render("nl", SESSION_NAMES[SessionKind.WORK]),
        starts_at=starts.astimezone(dt.UTC),
        place="In-Gent, Kongostraat 42, 9000 Gent",
        audience=Audience(kind=AudienceKind.ALL),
        texts=template_texts(SessionKind.WORK),
        send_at=clock.now,
        session_kind=SessionKind.WORK,
        title_from_kind=True,
    )
    announcement = await announcements.schedule(services, author, plan)
    await announcement_delivery.run_due(services)
    await services.dispatcher.run_due()
    sms = twilio.messages[-1]
    assert sms.body == "\n".join(
        [dutch_part(announcement, services.config.locale.tzinfo), ANSWER_LINE]
    )
    assert await twilio.reply(AMAL_NUMBER, "1") == 200
    counts = await announcements.rsvp_counts(services.store, announcement.id)
    assert counts[Rsvp.COMING] == 1
    assert twilio.messages[-1].body == render("nl", texts.SMS_COMING_THANKS)
    # The day before, the reminder to those who come goes by SMS too.
    clock.now = starts.astimezone(dt.UTC) - dt.timedelta(days=1)
    await announcement_delivery.run_due(services)
    await services.dispatcher.run_due()
    assert twilio.messages[-1].body.startswith("Morgen: ")
    assert twilio.messages[-1].body.endswith(ANSWER_LINE)
    assert await twilio.reply(AMAL_NUMBER, "2") == 200
    counts = await announcements.rsvp_counts(services.store, announcement.id)
    assert (counts[Rsvp.COMING], counts[Rsvp.NOT_COMING]) == (0, 1)
    assert twilio.messages[-1].body == render("nl", texts.SMS_NOTED)
