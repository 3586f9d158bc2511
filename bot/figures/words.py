"""The figures in words: the coordinator's short text, and the labelled rows the export
and the chart share. Everything is rendered in the reader's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from babel.dates import format_date, format_timedelta
from babel.numbers import format_decimal, format_percent

from bot.appointments.words import KIND_NAMES
from bot.core.callbacks import FIGURES, FIGURES_EXCEL, FIGURES_PICK, NO_ROW
from bot.figures.intake import FromIntake, Spread
from bot.figures.overview import Overview
from bot.figures.queries import AnswerGroup, Attendance, Channel, Figures, Period
from bot.figures.sms import SmsCount, SmsKind, total
from messages import Line, language_names, line, render, texts
from messages.languages import babel_locale

ANSWER_GROUP_NAMES: dict[AnswerGroup, str] = texts.for_members(AnswerGroup, "FIGURES_")
CHANNEL_NAMES: dict[Channel, str] = texts.for_members(Channel, "FIGURES_CHANNEL_")
SMS_KIND_NAMES: dict[SmsKind, str] = texts.for_members(SmsKind, "FIGURES_SMS_")
# The steps after a first intake, as the figures name them.
STEPS = (texts.FIGURES_TO_PARTNER, texts.FIGURES_TO_HANDOVER)
# Figures button data: v1:fig:<first>:<last> (days as 20261001), v1:fig:other, and
# v1:fig:x:<first>:<last> for the Excel file.
OTHER_PERIOD_DATA = FIGURES.data("other")


def day_text(day: dt.date, language: str, *, short: bool = False) -> str:
    return format_date(day, "d MMM y" if short else "d MMMM y", locale=babel_locale(language))


def month_text(period: Period, language: str) -> str:
    return format_date(period.first, "LLLL y", locale=babel_locale(language))


def share(part: int, whole: int, language: str) -> str:
    if not whole:
        return render(language, texts.FIGURES_NO_SHARE)
    return format_percent(part / whole, locale=babel_locale(language))


def language_name(code: str, reader: str) -> str:
    return language_names([code])(reader)


def period_data(period: Period, *, excel: bool = False, organisation_id: int | None = None) -> str:
    kind = FIGURES_EXCEL if excel else FIGURES
    days = (f"{period.first:%Y%m%d}", f"{period.last:%Y%m%d}")
    return kind.data(*days) if organisation_id is None else kind.data(*days, organisation_id)


def pick_data(period: Period) -> str:
    """The button that asks which organisation's figures of this period."""
    return FIGURES_PICK.data(f"{period.first:%Y%m%d}", f"{period.last:%Y%m%d}")


@dataclass(frozen=True)
class FiguresPress:
    """What a figures button asks for: the period's figures (of one organisation), their
    Excel file, or the choice of an organisation."""

    period: Period
    organisation_id: int | None = None
    excel: bool = False
    pick: bool = False


def figures_press(data: str) -> FiguresPress | None:
    """What a figures button names; None for anything else (forged, garbled)."""
    excel, pick = FIGURES_EXCEL.parse(data), FIGURES_PICK.parse(data)
    pressed = excel or pick or FIGURES.parse(data)
    if pressed is None:
        return None
    try:
        period = Period(
            dt.datetime.strptime(pressed["first"], "%Y%m%d").date(),
            dt.datetime.strptime(pressed["last"], "%Y%m%d").date(),
        )
    except ValueError:
        return None
    if period.first > period.last:
        return None
    organisation = pressed.values.get("organisation", "")
    organisation_id = pressed.row("organisation") if organisation else None
    if organisation_id == NO_ROW:
        return None
    return FiguresPress(period, organisation_id, excel is not None, pick is not None)


def period_from_data(data: str) -> Period | None:
    """The period a figures button names; None for anything else (forged, garbled)."""
    press = figures_press(data)
    return None if press is None else press.period


def _counts(language: str, *pairs: tuple[int, str]) -> str:
    return ", ".join(
        render(language, texts.FIGURES_COUNT, count=count, what=render(language, what))
        for count, what in pairs
    )


