"""Telegram-facing code: parse the update, check the role, call a rule in bot/."""

from __future__ import annotations

from bot.application import SchakelApp
from handlers import (
    access,
    admin,
    agenda,
    announce_form,
    announcements,
    answers,
    caseworker,
    client,
    client_sheet,
    common,
    coordinator,
    errors,
    figures,
    forms,
    handover,
    handover_form,
    newcomer,
    planning,
    rsvp,
    tags,
)


def register_all(application: SchakelApp) -> None:
    """Register every handler. Order matters: within a group the first match wins."""
    # Group -1: identify the writer once; strangers get a notice and stop here.
    access.register(application)
    # Group 0, role modules first: invite links (/start c_..., /start s_...) and each
    # role's commands, each gated once per role.
    client.register(application)
    newcomer.register(application)
    admin.register(application)
    caseworker.register(application)
    client_sheet.register(application)
    coordinator.register(application)
    answers.register(application)
    planning.register(application)
    agenda.register(application)
    handover_form.register(application)
    handover.register(application)
    announce_form.register(application)
    announcements.register(application)
    rsvp.register(application)
    tags.register(application)
    figures.register(application)
    # /cancel and typed answers to a form staff are filling in (after every command).
    forms.register(application)
    # Still group 0, last: /help for every role, old buttons, and "not understood".
    common.register(application)
    application.add_error_handler(errors.report_error)
