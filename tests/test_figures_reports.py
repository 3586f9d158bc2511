"""The rules of the figures partners report on (issue 23 item 4, issue 21 item 7): the days
from a first intake (what counts as one, the next appointment with another partner, a
handover taken over; median and middle half as Excel computes them), one organisation's
figures, SMS per kind and the no-show rate per channel, also after the purge."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.config import RetentionConfig
from bot.figures.intake import FromIntake, Spread, percentile, spread
from bot.figures.queries import (
    Channel,
    Figures,
    Period,
    appointment_rows,
    gather,
    split_organisation,
)
from bot.figures.scope import PARTNERSHIP, Scope, UnknownOrganisation, scope_by_id, scope_of
from bot.figures.sms import SmsCount, SmsKind, kind_of
from bot.figures.words import (
    FiguresPress,
    figure_rows,
    figures_press,
    period_data,
    pick_data,
    summary,
)
from bot.people.newcomers import newcomer_by_id
from bot.privacy.data_rights import forget_newcomer
from bot.privacy.retention import purge
from bot.storage.database import Store
from messages.languages import SUPPORTED_LANGUAGES
from tests.conftest import FakeClock
from tests.e2e.people import BRUSSELS

OCTOBER = Period(dt.date(2027, 10, 1), dt.date(2027, 10, 31))
VDAB, OCMW = 1, 2


def test_percentiles_are_excels_percentile_inc() -> None:
    # =PERCENTILE.INC({1;2;3;4};0,25) is 1,75 in Excel and LibreOffice; the median 2,5.
    assert [percentile([1, 2, 3, 4], share) for share in (0.25, 0.5, 0.75)] == [1.75, 2.5, 3.25]
    assert spread([8, 2, 30, 5, 12]) == Spread(5, 8, 5, 12)  # sorted first
    assert spread([7]) == Spread(1, 7, 7, 7)
    assert spread([]) == Spread()


@pytest.mark.parametrize(
    ("typed", "period", "organisation"),
    [
        ("1-9-2026 30-9-2026 VDAB", "1-9-2026 30-9-2026", "VDAB"),
        ("VDAB", "", "VDAB"),
        ("Stad Gent 1-9 tot en met 30-9", "1-9 tot en met 30-9", "Stad Gent"),
        ("1/9/26 - 30/9/26", "1/9/26 - 30/9/26", ""),
        ("gisteren", "", "gisteren"),
    ],
)
def test_an_organisation_is_what_is_not_a_day(typed: str, period: str, organisation: str) -> None:
    assert split_organisation(typed) == (period, organisation)


def test_figures_buttons_name_period_organisation_and_choice_and_forged_ones_none() -> None:
    assert figures_press(period_data(OCTOBER)) == FiguresPress(OCTOBER)
    assert figures_press(period_data(OCTOBER, organisation_id=7)) == FiguresPress(OCTOBER, 7)
    excel = period_data(OCTOBER, excel=True, organisation_id=7)
    assert figures_press(excel) == FiguresPress(OCTOBER, 7, excel=True)
    assert figures_press(pick_data(OCTOBER)) == FiguresPress(OCTOBER, pick=True)
    for forged in (
        "v1:fig:20271001:20271031:x",
        "v1:fig:20271001:20271031:0",
        "v1:fig:20271001:20271031:٣",
        "v1:fig:x:20271001:20271031:99999999999999999999",
        "v1:fig:o:20271031:20271001",
        "v1:fig:o:20271001:20271031:7",
    ):
        assert figures_press(forged) is None, forged


# --- A small partnership in October 2027 -----------------------------------------------------

T = "T{:02d}:00:00.000000Z"


def at(day: str, hour: int = 8) -> str:
    """UTC text for a day of 2027 ('10-04') at an hour (UTC: Brussels is two hours ahead)."""
    return f"2027-{day}{T.format(hour)}"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = await Store.open(tmp_path / "reports.db")
    async with store.transaction() as db:
        for org, name in ((VDAB, "VDAB"), (OCMW, "OCMW")):
            await db.execute(
                "INSERT INTO organisations (id, short_name, name) VALUES (?, ?, ?)",
                (org, name, name),
            )
            await db.execute(
                "INSERT INTO staff (id, telegram_user_id, name, role, organisation_id, created_at)"
                " VALUES (?, ?, ?, 'caseworker', ?, ?)",
                (org, 100 + org, f"Staff {name}", org, at("09-01")),
            )
        # Amal and Omar registered by VDAB, Dawit by OCMW, Yusuf by no one (imported).
        for number, (name, staff) in enumerate(
            (("Amal", VDAB), ("Omar", VDAB), ("Dawit", OCMW), ("Yusuf", None)), 1
        ):
            await db.execute(
                "INSERT INTO newcomers (id, reference, first_name, language, created_by,"
                " created_at) VALUES (?, ?, ?, 'ar', ?, ?)",
                (number, f"K-{name[:4].upper()}", name, staff, at("10-01")),
            )
    yield store
    await store.close()


async def appointment(
    store: Store, newcomer: int, kind: str, day: str, staff: int | None, status: str = "planned"
) -> int:
    async with store.transaction() as db:
        cursor = await db.execute(
            "INSERT INTO appointments (newcomer_id, kind, starts_at, place, created_by, status,"
            " created_at, updated_at) VALUES (?, ?, ?, 'Gent', ?, ?, ?, ?)",
            (newcomer, kind, at(day), staff, status, at("09-01"), at("09-01")),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


async def handover(
    store: Store, newcomer: int, sender: int, to: int, status: str, decided: str | None
) -> None:
    async with store.transaction() as db:
        await db.execute(
            "INSERT INTO handover_notes (newcomer_id, author_id, from_organisation,"
            " to_organisation, reason, body, consent_at, status, decided_at, created_at)"
            " VALUES (?, ?, ?, ?, 'handover', '{}', ?, ?, ?, ?)",
            (newcomer, sender, sender, to, at("10-05"), status, decided and at(decided),
             at("10-05")),
        )  # fmt: skip


async def partnership_history(store: Store) -> None:
    """Amal: a cancelled intake on 1 October, her first intake at VDAB on 4 October (a
    Monday), a job coach at VDAB (the same partner) on the 6th, a missed appointment at
    OCMW on the 8th, the social worker at OCMW on the 12th (8 days); her note taken over
    on the 20th (16 days). Omar: his first intake in September, a second one in October
    (not a first). Dawit: first intake at OCMW on the 10th, nothing after. Yusuf: an
    imported intake (no organisation) on the 15th, VDAB's job coach on the 18th (3 days)."""
    await appointment(store, 1, "duo_intake", "10-01", VDAB, "cancelled")
    await appointment(store, 1, "duo_intake", "10-04", VDAB, "attended")
    await appointment(store, 1, "job_coach", "10-06", VDAB, "attended")
    await appointment(store, 1, "social_worker", "10-08", OCMW, "no_show")
    await appointment(store, 1, "social_worker", "10-12", OCMW)
    await handover(store, 1, VDAB, OCMW, "taken_over", "10-20")
    await appointment(store, 2, "duo_intake", "09-20", VDAB, "attended")
    await appointment(store, 2, "duo_intake", "10-05", VDAB, "attended")
    await appointment(store, 3, "duo_intake", "10-10", OCMW, "planned")
    await handover(store, 3, OCMW, VDAB, "declined", "10-11")
    await appointment(store, 4, "duo_intake", "10-15", None, "attended")
    await appointment(store, 4, "job_coach", "10-18", VDAB)


