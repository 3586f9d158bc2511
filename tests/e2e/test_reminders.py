"""Appointments and reminders through the real Application, with a clock the test moves.

Two appointments around the daylight-saving switches, one in Arabic and one in
Tigrinya, each planned once by chat and once from an XLSX planning sheet: the
reminders come at the right local times (the two-hours-before of a 9:00 appointment
moves out of quiet hours), in the newcomer's language and then Dutch; answers
reach the contact person; a restart sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.app.application import build_application, running
from bot.app.standin import FakeTelegram
from bot.appointments import reminders
from bot.cli.planning import import_planning
from bot.core.clock import from_db
from bot.core.config import Config
from bot.sending.services import Services
from handlers.core.context import SchakelApp, services_of
from messages import DUTCH_SEPARATOR, FSI, PDI, render, texts
from tests.conftest import FakeClock
from tests.e2e.people import (
    BRUSSELS,
    INTERPRETER_NAMES,
    amal_with_an_appointment,
    caseworker_with_phone,
    dutch_of,
    linked_newcomer,
    local,
    plan_by_chat,
)

# (language, appointment, Dutch first line, expected reminder moments in local time)
SPRING = (
    "ar",
    local(2027, 3, 29, 10),
    "Afspraak: maandag 29 maart om 10:00",
    # Friday still in winter time, Sunday after the switch: both at 10:00 on the clock.
    [local(2027, 3, 26, 10), local(2027, 3, 28, 10), local(2027, 3, 29, 8)],
)
AUTUMN = (
    "ti",
    local(2027, 11, 1, 9),
    "Afspraak: maandag 1 november om 9:00",
    # Two hours before 9:00 is 7:00, in quiet hours (21:00-8:00): it moves to 8:00.
    [local(2027, 10, 29, 9), local(2027, 10, 31, 9), local(2027, 11, 1, 8)],
)


def write_sheet(path: Path, reference: str, starts: dt.datetime, language: str) -> None:
    """The partners' intake schedule, with the national register column they keep."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Datum", "Uur", "Referentie", "Rijksregisternummer", "Intaker 1",
                  "Intaker 2", "Organisatie", "Tolk", "Opgedaagd?"])  # fmt: skip
    sheet.append([starts.replace(tzinfo=None, hour=0), starts.time(), reference,
                  "85.07.30-033.28", "Laila Peeters", "Inge Claes", "VDAB",
                  INTERPRETER_NAMES[language], ""])  # fmt: skip
    book.save(path)


async def reminder_moments(services: Services) -> list[dt.datetime]:
    rows = await services.store.fetch_all(
        "SELECT due_at FROM reminders WHERE status = 'planned' ORDER BY due_at"
    )
    return [from_db(row["due_at"]).astimezone(BRUSSELS) for row in rows]


@pytest.mark.parametrize("source", ["chat", "xlsx"])
@pytest.mark.parametrize("case", [SPRING, AUTUMN], ids=["spring-ar", "autumn-ti"])
async def test_reminders_come_at_local_times_in_the_newcomers_language_then_dutch(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    config: Config,
    tmp_path: Path,
    source: str,
    case: tuple[str, dt.datetime, str, list[dt.datetime]],
) -> None:
    language, starts, first_line, expected = case
    clock.now = starts.astimezone(dt.UTC) - dt.timedelta(days=9)
    caseworker = await caseworker_with_phone(services, telegram)
    newcomer, reference = await linked_newcomer(telegram, caseworker, 3, "Amal", language)
    if source == "chat":
        await plan_by_chat(telegram, caseworker, reference, starts, language)
    else:
        sheet = tmp_path / "planning.xlsx"
        write_sheet(sheet, reference, starts, language)
        assert await import_planning(config, sheet, apply=True, clock=clock) == 0
        await services.dispatcher.run_due()  # the bot's sweep picks up the message
        dump = "\n".join(str(tuple(row)) for row in await services.store.fetch_all(
            "SELECT * FROM appointments"))  # fmt: skip
        assert "85.07.30" not in dump and "033.28" not in dump
    new = telegram.texts_to(newcomer.id)[-1]
    assert dutch_of(new).startswith(first_line.replace("Afspraak:", "Nieuwe afspraak:"))
    assert await reminder_moments(services) == expected

    seen = len(telegram.texts_to(newcomer.id))
    for moment in expected:
        early = services.config.reminders.early_minutes  # it may leave that much early
        too_early = moment.astimezone(dt.UTC) - dt.timedelta(minutes=early + 1)
        clock.now = too_early - reminders.PREPARE_AHEAD
        assert await reminders.run_due(services) == 0  # not even written down yet
        clock.now = too_early  # it may be written down, to wait in the outbox
        queued = await reminders.run_due(services)
        await services.dispatcher.run_due()
        assert len(telegram.texts_to(newcomer.id)) == seen
        clock.now = moment.astimezone(dt.UTC)
        queued += await reminders.run_due(services)
        await services.dispatcher.run_due()  # the dispatcher's alarm, rung by hand
        assert queued == 1
        received = telegram.texts_to(newcomer.id)
        assert len(received) == seen + 1
        seen += 1
        reminder = received[-1]
        own, dutch = reminder.split(DUTCH_SEPARATOR)
        assert dutch.splitlines()[:4] == [
            first_line,
            "VDAB, Kongostraat 7, 9000 Gent",
            f"Met Laila Peeters en Inge Claes, tolk {INTERPRETER_NAMES[language]}",
            "Vragen? Bel 0470 12 34 56",
        ]
        assert own.startswith(render(language, texts.REMINDER_TITLE))
        # The buttons (shown after the text), in their language.
        assert render(language, texts.BUTTON_COMING) in dutch.splitlines()[-1]
    statuses = await services.store.fetch_all("SELECT status, late FROM reminders")
    assert [tuple(row) for row in statuses] == [("queued", 0)] * 3


