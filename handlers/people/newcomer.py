"""A newcomer's own menu: appointments, contact card, their data, forget me.

The same four things are commands (/afspraken, /contact, /taal, /help) and buttons of
the persistent keyboard; a button sends its label, so it is matched by its icon,
whatever the language.
"""

from __future__ import annotations

import dataclasses

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.appointments import records as appointments
from bot.core.callbacks import FORGET
from bot.people import counsellors, newcomers
from bot.people.contact_card import contact_card
from bot.privacy import data_rights as newcomer_data
from bot.sending.outbox import Outgoing
from handlers.core.access import NEWCOMER, HandlerFunction, gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import drop_buttons, reply
from handlers.people.cards import MENU_ICONS, appointment_list, record_lines
from handlers.people.joining import (
    ask_yes_or_no,
    contact_notice,
    own_yes_or_no,
    show_language_picker,
    start_or_help,
)
from messages import render_bilingual, render_lines_bilingual, texts


def register(application: SchakelApp) -> None:
    only_newcomers = gate(NEWCOMER)
    actions: dict[str, HandlerFunction] = {
        "appointments": only_newcomers(consented(show_appointments)),
        "contact": only_newcomers(consented(show_contact)),
        "language": only_newcomers(show_language_picker),
        "help": only_newcomers(start_or_help),
    }
    commands = {"appointments": "afspraken", "contact": "contact"}
    for action, command in commands.items():
        application.add_handler(CommandHandler(command, actions[action]))
    for action, icon in MENU_ICONS.items():
        application.add_handler(
            MessageHandler(filters.TEXT & filters.Regex(f"^{icon}"), actions[action])
        )
    application.add_handler(CommandHandler("gegevens", only_newcomers(consented(show_my_data))))
    application.add_handler(CommandHandler("vergeet", only_newcomers(consented(ask_forget))))
    application.add_handler(
        CallbackQueryHandler(only_newcomers(answer_forget), pattern=FORGET.pattern)
    )


def consented(callback: HandlerFunction) -> HandlerFunction:
    """Menu actions wait for the answer to the consent question."""

    async def wrapped(update: Update, context: SchakelContext) -> None:
        newcomer = context.identity.newcomer
        assert newcomer is not None
        if not newcomer.consent:
            await reply(update, context, render_bilingual(newcomer.language, texts.CONSENT_FIRST))
            return
        await callback(update, context)

    return wrapped


async def show_appointments(update: Update, context: SchakelContext) -> None:
    newcomer = context.identity.newcomer
    assert newcomer is not None
    services = context.services
    coming = await appointments.upcoming(services.store, newcomer.id, services.clock())
    text = appointment_list(newcomer.language, coming, services.config.locale.tzinfo)
    await reply(update, context, text)


async def show_contact(update: Update, context: SchakelContext) -> None:
    newcomer = context.identity.newcomer
    assert newcomer is not None
    people = await counsellors.counsellors_of(context.services.store, newcomer.id)
    await reply(update, context, contact_card(newcomer.language, people))


async def show_my_data(update: Update, context: SchakelContext) -> None:
    """Everything Schakel stores about the newcomer, in their language and in Dutch."""
    newcomer = context.identity.newcomer
    assert newcomer is not None
    services = context.services
    record = await newcomer_data.everything_about(
        services.store, services.clock, newcomer, actor=f"newcomer:{newcomer.reference}"
    )
    lines = record_lines(record, services.config.locale.tzinfo)
    await reply(update, context, render_lines_bilingual(newcomer.language, lines))


async def ask_forget(update: Update, context: SchakelContext) -> None:
    newcomer = context.identity.newcomer
    assert newcomer is not None
    buttons = (FORGET, texts.BUTTON_FORGET_YES, texts.BUTTON_FORGET_NO)
    await ask_yes_or_no(update, context, newcomer, texts.FORGET_QUESTION, buttons)


async def answer_forget(update: Update, context: SchakelContext) -> None:
    pressed = await own_yes_or_no(update, context, FORGET)
    if pressed is None:
        return
    query, newcomer, answer = pressed
    await query.answer()
    await drop_buttons(query, context)  # the question is answered
    if answer == "no":
        await reply(update, context, render_bilingual(newcomer.language, texts.FORGET_CANCELLED))
        return
    await forget(
        context, newcomer, actor=f"newcomer:{newcomer.reference}", key=f"{update.update_id}"
    )


async def forget(
    context: SchakelContext, newcomer: newcomers.Newcomer, *, actor: str, key: str
) -> None:
    """Erase, then tell the contact person and the newcomer: "erased" only once it is true
    (if the erase fails, the error handler's reply is all they get). The contact person is
    looked up before (the erase removes the newcomer's helpers), and the notices are made
    from the newcomer as read before it (they need the name)."""
    services = context.services
    contact = await newcomers.contact_of(services.store, newcomer.id)
    await newcomer_data.forget_newcomer(services.store, services.clock, newcomer, actor=actor)
    notice = contact_notice(
        contact, newcomer, texts.CASEWORKER_NEWCOMER_FORGOTTEN, key=f"forget:{key}"
    )
    # It names the newcomer, and is sent after the erase: its text goes once it is sent.
    messages = [None if notice is None else dataclasses.replace(notice, secret=True)]
    if newcomer.chat_id is not None:
        # Not tied to the newcomer row: the outbox rows of a forgotten newcomer are erased.
        messages.append(
            Outgoing(
                chat_id=newcomer.chat_id,
                text=render_bilingual(newcomer.language, texts.FORGOTTEN),
                purpose="notice",
                idempotency_key=f"forgotten:{key}",
            )
        )
    await services.send(*(message for message in messages if message is not None))
