"""Many newcomers at once, and an announcement to them all: straight through bot/ (not
the chat forms, which tests/e2e/test_announcements.py plays), for the fault and crash
tests. What happens next is the real Application's work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.announcements import records as announcements
from bot.announcements.audiences import Audience
from bot.announcements.model import Announcement, Plan, SessionKind
from bot.announcements.words import template_texts
from bot.app.standin import FakeTelegram
from bot.core.clock import to_db
from bot.people.organisations import find_organisation
from bot.people.staff import Role, find_staff
from bot.sending.services import Services
from tests.conftest import make_staff

LANGUAGES = ("ar", "ti", "fa", "so", "uk", "tr", "ps", "ru", "en", "fr")
FIRST_NEWCOMER = 100_000
CASEWORKERS = (2, 3, 4, 5, 6)
COORDINATOR = 7


@dataclass(frozen=True)
class Newcomer:
    newcomer_id: int
    chat_id: int
    reference: str
    first_name: str
    language: str
    caseworker: int  # the contact person's chat


async def newcomers_with_a_contact(
    services: Services, telegram: FakeTelegram, count: int
) -> list[Newcomer]:
    """`count` newcomers, linked and agreed, each with one of five caseworkers as contact."""
    staff_ids = {}
    for user_id in CASEWORKERS:
        await make_staff(services, telegram, user_id, f"Begeleider{user_id}", Role.CASEWORKER)
        member = await find_staff(services.store, user_id)
        assert member is not None
        staff_ids[user_id] = member.id
    organisation = await find_organisation(services.store, "VDAB")
    assert organisation is not None
    now = to_db(services.clock())
    people = []
    async with services.store.transaction() as db:
        for n in range(count):
            chat_id, language = FIRST_NEWCOMER + n, LANGUAGES[n % len(LANGUAGES)]
            reference, name = f"K-F{n:04d}", f"Nieuw{n}"
            caseworker = CASEWORKERS[n % len(CASEWORKERS)]
            async with db.execute(
                "INSERT INTO newcomers (reference, first_name, language, status, chat_id,"
                " telegram_user_id, consent_at, created_at) VALUES (?, ?, ?, 'active', ?, ?, ?, ?)"
                " RETURNING id",
                (reference, name, language, chat_id, chat_id, now, now),
            ) as cursor:
                row = await cursor.fetchone()
            assert row is not None
            await db.execute(
                "INSERT INTO counsellors (newcomer_id, staff_id, name, organisation_id, role,"
                " is_contact) VALUES (?, ?, ?, ?, 'caseworker', 1)",
                (row[0], staff_ids[caseworker], f"Begeleider{caseworker}", organisation.id),
            )
            people.append(Newcomer(row[0], chat_id, reference, name, language, caseworker))
            telegram.user(chat_id, name, language)
    return people


async def announce_to_everyone(
    services: Services, send_at: dt.datetime | None = None
) -> Announcement:
    """Scheduled (for now), as the coordinator's form does; the bot's alarm does the rest."""
    author = await find_staff(services.store, COORDINATOR)
    assert author is not None
    now = send_at or services.clock()
    plan = Plan(
        title="Werken in Vlaanderen",
        starts_at=now + dt.timedelta(days=7),
        place="In-Gent, Kongostraat 42, 9000 Gent",
        audience=Audience(),
        texts=template_texts(SessionKind.WORK),
        send_at=now,
        session_kind=SessionKind.WORK,
        title_from_kind=True,
    )
    announcement = await announcements.schedule(services, author, plan)
    services.announcement_alarm.set(0)
    return announcement
