"""Partner organisations: the configuration is the source, the database keeps ids stable."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.config import OrganisationConfig
from bot.storage.database import Store


@dataclass(frozen=True)
class Organisation:
    id: int
    short_name: str
    name: str


async def sync_organisations(store: Store, configured: tuple[OrganisationConfig, ...]) -> None:
    """Insert or update every configured organisation; never delete (history refers to them)."""
    async with store.transaction() as db:
        for org in configured:
            await db.execute(
                "INSERT INTO organisations (short_name, name, address, phone, opening_hours)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (short_name) DO UPDATE SET"
                " name = excluded.name, address = excluded.address, phone = excluded.phone,"
                " opening_hours = excluded.opening_hours",
                (org.short_name, org.name, org.address, org.phone, org.opening_hours),
            )


async def find_organisation(store: Store, short_name: str) -> Organisation | None:
    row = await store.fetch_one(
        "SELECT id, short_name, name FROM organisations WHERE short_name = ?",
        (short_name.strip(),),
    )
    return None if row is None else Organisation(row["id"], row["short_name"], row["name"])


async def organisation_names(store: Store) -> list[str]:
    rows = await store.fetch_all("SELECT short_name FROM organisations ORDER BY short_name")
    return [row["short_name"] for row in rows]


async def all_organisations(store: Store) -> list[Organisation]:
    rows = await store.fetch_all(
        "SELECT id, short_name, name FROM organisations ORDER BY short_name COLLATE NOCASE"
    )
    return [Organisation(row["id"], row["short_name"], row["name"]) for row in rows]


def address_of(configured: tuple[OrganisationConfig, ...], short_name: str) -> str | None:
    """A partner's address as a place to meet ("VDAB, Kongostraat 7, 9000 Gent"); None
    when no partner of that name has an address."""
    org = next((o for o in configured if o.short_name == short_name and o.address), None)
    return None if org is None else f"{org.short_name}, {org.address}"
