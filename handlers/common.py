"""For everyone who is known: /help in their role, and an answer to what nobody handled."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import clients, drafts
from bot.application import SchakelApp, SchakelContext
from bot.staff import Role
from bot.when_text import WhenProblem
from handlers.admin import admin_help
from handlers.caseworker import caseworker_help
from handlers.client import start_or_help
from handlers.coordinator import coordinator_help
from handlers.replies import quoted, reply
from messages import render, render_bilingual, texts

# What a typed moment got wrong (bot/when_text.parse_when), for every form that asks one.
WHEN_PROBLEMS = {
    WhenProblem.UNCLEAR: texts.WHEN_UNCLEAR,
    WhenProblem.NO_SUCH_DATE: texts.WHEN_NO_SUCH_DATE,
    WhenProblem.WRONG_WEEKDAY: texts.WHEN_WRONG_WEEKDAY,
    WhenProblem.PAST: texts.WHEN_PAST,
}


def register(application: SchakelApp) -> None:
    application.add_handler(CommandHandler(["help", "start"], show_help))
    # Last in group 0: only what no role's handler took.
    application.add_handler(CallbackQueryHandler(expired_button))
    application.add_handler(MessageHandler(filters.ALL, not_understood))


async def show_help(update: Update, context: SchakelContext) -> None:
    identity = context.identity
    language = identity.language
    if identity.client is not None:
        await start_or_help(update, context)
        return
    if identity.role is Role.CASEWORKER:
        text = caseworker_help(context, language)
    elif identity.role is Role.COORDINATOR:
        text = coordinator_help(language)
    elif identity.role is Role.ADMIN:
        text = await admin_help(context, language)
    else:
        return
    await reply(update, context, text)


async def expired_button(update: Update, context: SchakelContext) -> None:
    """Buttons whose data no handler knows: old versions or made-up data."""
    if query := update.callback_query:
        await query.answer(render(context.identity.language, texts.BUTTON_TOO_OLD), show_alert=True)


async def not_understood(update: Update, context: SchakelContext) -> None:
    chat = update.effective_chat
    if chat is None or chat.type != chat.PRIVATE:
        return  # in groups Schakel only speaks when spoken to with a command it knows
    identity = context.identity
    if identity.client is not None:
        await reply(update, context, render_bilingual(identity.language, texts.NOT_UNDERSTOOD))
    else:
        await reply(update, context, render(identity.language, texts.NOT_UNDERSTOOD))


async def client_named_in_command(
    update: Update, context: SchakelContext, usage: str
) -> clients.Client | None:
    """`/command CODE`: the newcomer this staff member may see, or None after saying why."""
    staff = context.identity.staff
    assert staff is not None  # only gated staff commands call this
    args = context.args or []
    if len(args) != 1:
        await reply(update, context, render(staff.language, usage))
        return None
    client = await clients.client_for_staff(context.services.store, staff, args[0])
    if client is None:
        text = render(staff.language, texts.CLIENT_NOT_FOUND, reference=quoted(args[0]))
        await reply(update, context, text)
    return client


async def stop_form(update: Update, context: SchakelContext) -> None:
    """/cancel or ✖ in any form staff fill in: the draft is dropped, nothing is saved."""
    staff = context.identity.staff
    assert staff is not None  # only gated staff handlers call this
    await drafts.drop(context.services.store, staff.id)
    await reply(update, context, render(staff.language, texts.PLAN_STOPPED))


async def draft_waiting_for(
    update: Update, context: SchakelContext, form: str, prefix: str
) -> tuple[drafts.Draft, str, str] | None:
    """A form's button (`<prefix><step>:<value>`): the draft, step and value when the form
    waits at that step; else "this button no longer works" and None (an old or made-up one)."""
    query = update.callback_query
    staff = context.identity.staff
    assert query is not None and staff is not None  # only gated staff buttons call this
    step, _, value = (query.data or "").removeprefix(prefix).partition(":")
    draft = await drafts.get(context.services.store, staff.id)
    if draft is None or draft.form != form or draft.step != step:
        await query.answer(render(staff.language, texts.BUTTON_TOO_OLD), show_alert=True)
        return None
    return draft, step, value
