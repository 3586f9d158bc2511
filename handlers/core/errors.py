"""The one error handler: log first, then tell the person, in their language."""

from __future__ import annotations

import logging

from telegram import Update

from bot.people.identity import identify
from handlers.core.context import SchakelContext
from handlers.core.replies import reply
from messages import render, render_bilingual, texts

logger = logging.getLogger(__name__)


async def report_error(update: object, context: SchakelContext) -> None:
    logger.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    identity = context.identity
    if not identity.known and update.effective_user is not None:
        # PTB gives the error handler a context of its own, without the identity the door
        # found: look again, so a newcomer hears it in their language too.
        try:
            identity = await identify(context.services.store, update.effective_user.id)
        except Exception:  # the database may be what failed: Dutch then
            logger.debug("could not identify the user after an error", exc_info=True)
    if identity.newcomer is not None:
        text = render_bilingual(identity.language, texts.SOMETHING_WENT_WRONG)
    else:
        text = render(identity.language, texts.SOMETHING_WENT_WRONG)
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except Exception:  # the query may be too old to answer; the message below still goes
            logger.debug("could not answer callback query", exc_info=True)
    try:
        await reply(update, context, text, key=f"error:{update.update_id}")
    except Exception:
        # The outbox itself failed (database gone?): say it directly rather than stay silent.
        logger.exception("outbox unavailable; telling the user directly")
        await context.bot.send_message(update.effective_chat.id, text)
