"""Staff leave through the real Application: an admin ends a caseworker's access with
/medewerkers, picks the colleague who takes over their newcomers, and gives the access
back later. The newcomers hear of their new contact in their language, with the card."""

from __future__ import annotations

from dataclasses import dataclass

from bot.app.standin import FakeTelegram, SimUser
from bot.people.staff import Role, find_staff
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from handlers.people.joining import INVITE_TEXTS
from messages import DUTCH_SEPARATOR, render, texts
from tests.conftest import FakeClock, alerts, invite_token, last_link, make_staff
from tests.e2e.people import REFERENCE, caseworker_with_phone, linked_newcomer

LAILA, TOM = "Laila Peeters", "Tom Wouters"


@dataclass
class Office:
    admin: SimUser
    laila: SimUser  # caseworker at VDAB, who leaves
    tom: SimUser  # caseworker at VDAB, who takes over
    sarah: SimUser  # caseworker at OCMW: another organisation
    amal: SimUser
    dawit: SimUser
    references: dict[str, str]
    hiwet_token: str  # Laila's newcomer link, not used yet
    staff_ids: dict[str, int]


async def office(services: Services, telegram: FakeTelegram) -> Office:
    admin = await make_staff(services, telegram, 1, "Annelies", Role.ADMIN, "In-Gent")
    laila = await caseworker_with_phone(services, telegram, 2, LAILA)
    tom = await make_staff(services, telegram, 9, TOM, Role.CASEWORKER, "VDAB")
    await telegram.send(tom, "/profiel telefoon 0470 99 88 77")
    sarah = await make_staff(services, telegram, 5, "Sarah Claes", Role.CASEWORKER, "OCMW")
    amal, amal_ref = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    dawit, dawit_ref = await linked_newcomer(telegram, laila, 4, "Dawit", "ti")
    await telegram.send(laila, "/nieuw Hiwet ti")
    link = last_link(telegram, laila)
    match = REFERENCE.search(link)
    assert match is not None
    ids = {}
    for user in (admin, laila, tom, sarah):
        member = await find_staff(services.store, user.id)
        assert member is not None
        ids[user.first_name.split()[0]] = member.id
    references = {"Amal": amal_ref, "Dawit": dawit_ref, "Hiwet": match.group(1)}
    return Office(admin, laila, tom, sarah, amal, dawit, references, invite_token(link), ids)


async def contact_of(services: Services, reference: str) -> object:
    return await services.store.fetch_value(
        "SELECT s.name FROM counsellors k JOIN newcomers n ON n.id = k.newcomer_id"
        " JOIN staff s ON s.id = k.staff_id WHERE n.reference = ? AND k.is_contact = 1",
        (reference,),
    )


