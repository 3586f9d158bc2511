"""The figures in words: the coordinator's short text, and the labelled rows the export
and the chart share. Everything is rendered in the reader's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from babel.dates import format_date, format_timedelta
from babel.numbers import format_percent

from bot.appointments.words import KIND_NAMES
from bot.core.callbacks import FIGURES, FIGURES_EXCEL
from bot.figures.overview import Overview
from bot.figures.queries import AnswerGroup, Attendance, Figures, Period
from messages import Line, language_names, line, render, texts
from messages.languages import babel_locale

ANSWER_GROUP_NAMES: dict[AnswerGroup, str] = texts.for_members(AnswerGroup, "FIGURES_")
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


def period_data(period: Period, *, excel: bool = False) -> str:
    kind = FIGURES_EXCEL if excel else FIGURES
    return kind.data(f"{period.first:%Y%m%d}", f"{period.last:%Y%m%d}")


def period_from_data(data: str) -> Period | None:
    """The period a figures button names; None for anything else (forged, garbled)."""
    pressed = FIGURES_EXCEL.parse(data) or FIGURES.parse(data)
    if pressed is None:
        return None
    try:
        period = Period(
            dt.datetime.strptime(pressed["first"], "%Y%m%d").date(),
            dt.datetime.strptime(pressed["last"], "%Y%m%d").date(),
        )
    except ValueError:
        return None
    return period if period.first <= period.last else None


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


def summary(figures: Figures, language: str) -> str:
    """The short text a coordinator reads above the chart."""
    period = figures.period
    lines = [
        render(
            language,
            texts.FIGURES_TITLE,
            first=day_text(period.first, language),
            last=day_text(period.last, language),
        )
    ]
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
    return rows


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
