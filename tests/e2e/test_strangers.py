"""A stranger hears the multilingual "this bot is for invited newcomers" notice again after
a quiet day, never silence and never a flood (issue 23), in their phone's language first:
Arabic (right to left) and Tigrinya."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.app.standin import FakeTelegram
from bot.sending.services import Services
from handlers.core.access import STRANGER_QUIET
from messages import render_everywhere, texts
from messages.languages import SUPPORTED_LANGUAGES
from tests.conftest import FakeClock
from tests.e2e.people import local


@pytest.mark.parametrize("language", ["ar", "ti"])
async def test_a_stranger_hears_the_notice_again_after_a_quiet_day(
    telegram: FakeTelegram, services: Services, clock: FakeClock, language: str
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    stranger = telegram.user(77, "Mehmet", language)
    notice = render_everywhere(
        texts.UNKNOWN_PERSON, [language, *(c for c in SUPPORTED_LANGUAGES if c != language)]
    )
    await telegram.send(stranger, "hallo?")
    assert telegram.texts_to(stranger.id) == [notice]
    # The same day, however often and across the hour: no flood.
    for minutes in (5, 59, 61, 300):
        clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC) + dt.timedelta(minutes=minutes)
        await telegram.send(stranger, "??")
    assert telegram.texts_to(stranger.id) == [notice]
    # A day after the last notice: the notice again, not silence.
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC) + STRANGER_QUIET
    await telegram.send(stranger, "is er iemand?")
    assert telegram.texts_to(stranger.id) == [notice, notice]
    assert notice.splitlines()[0].startswith(f"{'العربية' if language == 'ar' else 'ትግርኛ'}: ")
