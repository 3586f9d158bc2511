"""Newcomers joining: the invite link, the language picker, consent, stop and start again.

Everything a newcomer reads is in their language with the plain Dutch below it.
"""

from __future__ import annotations

from typing import NamedTuple

from telegram import CallbackQuery, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.core.callbacks import CONSENT, LANGUAGE, SMS_FALLBACK, Callback
from bot.people import by_sms, newcomers
from bot.people.identity import Identity
from bot.people.invites import NEWCOMER_PREFIX, InviteRefused
from bot.sending.outbox import Button, Outgoing
from handlers.core.access import NEWCOMER, gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import drop_buttons, reply
from handlers.people.cards import language_buttons, menu_keyboard
from messages import line, render, render_bilingual, render_lines_bilingual, texts
from messages.languages import ENDONYMS, parse_language

INVITE_TEXTS = {
    "used": texts.INVITE_USED,
    "expired": texts.INVITE_EXPIRED,
    "revoked": texts.INVITE_REVOKED,
    "unknown": texts.INVITE_UNKNOWN,
}


def register(application: SchakelApp) -> None:
    only_newcomers = gate(NEWCOMER)
    application.add_handler(
        CommandHandler(
            "start", open_invite, filters=filters.Regex(rf"^/start(@\w+)?\s+{NEWCOMER_PREFIX}")
        )
    )
    application.add_handler(
        CallbackQueryHandler(only_newcomers(answer_consent), pattern=CONSENT.pattern)
    )
    application.add_handler(
        CallbackQueryHandler(only_newcomers(choose_language), pattern=LANGUAGE.pattern)
    )
    application.add_handler(
        CallbackQueryHandler(only_newcomers(answer_sms_fallback), pattern=SMS_FALLBACK.pattern)
    )
    application.add_handler(CommandHandler("taal", only_newcomers(show_language_picker)))
    application.add_handler(CommandHandler("stop", only_newcomers(stop_messages)))


async def open_invite(update: Update, context: SchakelContext) -> None:
    """The newcomer tapped their link: link the account, greet, offer languages, ask consent."""
    if not (user := update.effective_user) or not (chat := update.effective_chat):
        return
    services = context.services
    if context.identity.newcomer is not None:
        newcomer = context.identity.newcomer
        await reply(
            update, context, render_bilingual(newcomer.language, texts.NEWCOMER_ALREADY_LINKED)
        )
        return
    if context.identity.staff is not None:
        await reply(update, context, render(context.identity.language, texts.NOT_UNDERSTOOD))
        return
    token = (context.args or [""])[0]
    # Until we know the newcomer, Telegram's language setting is our best guess.
    guess = parse_language(user.language_code or "") or services.config.locale.default_language
    try:
        newcomer = await newcomers.link_newcomer(
            services.store, services.clock, token=token, telegram_user_id=user.id, chat_id=chat.id
        )
    except InviteRefused as refused:
        await reply(update, context, render_bilingual(guess, INVITE_TEXTS[refused.problem.value]))
        return
    context.identity = Identity(newcomer=newcomer)
    contact = await newcomers.contact_of(services.store, newcomer.id)
    welcome = line(
        texts.NEWCOMER_WELCOME,
        name=newcomer.first_name,
        contact=contact.name if contact else "",
        organisation=contact.organisation if contact else "",
    )
    picker = line(texts.LANGUAGE_PICKER)
    await reply(
        update,
        context,
        render_lines_bilingual(newcomer.language, [welcome, picker]),
        language_buttons(services.config.locale.languages),
    )
    if newcomer.consent:  # a new link for a new phone: consent was given before
        await send_menu(update, context, newcomer, texts.NEWCOMER_CONSENT_THANKS)
        # The contact person hears of it, as of a first "yes": if someone else opened the
        # link (it was passed on, or seen), they know at once and can make a new one.
        await tell_contact(
            context, newcomer, texts.CASEWORKER_CONSENT_GIVEN, key=f"relinked:{update.update_id}"
        )
        await ask_to_keep_sms(update, context, newcomer)
    else:
        await ask_consent(update, context, newcomer)


def yes_no_buttons(
    newcomer: newcomers.Newcomer, kind: Callback, yes: str, no: str
) -> list[list[Button]]:
    """Two buttons in the newcomer's language whose data names this newcomer:
    (yes, reference) and (no, reference) of `kind`."""
    return [
        [
            Button(render(newcomer.language, yes), kind.data("yes", newcomer.reference)),
            Button(render(newcomer.language, no), kind.data("no", newcomer.reference)),
        ]
    ]


