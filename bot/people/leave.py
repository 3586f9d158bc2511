"""Staff leave: an admin ends a staff member's access, and can give it back.

Ending it is one transaction: the staff row is marked inactive (identify() no longer
finds them, so from their next update every command, button, note detail and form
answer is refused at the door), their form draft goes, the invite links they made and
that are still open stop working, what still waits in the outbox for their chat is
skipped (and migration 0013 skips whatever is written to it later), and the newcomers
for whom they are the contact person get the chosen colleague instead, each told in
their own language with the new card. The colleague is told which newcomers are theirs
now. Every step is in the audit log.

Who may take over: an active caseworker of the leaver's own organisation. Not someone
of another organisation: that would pass the newcomers' files to another partner, which
a handover note does only with the newcomer's consent (bot/handovers). Not a
coordinator or admin: only caseworkers are contact persons (as when taking over a note).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core import audit
from bot.core.clock import Clock, to_db
from bot.core.refusals import Refused
from bot.people import counsellors
from bot.people.contact_card import contact_changed_notice
from bot.people.newcomers import Newcomer
from bot.people.staff import Role, StaffMember, any_staff_by_id, caseworkers_of
from bot.sending import outbox
from bot.sending.outbox import Outgoing, enqueue
from bot.storage.database import Store
from messages import render, texts

ACCESS_ENDED_REASON = "staff access ended"
# One button each (Telegram takes at most 100 under a message); more than one
# organisation has caseworkers.
COLLEAGUES_MAX = 60


class LeaveProblem(enum.Enum):
    NOT_FOUND = "not_found"
    ALREADY_STOPPED = "already_stopped"
    ALREADY_ACTIVE = "already_active"
    LAST_ADMIN = "last_admin"  # then nobody could manage Schakel from the chat
    NO_COLLEAGUE = "no_colleague"  # newcomers to hand on, and nobody (valid) named
    NOT_A_COLLEAGUE = "not_a_colleague"  # named someone who may not take them over


class CannotLeave(Refused[LeaveProblem]):
    """Refused; nothing changed. `member`: the colleague named, where the problem is theirs."""

    def __init__(self, problem: LeaveProblem, member: StaffMember | None = None) -> None:
        super().__init__(problem)
        self.member = member


@dataclass(frozen=True)
class Leaving:
    """What ending someone's access would do: whose contact person they are, and who of
    their organisation could take those newcomers over."""

    member: StaffMember
    newcomers: tuple[Newcomer, ...]
    colleagues: tuple[StaffMember, ...]


@dataclass(frozen=True)
class Departure:
    member: StaffMember  # as they are now: inactive
    colleague: StaffMember | None  # None when they were nobody's contact person
    newcomers: tuple[Newcomer, ...]  # handed to the colleague
    told: int  # newcomers who get "your new contact person" (the others are not linked)
    links_stopped: int  # open invite links they had made (newcomers' and staff's)
    outbox_ids: tuple[int, ...]  # the messages to send now


async def contact_of_newcomers(store: Store, staff_id: int) -> list[Newcomer]:
    """The newcomers (not forgotten) for whom this staff member is the contact person."""
    rows = await store.fetch_all(
        "SELECT n.* FROM newcomers n JOIN counsellors k ON k.newcomer_id = n.id"
        " WHERE k.staff_id = ? AND k.is_contact = 1 AND n.forgotten_at IS NULL"
        " ORDER BY n.first_name COLLATE NOCASE, n.reference",
        (staff_id,),
    )
    return [Newcomer.from_row(row) for row in rows]


async def colleagues_of(store: Store, member: StaffMember) -> list[StaffMember]:
    """Who may take over this person's newcomers: the other active caseworkers of their
    organisation (see the module's docstring); nobody for someone without one."""
    if member.organisation_id is None:
        return []
    found = await caseworkers_of(store, member.organisation_id, at_most=COLLEAGUES_MAX)
    return [colleague for colleague in found if colleague.id != member.id]


async def leaving(store: Store, staff_id: int) -> Leaving:
    """What ending this person's access would do; CannotLeave when it may not be ended."""
    member = await any_staff_by_id(store, staff_id)
    if member is None:
        raise CannotLeave(LeaveProblem.NOT_FOUND)
    if not member.active:
        raise CannotLeave(LeaveProblem.ALREADY_STOPPED, member)
    if member.role is Role.ADMIN and await _active_admins(store) <= 1:
        raise CannotLeave(LeaveProblem.LAST_ADMIN, member)
    newcomers = tuple(await contact_of_newcomers(store, member.id))
    colleagues = tuple(await colleagues_of(store, member)) if newcomers else ()
    if newcomers and not colleagues:
        raise CannotLeave(LeaveProblem.NO_COLLEAGUE, member)
    return Leaving(member, newcomers, colleagues)


async def _active_admins(store: Store) -> int:
    return await store.fetch_int(
        "SELECT count(*) FROM staff WHERE role = ? AND active = 1", (Role.ADMIN.value,)
    )


async def deactivate(
    store: Store, clock: Clock, *, staff_id: int, colleague_id: int | None, actor: str
) -> Departure:
    """End this staff member's access; their newcomers go to `colleague_id` (needed when
    they have any). `actor` as the audit log writes it: staff:1, cli. CannotLeave when
    refused, and then nothing changed."""
    now = to_db(clock())
    async with store.transaction() as db:
        # Checked inside the transaction: two admins pressing at once cannot both pass.
        plan = await leaving(store, staff_id)
        member = plan.member
        colleague = next((c for c in plan.colleagues if c.id == colleague_id), None)
        if colleague_id is not None and colleague is None:
            raise CannotLeave(LeaveProblem.NOT_A_COLLEAGUE, member)
        if plan.newcomers and colleague is None:
            raise CannotLeave(LeaveProblem.NO_COLLEAGUE, member)
        await db.execute(
            "UPDATE staff SET active = 0, deactivated_at = ? WHERE id = ?", (now, member.id)
        )
        links = 0
        for table in ("newcomer_invites", "staff_invites"):  # names from this code only
            cursor = await db.execute(
                f"UPDATE {table} SET revoked_at = ? WHERE created_by = ? AND used_at IS NULL"
                " AND revoked_at IS NULL AND expires_at > ?",
                (now, member.id, now),
            )
            links += cursor.rowcount
        await db.execute("DELETE FROM drafts WHERE staff_id = ?", (member.id,))
        await outbox.withdraw(
            db, now, ACCESS_ENDED_REASON, "chat_id = ?", (member.telegram_user_id,)
        )
        messages: list[Outgoing] = []
        if colleague is not None:
            messages = await _hand_over(store, clock, plan.newcomers, member, colleague, actor)
        await audit.record(
            db, clock, actor, "staff.deactivate", f"staff:{member.id}",
            f"newcomers {len(plan.newcomers)} to "
            f"{f'staff:{colleague.id}' if colleague else 'nobody'}; links stopped {links}",
        )  # fmt: skip
        ids = [await enqueue(db, clock, message) for message in messages]
    gone = await any_staff_by_id(store, member.id)
    assert gone is not None
    told = sum(1 for message in messages if message.newcomer_id is not None)
    return Departure(
        gone, colleague, plan.newcomers, told, links, tuple(i for i in ids if i is not None)
    )


async def _hand_over(
    store: Store,
    clock: Clock,
    newcomers: Sequence[Newcomer],
    leaver: StaffMember,
    colleague: StaffMember,
    actor: str,
) -> list[Outgoing]:
    """Inside deactivate's transaction (the leaver is already inactive, so the new cards
    leave them out): the colleague becomes each newcomer's contact person. Returns the
    messages: "your new contact person" to each newcomer who can be reached, and the list
    to the colleague."""
    stamp = to_db(clock())
    messages: list[Outgoing] = []
    for newcomer in newcomers:
        await counsellors.make_contact(
            store.db, clock, newcomer=newcomer, staff_id=colleague.id, actor=actor
        )
        people = await counsellors.counsellors_of(store, newcomer.id)
        key = f"staff-leave:{leaver.id}:newcomer:{newcomer.id}:{stamp}"
        if told := contact_changed_notice(newcomer, people, key):
            messages.append(told)
    listed = ", ".join(f"{newcomer.first_name} ({newcomer.reference})" for newcomer in newcomers)
    messages.append(
        Outgoing(
            chat_id=colleague.telegram_user_id,
            text=render(
                colleague.language,
                texts.STAFF_NEWCOMERS_FOR_YOU,
                name=leaver.name,
                count=len(newcomers),
                newcomers=listed,
            ),
            purpose="notice",
            idempotency_key=f"staff-leave:{leaver.id}:colleague:{colleague.id}:{stamp}",
            ref=f"staff:{leaver.id}",
        )
    )
    return messages


async def reactivate(store: Store, clock: Clock, *, staff_id: int, actor: str) -> StaffMember:
    """Give this staff member their access back, with the role and organisation they had.
    What was handed on stays handed on; links that were stopped stay stopped."""
    async with store.transaction() as db:
        member = await any_staff_by_id(store, staff_id)
        if member is None:
            raise CannotLeave(LeaveProblem.NOT_FOUND)
        if member.active:
            raise CannotLeave(LeaveProblem.ALREADY_ACTIVE, member)
        await db.execute(
            "UPDATE staff SET active = 1, deactivated_at = NULL WHERE id = ?", (member.id,)
        )
        await audit.record(db, clock, actor, "staff.reactivate", f"staff:{member.id}", member.role)
    back = await any_staff_by_id(store, member.id)
    assert back is not None
    return back
