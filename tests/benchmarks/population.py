"""A city's worth of Schakel data, written fast (executemany in one transaction).

The rows have the shape the bot writes: organisations, staff with a profile, newcomers
(most linked and agreed, some invited, stopped or unreachable), their invite, a contact
person and others who help, appointments on working days at half-hour slots, and the
reminders of each planned by the bot's own planner (bot/reminder_plan.py, quiet hours
included); past appointments have their reminders queued and the messages sent.

Deterministic (a fixed seed): two runs give the same database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import itertools
import os
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.app.demo import DEMO_ORGANISATIONS
from bot.appointments.records import Appointment, Kind, Status
from bot.appointments.reminder_plan import plan_reminders
from bot.appointments.reminders import quiet_hours
from bot.appointments.words import Event, WhoToCall, answer_buttons, newcomer_message
from bot.core.clock import to_db as _to_db
from bot.core.config import Config, OrganisationConfig, StorageConfig
from bot.people.newcomers import REFERENCE_ALPHABET
from bot.people.organisations import sync_organisations
from bot.sending.outbox import Outgoing
from bot.storage.database import Store

ORGANISATIONS = (
    *DEMO_ORGANISATIONS,
    OrganisationConfig(
        short_name="Fedasil",
        name="Fedasil Sint-Pieters-Leeuw",
        address="Bergensesteenweg 1, 1600 Sint-Pieters-Leeuw",
        phone="+32 2 213 44 00",
        opening_hours="ma-vr 9-16 u",
    ),
    OrganisationConfig(
        short_name="Stad",
        name="Stad Gent",
        address="Botermarkt 1, 9000 Gent",
        phone="+32 9 210 10 10",
        opening_hours="ma-vr 8-17 u",
    ),
)
# Languages of the newcomers, roughly as often as partners in Flanders meet them.
LANGUAGES = {
    "ar": 22,
    "uk": 14,
    "fa": 9,
    "fa_AF": 9,
    "ps": 8,
    "ti": 8,
    "so": 7,
    "tr": 6,
    "ru": 6,
    "en": 5,
    "fr": 4,
    "nl": 2,
}
FIRST_NAMES = (
    "Amal",
    "Dawit",
    "Olena",
    "Ahmad",
    "Farida",
    "Yonas",
    "Hodan",
    "Mehmet",
    "Sasha",
    "Grace",
    "Aïcha",
    "Sara",
    "Omid",
    "Zahra",
    "Mariam",
    "Abdi",
)
STAFF_NAMES = (
    "Laila Peeters",
    "Inge Claes",
    "Youssef El Amrani",
    "Hanne Maes",
    "Tom Wouters",
    "Sofie Janssens",
    "Bram De Smet",
    "Anneleen Van den Broeck",
    "Kris Goossens",
)
KINDS = (Kind.DUO_INTAKE, Kind.JOB_COACH, Kind.SOCIAL_WORKER, Kind.CIVIC_INTEGRATION, Kind.OTHER)
OTHER_HELPERS = (
    ("job_coach", "VDAB"),
    ("social_worker", "OCMW"),
    ("civic_integration", "In-Gent"),
    ("teacher", "Stad"),
    ("buddy", "Stad"),
)
NEWCOMERS_PER_CASEWORKER = 50
FIRST_CHAT_ID = 1_000_000  # newcomers' Telegram ids (and chat ids): FIRST_CHAT_ID + index
FIRST_STAFF_ID = 10_000
COORDINATOR_ID = FIRST_STAFF_ID - 1


# Many rows share a moment (a slot, its reminders): format each once.
to_db = functools.lru_cache(maxsize=100_000)(_to_db)


def config_for(database: Path) -> Config:
    return Config(storage=StorageConfig(database=database), organisations=ORGANISATIONS)


@dataclass(frozen=True)
class PlannedReminderRow:
    appointment: int  # index of the appointment, 1-based (its id)
    starts_at: dt.datetime
    offset_minutes: int
    due_at: dt.datetime | None
    status: str  # planned, or skipped at planning (its moment had passed, quiet hours)
    moved: bool
    reason: str | None


@dataclass
class Figures:
    newcomers: int = 0
    linked: int = 0
    staff: int = 0
    counsellors: int = 0
    appointments: int = 0
    reminders_planned: int = 0
    reminders_other: int = 0
    outbox_rows: int = 0


def _references(count: int, rng: random.Random) -> list[str]:
    """Distinct K-XXXX references (there are 31**4 of them)."""
    picked = rng.sample(range(len(REFERENCE_ALPHABET) ** 4), count)
    size = len(REFERENCE_ALPHABET)
    return [
        "K-" + "".join(REFERENCE_ALPHABET[(n // size**p) % size] for p in range(3, -1, -1))
        for n in picked
    ]


def _slots(start: dt.date, tz: dt.tzinfo) -> Iterator[dt.datetime]:
    """Appointment moments from `start`: working days, 09:00 to 16:30 every half hour."""
    for day in itertools.count():
        date = start + dt.timedelta(days=day)
        if date.weekday() >= 5:
            continue
        for half_hour in range(16):
            local = dt.datetime.combine(date, dt.time(9 + half_hour // 2, 30 * (half_hour % 2)))
            yield local.replace(tzinfo=tz).astimezone(dt.UTC)


def future_reminders(
    config: Config, now: dt.datetime, per_slot: int
) -> Iterator[PlannedReminderRow]:
    """The reminders the bot plans for appointments from tomorrow on, `per_slot` at every
    half-hour slot (several rooms and partners), appointment after appointment."""
    tz = config.locale.tzinfo
    quiet = quiet_hours(config)
    offsets = config.reminders.offsets_for(Kind.DUO_INTAKE.value)
    slots = _slots((now.astimezone(tz) + dt.timedelta(days=1)).date(), tz)
    starts = next(slots)
    plan = plan_reminders(starts, now, tz, quiet, offsets)
    for number in itertools.count(1):
        if number % per_slot == 0:
            starts = next(slots)
            plan = plan_reminders(starts, now, tz, quiet, offsets)  # the same for the slot
        for planned in plan:
            yield PlannedReminderRow(
                number,
                starts,
                int(planned.offset.total_seconds() // 60),
                planned.due_at,
                "skipped" if planned.skipped else "planned",
                planned.moved,
                planned.skipped,
            )


def appointments_for(reminders: int, config: Config) -> int:
    """How many appointments give this many planned reminders (most have all three)."""
    return reminders // len(config.reminders.offsets_for(Kind.DUO_INTAKE.value)) + 1


def _sample_texts(config: Config) -> dict[str, str]:
    """One rendered reminder per language (the sent history's payloads are like it)."""
    tz = config.locale.tzinfo
    starts = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)
    appointment = Appointment(
        1,
        1,
        Kind.DUO_INTAKE,
        starts,
        "Kongostraat 7, 9000 Gent",
        "Laila Peeters en Inge Claes",
        "ar",
        Status.PLANNED,
        None,
    )
    call = WhoToCall("Laila Peeters", "+32 470 12 34 56")
    return {
        language: Outgoing(
            chat_id=0,
            purpose="reminder",
            idempotency_key="",
            text=newcomer_message(language, appointment, Event.REMINDER, call, tz),
            buttons=answer_buttons(language, appointment),
        ).payload()
        for language in LANGUAGES
    }


