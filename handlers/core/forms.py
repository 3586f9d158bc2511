"""Forms staff fill in by chat (an appointment, a handover note, an announcement):
`/cancel`, and typed answers routed to the form that waits for them. Registered last
but one, so a command or a button is never taken for an answer. Each form tells this
module which function takes its typed answers (`answers_typed_by`), so the engine
knows no form by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.core.typed_dates import WhenProblem
from bot.people.staff import Role
from bot.storage import drafts
from handlers.core.access import gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import not_understood, reply
from messages import render, texts

TypedAnswer = Callable[[Update, SchakelContext, drafts.Draft], Awaitable[None]]
TYPED_ANSWERS: dict[str, TypedAnswer] = {}

# What a typed moment got wrong (bot/when_text.parse_when), for every form that asks one.
WHEN_PROBLEMS = {
    WhenProblem.UNCLEAR: texts.WHEN_UNCLEAR,
    WhenProblem.NO_SUCH_DATE: texts.WHEN_NO_SUCH_DATE,
    WhenProblem.WRONG_WEEKDAY: texts.WHEN_WRONG_WEEKDAY,
    WhenProblem.PAST: texts.WHEN_PAST,
}


def answers_typed_by(form: str, answer: TypedAnswer) -> None:
    """A form's typed answers go to `answer` while a draft of that form waits."""
    TYPED_ANSWERS[form] = answer


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


async def stop_form(update: Update, context: SchakelContext) -> None:
    """/cancel or ✖ in any form staff fill in: the draft is dropped, nothing is saved."""
    staff = context.identity.staff
    assert staff is not None  # only gated staff handlers call this
    await drafts.drop(context.services.store, staff.id)
    await reply(update, context, render(staff.language, texts.PLAN_STOPPED))


async def draft_waiting_for(
    update: Update, context: SchakelContext, form: str, prefix: str
) -> tuple[drafts.Draft, str, str] | None:
    """A form's button (`<prefix><step>:<value>`): the draft, step and value when the form
    waits at that step; else "this button no longer works" and None (an old or made-up one)."""
    query = update.callback_query
    staff = context.identity.staff
    assert query is not None and staff is not None  # only gated staff buttons call this
    step, _, value = (query.data or "").removeprefix(prefix).partition(":")
    draft = await drafts.get(context.services.store, staff.id)
    if draft is None or draft.form != form or draft.step != step:
        await query.answer(render(staff.language, texts.BUTTON_TOO_OLD), show_alert=True)
        return None
    return draft, step, value
