"""What Telegram sends that is not simply a new message. An edited message is never taken
as an answer: the form waits where it was, nothing stored changes, and the writer is told
once, in their language, what to do. Update ids that start again still get replies."""

from __future__ import annotations

from bot.app.standin import FakeTelegram
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import render, render_bilingual, texts
from tests.conftest import FakeClock
from tests.e2e.people import caseworker_with_phone, linked_newcomer, planning_waits_for_the_place


async def drafts(services: Services) -> list[tuple[object, ...]]:
    return [tuple(row) for row in await services.store.fetch_all("SELECT * FROM drafts")]


async def test_an_edit_in_a_form_is_not_an_answer(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    caseworker, _ = await planning_waits_for_the_place(telegram, services, clock)
    asked_place = telegram.texts_to(caseworker.id)[-1]
    before = await drafts(services)

    # The caseworker changes the date they typed into something that looks like a place.
    await telegram.send(caseworker, "Kongostraat 19, 9000 Gent", edited=True)
    assert telegram.texts_to(caseworker.id)[-1] == render("nl", texts.EDIT_NOT_READ)
    assert await drafts(services) == before

    # The form still waits for the place, and a new message answers it.
    await telegram.send(caseworker, "Kongostraat 19, 9000 Gent")
    assert telegram.texts_to(caseworker.id)[-1] != asked_place
    assert await drafts(services) != before


async def test_a_newcomer_is_told_in_their_language_and_a_group_hears_nothing(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    caseworker = await caseworker_with_phone(services, telegram)
    amal, _ = await linked_newcomer(telegram, caseworker, 3, "Amal", "ar")
    await telegram.send(amal, "/contact")
    await telegram.send(amal, "/stop", edited=True)
    assert telegram.texts_to(amal.id)[-1] == render_bilingual("ar", texts.EDIT_NOT_READ)
    # /stop in an edit did not stop anything: the contact card still comes.
    await telegram.send(amal, "/contact")
    assert telegram.texts_to(amal.id)[-1] != render_bilingual("ar", texts.EDIT_NOT_READ)

    group = telegram.group(-1001, "Partners")
    await telegram.send(caseworker, "/help", group)
    sent = len(telegram.texts_to(group.id))
    await telegram.send(caseworker, "/partnergroep", group, edited=True)
    assert len(telegram.texts_to(group.id)) == sent


async def test_replies_still_go_when_telegram_starts_its_update_ids_again(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    caseworker = await caseworker_with_phone(services, telegram)
    amal, _ = await linked_newcomer(telegram, caseworker, 3, "Amal", "ar")
    telegram.restart_update_ids()
    await telegram.send(amal, "/contact")
    card = telegram.texts_to(amal.id)[-1]
    telegram.restart_update_ids()
    await telegram.send(amal, "/afspraken")
    assert telegram.texts_to(amal.id)[-1] != card  # answered, not taken for a repeat
    telegram.restart_update_ids()
    await telegram.send(amal, "/contact")
    assert telegram.texts_to(amal.id)[-1] == card
