"""What the fuzz tests (tests/fuzz/) found, each pinned down as a plain example."""

from __future__ import annotations

import datetime as dt

from bot.app.standin import FakeTelegram
from bot.people.staff import Role
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import render, texts
from tests.conftest import FakeClock, alerts, invite_token, last_link, make_staff
from tests.e2e.people import amal_with_an_appointment
from tests.e2e.people import local as brussels
from tests.e2e.test_handover import GROUP_ID, partners, post_note

NOT_IDS = ("9223372036854775808", "9" * 40, "²", "٣", " 1", "1.0")


async def test_an_id_past_sqlites_range_or_in_other_digits_is_no_id(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    """It was an OverflowError (a number past 2**63 - 1 reached SQLite) or a ValueError
    (int("²")): "something went wrong" instead of "this button is not for you"."""
    caseworker, amal, reference = await amal_with_an_appointment(telegram, services, clock, "ar")
    errors: list[BaseException] = []

    async def record(update: object, context: object) -> None:
        errors.append(getattr(context, "error", None) or Exception("?"))

    app.add_error_handler(record)
    for bad in NOT_IDS:
        await telegram.press_data(amal, f"v1:ap:yes:{bad}")
        await telegram.press_data(amal, f"v1:rsvp:{bad}:coming")
        for data in ("v1:sa:cancel:", "v1:at:attended:", "v2:ho:details:", "v1:bc:answers:"):
            await telegram.press_data(caseworker, f"{data}{bad}")
        await telegram.press_data(caseworker, f"v2:ho:details:H-{bad}")  # a note's reference
        await telegram.press_data(caseworker, f"v1:cl:setcontact:{reference}:{bad}")
    assert errors == []
    said = alerts(telegram)
    assert render("ar", texts.BUTTON_NOT_FOR_YOU) in said
    assert render("nl", texts.SOMETHING_WENT_WRONG) not in telegram.texts_to(caseworker.id)
    assert await services.store.fetch_value("SELECT answer FROM appointments") is None


async def test_in_a_group_commands_say_nothing_and_change_nothing(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    """/vandaag typed by a coordinator in the partner group put the day's newcomers, with
    names and references, in front of every partner; a newcomer's /stop there stopped
    them; an invite typed there linked the newcomer to the group."""
    clock.now = brussels(2027, 3, 22, 10).astimezone(dt.UTC)
    group, laila, _sarah, _els = await partners(services, telegram)
    amal = telegram.user(3, "Amal", "ar")
    await telegram.send(laila, "/nieuw Amal ar")
    token = invite_token(last_link(telegram, laila))
    await telegram.send(amal, f"/start {token}", group)
    await telegram.send(telegram.user(99, "Iemand"), f"/start {token}", group)
    assert await services.store.fetch_value("SELECT chat_id FROM newcomers") is None
    await telegram.send(amal, f"/start {token}")
    await telegram.press(amal, render("ar", texts.BUTTON_AGREE))
    reference = str(await services.store.fetch_value("SELECT reference FROM newcomers"))
    in_group_before = list(telegram.texts_to(GROUP_ID))
    commands = ["/clienten", "/vandaag", "/week", "/help", "/profiel"]
    commands += [f"/{name} {reference}" for name in ("newcomer", "geschiedenis", "afspraak")]
    for command in commands:
        await telegram.send(laila, command, group)
    await telegram.send(amal, "/stop", group)
    await telegram.send(amal, "/afspraken", group)
    assert telegram.texts_to(GROUP_ID) == in_group_before
    assert await services.store.fetch_value("SELECT status FROM newcomers") == "active"
    assert await services.store.fetch_int("SELECT count(*) FROM drafts") == 0


async def test_in_a_group_only_the_cards_buttons_work(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    """A made-up sheet button pressed in the group answered in the group: the newcomer's
    export (everything Schakel holds about them) for every partner to read."""
    clock.now = brussels(2027, 3, 22, 10).astimezone(dt.UTC)
    group, laila, sarah, _els = await partners(services, telegram)
    amal = telegram.user(3, "Amal", "ar")
    await telegram.send(laila, "/nieuw Amal ar")
    await telegram.send(amal, f"/start {invite_token(last_link(telegram, laila))}")
    await telegram.press(amal, render("ar", texts.BUTTON_AGREE))
    reference = str(await services.store.fetch_value("SELECT reference FROM newcomers"))
    note = await post_note(telegram, services, laila, reference)
    in_group_before = list(telegram.texts_to(GROUP_ID))
    for data in (f"v1:cl:export:{reference}", f"v1:cl:history:{reference}", "v1:pl:kind:other"):
        await telegram.press_data(laila, data, group=group)
        assert alerts(telegram)[-1] == render("nl", texts.BUTTON_NOT_FOR_YOU)
    assert telegram.texts_to(GROUP_ID) == in_group_before
    # The card's own buttons still work there, and answer privately.
    await telegram.press(sarah, render("nl", texts.BUTTON_DETAILS), group)
    assert f"Overdracht {note.reference} over Amal" in telegram.texts_to(sarah.id)[-1]
    assert telegram.texts_to(GROUP_ID) == in_group_before


async def test_a_pasted_page_is_quoted_back_short_with_the_help_after_it(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    """The date step quoted all of what was typed: 5,000 characters made an answer Telegram
    refuses, and the caseworker got nothing at all."""
    caseworker, _amal, reference = await amal_with_an_appointment(telegram, services, clock, "ar")
    await telegram.send(caseworker, f"/afspraak {reference}")
    await telegram.press(caseworker, render("nl", texts.KIND_JOB_COACH))
    await telegram.send(caseworker, "morgen " * 700)
    answer = telegram.texts_to(caseworker.id)[-1]
    assert answer.startswith("Ik begrijp deze datum niet: morgen morgen")
    assert answer.endswith(render("nl", texts.WHEN_FORMS)) and len(answer) < 600
    await telegram.send(caseworker, f"/client {'K-2222' * 900}")
    assert len(telegram.texts_to(caseworker.id)[-1]) < 200


async def test_i_cant_come_without_a_reason_is_refused_not_silent(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    """A "why" press without a reason (no button of ours) was answered with nothing: no
    words, no message, as if the tap was lost."""
    _caseworker, amal, _ = await amal_with_an_appointment(telegram, services, clock, "ar")
    appointment_id = await services.store.fetch_value("SELECT id FROM appointments")
    for data in (f"v1:ap:why:{appointment_id}", f"v1:ap:why:{appointment_id}:bored"):
        await telegram.press_data(amal, data)
        assert alerts(telegram)[-1] == render("ar", texts.BUTTON_NOT_FOR_YOU)
    assert await services.store.fetch_value("SELECT answer FROM appointments") is None


async def test_an_admin_is_not_offered_an_appointment_form_they_cannot_use(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    """➕ on a newcomer's sheet opened the appointment form for an admin, whose every
    button (✖ Stoppen too) then said "this button is not for you" (found by the fuzzing;
    the sheet now offers each role only its own actions)."""
    _caseworker, _amal, reference = await amal_with_an_appointment(telegram, services, clock, "ar")
    admin = await make_staff(services, telegram, 1, "Annelies", Role.ADMIN)
    await telegram.send(admin, f"/client {reference}")
    sheet = telegram.texts_to(admin.id)[-1]
    # The sheet offers an admin only an admin's actions (handlers/permissions.py) ...
    for button in (texts.BUTTON_NEW_APPOINTMENT, texts.BUTTON_APPOINTMENTS):
        assert render("nl", button) not in sheet
    # ... and the same data, forged, opens nothing either.
    for action in ("plan", "appts"):
        await telegram.press_data(admin, f"v1:cl:{action}:{reference}")
        alert = telegram.sent("answerCallbackQuery")[-1].params["text"]
        assert alert == render("nl", texts.BUTTON_NOT_FOR_YOU)
    assert await services.store.fetch_int("SELECT count(*) FROM drafts") == 0
