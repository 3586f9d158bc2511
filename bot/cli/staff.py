"""`schakel staff list | deactivate ID --to ID | reactivate ID`: staff leave from the
command line, by the same rules as /medewerkers in the chat (bot/people/leave.py)."""

from __future__ import annotations

import sys

from bot.core.clock import Clock, utc_now
from bot.core.config import Config
from bot.people import leave
from bot.people.leave import CannotLeave, LeaveProblem
from bot.people.staff import StaffMember, all_staff
from bot.storage.database import Store


def _describe(member: StaffMember) -> str:
    where = f" at {member.organisation}" if member.organisation else ""
    return f"#{member.id} {member.name}, {member.role.value}{where}"


def _refusal(refused: CannotLeave, staff_id: int, colleague_id: int | None) -> str:
    member = refused.member
    who = _describe(member) if member else f"#{staff_id}"
    match refused.problem:
        case LeaveProblem.NOT_FOUND:
            return f"no staff member #{staff_id} (see `schakel staff list`)"
        case LeaveProblem.ALREADY_STOPPED:
            return f"{who}: access already ended"
        case LeaveProblem.ALREADY_ACTIVE:
            return f"{who}: already has access"
        case LeaveProblem.LAST_ADMIN:
            return f"{who} is the last admin with access (add another with `schakel admin add`)"
        case LeaveProblem.NO_COLLEAGUE:
            return (
                f"{who} is the contact person of newcomers: name the caseworker who takes"
                " them over with --to ID (an active caseworker of the same organisation)"
            )
        case LeaveProblem.NOT_A_COLLEAGUE:
            return (
                f"--to {colleague_id} cannot take over from {who}: it must be an active"
                " caseworker of the same organisation"
            )


async def list_staff(config: Config) -> int:
    async with Store.opened(config.storage.database) as store:
        for member in await all_staff(store):
            since = f" (access ended {member.deactivated_at[:10]})" if member.deactivated_at else ""
            state = "" if member.active else since or " (access ended)"
            print(f"{_describe(member)}{state}")
    return 0


async def deactivate_staff(
    config: Config, staff_id: int, colleague_id: int | None, clock: Clock = utc_now
) -> int:
    async with Store.opened(config.storage.database) as store:
        try:
            gone = await leave.deactivate(
                store, clock, staff_id=staff_id, colleague_id=colleague_id, actor="cli"
            )
        except CannotLeave as refused:
            print(f"schakel: {_refusal(refused, staff_id, colleague_id)}; nothing changed",
                  file=sys.stderr)  # fmt: skip
            return 1
    print(
        f"{_describe(gone.member)}: access ended; {gone.links_stopped} open invite link(s) stopped"
    )
    if gone.colleague is not None:
        print(
            f"{len(gone.newcomers)} newcomer(s) now have {_describe(gone.colleague)} as contact"
            f" person; {gone.told} of them get a message (with the new card) when the bot runs"
        )
    return 0


async def reactivate_staff(config: Config, staff_id: int, clock: Clock = utc_now) -> int:
    async with Store.opened(config.storage.database) as store:
        try:
            member = await leave.reactivate(store, clock, staff_id=staff_id, actor="cli")
        except CannotLeave as refused:
            print(f"schakel: {_refusal(refused, staff_id, None)}; nothing changed", file=sys.stderr)
            return 1
    print(f"{_describe(member)}: has access again")
    return 0
