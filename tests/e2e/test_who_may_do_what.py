"""Who may do what, proven: every entry of handlers/permissions.py against every role,
through the real Application and the stand-in, in a partnership in full swing
(tests/e2e/partnership.py: real newcomers, appointments, notes and announcements, so
every button names something that exists).

An allowed role gets the real answer. A refused role gets the refusal in their own
language (a stranger: "I do not know you" in their phone's language first; in a group a
stranger gets silence) and the database does not change. The only rows a refusal may
add: the outbox row of the refusal message itself (every message goes through the
outbox; an alert on a button does not) and the audit line of a refused look at a
handover note (refused looks are audited on purpose). Nothing else, in any table.

Then the same buttons and commands with someone else's data (another newcomer's
appointment, a note between two other organisations, a newcomer another caseworker
helps), and everything that is not for groups typed or pressed in the partner group.
"""

from __future__ import annotations

import datetime as dt
import inspect
import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from bot.app.application import build_application, running
from bot.app.demo import DEMO_ORGANISATIONS
from bot.app.standin import SEND_METHODS, FakeTelegram, SimUser
from bot.appointments import records as appointments
from bot.core.clock import to_db
from bot.core.config import Config, StorageConfig
from bot.handovers.notes import PARTNER_GROUP_SETTING
from bot.people import counsellors, newcomers
from bot.people.contact_card import contact_card
from bot.people.staff import Role
from bot.sending.services import Services
from bot.storage import drafts
from handlers.core.context import SchakelApp, services_of
from handlers.core.permissions import ENTRIES, Entry, Kind, Who
from handlers.core.replies import role_name
from handlers.people.admin import admin_help
from handlers.people.cards import appointment_list
from handlers.people.caseworker import caseworker_help
from handlers.people.coordinator import coordinator_help
from messages import render, render_bilingual, render_everywhere, texts
from messages.languages import ENDONYMS, SUPPORTED_LANGUAGES
from tests.conftest import FakeClock
from tests.e2e.partnership import GROUP_ID, MEHMET, World, build, copy_database

STRANGER, NEWCOMER = Who.STRANGER, Who.NEWCOMER
CASEWORKER, COORDINATOR, ADMIN = Who.CASEWORKER, Who.COORDINATOR, Who.ADMIN
FORMER_STAFF = Who.FORMER_STAFF
STAFF = (CASEWORKER, COORDINATOR, ADMIN)
# Who plays each role: (Telegram id, name, the language their phone is set to).
PEOPLE = {
    STRANGER: MEHMET,
    NEWCOMER: (3, "Amal", "ar"),
    CASEWORKER: (2, "Laila Peeters", "nl"),
    COORDINATOR: (7, "Kris Maes", "nl"),
    ADMIN: (1, "Annelies", "nl"),
    FORMER_STAFF: (6, "Els Declercq", "nl"),  # her access ended: nothing is allowed
}
YONAS = (8, "Yonas", "fa")  # linked, not yet agreed: the one who can still answer consent
NL = "nl"


# --- the partnership, copied for each test ---------------------------------------------


