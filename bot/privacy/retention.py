"""Retention: what is past its time is removed, kind by kind (config `[retention]`).

- **Appointments** whose start is older than their retention go with their reminders and
  every message about them (the notices, reminders, answers and the attendance question).
- **Handover notes** decided (taken over or declined) before their retention go with
  their messages (the card and its edits, the notices, the raises) and with the consent
  recorded for them. An open note is never removed, however old.
- **Delivery records**: the messages of an announcement whose session is over go with its
  deliveries and answers; every other settled message (sent, failed, skipped) goes once
  nothing happened to it for the retention. The announcement itself stays, with its counts.
- **Form drafts** a staff member left untouched for their retention, and a newcomer's
  wish for a new appointment nobody acted on for as long.
- **Invite links** (newcomers' and staff's) that expired longer ago than their retention,
  except a newcomer's newest link while they might still join (the next rule needs it).
- **Newcomers who never joined** (never agreed) whose last link expired longer ago than
  their retention: erased as "forget me" erases (bot/privacy/data_rights.py), the row kept
  as an anonymous count.
- **Audit log** entries older than their retention (migration 0008 lets only those go).

Never removed: a message still pending or being sent (nor what it is about), a message a
waiting edit will change, the card of an open note, the messages of an announcement that
is not finished. Foreign keys decide the order: reminders and announcement deliveries
point at outbox rows, so they go (or let go of them) first. An appointment's or a note's
messages go with it whatever the delivery records' retention, because they name its place
and people, and because a new appointment or note may get the same number (SQLite reuses
the highest free id) and must not find its message keys already taken.

Each kind is removed in its own transaction, with an audit entry saying what went. A dry
run does all of it in one transaction and rolls it back, so it counts exactly what a real
run would remove.
"""

from __future__ import annotations

import datetime as dt
import enum
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import aiosqlite

from bot.core import audit
from bot.core.clock import Clock, to_db
from bot.core.config import RetentionConfig
from bot.core.periods import Period
from bot.figures import sms
from bot.people.newcomers import Newcomer
from bot.privacy import data_rights
from bot.storage.database import Store


class Kind(enum.StrEnum):
    # In this order: the audit log last, after the entries saying what the others removed.
    APPOINTMENTS = "appointments"
    HANDOVER_NOTES = "handover_notes"
    DELIVERY_RECORDS = "delivery_records"
    DRAFTS = "drafts"
    INVITES = "invites"
    NEVER_JOINED = "never_joined"
    AUDIT_LOG = "audit_log"


KIND_NAMES = {
    Kind.APPOINTMENTS: "appointments",
    Kind.HANDOVER_NOTES: "handover notes",
    Kind.DELIVERY_RECORDS: "delivery records",
    Kind.DRAFTS: "form drafts",
    Kind.INVITES: "invite links",
    Kind.NEVER_JOINED: "newcomers who never joined",
    Kind.AUDIT_LOG: "audit log",
}
# What each count is called, singular and plural.
WHAT = {
    "appointments": ("appointment", "appointments"),
    "reminders": ("reminder", "reminders"),
    "messages": ("message", "messages"),
    "notes": ("handover note", "handover notes"),
    "consents": ("consent", "consents"),
    "deliveries": ("announcement delivery", "announcement deliveries"),
    "drafts": ("form draft", "form drafts"),
    "consent_questions": ("expired consent question", "expired consent questions"),
    "wishes": ("wish for a new appointment", "wishes for a new appointment"),
    "newcomer_invites": ("newcomer invite link", "newcomer invite links"),
    "staff_invites": ("staff invite link", "staff invite links"),
    "names": ("newcomer's name", "newcomers' names"),
    "entries": ("audit entry", "audit entries"),
}

# The idempotency keys of the messages about one appointment or note start with one of
# these and its number: appointment:12:new, reminder:12:..., handover-card:7:taken_over.
APPOINTMENT_KEYS = ("appointment", "reminder", "attendance", "answer")
NOTE_KEYS = ("handover-card", "handover-raise", "handover-raised", "handover-decided",
             "handover-contact")  # fmt: skip

UNSETTLED = "('pending', 'sending')"


