"""The reminders' rules after planning (bot/appointments/reminders.py), without the
Application: what becomes of a due reminder whose appointment changed, was cancelled or
has started, who is asked "did they come?" afterwards, and which skipped reminders go
again when a newcomer can be reached again. Through the real outbox and dispatcher on the
stand-in (tests/conftest.py, `bare_services`)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.app.standin import FakeTelegram
from bot.appointments import records as appointments
from bot.appointments import reminders
from bot.appointments.records import Appointment, Details, Kind
from bot.core.callbacks import WHO_CAME
from bot.core.clock import to_db
from bot.people.newcomers import Newcomer
from bot.people.staff import Role
from bot.sending.services import Services
from tests.conftest import FakeClock, make_staff

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


async def plan(services: Services, newcomer: Newcomer, starts: dt.datetime) -> Appointment:
    async with services.store.transaction() as db:
        appointment = await appointments.insert(
            db, services.clock, newcomer.id,
            Details(Kind.DUO_INTAKE, starts, "Kongostraat 7, 9000 Gent"), created_by=None,
        )  # fmt: skip
        await reminders.store_plan(db, services.clock, services.config, appointment)
    return appointment


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
