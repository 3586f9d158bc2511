"""The coordinators' figures for a period: one set of queries for the chat view, the chart
and the export, so the three always tell the same story.

What counts in a period (local days, first and last included):
- newcomers invited: added by a caseworker in the period; linked: agreed in the period;
- appointments: those that start in the period, with their reminders and answers
  (so the export's appointment rows add up to the figures);
- handovers: notes written in the period; taken over or declined in the period;
- announcements: those released in the period, with their deliveries and answers;
- first intakes in the period and the days to the next step (bot/figures/intake.py);
- SMS queued in the period (bot/figures/sms.py); an appointment's channel is the one its
  reminders reached the newcomer by (SMS if any went by SMS, none if none reached them).
With an organisation (bot/figures/scope.py), each counts what belongs to it.
Newcomers who used "forget me" still count: their language and dates stay, anonymous.
The purge of old delivery records does not change a period's figures: reminders keep
what Telegram said, announcements their counts (migration 0009).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import aiosqlite

from bot.appointments.records import Answer, Kind, Status
from bot.core.clock import from_db, to_db
from bot.core.refusals import Refused
from bot.core.worker_threads import heavy
from bot.figures.intake import NO_INTAKES, FromIntake, from_intake
from bot.figures.scope import PARTNERSHIP, Filter, Scope
from bot.figures.sms import SmsCount, SmsKind, sms_counts
from bot.storage.database import Store


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date  # included

    def bounds(self, tz: ZoneInfo) -> tuple[str, str]:
        """UTC database text for local midnight before `first` and after `last`."""
        start = dt.datetime.combine(self.first, dt.time(), tzinfo=tz)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        return to_db(start), to_db(end)

    @classmethod
    def month_of(cls, day: dt.date) -> Period:
        first = day.replace(day=1)
        next_month = (first + dt.timedelta(days=32)).replace(day=1)
        return cls(first, next_month - dt.timedelta(days=1))

    @classmethod
    def month_before(cls, day: dt.date) -> Period:
        return cls.month_of(day.replace(day=1) - dt.timedelta(days=1))


class PeriodProblem(enum.Enum):
    UNCLEAR = "unclear"
    NO_SUCH_DATE = "no_such_date"
    REVERSED = "reversed"  # the first day comes after the last


class UnclearPeriod(Refused[PeriodProblem], ValueError):
    pass


# 1-10-2026, 1/10/26, 1.10.2026, 2026-10-01; the year may be left out (this year).
_DAY = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.\-]\d{1,2}(?:[/.\-](?:\d{4}|\d{2}))?)"
_PERIOD = re.compile(rf"^\s*({_DAY})\s*(?:-|–|tot|t/m|tot en met|to|until)?\s*({_DAY})?\s*$")


def parse_period(text: str, today: dt.date) -> Period:
    """Two days typed as staff in Flanders write them (`1-10-2026 31-10-2026`), or one."""
    match = _PERIOD.match(text.casefold())
    if match is None:
        raise UnclearPeriod(PeriodProblem.UNCLEAR)
    first = parse_day(match[1], today)
    return period_between(first, parse_day(match[2], today) if match[2] else first)


_PERIOD_WORDS = frozenset({"-", "–", "tot", "t/m", "en", "met", "to", "until"})


def split_organisation(text: str) -> tuple[str, str]:
    """What was typed after /cijfers, as (the period, an organisation's name): every word
    that is a day or joins two days is the period's, the others name the organisation
    (`1-9-2026 30-9-2026 VDAB`, `VDAB`, `Stad Gent 1-9 30-9`)."""
    period: list[str] = []
    organisation: list[str] = []
    for word in text.split():
        is_period = re.fullmatch(_DAY, word) or word.casefold() in _PERIOD_WORDS
        (period if is_period else organisation).append(word)
    return " ".join(period), " ".join(organisation)


def period_between(first: dt.date, last: dt.date) -> Period:
    if first > last:
        raise UnclearPeriod(PeriodProblem.REVERSED)
    return Period(first, last)


def parse_day(text: str, today: dt.date) -> dt.date:
    """One day: 1-10-2026, 1/10/26, 1.10 (this year) or 2026-10-01."""
    text = text.strip()
    if not re.fullmatch(_DAY, text):
        raise UnclearPeriod(PeriodProblem.UNCLEAR)
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        year, month, day = (int(part) for part in text.split("-"))
    else:
        parts = [int(part) for part in re.split(r"[/.\-]", text)]
        day, month = parts[0], parts[1]
        year = today.year if len(parts) == 2 else parts[2] + (2000 if parts[2] < 100 else 0)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise UnclearPeriod(PeriodProblem.NO_SUCH_DATE) from None


# --- Appointments: one anonymous row each; every appointment figure is counted from these ---


class Channel(enum.StrEnum):
    """How an appointment's reminders reached the newcomer, for the no-show rate by channel."""

    TELEGRAM = "telegram"
    SMS = "sms"
    NONE = "none"  # no reminder reached them (not linked, stopped, none due yet)


def channel_of(sent: float, by_sms: bool) -> Channel:
    if by_sms:
        return Channel.SMS
    return Channel.TELEGRAM if sent else Channel.NONE


@dataclass(frozen=True)
class AppointmentRow:
    """An appointment without a name, a chat id or a place. The reference is there for the
    export only when the configuration allows it; the chat view never shows it."""

    id: int
    starts_at: dt.datetime  # local
    kind: Kind
    organisation: str  # of the staff member who planned it
    language: str  # the newcomer's
    interpreter_language: str
    source: str  # chat, import
    answer: Answer | None
    answer_reason: str
    status: Status
    reminders_sent: int
    reminders_failed: int
    reminders_late: int
    reminders_skipped: int
    reference: str
    channel: Channel = Channel.NONE


# What became of each reminder: sent, failed, skipped; or waiting (planned, or queued and
# not yet through) or cancelled. After a purge of old outbox rows the reminder itself
# keeps what Telegram said (reminders.delivery).
_OUTCOME = (
    "CASE WHEN r.status = 'skipped' THEN 'skipped'"
    " WHEN r.status = 'queued' AND coalesce(x.status, r.delivery) IN ('sent', 'failed', 'skipped')"
    " THEN coalesce(x.status, r.delivery)"
    " WHEN r.status = 'cancelled' THEN 'cancelled' ELSE 'waiting' END"
)


# Per appointment of the period (bounds as parameters): its reminders by outcome.
_REMINDER_COUNTS = (
    "SELECT o.appointment_id, total(o.outcome = 'sent') AS sent,"
    " total(o.outcome = 'failed') AS failed, total(o.outcome = 'skipped') AS skipped,"
    " total(o.late) AS late FROM ("
    f"  SELECT r.appointment_id, {_OUTCOME} AS outcome,"
    "   r.status = 'queued' AND r.late AS late FROM reminders r"
    "   JOIN appointments a ON a.id = r.appointment_id"
    "   LEFT JOIN outbox x ON x.id = r.outbox_id"
    "   WHERE a.starts_at >= ? AND a.starts_at < ?{mine}) o GROUP BY o.appointment_id"
)


# The appointments a reminder reached by SMS: found from the few SMS rows and the few
# reminders that kept an SMS after the purge or "forget me" (both indexed, migration
# 0018), not by reading the channel of each of a period's reminders, which made the
# figures of a city's years twice as slow.
_BY_SMS = (
    "SELECT r.appointment_id FROM outbox x INDEXED BY outbox_sms_by_time"
    " JOIN reminders r ON r.outbox_id = x.id WHERE x.channel = 'sms' AND x.status = 'sent'"
    " UNION SELECT appointment_id FROM reminders INDEXED BY reminders_by_sms"
    " WHERE delivery_channel = 'sms' AND delivery = 'sent'"
)


def _reminder_counts(start: str, end: str, scope: Scope) -> Filter:
    mine, parameters = scope.staff_in("a.created_by")
    return _REMINDER_COUNTS.format(mine=mine), (start, end, *parameters)


async def appointment_rows(
    store: Store, period: Period, tz: ZoneInfo, scope: Scope = PARTNERSHIP
) -> list[AppointmentRow]:
    """Counted in SQLite (one row per appointment, not one per reminder), read through
    `store` (the bot passes its reader: Store.reader) and made into records on a worker
    thread: a period of a city's appointments is hundreds of thousands of rows, which
    must not hold the event loop."""
    start, end = period.bounds(tz)
    counted = await store.fetch_all(*_reminder_counts(start, end, scope))
    by_sms = {row[0] for row in await store.fetch_all(_BY_SMS)}
    mine, parameters = scope.staff_in("a.created_by")
    rows = await store.fetch_all(
        "SELECT a.id, a.starts_at, a.kind, a.status, a.answer, a.answer_reason, a.source,"
        " coalesce(a.interpreter_language, '') AS interpreter, c.language, c.reference,"
        " coalesce(o.short_name, '') AS organisation"
        " FROM appointments a JOIN newcomers c ON c.id = a.newcomer_id"
        " LEFT JOIN staff s ON s.id = a.created_by"
        " LEFT JOIN organisations o ON o.id = s.organisation_id"
        f" WHERE a.starts_at >= ? AND a.starts_at < ?{mine} ORDER BY a.starts_at, a.id",
        (start, end, *parameters),
    )
    return await heavy(lambda: _records(rows, counted, by_sms, tz))


def _records(
    rows: Iterable[aiosqlite.Row],
    counted: Iterable[aiosqlite.Row],
    by_sms: set[int],
    tz: ZoneInfo,
) -> list[AppointmentRow]:
    reminders = {row["appointment_id"]: row for row in counted}
    # Appointments start at a few slots a day: each moment is read from text once.
    moments: dict[str, dt.datetime] = {}

    def moment(text: str) -> dt.datetime:
        found = moments.get(text)
        if found is None:
            found = moments[text] = from_db(text).astimezone(tz)
        return found

    result = []
    for row in rows:
        counts = reminders.get(row["id"])
        result.append(
            AppointmentRow(
                id=row["id"],
                starts_at=moment(row["starts_at"]),
                kind=Kind(row["kind"]),
                organisation=row["organisation"],
                language=row["language"],
                interpreter_language=row["interpreter"],
                source=row["source"],
                answer=Answer(row["answer"]) if row["answer"] else None,
                answer_reason=row["answer_reason"] or "",
                status=Status(row["status"]),
                reminders_sent=int(counts["sent"]) if counts else 0,
                reminders_failed=int(counts["failed"]) if counts else 0,
                reminders_late=int(counts["late"]) if counts else 0,
                reminders_skipped=int(counts["skipped"]) if counts else 0,
                reference=row["reference"],
                channel=channel_of(counts["sent"] if counts else 0, row["id"] in by_sms),
            )
        )
    return result


# --- The figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    """Outcomes of appointments that were not cancelled."""

    attended: int = 0
    no_show: int = 0
    moved: int = 0
    open: int = 0  # the caseworker did not say yet whether the newcomer came

    @property
    def counted(self) -> int:
        """Appointments whose outcome says came or did not come: the no-show rate's base."""
        return self.attended + self.no_show

    @property
    def no_show_rate(self) -> float | None:
        return self.no_show / self.counted if self.counted else None

    def plus(self, status: Status, count: int = 1) -> Attendance:
        return Attendance(
            self.attended + count * (status is Status.ATTENDED),
            self.no_show + count * (status is Status.NO_SHOW),
            self.moved + count * (status is Status.MOVED),
            self.open + count * (status is Status.PLANNED),
        )


class AnswerGroup(enum.StrEnum):
    """What the newcomer answered to the reminder, for no-shows with and without a yes."""

    CONFIRMED = "confirmed"
    DECLINED = "declined"
    NO_ANSWER = "no_answer"


def answer_group(answer: Answer | None) -> AnswerGroup:
    if answer is Answer.COMING:
        return AnswerGroup.CONFIRMED
    if answer is Answer.NOT_COMING:
        return AnswerGroup.DECLINED
    return AnswerGroup.NO_ANSWER


@dataclass(frozen=True)
class Reminders:
    sent: int = 0
    failed: int = 0
    late: int = 0  # of the sent and failed: went later than planned (the bot was down)
    skipped: int = 0


@dataclass(frozen=True)
class Handovers:
    written: int = 0
    taken_over: int = 0
    declined: int = 0
    median_to_take_over: dt.timedelta | None = None


@dataclass(frozen=True)
class Announcements:
    sent: int = 0
    recipients: int = 0  # messages released to newcomers
    reached: int = 0  # of which Telegram delivered
    coming: int = 0
    not_coming: int = 0


@dataclass(frozen=True)
class LanguageCount:
    """Newcomers of one language invited in the period, and how many of them linked."""

    language: str
    invited: int
    linked: int


@dataclass(frozen=True)
class Figures:
    period: Period
    organisation: str = ""  # one organisation's figures; "": the whole partnership
    newcomers: list[LanguageCount] = field(default_factory=list)
    appointments: int = 0
    cancelled: int = 0
    reminders: Reminders = Reminders()
    answers: dict[AnswerGroup, int] = field(default_factory=dict)
    attendance: Attendance = Attendance()
    by_kind: dict[Kind, Attendance] = field(default_factory=dict)
    by_language: dict[str, Attendance] = field(default_factory=dict)
    by_answer: dict[AnswerGroup, Attendance] = field(default_factory=dict)
    handovers: Handovers = Handovers()
    announcements: Announcements = Announcements()
    interpreters: dict[str, int] = field(default_factory=dict)
    from_intake: FromIntake = NO_INTAKES
    sms: dict[SmsKind, SmsCount] = field(default_factory=dict)
    by_channel: dict[Channel, Attendance] = field(default_factory=dict)

    @property
    def invited(self) -> int:
        return sum(count.invited for count in self.newcomers)

    @property
    def linked(self) -> int:
        return sum(count.linked for count in self.newcomers)

    @property
    def empty(self) -> bool:
        return not (
            self.invited
            or self.linked
            or self.appointments
            or self.handovers.written
            or self.handovers.taken_over
            or self.handovers.declined
            or self.announcements.sent
            or self.from_intake.intakes
            or self.sms
        )


async def gather(
    store: Store,
    period: Period,
    tz: ZoneInfo,
    rows: list[AppointmentRow] | None = None,
    scope: Scope = PARTNERSHIP,
) -> Figures:
    """All figures of the period (of one organisation, with `scope`); `rows`: the period's
    appointment rows of the same scope, if already read."""
    start, end = period.bounds(tz)
    others = _Others(
        organisation=scope.organisation,
        newcomers=await _newcomers(store, start, end, scope),
        handovers=await _handovers(store, start, end, scope),
        announcements=await _announcements(store, start, end, scope),
        from_intake=await from_intake(store, start, end, tz, scope),
        sms=await sms_counts(store, start, end, scope),
    )
    if rows is None:  # counted in SQLite
        groups = await _appointment_groups(store, start, end, scope)
        return _add_up(period, groups, others)
    # Adding up tens of thousands of rows (an export's): on a worker thread.
    given = rows
    return await heavy(lambda: _add_up(period, _groups_of(given), others))


@dataclass(frozen=True)
class _Others:
    """The figures not counted from the appointments."""

    organisation: str = ""
    newcomers: list[LanguageCount] = field(default_factory=list)
    handovers: Handovers = Handovers()
    announcements: Announcements = Announcements()
    from_intake: FromIntake = NO_INTAKES
    sms: dict[SmsKind, SmsCount] = field(default_factory=dict)


def figures_from(
    period: Period,
    rows: Iterable[AppointmentRow],
    *,
    newcomers: list[LanguageCount],
    handovers: Handovers,
    announcements: Announcements,
    from_intake: FromIntake = NO_INTAKES,
    sms: dict[SmsKind, SmsCount] | None = None,
) -> Figures:
    """Add up the appointment rows; cancelled appointments count only as cancelled."""
    others = _Others("", newcomers, handovers, announcements, from_intake, sms or {})
    return _add_up(period, _groups_of(rows), others)


def _groups_of(rows: Iterable[AppointmentRow]) -> Iterable[_Group]:
    return (
        _Group(
            row.kind,
            row.status,
            row.answer,
            row.language,
            row.interpreter_language,
            row.channel,
            1,
            Reminders(
                row.reminders_sent, row.reminders_failed, row.reminders_late, row.reminders_skipped
            ),
        )
        for row in rows
    )


@dataclass(frozen=True)
class _Group:
    """Appointments alike in all that the figures tell apart, and how many there are."""

    kind: Kind
    status: Status
    answer: Answer | None
    language: str
    interpreter_language: str
    channel: Channel
    count: int
    reminders: Reminders  # of all of them together


def _add_up(period: Period, groups: Iterable[_Group], others: _Others) -> Figures:
    appointments = cancelled = 0
    reminders = Reminders()
    answers: Counter[AnswerGroup] = Counter()
    total = Attendance()
    by_kind: dict[Kind, Attendance] = {}
    by_language: dict[str, Attendance] = {}
    by_answer: dict[AnswerGroup, Attendance] = {}
    by_channel: dict[Channel, Attendance] = {}
    interpreters: Counter[str] = Counter()
    for row in groups:
        n = row.count
        appointments += n
        reminders = Reminders(
            reminders.sent + row.reminders.sent,
            reminders.failed + row.reminders.failed,
            reminders.late + row.reminders.late,
            reminders.skipped + row.reminders.skipped,
        )
        if row.status is Status.CANCELLED:
            cancelled += n
            continue
        group = answer_group(row.answer)
        answers[group] += n
        total = total.plus(row.status, n)
        by_kind[row.kind] = by_kind.get(row.kind, Attendance()).plus(row.status, n)
        by_language[row.language] = by_language.get(row.language, Attendance()).plus(row.status, n)
        by_answer[group] = by_answer.get(group, Attendance()).plus(row.status, n)
        by_channel[row.channel] = by_channel.get(row.channel, Attendance()).plus(row.status, n)
        if row.interpreter_language:
            interpreters[row.interpreter_language] += n
    return Figures(
        period=period,
        organisation=others.organisation,
        newcomers=others.newcomers,
        appointments=appointments,
        cancelled=cancelled,
        reminders=reminders,
        answers=dict(answers),
        attendance=total,
        by_kind={kind: by_kind[kind] for kind in Kind if kind in by_kind},
        by_language=dict(sorted(by_language.items())),
        by_answer={group: by_answer[group] for group in AnswerGroup if group in by_answer},
        handovers=others.handovers,
        announcements=others.announcements,
        interpreters=dict(sorted(interpreters.items(), key=lambda item: (-item[1], item[0]))),
        from_intake=others.from_intake,
        sms=others.sms,
        by_channel={channel: by_channel[channel] for channel in Channel if channel in by_channel},
    )


async def _appointment_groups(store: Store, start: str, end: str, scope: Scope) -> list[_Group]:
    """The period's appointments counted in SQLite, one row per kind of outcome: the chat
    view of a year of a city's appointments reads a few hundred rows, not 400,000."""
    counts, count_parameters = _reminder_counts(start, end, scope)
    mine, parameters = scope.staff_in("a.created_by")
    rows = await store.fetch_all(
        "SELECT a.kind, a.status, a.answer, c.language,"
        " coalesce(a.interpreter_language, '') AS interpreter,"
        f" CASE WHEN a.id IN ({_BY_SMS}) THEN 'sms' WHEN r.sent > 0 THEN 'telegram' ELSE 'none' END"
        "  AS channel, count(*) AS n,"
        " total(r.sent) AS sent, total(r.failed) AS failed, total(r.late) AS late,"
        " total(r.skipped) AS skipped"
        " FROM appointments a JOIN newcomers c ON c.id = a.newcomer_id"
        f" LEFT JOIN ({counts}) r ON r.appointment_id = a.id"
        f" WHERE a.starts_at >= ? AND a.starts_at < ?{mine} GROUP BY 1, 2, 3, 4, 5, 6",
        (*count_parameters, start, end, *parameters),
    )
    return [
        _Group(
            Kind(row["kind"]),
            Status(row["status"]),
            Answer(row["answer"]) if row["answer"] else None,
            row["language"],
            row["interpreter"],
            Channel(row["channel"]),
            row["n"],
            Reminders(int(row["sent"]), int(row["failed"]), int(row["late"]), int(row["skipped"])),
        )
        for row in rows
    ]


async def _newcomers(store: Store, start: str, end: str, scope: Scope) -> list[LanguageCount]:
    mine, parameters = scope.staff_in("created_by")
    rows = await store.fetch_all(
        "SELECT language,"
        " total(created_at >= ? AND created_at < ?) AS invited,"
        " total(consent_at >= ? AND consent_at < ?) AS linked"
        f" FROM newcomers WHERE 1{mine}"
        " GROUP BY language ORDER BY invited DESC, linked DESC, language",
        (start, end, start, end, *parameters),
    )
    return [
        LanguageCount(row["language"], int(row["invited"]), int(row["linked"]))
        for row in rows
        if row["invited"] or row["linked"]
    ]


def _notes_of(scope: Scope) -> Filter:
    """A handover note belongs to the organisation that sent it and the one it went to."""
    if scope.organisation_id is None:
        return "", ()
    return (
        " AND (from_organisation = ? OR to_organisation = ?)",
        (scope.organisation_id, scope.organisation_id),
    )


async def _handovers(store: Store, start: str, end: str, scope: Scope) -> Handovers:
    theirs, parameters = _notes_of(scope)
    counts = await store.fetch_one(
        "SELECT total(created_at >= ? AND created_at < ?) AS written,"
        " total(status = 'taken_over' AND decided_at >= ? AND decided_at < ?) AS taken_over,"
        " total(status = 'declined' AND decided_at >= ? AND decided_at < ?) AS declined"
        f" FROM handover_notes WHERE 1{theirs}",
        (start, end, start, end, start, end, *parameters),
    )
    assert counts is not None
    waits = [
        (from_db(row["decided_at"]) - from_db(row["created_at"])).total_seconds()
        for row in await store.fetch_all(
            "SELECT created_at, decided_at FROM handover_notes"
            f" WHERE status = 'taken_over' AND decided_at >= ? AND decided_at < ?{theirs}",
            (start, end, *parameters),
        )
    ]
    return Handovers(
        written=int(counts["written"]),
        taken_over=int(counts["taken_over"]),
        declined=int(counts["declined"]),
        median_to_take_over=dt.timedelta(seconds=statistics.median(waits)) if waits else None,
    )


async def _announcements(store: Store, start: str, end: str, scope: Scope) -> Announcements:
    mine, parameters = scope.staff_in("b.author_id")
    # Counted from the deliveries; once the purge removed those, from the kept counts.
    row = await store.fetch_one(
        "SELECT count(*) AS sent,"
        " total(coalesce(b.kept_recipients, (SELECT count(*) FROM announcement_deliveries d"
        "   WHERE d.announcement_id = b.id))) AS recipients,"
        " total(coalesce(b.kept_reached, (SELECT count(*) FROM announcement_deliveries d"
        "   JOIN outbox x ON x.id = d.outbox_id"
        "   WHERE d.announcement_id = b.id AND x.status = 'sent'))) AS reached,"
        " total(coalesce(b.kept_coming, (SELECT count(*) FROM announcement_deliveries d"
        "   WHERE d.announcement_id = b.id AND d.rsvp = 'coming'))) AS coming,"
        " total(coalesce(b.kept_not_coming, (SELECT count(*) FROM announcement_deliveries d"
        "   WHERE d.announcement_id = b.id AND d.rsvp = 'not_coming'))) AS not_coming"
        f" FROM announcements b WHERE b.released_at >= ? AND b.released_at < ?{mine}",
        (start, end, *parameters),
    )
    assert row is not None
    return Announcements(
        sent=row["sent"],
        recipients=int(row["recipients"]),
        reached=int(row["reached"]),
        coming=int(row["coming"]),
        not_coming=int(row["not_coming"]),
    )
