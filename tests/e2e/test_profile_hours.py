"""/profiel uren takes hours Schakel can read (and so show in each newcomer's language);
other text gets a clear answer in the staff member's language, and nothing changes."""

from __future__ import annotations

import pytest

from bot.app.standin import FakeTelegram
from bot.people.staff import Role
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import render, texts
from tests.conftest import make_staff


async def hours_stored(services: Services) -> str:
    value = await services.store.fetch_value("SELECT hours FROM staff WHERE telegram_user_id = 2")
    assert isinstance(value, str)
    return value


@pytest.mark.parametrize("language", ["nl", "fr", "ar"])
@pytest.mark.parametrize("typed", ["elke dag na de middag", "ma 12-9", "9-12", "ma-vr 9-12 en za"])
async def test_hours_that_do_not_read_as_hours_get_a_clear_answer_and_change_nothing(
    app: SchakelApp, telegram: FakeTelegram, services: Services, language: str, typed: str
) -> None:
    youssef = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    async with services.store.transaction() as db:  # Schakel writes to Youssef in this
        await db.execute("UPDATE staff SET language = ? WHERE telegram_user_id = 2", (language,))
    await telegram.send(youssef, "/profiel uren ma-do 9-12")
    audit_before = await services.store.fetch_value("SELECT count(*) FROM audit_log")

    await telegram.send(youssef, f"/profiel uren {typed}")
    answer = telegram.texts_to(youssef.id)[-1]
    assert answer == render(language, texts.BAD_HOURS, hours=typed)
    assert "ma-do 9-12" in answer and "ma, wo 9u-12u30" in answer  # the forms understood
    assert await hours_stored(services) == "ma-do 9-12"
    assert await services.store.fetch_value("SELECT count(*) FROM audit_log") == audit_before


async def test_a_number_typed_among_the_hours_is_not_said_back(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    youssef = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    await telegram.send(youssef, "/profiel uren ma-vr 9-12 bel 0471 98 76 54")
    answer = telegram.texts_to(youssef.id)[-1]
    assert answer.startswith("Deze uren begrijp ik niet: ma-vr 9-12 bel [telefoonnummer")
    assert "0471" not in answer
    assert await hours_stored(services) == ""


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("ma-do 9-12", "maandag–donderdag 9:00–12:00"),
        ("maandag tot donderdag, 9 tot 12 uur", "maandag–donderdag 9:00–12:00"),
        ("ma, wo 9u-12u30 13-16", "maandag, woensdag 9:00–12:30 13:00–16:00"),
        ("di - vr 9h - 12h", "dinsdag–vrijdag 9:00–12:00"),
    ],
)
async def test_hours_are_kept_as_typed_and_shown_as_read(
    app: SchakelApp, telegram: FakeTelegram, services: Services, typed: str, shown: str
) -> None:
    youssef = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    await telegram.send(youssef, f"/profiel uren {typed}")
    assert f"Bereikbaar: {shown}." in telegram.texts_to(youssef.id)[-1]
    assert await hours_stored(services) == " ".join(typed.split())
