"""`schakel demo`: the real application against the offline stand-in, a scripted day.

An admin invites a caseworker, who fills in their contact details and invites a
newcomer who reads Arabic (with a job coach and a buddy beside them); the newcomer
agrees, opens the contact card from the menu and asks for help; Faadumo, who reads Somali
and has no Telegram, joins by SMS (bot/app/demo_phone.py). Each later feature adds its
scene. Prints every chat as a transcript. No token, no network.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from bot.announcements import delivery as announcement_delivery
from bot.app.application import build_application, running
from bot.app.demo_phone import DemoPhone
from bot.app.standin import FakeTelegram, SimUser
from bot.appointments import reminders
from bot.core.config import Config, OrganisationConfig, StorageConfig
from bot.figures.queries import Period
from bot.figures.words import month_text
from bot.people.organisations import find_organisation
from bot.people.staff import Role, add_staff
from bot.sending.dispatcher import ChatPacer
from handlers.core.context import services_of
from messages import render, texts

DEMO_ORGANISATIONS = (
    OrganisationConfig(
        short_name="VDAB",
        name="VDAB Gent",
        address="Kongostraat 7, 9000 Gent",
        phone="+32 9 265 48 11",
        opening_hours="ma-vr 9-12 u",
    ),
    OrganisationConfig(
        short_name="OCMW",
        name="OCMW Gent",
        address="Onderbergen 86, 9000 Gent",
        phone="+32 9 266 99 00",
        opening_hours="ma-vr 8.30-12 u",
    ),
    OrganisationConfig(
        short_name="In-Gent",
        name="In-Gent",
        address="Kongostraat 42, 9000 Gent",
        phone="+32 9 265 78 40",
        opening_hours="ma-do 9-16 u",
    ),
)

FAADUMO_NUMBER = "+32485112233"
_LINK = re.compile(r"https://t\.me/\w+\?start=(\S+)")


def _last_link(telegram: FakeTelegram, chat_id: int) -> str:
    for text in reversed(telegram.texts_to(chat_id)):
        if match := _LINK.search(text):
            return match.group(1)
    raise LookupError(f"no invite link sent to chat {chat_id}")


def _reference(telegram: FakeTelegram, chat_id: int) -> str:
    for text in reversed(telegram.texts_to(chat_id)):
        if match := re.search(r"\((K-\w{4})\)", text):
            return match.group(1)
    raise LookupError(f"no newcomer reference sent to chat {chat_id}")


class DemoClock:
    """The demo's own time: Monday 22 March 2027, 9:00 in Brussels, moved by the script."""

    def __init__(self) -> None:
        self.now = dt.datetime(2027, 3, 22, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


async def play(folder: Path, files_to: Path | None = None) -> str:
    """Play the scenario in a fresh database under `folder`; returns the transcript.
    `files_to`: a folder for the files the bot sent (the chart, the Excel file, ...)."""
    # Faadumo reads Somali and has no Telegram: her phone gets SMS (bot/app/demo_phone.py).
    phone = DemoPhone("Faadumo", FAADUMO_NUMBER)
    sms, http = phone.config()
    config = Config(
        storage=StorageConfig(database=folder / "demo.db"),
        organisations=DEMO_ORGANISATIONS,
        sms=sms,
        http=http,
    )
    telegram = FakeTelegram()
    clock = DemoClock()
    application = build_application(
        config, request=telegram, clock=clock, sms_gateway=phone.gateway(sms)
    )
    telegram.attach(application)
    admin = telegram.user(1001, "Annelies")
    caseworker = telegram.user(2001, "Youssef", "nl")
    newcomer = telegram.user(3001, "Amal", "ar")
    social_worker = telegram.user(2002, "Hanne Maes", "nl")
    stranger = telegram.user(9001, "Pieter", "nl")
    second_newcomer = telegram.user(3002, "Dawit", "ti")
    coordinator = telegram.user(2003, "Kris", "nl")
    async with running(application):
        services = services_of(application)
        # The script's people answer within a millisecond; real people take seconds, so
        # the one-a-second pace per private chat would only make the demo wait.
        services.dispatcher.pacer = ChatPacer(burst=1000, interval=0.001)
        # What `schakel admin add 1001 --name Annelies --org In-Gent` does.
        org = await find_organisation(services.store, "In-Gent")
        await add_staff(
            services.store,
            services.clock,
            telegram_user_id=admin.id,
            name=admin.first_name,
            role=Role.ADMIN,
            organisation=org,
            actor="cli",
        )
        await telegram.send(admin, "/help")
        await telegram.send(admin, "/uitnodigen begeleider VDAB")
        await telegram.send(caseworker, f"/start {_last_link(telegram, admin.id)}")
        # Her profile for the contact card, then Amal (the first time without her language).
        for typed in (
            "/profiel telefoon 0470 12 34 56",
            "/profiel uren maandag tot donderdag, 9 tot 12 uur",
            "/profiel talen nl ar fr",
            "/nieuw Amal",
            "/nieuw Amal arabisch A1",
        ):
            await telegram.send(caseworker, typed)
        reference = _reference(telegram, caseworker.id)
        await telegram.send(caseworker, f"/betrokken {reference} jobcoach VDAB Sarah Peeters")
        await telegram.send(caseworker, f"/betrokken {reference} buddy In-Gent Els")
        await telegram.send(newcomer, f"/start {_last_link(telegram, caseworker.id)}")
        await telegram.press(newcomer, "نعم، أوافق")
        await telegram.send(newcomer, telegram.menus[newcomer.id][1])  # 👤 contact person
        await telegram.send(newcomer, "/help")
        await register_by_sms(telegram, caseworker, phone)
        await telegram.send(caseworker, "/clienten")
        # The caseworker plans a duo-intake with an interpreter for Thursday.
        await plan_intake(telegram, caseworker, reference, "Youssef en Inge Claes", "Arabisch")
        # Wednesday 10:00, the day before: the reminder, in Dutch and then in Arabic.
        clock.now = dt.datetime(2027, 3, 24, 9, 0, tzinfo=dt.UTC)
        await reminders.run_due(services)
        await telegram.press(newcomer, render("ar", texts.BUTTON_NOT_COMING))
        await telegram.press(newcomer, render("ar", texts.BUTTON_REASON_DUTCH_CLASS))
        # An hour later Faadumo's reminder arrives by SMS: she cannot come, Dutch class.
        clock.now = dt.datetime(2027, 3, 24, 10, 0, tzinfo=dt.UTC)
        await reminders.run_due(services)
        await phone.type("2")
        await phone.type("3")
        await telegram.send(caseworker, "/week")
        # Warm handover: OCMW takes over Amal's guidance, with her consent.
        group = telegram.group(-1001500000001, "Partners Gent")
        await telegram.send(admin, "/partnergroep", group)
        await telegram.send(admin, "/uitnodigen begeleider OCMW")
        await telegram.send(social_worker, f"/start {_last_link(telegram, admin.id)}")
        await telegram.send(social_worker, "/profiel telefoon 09 266 11 11")
        await telegram.send(social_worker, "/profiel uren ma-vr 9-12 uur")
        await write_handover(telegram, caseworker, newcomer, reference)
        clock.now += dt.timedelta(hours=3)  # OCMW reads the card after lunch
        await telegram.press(social_worker, "📄 Details", group)
        await telegram.press(social_worker, "✅ Ik neem over", group)
        # An announcement: the coordinator invites every newcomer to an info session.
        await telegram.send(caseworker, "/nieuw Dawit tigrinya A0")
        await telegram.send(second_newcomer, f"/start {_last_link(telegram, caseworker.id)}")
        await telegram.press(second_newcomer, render("ti", texts.BUTTON_AGREE))
        await telegram.send(admin, "/uitnodigen coordinator In-Gent")
        await telegram.send(coordinator, f"/start {_last_link(telegram, admin.id)}")
        await announce_session(telegram, coordinator)
        for _ in range(3):  # the announcements' alarm and the dispatcher, as the bot runs them
            await announcement_delivery.run_due(services)
            await services.dispatcher.run_due()
            clock.now += dt.timedelta(seconds=10)
        await telegram.press(newcomer, render("ar", texts.BUTTON_COMING))
        await telegram.press(coordinator, "📊 Antwoorden")
        await telegram.send(stranger, "hallo?")
        # The month's figures for the coordinator: a short text, a chart and an Excel file.
        await telegram.send(coordinator, "/cijfers")
        this_month = Period.month_of(clock().astimezone(config.locale.tzinfo).date())
        month = month_text(this_month, "nl")
        await telegram.press(coordinator, render("nl", texts.BUTTON_FIGURES_MONTH, month=month))
        await telegram.press(coordinator, render("nl", texts.BUTTON_FIGURES_EXCEL))
    if files_to is not None:
        save_files(telegram, files_to)
    order = [admin.id, caseworker.id, newcomer.id, social_worker.id, group.id,
             second_newcomer.id, stranger.id, coordinator.id]  # fmt: skip
    return telegram.render_transcript(order) + "\n" + phone.transcript()


def save_files(telegram: FakeTelegram, folder: Path) -> None:
    """Every file the bot sent (QR code, calendar file, chart, Excel), to open and look at."""
    folder.mkdir(parents=True, exist_ok=True)
    for call in telegram.calls:
        for part, data in call.uploads.items():
            (folder / Path(call.filenames[part]).name).write_bytes(data)


async def register_by_sms(telegram: FakeTelegram, caseworker: SimUser, phone: DemoPhone) -> None:
    """Faadumo (Somali) has no Telegram: the caseworker registers her with her mobile
    number, she answers JA to the opt-in SMS, and gets an appointment for Thursday."""
    await telegram.send(caseworker, f"/nieuw Faadumo somalisch A1 sms {phone.number}")
    reference = _reference(telegram, caseworker.id)
    await phone.type("Ja")
    await plan_intake(telegram, caseworker, reference, "Youssef", "Geen tolk")


async def plan_intake(
    telegram: FakeTelegram, caseworker: SimUser, reference: str, with_whom: str, interpreter: str
) -> None:
    """A first talk at VDAB on Thursday 25 March at 10:00, through the planning form."""
    await telegram.send(caseworker, f"/afspraak {reference}")
    await telegram.press(caseworker, "Eerste gesprek")
    await telegram.send(caseworker, "do 25/3 om 10u")
    await telegram.press(caseworker, "VDAB: Kongostraat 7, 9000 Gent")
    await telegram.send(caseworker, with_whom)
    await telegram.press(caseworker, interpreter)
    await telegram.press(caseworker, "✅ Opslaan")


async def write_handover(
    telegram: FakeTelegram, caseworker: SimUser, newcomer: SimUser, reference: str
) -> None:
    """The caseworker's handover note to OCMW in ten answers: consent first, asked of Amal
    herself (she taps ✅ in Arabic), what Schakel knows confirmed with one tap (civic
    orientation), then a little typing."""
    await telegram.send(caseworker, f"/overdracht {reference}")
    await telegram.press(caseworker, "OCMW")
    await telegram.press(caseworker, "Hanne Maes")
    await telegram.press(caseworker, "Nieuwe begeleider")
    await telegram.press(caseworker, render("nl", texts.BUTTON_CONSENT_ASK))
    await telegram.press(newcomer, "✅ " + render("ar", texts.BUTTON_YES))
    await telegram.press(caseworker, "Bezig")
    await telegram.send(
        caseworker,
        "Eerst Nederlands tot A2, dan opleiding logistiek. Rijksregister 85.07.30-033.28",
    )
    await telegram.send(caseworker, "Zoekt kinderopvang voor woensdag.")
    await telegram.send(caseworker, "Kennismaking met de maatschappelijk werker")
    await telegram.send(caseworker, "30/3")
    await telegram.press(caseworker, "📤 Plaatsen")


async def announce_session(telegram: FakeTelegram, coordinator: SimUser) -> None:
    """A session on working in Flanders, with its fixed text in every language, now."""
    await telegram.send(coordinator, "/aankondiging")
    await telegram.press(coordinator, "Werken in Vlaanderen")
    await telegram.press(coordinator, "Verder ▶")
    await telegram.send(coordinator, "di 30/3 om 14u")
    await telegram.press(coordinator, "In-Gent: Kongostraat 42, 9000 Gent")
    await telegram.press(coordinator, "Nederlands")
    await telegram.press(coordinator, "Arabisch")
    await telegram.press(coordinator, "Verder ▶")
    await telegram.press(coordinator, "Iedereen")
    await telegram.press(coordinator, "Verder ▶")
    await telegram.press(coordinator, "Verder ▶")
    await telegram.press(coordinator, "Nu")
    # One compact preview; a look at what the Tigrinya readers get, then send.
    await telegram.press(coordinator, "👁 Tigrinya")
    await telegram.press(coordinator, "📣 Versturen")


async def run_demo(files_to: Path | None = None) -> str:
    with tempfile.TemporaryDirectory(prefix="schakel-demo-") as folder:
        return await play(Path(folder), files_to)
