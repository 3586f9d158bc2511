"""What partners report on, through the real Application as a coordinator who reads
Arabic (right to left) would ask for it: the days from a first intake to the next
appointment with another partner and to a handover taken over, one organisation's
figures (typed, or with 🏢 under the figures; an unknown one refused, nothing changed),
SMS per kind with the no-show rate per channel, and the Excel file and `schakel export
--organisation` read back.

March-April 2027: Amal (Somali) joins by SMS and misses her intake at VDAB (a no-show
after SMS reminders); Omar (Arabic, Telegram) has his intake at VDAB on 30 March, a
handover to OCMW taken over on 2 April (3 days), OCMW's social worker on 8 April (9 days);
Dawit (Tigrinya) has his intake at VDAB on 1 April and nothing after."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.app.standin import FakeTelegram, SimGroup, SimUser
from bot.appointments import planning, reminders
from bot.appointments.records import Details, Kind
from bot.cli.export import export_figures
from bot.core.clock import from_db
from bot.core.config import Config
from bot.figures.intake import FromIntake, Spread
from bot.figures.queries import Channel, Period, gather
from bot.figures.scope import Scope
from bot.figures.sms import SmsKind
from bot.figures.words import days_text
from bot.people.newcomers import newcomer_by_id
from bot.people.staff import Role
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import render, texts
from tests.conftest import FakeClock, make_staff
from tests.e2e.people import BRUSSELS, linked_newcomer, local
from tests.e2e.sms import amal_by_sms_with_an_appointment, sms_config
from tests.e2e.test_handover import GROUP_ID, write_note
from tests.twilio_standin import TwilioStandIn

SPRING = Period(dt.date(2027, 3, 1), dt.date(2027, 4, 30))
TYPED_SPRING = "1-3-2027 30-4-2027"


@pytest.fixture
def config(tmp_path: Path, twilio: TwilioStandIn) -> Config:
    return sms_config(tmp_path, twilio)


async def staff_id(services: Services, telegram_user_id: int) -> int:
    value = await services.store.fetch_value(
        "SELECT id FROM staff WHERE telegram_user_id = ?", (telegram_user_id,)
    )
    assert isinstance(value, int)
    return value


async def plan(services: Services, reference: str, kind: Kind, starts: dt.datetime, by: int) -> int:
    """An appointment planned by staff member `by` (Telegram id), as the chat form does."""
    newcomer_id = await services.store.fetch_value(
        "SELECT id FROM newcomers WHERE reference = ?", (reference,)
    )
    newcomer = await newcomer_by_id(services.store, int(str(newcomer_id)))
    assert newcomer is not None
    details = Details(kind, starts, "OCMW: Onderbergen 86, 9000 Gent", "", None)
    planned = await planning.create(
        services, newcomer, details, actor_id=await staff_id(services, by)
    )
    return planned.appointment.id


async def every_due_reminder(services: Services, clock: FakeClock, until: dt.datetime) -> None:
    """Each reminder at its minute, up to `until`, and every message on its way."""
    for row in await services.store.fetch_all(
        "SELECT DISTINCT due_at FROM reminders WHERE status = 'planned' AND due_at < ?"
        " ORDER BY due_at",
        (until.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000000Z"),),
    ):
        clock.now = from_db(row["due_at"]) + dt.timedelta(minutes=1)
        await reminders.run_due(services)
        await services.dispatcher.run_due()
    clock.now = until.astimezone(dt.UTC)


async def spring(
    telegram: FakeTelegram, services: Services, clock: FakeClock, twilio: TwilioStandIn
) -> tuple[SimUser, dict[str, str]]:
    """The history above; returns the coordinator (Kris, In-Gent, reads Arabic) and the
    newcomers' references."""
    laila, amal = await amal_by_sms_with_an_appointment(telegram, services, clock, twilio)
    group, _ = await partners_beside(services, telegram, laila)
    _omar_user, omar = await linked_newcomer(telegram, laila, 10, "Omar", "ar")
    _dawit_user, dawit = await linked_newcomer(telegram, laila, 11, "Dawit", "ti")
    amal_intake = await services.store.fetch_value("SELECT id FROM appointments")
    omar_intake = await plan(services, omar, Kind.DUO_INTAKE, local(2027, 3, 30, 10), by=2)
    dawit_intake = await plan(services, dawit, Kind.DUO_INTAKE, local(2027, 4, 1, 10), by=2)

    await every_due_reminder(services, clock, local(2027, 3, 29, 13))
    await telegram.press_data(laila, f"v1:at:no_show:{amal_intake}")
    await every_due_reminder(services, clock, local(2027, 3, 30, 13))
    await telegram.press_data(laila, f"v1:at:attended:{omar_intake}")
    await every_due_reminder(services, clock, local(2027, 4, 1, 13))
    await telegram.press_data(laila, f"v1:at:attended:{dawit_intake}")

    # Omar's handover to OCMW, taken over by Sarah the next day.
    await write_note(telegram, laila, omar)
    await telegram.press(laila, "📤 Plaatsen")
    clock.now = local(2027, 4, 2, 9).astimezone(dt.UTC)
    sarah = telegram.user(5, "Sarah", "nl")
    await telegram.press(sarah, "✅ Ik neem over", group)
    clock.now = local(2027, 4, 6, 9).astimezone(dt.UTC)
    await plan(services, omar, Kind.SOCIAL_WORKER, local(2027, 4, 8, 10), by=5)
    await twilio.settled()

    kris = await make_staff(services, telegram, 9, "Kris Maes", Role.COORDINATOR, "In-Gent")
    async with services.store.transaction() as db:
        await db.execute("UPDATE staff SET language = 'ar' WHERE telegram_user_id = 9")
    clock.now = local(2027, 5, 3, 10).astimezone(dt.UTC)
    return kris, {"Amal": amal, "Omar": omar, "Dawit": dawit}


