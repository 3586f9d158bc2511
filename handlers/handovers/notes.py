"""The handover card's buttons (details, take over, decline), a newcomer's history, and
linking the partner group.

A card's buttons work for staff of the sending and the receiving organisation only;
anyone else is refused (and a refused look at the details is in the audit log too).
Whatever is pressed in the group, the answer with names goes privately to the presser.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.core.callbacks import HANDOVER_NOTE
from bot.handovers import notes as handovers
from bot.handovers.model import DeclineReason, Note, NoteStatus
from bot.handovers.notes import CannotDecide, DecideProblem
from bot.handovers.words import (
    DECLINE_NAMES,
    history_lines,
    note_text,
)
from bot.people.newcomers import Newcomer
from bot.people.staff import Role, StaffMember
from bot.sending.outbox import Button
from handlers.core.access import gate, pressed_button, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from handlers.people.lookup import newcomer_named_in_command
from messages import line, render, render_lines, texts


def register(application: SchakelApp) -> None:
    all_staff = gate(Role.CASEWORKER, Role.COORDINATOR, Role.ADMIN)
    application.add_handler(
        CallbackQueryHandler(all_staff(press_note), pattern=HANDOVER_NOTE.pattern)
    )
    application.add_handler(CommandHandler("geschiedenis", all_staff(history_command)))
    application.add_handler(CommandHandler("partnergroep", gate(Role.ADMIN)(link_partner_group)))


async def tell_privately(
    update: Update,
    context: SchakelContext,
    text: str,
    buttons: Sequence[Sequence[Button]] = (),
    *,
    newcomer_id: int | None = None,
    protect: bool = False,
) -> None:
    """To the presser's own chat, wherever the button was (the group sees nothing)."""
    staff_chat = staff_of(context).telegram_user_id
    await reply(
        update, context, text, buttons, chat_id=staff_chat, newcomer_id=newcomer_id,
        protect=protect,
    )  # fmt: skip


# --- the card's buttons --------------------------------------------------------------------


async def press_note(update: Update, context: SchakelContext) -> None:
    query, pressed = pressed_button(update, HANDOVER_NOTE)
    staff = staff_of(context)
    action, argument = (pressed["action"], pressed["reason"]) if pressed else ("", "")
    # By its random reference, read strictly: a made-up one is "not found", as a missing note.
    store = context.services.store
    note = await handovers.get_by_reference(store, pressed["note"]) if pressed else None
    handler = _ACTIONS.get(action)
    if handler is None or note is None:
        await query.answer(render(staff.language, texts.HANDOVER_NOT_FOUND), show_alert=True)
        return
    await handler(update, context, note, argument)


async def _alert(update: Update, text: str) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer(text, show_alert=True)


def _not_yours(staff: StaffMember, note: Note) -> str:
    return render(
        staff.language, texts.HANDOVER_NOT_YOURS,
        from_organisation=note.from_organisation, to_organisation=note.to_organisation,
    )  # fmt: skip


async def _details(update: Update, context: SchakelContext, note: Note, _: str) -> None:
    staff, services = staff_of(context), context.services
    readable = await handovers.read(services, staff, note.id)  # audited, allowed or not
    if readable is None:
        await _alert(update, _not_yours(staff, note))
        return
    assert update.callback_query is not None
    private = (
        update.effective_chat is not None and update.effective_chat.id == staff.telegram_user_id
    )
    await update.callback_query.answer(
        None if private else render(staff.language, texts.HANDOVER_DETAILS_SENT)
    )
    text = note_text(readable, staff.language, services.config.locale.tzinfo)
    # Protected: the details are for this reader, not to be forwarded or saved.
    await tell_privately(update, context, text, newcomer_id=readable.newcomer_id, protect=True)


def _refusal(staff: StaffMember, note: Note) -> str:
    """Why this person may not decide: the sender is told who can, anyone else is not."""
    if handovers.may_read(staff, note):
        return render(
            staff.language, texts.HANDOVER_ONLY_RECEIVER, organisation=note.to_organisation
        )
    return _not_yours(staff, note)


