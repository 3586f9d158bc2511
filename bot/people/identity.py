"""Who is writing: a staff member with a role, a newcomer, a former staff member (whose
access an admin ended), or a stranger."""

from __future__ import annotations

from dataclasses import dataclass

from bot.people.newcomers import Newcomer, find_newcomer_by_user
from bot.people.staff import Role, StaffMember, find_former_staff, find_staff
from bot.storage.database import Store
from messages import SOURCE_LANGUAGE


@dataclass(frozen=True)
class Identity:
    staff: StaffMember | None = None
    newcomer: Newcomer | None = None
    # Known, but with no access: stopped at the door like a stranger, told why.
    former_staff: StaffMember | None = None

    @property
    def known(self) -> bool:
        """Someone who may use Schakel (a former staff member may not)."""
        return self.staff is not None or self.newcomer is not None

    @property
    def role(self) -> Role | None:
        return self.staff.role if self.staff else None

    @property
    def language(self) -> str:
        if self.newcomer is not None:
            return self.newcomer.language
        if self.staff is not None:
            return self.staff.language
        if self.former_staff is not None:
            return self.former_staff.language
        return SOURCE_LANGUAGE


async def identify(store: Store, telegram_user_id: int) -> Identity:
    # Staff first: a caseworker testing the bot on their own phone stays staff.
    staff = await find_staff(store, telegram_user_id)
    if staff is not None:
        return Identity(staff=staff)
    newcomer = await find_newcomer_by_user(store, telegram_user_id)
    if newcomer is not None:
        return Identity(newcomer=newcomer)
    # Only for someone not otherwise known: one more query for strangers, none for others.
    return Identity(former_staff=await find_former_staff(store, telegram_user_id))