def _line(language: str, heading: str, counts: str) -> str:
    return render(language, texts.FIGURES_LINE, heading=render(language, heading), counts=counts)


def _counts_line(language: str, heading: str, *pairs: tuple[int, str]) -> str:
    """A heading and its counts: "Reminders: 12 sent, 1 failed"."""
    return _line(language, heading, _counts(language, *pairs))


def _no_show_lines(language: str, heading: str, groups: dict[str, Attendance]) -> list[str]:
    if not any(attendance.counted for attendance in groups.values()):
        return []
    lines = [render(language, heading) + ":"]
    for group, attendance in groups.items():
        if attendance.counted:
            lines.append(
                render(
                    language,
                    texts.FIGURES_NO_SHOW_LINE,
                    group=group,
                    no_show=attendance.no_show,
                    counted=attendance.counted,
                    share=share(attendance.no_show, attendance.counted, language),
                )
            )
    return lines


def title(figures: Figures, language: str) -> str:
    """The figures' first line: the period, and the organisation if only its figures."""
    period = figures.period
    first, last = day_text(period.first, language), day_text(period.last, language)
    if figures.organisation:
        return render(
            language,
            texts.FIGURES_TITLE_ORGANISATION,
            organisation=figures.organisation,
            first=first,
            last=last,
        )
    return render(language, texts.FIGURES_TITLE, first=first, last=last)


def summary(figures: Figures, language: str, *, sms_on: bool = False) -> str:
    """The short text a coordinator reads above the chart; SMS only when SMS is on or some
    went in the period."""
    lines = [title(figures, language)]
    if figures.empty:
        return "\n".join([*lines, render(language, texts.FIGURES_NOTHING)])
    invited_linked = (
        (figures.invited, texts.FIGURES_INVITED),
        (figures.linked, texts.FIGURES_LINKED),
    )
    lines.append(_counts_line(language, texts.FIGURES_NEWCOMERS, *invited_linked))
    lines += [
        render(
            language,
            texts.FIGURES_GROUP_LINE,
            group=language_name(count.language, language),
            counts=_counts(
                language,
                (count.invited, texts.FIGURES_INVITED),
                (count.linked, texts.FIGURES_LINKED),
            ),
        )
        for count in figures.newcomers
    ]
    if figures.appointments:
        lines += _appointment_lines(figures, language)
    if sms_on or figures.sms:
        lines += _sms_lines(figures, language)
    if figures.from_intake.intakes:
        lines += _intake_lines(figures.from_intake, language)
    handovers = figures.handovers
    lines.append(
        _counts_line(
            language,
            texts.FIGURES_HANDOVERS,
            (handovers.written, texts.FIGURES_WRITTEN),
            (handovers.taken_over, texts.HANDOVER_STATUS_TAKEN),
            (handovers.declined, texts.HANDOVER_STATUS_DECLINED),
        )
    )
    if handovers.median_to_take_over is not None:
        lines.append(
            render(
                language,
                texts.FIGURES_HANDOVER_MEDIAN,
                duration=duration_text(handovers.median_to_take_over, language),
            )
        )
    announcements = figures.announcements
    if announcements.sent:
        reached = render(
            language,
            texts.FIGURES_COUNT_SHARE,
            count=announcements.reached,
            what=render(language, texts.FIGURES_REACHED),
            share=share(announcements.reached, announcements.recipients, language),
        )
        lines.append(
            _line(
                language,
                texts.FIGURES_ANNOUNCEMENTS,
                ", ".join(
                    [
                        _counts(language, (announcements.sent, texts.FIGURES_SENT)),
                        reached,
                        _counts(
                            language,
                            (announcements.coming, texts.FIGURES_COMING),
                            (announcements.not_coming, texts.FIGURES_NOT_COMING),
                        ),
                    ]
                ),
            )
        )
    return "\n".join(lines)


