"""Newcomers joining: the invite link, the language picker, consent, stop and start again.

Everything a newcomer reads is in their language with the plain Dutch below it.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.people import newcomers as clients
from bot.people.identity import Identity
from bot.people.invites import CLIENT_PREFIX, InviteRefused
from bot.sending.outbox import Button, Outgoing
from handlers.core.access import CLIENT, gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from handlers.people.cards import LANGUAGE_DATA, language_buttons, menu_keyboard
from messages import line, render, render_bilingual, render_lines_bilingual, texts
from messages.languages import ENDONYMS, parse_language

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
    application.add_handler(
        CallbackQueryHandler(only_clients(choose_language), pattern=f"^{LANGUAGE_DATA}")
    )
    application.add_handler(CommandHandler("taal", only_clients(show_language_picker)))
    application.add_handler(CommandHandler("stop", only_clients(stop_messages)))


async def open_invite(update: Update, context: SchakelContext) -> None:
    """The newcomer tapped their link: link the account, greet, offer languages, ask consent."""
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
    welcome = line(
        texts.CLIENT_WELCOME,
        name=client.first_name,
        contact=contact.name if contact else "",
        organisation=contact.organisation if contact else "",
    )
    picker = line(texts.LANGUAGE_PICKER)
    await reply(
        update,
        context,
        render_lines_bilingual(client.language, [welcome, picker]),
        language_buttons(services.config.locale.languages),
    )
    if client.consent:  # a new link for a new phone: consent was given before
        await send_menu(update, context, client, texts.CLIENT_CONSENT_THANKS)
        # The contact person hears of it, as of a first "yes": if someone else opened the
        # link (it was passed on, or seen), they know at once and can make a new one.
        await tell_contact(
            context, client, texts.CASEWORKER_CONSENT_GIVEN, key=f"relinked:{update.update_id}"
        )
    else:
        await ask_consent(update, context, client)


def yes_no_buttons(client: clients.Client, prefix: str, yes: str, no: str) -> list[list[Button]]:
    """Two buttons in the newcomer's language whose data names this newcomer:
    `<prefix>yes:<reference>` and `<prefix>no:<reference>`."""
    return [
        [
            Button(render(client.language, yes), f"{prefix}yes:{client.reference}"),
            Button(render(client.language, no), f"{prefix}no:{client.reference}"),
        ]
    ]


async def own_yes_or_no(update: Update, context: SchakelContext) -> str | None:
    """ "yes" or "no" from a button made by yes_no_buttons for the newcomer pressing it;
    a forged or someone else's button is refused here and gives None."""
    query, client = update.callback_query, context.identity.client
    if query is None or client is None:
        return None
    parts = (query.data or "").split(":")
    answer, reference = (parts[2], parts[3]) if len(parts) == 4 else ("", "")
    if reference != client.reference or answer not in ("yes", "no"):
        await query.answer(render(client.language, texts.BUTTON_NOT_FOR_YOU), show_alert=True)
        return None
    return answer


async def ask_consent(update: Update, context: SchakelContext, client: clients.Client) -> None:
    buttons = yes_no_buttons(client, CONSENT_DATA, texts.BUTTON_AGREE, texts.BUTTON_NOT_NOW)
    text = render_bilingual(client.language, texts.CLIENT_CONSENT_QUESTION)
    await reply(update, context, text, buttons)


async def send_menu(
    update: Update, context: SchakelContext, client: clients.Client, text: str
) -> None:
    """A text with the newcomer's menu keyboard under it, in their language."""
    await reply(
        update,
        context,
        render_bilingual(client.language, text),
        keyboard=menu_keyboard(client.language),
    )


async def answer_consent(update: Update, context: SchakelContext) -> None:
    """Agree or Not now; the caseworker is told either way."""
    query = update.callback_query
    client = context.identity.client
    answer = await own_yes_or_no(update, context)
    if query is None or client is None or answer is None:
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
    if agreed:
        await send_menu(update, context, client, texts.CLIENT_CONSENT_THANKS)
    else:
        await reply(
            update, context, render_bilingual(client.language, texts.CLIENT_CONSENT_REFUSED)
        )
    await tell_contact(
        context,
        client,
        texts.CASEWORKER_CONSENT_GIVEN if agreed else texts.CASEWORKER_CONSENT_REFUSED,
        key=f"consent:{update.update_id}",
    )


async def show_language_picker(update: Update, context: SchakelContext) -> None:
    client = context.identity.client
    assert client is not None
    await reply(
        update,
        context,
        render_bilingual(client.language, texts.CHOOSE_LANGUAGE),
        language_buttons(context.services.config.locale.languages),
    )


async def choose_language(update: Update, context: SchakelContext) -> None:
    """A tap on a language: from now on Schakel writes in it (consent asked again in it)."""
    query = update.callback_query
    client = context.identity.client
    if query is None or client is None:
        return
    code = (query.data or "").removeprefix(LANGUAGE_DATA)
    if code not in context.services.config.locale.languages:
        await query.answer(render(client.language, texts.BUTTON_NOT_FOR_YOU), show_alert=True)
        return
    await query.answer()
    services = context.services
    client = await clients.set_language(
        services.store, services.clock, client, code, actor=f"client:{client.reference}"
    )
    context.identity = Identity(client=client)
    changed = render_bilingual(code, texts.LANGUAGE_CHANGED, language=ENDONYMS[code])
    if client.consent:
        await reply(update, context, changed, keyboard=menu_keyboard(code))
    else:
        await reply(update, context, changed)
        await ask_consent(update, context, client)


async def stop_messages(update: Update, context: SchakelContext) -> None:
    client = context.identity.client
    if client is None:
        return
    services = context.services
    if client.status is not clients.ClientStatus.STOPPED:
        await clients.stop_client(services.store, services.clock, client)
        await tell_contact(
            context, client, texts.CASEWORKER_CLIENT_STOPPED, key=f"stop:{update.update_id}"
        )
    # This one confirmation is the last message Schakel sends them.
    await reply(update, context, render_bilingual(client.language, texts.CLIENT_STOPPED))


async def start_or_help(update: Update, context: SchakelContext) -> None:
    """/start or /help from a newcomer: a stopped newcomer starts again; everyone gets help."""
    client = context.identity.client
    assert client is not None
    services = context.services
    if not client.consent:
        await ask_consent(update, context, client)
        return
    command = (update.effective_message.text or "") if update.effective_message else ""
    if client.status is clients.ClientStatus.STOPPED and command.startswith("/start"):
        client = await clients.resume_client(services.store, services.clock, client)
        await tell_contact(
            context, client, texts.CASEWORKER_CLIENT_RESUMED, key=f"resume:{update.update_id}"
        )
        await send_menu(update, context, client, texts.CLIENT_RESUMED)
        return
    await send_menu(update, context, client, texts.CLIENT_HELP)


async def tell_contact(
    context: SchakelContext, client: clients.Client, text: str, *, key: str, **values: object
) -> None:
    """A short notice about this newcomer to their contact person, in the contact's language."""
    services = context.services
    contact = await clients.contact_of(services.store, client.id)
    if contact is None or contact.chat_id is None:
        return
    await services.send(
        Outgoing(
            chat_id=contact.chat_id,
            purpose="notice",
            idempotency_key=key,
            text=render(
                contact.language,
                text,
                name=client.first_name,
                reference=client.reference,
                **values,
            ),
            ref=f"client:{client.reference}",
        )
    )
