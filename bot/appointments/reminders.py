"""Reminders: planned with the appointment, handed to the outbox when due.

One row per appointment, planned start and offset (`reminders`), so a reminder is
queued at most once, also across restarts; its outbox idempotency key says the same
(`reminder:<appointment>:<start>:<offset>`). A reminder's messages are written down
PREPARE_AHEAD before they may leave and wait in the outbox for their moment, so a burst
is only sent at its moment (a change meanwhile withdraws them). When the bot was down:
- a reminder whose moment passed more than `late_after_minutes` ago still goes if the
  appointment is ahead, marked late;
- if a later reminder of the same appointment is also due, only the latest goes (the
  earlier ones are skipped: one message says it all);
- if the appointment has started, it is skipped, with the reason.
After the appointment the caseworker is asked who came (the same alarm does that).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import aiosqlite

from bot.appointments import records as appointments
from bot.appointments.records import Appointment, Status
from bot.appointments.reminder_plan import (
    ONE_DAY,
    PlannedReminder,
    QuietHours,
    early_window,
    may_leave_from,
    plan_reminders,
)
from bot.appointments.words import (
    KIND_NAMES,
    Event,
    WhoToCall,
    answer_buttons,
    newcomer_message,
    no_show_lines,
    own_sms_text,
    plan_again_buttons,
    sms_text,
    who_to_call,
    whom_to_call,
)
from bot.core.callbacks import WHO_CAME
from bot.core.clock import Clock, from_db, to_db
from bot.core.config import Config
from bot.core.lanes import Lane
from bot.people import newcomers
from bot.people.by_sms import goes_by_sms, in_own_language_too, sms_to
from bot.people.newcomers import Newcomer, NewcomerStatus
from bot.sending import outbox
from bot.sending.outbox import Button, Outgoing
from bot.storage.database import Store
from messages import render, render_lines_bilingual, texts, translated, when

if TYPE_CHECKING:
    from bot.sending.services import Services

logger = logging.getLogger(__name__)

SKIPPED_STARTED = "the appointment had started when the reminder could go"
SKIPPED_SUPERSEDED = "a later reminder of the same appointment went instead"
SKIPPED_NOT_LINKED = "the newcomer has not linked Schakel or not agreed yet"
SKIPPED_STOPPED = "the newcomer stopped messages"
SKIPPED_UNREACHABLE = "Telegram does not deliver to the newcomer"
CANCELLED_CHANGED = "the appointment changed"
CANCELLED_CANCELLED = "the appointment was cancelled"
# The idempotency key of a reminder's messages: reminder:<appointment>:<starts at>:<offset>.
REMINDER_KEY = "reminder"
BATCH = 500
# Many reminders fall due at the same second (whole-day reminders keep the appointment's
# clock time): they are queued in groups of this many (Telegram's messages of one second),
# one transaction each, and each group is handed over as soon as it is queued.
DELIVER_EVERY = 30
DAY_MINUTES = 24 * 60  # offset_minutes of a reminder a day or more before
# A burst's messages are written down this long before the moment they may leave: each
# waits in the outbox (its due_at) and the dispatcher's alarm sends it then, so at the
# moment only the sending is left, not reading and wording hundreds of reminders. Until it
# leaves, a cancelled or moved appointment or a newcomer who stopped withdraws it
# (outbox.withdraw). Short, so that the words still say what is true when it leaves.
PREPARE_AHEAD = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class DueReminder:
    id: int
    appointment_id: int
    starts_at: dt.datetime
    offset_minutes: int
    due_at: dt.datetime


def quiet_hours(config: Config) -> QuietHours:
    return QuietHours(config.quiet_hours.start, config.quiet_hours.end)


def plan_for(config: Config, appointment: Appointment, now: dt.datetime) -> list[PlannedReminder]:
    return plan_reminders(
        appointment.starts_at,
        now,
        config.locale.tzinfo,
        quiet_hours(config),
        config.reminders.offsets_for(appointment.kind.value),
    )


async def store_plan(
    db: aiosqlite.Connection, clock: Clock, config: Config, appointment: Appointment
) -> list[PlannedReminder]:
    """Plan this appointment's reminders in the caller's transaction; skipped ones with why."""
    planned = plan_for(config, appointment, clock())
    now = to_db(clock())
    for reminder in planned:
        status = "skipped" if reminder.skipped else "planned"
        # Back to the first planned time after a change and a change back: a cancelled
        # row is planned again, a reminder already queued is never queued twice.
        await db.execute(
            "INSERT INTO reminders (appointment_id, starts_at, offset_minutes, due_at, status,"
            " moved, reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (appointment_id, starts_at, offset_minutes) DO UPDATE SET"
            " due_at = excluded.due_at, status = excluded.status, moved = excluded.moved,"
            " reason = excluded.reason, updated_at = excluded.updated_at"
            " WHERE reminders.status = 'cancelled'",
            (appointment.id, to_db(appointment.starts_at),
             int(reminder.offset.total_seconds() // 60),
             to_db(reminder.due_at) if reminder.due_at else None, status, int(reminder.moved),
             reminder.skipped, now, now),
        )  # fmt: skip
    return planned


async def cancel_open(
    db: aiosqlite.Connection, clock: Clock, appointment_id: int, reason: str
) -> None:
    """The appointment was cancelled or moved: its reminders still to come do not go, nor
    one queued but not yet on its way (a burst at Telegram's pace holds a reminder up to
    half a minute): it would name a time that no longer holds, after the notice."""
    now = to_db(clock())
    await db.execute(
        "UPDATE reminders SET status = 'cancelled', reason = ?, updated_at = ?"
        " WHERE appointment_id = ? AND status = 'planned'",
        (reason, now, appointment_id),
    )
    # Every message of its reminders (an SMS reminder may be two): keys reminder:<id>:...
    low, high = outbox.key_range(f"{REMINDER_KEY}:{appointment_id}:")
    where = "idempotency_key >= ? AND idempotency_key < ?"
    withdrawn = await outbox.withdraw(db, now, reason, where, (low, high))
    if withdrawn:
        marks = ",".join("?" * len(withdrawn))
        await db.execute(
            "UPDATE reminders SET status = 'cancelled', reason = ?, updated_at = ?"
            f" WHERE appointment_id = ? AND status = 'queued' AND outbox_id IN ({marks})",
            (reason, now, appointment_id, *withdrawn),
        )


async def _due(services: Services) -> list[DueReminder]:
    """The reminders that may leave within PREPARE_AHEAD: due, or due within their early
    window (not in quiet hours; reminder_plan.may_leave_from), nearest appointment first."""
    at = services.clock() + PREPARE_AHEAD
    if quiet_hours(services.config).contains(at.astimezone(services.config.locale.tzinfo).time()):
        long = short = dt.timedelta(0)
    else:
        early = dt.timedelta(minutes=services.config.reminders.early_minutes)
        long, short = early_window(ONE_DAY, early), early_window(dt.timedelta(0), early)
    rows = await services.store.fetch_all(
        "SELECT id, appointment_id, starts_at, offset_minutes, due_at FROM reminders"
        " WHERE status = 'planned' AND due_at <= ? AND (due_at <= ? OR offset_minutes >= ?)"
        " ORDER BY due_at LIMIT ?",
        (to_db(at + long), to_db(at + short), DAY_MINUTES, BATCH),
    )
    due = [
        DueReminder(row["id"], row["appointment_id"], from_db(row["starts_at"]),
                    row["offset_minutes"], from_db(row["due_at"]))
        for row in rows
    ]  # fmt: skip
    return sorted(due, key=lambda reminder: (reminder.starts_at, reminder.due_at))


def _leaves_at(config: Config, reminder: DueReminder, now: dt.datetime) -> dt.datetime:
    """When this reminder's messages may leave: its first moment, or now if that passed."""
    first = may_leave_from(
        reminder.due_at,
        dt.timedelta(minutes=reminder.offset_minutes),
        dt.timedelta(minutes=config.reminders.early_minutes),
        quiet_hours(config),
        config.locale.tzinfo,
    )
    return max(now, first)


