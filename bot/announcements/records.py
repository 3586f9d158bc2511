"""Announcements of info sessions to groups of newcomers: the rules and the data.

An announcement is scheduled with its audience (bot/audiences.py) and a text per
language; until it goes it can be changed or cancelled and nothing is sent. When its
time comes, `release_due` marks it released with the first progress message to its
author and who the audience left out, then puts one outbox row per recipient in the
outbox in chunks of a few hundred, a transaction each (key `announcement:<id>:<newcomer>`,
so a restart half-way or a second release sends nothing twice), and records who it went
to; the one dispatcher sends them at Telegram's pace,
after every other due message (bulk rows). Progress is read from the outbox rows;
answers (I'll come / I can't come) are recorded per recipient. What people read is in
bot/announcements/words.py; the alarm that drives all this is bot/announcements/delivery.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import aiosqlite

from bot.announcements import words
from bot.announcements.audiences import (
    REACHABLE_COLUMNS,
    REACHABLE_NOW,
    Recipient,
    reach,
    recipients,
)
from bot.announcements.model import (
    UNREACHABLE_REASONS,
    Announcement,
    AnnouncementStatus,
    AnswerGroup,
    Plan,
    Progress,
    Rsvp,
)
from bot.core import audit
from bot.core.clock import from_db, to_db
from bot.core.lanes import Lane
from bot.people.staff import StaffMember
from bot.sending.outbox import Outgoing, enqueue, enqueue_many
from bot.sending.services import Services
from bot.storage.database import Store

_SELECT = (
    "SELECT b.*, s.telegram_user_id AS author_chat, s.language AS author_language,"
    " s.name AS author_name FROM announcements b JOIN staff s ON s.id = b.author_id"
)


async def schedule(services: Services, author: StaffMember, plan: Plan) -> Announcement:
    columns = plan.columns() | {"author_id": author.id, "created_at": to_db(services.clock())}
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    async with services.store.transaction() as db:
        async with db.execute(
            f"INSERT INTO announcements ({names}, status)"
            f" VALUES ({marks}, 'scheduled') RETURNING id",
            tuple(columns.values()),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        await audit.record(
            db,
            services.clock,
            f"staff:{author.id}",
            "announcement.schedule",
            f"announcement:{row[0]}",
        )
    announcement = await get(services.store, int(row[0]))
    assert announcement is not None
    return announcement


async def change(services: Services, announcement_id: int, plan: Plan, actor: StaffMember) -> bool:
    """Only before it goes (like `cancel`): False when it went or was cancelled meanwhile."""
    columns = plan.columns()
    assignments = ", ".join(f"{name} = ?" for name in columns)
    return await _update_while_scheduled(
        services, announcement_id, actor, "announcement.change", assignments, columns.values()
    )


async def get(store: Store, announcement_id: int) -> Announcement | None:
    row = await store.fetch_one(f"{_SELECT} WHERE b.id = ?", (announcement_id,))
    return None if row is None else Announcement.from_row(row)


async def cancel(services: Services, announcement_id: int, actor: StaffMember) -> bool:
    """Only before it goes: a released announcement is already in the outbox."""
    return await _update_while_scheduled(
        services, announcement_id, actor, "announcement.cancel", "status = 'cancelled'", ()
    )


async def _update_while_scheduled(
    services: Services,
    announcement_id: int,
    actor: StaffMember,
    action: str,
    assignments: str,
    values: Iterable[object],
) -> bool:
    """SET these assignments, and audit it, only while the announcement has not gone (or
    been cancelled) meanwhile; False when it had."""
    async with services.store.transaction() as db:
        cursor = await db.execute(
            f"UPDATE announcements SET {assignments} WHERE id = ? AND status = 'scheduled'",
            (*values, announcement_id),
        )
        if cursor.rowcount != 1:
            return False
        await audit.record(
            db, services.clock, f"staff:{actor.id}", action, f"announcement:{announcement_id}"
        )
    return True


async def recent(store: Store, at_most: int = 10) -> list[Announcement]:
    rows = await store.fetch_all(f"{_SELECT} ORDER BY b.id DESC LIMIT ?", (at_most,))
    return [Announcement.from_row(row) for row in rows]


async def in_status(store: Store, status: AnnouncementStatus) -> list[Announcement]:
    rows = await store.fetch_all(f"{_SELECT} WHERE b.status = ? ORDER BY b.id", (status.value,))
    return [Announcement.from_row(row) for row in rows]


async def awaiting_reminder(store: Store, now: dt.datetime) -> list[Announcement]:
    """Gone out, session still ahead, day-before reminder not sent yet."""
    rows = await store.fetch_all(
        f"{_SELECT} WHERE b.status IN ('sending', 'done') AND b.reminded_at IS NULL"
        " AND b.starts_at > ? ORDER BY b.starts_at",
        (to_db(now),),
    )
    return [Announcement.from_row(row) for row in rows]


async def next_send_at(store: Store) -> dt.datetime | None:
    value = await store.fetch_value(
        "SELECT min(send_at) FROM announcements WHERE status = 'scheduled'"
    )
    return from_db(str(value)) if value else None


# A hundred rows a transaction: each holds the write lock and the bot's connection for
# some tens of milliseconds (a reply's transactions wait for the one being written; 400
# held them 100-200 ms on a busy machine), and the dispatcher sends the first chunk while
# the next is written.
RELEASE_CHUNK = 100


async def release_due(services: Services) -> int:
    """Every scheduled announcement whose time has come goes to the outbox, one row per
    recipient, with the author's progress message. The release itself (status, how many
    it reaches and who was left out, counted in SQLite, the progress message, the audit
    entry) is one transaction; the recipients' rows follow in chunks (`write_rows`), each
    chunk read as it is written, so the first messages leave before the last recipient
    is even read. Returns how many messages to newcomers were queued."""
    due = await services.store.fetch_all(
        f"{_SELECT} WHERE b.status = 'scheduled' AND b.send_at <= ? ORDER BY b.send_at",
        (to_db(services.clock()),),
    )
    queued = 0
    for announcement in map(Announcement.from_row, due):
        counted = await reach(services.store, announcement.audience, set(announcement.texts))
        async with services.store.transaction() as db:
            cursor = await db.execute(
                "UPDATE announcements SET status = 'sending', releasing = 1, released_at = ?,"
                " left_out_stopped = ?,"
                " left_out_not_linked = ?, without_text = ? WHERE id = ? AND status = 'scheduled'",
                (
                    to_db(services.clock()),
                    counted.left_out.stopped,
                    counted.left_out.not_linked,
                    counted.without_text,
                    announcement.id,
                ),
            )
            if cursor.rowcount != 1:  # cancelled or released meanwhile
                continue
            if (first := words.start_message(announcement, counted.reached)) is not None:
                await enqueue(db, services.clock, first)
                await db.execute(
                    "UPDATE announcements SET progress_text = ? WHERE id = ?",
                    (first.text, announcement.id),
                )
            await audit.record(db, services.clock, "system", "announcement.release",
                               f"announcement:{announcement.id}", str(counted.reached))  # fmt: skip
        queued += await write_rows(services, announcement)
    # Released before a stop, not every row written yet: the rest now (the same recipients
    # rule, today; the keys keep those already written to one message).
    for announcement in await _still_releasing(services.store, {row["id"] for row in due}):
        queued += await write_rows(services, announcement)
    return queued


async def _still_releasing(store: Store, just_done: set[int]) -> list[Announcement]:
    rows = await store.fetch_all(f"{_SELECT} WHERE b.releasing = 1 ORDER BY b.id")
    return [Announcement.from_row(row) for row in rows if row["id"] not in just_done]


async def write_rows(services: Services, announcement: Announcement) -> int:
    """The recipients' rows and their deliveries, RELEASE_CHUNK recipients read and written
    a transaction; the dispatcher is woken after each, so the first messages leave while
    the rest is read and written. Then the release is complete (`releasing` = 0). Returns
    how many were new."""
    compose = words.compose(services.config.locale.tzinfo)
    queued, after = 0, 0
    while chunk := await recipients(
        services.store, announcement.audience, after=after, limit=RELEASE_CHUNK
    ):
        after = chunk[-1].newcomer_id
        messages = [compose(announcement, person) for person in chunk]
        async with services.store.transaction(Lane.BULK) as db:
            queued += await enqueue_many(db, services.clock, messages)
            # The row written now or by an earlier, interrupted release: found by its key.
            await db.executemany(
                "INSERT INTO announcement_deliveries (announcement_id, newcomer_id, outbox_id)"
                " SELECT ?, ?, id FROM outbox WHERE idempotency_key = ? ON CONFLICT DO NOTHING",
                [
                    (announcement.id, person.newcomer_id, message.idempotency_key)
                    for person, message in zip(chunk, messages, strict=True)
                ],
            )
        services.dispatcher.wake()
    async with services.store.transaction() as db:
        await db.execute("UPDATE announcements SET releasing = 0 WHERE id = ?", (announcement.id,))
    return queued


async def progress(store: Store, announcement_id: int) -> Progress:
    blocked, gone = UNREACHABLE_REASONS
    row = await store.fetch_one(
        "SELECT count(*) AS total, sum(o.status = 'sent') AS sent,"
        " sum(o.status = 'failed') AS failed, sum(o.status = 'skipped') AS skipped,"
        " sum(o.status = 'failed' AND (o.reason LIKE ? OR o.reason = ?)) AS unreachable"
        " FROM announcement_deliveries d JOIN outbox o ON o.id = d.outbox_id"
        " WHERE d.announcement_id = ?",
        (blocked, gone, announcement_id),
    )
    assert row is not None
    return Progress(
        row["total"],
        row["sent"] or 0,
        row["failed"] or 0,
        row["skipped"] or 0,
        row["unreachable"] or 0,
    )


async def show_progress(services: Services, announcement: Announcement, text: str) -> None:
    """Edit the author's progress message to `text` (edit number n), once per new text."""
    if text == announcement.progress_text:
        return
    async with services.store.transaction() as db:
        cursor = await db.execute(
            "UPDATE announcements SET progress_edits = progress_edits + 1, progress_text = ?"
            " WHERE id = ? AND progress_edits = ?",
            (text, announcement.id, announcement.progress_edits),
        )
        if cursor.rowcount == 1:
            edit = words.progress_edit(announcement, text)
            await _replace_edits(db, services, edit(announcement.progress_edits + 1))


