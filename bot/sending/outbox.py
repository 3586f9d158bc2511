"""The outbox: every message Schakel sends is a row here before it reaches Telegram.

States: pending -> sending -> sent | failed | skipped (a 429 or a network error puts a
row back to pending with a later due time).

In-flight rule (after a crash or SIGKILL): the dispatcher claims a batch (`sending`) and
writes down each row as `handed` just before its request goes (a group commit for those
going together). A claimed row never handed cannot have reached Telegram: at start-up it
simply goes again, unflagged. A handed row found in `sending` at start-up may or
may not have reached Telegram. It is sent again **once**, flagged possible_duplicate,
with the reason recorded (`recovered` = 1). A row that was handed to Telegram again
after that (`recovered` = 2) and is found in `sending` once more is not sent again: it
is marked failed with reason "in flight at two restarts". One that was recovered but
not handed over again before the next crash (a whole batch is claimed at once, and
only part of it is on its way) goes again: it has at most the one copy from before.
So a crash leaves a person at most two copies, and only when the bot died between
handing the message to Telegram and writing down that it was sent.

A row may be withdrawn (`withdraw`: the appointment was cancelled or moved, the
newcomer stopped) until it is handed over: waiting, or claimed but not yet on its way
(a burst at Telegram's 30 a second holds a claimed row for up to half a minute). Just
before its request the dispatcher writes it down as handed only if it is still
`sending` (`mark_handed`), so a withdrawn row never goes; and a withdrawn row stays
withdrawn (putting back and settling touch only rows that are `sending`).

A timeout is like that too (Telegram may have delivered the message and lost only the
answer): the row is tried again, flagged possible_duplicate. Each such timeout may
leave one more copy; tests/e2e/test_faults.py checks that no other copy arrives.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import aiosqlite

from bot.core.clock import Clock, from_db, to_db
from bot.core.lanes import Lane
from bot.storage.database import Store

RECOVERED_REASON = "in flight at restart; sent again once (possible duplicate)"
GIVEN_UP_REASON = "in flight at two restarts; not sent again to avoid a third copy"
NEVER_HANDED_REASON = "claimed at a stop, never handed to Telegram; sent again"
# A message with a secret in it (an invite link, as text and as QR code) keeps it only
# until it is settled (sent, failed or skipped); then text and file are dropped, so a
# copy of the database holds no usable link (invites themselves are stored as hashes).
SECRET_DROPPED = json.dumps({"text": "", "buttons": [], "dropped": "held a secret"})
# The chat_id of an SMS row: it goes to a number, not a chat.
SMS_CHAT = 0
Channel = Literal["telegram", "sms"]
_DROP_SECRET = "payload = CASE WHEN json_extract(payload, '$.secret') THEN ? ELSE payload END"


@dataclass(frozen=True)
class Button:
    text: str
    data: str = ""  # callback data, at most 64 bytes (Telegram's limit)
    url: str = ""  # a link button instead (a map route); then no callback data

    def __post_init__(self) -> None:
        if len(self.data.encode()) > 64:
            raise ValueError(f"callback data longer than 64 bytes: {self.data!r}")
        if bool(self.data) == bool(self.url):
            raise ValueError(f"a button has either callback data or a url: {self.text!r}")

    def as_json(self) -> list[str]:
        return [self.text, self.data, self.url] if self.url else [self.text, self.data]


@dataclass(frozen=True)
class Attachment:
    """A file sent with the message (the text becomes its caption): a QR code, an .ics."""

    kind: Literal["photo", "document"]
    filename: str
    data: bytes

    def as_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "data": base64.b64encode(self.data).decode(),
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Attachment:
        kind: Literal["photo", "document"] = "photo" if value["kind"] == "photo" else "document"
        return cls(kind, value["filename"], base64.b64decode(value["data"]))


@dataclass(frozen=True)
class Outgoing:
    """One message to one chat, before it is stored."""

    chat_id: int
    text: str
    purpose: str
    idempotency_key: str
    buttons: Sequence[Sequence[Button]] = ()
    newcomer_id: int | None = None
    ref: str | None = None
    due_at: dt.datetime | None = None  # None: now
    # A persistent reply keyboard (the newcomer's menu) instead of inline buttons.
    keyboard: Sequence[Sequence[str]] = ()
    attachment: Attachment | None = None
    # The idempotency key of an earlier message to edit in place (a partner-group card),
    # instead of sending a new one.
    edits: str | None = None
    # One of many (an announcement): sent after every other due message.
    bulk: bool = False
    # Holds a secret (an invite link) or the name of a newcomer just forgotten: its text
    # and file are dropped from the database once settled.
    secret: bool = False
    # Telegram's protect_content: the person cannot forward or save it (a handover note's
    # details are for the reader's eyes, not for passing on).
    protect: bool = False
    # "sms": a text message to the number `to` through the SMS gateway (chat_id is then
    # SMS_CHAT, no chat); plain text only, no buttons, keyboard or file.
    channel: Channel = "telegram"
    to: str = ""

    def __post_init__(self) -> None:
        if self.channel == "sms" and not (
            self.to and not self.buttons and not self.keyboard and self.attachment is None
        ):
            raise ValueError("an SMS has a number and plain text only")

    def payload(self) -> str:
        payload: dict[str, Any] = {
            "text": self.text,
            "buttons": [[b.as_json() for b in row] for row in self.buttons],
        }
        if self.keyboard:
            payload["keyboard"] = [list(row) for row in self.keyboard]
        if self.attachment is not None:
            payload["attachment"] = self.attachment.as_json()
        if self.protect:
            payload["protect"] = True
        if self.edits is not None:
            payload["edits"] = self.edits
        if self.secret:
            payload["secret"] = True
        if self.to:
            payload["to"] = self.to
        return json.dumps(payload, ensure_ascii=False)


@dataclass(frozen=True)
class Row:
    """One outbox row as the dispatcher sees it."""

    id: int
    chat_id: int
    newcomer_id: int | None
    purpose: str
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    attempts: int = 0
    keyboard: list[list[str]] = field(default_factory=list)
    attachment: Attachment | None = None
    edits: str | None = None
    recovered: int = 0  # see the in-flight rule above
    protect: bool = False  # Outgoing.protect
    channel: Channel = "telegram"
    to: str = ""  # the number of an SMS row
    bulk: bool = False  # Outgoing.bulk

    @classmethod
    def from_db(cls, row: aiosqlite.Row) -> Row:
        payload = json.loads(row["payload"])
        return cls(
            id=row["id"],
            chat_id=row["chat_id"],
            newcomer_id=row["newcomer_id"],
            purpose=row["purpose"],
            text=payload["text"],
            buttons=[[Button(*button) for button in line] for line in payload["buttons"]],
            attempts=row["attempts"],
            keyboard=payload.get("keyboard", []),
            attachment=(
                Attachment.from_json(payload["attachment"]) if "attachment" in payload else None
            ),
            edits=payload.get("edits"),
            recovered=row["recovered"],
            protect=payload.get("protect", False),
            channel="sms" if row["channel"] == "sms" else "telegram",
            to=payload.get("to", ""),
            bulk=bool(row["bulk"]),
        )


_COLUMNS = (
    "INSERT INTO outbox (chat_id, newcomer_id, purpose, ref, payload, due_at, idempotency_key,"
    " created_at, updated_at, bulk, channel) VALUES "
)
_ONE_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_ON_CONFLICT = " ON CONFLICT (idempotency_key) DO NOTHING"
# Rows in one INSERT of `enqueue_all`: 11 values each, well within SQLite's 32,766.
ROWS_PER_INSERT = 500


def _values(clock: Clock, message: Outgoing) -> tuple[object, ...]:
    now = to_db(clock())
    return (
        message.chat_id,
        message.newcomer_id,
        message.purpose,
        message.ref,
        message.payload(),
        to_db(message.due_at) if message.due_at else now,
        message.idempotency_key,
        now,
        now,
        int(message.bulk),
        message.channel,
    )


async def enqueue(db: aiosqlite.Connection, clock: Clock, message: Outgoing) -> int | None:
    """Store a message; returns its id, or None when the idempotency key was already used."""
    return (await enqueue_all(db, clock, [message]))[0]


async def enqueue_all(
    db: aiosqlite.Connection, clock: Clock, messages: Sequence[Outgoing]
) -> list[int | None]:
    """Store messages in one statement (one trip to the database thread, however many);
    returns each one's id in order, None where its idempotency key was already used (also
    by an earlier message of these)."""
    ids: dict[str, int] = {}
    for start in range(0, len(messages), ROWS_PER_INSERT):
        part = messages[start : start + ROWS_PER_INSERT]
        rows = ", ".join([_ONE_ROW] * len(part))
        values = [value for message in part for value in _values(clock, message)]
        stored = await db.execute_fetchall(
            f"{_COLUMNS}{rows}{_ON_CONFLICT} RETURNING id, idempotency_key", values
        )
        for row_id, key in stored:  # RETURNING gives them in no particular order
            ids[str(key)] = int(row_id)
    # A key twice among these: the first stored it, the second stores nothing.
    return [ids.pop(message.idempotency_key, None) for message in messages]


async def enqueue_many(db: aiosqlite.Connection, clock: Clock, messages: Sequence[Outgoing]) -> int:
    """Store many messages as `enqueue_all` does; returns how many were new (a used
    idempotency key stores nothing)."""
    return sum(row_id is not None for row_id in await enqueue_all(db, clock, messages))


async def claim(
    store: Store,
    clock: Clock,
    limit: int,
    ids: Sequence[int] | None = None,
    lane: Lane = Lane.ROUTINE,
) -> list[Row]:
    """Move due pending rows to `sending` and return them (oldest first, bulk rows last).
    `lane`: who goes first for the write (Dispatcher.deliver's reply: Lane.REPLY)."""
    now = to_db(clock())
    params: list[object]
    if ids is not None:
        marks = ",".join("?" * len(ids))
        # `+status`: by id, not through every pending row of the (status, due_at) index,
        # which SQLite chose for a list of ids (50,000 rows of an announcement per reply).
        where, params = f"id IN ({marks}) AND +status = 'pending'", [*ids]
    else:
        where, params = "status = 'pending' AND due_at <= ?", [now]
    async with (
        store.transaction(lane) as db,
        db.execute(
            f"UPDATE outbox SET status = 'sending', handed = 0, attempts = attempts + 1,"
            f" updated_at = ?"
            f" WHERE id IN (SELECT id FROM outbox WHERE {where} ORDER BY bulk, due_at, id LIMIT ?)"
            f" RETURNING *",
            (now, *params, limit),
        ) as cursor,
    ):
        rows = [Row.from_db(row) for row in await cursor.fetchall()]
    return sorted(rows, key=lambda row: row.id)


async def mark_sent(store: Store, clock: Clock, sent: Sequence[tuple[int, int | None]]) -> None:
    """Write down that these rows reached Telegram: (row id, Telegram's message id) each,
    in one transaction (the dispatcher gathers the sends that finished together)."""
    now = to_db(clock())
    async with store.transaction() as db:
        await db.executemany(
            "UPDATE outbox SET status = 'sent', sent_at = ?, updated_at = ?,"
            f" telegram_message_id = ?, {_DROP_SECRET} WHERE id = ?",
            [(now, now, message_id, SECRET_DROPPED, row_id) for row_id, message_id in sent],
        )


async def mark_sms_sent(store: Store, clock: Clock, sent: Sequence[tuple[int, str, int]]) -> None:
    """Write down that the SMS gateway took these rows: (row id, its id, segments) each."""
    now = to_db(clock())
    async with store.transaction() as db:
        await db.executemany(
            "UPDATE outbox SET status = 'sent', sent_at = ?, updated_at = ?, sms_sid = ?,"
            f" sms_segments = ?, sms_status = 'accepted', {_DROP_SECRET} WHERE id = ?",
            [(now, now, sid, segments, SECRET_DROPPED, row_id) for row_id, sid, segments in sent],
        )


async def mark_final(store: Store, clock: Clock, row_id: int, status: str, reason: str) -> None:
    """Settle a row the dispatcher holds as failed or skipped, with the reason a person
    can read later (not one withdrawn meanwhile: it keeps its own reason)."""
    if status not in ("failed", "skipped"):
        raise ValueError(status)
    async with store.transaction() as db:
        await db.execute(
            f"UPDATE outbox SET status = ?, reason = ?, updated_at = ?, {_DROP_SECRET}"
            " WHERE id = ? AND status = 'sending'",
            (status, reason, to_db(clock()), SECRET_DROPPED, row_id),
        )


async def postpone(
    store: Store,
    clock: Clock,
    row_id: int,
    until: dt.datetime,
    reason: str,
    *,
    retry: bool,
    duplicate: bool = False,
) -> None:
    """Back to pending with a later due time.

    `retry=False` (pacing, flood control) does not count as an attempt; `duplicate=True`
    flags the row because the failed try may still have reached the person. Only a row
    the dispatcher holds: one withdrawn meanwhile stays withdrawn.
    """
    async with store.transaction() as db:
        await db.execute(
            "UPDATE outbox SET status = 'pending', due_at = ?, reason = ?, updated_at = ?,"
            " attempts = attempts - ?, possible_duplicate = max(possible_duplicate, ?)"
            " WHERE id = ? AND status = 'sending'",
            (to_db(until), reason, to_db(clock()), 0 if retry else 1, int(duplicate), row_id),
        )


async def recover_in_flight(store: Store, clock: Clock) -> tuple[int, int]:
    """Apply the in-flight rule (module docstring). Returns (sent again, given up)."""
    now = to_db(clock())
    async with store.transaction() as db:
        given_up = await db.execute(
            "UPDATE outbox SET status = 'failed', reason = ?, updated_at = ?"
            " WHERE status = 'sending' AND handed = 1 AND recovered = 2",
            (GIVEN_UP_REASON, now),
        )
        again = await db.execute(
            "UPDATE outbox SET status = 'pending', recovered = 1, possible_duplicate = 1,"
            " reason = ?, updated_at = ? WHERE status = 'sending' AND handed = 1",
            (RECOVERED_REASON, now),
        )
        # Claimed but never handed to Telegram (waiting for its turn in the batch): no copy
        # can exist, so it simply goes again, unflagged.
        await db.execute(
            "UPDATE outbox SET status = 'pending', attempts = max(attempts - 1, 0),"
            " reason = CASE recovered WHEN 0 THEN ? ELSE reason END, updated_at = ?"
            " WHERE status = 'sending' AND handed = 0",
            (NEVER_HANDED_REASON, now),
        )
        return again.rowcount, given_up.rowcount


async def mark_handed(store: Store, clock: Clock, ids: Sequence[int]) -> set[int]:
    """These rows are about to go to Telegram (one transaction for those going together).
    Returns those still to go: a row withdrawn since it was claimed is not handed over. A
    recovered row handed over again may from now on have two copies (`recovered` = 2)."""
    marks = ",".join("?" * len(ids))
    async with store.transaction() as db:
        handed = await db.execute_fetchall(
            "UPDATE outbox SET handed = 1, updated_at = ?,"
            " recovered = CASE recovered WHEN 1 THEN 2 ELSE recovered END"
            f" WHERE id IN ({marks}) AND status = 'sending' RETURNING id",
            (to_db(clock()), *ids),
        )
    return {row[0] for row in handed}


# Not yet on its way: waiting, or claimed by the dispatcher but not handed over yet.
_NOT_ON_ITS_WAY = "(status = 'pending' OR (status = 'sending' AND handed = 0))"


async def withdraw(
    db: aiosqlite.Connection, now: str, reason: str, where: str, params: Sequence[object]
) -> list[int]:
    """Settle as skipped, with the reason, the rows that match `where` (SQL written in
    this code, never a person's words) and are not yet on their way (module docstring);
    their secrets dropped as for every settled row. Returns their ids."""
    withdrawn = await db.execute_fetchall(
        f"UPDATE outbox SET status = 'skipped', reason = ?, updated_at = ?, {_DROP_SECRET}"
        f" WHERE {_NOT_ON_ITS_WAY} AND ({where}) RETURNING id",
        (reason, now, SECRET_DROPPED, *params),
    )
    return [row[0] for row in withdrawn]


def key_range(prefix: str) -> tuple[str, str]:
    """(low, high) such that `idempotency_key >= low AND idempotency_key < high` is every
    key that starts with `prefix` (through the keys' unique index; LIKE would not use it)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


@dataclass(frozen=True)
class Delivery:
    status: str
    telegram_message_id: int | None


async def delivery_of(store: Store, idempotency_key: str) -> Delivery | None:
    """Where the message stored under this key stands (to edit it once it is sent)."""
    row = await store.fetch_one(
        "SELECT status, telegram_message_id FROM outbox WHERE idempotency_key = ?",
        (idempotency_key,),
    )
    return None if row is None else Delivery(row["status"], row["telegram_message_id"])


async def last_stored_under(store: Store, key_prefix: str) -> dt.datetime | None:
    """When the newest message whose key starts with `key_prefix` was stored; None when
    there is none. (A range on the unique key, not LIKE: the index answers it.)"""
    end = key_prefix[:-1] + chr(ord(key_prefix[-1]) + 1)
    value = await store.fetch_value(
        "SELECT max(created_at) FROM outbox WHERE idempotency_key >= ? AND idempotency_key < ?",
        (key_prefix, end),
    )
    return from_db(str(value)) if value else None


async def next_due(store: Store) -> dt.datetime | None:
    value = await store.fetch_value("SELECT min(due_at) FROM outbox WHERE status = 'pending'")
    return from_db(str(value)) if value else None
