"""What the security review (docs/security.md) claims, played through the stand-in:
invite links leave no usable copy in the database, a link opened on another phone is
told to the contact person, "forget me" leaves the name nowhere, and a forwarded
command acts for whoever forwarded it."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from contextlib import closing

from bot.app.standin import FakeTelegram
from bot.people.staff import Role
from bot.sending.services import Services
from messages import render, render_bilingual, render_everywhere, texts
from messages.languages import SUPPORTED_LANGUAGES
from tests.conftest import FakeClock, invite_token, last_link, make_staff
from tests.e2e.people import caseworker_with_phone, linked_newcomer, local


def everything_stored(services: Services) -> str:
    """The whole database as SQL text, as a copy of the file would give it."""
    with closing(sqlite3.connect(services.config.storage.database)) as db:
        return "\n".join(db.iterdump())


async def test_invite_links_leave_no_usable_copy_in_the_database(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    admin = await make_staff(services, telegram, 1, "Annelies", Role.ADMIN, "In-Gent")
    laila = await caseworker_with_phone(services, telegram)
    # The first try of the newcomer's link fails at Telegram: the message keeps its text
    # until it goes (see the next test).
    telegram.fail("500", chat_id=laila.id)
    await telegram.send(laila, "/nieuw Amal ar")
    await telegram.send(admin, "/uitnodigen begeleider OCMW")
    staff_token = invite_token(last_link(telegram, admin))
    stored = everything_stored(services)
    assert staff_token not in stored
    assert "/uitnodigen begeleider" not in stored  # what people type is not kept either
    clock.advance(seconds=60)
    await services.dispatcher.run_due()
    newcomer_token = invite_token(last_link(telegram, laila))
    stored = everything_stored(services)
    assert newcomer_token not in stored and staff_token not in stored
    dropped = await services.store.fetch_int(
        "SELECT count(*) FROM outbox WHERE json_extract(payload, '$.dropped') IS NOT NULL"
    )
    assert dropped == 3  # the staff link, the newcomer's link and its QR code
    # The links still work: only their hashes were needed.
    amal = telegram.user(3, "Amal", "ar")
    await telegram.send(amal, f"/start {newcomer_token}")
    assert await services.store.fetch_int(
        "SELECT count(*) FROM newcomers WHERE telegram_user_id = 3"
    )
    await telegram.send(telegram.user(8, "Sarah", "nl"), f"/start {staff_token}")
    assert await services.store.fetch_int("SELECT count(*) FROM staff WHERE telegram_user_id = 8")


async def test_the_newcomers_link_held_back_by_telegram_is_kept_until_it_goes(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    laila = await caseworker_with_phone(services, telegram)
    telegram.fail("500", chat_id=laila.id)
    await telegram.send(laila, "/nieuw Amal ar")
    waiting = await services.store.fetch_int(
        "SELECT count(*) FROM outbox WHERE status = 'pending'"
        " AND json_extract(payload, '$.secret') = 1 AND payload LIKE '%?start=c_%'"
    )
    assert waiting == 1  # not sent yet: the link is still needed
    clock.advance(seconds=60)
    await services.dispatcher.run_due()
    assert "?start=c_" not in everything_stored(services)


async def test_a_new_link_opened_on_another_phone_is_told_to_the_contact_person(
    telegram: FakeTelegram, services: Services
) -> None:
    laila = await caseworker_with_phone(services, telegram)
    amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    await telegram.press_data(laila, f"v1:cl:link:{reference}")
    told = render("nl", texts.CASEWORKER_CONSENT_GIVEN, name="Amal", reference=reference)
    before = telegram.texts_to(laila.id).count(told)
    someone = telegram.user(66, "Someone", "nl")
    await telegram.send(someone, f"/start {invite_token(last_link(telegram, laila))}")
    # Whoever opened it gets Amal's menu (the link is the key); Laila hears of it at once.
    assert telegram.texts_to(someone.id)[-1].startswith(
        render_bilingual("ar", texts.NEWCOMER_CONSENT_THANKS)
    )
    assert telegram.texts_to(laila.id).count(told) == before + 1
    # Amal's own phone is no longer hers in Schakel: she would notice and tell Laila.
    await telegram.send(amal, "/afspraken")
    order = ["ar", *(code for code in SUPPORTED_LANGUAGES if code != "ar")]
    assert telegram.texts_to(amal.id)[-1] == render_everywhere(texts.UNKNOWN_PERSON, order)


async def test_forget_me_leaves_the_name_nowhere_in_the_database(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 1, 9).astimezone(dt.UTC)
    laila = await caseworker_with_phone(services, telegram)
    amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    await linked_newcomer(telegram, laila, 4, "Samira", "ar")
    await telegram.send(laila, f"/afspraak {reference}")
    await telegram.press(laila, "Eerste gesprek")
    await telegram.send(laila, "8/3/2027 10:00")
    await telegram.press(laila, "VDAB: Kongostraat 7, 9000 Gent")
    await telegram.press(laila, "Niemand")
    await telegram.press(laila, "Geen tolk")
    await telegram.press(laila, "✅ Opslaan")
    await telegram.press(amal, render("ar", texts.BUTTON_COMING))  # Laila is told, by name
    await telegram.send(laila, "/clienten")  # a list with both names
    await telegram.send(laila, f"/label {reference} beroepsperspectief")
    # A handover note Laila leaves half-way, with Amal's name in its plan.
    await telegram.send(laila, f"/overdracht {reference}")
    # Amal is asked herself (the question names her organisation and Laila's name).
    for button in ("OCMW", "Nieuwe begeleider", "📱 Vraag het nu", "Bezig"):
        await telegram.press(laila, button)
    assert await services.store.fetch_int("SELECT count(*) FROM handover_consent_requests") == 1
    await telegram.send(laila, "Amal wil eerst Nederlands leren.")
    assert "Amal wil" in str(await services.store.fetch_value("SELECT data FROM drafts"))
    assert "Amal" in everything_stored(services)

    await telegram.send(amal, "/vergeet")
    await telegram.press(amal, render("ar", texts.BUTTON_FORGET_YES))
    stored = everything_stored(services)
    assert "Amal" not in stored
    assert "Samira" in stored  # another newcomer's data is hers to keep
    assert await services.store.fetch_int("SELECT count(*) FROM handover_consent_requests") == 0
    # What stays counts and points to no one: the reference, the kind of appointment.
    assert reference in stored


async def test_a_forwarded_command_acts_for_whoever_forwards_it(
    telegram: FakeTelegram, services: Services
) -> None:
    laila = await caseworker_with_phone(services, telegram)
    amal, _ = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    before = len(telegram.texts_to(amal.id))
    await telegram.send_update(
        {
            "message": {
                "message_id": 500,
                "date": int(time.time()),
                "chat": {"id": amal.id, "type": "private", "first_name": "Amal"},
                "from": amal.as_dict(),
                "forward_origin": {"type": "user", "date": 0, "sender_user": laila.as_dict()},
                "text": "/clienten",
                "entities": [{"type": "bot_command", "offset": 0, "length": 9}],
            }
        }
    )
    # Laila's words, Amal's rights: "not understood", and no list of newcomers.
    assert telegram.texts_to(amal.id)[before:] == [render("ar", texts.NOT_UNDERSTOOD)]


async def test_a_label_that_is_a_national_register_number_is_refused_and_not_kept(
    telegram: FakeTelegram, services: Services
) -> None:
    # Labels are written to the audit log too, which "forget me" cannot erase.
    laila = await caseworker_with_phone(services, telegram)
    _, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    for label in ("85073003328", "85.07.30-033.28", "0470 12 34 56"):
        await telegram.send(laila, f"/label {reference} {label}")
        assert telegram.texts_to(laila.id)[-1] == render("nl", texts.TAG_BAD, max=40)
    await telegram.send(laila, f"/label {reference} nt2 a1")  # digits as such are fine
    tags = await services.store.fetch_all("SELECT tag FROM newcomer_tags")
    assert [row["tag"] for row in tags] == ["nt2 a1"]
    stored = everything_stored(services)
    assert "85073003328" not in stored and "033.28" not in stored
