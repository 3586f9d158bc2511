"""Many reminders due at the same second (whole-day reminders keep the appointment's clock
time): queued a group at a time, the first group handed to Telegram while the rest are
still being queued, each reminder sent once."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from zoneinfo import ZoneInfo

import pytest

from bot.app.standin import ApiCall, FakeTelegram
from bot.appointments import planning, reminders
from bot.appointments import records as appointments
from bot.appointments.records import Details, Kind
from bot.core.clock import to_db
from bot.core.config import Config
from bot.people.newcomers import find_newcomer_by_chat
from bot.people.staff import Role
from bot.sending.services import Services
from handlers.core.context import SchakelApp, services_of
from messages import DUTCH_SEPARATOR
from tests.conftest import FakeClock, alarm_delays, make_staff, until_set

BRUSSELS = ZoneInfo("Europe/Brussels")
NEWCOMERS = 2 * reminders.DELIVER_EVERY + 15
FIRST_CHAT = 50_000


@pytest.fixture
def services(bare_services: Services) -> Services:
    """The queueing rules need no Application, nor its 30-a-second limiter: this file's
    bursts take a second, not five (tests/conftest.py, `bare_services`). The burst at
    Telegram's pace, at the end, runs through the real Application."""
    return bare_services


async def newcomers_with_an_appointment(
    services: Services, caseworker_id: int, starts: dt.datetime, first: int = 0
) -> None:
    """Linked, agreed newcomers, each with the caseworker as contact and one appointment
    at `starts`, its reminders planned by the bot's planner."""
    now = to_db(services.clock())
    async with services.store.transaction() as db:
        for n in range(first, first + NEWCOMERS):
            cursor = await db.execute(
                "INSERT INTO newcomers (reference, first_name, language, status, chat_id,"
                " telegram_user_id, consent_at, created_at) VALUES (?, 'Amal', ?, 'active',"
                " ?, ?, ?, ?)",
                (f"K-T{n:03d}", ("ar", "ti", "uk")[n % 3], FIRST_CHAT + n, FIRST_CHAT + n,
                 now, now),
            )  # fmt: skip
            newcomer_id = cursor.lastrowid
            assert newcomer_id is not None
            await db.execute(
                "INSERT INTO counsellors (newcomer_id, staff_id, name, role, is_contact)"
                " VALUES (?, ?, 'Laila Peeters', 'caseworker', 1)",
                (newcomer_id, caseworker_id),
            )
            details = Details(Kind.DUO_INTAKE, starts, "Kongostraat 7, 9000 Gent")
            appointment = await appointments.insert(
                db, services.clock, newcomer_id, details, created_by=caseworker_id
            )
            await reminders.store_plan(db, services.clock, services.config, appointment)


async def test_a_burst_goes_a_group_at_a_time_and_each_reminder_once(
    services: Services, telegram: FakeTelegram, clock: FakeClock, config: Config
) -> None:
    clock.now = dt.datetime(2027, 3, 2, 10, tzinfo=BRUSSELS).astimezone(dt.UTC)  # a Tuesday
    caseworker = await make_staff(services, telegram, 2, "Laila Peeters", Role.CASEWORKER)
    staff_id = await services.store.fetch_int(
        "SELECT id FROM staff WHERE telegram_user_id = ?", (caseworker.id,)
    )
    thursday = dt.datetime(2027, 3, 4, 10, tzinfo=BRUSSELS)
    await newcomers_with_an_appointment(services, staff_id, thursday)

    queued_at_first_send: list[int] = []

    def first_send(call: ApiCall) -> None:
        if not queued_at_first_send:
            with sqlite3.connect(config.storage.database) as db:
                count = db.execute("SELECT count(*) FROM reminders WHERE status = 'queued'")
                queued_at_first_send.append(count.fetchone()[0])

    telegram.on_send = first_send
    clock.now = dt.datetime(2027, 3, 3, 10, tzinfo=BRUSSELS).astimezone(dt.UTC)  # the day before
    assert await reminders.run_due(services) == NEWCOMERS

    # The first group reached Telegram before the last group was queued.
    assert 0 < queued_at_first_send[0] < NEWCOMERS
    chats = [int(call.params["chat_id"]) for call in telegram.sent()]
    assert sorted(chats) == [FIRST_CHAT + n for n in range(NEWCOMERS)]
    rows = await services.store.fetch_all(
        "SELECT r.status, o.status AS sent FROM reminders r JOIN outbox o ON o.id = r.outbox_id"
        " WHERE r.offset_minutes = 1440"
    )
    assert [(row["status"], row["sent"]) for row in rows] == [("queued", "sent")] * NEWCOMERS
    assert await reminders.run_due(services) == 0  # nothing twice


