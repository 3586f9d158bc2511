"""The world the fuzz tests attack: staff of three organisations, four newcomers with
data nobody else may see, their appointments, handover notes and announcements.

It is built once per test session through the stand-in, as the people would do it
(tests/e2e/people.py), and then restored from a copy before every example, so each
example starts from the same database whatever the one before it did.

Every newcomer carries markers: words that occur nowhere else (first name, reference,
the place and the people of their appointment, what their handover note says, their
label). A marker of one newcomer in a chat that is not entitled to it is a leak.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.announcements import delivery as announcement_delivery
from bot.app.standin import FakeTelegram, SimGroup, SimUser
from bot.people.staff import Role
from bot.sending.services import Services
from messages import language_names, render, texts
from messages.languages import ENDONYMS
from tests.conftest import FakeClock, invite_token, last_link, make_staff
from tests.e2e.people import local

REFERENCE = re.compile(r"\((K-\w{4})\)")
GROUP_ID = -1009876543210
STRANGER_ID = 99

# Tuesday 16 March 2027, 10:00 in Brussels while the world is made; the fuzzing happens at
# 13:00, when the first appointment (11:00) is over and may get its attendance.
MADE_AT = local(2027, 3, 16, 10)
FUZZ_AT = local(2027, 3, 16, 13)


@dataclass(frozen=True)
class Staff:
    key: str
    user_id: int
    name: str
    role: Role
    organisation: str


@dataclass(frozen=True)
class Newcomer:
    key: str
    user_id: int
    first_name: str
    language: str
    caseworker: str  # the key of their caseworker
    place: str = ""  # of their appointment ahead ("" when they have none)
    with_whom: str = ""
    note_plan: str = ""  # what their handover note says ("" when they have none)
    note_attention: str = ""
    note_to: str = ""  # the organisation the note goes to
    note_person: str = ""
    tag: str = ""


STAFF = (
    Staff("annelies", 1, "Annelies Wuyts", Role.ADMIN, "In-Gent"),
    Staff("laila", 2, "Laila Peeters", Role.CASEWORKER, "VDAB"),
    Staff("sarah", 5, "Sarah Claeys", Role.CASEWORKER, "OCMW"),
    Staff("els", 6, "Els Claes", Role.CASEWORKER, "In-Gent"),
    Staff("kris", 7, "Kris Maes", Role.COORDINATOR, "In-Gent"),
)
# Names, places and words that occur in no text of Schakel and in no other newcomer's data.
NEWCOMERS = (
    Newcomer(
        "quilmara", 31, "Quilmara", "ar", "laila",
        place="Zwaluwhofstraat 11, Gent", with_whom="Jorunn Vleminckx",
        note_plan="Opleiding quokkaverzorger", note_attention="Tamboerijnles op woensdag",
        note_to="OCMW", note_person="Sarah Claeys", tag="lavendelgroep",
    ),
    Newcomer(
        "brixtonia", 32, "Brixtonia", "ti", "sarah",
        place="Pelikaanhof 3, Gent", with_whom="Ottilie Wambeke",
        note_plan="Traject zeppelinmonteur", note_attention="Allergisch voor marsepein",
        note_to="In-Gent", note_person="Els Claes", tag="mandarijngroep",
    ),
    Newcomer(
        "vennolia", 33, "Vennolia", "uk", "laila",
        place="Kwikstaartlaan 5, Gent", with_whom="Ragnhild Deprez", tag="kiwigroep",
    ),
    Newcomer("ezrabel", 34, "Ezrabel", "fa", "laila"),  # linked, never agreed
)  # fmt: skip
INVITED = Newcomer("dorotheus", 35, "Dorotheus", "so", "laila")  # an open link, not used yet


# The ids the made world holds (it checks them once made); ids are the same in every world.
APPOINTMENTS = {1: "quilmara", 2: "brixtonia", 3: "vennolia", 4: "quilmara"}  # 4: today, over
NOTES = {1: "quilmara", 2: "brixtonia"}  # VDAB -> OCMW, OCMW -> In-Gent
SENT_TO = {1: ("quilmara", "brixtonia"), 2: ("brixtonia",), 3: ()}  # 3 is still scheduled


def role_of(key: str) -> Role | str | None:
    """A person's role as the oracle names it: a staff Role, "newcomer", or None (stranger)."""
    member = next((m for m in STAFF if m.key == key), None)
    if member is not None:
        return member.role
    return "newcomer" if key in {n.key for n in NEWCOMERS} else None


