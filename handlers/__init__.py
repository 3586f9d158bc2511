"""Telegram-facing code: parse the update, check the role, call a rule in bot/.

One folder per feature, as in bot/: core (who is writing, replies, the form engine, the
callback data), people, appointments, handovers, announcements, figures; above them the
newcomer's sheet (which offers every feature's actions for one newcomer) and /help."""

from __future__ import annotations

from handlers import help, newcomer_sheet
from handlers.announcements import commands as announcement_commands
from handlers.announcements import form as announcement_form
from handlers.announcements import rsvp, tags
from handlers.appointments import agenda, answers, planning
from handlers.appointments import wishes as appointment_wishes
from handlers.core import access, errors, forms
from handlers.core.context import SchakelApp
from handlers.figures import commands as figures
from handlers.handovers import consent as handover_consent
from handlers.handovers import form as handover_form
from handlers.handovers import notes as handover_notes
from handlers.people import admin, caseworker, coordinator, joining, newcomer, staff_leave


def register_all(application: SchakelApp) -> None:
    """Register every handler. Order matters: within a group the first match wins."""
    # Group -1: identify the writer once; strangers get a notice and stop here.
    access.register(application)
    # Group 0, role modules first: invite links (/start c_..., /start s_...) and each
    # role's commands, each gated once per role.
    joining.register(application)
    newcomer.register(application)
    admin.register(application)
    staff_leave.register(application)
    caseworker.register(application)
    newcomer_sheet.register(application)
    coordinator.register(application)
    answers.register(application)
    appointment_wishes.register(application)
    planning.register(application)
    agenda.register(application)
    handover_form.register(application)
    handover_consent.register(application)
    handover_notes.register(application)
    announcement_form.register(application)
    announcement_commands.register(application)
    rsvp.register(application)
    tags.register(application)
    figures.register(application)
    # /cancel and typed answers to a form staff are filling in (after every command).
    forms.register(application)
    # Still group 0, last: /help for every role, old buttons, and "not understood".
    help.register(application)
    application.add_error_handler(errors.report_error)