@dataclass(frozen=True)
class Removed:
    """What one kind's purge removed (or would remove)."""

    kind: Kind
    period: Period | None  # None: kept ('keep' in the configuration)
    cutoff: dt.datetime | None
    counts: dict[str, int]
    problem: str | None = None  # why this kind failed (nothing of it was removed)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def describe(self, dry_run: bool) -> str:
        name = KIND_NAMES[self.kind]
        if self.period is None or self.cutoff is None:
            return f"{name}: kept (retention: keep)"
        counted = ", ".join(
            f"{count} {WHAT[what][0 if count == 1 else 1]}" for what, count in self.counts.items()
        )
        before = self.cutoff.strftime("%Y-%m-%d %H:%M UTC")
        if self.problem is not None:
            return f"{name} (kept {self.period}, older than {before}): FAILED, {self.problem}"
        verb = "would remove" if dry_run else "removed"
        return f"{name} (kept {self.period}, older than {before}): {verb} {counted}"


@dataclass(frozen=True)
class PurgeReport:
    dry_run: bool
    removed: tuple[Removed, ...]

    def of(self, kind: Kind) -> Removed:
        return next(removed for removed in self.removed if removed.kind is kind)

    def lines(self) -> list[str]:
        return [removed.describe(self.dry_run) for removed in self.removed]

    @property
    def failed(self) -> list[Removed]:
        return [removed for removed in self.removed if removed.problem is not None]


class _DryRun(Exception):
    """Rolls the dry run's transaction back."""


# A rule runs inside the caller's transaction: (connection, cutoff, clock, actor) -> counts.
Rule = Callable[[aiosqlite.Connection, str, Clock, str], Awaitable[dict[str, int]]]


async def purge(
    store: Store, clock: Clock, retention: RetentionConfig, *, actor: str, dry_run: bool = False
) -> PurgeReport:
    """Remove what is past its retention; with `dry_run`, only count it.

    A kind that fails (a database error) removes nothing and is reported; the others still
    go, so one problem does not keep everything else past its time."""
    now = clock()
    planned = [(kind, retention.period(kind.value)) for kind in Kind]
    results: list[Removed] = []

    async def run(db: aiosqlite.Connection, kind: Kind, period: Period) -> None:
        cutoff = period.cutoff(now)
        counts = await RULES[kind](db, to_db(cutoff), clock, actor)
        detail = f"older than {to_db(cutoff)}: " + " ".join(f"{k}={v}" for k, v in counts.items())
        await audit.record(db, clock, actor, "retention.purge", f"retention:{kind}", detail)
        results.append(Removed(kind, period, cutoff, counts))

    def failed(kind: Kind, period: Period, problem: sqlite3.Error) -> None:
        results.append(Removed(kind, period, period.cutoff(now), {}, str(problem)))

    if dry_run:
        try:
            async with store.transaction() as db:
                for kind, period in planned:
                    if period is None:
                        continue
                    await db.execute("SAVEPOINT purge_kind")
                    try:
                        await run(db, kind, period)
                    except sqlite3.Error as problem:
                        await db.execute("ROLLBACK TO purge_kind")
                        failed(kind, period, problem)
                    await db.execute("RELEASE purge_kind")
                raise _DryRun
        except _DryRun:
            pass
    else:
        for kind, period in planned:
            if period is None:
                continue
            try:
                async with store.transaction() as db:
                    await run(db, kind, period)
            except sqlite3.Error as problem:
                failed(kind, period, problem)
    done = {removed.kind: removed for removed in results}
    return PurgeReport(
        dry_run, tuple(done.get(kind, Removed(kind, None, None, {})) for kind, _ in planned)
    )


# --- the rules, one per kind; each runs inside the caller's transaction ------------------


async def _count(db: aiosqlite.Connection, sql: str, params: Sequence[object] = ()) -> int:
    cursor = await db.execute(sql, params)
    return cursor.rowcount


async def _subjects(
    db: aiosqlite.Connection, select: str, params: Sequence[object], prefixes: Sequence[str]
) -> None:
    """Fill the temporary table of what is about to go: (id, ref of its messages), less
    the subjects still sending (their messages' keys start with one of `prefixes`)."""
    await db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS purge_subjects (id INTEGER PRIMARY KEY, ref TEXT)"
    )
    await db.execute("DELETE FROM temp.purge_subjects")
    await db.execute(f"INSERT INTO temp.purge_subjects (id, ref) {select}", params)
    await _drop_subjects_still_sending(db, prefixes)