def _appointment_lines(figures: Figures, language: str) -> list[str]:
    reminders, attendance = figures.reminders, figures.attendance
    lines = [
        _counts_line(
            language,
            texts.FIGURES_APPOINTMENTS,
            (figures.appointments, texts.FIGURES_TOTAL),
            (figures.cancelled, texts.STATUS_CANCELLED),
        ),
        _counts_line(
            language,
            texts.FIGURES_REMINDERS,
            (reminders.sent, texts.FIGURES_SENT),
            (reminders.failed, texts.FIGURES_FAILED),
            (reminders.late, texts.FIGURES_LATE),
            (reminders.skipped, texts.FIGURES_SKIPPED),
        ),
        _counts_line(
            language,
            texts.FIGURES_ANSWERS,
            *((figures.answers.get(group, 0), name) for group, name in ANSWER_GROUP_NAMES.items()),
        ),
        _line(language, texts.FIGURES_ATTENDANCE, attendance_counts(attendance, language)),
    ]
    lines += _no_show_lines(
        language,
        texts.FIGURES_BY_KIND,
        {render(language, KIND_NAMES[kind]): value for kind, value in figures.by_kind.items()},
    )
    lines += _no_show_lines(
        language,
        texts.FIGURES_BY_LANGUAGE,
        {language_name(code, language): value for code, value in figures.by_language.items()},
    )
    lines += _no_show_lines(
        language,
        texts.FIGURES_BY_ANSWER,
        {
            render(language, ANSWER_GROUP_NAMES[group]): value
            for group, value in figures.by_answer.items()
        },
    )
    if figures.interpreters:
        lines.append(
            _line(
                language,
                texts.FIGURES_INTERPRETERS,
                ", ".join(
                    render(
                        language,
                        texts.FIGURES_COUNT,
                        count=count,
                        what=language_name(code, language),
                    )
                    for code, count in figures.interpreters.items()
                ),
            )
        )
    return lines


def _sms_lines(figures: Figures, language: str) -> list[str]:
    """SMS per kind of message, then the no-show rate per channel."""

    def counts(count: SmsCount) -> str:
        return _counts(
            language,
            (count.sent, texts.FIGURES_SENT),
            (count.delivered, texts.FIGURES_DELIVERED),
            (count.failed, texts.FIGURES_FAILED),
            (count.segments, texts.FIGURES_SEGMENTS),
        )

    lines = [_line(language, texts.FIGURES_SMS, counts(total(figures.sms)))]
    lines += [
        render(
            language,
            texts.FIGURES_GROUP_LINE,
            group=render(language, SMS_KIND_NAMES[kind]),
            counts=counts(count),
        )
        for kind, count in figures.sms.items()
    ]
    return lines + _no_show_lines(
        language,
        texts.FIGURES_BY_CHANNEL,
        {render(language, CHANNEL_NAMES[c]): value for c, value in figures.by_channel.items()},
    )


def days_text(days: float, language: str) -> str:
    """12, 12,5 or 41,8: days to one decimal, in the reader's digits and decimal sign."""
    return format_decimal(round(days, 1), locale=babel_locale(language))


def _intake_lines(from_intake: FromIntake, language: str) -> list[str]:
    lines = [render(language, texts.FIGURES_FROM_INTAKE, count=from_intake.intakes)]
    for step, days in zip(STEPS, (from_intake.to_partner, from_intake.to_handover), strict=True):
        what = render(language, step)
        if days.median is None or days.p25 is None or days.p75 is None:
            lines.append(render(language, texts.FIGURES_DAYS_NONE, what=what))
            continue
        lines.append(
            render(
                language,
                texts.FIGURES_DAYS_LINE,
                what=what,
                count=days.count,
                median=days_text(days.median, language),
                p25=days_text(days.p25, language),
                p75=days_text(days.p75, language),
                waiting=from_intake.intakes - days.count,
            )
        )
    return lines


