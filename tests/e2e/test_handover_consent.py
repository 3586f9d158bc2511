"""A handover note with the newcomer's own consent, through the stand-in (issue 23): consent
is the first question; the newcomer answers ✅/❌ in their own language (Arabic, right to
left; Tigrinya) and the caseworker hears it at once; what Schakel knows is confirmed with
one tap; the note waits, put aside, for the answer and expires with the question; a
typical note takes at most ten answers."""

from __future__ import annotations

import datetime as dt

from bot.app.standin import FakeTelegram, SimUser
from bot.core.config import RetentionConfig
from bot.handovers import notes as handovers
from bot.privacy import retention
from bot.sending.services import Services
from messages import DUTCH_SEPARATOR, render, render_bilingual, texts
from tests.conftest import FakeClock, alerts
from tests.e2e.people import linked_newcomer, local
from tests.e2e.test_handover import GROUP_ID, partners, write_note

ASK = render("nl", texts.BUTTON_CONSENT_ASK)


async def start_asking(telegram: FakeTelegram, laila: SimUser, reference: str) -> list[str]:
    """The note's first answers: to whom, why, and "ask the newcomer now". Returns them."""
    answers = ["OCMW", "Sarah Peeters", "Nieuwe begeleider", ASK]
    await telegram.send(laila, f"/overdracht {reference}")
    for answer in answers[:3]:
        await telegram.press(laila, answer)
    # Consent is the first question after to whom and why.
    consent_first = render(
        "nl", texts.HANDOVER_ASK_CONSENT, name="Amal", organisation="OCMW",
        reason="Nieuwe begeleider",
    )  # fmt: skip
    assert telegram.texts_to(laila.id)[-1].startswith(consent_first)
    await telegram.press(laila, ASK)
    return answers


