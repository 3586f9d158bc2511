"""Labels on newcomers, so a coordinator can announce a session to e.g. everyone with
"beroepsperspectief": `/label CODE` shows them, `/label CODE woord` adds one,
`/label CODE -woord` takes one away. For the staff who may see the newcomer."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.announcements import audiences
from bot.announcements.audiences import TAG_MAX, BadTag
from bot.people import newcomers
from bot.people.staff import Role
from handlers.core.access import gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import quoted, reply
from messages import render, texts


def register(application: SchakelApp) -> None:
    staff = gate(Role.CASEWORKER, Role.COORDINATOR)
    application.add_handler(CommandHandler("label", staff(label_command)))


async def label_command(update: Update, context: SchakelContext) -> None:
    staff = context.identity.staff
    assert staff is not None  # gated
    services, lang = context.services, staff.language
    args = context.args or []
    if not args:
        await reply(update, context, render(lang, texts.TAG_USAGE))
        return
    newcomer = await newcomers.newcomer_for_staff(services.store, staff, args[0])
    if newcomer is None:
        await reply(
            update, context, render(lang, texts.NEWCOMER_NOT_FOUND, reference=quoted(args[0]))
        )
        return
    typed = " ".join(args[1:])
    actor = f"staff:{staff.id}"
    try:
        if typed.startswith("-"):
            await audiences.remove_tag(
                services.store, services.clock, newcomer, typed[1:], actor=actor
            )
        elif typed:
            await audiences.add_tag(services.store, services.clock, newcomer, typed, actor=actor)
    except BadTag:
        await reply(update, context, render(lang, texts.TAG_BAD, max=TAG_MAX))
        return
    tags = await audiences.tags_of(services.store, newcomer.id)
    values = {"name": newcomer.first_name, "reference": newcomer.reference}
    if tags:
        await reply(update, context, render(lang, texts.TAG_LIST, tags=", ".join(tags), **values))
    else:
        await reply(update, context, render(lang, texts.TAG_LIST_NONE, **values))
