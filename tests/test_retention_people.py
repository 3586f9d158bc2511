"""Retention of what people leave behind: form drafts given up, invite links long dead and
newcomers who never joined. A fixed clock; the rows are written straight into the tables,
a day either side of each cutoff (drafts 30 days, links 30 days after they expired,
newcomers 180 days after their last link expired)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.clock import to_db
from bot.core.config import RetentionConfig
from bot.figures import queries as figures
from bot.privacy.retention import Kind, purge
from bot.storage.database import Store
from tests.conftest import FakeClock

BRUSSELS = ZoneInfo("Europe/Brussels")
DAY = dt.timedelta(days=1)
NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
# The coordinators' figures over every newcomer below: who was invited, per language.
FIGURES_PERIOD = figures.period_between(dt.date(2023, 1, 1), dt.date(2026, 12, 31))
# Only the kinds under test: the others are tested in tests/test_retention.py.
ONLY_PEOPLE = RetentionConfig(
    appointments="keep", handover_notes="keep", delivery_records="keep", audit_log="keep"
)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = await Store.open(tmp_path / "schakel.db")
    async with store.transaction() as db:
        await db.execute("INSERT INTO organisations (id, short_name, name) VALUES (1, 'VDAB', 'V')")
        for staff_id in (1, 2, 3):
            await db.execute(
                "INSERT INTO staff (id, telegram_user_id, name, role, organisation_id, created_at)"
                " VALUES (?, ?, ?, 'caseworker', 1, ?)",
                (staff_id, 100 + staff_id, f"Staff {staff_id}", to_db(NOW - 900 * DAY)),
            )
    yield store
    await store.close()


async def newcomer(
    store: Store,
    name: str,
    *,
    language: str = "ar",
    created: dt.datetime,
    links_expired: tuple[dt.datetime, ...] = (),
    agreed: bool = False,
    opened: bool = False,
    used_last: bool = False,
) -> int:
    """A newcomer as the bot leaves one: their contact person, their links (the last one
    used when they opened it), a notice to the caseworker that names them."""
    async with store.transaction() as db:
        cursor = await db.execute(
            "INSERT INTO newcomers (reference, first_name, language, dutch_level, chat_id,"
            " telegram_user_id, consent_at, status, created_by, created_at)"
            " VALUES (?, ?, ?, 'A1', ?, ?, ?, ?, 1, ?) RETURNING id",
            (f"K-{name[:4].upper()}", name, language, 900 + len(name) if opened else None,
             900 + len(name) if opened else None, to_db(created) if agreed else None,
             "active" if agreed else "invited", to_db(created)),
        )  # fmt: skip
        row = await cursor.fetchone()
        assert row is not None
        newcomer_id = int(row[0])
        await db.execute(
            "INSERT INTO counsellors (newcomer_id, staff_id, name, organisation_id, role,"
            " is_contact) VALUES (?, 1, 'Staff 1', 1, 'caseworker', 1)",
            (newcomer_id,),
        )
        for number, expires in enumerate(links_expired):
            used = (opened or used_last) and number == len(links_expired) - 1
            await db.execute(
                "INSERT INTO newcomer_invites (token_hash, newcomer_id, created_by, created_at,"
                " expires_at, used_at) VALUES (?, ?, 1, ?, ?, ?)",
                (f"{name}-{number}", newcomer_id, to_db(expires - 14 * DAY), to_db(expires),
                 to_db(expires - 13 * DAY) if used else None),
            )  # fmt: skip
        await db.execute(
            "INSERT INTO outbox (chat_id, purpose, ref, payload, due_at, idempotency_key,"
            " status, created_at, updated_at) VALUES (101, 'notice', ?, ?, ?, ?, 'sent', ?, ?)",
            (f"newcomer:K-{name[:4].upper()}",
             json.dumps({"text": f"{name} is uitgenodigd.", "buttons": []}), to_db(created),
             f"invited:{newcomer_id}", to_db(created), to_db(created)),
        )  # fmt: skip
    return newcomer_id


async def staff_link(store: Store, token_hash: str, expires: dt.datetime) -> None:
    async with store.transaction() as db:
        await db.execute(
            "INSERT INTO staff_invites (token_hash, role, organisation_id, created_by,"
            " created_at, expires_at) VALUES (?, 'caseworker', 1, 1, ?, ?)",
            (token_hash, to_db(expires - 7 * DAY), to_db(expires)),
        )


async def draft(store: Store, staff_id: int, updated: dt.datetime) -> None:
    async with store.transaction() as db:
        await db.execute(
            "INSERT INTO drafts (staff_id, form, step, data, updated_at)"
            " VALUES (?, 'appointment', 'place', '{\"ref\": \"K-AMAL\"}', ?)",
            (staff_id, to_db(updated)),
        )


async def column(store: Store, sql: str) -> list[Any]:
    return [row[0] for row in await store.fetch_all(sql)]


async def test_a_form_draft_goes_thirty_days_after_its_last_answer(store: Store) -> None:
    await draft(store, 1, NOW - 30 * DAY - dt.timedelta(minutes=1))
    await draft(store, 2, NOW - 29 * DAY)
    report = await purge(store, FakeClock(NOW), ONLY_PEOPLE, actor="cli")
    assert report.of(Kind.DRAFTS).counts == {"drafts": 1, "consent_questions": 0, "wishes": 0}
    assert await column(store, "SELECT staff_id FROM drafts") == [2]
    assert report.lines()[3] == (
        "form drafts (kept 30 days, older than 2026-10-25 09:00 UTC): removed 1 form draft,"
        " 0 expired consent questions, 0 wishes for a new appointment"
    )


async def test_invite_links_go_thirty_days_after_they_expired(store: Store) -> None:
    # Amal joined: her used link and an older one that expired unused both go once old.
    await newcomer(store, "Amal", created=NOW - 400 * DAY, agreed=True, opened=True,
                   links_expired=(NOW - 380 * DAY, NOW - 31 * DAY))  # fmt: skip
    # Dawit joined with a link that expired 29 days ago: it stays for now.
    await newcomer(store, "Dawit", created=NOW - 43 * DAY, agreed=True, opened=True,
                   links_expired=(NOW - 29 * DAY,))  # fmt: skip
    # Selam never joined: her older link goes, her newest stays (the next rule counts from
    # it) although it expired more than thirty days ago.
    await newcomer(store, "Selam", created=NOW - 300 * DAY,
                   links_expired=(NOW - 286 * DAY, NOW - 100 * DAY))  # fmt: skip
    await staff_link(store, "staff-old", NOW - 31 * DAY)
    await staff_link(store, "staff-recent", NOW - 29 * DAY)
    await staff_link(store, "staff-open", NOW + 3 * DAY)

    report = await purge(store, FakeClock(NOW), ONLY_PEOPLE, actor="cli")
    assert report.of(Kind.INVITES).counts == {"newcomer_invites": 3, "staff_invites": 1}
    assert sorted(await column(store, "SELECT token_hash FROM newcomer_invites")) == [
        "Dawit-0", "Selam-1",
    ]  # fmt: skip
    assert sorted(await column(store, "SELECT token_hash FROM staff_invites")) == [
        "staff-open", "staff-recent",
    ]  # fmt: skip
    assert report.lines()[4] == (
        "invite links (kept 30 days, older than 2026-10-25 09:00 UTC):"
        " removed 3 newcomer invite links, 1 staff invite link"
    )


async def test_a_newcomer_who_never_joined_is_erased_180_days_after_their_last_link_expired(
    store: Store,
) -> None:
    # Never opened the link, re-invited once: counted from the second link.
    gone = await newcomer(store, "Bilal", language="ti", created=NOW - 400 * DAY,
                          links_expired=(NOW - 386 * DAY, NOW - 181 * DAY))  # fmt: skip
    # Opened it, then said "not now" (the link is undone, the newcomer invited again).
    said_not_now = await newcomer(store, "Hawa", language="so", created=NOW - 200 * DAY,
                                  links_expired=(NOW - 186 * DAY,), used_last=True)  # fmt: skip
    # A link that expired 179 days ago: not yet.
    recent = await newcomer(store, "Chaltu", language="ti", created=NOW - 193 * DAY,
                            links_expired=(NOW - 179 * DAY,))  # fmt: skip
    # No link at all left (an old database): counted from when they were registered.
    no_link = await newcomer(store, "Eden", language="ti", created=NOW - 181 * DAY)
    # Never joined, but an appointment after the cutoff: the caseworker still helps them.
    helped = await newcomer(store, "Farah", created=NOW - 300 * DAY,
                            links_expired=(NOW - 286 * DAY,))  # fmt: skip
    async with store.transaction() as db:
        await db.execute(
            "INSERT INTO appointments (newcomer_id, kind, starts_at, place, created_at,"
            " updated_at) VALUES (?, 'job_coach', ?, 'Kongostraat 7', ?, ?)",
            (helped, to_db(NOW + 5 * DAY), to_db(NOW), to_db(NOW)),
        )
    # Joined long ago and stopped: never touched by this rule.
    joined = await newcomer(store, "Amal", created=NOW - 900 * DAY, agreed=True, opened=True,
                            links_expired=(NOW - 886 * DAY,))  # fmt: skip
    # Replies to staff that name them, by name or by code only, without a ref.
    for key, text in [("update:1:0", "Uw nieuwkomers: Bilal, Chaltu, Amal."),
                      ("update:2:0", "Hawa heeft nog niet geantwoord."),
                      ("update:3:0", "Link gestopt voor K-EDEN."),
                      ("update:4:0", "Hawaa en Bilalou: andere mensen.")]:  # fmt: skip
        async with store.transaction() as db:
            await db.execute(
                "INSERT INTO outbox (chat_id, purpose, payload, due_at, idempotency_key,"
                " status, created_at, updated_at) VALUES (101, 'reply', ?, ?, ?, 'sent', ?, ?)",
                (json.dumps({"text": text, "buttons": []}), to_db(NOW), key, to_db(NOW),
                 to_db(NOW)),
            )  # fmt: skip
    languages_before = await column(store, "SELECT language FROM newcomers ORDER BY id")
    figures_before = await figures.gather(store, FIGURES_PERIOD, BRUSSELS)

    dry = await purge(store, FakeClock(NOW), ONLY_PEOPLE, actor="cli", dry_run=True)
    assert dry.of(Kind.NEVER_JOINED).counts == {"names": 3}
    assert await column(store, "SELECT count(*) FROM newcomers WHERE first_name = ''") == [0]

    report = await purge(store, FakeClock(NOW), ONLY_PEOPLE, actor="cli")
    assert report.of(Kind.NEVER_JOINED).counts == {"names": 3}
    assert report.lines()[5] == (
        "newcomers who never joined (kept 180 days, older than 2026-05-28 09:00 UTC):"
        " removed 3 newcomers' names"
    )
    erased = {gone, said_not_now, no_link}
    rows = {row["id"]: row for row in await store.fetch_all("SELECT * FROM newcomers")}
    for newcomer_id, row in rows.items():
        forgotten = newcomer_id in erased
        assert (row["first_name"] == "") is forgotten, row["reference"]
        assert (row["forgotten_at"] == to_db(NOW)) is forgotten
        if forgotten:  # as "forget me" leaves them
            assert (row["dutch_level"], row["chat_id"], row["telegram_user_id"]) == (None,) * 3
            assert row["status"] == "stopped"
    assert rows[recent]["first_name"] == "Chaltu" and rows[joined]["first_name"] == "Amal"
    # The anonymous count stays: the row, its reference, language and dates.
    assert await column(store, "SELECT language FROM newcomers ORDER BY id") == languages_before
    assert (await figures.gather(store, FIGURES_PERIOD, BRUSSELS)).newcomers == (
        figures_before.newcomers
    )
    assert figures_before.invited == 6
    assert await column(store, "SELECT newcomer_id FROM counsellors ORDER BY newcomer_id") == [
        recent, helped, joined,
    ]  # fmt: skip
    assert await column(store, "SELECT count(*) FROM newcomer_invites WHERE newcomer_id IN"
                               f" ({gone}, {said_not_now}, {no_link})") == [0]  # fmt: skip
    # The notice that named them keeps its row (its key) but not its text.
    texts = {
        row[0]: json.loads(row[1])["text"]
        for row in await store.fetch_all("SELECT idempotency_key, payload FROM outbox")
    }
    for key in (f"invited:{gone}", f"invited:{said_not_now}", f"invited:{no_link}",
                "update:1:0", "update:2:0", "update:3:0"):  # fmt: skip
        assert texts[key] == "", key
    assert texts[f"invited:{recent}"] == "Chaltu is uitgenodigd."
    assert texts["update:4:0"] == "Hawaa en Bilalou: andere mensen."  # other names
    kept = await store.fetch_all("SELECT idempotency_key FROM outbox ORDER BY id")
    assert len(kept) == 10  # every row stays: its key still stops a second copy
    # Each erasure is audited, by reference, as "forget me" is.
    audited = await store.fetch_all(
        "SELECT actor, subject, detail FROM audit_log WHERE action = 'newcomer.forget'"
    )
    assert sorted(tuple(row) for row in audited) == sorted(
        ("cli", f"newcomer:{rows[newcomer_id]['reference']}", "never joined (retention)")
        for newcomer_id in erased
    )

    again = await purge(store, FakeClock(NOW), ONLY_PEOPLE, actor="cli")
    assert again.of(Kind.NEVER_JOINED).counts == {"names": 0}
    assert await store.fetch_one("PRAGMA foreign_key_check") is None


async def test_each_period_is_its_own(store: Store) -> None:
    await draft(store, 1, NOW - 8 * DAY)
    await staff_link(store, "staff-old", NOW - 8 * DAY)
    await newcomer(store, "Bilal", created=NOW - 60 * DAY, links_expired=(NOW - 46 * DAY,))
    short = ONLY_PEOPLE.model_copy(update={"drafts": "7d", "invites": "keep"})
    report = await purge(store, FakeClock(NOW), short, actor="cli")
    assert report.of(Kind.DRAFTS).counts == {"drafts": 1, "consent_questions": 0, "wishes": 0}
    assert report.lines()[4] == "invite links: kept (retention: keep)"
    assert await column(store, "SELECT token_hash FROM staff_invites") == ["staff-old"]
    assert report.of(Kind.NEVER_JOINED).counts == {"names": 0}
    longer = short.model_copy(update={"never_joined": "45d"})
    report = await purge(store, FakeClock(NOW), longer, actor="cli")
    assert report.of(Kind.NEVER_JOINED).counts == {"names": 1}
