"""The reminders' rules after planning (bot/appointments/reminders.py), without the
Application: what becomes of a due reminder whose appointment changed, was cancelled or
has started, who is asked "did they come?" afterwards, and which skipped reminders go
again when a newcomer can be reached again. Through the real outbox and dispatcher on the
stand-in (tests/conftest.py, `bare_services`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from bot.app.standin import FakeTelegram
from bot.appointments import records as appointments
from bot.appointments import reminders
from bot.appointments.records import Appointment, Kind
from bot.appointments.reminder_plan import SHORT_EARLY_AT_MOST, SKIPPED_PAST
from bot.appointments.words import Event, answer_buttons, own_sms_text, sms_text, who_to_call
from bot.core.callbacks import APPOINTMENT_WISH, WHO_CAME
from bot.core.clock import from_db, to_db
from bot.core.lanes import Lane
from bot.people.newcomers import Newcomer, NewcomerStatus
from bot.people.staff import Role
from bot.sending import outbox
from bot.sending.outbox import SMS_CHAT, Outgoing
from bot.sending.services import Services
from messages import DUTCH_SEPARATOR, render, texts
from tests.conftest import FakeClock, lanes_recorded, make_staff, plan_appointment

BRUSSELS = ZoneInfo("Europe/Brussels")
CASEWORKER = 2  # her Telegram id
AMAL, BILAL = 71_001, 71_002  # their chats
THURSDAY_TEN = dt.datetime(2027, 3, 4, 10, tzinfo=BRUSSELS)


@pytest.fixture
def services(bare_services: Services) -> Services:
    return bare_services


@pytest.fixture
async def people(
    services: Services, telegram: FakeTelegram, clock: FakeClock
) -> dict[int, Newcomer]:
    """A caseworker, contact person of two newcomers who agreed; Tuesday 10:00."""
    clock.now = dt.datetime(2027, 3, 2, 10, tzinfo=BRUSSELS).astimezone(dt.UTC)
    await make_staff(services, telegram, CASEWORKER, "Laila Peeters", Role.CASEWORKER)
    staff_id = await services.store.fetch_int(
        "SELECT id FROM staff WHERE telegram_user_id = ?", (CASEWORKER,)
    )
    now = to_db(clock())
    async with services.store.transaction() as db:
        for chat, name in ((AMAL, "Amal"), (BILAL, "Bilal")):
            cursor = await db.execute(
                "INSERT INTO newcomers (reference, first_name, language, status, chat_id,"
                " telegram_user_id, consent_at, created_at) VALUES (?, ?, 'ar', 'active', ?, ?,"
                " ?, ?)",
                (f"K-Q{chat % 100:03d}", name, chat, chat, now, now),
            )
            await db.execute(
                "INSERT INTO counsellors (newcomer_id, staff_id, name, role, is_contact)"
                " VALUES (?, ?, 'Laila Peeters', 'caseworker', 1)",
                (cursor.lastrowid, staff_id),
            )
    rows = await services.store.fetch_all("SELECT * FROM newcomers")
    return {row["chat_id"]: Newcomer.from_row(row) for row in rows}


plan = plan_appointment


async def set_caseworker(services: Services, column: str, value: str) -> None:
    async with services.store.transaction() as db:
        await db.execute(
            f"UPDATE staff SET {column} = ? WHERE telegram_user_id = ?", (value, CASEWORKER)
        )


async def reminder_states(services: Services) -> list[tuple[str, int, str, str | None]]:
    """(newcomer, offset in minutes, status, reason) of every reminder, in that order."""
    rows = await services.store.fetch_all(
        "SELECT c.first_name, r.offset_minutes, r.status, r.reason FROM reminders r"
        " JOIN appointments a ON a.id = r.appointment_id JOIN newcomers c ON c.id = a.newcomer_id"
        " ORDER BY c.first_name, r.starts_at, r.offset_minutes"
    )
    return [(r["first_name"], r["offset_minutes"], r["status"], r["reason"]) for r in rows]


async def test_after_the_appointment_the_contact_person_is_asked_once_who_came(
    services: Services, telegram: FakeTelegram, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    appointment = await plan(services, people[AMAL], THURSDAY_TEN)
    after = dt.timedelta(hours=services.config.reminders.attendance_after_hours)
    clock.now = (THURSDAY_TEN + after).astimezone(dt.UTC) - dt.timedelta(seconds=1)
    assert await reminders.ask_attendance(services) == 0  # not yet
    clock.now += dt.timedelta(seconds=1)
    telegram.calls.clear()
    assert await reminders.ask_attendance(services) == 1
    (question,) = telegram.sent()
    assert int(question.params["chat_id"]) == CASEWORKER
    assert question.params["text"] == (
        "Eerste gesprek met Amal (K-Q001) op donderdag 4 maart 2027, 10:00. Was Amal er?"
    )
    buttons = [
        [(button["text"], button["callback_data"]) for button in line]
        for line in question.params["reply_markup"]["inline_keyboard"]
    ]
    assert buttons == [
        [("✅ Gekomen", WHO_CAME.data("attended", appointment.id)),
         ("❌ Niet gekomen", WHO_CAME.data("no_show", appointment.id))],
        [("↪ Verplaatst", WHO_CAME.data("moved", appointment.id))],
    ]  # fmt: skip
    assert await reminders.ask_attendance(services) == 0  # asked once


async def test_who_came_is_asked_in_the_contact_persons_language(
    services: Services, people: dict[int, Newcomer]
) -> None:
    await set_caseworker(services, "language", "fr")
    appointment = await plan(services, people[AMAL], THURSDAY_TEN)
    question = await reminders.attendance_question(services, appointment)
    assert question is not None
    assert (question.purpose, question.ref) == ("attendance", f"appointment:{appointment.id}")
    assert question.text == (
        "Premier entretien avec Amal (K-Q001) le jeudi 4 mars 2027, 10:00."
        " Est-ce que Amal était là\N{NO-BREAK SPACE}?"
    )
    assert question.buttons[0][0].text == "✅ Présent(e)"


async def test_nobody_is_asked_who_came_when_the_newcomer_has_no_contact_on_schakel(
    services: Services, telegram: FakeTelegram, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    appointment = await plan(services, people[BILAL], THURSDAY_TEN)
    async with services.store.transaction() as db:
        await db.execute(
            "UPDATE counsellors SET staff_id = NULL WHERE newcomer_id = ?", (people[BILAL].id,)
        )
    assert await reminders.attendance_question(services, appointment) is None
    # Planned by the caseworker herself: she is asked, contact person on Schakel or not.
    staff_id = await services.store.fetch_int(
        "SELECT id FROM staff WHERE telegram_user_id = ?", (CASEWORKER,)
    )
    question = await reminders.attendance_question(
        services, await _by(services, appointment, staff_id)
    )
    assert question is not None and question.chat_id == CASEWORKER
    assert question.idempotency_key == f"attendance:{appointment.id}:{to_db(appointment.starts_at)}"


async def _by(services: Services, appointment: Appointment, staff_id: int) -> Appointment:
    async with services.store.transaction() as db:
        await db.execute(
            "UPDATE appointments SET created_by = ? WHERE id = ?", (staff_id, appointment.id)
        )
    found = await appointments.get(services.store, appointment.id)
    assert found is not None
    return found


async def set_appointment(services: Services, appointment: Appointment, **columns: str) -> None:
    """Another writer changed the appointment (a second process, an import) and the
    reminders were not told: the rule at the due moment must see it itself."""
    assignments = ", ".join(f"{column} = ?" for column in columns)
    async with services.store.transaction() as db:
        await db.execute(
            f"UPDATE appointments SET {assignments} WHERE id = ?",
            (*columns.values(), appointment.id),
        )


async def test_a_due_reminder_of_an_appointment_cancelled_or_moved_meanwhile_does_not_go(
    services: Services, telegram: FakeTelegram, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    cancelled = await plan(services, people[AMAL], THURSDAY_TEN)
    moved = await plan(services, people[BILAL], THURSDAY_TEN)
    await set_appointment(services, cancelled, status="cancelled")
    await set_appointment(services, moved, starts_at=to_db(THURSDAY_TEN + dt.timedelta(days=1)))
    clock.now = (THURSDAY_TEN - dt.timedelta(days=1)).astimezone(dt.UTC)
    telegram.calls.clear()
    assert await reminders.run_due(services) == 0
    assert telegram.sent() == []
    assert await reminder_states(services) == [
        ("Amal", 120, "planned", None),
        ("Amal", 1440, "cancelled", reminders.CANCELLED_CANCELLED),
        ("Amal", 4320, "skipped", SKIPPED_PAST),
        ("Bilal", 120, "planned", None),
        ("Bilal", 1440, "cancelled", reminders.CANCELLED_CHANGED),
        ("Bilal", 4320, "skipped", SKIPPED_PAST),
    ]


async def test_a_reminder_of_a_forgotten_newcomer_is_cancelled_not_sent(
    services: Services, telegram: FakeTelegram, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    await plan(services, people[AMAL], THURSDAY_TEN)
    await plan(services, people[BILAL], THURSDAY_TEN)
    async with services.store.transaction() as db:
        await db.execute(
            "UPDATE newcomers SET forgotten_at = ? WHERE id = ?", (to_db(clock()), people[AMAL].id)
        )
    clock.now = (THURSDAY_TEN - dt.timedelta(days=1)).astimezone(dt.UTC)
    telegram.calls.clear()
    assert await reminders.run_due(services) == 1
    assert [int(call.params["chat_id"]) for call in telegram.sent()] == [BILAL]
    states = await reminder_states(services)
    assert ("Amal", 1440, "cancelled", reminders.CANCELLED_CANCELLED) in states
    assert ("Bilal", 1440, "queued", None) in states


async def test_after_downtime_only_the_latest_due_reminder_goes_marked_late_unless_it_started(
    services: Services, telegram: FakeTelegram, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    """The bot was down from before Wednesday 10:00 until Thursday: Amal's day-before and
    two-hour reminders are both due; one message says it all. Bilal's appointment, at
    08:30, had started when the bot came back."""
    await plan(services, people[AMAL], THURSDAY_TEN)
    await plan(services, people[BILAL], THURSDAY_TEN - dt.timedelta(hours=1, minutes=30))
    late_after = services.config.reminders.late_after_minutes
    clock.now = dt.datetime(2027, 3, 4, 8, 31, tzinfo=BRUSSELS).astimezone(dt.UTC)
    telegram.calls.clear()
    assert await reminders.run_due(services) == 1
    assert [int(call.params["chat_id"]) for call in telegram.sent()] == [AMAL]
    assert [s for s in await reminder_states(services) if s[2] != "skipped" or s[1] < 4320] == [
        ("Amal", 120, "queued", None),
        ("Amal", 1440, "skipped", reminders.SKIPPED_SUPERSEDED),
        ("Bilal", 120, "skipped", reminders.SKIPPED_STARTED),
        ("Bilal", 1440, "skipped", reminders.SKIPPED_SUPERSEDED),
    ]
    late = await services.store.fetch_all(
        "SELECT offset_minutes, late FROM reminders WHERE status = 'queued'"
    )
    assert [(row["offset_minutes"], row["late"]) for row in late] == [(120, 1)]  # 31 > 10 min
    assert late_after < 31


async def test_a_reminder_is_late_only_past_late_after_minutes(
    services: Services, telegram: FakeTelegram, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    await plan(services, people[AMAL], THURSDAY_TEN)
    await plan(services, people[BILAL], THURSDAY_TEN + dt.timedelta(minutes=1))
    late_after = dt.timedelta(minutes=services.config.reminders.late_after_minutes)
    # Amal's day-before reminder exactly late_after after its moment: on time; Bilal's,
    # due a minute later, is then late_after - 1 minute past.
    clock.now = (THURSDAY_TEN - dt.timedelta(days=1) + late_after).astimezone(dt.UTC)
    assert await reminders.run_due(services) == 2
    clock.now += dt.timedelta(days=1)  # nothing: the 2-hour reminders are not due yet
    rows = await services.store.fetch_all(
        "SELECT r.late FROM reminders r WHERE r.status = 'queued' ORDER BY r.due_at"
    )
    assert [row["late"] for row in rows] == [0, 0]
    # The two-hour ones, handed over late_after and one second after their moment: late.
    clock.now = (THURSDAY_TEN - dt.timedelta(hours=2) + late_after).astimezone(dt.UTC)
    clock.now += dt.timedelta(minutes=1, seconds=1)
    assert await reminders.run_due(services) == 2
    rows = await services.store.fetch_all(
        "SELECT r.late FROM reminders r WHERE r.offset_minutes = 120 ORDER BY r.due_at"
    )
    assert [row["late"] for row in rows] == [1, 1]


async def test_a_newcomer_reachable_again_gets_the_reminders_skipped_meanwhile_that_still_matter(
    services: Services, telegram: FakeTelegram, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    """Amal blocked Schakel, then wrote again: the reminders skipped because Telegram did
    not deliver come back for appointments still ahead and planned, not for one that took
    place, was cancelled, nor for Bilal, who is reachable all along, nor one skipped for
    another reason."""
    ahead = await plan(services, people[AMAL], THURSDAY_TEN)
    cancelled = await plan(services, people[AMAL], THURSDAY_TEN + dt.timedelta(days=7))
    past = await plan(services, people[AMAL], THURSDAY_TEN - dt.timedelta(hours=5))
    bilal = await plan(services, people[BILAL], THURSDAY_TEN)
    async with services.store.transaction() as db:
        await db.execute(
            "UPDATE newcomers SET status = 'unreachable' WHERE id = ?", (people[AMAL].id,)
        )
        await db.execute(
            "UPDATE reminders SET status = 'skipped', reason = ? WHERE status = 'planned'",
            (reminders.SKIPPED_UNREACHABLE,),
        )
        await db.execute(
            "UPDATE reminders SET reason = ? WHERE appointment_id = ? AND offset_minutes = 120",
            (reminders.SKIPPED_STOPPED, ahead.id),
        )
    await set_appointment(services, cancelled, status="cancelled")
    clock.now = dt.datetime(2027, 3, 4, 6, tzinfo=BRUSSELS).astimezone(dt.UTC)  # after `past`
    telegram.calls.clear()
    unreachable = people[AMAL]
    again = await reminders.newcomer_reachable_again(services, unreachable)
    assert again.status == "active"
    planned = await services.store.fetch_all(
        "SELECT appointment_id, offset_minutes FROM reminders WHERE status = 'planned'"
    )
    assert [(row["appointment_id"], row["offset_minutes"]) for row in planned] == [(ahead.id, 1440)]
    assert past.id != bilal.id  # (Bilal's and the past appointment's stay skipped)
    await services.dispatcher.run_due()
    told = telegram.texts_to(CASEWORKER)
    assert told == [
        "Amal (K-Q001) krijgt weer berichten van Schakel. Herinneringen voor komende afspraken"
        " gaan weer."
    ]


async def test_cancelling_closes_the_planned_reminders_and_a_change_back_plans_them_again(
    services: Services, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    appointment = await plan(services, people[AMAL], THURSDAY_TEN)
    async with services.store.transaction() as db:
        await reminders.cancel_open(db, services.clock, appointment.id, reminders.CANCELLED_CHANGED)
    assert await reminder_states(services) == [
        ("Amal", 120, "cancelled", reminders.CANCELLED_CHANGED),
        ("Amal", 1440, "cancelled", reminders.CANCELLED_CHANGED),
        ("Amal", 4320, "skipped", SKIPPED_PAST),  # not planned: left as it was
    ]
    # Changed back to Thursday 10:00: the same rows are planned again, a day later.
    clock.now += dt.timedelta(days=1)
    async with services.store.transaction() as db:
        await reminders.store_plan(db, services.clock, services.config, appointment)
    assert await reminder_states(services) == [
        ("Amal", 120, "planned", None),
        ("Amal", 1440, "skipped", SKIPPED_PAST),  # its moment (now) has passed
        ("Amal", 4320, "skipped", SKIPPED_PAST),
    ]


async def test_a_queued_reminder_is_never_planned_again(
    services: Services, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    appointment = await plan(services, people[AMAL], THURSDAY_TEN)
    clock.now = (THURSDAY_TEN - dt.timedelta(days=1)).astimezone(dt.UTC)
    assert await reminders.run_due(services) == 1
    clock.now = (THURSDAY_TEN - dt.timedelta(days=2)).astimezone(dt.UTC)  # (as if earlier)
    async with services.store.transaction() as db:
        await reminders.store_plan(db, services.clock, services.config, appointment)
    assert ("Amal", 1440, "queued", None) in await reminder_states(services)
    due = await services.store.fetch_all("SELECT due_at FROM reminders WHERE offset_minutes = 1440")
    assert [row["due_at"] for row in due] == [to_db(THURSDAY_TEN - dt.timedelta(days=1))]


async def test_the_alarm_rings_for_the_first_reminder_or_attendance_question(
    services: Services, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    assert await reminders.next_moment(services) is None  # nothing planned
    await plan(services, people[AMAL], THURSDAY_TEN)
    early = dt.timedelta(minutes=services.config.reminders.early_minutes)
    day_before = THURSDAY_TEN - dt.timedelta(days=1) - early
    assert await reminders.next_moment(services) == day_before - reminders.PREPARE_AHEAD
    clock.now = (THURSDAY_TEN - dt.timedelta(days=1)).astimezone(dt.UTC)
    await reminders.run_due(services)
    # The two-hour reminder is due at 08:00, when quiet hours end: it may not leave a minute
    # before, and is written down PREPARE_AHEAD before that.
    two_hours = THURSDAY_TEN - dt.timedelta(hours=2)
    assert await reminders.next_moment(services) == two_hours - reminders.PREPARE_AHEAD
    clock.now = (THURSDAY_TEN - dt.timedelta(hours=2)).astimezone(dt.UTC)
    await reminders.run_due(services)
    after = dt.timedelta(hours=services.config.reminders.attendance_after_hours)
    assert await reminders.next_moment(services) == THURSDAY_TEN + after


async def test_after_a_missed_appointment_a_kind_word_with_who_to_call_and_a_new_one_a_tap_away(
    services: Services, people: dict[int, Newcomer]
) -> None:
    await set_caseworker(services, "phone", "+32470123456")
    appointment = await plan(services, people[AMAL], THURSDAY_TEN)
    notice = await reminders.no_show_notice(
        services.store, services.config, people[AMAL], appointment
    )
    assert notice is not None
    assert (notice.chat_id, notice.newcomer_id, notice.purpose) == (AMAL, people[AMAL].id, "notice")
    assert notice.idempotency_key == f"attendance:{appointment.id}:no_show"
    assert notice.ref == f"appointment:{appointment.id}"
    arabic, dutch = notice.text.split(DUTCH_SEPARATOR)
    assert dutch.splitlines() == [
        "We hebben u gemist op de afspraak van donderdag 4 maart 2027, 10:00. Dat kan gebeuren.",
        "Vragen? Bel Laila Peeters: 0470 12 34 56",
        "Wilt u een nieuwe afspraak? Tik op de knop.",
    ]
    assert "0470 12 34 56" in arabic and "Wilt u" not in arabic  # first in their language
    [[button]] = notice.buttons
    assert button.data == APPOINTMENT_WISH.data("plan", appointment.id)
    assert (
        button.text
        == render("ar", texts.BUTTON_PLAN_AGAIN)
        != render("nl", texts.BUTTON_PLAN_AGAIN)
    )


async def test_no_kind_word_to_a_newcomer_who_stopped_or_has_no_chat(
    services: Services, people: dict[int, Newcomer]
) -> None:
    appointment = await plan(services, people[AMAL], THURSDAY_TEN)
    stopped = dataclasses.replace(people[AMAL], status=NewcomerStatus.STOPPED)
    no_chat = dataclasses.replace(people[AMAL], chat_id=None)
    for newcomer in (stopped, no_chat):
        assert (
            await reminders.no_show_notice(services.store, services.config, newcomer, appointment)
            is None
        )


async def test_a_notice_about_an_appointment_says_when_and_who_to_call_with_buttons_to_answer(
    services: Services, people: dict[int, Newcomer]
) -> None:
    await set_caseworker(services, "phone", "+32470123456")
    appointment = await plan(services, people[AMAL], THURSDAY_TEN)
    for event in Event:
        [notice] = await reminders.newcomer_notice(
            services.store, services.config, people[AMAL], appointment, event, f"k:{event}"
        )  # one message on Telegram
        assert (notice.chat_id, notice.newcomer_id, notice.purpose, notice.idempotency_key) == (
            AMAL, people[AMAL].id, event.value, f"k:{event}",
        )  # fmt: skip
        assert notice.ref == f"appointment:{appointment.id}"
        arabic, dutch = notice.text.split(DUTCH_SEPARATOR)
        assert "donderdag 4 maart om 10:00" in dutch, event  # Brussels time, not UTC
        assert "Bel 0470 12 34 56" in dutch, event  # who to call: the contact person
        assert "0470 12 34 56" in arabic and arabic != dutch, event
        assert any("\u0600" <= c <= "\u06ff" for c in arabic), event  # in Arabic letters
        # Nothing to answer about an appointment that is off.
        answers = answer_buttons("ar", appointment) if event is not Event.CANCELLED else []
        assert [list(line) for line in notice.buttons] == answers
        assert bool(notice.buttons) is (event is not Event.CANCELLED)


async def test_a_notice_goes_by_sms_to_a_newcomer_telegram_does_not_reach_who_said_yes_to_sms(
    services: Services, people: dict[int, Newcomer]
) -> None:
    appointment = await plan(services, people[AMAL], THURSDAY_TEN)
    by_sms = dataclasses.replace(
        people[AMAL],
        status=NewcomerStatus.UNREACHABLE,
        sms_number="+32470111222",
        sms_state="agreed",
    )
    [notice] = await reminders.newcomer_notice(
        services.store, services.config, by_sms, appointment, Event.REMINDER, "k:sms"
    )  # the Dutch SMS alone: [sms] translation is "never" here
    assert (notice.channel, notice.to, notice.chat_id) == ("sms", "+32470111222", SMS_CHAT)
    assert (notice.purpose, notice.idempotency_key, notice.newcomer_id) == (
        Event.REMINDER.value, "k:sms", people[AMAL].id,
    )  # fmt: skip
    assert notice.ref == f"appointment:{appointment.id}"
    call = await who_to_call(services.store, people[AMAL].id)
    assert notice.text == sms_text(appointment, Event.REMINDER, call, BRUSSELS)
    assert notice.text.startswith("Afspraak donderdag 4 maart om 10:00\n")  # Brussels time


async def test_a_reminder_handed_over_at_the_very_start_of_its_appointment_is_skipped(
    services: Services, telegram: FakeTelegram, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    await plan(services, people[AMAL], THURSDAY_TEN)
    clock.now = THURSDAY_TEN.astimezone(dt.UTC)  # the bot was down until 10:00 sharp
    telegram.calls.clear()
    assert await reminders.run_due(services) == 0
    assert telegram.sent() == []
    assert ("Amal", 120, "skipped", reminders.SKIPPED_STARTED) in await reminder_states(services)


async def test_a_kind_of_appointment_with_its_own_reminders_gets_those(
    services: Services, people: dict[int, Newcomer]
) -> None:
    """`[reminders.kinds]`: an info session is reminded the day before only."""
    config = services.config.model_copy(
        update={
            "reminders": services.config.reminders.model_copy(
                update={"kinds": {"info_session": ("1d",)}}
            )
        }
    )
    appointment = await plan(services, people[AMAL], THURSDAY_TEN)
    info = dataclasses.replace(appointment, kind=Kind.INFO_SESSION)
    now = services.clock()
    assert [p.offset for p in reminders.plan_for(config, info, now)] == [dt.timedelta(days=1)]
    assert [p.offset for p in reminders.plan_for(config, appointment, now)] == [
        dt.timedelta(days=3), dt.timedelta(days=1), dt.timedelta(hours=2),
    ]  # fmt: skip


async def test_when_telegram_stops_each_appointments_newest_bounced_message_goes_by_sms_once(
    services: Services, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    """Amal agreed to SMS and Telegram no longer delivers to her chat: per appointment the
    newest message that did not reach her (failed or skipped) goes again by SMS, worded
    afresh from the appointment as it is now, while it is still ahead; not what reached
    her, not a reminder of what was cancelled since, not a notice, not Bilal's; once."""
    amal = people[AMAL]
    changed = await plan(services, amal, THURSDAY_TEN)
    reached = await plan(services, amal, THURSDAY_TEN + dt.timedelta(hours=2))
    cancelled_since = await plan(services, amal, THURSDAY_TEN + dt.timedelta(hours=4))
    cancelled = await plan(services, amal, THURSDAY_TEN + dt.timedelta(days=1))
    past = await plan(services, amal, clock() + dt.timedelta(hours=2))
    bilals = await plan(services, people[BILAL], THURSDAY_TEN)
    history = [  # (newcomer, appointment, event, what became of it), oldest first
        (amal, changed, Event.NEW, "sent"),
        (amal, changed, Event.CHANGED, "failed"),
        (amal, reached, Event.NEW, "failed"),
        (amal, reached, Event.REMINDER, "sent"),
        (amal, cancelled_since, Event.NEW, "skipped"),
        (amal, cancelled, Event.CANCELLED, "skipped"),
        (amal, past, Event.NEW, "failed"),
        (people[BILAL], bilals, Event.NEW, "failed"),
    ]
    async with services.store.transaction() as db:
        for n, (newcomer, appointment, event, status) in enumerate(history):
            key = f"appointment:{appointment.id}:{event.value}:{n}"
            await outbox.enqueue(db, services.clock, Outgoing(
                chat_id=newcomer.chat_id or 0, text="...", purpose=event.value,
                idempotency_key=key, newcomer_id=newcomer.id, ref=f"appointment:{appointment.id}",
            ))  # fmt: skip
            await db.execute(
                "UPDATE outbox SET status = ? WHERE idempotency_key = ?", (status, key)
            )
        notice = Outgoing(
            chat_id=AMAL, text="...", purpose="notice", idempotency_key="notice:1",
            newcomer_id=amal.id, ref=f"newcomer:{amal.reference}",
        )  # fmt: skip
        await outbox.enqueue(db, services.clock, notice)
        await db.execute("UPDATE outbox SET status = 'failed' WHERE idempotency_key = 'notice:1'")
        for appointment, status in ((cancelled_since, "cancelled"), (cancelled, "cancelled")):
            await db.execute(
                "UPDATE appointments SET status = ? WHERE id = ?", (status, appointment.id)
            )
        await db.execute(  # the place changed after the message that bounced
            "UPDATE appointments SET place = 'Sint-Pietersnieuwstraat 1, 9000 Gent' WHERE id = ?",
            (changed.id,),
        )
    assert await reminders.resend_by_sms(services, AMAL) == 0  # she has no SMS (yet)
    async with services.store.transaction() as db:
        await db.execute(
            "UPDATE newcomers SET sms_number = '+32470123456', sms_state = 'agreed',"
            " status = 'unreachable' WHERE id = ?",
            (amal.id,),
        )
    clock.now = past.starts_at.astimezone(dt.UTC)  # that one has begun
    assert await reminders.resend_by_sms(services, BILAL) == 0  # no SMS for Bilal
    assert await reminders.resend_by_sms(services, 99_999) == 0  # nobody's chat
    assert await reminders.resend_by_sms(services, AMAL) == 2
    rows = await services.store.fetch_all(
        "SELECT idempotency_key, payload, newcomer_id, ref FROM outbox WHERE channel = 'sms'"
        " ORDER BY idempotency_key"
    )
    now_changed = await appointments.get(services.store, changed.id)
    now_cancelled = await appointments.get(services.store, cancelled.id)
    assert now_changed is not None and now_cancelled is not None
    call = await who_to_call(services.store, amal.id)
    assert [(row["idempotency_key"], row["newcomer_id"], row["ref"]) for row in rows] == [
        (f"appointment:{changed.id}:changed:1:sms", amal.id, f"appointment:{changed.id}"),
        (f"appointment:{cancelled.id}:cancelled:5:sms", amal.id, f"appointment:{cancelled.id}"),
    ]
    texts_sent = [json.loads(row["payload"])["text"] for row in rows]
    assert texts_sent == [
        sms_text(now_changed, Event.CHANGED, call, BRUSSELS),
        sms_text(now_cancelled, Event.CANCELLED, call, BRUSSELS),
    ]
    assert "Sint-Pietersnieuwstraat 1" in texts_sent[0]
    assert await reminders.resend_by_sms(services, AMAL) == 0  # once


