"""Newcomers: opening the invite link, consent, help and stop. Always two languages."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import clients
from bot.application import SchakelApp, SchakelContext
from bot.identity import Identity
from bot.invites import CLIENT_PREFIX, InviteRefused
from bot.outbox import Button, Outgoing
from handlers.access import CLIENT, gate
from handlers.replies import reply
from messages import render, render_bilingual, texts
from messages.languages import parse_language

CONSENT_DATA = "v1:consent:"  # v1:consent:<yes|no>:<reference>

INVITE_TEXTS = {
    "used": texts.INVITE_USED,
    "expired": texts.INVITE_EXPIRED,
    "revoked": texts.INVITE_REVOKED,
    "unknown": texts.INVITE_UNKNOWN,
}


def register(application: SchakelApp) -> None:
    only_clients = gate(CLIENT)
    application.add_handler(
        CommandHandler(
            "start", open_invite, filters=filters.Regex(rf"^/start(@\w+)?\s+{CLIENT_PREFIX}")
        )
    )
    application.add_handler(
        CallbackQueryHandler(only_clients(answer_consent), pattern=f"^{CONSENT_DATA}")
    )
    application.add_handler(CommandHandler("stop", only_clients(stop_messages)))


async def open_invite(update: Update, context: SchakelContext) -> None:
    """The newcomer tapped their link: link the account, greet, ask for consent."""
    if not (user := update.effective_user) or not (chat := update.effective_chat):
        return
    services = context.services
    if context.identity.client is not None:
        client = context.identity.client
        await reply(update, context, render_bilingual(client.language, texts.CLIENT_ALREADY_LINKED))
        return
    if context.identity.staff is not None:
        await reply(update, context, render(context.identity.language, texts.NOT_UNDERSTOOD))
        return
    token = (context.args or [""])[0]
    # Until we know the newcomer, Telegram's language setting is our best guess.
    guess = parse_language(user.language_code or "") or services.config.locale.default_language
    try:
        client = await clients.link_client(
            services.store, services.clock, token=token, telegram_user_id=user.id, chat_id=chat.id
        )
    except InviteRefused as refused:
        await reply(update, context, render_bilingual(guess, INVITE_TEXTS[refused.problem.value]))
        return
    context.identity = Identity(client=client)
    contact = await clients.contact_of(services.store, client.id)
    language = client.language
    welcome = render_bilingual(
        language,
        texts.CLIENT_WELCOME,
        name=client.first_name,
        contact=contact.name if contact else "",
        organisation=contact.organisation if contact else "",
    )
    await reply(update, context, welcome)
    buttons = [
        [
            Button(render(language, texts.BUTTON_AGREE), f"{CONSENT_DATA}yes:{client.reference}"),
            Button(render(language, texts.BUTTON_NOT_NOW), f"{CONSENT_DATA}no:{client.reference}"),
        ]
    ]
    await reply(update, context, render_bilingual(language, texts.CLIENT_CONSENT_QUESTION), buttons)


async def answer_consent(update: Update, context: SchakelContext) -> None:
    """Agree or Not now; the caseworker is told either way."""
    query = update.callback_query
    client = context.identity.client
    if query is None or client is None:
        return
    parts = (query.data or "").split(":")
    answer, reference = (parts[2], parts[3]) if len(parts) == 4 else ("", "")
    if reference != client.reference or answer not in ("yes", "no"):
        await query.answer(render(client.language, texts.BUTTON_NOT_FOR_YOU), show_alert=True)
        return
    if client.consent or client.status is not clients.ClientStatus.INVITED:
        await query.answer(render(client.language, texts.BUTTON_TOO_OLD), show_alert=True)
        return
    await query.answer()
    services = context.services
    agreed = answer == "yes"
    await clients.record_consent(services.store, services.clock, client, agreed=agreed)
    if query.message is not None:
        await query.edit_message_reply_markup(reply_markup=None)  # the question is answered
    text = texts.CLIENT_CONSENT_THANKS if agreed else texts.CLIENT_CONSENT_REFUSED
    await reply(update, context, render_bilingual(client.language, text))
    await _tell_contact(
        context,
        client,
        texts.CASEWORKER_CONSENT_GIVEN if agreed else texts.CASEWORKER_CONSENT_REFUSED,
        key=f"consent:{update.update_id}",
    )


async def stop_messages(update: Update, context: SchakelContext) -> None:
    client = context.identity.client
    if client is None:
        return
    services = context.services
    if client.status is not clients.ClientStatus.STOPPED:
        await clients.stop_client(services.store, services.clock, client)
        await _tell_contact(
            context, client, texts.CASEWORKER_CLIENT_STOPPED, key=f"stop:{update.update_id}"
        )
    # This one confirmation is the last message Schakel sends them.
    await reply(update, context, render_bilingual(client.language, texts.CLIENT_STOPPED))


async def _tell_contact(
    context: SchakelContext, client: clients.Client, text: str, *, key: str
) -> None:
    services = context.services
    contact = await clients.contact_of(services.store, client.id)
    if contact is None or contact.chat_id is None:
        return
    await services.send(
        Outgoing(
            chat_id=contact.chat_id,
            purpose="notice",
            idempotency_key=key,
            text=render(contact.language, text, name=client.first_name, reference=client.reference),
            ref=f"client:{client.reference}",
        )
    )


def client_help(language: str) -> str:
    return render_bilingual(language, texts.CLIENT_HELP)
