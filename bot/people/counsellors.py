"""The people who help a newcomer; exactly one of them is the single point of contact."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import aiosqlite

from bot.core import audit
from bot.core.clock import Clock
from bot.core.redaction import keep
from bot.people.newcomers import Newcomer
from bot.people.organisations import Organisation
from bot.people.staff import Role, StaffMember
from bot.storage.database import Store
from bot.storage.rows import record


class CounsellorRole(enum.StrEnum):
    CASEWORKER = "caseworker"
    CIVIC_INTEGRATION = "civic_integration"
    SOCIAL_WORKER = "social_worker"
    JOB_COACH = "job_coach"
    TEACHER = "teacher"
    BUDDY = "buddy"


# What a caseworker may type after /betrokken CODE: Dutch words, the first of each shown.
COUNSELLOR_WORDS: dict[str, CounsellorRole] = {
    "begeleider": CounsellorRole.CASEWORKER,
    "inburgering": CounsellorRole.CIVIC_INTEGRATION,
    "trajectbegeleider": CounsellorRole.CIVIC_INTEGRATION,
    "sociaalwerker": CounsellorRole.SOCIAL_WORKER,
    "maatschappelijkwerker": CounsellorRole.SOCIAL_WORKER,
    "jobcoach": CounsellorRole.JOB_COACH,
    "leraar": CounsellorRole.TEACHER,
    "leerkracht": CounsellorRole.TEACHER,
    "buddy": CounsellorRole.BUDDY,
}
COUNSELLOR_KEYWORDS = ("begeleider", "inburgering", "sociaalwerker", "jobcoach", "leraar", "buddy")
NAME_MAX = 60


def parse_counsellor_role(text: str) -> CounsellorRole | None:
    return COUNSELLOR_WORDS.get(text.strip().casefold().replace("-", ""))


@dataclass(frozen=True)
class Counsellor:
    id: int
    staff_id: int | None  # None: someone who helps but does not use Schakel
    name: str
    organisation: str
    role: CounsellorRole
    is_contact: bool
    phone: str  # E.164, '' when unknown
    hours: str
    languages: tuple[str, ...]  # languages this person speaks
    telegram_user_id: int | None  # for notices to staff on Schakel
    staff_language: str

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> Counsellor:
        languages = tuple(row["languages"].split())
        return record(cls, row, role=CounsellorRole, is_contact=bool, languages=languages)


_SELECT = (
    "SELECT k.id, k.staff_id, k.name, k.role, k.is_contact,"
    " coalesce(o.short_name, '') AS organisation, coalesce(s.phone, '') AS phone,"
    " coalesce(s.hours, '') AS hours, coalesce(s.languages, '') AS languages,"
    " s.telegram_user_id, coalesce(s.language, 'nl') AS staff_language"
    " FROM counsellors k LEFT JOIN organisations o ON o.id = k.organisation_id"
    " LEFT JOIN staff s ON s.id = k.staff_id"
)


async def counsellors_of(
    store: Store, newcomer_id: int, *, with_former_staff: bool = False
) -> list[Counsellor]:
    """Everyone who helps this newcomer, the single point of contact first. Staff whose
    access ended are left out (a card names only people the newcomer can reach); they come
    back if their access does. `with_former_staff`: everyone stored (the newcomer's export)."""
    reachable = "" if with_former_staff else " AND (k.staff_id IS NULL OR s.active = 1)"
    rows = await store.fetch_all(
        f"{_SELECT} WHERE k.newcomer_id = ?{reachable} ORDER BY k.is_contact DESC, k.id",
        (newcomer_id,),
    )
    return [Counsellor.from_row(row) for row in rows]


async def add_counsellor(
    store: Store,
    clock: Clock,
    *,
    newcomer: Newcomer,
    role: CounsellorRole,
    organisation: Organisation,
    name: str,
    actor: StaffMember,
) -> Counsellor:
    """Someone else who helps; linked to their Schakel account when one has that name."""
    # Free text shown on the card: what must not be kept goes (bot/core/redaction.py).
    name = keep(" ".join(name.split())[:NAME_MAX])
    async with store.transaction() as db:
        async with db.execute(
            "SELECT id FROM staff WHERE name = ? COLLATE NOCASE AND organisation_id = ?"
            " AND active = 1",
            (name, organisation.id),
        ) as cursor:
            staff_row = await cursor.fetchone()
        async with db.execute(
            "INSERT INTO counsellors (newcomer_id, staff_id, name, organisation_id, role)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            (newcomer.id, staff_row["id"] if staff_row else None, name, organisation.id, role),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        await audit.record(
            db, clock, f"staff:{actor.id}", "newcomer.counsellor.add",
            f"newcomer:{newcomer.reference}", role.value,
        )  # fmt: skip
    added = await store.fetch_one(f"{_SELECT} WHERE k.id = ?", (row["id"],))
    assert added is not None
    return Counsellor.from_row(added)


@dataclass(frozen=True)
class Choice:
    staff_id: int
    name: str
    organisation: str


async def contact_choices(store: Store, newcomer: Newcomer, actor: StaffMember) -> list[Choice]:
    """Who may become the contact person: staff on Schakel who already help this newcomer,
    and the caseworkers of the actor's own organisation; never the current contact."""
    rows = await store.fetch_all(
        "SELECT DISTINCT s.id, s.name, coalesce(o.short_name, '') AS organisation"
        " FROM staff s LEFT JOIN organisations o ON o.id = s.organisation_id"
        " WHERE s.active = 1 AND s.role = ? AND ("
        "   s.id IN (SELECT staff_id FROM counsellors WHERE newcomer_id = ?)"
        "   OR s.organisation_id IS ?)"
        " AND s.id NOT IN (SELECT coalesce(staff_id, 0) FROM counsellors"
        "   WHERE newcomer_id = ? AND is_contact = 1)"
        " ORDER BY s.name COLLATE NOCASE LIMIT 20",
        (Role.CASEWORKER.value, newcomer.id, actor.organisation_id, newcomer.id),
    )
    return [Choice(row["id"], row["name"], row["organisation"]) for row in rows]


async def set_contact(
    store: Store, clock: Clock, *, newcomer: Newcomer, staff_id: int, actor: StaffMember
) -> Counsellor | None:
    """Make this staff member the single point of contact; None if they may not be."""
    allowed = {choice.staff_id for choice in await contact_choices(store, newcomer, actor)}
    if staff_id not in allowed:
        return None
    async with store.transaction() as db:
        await make_contact(
            db, clock, newcomer=newcomer, staff_id=staff_id, actor=f"staff:{actor.id}"
        )
    return next(c for c in await counsellors_of(store, newcomer.id) if c.is_contact)


async def make_contact(
    db: aiosqlite.Connection, clock: Clock, *, newcomer: Newcomer, staff_id: int, actor: str
) -> None:
    """Inside a transaction: this staff member becomes the contact person; the one before
    stays among the people who help (they still know the newcomer). `actor` as the audit
    log writes it (staff:3, cli)."""
    await db.execute("UPDATE counsellors SET is_contact = 0 WHERE newcomer_id = ?", (newcomer.id,))
    async with db.execute(
        "UPDATE counsellors SET is_contact = 1 WHERE id = (SELECT min(id) FROM counsellors"
        " WHERE newcomer_id = ? AND staff_id = ?) RETURNING id",
        (newcomer.id, staff_id),
    ) as cursor:
        updated = await cursor.fetchone()
    if updated is None:
        await db.execute(
            "INSERT INTO counsellors (newcomer_id, staff_id, name, organisation_id, role,"
            " is_contact) SELECT ?, id, name, organisation_id, 'caseworker', 1"
            " FROM staff WHERE id = ?",
            (newcomer.id, staff_id),
        )
    await audit.record(
        db, clock, actor, "newcomer.contact.change", f"newcomer:{newcomer.reference}",
        f"staff:{staff_id}",
    )  # fmt: skip
