"""Counts for the coordinator: how many newcomers and staff, per organisation."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.database import Store


@dataclass(frozen=True)
class OrganisationCount:
    """One organisation: the newcomers whose contact person works there, its active staff."""

    short_name: str
    newcomers: int
    staff: int


@dataclass(frozen=True)
class Overview:
    newcomers: int
    linked: int
    staff: int
    organisations: list[OrganisationCount]


async def partnership_overview(store: Store) -> Overview:
    """Newcomers count for the organisation of their contact person."""
    totals = await store.fetch_one(
        "SELECT count(*) AS newcomers, count(consent_at) AS linked,"
        " (SELECT count(*) FROM staff WHERE active = 1) AS staff FROM newcomers"
    )
    assert totals is not None
    rows = await store.fetch_all(
        "SELECT o.short_name,"
        " (SELECT count(*) FROM counsellors c WHERE c.organisation_id = o.id AND c.is_contact = 1)"
        "   AS newcomers,"
        " (SELECT count(*) FROM staff s WHERE s.organisation_id = o.id AND s.active = 1) AS staff"
        " FROM organisations o ORDER BY o.short_name"
    )
    return Overview(
        newcomers=totals["newcomers"],
        linked=totals["linked"],
        staff=totals["staff"],
        organisations=[
            OrganisationCount(r["short_name"], r["newcomers"], r["staff"]) for r in rows
        ],
    )
