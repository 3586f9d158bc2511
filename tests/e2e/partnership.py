"""A partnership in full swing, built once and copied into each test's database: every
role, newcomers in every state, appointments ahead and behind, handover notes between
three organisations, announcements sent and scheduled. Built through the stand-in as
people do it where that is quick, through the rules where a form would take fifty taps.

Who is who (Telegram ids): Annelies 1 (admin, In-Gent), Laila 2 (caseworker, VDAB),
Amal 3 (newcomer, Arabic, Laila's), Dawit 4 (newcomer, Tigrinya, Sarah's), Sarah 5
(caseworker, OCMW), Kris 7 (coordinator, In-Gent), Yonas 8 (newcomer, Dari, linked but
not yet agreed; Tom is his contact, Laila still helps), Tom 9 (caseworker, VDAB), Els 6
(was a caseworker at VDAB; the admin ended her access) and Hiwet (invited by Laila, link
not yet used). The stranger is Mehmet 99 (Turkish phone).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bot.announcements import delivery as announcement_delivery
from bot.announcements import records as announcements
from bot.announcements.audiences import Audience, AudienceKind
from bot.announcements.model import Plan, SessionKind
from bot.announcements.words import SESSION_NAMES, template_texts
from bot.app.application import build_application, running
from bot.app.demo import DEMO_ORGANISATIONS
from bot.app.standin import FakeTelegram, SimUser
from bot.appointments import planning, reminders
from bot.appointments.records import Details, Kind
from bot.core.config import Config, StorageConfig
from bot.handovers import notes as handovers
from bot.handovers.model import Handover, NoteBody, Reason
from bot.people.newcomers import newcomer_for_staff
from bot.people.organisations import find_organisation
from bot.people.staff import Role, StaffMember, find_staff
from bot.sending.dispatcher import ChatPacer
from bot.sending.services import Services
from handlers.core.context import services_of
from messages import SOURCE_LANGUAGE, render
from tests.conftest import FakeClock, invite_token, last_link, make_staff
from tests.e2e.people import REFERENCE, caseworker_with_phone, linked_newcomer, local

GROUP_ID = -1001234567890
MEHMET = (99, "Mehmet", "tr")  # the stranger
# Monday 1 March 2027, 9:00; the tests run on the Wednesday after, at 9:00.
BUILT = local(2027, 3, 1, 9)


@dataclass(frozen=True)
class World:
    database: Path
    now: dt.datetime
    references: dict[str, str]  # first name -> K-XXXX
    staff_ids: dict[str, int]  # first name -> staff id
    organisation_ids: dict[str, int]  # short name -> id
    appointments: dict[str, int]  # "amal_ahead", "amal_past", "dawit_ahead", "dawit_past"
    notes: dict[str, int]  # "vdab_to_ocmw" (Amal), "ocmw_to_vdab", "ocmw_to_ingent" (Dawit)
    note_references: dict[int, str]
    announcements: dict[str, int]  # "to_all" (sent), "to_dawit" (sent), "scheduled"
    newcomer_token: str  # Hiwet's unused link
    staff_token: str  # an unused link for a caseworker at OCMW


def build(folder: Path) -> World:
    """Build the partnership in its own thread and event loop (pytest's loop is per test)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _build(folder / "partnership.db")).result()


def copy_database(source: Path, target: Path) -> None:
    """SQLite's own backup: also what is still in the write-ahead log."""
    with sqlite3.connect(source) as old, sqlite3.connect(target) as new:
        old.backup(new)
    old.close()
    new.close()


async def _member(services: Services, user: SimUser) -> StaffMember:
    member = await find_staff(services.store, user.id)
    assert member is not None
    return member


async def _build(database: Path) -> World:
    config = Config(storage=StorageConfig(database=database), organisations=DEMO_ORGANISATIONS)
    telegram = FakeTelegram()
    clock = FakeClock(BUILT.astimezone(dt.UTC))
    application = build_application(config, request=telegram, clock=clock)
    telegram.attach(application)
    async with running(application):
        services = services_of(application)
        services.dispatcher.pacer = ChatPacer(burst=1000, interval=0.001)
        for alarm in (
            services.dispatcher.alarm,
            services.reminder_alarm,
            services.announcement_alarm,
        ):
            alarm.detach()  # this builder says when things are sent
        world = await _people_and_things(services, telegram, clock)
    return world


async def _people_and_things(services: Services, telegram: FakeTelegram, clock: FakeClock) -> World:
    admin = await make_staff(services, telegram, 1, "Annelies", Role.ADMIN, "In-Gent")
    await telegram.send(admin, "/partnergroep", telegram.group(GROUP_ID, "Partners Gent"))
    laila = await caseworker_with_phone(services, telegram)
    tom = await make_staff(services, telegram, 9, "Tom Wouters", Role.CASEWORKER, "VDAB")
    sarah = await make_staff(services, telegram, 5, "Sarah Peeters", Role.CASEWORKER, "OCMW")
    await telegram.send(sarah, "/profiel telefoon 09 266 11 11")
    kris = await make_staff(services, telegram, 7, "Kris Maes", Role.COORDINATOR, "In-Gent")
    staff = {
        p.first_name.split()[0]: await _member(services, p)
        for p in (admin, laila, tom, sarah, kris)
    }

    _, amal = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    _, dawit = await linked_newcomer(telegram, sarah, 4, "Dawit", "ti")
    # Yonas opened his link but has not agreed yet; Laila made Tom his contact person.
    await telegram.send(laila, "/nieuw Yonas fa")
    invite = last_link(telegram, laila)
    yonas = _reference(invite)
    await telegram.send(telegram.user(8, "Yonas", "fa"), f"/start {invite_token(invite)}")
    await telegram.press_data(laila, f"v1:cl:setcontact:{yonas}:{staff['Tom'].id}")
    # Hiwet's link is not used yet; nor is a staff link for OCMW.
    await telegram.send(laila, "/nieuw Hiwet ti")
    invite = last_link(telegram, laila)
    hiwet, newcomer_token = _reference(invite), invite_token(invite)
    await telegram.send(admin, "/uitnodigen begeleider OCMW")
    staff_token = invite_token(last_link(telegram, admin))
    references = {"Amal": amal, "Dawit": dawit, "Yonas": yonas, "Hiwet": hiwet}
    # Els left VDAB: the admin ended her access (she was nobody's contact person).
    els = await make_staff(services, telegram, 6, "Els Declercq", Role.CASEWORKER, "VDAB")
    staff["Els"] = await _member(services, els)
    await telegram.press_data(admin, f"v1:st:stop:{staff['Els'].id}")
    await telegram.press(admin, "⛔ Toegang stoppen")
    assert await find_staff(services.store, els.id) is None

    appointments = {
        "amal_ahead": await _appointment(services, staff["Laila"], amal, local(2027, 3, 10, 10)),
        "amal_past": await _appointment(services, staff["Laila"], amal, local(2027, 3, 2, 10)),
        "dawit_ahead": await _appointment(services, staff["Sarah"], dawit, local(2027, 3, 10, 11)),
        "dawit_past": await _appointment(services, staff["Sarah"], dawit, local(2027, 3, 2, 11)),
    }
    organisations = {}
    for name in ("VDAB", "OCMW", "In-Gent"):
        organisation = await find_organisation(services.store, name)
        assert organisation is not None
        organisations[name] = organisation.id
    notes = {
        "vdab_to_ocmw": await _note(services, staff["Laila"], amal, organisations["OCMW"]),
        "ocmw_to_vdab": await _note(services, staff["Sarah"], dawit, organisations["VDAB"]),
        "ocmw_to_ingent": await _note(services, staff["Sarah"], dawit, organisations["In-Gent"]),
    }
    sent = BUILT + dt.timedelta(hours=1)
    to_all = await _announce(services, staff["Kris"], Audience(), sent)
    to_dawit = await _announce(
        services, staff["Kris"], Audience(kind=AudienceKind.LANGUAGE, value="ti"), sent
    )
    scheduled = await _announce(services, staff["Kris"], Audience(), BUILT + dt.timedelta(days=5))

    # Two days later: the past appointments asked about, the announcements out and settled.
    clock.now = (BUILT + dt.timedelta(days=2)).astimezone(dt.UTC)
    await _settle(services, clock)
    return World(
        database=Path(services.config.storage.database),
        now=clock.now,
        references=references,
        staff_ids={name: member.id for name, member in staff.items()},
        organisation_ids=organisations,
        appointments=appointments,
        notes=notes,
        note_references={
            note_id: await _note_reference(services, note_id) for note_id in notes.values()
        },
        announcements={"to_all": to_all, "to_dawit": to_dawit, "scheduled": scheduled},
        newcomer_token=newcomer_token,
        staff_token=staff_token,
    )


def _reference(invite_text: str) -> str:
    match = REFERENCE.search(invite_text)
    assert match is not None
    return match.group(1)


async def _appointment(
    services: Services, staff: StaffMember, reference: str, starts: dt.datetime
) -> int:
    newcomer = await newcomer_for_staff(services.store, staff, reference)
    assert newcomer is not None
    place = "VDAB, Kongostraat 7, 9000 Gent"
    details = Details(Kind.DUO_INTAKE, starts.astimezone(dt.UTC), place, staff.name)
    planned = await planning.create(services, newcomer, details, actor_id=staff.id)
    return planned.appointment.id


async def _note(services: Services, author: StaffMember, reference: str, to: int) -> int:
    newcomer = await newcomer_for_staff(services.store, author, reference)
    assert newcomer is not None
    body = NoteBody(
        mother_tongue=newcomer.language,
        contact_languages=("en",),
        plan_a="Nederlands tot A2, dan een opleiding.",
        next_step="Kennismaking",
        next_date=dt.date(2027, 3, 8),
    )
    handover = Handover(newcomer, to, None, Reason.HANDOVER, body, dt.date(2027, 3, 1))
    note = await handovers.post(services, author, handover)
    return note.id


async def _note_reference(services: Services, note_id: int) -> str:
    note = await handovers.get(services.store, note_id)
    assert note is not None
    return note.reference


async def _announce(
    services: Services, author: StaffMember, audience: Audience, send_at: dt.datetime
) -> int:
    plan = Plan(
        title=render(SOURCE_LANGUAGE, SESSION_NAMES[SessionKind.WORK]),
        starts_at=local(2027, 3, 9, 14).astimezone(dt.UTC),
        place="In-Gent, Kongostraat 42, 9000 Gent",
        audience=audience,
        texts=template_texts(SessionKind.WORK),
        send_at=send_at.astimezone(dt.UTC),
        session_kind=SessionKind.WORK,
        title_from_kind=True,
    )
    return (await announcements.schedule(services, author, plan)).id


async def _settle(services: Services, clock: FakeClock) -> None:
    """Run every due job until nothing is waiting (a few seconds pass, as they would)."""
    for _ in range(20):
        await reminders.run_due(services)
        await announcement_delivery.run_due(services)
        await services.dispatcher.run_due()
        waiting = await services.store.fetch_int(
            "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"
        )
        going = await services.store.fetch_int(
            "SELECT count(*) FROM announcements WHERE status = 'sending'"
        )
        if not waiting and not going:
            return
        clock.advance(seconds=6)
    raise AssertionError("the partnership did not settle")