async def ask_yes_or_no(
    update: Update,
    context: SchakelContext,
    newcomer: newcomers.Newcomer,
    question: str,
    buttons: tuple[Callback, str, str],
) -> None:
    """A question to the newcomer in their language and Dutch, with yes_no_buttons under
    it: (kind, yes label, no label)."""
    text = render_bilingual(newcomer.language, question)
    await reply(update, context, text, yes_no_buttons(newcomer, *buttons))


class YesOrNo(NamedTuple):
    query: CallbackQuery
    newcomer: newcomers.Newcomer
    answer: str  # "yes" or "no"


async def own_yes_or_no(update: Update, context: SchakelContext, kind: Callback) -> YesOrNo | None:
    """ "yes" or "no" from a button made by yes_no_buttons for the newcomer pressing it,
    with the query and that newcomer; a forged or someone else's button is refused here
    and gives None."""
    query, newcomer = update.callback_query, context.identity.newcomer
    if query is None or newcomer is None:
        return None
    pressed = kind.parse(query.data)
    answer, reference = (pressed["answer"], pressed["reference"]) if pressed else ("", "")
    if reference != newcomer.reference or answer not in ("yes", "no"):
        await query.answer(render(newcomer.language, texts.BUTTON_NOT_FOR_YOU), show_alert=True)
        return None
    return YesOrNo(query, newcomer, answer)


async def ask_consent(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer
) -> None:
    buttons = yes_no_buttons(newcomer, CONSENT, texts.BUTTON_AGREE, texts.BUTTON_NOT_NOW)
    # What is asked, who sees it and how to stop; then everything that is kept.
    text = render_lines_bilingual(
        newcomer.language,
        [line(texts.NEWCOMER_CONSENT_QUESTION), line(texts.NEWCOMER_CONSENT_KEPT)],
    )
    await reply(update, context, text, buttons)


async def send_menu(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, text: str
) -> None:
    """A text with the newcomer's menu keyboard under it, in their language."""
    await reply(
        update,
        context,
        render_bilingual(newcomer.language, text),
        keyboard=menu_keyboard(newcomer.language),
    )


async def answer_consent(update: Update, context: SchakelContext) -> None:
    """Agree or Not now; the caseworker is told either way."""
    pressed = await own_yes_or_no(update, context, CONSENT)
    if pressed is None:
        return
    query, newcomer, answer = pressed
    if newcomer.consent or newcomer.status is not newcomers.NewcomerStatus.INVITED:
        await query.answer(render(newcomer.language, texts.BUTTON_TOO_OLD), show_alert=True)
        return
    await query.answer()
    services = context.services
    agreed = answer == "yes"
    await newcomers.record_consent(services.store, services.clock, newcomer, agreed=agreed)
    await drop_buttons(query, context)  # the question is answered
    if agreed:
        await send_menu(update, context, newcomer, texts.NEWCOMER_CONSENT_THANKS)
        await ask_to_keep_sms(update, context, newcomer)
    else:
        await reply(
            update, context, render_bilingual(newcomer.language, texts.NEWCOMER_CONSENT_REFUSED)
        )
    await tell_contact(
        context,
        newcomer,
        texts.CASEWORKER_CONSENT_GIVEN if agreed else texts.CASEWORKER_CONSENT_REFUSED,
        key=f"consent:{update.update_id}",
    )


async def ask_to_keep_sms(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer
) -> None:
    """Joined by SMS, now on Telegram: keep the number for when Telegram fails, or erase it."""
    if not by_sms.asks_to_keep(newcomer):
        return
    buttons = (SMS_FALLBACK, texts.BUTTON_SMS_KEEP, texts.BUTTON_SMS_ERASE)
    await ask_yes_or_no(update, context, newcomer, texts.SMS_KEEP_QUESTION, buttons)


async def answer_sms_fallback(update: Update, context: SchakelContext) -> None:
    """Keep SMS as the fallback, or erase the number; the contact person is told."""
    pressed = await own_yes_or_no(update, context, SMS_FALLBACK)
    if pressed is None:
        return
    query, newcomer, answer = pressed
    if not by_sms.asks_to_keep(newcomer) or not newcomer.consent:
        await query.answer(render(newcomer.language, texts.BUTTON_TOO_OLD), show_alert=True)
        return
    await query.answer()
    services = context.services
    if answer == "yes":
        newcomer = await by_sms.keep_as_fallback(services, newcomer)
        said, told = texts.SMS_KEPT, texts.STAFF_SMS_KEPT
    else:
        actor = f"newcomer:{newcomer.reference}"
        newcomer = await by_sms.erase_number(services, newcomer, actor=actor)
        said, told = texts.SMS_NUMBER_ERASED, texts.STAFF_SMS_NUMBER_ERASED
    await drop_buttons(query, context)
    await send_menu(update, context, newcomer, said)
    await tell_contact(context, newcomer, told, key=f"sms-fallback:{update.update_id}")