async def _replace_edits(db: aiosqlite.Connection, services: Services, edit: Outgoing) -> None:
    """Queue an edit of the progress message. An older edit still waiting would show an
    older count after this one, so it is dropped (edits are keyed `<message key>:<n>`)."""
    await db.execute(
        "UPDATE outbox SET status = 'skipped', reason = 'a newer edit replaces it', updated_at = ?"
        " WHERE status = 'pending' AND idempotency_key LIKE ?",
        (to_db(services.clock()), f"{edit.edits}:%"),
    )
    await enqueue(db, services.clock, edit)


async def finish(
    services: Services, announcement: Announcement, last_edit: Outgoing, report: Outgoing
) -> bool:
    """Every row settled: done, with the last progress edit and the report, once."""
    async with services.store.transaction() as db:
        cursor = await db.execute(
            "UPDATE announcements SET status = 'done', finished_at = ? WHERE id = ? AND status = ?",
            (to_db(services.clock()), announcement.id, AnnouncementStatus.SENDING.value),
        )
        if cursor.rowcount != 1:
            return False
        await _replace_edits(db, services, last_edit)
        await enqueue(db, services.clock, report)
        await audit.record(
            db, services.clock, "system", "announcement.done", f"announcement:{announcement.id}"
        )
    return True


async def record_rsvp(
    services: Services, announcement_id: int, newcomer_id: int, answer: Rsvp
) -> bool:
    """Only someone it was sent to can answer; a later answer replaces an earlier one."""
    async with services.store.transaction() as db:
        cursor = await db.execute(
            "UPDATE announcement_deliveries SET rsvp = ?, rsvp_at = ?"
            " WHERE announcement_id = ? AND newcomer_id = ?",
            (answer.value, to_db(services.clock()), announcement_id, newcomer_id),
        )
        return cursor.rowcount == 1


