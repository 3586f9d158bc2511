"""Newcomers (clients): invited by a caseworker, linked by their own tap, consent first."""

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
from bot.people.invites import CLIENT_PREFIX, new_token, token_hash, use_invite
from bot.people.staff import Role, StaffMember
from bot.sending.outbox import Outgoing
from bot.sending.services import Services
from bot.storage.database import Store
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


class ClientStatus(enum.StrEnum):
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
class Client:
    id: int
    reference: str
    first_name: str
    language: str
    status: ClientStatus
    chat_id: int | None
    consent: bool
    dutch_level: str | None = None
    telegram_user_id: int | None = None
    consent_at: str | None = None  # database time text; None without consent

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> Client:
        return cls(
            id=row["id"],
            reference=row["reference"],
            first_name=row["first_name"],
            language=row["language"],
            status=ClientStatus(row["status"]),
            chat_id=row["chat_id"],
            consent=row["consent_at"] is not None,
            dutch_level=row["dutch_level"],
            telegram_user_id=row["telegram_user_id"],
            consent_at=row["consent_at"],
        )


@dataclass(frozen=True)
class Contact:
    """The single point of contact of a client, as the newcomer will see them."""

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
class ClientInvite:
    client: Client
    token: str
    expires_at: dt.datetime


async def invite_client(
    store: Store,
    clock: Clock,
    *,
    caseworker: StaffMember,
    first_name: str,
    language: str,
    valid_days: int,
    dutch_level: str | None = None,
) -> ClientInvite:
    """Register a newcomer with this caseworker as contact person, and make their link."""
    name = clean_first_name(first_name)
    now = clock()
    token = new_token(CLIENT_PREFIX)
    expires = now + dt.timedelta(days=valid_days)
    async with store.transaction() as db:
        client_id, reference = await _insert_with_fresh_reference(
            db, clock, name, language, dutch_level, caseworker
        )
        await db.execute(
            "INSERT INTO counsellors (client_id, staff_id, name, organisation_id, role,"
            " is_contact) VALUES (?, ?, ?, ?, 'caseworker', 1)",
            (client_id, caseworker.id, caseworker.name, caseworker.organisation_id),
        )
        await _insert_invite(db, token, client_id, caseworker, now, expires)
        await audit.record(
            db, clock, f"staff:{caseworker.id}", "client.invite", f"client:{reference}", language
        )
    client = Client(
        client_id, reference, name, language, ClientStatus.INVITED, None, False, dutch_level
    )
    return ClientInvite(client, token, expires)


async def _insert_invite(
    db: aiosqlite.Connection,
    token: str,
    client_id: int,
    actor: StaffMember,
    now: dt.datetime,
    expires: dt.datetime,
) -> None:
    await db.execute(
        "INSERT INTO client_invites (token_hash, client_id, created_by, created_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?)",
        (token_hash(token), client_id, actor.id, to_db(now), to_db(expires)),
    )


async def _revoke_open_invites(db: aiosqlite.Connection, client_id: int, now: str) -> int:
    async with db.execute(
        "UPDATE client_invites SET revoked_at = ? WHERE client_id = ? AND used_at IS NULL"
        " AND revoked_at IS NULL AND expires_at > ?",
        (now, client_id, now),
    ) as cursor:
        return cursor.rowcount


async def reinvite_client(
    store: Store, clock: Clock, client: Client, *, actor: StaffMember, valid_days: int
) -> ClientInvite:
    """A fresh single-use link (a new phone, a lost link); older open links stop working."""
    now = clock()
    token = new_token(CLIENT_PREFIX)
    expires = now + dt.timedelta(days=valid_days)
    async with store.transaction() as db:
        await _revoke_open_invites(db, client.id, to_db(now))
        await _insert_invite(db, token, client.id, actor, now, expires)
        await audit.record(
            db, clock, f"staff:{actor.id}", "client.reinvite", f"client:{client.reference}"
        )
    return ClientInvite(client, token, expires)