async def test_the_days_from_a_first_intake_as_the_partners_report_them(store: Store) -> None:
    await partnership_history(store)
    figures = await gather(store, OCTOBER, BRUSSELS)
    assert figures.from_intake == FromIntake(
        intakes=3,  # Amal, Dawit, Yusuf; not Omar (his first was in September)
        to_partner=Spread(2, 5.5, 4.25, 6.75),  # Yusuf 3, Amal 8
        to_handover=Spread(1, 16, 16, 16),  # Amal
    )
    # A partner who reports alone: VDAB planned Amal's intake, OCMW Dawit's; Yusuf's
    # imported intake is nobody's.
    vdab, ocmw = Scope(VDAB, "VDAB"), Scope(OCMW, "OCMW")
    by_vdab = await gather(store, OCTOBER, BRUSSELS, scope=vdab)
    assert by_vdab.from_intake == FromIntake(1, Spread(1, 8, 8, 8), Spread(1, 16, 16, 16))
    by_ocmw = await gather(store, OCTOBER, BRUSSELS, scope=ocmw)
    assert by_ocmw.from_intake == FromIntake(1, Spread(), Spread())
    assert by_ocmw.organisation == "OCMW"

    # In words: the median and the middle half, and who did not get there yet.
    text = summary(figures, "nl").splitlines()
    assert "Nieuwkomers met een eerste gesprek in deze periode: 3." in text
    assert (
        "- Tot andere partner: 2 al zo ver. De helft binnen 5,5 dagen;"
        " de middelste helft na 4,2 tot 6,8 dagen. Nog niet: 1." in text
    )
    assert "- Tot overdracht: 1 al zo ver. De helft binnen 16 dagen;" in " ".join(text)
    assert "- Tot andere partner: nog niemand." in summary(by_ocmw, "nl")
    rows = {(r[0], r[1], r[2]): r[3] for r in figure_rows(figures, "nl")}
    assert rows[("Na eerste gesprek", "in totaal", "")] == 3
    assert rows[("Na eerste gesprek", "al zo ver", "Tot andere partner")] == 2
    assert rows[("Na eerste gesprek", "helft binnen (dagen)", "Tot andere partner")] == 5.5
    assert rows[("Na eerste gesprek", "P25 (dagen)", "Tot andere partner")] == 4.25
    assert rows[("Na eerste gesprek", "P75 (dagen)", "Tot andere partner")] == 6.75
    assert rows[("Na eerste gesprek", "nog niet", "Tot overdracht")] == 2
    # Nobody to count: no median at all, rather than a 0 that reads "the same day".
    ocmw_rows = {(r[0], r[1], r[2]) for r in figure_rows(by_ocmw, "nl")}
    assert ("Na eerste gesprek", "helft binnen (dagen)", "Tot andere partner") not in ocmw_rows


