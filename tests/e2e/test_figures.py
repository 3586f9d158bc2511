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
import struct
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.announcements import delivery as announcement_delivery
from bot.app.standin import FakeTelegram, SimUser
from bot.appointments import planning, reminders
from bot.appointments import records as appointments
from bot.appointments.records import Details, Kind
from bot.cli.export import export_figures
from bot.core.clock import from_db
from bot.core.config import Config, ExportConfig, RetentionConfig
from bot.figures.chart import panels
from bot.figures.intake import FromIntake
from bot.figures.queries import (
    Announcements,
    AnswerGroup,
    Attendance,
    Channel,
    Figures,
    Handovers,
    LanguageCount,
    Period,
    Reminders,
    gather,
)
from bot.people.newcomers import newcomer_by_id
from bot.people.staff import Role
from bot.privacy.retention import Kind as Retained
from bot.privacy.retention import purge
from bot.sending.services import Services
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
    services.announcement_alarm.detach()


async def step_to(services: Services, clock: FakeClock, moment: dt.datetime) -> None:
    clock.now = moment.astimezone(dt.UTC)
    await reminders.run_due(services)
    await announcement_delivery.run_due(services)
    for _ in range(3):
        await services.dispatcher.run_due()
        clock.advance(seconds=2)


async def plan(
    services: Services, newcomer_id: int, kind: Kind, starts: dt.datetime, interpreter: str = ""
) -> int:
    """Laila plans an appointment (the same rule as the chat form and the planning sheet)."""
    newcomer = await newcomer_by_id(services.store, newcomer_id)
    assert newcomer is not None
    details = Details(
        kind, starts, "VDAB: Kongostraat 7, 9000 Gent", "Laila Peeters", interpreter or None
    )
    planned = await planning.create(
        services, newcomer, details, actor_id=await staff_id(services, 2)
    )
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
    newcomer = await newcomer_by_id(services.store, appointment.newcomer_id)
    assert newcomer is not None
    await planning.cancel(services, newcomer, appointment, actor_id=await staff_id(services, 2))


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
        coordinator = await make_staff(
            services, telegram, 9, "Kris Maes", Role.COORDINATOR, "In-Gent"
        )
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
            await telegram.press(amal, render("ar", texts.BUTTON_COMING))
            await telegram.press(dawit, render("ti", texts.BUTTON_NOT_COMING))

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
    handovers=Handovers(
        written=2, taken_over=1, declined=1, median_to_take_over=dt.timedelta(days=2)
    ),
    announcements=Announcements(sent=1, recipients=4, reached=4, coming=1, not_coming=1),
    interpreters={"ar": 1, "ti": 1},
    # Dawit's intake (c) is his first; Amal's first was in September. His next appointment
    # (g) is with VDAB again, and no note about him was taken over.
    from_intake=FromIntake(intakes=1),
    by_channel={Channel.TELEGRAM: Attendance(attended=1, no_show=2, moved=1, open=1)},
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
Nieuwkomers met een eerste gesprek in deze periode: 1.
- Tot andere partner: nog niemand.
- Tot overdracht: nog niemand.
Overdracht: 2 geschreven, 1 overgenomen, 1 geweigerd.
Partners namen de helft over binnen 2 dagen.
Aankondiging: 1 verzonden, 4 bereikt (100%), 1 komen, 1 komen niet."""


async def test_the_coordinator_sees_octobers_figures_as_text_chart_and_excel(
    telegram: FakeTelegram, services: Services, clock: FakeClock, config: Config, tmp_path: Path
) -> None:
    history = History(services, telegram, clock)
    coordinator = await history.make()
    figures = await gather(services.store, OCTOBER, BRUSSELS)
    assert figures == EXPECTED

    await telegram.send(coordinator, "/cijfers")
    assert telegram.texts_to(coordinator.id)[-1] == (
        "Cijfers van welke periode?\n[ 📅 november 2027 | 📅 oktober 2027 | 📅 Andere periode ]"
    )
    await telegram.press(coordinator, "📅 oktober 2027")
    to_kris = telegram.texts_to(coordinator.id)
    assert to_kris[-2] == f"{EXPECTED_TEXT}\n[ 📄 Excel-bestand | 🏢 Eén organisatie ]"
    assert to_kris[-1].startswith("[photo, ")
    assert to_kris[-1].endswith("] Grafiek van 1 oktober 2027 tot en met 31 oktober 2027.")

    # The chart: a PNG a phone shows full width, with the figures above in its bars.
    photo = telegram.sent("sendPhoto")[-1]
    png = photo.uploads["photo"]
    width, height = struct.unpack(">II", png[16:24])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and width == 1080 and height > width
    drawn = {panel.title: panel for panel in panels(figures, "nl")}
    assert list(drawn) == [
        "Nieuwkomers per taal",
        "Herinneringen",
        "Aanwezig per soort",
        "% afwezig",
        "Overdracht",
        "Aankondiging",
    ]
    assert [s.values for s in drawn["Nieuwkomers per taal"].series] == [(2, 1, 1), (1, 1, 1)]
    assert drawn["Herinneringen"].series[0].values == (13, 1, 1, 1)
    assert drawn["Aanwezig per soort"].labels == ("Eerste gesprek", "Jobcoach", "Sociaal werker")
    assert [s.values for s in drawn["Aanwezig per soort"].series] == [
        (1, 0, 0),
        (0, 1, 1),
        (1, 0, 0),
        (0, 1, 0),
    ]
    assert drawn["% afwezig"].labels == ("bevestigd", "geen antwoord")  # no one counted: left out
    assert drawn["% afwezig"].series[0].values == (50, 100)
    assert drawn["Overdracht"].series[0].values == (2, 1, 1)
    assert drawn["Aankondiging"].series[0].values == (4, 1, 1)

    # The same figures as an Excel file, without names or codes.
    await telegram.press(coordinator, "📄 Excel-bestand")
    document = telegram.sent("sendDocument")[-1]
    assert document.params["caption"] == render(
        "nl", texts.FIGURES_EXCEL_CAPTION, first="1 oktober 2027", last="31 oktober 2027"
    )
    book = load_workbook(io.BytesIO(document.uploads["document"]))
    assert book.sheetnames == ["Cijfers", "Afspraken"]
    check_tables(sheet_rows(book["Cijfers"]), sheet_rows(book["Afspraken"]), references=None)
    kris = await staff_id(services, coordinator.id)
    assert await last_audit(services) == (
        f"staff:{kris}",
        "export_figures",
        "2027-10-01..2027-10-31 references=no",
    )

    # `schakel export` writes the same, as XLSX and CSV; the codes only when configured.
    for with_codes in (False, True):
        folder = tmp_path / f"codes-{with_codes}"
        configured = config.model_copy(
            update={"export": ExportConfig(include_references=with_codes)}
        )
        status = await export_figures(
            configured, "1-10-2027", "31/10/2027", folder, "nl", clock=clock
        )
        assert status == 0
        name = "schakel-2027-10-01-2027-10-31"
        assert sorted(p.name for p in folder.iterdir()) == [
            f"{name}-afspraken.csv",
            f"{name}-cijfers.csv",
            f"{name}.xlsx",
        ]
        references = history.references if with_codes else None
        book = load_workbook(folder / f"{name}.xlsx")
        check_tables(sheet_rows(book["Cijfers"]), sheet_rows(book["Afspraken"]), references)
        check_tables(
            csv_rows(folder / f"{name}-cijfers.csv"),
            csv_rows(folder / f"{name}-afspraken.csv"),
            references,
        )
        assert (await last_audit(services))[:2] == ("cli", "export_figures")

    # `--chart-lang ar,ti` writes the chart as a PNG in each of those languages too.
    folder = tmp_path / "charts"
    status = await export_figures(
        config, "1-10-2027", "31/10/2027", folder, "nl", chart_languages="ar,ti", clock=clock
    )
    assert status == 0
    pngs = sorted(p.name for p in folder.iterdir() if p.suffix == ".png")
    assert pngs == [f"{name}-grafiek-ar.png", f"{name}-grafiek-ti.png"]
    assert (folder / pngs[0]).read_bytes().startswith(b"\x89PNG")
    status = await export_figures(
        config, "1-10-2027", "31/10/2027", tmp_path / "no", "nl", chart_languages="ar,xx",
        clock=clock,
    )  # fmt: skip
    assert status == 2 and not (tmp_path / "no").exists()

    # Months later the nightly purge removes the messages and the announcement's deliveries
    # (delivery records: 90 days); October's figures stay what they were.
    clock.now = local(2028, 3, 1, 3, 30).astimezone(dt.UTC)
    retention = RetentionConfig(appointments="keep", handover_notes="keep", audit_log="keep")
    report = await purge(services.store, clock, retention, actor="system")
    assert report.of(Retained.DELIVERY_RECORDS).counts["messages"] > 13
    assert not await services.store.fetch_value("SELECT count(*) FROM announcement_deliveries")
    assert await gather(services.store, OCTOBER, BRUSSELS) == EXPECTED


APPOINTMENT_HEADER = [
    "Afspraak nr.",
    "Datum",
    "Uur",
    "Soort",
    "Organisatie",
    "Taal",
    "Tolk",
    "Bron",
    "Antwoord",
    "Reden",
    "Uitkomst",
    "Herinneringen: verzonden",
    "Herinneringen: mislukt",
    "Herinneringen: te laat",
    "Herinneringen: overgeslagen",
    "Kanaal",
]
# Appointments a-f of October: date, time, kind, language, interpreter, answer, reason,
# outcome, reminders sent, failed, late, skipped.
APPOINTMENT_ROWS = [
    [
        "2027-10-12",
        "10:00",
        "Eerste gesprek",
        "Arabisch",
        "Arabisch",
        "bevestigd",
        "",
        "gekomen",
        3,
        0,
        0,
        0,
    ],
    [
        "2027-10-13",
        "14:00",
        "Jobcoach",
        "Arabisch",
        "",
        "geen antwoord",
        "",
        "niet gekomen",
        3,
        0,
        1,
        0,
    ],
    [
        "2027-10-14",
        "10:00",
        "Eerste gesprek",
        "Tigrinya",
        "Tigrinya",
        "afgezegd",
        "werk",
        "verplaatst",
        3,
        0,
        0,
        0,
    ],
    [
        "2027-10-20",
        "10:00",
        "Sociaal werker",
        "Oekraïens",
        "",
        "bevestigd",
        "",
        "niet gekomen",
        1,
        1,
        0,
        1,
    ],
    [
        "2027-10-21",
        "10:00",
        "Inburgering",
        "Arabisch",
        "",
        "geen antwoord",
        "",
        "geannuleerd",
        0,
        0,
        0,
        0,
    ],
    ["2027-10-29", "16:00", "Jobcoach", "Arabisch", "", "geen antwoord", "", "gepland", 3, 0, 0, 0],
]
NEWCOMER_OF_ROW = ["Amal", "Omar", "Dawit", "Olena", "Omar", "Amal"]


def appointment_cells(rows: list[list[object]]) -> list[list[object]]:
    """Without the appointment number; the date as text; VDAB planned every one."""
    cells = []
    for row in rows:
        day = row[1].isoformat()[:10] if isinstance(row[1], dt.date) else row[1]
        assert row[4] == "VDAB" and row[7] == "chat"
        cells.append([day, row[2], row[3], row[5], row[6], *row[8:]])
    return cells


def check_tables(
    figures_rows: list[list[object]],
    appointment_rows: list[list[object]],
    references: dict[str, str] | None,
) -> None:
    """The export's two tables against the history; `references`: the codes, if included."""
    header, *rows = appointment_rows
    assert header == APPOINTMENT_HEADER + (["Code"] if references else [])
    assert appointment_cells([row[:15] for row in rows]) == APPOINTMENT_ROWS
    # Every reminder went by Telegram; e was cancelled before its first.
    assert [row[15] for row in rows] == ["via Telegram"] * 4 + ["geen herinnering", "via Telegram"]
    if references:
        assert [row[16] for row in rows] == [references[name] for name in NEWCOMER_OF_ROW]
    figures_header, *figures = figures_rows
    assert figures_header == ["Onderdeel", "Cijfer", "Groep", "Aantal"]
    as_dict = {(str(r[0]), str(r[1]), str(r[2] or "")): float(str(r[3])) for r in figures}
    for key, value in {
        ("Nieuwkomers", "uitgenodigd", ""): 4,
        ("Nieuwkomers", "gekoppeld", "Arabisch"): 1,
        ("Afspraken", "in totaal", ""): 6,
        ("Afspraken", "geannuleerd", ""): 1,
        ("Herinneringen", "verzonden", ""): 13,
        ("Herinneringen", "te laat", ""): 1,
        ("Antwoorden", "geen antwoord", ""): 2,
        ("Aanwezigheid", "niet gekomen", ""): 2,
        ("Afwezig per soort", "niet gekomen", "Jobcoach"): 1,
        ("Afwezig per taal", "gekomen", "Arabisch"): 1,
        ("Afwezig na antwoord", "niet gekomen", "bevestigd"): 1,
        ("Overdracht", "overgenomen", ""): 1,
        ("Overdracht", "helft binnen (dagen)", ""): 2,
        ("Aankondiging", "bereikt", ""): 4,
        ("Aankondiging", "komen niet", ""): 1,
        ("Tolken", "in totaal", "Tigrinya"): 1,
    }.items():
        assert as_dict[key] == value, key
    # Nothing that names a person: no first name, no chat id, no place.
    everything = " ".join(str(cell) for row in figures_rows + appointment_rows for cell in row)
    for name in NAMES:
        assert name not in everything
    assert "Kongostraat" not in everything


