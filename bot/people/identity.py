"""Who is writing: a staff member with a role, a newcomer, or a stranger."""

from __future__ import annotations

from dataclasses import dataclass

from bot.people.newcomers import Newcomer, find_newcomer_by_user
from bot.people.staff import Role, StaffMember, find_staff
from bot.storage.database import Store
from messages import SOURCE_LANGUAGE


@dataclass(frozen=True)
class Identity:
    staff: StaffMember | None = None
    newcomer: Newcomer | None = None

    @property
    def known(self) -> bool:
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
        return SOURCE_LANGUAGE


async def identify(store: Store, telegram_user_id: int) -> Identity:
    # Staff first: a caseworker testing the bot on their own phone stays staff.
    staff = await find_staff(store, telegram_user_id)
    if staff is not None:
        return Identity(staff=staff)
    return Identity(newcomer=await find_newcomer_by_user(store, telegram_user_id))
