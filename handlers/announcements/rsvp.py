"""A newcomer's answer under an announcement: I'll come / I can't come. Only someone it
was sent to can answer, until the session begins; a later answer replaces an earlier."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.announcements import records as announcements
from bot.announcements.model import Rsvp
from bot.core.callbacks import RSVP
from handlers.core.access import NEWCOMER, gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from messages import render, render_bilingual, texts

ANSWERS = {Rsvp.COMING: texts.RSVP_COMING, Rsvp.NOT_COMING: texts.RSVP_NOT_COMING}


def register(application: SchakelApp) -> None:
    application.add_handler(CallbackQueryHandler(gate(NEWCOMER)(press_rsvp), pattern=RSVP.pattern))


async def press_rsvp(update: Update, context: SchakelContext) -> None:
    query = update.callback_query
    newcomer = context.identity.newcomer
    assert query is not None and newcomer is not None
    services = context.services
    pressed = RSVP.parse(query.data)
    value = pressed["answer"] if pressed else ""
    answer = Rsvp(value) if value in {r.value for r in Rsvp} else None
    announcement = (
        await announcements.get(services.store, pressed.row("announcement")) if pressed else None
    )
    if (
        answer is None
        or announcement is None
        or not await announcements.was_sent_to(services.store, announcement.id, newcomer.id)
    ):
        await query.answer(render(newcomer.language, texts.BUTTON_NOT_FOR_YOU), show_alert=True)
        return
    if announcement.starts_at is None or announcement.starts_at <= services.clock():
        await query.answer(render(newcomer.language, texts.RSVP_CLOSED), show_alert=True)
        return
    await announcements.record_rsvp(services, announcement.id, newcomer.id, answer)
    await query.answer()
    await reply(update, context, render_bilingual(newcomer.language, ANSWERS[answer]))
