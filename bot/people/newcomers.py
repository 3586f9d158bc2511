"""Newcomers (newcomers): invited by a caseworker, linked by their own tap, consent first."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import re
import secrets
from dataclasses import dataclass

import aiosqlite

from bot.core import audit
from bot.core.clock import Clock, to_db
from bot.people.invites import NEWCOMER_PREFIX, new_token, token_hash, use_invite
from bot.people.staff import Role, StaffMember
from bot.sending import outbox
from bot.sending.outbox import Outgoing
from bot.sending.services import Services
from bot.storage.database import Store
from bot.storage.rows import record
from messages import render, texts

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: a reference is read aloud on the phone and copied by hand.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 4
FIRST_NAME_MAX = 30
# The Common European Framework levels, as the partners write them down after intake.
DUTCH_LEVELS = ("A0", "A1", "A2", "B1", "B2", "C1", "C2")
# Letters (any script), spaces, hyphens and apostrophes: a first name or nickname, no numbers.
_FIRST_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-’][^\W\d_]+)*$")


class NewcomerStatus(enum.StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    STOPPED = "stopped"
    UNREACHABLE = "unreachable"


class BadFirstName(ValueError):
    pass


def parse_level(text: str) -> str | None:
    """'a1', 'A1.2' or 'B1' -> 'A1' / 'B1'; None when it is no level."""
    level = text.strip().upper()[:2]
    return level if level in DUTCH_LEVELS else None


@dataclass(frozen=True)
class Newcomer:
    id: int
    reference: str
    first_name: str
    language: str
    status: NewcomerStatus
    chat_id: int | None
    consent: bool
    dutch_level: str | None = None
    telegram_user_id: int | None = None
    consent_at: str | None = None  # database time text; None without consent
    # A mobile number for SMS, kept with consent only (bot/people/by_sms.py), and where
    # the SMS opt-in stands: asked, agreed, stopped, unreachable; None without a number.
    sms_number: str | None = None
    sms_state: str | None = None

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> Newcomer:
        return record(cls, row, status=NewcomerStatus, consent=row["consent_at"] is not None)


@dataclass(frozen=True)
class Contact:
    """The single point of contact of a newcomer, as the newcomer will see them."""

    staff_id: int | None
    name: str
    organisation: str
    chat_id: int | None  # the staff member's Telegram id, for notices; None if not on Schakel
    language: str


def clean_first_name(text: str) -> str:
    name = " ".join(text.split())
    if not (0 < len(name) <= FIRST_NAME_MAX and _FIRST_NAME.match(name)):
        raise BadFirstName(text)
    return name


def new_reference() -> str:
    return "K-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


@dataclass(frozen=True)
class NewcomerInvite:
    newcomer: Newcomer
    token: str
    expires_at: dt.datetime


async def invite_newcomer(
    store: Store,
    clock: Clock,
    *,
    caseworker: StaffMember,
    first_name: str,
    language: str,
    valid_days: int,
    dutch_level: str | None = None,
) -> NewcomerInvite:
    """Register a newcomer with this caseworker as contact person, and make their link."""
    name = clean_first_name(first_name)
    now = clock()
    token = new_token(NEWCOMER_PREFIX)
    expires = now + dt.timedelta(days=valid_days)
    async with store.transaction() as db:
        newcomer_id, reference = await _insert_with_fresh_reference(
            db, clock, name, language, dutch_level, caseworker
        )
        await db.execute(
            "INSERT INTO counsellors (newcomer_id, staff_id, name, organisation_id, role,"
            " is_contact) VALUES (?, ?, ?, ?, 'caseworker', 1)",
            (newcomer_id, caseworker.id, caseworker.name, caseworker.organisation_id),
        )
        await _insert_invite(db, token, newcomer_id, caseworker, now, expires)
        await audit.record(
            db,
            clock,
            f"staff:{caseworker.id}",
            "newcomer.invite",
            f"newcomer:{reference}",
            language,
        )
    newcomer = Newcomer(
        newcomer_id, reference, name, language, NewcomerStatus.INVITED, None, False, dutch_level
    )
    return NewcomerInvite(newcomer, token, expires)


async def _insert_invite(
    db: aiosqlite.Connection,
    token: str,
    newcomer_id: int,
    actor: StaffMember,
    now: dt.datetime,
    expires: dt.datetime,
) -> None:
    await db.execute(
        "INSERT INTO newcomer_invites (token_hash, newcomer_id, created_by, created_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?)",
        (token_hash(token), newcomer_id, actor.id, to_db(now), to_db(expires)),
    )


async def _revoke_open_invites(db: aiosqlite.Connection, newcomer_id: int, now: str) -> int:
    async with db.execute(
        "UPDATE newcomer_invites SET revoked_at = ? WHERE newcomer_id = ? AND used_at IS NULL"
        " AND revoked_at IS NULL AND expires_at > ?",
        (now, newcomer_id, now),
    ) as cursor:
        return cursor.rowcount


async def reinvite_newcomer(
    store: Store, clock: Clock, newcomer: Newcomer, *, actor: StaffMember, valid_days: int
) -> NewcomerInvite:
    """A fresh single-use link (a new phone, a lost link); older open links stop working."""
    now = clock()
    token = new_token(NEWCOMER_PREFIX)
    expires = now + dt.timedelta(days=valid_days)
    async with store.transaction() as db:
        await _revoke_open_invites(db, newcomer.id, to_db(now))
        await _insert_invite(db, token, newcomer.id, actor, now, expires)
        await audit.record(
            db, clock, f"staff:{actor.id}", "newcomer.reinvite", f"newcomer:{newcomer.reference}"
        )
    return NewcomerInvite(newcomer, token, expires)


async def revoke_invites(
    store: Store, clock: Clock, newcomer: Newcomer, *, actor: StaffMember
) -> int:
    """Stop every open link of this newcomer; returns how many there were."""
    async with store.transaction() as db:
        count = await _revoke_open_invites(db, newcomer.id, to_db(clock()))
        if count:
            await audit.record(
                db,
                clock,
                f"staff:{actor.id}",
                "newcomer.invite.revoke",
                f"newcomer:{newcomer.reference}",
            )
    return count


async def _insert_with_fresh_reference(
    db: aiosqlite.Connection,
    clock: Clock,
    name: str,
    language: str,
    dutch_level: str | None,
    caseworker: StaffMember,
) -> tuple[int, str]:
    # 31**4 is about 920,000 references; retry on the rare collision.
    for _ in range(20):
        reference = new_reference()
        async with db.execute(
            "INSERT INTO newcomers (reference, first_name, language, dutch_level, created_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (reference) DO NOTHING RETURNING id",
            (reference, name, language, dutch_level, caseworker.id, to_db(clock())),
        ) as cursor:
            row = await cursor.fetchone()
        if row is not None:
            return int(row[0]), reference
    raise RuntimeError("no free newcomer reference after 20 tries")


async def link_newcomer(
    store: Store, clock: Clock, *, token: str, telegram_user_id: int, chat_id: int
) -> Newcomer:
    """The newcomer opened their link: tie the newcomer to this Telegram account."""
    async with store.transaction() as db:
        invite = await use_invite(db, "newcomer_invites", token, clock())
        async with db.execute(
            "UPDATE newcomers SET telegram_user_id = ?, chat_id = ? WHERE id = ? RETURNING *",
            (telegram_user_id, chat_id, invite["newcomer_id"]),
        ) as c:
            row = await c.fetchone()
        assert row is not None
        await audit.record(
            db,
            clock,
            f"newcomer:{row['reference']}",
            "newcomer.link",
            f"newcomer:{row['reference']}",
        )
    return Newcomer.from_row(row)


async def find_newcomer_by_user(store: Store, telegram_user_id: int) -> Newcomer | None:
    row = await store.fetch_one(
        "SELECT * FROM newcomers WHERE telegram_user_id = ?", (telegram_user_id,)
    )
    return None if row is None else Newcomer.from_row(row)


async def find_newcomer_by_chat(store: Store, chat_id: int) -> Newcomer | None:
    row = await store.fetch_one("SELECT * FROM newcomers WHERE chat_id = ?", (chat_id,))
    return None if row is None else Newcomer.from_row(row)


async def contact_of(store: Store, newcomer_id: int) -> Contact | None:
    row = await store.fetch_one(
        "SELECT c.staff_id, c.name, coalesce(o.short_name, '') AS organisation,"
        " s.telegram_user_id AS chat_id, coalesce(s.language, 'nl') AS language"
        " FROM counsellors c LEFT JOIN organisations o ON o.id = c.organisation_id"
        " LEFT JOIN staff s ON s.id = c.staff_id"
        " WHERE c.newcomer_id = ? AND c.is_contact = 1",
        (newcomer_id,),
    )
    if row is None:
        return None
    return Contact(
        row["staff_id"], row["name"], row["organisation"], row["chat_id"], row["language"]
    )


async def record_consent(
    store: Store, clock: Clock, newcomer: Newcomer, *, agreed: bool
) -> Newcomer:
    """Agree: the newcomer becomes active. Not now: the link is undone and nothing kept
    beyond the refusal itself (in the audit log)."""
    now = clock()
    async with store.transaction() as db:
        if agreed:
            await db.execute(
                "UPDATE newcomers SET consent_at = ?, status = 'active' WHERE id = ?",
                (to_db(now), newcomer.id),
            )
        else:
            await db.execute(
                "UPDATE newcomers SET consent_at = NULL, status = 'invited',"
                " telegram_user_id = NULL, chat_id = NULL WHERE id = ?",
                (newcomer.id,),
            )
        action = "newcomer.consent.given" if agreed else "newcomer.consent.refused"
        await audit.record(
            db, clock, f"newcomer:{newcomer.reference}", action, f"newcomer:{newcomer.reference}"
        )
    refreshed = await store.fetch_one("SELECT * FROM newcomers WHERE id = ?", (newcomer.id,))
    assert refreshed is not None
    return Newcomer.from_row(refreshed)


async def stop_newcomer(store: Store, clock: Clock, newcomer: Newcomer) -> None:
    """The newcomer asked for no more messages: cancel everything still waiting for them."""
    async with store.transaction() as db:
        await db.execute("UPDATE newcomers SET status = 'stopped' WHERE id = ?", (newcomer.id,))
        await outbox.withdraw(
            db, to_db(clock()), "newcomer stopped", "newcomer_id = ?", (newcomer.id,)
        )
        await audit.record(
            db,
            clock,
            f"newcomer:{newcomer.reference}",
            "newcomer.stop",
            f"newcomer:{newcomer.reference}",
        )


async def mark_unreachable(
    store: Store, clock: Clock, chat_id: int, reason: str
) -> Newcomer | None:
    """Telegram no longer delivers to this chat; returns the newcomer if this is news."""
    newcomer = await find_newcomer_by_chat(store, chat_id)
    if newcomer is None or newcomer.status is NewcomerStatus.UNREACHABLE:
        return None
    async with store.transaction() as db:
        await db.execute("UPDATE newcomers SET status = 'unreachable' WHERE id = ?", (newcomer.id,))
        # Telegram would refuse the rest too; say why instead of trying.
        await outbox.withdraw(
            db, to_db(clock()), f"newcomer unreachable ({reason})",
            "newcomer_id = ? AND channel = 'telegram'", (newcomer.id,),
        )  # fmt: skip
        await audit.record(
            db, clock, "system", "newcomer.unreachable", f"newcomer:{newcomer.reference}", reason
        )
    return newcomer


async def reload(store: Store, newcomer: Newcomer) -> Newcomer:
    fresh = await newcomer_by_id(store, newcomer.id)
    assert fresh is not None
    return fresh


async def newcomer_by_id(store: Store, newcomer_id: int) -> Newcomer | None:
    row = await store.fetch_one("SELECT * FROM newcomers WHERE id = ?", (newcomer_id,))
    return None if row is None else Newcomer.from_row(row)


async def set_language(
    store: Store, clock: Clock, newcomer: Newcomer, language: str, *, actor: str
) -> Newcomer:
    """The language Schakel writes to this newcomer in (chosen by them or their caseworker)."""
    async with store.transaction() as db:
        await db.execute("UPDATE newcomers SET language = ? WHERE id = ?", (language, newcomer.id))
        await audit.record(
            db, clock, actor, "newcomer.language", f"newcomer:{newcomer.reference}", language
        )
    return await reload(store, newcomer)


async def resume_newcomer(store: Store, clock: Clock, newcomer: Newcomer) -> Newcomer:
    """A stopped newcomer wants messages again; their earlier consent still holds."""
    async with store.transaction() as db:
        await db.execute("UPDATE newcomers SET status = 'active' WHERE id = ?", (newcomer.id,))
        await audit.record(
            db,
            clock,
            f"newcomer:{newcomer.reference}",
            "newcomer.resume",
            f"newcomer:{newcomer.reference}",
        )
    return await reload(store, newcomer)


def sees_every_newcomer(staff: StaffMember) -> bool:
    """Coordinators and admins see all newcomers; a caseworker only those they help."""
    return staff.role in (Role.COORDINATOR, Role.ADMIN)


_VISIBLE = (
    "SELECT * FROM newcomers c WHERE c.forgotten_at IS NULL"
    " AND (? OR EXISTS (SELECT 1 FROM counsellors k WHERE k.newcomer_id = c.id AND k.staff_id = ?))"
)


async def visible_newcomers(store: Store, staff: StaffMember) -> list[Newcomer]:
    rows = await store.fetch_all(
        f"{_VISIBLE} ORDER BY c.first_name COLLATE NOCASE, c.reference",
        (sees_every_newcomer(staff), staff.id),
    )
    return [Newcomer.from_row(row) for row in rows]


async def newcomer_for_staff(store: Store, staff: StaffMember, reference: str) -> Newcomer | None:
    """The newcomer with this reference, if this staff member may see them; else None
    (the same answer as for a reference that does not exist, so nothing leaks)."""
    row = await store.fetch_one(
        f"{_VISIBLE} AND c.reference = ?",
        (sees_every_newcomer(staff), staff.id, reference.strip().upper()),
    )
    return None if row is None else Newcomer.from_row(row)


async def newcomer_by_id_for_staff(
    store: Store, staff: StaffMember, newcomer_id: int
) -> Newcomer | None:
    """The same check as newcomer_for_staff, for a newcomer known by id (an appointment's)."""
    reference = await store.fetch_value(
        "SELECT reference FROM newcomers WHERE id = ?", (newcomer_id,)
    )
    if reference is None:
        return None
    return await newcomer_for_staff(store, staff, str(reference))


async def report_unreachable(services: Services, chat_id: int, reason: str) -> None:
    """Telegram stopped delivering to a newcomer: tell their contact person, once."""
    newcomer = await mark_unreachable(services.store, services.clock, chat_id, reason)
    if newcomer is None:
        return
    # With their own JA to SMS, messages now go there (bot/people/by_sms.py): say so.
    by_sms = newcomer.sms_state == "agreed"
    template = texts.STAFF_SMS_FALLBACK if by_sms else texts.CASEWORKER_NEWCOMER_UNREACHABLE
    if not await _tell_contact(services, newcomer, template, "unreachable"):
        logger.warning("newcomer %s unreachable and has no contact on Schakel", newcomer.reference)


async def _tell_contact(services: Services, newcomer: Newcomer, template: str, event: str) -> bool:
    """A notice about this newcomer to their contact person; False when that person is not
    on Schakel (nobody was told)."""
    key = f"{event}:{newcomer.id}:{to_db(services.clock())}"
    return await notify_contact(services, newcomer, template, key=key, now=False)


async def notify_contact(
    services: Services,
    newcomer: Newcomer,
    template: str,
    *,
    key: str,
    now: bool = True,
    edits: str | None = None,
    **values: object,
) -> bool:
    """`template` about this newcomer to their contact person, in that person's language,
    under the idempotency `key`; False when that person is not on Schakel."""
    contact = await contact_of(services.store, newcomer.id)
    if contact is None or contact.chat_id is None:
        return False
    await services.send(
        Outgoing(
            chat_id=contact.chat_id,
            text=render(
                contact.language, template, name=newcomer.first_name,
                reference=newcomer.reference, **values,
            ),
            purpose="notice",
            idempotency_key=key,
            ref=f"newcomer:{newcomer.reference}",
            edits=edits,
        ),
        now=now,
    )  # fmt: skip
    return True


async def mark_reachable(services: Services, newcomer: Newcomer) -> Newcomer:
    """A newcomer Telegram did not deliver to wrote again (they unblocked Schakel): they
    are active again and their contact person is told. (Their reminders resume in
    bot/appointments/reminders.py, which calls this.)"""
    async with services.store.transaction() as db:
        await db.execute(
            "UPDATE newcomers SET status = 'active' WHERE id = ? AND status = 'unreachable'",
            (newcomer.id,),
        )
        await audit.record(
            db, services.clock, f"newcomer:{newcomer.reference}", "newcomer.reachable",
            f"newcomer:{newcomer.reference}",
        )  # fmt: skip
    await _tell_contact(services, newcomer, texts.CASEWORKER_NEWCOMER_REACHABLE, "reachable")
    return await reload(services.store, newcomer)
