"""Who an announcement reaches: all linked newcomers, or those of one language, one
organisation, one tag or one caseworker; never anyone who stopped messages, has not
agreed, cannot be reached or asked to be forgotten. (Issue 7 builds the announcement on
this; the same query gives the count the coordinator sees before sending.)"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import aiosqlite
from pydantic import BaseModel, ConfigDict

from bot.core import audit
from bot.core.clock import Clock, to_db
from bot.core.redaction import find_sensitive
from bot.people.newcomers import Newcomer
from bot.sending.outbox import SMS_CHAT
from bot.storage.database import Store

TAG_MAX = 40
_TAG = re.compile(r"^[^\W_][\w \-]*$")


class AudienceKind(enum.StrEnum):
    ALL = "all"
    LANGUAGE = "language"  # value: a language code
    ORGANISATION = "organisation"  # value: an organisation id that helps the newcomer
    TAG = "tag"  # value: a tag
    CASEWORKER = "caseworker"  # value: a staff id that helps the newcomer


class Audience(BaseModel):
    """Stored as JSON in announcements.audience."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: AudienceKind = AudienceKind.ALL
    value: str = ""


@dataclass(frozen=True)
class Recipient:
    newcomer_id: int
    chat_id: int
    language: str
    first_name: str = ""
    reference: str = ""
    sms_number: str | None = None  # set when it goes to them by SMS (bot/people/by_sms.py)

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> Recipient:
        """A row of REACHABLE_COLUMNS."""
        return cls(
            row["id"], row["chat_id"] or SMS_CHAT, row["language"], row["first_name"],
            row["reference"], row["by_sms"],
        )  # fmt: skip


# Reachable and willing: linked on Telegram, or by SMS with their own JA while Telegram
# does not reach them (bot/people/by_sms.goes_by_sms, in SQL); agreed, not stopped, not
# forgotten.
BY_SMS = (
    "c.sms_state = 'agreed' AND c.status IN ('active', 'unreachable')"
    " AND (c.chat_id IS NULL OR c.status = 'unreachable')"
)
REACHABLE_COLUMNS = (
    "c.id, c.chat_id, c.language, c.first_name, c.reference,"
    f" CASE WHEN {BY_SMS} THEN c.sms_number END AS by_sms"
)
REACHABLE_NOW = (
    "c.consent_at IS NOT NULL AND c.forgotten_at IS NULL"
    f" AND ((c.status = 'active' AND c.chat_id IS NOT NULL) OR ({BY_SMS}))"
)
_REACHABLE = f"SELECT {REACHABLE_COLUMNS} FROM newcomers c WHERE {REACHABLE_NOW}"
# The same test as a number to add up (reach counts instead of listing).
_WILLING = f"({REACHABLE_NOW})"
_FILTERS = {
    AudienceKind.ALL: ("", False),
    AudienceKind.LANGUAGE: (" AND c.language = ?", True),
    AudienceKind.ORGANISATION: (
        " AND EXISTS (SELECT 1 FROM counsellors k"
        " WHERE k.newcomer_id = c.id AND k.organisation_id = ?)",
        True,
    ),
    AudienceKind.TAG: (
        " AND EXISTS (SELECT 1 FROM newcomer_tags t WHERE t.newcomer_id = c.id AND t.tag = ?)",
        True,
    ),
    AudienceKind.CASEWORKER: (
        " AND EXISTS (SELECT 1 FROM counsellors k WHERE k.newcomer_id = c.id AND k.staff_id = ?)",
        True,
    ),
}


async def recipients(
    store: Store, audience: Audience, *, after: int = 0, limit: int = -1
) -> list[Recipient]:
    """Everyone this audience reaches today, oldest newcomer first; a page of them: those
    after newcomer id `after`, at most `limit` (-1: all)."""
    condition, params = _filter(audience)
    rows = await store.fetch_all(
        f"{_REACHABLE}{condition} AND c.id > ? ORDER BY c.id LIMIT ?", (*params, after, limit)
    )
    return [Recipient.from_row(row) for row in rows]


def _filter(audience: Audience) -> tuple[str, tuple[str, ...]]:
    condition, takes_value = _FILTERS[audience.kind]
    return condition, (audience.value,) if takes_value else ()


@dataclass(frozen=True)
class LeftOut:
    """Newcomers the audience names who will not get it, and why (for the final report)."""

    stopped: int
    not_linked: int  # not linked yet, or linked without agreeing