async def test_amal_agrees_herself_in_arabic_and_the_note_takes_ten_answers(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    _group, laila, _sarah, _els = await partners(services, telegram)
    amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar", "A1")
    answers = await start_asking(telegram, laila, reference)

    # Amal gets the question in Arabic, then plain Dutch, with ✅/❌ in Arabic.
    question = telegram.texts_to(amal.id)[-1]
    arabic = render("ar", texts.HANDOVER_CONSENT_QUESTION_HANDOVER, contact="Laila Peeters",
                    organisation="OCMW")  # fmt: skip
    assert question.startswith(arabic) and DUTCH_SEPARATOR in question
    assert question.endswith(
        "Laila Peeters wil uw gegevens sturen naar OCMW. Daar krijgt u een nieuwe begeleider. "
        "Is dat goed?\n[ ✅ نعم | ❌ لا ]"
    )
    assert telegram.texts_to(laila.id)[-2] == render(
        "nl", texts.HANDOVER_CONSENT_ASKED, name="Amal"
    )

    # What Schakel knows is shown: Arabic, Dutch A1, so an interpreter; civic orientation
    # is not known, so one tap on it confirms the rest.
    known = telegram.texts_to(laila.id)[-1]
    assert known.startswith(render("nl", texts.HANDOVER_KNOWN_CIVIC, name="Amal"))
    assert "Moedertaal: Arabisch.\n" in known
    assert "Tolk nodig: Ja." in known and "Niveau Nederlands: A1." in known
    # Amal answers while Laila writes on.
    await telegram.press(amal, "✅ نعم")
    assert telegram.texts_to(amal.id)[-1] == render_bilingual(
        "ar", texts.HANDOVER_CONSENT_THANKS_YES, contact="Laila Peeters", organisation="OCMW"
    )
    assert (
        telegram.texts_to(laila.id)[-1]
        == render("nl", texts.HANDOVER_NEWCOMER_AGREED, name="Amal", organisation="OCMW")
        + "\n[ 📝 Nota openen ]"
    )
    rest = [
        "Bezig",
        "Eerst Nederlands tot A2.\nPlan B: opleiding logistiek.",
        "Geen",
        "Kennismaking met de maatschappelijk werker",
        "5/4",
        "📤 Plaatsen",
    ]
    await telegram.press(laila, "Bezig")
    for typed in rest[1:5]:
        if typed == "Geen":
            await telegram.press(laila, typed)
        else:
            await telegram.send(laila, typed)
    preview = telegram.texts_to(laila.id)[-1]
    assert "Amal zei zelf ja in Schakel op maandag 22 maart 2027: delen met OCMW" in preview
    assert "Plan A: Eerst Nederlands tot A2." in preview
    assert "Plan B: Plan B: opleiding logistiek." in preview
    await telegram.press(laila, "📤 Plaatsen")
    assert len(answers + rest) <= 10

    note = (await handovers.notes_of(services.store, 1))[0]
    assert telegram.texts_to(GROUP_ID)[-1].startswith(f"🤝 Overdracht {note.reference}")
    consent = await services.store.fetch_one("SELECT * FROM handover_consents")
    assert consent is not None and consent["given_by"] == "newcomer"
    assert consent["agreed_on"] == "2027-03-22"
    used = await services.store.fetch_one("SELECT status, draft FROM handover_consent_requests")
    assert used is not None and (used["status"], used["draft"]) == ("used", None)
    # Her ✅ counts once: a second tap is an old button.
    await telegram.press(amal, "✅ نعم")
    assert alerts(telegram)[-1] == render_bilingual("ar", texts.BUTTON_TOO_OLD)
    assert len(await handovers.notes_of(services.store, 1)) == 1
    audit = await services.store.fetch_all(
        "SELECT actor, action FROM audit_log WHERE action LIKE 'handover.consent%' ORDER BY id"
    )
    assert [(row["actor"], row["action"]) for row in audit] == [
        ("staff:2", "handover.consent.ask"),
        (f"newcomer:{reference}", "handover.consent.agreed"),
        ("staff:2", "handover.consent"),
    ]
    # A second note for Amal: what the first one said is known, and ✅ confirms it.
    await telegram.send(laila, f"/overdracht {reference}")
    await telegram.press(laila, "In-Gent")
    await telegram.press(laila, "Wie tijd heeft")
    await telegram.press(laila, "Doorsturen")
    await telegram.press(laila, "🗣 Mondeling")
    await telegram.press(laila, "Ja, vandaag")
    known = telegram.texts_to(laila.id)[-1]
    assert known.startswith(render("nl", texts.HANDOVER_KNOWN, name="Amal"))
    assert "Maatschappelijke oriëntatie: Bezig." in known
    await telegram.press(laila, "✅ Klopt")
    assert telegram.texts_to(laila.id)[-1].startswith(
        render("nl", texts.HANDOVER_ASK_PLANS, name="Amal", max=300)
    )


async def test_dawit_says_no_in_tigrinya_and_nothing_is_kept(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    _group, laila, _sarah, _els = await partners(services, telegram)
    amal, _ = await linked_newcomer(telegram, laila, 3, "Amal", "ar", "A1")
    dawit, reference = await linked_newcomer(telegram, laila, 4, "Dawit", "ti", "A0")
    await telegram.send(laila, f"/overdracht {reference}")
    for answer in ("OCMW", "Sarah Peeters", "Doorsturen", ASK):
        await telegram.press(laila, answer)
    question = telegram.texts_to(dawit.id)[-1]
    tigrinya = render(
        "ti", texts.HANDOVER_CONSENT_QUESTION_REFERRAL, contact="Laila Peeters",
        organisation="OCMW",
    )  # fmt: skip
    assert question.startswith(tigrinya)
    # Amal cannot answer Dawit's question (forged data naming it).
    (_, yes), *_ = telegram.inline_buttons(dawit.id)[-2:]
    await telegram.press_data(amal, yes["callback_data"])
    assert alerts(telegram)[-1] == render_bilingual("ar", texts.BUTTON_TOO_OLD)
    await telegram.press(dawit, "❌ " + render("ti", texts.BUTTON_NO))
    assert telegram.texts_to(dawit.id)[-1] == render_bilingual(
        "ti", texts.HANDOVER_CONSENT_THANKS_NO, contact="Laila Peeters", organisation="OCMW"
    )
    assert telegram.texts_to(laila.id)[-1] == render(
        "nl", texts.HANDOVER_NEWCOMER_REFUSED, name="Dawit", organisation="OCMW"
    )
    # The form Laila was filling in for it is gone; nothing was posted or recorded.
    assert await services.store.fetch_int("SELECT count(*) FROM drafts") == 0
    assert await services.store.fetch_int("SELECT count(*) FROM handover_consents") == 0
    await telegram.press(laila, "Bezig")  # a button of the form that is gone
    assert alerts(telegram)[-1] == render("nl", texts.BUTTON_TOO_OLD)
    await telegram.press(dawit, "✅ " + render("ti", texts.BUTTON_YES))  # changed his mind
    assert alerts(telegram)[-1] == render_bilingual("ti", texts.BUTTON_TOO_OLD)
    assert await services.store.fetch_int("SELECT count(*) FROM handover_notes") == 0


async def test_a_note_put_aside_waits_for_the_answer_and_expires_with_it(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    _group, laila, _sarah, _els = await partners(services, telegram)
    amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar", "A2")
    await start_asking(telegram, laila, reference)
    await telegram.press(laila, "Afgerond")
    await telegram.send(laila, "Werk zoeken in de logistiek.")
    await telegram.press(laila, "Geen")
    await telegram.send(laila, "Kennismaking " + "x" * 70)  # the next step: too long, by how much
    assert telegram.texts_to(laila.id)[-1] == render(
        "nl", texts.ANNOUNCE_TEXT_TOO_LONG, length=83, max=80
    )
    await telegram.send(laila, "Kennismaking")
    await telegram.press(laila, "Geen datum")
    # Amal has not answered: the note can only be put aside.
    waiting = telegram.texts_to(laila.id)[-1]
    # The day the question expires, 14 days after it was asked ("nog 1 dagen" read wrong).
    assert waiting == (
        "Amal heeft nog niet geantwoord. Bewaar de nota tot dan. "
        "Ik hou ze bij tot maandag 5 april 2027.\n[ 💾 Bewaren | ✖ Stoppen ]"
    )
    await telegram.press(laila, "💾 Bewaren")
    assert telegram.texts_to(laila.id)[-1] == render(
        "nl", texts.HANDOVER_KEPT, name="Amal", days=14
    )
    assert await services.store.fetch_int("SELECT count(*) FROM drafts") == 0
    # Another form in between does not touch it.
    await telegram.send(laila, f"/afspraak {reference}")
    await telegram.send(laila, "/cancel")
    # Three days later Amal says yes; Laila opens the note and posts it.
    clock.now += dt.timedelta(days=3)
    await telegram.press(amal, "✅ نعم")
    await telegram.press(laila, "📝 Nota openen")
    preview = telegram.texts_to(laila.id)[-1]
    assert "Amal zei zelf ja in Schakel op donderdag 25 maart 2027" in preview
    assert "Plan A: Werk zoeken in de logistiek." in preview
    await telegram.press(laila, "📤 Plaatsen")
    assert telegram.texts_to(GROUP_ID)[-1].startswith("🤝 Overdracht H-")

    # A second question nobody answers: after 14 days it no longer counts and the nightly
    # purge removes it with the note put aside.
    await start_asking(telegram, laila, reference)
    for typed in ("Afgerond", "Plan", "Geen", "Stap", "Geen datum", "💾 Bewaren"):
        if typed in ("Plan", "Stap"):
            await telegram.send(laila, typed)
        else:
            await telegram.press(laila, typed)
    clock.now += dt.timedelta(days=15)
    await telegram.press(amal, "✅ نعم")
    assert alerts(telegram)[-1] == render_bilingual("ar", texts.BUTTON_TOO_OLD)
    report = await retention.purge(services.store, clock, RetentionConfig(), actor="system")
    # Both questions are past their time (the first one's yes went with its note).
    assert report.of(retention.Kind.DRAFTS).counts["consent_questions"] == 2
    assert await services.store.fetch_int("SELECT count(*) FROM handover_consent_requests") == 0
    assert len(await handovers.notes_of(services.store, 1)) == 1
    assert await services.store.fetch_int("SELECT count(*) FROM handover_consents") == 1


async def test_consent_on_paper_or_in_person_is_recorded_with_its_day(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    _group, laila, _sarah, _els = await partners(services, telegram)
    _amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar", "A1")
    await write_note(telegram, laila, reference, consent="🗣 Mondeling")
    preview = telegram.texts_to(laila.id)[-1]
    assert "Amal ging mondeling akkoord op maandag 22 maart 2027: delen met OCMW" in preview
    await telegram.press(laila, "📤 Plaatsen")
    given_by = await services.store.fetch_value("SELECT given_by FROM handover_consents")
    assert given_by == "in_person"
    assert await services.store.fetch_int("SELECT count(*) FROM handover_consent_requests") == 0