async def show_language_picker(update: Update, context: SchakelContext) -> None:
    newcomer = context.identity.newcomer
    assert newcomer is not None
    await reply(
        update,
        context,
        render_bilingual(newcomer.language, texts.CHOOSE_LANGUAGE),
        language_buttons(context.services.config.locale.languages),
    )


async def choose_language(update: Update, context: SchakelContext) -> None:
    """A tap on a language: from now on Schakel writes in it (consent asked again in it)."""
    query = update.callback_query
    newcomer = context.identity.newcomer
    if query is None or newcomer is None:
        return
    pressed = LANGUAGE.parse(query.data)
    code = pressed["code"] if pressed else ""
    if code not in context.services.config.locale.languages:
        await query.answer(render(newcomer.language, texts.BUTTON_NOT_FOR_YOU), show_alert=True)
        return
    await query.answer()
    services = context.services
    newcomer = await newcomers.set_language(
        services.store, services.clock, newcomer, code, actor=f"newcomer:{newcomer.reference}"
    )
    context.identity = Identity(newcomer=newcomer)
    changed = render_bilingual(code, texts.LANGUAGE_CHANGED, language=ENDONYMS[code])
    if newcomer.consent:
        await reply(update, context, changed, keyboard=menu_keyboard(code))
    else:
        await reply(update, context, changed)
        await ask_consent(update, context, newcomer)


async def stop_messages(update: Update, context: SchakelContext) -> None:
    newcomer = context.identity.newcomer
    if newcomer is None:
        return
    services = context.services
    if newcomer.status is not newcomers.NewcomerStatus.STOPPED:
        await newcomers.stop_newcomer(services.store, services.clock, newcomer)
        await tell_contact(
            context, newcomer, texts.CASEWORKER_NEWCOMER_STOPPED, key=f"stop:{update.update_id}"
        )
    # This one confirmation is the last message Schakel sends them.
    await reply(update, context, render_bilingual(newcomer.language, texts.NEWCOMER_STOPPED))


async def start_or_help(update: Update, context: SchakelContext) -> None:
    """/start or /help from a newcomer: a stopped newcomer starts again; everyone gets help."""
    newcomer = context.identity.newcomer
    assert newcomer is not None
    services = context.services
    if not newcomer.consent:
        await ask_consent(update, context, newcomer)
        return
    command = (update.effective_message.text or "") if update.effective_message else ""
    if newcomer.status is newcomers.NewcomerStatus.STOPPED and command.startswith("/start"):
        newcomer = await newcomers.resume_newcomer(services.store, services.clock, newcomer)
        await tell_contact(
            context, newcomer, texts.CASEWORKER_NEWCOMER_RESUMED, key=f"resume:{update.update_id}"
        )
        await send_menu(update, context, newcomer, texts.NEWCOMER_RESUMED)
        return
    await send_menu(update, context, newcomer, texts.NEWCOMER_HELP)


async def tell_contact(
    context: SchakelContext,
    newcomer: newcomers.Newcomer,
    text: str,
    *,
    key: str,
    edits: str | None = None,
    **values: object,
) -> None:
    """A short notice about this newcomer to their contact person, in the contact's language;
    with `edits`, the earlier notice under that key says it instead (one event, one message)."""
    services = context.services
    contact = await newcomers.contact_of(services.store, newcomer.id)
    notice = contact_notice(contact, newcomer, text, key=key, edits=edits, **values)
    if notice is not None:
        await services.send(notice)


def contact_notice(
    contact: newcomers.Contact | None,
    newcomer: newcomers.Newcomer,
    text: str,
    *,
    key: str,
    edits: str | None = None,
    **values: object,
) -> Outgoing | None:
    """The notice tell_contact sends; None when the contact person is not on Telegram."""
    if contact is None or contact.chat_id is None:
        return None
    return Outgoing(
        chat_id=contact.chat_id,
        purpose="notice",
        idempotency_key=key,
        text=render(
            contact.language,
            text,
            name=newcomer.first_name,
            reference=newcomer.reference,
            **values,
        ),
        ref=f"newcomer:{newcomer.reference}",
        edits=edits,
    )
