"""Coordinators: an overview of newcomers and staff per organisation."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.figures.overview import partnership_overview
from bot.people.staff import Role
from handlers.core.access import gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from messages import render, texts


def register(application: SchakelApp) -> None:
    only_coordinators = gate(Role.COORDINATOR)
    application.add_handler(CommandHandler("overzicht", only_coordinators(show_overview)))


async def show_overview(update: Update, context: SchakelContext) -> None:
    language = context.identity.language
    overview = await partnership_overview(context.services.store)
    lines = [
        render(
            language,
            texts.COORDINATOR_OVERVIEW,
            newcomers=overview.newcomers,
            linked=overview.linked,
            staff=overview.staff,
        )
    ]
    lines += [
        render(
            language,
            texts.COORDINATOR_OVERVIEW_LINE,
            organisation=org.short_name,
            newcomers=org.newcomers,
            staff=org.staff,
        )
        for org in overview.organisations
    ]
    await reply(update, context, "\n".join(lines))


def coordinator_help(language: str) -> str:
    return "\n".join(
        [
            render(language, texts.COORDINATOR_HELP),
            render(language, texts.COORDINATOR_HELP_ANNOUNCE),
            render(language, texts.CASEWORKER_HELP_TAGS),
            render(language, texts.COORDINATOR_HELP_FIGURES),
            render(language, texts.COORDINATOR_HELP_MORE),
        ]
    )
