"""The newcomer's ✅ or ❌ to "may your details go to that organisation?", and the
caseworker's way back to the note (📝 under "they said yes")."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.core.callbacks import HANDOVER_CONSENT, HANDOVER_RESUME, row_id
from bot.handovers import consent
from bot.handovers.consent import AnswerProblem
from bot.handovers.words import consent_thanks
from bot.people.staff import Role, any_staff_by_id
from bot.storage import drafts
from handlers.core import forms
from handlers.core.access import NEWCOMER, gate, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from handlers.handovers.form import FORM
from messages import render, render_bilingual, texts


def register(application: SchakelApp) -> None:
    application.add_handler(
        CallbackQueryHandler(gate(NEWCOMER)(press_consent), pattern=HANDOVER_CONSENT.pattern)
    )
    application.add_handler(
        CallbackQueryHandler(gate(Role.CASEWORKER)(press_resume), pattern=HANDOVER_RESUME.pattern)
    )


async def press_consent(update: Update, context: SchakelContext) -> None:
    query = update.callback_query
    newcomer = context.identity.newcomer
    assert query is not None and newcomer is not None
    pressed = HANDOVER_CONSENT.parse(query.data)
    choice = pressed["answer"] if pressed else ""
    request_id = pressed.row("request") if pressed else 0
    answered = (
        await consent.answer(context.services, newcomer, request_id, choice == "yes")
        if choice in ("yes", "no")
        else AnswerProblem.NOT_THEIRS
    )
    if isinstance(answered, AnswerProblem):
        too_old = render_bilingual(newcomer.language, texts.BUTTON_TOO_OLD)
        await query.answer(too_old, show_alert=True)
        return
    await query.answer()
    caseworker = await any_staff_by_id(context.services.store, answered.staff_id)
    name = caseworker.name if caseworker else ""
    thanks = consent_thanks(newcomer.language, answered.status is consent.Status.AGREED, name,
                            answered.organisation)  # fmt: skip
    await reply(update, context, thanks)


async def press_resume(update: Update, context: SchakelContext) -> None:
    """📝 under "they said yes": the note put aside, back at its preview; or the form still
    being filled in for this question, at the step it waits at."""
    query = update.callback_query
    assert query is not None
    staff, services = staff_of(context), context.services
    pressed = HANDOVER_RESUME.parse(query.data)
    request_id = row_id(pressed["request"]) if pressed else 0
    draft = await drafts.get(services.store, staff.id)
    if draft is not None and draft.form == FORM.name and draft.data.get("request") == request_id:
        await query.answer()
        await forms.ask(forms.Turn(update, context, FORM, draft))
        return
    request = await consent.take_back(services, staff, request_id)
    if request is None or request.draft is None:
        await query.answer(render(staff.language, texts.BUTTON_TOO_OLD), show_alert=True)
        return
    await query.answer()
    await forms.start(update, context, FORM, request.draft, step=FORM.preview)