def _why_not_send(newcomer: Newcomer) -> str | None:
    if newcomer.status is NewcomerStatus.STOPPED:
        return SKIPPED_STOPPED
    if goes_by_sms(newcomer):
        return None
    if newcomer.status is NewcomerStatus.UNREACHABLE:
        return SKIPPED_UNREACHABLE
    if newcomer.chat_id is None or not newcomer.consent:
        return SKIPPED_NOT_LINKED
    return None


async def _newcomers(store: Store, newcomer_ids: Collection[int]) -> dict[int, Newcomer]:
    """These newcomers by id, in one query; the forgotten are left out."""
    rows = await store.fetch_in(
        "SELECT * FROM newcomers WHERE id IN ({marks}) AND forgotten_at IS NULL", newcomer_ids
    )
    return {row["id"]: Newcomer.from_row(row) for row in rows}


async def newcomer_notice(
    store: Store,
    config: Config,
    newcomer: Newcomer,
    appointment: Appointment,
    event: Event,
    key: str,
    call: WhoToCall | None = None,
) -> list[Outgoing]:
    """The two-language message about this appointment; none if it cannot go. By SMS: the
    Dutch SMS, then the one in their own language when `[sms] translation` says so (each
    an SMS of its own, under the same appointment, so an answer to either is read)."""
    if _why_not_send(newcomer) is not None:
        return []
    call = call or await who_to_call(store, newcomer.id)
    tzinfo = config.locale.tzinfo
    ref = f"appointment:{appointment.id}"
    if goes_by_sms(newcomer):
        text = sms_text(appointment, event, call, tzinfo)
        messages = [sms_to(newcomer, text, purpose=event.value, key=key, ref=ref)]
        if in_own_language_too(config.sms.translation, newcomer.language):
            own = own_sms_text(newcomer.language, appointment, event, tzinfo)
            messages.append(sms_to(newcomer, own, purpose=event.value, key=f"{key}:own", ref=ref))
        return messages
    if newcomer.chat_id is None:
        return []
    buttons = answer_buttons(newcomer.language, appointment) if event is not Event.CANCELLED else []
    message = Outgoing(
        chat_id=newcomer.chat_id,
        text=newcomer_message(newcomer.language, appointment, event, call, tzinfo),
        buttons=buttons,
        purpose=event.value,
        idempotency_key=key,
        newcomer_id=newcomer.id,
        ref=ref,
    )
    return [message]


