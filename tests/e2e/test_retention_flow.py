"""Retention through the real Application: the daily job, and appointments and handover
notes made, reminded, answered and decided as people do, removed once past their time
with every message the bot wrote about them, whatever those messages' keys look like.

Delivery records are kept here ('keep'), so only an appointment's or a note's own rule can
remove their messages; a new appointment or note that gets the same number afterwards
must still reach the newcomer or the partner group.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from bot.app.application import PURGE_JOB
from bot.app.demo import DEMO_ORGANISATIONS
from bot.app.standin import FakeTelegram
from bot.appointments import reminders
from bot.core.config import Config, RetentionConfig, StorageConfig
from bot.handovers import notes as handovers
from bot.privacy.retention import APPOINTMENT_KEYS, NOTE_KEYS
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import render, texts
from tests.conftest import FakeClock
from tests.e2e import test_handover as handover_flow
from tests.e2e.people import (
    BRUSSELS,
    amal_with_an_appointment,
    dutch_of,
    linked_newcomer,
    local,
    plan_by_chat,
)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(
        storage=StorageConfig(database=tmp_path / "schakel.db"),
        organisations=DEMO_ORGANISATIONS,
        retention=RetentionConfig(delivery_records="keep"),
    )


async def run_the_daily_purge(app: SchakelApp) -> None:
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name(PURGE_JOB)
    await job.run(app)


async def key_prefixes_about(
    services: Services, number: int, prefixes: tuple[str, ...]
) -> set[str]:
    """Which of these key prefixes the outbox holds for this appointment or note number."""
    keys = [row[0] for row in await services.store.fetch_all("SELECT idempotency_key FROM outbox")]
    return {
        prefix for prefix in prefixes for key in keys
        if key == f"{prefix}:{number}" or key.startswith(f"{prefix}:{number}:")
    }  # fmt: skip


async def messages_not_keyed_by_an_update(services: Services) -> list[str]:
    """Whatever key a message about an appointment or a note had, it went with it: only
    replies keyed by a Telegram update may be left, and no later appointment or note can
    take their keys."""
    rows = await services.store.fetch_all("SELECT idempotency_key FROM outbox")
    assert rows  # delivery records are kept: the replies are still there
    return [key for (key,) in rows if not key.startswith(("update:", "consent:"))]


async def test_the_purge_runs_every_night_at_half_past_three_in_brussels_and_logs_counts(
    app: SchakelApp, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name(PURGE_JOB)
    assert job.next_t is not None
    next_run = job.next_t.astimezone(BRUSSELS)
    assert (next_run.hour, next_run.minute) == (3, 30)
    assert dt.timedelta(0) < job.next_t - dt.datetime.now(dt.UTC) <= dt.timedelta(days=1)

    async with services.store.transaction() as db:
        await db.execute(
            "INSERT INTO audit_log (at, actor, action) VALUES (?, 'staff:1', 'ancient.look')",
            ("2015-01-01T00:00:00.000000Z",),
        )
    with caplog.at_level(logging.INFO, logger="bot.app.application"):
        await run_the_daily_purge(app)
    logged = [
        record.getMessage() for record in caplog.records if record.name == "bot.app.application"
    ]
    assert len(logged) == 7
    assert logged[0].startswith("retention: appointments (kept 2 years, older than ")
    assert logged[2] == "retention: delivery records: kept (retention: keep)"
    assert logged[5].startswith("retention: newcomers who never joined (kept 180 days, older ")
    assert logged[6].endswith(": removed 1 audit entry")
    purges = await services.store.fetch_all(
        "SELECT actor, subject FROM audit_log WHERE action = 'retention.purge'"
    )
    assert [tuple(row) for row in purges] == [
        ("system", "retention:appointments"), ("system", "retention:handover_notes"),
        ("system", "retention:drafts"), ("system", "retention:invites"),
        ("system", "retention:never_joined"), ("system", "retention:audit_log"),
    ]  # fmt: skip


async def test_an_appointment_goes_two_years_on_with_all_about_it_and_its_number_is_free(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    caseworker, amal, reference = await amal_with_an_appointment(telegram, services, clock, "ar")
    await telegram.press(amal, render("ar", texts.BUTTON_COMING))
    for due in await services.store.fetch_all("SELECT due_at FROM reminders ORDER BY due_at"):
        clock.now = dt.datetime.fromisoformat(due[0])
        assert await reminders.run_due(services) == 1
    clock.now = local(2027, 3, 29, 12).astimezone(dt.UTC)
    await reminders.run_due(services)  # "was Amal there?"
    await telegram.press(caseworker, "✅ Gekomen")
    number = await services.store.fetch_int("SELECT id FROM appointments")
    # Every kind of message the bot writes about an appointment, each known to the purge.
    assert await key_prefixes_about(services, number, APPOINTMENT_KEYS) == set(APPOINTMENT_KEYS)

    clock.now = local(2029, 3, 29, 10).astimezone(dt.UTC)  # two years on: not yet
    await run_the_daily_purge(app)
    assert await services.store.fetch_int("SELECT count(*) FROM appointments") == 1
    clock.now = local(2029, 3, 30, 10).astimezone(dt.UTC)
    await run_the_daily_purge(app)
    assert await services.store.fetch_int("SELECT count(*) FROM appointments") == 0
    assert await services.store.fetch_int("SELECT count(*) FROM reminders") == 0
    assert await messages_not_keyed_by_an_update(services) == []
    assert await services.store.fetch_one("PRAGMA foreign_key_check") is None

    # The next appointment gets the same number; Amal still hears of it.
    await plan_by_chat(telegram, caseworker, reference, local(2029, 4, 9, 10), "ar")
    assert await services.store.fetch_int("SELECT id FROM appointments") == number
    assert dutch_of(telegram.texts_to(amal.id)[-1]).startswith(
        "Nieuwe afspraak: maandag 9 april om 10:00"
    )


async def test_a_decided_note_goes_a_year_on_with_its_consent_and_messages_and_its_number_is_free(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    group, laila, sarah, _ = await handover_flow.partners(services, telegram)
    _, amal_reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    note = await handover_flow.post_note(telegram, services, laila, amal_reference)
    clock.now = local(2027, 3, 29, 10).astimezone(dt.UTC)  # nobody decided: raised again
    assert await handovers.raise_overdue(services) == 1
    await services.dispatcher.run_due()
    await telegram.press(sarah, "✅ Ik neem over", group)
    assert await key_prefixes_about(services, note.id, NOTE_KEYS) == set(NOTE_KEYS)
    assert await services.store.fetch_int("SELECT count(*) FROM handover_consents") == 1

    clock.now = local(2028, 3, 30, 10).astimezone(dt.UTC)  # a year and a day after
    await run_the_daily_purge(app)
    assert await services.store.fetch_int("SELECT count(*) FROM handover_notes") == 0
    assert await services.store.fetch_int("SELECT count(*) FROM handover_consents") == 0
    assert await messages_not_keyed_by_an_update(services) == []

    # Another newcomer's note gets the same number; its card reaches the group.
    _, dawit_reference = await linked_newcomer(telegram, laila, 7, "Dawit", "ar")
    await handover_flow.write_note(telegram, laila, dawit_reference)
    await telegram.press(laila, "📤 Plaatsen")
    newcomer = await services.store.fetch_int("SELECT id FROM newcomers WHERE reference = ?",
                                            (dawit_reference,))  # fmt: skip
    (again,) = await handovers.notes_of(services.store, newcomer)
    assert again.id == note.id
    assert telegram.texts_to(handover_flow.GROUP_ID)[-1].startswith(
        f"🤝 Overdracht {again.reference}: van VDAB naar OCMW."
    )