async def test_a_burst_leaves_in_the_minutes_before_its_moment_nearest_appointment_first(
    services: Services, telegram: FakeTelegram, clock: FakeClock
) -> None:
    """Day-before reminders for Thursday 10:00 and the 2-hour reminders for Wednesday 12:00
    are both due Wednesday 10:00: they are written down a minute before the window opens
    (PREPARE_AHEAD), nothing goes before it opens, then all go, the Wednesday appointments
    first."""
    clock.now = dt.datetime(2027, 3, 2, 10, tzinfo=BRUSSELS).astimezone(dt.UTC)  # a Tuesday
    caseworker = await make_staff(services, telegram, 2, "Laila Peeters", Role.CASEWORKER)
    staff_id = await services.store.fetch_int(
        "SELECT id FROM staff WHERE telegram_user_id = ?", (caseworker.id,)
    )
    await newcomers_with_an_appointment(
        services, staff_id, dt.datetime(2027, 3, 4, 10, tzinfo=BRUSSELS)
    )
    await newcomers_with_an_appointment(
        services, staff_id, dt.datetime(2027, 3, 3, 12, tzinfo=BRUSSELS), first=NEWCOMERS
    )
    clock.now = dt.datetime(2027, 3, 2, 12, tzinfo=BRUSSELS).astimezone(dt.UTC)
    assert await reminders.run_due(services) == NEWCOMERS  # the day before 12:00 on Wednesday
    telegram.calls.clear()
    early = services.config.reminders.early_minutes
    wednesday_ten = dt.datetime(2027, 3, 3, 10, tzinfo=BRUSSELS).astimezone(dt.UTC)
    window_opens = wednesday_ten - dt.timedelta(minutes=early)
    clock.now = window_opens - reminders.PREPARE_AHEAD - dt.timedelta(seconds=1)
    assert await reminders.run_due(services) == 0
    assert await reminders.next_moment(services) == window_opens - reminders.PREPARE_AHEAD
    clock.now = window_opens - reminders.PREPARE_AHEAD
    delays = alarm_delays(services)
    assert await reminders.run_due(services) == 2 * NEWCOMERS  # written down, waiting
    # The dispatcher's alarm rings when the window opens.
    assert reminders.PREPARE_AHEAD.total_seconds() in delays and min(delays) > 0
    clock.now = window_opens - dt.timedelta(seconds=1)
    assert await services.dispatcher.run_due() == 0
    assert telegram.sent() == []
    clock.now = window_opens
    assert await services.dispatcher.run_due() == 2 * NEWCOMERS
    # In the order they reached Telegram: every Wednesday one before any Thursday one.
    texts = [call.params["text"] for call in telegram.sent()]
    thursday = [i for i, text in enumerate(texts) if "4 maart" in text or "4/3" in text]
    wednesday = [i for i, text in enumerate(texts) if "3 maart" in text or "3/3" in text]
    assert len(wednesday) == len(thursday) == NEWCOMERS
    assert max(wednesday) < min(thursday)


async def test_a_reminder_due_when_quiet_hours_end_does_not_leave_before(
    services: Services, telegram: FakeTelegram, clock: FakeClock
) -> None:
    clock.now = dt.datetime(2027, 3, 1, 10, tzinfo=BRUSSELS).astimezone(dt.UTC)  # a Monday
    caseworker = await make_staff(services, telegram, 2, "Laila Peeters", Role.CASEWORKER)
    staff_id = await services.store.fetch_int(
        "SELECT id FROM staff WHERE telegram_user_id = ?", (caseworker.id,)
    )
    # At 08:30 on Thursday: the 2-hour reminder falls at 06:30, in quiet hours; it moves to
    # the evening before (20:59) or the end of quiet hours, whichever is nearer: 08:00.
    await newcomers_with_an_appointment(
        services, staff_id, dt.datetime(2027, 3, 4, 8, 30, tzinfo=BRUSSELS)
    )
    eight = dt.datetime(2027, 3, 4, 8, tzinfo=BRUSSELS).astimezone(dt.UTC)
    planned = await services.store.fetch_int(
        "SELECT count(*) FROM reminders WHERE offset_minutes = 120 AND due_at = ?", (to_db(eight),)
    )
    assert planned == NEWCOMERS
    clock.now = dt.datetime(2027, 3, 3, 8, 30, tzinfo=BRUSSELS).astimezone(dt.UTC)
    assert await reminders.run_due(services) == NEWCOMERS  # the day before
    telegram.calls.clear()
    # Not 07:55, nor a minute before that: written down a minute before 08:00, sent at 08:00.
    assert await reminders.next_moment(services) == eight - reminders.PREPARE_AHEAD
    clock.now = eight - reminders.PREPARE_AHEAD - dt.timedelta(seconds=1)
    assert await reminders.run_due(services) == 0
    clock.now = eight - reminders.PREPARE_AHEAD
    assert await reminders.run_due(services) == NEWCOMERS
    clock.now = eight - dt.timedelta(microseconds=1)
    assert await services.dispatcher.run_due() == 0
    assert telegram.sent() == []
    clock.now = eight
    assert await services.dispatcher.run_due() == NEWCOMERS