def sheet_rows(sheet: Worksheet) -> list[list[object]]:
    return [
        ["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)
    ]


def csv_rows(path: Path) -> list[list[object]]:
    """Semicolons, a byte-order mark for Excel; numbers back to numbers for comparing."""
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")
    return [[int(cell) if cell.isdigit() else cell for cell in row] for row in rows]


async def last_audit(services: Services) -> tuple[str, str, str]:
    row = await services.store.fetch_one(
        "SELECT actor, action, detail FROM audit_log ORDER BY id DESC LIMIT 1"
    )
    assert row is not None
    return row["actor"], row["action"], row["detail"]


async def test_only_coordinators_and_admins_and_typos_get_a_clear_answer(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 11, 3, 10).astimezone(dt.UTC)
    laila = await make_staff(services, telegram, 2, "Laila Peeters", Role.CASEWORKER)
    amal, _ = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    kris = await make_staff(services, telegram, 9, "Kris Maes", Role.COORDINATOR, "In-Gent")
    admin = await make_staff(services, telegram, 1, "Annelies", Role.ADMIN)
    audit_before = await services.store.fetch_value("SELECT count(*) FROM audit_log")
    files_before = len(telegram.sent("sendPhoto") + telegram.sent("sendDocument"))

    await telegram.send(laila, "/cijfers")
    assert telegram.texts_to(laila.id)[-1] == render("nl", texts.ONLY_FOR_ROLE, role="coördinator")
    await telegram.send(amal, "/cijfers")
    assert telegram.texts_to(amal.id)[-1].startswith(render("ar", texts.NOT_UNDERSTOOD))
    await telegram.press_data(laila, "v1:fig:20271001:20271031")
    await telegram.press_data(amal, "v1:fig:x:20271001:20271031")
    assert len(telegram.sent("sendPhoto") + telegram.sent("sendDocument")) == files_before

    for typed, text in (
        ("31-9-2027 5-10-2027", texts.FIGURES_NO_SUCH_DATE),
        ("5-10-2027 tot 1-10-2027", texts.FIGURES_PERIOD_REVERSED),
    ):
        await telegram.send(kris, f"/cijfers {typed}")
        assert telegram.texts_to(kris.id)[-1] == render("nl", text)
    # A lone word may be a period or an organisation: both are said.
    await telegram.send(kris, "/cijfers gisteren")
    assert telegram.texts_to(kris.id)[-1].splitlines() == [
        render("nl", texts.FIGURES_PERIOD_UNCLEAR),
        render(
            "nl", texts.FIGURES_UNKNOWN_ORGANISATION, name="gisteren", known="In-Gent, OCMW, VDAB"
        ),
    ]
    await telegram.send(kris, "/cijfers")
    await telegram.press(kris, "📅 Andere periode")
    assert telegram.texts_to(kris.id)[-1].splitlines() == [
        render("nl", texts.FIGURES_USAGE),
        render("nl", texts.FIGURES_USAGE_ORGANISATION),
    ]
    for forged in ("v1:fig:20271301:20271331", "v1:fig:20271031:20271001", "v1:fig:x:drop"):
        await telegram.press_data(kris, forged)
        alert = telegram.sent("answerCallbackQuery")[-1].params
        assert alert["text"] == render("nl", texts.BUTTON_TOO_OLD)
    assert len(telegram.sent("sendPhoto") + telegram.sent("sendDocument")) == files_before
    assert await services.store.fetch_value("SELECT count(*) FROM audit_log") == audit_before

    # An admin may ask too; one day is a period; a quiet period says so, chart and all.
    await telegram.send(admin, "/cijfers 2/11/2027")
    text, chart = telegram.texts_to(admin.id)[-2:]
    assert text.splitlines()[1:] == [
        render("nl", texts.FIGURES_NOTHING),
        "[ 📄 Excel-bestand | 🏢 Eén organisatie ]",
    ]
    assert chart.endswith("Grafiek van 2 november 2027 tot en met 2 november 2027.")
    assert telegram.sent("sendPhoto")[-1].uploads["photo"].startswith(b"\x89PNG")