async def test_one_organisation_counts_what_belongs_to_it(store: Store) -> None:
    await partnership_history(store)
    everyone = await gather(store, OCTOBER, BRUSSELS)
    vdab = await gather(store, OCTOBER, BRUSSELS, scope=Scope(VDAB, "VDAB"))
    ocmw = await gather(store, OCTOBER, BRUSSELS, scope=Scope(OCMW, "OCMW"))
    # Appointments: planned by its staff (Yusuf's imported intake: only the partnership's).
    assert (everyone.appointments, vdab.appointments, ocmw.appointments) == (9, 5, 3)
    assert (everyone.cancelled, vdab.cancelled, ocmw.cancelled) == (1, 1, 0)
    # Newcomers: registered by its staff.
    assert [(c.invited) for c in everyone.newcomers] == [4]
    assert [(c.invited) for c in vdab.newcomers] == [2]
    assert [(c.invited) for c in ocmw.newcomers] == [1]
    # Handover notes: sent or received; each organisation sees both notes.
    assert (vdab.handovers.written, vdab.handovers.taken_over, vdab.handovers.declined) == (2, 1, 1)
    assert (everyone.handovers.written, ocmw.handovers.written) == (2, 2)
    # The chat view (counted in SQLite) and the export (from the rows) agree per scope too.
    for scope in (PARTNERSHIP, Scope(VDAB, "VDAB")):
        rows = await appointment_rows(store, OCTOBER, BRUSSELS, scope)
        assert await gather(store, OCTOBER, BRUSSELS, scope=scope) == await gather(
            store, OCTOBER, BRUSSELS, rows, scope
        )
    assert vdab.organisation == "VDAB"
    assert summary(vdab, "nl").splitlines()[0] == (
        "📊 Cijfers van VDAB, van 1 oktober 2027 tot en met 31 oktober 2027"
    )


async def test_an_organisation_is_found_by_its_name_in_any_case_and_an_unknown_one_is_refused(
    store: Store,
) -> None:
    assert await scope_of(store, "vdab") == Scope(VDAB, "VDAB")
    assert await scope_of(store, "  ") == PARTNERSHIP
    with pytest.raises(UnknownOrganisation) as refused:
        await scope_of(store, "VDB")
    assert (refused.value.name, refused.value.known) == ("VDB", ["OCMW", "VDAB"])
    assert await scope_by_id(store, OCMW) == Scope(OCMW, "OCMW")
    assert await scope_by_id(store, None) == PARTNERSHIP
    assert await scope_by_id(store, 99) is None


