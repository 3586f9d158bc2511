"""A newcomer who blocked Schakel is marked unreachable; when they write again they are
reachable again: their contact person is told, and the reminders skipped meanwhile go
again where they still make sense."""

from __future__ import annotations

import datetime as dt

from bot.app.standin import FakeTelegram
from bot.appointments import reminders
from bot.core.clock import from_db
from bot.people.newcomers import NewcomerStatus, find_newcomer_by_chat
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import render, texts
from tests.conftest import FakeClock
from tests.e2e.people import amal_with_an_appointment, dutch_of


async def due_moments(services: Services) -> list[dt.datetime]:
    rows = await services.store.fetch_all("SELECT due_at FROM reminders ORDER BY due_at")
    return [from_db(row["due_at"]) for row in rows]


async def reminder_states(services: Services) -> list[tuple[str, str | None]]:
    rows = await services.store.fetch_all("SELECT status, reason FROM reminders ORDER BY due_at")
    return [(row["status"], row["reason"]) for row in rows]


async def test_writing_again_makes_a_newcomer_reachable_and_resumes_reminders(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    caseworker, amal, reference = await amal_with_an_appointment(telegram, services, clock, "ar")
    moments = await due_moments(services)
    assert len(moments) >= 2
    telegram.blocked.add(amal.id)

    clock.now = moments[0]
    assert await reminders.run_due(services) == 1  # Telegram answers 403: unreachable
    await services.dispatcher.run_due()
    newcomer = await find_newcomer_by_chat(services.store, amal.id)
    assert newcomer is not None and newcomer.status is NewcomerStatus.UNREACHABLE
    clock.now = moments[1]
    assert await reminders.run_due(services) == 0
    assert reminder_states_skipped(await reminder_states(services))

    # Amal unblocks Schakel and writes: she is reachable, her caseworker is told.
    telegram.blocked.discard(amal.id)
    seen = len(telegram.texts_to(amal.id))
    await telegram.send(amal, "/afspraken")
    newcomer = await find_newcomer_by_chat(services.store, amal.id)
    assert newcomer is not None and newcomer.status is NewcomerStatus.ACTIVE
    await services.dispatcher.run_due()
    told = render("nl", texts.CASEWORKER_NEWCOMER_REACHABLE, name="Amal", reference=reference)
    assert telegram.texts_to(caseworker.id).count(told) == 1

    # The reminder she missed goes now (the alarm rings at once; run_due here only waits
    # for it), marked late; the one sent into the block does not go again.
    await reminders.run_due(services)
    clock.now += dt.timedelta(seconds=2)  # Telegram's pace in one chat: after the reply
    await services.dispatcher.run_due()
    assert [state for state, _ in await reminder_states(services)] == [
        "queued",
        "queued",
        "planned",
    ]
    received = telegram.texts_to(amal.id)[seen:]
    assert len(received) == 2  # her appointments, and the reminder
    assert dutch_of(received[1]).startswith("Afspraak: maandag 29 maart om 10:00")

    # Writing again while reachable changes nothing and tells nobody twice.
    await telegram.send(amal, "/afspraken")
    await services.dispatcher.run_due()
    assert telegram.texts_to(caseworker.id).count(told) == 1


def reminder_states_skipped(states: list[tuple[str, str | None]]) -> bool:
    return ("skipped", reminders.SKIPPED_UNREACHABLE) in states