def attendance_counts(attendance: Attendance, language: str) -> str:
    no_show = render(
        language,
        texts.FIGURES_COUNT_SHARE,
        count=attendance.no_show,
        what=render(language, texts.STATUS_NO_SHOW),
        share=share(attendance.no_show, attendance.counted, language),
    )
    return ", ".join(
        [
            _counts(language, (attendance.attended, texts.STATUS_ATTENDED)),
            no_show,
            _counts(
                language,
                (attendance.moved, texts.STATUS_MOVED),
                (attendance.open, texts.FIGURES_OPEN),
            ),
        ]
    )


def duration_text(duration: dt.timedelta, language: str) -> str:
    return format_timedelta(duration, threshold=1.5, locale=babel_locale(language))


def chart_caption(period: Period, language: str, *, short: bool = False) -> str:
    return render(
        language,
        texts.FIGURES_CHART_CAPTION,
        first=day_text(period.first, language, short=short),
        last=day_text(period.last, language, short=short),
    )


# --- The figures as labelled rows: the export's first sheet ---------------------------------

FigureRow = tuple[str, str, str, float]  # section, what, group ('' for all), value


def figure_rows(figures: Figures, language: str) -> list[FigureRow]:
    def say(text: str) -> str:
        return render(language, text)

    rows: list[FigureRow] = []

    def add(section: str, what: str, value: float, group: str = "") -> None:
        rows.append((say(section), say(what), group, value))

    for count in figures.newcomers:
        name = language_name(count.language, language)
        add(texts.FIGURES_NEWCOMERS, texts.FIGURES_INVITED, count.invited, name)
        add(texts.FIGURES_NEWCOMERS, texts.FIGURES_LINKED, count.linked, name)
    add(texts.FIGURES_NEWCOMERS, texts.FIGURES_INVITED, figures.invited)
    add(texts.FIGURES_NEWCOMERS, texts.FIGURES_LINKED, figures.linked)
    add(texts.FIGURES_APPOINTMENTS, texts.FIGURES_TOTAL, figures.appointments)
    add(texts.FIGURES_APPOINTMENTS, texts.STATUS_CANCELLED, figures.cancelled)
    reminders = figures.reminders
    for what, value in (
        (texts.FIGURES_SENT, reminders.sent),
        (texts.FIGURES_FAILED, reminders.failed),
        (texts.FIGURES_LATE, reminders.late),
        (texts.FIGURES_SKIPPED, reminders.skipped),
    ):
        add(texts.FIGURES_REMINDERS, what, value)
    for group, name in ANSWER_GROUP_NAMES.items():
        add(texts.FIGURES_ANSWERS, name, figures.answers.get(group, 0))
    _attendance_rows(add, texts.FIGURES_ATTENDANCE, figures.attendance, "")
    for kind, attendance in figures.by_kind.items():
        _attendance_rows(add, texts.FIGURES_BY_KIND, attendance, say(KIND_NAMES[kind]))
    for code, attendance in figures.by_language.items():
        _attendance_rows(add, texts.FIGURES_BY_LANGUAGE, attendance, language_name(code, language))
    for answer, attendance in figures.by_answer.items():
        _attendance_rows(add, texts.FIGURES_BY_ANSWER, attendance, say(ANSWER_GROUP_NAMES[answer]))
    handovers = figures.handovers
    add(texts.FIGURES_HANDOVERS, texts.FIGURES_WRITTEN, handovers.written)
    add(texts.FIGURES_HANDOVERS, texts.HANDOVER_STATUS_TAKEN, handovers.taken_over)
    add(texts.FIGURES_HANDOVERS, texts.HANDOVER_STATUS_DECLINED, handovers.declined)
    if handovers.median_to_take_over is not None:
        days = handovers.median_to_take_over / dt.timedelta(days=1)
        add(texts.FIGURES_HANDOVERS, texts.FIGURES_MEDIAN_DAYS, round(days, 2))
    announcements = figures.announcements
    add(texts.FIGURES_ANNOUNCEMENTS, texts.FIGURES_SENT, announcements.sent)
    add(texts.FIGURES_ANNOUNCEMENTS, texts.FIGURES_TOTAL, announcements.recipients)
    add(texts.FIGURES_ANNOUNCEMENTS, texts.FIGURES_REACHED, announcements.reached)
    add(texts.FIGURES_ANNOUNCEMENTS, texts.FIGURES_COMING, announcements.coming)
    add(texts.FIGURES_ANNOUNCEMENTS, texts.FIGURES_NOT_COMING, announcements.not_coming)
    for code, bookings in figures.interpreters.items():
        add(
            texts.FIGURES_INTERPRETERS, texts.FIGURES_TOTAL, bookings, language_name(code, language)
        )
    _intake_rows(add, figures.from_intake, say)
    _sms_rows(add, figures, say)
    return rows