async def test_an_admin_ends_a_caseworkers_access_and_a_colleague_takes_over(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    o = await office(services, telegram)
    # Laila is halfway through planning an appointment for Amal.
    await telegram.send(o.laila, f"/afspraak {o.references['Amal']}")
    assert await services.store.fetch_value("SELECT count(*) FROM drafts") == 1

    await telegram.send(o.admin, "/medewerkers")
    listing = telegram.texts_to(o.admin.id)[-1]
    assert listing.startswith(render("nl", texts.STAFF_LIST_TITLE))
    assert f"#{o.staff_ids['Laila']} {LAILA}, begeleider bij VDAB" in listing
    await telegram.press(o.admin, f"⛔ {LAILA} (VDAB)")
    choose = telegram.texts_to(o.admin.id)[-1]
    assert choose.startswith(render("nl", texts.STAFF_STOP_CHOOSE, name=LAILA, count=3,
                                    organisation="VDAB"))  # fmt: skip
    # Only the other caseworker of her own organisation is offered, not Sarah of OCMW.
    offered = {button["text"] for _, button in telegram.inline_buttons(o.admin.id)}
    assert f"→ {TOM}" in offered and "→ Sarah Claes" not in offered
    await telegram.press(o.admin, f"→ {TOM}")

    assert telegram.texts_to(o.admin.id)[-1] == render(
        "nl", texts.STAFF_STOPPED, name=LAILA, count=3, colleague=TOM, links=1
    )
    # Each linked newcomer: "your new contact person" in one message, their language and
    # then Dutch, with Tom's phone (the whole card is 👤 in their menu).
    for newcomer, language in ((o.amal, "ar"), (o.dawit, "ti")):
        told = telegram.texts_to(newcomer.id)[-1]
        own, dutch = told.split(DUTCH_SEPARATOR)
        assert own.startswith(render(language, texts.CONTACT_CHANGED, name=TOM,
                                     organisation="VDAB"))  # fmt: skip
        assert dutch.startswith(render("nl", texts.CONTACT_CHANGED, name=TOM, organisation="VDAB"))
        assert "0470 99 88 77" in dutch and "Laila" not in told
    for name in ("Amal", "Dawit", "Hiwet"):
        assert await contact_of(services, o.references[name]) == TOM
    to_tom = telegram.texts_to(o.tom.id)[-1]
    assert to_tom.startswith(f"{LAILA} werkt niet meer met Schakel. U neemt over als "
                             "contactpersoon. Nieuwkomers die u overneemt (3): ")  # fmt: skip
    assert f"Amal ({o.references['Amal']})" in to_tom and "Hiwet" in to_tom
    # Her draft is gone; the audit log says who did what.
    assert await services.store.fetch_value("SELECT count(*) FROM drafts") == 0
    actions = [
        row["action"]
        for row in await services.store.fetch_all(
            "SELECT action FROM audit_log WHERE actor = ? ORDER BY id",
            (f"staff:{o.staff_ids['Annelies']}",),
        )
    ]
    assert actions[-4:] == ["newcomer.contact.change"] * 3 + ["staff.deactivate"]

    # Her next command, button and typed form answer: refused, and nothing changes.
    ended = render("nl", texts.STAFF_ACCESS_ENDED)
    await telegram.send(o.laila, "/clienten")
    assert telegram.texts_to(o.laila.id)[-1] == ended
    await telegram.press_data(o.laila, f"v1:cl:appts:{o.references['Amal']}")
    assert alerts(telegram)[-1] == ended
    clock.advance(hours=1)  # the line comes once an hour, however much she writes
    await telegram.send(o.laila, "morgen om 10 uur")
    assert telegram.texts_to(o.laila.id)[-1] == ended
    await telegram.send(o.laila, "/start s_AAAAAAAAAAAAAAAAAAAAAA")  # no way back by a link
    assert await services.store.fetch_value("SELECT count(*) FROM drafts") == 0
    assert await services.store.fetch_value("SELECT count(*) FROM appointments") == 0
    assert telegram.texts_to(o.laila.id).count(ended) == 2
    # Her open link for Hiwet no longer works.
    hiwet = telegram.user(6, "Hiwet", "ti")
    await telegram.send(hiwet, f"/start {o.hiwet_token}")
    assert telegram.texts_to(hiwet.id)[-1].endswith(render("nl", INVITE_TEXTS["revoked"]))

    # Back from leave: the admin gives the access back; her newcomers stay with Tom.
    await telegram.send(o.admin, "/medewerkers")
    await telegram.press(o.admin, f"↩ {LAILA} (VDAB)")
    await telegram.press(o.admin, render("nl", texts.BUTTON_GIVE_ACCESS_BACK))
    assert telegram.texts_to(o.admin.id)[-1] == render(
        "nl", texts.STAFF_BACK_DONE, name=LAILA, role="begeleider"
    )
    await telegram.send(o.laila, "/clienten")
    assert "Amal" in telegram.texts_to(o.laila.id)[-1]
    assert await contact_of(services, o.references["Amal"]) == TOM
    assert (
        await services.store.fetch_value(
            "SELECT count(*) FROM audit_log WHERE action = 'staff.reactivate' AND subject = ?",
            (f"staff:{o.staff_ids['Laila']}",),
        )
        == 1
    )


async def snapshot(services: Services) -> tuple[object, ...]:
    values = []
    for sql in (
        "SELECT group_concat(active || coalesce(deactivated_at, ''), ',') FROM staff",
        "SELECT group_concat(staff_id || ':' || is_contact, ',') FROM counsellors",
        "SELECT count(revoked_at) FROM newcomer_invites",
        "SELECT count(*) FROM audit_log WHERE action LIKE 'staff.%activate'",
    ):
        values.append(await services.store.fetch_value(sql))
    return tuple(values)


async def test_bad_and_forged_choices_get_a_clear_answer_and_change_nothing(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    o = await office(services, telegram)
    laila, sarah, admin = o.staff_ids["Laila"], o.staff_ids["Sarah"], o.staff_ids["Annelies"]
    before = await snapshot(services)
    cases = [
        (f"v1:st:to:{laila}:{sarah}", render("nl", texts.STAFF_NOT_A_COLLEAGUE,
                                             organisation="VDAB")),  # another organisation
        (f"v1:st:to:{laila}:{o.staff_ids['Annelies']}", render(  # not a caseworker
            "nl", texts.STAFF_NOT_A_COLLEAGUE, organisation="VDAB")),
        (f"v1:st:to:{laila}:{laila}", render("nl", texts.STAFF_NOT_A_COLLEAGUE,
                                             organisation="VDAB")),  # herself
        (f"v1:st:to:{laila}:x", render("nl", texts.STAFF_NOT_A_COLLEAGUE, organisation="VDAB")),
        (f"v1:st:to:{laila}:0", render("nl", texts.STAFF_STOP_NO_COLLEAGUE, name=LAILA,
                                       count=3, organisation="VDAB")),  # her newcomers
        ("v1:st:stop:999", render("nl", texts.STAFF_NOT_FOUND)),
        ("v1:st:to:99999999999999999999:1", render("nl", texts.STAFF_NOT_FOUND)),
        (f"v1:st:back:{laila}", render("nl", texts.STAFF_ALREADY_BACK, name=LAILA)),
        (f"v1:st:backyes:{laila}", render("nl", texts.STAFF_ALREADY_BACK, name=LAILA)),
        # The only admin cannot end her own access: then nobody could manage Schakel.
        (f"v1:st:stop:{admin}", render("nl", texts.STAFF_LAST_ADMIN, name="Annelies")),
        (f"v1:st:to:{admin}:0", render("nl", texts.STAFF_LAST_ADMIN, name="Annelies")),
        # Sarah is OCMW's only caseworker: nobody can take over her newcomer.
    ]  # fmt: skip
    for data, answer in cases:
        await telegram.press_data(o.admin, data)
        assert telegram.texts_to(o.admin.id)[-1] == answer, data
    await telegram.press_data(o.admin, "v1:st:drop:1")
    assert alerts(telegram)[-1] == render("nl", texts.BUTTON_TOO_OLD)
    # Not an admin: stopped by the role gate.
    await telegram.press_data(o.tom, f"v1:st:to:{laila}:{o.staff_ids['Tom']}")
    assert alerts(telegram)[-1] == render("nl", texts.BUTTON_NOT_FOR_YOU)
    await telegram.send(o.tom, "/medewerkers")
    assert telegram.texts_to(o.tom.id)[-1].startswith("Dit kan alleen een beheerder.")
    assert await snapshot(services) == before


async def test_nobody_of_the_organisation_to_take_over_is_said_before_anything_changes(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    o = await office(services, telegram)
    await telegram.send(o.sarah, "/nieuw Yonas fa")
    before = await snapshot(services)
    await telegram.press_data(o.admin, f"v1:st:stop:{o.staff_ids['Sarah']}")
    assert telegram.texts_to(o.admin.id)[-1] == render(
        "nl", texts.STAFF_STOP_NO_COLLEAGUE, name="Sarah Claes", count=1, organisation="OCMW"
    )
    # One newcomer reads right: the count follows the words ("van 1 nieuwkomers" did not).
    assert telegram.texts_to(o.admin.id)[-1].startswith(
        "Nieuwkomers met Sarah Claes als contactpersoon: 1. Geen andere begeleider van OCMW"
    )
    assert await snapshot(services) == before


async def test_the_colleague_who_takes_over_one_newcomer_reads_a_count_of_one_right(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    o = await office(services, telegram)
    nora = await make_staff(services, telegram, 12, "Nora Jacobs", Role.CASEWORKER, "OCMW")
    await telegram.send(o.sarah, "/nieuw Yonas fa")
    match = REFERENCE.search(last_link(telegram, o.sarah))
    assert match is not None
    await telegram.press_data(o.admin, f"v1:st:stop:{o.staff_ids['Sarah']}")
    await telegram.press(o.admin, "→ Nora Jacobs")
    # "U bent nu de contactpersoon van 1 nieuwkomers" read wrong: the count follows the words.
    assert telegram.texts_to(nora.id)[-1] == (
        "Sarah Claes werkt niet meer met Schakel. U neemt over als contactpersoon. "
        f"Nieuwkomers die u overneemt (1): Yonas ({match.group(1)}). "
        "Typ /clienten om uw lijst te zien."
    )


async def test_someone_with_no_newcomers_leaves_after_a_confirmation(
    app: SchakelApp, telegram: FakeTelegram, services: Services
) -> None:
    o = await office(services, telegram)
    second = await make_staff(services, telegram, 11, "Bram", Role.ADMIN, "In-Gent")
    await telegram.press_data(o.admin, f"v1:st:stop:{o.staff_ids['Tom']}")
    confirm = render("nl", texts.STAFF_STOP_CONFIRM, name=TOM)
    assert telegram.texts_to(o.admin.id)[-1].startswith(confirm)
    await telegram.press(o.admin, render("nl", texts.BUTTON_KEEP_AS_IS))
    assert telegram.texts_to(o.admin.id)[-1] == render("nl", texts.STAFF_NOTHING_CHANGED)
    assert (await find_staff(services.store, o.tom.id)) is not None

    # Each admin made a staff link; Bram ends Annelies's access, and her link stops.
    tokens = []
    for admin in (o.admin, second):
        await telegram.send(admin, "/uitnodigen begeleider OCMW")
        tokens.append(invite_token(last_link(telegram, admin)))
    await telegram.press_data(second, f"v1:st:stop:{o.staff_ids['Annelies']}")
    await telegram.press(second, render("nl", texts.BUTTON_STOP_ACCESS))
    assert telegram.texts_to(second.id)[-1] == render(
        "nl", texts.STAFF_STOPPED_ALONE, name="Annelies", links=1
    )
    first, other = telegram.user(12, "Els", "nl"), telegram.user(13, "Nora", "nl")
    await telegram.send(first, f"/start {tokens[0]}")
    assert telegram.texts_to(first.id)[-1] == render("nl", INVITE_TEXTS["revoked"])
    await telegram.send(other, f"/start {tokens[1]}")
    assert telegram.texts_to(other.id)[-1].startswith("Welkom, Nora.")
    # Bram is now the only admin: he cannot end his own access.
    bram = await find_staff(services.store, second.id)
    assert bram is not None
    await telegram.press_data(second, f"v1:st:to:{bram.id}:0")
    assert telegram.texts_to(second.id)[-1] == render("nl", texts.STAFF_LAST_ADMIN, name="Bram")
    assert await find_staff(services.store, second.id) is not None