async def test_answers_reach_the_contact_person_at_once(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    caseworker, newcomer, reference = await amal_with_an_appointment(
        telegram, services, clock, "ar"
    )

    await telegram.press(newcomer, render("ar", texts.BUTTON_COMING))
    assert await services.store.fetch_value("SELECT answer FROM appointments") == "coming"
    assert telegram.texts_to(caseworker.id)[-1].startswith(f"Amal ({reference}) komt naar")
    assert telegram.texts_to(newcomer.id)[-1].startswith(render("ar", texts.ANSWER_COMING))

    await telegram.press(newcomer, render("ar", texts.BUTTON_NOT_COMING))
    told = telegram.texts_to(caseworker.id)[-1]
    assert told.startswith(f"Amal ({reference}) kan niet komen naar de afspraak van")
    assert told.endswith("Plan een nieuwe afspraak.")
    chat = telegram._messages[caseworker.id]
    notice_id, messages = max(chat), len(chat)  # the "cannot come" notice, the newest
    await telegram.press(newcomer, render("ar", texts.BUTTON_REASON_ILL))
    # One event, one message: the reason edits the "cannot come" notice in place.
    assert len(chat) == messages
    assert chat[notice_id]["text"].startswith(f"Amal ({reference}) kan niet komen op ")
    assert chat[notice_id]["text"].endswith("Reden: ziek.")
    assert telegram.texts_to(caseworker.id)[-1].startswith(f"[edits message {notice_id}]")
    # Another reason after all: the same notice again, still one message.
    await telegram.press(newcomer, render("ar", texts.BUTTON_REASON_DUTCH_CLASS))
    assert len(chat) == messages and chat[notice_id]["text"].endswith("Reden: les Nederlands.")
    row = await services.store.fetch_one("SELECT answer, answer_reason FROM appointments")
    assert row is not None and tuple(row) == ("not_coming", "dutch_class")

    # The calendar file, and the route as a link the phone opens.
    await telegram.press(newcomer, render("ar", texts.BUTTON_CALENDAR))
    document = telegram.sent("sendDocument")[-1]
    assert document.files["document"] > 200  # the .ics (its content: tests/test_appointment_texts)
    assert str(document.params["caption"]).startswith(render("ar", texts.CALENDAR_CAPTION))
    await telegram.press(newcomer, render("ar", texts.BUTTON_ROUTE))
    assert "google.com/maps/search/?api=1&query=VDAB%2C+Kongostraat+7" in telegram.transcript[-1][2]

    clock.now = local(2027, 3, 29, 7).astimezone(dt.UTC)  # Monday morning
    await telegram.send(caseworker, "/vandaag")
    today = telegram.texts_to(caseworker.id)[-1]
    assert today.startswith("Afspraken vandaag, maandag 29 maart:")
    assert f"Amal ({reference}), Eerste gesprek. ❌ komt niet: les Nederlands" in today
    await telegram.send(caseworker, "/week")
    assert telegram.texts_to(caseworker.id)[-1].startswith(
        "Afspraken deze week, tot en met zondag 4 april:"
    )

    # Two hours after the start: "was Amal there?", one tap.
    clock.now = local(2027, 3, 29, 12).astimezone(dt.UTC)
    await reminders.run_due(services)
    question = telegram.texts_to(caseworker.id)[-1]
    assert question.startswith(f"Eerste gesprek met Amal ({reference}) op maandag 29 maart")
    await telegram.press(caseworker, "❌ Niet gekomen")
    assert await services.store.fetch_value("SELECT status FROM appointments") == "no_show"
    assert telegram.texts_to(caseworker.id)[-1] == "Genoteerd voor Amal: niet gekomen."
    await reminders.run_due(services)  # asked once, however often the alarm rings
    assert telegram.texts_to(caseworker.id)[-1] == "Genoteerd voor Amal: niet gekomen."


async def test_a_restart_between_two_reminders_sends_each_once(
    config: Config, telegram: FakeTelegram, clock: FakeClock
) -> None:
    first = build_application(config, request=telegram, clock=clock)
    telegram.attach(first)
    async with running(first):
        services = services_of(first)
        _, newcomer, _ = await amal_with_an_appointment(telegram, services, clock, "ar")
        clock.now = local(2027, 3, 26, 10).astimezone(dt.UTC)
        assert await reminders.run_due(services) == 1
    before = len(telegram.texts_to(newcomer.id))

    second = build_application(config, request=telegram, clock=clock)
    telegram.attach(second)
    async with running(second):
        services = services_of(second)
        assert await reminders.run_due(services) == 0  # the first went before the restart
        clock.now = local(2027, 3, 28, 10).astimezone(dt.UTC)
        assert await reminders.run_due(services) == 1
        assert await reminders.run_due(services) == 0
    assert len(telegram.texts_to(newcomer.id)) == before + 1
    sent = [call for call in telegram.sent() if call.params.get("chat_id") == newcomer.id]
    texts_sent = [str(call.params["text"]) for call in sent]
    assert sum(dutch_of(text).startswith("Afspraak: maandag 29 maart") for text in texts_sent) == 2


async def test_after_downtime_a_late_reminder_goes_if_the_appointment_is_ahead(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    _, newcomer, _ = await amal_with_an_appointment(telegram, services, clock, "ar")
    # Down from before the first reminder until 9:00 on the day: the three-days and
    # the day-before are due; only the latest goes, marked late; the 8:00 one as well?
    clock.now = local(2027, 3, 29, 9).astimezone(dt.UTC)
    assert await reminders.run_due(services) == 1
    rows = await services.store.fetch_all(
        "SELECT offset_minutes, status, late, reason FROM reminders ORDER BY offset_minutes"
    )
    assert [tuple(row) for row in rows] == [
        (120, "queued", 1, None),
        (1440, "skipped", 0, reminders.SKIPPED_SUPERSEDED),
        (4320, "skipped", 0, reminders.SKIPPED_SUPERSEDED),
    ]
    assert dutch_of(telegram.texts_to(newcomer.id)[-1]).startswith(
        "Afspraak: maandag 29 maart om 10:00"
    )


async def test_a_reminder_due_after_the_start_is_skipped_with_the_reason(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    _, newcomer, _ = await amal_with_an_appointment(telegram, services, clock, "ar")
    seen = len(telegram.texts_to(newcomer.id))
    clock.now = local(2027, 3, 29, 11).astimezone(dt.UTC)  # back after the appointment
    assert await reminders.run_due(services) == 0
    assert len(telegram.texts_to(newcomer.id)) == seen
    reasons = await services.store.fetch_all("SELECT DISTINCT status, reason FROM reminders")
    assert {tuple(row) for row in reasons} == {
        ("skipped", reminders.SKIPPED_STARTED),
        ("skipped", reminders.SKIPPED_SUPERSEDED),
    }


@pytest.mark.parametrize("language", ["ar", "ti"])
async def test_i_cannot_come_and_why_are_one_notice_for_the_contact_person(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock, language: str
) -> None:
    """Arabic (right to left) and Tigrinya: "I can't come", then why; the caseworker gets
    one message, edited when the reason comes (issue 23)."""
    caseworker, newcomer, reference = await amal_with_an_appointment(
        telegram, services, clock, language
    )
    chat = telegram._messages[caseworker.id]
    await telegram.press(newcomer, render(language, texts.BUTTON_NOT_COMING))
    notice_id, messages = max(chat), len(chat)
    assert chat[notice_id]["text"].endswith("Plan een nieuwe afspraak.")
    await telegram.press(newcomer, render(language, texts.BUTTON_REASON_WORK))
    assert len(chat) == messages
    assert chat[notice_id]["text"].startswith(f"Amal ({reference}) kan niet komen op ")
    assert chat[notice_id]["text"].endswith("Reden: " + render("nl", texts.REASON_WORK) + ".")


@pytest.mark.parametrize("language", ["ar", "ti"])
async def test_the_calendar_file_has_a_title_in_dutch_and_their_language_and_no_marks(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock, language: str
) -> None:
    _, newcomer, _ = await amal_with_an_appointment(telegram, services, clock, language)
    await telegram.press(newcomer, render(language, texts.BUTTON_CALENDAR))
    ics = telegram.sent("sendDocument")[-1].uploads["document"].decode()
    unfolded = ics.replace("\r\n ", "")
    title = f"Eerste gesprek / {render(language, texts.KIND_DUO_INTAKE)}"
    assert f"SUMMARY:{title}" in unfolded
    assert FSI not in ics and PDI not in ics
    assert "DESCRIPTION:" in unfolded and "0470 12 34 56" in unfolded