async def _messages(db: aiosqlite.Connection) -> None:
    await db.execute("CREATE TEMP TABLE IF NOT EXISTS purge_messages (id INTEGER PRIMARY KEY)")
    await db.execute("DELETE FROM temp.purge_messages")


def _owner_id() -> str:
    # appointment:12:new -> 12 (SQLite's CAST reads the leading number of a text)
    return "CAST(substr(idempotency_key, instr(idempotency_key, ':') + 1) AS INTEGER)"


def _keyed(prefixes: Sequence[str]) -> str:
    # GLOB (not LIKE) uses the unique index on idempotency_key for each prefix.
    if not prefixes:
        return "0"
    return "(" + " OR ".join(f"idempotency_key GLOB '{p}:*'" for p in prefixes) + ")"


def _owned(prefixes: Sequence[str]) -> str:
    """The outbox rows about one of the subjects, by ref or by idempotency key."""
    return (
        f"(ref IN (SELECT ref FROM temp.purge_subjects) OR ({_keyed(prefixes)}"
        f" AND {_owner_id()} IN (SELECT id FROM temp.purge_subjects)))"
    )


async def _drop_subjects_still_sending(db: aiosqlite.Connection, prefixes: Sequence[str]) -> None:
    """A subject with a message not yet settled is still needed: it stays, for now."""
    await db.execute(
        f"DELETE FROM temp.purge_subjects WHERE ref IN (SELECT ref FROM outbox"
        f" WHERE status IN {UNSETTLED} AND ref IS NOT NULL) OR id IN (SELECT {_owner_id()}"
        f" FROM outbox WHERE status IN {UNSETTLED} AND {_keyed(prefixes)})"
    )


async def _delete_settled_messages(db: aiosqlite.Connection, prefixes: Sequence[str]) -> int:
    """Remove the subjects' outbox rows that are settled (no longer pending or sending)."""
    settled = f"status NOT IN {UNSETTLED} AND {_owned(prefixes)}"
    await sms.keep_counts(db, settled)
    return await _count(db, f"DELETE FROM outbox WHERE {settled}")


async def _appointments(db: aiosqlite.Connection, cutoff: str, *_: object) -> dict[str, int]:
    await _subjects(
        db,
        "SELECT id, 'appointment:' || id FROM appointments WHERE starts_at < ?",
        (cutoff,),
        APPOINTMENT_KEYS,
    )
    subjects = "(SELECT id FROM temp.purge_subjects)"
    # Reminders point at outbox rows: they go first.
    reminders = await _count(db, f"DELETE FROM reminders WHERE appointment_id IN {subjects}")
    messages = await _delete_settled_messages(db, APPOINTMENT_KEYS)
    removed = await _count(db, f"DELETE FROM appointments WHERE id IN {subjects}")
    return {"appointments": removed, "reminders": reminders, "messages": messages}


async def _handover_notes(db: aiosqlite.Connection, cutoff: str, *_: object) -> dict[str, int]:
    await _subjects(
        db,
        "SELECT id, 'note:' || reference FROM handover_notes"
        " WHERE status IN ('taken_over', 'declined') AND decided_at < ?",
        (cutoff,),
        NOTE_KEYS,
    )
    messages = await _delete_settled_messages(db, NOTE_KEYS)
    notes = await _count(
        db, "DELETE FROM handover_notes WHERE id IN (SELECT id FROM temp.purge_subjects)"
    )
    # A consent is recorded with its note (bot/handovers.post): it covers the notes to that
    # organisation for that purpose posted from then on, until the next consent. It goes
    # once it is older than the cutoff and covers no note any more.
    consents = await _count(
        db,
        "DELETE FROM handover_consents AS c WHERE c.recorded_at < ? AND NOT EXISTS ("
        " SELECT 1 FROM handover_notes h WHERE h.newcomer_id = c.newcomer_id"
        " AND h.to_organisation = c.organisation_id AND h.reason = c.purpose"
        " AND h.created_at >= c.recorded_at AND NOT EXISTS ("
        "  SELECT 1 FROM handover_consents later WHERE later.newcomer_id = c.newcomer_id"
        "  AND later.organisation_id = c.organisation_id AND later.purpose = c.purpose"
        "  AND later.recorded_at > c.recorded_at AND later.recorded_at <= h.created_at))",
        (cutoff,),
    )
    return {"notes": notes, "consents": consents, "messages": messages}