async def _schema(config: Config) -> None:
    store = await Store.open(config.storage.database)
    try:
        await sync_organisations(store, config.organisations)
    finally:
        await store.close()


def generate(
    database: Path,
    newcomers: int,
    planned_reminders: int,
    *,
    now: dt.datetime | None = None,
    seed: int = 9,
) -> Figures:
    """Write the population into a new database at `database`; returns what it holds."""
    config = config_for(database)
    asyncio.run(_schema(config))
    now = now or dt.datetime.now(dt.UTC)
    stamp = to_db(now)
    rng = random.Random(seed)
    figures = Figures(newcomers=newcomers)
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    organisations = dict(db.execute("SELECT short_name, id FROM organisations").fetchall())
    org_ids = list(organisations.values())

    # Staff: a caseworker per fifty newcomers, spread over the partners, and coordinators.
    caseworkers = max(1, newcomers // NEWCOMERS_PER_CASEWORKER)
    staff_rows = [
        (
            FIRST_STAFF_ID + n,
            STAFF_NAMES[n % len(STAFF_NAMES)],
            "caseworker",
            org_ids[n % len(org_ids)],
            f"+3247{n:07d}",
            "ma-vr 9-12 u",
            rng.choice(("nl", "nl en", "nl fr", "nl ar", "nl en ru")),
            "nl",
            stamp,
        )
        for n in range(caseworkers)
    ] + [
        (
            COORDINATOR_ID - n,
            "Kris Goossens",
            "coordinator",
            organisations["In-Gent"],
            "",
            "",
            "nl",
            "nl",
            stamp,
        )
        for n in range(5)
    ]
    db.executemany(
        "INSERT INTO staff (telegram_user_id, name, role, organisation_id, phone, hours,"
        " languages, language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        staff_rows,
    )
    figures.staff = len(staff_rows)
    staff_ids = [row[0] for row in db.execute("SELECT id FROM staff WHERE role = 'caseworker'")]

    # Newcomers: 90% linked and active, the rest invited, stopped or unreachable.
    languages, weights = list(LANGUAGES), list(LANGUAGES.values())
    references = _references(newcomers, rng)
    newcomer_rows, invite_rows, counsellor_rows = [], [], []
    for n in range(newcomers):
        roll = rng.random()
        status = (
            "active"
            if roll < 0.90
            else "invited"
            if roll < 0.95
            else "stopped"
            if roll < 0.98
            else "unreachable"
        )
        linked = status != "invited"
        chat = FIRST_CHAT_ID + n if linked else None
        caseworker = staff_ids[n % len(staff_ids)]
        newcomer_rows.append(
            (
                n + 1,
                references[n],
                rng.choice(FIRST_NAMES),
                rng.choices(languages, weights)[0],
                rng.choice((None, "A1", "A2", "B1")),
                chat,
                chat,
                stamp if linked else None,
                status,
                caseworker,
                stamp,
            )
        )
        token = hashlib.sha256(f"{seed}:{n}".encode()).hexdigest()
        invite_rows.append((token, n + 1, caseworker, stamp, stamp, stamp if linked else None))
        contact_org = org_ids[(n % len(staff_ids)) % len(org_ids)]
        counsellor_rows.append(
            (n + 1, caseworker, STAFF_NAMES[n % len(STAFF_NAMES)], contact_org, "caseworker", 1)
        )
        for role, org in rng.sample(OTHER_HELPERS, rng.choice((0, 1, 1, 2, 2, 3))):
            counsellor_rows.append(
                (n + 1, None, rng.choice(STAFF_NAMES), organisations[org], role, 0)
            )
    db.executemany(
        "INSERT INTO newcomers (id, reference, first_name, language, dutch_level,"
        " telegram_user_id, chat_id, consent_at, status, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        newcomer_rows,
    )
    db.executemany(
        "INSERT INTO newcomer_invites (token_hash, newcomer_id, created_by, created_at, expires_at,"
        " used_at) VALUES (?, ?, ?, ?, ?, ?)",
        invite_rows,
    )
    db.executemany(
        "INSERT INTO counsellors (newcomer_id, staff_id, name, organisation_id, role, is_contact)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        counsellor_rows,
    )
    figures.linked = sum(row[5] is not None for row in newcomer_rows)
    figures.counsellors = len(counsellor_rows)

    # Upcoming appointments, each with the reminders the bot plans for it.
    count = appointments_for(planned_reminders, config)
    per_slot = max(1, count // (90 * 16))  # about 18 weeks of working days
    places = [org.address for org in ORGANISATIONS]
    planned = 0
    reminder_rows: list[tuple[object, ...]] = []
    seen: set[int] = set()
    appointments: list[tuple[object, ...]] = []
    for reminder in future_reminders(config, now, per_slot):
        if reminder.appointment not in seen:
            if planned >= planned_reminders:
                break
            seen.add(reminder.appointment)
            newcomer = rng.randrange(newcomers) + 1
            kind = rng.choice(KINDS)
            appointments.append(
                (
                    reminder.appointment,
                    newcomer,
                    kind.value,
                    to_db(reminder.starts_at),
                    rng.choice(places),
                    "Laila Peeters en Inge Claes",
                    rng.choice((None, None, newcomer_rows[newcomer - 1][3])),
                    staff_ids[(newcomer - 1) % len(staff_ids)],
                    stamp,
                    stamp,
                )
            )
        if reminder.status == "planned":
            if planned == planned_reminders:
                break  # exactly as many as asked (the last appointment may lack its last)
            planned += 1
        reminder_rows.append(
            (
                reminder.appointment,
                to_db(reminder.starts_at),
                reminder.offset_minutes,
                to_db(reminder.due_at) if reminder.due_at else None,
                reminder.status,
                int(reminder.moved),
                reminder.reason,
                stamp,
                stamp,
            )
        )
    figures.reminders_planned = sum(row[4] == "planned" for row in reminder_rows)
    figures.reminders_other = len(reminder_rows) - figures.reminders_planned
    db.executemany(
        "INSERT INTO appointments (id, newcomer_id, kind, starts_at, place, with_whom,"
        " interpreter_language, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        appointments,
    )
    db.executemany(
        "INSERT INTO reminders (appointment_id, starts_at, offset_minutes, due_at, status,"
        " moved, reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        reminder_rows,
    )

    # The past: half the linked newcomers had an appointment, attended or not, whose
    # three reminders were queued and sent.
    payloads = _sample_texts(config)
    first_past = len(appointments) + 1
    past_rows, past_reminders, sent_rows = [], [], []
    linked_newcomers = [row for row in newcomer_rows if row[5] is not None]
    outbox_id = 0
    for number, person in enumerate(linked_newcomers[::2]):
        newcomer, language, chat, caseworker = person[0], person[3], person[5], person[9]
        appointment = first_past + number
        starts = now - dt.timedelta(days=1 + number % 60, hours=number % 7)
        past_rows.append(
            (
                appointment,
                newcomer,
                rng.choice(KINDS).value,
                to_db(starts),
                rng.choice(places),
                "Laila Peeters",
                None,
                caseworker,
                rng.choice(("attended", "attended", "no_show")),
                "coming",
                to_db(starts),
                caseworker,
                stamp,
                stamp,
            )
        )
        for offset in (4320, 1440, 120):
            outbox_id += 1
            due = starts - dt.timedelta(minutes=offset)
            key = f"reminder:{appointment}:{to_db(starts)}:{offset}"
            sent_rows.append(
                (
                    outbox_id,
                    chat,
                    newcomer,
                    "reminder",
                    f"appointment:{appointment}",
                    payloads[language],
                    to_db(due),
                    key,
                    "sent",
                    1,
                    outbox_id,
                    to_db(due),
                    to_db(due),
                    to_db(due),
                )
            )
            past_reminders.append(
                (
                    appointment,
                    to_db(starts),
                    offset,
                    to_db(due),
                    "queued",
                    outbox_id,
                    to_db(due),
                    to_db(due),
                )
            )
    db.executemany(
        "INSERT INTO appointments (id, newcomer_id, kind, starts_at, place, with_whom,"
        " interpreter_language, created_by, status, answer, attendance_asked_at, attendance_by,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        past_rows,
    )
    db.executemany(
        "INSERT INTO outbox (id, chat_id, newcomer_id, purpose, ref, payload, due_at,"
        " idempotency_key, status, attempts, telegram_message_id, created_at, updated_at,"
        " sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sent_rows,
    )
    db.executemany(
        "INSERT INTO reminders (appointment_id, starts_at, offset_minutes, due_at, status,"
        " outbox_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        past_reminders,
    )
    figures.appointments = len(appointments) + len(past_rows)
    figures.reminders_other += len(past_reminders)
    figures.outbox_rows = len(sent_rows)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    settle(database)
    return figures


def settle(database: Path) -> None:
    """Put the file on disk now. Written with synchronous off, hundreds of MB would wait in
    the page cache, and the bot's first checkpoint (which syncs the file) would pay for
    writing them all: a stall of most of a second that a running bot never has."""
    descriptor = os.open(database, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
