"""Announcements of info sessions to groups of newcomers (issue 7; the rules, without
the chat form yet).

An announcement is scheduled with its audience (bot/audiences.py) and a text per
language. When its time comes, `release_due` puts one outbox row per recipient in the
outbox in one transaction (key `broadcast:<id>:<client>`, so a restart or a second
release sends nothing twice) and records who it went to; the one dispatcher sends them
at Telegram's pace. Until then it can be cancelled and nothing is sent. Progress is
read from the outbox rows; answers (I'll come / I can't come) are recorded per recipient.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import aiosqlite

from bot import audit
from bot.audiences import Audience, Recipient, recipients
from bot.clock import from_db, to_db
from bot.outbox import Outgoing, enqueue
from bot.services import Services
from bot.staff import StaffMember
from bot.storage import Store


class BroadcastStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    SENDING = "sending"  # released: every row is in the outbox
    CANCELLED = "cancelled"


class Rsvp(enum.StrEnum):
    COMING = "coming"
    NOT_COMING = "not_coming"


@dataclass(frozen=True)
class Broadcast:
    id: int
    author_id: int
    title: str
    starts_at: dt.datetime | None
    place: str
    audience: Audience
    texts: dict[str, str]  # language -> the announcement in that language
    send_at: dt.datetime
    status: BroadcastStatus
    session_language: str
    interpreter_languages: tuple[str, ...]

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> Broadcast:
        return cls(
            id=row["id"],
            author_id=row["author_id"],
            title=row["title"],
            starts_at=from_db(row["starts_at"]) if row["starts_at"] else None,
            place=row["place"],
            audience=Audience.model_validate_json(row["audience"]),
            texts=json.loads(row["texts"]),
            send_at=from_db(row["send_at"]),
            status=BroadcastStatus(row["status"]),
            session_language=row["session_language"],
            interpreter_languages=tuple(row["interpreter_languages"].split()),
        )


@dataclass(frozen=True)
class Plan:
    """What the coordinator chose."""

    title: str
    starts_at: dt.datetime
    place: str
    audience: Audience
    texts: Mapping[str, str]
    send_at: dt.datetime
    session_language: str = "nl"
    interpreter_languages: tuple[str, ...] = ()


async def schedule(services: Services, author: StaffMember, plan: Plan) -> Broadcast:
    async with services.store.transaction() as db:
        async with db.execute(
            "INSERT INTO broadcasts (author_id, title, starts_at, place, audience, texts,"
            " send_at, status, created_at, session_language, interpreter_languages)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?) RETURNING id",
            (
                author.id,
                plan.title,
                to_db(plan.starts_at),
                plan.place,
                plan.audience.model_dump_json(),
                json.dumps(dict(plan.texts), ensure_ascii=False),
                to_db(plan.send_at),
                to_db(services.clock()),
                plan.session_language,
                " ".join(plan.interpreter_languages),
            ),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        await audit.record(
            db, services.clock, f"staff:{author.id}", "broadcast.schedule", f"broadcast:{row[0]}"
        )
    broadcast = await get(services.store, int(row[0]))
    assert broadcast is not None
    return broadcast


async def get(store: Store, broadcast_id: int) -> Broadcast | None:
    row = await store.fetch_one("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
    return None if row is None else Broadcast.from_row(row)


async def cancel(services: Services, broadcast_id: int, actor: StaffMember) -> bool:
    """Only before it goes: a released announcement is already in the outbox."""
    async with services.store.transaction() as db:
        cursor = await db.execute(
            "UPDATE broadcasts SET status = 'cancelled' WHERE id = ? AND status = 'scheduled'",
            (broadcast_id,),
        )
        if cursor.rowcount != 1:
            return False
        await audit.record(
            db, services.clock, f"staff:{actor.id}", "broadcast.cancel", f"broadcast:{broadcast_id}"
        )
    return True


# How each recipient's message reads (their language, or Dutch and English; the RSVP
# buttons): from the texts module issue 7 adds, injected so the words stay in messages/.
Compose = Callable[[Broadcast, Recipient], Outgoing]


async def release_due(services: Services, compose: Compose) -> int:
    """Every scheduled announcement whose time has come goes to the outbox, one row per
    recipient, in one transaction each. Returns how many messages were queued."""
    due = await services.store.fetch_all(
        "SELECT * FROM broadcasts WHERE status = 'scheduled' AND send_at <= ? ORDER BY send_at",
        (to_db(services.clock()),),
    )
    queued = 0
    for broadcast in map(Broadcast.from_row, due):
        people = await recipients(services.store, broadcast.audience)
        async with services.store.transaction() as db:
            cursor = await db.execute(
                "UPDATE broadcasts SET status = 'sending' WHERE id = ? AND status = 'scheduled'",
                (broadcast.id,),
            )
            if cursor.rowcount != 1:  # cancelled or released meanwhile
                continue
            for person in people:
                row_id = await enqueue(db, services.clock, compose(broadcast, person))
                await db.execute(
                    "INSERT INTO broadcast_deliveries (broadcast_id, client_id, outbox_id)"
                    " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    (broadcast.id, person.client_id, row_id),
                )
                queued += row_id is not None
            await audit.record(db, services.clock, "system", "broadcast.release",
                               f"broadcast:{broadcast.id}", str(len(people)))  # fmt: skip
    if queued:
        services.dispatcher.wake()
    return queued


def outbox_key(broadcast: Broadcast, person: Recipient) -> str:
    return f"broadcast:{broadcast.id}:{person.client_id}"


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int
    skipped: int

    @property
    def waiting(self) -> int:
        return self.total - self.sent - self.failed - self.skipped


async def progress(store: Store, broadcast_id: int) -> Progress:
    row = await store.fetch_one(
        "SELECT count(*) AS total, sum(o.status = 'sent') AS sent,"
        " sum(o.status = 'failed') AS failed, sum(o.status = 'skipped') AS skipped"
        " FROM broadcast_deliveries d JOIN outbox o ON o.id = d.outbox_id"
        " WHERE d.broadcast_id = ?",
        (broadcast_id,),
    )
    assert row is not None
    return Progress(row["total"], row["sent"] or 0, row["failed"] or 0, row["skipped"] or 0)


async def record_rsvp(services: Services, broadcast_id: int, client_id: int, answer: Rsvp) -> bool:
    """Only someone it was sent to can answer; a later answer replaces an earlier one."""
    async with services.store.transaction() as db:
        cursor = await db.execute(
            "UPDATE broadcast_deliveries SET rsvp = ?, rsvp_at = ?"
            " WHERE broadcast_id = ? AND client_id = ?",
            (answer.value, to_db(services.clock()), broadcast_id, client_id),
        )
        return cursor.rowcount == 1


async def rsvp_counts(store: Store, broadcast_id: int) -> dict[Rsvp, int]:
    rows = await store.fetch_all(
        "SELECT rsvp, count(*) AS n FROM broadcast_deliveries"
        " WHERE broadcast_id = ? AND rsvp IS NOT NULL GROUP BY rsvp",
        (broadcast_id,),
    )
    counts = {answer: 0 for answer in Rsvp}
    counts.update({Rsvp(row["rsvp"]): row["n"] for row in rows})
    return counts