async def _delivery_records(db: aiosqlite.Connection, cutoff: str, *_: object) -> dict[str, int]:
    # Announcements whose session (or, without one, whose sending) ended before the cutoff.
    await _subjects(
        db,
        "SELECT id, 'announcement:' || id FROM announcements WHERE status IN ('done', 'cancelled')"
        " AND max(coalesce(finished_at, send_at), coalesce(starts_at, '')) < ?",
        (cutoff,),
        (),
    )
    await _messages(db)
    await db.execute(
        "INSERT INTO temp.purge_messages (id) SELECT outbox_id FROM announcement_deliveries"
        " WHERE outbox_id IS NOT NULL AND announcement_id IN (SELECT id FROM temp.purge_subjects)"
    )
    # The coordinators' figures keep counting what the deliveries said (bot/figures.py).
    await db.execute(
        "UPDATE announcements SET"
        " kept_recipients = (SELECT count(*) FROM announcement_deliveries d"
        "   WHERE d.announcement_id = announcements.id),"
        " kept_reached = (SELECT count(*) FROM announcement_deliveries d"
        "   JOIN outbox x ON x.id = d.outbox_id"
        "   WHERE d.announcement_id = announcements.id AND x.status = 'sent'),"
        " kept_coming = (SELECT count(*) FROM announcement_deliveries d"
        "   WHERE d.announcement_id = announcements.id AND d.rsvp = 'coming'),"
        " kept_not_coming = (SELECT count(*) FROM announcement_deliveries d"
        "   WHERE d.announcement_id = announcements.id AND d.rsvp = 'not_coming')"
        " WHERE id IN (SELECT id FROM temp.purge_subjects) AND kept_recipients IS NULL"
    )
    deliveries = await _count(
        db,
        "DELETE FROM announcement_deliveries"
        " WHERE announcement_id IN (SELECT id FROM temp.purge_subjects)",
    )
    settled = f"status NOT IN {UNSETTLED} AND id IN (SELECT id FROM temp.purge_messages)"
    await sms.keep_counts(db, settled)  # the figures keep counting the SMS (bot/figures/sms.py)
    messages = await _count(db, f"DELETE FROM outbox WHERE {settled}")
    # Every other settled message nothing happened to since the cutoff, except what is
    # still needed: the card of an open note, what a waiting edit changes, an unfinished
    # announcement's messages, and a delivery's row (it goes with its announcement).
    await db.execute("DELETE FROM temp.purge_messages")
    await db.execute(
        "INSERT INTO temp.purge_messages (id) SELECT id FROM outbox"
        " WHERE status IN ('sent', 'failed', 'skipped') AND updated_at < ?"
        " AND coalesce(ref, '') NOT IN ("
        "  SELECT 'note:' || reference FROM handover_notes"
        "  WHERE status = 'posted' AND reference IS NOT NULL"
        "  UNION ALL SELECT 'announcement:' || id FROM announcements"
        "  WHERE status NOT IN ('done', 'cancelled'))"
        " AND idempotency_key NOT IN ("
        "  SELECT json_extract(payload, '$.edits') FROM outbox"
        f"  WHERE status IN {UNSETTLED} AND json_extract(payload, '$.edits') IS NOT NULL)"
        " AND id NOT IN"
        " (SELECT outbox_id FROM announcement_deliveries WHERE outbox_id IS NOT NULL)",
        (cutoff,),
    )
    # A queued reminder keeps its row (it is never queued again) and what Telegram said
    # and by which channel (the coordinators' figures count both); only its link goes.
    await db.execute(
        "UPDATE reminders SET outbox_id = NULL,"
        " delivery = (SELECT status FROM outbox WHERE outbox.id = reminders.outbox_id),"
        " delivery_channel = (SELECT channel FROM outbox WHERE outbox.id = reminders.outbox_id)"
        " WHERE outbox_id IN (SELECT id FROM temp.purge_messages)"
    )
    await sms.keep_counts(db, "id IN (SELECT id FROM temp.purge_messages)")
    messages += await _count(
        db, "DELETE FROM outbox WHERE id IN (SELECT id FROM temp.purge_messages)"
    )
    return {"messages": messages, "deliveries": deliveries}