async def the_day_before_a_burst_at_telegrams_pace(
    app: SchakelApp, telegram: FakeTelegram, clock: FakeClock
) -> tuple[Services, int]:
    """The stand-in with Telegram's limits on; the newcomers' appointments on Thursday and
    the clock on Wednesday at their time, when the day-before reminders fall due. Returns
    the Application's services and the caseworker's staff id."""
    services = services_of(app)
    telegram.limits = True
    telegram.latency = 0.02
    clock.now = dt.datetime(2027, 3, 2, 10, tzinfo=BRUSSELS).astimezone(dt.UTC)  # a Tuesday
    caseworker = await make_staff(services, telegram, 2, "Laila Peeters", Role.CASEWORKER)
    staff_id = await services.store.fetch_int(
        "SELECT id FROM staff WHERE telegram_user_id = ?", (caseworker.id,)
    )
    await newcomers_with_an_appointment(
        services, staff_id, dt.datetime(2027, 3, 4, 10, tzinfo=BRUSSELS)
    )
    clock.now = dt.datetime(2027, 3, 3, 10, tzinfo=BRUSSELS).astimezone(dt.UTC)  # the day before
    return services, staff_id


async def test_a_burst_at_telegrams_pace_gets_no_429(
    app: SchakelApp, telegram: FakeTelegram, clock: FakeClock
) -> None:
    """The same burst with Telegram's limits on in the stand-in, which counts each
    message when it arrives (30 in any second overall, about one a second per chat):
    the bot's own pacing (bot/sending/pacing.py, and the dispatcher's per chat) keeps
    every reminder inside them, at Telegram's real pace."""
    services, _ = await the_day_before_a_burst_at_telegrams_pace(app, telegram, clock)
    assert await reminders.run_due(services) == NEWCOMERS
    await services.dispatcher.run_due()  # whatever was put back for its chat's pace
    assert [c for c in telegram.calls if c.outcome != "ok"] == []
    chats = [int(call.params["chat_id"]) for call in telegram.sent()]
    assert sorted(chats) == [FIRST_CHAT + n for n in range(NEWCOMERS)]


async def test_an_appointment_cancelled_during_a_burst_at_telegrams_pace_gets_no_reminder(
    app: SchakelApp, telegram: FakeTelegram, clock: FakeClock
) -> None:
    """At 30 a second a burst holds its last reminders queued for a few seconds; the
    caseworker cancels one of those appointments meanwhile: the newcomer gets the
    cancellation and not, after it, a reminder of an appointment that no longer holds."""
    services, staff_id = await the_day_before_a_burst_at_telegrams_pace(app, telegram, clock)
    last_chat = FIRST_CHAT + NEWCOMERS - 1
    newcomer = await find_newcomer_by_chat(services.store, last_chat)
    assert newcomer is not None
    appointment_id = await services.store.fetch_int(
        "SELECT id FROM appointments WHERE newcomer_id = ?", (newcomer.id,)
    )
    first_arrived = asyncio.Event()
    telegram.on_send = lambda call: first_arrived.set()
    burst = asyncio.ensure_future(reminders.run_due(services))
    await until_set(first_arrived, burst)
    while not burst.done() and not await services.store.fetch_value(
        "SELECT outbox_id FROM reminders WHERE appointment_id = ? AND status = 'queued'",
        (appointment_id,),
    ):  # its reminder is queued (not yet on its way: the burst's last)
        await asyncio.sleep(0.01)
    assert not burst.done(), burst.result()  # the burst's own error, if it ended in one
    appointment = await appointments.get(services.store, appointment_id)
    assert appointment is not None
    assert await planning.cancel(services, newcomer, appointment, actor_id=staff_id)
    assert await burst == NEWCOMERS  # queued, all of them; one withdrawn since
    await services.dispatcher.run_due()
    texts = telegram.texts_to(last_chat)
    assert len(texts) == 1 and "gaat niet door" in texts[0].split(DUTCH_SEPARATOR)[-1], texts
    row = await services.store.fetch_one(
        "SELECT r.status, r.reason, o.status AS sent FROM reminders r"
        " JOIN outbox o ON o.id = r.outbox_id WHERE r.appointment_id = ?",
        (appointment_id,),
    )
    assert row is not None
    assert tuple(row) == ("cancelled", reminders.CANCELLED_CANCELLED, "skipped")
    others = [int(call.params["chat_id"]) for call in telegram.sent()]
    assert sorted(set(others) - {last_chat}) == [FIRST_CHAT + n for n in range(NEWCOMERS - 1)]
    assert [c for c in telegram.calls if c.outcome != "ok"] == []