async def partners_beside(
    services: Services, telegram: FakeTelegram, laila: SimUser
) -> tuple[SimGroup, SimUser]:
    """The partner group and Sarah (OCMW), beside Laila who is already there."""
    admin = await make_staff(services, telegram, 1, "Annelies", Role.ADMIN)
    group = telegram.group(GROUP_ID, "Partners Gent")
    await telegram.send(admin, "/partnergroep", group)
    sarah = await make_staff(services, telegram, 5, "Sarah Peeters", Role.CASEWORKER, "OCMW")
    await telegram.send(sarah, "/profiel telefoon 09 266 11 11")
    return group, sarah


def ar(text: str, **values: object) -> str:
    return render("ar", text, **values)


async def test_a_coordinator_reads_what_partners_report_in_arabic_and_exports_it(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
    config: Config,
    tmp_path: Path,
) -> None:
    kris, references = await spring(telegram, services, clock, twilio)
    figures = await gather(services.store, SPRING, BRUSSELS)
    # Amal missed her intake: not a first intake. Omar: 9 days to OCMW, 3 to the handover.
    assert figures.from_intake == FromIntake(2, Spread(1, 9, 9, 9), Spread(1, 3, 3, 3))
    assert {c: (a.no_show, a.counted) for c, a in figures.by_channel.items()} == {
        Channel.TELEGRAM: (0, 2),
        Channel.SMS: (1, 1),
        Channel.NONE: (0, 0),  # OCMW's appointment on 8 April: nobody said yet who came
    }
    assert figures.sms[SmsKind.REMINDER].sent == 3
    assert figures.sms[SmsKind.APPOINTMENT].sent == 1

    # VDAB alone, typed: the title names it; the intake lines, the SMS and the channels.
    await telegram.send(kris, f"/cijfers {TYPED_SPRING} vdab")
    text, chart = telegram.texts_to(kris.id)[-2:]
    lines = text.splitlines()
    assert lines[0] == ar(
        texts.FIGURES_TITLE_ORGANISATION,
        organisation="VDAB",
        first="1 مارس 2027",
        last="30 أبريل 2027",
    )
    nine, three = days_text(9, "ar"), days_text(3, "ar")
    assert ar(texts.FIGURES_FROM_INTAKE, count=2) in lines
    assert ar(
        texts.FIGURES_DAYS_LINE,
        what=ar(texts.FIGURES_TO_PARTNER),
        count=1, median=nine, p25=nine, p75=nine, waiting=1,
    ) in lines  # fmt: skip
    assert ar(
        texts.FIGURES_DAYS_LINE,
        what=ar(texts.FIGURES_TO_HANDOVER),
        count=1, median=three, p25=three, p75=three, waiting=1,
    ) in lines  # fmt: skip
    # Amal's SMS: the opt-in, two replies (thanks, her contact), the new appointment (two
    # segments) and three reminders; every one delivered.
    sms = next(line for line in lines if ar(texts.FIGURES_SMS) in line)
    assert [ar(texts.FIGURES_SEGMENTS) in sms, "⁨7⁩" in sms, "⁨8⁩" in sms] == [True] * 3
    reminder_group = f"\u2068{ar(texts.FIGURES_SMS_REMINDER)}\u2069:"  # isolated, as is RTL
    assert sum(reminder_group in line for line in lines) == 1
    assert ar(texts.FIGURES_BY_CHANNEL) + ":" in lines
    assert lines[-1] == (
        f"[ {ar(texts.BUTTON_FIGURES_EXCEL)} | {ar(texts.BUTTON_FIGURES_EVERYONE)} ]"
    )
    assert chart.startswith("[photo, ") and telegram.sent("sendPhoto")[-1].uploads["photo"]

    # The Excel file of VDAB's figures, read back: Arabic headings, the days and the SMS.
    await telegram.press(kris, ar(texts.BUTTON_FIGURES_EXCEL))
    document = telegram.sent("sendDocument")[-1]
    assert document.params["caption"].startswith(ar(texts.FIGURES_EXCEL_CAPTION_ORGANISATION,
        organisation="VDAB", first="1 مارس 2027", last="30 أبريل 2027"))  # fmt: skip
    book = load_workbook(io.BytesIO(document.uploads["document"]))
    assert book.sheetnames == [ar(texts.EXPORT_SHEET_FIGURES), ar(texts.EXPORT_SHEET_APPOINTMENTS)]
    rows = {
        (str(r[0]), str(r[1]), str(r[2] or "")): r[3]
        for r in book[ar(texts.EXPORT_SHEET_FIGURES)].iter_rows(min_row=2, values_only=True)
    }
    after, partner = ar(texts.FIGURES_AFTER_INTAKE), ar(texts.FIGURES_TO_PARTNER)
    assert rows[(after, ar(texts.FIGURES_TOTAL), "")] == 2
    assert rows[(after, ar(texts.FIGURES_MEDIAN_DAYS), partner)] == 9
    assert rows[(after, ar(texts.FIGURES_DAYS_P75), ar(texts.FIGURES_TO_HANDOVER))] == 3
    assert rows[(after, ar(texts.FIGURES_NOT_YET), partner)] == 1
    assert (
        rows[(ar(texts.FIGURES_SMS), ar(texts.FIGURES_SENT), ar(texts.FIGURES_SMS_REMINDER))] == 3
    )
    appointments = list(book[ar(texts.EXPORT_SHEET_APPOINTMENTS)].iter_rows(values_only=True))
    assert appointments[0][-1] == ar(texts.EXPORT_COLUMN_CHANNEL)
    assert [row[-1] for row in appointments[1:]] == [
        ar(texts.FIGURES_CHANNEL_SMS),
        ar(texts.FIGURES_CHANNEL_TELEGRAM),
        ar(texts.FIGURES_CHANNEL_TELEGRAM),
    ]  # fmt: skip  (VDAB's three intakes; OCMW's appointment is not VDAB's)
    assert (await last_audit(services))[1:] == (
        "export_figures",
        "2027-03-01..2027-04-30 references=no organisation=VDAB",
    )

    # The whole partnership, then 🏢: a button per organisation; OCMW's figures.
    await telegram.send(kris, f"/cijfers {TYPED_SPRING}")
    assert telegram.texts_to(kris.id)[-2].splitlines()[-1] == (
        f"[ {ar(texts.BUTTON_FIGURES_EXCEL)} | {ar(texts.BUTTON_FIGURES_ORGANISATION)} ]"
    )
    await telegram.press(kris, ar(texts.BUTTON_FIGURES_ORGANISATION))
    assert telegram.texts_to(kris.id)[-1] == (
        f"{ar(texts.FIGURES_ASK_ORGANISATION)}\n"
        f"[ In-Gent | OCMW | VDAB | {ar(texts.BUTTON_FIGURES_EVERYONE)} ]"
    )
    await telegram.press(kris, "OCMW")
    ocmw = telegram.texts_to(kris.id)[-2].splitlines()
    assert ocmw[0].startswith(ar(texts.FIGURES_TITLE_ORGANISATION, organisation="OCMW",
        first="1 مارس 2027", last="30 أبريل 2027"))  # fmt: skip
    assert ar(texts.FIGURES_FROM_INTAKE, count=2) not in ocmw  # OCMW planned no intake

    # An unknown organisation: told which there are; nothing is sent, counted or audited.
    audit_before = await services.store.fetch_value("SELECT count(*) FROM audit_log")
    files_before = len(telegram.sent("sendPhoto") + telegram.sent("sendDocument"))
    await telegram.send(kris, f"/cijfers {TYPED_SPRING} VDB")
    assert telegram.texts_to(kris.id)[-1] == ar(
        texts.FIGURES_UNKNOWN_ORGANISATION, name="VDB", known="In-Gent, OCMW, VDAB"
    )
    await telegram.press_data(kris, "v1:fig:20270301:20270430:999")  # no such organisation
    assert telegram.sent("answerCallbackQuery")[-1].params["text"] == ar(texts.BUTTON_TOO_OLD)
    assert len(telegram.sent("sendPhoto") + telegram.sent("sendDocument")) == files_before
    assert await services.store.fetch_value("SELECT count(*) FROM audit_log") == audit_before

    # `schakel export --organisation vdab`: the files carry its name; the same figures.
    folder = tmp_path / "vdab"
    status = await export_figures(
        config, "1-3-2027", "30-4-2027", folder, "nl", organisation="vdab", clock=clock
    )
    assert status == 0
    name = "schakel-2027-03-01-2027-04-30-VDAB"
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{name}-afspraken.csv", f"{name}-cijfers.csv", f"{name}.xlsx"
    ]  # fmt: skip
    exported = {
        (str(r[0]), str(r[1]), str(r[2] or "")): r[3]
        for r in load_workbook(folder / f"{name}.xlsx")["Cijfers"].iter_rows(
            min_row=2, values_only=True
        )
    }
    assert exported[("Na eerste gesprek", "helft binnen (dagen)", "Tot andere partner")] == 9
    assert exported[("Afwezig per kanaal", "niet gekomen", "per SMS")] == 1
    assert exported[("SMS", "verzonden", "herinnering")] == 3
    vdab = await gather(services.store, SPRING, BRUSSELS, scope=Scope(1, "VDAB"))
    assert vdab.from_intake == figures.from_intake
    # An unknown organisation: exit 2, nothing written, nothing audited.
    audit_before = await services.store.fetch_value("SELECT count(*) FROM audit_log")
    status = await export_figures(
        config, "1-3-2027", "30-4-2027", tmp_path / "no", "nl", organisation="VDB", clock=clock
    )
    assert status == 2 and not (tmp_path / "no").exists()
    assert await services.store.fetch_value("SELECT count(*) FROM audit_log") == audit_before
    assert references["Amal"] not in str(exported)


async def last_audit(services: Services) -> tuple[str, str, str]:
    row = await services.store.fetch_one(
        "SELECT actor, action, detail FROM audit_log ORDER BY id DESC LIMIT 1"
    )
    assert row is not None
    return row["actor"], row["action"], row["detail"]