async def no_show_notice(
    store: Store, config: Config, newcomer: Newcomer, appointment: Appointment
) -> Outgoing | None:
    """After a missed appointment: a kind word in their language and plain Dutch, who to
    call, and "new appointment, please" one tap away; None if it cannot go."""
    if _why_not_send(newcomer) is not None or newcomer.chat_id is None:
        return None
    call = await who_to_call(store, newcomer.id)
    lines = no_show_lines(appointment, call, config.locale.tzinfo)
    return Outgoing(
        chat_id=newcomer.chat_id,
        text=render_lines_bilingual(newcomer.language, lines),
        buttons=plan_again_buttons(newcomer.language, appointment),
        purpose="notice",
        idempotency_key=f"attendance:{appointment.id}:no_show",
        newcomer_id=newcomer.id,
        ref=f"appointment:{appointment.id}",
    )


async def run_due(services: Services) -> int:
    """Queue every due reminder and attendance question; returns the reminder messages
    queued (a reminder by SMS may be two: the Dutch one, then one in their language)."""
    async with services.reminder_lock:
        queued = await _queue_due(services)
        await ask_attendance(services)
    await set_alarm(services)
    return queued


async def _queue_due(services: Services) -> int:
    now = services.clock()
    due = await _due(services)
    # Per appointment only the latest due reminder goes; the rest say the same, later.
    latest: dict[int, DueReminder] = {}
    for reminder in due:
        current = latest.get(reminder.appointment_id)
        if current is None or reminder.due_at > current.due_at:
            latest[reminder.appointment_id] = reminder
    handover = _Handover(services, now)
    try:
        for start in range(0, len(due), DELIVER_EVERY):
            group = due[start : start + DELIVER_EVERY]
            handover.add(await _queue_group(services, group, latest, now))
    finally:
        await handover.finish()
    return handover.queued


@dataclass(frozen=True)
class _Ready:
    reminder: DueReminder
    messages: list[Outgoing]  # the first is the reminder; an SMS in their language may follow
    late: bool
    leaves_at: dt.datetime  # each message's due_at: now, or within PREPARE_AHEAD


