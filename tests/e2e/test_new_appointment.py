"""Towards a new appointment (issue 23, item 3), through the real application: after "I
can't come" or a missed appointment, the newcomer says when they could come (weekday and
morning or afternoon, or typed), in Arabic (right to left) and Tigrinya; the caseworker is
told in one notice and sees the wish on the newcomer's sheet and in /week; a new
appointment, "forget me" and the retention remove it."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.app.standin import FakeTelegram, SimUser
from bot.appointments import reminders
from bot.appointments.words import weekday_name
from bot.core.callbacks import APPOINTMENT_WISH
from bot.core.config import RetentionConfig
from bot.privacy import retention
from bot.sending.services import Services
from messages import DUTCH_SEPARATOR, list_separator, render, render_bilingual, texts, when
from tests.conftest import FakeClock, alerts
from tests.e2e.people import (
    BRUSSELS,
    amal_with_an_appointment,
    linked_newcomer,
    local,
    plan_by_chat,
)

TUESDAY = 1


def day_button(language: str, weekday: int) -> str:
    name = weekday_name(weekday, language)
    return name[:1].upper() + name[1:]


async def wish_rows(services: Services) -> int:
    return await services.store.fetch_int("SELECT count(*) FROM appointment_wishes")


async def missed(
    telegram: FakeTelegram, services: Services, clock: FakeClock, caseworker: SimUser
) -> None:
    """The appointment (Monday 29 March, 10:00) went by; the caseworker taps "not there"."""
    clock.now = local(2027, 3, 29, 12).astimezone(dt.UTC)
    await reminders.run_due(services)
    await telegram.press(caseworker, render("nl", texts.BUTTON_NO_SHOW))


@pytest.mark.parametrize("language", ["ar", "ti"])
async def test_after_i_cannot_come_a_day_and_a_part_of_it_reach_the_sheet_and_the_week(
    telegram: FakeTelegram, services: Services, clock: FakeClock, language: str
) -> None:
    caseworker, amal, reference = await amal_with_an_appointment(
        telegram, services, clock, language
    )
    await telegram.press(amal, render(language, texts.BUTTON_NOT_COMING))
    await telegram.press(amal, render(language, texts.BUTTON_REASON_WORK))
    # The thanks and, in the same message, when could you come instead: own language
    # first, then plain Dutch.
    thanks = telegram.texts_to(amal.id)[-1]
    own, dutch = thanks.split(DUTCH_SEPARATOR)
    assert own.splitlines()[-1] == render(language, texts.WISH_ASK_DAY)
    *words, buttons = dutch.splitlines()
    assert words == [
        "Dank u. Laila Peeters belt u voor een nieuwe afspraak.",
        "Wanneer kunt u wel komen? Kies een dag.",
    ]
    # Monday to Friday in their language, and "I'll type it".
    assert buttons.count(" | ") == 5 and day_button(language, TUESDAY) in buttons
    told_before = len(telegram.texts_to(caseworker.id))

    await telegram.press(amal, day_button(language, TUESDAY))
    assert telegram.texts_to(amal.id)[-1].startswith(
        render_bilingual(language, texts.WISH_ASK_PART)
    )
    # Half a wish is not told yet: the caseworker hears it once it is said in full.
    assert len(telegram.texts_to(caseworker.id)) == told_before
    await telegram.press(amal, render(language, texts.BUTTON_WISH_MORNING))
    assert telegram.texts_to(amal.id)[-1] == render_bilingual(
        language, texts.WISH_THANKS, contact="Laila Peeters"
    )
    assert telegram.texts_to(caseworker.id)[-1] == (
        f"Amal ({reference}) vraagt een nieuwe afspraak. Voorkeur: dinsdag, ochtend."
    )
    # Another day after all: the same notice, edited (one wish, one message).
    chat = telegram._messages[caseworker.id]
    notice_id, messages = max(chat), len(chat)
    await telegram.press(amal, day_button(language, 3))
    await telegram.press(amal, render(language, texts.BUTTON_WISH_AFTERNOON))
    assert len(chat) == messages
    assert chat[notice_id]["text"].endswith("Voorkeur: donderdag, middag.")

    await telegram.send(caseworker, f"/client {reference}")
    sheet = telegram.texts_to(caseworker.id)[-1]
    assert (
        "Vraagt een nieuwe afspraak sinds zaterdag 20 maart 2027. Voorkeur: donderdag, middag."
        in sheet
    )
    await telegram.send(caseworker, "/week")
    week = telegram.texts_to(caseworker.id)[-1]
    assert week.endswith(f"Vragen een nieuwe afspraak:\nAmal ({reference}): donderdag, middag")
    # Their own data shows it too, in their language and in Dutch.
    await telegram.send(amal, "/gegevens")
    data = telegram.texts_to(amal.id)[-1]
    assert "Uw vraag voor een nieuwe afspraak: donderdag, middag" in data
    own_words = weekday_name(3, language) + list_separator(language)
    own_words += render(language, texts.WISH_AFTERNOON)
    assert render(language, texts.MY_DATA_WISH, wish=own_words) in data

    # The next day the caseworker plans the new appointment: the wish is answered and gone.
    clock.now += dt.timedelta(days=1)
    await plan_by_chat(telegram, caseworker, reference, local(2027, 4, 1, 14), language)
    assert await wish_rows(services) == 0
    await telegram.send(caseworker, f"/client {reference}")
    assert "Vraagt een nieuwe afspraak" not in telegram.texts_to(caseworker.id)[-1]
    await telegram.send(caseworker, "/week")
    assert "Vragen een nieuwe afspraak" not in telegram.texts_to(caseworker.id)[-1]
    # An old button of the wish no longer brings it back.
    await telegram.press(amal, render(language, texts.BUTTON_WISH_MORNING))
    assert alerts(telegram)[-1] == render_bilingual(language, texts.BUTTON_TOO_OLD)
    assert await wish_rows(services) == 0


@pytest.mark.parametrize("language", ["ar", "ti"])
async def test_after_a_missed_appointment_a_kind_word_and_a_new_one_a_tap_away(
    telegram: FakeTelegram, services: Services, clock: FakeClock, language: str
) -> None:
    caseworker, amal, reference = await amal_with_an_appointment(
        telegram, services, clock, language
    )
    await missed(telegram, services, clock, caseworker)
    kind = telegram.texts_to(amal.id)[-1]
    own, dutch = kind.split(DUTCH_SEPARATOR)
    starts = when(local(2027, 3, 29, 10), BRUSSELS)
    assert own.splitlines()[0] == render(language, texts.NO_SHOW_MISSED, when=starts)
    assert dutch.splitlines()[:3] == [
        "We hebben u gemist op de afspraak van maandag 29 maart 2027, 10:00. Dat kan gebeuren.",
        "Vragen? Bel Laila Peeters: 0470 12 34 56",
        "Wilt u een nieuwe afspraak? Tik op de knop.",
    ]
    assert "0470 12 34 56" in own
    # Recorded twice (a second tap): the newcomer hears it once.
    sent = len(telegram.texts_to(amal.id))
    await telegram.press(caseworker, render("nl", texts.BUTTON_NO_SHOW))
    assert len(telegram.texts_to(amal.id)) == sent

    await telegram.press(amal, render(language, texts.BUTTON_PLAN_AGAIN))
    notice = telegram.texts_to(caseworker.id)[-1]
    assert notice == f"Amal ({reference}) vraagt een nieuwe afspraak. Voorkeur: geen voorkeur."
    assert telegram.texts_to(amal.id)[-1].startswith(render_bilingual(language, texts.WISH_ASK_DAY))

    # Typed instead: one short line, numbers in it kept out, the same notice edited.
    chat = telegram._messages[caseworker.id]
    notice_id, messages = max(chat), len(chat)
    await telegram.press(amal, render(language, texts.BUTTON_WISH_TYPE))
    assert telegram.texts_to(amal.id)[-1] == render_bilingual(language, texts.WISH_ASK_TYPED)
    await telegram.send(amal, "x" * 101)
    assert telegram.texts_to(amal.id)[-1] == render_bilingual(
        language, texts.WISH_TOO_LONG, length=101, max=100
    )
    await telegram.send(amal, "Na 14 uur, bel mij op 0486 12 34 56")
    assert telegram.texts_to(amal.id)[-1] == render_bilingual(
        language, texts.WISH_THANKS, contact="Laila Peeters"
    )
    assert len(chat) == messages
    edited = chat[notice_id]["text"]
    assert edited.startswith(f"Amal ({reference}) vraagt een nieuwe afspraak. Voorkeur: Na 14 uur")
    assert "0486" not in edited
    stored = await services.store.fetch_value("SELECT typed FROM appointment_wishes")
    assert isinstance(stored, str) and "0486" not in stored and stored.startswith("Na 14 uur")
    # Once said, more text is not read as the wish.
    await telegram.send(amal, "Dank u")
    assert telegram.texts_to(amal.id)[-1] == render_bilingual(language, texts.NOT_UNDERSTOOD)

    # Another newcomer cannot press Amal's buttons (made up with her appointment's number).
    dawit, _ = await linked_newcomer(telegram, caseworker, 4, "Dawit", "ti")
    appointment = await services.store.fetch_value("SELECT min(id) FROM appointments")
    await telegram.press_data(dawit, APPOINTMENT_WISH.data("day", appointment, 0))
    assert alerts(telegram)[-1] == render_bilingual("ti", texts.BUTTON_NOT_FOR_YOU)
    assert await services.store.fetch_value("SELECT weekday FROM appointment_wishes") is None


async def test_who_said_they_cannot_come_is_not_told_they_were_missed(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    caseworker, amal, _ = await amal_with_an_appointment(telegram, services, clock, "ti")
    await telegram.press(amal, render("ti", texts.BUTTON_NOT_COMING))
    await telegram.press(amal, render("ti", texts.BUTTON_REASON_ILL))
    sent = len(telegram.texts_to(amal.id))
    await missed(telegram, services, clock, caseworker)
    assert await services.store.fetch_value("SELECT status FROM appointments") == "no_show"
    # She was asked when she could come when she said so: no "we missed you" on top.
    assert len(telegram.texts_to(amal.id)) == sent


async def test_forget_me_and_the_retention_remove_a_wish(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    caseworker, amal, _ = await amal_with_an_appointment(telegram, services, clock, "ar")
    await missed(telegram, services, clock, caseworker)
    await telegram.press(amal, render("ar", texts.BUTTON_PLAN_AGAIN))
    assert await wish_rows(services) == 1
    # Nobody acted on it for longer than the drafts' retention: the purge removes it.
    kept = RetentionConfig()
    clock.now += dt.timedelta(days=400)
    report = await retention.purge(services.store, clock, kept, actor="system")
    assert report.of(retention.Kind.DRAFTS).counts["wishes"] == 1
    assert await wish_rows(services) == 0

    await telegram.press(amal, render("ar", texts.BUTTON_PLAN_AGAIN))
    assert await wish_rows(services) == 1
    await telegram.send(amal, "/vergeet")
    await telegram.press(amal, render("ar", texts.BUTTON_FORGET_YES))
    assert await wish_rows(services) == 0