def helped_by(staff_key: str) -> tuple[str, ...]:
    """The newcomers this staff member sees: their own, or all (coordinator, admin)."""
    member = next(m for m in STAFF if m.key == staff_key)
    everyone = (*NEWCOMERS, INVITED)
    if member.role is not Role.CASEWORKER:
        return tuple(n.key for n in everyone)
    return tuple(n.key for n in everyone if n.caseworker == staff_key)


def notes_of_organisation(staff_key: str) -> tuple[int, ...]:
    member = next(m for m in STAFF if m.key == staff_key)
    sender = {n.key: next(m for m in STAFF if m.key == n.caseworker).organisation
              for n in NEWCOMERS}  # fmt: skip
    by_key = {n.key: n for n in NEWCOMERS}
    return tuple(
        note for note, key in NOTES.items()
        if member.organisation in (sender[key], by_key[key].note_to)
    )  # fmt: skip


@dataclass
class Cast:
    """What the world holds, read back from the database once it is made."""

    references: dict[str, str] = field(default_factory=dict)  # newcomer key -> K-XXXX
    newcomer_ids: dict[str, int] = field(default_factory=dict)
    staff_ids: dict[str, int] = field(default_factory=dict)
    organisation_ids: dict[str, int] = field(default_factory=dict)
    appointments: dict[int, str] = field(default_factory=dict)  # id -> newcomer key
    notes: dict[int, str] = field(default_factory=dict)  # id -> newcomer key
    note_references: dict[int, str] = field(default_factory=dict)  # id -> H-XXXX (random)
    announcements: list[int] = field(default_factory=list)
    invite_token: str = ""

    def newcomer_of_newcomer(self, newcomer_id: int) -> str | None:
        return next((k for k, v in self.newcomer_ids.items() if v == newcomer_id), None)


def staff_user(telegram: FakeTelegram, member: Staff) -> SimUser:
    return telegram.user(member.user_id, member.name, "nl")


def group(telegram: FakeTelegram) -> SimGroup:
    return telegram.group(GROUP_ID, "Partners Gent")


async def make(telegram: FakeTelegram, services: Services, clock: FakeClock) -> Cast:
    """Everything above, made by chat as the people would make it."""
    clock.now = MADE_AT.astimezone(dt.UTC)
    people = {}
    for member in STAFF:
        people[member.key] = await make_staff(
            services, telegram, member.user_id, member.name, member.role, member.organisation
        )
    await telegram.send(people["laila"], "/profiel telefoon 0470 12 34 56")
    await telegram.send(people["sarah"], "/profiel telefoon 09 266 11 11")
    await telegram.send(people["annelies"], "/partnergroep", group(telegram))
    cast = Cast()
    for newcomer in NEWCOMERS:
        cast.references[newcomer.key] = await _link(telegram, people, newcomer)
    for newcomer in NEWCOMERS:
        if newcomer.place:
            await _plan(telegram, people[newcomer.caseworker], newcomer, cast)
        if newcomer.tag:
            caseworker = people[newcomer.caseworker]
            await telegram.send(
                caseworker, f"/label {cast.references[newcomer.key]} {newcomer.tag}"
            )
    # One appointment today at 11:00, over when the fuzzing starts: attendance may be given.
    await _plan(telegram, people["laila"], NEWCOMERS[0], cast, today=True)
    for newcomer in NEWCOMERS:
        if newcomer.note_plan:
            await _write_note(telegram, people[newcomer.caseworker], newcomer, cast)
    # Vennolia stops after everything; announcements then reach Quilmara and Brixtonia.
    await telegram.send(telegram.user(NEWCOMERS[2].user_id, NEWCOMERS[2].first_name), "/stop")
    kris = people["kris"]
    await _announce(telegram, kris, audience=texts.BUTTON_AUDIENCE_ALL, value=None)
    await _announce(telegram, kris, audience=texts.BUTTON_AUDIENCE_LANGUAGE, value="ti")
    await _announce(telegram, kris, audience=texts.BUTTON_AUDIENCE_ALL, value=None, later=True)
    for _ in range(3):
        await announcement_delivery.run_due(services)
        await services.dispatcher.run_due()
    laila = people[INVITED.caseworker]
    await telegram.send(laila, f"/nieuw {INVITED.first_name} {INVITED.language}")
    invite = last_link(telegram, laila)
    cast.invite_token = invite_token(invite)
    match = REFERENCE.search(invite)
    assert match is not None
    cast.references[INVITED.key] = match.group(1)
    clock.now = FUZZ_AT.astimezone(dt.UTC)
    await _read_back(services, cast)
    return cast