@dataclass(frozen=True)
class _Settled:
    """A due reminder that does not go, and why (status skipped or cancelled)."""

    reminder: DueReminder
    status: str
    reason: str


@dataclass(frozen=True)
class _Facts:
    """What a group of due reminders needs, read in three queries for the whole group (not
    three per reminder): their appointments, the newcomers and whom each may call."""

    appointments: dict[int, Appointment]
    newcomers: dict[int, Newcomer]
    calls: dict[int, WhoToCall]

    @classmethod
    async def read(cls, store: Store, group: Sequence[DueReminder]) -> _Facts:
        found = await appointments.get_many(store, {r.appointment_id for r in group})
        people = await _newcomers(store, {a.newcomer_id for a in found.values()})
        reachable = [n.id for n in people.values() if _why_not_send(n) is None]
        return cls(found, people, await whom_to_call(store, reachable))


async def _prepare(
    services: Services, facts: _Facts, reminder: DueReminder, now: dt.datetime
) -> _Ready | _Settled:
    """The message for one due reminder, or why it does not go."""
    appointment = facts.appointments.get(reminder.appointment_id)
    newcomer = facts.newcomers.get(appointment.newcomer_id) if appointment else None
    if appointment is None or newcomer is None or appointment.status is not Status.PLANNED:
        return _Settled(reminder, "cancelled", CANCELLED_CANCELLED)
    if appointment.starts_at != reminder.starts_at:
        return _Settled(reminder, "cancelled", CANCELLED_CHANGED)
    if appointment.starts_at <= now:
        return _Settled(reminder, "skipped", SKIPPED_STARTED)
    if (reason := _why_not_send(newcomer)) is not None:
        return _Settled(reminder, "skipped", reason)
    key = f"{REMINDER_KEY}:{appointment.id}:{to_db(reminder.starts_at)}:{reminder.offset_minutes}"
    messages = await newcomer_notice(
        services.store, services.config, newcomer, appointment, Event.REMINDER, key,
        facts.calls[newcomer.id],
    )  # fmt: skip
    assert messages
    leaves_at = _leaves_at(services.config, reminder, now)
    late_after = dt.timedelta(minutes=services.config.reminders.late_after_minutes)
    return _Ready(
        reminder,
        [replace(message, due_at=leaves_at) for message in messages],
        late=now - reminder.due_at > late_after,
        leaves_at=leaves_at,
    )


async def _queue_group(
    services: Services,
    group: Sequence[DueReminder],
    latest: dict[int, DueReminder],
    now: dt.datetime,
) -> list[tuple[int, dt.datetime]]:
    """Claim the group's reminders, store their messages and settle those that do not go,
    in one transaction for the group. Returns the stored rows and when each may leave."""
    if not group:
        return []
    facts = await _Facts.read(services.store, group)
    ready: list[_Ready] = []
    settled: list[_Settled] = []
    for reminder in group:
        if latest[reminder.appointment_id] is not reminder:
            settled.append(_Settled(reminder, "skipped", SKIPPED_SUPERSEDED))
        elif isinstance(outcome := await _prepare(services, facts, reminder, now), _Ready):
            ready.append(outcome)
        else:
            settled.append(outcome)
    queued: list[tuple[int, dt.datetime]] = []
    late: list[DueReminder] = []
    stamp = to_db(now)
    async with services.store.transaction() as db:
        await db.executemany(
            "UPDATE reminders SET status = ?, reason = ?, updated_at = ?"
            " WHERE id = ? AND status = 'planned'",
            [(one.status, one.reason, stamp, one.reminder.id) for one in settled],
        )
        # Claim the rows first: of two runs at the same moment, only one queues each.
        # `+status`: by id, not by the (status, due_at) index, which SQLite chose for a
        # list of ids and read through every planned reminder (25 ms a group at 100,000).
        marks = ",".join("?" * len(ready))
        claimed = await db.execute_fetchall(
            "UPDATE reminders SET status = 'queued', updated_at = ?"
            f" WHERE id IN ({marks}) AND +status = 'planned' RETURNING id",
            (stamp, *(one.reminder.id for one in ready)),
        )
        ours = {row[0] for row in claimed}
        ready = [one for one in ready if one.reminder.id in ours]
        links: list[tuple[int | None, int, int]] = []
        # Every message of the group in one INSERT; each reminder's first is the reminder.
        stored = await outbox.enqueue_all(
            db, services.clock, [message for one in ready for message in one.messages]
        )
        start = 0
        for one in ready:
            row_ids, start = stored[start : start + len(one.messages)], start + len(one.messages)
            links.append((row_ids[0], int(one.late), one.reminder.id))
            queued.extend((row_id, one.leaves_at) for row_id in row_ids if row_id is not None)
            if one.late:
                late.append(one.reminder)
        await db.executemany("UPDATE reminders SET outbox_id = ?, late = ? WHERE id = ?", links)
    for reminder in late:  # once they are written down
        logger.warning("reminder %s went late (due %s)", reminder.id, reminder.due_at)
    return queued