@pytest.mark.parametrize(
    ("translation", "language", "own_too"),
    [
        ("never", "so", False),
        ("latin-script", "so", True),
        ("latin-script", "ar", False),  # Arabic letters make every part short: not then
        ("always", "ar", True),
        ("always", "nl", False),  # the Dutch SMS is already theirs
    ],
)
async def test_a_message_by_sms_is_dutch_then_in_their_own_language_when_configured(
    services: Services,
    people: dict[int, Newcomer],
    translation: str,
    language: str,
    own_too: bool,
) -> None:
    amal = dataclasses.replace(
        people[AMAL], chat_id=None, language=language, sms_number="+32470123456",
        sms_state="agreed",
    )  # fmt: skip
    appointment = await plan(services, amal, THURSDAY_TEN)
    config = services.config.model_copy(
        update={"sms": services.config.sms.model_copy(update={"translation": translation})}
    )
    messages = await reminders.newcomer_notice(
        services.store, config, amal, appointment, Event.REMINDER, "reminder:7"
    )
    call = await who_to_call(services.store, amal.id)
    expected = [("reminder:7", sms_text(appointment, Event.REMINDER, call, BRUSSELS))]
    if own_too:
        own = own_sms_text(language, appointment, Event.REMINDER, BRUSSELS)
        expected.append(("reminder:7:own", own))
    assert [(m.idempotency_key, m.text) for m in messages] == expected
    for message in messages:
        assert (message.channel, message.to, message.chat_id) == ("sms", "+32470123456", SMS_CHAT)
        assert (message.purpose, message.newcomer_id) == ("reminder", amal.id)
        assert message.ref == f"appointment:{appointment.id}"


