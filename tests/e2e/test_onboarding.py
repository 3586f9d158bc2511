"""Admin, caseworker and newcomer drive the real Application through the stand-in."""

from __future__ import annotations

import pytest

from bot.app.standin import FakeTelegram
from bot.people.staff import Role
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import DUTCH_SEPARATOR, render, texts
from tests.conftest import FakeClock, invite_token, last_link, make_staff


async def table_counts(services: Services) -> dict[str, object]:
    tables = ["staff", "staff_invites", "newcomers", "newcomer_invites", "counsellors", "outbox"]
    return {t: await services.store.fetch_value(f"SELECT count(*) FROM {t}") for t in tables}


async def test_admin_invites_caseworker_who_invites_an_arabic_newcomer(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    admin = await make_staff(services, telegram, 1, "Annelies", Role.ADMIN, "In-Gent")
    await telegram.send(admin, "/uitnodigen begeleider VDAB")
    staff_link = telegram.texts_to(admin.id)[-1]
    assert "begeleider bij VDAB" in staff_link

    caseworker = telegram.user(2, "Youssef", "nl")
    await telegram.send(caseworker, f"/start {invite_token(staff_link)}")
    assert telegram.texts_to(caseworker.id)[-1].startswith("Welkom, Youssef. U bent nu begeleider")

    await telegram.send(caseworker, "/nieuw Amal ar")
    newcomer_link = last_link(telegram, caseworker)
    reference = newcomer_link.split("(")[1].split(")")[0]
    assert reference.startswith("K-") and len(reference) == 6

    newcomer = telegram.user(3, "Amal", "ar")
    await telegram.send(newcomer, f"/start {invite_token(newcomer_link)}")
    welcome, question = telegram.texts_to(newcomer.id)
    arabic, dutch = welcome.split(DUTCH_SEPARATOR)
    assert "مرحب" in arabic and "\u2068Youssef\u2069" in arabic
    assert dutch.startswith("Hallo Amal! Ik ben Schakel. Youssef van VDAB is uw contactpersoon.")
    assert "[ نعم، أوافق | ليس الآن ]" in question

    await telegram.press(newcomer, "نعم، أوافق")
    assert "Dank u. U krijgt nu berichten van mij." in telegram.texts_to(newcomer.id)[-1]
    assert telegram.texts_to(caseworker.id)[-1] == (
        f"Amal ({reference}) zei ja en wil berichten krijgen."
    )
    row = await services.store.fetch_one("SELECT status, consent_at FROM newcomers")
    assert row is not None and row["status"] == "active" and row["consent_at"]
    # The consent buttons were taken away once answered.
    assert telegram.sent("editMessageReplyMarkup")


async def test_the_same_link_twice_is_refused_and_changes_nothing(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    await telegram.send(caseworker, "/nieuw Marta tigrinya")
    token = invite_token(last_link(telegram, caseworker))
    await telegram.send(telegram.user(3, "Marta", "ti"), f"/start {token}")
    before = await table_counts(services)
    someone_else = telegram.user(4, "Other", "en")
    await telegram.send(someone_else, f"/start {token}")
    answer = telegram.texts_to(someone_else.id)[-1]
    assert answer.endswith(render("nl", texts.INVITE_USED))
    assert answer.startswith(render("en", texts.INVITE_USED))
    after = await table_counts(services)
    assert (
        after["newcomers"] == before["newcomers"]
        and after["newcomer_invites"] == before["newcomer_invites"]
    )
    linked = await services.store.fetch_value("SELECT telegram_user_id FROM newcomers")
    assert linked == 3


async def test_expired_and_made_up_links_are_refused(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    await telegram.send(caseworker, "/nieuw Amal ar")
    token = invite_token(last_link(telegram, caseworker))
    clock.advance(days=15)
    newcomer = telegram.user(3, "Amal", "ar")
    await telegram.send(newcomer, f"/start {token}")
    assert render("nl", texts.INVITE_EXPIRED) in telegram.texts_to(newcomer.id)[-1]
    await telegram.send(newcomer, "/start c_AAAAAAAAAAAAAAAAAAAAAA")
    assert render("nl", texts.INVITE_UNKNOWN) in telegram.texts_to(newcomer.id)[-1]
    assert await services.store.fetch_value("SELECT count(chat_id) FROM newcomers") == 0


async def test_not_now_keeps_nothing_and_tells_the_caseworker(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    await telegram.send(caseworker, "/nieuw Oksana uk")
    token = invite_token(last_link(telegram, caseworker))
    newcomer = telegram.user(3, "Oksana", "uk")
    await telegram.send(newcomer, f"/start {token}")
    await telegram.press(newcomer, render("uk", texts.BUTTON_NOT_NOW))
    assert "Ik stuur u geen berichten" in telegram.texts_to(newcomer.id)[-1]
    assert "wil nu geen berichten" in telegram.texts_to(caseworker.id)[-1]
    row = await services.store.fetch_one("SELECT status, chat_id, consent_at FROM newcomers")
    assert row is not None
    assert (row["status"], row["chat_id"], row["consent_at"]) == ("invited", None, None)


async def test_a_stranger_gets_one_notice_in_several_languages_and_nothing_else(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    stranger = telegram.user(99, "Stranger", "tr")
    await telegram.send(stranger, "hello")
    await telegram.send(stranger, "/nieuw Amal ar")
    await telegram.send(stranger, "/uitnodigen beheerder VDAB")
    notices = telegram.texts_to(stranger.id)
    assert len(notices) == 1  # once per hour, however much they write
    assert notices[0].startswith("Türkçe: ")
    assert "العربية: " in notices[0] and "Nederlands: " in notices[0]
    assert await services.store.fetch_value("SELECT count(*) FROM newcomers") == 0
    assert await services.store.fetch_value("SELECT count(*) FROM staff_invites") == 0


async def test_roles_are_checked_once_per_role(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    coordinator = await make_staff(services, telegram, 5, "Chris", Role.COORDINATOR)
    await telegram.send(caseworker, "/uitnodigen beheerder VDAB")
    assert telegram.texts_to(caseworker.id)[-1].startswith("Dit kan alleen een beheerder.")
    await telegram.send(coordinator, "/nieuw Amal ar")
    assert telegram.texts_to(coordinator.id)[-1].startswith("Dit kan alleen een begeleider.")
    assert await services.store.fetch_value("SELECT count(*) FROM staff_invites") == 0
    assert await services.store.fetch_value("SELECT count(*) FROM newcomers") == 0
    await telegram.send(coordinator, "/overzicht")
    assert telegram.texts_to(coordinator.id)[-1].startswith("Overzicht. Nieuwkomers: 0,")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/nieuw", "Zo werkt het: /nieuw VOORNAAM TAAL NIVEAU."),
        ("/nieuw Amal ar Z9", "De taal Z9 ken ik niet."),
        ("/nieuw Amal B7", "Het niveau B7 ken ik niet."),
        ("/nieuw Amal klingon", "De taal klingon ken ik niet."),
        ("/nieuw Amal3 ar", "Typ alleen een voornaam of roepnaam"),
        ("/nieuw " + "a" * 40 + " ar", "Typ alleen een voornaam of roepnaam"),
    ],
)
async def test_caseworker_typos_get_a_clear_answer_and_change_nothing(
    app: SchakelApp, telegram: FakeTelegram, services: Services, command: str, expected: str
) -> None:
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    await telegram.send(caseworker, command)
    assert telegram.texts_to(caseworker.id)[-1].startswith(expected)
    assert await services.store.fetch_value("SELECT count(*) FROM newcomers") == 0


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/uitnodigen", "Zo werkt het: /uitnodigen ROL ORGANISATIE."),
        ("/uitnodigen kok VDAB", "De rol kok ken ik niet."),
        ("/uitnodigen begeleider NASA", "De organisatie NASA ken ik niet."),
    ],
)
async def test_admin_typos_get_a_clear_answer_and_change_nothing(
    app: SchakelApp, telegram: FakeTelegram, services: Services, command: str, expected: str
) -> None:
    admin = await make_staff(services, telegram, 1, "Annelies", Role.ADMIN)
    await telegram.send(admin, command)
    assert telegram.texts_to(admin.id)[-1].startswith(expected)
    assert await services.store.fetch_value("SELECT count(*) FROM staff_invites") == 0


async def test_forged_and_foreign_consent_buttons_are_refused(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    references = []
    for user_id, name in ((3, "Amal"), (4, "Samir")):
        await telegram.send(caseworker, f"/nieuw {name} ar")
        text = last_link(telegram, caseworker)
        references.append(text.split("(")[1].split(")")[0])
        await telegram.send(telegram.user(user_id, name, "ar"), f"/start {invite_token(text)}")
    samir = telegram.user(4, "Samir", "ar")
    for data in (f"v1:consent:yes:{references[0]}", "v1:consent:maybe", "v9:drop:tables", "x" * 64):
        await telegram.press_data(samir, data)
    stranger = telegram.user(99, "Stranger")
    await telegram.press_data(stranger, f"v1:consent:yes:{references[1]}")
    await telegram.press_data(caseworker, f"v1:consent:yes:{references[1]}")
    consents = await services.store.fetch_value("SELECT count(consent_at) FROM newcomers")
    assert consents == 0
    answers = [call.params for call in telegram.sent("answerCallbackQuery")]
    assert len(answers) == 6 and all(a.get("show_alert") for a in answers)


async def test_stop_cancels_what_waits_and_tells_the_contact(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    await telegram.send(caseworker, "/nieuw Amal ar")
    newcomer = telegram.user(3, "Amal", "ar")
    await telegram.send(newcomer, f"/start {invite_token(last_link(telegram, caseworker))}")
    await telegram.press(newcomer, render("ar", texts.BUTTON_AGREE))
    await telegram.send(newcomer, "/stop")
    assert "U krijgt geen berichten meer" in telegram.texts_to(newcomer.id)[-1]
    assert "wil geen berichten meer" in telegram.texts_to(caseworker.id)[-1]
    assert await services.store.fetch_value("SELECT status FROM newcomers") == "stopped"
    actions = [r["action"] for r in await services.store.fetch_all("SELECT action FROM audit_log")]
    assert actions[-1] == "newcomer.stop" and "newcomer.consent.given" in actions


async def test_an_error_inside_a_handler_is_logged_and_told_in_the_users_language(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("bot.people.newcomers.invite_newcomer", broken)
    await telegram.send(caseworker, "/nieuw Amal ar")
    assert telegram.texts_to(caseworker.id)[-1] == render("nl", texts.SOMETHING_WENT_WRONG)
    assert "disk on fire" in caplog.text
    assert await services.store.fetch_value("SELECT count(*) FROM newcomers") == 0


async def test_help_differs_per_role(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    admin = await make_staff(services, telegram, 1, "Annelies", Role.ADMIN)
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    await telegram.send(admin, "/help")
    await telegram.send(caseworker, "/help")
    assert telegram.texts_to(admin.id)[-1].startswith("U bent beheerder.")
    assert telegram.texts_to(caseworker.id)[-1].startswith("U bent begeleider.")
    coordinator = await make_staff(services, telegram, 3, "Kris", Role.COORDINATOR, "In-Gent")
    await telegram.send(coordinator, "/help")
    for staff in (admin, coordinator):  # the figures of one organisation, for who reports alone
        assert "/cijfers 1-9-2026 30-9-2026 VDAB." in telegram.texts_to(staff.id)[-1]
    await telegram.send(caseworker, "wat nu?")
    assert telegram.texts_to(caseworker.id)[-1] == render("nl", texts.NOT_UNDERSTOOD)


@pytest.mark.parametrize("kind", ["photo", "document", "sticker"])
async def test_files_and_stickers_get_a_plain_answer(
    app: SchakelApp, telegram: FakeTelegram, services: Services, kind: str
) -> None:
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER)
    await telegram.send_file(caseworker, kind, caption="/nieuw Amal ar")
    assert telegram.texts_to(caseworker.id) == [render("nl", texts.NOT_UNDERSTOOD)]
    stranger = telegram.user(99, "Stranger")
    await telegram.send_file(stranger, kind)
    assert "Nederlands: Ik ken u nog niet." in telegram.texts_to(stranger.id)[0]
    assert await services.store.fetch_value("SELECT count(*) FROM newcomers") == 0


async def test_the_coordinator_overview_counts_per_organisation(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    caseworker = await make_staff(services, telegram, 2, "Youssef", Role.CASEWORKER, "VDAB")
    coordinator = await make_staff(services, telegram, 5, "Chris", Role.COORDINATOR, "In-Gent")
    for name in ("Amal", "Samir"):
        await telegram.send(caseworker, f"/nieuw {name} ar")
    token = invite_token(last_link(telegram, caseworker))
    samir = telegram.user(4, "Samir", "ar")
    await telegram.send(samir, f"/start {token}")
    await telegram.press(samir, render("ar", texts.BUTTON_AGREE))
    await telegram.send(coordinator, "/overzicht")
    assert telegram.texts_to(coordinator.id)[-1].splitlines() == [
        "Overzicht. Nieuwkomers: 2, van wie aangemeld: 1. Medewerkers: 2.",
        # An organisation of one staff member: no "1 medewerkers" (a count comes after
        # the word it counts, so no noun has to agree with it).
        "In-Gent: nieuwkomers 0, medewerkers 1.",
        "OCMW: nieuwkomers 0, medewerkers 0.",
        "VDAB: nieuwkomers 2, medewerkers 1.",
    ]


async def test_a_stranger_pressing_a_button_is_answered_in_their_language(
    app: SchakelApp, telegram: FakeTelegram
) -> None:
    await telegram.press_data(telegram.user(99, "Stranger", "fr"), "v1:consent:yes:K-2222")
    (answer,) = telegram.sent("answerCallbackQuery")
    assert answer.params["text"] == render("fr", texts.UNKNOWN_PERSON)
    assert answer.params["show_alert"] is True
