"""Forms staff fill in by chat (an appointment, a handover note, an announcement):
`/cancel`, and typed answers routed to the form that waits for them. Registered last
but one, so a command or a button is never taken for an answer."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot import drafts
from bot.application import SchakelApp, SchakelContext
from bot.staff import Role
from handlers import announce_form, handover_form, planning
from handlers.access import gate
from handlers.common import not_understood, stop_form

TYPED_ANSWERS = {
    planning.FORM: planning.typed_answer,
    handover_form.FORM: handover_form.typed_answer,
    announce_form.FORM: announce_form.typed_answer,
}


def register(application: SchakelApp) -> None:
    staff = gate(Role.CASEWORKER, Role.COORDINATOR, Role.ADMIN)
    application.add_handler(CommandHandler("cancel", staff(stop_form)))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, typed_answer))


async def typed_answer(update: Update, context: SchakelContext) -> None:
    staff = context.identity.staff
    chat = update.effective_chat
    draft = await drafts.get(context.services.store, staff.id) if staff else None
    answer = TYPED_ANSWERS.get(draft.form) if draft else None
    if draft is None or answer is None or chat is None or chat.type != chat.PRIVATE:
        await not_understood(update, context)
        return
    await answer(update, context, draft)