async def revoke_invites(store: Store, clock: Clock, client: Client, *, actor: StaffMember) -> int:
    """Stop every open link of this client; returns how many there were."""
    async with store.transaction() as db:
        count = await _revoke_open_invites(db, client.id, to_db(clock()))
        if count:
            await audit.record(
                db, clock, f"staff:{actor.id}", "client.invite.revoke", f"client:{client.reference}"
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
            "INSERT INTO clients (reference, first_name, language, dutch_level, created_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (reference) DO NOTHING RETURNING id",
            (reference, name, language, dutch_level, caseworker.id, to_db(clock())),
        ) as cursor:
            row = await cursor.fetchone()
        if row is not None:
            return int(row[0]), reference
    raise RuntimeError("no free client reference after 20 tries")


async def link_client(
    store: Store, clock: Clock, *, token: str, telegram_user_id: int, chat_id: int
) -> Client:
    """The newcomer opened their link: tie the client to this Telegram account."""
    now = clock()
    async with store.transaction() as db:
        invite = await use_invite(db, "client_invites", token, now)
        await db.execute(
            "UPDATE clients SET telegram_user_id = ?, chat_id = ? WHERE id = ?",
            (telegram_user_id, chat_id, invite["client_id"]),
        )
        async with db.execute("SELECT * FROM clients WHERE id = ?", (invite["client_id"],)) as c:
            row = await c.fetchone()
        assert row is not None
        await audit.record(
            db, clock, f"client:{row['reference']}", "client.link", f"client:{row['reference']}"
        )
    return Client.from_row(row)


async def find_client_by_user(store: Store, telegram_user_id: int) -> Client | None:
    row = await store.fetch_one(
        "SELECT * FROM clients WHERE telegram_user_id = ?", (telegram_user_id,)
    )
    return None if row is None else Client.from_row(row)


async def find_client_by_chat(store: Store, chat_id: int) -> Client | None:
    row = await store.fetch_one("SELECT * FROM clients WHERE chat_id = ?", (chat_id,))
    return None if row is None else Client.from_row(row)


async def contact_of(store: Store, client_id: int) -> Contact | None:
    row = await store.fetch_one(
        "SELECT c.staff_id, c.name, coalesce(o.short_name, '') AS organisation,"
        " s.telegram_user_id AS chat_id, coalesce(s.language, 'nl') AS language"
        " FROM counsellors c LEFT JOIN organisations o ON o.id = c.organisation_id"
        " LEFT JOIN staff s ON s.id = c.staff_id"
        " WHERE c.client_id = ? AND c.is_contact = 1",
        (client_id,),
    )
    if row is None:
        return None
    return Contact(
        row["staff_id"], row["name"], row["organisation"], row["chat_id"], row["language"]
    )


async def record_consent(store: Store, clock: Clock, client: Client, *, agreed: bool) -> Client:
    """Agree: the client becomes active. Not now: the link is undone and nothing kept
    beyond the refusal itself (in the audit log)."""
    now = clock()
    async with store.transaction() as db:
        if agreed:
            await db.execute(
                "UPDATE clients SET consent_at = ?, status = 'active' WHERE id = ?",
                (to_db(now), client.id),
            )
        else:
            await db.execute(
                "UPDATE clients SET consent_at = NULL, status = 'invited',"
                " telegram_user_id = NULL, chat_id = NULL WHERE id = ?",
                (client.id,),
            )
        action = "client.consent.given" if agreed else "client.consent.refused"
        await audit.record(
            db, clock, f"client:{client.reference}", action, f"client:{client.reference}"
        )
    refreshed = await store.fetch_one("SELECT * FROM clients WHERE id = ?", (client.id,))
    assert refreshed is not None
    return Client.from_row(refreshed)


async def stop_client(store: Store, clock: Clock, client: Client) -> None:
    """The newcomer asked for no more messages: cancel everything still waiting for them."""
    async with store.transaction() as db:
        await db.execute("UPDATE clients SET status = 'stopped' WHERE id = ?", (client.id,))
        await db.execute(
            "UPDATE outbox SET status = 'skipped', reason = 'client stopped', updated_at = ?"
            " WHERE client_id = ? AND status = 'pending'",
            (to_db(clock()), client.id),
        )
        await audit.record(
            db, clock, f"client:{client.reference}", "client.stop", f"client:{client.reference}"
        )


