"""A coordinator's figures for October 2027, from a history made as the people made it:
newcomers invited and linked, appointments with reminders (one late, one failed, one
skipped), answers, attendance, a cancelled appointment, two handover notes (declined,
taken over), an announcement with answers; and, around it, what must not count (a
newcomer and an appointment in September, an appointment in November whose first
reminder goes in October). Every figure, the chart and both exports are checked."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot import broadcast_delivery, planning, reminders
from bot.appointments import Answer, Details, Kind
from bot.cli_export import export_figures
from bot.clients import client_by_id
from bot.config import Config, ExportConfig
from bot.figures import (
    Announcements,
    AnswerGroup,
    Attendance,
    Handovers,
    LanguageCount,
    Period,
    Reminders,
    gather,
)
from bot.figures_chart import panels
from bot.services import Services
from bot.staff import Role
from bot.standin import FakeTelegram, SimUser
from messages import render, texts
from tests.conftest import FakeClock, make_staff
from tests.e2e.people import BRUSSELS, linked_newcomer, local
from tests.e2e.test_handover import partners, write_note

OCTOBER = Period(dt.date(2027, 10, 1), dt.date(2027, 10, 31))
NAMES = ("Amal", "Omar", "Dawit", "Olena", "Yusuf")


@pytest.fixture(autouse=True)
def test_drives_every_step(services: Services) -> None:
    # The test moves the clock and says when the alarms ring and the dispatcher sends.
    services.dispatcher.alarm.detach()
    services.reminder_alarm.detach()
    services.broadcast_alarm.detach()


async def step_to(services: Services, clock: FakeClock, moment: dt.datetime) -> None:
    clock.now = moment.astimezone(dt.UTC)
    await reminders.run_due(services)
    await broadcast_delivery.run_due(services)
    for _ in range(3):
        await services.dispatcher.run_due()
        clock.advance(seconds=2)


async def plan(
    services: Services, client_id: int, kind: Kind, starts: dt.datetime, interpreter: str = ""
) -> int:
    """Laila plans an appointment (the same rule as the chat form and the planning sheet)."""
    client = await client_by_id(services.store, client_id)
    assert client is not None
    details = Details(kind, starts, "VDAB: Kongostraat 7, 9000 Gent", "Laila Peeters",
                      interpreter or None)  # fmt: skip
    planned = await planning.create(services, client, details, actor_id=await staff_id(services, 2))
    return planned.appointment.id


async def staff_id(services: Services, telegram_user_id: int) -> int:
    value = await services.store.fetch_value(
        "SELECT id FROM staff WHERE telegram_user_id = ?", (telegram_user_id,)
    )
    assert isinstance(value, int)
    return value


async def cancel(services: Services, appointment_id: int) -> None:
    appointment = await appointments.get(services.store, appointment_id)
    assert appointment is not None
    client = await client_by_id(services.store, appointment.client_id)
    assert client is not None
    await planning.cancel(services, client, appointment, actor_id=await staff_id(services, 2))


class History:
    """The people, the appointments (a-g) and what happens when, in October 2027."""

    def __init__(self, services: Services, telegram: FakeTelegram, clock: FakeClock) -> None:
        self.services, self.telegram, self.clock = services, telegram, clock
        self.people: dict[str, SimUser] = {}
        self.references: dict[str, str] = {}
        self.ids: dict[str, int] = {}

    async def make(self) -> SimUser:
        """Everything up to 3 November; returns the coordinator who asks for the figures."""
        services, telegram = self.services, self.telegram
        await step_to(services, self.clock, local(2027, 9, 28, 10))
        self.group, self.laila, self.sarah, _els = await partners(services, telegram)
        await self.newcomer(3, "Amal", "ar")  # linked in September: not counted
        self.ids["september"] = await plan(services, 1, Kind.DUO_INTAKE, local(2027, 9, 30, 10))
        await step_to(services, self.clock, local(2027, 9, 30, 13))
        await self.attendance("attended", "september")

        # October: four newcomers invited, three of them linked.
        await step_to(services, self.clock, local(2027, 10, 4, 9))
        await self.newcomer(10, "Omar", "ar")
        await self.newcomer(11, "Dawit", "ti")
        await self.newcomer(12, "Olena", "uk")
        await telegram.send(self.laila, "/nieuw Yusuf ar")  # invited, never linked
        self.ids |= {
            "a": await plan(services, 1, Kind.DUO_INTAKE, local(2027, 10, 12, 10), "ar"),
            "b": await plan(services, 2, Kind.JOB_COACH, local(2027, 10, 13, 14)),
            "c": await plan(services, 3, Kind.DUO_INTAKE, local(2027, 10, 14, 10), "ti"),
            "d": await plan(services, 4, Kind.SOCIAL_WORKER, local(2027, 10, 20, 10)),
            "e": await plan(services, 2, Kind.CIVIC_INTEGRATION, local(2027, 10, 21, 10)),
            "f": await plan(services, 1, Kind.JOB_COACH, local(2027, 10, 29, 16)),
            # November; its first reminder goes on 30 October and counts in November.
            "g": await plan(services, 3, Kind.JOB_COACH, local(2027, 11, 2, 10), "ti"),
        }
        coordinator = await make_staff(services, telegram, 9, "Kris Maes", Role.COORDINATOR,
                                       "In-Gent")  # fmt: skip
        for moment, event in await self.timeline(coordinator):
            await step_to(services, self.clock, moment)
            if event is not None:
                await event()
        await step_to(services, self.clock, local(2027, 11, 3, 10))
        return coordinator

    async def newcomer(self, user_id: int, name: str, language: str) -> None:
        user, reference = await linked_newcomer(self.telegram, self.laila, user_id, name, language)
        self.people[name], self.references[name] = user, reference

    async def timeline(
        self, coordinator: SimUser
    ) -> list[tuple[dt.datetime, Callable[[], Awaitable[None]] | None]]:
        """Every reminder at its moment (one an hour late: the bot was down), and the events."""
        amal, dawit, olena = self.people["Amal"], self.people["Dawit"], self.people["Olena"]
        telegram = self.telegram
        moments: list[tuple[dt.datetime, Callable[[], Awaitable[None]] | None]] = []
        for row in await self.services.store.fetch_all(
            "SELECT appointment_id, offset_minutes, due_at FROM reminders"
            " WHERE status = 'planned' AND due_at < '2027-10-31T23' ORDER BY due_at"
        ):
            late = (row["appointment_id"], row["offset_minutes"]) == (self.ids["b"], 120)
            minutes = 60 if late else 1
            moments.append((from_db(row["due_at"]) + dt.timedelta(minutes=minutes), None))

        async def amal_comes() -> None:
            await telegram.press(amal, render("ar", texts.BUTTON_COMING))

        async def dawit_cannot() -> None:
            await telegram.press(dawit, render("ti", texts.BUTTON_NOT_COMING))
            await telegram.press(dawit, render("ti", texts.BUTTON_REASON_WORK))

        async def olena_comes() -> None:
            await telegram.press(olena, render("uk", texts.BUTTON_COMING))

        async def olena_blocks_schakel() -> None:
            telegram.blocked.add(olena.id)

        async def answers_to_the_announcement() -> None:
            await telegram.press(amal, render("ar", texts.BUTTON_RSVP_COMING))
            await telegram.press(dawit, render("ti", texts.BUTTON_RSVP_NOT_COMING))

        async def cancel_e() -> None:
            await cancel(self.services, self.ids["e"])

        def came(outcome: str, key: str) -> Callable[[], Awaitable[None]]:
            return lambda: self.attendance(outcome, key)

        events: list[tuple[dt.datetime, Callable[[], Awaitable[None]] | None]] = [
            (local(2027, 10, 9, 11), amal_comes),
            (local(2027, 10, 11, 11), dawit_cannot),
            (local(2027, 10, 12, 13), came("attended", "a")),
            (local(2027, 10, 13, 17), came("no_show", "b")),
            (local(2027, 10, 14, 13), came("moved", "c")),
            (local(2027, 10, 15, 9), cancel_e),
            (local(2027, 10, 17, 11), olena_comes),
            (local(2027, 10, 18, 9), lambda: announce(telegram, coordinator)),
            (local(2027, 10, 18, 9, 5), answers_to_the_announcement),
            (local(2027, 10, 18, 12), olena_blocks_schakel),
            (local(2027, 10, 20, 13), came("no_show", "d")),
            (local(2027, 10, 22, 9, 30), lambda: self.note_for_omar()),
            (local(2027, 10, 22, 10, 30), lambda: self.sarah_declines()),
            (local(2027, 10, 25, 9, 30), lambda: self.note_for_omar()),
            (local(2027, 10, 27, 9, 30), lambda: self.sarah_takes_over()),
        ]
        return sorted(moments + events, key=lambda item: item[0])

    async def attendance(self, outcome: str, key: str) -> None:
        await self.telegram.press_data(self.laila, f"v1:at:{outcome}:{self.ids[key]}")

    async def note_for_omar(self) -> None:
        await write_note(self.telegram, self.laila, self.references["Omar"])
        await self.telegram.press(self.laila, "Ja, vandaag")
        await self.telegram.press(self.laila, "📤 Plaatsen")

    async def sarah_declines(self) -> None:
        await self.telegram.press(self.sarah, "✖ Weigeren", self.group)
        await self.telegram.press(self.sarah, "Geen plaats")

    async def sarah_takes_over(self) -> None:
        await self.telegram.press(self.sarah, "✅ Ik neem over", self.group)


async def announce(telegram: FakeTelegram, coordinator: SimUser) -> None:
    """Werken in Vlaanderen on 26 October, to everyone, sent now."""
    await telegram.send(coordinator, "/aankondiging")
    await telegram.press(coordinator, "Werken in Vlaanderen")
    await telegram.press(coordinator, "Verder ▶")
    await telegram.send(coordinator, "26/10/2027 14:00")
    await telegram.press(coordinator, "In-Gent: Kongostraat 42, 9000 Gent")
    await telegram.press(coordinator, "Nederlands")
    await telegram.press(coordinator, "Verder ▶")  # no interpreters
    await telegram.press(coordinator, "Iedereen")
    await telegram.press(coordinator, "Verder ▶")
    await telegram.press(coordinator, "Verder ▶")
    await telegram.press(coordinator, "Nu")
    await telegram.press(coordinator, "📣 Versturen")


EXPECTED = Figures(
    period=OCTOBER,
    newcomers=[LanguageCount("ar", 2, 1), LanguageCount("ti", 1, 1), LanguageCount("uk", 1, 1)],
    appointments=6,
    cancelled=1,
    # a, b, c, f: three each (b's last one late); d: one sent, one failed (blocked), one
    # skipped (unreachable by then); e: cancelled before its first; g: November.
    reminders=Reminders(sent=13, failed=1, late=1, skipped=1),
    answers={AnswerGroup.CONFIRMED: 2, AnswerGroup.DECLINED: 1, AnswerGroup.NO_ANSWER: 2},
    attendance=Attendance(attended=1, no_show=2, moved=1, open=1),
    by_kind={
        Kind.DUO_INTAKE: Attendance(attended=1, moved=1),
        Kind.JOB_COACH: Attendance(no_show=1, open=1),
        Kind.SOCIAL_WORKER: Attendance(no_show=1),
    },
    by_language={
        "ar": Attendance(attended=1, no_show=1, open=1),
        "ti": Attendance(moved=1),
        "uk": Attendance(no_show=1),
    },
    by_answer={
        AnswerGroup.CONFIRMED: Attendance(attended=1, no_show=1),
        AnswerGroup.DECLINED: Attendance(moved=1),
        AnswerGroup.NO_ANSWER: Attendance(no_show=1, open=1),
    },
    handovers=Handovers(written=2, taken_over=1, declined=1,
                        median_to_take_over=dt.timedelta(days=2)),  # fmt: skip
    announcements=Announcements(sent=1, recipients=4, reached=4, coming=1, not_coming=1),
    interpreters={"ar": 1, "ti": 1},
)

EXPECTED_TEXT = """📊 Cijfers van 1 oktober 2027 tot en met 31 oktober 2027
Nieuwkomers: 4 uitgenodigd, 3 gekoppeld.
- Arabisch: 2 uitgenodigd, 1 gekoppeld
- Tigrinya: 1 uitgenodigd, 1 gekoppeld
- Oekraïens: 1 uitgenodigd, 1 gekoppeld
Afspraken: 6 in totaal, 1 geannuleerd.
Herinneringen: 13 verzonden, 1 mislukt, 1 te laat, 1 overgeslagen.
Antwoorden: 2 bevestigd, 1 afgezegd, 2 geen antwoord.
Aanwezigheid: 1 gekomen, 2 niet gekomen (67%), 1 verplaatst, 1 nog niet ingevuld.
Afwezig per soort:
- Eerste gesprek: 0 van 1 niet gekomen (0%)
- Jobcoach: 1 van 1 niet gekomen (100%)
- Sociaal werker: 1 van 1 niet gekomen (100%)
Afwezig per taal:
- Arabisch: 1 van 2 niet gekomen (50%)
- Oekraïens: 1 van 1 niet gekomen (100%)
Afwezig na antwoord:
- bevestigd: 1 van 2 niet gekomen (50%)
- geen antwoord: 1 van 1 niet gekomen (100%)
Tolken: 1 Arabisch, 1 Tigrinya.
Overdracht: 2 geschreven, 1 overgenomen, 1 geweigerd.
De helft was overgenomen binnen 2 dagen.
Aankondiging: 1 verzonden, 4 bereikt (100%), 1 komen, 1 komen niet."""


async def test_the_coordinator_sees_octobers_figures_as_text_chart_and_excel(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    coordinator = await History(services, telegram, clock).make()
    figures = await gather(services.store, OCTOBER, BRUSSELS)
    assert figures == EXPECTED

    await telegram.send(coordinator, "/cijfers")
    assert telegram.texts_to(coordinator.id)[-1] == render("nl", texts.FIGURES_ASK_PERIOD)
    await telegram.press(coordinator, "📅 oktober 2027")
    to_kris = telegram.texts_to(coordinator.id)
    assert to_kris[-2] == EXPECTED_TEXT
    assert to_kris[-1] == "Grafiek van 1 oktober 2027 tot en met 31 oktober 2027."

    # The chart: a PNG a phone shows full width, with the figures above in its bars.
    photo = telegram.sent("sendPhoto")[-1]
    png = photo.uploads["photo"]
    width, height = struct.unpack(">II", png[16:24])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and width == 1080 and height > width
    drawn = {panel.title: panel for panel in panels(figures, "nl")}
    assert list(drawn) == ["Nieuwkomers per taal", "Herinneringen", "Aanwezig per soort",
                           "% afwezig", "Overdracht", "Aankondiging"]  # fmt: skip
    assert [s.values for s in drawn["Nieuwkomers per taal"].series] == [(2, 1, 1), (1, 1, 1)]
    assert drawn["Herinneringen"].series[0].values == (13, 1, 1, 1)
    assert drawn["Aanwezig per soort"].labels == ("Eerste gesprek", "Jobcoach", "Sociaal werker")
    assert [s.values for s in drawn["Aanwezig per soort"].series] == [
        (1, 0, 0), (0, 1, 1), (1, 0, 0), (0, 1, 0)
    ]  # fmt: skip
    assert drawn["% afwezig"].labels == ("bevestigd", "geen antwoord")  # no one counted: left out
    assert drawn["% afwezig"].series[0].values == (50, 100)
    assert drawn["Overdracht"].series[0].values == (2, 1, 1)
    assert drawn["Aankondiging"].series[0].values == (4, 1, 1)

    # The same figures as an Excel file, without names or codes.
    await telegram.press(coordinator, "📄 Excel-bestand")
    document = telegram.sent("sendDocument")[-1]
    book = load_workbook(io.BytesIO(document.uploads["document"]))
    assert book.sheetnames == ["Cijfers", "Afspraken"]
    check_sheets(book, with_reference=False, references=history_references(services))
    assert (await last_audit(services)) == ("staff:4", "export_figures",
                                            "2027-10-01..2027-10-31 references=no")  # fmt: skip
