"""A newcomer's data rights: everything Schakel holds about them, and forgetting it.

Forgetting keeps only what cannot point back to a person: the newcomer row stays with
its pseudonymous reference, language and dates so the partners' counts still add up,
but the first name, Telegram ids, mobile number, Dutch level, the people who help them,
their links, the messages sent to them and the free text of their notes and appointments
are gone;
so are forms about them left half-way and the text of every settled message to staff
that named them. The erasure is written in the forget-me journal beside the database,
so that a backup made before it and restored later does not bring them back.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.appointments import wishes
from bot.appointments.records import Appointment
from bot.appointments.wishes import Wish
from bot.core import audit
from bot.core.clock import Clock, to_db
from bot.figures import sms
from bot.people.counsellors import Counsellor, counsellors_of
from bot.people.newcomers import Newcomer
from bot.storage import forget_journal
from bot.storage.database import Store


@dataclass(frozen=True)
class NewcomerRecord:
    newcomer: Newcomer
    counsellors: list[Counsellor]
    appointments: list[Appointment]
    messages_sent: int
    handover_notes: int
    wish: Wish | None = None  # when they could come for a new appointment


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
        await wishes.get(store, newcomer.id),
    )


async def forget_newcomer(store: Store, clock: Clock, newcomer: Newcomer, *, actor: str) -> None:
    """Erase this newcomer's personal data everywhere, in one transaction, and write it in
    the forget-me journal beside the database (bot/storage/forget_journal.py)."""
    async with store.transaction() as db:
        await erase(db, clock, newcomer)
        await audit.record(db, clock, actor, "newcomer.forget", f"newcomer:{newcomer.reference}")
        if store.path is not None:
            # Before the commit: a journal that cannot be written rolls the erase back (and
            # the newcomer hears it failed), so no erasure is left out of the journal. A
            # commit failing after it leaves an entry for someone who asked to be erased.
            async with db.execute(
                "SELECT created_at FROM newcomers WHERE id = ?", (newcomer.id,)
            ) as cursor:
                row = await cursor.fetchone()
            assert row is not None
            await asyncio.to_thread(
                forget_journal.append,
                forget_journal.beside(store.path),
                newcomer_id=newcomer.id,
                reference=newcomer.reference,
                created_at=row["created_at"],
                at=to_db(clock()),
            )


async def erase(
    db: aiosqlite.Connection, clock: Clock, newcomer: Newcomer, *, messages: bool = True
) -> None:
    """Inside the caller's transaction: everything "forget me" erases (the module's
    docstring), without the audit entry, which says who asked. `messages=False` leaves
    the texts naming them to the caller (erase_many drops them for all at once)."""
    now = to_db(clock())
    await db.execute(
        "UPDATE newcomers SET first_name = '', telegram_user_id = NULL, chat_id = NULL,"
        " dutch_level = NULL, sms_number = NULL, sms_state = NULL, sms_agreed_at = NULL,"
        " status = 'stopped', forgotten_at = ? WHERE id = ?",
        (now, newcomer.id),
    )
    # Reminders that went point at the message: the reminder stays (it went), the link goes;
    # it keeps what Telegram or the gateway said and by which channel, as after the purge,
    # and the SMS figures keep their counts: the figures of a period stay the same.
    await db.execute(
        "UPDATE reminders SET outbox_id = NULL,"
        " delivery = (SELECT status FROM outbox WHERE outbox.id = reminders.outbox_id"
        "  AND status IN ('sent', 'failed', 'skipped')),"  # one still on its way never goes
        " delivery_channel = (SELECT channel FROM outbox WHERE outbox.id = reminders.outbox_id)"
        " WHERE outbox_id IN (SELECT id FROM outbox WHERE newcomer_id = ?)",
        (newcomer.id,),
    )
    await sms.keep_counts(db, "x.newcomer_id = ?", (newcomer.id,))
    # Announcements' deliveries first: they point at outbox rows (and hold answers).
    tables = (
        "announcement_deliveries",
        "counsellors",
        "newcomer_invites",
        "outbox",
        "newcomer_tags",
        "handover_consent_requests",  # with any note put aside to wait for their answer
        "appointment_wishes",  # when they could come (and what they typed about it)
    )
    for table in tables:
        await db.execute(f"DELETE FROM {table} WHERE newcomer_id = ?", (newcomer.id,))
    await db.execute(
        "UPDATE appointments SET place = '', with_whom = '', updated_at = ? WHERE newcomer_id = ?",
        (now, newcomer.id),
    )
    await db.execute("UPDATE handover_notes SET body = '{}' WHERE newcomer_id = ?", (newcomer.id,))
    # A form about them that staff left half-way (a handover note's free text).
    await db.execute(
        "DELETE FROM drafts WHERE json_extract(data, '$.ref') = ?", (newcomer.reference,)
    )
    if messages:
        await _drop_messages_naming(db, newcomer)


async def erase_many(db: aiosqlite.Connection, clock: Clock, newcomers: list[Newcomer]) -> None:
    """erase() for many newcomers (the retention of those who never joined), reading the
    settled messages once for all: one read per newcomer took half a second each with
    200,000 messages, and the bot waits while a purge runs."""
    for newcomer in newcomers:
        await erase(db, clock, newcomer, messages=False)
    if newcomers:
        await _drop_messages_naming_all(db, newcomers)


@dataclass(frozen=True)
class ForgottenAgain:
    """What `schakel restore` did with the forget-me journal."""

    forgotten: int = 0  # erased again in the restored database
    already: int = 0  # forgotten in the backup too
    absent: int = 0  # not in the backup (invited after it was made)
    someone_else: int = 0  # the number belongs to another newcomer there: left alone
    unreadable: int = 0  # journal lines cut off by a crash

    def describe(self, journal: Path) -> str:
        text = (
            f"forget-me journal {journal}: {self.forgotten} newcomer"
            f"{'' if self.forgotten == 1 else 's'} forgotten again"
            f" ({self.already} already forgotten in the backup, {self.absent} not in it)"
        )
        if self.someone_else:
            text += f"; {self.someone_else} entries name a row that is another newcomer here"
        if self.unreadable:
            text += f"; {self.unreadable} unreadable lines"
        return text


async def forget_again(
    store: Store, clock: Clock, journal: forget_journal.Journal, *, actor: str
) -> ForgottenAgain:
    """Erase again, in one transaction, every newcomer of the journal that a restored
    backup brought back; each erasure audited as the first one was."""
    counts = {"already": 0, "absent": 0, "someone_else": 0}
    async with store.transaction() as db:
        again: list[tuple[Newcomer, forget_journal.Entry]] = []
        for entry in journal.entries:
            async with db.execute(
                "SELECT * FROM newcomers WHERE id = ?", (entry.newcomer_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                counts["absent"] += 1
            elif not journal.same_newcomer(entry, row["reference"], row["created_at"]):
                counts["someone_else"] += 1
            elif row["forgotten_at"] is not None or row["id"] in {n.id for n, _ in again}:
                counts["already"] += 1
            else:
                again.append((Newcomer.from_row(row), entry))
        await erase_many(db, clock, [newcomer for newcomer, _ in again])
        for newcomer, entry in again:
            await audit.record(
                db, clock, actor, "newcomer.forget", f"newcomer:{newcomer.reference}",
                f"again after a restore (asked {entry.at})",
            )  # fmt: skip
    return ForgottenAgain(len(again), **counts, unreadable=journal.unreadable_lines)


NAMED_A_FORGOTTEN_NEWCOMER = json.dumps(
    {"text": "", "buttons": [], "dropped": "named a forgotten newcomer"}
)


# Settled messages with no newcomer of their own: the ones to staff (a newcomer's own are
# erased with them; one to another newcomer never names this one). Through the partial
# index outbox_settled_to_staff (migration 0014), not a scan of every reminder sent.
_SETTLED_TO_STAFF = (
    "INDEXED BY outbox_settled_to_staff"
    " WHERE newcomer_id IS NULL AND status IN ('sent', 'failed', 'skipped')"
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
        f"SELECT id, ref, payload FROM outbox {_SETTLED_TO_STAFF}"
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


_WORD = re.compile(r"\w+")
_REFERENCE = re.compile(r"K-[0-9A-Z]{4}")


async def _drop_messages_naming_all(db: aiosqlite.Connection, newcomers: list[Newcomer]) -> None:
    """_drop_messages_naming for many newcomers in one pass over the settled messages.
    A text is split into words once; only a word that starts one of the names is
    checked against that whole name."""
    by_first_word: dict[str, list[re.Pattern[str]]] = {}
    for newcomer in newcomers:
        if newcomer.first_name:
            first = _WORD.findall(newcomer.first_name)[0]
            pattern = re.compile(rf"\b{re.escape(newcomer.first_name)}\b")
            by_first_word.setdefault(first, []).append(pattern)
    references = {newcomer.reference for newcomer in newcomers}
    ids = [newcomer.id for newcomer in newcomers]
    refs = {f"newcomer:{reference}" for reference in references}
    async with db.execute(
        f"SELECT id FROM appointments WHERE newcomer_id IN ({','.join('?' * len(ids))})", ids
    ) as cursor:
        refs |= {f"appointment:{row['id']}" for row in await cursor.fetchall()}
    named: list[int] = []
    async with db.execute(f"SELECT id, ref, payload FROM outbox {_SETTLED_TO_STAFF}") as cursor:
        # In chunks of thousands: each fetch is a trip to the database thread.
        while rows := await cursor.fetchmany(5000):
            named += [row["id"] for row in rows if _names_one(row, refs, references, by_first_word)]
    await db.executemany(
        "UPDATE outbox SET payload = ? WHERE id = ?",
        [(NAMED_A_FORGOTTEN_NEWCOMER, row_id) for row_id in named],
    )


def _names_one(
    row: aiosqlite.Row,
    refs: set[str],
    references: set[str],
    by_first_word: dict[str, list[re.Pattern[str]]],
) -> bool:
    if row["ref"] in refs or not references.isdisjoint(_REFERENCE.findall(row["payload"])):
        return True
    text = json.loads(row["payload"]).get("text", "")
    words = by_first_word.keys() & set(_WORD.findall(text))
    return any(pattern.search(text) for word in words for pattern in by_first_word[word])
