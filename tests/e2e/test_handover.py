"""Warm handover through the stand-in, as the people would do it: a caseworker of VDAB
writes a note for Amal with her consent, a caseworker of OCMW reads it and takes over,
Amal is told in Arabic and Dutch; an uninvolved partner and a newcomer pressing the same
buttons are refused; every look at the note is in the audit log."""

from __future__ import annotations

import datetime as dt
import json
import string

import pytest

from bot.app.application import HANDOVER_JOB
from bot.app.standin import FakeTelegram, SimGroup, SimUser
from bot.handovers import notes as handovers
from bot.handovers.form_rules import Redacted, typed_note_text
from bot.handovers.model import Handover, Note, NoteBody, NoteStatus, Reason
from bot.people import newcomers
from bot.people.organisations import find_organisation
from bot.people.staff import Role, find_staff
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import DUTCH_SEPARATOR, render, texts
from tests.conftest import FakeClock, alerts, make_staff
from tests.e2e.people import caseworker_with_phone, linked_newcomer, local

NATIONAL_NUMBER = "85.07.30-033.28"  # valid checksum, as on an eID card
GROUP_ID = -1001234567890


async def partners(
    services: Services, telegram: FakeTelegram
) -> tuple[SimGroup, SimUser, SimUser, SimUser]:
    """The partner group linked by the admin; Laila (VDAB), Sarah (OCMW), Els (In-Gent)."""
    admin = await make_staff(services, telegram, 1, "Annelies", Role.ADMIN)
    group = telegram.group(GROUP_ID, "Partners Gent")
    await telegram.send(admin, "/partnergroep", group)
    assert telegram.texts_to(GROUP_ID)[-1] == render("nl", texts.PARTNER_GROUP_LINKED)
    laila = await caseworker_with_phone(services, telegram)
    sarah = await make_staff(services, telegram, 5, "Sarah Peeters", Role.CASEWORKER, "OCMW")
    await telegram.send(sarah, "/profiel telefoon 09 266 11 11")
    await telegram.send(sarah, "/profiel uren ma-vr 9-12 uur")
    els = await make_staff(services, telegram, 6, "Els Claes", Role.CASEWORKER, "In-Gent")
    return group, laila, sarah, els


async def write_note(
    telegram: FakeTelegram, laila: SimUser, reference: str, consent: str = "🗣 Mondeling"
) -> None:
    """Laila walks through the form: consent first (given in person today), then what
    Schakel knows answered again with ✏️, buttons where she can, typing where she must."""
    await write_until_plans(telegram, laila, reference, consent)
    await telegram.send(
        laila, f"Eerst Nederlands tot A2, dan heftruckopleiding. INSZ {NATIONAL_NUMBER}."
    )  # plan A, and no plan B
    await telegram.send(laila, "Kinderopvang nodig op woensdag. Haar gsm: 0470 98 76 54.")
    await telegram.send(laila, "Kennismaking met de maatschappelijk werker")
    await telegram.send(laila, "5/4")


async def write_until_plans(
    telegram: FakeTelegram, laila: SimUser, reference: str, consent: str = "🗣 Mondeling"
) -> None:
    """The form up to its question for plan A and plan B."""
    await telegram.send(laila, f"/overdracht {reference}")
    await telegram.press(laila, "OCMW")
    await telegram.press(laila, "Sarah Peeters")
    await telegram.press(laila, "Nieuwe begeleider")
    await telegram.press(laila, consent)
    await telegram.press(laila, "Ja, vandaag")
    await telegram.press(laila, "✏️ Wijzigen")  # what Schakel knows, answered one by one
    await telegram.press(laila, "Arabisch")  # mother tongue, known from her profile
    await telegram.press(laila, "Nederlands")
    await telegram.send(laila, "Engels, Frans")
    await telegram.press(laila, "Verder ▶")
    await telegram.press(laila, "Ja")  # interpreter needed
    await telegram.press(laila, "A1")
    await telegram.send(laila, "CVO Gent, Nederlands module 2")
    await telegram.press(laila, "Bezig")