async def _decide_refused(update: Update, staff: StaffMember, refused: CannotDecide) -> None:
    if refused.problem is DecideProblem.ALREADY_DECIDED:
        await _alert(update, render(staff.language, texts.HANDOVER_ALREADY_DECIDED))
    elif refused.note is not None:
        await _alert(update, _refusal(staff, refused.note))
    else:
        await _alert(update, render(staff.language, texts.HANDOVER_NOT_FOUND))


async def _take(update: Update, context: SchakelContext, note: Note, _: str) -> None:
    staff, services = staff_of(context), context.services
    try:
        taken = await handovers.take_over(services, staff, note.id)
    except CannotDecide as refused:
        await _decide_refused(update, staff, refused)
        return
    assert update.callback_query is not None
    await update.callback_query.answer()
    values = {"name": taken.newcomer_name, "reference": taken.newcomer_reference}
    text = render(staff.language, texts.CONTACT_NOW_YOU, **values)
    await tell_privately(update, context, text, newcomer_id=taken.newcomer_id)


async def _ask_decline_reason(update: Update, context: SchakelContext, note: Note, _: str) -> None:
    staff = staff_of(context)
    if not handovers.may_decline(staff, note):
        await _alert(update, _refusal(staff, note))
        return
    if note.status is not NoteStatus.POSTED:
        await _alert(update, render(staff.language, texts.HANDOVER_ALREADY_DECIDED))
        return
    assert update.callback_query is not None
    await update.callback_query.answer()
    buttons = [
        [
            Button(
                render(staff.language, DECLINE_NAMES[reason]),
                HANDOVER_NOTE.data("why", note.reference, reason.value),
            )
        ]
        for reason in DeclineReason
    ]
    text = render(
        staff.language, texts.HANDOVER_ASK_DECLINE_REASON, organisation=note.to_organisation,
        reference=note.reference,
    )  # fmt: skip
    await tell_privately(update, context, text, buttons)


async def _decline(update: Update, context: SchakelContext, note: Note, reason: str) -> None:
    staff, services = staff_of(context), context.services
    if reason not in {r.value for r in DeclineReason}:
        await _alert(update, render(staff.language, texts.BUTTON_TOO_OLD))
        return
    try:
        declined = await handovers.decline(services, staff, note.id, DeclineReason(reason))
    except CannotDecide as refused:
        await _decide_refused(update, staff, refused)
        return
    assert update.callback_query is not None
    await update.callback_query.answer()
    text = render(staff.language, texts.HANDOVER_DECLINED_YOU, author=declined.author_name)
    await tell_privately(update, context, text)


_ACTIONS = {
    "details": _details,
    "take": _take,
    "decline": _ask_decline_reason,
    "why": _decline,
}


# --- history -----------------------------------------------------------------------------


async def history_command(update: Update, context: SchakelContext) -> None:
    """/geschiedenis CODE"""
    newcomer = await newcomer_named_in_command(update, context, texts.HISTORY_USAGE)
    if newcomer is not None:
        await show_history(update, context, newcomer)


async def show_history(update: Update, context: SchakelContext, newcomer: Newcomer) -> None:
    """Handovers and appointments so far, newest first, for staff who may see the newcomer."""
    staff, services = staff_of(context), context.services
    notes, planned = await handovers.history(services, staff, newcomer)
    values = {"name": newcomer.first_name, "reference": newcomer.reference}
    if not notes and not planned:
        await reply(update, context, render(staff.language, texts.HISTORY_NONE, **values))
        return
    lines = [line(texts.HISTORY_TITLE, **values)]
    lines += history_lines(notes, planned, services.config.locale.tzinfo)
    await reply(update, context, render_lines(staff.language, lines))


# --- the partner group -------------------------------------------------------------------


async def link_partner_group(update: Update, context: SchakelContext) -> None:
    """/partnergroep, typed by an admin inside the partners' group."""
    staff, services = staff_of(context), context.services
    chat = update.effective_chat
    if chat is None or chat.type == chat.PRIVATE:
        await reply(update, context, render(staff.language, texts.PARTNER_GROUP_ONLY_IN_GROUP))
        return
    if services.config.partner_channel.chat_id is not None:
        await reply(update, context, render(staff.language, texts.PARTNER_GROUP_IN_CONFIG))
        return
    await handovers.link_partner_group(services, chat.id, staff)
    await reply(update, context, render(staff.language, texts.PARTNER_GROUP_LINKED))