class _Handover:
    """Hands each queued group that may leave now to the dispatcher at once, while the next
    group is being prepared, so the first of a burst do not wait until the whole batch is
    queued; for those prepared ahead, sets the dispatcher's alarm to their moment."""

    def __init__(self, services: Services, now: dt.datetime) -> None:
        self.services, self.now = services, now
        self.queued = 0
        self._deliveries: list[asyncio.Task[int]] = []

    def add(self, rows: list[tuple[int, dt.datetime]]) -> None:
        self.queued += len(rows)
        ready = [row_id for row_id, leaves_at in rows if leaves_at <= self.now]
        if ready:
            # Not in a reply's lane: a person writing now goes before a burst of these.
            delivery = self.services.dispatcher.deliver(ready, Lane.ROUTINE)
            self._deliveries.append(asyncio.create_task(delivery))
        if later := [leaves_at for _, leaves_at in rows if leaves_at > self.now]:
            self.services.dispatcher.wake((min(later) - self.now).total_seconds())

    async def finish(self) -> None:
        """Wait until every group is handed over (each row sent, or back with its reason)."""
        await asyncio.gather(*self._deliveries)


async def ask_attendance(services: Services) -> int:
    """After the appointment: "did they come?" to the contact person (or who planned it)."""
    after = dt.timedelta(hours=services.config.reminders.attendance_after_hours)
    asked = await appointments.claim_attendance_questions(
        services.store, services.clock, services.clock() - after
    )
    messages = []
    for appointment in asked:
        message = await attendance_question(services, appointment)
        if message is not None:
            messages.append(message)
    if messages:
        await services.send(*messages)
    return len(messages)


async def attendance_question(services: Services, appointment: Appointment) -> Outgoing | None:
    row = await services.store.fetch_one(
        "SELECT c.reference, c.first_name, s.telegram_user_id AS chat_id, s.language"
        " FROM newcomers c JOIN counsellors k ON k.newcomer_id = c.id AND k.is_contact = 1"
        " JOIN staff s ON s.id = coalesce(k.staff_id, ?) WHERE c.id = ?",
        (appointment.created_by, appointment.newcomer_id),
    )
    if row is None or row["chat_id"] is None:
        logger.warning("nobody to ask about attendance of appointment %s", appointment.id)
        return None
    language = row["language"]

    def tap(text: str, action: str) -> Button:
        return Button(render(language, text), WHO_CAME.data(action, appointment.id))

    return Outgoing(
        chat_id=row["chat_id"],
        text=render(
            language,
            texts.ATTENDANCE_QUESTION,
            kind=translated(KIND_NAMES[appointment.kind]),
            name=row["first_name"],
            reference=row["reference"],
            when=when(appointment.starts_at, services.config.locale.tzinfo),
        ),
        buttons=[
            [tap(texts.BUTTON_ATTENDED, "attended"), tap(texts.BUTTON_NO_SHOW, "no_show")],
            [tap(texts.BUTTON_MOVED, "moved")],
        ],
        purpose="attendance",
        idempotency_key=f"attendance:{appointment.id}:{to_db(appointment.starts_at)}",
        ref=f"appointment:{appointment.id}",
    )


