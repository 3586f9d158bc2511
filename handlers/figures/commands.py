"""Coordinators' and admins' figures in chat: `/cijfers` asks the period (this month,
last month, another), `/cijfers 1-9-2026 30-9-2026` goes straight there. The answer is a
short text, a chart (PNG) and a button for the same figures as an Excel file."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.core.callbacks import FIGURES, FIGURES_EXCEL
from bot.figures.chart import chart_png
from bot.figures.export import export_tables, record_export, workbook
from bot.figures.queries import Period, PeriodProblem, UnclearPeriod, gather, parse_period
from bot.figures.words import (
    OTHER_PERIOD_DATA,
    chart_caption,
    day_text,
    month_buttons_periods,
    month_text,
    period_data,
    period_from_data,
    summary,
)
from bot.people.staff import Role
from bot.sending.outbox import Attachment, Button
from handlers.core.access import gate, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from messages import render, texts

PERIOD_PROBLEMS = {
    PeriodProblem.UNCLEAR: texts.FIGURES_PERIOD_UNCLEAR,
    PeriodProblem.NO_SUCH_DATE: texts.FIGURES_NO_SUCH_DATE,
    PeriodProblem.REVERSED: texts.FIGURES_PERIOD_REVERSED,
}


def register(application: SchakelApp) -> None:
    coordinators_and_admins = gate(Role.COORDINATOR, Role.ADMIN)
    application.add_handler(CommandHandler("cijfers", coordinators_and_admins(ask_or_show)))
    application.add_handler(
        CallbackQueryHandler(coordinators_and_admins(press), pattern=FIGURES.pattern)
    )


async def ask_or_show(update: Update, context: SchakelContext) -> None:
    language, services = staff_of(context).language, context.services
    today = services.clock().astimezone(services.config.locale.tzinfo).date()
    typed = " ".join(context.args or [])
    if not typed:
        buttons = [
            [
                Button(
                    render(
                        language, texts.BUTTON_FIGURES_MONTH, month=month_text(period, language)
                    ),
                    period_data(period),
                )
            ]
            for period in month_buttons_periods(today)
        ]
        buttons.append([Button(render(language, texts.BUTTON_FIGURES_OTHER), OTHER_PERIOD_DATA)])
        await reply(update, context, render(language, texts.FIGURES_ASK_PERIOD), buttons)
        return
    try:
        period = parse_period(typed, today)
    except UnclearPeriod as unclear:
        await reply(update, context, render(language, PERIOD_PROBLEMS[unclear.problem]))
        return
    await show(update, context, period)


async def press(update: Update, context: SchakelContext) -> None:
    query = update.callback_query
    assert query is not None
    language, data = staff_of(context).language, query.data or ""
    if data == OTHER_PERIOD_DATA:
        await query.answer()
        await reply(update, context, render(language, texts.FIGURES_USAGE))
        return
    excel = FIGURES_EXCEL.parse(data) is not None
    period = period_from_data(data)
    if period is None:
        await query.answer(render(language, texts.BUTTON_TOO_OLD), show_alert=True)
        return
    await query.answer()
    if excel:
        await send_excel(update, context, period)
    else:
        await show(update, context, period)


async def show(update: Update, context: SchakelContext, period: Period) -> None:
    language, services = staff_of(context).language, context.services
    # The reader: a year of a city's figures must not hold up the bot's own connection.
    reader = await services.store.reader()
    figures = await gather(reader, period, services.config.locale.tzinfo)
    excel = Button(render(language, texts.BUTTON_FIGURES_EXCEL), period_data(period, excel=True))
    await reply(update, context, summary(figures, language), [[excel]])
    # Drawing takes a few hundred milliseconds: not on the event loop, which keeps sending.
    png = await asyncio.to_thread(chart_png, figures, language)
    await reply(
        update,
        context,
        chart_caption(period, language),
        attachment=Attachment("photo", f"schakel-{period.first}-{period.last}.png", png),
    )


async def send_excel(update: Update, context: SchakelContext, period: Period) -> None:
    """The export's workbook, without the newcomers' codes: it goes through Telegram."""
    staff, services = staff_of(context), context.services
    tables = await export_tables(
        services.store, period, services.config.locale.tzinfo, staff.language, with_reference=False
    )
    await record_export(
        services.store, services.clock, f"staff:{staff.id}", period, with_reference=False
    )
    caption = render(
        staff.language,
        texts.FIGURES_EXCEL_CAPTION,
        first=day_text(period.first, staff.language),
        last=day_text(period.last, staff.language),
    )
    data = await workbook(tables)
    await reply(
        update,
        context,
        caption,
        attachment=Attachment("document", f"schakel-{period.first}-{period.last}.xlsx", data),
    )