async def test_reminders_go_in_the_routine_lane_behind_replies(
    services: Services, telegram: FakeTelegram, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    """A reminder is the bot's own timing: where messages wait for Telegram's 30 a second,
    a person's reply goes first."""
    async with lanes_recorded(services, telegram) as lanes:
        await plan(services, people[AMAL], THURSDAY_TEN)
        clock.now = (THURSDAY_TEN - dt.timedelta(days=1)).astimezone(dt.UTC)
        assert await reminders.run_due(services) == 1
    assert lanes == [("sendMessage", Lane.ROUTINE)]


async def test_the_alarm_is_set_for_the_next_moment_and_rings_at_once_when_it_passed(
    services: Services,
    clock: FakeClock,
    people: dict[int, Newcomer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    delays: list[float] = []
    monkeypatch.setattr(services.reminder_alarm, "set", delays.append)
    await reminders.set_alarm(services)
    assert delays == []  # nothing planned: no alarm
    await plan(services, people[AMAL], THURSDAY_TEN)
    await reminders.set_alarm(services)
    moment = await reminders.next_moment(services)
    assert moment is not None and delays == [(moment - clock()).total_seconds()]
    clock.now = moment + dt.timedelta(minutes=3)  # the bot was busy, or down
    await reminders.set_alarm(services)
    assert delays[-1] == 0.0


async def test_quiet_hours_are_read_in_brussels_when_a_reminder_may_leave_early(
    services: Services, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    """At 08:30 in Brussels (07:30 UTC, still "night" in UTC) quiet hours are over: the
    day-before reminder of 08:33 may leave now, within its early window."""
    await plan(services, people[AMAL], dt.datetime(2027, 3, 4, 8, 33, tzinfo=BRUSSELS))
    clock.now = dt.datetime(2027, 3, 3, 8, 30, tzinfo=BRUSSELS).astimezone(dt.UTC)
    assert await reminders.run_due(services) == 1
    assert ("Amal", 1440, "queued", None) in await reminder_states(services)


async def test_the_two_hour_reminder_leaves_at_most_five_minutes_early_whatever_the_window(
    services: Services, clock: FakeClock, people: dict[int, Newcomer]
) -> None:
    """`early_minutes = 30`: the day-before reminder may leave half an hour early, the
    two-hour reminder no more than SHORT_EARLY_AT_MOST (it says "in two hours")."""
    services.config = services.config.model_copy(
        update={"reminders": services.config.reminders.model_copy(update={"early_minutes": 30})}
    )
    starts = dt.datetime(2027, 3, 4, 14, tzinfo=BRUSSELS)
    await plan(services, people[AMAL], starts)
    day_before = (starts - dt.timedelta(days=1, minutes=30)).astimezone(dt.UTC)
    clock.now = day_before - reminders.PREPARE_AHEAD - dt.timedelta(seconds=1)
    assert await reminders.run_due(services) == 0
    clock.now = day_before - reminders.PREPARE_AHEAD
    assert await reminders.run_due(services) == 1  # written down, to leave 30 minutes early
    two_hours = (starts - dt.timedelta(hours=2) - SHORT_EARLY_AT_MOST).astimezone(dt.UTC)
    clock.now = two_hours - reminders.PREPARE_AHEAD - dt.timedelta(seconds=1)
    assert await reminders.run_due(services) == 0
    clock.now = two_hours - reminders.PREPARE_AHEAD
    assert await reminders.run_due(services) == 1
    due = await services.store.fetch_all("SELECT due_at FROM outbox ORDER BY id")
    assert [from_db(row["due_at"]) for row in due] == [
        (starts - dt.timedelta(days=1, minutes=30)).astimezone(dt.UTC),
        two_hours,
    ]
