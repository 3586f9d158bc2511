"""Staff: caseworkers, coordinators and admins, and how they join."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import aiosqlite

from bot.core import audit
from bot.core.clock import Clock, to_db
from bot.core.redaction import keep
from bot.people.invites import STAFF_PREFIX, new_token, token_hash, use_invite
from bot.people.organisations import Organisation
from bot.storage.database import Store


class Role(enum.StrEnum):
    CASEWORKER = "caseworker"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


# What an admin may type after /uitnodigen: the Dutch word first (shown in help texts).
ROLE_WORDS: dict[str, Role] = {
    "begeleider": Role.CASEWORKER,
    "caseworker": Role.CASEWORKER,
    "coordinator": Role.COORDINATOR,
    "coördinator": Role.COORDINATOR,
    "beheerder": Role.ADMIN,
    "admin": Role.ADMIN,
}
ROLE_KEYWORDS = ("begeleider", "coordinator", "beheerder")


def parse_role(text: str) -> Role | None:
    return ROLE_WORDS.get(text.strip().casefold())


@dataclass(frozen=True)
class StaffMember:
    id: int
    telegram_user_id: int
    name: str
    role: Role
    organisation_id: int | None
    organisation: str  # short name, '' when none
    language: str
    active: bool = True  # False once an admin ended their access (bot/people/leave.py)
    deactivated_at: str | None = None  # database time text, while not active


_SELECT = (
    "SELECT s.id, s.telegram_user_id, s.name, s.role, s.organisation_id, s.language,"
    " s.active, s.deactivated_at, coalesce(o.short_name, '') AS organisation"
    " FROM staff s LEFT JOIN organisations o ON o.id = s.organisation_id"
)


async def find_staff(store: Store, telegram_user_id: int) -> StaffMember | None:
    row = await store.fetch_one(
        f"{_SELECT} WHERE s.telegram_user_id = ? AND s.active = 1", (telegram_user_id,)
    )
    return None if row is None else _member(row)


async def find_former_staff(store: Store, telegram_user_id: int) -> StaffMember | None:
    """A staff member whose access an admin ended (they are told so, not taken for a stranger)."""
    row = await store.fetch_one(
        f"{_SELECT} WHERE s.telegram_user_id = ? AND s.active = 0", (telegram_user_id,)
    )
    return None if row is None else _member(row)


def _member(row: aiosqlite.Row) -> StaffMember:
    return StaffMember(
        id=row["id"],
        telegram_user_id=row["telegram_user_id"],
        name=row["name"],
        role=Role(row["role"]),
        organisation_id=row["organisation_id"],
        organisation=row["organisation"],
        language=row["language"],
        active=bool(row["active"]),
        deactivated_at=row["deactivated_at"],
    )


async def add_staff(
    store: Store,
    clock: Clock,
    *,
    telegram_user_id: int,
    name: str,
    role: Role,
    organisation: Organisation | None,
    actor: str,
) -> int:
    """Create a staff member (the CLI's `admin add`, or a redeemed invite)."""
    async with store.transaction() as db:
        async with db.execute(
            "INSERT INTO staff (telegram_user_id, name, role, organisation_id, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (telegram_user_id) DO UPDATE SET"
            " name = excluded.name, role = excluded.role,"
            " organisation_id = excluded.organisation_id, active = 1, deactivated_at = NULL"
            " RETURNING id",
            (
                telegram_user_id,
                name,
                role.value,
                organisation.id if organisation else None,
                to_db(clock()),
            ),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        staff_id = int(row[0])
        await audit.record(db, clock, actor, "staff.add", f"staff:{staff_id}", role.value)
    return staff_id


@dataclass(frozen=True)
class StaffInvite:
    token: str
    role: Role
    organisation: Organisation
    expires_at: dt.datetime


async def create_staff_invite(
    store: Store,
    clock: Clock,
    *,
    admin: StaffMember,
    role: Role,
    organisation: Organisation,
    valid_days: int,
) -> StaffInvite:
    token = new_token(STAFF_PREFIX)
    now = clock()
    expires = now + dt.timedelta(days=valid_days)
    async with store.transaction() as db:
        await db.execute(
            "INSERT INTO staff_invites (token_hash, role, organisation_id, created_by,"
            " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (token_hash(token), role.value, organisation.id, admin.id, to_db(now), to_db(expires)),
        )
        await audit.record(
            db,
            clock,
            f"staff:{admin.id}",
            "staff_invite.create",
            f"organisation:{organisation.short_name}",
            role.value,
        )
    return StaffInvite(token, role, organisation, expires)


async def redeem_staff_invite(
    store: Store, clock: Clock, *, token: str, telegram_user_id: int, name: str
) -> StaffMember:
    """Turn a valid staff invite into a staff member; raises InviteRefused otherwise."""
    now = clock()
    async with store.transaction() as db:
        invite = await use_invite(db, "staff_invites", token, now)
        async with db.execute(
            "INSERT INTO staff (telegram_user_id, name, role, organisation_id, created_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            (telegram_user_id, name, invite["role"], invite["organisation_id"], to_db(now)),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        staff_id = int(row[0])
        await db.execute(
            "UPDATE staff_invites SET used_by = ? WHERE token_hash = ?",
            (staff_id, token_hash(token)),
        )
        await audit.record(
            db,
            clock,
            f"staff:{staff_id}",
            "staff_invite.redeem",
            f"staff:{staff_id}",
            invite["role"],
        )
    member = await find_staff(store, telegram_user_id)
    assert member is not None
    return member


HOURS_MAX = 80


@dataclass(frozen=True)
class Profile:
    """What newcomers see of a staff member on their contact card."""

    phone: str  # E.164, '' when not given
    hours: str
    languages: tuple[str, ...]


async def profile_of(store: Store, staff_id: int) -> Profile:
    row = await store.fetch_one(
        "SELECT phone, hours, languages FROM staff WHERE id = ?", (staff_id,)
    )
    assert row is not None
    return Profile(row["phone"], row["hours"], tuple(row["languages"].split()))


async def update_profile(
    store: Store,
    clock: Clock,
    staff: StaffMember,
    *,
    phone: str | None = None,
    hours: str | None = None,
    languages: tuple[str, ...] | None = None,
) -> Profile:
    """Change one or more details; the phone must already be normalised (bot.core.phones)."""
    changes: dict[str, str] = {}
    if phone is not None:
        changes["phone"] = phone
    if hours is not None:
        # Free text on every card: what must not be kept goes (bot/core/redaction.py).
        changes["hours"] = keep(" ".join(hours.split())[:HOURS_MAX])
    if languages is not None:
        changes["languages"] = " ".join(languages)
    async with store.transaction() as db:
        for column, value in changes.items():  # column names come from the keys above
            await db.execute(f"UPDATE staff SET {column} = ? WHERE id = ?", (value, staff.id))
        await audit.record(
            db, clock, f"staff:{staff.id}", "staff.profile", f"staff:{staff.id}", ",".join(changes)
        )
    return await profile_of(store, staff.id)


async def caseworkers_of(
    store: Store, organisation_id: int, at_most: int = 12
) -> list[StaffMember]:
    """The active caseworkers of one organisation, by name (someone to hand a case to)."""
    rows = await store.fetch_all(
        f"{_SELECT} WHERE s.organisation_id = ? AND s.role = ? AND s.active = 1"
        " ORDER BY s.name COLLATE NOCASE LIMIT ?",
        (organisation_id, Role.CASEWORKER.value, at_most),
    )
    return [_member(row) for row in rows]


async def all_caseworkers(store: Store, at_most: int = 40) -> list[StaffMember]:
    """Every active caseworker, by organisation and name (to pick whose newcomers)."""
    rows = await store.fetch_all(
        f"{_SELECT} WHERE s.role = ? AND s.active = 1"
        " ORDER BY o.short_name COLLATE NOCASE, s.name COLLATE NOCASE LIMIT ?",
        (Role.CASEWORKER.value, at_most),
    )
    return [_member(row) for row in rows]


async def any_staff_by_id(store: Store, staff_id: int) -> StaffMember | None:
    """Active or not: for the admin who ends or gives back someone's access."""
    row = await store.fetch_one(f"{_SELECT} WHERE s.id = ?", (staff_id,))
    return None if row is None else _member(row)


async def all_staff(store: Store) -> list[StaffMember]:
    """Everyone who is or was staff: active first, then by organisation and name."""
    rows = await store.fetch_all(
        f"{_SELECT} ORDER BY s.active DESC, o.short_name COLLATE NOCASE, s.name COLLATE NOCASE"
    )
    return [_member(row) for row in rows]
