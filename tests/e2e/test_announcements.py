"""A coordinator announces an info session by chat to 200 newcomers in six languages:
each gets it once, in their language (then Dutch), with the RSVP buttons; nobody who
stopped or did not agree; a progress message edited in place and a final report; the
counts match the presses; the day-before reminder reaches only the yes-sayers;
cancelling a scheduled announcement sends nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from bot.announcements import delivery as announcement_delivery
from bot.app.standin import FakeTelegram, SimUser
from bot.people.staff import Role
from bot.sending import outbox
from bot.sending.services import Services
from messages import DUTCH_SEPARATOR, language_names, render, texts
from messages.languages import ENDONYMS
from tests.conftest import FakeClock, alerts, invite_token, last_link, make_staff
from tests.e2e.people import caseworker_with_phone, dutch_of, linked_newcomer, local

LANGUAGES = ("ar", "ti", "fa", "so", "uk", "tr")


@pytest.fixture(autouse=True)
def test_drives_every_step(services: Services) -> None:
    # The alarms would also send in the background, in real time; here the test says
    # when the announcements' alarm rings and when the dispatcher sends.
    services.dispatcher.alarm.detach()
    services.announcement_alarm.detach()


# A Tuesday at 14:00: the session. The announcement goes the Monday before at 10:00.
SESSION = local(2027, 5, 18, 14)
FIRST_ID = 10_000


def language_of(person: SimUser) -> str:
    assert person.language_code is not None  # every newcomer here picked a language
    return person.language_code


async def two_hundred_newcomers(services: Services, telegram: FakeTelegram) -> list[SimUser]:
    """12 linked by chat as newcomers do it (two per language), 188 more already linked
    and agreed, in the six languages; plus one who stopped and one who never agreed."""
    caseworker = await caseworker_with_phone(services, telegram)
    people = []
    for n in range(12):
        language = LANGUAGES[n % 6]
        user, _ = await linked_newcomer(
            telegram, caseworker, FIRST_ID + n, f"Amal{chr(65 + n)}", language
        )
        people.append(user)
    now = "2027-05-01T09:00:00.000000Z"
    async with services.store.transaction() as db:
        for n in range(12, 200):
            language = LANGUAGES[n % 6]
            await db.execute(
                "INSERT INTO newcomers (reference, first_name, language, status, chat_id,"
                " telegram_user_id, consent_at, created_at)"
                " VALUES (?, ?, ?, 'active', ?, ?, ?, ?)",
                (f"K-{n:04d}", f"Nieuw{n}", language, FIRST_ID + n, FIRST_ID + n, now, now),
            )
            people.append(telegram.user(FIRST_ID + n, f"Nieuw{n}", language))
    stopped, _ = await linked_newcomer(telegram, caseworker, 20_001, "Sami", "ar")
    await telegram.send(stopped, "/stop")
    await telegram.send(caseworker, "/nieuw Dawit ti")
    not_agreed = telegram.user(20_002, "Dawit", "ti")
    await telegram.send(not_agreed, f"/start {invite_token(last_link(telegram, caseworker))}")
    await telegram.press(not_agreed, ENDONYMS["ti"])  # the language, but no consent
    return people


async def announce(telegram: FakeTelegram, coordinator: SimUser, send_at: dt.datetime) -> None:
    """The whole form, as a coordinator taps and types it."""
    await telegram.send(coordinator, "/aankondiging")
    await telegram.press(coordinator, "Werken in Vlaanderen")
    await telegram.press(coordinator, "Verder ▶")  # the title, translated in every language
    await telegram.send(coordinator, SESSION.strftime("%d/%m/%Y %H:%M"))
    await telegram.press(coordinator, "In-Gent: Kongostraat 42, 9000 Gent")
    await telegram.press(coordinator, "Nederlands")
    await telegram.press(coordinator, "Arabisch")  # an interpreter
    await telegram.send(coordinator, "Tigrinya")  # another, typed
    await telegram.press(coordinator, "Verder ▶")
    await telegram.press(coordinator, "Iedereen")
    assert render("nl", texts.ANNOUNCE_AUDIENCE_COUNT, count=200) in telegram.texts_to(
        coordinator.id
    )
    await telegram.press(coordinator, "Verder ▶")  # the fixed text, in every language
    await telegram.press(coordinator, "Verder ▶")  # no texts to add
    await telegram.press(coordinator, "Later")
    await telegram.send(coordinator, send_at.strftime("%d/%m/%Y %H:%M"))


async def deliver_all(services: Services, clock: FakeClock) -> None:
    """The alarm and the dispatcher, until nothing is left to send (a few seconds pass:
    a second message to the same chat waits its turn)."""
    for _ in range(6):
        await announcement_delivery.run_due(services)
        await services.dispatcher.run_due()
        clock.advance(seconds=2)


def announcement_texts_to(telegram: FakeTelegram, chat_id: int) -> list[str]:
    return [
        text for text in telegram.texts_to(chat_id) if dutch_of(text).startswith("Uitnodiging: ")
    ]


async def test_an_announcement_to_200_newcomers_in_six_languages(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 5, 10, 9).astimezone(dt.UTC)
    people = await two_hundred_newcomers(services, telegram)
    coordinator = await make_staff(services, telegram, 7, "Kris Maes", Role.COORDINATOR, "In-Gent")
    send_at = local(2027, 5, 10, 10)
    await announce(telegram, coordinator, send_at)

    # The preview is one message: the Dutch as it goes, the language groups with their
    # sizes, who gets which text, a button per language, and the send button.
    *before, compact = telegram.texts_to(coordinator.id)
    assert before[-1].startswith("Op welke dag en welk uur mag ze weg?")  # then, one message
    assert compact.startswith(render("nl", texts.ANNOUNCE_PREVIEW_DUTCH) + "\nUitnodiging: ")
    assert render("nl", texts.ANNOUNCE_EVERYONE_HAS_TEXT) in compact
    for language in LANGUAGES:
        name = language_names([language])("nl")
        count = 33 + (language in ("ar", "ti"))
        assert f"\n{name}: {count}\n" in compact  # under "Wie krijgt ze, per taal:"
        assert f"👁 {name}" in compact
    assert "📣 Versturen" in compact
    # One tap shows exactly what a language group gets; the preview's buttons stay.
    await telegram.press(coordinator, "👁 Tigrinya")
    tigrinya = telegram.texts_to(coordinator.id)[-1]
    assert tigrinya.startswith(
        render("nl", texts.ANNOUNCE_PREVIEW, language=language_names(["ti"]), count=34)
    )
    assert render("ti", texts.TEMPLATE_WORK) in tigrinya
    await telegram.press(coordinator, "📣 Versturen")
    assert telegram.texts_to(coordinator.id)[-1].startswith("Aankondiging A1 staat klaar")

    # Nothing goes before its time.
    await deliver_all(services, clock)
    assert not any(announcement_texts_to(telegram, person.id) for person in people)

    clock.now = send_at.astimezone(dt.UTC)
    await announcement_delivery.run_due(services)  # released: 200 rows and the progress message
    rows = await services.store.fetch_all(
        "SELECT outbox_id FROM announcement_deliveries WHERE announcement_id = 1 ORDER BY outbox_id"
    )
    assert len(rows) == 200
    await services.dispatcher.deliver([row["outbox_id"] for row in rows[:50]])
    await announcement_delivery.run_due(services)  # an edit of the progress message waits
    [edit] = await services.store.fetch_all(
        "SELECT payload FROM outbox WHERE idempotency_key = 'announcement:1:progress:1'"
    )
    assert "50 van 200 verstuurd, 0 mislukt. Nog ongeveer 5 seconden." in edit["payload"]
    clock.advance(seconds=10)
    await deliver_all(services, clock)

    # Once to each, in the right languages: their own first, then Dutch.
    for person in people:
        [message] = announcement_texts_to(telegram, person.id)
        own, dutch = message.split(DUTCH_SEPARATOR)
        assert dutch.startswith("Uitnodiging: Werken in Vlaanderen, dinsdag 18 mei om 14:00")
        title = render(language_of(person), texts.SESSION_WORK)
        assert own.startswith(render(language_of(person), texts.INVITATION_TITLE, title=title))
        assert render(language_of(person), texts.TEMPLATE_WORK) in own
    assert not announcement_texts_to(telegram, 20_001)  # stopped
    assert not announcement_texts_to(telegram, 20_002)  # never agreed
    languages = Counter(person.language_code for person in people)
    assert set(languages) == set(LANGUAGES)

    # One progress message, edited as it went, and the final report.
    progress_edits = [
        c for c in telegram.sent("editMessageText") if c.params["chat_id"] == coordinator.id
    ]
    # 50 went in no time, then the pace was 5 a second (the test's clock moved 10 s).
    assert [c.params["text"] for c in progress_edits] == [
        "📣 Werken in Vlaanderen: 50 van 200 verstuurd, 0 mislukt. Nog ongeveer 30 seconden.",
        "📣 Werken in Vlaanderen: klaar. 200 van 200 verstuurd, 0 mislukt.",
    ]
    progress = await outbox.delivery_of(services.store, "announcement:1:progress")
    assert progress is not None
    edited = {int(c.params["message_id"]) for c in progress_edits}
    assert edited == {progress.telegram_message_id}  # the one progress message
    [report] = [t for t in telegram.texts_to(coordinator.id) if t.startswith("Verslag ")]
    assert report.splitlines() == [
        "Verslag van aankondiging A1, Werken in Vlaanderen:",
        "Aangekomen: 200",
        "Niet aangekomen, Schakel geblokkeerd of chat weg: 0",
        "Niet aangekomen, andere fout: 0",
        "Niet verstuurd, willen geen berichten meer: 1",
        "Niet verstuurd, nog niet aangemeld of geen akkoord: 1",
        "Geen tekst in hun taal (kregen Nederlands en Engels): 0",
        "Antwoorden. Komen: 0. Kunnen niet: 0. Nog geen antwoord: 200.",
        "[ 📊 Antwoorden ]",
    ]

    # Answers: every fifth comes, every seventh (not fifth) cannot; one changes their mind.
    coming = [p for n, p in enumerate(people) if n % 5 == 0]
    not_coming = [p for n, p in enumerate(people) if n % 7 == 0 and n % 5 != 0]
    for person in coming:
        await telegram.press(person, render(language_of(person), texts.BUTTON_COMING))
    for person in not_coming:
        await telegram.press(person, render(language_of(person), texts.BUTTON_NOT_COMING))
    changed_mind = coming.pop()
    await telegram.press(changed_mind, render(language_of(changed_mind), texts.BUTTON_NOT_COMING))
    not_coming.append(changed_mind)
    first = people[0]
    assert telegram.texts_to(first.id)[-1].startswith(render(language_of(first), texts.RSVP_COMING))
    # Forged: someone it did not go to, and an announcement that does not exist.
    stopped_again = telegram.user(20_001, "Sami", "ar")
    await telegram.press_data(stopped_again, "v1:rsvp:1:coming")
    await telegram.press_data(first, "v1:rsvp:99:coming")
    await telegram.press(coordinator, "📊 Antwoorden")
    expected = render("nl", texts.RSVP_COUNTS, coming=len(coming), not_coming=len(not_coming),
                      silent=200 - len(coming) - len(not_coming))  # fmt: skip
    answers = telegram.texts_to(coordinator.id)[-1]
    assert answers.splitlines()[1] == expected
    # Split by language, and by the organisation of their contact person.
    by_language, by_organisation = answers.split(render("nl", texts.RSVP_BY_ORGANISATION))
    for language in LANGUAGES:
        said = [sum(p.language_code == language for p in group) for group in (coming, not_coming)]
        line = render("nl", texts.RSVP_GROUP_LINE, group=language_names([language]),
                      coming=said[0], not_coming=said[1],
                      silent=33 + (language in ("ar", "ti")) - sum(said))  # fmt: skip
        assert f"\n{line}" in by_language, line
    numbers = [re.findall(r"\d+", row) for row in by_organisation.strip().splitlines()]
    assert [sum(int(row[i]) for row in numbers) for i in range(3)] == [
        len(coming),
        len(not_coming),
        200 - len(coming) - len(not_coming),
    ]

    # The day before at 14:00: a reminder to those who come, in the two-language form.
    clock.now = local(2027, 5, 17, 14).astimezone(dt.UTC)
    await deliver_all(services, clock)
    await deliver_all(services, clock)  # once, however often the alarm rings
    reminded = {
        person.id
        for person in people
        if any(
            dutch_of(text).startswith("Morgen: Werken in Vlaanderen om 14:00")
            for text in telegram.texts_to(person.id)
        )
    }
    assert reminded == {person.id for person in coming}
    for person in coming[:6]:
        [reminder] = [t for t in telegram.texts_to(person.id) if dutch_of(t).startswith("Morgen: ")]
        own = reminder.split(DUTCH_SEPARATOR)[0]
        assert own.startswith(render(language_of(person), texts.SESSION_REMINDER_TITLE))

    # After the start, a late answer is refused and changes nothing.
    clock.now = SESSION.astimezone(dt.UTC) + dt.timedelta(minutes=1)
    await telegram.press(first, render(language_of(first), texts.BUTTON_NOT_COMING))
    await telegram.press(coordinator, "📊 Antwoorden")
    assert telegram.texts_to(coordinator.id)[-1] == answers  # unchanged


async def test_a_cancelled_announcement_sends_nothing(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 5, 10, 9).astimezone(dt.UTC)
    people = await two_hundred_newcomers(services, telegram)
    coordinator = await make_staff(services, telegram, 7, "Kris Maes", Role.COORDINATOR, "In-Gent")
    await announce(telegram, coordinator, local(2027, 5, 12, 10))
    await telegram.press(coordinator, "📣 Versturen")
    await telegram.send(coordinator, "/aankondigingen")
    listed = telegram.texts_to(coordinator.id)[-1]
    line = "A1 Werken in Vlaanderen, dinsdag 18 mei 2027, 14:00: gaat weg op woensdag 12 mei"
    assert f"{line} 2027, 10:00." in listed
    await telegram.press(coordinator, "✖ A1")
    await telegram.press(coordinator, "Ja")
    assert telegram.texts_to(coordinator.id)[-1] == render(
        "nl", texts.ANNOUNCE_CANCELLED, code="A1"
    )
    clock.now = local(2027, 5, 12, 11).astimezone(dt.UTC)
    await deliver_all(services, clock)
    assert not any(announcement_texts_to(telegram, person.id) for person in people)
    # Too late to change it now.
    await telegram.press_data(coordinator, "v1:bc:change:1")
    assert telegram.texts_to(coordinator.id)[-1] == render(
        "nl", texts.ANNOUNCE_ALREADY_GONE, code="A1"
    )


async def test_own_text_with_live_tips_a_text_per_language_and_a_change_before_it_goes(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 5, 10, 9).astimezone(dt.UTC)
    caseworker = await caseworker_with_phone(services, telegram)
    people = [
        await linked_newcomer(telegram, caseworker, 300 + n, name, language)
        for n, (name, language) in enumerate(
            [("Amal", "ar"), ("Omar", "ar"), ("Hodan", "so"), ("Ayan", "so"), ("Lena", "nl")]
        )
    ]
    (amal, amal_code), (omar, _) = people[0], people[1]
    await telegram.send(caseworker, f"/label {amal_code} Beroepsperspectief")
    assert telegram.texts_to(caseworker.id)[-1] == render(
        "nl", texts.TAG_LIST, name="Amal", reference=amal_code, tags="beroepsperspectief"
    )
    await telegram.send(caseworker, f"/label {amal_code} !!")
    assert telegram.texts_to(caseworker.id)[-1] == render("nl", texts.TAG_BAD, max=40)
    coordinator = await make_staff(services, telegram, 7, "Kris Maes", Role.COORDINATOR, "In-Gent")

    def last() -> str:
        return telegram.texts_to(coordinator.id)[-1]

    await telegram.send(coordinator, "/aankondiging")
    await telegram.press(coordinator, "Andere sessie")
    await telegram.send(coordinator, "Praatcafé")
    await telegram.send(coordinator, "31/02/2027 18:30")  # no such day: asked again
    assert last().startswith(render("nl", texts.WHEN_NO_SUCH_DATE, typed="31/02/2027 18:30"))
    await telegram.send(coordinator, "20/05/2027 18:30")
    await telegram.send(coordinator, "Bibliotheek De Krook, Miriam Makebaplein 1, 9000 Gent")
    await telegram.press(coordinator, "Nederlands")
    await telegram.send(coordinator, "Xyzzy")  # an interpreter Schakel does not know
    assert last() == render("nl", texts.UNKNOWN_INTERPRETER, typed="Xyzzy")
    await telegram.press(coordinator, "Verder ▶")
    await telegram.press(coordinator, "Iedereen")
    assert render("nl", texts.ANNOUNCE_AUDIENCE_COUNT, count=5) in telegram.texts_to(coordinator.id)
    assert last().startswith(render("nl", texts.ANNOUNCE_ASK_TEXT, max=600))

    # Live tips on each version of the Dutch text.
    await telegram.send(
        coordinator,
        "De sessie wordt georganiseerd door de bibliotheek en gelieve op tijd te komen "
        "want wij beginnen stipt om half zeven met het gesprek.",
    )
    tips = last()
    assert render("nl", texts.ANNOUNCE_TIPS) in tips
    assert "Passieve zin: De sessie wordt georganiseerd door de ..." in tips
    long = "Lange zin (23 woorden): De sessie wordt georganiseerd door de ..."
    assert f"{long} Maak er korte zinnen van." in tips
    assert render("nl", texts.TIP_FORMAL_WORD, text="gelieve", plain="wilt u") in tips
    plain = "Kom praten in het Nederlands. We drinken samen koffie."
    await telegram.send(coordinator, plain)
    assert render("nl", texts.ANNOUNCE_NO_TIPS) in last()
    # A chat shows no counter while typing: the room used and left is said under the text.
    room = render("nl", texts.TEXT_ROOM_LEFT, length=len(plain), max=600, left=600 - len(plain))
    assert last().startswith(f"{plain}\n{room}\n")
    assert room == "54 van de 600 tekens gebruikt, nog 546 over."
    await telegram.press(coordinator, "Verder ▶")
    listed = last()
    assert render("nl", texts.ANNOUNCE_WITHOUT_TEXT_DUTCH) in listed
    assert f"Arabisch (2): Amal ({amal_code}), Omar (" in listed
    await telegram.press(coordinator, "➕ Arabisch")
    await telegram.send(coordinator, "تعالوا نتحدث بالهولندية. نشرب القهوة معًا.")
    await telegram.press(coordinator, "➕ Engels")
    await telegram.send(coordinator, "Come and speak Dutch. We drink coffee together.")
    listed = last()
    assert render("nl", texts.ANNOUNCE_WITHOUT_TEXT) in listed
    assert "Somalisch (2): Hodan (" in listed
    await telegram.press(coordinator, "Verder ▶")
    await telegram.press(coordinator, "Later")
    await telegram.send(coordinator, "21/05/2027 10:00")  # after the session: asked again
    assert render("nl", texts.ANNOUNCE_SEND_AFTER_START) in telegram.texts_to(coordinator.id)
    await telegram.press(coordinator, "Later")
    await telegram.send(coordinator, "15/05/2027 10:00")

    # The preview per language group: Arabic with its own text, Somali with the English.
    await telegram.press(coordinator, "👁 Arabisch")
    assert "نشرب القهوة معًا" in telegram.texts_to(coordinator.id)[-1]
    await telegram.press(coordinator, "👁 Somalisch")
    shown = telegram.texts_to(coordinator.id)[-1]
    somali = render("nl", texts.ANNOUNCE_PREVIEW_NO_TEXT, language="Somalisch", count=2)
    assert shown.startswith(somali)
    assert render("so", texts.NO_TEXT_ENGLISH) + "\nCome and speak Dutch." in shown
    # A language nobody in the group reads shows nothing.
    await telegram.press_data(coordinator, "v1:af:confirm:see-ps")
    assert alerts(telegram)[-1] == render("nl", texts.BUTTON_TOO_OLD)

    # Forged or stale buttons change nothing.
    await telegram.press_data(coordinator, "v1:af:kind:work")
    await telegram.press_data(coordinator, "v1:af:confirm:everything")
    assert alerts(telegram)[-2:] == [render("nl", texts.BUTTON_TOO_OLD)] * 2
    await telegram.press(coordinator, "📣 Versturen")
    assert last().startswith("Aankondiging A1 staat klaar en gaat weg op zaterdag 15 mei 2027")

    # Changed before it goes: only the newcomers with the label.
    await telegram.send(coordinator, "/aankondigingen")
    await telegram.press(coordinator, "✏️ A1")
    await telegram.press(coordinator, "✏️ Wijzigen")
    await telegram.press(coordinator, "Voor wie")
    await telegram.press(coordinator, "Eén label")
    await telegram.press(coordinator, "beroepsperspectief (1)")
    # One newcomer: the count follows the words, so it reads right ("1 nieuwkomers" did not).
    assert "Nieuwkomers die deze aankondiging krijgen: 1." in telegram.texts_to(coordinator.id)
    assert "10:00. Nieuwkomers die ze nu zouden krijgen: 1.\n" in last()
    await telegram.press(coordinator, "📣 Versturen")
    assert last().startswith("Ik heb aankondiging A1 gewijzigd. Ze gaat weg op zaterdag 15 mei")
    # A newcomer cannot use a coordinator's button.
    await telegram.press_data(omar, "v1:bc:cancel:1")
    assert alerts(telegram)[-1] == render("ar", texts.BUTTON_NOT_FOR_YOU)

    clock.now = local(2027, 5, 15, 10).astimezone(dt.UTC)
    await deliver_all(services, clock)
    [to_amal] = announcement_texts_to(telegram, amal.id)
    assert dutch_of(to_amal).startswith("Uitnodiging: Praatcafé, donderdag 20 mei om 18:30")
    own_words = "تعالوا نتحدث بالهولندية. نشرب القهوة معًا."
    assert f"{own_words}\n{render('ar', texts.FULL_ASK)}" in to_amal
    assert not any(announcement_texts_to(telegram, user.id) for user, _ in people[1:])