@pytest.fixture(scope="session")
def partnership(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build(tmp_path_factory.mktemp("partnership"))


@pytest.fixture
def config(tmp_path: Path, partnership: World) -> Config:
    database = tmp_path / "schakel.db"
    copy_database(partnership.database, database)
    return Config(storage=StorageConfig(database=database), organisations=DEMO_ORGANISATIONS)


@pytest.fixture
def clock(partnership: World) -> FakeClock:
    return FakeClock(partnership.now)


@pytest.fixture
def telegram() -> FakeTelegram:
    stand_in = FakeTelegram()
    # Telegram's update ids keep rising; the partnership used the first ones, and replies
    # are keyed by update id in the outbox.
    stand_in._update_ids = itertools.count(100_000)
    return stand_in


@pytest.fixture
async def app(
    config: Config, telegram: FakeTelegram, clock: FakeClock
) -> AsyncIterator[SchakelApp]:
    """The real Application, as in tests/conftest.py, but the test says when things are
    sent (nothing is due in the partnership; each act flushes the outbox), so there is
    no start-up wake-up to wait for."""
    application = build_application(config, request=telegram, clock=clock)
    telegram.attach(application)
    async with running(application):
        services = services_of(application)
        for alarm in (
            services.dispatcher.alarm,
            services.reminder_alarm,
            services.announcement_alarm,
        ):
            alarm.detach()
        yield application


@dataclass
class Scene:
    telegram: FakeTelegram
    services: Services
    world: World

    def person(self, who: Who) -> SimUser:
        return self.telegram.user(*PEOPLE[who])

    async def newcomer(self, name: str) -> newcomers.Newcomer:
        row = await self.services.store.fetch_one(
            "SELECT * FROM newcomers WHERE reference = ?", (self.world.references[name],)
        )
        assert row is not None
        return newcomers.Newcomer.from_row(row)

    async def value(self, sql: str, *params: object) -> object:
        return await self.services.store.fetch_value(sql, params)


@pytest.fixture
def scene(telegram: FakeTelegram, services: Services, partnership: World) -> Scene:
    return Scene(telegram, services, partnership)


# --- acting and reading what happened ----------------------------------------------------


@dataclass
class Outcome:
    texts: list[str]  # messages to the person's own chat (a group's button answers privately)
    group: list[str]  # messages to the partner group
    alerts: list[str]  # answers on the button itself, seen only by the presser


async def act(scene: Scene, user: SimUser, sent: str, *, button: bool, in_group: bool) -> Outcome:
    telegram = scene.telegram
    before = len(telegram.calls)
    group = telegram.group(GROUP_ID, "Partners Gent")
    if button:
        card = {"message_id": 900, "date": 0, "chat": group.as_dict(), "text": "🤝"}
        await telegram.press_data(user, sent, card if in_group else None)
    else:
        await telegram.send(user, sent, group if in_group else None)
    await scene.services.dispatcher.run_due()
    calls = [call for call in telegram.calls[before:] if call.outcome == "ok"]
    sent_to: dict[int, list[str]] = {}
    for call in calls:
        if call.method in SEND_METHODS:
            text = call.params.get("text", call.params.get("caption", ""))
            sent_to.setdefault(int(call.params["chat_id"]), []).append(text)
    alerts = [
        call.params.get("text", "")
        for call in calls
        if call.method == "answerCallbackQuery" and call.params.get("text")
    ]
    return Outcome(sent_to.get(user.id, []), sent_to.get(GROUP_ID, []), alerts)


Snapshot = dict[str, list[dict[str, Any]]]


async def snapshot(services: Services) -> Snapshot:
    tables = await services.store.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {
        row[0]: [
            dict(found)
            for found in await services.store.fetch_all(
                f"SELECT rowid AS row_id, * FROM {row[0]} ORDER BY rowid"
            )
        ]
        for row in tables
    }


def differences(before: Snapshot, after: Snapshot) -> dict[str, tuple[list[Any], list[Any]]]:
    """Per changed table: the rows that went (or changed) and the rows that came."""
    found = {}
    for table, rows in after.items():
        old = {json.dumps(row, sort_keys=True, default=str) for row in before.get(table, [])}
        new = {json.dumps(row, sort_keys=True, default=str) for row in rows}
        if old != new:
            found[table] = ([json.loads(r) for r in old - new], [json.loads(r) for r in new - old])
    return found


# --- what a refusal looks like -----------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    text: str | None  # None: silence
    alert: bool = False  # on the button itself, instead of a message


def language_of(who: Who, actor: tuple[int, str, str] | None = None) -> str:
    """The language the person reads: their phone's for a stranger, Schakel's for others."""
    return (actor or PEOPLE[who])[2]


def door_refusal(entry: Entry, who: Who, language: str) -> Refusal:
    """What handlers/access.py says to a role its gate does not let in."""
    if who is FORMER_STAFF:  # one line, whatever they send; silence for a group message
        ended = render(language, texts.STAFF_ACCESS_ENDED)
        if entry.kind is Kind.BUTTON:
            return Refusal(ended, alert=True)
        return Refusal(None) if entry.in_groups else Refusal(ended)
    if who is STRANGER:
        if entry.kind is Kind.BUTTON:
            return Refusal(render(language, texts.UNKNOWN_PERSON), alert=True)
        if entry.in_groups:
            return Refusal(None)  # a stranger in a group: Schakel says nothing
        order = [language, *(code for code in SUPPORTED_LANGUAGES if code != language)]
        return Refusal(render_everywhere(texts.UNKNOWN_PERSON, order))
    if entry.kind is Kind.BUTTON:
        return Refusal(render(language, texts.BUTTON_NOT_FOR_YOU), alert=True)
    if who is NEWCOMER or NEWCOMER in entry.door:
        return Refusal(render(language, texts.NOT_UNDERSTOOD))
    first = next(role for role in STAFF if role in entry.door)
    return Refusal(
        render(language, texts.ONLY_FOR_ROLE, role=role_name(language, Role(first.value)))
    )


def alert(template: str, **values: object) -> Refusal:
    return Refusal(render(NL, template, **values), alert=True)


# --- probes: what each role sends for an entry, and what the real answer is ---------------

Send = Callable[[World, Who], str]
Check = Callable[[Scene, Who, Outcome], Awaitable[None] | None]
Setup = Callable[[Scene, Who], Awaitable[None]]
Inside = Callable[[World, Who], Refusal]


@dataclass(frozen=True)
class Foreign:
    """Someone else's data, sent by a role that may use the entry on their own."""

    who: Who
    send: Send
    refusal: Callable[[World], Refusal]
    why: str


@dataclass(frozen=True)
class Probe:
    send: Send
    check: Check
    setup: Setup | None = None
    inside: Inside | None = None  # the rule's refusal for roles in entry.refused_inside
    foreign: Sequence[Foreign] = ()
    actor: Mapping[Who, tuple[int, str, str]] = field(default_factory=dict)


def ref(name: str) -> Callable[[World], str]:
    return lambda world: world.references[name]


def fixed(text: str) -> Send:
    return lambda world, who: text


def with_ref(pattern: str, name: str = "Amal") -> Send:
    """`pattern` with {ref}: Amal's reference (Laila's newcomer; coordinators see all)."""
    return lambda world, who: pattern.format(ref=world.references[name])


def says(expected: Callable[[Scene, Who], Awaitable[str] | str], *, where: str = "texts") -> Check:
    """The reply is exactly this text."""

    async def check(scene: Scene, who: Who, outcome: Outcome) -> None:
        wanted = expected(scene, who)
        wanted = await wanted if not isinstance(wanted, str) else wanted
        assert wanted in getattr(outcome, where), (wanted, outcome)

    return check


def begins(template: str, **values: Any) -> Check:
    """The first reply begins with this staff text (values may depend on the world)."""

    async def check(scene: Scene, who: Who, outcome: Outcome) -> None:
        filled = {k: v(scene.world) if callable(v) else v for k, v in values.items()}
        wanted = render(NL, template, **filled)
        assert outcome.texts and outcome.texts[0].startswith(wanted), (wanted, outcome)

    return check


def and_then(*checks: Check) -> Check:
    async def check(scene: Scene, who: Who, outcome: Outcome) -> None:
        for each in checks:
            await run(each, scene, who, outcome)

    return check


async def run(check: Check, scene: Scene, who: Who, outcome: Outcome) -> None:
    """A check may be a plain function or a coroutine function."""
    result = check(scene, who, outcome)
    if inspect.isawaitable(result):
        await result


def stored(sql: str, wanted: object, *params: Callable[[Scene, Who], object]) -> Check:
    """A value in the database after the act (the change the answer speaks of)."""

    async def check(scene: Scene, who: Who, outcome: Outcome) -> None:
        assert await scene.value(sql, *(p(scene, who) for p in params)) == wanted, sql

    return check


def staff_id(scene: Scene, who: Who) -> object:
    return scene.world.staff_ids[PEOPLE[who][1].split()[0]]


def amal_says(template: str, **values: object) -> Check:
    return says(lambda scene, who: render_bilingual("ar", template, **values))


async def help_text(scene: Scene, who: Who) -> str:
    shim = cast(Any, SimpleNamespace(services=scene.services))
    if who is CASEWORKER:
        return caseworker_help(shim, NL)
    if who is COORDINATOR:
        return coordinator_help(NL)
    if who is ADMIN:
        return await admin_help(shim, NL)
    return render_bilingual("ar", texts.NEWCOMER_HELP)


async def amal_appointments(scene: Scene, who: Who) -> str:
    amal = await scene.newcomer("Amal")
    ahead = await appointments.upcoming(scene.services.store, amal.id, scene.services.clock())
    assert ahead  # the list is not the empty one
    return appointment_list("ar", ahead, scene.services.config.locale.tzinfo)


async def amal_card(scene: Scene, who: Who) -> str:
    amal = await scene.newcomer("Amal")
    return contact_card("ar", await counsellors.counsellors_of(scene.services.store, amal.id))


async def draft_step(scene: Scene, who: Who) -> str | None:
    draft = await drafts.get(scene.services.store, int(str(staff_id(scene, who))))
    return draft.step if draft else None


def waits_at(step: str | None) -> Check:
    async def check(scene: Scene, who: Who, outcome: Outcome) -> None:
        assert await draft_step(scene, who) == step

    return check


async def amal_cannot_come(scene: Scene) -> None:
    """Amal taps "I can't come" under her appointment ahead: the wish's buttons follow."""
    amal = scene.telegram.user(*PEOPLE[NEWCOMER])
    await scene.telegram.press_data(amal, f"v1:ap:no:{scene.world.appointments['amal_ahead']}")
    await scene.services.dispatcher.run_due()


async def laila_asks_amal(scene: Scene) -> None:
    """Laila starts a handover note for Amal to OCMW and asks Amal's consent in Schakel:
    the question is the first one in the database (id 1); her form waits at "known",
    showing what the earlier note to OCMW said."""
    laila = scene.telegram.user(*PEOPLE[CASEWORKER])
    ocmw = scene.world.organisation_ids["OCMW"]
    await scene.telegram.send(laila, f"/overdracht {scene.world.references['Amal']}")
    for data in (f"v1:hf:org:{ocmw}", "v1:hf:person:any", "v1:hf:reason:handover",
                 "v1:hf:consent:ask"):  # fmt: skip
        await scene.telegram.press_data(laila, data)
    await scene.services.dispatcher.run_due()


def typed(*messages: Send) -> Setup:
    """Before the act: the person sends these (opening a form, say)."""

    async def setup(scene: Scene, who: Who) -> None:
        for message in messages:
            sent = message(scene.world, who)
            if sent.startswith("v1:"):
                await scene.telegram.press_data(scene.person(who), sent)
            else:
                await scene.telegram.send(scene.person(who), sent)

    return setup


def not_understood_inside(world: World, who: Who) -> Refusal:
    if who is NEWCOMER:
        return Refusal(render_bilingual("ar", texts.NOT_UNDERSTOOD))
    return Refusal(render(NL, texts.NOT_UNDERSTOOD))


def not_found(name: str) -> Callable[[World], Refusal]:
    return lambda world: Refusal(
        render(NL, texts.NEWCOMER_NOT_FOUND, reference=world.references[name])
    )


def laila_with(pattern: str, name: str = "Dawit") -> Foreign:
    """Laila (VDAB) with the same request about a newcomer only Sarah (OCMW) helps."""
    send = with_ref(pattern, name)
    if pattern.startswith("/"):
        return Foreign(CASEWORKER, send, not_found(name), "a newcomer she does not help")
    return Foreign(
        CASEWORKER,
        send,
        lambda world: alert(texts.BUTTON_NOT_FOR_YOU),
        "a newcomer she does not help",
    )


# The handover notes: which one each role may read, and decide on.
READS = {CASEWORKER: "vdab_to_ocmw", COORDINATOR: "ocmw_to_ingent", ADMIN: "ocmw_to_ingent"}
DECIDES = {CASEWORKER: "ocmw_to_vdab", COORDINATOR: "ocmw_to_ingent", ADMIN: "ocmw_to_ingent"}
ROUTES = {
    "vdab_to_ocmw": ("VDAB", "OCMW"),
    "ocmw_to_vdab": ("OCMW", "VDAB"),
    "ocmw_to_ingent": ("OCMW", "In-Gent"),
}


def on_note(action: str, notes: Mapping[Who, str], suffix: str = "") -> Send:
    """A card's button: it names the note by its reference (H-XXXX), not by its id."""
    return lambda world, who: (
        f"v2:ho:{action}:{world.note_references[world.notes[notes.get(who, 'vdab_to_ocmw')]]}"
        f"{suffix}"
    )


def note_status(notes: Mapping[Who, str], wanted: str) -> Check:
    async def check(scene: Scene, who: Who, outcome: Outcome) -> None:
        note_id = scene.world.notes[notes[who]]
        assert (
            await scene.value("SELECT status FROM handover_notes WHERE id = ?", note_id) == wanted
        )

    return check


def not_yours(note: str) -> Callable[[World], Refusal]:
    sender, receiver = ROUTES[note]
    return lambda world: alert(
        texts.HANDOVER_NOT_YOURS, from_organisation=sender, to_organisation=receiver
    )


def only_receiver(note: str) -> Callable[[World], Refusal]:
    return lambda world: alert(texts.HANDOVER_ONLY_RECEIVER, organisation=ROUTES[note][1])


def sheet(
    action: str,
    check: Check,
    *,
    name: Callable[[Who], str] = lambda who: "Amal",
    argument: Callable[[World, Who], str] = lambda world, who: "",
    inside: Inside | None = None,
) -> Probe:
    def send(world: World, who: Who) -> str:
        extra = argument(world, who)
        return f"v1:cl:{action}:{world.references[name(who)]}" + (f":{extra}" if extra else "")

    def foreign(world: World, who: Who) -> str:
        extra = argument(world, CASEWORKER)
        return f"v1:cl:{action}:{world.references['Dawit']}" + (f":{extra}" if extra else "")

    refused = Foreign(
        CASEWORKER,
        foreign,
        lambda world: alert(texts.BUTTON_NOT_FOR_YOU),
        "a newcomer she does not help",
    )
    return Probe(send, check, inside=inside, foreign=[refused])


def named(template: str, name: str = "Amal", **values: object) -> Check:
    """A staff text about a newcomer: {name} and {reference} filled in."""
    return says(
        lambda scene, who: render(
            NL, template, name=name, reference=scene.world.references[name], **values
        )
    )


def sheet_refused(world: World, who: Who) -> Refusal:
    return alert(texts.BUTTON_NOT_FOR_YOU)


def yonas_for_others(who: Who) -> str:
    # Coordinators and admins (In-Gent) may only choose someone who already helps: Yonas
    # has Laila besides his contact Tom. Laila chooses Tom (her own organisation) for Amal.
    return "Amal" if who is CASEWORKER else "Yonas"


async def amal_has_a_number(scene: Scene, who: Who) -> None:
    """Amal joined by SMS before her Telegram link (SMS itself is off in this world)."""
    async with scene.services.store.transaction() as db:
        await db.execute(
            "UPDATE newcomers SET sms_number = '+32470123456', sms_state = 'agreed'"
            " WHERE reference = ?",
            (scene.world.references["Amal"],),
        )


async def number_form_waits(scene: Scene, who: Who) -> None:
    """The sheet's 📱 form, waiting for Amal's number (the button itself needs SMS on)."""
    draft = drafts.Draft(
        int(str(staff_id(scene, who))), "sms-number", "number", {"ref": ref("Amal")(scene.world)}
    )
    await drafts.save(scene.services.store, scene.services.clock, draft)


PROBES: dict[str, Probe] = {
    # --- joining
    "/start c_": Probe(
        lambda world, who: f"/start {world.newcomer_token}",
        and_then(
            stored(
                "SELECT first_name FROM newcomers WHERE telegram_user_id = ?",
                "Hiwet",
                lambda scene, who: MEHMET[0],
            ),
            lambda scene, who, outcome: _contains(outcome, "Hiwet"),
        ),
        inside=lambda world, who: Refusal(
            render_bilingual("ar", texts.NEWCOMER_ALREADY_LINKED)
            if who is NEWCOMER
            else render(NL, texts.NOT_UNDERSTOOD)
        ),
    ),
    "/start s_": Probe(
        lambda world, who: f"/start {world.staff_token}",
        and_then(
            stored(
                "SELECT role || ' ' || organisation_id FROM staff WHERE telegram_user_id = ?",
                "caseworker 2",
                lambda scene, who: MEHMET[0],
            ),
            says(
                lambda scene, who: render(
                    NL,
                    texts.STAFF_WELCOME,
                    name="Mehmet",
                    role=role_name(NL, Role.CASEWORKER),
                    organisation="OCMW",
                )
            ),
        ),
        inside=lambda world, who: Refusal(
            render("ar", texts.NOT_UNDERSTOOD)
            if who is NEWCOMER
            else render(NL, texts.STAFF_ALREADY_JOINED, role=role_name(NL, Role(who.value)))
        ),
    ),
    "/start": Probe(fixed("/start"), says(help_text)),
    "/help": Probe(fixed("/help"), says(help_text)),
    # --- a newcomer's own menu
    "/taal": Probe(fixed("/taal"), amal_says(texts.CHOOSE_LANGUAGE)),
    "/stop": Probe(
        fixed("/stop"),
        and_then(
            amal_says(texts.NEWCOMER_STOPPED),
            stored("SELECT status FROM newcomers WHERE telegram_user_id = 3", "stopped"),
        ),
    ),
    "/afspraken": Probe(fixed("/afspraken"), says(amal_appointments)),
    "/contact": Probe(fixed("/contact"), says(amal_card)),
    "/gegevens": Probe(
        fixed("/gegevens"),
        and_then(
            lambda scene, who, outcome: _contains(outcome, scene.world.references["Amal"]),
            stored(
                "SELECT count(*) FROM audit_log WHERE action = 'newcomer.export' AND actor = ?",
                1,
                lambda scene, who: f"newcomer:{scene.world.references['Amal']}",
            ),
        ),
    ),
    "/vergeet": Probe(fixed("/vergeet"), amal_says(texts.FORGET_QUESTION)),
    "📅": Probe(fixed(f"📅 {render('ar', texts.MENU_APPOINTMENTS)}"), says(amal_appointments)),
    "👤": Probe(fixed(f"👤 {render('ar', texts.MENU_CONTACT)}"), says(amal_card)),
    "🌐": Probe(fixed(f"🌐 {render('ar', texts.MENU_LANGUAGE)}"), amal_says(texts.CHOOSE_LANGUAGE)),
    "❓": Probe(fixed(f"❓ {render('ar', texts.MENU_HELP)}"), says(help_text)),
    "v1:consent:": Probe(
        with_ref("v1:consent:yes:{ref}", "Yonas"),
        and_then(
            says(lambda scene, who: render_bilingual("fa", texts.NEWCOMER_CONSENT_THANKS)),
            stored("SELECT status FROM newcomers WHERE telegram_user_id = 8", "active"),
        ),
        actor={NEWCOMER: YONAS},
        foreign=[
            Foreign(
                NEWCOMER,
                with_ref("v1:consent:yes:{ref}", "Yonas"),
                lambda world: Refusal(render("ar", texts.BUTTON_NOT_FOR_YOU), alert=True),
                "Amal presses Yonas's consent button",
            )
        ],
    ),
    "v1:smsfb:": Probe(
        with_ref("v1:smsfb:no:{ref}"),
        and_then(
            amal_says(texts.SMS_NUMBER_ERASED),
            stored(
                "SELECT sms_number IS NULL FROM newcomers WHERE reference = ?",
                1,
                lambda scene, who: scene.world.references["Amal"],
            ),
        ),
        setup=amal_has_a_number,
        foreign=[
            Foreign(
                NEWCOMER,
                with_ref("v1:smsfb:no:{ref}", "Yonas"),
                lambda world: Refusal(render("ar", texts.BUTTON_NOT_FOR_YOU), alert=True),
                "Amal presses Yonas's button",
            )
        ],
    ),
    "v1:lang:": Probe(
        fixed("v1:lang:fr"),
        and_then(
            says(
                lambda scene, who: render_bilingual(
                    "fr", texts.LANGUAGE_CHANGED, language=ENDONYMS["fr"]
                )
            ),
            stored("SELECT language FROM newcomers WHERE telegram_user_id = 3", "fr"),
        ),
        foreign=[
            Foreign(
                NEWCOMER,
                fixed("v1:lang:xx"),
                lambda world: Refusal(render("ar", texts.BUTTON_NOT_FOR_YOU), alert=True),
                "a language Schakel does not offer",
            )
        ],
    ),
    "v1:forget:": Probe(
        with_ref("v1:forget:yes:{ref}"),
        and_then(
            amal_says(texts.FORGOTTEN),
            stored(
                "SELECT forgotten_at IS NOT NULL FROM newcomers WHERE reference = ?",
                1,
                lambda scene, who: scene.world.references["Amal"],
            ),
        ),
        foreign=[
            Foreign(
                NEWCOMER,
                with_ref("v1:forget:yes:{ref}", "Yonas"),
                lambda world: Refusal(render("ar", texts.BUTTON_NOT_FOR_YOU), alert=True),
                "Amal presses a forget button naming Yonas",
            )
        ],
    ),
    "v1:ap:": Probe(
        lambda world, who: f"v1:ap:yes:{world.appointments['amal_ahead']}",
        and_then(
            amal_says(texts.ANSWER_COMING),
            stored(
                "SELECT answer FROM appointments WHERE id = ?",
                "coming",
                lambda scene, who: scene.world.appointments["amal_ahead"],
            ),
        ),
        foreign=[
            Foreign(
                NEWCOMER,
                lambda world, who: f"v1:ap:yes:{world.appointments['dawit_ahead']}",
                lambda world: Refusal(render("ar", texts.BUTTON_NOT_FOR_YOU), alert=True),
                "Dawit's appointment",
            ),
            Foreign(
                NEWCOMER,
                lambda world, who: f"v1:ap:yes:{world.appointments['amal_past']}",
                lambda world: Refusal(render("ar", texts.APPOINTMENT_CLOSED), alert=True),
                "her own appointment, already past",
            ),
        ],
    ),
    "v1:nw:": Probe(
        lambda world, who: f"v1:nw:day:{world.appointments['amal_ahead']}:1",
        and_then(
            amal_says(texts.WISH_ASK_PART),
            stored(
                "SELECT weekday FROM appointment_wishes WHERE appointment_id = ?",
                1,
                lambda scene, who: scene.world.appointments["amal_ahead"],
            ),
        ),
        setup=lambda scene, who: amal_cannot_come(scene),
        foreign=[
            Foreign(
                NEWCOMER,
                lambda world, who: f"v1:nw:day:{world.appointments['dawit_ahead']}:1",
                lambda world: Refusal(render_bilingual("ar", texts.BUTTON_NOT_FOR_YOU), alert=True),
                "Dawit's appointment",
            ),
        ],
    ),
    "v1:hc:": Probe(
        fixed("v1:hc:yes:1"),
        and_then(
            amal_says(
                texts.HANDOVER_CONSENT_THANKS_YES, contact="Laila Peeters", organisation="OCMW"
            ),
            stored("SELECT status FROM handover_consent_requests WHERE id = 1", "agreed"),
        ),
        setup=lambda scene, who: laila_asks_amal(scene),
        foreign=[
            Foreign(
                NEWCOMER,
                fixed("v1:hc:yes:1"),
                lambda world: Refusal(render_bilingual("ar", texts.BUTTON_TOO_OLD), alert=True),
                "a question nobody put to her",
            )
        ],
    ),
    "v1:rsvp:": Probe(
        lambda world, who: f"v1:rsvp:{world.announcements['to_all']}:coming",
        and_then(
            amal_says(texts.RSVP_COMING),
            stored(
                "SELECT rsvp FROM announcement_deliveries"
                " WHERE announcement_id = ? AND newcomer_id ="
                " (SELECT id FROM newcomers WHERE telegram_user_id = 3)",
                "coming",
                lambda scene, who: scene.world.announcements["to_all"],
            ),
        ),
        foreign=[
            Foreign(
                NEWCOMER,
                lambda world, who: f"v1:rsvp:{world.announcements['to_dawit']}:coming",
                lambda world: Refusal(render("ar", texts.BUTTON_NOT_FOR_YOU), alert=True),
                "an announcement sent only to Dawit",
            )
        ],
    ),
    # --- staff commands
    "/uitnodigen": Probe(
        fixed("/uitnodigen begeleider OCMW"),
        and_then(
            begins(
                texts.STAFF_INVITE_CREATED.split("{expires}")[0],
                role="begeleider",
                organisation="OCMW",
                expires="",
                link="",
            ),
            stored("SELECT count(*) FROM staff_invites WHERE used_at IS NULL", 2),
        ),
    ),
    "/medewerkers": Probe(
        fixed("/medewerkers"),
        lambda scene, who, outcome: _contains(
            outcome, f"#{scene.world.staff_ids['Els']} Els Declercq, begeleider bij VDAB"
        ),
    ),
    "v1:st:": Probe(
        lambda world, who: f"v1:st:backyes:{world.staff_ids['Els']}",
        and_then(
            says(
                lambda scene, who: render(
                    NL, texts.STAFF_BACK_DONE, name="Els Declercq", role="begeleider"
                )
            ),
            stored(
                "SELECT active FROM staff WHERE id = ?",
                1,
                lambda scene, who: scene.world.staff_ids["Els"],
            ),
        ),
        foreign=[
            Foreign(
                ADMIN,
                lambda world, who: f"v1:st:to:{world.staff_ids['Tom']}:{world.staff_ids['Sarah']}",
                lambda world: Refusal(render(NL, texts.STAFF_NOT_A_COLLEAGUE, organisation="VDAB")),
                "Tom's newcomers to a caseworker of another organisation",
            ),
            Foreign(
                ADMIN,
                lambda world, who: f"v1:st:to:{world.staff_ids['Annelies']}:0",
                lambda world: Refusal(render(NL, texts.STAFF_LAST_ADMIN, name="Annelies")),
                "the only admin's own access",
            ),
        ],
    ),
    "/nieuw": Probe(
        fixed("/nieuw Samira ar"),
        and_then(
            lambda scene, who, outcome: _contains(outcome, "Samira"),
            stored("SELECT count(*) FROM newcomers WHERE first_name = 'Samira'", 1),
        ),
    ),
    # SMS is off in the partnership: the caseworker's real answer says so, and changes nothing
    # (with SMS on: tests/e2e/test_sms.py).
    "/sms": Probe(
        with_ref("/sms {ref} +32470123456"),
        says(lambda scene, who: render(NL, texts.SMS_IS_OFF)),
        foreign=[laila_with("/sms {ref} +32470123456")],
    ),
    "/betrokken": Probe(
        with_ref("/betrokken {ref} jobcoach VDAB Tom Claes"),
        named(
            texts.COUNSELLOR_ADDED,
            counsellor="Tom Claes",
            role=render(NL, texts.COUNSELLOR_JOB_COACH),
            organisation="VDAB",
        ),
        foreign=[laila_with("/betrokken {ref} jobcoach VDAB Tom Claes")],
    ),
    "/profiel": Probe(
        fixed("/profiel uren ma-vr 9-12 uur"),
        stored("SELECT hours FROM staff WHERE id = ?", "ma-vr 9-12 uur", staff_id),
    ),
    "/clienten": Probe(
        fixed("/clienten"),
        lambda scene, who, outcome: _first_line(
            outcome, render(NL, texts.NEWCOMERS_TITLE, count=3 if who is CASEWORKER else 4)
        ),
    ),
    "/client": Probe(
        with_ref("/client {ref}"),
        lambda scene, who, outcome: _starts(outcome, f"Amal ({scene.world.references['Amal']})"),
        foreign=[laila_with("/client {ref}")],
    ),
    "/geschiedenis": Probe(
        with_ref("/geschiedenis {ref}"),
        lambda scene, who, outcome: _first_line(
            outcome,
            render(NL, texts.HISTORY_TITLE, name="Amal", reference=scene.world.references["Amal"]),
        ),
        foreign=[laila_with("/geschiedenis {ref}")],
    ),
    "/label": Probe(
        with_ref("/label {ref} beroepsperspectief"),
        named(texts.TAG_LIST, tags="beroepsperspectief"),
        foreign=[laila_with("/label {ref} beroepsperspectief")],
    ),
    "/afspraak": Probe(
        with_ref("/afspraak {ref}"),
        and_then(named(texts.PLAN_ASK_KIND), waits_at("kind")),
        foreign=[laila_with("/afspraak {ref}")],
    ),
    "/vandaag": Probe(
        fixed("/vandaag"),
        lambda scene, who, outcome: _starts(outcome, render(NL, texts.AGENDA_TODAY, day="")[:-2]),
    ),
    "/week": Probe(
        fixed("/week"),
        lambda scene, who, outcome: _starts(outcome, render(NL, texts.AGENDA_WEEK, day="")[:-2]),
    ),
    "/overdracht": Probe(
        with_ref("/overdracht {ref}"),
        and_then(
            begins(texts.HANDOVER_ASK_ORGANISATION, name="Amal", reference=ref("Amal")),
            waits_at("org"),
        ),
        foreign=[laila_with("/overdracht {ref}")],
    ),
    "/overzicht": Probe(
        fixed("/overzicht"),
        begins(texts.COORDINATOR_OVERVIEW, newcomers=4, linked=2, staff=5),
    ),
    "/aankondiging": Probe(
        fixed("/aankondiging"),
        and_then(begins(texts.ANNOUNCE_ASK_KIND), waits_at("kind")),
    ),
    "/aankondigingen": Probe(
        fixed("/aankondigingen"),
        lambda scene, who, outcome: _first_line(outcome, render(NL, texts.ANNOUNCE_LIST_TITLE)),
    ),
    "/cijfers": Probe(
        fixed("/cijfers 1-10-2027 31-10-2027"),
        begins(texts.FIGURES_TITLE, first="1 oktober 2027", last="31 oktober 2027"),
    ),
    "/partnergroep": Probe(
        fixed("/partnergroep"),
        and_then(
            says(lambda scene, who: render(NL, texts.PARTNER_GROUP_LINKED), where="group"),
            stored(
                "SELECT updated_at = ? FROM settings WHERE key = ?",
                1,
                lambda scene, who: to_db(scene.services.clock()),
                lambda scene, who: PARTNER_GROUP_SETTING,
            ),
        ),
    ),
    "/cancel": Probe(
        fixed("/cancel"),
        and_then(says(lambda scene, who: render(NL, texts.PLAN_STOPPED)), waits_at(None)),
        # A form to leave (an admin plans none: /afspraak is refused, /cancel still answers).
        setup=typed(with_ref("/afspraak {ref}")),
    ),
    "text": Probe(
        fixed("10/03/2027 14:00"),
        and_then(says(lambda scene, who: render(NL, texts.PLAN_ASK_PLACE)), waits_at("place")),
        setup=typed(with_ref("/afspraak {ref}"), fixed("v1:pl:kind:duo_intake")),
        inside=not_understood_inside,
    ),
    # --- the newcomer sheet
    "v1:cl:lang:": sheet("lang", named(texts.CHOOSE_LANGUAGE_FOR)),
    "v1:cl:setlang:": sheet(
        "setlang",
        and_then(
            named(texts.LANGUAGE_SET_FOR, language=ENDONYMS["fr"]),
            stored("SELECT language FROM newcomers WHERE telegram_user_id = 3", "fr"),
        ),
        argument=lambda world, who: "fr",
    ),
    "v1:cl:contact:": sheet(
        "contact",
        lambda scene, who, outcome: named(texts.CHOOSE_CONTACT_FOR, yonas_for_others(who))(
            scene, who, outcome
        ),
        name=yonas_for_others,
    ),
    "v1:cl:setcontact:": sheet(
        "setcontact",
        lambda scene, who, outcome: named(
            texts.CONTACT_SET_FOR,
            yonas_for_others(who),
            contact="Tom Wouters" if who is CASEWORKER else "Laila Peeters",
        )(scene, who, outcome),
        name=yonas_for_others,
        argument=lambda world, who: str(world.staff_ids["Tom" if who is CASEWORKER else "Laila"]),
    ),
    "v1:cl:link:": sheet(
        "link",
        and_then(
            begins(
                texts.NEWCOMER_INVITE_CREATED.split("{expires}")[0],
                name="Amal",
                reference=ref("Amal"),
                expires="",
                link="",
            ),
            stored(
                "SELECT count(*) FROM newcomer_invites"
                " WHERE used_at IS NULL AND revoked_at IS NULL",
                2,
            ),
        ),
    ),
    "v1:cl:revoke:": sheet(
        "revoke",
        and_then(
            named(texts.LINK_REVOKED_FOR, "Hiwet"),
            stored("SELECT count(*) FROM newcomer_invites WHERE revoked_at IS NOT NULL", 1),
        ),
        name=lambda who: "Hiwet",
    ),
    "v1:cl:appts:": sheet("appts", named(texts.STAFF_APPOINTMENTS_TITLE), inside=sheet_refused),
    "v1:cl:plan:": sheet(
        "plan", and_then(named(texts.PLAN_ASK_KIND), waits_at("kind")), inside=sheet_refused
    ),
    "v1:cl:handover:": sheet(
        "handover",
        and_then(
            begins(texts.HANDOVER_ASK_ORGANISATION, name="Amal", reference=ref("Amal")),
            waits_at("org"),
        ),
        inside=sheet_refused,
    ),
    "v1:cl:sms:": sheet(
        "sms", says(lambda scene, who: render(NL, texts.SMS_IS_OFF)), inside=sheet_refused
    ),
    "v1:sn:": Probe(
        fixed("v1:sn:number:stop"),
        and_then(says(lambda scene, who: render(NL, texts.PLAN_STOPPED)), waits_at(None)),
        setup=number_form_waits,
        foreign=[
            Foreign(
                CASEWORKER,
                fixed("v1:sn:number:stop"),
                lambda world: alert(texts.BUTTON_TOO_OLD),
                "no form waits for it",
            )
        ],
    ),
    "v1:cl:history:": sheet(
        "history",
        lambda scene, who, outcome: _first_line(
            outcome,
            render(NL, texts.HISTORY_TITLE, name="Amal", reference=scene.world.references["Amal"]),
        ),
    ),
    "v1:cl:export:": sheet(
        "export",
        and_then(
            lambda scene, who, outcome: _contains(outcome, scene.world.references["Amal"]),
            stored(
                "SELECT count(*) FROM audit_log WHERE action = 'newcomer.export' AND actor = ?",
                1,
                lambda scene, who: f"staff:{staff_id(scene, who)}",
            ),
        ),
    ),
    "v1:cl:forget:": sheet("forget", named(texts.FORGET_QUESTION_STAFF)),
    "v1:cl:forgetyes:": sheet(
        "forgetyes",
        and_then(
            says(
                lambda scene, who: render(
                    NL, texts.STAFF_FORGOTTEN, reference=scene.world.references["Amal"]
                )
            ),
            stored("SELECT count(*) FROM newcomers WHERE first_name = 'Amal'", 0),
        ),
    ),
    "v1:cl:forgetno:": sheet(
        "forgetno", says(lambda scene, who: render(NL, texts.FORGET_CANCELLED))
    ),
    # --- appointments, forms and announcements
    "v1:sa:": Probe(
        lambda world, who: f"v1:sa:cancelyes:{world.appointments['amal_ahead']}",
        and_then(
            says(lambda scene, who: render(NL, texts.CANCEL_DONE, name="Amal")),
            stored(
                "SELECT status FROM appointments WHERE id = ?",
                "cancelled",
                lambda scene, who: scene.world.appointments["amal_ahead"],
            ),
        ),
        foreign=[
            Foreign(
                CASEWORKER,
                lambda world, who: f"v1:sa:cancelyes:{world.appointments['dawit_ahead']}",
                lambda world: alert(texts.BUTTON_NOT_FOR_YOU),
                "Dawit's appointment",
            )
        ],
    ),
    "v1:at:": Probe(
        lambda world, who: f"v1:at:attended:{world.appointments['amal_past']}",
        and_then(
            says(
                lambda scene, who: render(
                    NL,
                    texts.ATTENDANCE_SAVED,
                    name="Amal",
                    status=render(NL, texts.STATUS_ATTENDED),
                )
            ),
            stored(
                "SELECT status FROM appointments WHERE id = ?",
                "attended",
                lambda scene, who: scene.world.appointments["amal_past"],
            ),
        ),
        foreign=[
            Foreign(
                CASEWORKER,
                lambda world, who: f"v1:at:attended:{world.appointments['dawit_past']}",
                lambda world: alert(texts.BUTTON_NOT_FOR_YOU),
                "Dawit's appointment",
            ),
            Foreign(
                CASEWORKER,
                lambda world, who: f"v1:at:attended:{world.appointments['amal_ahead']}",
                lambda world: alert(texts.APPOINTMENT_NOT_FOUND),
                "one still ahead",
            ),
        ],
    ),
    "v1:pl:": Probe(
        fixed("v1:pl:kind:duo_intake"),
        and_then(begins(texts.PLAN_ASK_WHEN), waits_at("when")),
        setup=typed(with_ref("/afspraak {ref}")),
        foreign=[
            Foreign(
                CASEWORKER,
                fixed("v1:pl:kind:duo_intake"),
                lambda world: alert(texts.BUTTON_TOO_OLD),
                "no form waits for it",
            )
        ],
    ),
    "v1:hf:": Probe(
        lambda world, who: f"v1:hf:org:{world.organisation_ids['OCMW']}",
        and_then(begins(texts.HANDOVER_ASK_PERSON, organisation="OCMW"), waits_at("person")),
        setup=typed(with_ref("/overdracht {ref}")),
        foreign=[
            Foreign(
                CASEWORKER,
                lambda world, who: f"v1:hf:org:{world.organisation_ids['OCMW']}",
                lambda world: alert(texts.BUTTON_TOO_OLD),
                "no form waits for it",
            )
        ],
    ),
    "v1:hr:": Probe(
        fixed("v1:hr:1"),
        and_then(begins(texts.HANDOVER_KNOWN, name="Amal"), waits_at("known")),
        setup=lambda scene, who: laila_asks_amal(scene),
        foreign=[
            Foreign(
                CASEWORKER,
                fixed("v1:hr:1"),
                lambda world: alert(texts.BUTTON_TOO_OLD),
                "a question she did not ask",
            )
        ],
    ),
    "v1:af:": Probe(
        fixed("v1:af:kind:work"),
        lambda scene, who, outcome: _moved_on(scene, who, "kind"),
        setup=typed(fixed("/aankondiging")),
        foreign=[
            Foreign(
                COORDINATOR,
                fixed("v1:af:kind:work"),
                lambda world: alert(texts.BUTTON_TOO_OLD),
                "no form waits for it",
            )
        ],
    ),
    "v1:fig:": Probe(
        fixed("v1:fig:x:20271001:20271031"),  # the Excel file: the export, audited
        and_then(
            begins(texts.FIGURES_EXCEL_CAPTION, first="1 oktober 2027", last="31 oktober 2027"),
            stored(
                "SELECT count(*) FROM audit_log WHERE action = 'export_figures' AND actor = ?",
                1,
                lambda scene, who: f"staff:{staff_id(scene, who)}",
            ),
        ),
    ),
    "v1:bc:": Probe(
        lambda world, who: f"v1:bc:cancel_yes:{world.announcements['scheduled']}",
        and_then(
            says(
                lambda scene, who: render(
                    NL, texts.ANNOUNCE_CANCELLED, code=f"A{scene.world.announcements['scheduled']}"
                )
            ),
            stored(
                "SELECT status FROM announcements WHERE id = ?",
                "cancelled",
                lambda scene, who: scene.world.announcements["scheduled"],
            ),
        ),
    ),
    # --- the handover card
    "v2:ho:details:": Probe(
        on_note("details", READS),
        and_then(
            says(lambda scene, who: render(NL, texts.HANDOVER_DETAILS_SENT), where="alerts"),
            lambda scene, who, outcome: _starts(
                outcome, f"Overdracht {scene.world.note_references[scene.world.notes[READS[who]]]}"
            ),
            stored(
                "SELECT count(*) FROM audit_log WHERE action = 'handover.view' AND actor = ?",
                1,
                lambda scene, who: f"staff:{staff_id(scene, who)}",
            ),
        ),
        foreign=[
            Foreign(
                CASEWORKER,
                on_note("details", {CASEWORKER: "ocmw_to_ingent"}),
                not_yours("ocmw_to_ingent"),
                "a note between OCMW and In-Gent",
            ),
            Foreign(
                COORDINATOR,
                on_note("details", {COORDINATOR: "vdab_to_ocmw"}),
                not_yours("vdab_to_ocmw"),
                "a note between VDAB and OCMW",
            ),
        ],
    ),
    "v2:ho:take:": Probe(
        on_note("take", DECIDES),
        and_then(
            says(
                lambda scene, who: render(
                    NL,
                    texts.CONTACT_NOW_YOU,
                    name="Dawit",
                    reference=scene.world.references["Dawit"],
                )
            ),
            note_status(DECIDES, "taken_over"),
        ),
        inside=lambda world, who: only_receiver(DECIDES[who])(world),
        foreign=[
            Foreign(
                CASEWORKER,
                on_note("take", {CASEWORKER: "vdab_to_ocmw"}),
                only_receiver("vdab_to_ocmw"),
                "her own organisation's note",
            ),
            Foreign(
                CASEWORKER,
                on_note("take", {CASEWORKER: "ocmw_to_ingent"}),
                not_yours("ocmw_to_ingent"),
                "a note between OCMW and In-Gent",
            ),
        ],
    ),
    "v2:ho:decline:": Probe(
        on_note("decline", DECIDES),
        lambda scene, who, outcome: _starts(
            outcome,
            render(
                NL,
                texts.HANDOVER_ASK_DECLINE_REASON,
                organisation=ROUTES[DECIDES[who]][1],
                reference=scene.world.note_references[scene.world.notes[DECIDES[who]]],
            ),
        ),
        foreign=[
            Foreign(
                CASEWORKER,
                on_note("decline", {CASEWORKER: "vdab_to_ocmw"}),
                only_receiver("vdab_to_ocmw"),
                "her own organisation's note",
            ),
            Foreign(
                ADMIN,
                on_note("decline", {ADMIN: "vdab_to_ocmw"}),
                not_yours("vdab_to_ocmw"),
                "a note between VDAB and OCMW",
            ),
        ],
    ),
    "v2:ho:why:": Probe(
        on_note("why", DECIDES, ":no_capacity"),
        and_then(
            lambda scene, who, outcome: _starts(
                outcome, render(NL, texts.HANDOVER_DECLINED_YOU, author="Sarah Peeters")
            ),
            note_status(DECIDES, "declined"),
        ),
        foreign=[
            Foreign(
                CASEWORKER,
                on_note("why", {CASEWORKER: "vdab_to_ocmw"}, ":no_capacity"),
                only_receiver("vdab_to_ocmw"),
                "her own organisation's note",
            )
        ],
    ),
}


def _contains(outcome: Outcome, part: str) -> None:
    assert any(part in text for text in outcome.texts), (part, outcome)


def _starts(outcome: Outcome, start: str) -> None:
    assert any(text.startswith(start) for text in outcome.texts), (start, outcome)


def _first_line(outcome: Outcome, line: str) -> None:
    assert any(text.splitlines()[0] == line for text in outcome.texts), (line, outcome)


async def _moved_on(scene: Scene, who: Who, step: str) -> None:
    assert await draft_step(scene, who) not in (None, step)


# --- the tests ------------------------------------------------------------------------


def test_every_entry_has_a_probe() -> None:
    assert set(PROBES) == {entry.key for entry in ENTRIES}


ROLES = tuple(Who)
CASES = [
    pytest.param(entry, who, id=f"{entry.key}-{who.value}") for entry in ENTRIES for who in ROLES
]


@pytest.mark.parametrize(("entry", "who"), CASES)
async def test_each_role_gets_the_answer_or_the_refusal_and_nothing_changes(
    scene: Scene, entry: Entry, who: Who
) -> None:
    probe = PROBES[entry.key]
    actor = probe.actor.get(who) if entry.allows(who) else None
    user = scene.telegram.user(*(actor or PEOPLE[who]))
    if probe.setup is not None and entry.allows(who):
        await probe.setup(scene, who)
    before = await snapshot(scene.services)
    sent = probe.send(scene.world, who)
    outcome = await act(
        scene, user, sent, button=entry.kind is Kind.BUTTON, in_group=entry.in_groups
    )
    if entry.allows(who):
        await run(probe.check, scene, who, outcome)
        return
    if who in entry.refused_inside:
        assert probe.inside is not None, f"{entry.key}: say how the rule refuses {who.value}"
        refusal = probe.inside(scene.world, who)
    else:
        refusal = door_refusal(entry, who, language_of(who))
    await assert_refused(scene, before, outcome, refusal, user, in_group=entry.in_groups)


FOREIGN = [
    pytest.param(entry, foreign, id=f"{entry.key}-{foreign.who.value}-{foreign.why}")
    for entry in ENTRIES
    for foreign in PROBES[entry.key].foreign
]


@pytest.mark.parametrize(("entry", "foreign"), FOREIGN)
async def test_someone_elses_data_is_refused_and_nothing_changes(
    scene: Scene, entry: Entry, foreign: Foreign
) -> None:
    assert entry.allows(foreign.who)  # the role may use it on their own
    user = scene.person(foreign.who)
    before = await snapshot(scene.services)
    outcome = await act(
        scene,
        user,
        foreign.send(scene.world, foreign.who),
        button=entry.kind is Kind.BUTTON,
        in_group=entry.in_groups,
    )
    await assert_refused(
        scene, before, outcome, foreign.refusal(scene.world), user, in_group=entry.in_groups
    )


@pytest.mark.parametrize("in_group", [True, False], ids=["in the group", "privately"])
@pytest.mark.parametrize("who", ROLES, ids=lambda who: who.value)
async def test_an_old_card_button_no_longer_works_for_anyone(
    scene: Scene, who: Who, in_group: bool
) -> None:
    """The card's buttons of version 1 named the note by its id (`v1:ho:take:12`), so
    anyone could write the data for the notes next to it. They are retired: pressed by
    anyone, on a note they could decide on or read, they do nothing and answer "this
    button no longer works" (a stranger: "I do not know you"; former staff: their access
    ended)."""
    user = scene.person(who)
    note = scene.world.notes[DECIDES.get(who, "vdab_to_ocmw")]
    said = {STRANGER: texts.UNKNOWN_PERSON, FORMER_STAFF: texts.STAFF_ACCESS_ENDED}
    refusal = Refusal(render(language_of(who), said.get(who, texts.BUTTON_TOO_OLD)), alert=True)
    for pressed in ("details", "take", "decline", "why"):
        data = f"v1:ho:{pressed}:{note}" + (":no_capacity" if pressed == "why" else "")
        before = await snapshot(scene.services)
        outcome = await act(scene, user, data, button=True, in_group=in_group)
        await assert_refused(scene, before, outcome, refusal, user, in_group=in_group)


def first_allowed(entry: Entry) -> Who:
    return next(who for who in ROLES if entry.allows(who))


NOT_IN_GROUPS = [
    pytest.param(entry, id=f"{entry.key}-{first_allowed(entry).value}")
    for entry in ENTRIES
    if not entry.in_groups
]


@pytest.mark.parametrize("entry", NOT_IN_GROUPS)
async def test_in_the_partner_group_only_the_card_and_partnergroep_answer(
    scene: Scene, entry: Entry
) -> None:
    """Whoever may use it in their own chat: in the group, a command or a typed text gets
    silence (an answer would be read by everyone there), a button "not for you"."""
    who = first_allowed(entry)
    probe = PROBES[entry.key]
    user = scene.telegram.user(*(probe.actor.get(who) or PEOPLE[who]))
    if probe.setup is not None:
        await probe.setup(scene, who)
    before = await snapshot(scene.services)
    button = entry.kind is Kind.BUTTON
    outcome = await act(scene, user, probe.send(scene.world, who), button=button, in_group=True)
    refusal = (
        Refusal(render(language_of(who, probe.actor.get(who)), texts.BUTTON_NOT_FOR_YOU), True)
        if button and who is not STRANGER
        else Refusal(None)
    )
    await assert_refused(scene, before, outcome, refusal, user, in_group=True)


async def assert_refused(
    scene: Scene,
    before: Snapshot,
    outcome: Outcome,
    refusal: Refusal,
    user: SimUser,
    *,
    in_group: bool,
) -> None:
    said = outcome.group if in_group else outcome.texts
    if refusal.alert:
        assert outcome.alerts == [refusal.text] and not outcome.texts and not outcome.group
    elif refusal.text is None:
        assert not outcome.alerts and not outcome.texts and not outcome.group, outcome
    else:
        assert said == [refusal.text] and not outcome.alerts, outcome
    chat = GROUP_ID if in_group else user.id
    for table, (went, came) in differences(before, await snapshot(scene.services)).items():
        assert not went, f"{table}: rows changed or went: {went}"
        for row in came:
            if table == "outbox":  # the refusal message itself, to where it was asked
                payload = json.loads(row["payload"])
                assert (row["purpose"], row["chat_id"], payload["text"]) == (
                    "reply",
                    chat,
                    refusal.text,
                ), row
            elif table == "audit_log":  # a refused look at a note is audited on purpose
                assert row["action"].endswith(".refused"), row
            else:
                raise AssertionError(f"{table} changed: {row}")


# Keep the partnership honest: the people and things the probes rely on exist as said.
async def test_the_partnership_is_as_the_probes_expect(scene: Scene) -> None:
    world, value = scene.world, scene.value
    assert await value("SELECT count(*) FROM newcomers WHERE consent_at IS NOT NULL") == 2
    assert await value("SELECT status FROM newcomers WHERE telegram_user_id = 8") == "invited"
    for key in ("amal_ahead", "dawit_ahead"):
        assert (
            await value("SELECT status FROM appointments WHERE id = ?", world.appointments[key])
            == "planned"
        )
    starts = await value(
        "SELECT starts_at FROM appointments WHERE id = ?", world.appointments["amal_past"]
    )
    assert str(starts) < scene.services.clock().astimezone(dt.UTC).isoformat()
    assert await value("SELECT count(*) FROM handover_notes WHERE status = 'posted'") == 3
    assert (
        await value(
            "SELECT status FROM announcements WHERE id = ?", world.announcements["scheduled"]
        )
        == "scheduled"
    )
    assert await value("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0


@pytest.mark.parametrize("who", STAFF, ids=lambda who: who.value)
async def test_the_sheet_shows_each_role_only_the_actions_it_may_use(
    scene: Scene, who: Who
) -> None:
    before = len(scene.telegram.calls)
    await scene.telegram.send(scene.person(who), f"/client {scene.world.references['Amal']}")
    sheet = next(call for call in scene.telegram.calls[before:] if call.method == "sendMessage")
    markup = sheet.params["reply_markup"]
    markup = markup if isinstance(markup, dict) else json.loads(markup)
    shown = {
        button["callback_data"].split(":")[2] for row in markup["inline_keyboard"] for button in row
    }
    may = {
        entry.key.split(":")[2]
        for entry in ENTRIES
        if entry.key.startswith("v1:cl:") and entry.allows(who)
    }
    # The sheet has no button for the second step of an action (setlang, forgetyes...),
    # nor 📱 while SMS is off, as in this world (tests/e2e/test_sms_join.py: SMS on).
    assert shown == may - {"setlang", "setcontact", "forgetyes", "forgetno", "sms"}
    assert ("appts" in shown) is (who is not ADMIN)
    assert ("handover" in shown) is (who is CASEWORKER)
