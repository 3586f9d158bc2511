"""Coordinators: an overview of newcomers and staff per organisation."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.figures.overview import partnership_overview
from bot.figures.words import overview_lines
from bot.people.staff import Role
from handlers.core.access import gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from messages import render, render_lines, texts


def register(application: SchakelApp) -> None:
    only_coordinators = gate(Role.COORDINATOR)
    application.add_handler(CommandHandler("overzicht", only_coordinators(show_overview)))


async def show_overview(update: Update, context: SchakelContext) -> None:
    overview = await partnership_overview(context.services.store)
    text = render_lines(context.identity.language, overview_lines(overview))
    await reply(update, context, text)


def coordinator_help(language: str) -> str:
    return "\n".join(
        [
            render(language, texts.COORDINATOR_HELP),
            render(language, texts.COORDINATOR_HELP_ANNOUNCE),
            render(language, texts.CASEWORKER_HELP_TAGS),
            figures_help(language),
            render(language, texts.COORDINATOR_HELP_MORE),
        ]
    )


def figures_help(language: str) -> str:
    """The figures of a period, and of one organisation for partners who report alone."""
    figures = render(language, texts.COORDINATOR_HELP_FIGURES)
    return f"{figures} {render(language, texts.FIGURES_USAGE_ORGANISATION)}"
