"""Whose figures: the whole partnership, or one organisation, for a partner who reports
alone (`/cijfers VDAB`, `schakel export --organisation VDAB`).

What belongs to an organisation, the one rule for every figure (README, "Figures"):
- a newcomer: registered by its staff (the caseworker who invited them);
- an appointment: planned by its staff (an imported one has no organisation, so it
  counts only for the partnership);
- a first intake: planned by its staff;
- a handover note: sent or received by it;
- an announcement: written by its staff;
- an SMS: to a newcomer it registered.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.people.organisations import find_organisation, organisation_names
from bot.storage.database import Store

Filter = tuple[str, tuple[object, ...]]  # an SQL condition (" AND ...") and its parameters


@dataclass(frozen=True)
class Scope:
    organisation_id: int | None = None  # None: the whole partnership
    organisation: str = ""  # its short name, as the title shows it

    def staff_in(self, column: str) -> Filter:
        """The condition that `column` is one of the organisation's staff, or nothing."""
        if self.organisation_id is None:
            return "", ()
        return (
            f" AND {column} IN (SELECT id FROM staff WHERE organisation_id = ?)",
            (self.organisation_id,),
        )

    def newcomer_in(self, column: str) -> Filter:
        """The condition that `column` is a newcomer its staff registered, or nothing."""
        staff, parameters = self.staff_in("n.created_by")
        if not staff:
            return "", ()
        return f" AND {column} IN (SELECT n.id FROM newcomers n WHERE 1{staff})", parameters


PARTNERSHIP = Scope()


class UnknownOrganisation(ValueError):
    """No partner organisation has this short name; `known`: the ones there are."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(name)
        self.name, self.known = name, known


async def scope_of(store: Store, name: str) -> Scope:
    """One organisation's scope, by its short name in any case (vdab: VDAB); the whole
    partnership for an empty name."""
    if not name.strip():
        return PARTNERSHIP
    found = await find_organisation(store, name)
    if found is None:
        raise UnknownOrganisation(name.strip(), await organisation_names(store))
    return Scope(found.id, found.short_name)


async def scope_by_id(store: Store, organisation_id: int | None) -> Scope | None:
    """The scope a button names (None: the partnership); None if no such organisation."""
    if organisation_id is None:
        return PARTNERSHIP
    name = await store.fetch_value(
        "SELECT short_name FROM organisations WHERE id = ?", (organisation_id,)
    )
    return Scope(organisation_id, name) if isinstance(name, str) else None
