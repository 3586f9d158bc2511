"""A newcomer's answer under an announcement: I'll come / I can't come. Only someone it
was sent to can answer, until the session begins; a later answer replaces an earlier."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.announcements import records as broadcasts
from bot.announcements.records import Rsvp
from bot.announcements.words import RSVP_DATA
from bot.core.callbacks import row_id
from handlers.core.access import CLIENT, gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from messages import render, render_bilingual, texts

ANSWERS = {Rsvp.COMING: texts.RSVP_COMING, Rsvp.NOT_COMING: texts.RSVP_NOT_COMING}


def register(application: SchakelApp) -> None:
    application.add_handler(CallbackQueryHandler(gate(CLIENT)(press_rsvp), pattern=f"^{RSVP_DATA}"))


async def press_rsvp(update: Update, context: SchakelContext) -> None:
    query = update.callback_query
    client = context.identity.client
    assert query is not None and client is not None
    services = context.services
    ref, _, value = (query.data or "").removeprefix(RSVP_DATA).partition(":")
    answer = Rsvp(value) if value in {r.value for r in Rsvp} else None
    broadcast = await broadcasts.get(services.store, row_id(ref))
    if (
        answer is None
        or broadcast is None
        or not await broadcasts.was_sent_to(services.store, broadcast.id, client.id)
    ):
        await query.answer(render(client.language, texts.BUTTON_NOT_FOR_YOU), show_alert=True)
        return
    if broadcast.starts_at is None or broadcast.starts_at <= services.clock():
        await query.answer(render(client.language, texts.RSVP_CLOSED), show_alert=True)
        return
    await broadcasts.record_rsvp(services, broadcast.id, client.id, answer)
    await query.answer()
    await reply(update, context, render_bilingual(client.language, ANSWERS[answer]))
