"""A newcomer's whole path, and who may touch whose data, through the real Application."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import pytest

from bot.app.standin import FakeTelegram, SimUser
from bot.appointments.records import Kind, add_appointment
from bot.people.staff import Role
from bot.sending.dispatcher import PRIVATE_BURST, ChatPacer
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import DUTCH_SEPARATOR, FSI, PDI, format_when, render, render_bilingual, texts
from messages.languages import ENDONYMS
from tests.conftest import FakeClock, alerts, invite_token, last_link, make_staff
from tests.e2e.people import linked_newcomer

REFERENCE = re.compile(r"\((K-\w{4})\)")


async def invite(telegram: FakeTelegram, caseworker: SimUser, command: str) -> tuple[str, str]:
    """Run /nieuw; returns the newcomer's reference and start token."""
    await telegram.send(caseworker, command)
    text = last_link(telegram, caseworker)
    match = REFERENCE.search(text)
    assert match is not None
    return match.group(1), invite_token(text)


async def snapshot(services: Services) -> dict[str, list[tuple[object, ...]]]:
    """Everything about newcomers (the outbox and the audit log grow with every reply)."""
    tables = ["newcomers", "counsellors", "newcomer_invites", "appointments", "staff"]
    return {
        table: [tuple(row) for row in await services.store.fetch_all(f"SELECT * FROM {table}")]
        for table in tables
    }


@pytest.mark.parametrize("language", ["nl", "ar", "ti"])
async def test_invite_language_consent_menu_card_appointments_stop_resume_export_forget(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock, language: str
) -> None:
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    await telegram.send(caseworker, "/profiel telefoon 0470 12 34 56")
    await telegram.send(caseworker, "/profiel talen nl ar")
    # The caseworker guessed French; the newcomer picks their own language.
    reference, token = await invite(telegram, caseworker, "/nieuw Selam fr A1")
    assert telegram.sent("sendPhoto")  # the same link as a QR code
    await telegram.send(caseworker, f"/betrokken {reference} jobcoach VDAB Sarah Peeters")
    newcomer = telegram.user(3, "Selam", "en")
    await telegram.send(newcomer, f"/start {token}")
    welcome = telegram.texts_to(newcomer.id)[0]
    assert welcome.startswith(render("fr", texts.NEWCOMER_WELCOME, name="Selam", contact="Youssef",
                                     organisation="VDAB"))  # fmt: skip
    assert all(name in welcome for name in ENDONYMS.values())  # the picker names each in itself

    await telegram.press(newcomer, ENDONYMS[language])
    changed, question = telegram.texts_to(newcomer.id)[-2:]
    assert changed.startswith(render(language, texts.LANGUAGE_CHANGED, language=ENDONYMS[language]))
    assert question.startswith(render(language, texts.NEWCOMER_CONSENT_QUESTION))
    if language != "nl":
        consent = f"{texts.NEWCOMER_CONSENT_QUESTION}\n{texts.NEWCOMER_CONSENT_KEPT}"
        assert question.split("\n[")[0].endswith(DUTCH_SEPARATOR + consent)
    # Everything /gegevens shows is named, and who sees it.
    assert "niveau Nederlands" in question and "code bij Telegram" in question
    assert "hun baas" in question
    await telegram.press(newcomer, render(language, texts.BUTTON_AGREE))
    menu = telegram.menus[newcomer.id]
    assert menu[0] == "📅 " + render(language, texts.MENU_APPOINTMENTS)

    await telegram.send(newcomer, menu[1])  # 👤 contact person
    card = telegram.texts_to(newcomer.id)[-1]
    # One phone format everywhere a person reads a number (bot/core/phones.py).
    shown = "0470 12 34 56"
    phone = f"{FSI}{shown}{PDI}" if language == "ar" else shown
    assert render(language, texts.CARD_PHONE, phone=shown) in card
    assert phone in card.split(DUTCH_SEPARATOR)[0]
    assert "Sarah Peeters (VDAB): " + texts.ABOUT_JOB_COACH in card  # the Dutch part
    if language != "nl":
        assert card.split(DUTCH_SEPARATOR)[1].startswith("Uw contactpersoon is Youssef van VDAB.")

    starts = clock() + dt.timedelta(days=3)
    newcomer_id = await services.store.fetch_value("SELECT id FROM newcomers")
    assert isinstance(newcomer_id, int)
    await add_appointment(
        services.store, services.clock, newcomer_id=newcomer_id, kind=Kind.JOB_COACH,
        starts_at=starts, place="Kongostraat 7, 9000 Gent", with_whom="Sarah Peeters",
    )  # fmt: skip
    await telegram.send(newcomer, menu[0])  # 📅 appointments
    listing = telegram.texts_to(newcomer.id)[-1]
    local = format_when(starts, language, services.config.locale.tzinfo)
    assert (f"{FSI}{local}{PDI}" if language == "ar" else local) in listing
    assert "Waar: Kongostraat 7, 9000 Gent. Met: Sarah Peeters." in listing

    await telegram.send(newcomer, "/stop")
    assert await services.store.fetch_value("SELECT status FROM newcomers") == "stopped"
    assert telegram.texts_to(caseworker.id)[-1] == render(
        "nl", texts.CASEWORKER_NEWCOMER_STOPPED, name="Selam", reference=reference
    )
    await telegram.send(newcomer, "/start")
    assert await services.store.fetch_value("SELECT status FROM newcomers") == "active"
    assert telegram.texts_to(newcomer.id)[-1].startswith(render(language, texts.NEWCOMER_RESUMED))
    assert "wil weer berichten krijgen" in telegram.texts_to(caseworker.id)[-1]

    await telegram.send(newcomer, "/gegevens")
    data = telegram.texts_to(newcomer.id)[-1]
    assert f"Naam: Selam. Code: {reference}." in data and "Niveau Nederlands: A1." in data
    assert "Uw begeleiders: Youssef (VDAB), Sarah Peeters (VDAB)." in data
    assert await services.store.fetch_value(
        "SELECT count(*) FROM audit_log WHERE action = 'newcomer.export'"
    ) == 1  # fmt: skip

    await telegram.send(newcomer, "/vergeet")
    await telegram.press(newcomer, render(language, texts.BUTTON_FORGET_YES))
    assert telegram.texts_to(newcomer.id)[-1].startswith(render(language, texts.FORGOTTEN))
    assert "vroeg om alles te wissen" in telegram.texts_to(caseworker.id)[-1]
    row = await services.store.fetch_one("SELECT * FROM newcomers")
    assert row is not None
    assert (row["first_name"], row["telegram_user_id"], row["chat_id"], row["dutch_level"]) == (
        "", None, None, None,
    )  # fmt: skip
    assert row["forgotten_at"] is not None
    for table in ("counsellors", "newcomer_invites", "outbox"):
        count = await services.store.fetch_value(
            f"SELECT count(*) FROM {table} WHERE newcomer_id = ?", (newcomer_id,)
        )
        assert count == 0, table
    appointment = await services.store.fetch_one("SELECT place, with_whom, kind FROM appointments")
    assert appointment is not None and tuple(appointment) == ("", "", "job_coach")  # a count
    # Forgotten means unknown: the next message gets the stranger's notice.
    await telegram.send(newcomer, "/contact")
    assert "English: " + render("en", texts.UNKNOWN_PERSON) in telegram.texts_to(newcomer.id)[-1]


