"""Helpers that play the people of Schakel through the stand-in, as they would act."""

from __future__ import annotations

import re

from bot.services import Services
from bot.staff import Role
from bot.standin import FakeTelegram, SimUser
from messages import render, texts
from messages.languages import ENDONYMS
from tests.conftest import invite_token, last_link, make_staff

REFERENCE = re.compile(r"\((K-\w{4})\)")


async def caseworker_with_phone(
    services: Services, telegram: FakeTelegram, user_id: int = 2, name: str = "Laila Peeters"
) -> SimUser:
    caseworker = await make_staff(services, telegram, user_id, name, Role.CASEWORKER)
    await telegram.send(caseworker, "/profiel telefoon 0470 12 34 56")
    return caseworker


async def linked_newcomer(
    telegram: FakeTelegram, caseworker: SimUser, user_id: int, name: str, language: str
) -> tuple[SimUser, str]:
    """Invited by the caseworker, linked by the newcomer's tap, language picked, consent given."""
    await telegram.send(caseworker, f"/nieuw {name} {language}")
    text = last_link(telegram, caseworker)
    match = REFERENCE.search(text)
    assert match is not None
    newcomer = telegram.user(user_id, name, language)
    await telegram.send(newcomer, f"/start {invite_token(text)}")
    await telegram.press(newcomer, ENDONYMS[language])
    await telegram.press(newcomer, render(language, texts.BUTTON_AGREE))
    return newcomer, match.group(1)