async def post_note(
    telegram: FakeTelegram, services: Services, laila: SimUser, reference: str
) -> Note:
    """The whole form, consent given today, posted; the note as stored."""
    await write_note(telegram, laila, reference)
    await telegram.press(laila, "📤 Plaatsen")
    return (await handovers.notes_of(services.store, 1))[0]


async def audit_lines(services: Services, action_prefix: str) -> list[tuple[str, str, str]]:
    rows = await services.store.fetch_all(
        "SELECT actor, action, subject FROM audit_log WHERE action LIKE ? ORDER BY id",
        (f"{action_prefix}%",),
    )
    return [(row["actor"], row["action"], row["subject"]) for row in rows]


async def test_a_note_goes_from_vdab_to_ocmw_and_ocmw_takes_over(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    group, laila, sarah, els = await partners(services, telegram)
    amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    await write_note(telegram, laila, reference)

    # The national register number: taken out, her message with it deleted, nothing kept.
    to_laila = telegram.texts_to(laila.id)
    removed = render("nl", texts.HANDOVER_REMOVED, kinds="rijksregisternummer")
    assert removed in to_laila
    assert render("nl", texts.HANDOVER_MESSAGE_DELETED) in to_laila
    assert [c.method for c in telegram.calls].count("deleteMessage") == 1
    drafted = await services.store.fetch_value("SELECT data FROM drafts")
    assert "033" not in str(drafted) and "0470 98" not in str(drafted)

    # Nothing is posted before the last tap.
    assert telegram.texts_to(GROUP_ID)[-1] == render("nl", texts.PARTNER_GROUP_LINKED)
    preview = telegram.texts_to(laila.id)[-1]
    assert "[rijksregisternummer weggehaald]" in preview
    assert "[telefoonnummer weggehaald]" in preview
    assert render("nl", texts.HANDOVER_CARD_PREVIEW) in preview
    await telegram.press(laila, "📤 Plaatsen")
    note = (await handovers.notes_of(services.store, 1))[0]
    assert telegram.texts_to(laila.id)[-1] == render(
        "nl", texts.HANDOVER_POSTED, reference=note.reference, organisation="OCMW"
    )

    # The card: the note's own reference, from, to, reason, next step and date; no person.
    card = telegram.texts_to(GROUP_ID)[-1]
    assert f"🤝 Overdracht {note.reference}: van VDAB naar OCMW." in card
    assert "Volgende stap: Kennismaking met de maatschappelijk werker." in card
    assert "maandag 5 april 2027" in card
    for private in ("Amal", reference, "Kinderopvang", "heftruck", "033", "0470", "CVO"):
        assert private not in card

    # Stored: redacted, with the consent for OCMW and this purpose.
    body = json.loads(str(await services.store.fetch_value("SELECT body FROM handover_notes")))
    assert "033" not in json.dumps(body) and "0470 98" not in json.dumps(body)
    consent = await services.store.fetch_one("SELECT * FROM handover_consents")
    assert consent is not None
    assert (consent["purpose"], consent["agreed_on"]) == ("handover", "2027-03-22")

    # An uninvolved partner and a newcomer pressing the same buttons: refused, nothing sent.
    sent_before = len(telegram.sent())
    await telegram.press(els, "📄 Details", group)
    assert alerts(telegram)[-1] == render(
        "nl", texts.HANDOVER_NOT_YOURS, from_organisation="VDAB", to_organisation="OCMW"
    )
    await telegram.press(els, "✅ Ik neem over", group)
    await telegram.press(amal, "📄 Details", group)
    assert alerts(telegram)[-1] == render("ar", texts.BUTTON_NOT_FOR_YOU)
    await telegram.press_data(amal, f"v2:ho:take:{note.reference}")
    assert alerts(telegram)[-1] == render("ar", texts.BUTTON_NOT_FOR_YOU)
    assert len(telegram.sent()) == sent_before
    assert (await handovers.get(services.store, note.id)).status is NoteStatus.POSTED  # type: ignore[union-attr]

    # Sarah (OCMW) reads the details privately, then takes over.
    await telegram.press(sarah, "📄 Details", group)
    assert alerts(telegram)[-1] == render("nl", texts.HANDOVER_DETAILS_SENT)
    details = telegram.texts_to(sarah.id)[-1]
    assert f"Overdracht {note.reference} over Amal ({reference})" in details
    # For her eyes: Telegram does not let her forward or save it.
    [call] = [c for c in telegram.sent() if c.params.get("text") == details]
    assert call.params.get("protect_content") is True
    assert "Kinderopvang nodig op woensdag" in details
    assert "[rijksregisternummer weggehaald]" in details
    await telegram.press(sarah, "✅ Ik neem over", group)
    assert telegram.texts_to(sarah.id)[-1] == render(
        "nl", texts.CONTACT_NOW_YOU, name="Amal", reference=reference
    )

    # Amal hears it in one message: what changed and how to reach Sarah (phone, hours), in
    # Arabic and then in plain Dutch; the whole card is one tap away (👤 in her menu).
    told = telegram.texts_to(amal.id)[-1]
    changed = {"name": "Sarah Peeters", "organisation": "OCMW"}
    assert told.startswith(render("ar", texts.CONTACT_CHANGED, **changed))
    assert told.count(DUTCH_SEPARATOR) == 1
    own, dutch = told.split(DUTCH_SEPARATOR)
    assert render("nl", texts.CONTACT_CHANGED, **changed) in dutch
    # One phone format; the hours typed as "ma-vr 9-12 uur" read in each language.
    assert "09 266 11 11" in told and "+3292661111" not in told
    assert "الاثنين–الجمعة \u20689:00–12:00\u2069" in own and "ma-vr" not in told
    assert "maandag–vrijdag 9:00–12:00" in dutch
    await telegram.send(amal, telegram.menus[amal.id][1])  # 👤
    card_now = telegram.texts_to(amal.id)[-1]
    assert render("nl", texts.CARD_CONTACT, name="Sarah Peeters", organisation="OCMW") in card_now

    # Laila is told; the card in the group now says who took over, and when.
    assert telegram.texts_to(laila.id)[-1] == render(
        "nl", texts.HANDOVER_TAKEN_AUTHOR, taker="Sarah Peeters", organisation="OCMW",
        reference=note.reference, name="Amal",
    )  # fmt: skip
    edit = telegram.sent("editMessageText")[-1]
    assert int(edit.params["chat_id"]) == GROUP_ID
    assert (
        "✅ Overgenomen door Sarah Peeters (OCMW) op maandag 22 maart 2027" in edit.params["text"]
    )
    assert "Ik neem over" not in json.dumps(edit.params.get("reply_markup", {}))

    # A second press changes nothing; Laila may still read it (her organisation sent it).
    await telegram.press(sarah, "📄 Details", group)
    await telegram.press_data(sarah, f"v2:ho:take:{note.reference}")
    assert alerts(telegram)[-1] == render("nl", texts.HANDOVER_ALREADY_DECIDED)
    await telegram.press_data(laila, f"v2:ho:details:{note.reference}")

    # Every look is in the audit log, the refused ones too.
    views = await audit_lines(services, "handover.view")
    subject = f"note:{note.reference}"
    assert views == [
        ("staff:4", "handover.view.refused", subject),  # Els (In-Gent)
        ("staff:3", "handover.view", subject),  # Sarah (OCMW)
        ("staff:3", "handover.view", subject),
        ("staff:2", "handover.view", subject),  # Laila (VDAB)
    ]
    decided = await audit_lines(services, "handover.take")
    assert decided == [("staff:3", "handover.take_over", subject)]


async def test_without_consent_nothing_is_posted_and_cancel_leaves_at_any_step(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    group, laila, _sarah, _els = await partners(services, telegram)
    _amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    await telegram.send(laila, f"/overdracht {reference}")
    await telegram.press(laila, "OCMW")
    await telegram.press(laila, "Sarah Peeters")
    await telegram.press(laila, "Nieuwe begeleider")
    await telegram.press(laila, "Nee, nog niet")  # consent is the first question
    assert telegram.texts_to(laila.id)[-1] == render("nl", texts.HANDOVER_NO_CONSENT, name="Amal")
    await telegram.send(laila, "/overdracht " + reference)
    await telegram.press(laila, "OCMW")
    await telegram.send(laila, "/cancel")
    assert telegram.texts_to(laila.id)[-1] == render("nl", texts.PLAN_STOPPED)
    assert await services.store.fetch_int("SELECT count(*) FROM handover_notes") == 0
    assert await services.store.fetch_int("SELECT count(*) FROM handover_consents") == 0
    assert await services.store.fetch_int("SELECT count(*) FROM drafts") == 0
    assert telegram.texts_to(group.id) == [render("nl", texts.PARTNER_GROUP_LINKED)]


async def test_consent_given_earlier_and_typos_get_clear_answers(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    _group, laila, _sarah, _els = await partners(services, telegram)
    _amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    await telegram.send(laila, f"/client {reference}")
    await telegram.press(laila, "🤝 Overdracht")  # the same form as /overdracht
    await telegram.send(laila, "Fedasil")  # not a partner: asked again
    assert telegram.texts_to(laila.id)[-1].startswith(
        render("nl", texts.HANDOVER_ASK_ORGANISATION, name="Amal", reference=reference)
    )
    await telegram.send(laila, "ocmw")
    await telegram.press(laila, "Wie tijd heeft")
    await telegram.press(laila, "Doorsturen")
    await telegram.press(laila, "📝 Op papier")
    await telegram.send(laila, "1/4/2027")
    assert telegram.texts_to(laila.id)[-1].startswith(
        render("nl", texts.DAY_FUTURE, typed="1/4/2027")
    )
    await telegram.send(laila, "18/3")
    await telegram.press(laila, "✏️ Wijzigen")
    await telegram.send(laila, "Bloemkool")
    assert telegram.texts_to(laila.id)[-1] == render(
        "nl", texts.UNKNOWN_INTERPRETER, typed="Bloemkool"
    )
    await telegram.send(laila, "Tigrinya")
    await telegram.press(laila, "Verder ▶")
    await telegram.press(laila, "Nee")
    await telegram.send(laila, "B7")
    assert telegram.texts_to(laila.id)[-1].startswith("Het niveau B7 ken ik niet.")
    await telegram.press(laila, "Weet ik niet")
    await telegram.press(laila, "Geen")
    await telegram.press(laila, "Afgerond")
    await telegram.send(laila, "x" * 301)
    assert telegram.texts_to(laila.id)[-1] == render(
        "nl", texts.ANNOUNCE_TEXT_TOO_LONG, length=301, max=300
    )
    await telegram.send(laila, "Opleiding lasser bij VDAB")
    await telegram.press(laila, "Geen")
    await telegram.send(laila, "Intake bij VDAB")
    await telegram.send(laila, "20/03/2027")
    assert telegram.texts_to(laila.id)[-1].startswith(
        render("nl", texts.WHEN_PAST, typed="20/03/2027")
    )
    await telegram.press(laila, "Geen datum")
    preview = telegram.texts_to(laila.id)[-1]
    assert "Amal ging op papier akkoord op donderdag 18 maart 2027: delen met OCMW" in preview
    assert "Moedertaal: Tigrinya" in preview
    await telegram.press(laila, "📤 Plaatsen")
    consent = await services.store.fetch_one("SELECT * FROM handover_consents")
    assert consent is not None
    assert (consent["purpose"], consent["agreed_on"], consent["given_by"]) == (
        "referral",
        "2027-03-18",
        "paper",
    )
    card = telegram.texts_to(GROUP_ID)[-1]
    assert "Reden: Doorsturen." in card and "Volgende stap: Intake bij VDAB." in card


async def test_decline_with_a_reason_tells_the_author_and_edits_the_card(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    group, laila, sarah, _els = await partners(services, telegram)
    amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    note = await post_note(telegram, services, laila, reference)
    # Laila's own organisation may not decide on it.
    only_ocmw = render("nl", texts.HANDOVER_ONLY_RECEIVER, organisation="OCMW")
    await telegram.press(laila, "✖ Weigeren", group)
    assert alerts(telegram)[-1] == only_ocmw
    await telegram.press(laila, "✅ Ik neem over", group)
    assert alerts(telegram)[-1] == only_ocmw
    await telegram.press(sarah, "✖ Weigeren", group)
    assert telegram.texts_to(sarah.id)[-1].startswith(
        render(
            "nl", texts.HANDOVER_ASK_DECLINE_REASON, organisation="OCMW", reference=note.reference
        )
    )
    await telegram.press_data(sarah, f"v2:ho:why:{note.reference}:nonsense")  # forged: nothing
    await telegram.press(sarah, "Geen plaats")
    assert telegram.texts_to(sarah.id)[-1] == render(
        "nl", texts.HANDOVER_DECLINED_YOU, author="Laila Peeters"
    )
    assert telegram.texts_to(laila.id)[-1] == render(
        "nl", texts.HANDOVER_DECLINED_AUTHOR, organisation="OCMW", reference=note.reference,
        name="Amal", reason="Geen plaats", newcomer_reference=reference,
    )  # fmt: skip
    edit = telegram.sent("editMessageText")[-1]
    assert "✖ Geweigerd door Sarah Peeters (OCMW)" in edit.params["text"]
    assert "Reden: Geen plaats." in edit.params["text"]
    # Amal keeps Laila as her contact and hears nothing.
    assert not any("Sarah" in text for text in telegram.texts_to(amal.id))
    contact = await services.store.fetch_value(
        "SELECT s.name FROM counsellors k JOIN staff s ON s.id = k.staff_id WHERE k.is_contact = 1"
    )
    assert contact == "Laila Peeters"


async def test_a_note_nobody_takes_is_raised_again_after_three_working_days(
    telegram: FakeTelegram, services: Services, clock: FakeClock, app: SchakelApp
) -> None:
    assert app.job_queue is not None  # the running bot checks every hour
    assert [job.name for job in app.job_queue.get_jobs_by_name(HANDOVER_JOB)] == [HANDOVER_JOB]
    clock.now = local(2027, 3, 26, 15).astimezone(dt.UTC)  # a Friday before Easter
    _group, laila, _sarah, _els = await partners(services, telegram)
    _amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    note = await post_note(telegram, services, laila, reference)
    # Easter Monday does not count: due Thursday 1 April, 15:00.
    clock.now = local(2027, 4, 1, 14, 59).astimezone(dt.UTC)
    assert await handovers.raise_overdue(services) == 0
    clock.now = local(2027, 4, 1, 15, 0).astimezone(dt.UTC)
    assert await handovers.raise_overdue(services) == 1
    assert await handovers.raise_overdue(services) == 0  # once, not every hour
    await services.dispatcher.run_due()
    assert telegram.texts_to(GROUP_ID)[-1].startswith(
        render("nl", texts.CARD_RAISED, reference=note.reference, days=3)
    )
    assert telegram.texts_to(laila.id)[-1] == render(
        "nl", texts.HANDOVER_RAISED_AUTHOR, reference=note.reference, name="Amal", days=3,
        organisation="OCMW",
    )  # fmt: skip
    # Three working days later it is raised again, until someone decides.
    clock.now = local(2027, 4, 6, 15, 0).astimezone(dt.UTC)
    assert await handovers.raise_overdue(services) == 1


async def test_history_shows_handovers_and_appointments_newest_first_to_involved_staff(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    _group, laila, sarah, els = await partners(services, telegram)
    _amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    await telegram.send(laila, f"/geschiedenis {reference}")
    assert telegram.texts_to(laila.id)[-1] == render(
        "nl", texts.HISTORY_NONE, name="Amal", reference=reference
    )
    await telegram.send(laila, f"/afspraak {reference}")
    await telegram.press(laila, "Eerste gesprek")
    await telegram.send(laila, "24/3/2027 10:00")
    await telegram.press(laila, "VDAB: Kongostraat 7, 9000 Gent")
    await telegram.press(laila, "Niemand")
    await telegram.press(laila, "Geen tolk")
    await telegram.press(laila, "✅ Opslaan")
    await post_note(telegram, services, laila, reference)
    await telegram.send(laila, f"/geschiedenis {reference}")
    lines = telegram.texts_to(laila.id)[-1].splitlines()
    assert lines[0] == render("nl", texts.HISTORY_TITLE, name="Amal", reference=reference)
    assert lines[1].startswith("woensdag 24 maart 2027, 10:00: Eerste gesprek: gepland")
    assert lines[2].startswith("maandag 22 maart 2027, 10:00: overdracht H-")
    assert lines[2].endswith("van VDAB naar OCMW (Nieuwe begeleider): open.")
    await telegram.send(laila, f"/client {reference}")
    await telegram.press(laila, "🕘 Geschiedenis")
    assert telegram.texts_to(laila.id)[-1].splitlines() == lines
    # Not involved (yet): the same answer as for a code that does not exist.
    for outsider in (sarah, els):
        await telegram.send(outsider, f"/geschiedenis {reference}")
        assert telegram.texts_to(outsider.id)[-1] == render(
            "nl", texts.NEWCOMER_NOT_FOUND, reference=reference
        )


async def test_without_a_partner_group_the_note_waits_until_an_admin_links_one(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    laila = await caseworker_with_phone(services, telegram)
    await make_staff(services, telegram, 5, "Sarah Peeters", Role.CASEWORKER, "OCMW")
    _amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    await write_note(telegram, laila, reference)
    await telegram.press(laila, "📤 Plaatsen")
    assert render("nl", texts.HANDOVER_NO_GROUP) in telegram.texts_to(laila.id)
    assert await services.store.fetch_int("SELECT count(*) FROM handover_notes") == 0
    # /partnergroep in a private chat is explained; in the group it links it.
    admin = await make_staff(services, telegram, 1, "Annelies", Role.ADMIN)
    await telegram.send(admin, "/partnergroep")
    assert telegram.texts_to(admin.id)[-1] == render("nl", texts.PARTNER_GROUP_ONLY_IN_GROUP)
    await telegram.send(laila, "/partnergroep", telegram.group(GROUP_ID, "Partners Gent"))
    await telegram.send(admin, "/partnergroep", telegram.group(GROUP_ID, "Partners Gent"))
    await telegram.press(laila, "📤 Plaatsen")  # the draft was kept
    assert telegram.texts_to(GROUP_ID)[-1].startswith("🤝 Overdracht H-")


async def test_the_partner_group_gets_at_most_twenty_messages_a_minute_through_the_outbox(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    _group, laila, _sarah, _els = await partners(services, telegram)
    _amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    author = await find_staff(services.store, laila.id)
    amal = await newcomers.newcomer_for_staff(services.store, author, reference)  # type: ignore[arg-type]
    ocmw = await find_organisation(services.store, "OCMW")
    assert author is not None and amal is not None and ocmw is not None
    telegram.limits = True  # from here the stand-in answers 429 as Telegram would
    body = NoteBody(mother_tongue="ar", next_step="Intake")
    for _ in range(24):  # a busy morning: 24 notes within a second
        handover = Handover(amal, ocmw.id, None, Reason.REFERRAL, body, dt.date(2027, 3, 22))
        await handovers.post(services, author, handover)
    to_group = [c for c in telegram.sent() if int(c.params["chat_id"]) == GROUP_ID]
    assert len(to_group) == 20  # "this is now the partner group" and 19 cards
    assert not [c for c in telegram.calls if c.outcome == "429"]
    waiting = await services.store.fetch_all(
        "SELECT reason, due_at FROM outbox WHERE chat_id = ? AND status = 'pending'", (GROUP_ID,)
    )
    assert len(waiting) == 5  # kept in the outbox with a due time, not in memory
    assert {row["reason"] for row in waiting} == {"pacing for this chat"}


# --- the card's buttons name the note by its random reference, not its id --------------------


async def every_table(services: Services) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: a press that is refused must leave them all as they were."""
    tables = await services.store.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {
        row[0]: [tuple(r) for r in await services.store.fetch_all(f"SELECT * FROM {row[0]}")]
        for row in tables
    }


async def test_the_card_names_the_note_by_its_reference_and_nothing_else_finds_it(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    """The buttons said `v1:ho:take:12`: whoever saw one card could write the data for
    notes 11 and 13. Now they name the note's random reference, read strictly."""
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    _group, laila, _sarah, _els = await partners(services, telegram)
    _amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    note = await post_note(telegram, services, laila, reference)
    buttons = [button["callback_data"] for _, button in telegram.inline_buttons(GROUP_ID)]
    assert buttons == [
        f"v2:ho:{action}:{note.reference}" for action in ("details", "take", "decline")
    ]
    found = await handovers.get_by_reference(services.store, note.reference)
    assert found is not None and found.id == note.id
    code = note.reference.removeprefix("H-")
    for other in (
        str(note.id), note.reference.lower(), f"h-{code}", f" {note.reference}",
        f"{note.reference} ", f"{note.reference}\n", f"H-{code}{code[0]}", f"H-{code[:3]}",
        f"H–{code}", f"K-{code}", f"Ｈ-{code}", "H-", "", "H-%", "H-____", "H-IIII", "H-1111",
    ):  # fmt: skip
        assert await handovers.get_by_reference(services.store, other) is None, other


async def test_a_made_up_reference_is_not_found_and_changes_nothing(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    """Forged data naming a well-formed reference no note has: "not found", as an unknown
    id was before; like it, not audited (there is no note to name in the audit log)."""
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    group, laila, sarah, _els = await partners(services, telegram)
    _amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    note = await post_note(telegram, services, laila, reference)
    made_up = "H-2222" if note.reference != "H-2222" else "H-3333"
    before, sent_before = await every_table(services), len(telegram.sent())
    not_found = render("nl", texts.HANDOVER_NOT_FOUND)
    card = (f"details:{made_up}", f"take:{made_up}", f"decline:{made_up}",
            f"take:{note.id}", f"details:{note.id}")  # fmt: skip
    private = (*card, f"why:{made_up}:no_capacity")  # the reasons are asked privately
    for where, presses in ((group, card), (None, private)):
        for data in presses:
            await telegram.press_data(sarah, f"v2:ho:{data}", group=where)
            assert alerts(telegram)[-1] == not_found, data
    assert len(telegram.sent()) == sent_before
    assert await every_table(services) == before


async def test_guessing_note_references_reveals_no_other_organisations_note(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    """Els (In-Gent) presses every card button for H-AAAA to H-AAAZ. A note from VDAB to
    OCMW has one of those references (set here, so that a guess hits): she learns which
    two organisations it is between, as the card in the group says, and nothing more.
    Nothing is sent to her, nothing changes but the audit line of her refused look."""
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    group, laila, _sarah, els = await partners(services, telegram)
    amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    note = await post_note(telegram, services, laila, reference)
    async with services.store.transaction() as db:
        await db.execute("UPDATE handover_notes SET reference = 'H-AAAM' WHERE id = ?", (note.id,))
    before, sent_before = await every_table(services), len(telegram.sent())
    audited_before = await audit_lines(services, "")
    answered_before = len(alerts(telegram))
    guesses = [f"H-AAA{letter}" for letter in string.ascii_uppercase]
    for guess in guesses:
        for action in ("details", "take", "decline", "why"):
            data = f"v2:ho:{action}:{guess}" + (":no_capacity" if action == "why" else "")
            await telegram.press_data(els, data, group=group if action != "why" else None)
    answers = alerts(telegram)[answered_before:]
    not_yours = render(
        "nl", texts.HANDOVER_NOT_YOURS, from_organisation="VDAB", to_organisation="OCMW"
    )
    assert len(answers) == 4 * len(guesses)
    assert answers.count(not_yours) == 4  # the four presses naming H-AAAM
    assert set(answers) == {not_yours, render("nl", texts.HANDOVER_NOT_FOUND)}
    assert len(telegram.sent()) == sent_before and telegram.texts_to(els.id) == []
    for private in ("Amal", reference, "Kinderopvang", "heftruck", "Sarah", "Laila"):
        assert not any(private in answer for answer in answers), private
    after = await every_table(services)
    assert await audit_lines(services, "") == [
        *audited_before,
        ("staff:4", "handover.view.refused", "note:H-AAAM"),
    ]
    assert {table: rows for table, rows in after.items() if table != "audit_log"} == {
        table: rows for table, rows in before.items() if table != "audit_log"
    }
    assert amal.id not in {int(c.params["chat_id"]) for c in telegram.sent()[sent_before:]}


async def test_an_old_card_button_does_nothing_and_the_raised_card_works(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    """A card posted before version 2 carries `v1:ho:<action>:<id>`. Its buttons no longer
    act, in the group or privately: "this button no longer works". An open note is raised
    again after three working days with a fresh card, whose buttons do work."""
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)  # a Monday
    group, laila, sarah, _els = await partners(services, telegram)
    _amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    note = await post_note(telegram, services, laila, reference)
    before, sent_before = await every_table(services), len(telegram.sent())
    for action in ("details", "take", "decline", "why"):
        data = f"v1:ho:{action}:{note.id}" + (":no_capacity" if action == "why" else "")
        for where in (group, None):
            await telegram.press_data(sarah, data, group=where)
            assert alerts(telegram)[-1] == render("nl", texts.BUTTON_TOO_OLD), (data, where)
    assert len(telegram.sent()) == sent_before
    assert await every_table(services) == before

    clock.now = local(2027, 3, 25, 10).astimezone(dt.UTC)  # three working days later
    assert await handovers.raise_overdue(services) == 1
    await services.dispatcher.run_due()
    newest = telegram.inline_buttons(GROUP_ID)[-1][0]
    assert newest["text"].startswith(
        render("nl", texts.CARD_RAISED, reference=note.reference, days=3)
    )
    fresh = [button["callback_data"] for message, button in telegram.inline_buttons(GROUP_ID)
             if message is newest]  # fmt: skip
    assert fresh == [
        f"v2:ho:{action}:{note.reference}" for action in ("details", "take", "decline")
    ]
    await telegram.press(sarah, "✅ Ik neem over", group)  # the newest card's button
    assert telegram.texts_to(sarah.id)[-1] == render(
        "nl", texts.CONTACT_NOW_YOU, name="Amal", reference=reference
    )
    taken = await handovers.get(services.store, note.id)
    assert taken is not None and taken.status is NoteStatus.TAKEN_OVER


@pytest.mark.parametrize("language", ["nl", "ar", "ti"])
async def test_long_note_texts_say_how_much_room_is_used_and_left(
    telegram: FakeTelegram, services: Services, clock: FakeClock, language: str
) -> None:
    """A chat shows no counter while typing: after plan A, plan B and the points of
    attention (the long texts) Laila reads how many characters she used and has left, in her
    own language; the short texts say their limit when asked and nothing after."""
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    _group, laila, _sarah, _els = await partners(services, telegram)
    _amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    await write_until_plans(telegram, laila, reference)
    async with services.store.transaction() as db:  # Laila reads Schakel in her language
        await db.execute("UPDATE staff SET language = ? WHERE telegram_user_id = ?",
                         (language, laila.id))  # fmt: skip

    def room(label: str, text: str, limit: int) -> str:
        used = render(language, texts.TEXT_ROOM_LEFT, length=len(text), max=limit,
                      left=limit - len(text))  # fmt: skip
        return render(language, label, plan=used) if label else used

    plan_a, plan_b = "Eerst Nederlands tot A2.", "Anders een opleiding tot lasser bij VDAB."
    await telegram.send(laila, f"{plan_a}\n{plan_b}")
    said = telegram.texts_to(laila.id)
    assert said[-2] == room(texts.NOTE_PLAN_A, plan_a, 300) + "\n" + room(
        texts.NOTE_PLAN_B, plan_b, 300
    )
    assert said[-1].startswith(render(language, texts.HANDOVER_ASK_ATTENTION, name="Amal", max=500))

    typed = f"Kinderopvang nodig op woensdag. INSZ {NATIONAL_NUMBER}."
    kept = typed_note_text("attention", typed)
    assert isinstance(kept, Redacted) and len(kept.text) != len(typed)
    await telegram.send(laila, typed)
    said = telegram.texts_to(laila.id)
    assert room("", kept.text, 500) in said  # what is kept counts, not what was typed
    await telegram.send(laila, "Kennismaking met de maatschappelijk werker")  # next step: 80
    (asked,) = telegram.texts_to(laila.id)[len(said) :]  # no room line for a short text
    assert asked.startswith(render(language, texts.HANDOVER_ASK_NEXT_DATE))
