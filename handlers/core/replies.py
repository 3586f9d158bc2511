"""Answering the person who wrote, always through the outbox."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import CallbackQuery, Update
from telegram.error import BadRequest

from bot.people.staff import Role
from bot.sending.outbox import Attachment, Button, Outgoing
from handlers.core.context import SchakelContext
from messages import render, render_bilingual, texts

logger = logging.getLogger(__name__)

ROLE_TEXTS = texts.for_members(Role, "ROLE_")


QUOTE_MAX = 40


def quoted(typed: str) -> str:
    """What someone typed, as Schakel repeats it ("I do not understand this date: ..."):
    at most QUOTE_MAX characters, so that pasting a page still gets an answer Telegram
    accepts (at most 4,096 characters), with the help that follows the quote."""
    return typed if len(typed) <= QUOTE_MAX else typed[: QUOTE_MAX - 1] + "…"


def role_name(language: str, role: Role) -> str:
    return render(language, ROLE_TEXTS[role])


def update_key(update: Update) -> str:
    """What makes a reply's idempotency key: the same update handled twice (after a crash,
    before Telegram heard it was read) gives the same key, so the reply goes once. The
    update id alone is not enough: after a week without updates Telegram may start its
    ids again at random, so the message's chat and id (or the button press's id) go in
    too; an edit keeps its message's id but comes as an update of its own."""
    if update.callback_query is not None:
        return f"update:{update.update_id}:press:{update.callback_query.id}"
    message = update.effective_message
    if message is not None:
        return f"update:{update.update_id}:message:{message.chat_id}:{message.message_id}"
    return f"update:{update.update_id}"


async def reply(
    update: Update,
    context: SchakelContext,
    text: str,
    buttons: Sequence[Sequence[Button]] = (),
    *,
    key: str | None = None,
    keyboard: Sequence[Sequence[str]] = (),
    attachment: Attachment | None = None,
    chat_id: int | None = None,
    newcomer_id: int | None = None,
    secret: bool = False,
    protect: bool = False,
) -> None:
    """Send `text` to the chat of this update now; the update id makes it idempotent.

    `chat_id`: another chat (a staff member's private chat for a button pressed in a
    group). `newcomer_id`: the newcomer the message names, so "forget me" erases it.
    `secret`: it holds an invite link, dropped from the outbox once sent (bot/outbox.py).
    `protect`: Telegram's protect_content (no forwarding or saving).
    """
    if chat_id is None:
        if update.effective_chat is None:
            return
        chat_id = update.effective_chat.id
    context.replies_sent += 1
    identity = context.identity
    await context.services.send(
        Outgoing(
            chat_id=chat_id,
            text=text,
            buttons=buttons,
            keyboard=keyboard,
            attachment=attachment,
            purpose="reply",
            idempotency_key=key or f"{update_key(update)}:{context.replies_sent}",
            newcomer_id=identity.newcomer.id if identity.newcomer else newcomer_id,
            secret=secret,
            protect=protect,
        )
    )


async def not_understood(update: Update, context: SchakelContext) -> None:
    chat = update.effective_chat
    if chat is None or chat.type != chat.PRIVATE:
        return  # in groups Schakel only speaks when spoken to with a command it knows
    identity = context.identity
    if identity.newcomer is not None:
        await reply(update, context, render_bilingual(identity.language, texts.NOT_UNDERSTOOD))
    else:
        await reply(update, context, render(identity.language, texts.NOT_UNDERSTOOD))


async def drop_buttons(query: CallbackQuery, context: SchakelContext) -> None:
    """Take the buttons off the message whose question was just answered, at the chat's
    pace (an edit counts as a message). A courtesy: when Telegram refuses (a second quick
    tap found them gone already: "message is not modified"; the message was deleted:
    "message to edit not found"), the answer still stands, so the refusal is noted and
    the handler goes on."""
    message = query.message
    if message is None:
        return
    try:
        await context.services.dispatcher.paced(
            message.chat.id, lambda: query.edit_message_reply_markup(reply_markup=None)
        )
    except BadRequest as refused:
        logger.info("buttons not taken off: %s", refused.message)