async def _audit_log(db: aiosqlite.Connection, cutoff: str, *_: object) -> dict[str, int]:
    # Open the door for entries older than the cutoff only, and close it again (0008).
    await db.execute("UPDATE audit_retention SET before = ? WHERE id = 1", (cutoff,))
    entries = await _count(db, "DELETE FROM audit_log WHERE at < ?", (cutoff,))
    await db.execute("UPDATE audit_retention SET before = '' WHERE id = 1")
    return {"entries": entries}


async def _drafts(
    db: aiosqlite.Connection, cutoff: str, clock: Clock, *_: object
) -> dict[str, int]:
    # A form nobody touched since the cutoff was given up; its answers may name people.
    drafts = await _count(db, "DELETE FROM drafts WHERE updated_at < ?", (cutoff,))
    # A newcomer's consent question past its own time (handover.consent_wait_days), with
    # the note put aside to wait for it: the consent itself, once given and used, is kept
    # with its note (handover_consents).
    questions = await _count(
        db, "DELETE FROM handover_consent_requests WHERE expires_at < ?", (to_db(clock()),)
    )
    # A newcomer's wish for a new appointment that nobody acted on (a new appointment
    # removes it) nor they changed since the cutoff: it may hold what they typed.
    wishes = await _count(db, "DELETE FROM appointment_wishes WHERE updated_at < ?", (cutoff,))
    return {"drafts": drafts, "consent_questions": questions, "wishes": wishes}


# A newcomer who never joined: invited, but never agreed (never opened the link, or said
# "not now"), and not forgotten yet.
NEVER_JOINED = "status = 'invited' AND consent_at IS NULL AND forgotten_at IS NULL"


async def _invites(db: aiosqlite.Connection, cutoff: str, *_: object) -> dict[str, int]:
    # A link is dead once it expired (used or stopped links too: they expired since); it
    # holds only a hash, but says who invited whom. The newest link of a newcomer who never
    # joined stays: the never-joined rule counts from its expiry, and erases it then.
    newcomer_invites = await _count(
        db,
        "DELETE FROM newcomer_invites WHERE expires_at < ? AND NOT ("
        f" newcomer_id IN (SELECT id FROM newcomers WHERE {NEVER_JOINED})"
        " AND expires_at = (SELECT max(expires_at) FROM newcomer_invites newest"
        "  WHERE newest.newcomer_id = newcomer_invites.newcomer_id))",
        (cutoff,),
    )
    staff_invites = await _count(db, "DELETE FROM staff_invites WHERE expires_at < ?", (cutoff,))
    return {"newcomer_invites": newcomer_invites, "staff_invites": staff_invites}


async def _never_joined(
    db: aiosqlite.Connection, cutoff: str, clock: Clock, actor: str
) -> dict[str, int]:
    """Newcomers whose last link ran out before the cutoff without them ever joining are
    erased as "forget me" erases: the row stays with its reference, language and dates,
    so the figures still count them as invited. Someone with an appointment since the
    cutoff is still being helped (by phone, in person) and stays."""
    async with db.execute(
        f"SELECT * FROM newcomers n WHERE {NEVER_JOINED}"
        " AND coalesce((SELECT max(expires_at) FROM newcomer_invites i"
        "  WHERE i.newcomer_id = n.id), n.created_at) < ?"
        " AND NOT EXISTS (SELECT 1 FROM appointments a"
        "  WHERE a.newcomer_id = n.id AND a.starts_at >= ?)",
        (cutoff, cutoff),
    ) as cursor:
        newcomers = [Newcomer.from_row(row) for row in await cursor.fetchall()]
    await data_rights.erase_many(db, clock, newcomers)
    for newcomer in newcomers:
        await audit.record(
            db, clock, actor, "newcomer.forget", f"newcomer:{newcomer.reference}",
            "never joined (retention)",
        )  # fmt: skip
    return {"names": len(newcomers)}


RULES: dict[Kind, Rule] = {
    Kind.APPOINTMENTS: _appointments,
    Kind.HANDOVER_NOTES: _handover_notes,
    Kind.DELIVERY_RECORDS: _delivery_records,
    Kind.DRAFTS: _drafts,
    Kind.INVITES: _invites,
    Kind.NEVER_JOINED: _never_joined,
    Kind.AUDIT_LOG: _audit_log,
}
