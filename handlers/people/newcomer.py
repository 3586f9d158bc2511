"""A newcomer's own menu: appointments, contact card, their data, forget me.

The same four things are commands (/afspraken, /contact, /taal, /help) and buttons of
the persistent keyboard; a button sends its label, so it is matched by its icon,
whatever the language.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.appointments import records as appointments
from bot.people import counsellors
from bot.people import newcomers as clients
from bot.privacy import data_rights as client_data
from bot.sending.outbox import Outgoing
from handlers.core.access import CLIENT, Callback, gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from handlers.people.cards import MENU_ICONS, appointment_list, contact_card, record_lines
from handlers.people.joining import (
    own_yes_or_no,
    show_language_picker,
    start_or_help,
    tell_contact,
    yes_no_buttons,
)
from messages import render_bilingual, render_lines_bilingual, texts

FORGET_DATA = "v1:forget:"  # v1:forget:<yes|no>:<reference>


def register(application: SchakelApp) -> None:
    only_clients = gate(CLIENT)
    actions: dict[str, Callback] = {
        "appointments": only_clients(consented(show_appointments)),
        "contact": only_clients(consented(show_contact)),
        "language": only_clients(show_language_picker),
        "help": only_clients(start_or_help),
    }
    commands = {"appointments": "afspraken", "contact": "contact"}
    for action, command in commands.items():
        application.add_handler(CommandHandler(command, actions[action]))
    for action, icon in MENU_ICONS.items():
        application.add_handler(
            MessageHandler(filters.TEXT & filters.Regex(f"^{icon}"), actions[action])
        )
    application.add_handler(CommandHandler("gegevens", only_clients(consented(show_my_data))))
    application.add_handler(CommandHandler("vergeet", only_clients(consented(ask_forget))))
    application.add_handler(
        CallbackQueryHandler(only_clients(answer_forget), pattern=f"^{FORGET_DATA}")
    )


def consented(callback: Callback) -> Callback:
    """Menu actions wait for the answer to the consent question."""

    async def wrapped(update: Update, context: SchakelContext) -> None:
        client = context.identity.client
        assert client is not None
        if not client.consent:
            await reply(update, context, render_bilingual(client.language, texts.CONSENT_FIRST))
            return
        await callback(update, context)

    return wrapped


async def show_appointments(update: Update, context: SchakelContext) -> None:
    client = context.identity.client
    assert client is not None
    services = context.services
    coming = await appointments.upcoming(services.store, client.id, services.clock())
    text = appointment_list(client.language, coming, services.config.locale.tzinfo)
    await reply(update, context, text)


async def show_contact(update: Update, context: SchakelContext) -> None:
    client = context.identity.client
    assert client is not None
    people = await counsellors.counsellors_of(context.services.store, client.id)
    await reply(update, context, contact_card(client.language, people))


async def show_my_data(update: Update, context: SchakelContext) -> None:
    """Everything Schakel stores about the newcomer, in their language and in Dutch."""
    client = context.identity.client
    assert client is not None
    services = context.services
    record = await client_data.everything_about(
        services.store, services.clock, client, actor=f"client:{client.reference}"
    )
    lines = record_lines(record, services.config.locale.tzinfo)
    await reply(update, context, render_lines_bilingual(client.language, lines))


async def ask_forget(update: Update, context: SchakelContext) -> None:
    client = context.identity.client
    assert client is not None
    buttons = yes_no_buttons(client, FORGET_DATA, texts.BUTTON_FORGET_YES, texts.BUTTON_FORGET_NO)
    await reply(update, context, render_bilingual(client.language, texts.FORGET_QUESTION), buttons)


async def answer_forget(update: Update, context: SchakelContext) -> None:
    query = update.callback_query
    client = context.identity.client
    answer = await own_yes_or_no(update, context)
    if query is None or client is None or answer is None:
        return
    await query.answer()
    if query.message is not None:
        await query.edit_message_reply_markup(reply_markup=None)
    if answer == "no":
        await reply(update, context, render_bilingual(client.language, texts.FORGET_CANCELLED))
        return
    await forget(context, client, actor=f"client:{client.reference}", key=f"{update.update_id}")


async def forget(context: SchakelContext, client: clients.Client, *, actor: str, key: str) -> None:
    """Tell the contact person and the newcomer, then erase (the notices need the name)."""
    services = context.services
    await tell_contact(context, client, texts.CASEWORKER_CLIENT_FORGOTTEN, key=f"forget:{key}")
    if client.chat_id is not None:
        # Not tied to the client row: the outbox rows of a forgotten newcomer are erased.
        await services.send(
            Outgoing(
                chat_id=client.chat_id,
                text=render_bilingual(client.language, texts.FORGOTTEN),
                purpose="notice",
                idempotency_key=f"forgotten:{key}",
            )
        )
    await client_data.forget_client(services.store, services.clock, client, actor=actor)
