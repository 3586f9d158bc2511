"""Coordinators' and admins' figures in chat: `/cijfers` asks the period (this month,
last month, another), `/cijfers 1-9-2026 30-9-2026` goes straight there, and a partner
who reports alone adds an organisation (`/cijfers VDAB`, `/cijfers 1-9-2026 30-9-2026
VDAB`) or presses 🏢 under the figures. The answer is a short text, a chart (PNG) and a
button for the same figures as an Excel file."""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.core.callbacks import FIGURES
from bot.core.worker_threads import heavy
from bot.figures.chart import chart_png
from bot.figures.export import export_name, export_tables, record_export, workbook
from bot.figures.queries import (
    Period,
    PeriodProblem,
    UnclearPeriod,
    gather,
    parse_period,
    split_organisation,
)
from bot.figures.scope import PARTNERSHIP, Scope, UnknownOrganisation, scope_by_id, scope_of
from bot.figures.words import (
    OTHER_PERIOD_DATA,
    chart_caption,
    day_text,
    figures_press,
    month_buttons_periods,
    month_text,
    period_data,
    pick_data,
    summary,
)
from bot.people.organisations import all_organisations
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
ORGANISATIONS_PER_ROW = 2


def register(application: SchakelApp) -> None:
    coordinators_and_admins = gate(Role.COORDINATOR, Role.ADMIN)
    application.add_handler(CommandHandler("cijfers", coordinators_and_admins(ask_or_show)))
    application.add_handler(
        CallbackQueryHandler(coordinators_and_admins(press), pattern=FIGURES.pattern)
    )


async def ask_or_show(update: Update, context: SchakelContext) -> None:
    language, services = staff_of(context).language, context.services
    today = services.clock().astimezone(services.config.locale.tzinfo).date()
    typed, named = split_organisation(" ".join(context.args or []))
    try:
        scope = await scope_of(services.store, named)
    except UnknownOrganisation as unknown:
        # A lone word may have been meant as a period ("gisteren"): then say both.
        refusal = unknown_organisation(unknown, language)
        if not typed:
            refusal = f"{render(language, texts.FIGURES_PERIOD_UNCLEAR)}\n{refusal}"
        await reply(update, context, refusal)
        return
    if not typed:
        await ask_period(update, context, today, scope)
        return
    try:
        period = parse_period(typed, today)
    except UnclearPeriod as unclear:
        await reply(update, context, render(language, PERIOD_PROBLEMS[unclear.problem]))
        return
    await show(update, context, period, scope)


def unknown_organisation(unknown: UnknownOrganisation, language: str) -> str:
    return render(
        language,
        texts.FIGURES_UNKNOWN_ORGANISATION,
        name=unknown.name,
        known=", ".join(unknown.known),
    )


async def ask_period(update: Update, context: SchakelContext, today: dt.date, scope: Scope) -> None:
    language = staff_of(context).language
    buttons = [
        [
            Button(
                render(language, texts.BUTTON_FIGURES_MONTH, month=month_text(period, language)),
                period_data(period, organisation_id=scope.organisation_id),
            )
        ]
        for period in month_buttons_periods(today)
    ]
    buttons.append([Button(render(language, texts.BUTTON_FIGURES_OTHER), OTHER_PERIOD_DATA)])
    await reply(update, context, render(language, texts.FIGURES_ASK_PERIOD), buttons)


async def press(update: Update, context: SchakelContext) -> None:
    query = update.callback_query
    assert query is not None
    language, data = staff_of(context).language, query.data or ""
    if data == OTHER_PERIOD_DATA:
        await query.answer()
        usage = [render(language, texts.FIGURES_USAGE)]
        usage.append(render(language, texts.FIGURES_USAGE_ORGANISATION))
        await reply(update, context, "\n".join(usage))
        return
    pressed = figures_press(data)
    scope = (
        None
        if pressed is None
        else await scope_by_id(context.services.store, pressed.organisation_id)
    )
    if pressed is None or scope is None:
        await query.answer(render(language, texts.BUTTON_TOO_OLD), show_alert=True)
        return
    await query.answer()
    if pressed.pick:
        await ask_organisation(update, context, pressed.period)
    elif pressed.excel:
        await send_excel(update, context, pressed.period, scope)
    else:
        await show(update, context, pressed.period, scope)


async def ask_organisation(update: Update, context: SchakelContext, period: Period) -> None:
    """A button per organisation for the same period, and one for all partners together."""
    language = staff_of(context).language
    choices = [
        Button(organisation.short_name, period_data(period, organisation_id=organisation.id))
        for organisation in await all_organisations(context.services.store)
    ]
    buttons = [
        choices[n : n + ORGANISATIONS_PER_ROW]
        for n in range(0, len(choices), ORGANISATIONS_PER_ROW)
    ]
    buttons.append([Button(render(language, texts.BUTTON_FIGURES_EVERYONE), period_data(period))])
    await reply(update, context, render(language, texts.FIGURES_ASK_ORGANISATION), buttons)


async def show(
    update: Update, context: SchakelContext, period: Period, scope: Scope = PARTNERSHIP
) -> None:
    language, services = staff_of(context).language, context.services
    # The reader: a year of a city's figures must not hold up the bot's own connection.
    reader = await services.store.reader()
    figures = await gather(reader, period, services.config.locale.tzinfo, scope=scope)
    excel = Button(
        render(language, texts.BUTTON_FIGURES_EXCEL),
        period_data(period, excel=True, organisation_id=scope.organisation_id),
    )
    other = (
        Button(render(language, texts.BUTTON_FIGURES_EVERYONE), period_data(period))
        if scope.organisation
        else Button(render(language, texts.BUTTON_FIGURES_ORGANISATION), pick_data(period))
    )
    sms_on = services.config.sms.enabled
    await reply(update, context, summary(figures, language, sms_on=sms_on), [[excel, other]])
    # Drawing takes a few hundred milliseconds: not on the event loop, which keeps sending.
    png = await heavy(lambda: chart_png(figures, language))
    await reply(
        update,
        context,
        chart_caption(period, language),
        attachment=Attachment("photo", f"{export_name(period, scope.organisation)}.png", png),
    )


async def send_excel(
    update: Update, context: SchakelContext, period: Period, scope: Scope = PARTNERSHIP
) -> None:
    """The export's workbook, without the newcomers' codes: it goes through Telegram."""
    staff, services = staff_of(context), context.services
    tables = await export_tables(
        services.store,
        period,
        services.config.locale.tzinfo,
        staff.language,
        with_reference=False,
        scope=scope,
    )
    await record_export(
        services.store,
        services.clock,
        f"staff:{staff.id}",
        period,
        with_reference=False,
        scope=scope,
    )
    first, last = day_text(period.first, staff.language), day_text(period.last, staff.language)
    caption = (
        render(
            staff.language,
            texts.FIGURES_EXCEL_CAPTION_ORGANISATION,
            organisation=scope.organisation,
            first=first,
            last=last,
        )
        if scope.organisation
        else render(staff.language, texts.FIGURES_EXCEL_CAPTION, first=first, last=last)
    )
    data = await workbook(tables)
    await reply(
        update,
        context,
        caption,
        attachment=Attachment("document", f"{export_name(period, scope.organisation)}.xlsx", data),
    )
