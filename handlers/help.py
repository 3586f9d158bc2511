"""For everyone who is known: /help in their role, and an answer to what nobody handled."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.people.staff import Role
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import not_understood, reply
from handlers.people.admin import admin_help
from handlers.people.caseworker import caseworker_help
from handlers.people.coordinator import coordinator_help
from handlers.people.joining import start_or_help
from messages import render, texts


def register(application: SchakelApp) -> None:
    application.add_handler(CommandHandler(["help", "start"], show_help))
    # Last in group 0: only what no role's handler took.
    application.add_handler(CallbackQueryHandler(expired_button))
    application.add_handler(MessageHandler(filters.ALL, not_understood))


async def show_help(update: Update, context: SchakelContext) -> None:
    identity = context.identity
    language = identity.language
    if identity.newcomer is not None:
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
