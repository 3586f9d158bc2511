"""The newcomer a staff member names in a command (`/client K-7F3Q`)."""

from __future__ import annotations

from telegram import Update

from bot.people import newcomers
from handlers.core.context import SchakelContext
from handlers.core.replies import quoted, reply
from messages import render, texts


async def newcomer_named_in_command(
    update: Update, context: SchakelContext, usage: str
) -> newcomers.Newcomer | None:
    """`/command CODE`: the newcomer this staff member may see, or None after saying why."""
    staff = context.identity.staff
    assert staff is not None  # only gated staff commands call this
    args = context.args or []
    if len(args) != 1:
        await reply(update, context, render(staff.language, usage))
        return None
    newcomer = await newcomers.newcomer_for_staff(context.services.store, staff, args[0])
    if newcomer is None:
        text = render(staff.language, texts.NEWCOMER_NOT_FOUND, reference=quoted(args[0]))
        await reply(update, context, text)
    return newcomer