async def next_moment(services: Services) -> dt.datetime | None:
    """When the alarm must ring next: PREPARE_AHEAD before a reminder may leave, or an
    attendance question."""
    moments = []
    # The first reminder of all, and the first of those a day or more before (they may
    # leave earlier): one of the two may leave first.
    for at_least in (0, DAY_MINUTES):
        row = await services.store.fetch_one(
            "SELECT due_at, offset_minutes FROM reminders WHERE status = 'planned'"
            " AND due_at IS NOT NULL AND offset_minutes >= ? ORDER BY due_at LIMIT 1",
            (at_least,),
        )
        if row is not None:
            moments.append(
                may_leave_from(
                    from_db(row["due_at"]),
                    dt.timedelta(minutes=row["offset_minutes"]),
                    dt.timedelta(minutes=services.config.reminders.early_minutes),
                    quiet_hours(services.config),
                    services.config.locale.tzinfo,
                )
                - PREPARE_AHEAD
            )
    started = await services.store.fetch_value(
        "SELECT min(starts_at) FROM appointments WHERE status = 'planned'"
        " AND attendance_asked_at IS NULL"
    )
    if started:
        after = dt.timedelta(hours=services.config.reminders.attendance_after_hours)
        moments.append(from_db(str(started)) + after)
    return min(moments) if moments else None


async def newcomer_reachable_again(services: Services, newcomer: Newcomer) -> Newcomer:
    """A newcomer Telegram did not deliver to wrote again: they are active again, their
    contact person is told, and the reminders skipped meanwhile go again where they still
    make sense (the appointment is ahead and still planned; of several for one
    appointment only the latest goes, marked late, as after downtime)."""
    newcomer = await newcomers.mark_reachable(services, newcomer)
    async with services.store.transaction() as db:
        await db.execute(
            "UPDATE reminders SET status = 'planned', reason = NULL, updated_at = ?"
            " WHERE status = 'skipped' AND reason = ? AND appointment_id IN"
            " (SELECT id FROM appointments WHERE newcomer_id = ? AND status = 'planned'"
            " AND starts_at > ?)",
            (to_db(services.clock()), SKIPPED_UNREACHABLE, newcomer.id, to_db(services.clock())),
        )
    await set_alarm(services)
    return newcomer


async def resend_by_sms(services: Services, chat_id: int) -> int:
    """Telegram stopped delivering to this newcomer's chat and SMS takes over (they agreed
    to SMS): the messages about an appointment that bounced, or were skipped with it, go
    again by SMS where they still matter: per appointment the newest one, worded afresh
    from the appointment as it is now, while it is still ahead. A notice or an
    announcement is not sent again. Returns the SMS queued."""
    newcomer = await newcomers.find_newcomer_by_chat(services.store, chat_id)
    if newcomer is None or not goes_by_sms(newcomer):
        return 0
    events = tuple(event.value for event in Event)
    rows = await services.store.fetch_all(
        "SELECT purpose, ref, idempotency_key, status FROM outbox WHERE newcomer_id = ?"
        f" AND channel = 'telegram' AND purpose IN ({','.join('?' * len(events))})"
        " AND ref LIKE 'appointment:%' ORDER BY id DESC",
        (newcomer.id, *events),
    )
    newest: dict[str, tuple[Event, str, str]] = {}
    for row in rows:
        about = (Event(row["purpose"]), str(row["idempotency_key"]), str(row["status"]))
        newest.setdefault(str(row["ref"]), about)
    messages: list[Outgoing] = []
    now = services.clock()
    for ref, (event, key, status) in newest.items():
        if status not in ("failed", "skipped"):
            continue  # the newest about it reached them on Telegram
        appointment = await appointments.get(services.store, int(ref.partition(":")[2]))
        if appointment is None or appointment.starts_at <= now:
            continue
        still = Status.CANCELLED if event is Event.CANCELLED else Status.PLANNED
        if appointment.status is not still:
            continue  # a reminder of what was cancelled since, or the like: not relevant
        # The same key plus ":sms": sent once, also when Telegram bounces twice.
        messages += await newcomer_notice(
            services.store, services.config, newcomer, appointment, event, f"{key}:sms"
        )
    return len(await services.send(*messages, now=False)) if messages else 0


async def set_alarm(services: Services) -> None:
    moment = await next_moment(services)
    if moment is not None:
        services.reminder_alarm.set(max(0.0, (moment - services.clock()).total_seconds()))