async def mark_unreachable(store: Store, clock: Clock, chat_id: int, reason: str) -> Client | None:
    """Telegram no longer delivers to this chat; returns the client if this is news."""
    client = await find_client_by_chat(store, chat_id)
    if client is None or client.status is ClientStatus.UNREACHABLE:
        return None
    async with store.transaction() as db:
        await db.execute("UPDATE clients SET status = 'unreachable' WHERE id = ?", (client.id,))
        # Telegram would refuse the rest too; say why instead of trying.
        await db.execute(
            "UPDATE outbox SET status = 'skipped', reason = ?, updated_at = ?"
            " WHERE client_id = ? AND status = 'pending'",
            (f"newcomer unreachable ({reason})", to_db(clock()), client.id),
        )
        await audit.record(
            db, clock, "system", "client.unreachable", f"client:{client.reference}", reason
        )
    return client


async def reload(store: Store, client: Client) -> Client:
    fresh = await client_by_id(store, client.id)
    assert fresh is not None
    return fresh


async def client_by_id(store: Store, client_id: int) -> Client | None:
    row = await store.fetch_one("SELECT * FROM clients WHERE id = ?", (client_id,))
    return None if row is None else Client.from_row(row)


async def set_language(
    store: Store, clock: Clock, client: Client, language: str, *, actor: str
) -> Client:
    """The language Schakel writes to this newcomer in (chosen by them or their caseworker)."""
    async with store.transaction() as db:
        await db.execute("UPDATE clients SET language = ? WHERE id = ?", (language, client.id))
        await audit.record(
            db, clock, actor, "client.language", f"client:{client.reference}", language
        )
    return await reload(store, client)


async def resume_client(store: Store, clock: Clock, client: Client) -> Client:
    """A stopped newcomer wants messages again; their earlier consent still holds."""
    async with store.transaction() as db:
        await db.execute("UPDATE clients SET status = 'active' WHERE id = ?", (client.id,))
        await audit.record(
            db, clock, f"client:{client.reference}", "client.resume", f"client:{client.reference}"
        )
    return await reload(store, client)


def sees_every_client(staff: StaffMember) -> bool:
    """Coordinators and admins see all newcomers; a caseworker only those they help."""
    return staff.role in (Role.COORDINATOR, Role.ADMIN)


_VISIBLE = (
    "SELECT * FROM clients c WHERE c.forgotten_at IS NULL"
    " AND (? OR EXISTS (SELECT 1 FROM counsellors k WHERE k.client_id = c.id AND k.staff_id = ?))"
)


async def visible_clients(store: Store, staff: StaffMember) -> list[Client]:
    rows = await store.fetch_all(
        f"{_VISIBLE} ORDER BY c.first_name COLLATE NOCASE, c.reference",
        (sees_every_client(staff), staff.id),
    )
    return [Client.from_row(row) for row in rows]


async def client_for_staff(store: Store, staff: StaffMember, reference: str) -> Client | None:
    """The newcomer with this reference, if this staff member may see them; else None
    (the same answer as for a reference that does not exist, so nothing leaks)."""
    row = await store.fetch_one(
        f"{_VISIBLE} AND c.reference = ?",
        (sees_every_client(staff), staff.id, reference.strip().upper()),
    )
    return None if row is None else Client.from_row(row)


async def client_by_id_for_staff(store: Store, staff: StaffMember, client_id: int) -> Client | None:
    """The same check as client_for_staff, for a client known by id (an appointment's)."""
    reference = await store.fetch_value("SELECT reference FROM clients WHERE id = ?", (client_id,))
    if reference is None:
        return None
    return await client_for_staff(store, staff, str(reference))


async def report_unreachable(services: Services, chat_id: int, reason: str) -> None:
    """Telegram stopped delivering to a newcomer: tell their contact person, once."""
    client = await mark_unreachable(services.store, services.clock, chat_id, reason)
    if client is None:
        return
    contact = await contact_of(services.store, client.id)
    if contact is None or contact.chat_id is None:
        logger.warning("client %s unreachable and has no contact on Schakel", client.reference)
        return
    await services.send(
        Outgoing(
            chat_id=contact.chat_id,
            text=render(
                contact.language,
                texts.CASEWORKER_CLIENT_UNREACHABLE,
                name=client.first_name,
                reference=client.reference,
            ),
            purpose="notice",
            idempotency_key=f"unreachable:{client.id}:{to_db(services.clock())}",
            ref=f"client:{client.reference}",
        ),
        now=False,
    )