async def test_menu_waits_for_consent(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    _, token = await invite(telegram, caseworker, "/nieuw Amal ar")
    newcomer = telegram.user(3, "Amal", "ar")
    await telegram.send(newcomer, f"/start {token}")
    for command in ("/contact", "/afspraken", "/gegevens", "/vergeet"):
        await telegram.send(newcomer, command)
        assert telegram.texts_to(newcomer.id)[-1].endswith(texts.CONSENT_FIRST)


async def test_caseworker_changes_language_and_contact_and_renews_the_link(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    youssef = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    els = await make_staff(services, telegram, 5, "Els", Role.CASEWORKER)
    reference, token = await invite(telegram, youssef, "/nieuw Amal ar")
    newcomer = telegram.user(3, "Amal", "ar")
    await telegram.send(newcomer, f"/start {token}")
    await telegram.press(newcomer, render("ar", texts.BUTTON_AGREE))

    await telegram.send(youssef, f"/client {reference}")
    assert f"Amal ({reference}): actief." in telegram.texts_to(youssef.id)[-1]
    await telegram.press(youssef, render("nl", texts.BUTTON_CHANGE_LANGUAGE))
    await telegram.press(youssef, ENDONYMS["ti"])
    assert await services.store.fetch_value("SELECT language FROM newcomers") == "ti"
    assert telegram.texts_to(newcomer.id)[-1].startswith(
        render("ti", texts.LANGUAGE_CHANGED, language=ENDONYMS["ti"])
    )
    assert telegram.menus[newcomer.id][3] == "❓ " + render("ti", texts.MENU_HELP)

    await telegram.press(youssef, render("nl", texts.BUTTON_CHANGE_CONTACT))
    await telegram.press(youssef, "Els (VDAB)")
    assert telegram.texts_to(els.id)[-1].startswith(
        f"U bent nu de contactpersoon van Amal ({reference})."
    )
    # One message: what changed, in Tigrinya and then plain Dutch; the card is 👤 away.
    told = telegram.texts_to(newcomer.id)[-1]
    assert told == render_bilingual("ti", texts.CONTACT_CHANGED, name="Els", organisation="VDAB")
    await telegram.send(newcomer, telegram.menus[newcomer.id][1])
    assert "Uw contactpersoon is Els van VDAB." in telegram.texts_to(newcomer.id)[-1]
    assert await services.store.fetch_value(
        "SELECT count(*) FROM counsellors WHERE is_contact = 1"
    ) == 1  # fmt: skip

    # Youssef still helps, so he may renew the link; the old one then is refused.
    await telegram.press(youssef, render("nl", texts.BUTTON_NEW_LINK))
    new_token = invite_token(last_link(telegram, youssef))
    await telegram.press(youssef, render("nl", texts.BUTTON_REVOKE_LINK))
    assert telegram.texts_to(youssef.id)[-1] == f"De link van Amal ({reference}) werkt niet meer."
    other_phone = telegram.user(33, "Amal", "ar")
    await telegram.send(other_phone, f"/start {new_token}")
    assert telegram.texts_to(other_phone.id)[-1].endswith(texts.INVITE_REVOKED)


async def test_only_those_involved_see_or_change_a_newcomer(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    youssef = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    other_caseworker = await make_staff(services, telegram, 6, "Jan", Role.CASEWORKER, "OCMW")
    coordinator = await make_staff(services, telegram, 7, "Mira", Role.COORDINATOR, "In-Gent")
    amal_ref, amal_token = await invite(telegram, youssef, "/nieuw Amal ar")
    samir_ref, samir_token = await invite(telegram, youssef, "/nieuw Samir ar")
    amal, samir = telegram.user(3, "Amal", "ar"), telegram.user(4, "Samir", "ar")
    for user, token in ((amal, amal_token), (samir, samir_token)):
        await telegram.send(user, f"/start {token}")
        await telegram.press(user, render("ar", texts.BUTTON_AGREE))
    stranger = telegram.user(99, "Stranger", "nl")
    before = await snapshot(services)

    youssef_id = await services.store.fetch_value("SELECT id FROM staff WHERE name = 'Youssef'")
    jan_id = await services.store.fetch_value("SELECT id FROM staff WHERE name = 'Jan'")
    commands = [
        f"/client {amal_ref}",
        f"/betrokken {amal_ref} buddy VDAB Piet",
        "/clienten",
    ]
    buttons = [
        f"v1:cl:{action}:{amal_ref}"
        for action in ("lang", "contact", "link", "revoke", "export", "forget", "forgetyes")
    ] + [
        f"v1:cl:setlang:{amal_ref}:nl",
        f"v1:cl:setcontact:{amal_ref}:{jan_id}",
        f"v1:cl:setcontact:{amal_ref}:{youssef_id}",
        f"v1:consent:no:{amal_ref}",
        f"v1:forget:yes:{amal_ref}",
    ]
    for intruder in (stranger, samir, other_caseworker):
        for command in commands:
            await telegram.send(intruder, command)
        for data in buttons:
            await telegram.press_data(intruder, data)
        seen = "\n".join(telegram.texts_to(intruder.id))
        assert f"Amal ({amal_ref})" not in seen and "actief" not in seen, intruder.first_name
    assert await snapshot(services) == before
    refusals = [call.params for call in telegram.sent("answerCallbackQuery")]
    assert sum(1 for params in refusals if params.get("show_alert")) >= 3 * len(buttons)
    assert "Nieuwkomers: 0" not in "\n".join(telegram.texts_to(other_caseworker.id))
    assert render("nl", texts.NEWCOMERS_NONE) in telegram.texts_to(other_caseworker.id)

    # Coordinators see every newcomer.
    await telegram.send(coordinator, f"/client {amal_ref}")
    assert f"Amal ({amal_ref})" in telegram.texts_to(coordinator.id)[-1]
    await telegram.send(coordinator, "/clienten")
    listing = telegram.texts_to(coordinator.id)[-1]
    assert amal_ref in listing and samir_ref in listing


async def test_caseworker_exports_and_erases_on_the_newcomers_request(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    youssef = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    reference, token = await invite(telegram, youssef, "/nieuw Amal ar B1")
    newcomer = telegram.user(3, "Amal", "ar")
    await telegram.send(newcomer, f"/start {token}")
    await telegram.press(newcomer, render("ar", texts.BUTTON_AGREE))
    await telegram.send(youssef, f"/client {reference}")
    await telegram.press(youssef, render("nl", texts.BUTTON_EXPORT))
    export = telegram.texts_to(youssef.id)[-1]
    arabic, dutch = export.split(DUTCH_SEPARATOR)  # ready to pass on to Amal
    assert f"Naam: Amal. Code: {reference}." in dutch and "Niveau Nederlands: B1." in dutch
    assert f"{FSI}{reference}{PDI}" in arabic
    assert await services.store.fetch_value(
        "SELECT actor FROM audit_log WHERE action = 'newcomer.export'"
    ) == "staff:1"  # fmt: skip

    await telegram.press(youssef, render("nl", texts.BUTTON_FORGET))
    await telegram.press(youssef, render("nl", texts.BUTTON_FORGET_NO))
    assert await services.store.fetch_value("SELECT first_name FROM newcomers") == "Amal"
    await telegram.press(youssef, render("nl", texts.BUTTON_FORGET))
    await telegram.press(youssef, render("nl", texts.BUTTON_FORGET_YES))
    # Each answered question lost its buttons: a second tap on "yes", Amal erased by then,
    # is not offered only to be refused (found by the long fuzz run).
    yes_or_no = {render("nl", texts.BUTTON_FORGET_YES), render("nl", texts.BUTTON_FORGET_NO)}
    assert [b for _, b in telegram.inline_buttons(youssef.id) if b["text"] in yes_or_no] == []
    assert telegram.texts_to(youssef.id)[-1].startswith(f"Ik heb alles over {reference} gewist.")
    # The sheet above still shows its buttons: they are out of date now, and say so.
    await telegram.press(youssef, render("nl", texts.BUTTON_CHANGE_LANGUAGE))
    assert alerts(telegram)[-1] == render("nl", texts.BUTTON_TOO_OLD)
    assert telegram.texts_to(newcomer.id)[-1].startswith(render("ar", texts.FORGOTTEN))
    assert await services.store.fetch_value("SELECT first_name FROM newcomers") == ""
    await telegram.send(youssef, f"/client {reference}")
    assert telegram.texts_to(youssef.id)[-1].startswith(f"Ik vind geen nieuwkomer {reference}")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/profiel telefoon 12", "Dit nummer klopt niet: 12."),
        ("/profiel talen nl klingon", "De taal klingon ken ik niet."),
        ("/profiel", "Telefoon: niet ingevuld."),
        ("/betrokken K-ZZZZ jobcoach VDAB Sarah", "Ik vind geen nieuwkomer K-ZZZZ bij u."),
        ("/betrokken {ref} astronaut VDAB Sarah", "De rol astronaut ken ik niet."),
        ("/betrokken {ref} jobcoach NASA Sarah", "De organisatie NASA ken ik niet."),
        ("/betrokken {ref}", "Zo werkt het: /betrokken CODE ROL ORGANISATIE NAAM."),
        ("/client", "Zo werkt het: /client CODE."),
    ],
)
async def test_staff_typos_get_a_clear_answer_and_change_nothing(
    app: SchakelApp, telegram: FakeTelegram, services: Services, command: str, expected: str
) -> None:
    youssef = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    reference, _ = await invite(telegram, youssef, "/nieuw Amal ar")
    before = await snapshot(services)
    await telegram.send(youssef, command.format(ref=reference))
    assert telegram.texts_to(youssef.id)[-1].startswith(expected)
    assert await snapshot(services) == before


async def test_taking_the_buttons_off_an_answer_keeps_to_the_chats_pace(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    """At Telegram's pace, as the strict stand-in counts it (an edit counts like a message,
    a private chat takes a burst of 3 and then one a second): "what do you know about me",
    "forget me", yes. The buttons taken off the question are paced with the answers queued
    around them, so no message gets a 429 (the "erased" notice did, right after the edit)."""
    youssef = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    amal, _ = await linked_newcomer(telegram, youssef, 3, "Amal", "ar")
    telegram.limits = True
    services.dispatcher.pacer = ChatPacer()  # the real per-chat pace, from a full burst
    await asyncio.sleep(ChatPacer().interval * PRIVATE_BURST)  # Telegram's count, too
    first = len(telegram.calls)

    await telegram.send(amal, "/gegevens")
    await telegram.send(amal, "/vergeet")
    await telegram.press(amal, render("ar", texts.BUTTON_FORGET_YES))

    to_amal = [call for call in telegram.calls[first:] if call.params.get("chat_id") == amal.id]
    assert [call.method for call in to_amal if call.outcome == "ok"][-2:] == [
        "editMessageReplyMarkup", "sendMessage",
    ]  # fmt: skip
    assert [call.outcome for call in telegram.calls[first:] if call.outcome != "ok"] == []
    assert (
        await services.store.fetch_int(
            "SELECT count(*) FROM newcomers WHERE forgotten_at IS NOT NULL"
        )
        == 1
    )