def _intake_rows(
    add: Callable[[str, str, float, str], None], from_intake: FromIntake, say: Callable[[str], str]
) -> None:
    """The newcomers of the period's first intakes, then per step: how many got there, the
    median and the middle half of their days, how many not yet. A figure with nobody to
    count is left out, not written as 0 (which would read as "on the same day")."""
    section = texts.FIGURES_AFTER_INTAKE
    add(section, texts.FIGURES_TOTAL, from_intake.intakes, "")
    steps: tuple[tuple[str, Spread], ...] = (
        (texts.FIGURES_TO_PARTNER, from_intake.to_partner),
        (texts.FIGURES_TO_HANDOVER, from_intake.to_handover),
    )
    for step, days in steps:
        group = say(step)
        add(section, texts.FIGURES_GOT_THERE, days.count, group)
        for what, value in (
            (texts.FIGURES_MEDIAN_DAYS, days.median),
            (texts.FIGURES_DAYS_P25, days.p25),
            (texts.FIGURES_DAYS_P75, days.p75),
        ):
            if value is not None:
                add(section, what, round(value, 2), group)
        add(section, texts.FIGURES_NOT_YET, from_intake.intakes - days.count, group)


def _sms_rows(
    add: Callable[[str, str, float, str], None], figures: Figures, say: Callable[[str], str]
) -> None:
    """SMS in total and per kind; the no-show rate's counts per channel."""
    counted = [("", total(figures.sms))]
    counted += [(say(SMS_KIND_NAMES[kind]), count) for kind, count in figures.sms.items()]
    for group, count in counted:
        for what, value in (
            (texts.FIGURES_SENT, count.sent),
            (texts.FIGURES_DELIVERED, count.delivered),
            (texts.FIGURES_FAILED, count.failed),
            (texts.FIGURES_SEGMENTS, count.segments),
        ):
            add(texts.FIGURES_SMS, what, value, group)
    for channel, attendance in figures.by_channel.items():
        _attendance_rows(add, texts.FIGURES_BY_CHANNEL, attendance, say(CHANNEL_NAMES[channel]))


def _attendance_rows(
    add: Callable[[str, str, float, str], None], section: str, attendance: Attendance, group: str
) -> None:
    for what, value in (
        (texts.STATUS_ATTENDED, attendance.attended),
        (texts.STATUS_NO_SHOW, attendance.no_show),
        (texts.STATUS_MOVED, attendance.moved),
        (texts.FIGURES_OPEN, attendance.open),
    ):
        add(section, what, value, group)


def month_buttons_periods(today: dt.date) -> Sequence[Period]:
    """The two months a coordinator most often reports on: this one and the one before."""
    return (Period.month_of(today), Period.month_before(today))


def overview_lines(overview: Overview) -> list[Line]:
    """The coordinator's /overzicht: the partnership's totals, then each organisation."""
    totals = line(
        texts.COORDINATOR_OVERVIEW,
        newcomers=overview.newcomers,
        linked=overview.linked,
        staff=overview.staff,
    )
    return [totals] + [
        line(
            texts.COORDINATOR_OVERVIEW_LINE,
            organisation=o.short_name,
            newcomers=o.newcomers,
            staff=o.staff,
        )
        for o in overview.organisations
    ]
