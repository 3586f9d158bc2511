"""Single-use invite tokens: unguessable, stored only as a hash, expiring, revocable."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets

import aiosqlite

from bot.core.clock import from_db, to_db
from bot.core.refusals import Refused

# 16 random bytes = 128 bits; token_urlsafe keeps it inside Telegram's /start alphabet.
TOKEN_BYTES = 16
NEWCOMER_PREFIX = "c_"
STAFF_PREFIX = "s_"


class InviteProblem(enum.Enum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


class InviteRefused(Refused[InviteProblem]):
    pass


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


def invite_problem(invite: aiosqlite.Row | None, now: dt.datetime) -> InviteProblem | None:
    """Why an invite row (staff or newcomer) cannot be used, or None when it can."""
    if invite is None:
        return InviteProblem.UNKNOWN
    if invite["revoked_at"]:
        return InviteProblem.REVOKED
    if invite["used_at"]:
        return InviteProblem.USED
    if from_db(invite["expires_at"]) <= now:
        return InviteProblem.EXPIRED
    return None


INVITE_TABLES = frozenset({"newcomer_invites", "staff_invites"})


async def use_invite(
    db: aiosqlite.Connection, table: str, token: str, now: dt.datetime
) -> aiosqlite.Row:
    """Inside the caller's transaction: the valid invite, now marked used; else InviteRefused."""
    if table not in INVITE_TABLES:
        raise ValueError(f"not an invite table: {table}")
    async with db.execute(
        f"SELECT * FROM {table} WHERE token_hash = ?", (token_hash(token),)
    ) as cursor:
        invite = await cursor.fetchone()
    problem = invite_problem(invite, now)
    if problem is not None:
        raise InviteRefused(problem)
    assert invite is not None
    await db.execute(
        f"UPDATE {table} SET used_at = ? WHERE token_hash = ?", (to_db(now), token_hash(token))
    )
    return invite