def test_every_kind_of_sms_has_its_group() -> None:
    assert [kind_of(p) for p in ("reminder", "new", "cancelled", "announcement-reminder")] == [
        SmsKind.REMINDER, SmsKind.APPOINTMENT, SmsKind.APPOINTMENT, SmsKind.ANNOUNCEMENT
    ]  # fmt: skip
    assert [kind_of(p) for p in ("sms_opt_in", "sms_why_not", "sms_reply", "notice")] == [
        SmsKind.OPT_IN, SmsKind.REPLY, SmsKind.REPLY, SmsKind.OTHER
    ]  # fmt: skip


async def outbox_row(
    store: Store,
    purpose: str,
    *,
    channel: str = "sms",
    status: str = "sent",
    delivery: str | None = "delivered",
    segments: int | None = 1,
    newcomer: int = 1,
    created: str = "10-12",
) -> int:
    async with store.transaction() as db:
        cursor = await db.execute(
            "INSERT INTO outbox (chat_id, newcomer_id, purpose, payload, due_at, idempotency_key,"
            " status, channel, sms_status, sms_segments, created_at, updated_at, sent_at)"
            " VALUES (0, ?, ?, '{}', ?, hex(randomblob(8)), ?, ?, ?, ?, ?, ?, ?)",
            (newcomer, purpose, at(created), status, channel, delivery, segments, at(created),
             at(created), at(created) if status == "sent" else None),
        )  # fmt: skip
        assert cursor.lastrowid is not None
        return cursor.lastrowid


async def test_sms_are_counted_per_kind_with_their_segments(store: Store) -> None:
    await outbox_row(store, "reminder", segments=1)
    await outbox_row(store, "reminder", delivery="undelivered", segments=2)  # sent and failed
    await outbox_row(store, "reminder", status="failed", delivery=None, segments=None)
    await outbox_row(store, "new", delivery="sent", newcomer=3)  # OCMW's Dawit; no report yet
    await outbox_row(store, "sms_opt_in")
    await outbox_row(store, "sms_reply", created="09-30")  # September
    await outbox_row(store, "reminder", channel="telegram", delivery=None, segments=None)
    figures = await gather(store, OCTOBER, BRUSSELS)
    assert figures.sms == {
        SmsKind.APPOINTMENT: SmsCount(sent=1, delivered=0, failed=0, segments=1),
        SmsKind.REMINDER: SmsCount(sent=2, delivered=1, failed=2, segments=3),
        SmsKind.OPT_IN: SmsCount(sent=1, delivered=1, failed=0, segments=1),
    }
    assert not figures.empty
    vdab = await gather(store, OCTOBER, BRUSSELS, scope=Scope(VDAB, "VDAB"))
    assert SmsKind.APPOINTMENT not in vdab.sms  # Dawit is OCMW's
    text = summary(figures, "nl").splitlines()
    assert "SMS: 4 verzonden, 2 aangekomen, 2 mislukt, 5 SMS-delen." in text
    assert "- herinnering: 2 verzonden, 1 aangekomen, 2 mislukt, 3 SMS-delen" in text
    rows = {(r[0], r[1], r[2]): r[3] for r in figure_rows(figures, "nl")}
    assert rows[("SMS", "SMS-delen", "")] == 5
    assert rows[("SMS", "mislukt", "herinnering")] == 2
    # Without SMS in the period the chat view says nothing of them, unless SMS is on.
    quiet = dataclasses.replace(figures, sms={})
    assert "SMS" not in summary(quiet, "nl")
    assert "SMS: 0 verzonden, 0 aangekomen, 0 mislukt, 0 SMS-delen." in summary(
        quiet, "nl", sms_on=True
    )