async def left_out(store: Store, audience: Audience) -> LeftOut:
    return (await reach(store, audience)).left_out


@dataclass(frozen=True)
class Reach:
    """How many an audience reaches today, how many of them read none of the languages
    given, and who it leaves out: counted, not listed (a release's first messages need
    not wait for a list of 50,000)."""

    reached: int
    without_text: int
    left_out: LeftOut


async def reach(store: Store, audience: Audience, languages: Collection[str] = ()) -> Reach:
    condition, params = _filter(audience)
    marks = ",".join("?" * len(languages))
    row = await store.fetch_one(
        f"SELECT sum({_WILLING}) AS reached,"
        f" sum({_WILLING} AND c.language NOT IN ({marks})) AS without_text,"
        " sum(c.status = 'stopped') AS stopped,"
        " sum(c.status IN ('invited', 'active')"
        f" AND (c.chat_id IS NULL OR c.consent_at IS NULL) AND NOT ({BY_SMS})) AS not_linked"
        f" FROM newcomers c WHERE c.forgotten_at IS NULL{condition}",
        (*languages, *params),
    )
    assert row is not None
    return Reach(
        row["reached"] or 0,
        row["without_text"] or 0,
        LeftOut(row["stopped"] or 0, row["not_linked"] or 0),
    )


async def languages_reached(store: Store) -> dict[str, int]:
    """How many reachable newcomers read each language, most first."""
    rows = await store.fetch_all(
        f"SELECT language, count(*) AS n FROM ({_REACHABLE}) GROUP BY language"
        " ORDER BY n DESC, language"
    )
    return {row["language"]: row["n"] for row in rows}


async def tags_in_use(store: Store, at_most: int = 20) -> dict[str, int]:
    """Tags of reachable newcomers with how many have each, most first."""
    rows = await store.fetch_all(
        "SELECT t.tag, count(*) AS n FROM newcomer_tags t"
        f" WHERE t.newcomer_id IN (SELECT id FROM ({_REACHABLE})) GROUP BY t.tag"
        " ORDER BY n DESC, t.tag LIMIT ?",
        (at_most,),
    )
    return {row["tag"]: row["n"] for row in rows}


def without_text(people: Sequence[Recipient], languages_with_text: set[str]) -> list[Recipient]:
    """Those whose language has no text: they get the Dutch and the English instead."""
    return [person for person in people if person.language not in languages_with_text]


class BadTag(ValueError):
    pass


def clean_tag(text: str) -> str:
    tag = " ".join(text.split()).lower()
    if not (0 < len(tag) <= TAG_MAX and _TAG.match(tag)):
        raise BadTag(text)
    # Digits are allowed ("nt2 a1"), so a national register number would pass the shape;
    # a tag is also written to the audit log, which "forget me" cannot erase.
    if find_sensitive(tag):
        raise BadTag(text)
    return tag


async def add_tag(store: Store, clock: Clock, newcomer: Newcomer, text: str, *, actor: str) -> str:
    """Tag a newcomer (once); returns the tag as stored."""
    tag = clean_tag(text)
    async with store.transaction() as db:
        await db.execute(
            "INSERT INTO newcomer_tags (newcomer_id, tag, added_at) VALUES (?, ?, ?)"
            " ON CONFLICT (newcomer_id, tag) DO NOTHING",
            (newcomer.id, tag, to_db(clock())),
        )
        await audit.record(
            db, clock, actor, "newcomer.tag.add", f"newcomer:{newcomer.reference}", tag
        )
    return tag


async def remove_tag(
    store: Store, clock: Clock, newcomer: Newcomer, text: str, *, actor: str
) -> bool:
    tag = clean_tag(text)
    async with store.transaction() as db:
        cursor = await db.execute(
            "DELETE FROM newcomer_tags WHERE newcomer_id = ? AND tag = ?", (newcomer.id, tag)
        )
        if cursor.rowcount:
            await audit.record(
                db, clock, actor, "newcomer.tag.remove", f"newcomer:{newcomer.reference}", tag
            )
        return cursor.rowcount > 0


async def tags_of(store: Store, newcomer_id: int) -> list[str]:
    rows = await store.fetch_all(
        "SELECT tag FROM newcomer_tags WHERE newcomer_id = ? ORDER BY tag", (newcomer_id,)
    )
    return [row["tag"] for row in rows]
