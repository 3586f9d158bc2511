"""A newcomer's data rights: everything Schakel holds about them, and forgetting it.

Forgetting keeps only what cannot point back to a person: the newcomer row stays with
its pseudonymous reference, language and dates so the partners' counts still add up,
but the first name, Telegram ids, Dutch level, the people who help them, their links,
the messages sent to them and the free text of their notes and appointments are gone;
so are forms about them left half-way and the text of every settled message to staff
that named them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import aiosqlite

from bot.appointments.records import Appointment
from bot.core import audit
from bot.core.clock import Clock, to_db
from bot.people.counsellors import Counsellor, counsellors_of
from bot.people.newcomers import Newcomer
from bot.storage.database import Store


@dataclass(frozen=True)
class NewcomerRecord:
    newcomer: Newcomer
    counsellors: list[Counsellor]
    appointments: list[Appointment]
    messages_sent: int
    handover_notes: int


async def everything_about(
    store: Store, clock: Clock, newcomer: Newcomer, *, actor: str
) -> NewcomerRecord:
    """All Schakel stores about this newcomer; the look is written to the audit log."""
    rows = await store.fetch_all(
        "SELECT * FROM appointments WHERE newcomer_id = ? ORDER BY starts_at", (newcomer.id,)
    )
    sent = await store.fetch_int(
        "SELECT count(*) FROM outbox WHERE newcomer_id = ? AND status = 'sent'", (newcomer.id,)
    )
    notes = await store.fetch_int(
        "SELECT count(*) FROM handover_notes WHERE newcomer_id = ?", (newcomer.id,)
    )
    async with store.transaction() as db:
        await audit.record(db, clock, actor, "newcomer.export", f"newcomer:{newcomer.reference}")
    return NewcomerRecord(
        newcomer,
        await counsellors_of(store, newcomer.id, with_former_staff=True),  # all that is stored
        [Appointment.from_row(row) for row in rows],
        sent,
        notes,
    )


async def forget_newcomer(store: Store, clock: Clock, newcomer: Newcomer, *, actor: str) -> None:
    """Erase this newcomer's personal data everywhere, in one transaction."""
    now = to_db(clock())
    async with store.transaction() as db:
        await db.execute(
            "UPDATE newcomers SET first_name = '', telegram_user_id = NULL, chat_id = NULL,"
            " dutch_level = NULL, status = 'stopped', forgotten_at = ? WHERE id = ?",
            (now, newcomer.id),
        )
        # Reminders that went point at the message: the reminder stays (it went), the link goes.
        await db.execute(
            "UPDATE reminders SET outbox_id = NULL"
            " WHERE outbox_id IN (SELECT id FROM outbox WHERE newcomer_id = ?)",
            (newcomer.id,),
        )
        # Announcements' deliveries first: they point at outbox rows (and hold answers).
        tables = (
            "announcement_deliveries",
            "counsellors",
            "newcomer_invites",
            "outbox",
            "newcomer_tags",
        )
        for table in tables:
            await db.execute(f"DELETE FROM {table} WHERE newcomer_id = ?", (newcomer.id,))
        await db.execute(
            "UPDATE appointments SET place = '', with_whom = '', updated_at = ?"
            " WHERE newcomer_id = ?",
            (now, newcomer.id),
        )
        await db.execute(
            "UPDATE handover_notes SET body = '{}' WHERE newcomer_id = ?", (newcomer.id,)
        )
        # A form about them that staff left half-way (a handover note's free text).
        await db.execute(
            "DELETE FROM drafts WHERE json_extract(data, '$.ref') = ?", (newcomer.reference,)
        )
        await _drop_messages_naming(db, newcomer)
        await audit.record(db, clock, actor, "newcomer.forget", f"newcomer:{newcomer.reference}")


NAMED_A_FORGOTTEN_NEWCOMER = json.dumps(
    {"text": "", "buttons": [], "dropped": "named a forgotten newcomer"}
)


async def _drop_messages_naming(db: aiosqlite.Connection, newcomer: Newcomer) -> None:
    """The outbox keeps what was sent to staff too: notices about this newcomer, the
    attendance question, lists and answers that name them. Once settled (the one thing
    a row still needs its text for is being sent), that text goes. The row stays, so its
    idempotency key still stops a second copy. A message that names another newcomer
    with the same first name loses its text too: it is only a copy of what was sent."""
    name = re.compile(rf"\b{re.escape(newcomer.first_name)}\b") if newcomer.first_name else None
    refs = {f"newcomer:{newcomer.reference}"}
    async with db.execute("SELECT id FROM appointments WHERE newcomer_id = ?", (newcomer.id,)) as c:
        refs |= {f"appointment:{row['id']}" for row in await c.fetchall()}
    async with db.execute(
        "SELECT id, ref, payload FROM outbox WHERE status IN ('sent', 'failed', 'skipped')"
        f" AND (ref IN ({','.join('?' * len(refs))}) OR instr(payload, ?) > 0"
        " OR instr(payload, ?) > 0)",
        (*refs, newcomer.reference, newcomer.first_name or newcomer.reference),
    ) as cursor:
        rows = await cursor.fetchall()
    named = [
        row["id"]
        for row in rows
        if row["ref"] in refs
        or newcomer.reference in row["payload"]
        or (name is not None and name.search(json.loads(row["payload"]).get("text", "")))
    ]
    await db.executemany(
        "UPDATE outbox SET payload = ? WHERE id = ?",
        [(NAMED_A_FORGOTTEN_NEWCOMER, row_id) for row_id in named],
    )
