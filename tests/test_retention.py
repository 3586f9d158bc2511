"""Retention rules on a known history: what lies just past each cutoff goes, what lies just
inside stays, and what is still needed stays however old it is.

The history is written straight into the tables, a day either side of each cutoff; the
clock is the real time, because the audit log's own guard (migration 0008) reads the
database's clock. tests/e2e/test_retention_flow.py does the same through the real
Application, with the message keys the bot really writes.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.clock import to_db
from bot.core.config import Config, ConfigError, RetentionConfig, load_config
from bot.core.periods import Period, parse_period
from bot.privacy import retention
from bot.privacy.retention import Kind, purge
from bot.storage.database import Store
from tests.conftest import FakeClock

DAY = dt.timedelta(days=1)
TWO_YEARS_AGO = Period(2, "y")
ONE_YEAR_AGO = Period(1, "y")
FIVE_YEARS_AGO = Period(5, "y")


@pytest.fixture
def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = await Store.open(tmp_path / "schakel.db")
    yield store
    await store.close()


class History:
    """Rows written as the bot would have left them, at chosen moments."""

    def __init__(self, store: Store, now: dt.datetime) -> None:
        self.store = store
        self.now = now

    async def insert(self, sql: str, params: tuple[object, ...]) -> int:
        async with self.store.transaction() as db, db.execute(sql + " RETURNING id", params) as c:
            row = await c.fetchone()
        assert row is not None
        return int(row[0])

    async def people(self) -> None:
        at = to_db(self.now - 10 * 365 * DAY)
        async with self.store.transaction() as db:
            await db.execute(
                "INSERT INTO organisations (id, short_name, name) VALUES"
                " (1, 'VDAB', 'VDAB Gent'), (2, 'OCMW', 'OCMW Gent')"
            )
            await db.execute(
                "INSERT INTO staff (id, telegram_user_id, name, role, organisation_id, created_at)"
                " VALUES (1, 101, 'Laila', 'caseworker', 1, ?), (2, 102, 'Sarah', 'caseworker',"
                " 2, ?)",
                (at, at),
            )
            await db.execute(
                "INSERT INTO newcomers (id, reference, first_name, language, chat_id, status,"
                " created_at) VALUES (1, 'K-AMAL', 'Amal', 'ar', 201, 'active', ?),"
                " (2, 'K-DAWI', 'Dawit', 'ti', 202, 'active', ?)",
                (at, at),
            )

    async def message(
        self,
        key: str,
        at: dt.datetime,
        *,
        status: str = "sent",
        ref: str | None = None,
        edits: str | None = None,
        newcomer_id: int | None = 1,
    ) -> int:
        payload: dict[str, object] = {"text": key, "buttons": []}
        if edits is not None:
            payload["edits"] = edits
        return await self.insert(
            "INSERT INTO outbox (chat_id, newcomer_id, purpose, ref, payload, due_at,"
            " idempotency_key, status, created_at, updated_at) VALUES (?, ?, 'notice', ?, ?, ?,"
            " ?, ?, ?, ?)",
            (201, newcomer_id, ref, json.dumps(payload), to_db(at), key, status, to_db(at),
             to_db(at)),
        )  # fmt: skip

    async def appointment(self, starts: dt.datetime, status: str = "attended") -> int:
        return await self.insert(
            "INSERT INTO appointments (newcomer_id, kind, starts_at, place, with_whom, created_by,"
            " status, created_at, updated_at) VALUES (1, 'duo_intake', ?, 'Kongostraat 7',"
            " 'Laila', 1, ?, ?, ?)",
            (to_db(starts), status, to_db(starts - 9 * DAY), to_db(starts)),
        )

    async def reminder(
        self, appointment: int, starts: dt.datetime, days: int, outbox_id: int | None
    ) -> int:
        due = starts - days * DAY
        return await self.insert(
            "INSERT INTO reminders (appointment_id, starts_at, offset_minutes, due_at, status,"
            " outbox_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (appointment, to_db(starts), days * 1440, to_db(due),
             "planned" if outbox_id is None else "queued", outbox_id, to_db(due), to_db(due)),
        )  # fmt: skip

    async def reminded_appointment(self, starts: dt.datetime) -> tuple[int, list[str]]:
        """Reminded three days and one day before, told when it was made, answered, asked
        who came: as the bot leaves an appointment. Returns its id and its message keys."""
        appointment = await self.appointment(starts)
        keys = [f"appointment:{appointment}:new"]
        await self.message(keys[0], starts - 9 * DAY, ref=f"appointment:{appointment}")
        for days in (3, 1):
            key = f"reminder:{appointment}:{to_db(starts)}:{days * 1440}"
            row = await self.message(key, starts - days * DAY, ref=f"appointment:{appointment}")
            await self.reminder(appointment, starts, days, row)
            keys.append(key)
        keys.append(f"answer:{appointment}:coming:{to_db(starts - DAY)}")
        await self.message(keys[-1], starts - DAY, newcomer_id=None)
        keys.append(f"attendance:{appointment}:{to_db(starts)}")
        await self.message(keys[-1], starts + 2 * dt.timedelta(hours=1), newcomer_id=None,
                           ref=f"appointment:{appointment}")  # fmt: skip
        return appointment, keys

    async def note(
        self, reference: str, created: dt.datetime, status: str, decided: dt.datetime | None
    ) -> int:
        async with self.store.transaction() as db:
            await db.execute(
                "INSERT INTO handover_consents (newcomer_id, organisation_id, purpose, agreed_on,"
                " recorded_by, recorded_at) VALUES (1, 2, 'handover', ?, 1, ?)",
                (created.date().isoformat(), to_db(created)),
            )
        return await self.insert(
            "INSERT INTO handover_notes (newcomer_id, author_id, from_organisation,"
            " to_organisation,"
            " reason, body, consent_at, status, decided_by, decided_at, created_at, reference)"
            " VALUES (1, 1, 1, 2, 'handover', '{}', ?, ?, ?, ?, ?, ?)",
            (to_db(created), status, 2 if decided else None,
             to_db(decided) if decided else None, to_db(created), reference),
        )  # fmt: skip

    async def decided_note(self, reference: str, decided: dt.datetime) -> tuple[int, list[str]]:
        """Posted a week before, taken over: the card, its edit, the notices."""
        created = decided - 7 * DAY
        note = await self.note(reference, created, "taken_over", decided)
        ref = f"note:{reference}"
        keys = [f"handover-card:{note}", f"handover-card:{note}:taken_over",
                f"handover-decided:{note}", f"handover-contact:{note}"]  # fmt: skip
        await self.message(keys[0], created, ref=ref, newcomer_id=None)
        await self.message(keys[1], decided, ref=ref, edits=keys[0], newcomer_id=None)
        await self.message(keys[2], decided, ref=ref)
        await self.message(keys[3], decided)
        return note, keys

    async def announcement(
        self, status: str, session: dt.datetime, finished: dt.datetime | None
    ) -> tuple[int, list[str]]:
        """Released and sent to Amal and Dawit (who answered): deliveries, their rows,
        the progress message and the report. Returns its id and its message keys."""
        sent = finished or session - 10 * DAY
        announcement = await self.insert(
            "INSERT INTO announcements (author_id, title, starts_at, audience, texts, send_at,"
            " status, created_at, finished_at) VALUES (1, 'Werken in Vlaanderen', ?, '{}', '{}',"
            " ?, ?, ?, ?)",
            (to_db(session), to_db(sent), status, to_db(sent),
             to_db(finished) if finished else None),
        )  # fmt: skip
        ref = f"announcement:{announcement}"
        keys = []
        for newcomer in (1, 2):
            key = f"announcement:{announcement}:newcomer:{newcomer}"
            row = await self.message(key, sent, ref=ref, newcomer_id=newcomer)
            keys.append(key)
            async with self.store.transaction() as db:
                await db.execute(
                    "INSERT INTO announcement_deliveries"
                    " (announcement_id, newcomer_id, outbox_id, rsvp,"
                    " rsvp_at) VALUES (?, ?, ?, 'coming', ?)",
                    (announcement, newcomer, row, to_db(sent)),
                )
        for key in (f"announcement:{announcement}:progress", f"announcement:{announcement}:report"):
            await self.message(key, sent, ref=ref, newcomer_id=None)
            keys.append(key)
        return announcement, keys

    async def audit(self, at: dt.datetime, action: str) -> None:
        async with self.store.transaction() as db:
            await db.execute(
                "INSERT INTO audit_log (at, actor, action) VALUES (?, 'staff:1', ?)",
                (to_db(at), action),
            )


async def keys_left(store: Store) -> set[str]:
    return {row[0] for row in await store.fetch_all("SELECT idempotency_key FROM outbox")}


async def ids(store: Store, table: str) -> set[int]:
    return {row[0] for row in await store.fetch_all(f"SELECT id FROM {table}")}


async def everything(store: Store) -> dict[str, list[tuple[object, ...]]]:
    tables = ("appointments", "reminders", "handover_notes", "handover_consents", "outbox",
              "announcements", "announcement_deliveries", "audit_log")  # fmt: skip
    return {
        table: [tuple(row) for row in await store.fetch_all(f"SELECT * FROM {table}")]
        for table in tables
    }


# --- the periods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "period"),
    [("90d", Period(90, "d")), (" 2y ", Period(2, "y")), ("1Y".lower(), Period(1, "y")),
     ("keep", None), ("KEEP", None)],
)  # fmt: skip
def test_periods_are_read(text: str, period: Period | None) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["", "0d", "2 years", "-5d", "1.5y", "3m", "forever"])
def test_other_periods_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a retention like 90d, 2y or keep"):
        parse_period(text)


def test_a_year_is_a_calendar_year() -> None:
    assert Period(2, "y").cutoff(dt.datetime(2026, 11, 22, 3, 30, tzinfo=dt.UTC)) == dt.datetime(
        2024, 11, 22, 3, 30, tzinfo=dt.UTC
    )
    leap_day = dt.datetime(2028, 2, 29, 12, tzinfo=dt.UTC)
    assert Period(1, "y").cutoff(leap_day) == dt.datetime(2027, 2, 28, 12, tzinfo=dt.UTC)
    assert Period(90, "d").cutoff(leap_day) == leap_day - 90 * DAY


# --- the configuration -------------------------------------------------------------------


def test_defaults() -> None:
    config = Config().retention
    assert [config.period(kind.value) for kind in Kind] == [
        TWO_YEARS_AGO, ONE_YEAR_AGO, Period(90, "d"), Period(30, "d"), Period(30, "d"),
        Period(180, "d"), FIVE_YEARS_AGO,
    ]  # fmt: skip
    assert config.purge_at == dt.time(3, 30)


def test_the_example_configuration_says_the_defaults() -> None:
    example = load_config(Path(__file__).resolve().parents[1] / "config.example.toml", {})
    assert example.retention == RetentionConfig()


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"SCHAKEL_RETENTION__APPOINTMENTS": "2 years"},
         "retention.appointments: '2 years' is not a retention like 90d, 2y or keep"),
        ({"SCHAKEL_RETENTION__AUDIT_LOG": "300d"},
         "retention.audit_log: '300d' is shorter than the minimum of 365 days (the database"
         " never deletes younger audit entries)"),
        ({"SCHAKEL_RETENTION__DELIVERY_RECORDS": "6d"},
         "retention.delivery_records: '6d' is shorter than the minimum of 7 days"),
        ({"SCHAKEL_RETENTION__HANDOVER_NOTES": "29d"},
         "retention.handover_notes: '29d' is shorter than the minimum of 30 days"),
        ({"SCHAKEL_RETENTION__NEVER_JOINED": "29d"},
         "retention.never_joined: '29d' is shorter than the minimum of 30 days"),
        ({"SCHAKEL_RETENTION__DRAFTS": "0d"},
         "retention.drafts: '0d' is not a retention like 90d, 2y or keep"),
        ({"SCHAKEL_RETENTION__PURGE_AT": "25:00"}, "retention.purge_at"),
        ({"SCHAKEL_RETENTION__KEEP_ALL": "true"}, "retention.keep_all is not a known setting"),
    ],
)  # fmt: skip
def test_wrong_retentions_are_refused_in_one_line(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(None, environ)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_keep_and_the_shortest_allowed_are_accepted() -> None:
    config = load_config(None, {
        "SCHAKEL_RETENTION__AUDIT_LOG": "365d", "SCHAKEL_RETENTION__DELIVERY_RECORDS": "keep",
        "SCHAKEL_RETENTION__APPOINTMENTS": "30d", "SCHAKEL_RETENTION__PURGE_AT": "04:15:00",
    }).retention  # fmt: skip
    assert config.period("audit_log") == Period(365, "d")
    assert config.period("delivery_records") is None
    assert config.purge_at == dt.time(4, 15)


# --- the rules on a known history ----------------------------------------------------------


async def test_what_is_past_its_retention_goes_and_what_is_inside_or_needed_stays(
    store: Store, now: dt.datetime
) -> None:
    history = History(store, now)
    await history.people()

    # Appointments: two years after the start (a day either side), one stuck, one ahead.
    _, gone_keys = await history.reminded_appointment(TWO_YEARS_AGO.cutoff(now) - DAY)
    kept_appointment, kept_keys = await history.reminded_appointment(
        TWO_YEARS_AGO.cutoff(now) + DAY
    )
    stuck_starts = TWO_YEARS_AGO.cutoff(now) - 30 * DAY
    stuck_appointment = await history.appointment(stuck_starts)
    stuck_key = f"appointment:{stuck_appointment}:changed:{to_db(stuck_starts)}"
    await history.message(stuck_key, stuck_starts - DAY, status="pending")
    future_starts = now + 5 * DAY
    future_appointment = await history.appointment(future_starts, status="planned")
    future_new = f"appointment:{future_appointment}:new"
    await history.message(future_new, now - dt.timedelta(hours=1))
    for days in (3, 1):
        await history.reminder(future_appointment, future_starts, days, None)

    # Handover notes: one year after the decision; an open one never, however old.
    _, gone_note_keys = await history.decided_note("H-GONE", ONE_YEAR_AGO.cutoff(now) - DAY)
    kept_note, kept_note_keys = await history.decided_note("H-KEPT", ONE_YEAR_AGO.cutoff(now) + DAY)
    open_note = await history.note("H-OPEN", now - 3 * 365 * DAY, "posted", None)
    open_card = f"handover-card:{open_note}"
    await history.message(open_card, now - 3 * 365 * DAY, ref="note:H-OPEN", newcomer_id=None)
    # Decided ten days ago; the card (100 days old) waits to be edited by a pending edit.
    waiting_note, _ = await history.decided_note("H-WAIT", now - 10 * DAY)
    waiting_card = f"handover-card:{waiting_note}"
    async with store.transaction() as db:
        await db.execute(
            "UPDATE outbox SET updated_at = ? WHERE idempotency_key = ?",
            (to_db(now - 100 * DAY), waiting_card),
        )
        await db.execute(
            "UPDATE outbox SET status = 'pending' WHERE idempotency_key = ?",
            (f"{waiting_card}:taken_over",),
        )

    # Delivery records: ninety days after the session or the last change.
    cutoff_90 = now - 90 * DAY
    old_show, old_show_keys = await history.announcement(
        "done", cutoff_90 - DAY, cutoff_90 - 9 * DAY
    )
    # Sent 95 days ago for a session 89 days ago: its deliveries and answers stay.
    recent_show, recent_show_keys = await history.announcement(
        "done", cutoff_90 + DAY, cutoff_90 - 5 * DAY
    )
    going_show, going_show_keys = await history.announcement("sending", cutoff_90 - DAY, None)
    replies = {
        "update:1:0": ("sent", cutoff_90 - DAY),
        "update:2:0": ("sent", cutoff_90 + DAY),
        "update:3:0": ("failed", cutoff_90 - DAY),
        "update:4:0": ("skipped", cutoff_90 - DAY),
        "update:5:0": ("pending", cutoff_90 - 100 * DAY),  # due long ago, not sent yet
        "update:6:0": ("sending", cutoff_90 - 100 * DAY),  # in flight
    }
    for key, (status, at) in replies.items():
        await history.message(key, at, status=status)

    # Audit log: five years.
    await history.audit(FIVE_YEARS_AGO.cutoff(now) - DAY, "old.look")
    await history.audit(FIVE_YEARS_AGO.cutoff(now) + DAY, "kept.look")

    before = await everything(store)
    clock = FakeClock(now)
    dry = await purge(store, clock, RetentionConfig(), actor="cli", dry_run=True)
    assert await everything(store) == before  # a dry run changes nothing, not even the log
    real = await purge(store, clock, RetentionConfig(), actor="cli")
    assert dry.removed == real.removed and dry.dry_run and not real.dry_run

    # Appointments: the old one with its reminders and every message about it.
    assert real.of(Kind.APPOINTMENTS).counts == {"appointments": 1, "reminders": 2, "messages": 5}
    assert await ids(store, "appointments") == {
        kept_appointment,
        stuck_appointment,
        future_appointment,
    }
    reminders = await store.fetch_all("SELECT appointment_id, status, outbox_id FROM reminders")
    assert sorted((row[0], row[1], row[2]) for row in reminders) == [
        # The kept appointment's reminders stay, queued; their messages went as delivery
        # records (older than ninety days), so they point at nothing any more.
        (kept_appointment, "queued", None), (kept_appointment, "queued", None),
        (future_appointment, "planned", None), (future_appointment, "planned", None),
    ]  # fmt: skip

    # Handover notes: the old decided one, its consent and its messages.
    assert real.of(Kind.HANDOVER_NOTES).counts == {"notes": 1, "consents": 1, "messages": 4}
    assert await ids(store, "handover_notes") == {kept_note, open_note, waiting_note}
    consents = await store.fetch_all("SELECT recorded_at FROM handover_consents")
    assert len(consents) == 3  # the kept, the open and the waiting note's

    # Delivery records: the old announcement's deliveries and rows; other settled rows.
    left = await keys_left(store)
    assert left == {
        stuck_key,  # pending: its appointment stayed too
        future_new,  # an hour old
        open_card,  # the card of an open note, three years old
        waiting_card, f"{waiting_card}:taken_over",  # a pending edit needs the card
        "handover-decided:" + str(waiting_note), "handover-contact:" + str(waiting_note),
        *recent_show_keys[:2],  # deliveries of a session 89 days ago (the rows, 95 days old)
        *going_show_keys,  # an announcement still going
        "update:2:0", "update:5:0", "update:6:0",
    }  # fmt: skip
    assert not set(gone_keys + gone_note_keys + old_show_keys) & left
    assert not set(kept_keys + kept_note_keys) & left  # older than ninety days
    deliveries = await store.fetch_all("SELECT announcement_id, rsvp FROM announcement_deliveries")
    assert sorted(tuple(row) for row in deliveries) == [
        (recent_show, "coming"), (recent_show, "coming"),
        (going_show, "coming"), (going_show, "coming"),
    ]  # fmt: skip
    assert await ids(store, "announcements") == {old_show, recent_show, going_show}  # with counts
    settled = {"update:1:0", "update:3:0", "update:4:0"}
    old_elsewhere = set(kept_keys + kept_note_keys + old_show_keys[2:] + recent_show_keys[2:])
    assert real.of(Kind.DELIVERY_RECORDS).counts == {
        "messages": 2 + len(settled | old_elsewhere), "deliveries": 2,
    }  # fmt: skip

    # Audit log: the old entry; each kind's purge is written down.
    assert real.of(Kind.AUDIT_LOG).counts == {"entries": 1}
    actions = [row[0] for row in await store.fetch_all("SELECT action FROM audit_log")]
    assert "old.look" not in actions and "kept.look" in actions
    purges = await store.fetch_all(
        "SELECT actor, subject, detail FROM audit_log WHERE action = 'retention.purge' ORDER BY id"
    )
    assert [(row[0], row[1]) for row in purges] == [("cli", f"retention:{kind}") for kind in Kind]
    assert purges[0][2] == (
        f"older than {to_db(TWO_YEARS_AGO.cutoff(now))}: appointments=1 reminders=2 messages=5"
    )

    # Nothing left to remove: a second purge removes nothing.
    again = await purge(store, clock, RetentionConfig(), actor="system")
    assert [removed.total for removed in again.removed] == [0] * len(Kind)
    assert await store.fetch_one("PRAGMA foreign_key_check") is None


async def test_keep_keeps_that_kind_but_an_appointments_messages_go_with_it(
    store: Store, now: dt.datetime
) -> None:
    history = History(store, now)
    await history.people()
    await history.reminded_appointment(TWO_YEARS_AGO.cutoff(now) - DAY)
    await history.message("update:1:0", now - 10 * 365 * DAY)
    await history.audit(now - 20 * 365 * DAY, "ancient.look")
    keep = RetentionConfig(delivery_records="keep", audit_log="keep", handover_notes="keep")
    report = await purge(store, FakeClock(now), keep, actor="cli")
    assert report.of(Kind.APPOINTMENTS).counts == {"appointments": 1, "reminders": 2, "messages": 5}
    assert await keys_left(store) == {"update:1:0"}
    assert await store.fetch_int("SELECT count(*) FROM audit_log WHERE action = 'ancient.look'")
    assert report.lines()[1:3] + report.lines()[-1:] == [
        "handover notes: kept (retention: keep)",
        "delivery records: kept (retention: keep)",
        "audit log: kept (retention: keep)",
    ]
    assert report.lines()[0].startswith("appointments (kept 2 years, older than ")
    assert report.lines()[0].endswith(": removed 1 appointment, 2 reminders, 5 messages")


async def test_the_report_says_what_a_dry_run_would_remove(store: Store, now: dt.datetime) -> None:
    history = History(store, now)
    await history.people()
    await history.message("update:1:0", now - 91 * DAY)
    report = await purge(store, FakeClock(now), RetentionConfig(), actor="cli", dry_run=True)
    cutoff = (now - 90 * DAY).strftime("%Y-%m-%d %H:%M")
    assert report.lines()[2] == (
        f"delivery records (kept 90 days, older than {cutoff} UTC):"
        " would remove 1 message, 0 announcement deliveries"
    )
    assert await keys_left(store) == {"update:1:0"}


# --- the audit log: append-only but for the purge ---------------------------------------


async def test_the_audit_log_still_refuses_ordinary_deletes_and_updates(
    store: Store, now: dt.datetime
) -> None:
    history = History(store, now)
    await history.audit(now - 20 * 365 * DAY, "ancient.look")
    await history.audit(now, "recent.look")
    for sql in (
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE action = 'ancient.look'",  # even twenty years old
        "UPDATE audit_log SET actor = 'someone else'",
        "UPDATE audit_log SET at = '2000-01-01T00:00:00.000000Z' WHERE action = 'recent.look'",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="audit_log is append-only"):
            async with store.transaction() as db:
                await db.execute(sql)
    assert await store.fetch_int("SELECT count(*) FROM audit_log") == 2


async def test_the_door_opens_only_for_entries_older_than_a_year(
    store: Store, now: dt.datetime
) -> None:
    history = History(store, now)
    await history.audit(now - 400 * DAY, "old.look")
    await history.audit(now - 300 * DAY, "younger.look")
    # Nobody can move the moment to within a year, nor remove or add its row.
    for sql, params in (
        ("UPDATE audit_retention SET before = ?", (to_db(now - 300 * DAY),)),
        ("UPDATE audit_retention SET before = ?", (to_db(now + 10 * 365 * DAY),)),
        ("DELETE FROM audit_retention", ()),
        ("INSERT INTO audit_retention (id, before) VALUES (2, '')", ()),
    ):
        with pytest.raises(sqlite3.IntegrityError):
            async with store.transaction() as db:
                await db.execute(sql, params)
    # Set to more than a year ago, it lets only older entries go.
    async with store.transaction() as db:
        await db.execute("UPDATE audit_retention SET before = ?", (to_db(now - 366 * DAY),))
        await db.execute("DELETE FROM audit_log WHERE action = 'old.look'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            await db.execute("DELETE FROM audit_log WHERE action = 'younger.look'")
        await db.execute("UPDATE audit_retention SET before = ''")
    assert [row[0] for row in await store.fetch_all("SELECT action FROM audit_log")] == [
        "younger.look"
    ]
    assert await store.fetch_value("SELECT before FROM audit_retention") == ""


@pytest.mark.parametrize("dry_run", [True, False])
async def test_a_purge_with_a_clock_ahead_of_the_databases_cannot_empty_the_audit_log(
    store: Store, now: dt.datetime, dry_run: bool
) -> None:
    """The application's clock says two years later; the database's own clock wins. The
    audit log's part fails and says why; the other kinds still go."""
    history = History(store, now)
    await history.people()
    await history.audit(now - 100 * DAY, "recent.look")
    await history.message("update:1:0", now - 100 * DAY)
    ahead = FakeClock(now + 2 * 365 * DAY)
    report = await purge(store, ahead, RetentionConfig(audit_log="1y"), actor="cli",
                         dry_run=dry_run)  # fmt: skip
    assert [removed.kind for removed in report.failed] == [Kind.AUDIT_LOG]
    assert report.lines()[-1].endswith(
        ": FAILED, audit_log entries younger than 365 days are never deleted"
    )
    assert report.of(Kind.DELIVERY_RECORDS).counts == {"messages": 1, "deliveries": 0}
    assert await keys_left(store) == (set() if not dry_run else {"update:1:0"})
    assert await store.fetch_int("SELECT count(*) FROM audit_log WHERE action = 'recent.look'")
    assert await store.fetch_value("SELECT before FROM audit_retention") == ""
    purges = await store.fetch_all(
        "SELECT subject FROM audit_log WHERE action = 'retention.purge' ORDER BY id"
    )
    expected = [] if dry_run else [f"retention:{kind}" for kind in list(Kind)[:-1]]
    assert [row[0] for row in purges] == expected


def test_every_kind_has_a_rule_and_a_name() -> None:
    assert set(retention.RULES) == set(Kind) == set(retention.KIND_NAMES)
    assert {kind.value for kind in Kind} <= set(RetentionConfig.model_fields)