async def test_the_no_show_rate_per_channel_outlives_the_purge(store: Store) -> None:
    """An appointment counts for SMS when a reminder went by SMS, for Telegram when one went
    by Telegram, for neither when none reached the newcomer; after the nightly purge of the
    messages the reminders keep their channel (migration 0018)."""
    by_sms = await appointment(store, 1, "job_coach", "10-12", VDAB, "no_show")
    by_telegram = await appointment(store, 2, "job_coach", "10-13", VDAB, "attended")
    unreached = await appointment(store, 3, "job_coach", "10-14", OCMW, "no_show")
    sms_row = await outbox_row(store, "reminder", created="10-11")
    telegram_row = await outbox_row(store, "reminder", channel="telegram", created="10-12")
    failed_row = await outbox_row(store, "reminder", status="failed", created="10-13", newcomer=3)
    async with store.transaction() as db:
        for appointment_id, outbox_id in (
            (by_sms, sms_row),
            (by_telegram, telegram_row),
            (unreached, failed_row),
        ):
            await db.execute(
                "INSERT INTO reminders (appointment_id, starts_at, offset_minutes, due_at,"
                " status, outbox_id, created_at, updated_at)"
                " VALUES (?, ?, 1440, ?, 'queued', ?, ?, ?)",
                (appointment_id, at("10-12"), at("10-11"), outbox_id, at("10-11"), at("10-11")),
            )
    figures = await gather(store, OCTOBER, BRUSSELS)
    vdab_sms = (await gather(store, OCTOBER, BRUSSELS, scope=Scope(VDAB, "VDAB"))).sms
    assert vdab_sms and vdab_sms != figures.sms  # Dawit (OCMW's) had one too
    assert {c: (a.no_show, a.counted) for c, a in figures.by_channel.items()} == {
        Channel.TELEGRAM: (0, 1),
        Channel.SMS: (1, 1),
        Channel.NONE: (1, 1),
    }
    text = summary(figures, "nl").splitlines()
    assert "- per SMS: 1 van 1 niet gekomen (100%)" in text
    assert "- via Telegram: 0 van 1 niet gekomen (0%)" in text

    # Months later the purge removes the messages (delivery records: 90 days); the
    # reminders keep what they said and by which channel.
    clock = FakeClock(dt.datetime(2028, 3, 1, 2, 30, tzinfo=dt.UTC))
    retention = RetentionConfig(appointments="keep", handover_notes="keep", audit_log="keep")
    await purge(store, clock, retention, actor="system")
    assert not await store.fetch_value("SELECT count(*) FROM outbox WHERE channel = 'sms'")
    after = await gather(store, OCTOBER, BRUSSELS)
    assert after.by_channel == figures.by_channel
    assert after.reminders == figures.reminders
    assert after.sms == figures.sms  # kept as counts (sms_kept), with the organisation's
    vdab = Scope(VDAB, "VDAB")
    assert (await gather(store, OCTOBER, BRUSSELS, scope=vdab)).sms == vdab_sms
    # A second purge finds nothing more to count twice.
    await purge(store, clock, retention, actor="system")
    assert (await gather(store, OCTOBER, BRUSSELS)).sms == figures.sms


async def test_forget_me_leaves_the_figures_as_they_were(store: Store) -> None:
    """ "Forget me" erases the newcomer's messages; the reminder keeps what it said and by
    which channel, the SMS are kept as counts: a period's figures do not change."""
    by_sms = await appointment(store, 1, "job_coach", "10-12", VDAB, "no_show")
    reminder_row = await outbox_row(store, "reminder", created="10-11")
    await outbox_row(store, "sms_opt_in", created="10-02", segments=2)
    await outbox_row(store, "reminder", status="pending", delivery=None, created="10-11")
    async with store.transaction() as db:
        await db.execute(
            "INSERT INTO reminders (appointment_id, starts_at, offset_minutes, due_at,"
            " status, outbox_id, created_at, updated_at)"
            " VALUES (?, ?, 1440, ?, 'queued', ?, ?, ?)",
            (by_sms, at("10-12"), at("10-11"), reminder_row, at("10-11"), at("10-11")),
        )
    before = await gather(store, OCTOBER, BRUSSELS)
    assert before.by_channel == {Channel.SMS: before.attendance}
    amal = await newcomer_by_id(store, 1)
    assert amal is not None
    clock = FakeClock(dt.datetime(2027, 11, 2, 9, tzinfo=dt.UTC))
    await forget_newcomer(store, clock, amal, actor="newcomer")
    assert not await store.fetch_value("SELECT count(*) FROM outbox")
    after = await gather(store, OCTOBER, BRUSSELS)
    assert (after.sms, after.by_channel, after.reminders) == (
        before.sms,
        before.by_channel,
        before.reminders,
    )


def test_every_language_words_the_new_figures() -> None:
    figures = Figures(
        OCTOBER,
        organisation="VDAB",
        from_intake=FromIntake(3, spread([3, 8]), Spread()),
        sms={SmsKind.REMINDER: SmsCount(2, 1, 1, 3), SmsKind.OTHER: SmsCount(1, 1, 0, 1)},
    )
    for language in SUPPORTED_LANGUAGES:
        text = summary(figures, language, sms_on=True)
        assert "{" not in text and "VDAB" in text.splitlines()[0]
        assert len(figure_rows(figures, language)) > 20