async def _link(telegram: FakeTelegram, people: dict[str, SimUser], newcomer: Newcomer) -> str:
    caseworker = people[newcomer.caseworker]
    await telegram.send(caseworker, f"/nieuw {newcomer.first_name} {newcomer.language}")
    text = last_link(telegram, caseworker)
    match = REFERENCE.search(text)
    assert match is not None, text
    user = telegram.user(newcomer.user_id, newcomer.first_name, newcomer.language)
    await telegram.send(user, f"/start {invite_token(text)}")
    await telegram.press(user, ENDONYMS[newcomer.language])
    if newcomer.place or newcomer.tag:  # everyone but Ezrabel agrees
        await telegram.press(user, render(newcomer.language, texts.BUTTON_AGREE))
    return match.group(1)


async def _plan(
    telegram: FakeTelegram, caseworker: SimUser, newcomer: Newcomer, cast: Cast, today: bool = False
) -> None:
    await telegram.send(caseworker, f"/afspraak {cast.references[newcomer.key]}")
    await telegram.press(caseworker, render("nl", texts.KIND_JOB_COACH))
    starts = local(2027, 3, 16, 11) if today else local(2027, 3, 23, 10)
    await telegram.send(caseworker, starts.strftime("%d/%m/%Y %H:%M"))
    await telegram.send(caseworker, newcomer.place)
    await telegram.send(caseworker, newcomer.with_whom)
    await telegram.press(caseworker, render("nl", texts.BUTTON_NO_INTERPRETER))
    await telegram.press(caseworker, render("nl", texts.BUTTON_SAVE))
    saved = render("nl", texts.PLAN_SAVED, name=newcomer.first_name)
    assert telegram.texts_to(caseworker.id)[-1] == saved, telegram.texts_to(caseworker.id)[-3:]


async def _write_note(
    telegram: FakeTelegram, caseworker: SimUser, newcomer: Newcomer, cast: Cast
) -> None:
    await telegram.send(caseworker, f"/overdracht {cast.references[newcomer.key]}")
    await telegram.press(caseworker, newcomer.note_to)
    await telegram.press(caseworker, newcomer.note_person)
    await telegram.press(caseworker, render("nl", texts.HANDOVER_GUIDANCE))
    await telegram.press(caseworker, render("nl", texts.BUTTON_CONSENT_IN_PERSON))
    await telegram.press(caseworker, render("nl", texts.BUTTON_CONSENT_TODAY))
    await telegram.press(caseworker, render("nl", texts.BUTTON_CHANGE))  # what Schakel knows
    await telegram.press(caseworker, language_names([newcomer.language])("nl"))
    await telegram.press(caseworker, render("nl", texts.BUTTON_NEXT))
    await telegram.press(caseworker, render("nl", texts.BUTTON_NO))  # no interpreter
    await telegram.press(caseworker, "A1")
    await telegram.press(caseworker, render("nl", texts.BUTTON_NONE))  # no school
    await telegram.press(caseworker, render("nl", texts.CIVIC_IN_PROGRESS))
    await telegram.send(caseworker, newcomer.note_plan)  # plan A, no plan B
    await telegram.send(caseworker, newcomer.note_attention)
    await telegram.send(caseworker, "Kennismaking")
    await telegram.press(caseworker, render("nl", texts.BUTTON_NO_DATE))
    await telegram.press(caseworker, render("nl", texts.BUTTON_POST))
    posted = telegram.texts_to(caseworker.id)[-1]
    assert posted.startswith("Geplaatst in de partnergroep: overdracht H-"), posted


