"""Caseworkers: invite a newcomer (the caseworker becomes their contact person)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot import clients
from bot.application import SchakelApp, SchakelContext
from bot.invites import start_link
from bot.staff import Role
from handlers.access import gate
from handlers.replies import reply
from messages import format_when, render, texts
from messages.languages import SUPPORTED_LANGUAGES, parse_language


def register(application: SchakelApp) -> None:
    only_caseworkers = gate(Role.CASEWORKER)
    application.add_handler(CommandHandler("nieuw", only_caseworkers(invite_newcomer)))


def language_list(context: SchakelContext) -> str:
    return ", ".join(
        code for code in SUPPORTED_LANGUAGES if code in context.services.config.locale.languages
    )


async def invite_newcomer(update: Update, context: SchakelContext) -> None:
    """/nieuw VOORNAAM TAAL: register a newcomer and answer with their single-use link."""
    caseworker = context.identity.staff
    assert caseworker is not None  # the gate let only caseworkers in
    services, lang = context.services, caseworker.language
    args = context.args or []
    if len(args) < 2:
        await reply(
            update,
            context,
            render(lang, texts.CLIENT_INVITE_USAGE, languages=language_list(context)),
        )
        return
    *name_parts, language_text = args
    language = parse_language(language_text)
    if language is None or language not in services.config.locale.languages:
        await reply(
            update,
            context,
            render(
                lang,
                texts.UNKNOWN_LANGUAGE,
                language=language_text,
                languages=language_list(context),
            ),
        )
        return
    try:
        invite = await clients.invite_client(
            services.store,
            services.clock,
            caseworker=caseworker,
            first_name=" ".join(name_parts),
            language=language,
            valid_days=services.config.invites.client_valid_days,
        )
    except clients.BadFirstName:
        await reply(update, context, render(lang, texts.BAD_FIRST_NAME, max=clients.FIRST_NAME_MAX))
        return
    link = start_link(services.config.telegram.bot_username, invite.token)
    expires = format_when(invite.expires_at, lang, services.config.locale.tzinfo)
    await reply(
        update,
        context,
        render(
            lang,
            texts.CLIENT_INVITE_CREATED,
            name=invite.client.first_name,
            reference=invite.client.reference,
            expires=expires,
            link=link,
        ),
    )


def caseworker_help(context: SchakelContext, language: str) -> str:
    return render(language, texts.CASEWORKER_HELP, languages=language_list(context))