async def answer_by_sms(
    services: Services, newcomer_id: int, announcement_id: int, coming: bool
) -> bool:
    """1 or 2 by SMS after an announcement (bot/appointments/sms_inbox.py): as the tap on
    ✅ or ❌; False when it was not sent to them or the session has begun."""
    announcement = await get(services.store, announcement_id)
    if (
        announcement is None
        or announcement.starts_at is None
        or announcement.starts_at <= services.clock()
    ):
        return False
    answer = Rsvp.COMING if coming else Rsvp.NOT_COMING
    return await record_rsvp(services, announcement_id, newcomer_id, answer)


async def was_sent_to(store: Store, announcement_id: int, newcomer_id: int) -> bool:
    found = await store.fetch_value(
        "SELECT 1 FROM announcement_deliveries WHERE announcement_id = ? AND newcomer_id = ?",
        (announcement_id, newcomer_id),
    )
    return found is not None


async def rsvp_counts(store: Store, announcement_id: int) -> dict[Rsvp, int]:
    rows = await store.fetch_all(
        "SELECT rsvp, count(*) AS n FROM announcement_deliveries"
        " WHERE announcement_id = ? AND rsvp IS NOT NULL GROUP BY rsvp",
        (announcement_id,),
    )
    counts = {answer: 0 for answer in Rsvp}
    counts.update({Rsvp(row["rsvp"]): row["n"] for row in rows})
    return counts