async def _announce(
    telegram: FakeTelegram, kris: SimUser, *, audience: str, value: str | None, later: bool = False
) -> None:
    await telegram.send(kris, "/aankondiging")
    await telegram.press(kris, render("nl", texts.SESSION_WORK))
    await telegram.press(kris, render("nl", texts.BUTTON_NEXT))
    await telegram.send(kris, "30/03/2027 14:00")
    await telegram.press(kris, "In-Gent: Kongostraat 42, 9000 Gent")
    await telegram.press(kris, language_names(["nl"])("nl"))
    await telegram.press(kris, render("nl", texts.BUTTON_NEXT))  # no interpreters
    await telegram.press(kris, render("nl", audience))
    if value is not None:
        await telegram.press(kris, f"{language_names([value])('nl')} (1)")
    await telegram.press(kris, render("nl", texts.BUTTON_NEXT))  # the fixed text
    await telegram.press(kris, render("nl", texts.BUTTON_NEXT))  # no texts to add
    if later:
        await telegram.press(kris, render("nl", texts.BUTTON_SEND_LATER))
        await telegram.send(kris, "25/03/2027 10:00")
    else:
        await telegram.press(kris, render("nl", texts.BUTTON_SEND_NOW))
    await telegram.press(kris, render("nl", texts.BUTTON_SEND))


async def _read_back(services: Services, cast: Cast) -> None:
    store = services.store
    for row in await store.fetch_all("SELECT id, reference FROM newcomers"):
        key = next((k for k, ref in cast.references.items() if ref == row["reference"]), None)
        if key is not None:
            cast.newcomer_ids[key] = int(row["id"])
    for row in await store.fetch_all("SELECT id, telegram_user_id FROM staff"):
        member = next((m for m in STAFF if m.user_id == row["telegram_user_id"]), None)
        if member is not None:
            cast.staff_ids[member.key] = int(row["id"])
    for row in await store.fetch_all("SELECT id, short_name FROM organisations"):
        cast.organisation_ids[str(row["short_name"])] = int(row["id"])
    for table, into in (("appointments", cast.appointments), ("handover_notes", cast.notes)):
        for row in await store.fetch_all(f"SELECT id, newcomer_id FROM {table}"):
            key = cast.newcomer_of_newcomer(int(row["newcomer_id"]))
            assert key is not None
            into[int(row["id"])] = key
    for row in await store.fetch_all("SELECT id, reference FROM handover_notes"):
        cast.note_references[int(row["id"])] = str(row["reference"])
    cast.announcements = [
        int(r["id"]) for r in await store.fetch_all("SELECT id FROM announcements")
    ]
    assert cast.appointments == APPOINTMENTS and cast.notes == NOTES
    rows = await store.fetch_all("SELECT announcement_id, newcomer_id FROM announcement_deliveries")
    pairs = {(r["announcement_id"], r["newcomer_id"]) for r in rows}
    sent = {b: {k for k, c in cast.newcomer_ids.items() if (b, c) in pairs} for b in SENT_TO}
    assert cast.announcements == list(SENT_TO), cast.announcements
    assert sent == {b: set(keys) for b, keys in SENT_TO.items()}, sent
