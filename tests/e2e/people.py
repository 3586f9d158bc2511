"""Helpers that play the people of Schakel through the stand-in, as they would act."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from bot.app.standin import FakeTelegram, SimUser
from bot.people.staff import Role
from bot.sending.services import Services
from messages import DUTCH_SEPARATOR, render, texts
from messages.languages import ENDONYMS
from tests.conftest import FakeClock, invite_token, last_link, make_staff

REFERENCE = re.compile(r"\((K-\w{4})\)")
BRUSSELS = ZoneInfo("Europe/Brussels")
INTERPRETER_NAMES = {"ar": "Arabisch", "ti": "Tigrinya", "so": "Somalisch"}


def dutch_of(message: str) -> str:
    """The plain Dutch of a message to a newcomer: the part under the Dutch separator,
    which comes after their own language (all of it for a Dutch reader)."""
    return message.split(DUTCH_SEPARATOR)[-1]


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


# The Monday after the spring daylight-saving switch.
MONDAY_AFTER_SPRING_SWITCH = local(2027, 3, 29, 10)


async def caseworker_with_phone(
    services: Services, telegram: FakeTelegram, user_id: int = 2, name: str = "Laila Peeters"
) -> SimUser:
    caseworker = await make_staff(services, telegram, user_id, name, Role.CASEWORKER)
    await telegram.send(caseworker, "/profiel telefoon 0470 12 34 56")
    return caseworker


async def linked_newcomer(
    telegram: FakeTelegram,
    caseworker: SimUser,
    user_id: int,
    name: str,
    language: str,
    level: str = "",
) -> tuple[SimUser, str]:
    """Invited by the caseworker (with a Dutch level on their sheet, if given), linked by the
    newcomer's tap, language picked, consent given."""
    await telegram.send(caseworker, f"/nieuw {name} {language} {level}".rstrip())
    text = last_link(telegram, caseworker)
    match = REFERENCE.search(text)
    assert match is not None
    newcomer = telegram.user(user_id, name, language)
    await telegram.send(newcomer, f"/start {invite_token(text)}")
    await telegram.press(newcomer, ENDONYMS[language])
    await telegram.press(newcomer, render(language, texts.BUTTON_AGREE))
    return newcomer, match.group(1)


async def plan_by_chat(
    telegram: FakeTelegram, caseworker: SimUser, reference: str, starts: dt.datetime, language: str
) -> None:
    await telegram.send(caseworker, f"/afspraak {reference}")
    await telegram.press(caseworker, "Eerste gesprek")
    await telegram.send(caseworker, starts.strftime("%d/%m/%Y %H:%M"))
    await telegram.press(caseworker, "VDAB: Kongostraat 7, 9000 Gent")
    await telegram.send(caseworker, "Laila Peeters en Inge Claes")
    await telegram.send(caseworker, INTERPRETER_NAMES[language])
    preview = telegram.texts_to(caseworker.id)[-1]
    assert preview.startswith(render("nl", texts.PLAN_CONFIRM, name="Amal"))
    assert "Herinneringen: " in preview
    await telegram.press(caseworker, "✅ Opslaan")
    assert telegram.texts_to(caseworker.id)[-1] == render("nl", texts.PLAN_SAVED, name="Amal")


async def planning_waits_for_the_place(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> tuple[SimUser, str]:
    """On 20 January 2027 a caseworker plans a job-coach talk for Amal and has typed its
    day; the form asks where. Returns the caseworker and Amal's reference."""
    clock.now = local(2027, 1, 20, 9).astimezone(dt.UTC)
    caseworker = await caseworker_with_phone(services, telegram)
    _, reference = await linked_newcomer(telegram, caseworker, 3, "Amal", "ar")
    await telegram.send(caseworker, f"/afspraak {reference}")
    await telegram.press(caseworker, "Jobcoach")
    await telegram.send(caseworker, "di 26/1 om 10u")
    assert telegram.texts_to(caseworker.id)[-1].startswith(render("nl", texts.PLAN_ASK_PLACE))
    return caseworker, reference


async def amal_with_an_appointment(
    telegram: FakeTelegram, services: Services, clock: FakeClock, language: str
) -> tuple[SimUser, SimUser, str]:
    """Nine days ahead: a caseworker plans a duo-intake for Amal, linked and agreed.

    Returns the caseworker, Amal and her reference.
    """
    starts = MONDAY_AFTER_SPRING_SWITCH
    clock.now = starts.astimezone(dt.UTC) - dt.timedelta(days=9)
    caseworker = await caseworker_with_phone(services, telegram)
    newcomer, reference = await linked_newcomer(telegram, caseworker, 3, "Amal", language)
    await plan_by_chat(telegram, caseworker, reference, starts, language)
    return caseworker, newcomer, reference