async def answers_by_group(store: Store, announcement_id: int) -> list[AnswerGroup]:
    """The answers split by the newcomers' language and their contact person's
    organisation; `sent` counts the messages that reached them (as the totals do)."""
    rows = await store.fetch_all(
        "SELECT c.language, coalesce(o.short_name, '') AS organisation,"
        " sum(x.status = 'sent') AS sent, sum(d.rsvp = 'coming') AS coming,"
        " sum(d.rsvp = 'not_coming') AS not_coming"
        " FROM announcement_deliveries d JOIN newcomers c ON c.id = d.newcomer_id"
        " LEFT JOIN outbox x ON x.id = d.outbox_id"
        " LEFT JOIN counsellors k ON k.newcomer_id = c.id AND k.is_contact = 1"
        " LEFT JOIN organisations o ON o.id = k.organisation_id"
        " WHERE d.announcement_id = ? GROUP BY 1, 2 ORDER BY 1, 2",
        (announcement_id,),
    )
    return [
        AnswerGroup(row["language"], row["organisation"], row["sent"] or 0, row["coming"] or 0,
                    row["not_coming"] or 0)
        for row in rows
    ]  # fmt: skip


async def remind_coming(services: Services, announcement: Announcement) -> int:
    """The day-before reminder to everyone who said they come and can still be reached;
    once per announcement. Returns how many were queued."""
    rows = await services.store.fetch_all(
        f"SELECT {REACHABLE_COLUMNS}"
        " FROM announcement_deliveries d JOIN newcomers c ON c.id = d.newcomer_id"
        f" WHERE d.announcement_id = ? AND d.rsvp = 'coming' AND {REACHABLE_NOW}"
        " ORDER BY c.id",
        (announcement.id,),
    )
    queued = 0
    reminder = words.reminder(announcement, services.config.locale.tzinfo)
    async with services.store.transaction() as db:
        cursor = await db.execute(
            "UPDATE announcements SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL",
            (to_db(services.clock()), announcement.id),
        )
        if cursor.rowcount != 1:
            return 0
        for row in rows:
            person = Recipient.from_row(row)
            queued += await enqueue(db, services.clock, reminder(person)) is not None
        await audit.record(db, services.clock, "system", "announcement.remind",
                           f"announcement:{announcement.id}", str(queued))  # fmt: skip
    return queued
