"""Caseworkers plan, change and cancel by chat; typos, forged buttons and strangers'
taps get a clear answer and change nothing."""

from __future__ import annotations

import datetime as dt
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook

from bot.app.standin import FakeTelegram
from bot.appointments import reminders
from bot.core.callbacks import APPOINTMENT_ANSWER
from bot.people.staff import Role
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import render, texts
from tests.conftest import FakeClock, make_staff
from tests.e2e.people import (
    amal_with_an_appointment,
    caseworker_with_phone,
    dutch_of,
    linked_newcomer,
    local,
)
from tests.test_cli import query, schakel, write_config


async def dump(services: Services) -> list[tuple[object, ...]]:
    rows = []
    for table in ("appointments", "reminders", "drafts"):
        rows += [tuple(row) for row in await services.store.fetch_all(f"SELECT * FROM {table}")]
    return rows


async def test_typos_in_the_form_show_the_accepted_forms_and_save_nothing(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    clock.now = local(2027, 1, 20, 9).astimezone(dt.UTC)
    caseworker = await caseworker_with_phone(services, telegram)
    _, reference = await linked_newcomer(telegram, caseworker, 3, "Amal", "ar")
    await telegram.send(caseworker, "/afspraak")
    assert telegram.texts_to(caseworker.id)[-1] == render("nl", texts.PLAN_USAGE)
    await telegram.send(caseworker, "/afspraak K-ZZZZ")
    assert "K-ZZZZ" in telegram.texts_to(caseworker.id)[-1]

    await telegram.send(caseworker, f"/afspraak {reference.lower()}")
    await telegram.press(caseworker, "Jobcoach")
    forms = render("nl", texts.WHEN_FORMS)
    for typed, problem in [
        ("volgende week", texts.WHEN_UNCLEAR),
        ("31/2 10:00", texts.WHEN_NO_SUCH_DATE),
        ("wo 26/1 10u", texts.WHEN_WRONG_WEEKDAY),  # 26 January 2027 is a Tuesday
        ("10/1/2027 10:00", texts.WHEN_PAST),
    ]:
        await telegram.send(caseworker, typed)
        assert telegram.texts_to(caseworker.id)[-1] == (
            render("nl", problem, typed=typed) + "\n" + forms
        )
    await telegram.send(caseworker, "di 26/1 om 10u")
    assert telegram.texts_to(caseworker.id)[-1].startswith(render("nl", texts.PLAN_ASK_PLACE))
    await telegram.send(caseworker, "x" * 61)
    assert telegram.texts_to(caseworker.id)[-1] == render("nl", texts.PLAN_TOO_LONG_TEXT, max=60)
    await telegram.send(caseworker, "Sint-Pietersnieuwstraat 120, 9000 Gent")
    await telegram.send(caseworker, "Anneleen Van den Broeck en Youssef El Amrani")
    await telegram.send(caseworker, "Klingons")
    assert telegram.texts_to(caseworker.id)[-1] == render(
        "nl", texts.UNKNOWN_INTERPRETER, typed="Klingons"
    )
    await telegram.send(caseworker, "Arabisch")
    # Long street, two names and an interpreter: too long for one SMS; asked again.
    said = telegram.texts_to(caseworker.id)
    assert render("nl", texts.PLAN_SMS_TOO_LONG) in said[-2]
    assert said[-1].startswith(render("nl", texts.PLAN_ASK_PLACE))
    await telegram.send(caseworker, "/cancel")
    assert telegram.texts_to(caseworker.id)[-1] == render("nl", texts.PLAN_STOPPED)
    assert await dump(services) == []
    # A button of the closed form does nothing.
    await telegram.press(caseworker, "VDAB: Kongostraat 7, 9000 Gent")
    assert await dump(services) == []


async def test_changes_and_cancellations_reach_the_newcomer_at_once(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    caseworker, newcomer, reference = await amal_with_an_appointment(
        telegram, services, clock, "ti"
    )
    await telegram.press(newcomer, render("ti", texts.BUTTON_COMING))

    await telegram.send(caseworker, f"/client {reference}")
    await telegram.press(caseworker, "📅 Afspraken")
    await telegram.press(caseworker, "✏️ Wijzigen")
    await telegram.press(caseworker, "Niet veranderen")  # kind
    await telegram.send(caseworker, "30/3/2027 14u")
    for _ in range(3):  # place, with whom, interpreter
        await telegram.press(caseworker, "Niet veranderen")
    assert "Afspraak veranderd: dinsdag 30 maart om 14:00" in telegram.texts_to(caseworker.id)[-1]
    await telegram.press(caseworker, "✅ Opslaan")
    changed = telegram.texts_to(newcomer.id)[-1]
    assert dutch_of(changed).startswith("Afspraak veranderd: dinsdag 30 maart om 14:00")
    assert render("ti", texts.CHANGED_TITLE) in changed
    row = await services.store.fetch_one("SELECT starts_at, answer FROM appointments")
    assert row is not None and row["answer"] is None  # the old "I'll come" no longer holds
    planned = await services.store.fetch_all(
        "SELECT due_at FROM reminders WHERE status = 'planned' ORDER BY due_at"
    )
    assert [r["due_at"][:16] for r in planned] == [
        "2027-03-27T13:00", "2027-03-29T12:00", "2027-03-30T10:00",
    ]  # fmt: skip
    cancelled = await services.store.fetch_value(
        "SELECT count(*) FROM reminders WHERE status = 'cancelled'"
    )
    assert cancelled == 3

    await telegram.press(caseworker, "📅 Afspraken")
    await telegram.press(caseworker, "✖ Annuleren")
    await telegram.press(caseworker, "Nee, houden")
    assert telegram.texts_to(caseworker.id)[-1] == render("nl", texts.CANCEL_KEPT)
    await telegram.press(caseworker, "✖ Annuleren")
    await telegram.press(caseworker, "Ja, annuleren")
    assert dutch_of(telegram.texts_to(newcomer.id)[-1]).startswith(
        "Afspraak op dinsdag 30 maart om 14:00 gaat niet door. U hoeft niet te komen."
    )
    assert await services.store.fetch_value("SELECT status FROM appointments") == "cancelled"
    clock.now = local(2027, 3, 30, 12).astimezone(dt.UTC)
    seen = len(telegram.texts_to(newcomer.id))
    await reminders.run_due(services)
    assert len(telegram.texts_to(newcomer.id)) == seen  # no reminder, no attendance question
    # The newcomer's buttons under the old message no longer change anything.
    await telegram.press(newcomer, render("ti", texts.BUTTON_NOT_COMING))
    assert await services.store.fetch_value("SELECT answer FROM appointments") is None


async def test_forged_and_foreign_buttons_are_refused_and_change_nothing(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    caseworker, _, reference = await amal_with_an_appointment(telegram, services, clock, "ar")
    other_newcomer, _ = await linked_newcomer(telegram, caseworker, 4, "Selam", "ti")
    stranger_caseworker = await make_staff(services, telegram, 5, "Els", Role.CASEWORKER, "OCMW")
    appointment_id = await services.store.fetch_value("SELECT id FROM appointments")
    before = await dump(services)

    answer = APPOINTMENT_ANSWER.prefix
    for data in [f"{answer}no:{appointment_id}", f"{answer}why:{appointment_id}:ill",
                 f"{answer}ics:{appointment_id}", f"{answer}yes:999",
                 f"{answer}yes:abc", f"{answer}"]:  # fmt: skip
        await telegram.press_data(other_newcomer, data)
    for data in [f"v1:sa:cancelyes:{appointment_id}", f"v1:at:attended:{appointment_id}",
                 f"v1:sa:change:{appointment_id}", "v1:pl:kind:job_coach",
                 f"v1:cl:plan:{reference}"]:  # fmt: skip
        await telegram.press_data(stranger_caseworker, data)
    await telegram.press_data(caseworker, f"v1:at:attended:{appointment_id}")  # not yet over
    await telegram.press_data(caseworker, f"v1:sa:explode:{appointment_id}")
    assert await dump(services) == before
    answers = [call for call in telegram.calls if call.method == "answerCallbackQuery"]
    assert all(call.params.get("show_alert") for call in answers[-13:])
    assert render("ti", texts.BUTTON_NOT_FOR_YOU) in str(answers[-13].params)


async def test_a_reminder_for_a_newcomer_who_stopped_is_skipped_with_the_reason(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    _, newcomer, _ = await amal_with_an_appointment(telegram, services, clock, "ar")
    await telegram.send(newcomer, "/stop")
    seen = len(telegram.texts_to(newcomer.id))
    clock.now = local(2027, 3, 26, 10).astimezone(dt.UTC)
    assert await reminders.run_due(services) == 0
    assert len(telegram.texts_to(newcomer.id)) == seen
    reason = await services.store.fetch_value(
        "SELECT reason FROM reminders WHERE offset_minutes = 4320"
    )
    assert reason == reminders.SKIPPED_STOPPED


def test_hostile_planning_sheets_are_refused_by_the_real_command_in_one_line(
    tmp_path: Path,
) -> None:
    """`schakel import-planning --apply` as a real process on real files: one line, exit 1,
    no traceback, nothing saved, in seconds."""
    write_config(tmp_path)
    big = tmp_path / "groot.csv"
    with big.open("wb") as file:
        for _ in range(30):
            file.write(b"26/01/2027;10:00;K-AAAA;VDAB\n" * 40_000)  # 1.1 MiB
    (tmp_path / "codes.csv").write_bytes(b"Datum;Referentie\n26/01/2027;K-\x81\x8d\x8f\x90\x9d\n")
    (tmp_path / "lang.csv").write_bytes(b"Datum;Referentie\n1/2/2027;" + b"x" * 200_000 + b"\n")
    Workbook().save(tmp_path / "heel.xlsx")
    whole = (tmp_path / "heel.xlsx").read_bytes()
    (tmp_path / "half.xlsx").write_bytes(whole[: len(whole) // 2])
    with (
        zipfile.ZipFile(tmp_path / "bom.xlsx", "w", zipfile.ZIP_DEFLATED) as bomb,
        bomb.open("xl/worksheets/sheet1.xml", "w") as sheet,
    ):
        for _ in range(100):
            sheet.write(b"<row/>" * 100_000)  # 60 MB of rows, packed into 60 KB
    expected = {
        "groot.csv": "is 33.2 MB; a planning sheet is at most 5 MB",
        "codes.csv": "is neither UTF-8 nor Windows-1252 text",
        "lang.csv": "is not a readable CSV file (field larger than field limit (131072))",
        "half.xlsx": "is not a readable XLSX file (File is not a zip file)",
        "bom.xlsx": "unpacks to 57 MB; at most 10 MB",
    }
    for name, problem in expected.items():
        started = time.monotonic()
        result = schakel(tmp_path, "import-planning", "--apply", name)
        assert time.monotonic() - started < 20
        assert (result.returncode, result.stderr) == (1, "")
        assert result.stdout == f"schakel: {name} {problem}; nothing saved\n"
    assert query(tmp_path / "s.db", "SELECT count(*) FROM appointments") == [(0,)]
