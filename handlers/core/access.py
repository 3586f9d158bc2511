"""The door: the writer is identified once per update; strangers and former staff stop
here, and so does whatever a group may not ask (handlers/permissions.py lists who may do what)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable, Coroutine
from typing import Any, Literal

from telegram import CallbackQuery, Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.appointments.reminders import newcomer_reachable_again
from bot.core.callbacks import Callback, Pressed
from bot.core.clock import to_db
from bot.people.identity import identify
from bot.people.invites import NEWCOMER_PREFIX, STAFF_PREFIX
from bot.people.newcomers import NewcomerStatus
from bot.people.staff import Role, StaffMember
from bot.sending import outbox
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.permissions import allowed_in_groups
from handlers.core.replies import reply, role_name
from messages import SOURCE_LANGUAGE, render, render_bilingual, render_everywhere, texts
from messages.languages import SUPPORTED_LANGUAGES, parse_language

HandlerFunction = Callable[[Update, SchakelContext], Coroutine[Any, Any, None]]
NEWCOMER: Literal["newcomer"] = "newcomer"
# The roles a gated callback lets in, kept on it so tests can hold the registry to them.
GATE_ROLES = "schakel_gate_roles"
# A stranger who writes again after this long without a notice gets it again.
STRANGER_QUIET = dt.timedelta(days=1)
# `/start c_...` or `/start s_...`: the only thing a stranger may send.
_INVITE_START = re.compile(rf"^/start(@\w+)?\s+({NEWCOMER_PREFIX}|{STAFF_PREFIX})[\w-]+\s*$")


def register(application: SchakelApp) -> None:
    # Group -1 runs before every role's handlers.
    application.add_handler(TypeHandler(Update, identify_writer), group=-1)


def _is_invite(update: Update) -> bool:
    message = update.effective_message
    return bool(message and message.text and _INVITE_START.match(message.text))


async def identify_writer(update: Update, context: SchakelContext) -> None:
    """Set context.identity; a stranger gets a notice in several languages, nothing else.
    In a group only what is marked for groups goes on (the handover card's buttons,
    /partnergroep): an answer there would be read by everyone in it."""
    user = update.effective_user
    if user is None:
        raise ApplicationHandlerStop  # channel posts, polls and the like: not for Schakel
    context.identity = await identify(context.services.store, user.id)
    newcomer = context.identity.newcomer
    if newcomer is not None and newcomer.status is NewcomerStatus.UNREACHABLE:
        # They wrote, so Telegram delivers to them again (they unblocked Schakel).
        newcomer = await newcomer_reachable_again(context.services, newcomer)
        context.identity = dataclasses.replace(context.identity, newcomer=newcomer)
    chat = update.effective_chat
    private = chat is not None and chat.type == chat.PRIVATE
    if (former := context.identity.former_staff) is not None:
        await _refuse_former_staff(update, context, former, private=private)
    if update.edited_message is not None and context.identity.known:
        await _edit_not_read(update, context, private)
    # An invite link counts only in a private chat (the chat is where the newcomer's
    # messages will go; typed in a group it would send them there).
    invite = private and _is_invite(update) and update.edited_message is None
    if context.identity.known or invite:
        if not private and not allowed_in_groups(update):
            await _refuse_in_group(update, context)
        return
    first = parse_language(user.language_code or "")
    if update.callback_query is not None:
        notice = render(first or SOURCE_LANGUAGE, texts.UNKNOWN_PERSON)
        await update.callback_query.answer(notice, show_alert=True)
    elif private:
        await _tell_stranger(update, context, user.id, first)
    raise ApplicationHandlerStop


async def _tell_stranger(
    update: Update, context: SchakelContext, user_id: int, first: str | None
) -> None:
    """The notice in every language (theirs first), again after a quiet day: never
    silence, however long ago the last one was, and never a flood, however much they
    write."""
    services = context.services
    now = services.clock()
    last = await outbox.last_stored_under(services.store, f"stranger:{user_id}:")
    if last is not None and now - last < STRANGER_QUIET:
        return
    order = [first] if first else []
    order += [code for code in SUPPORTED_LANGUAGES if code != first]
    notice = render_everywhere(texts.UNKNOWN_PERSON, order)
    await reply(update, context, notice, key=f"stranger:{user_id}:{to_db(now)}")


async def _edit_not_read(update: Update, context: SchakelContext, private: bool) -> None:
    """An edited message is never an answer (to a form step, a command): Schakel read the
    first version already, and a changed one could slip onto the partner group's card. A
    known person in a private chat is told once per edit what to do instead; in a group,
    Schakel says nothing. (A stranger's edit is answered like anything a stranger sends.)"""
    identity = context.identity
    if identity.known and private:
        text = (
            render_bilingual(identity.language, texts.EDIT_NOT_READ)
            if identity.newcomer is not None
            else render(identity.language, texts.EDIT_NOT_READ)
        )
        await reply(update, context, text)
    raise ApplicationHandlerStop


async def _refuse_former_staff(
    update: Update, context: SchakelContext, former: StaffMember, *, private: bool
) -> None:
    """Someone whose access an admin ended: one line saying so, in their language, and
    nothing else, whatever they send (an invite link too: an admin gives access back with
    /medewerkers). Not the stranger's notice: they know Schakel, and "ask your counsellor
    for a link" would send them looking for a way back in; this line tells them whom to
    ask, and tells nothing they did not know."""
    notice = render(former.language, texts.STAFF_ACCESS_ENDED)
    if update.callback_query is not None:
        await update.callback_query.answer(notice, show_alert=True)
    elif private:
        # Once an hour, however much they write (as for strangers).
        hour = context.services.clock().strftime("%Y%m%d%H")
        await reply(update, context, notice, key=f"former-staff:{former.id}:{hour}")
    raise ApplicationHandlerStop


async def _refuse_in_group(update: Update, context: SchakelContext) -> None:
    """A button gets "not for you" (only the presser sees it); a message, silence."""
    if update.callback_query is not None:
        text = render(context.identity.language, texts.BUTTON_NOT_FOR_YOU)
        await update.callback_query.answer(text, show_alert=True)
    raise ApplicationHandlerStop


def staff_of(context: SchakelContext) -> StaffMember:
    """The staff member behind a callback that a staff gate let through."""
    staff = context.identity.staff
    assert staff is not None  # gated
    return staff


def pressed_button(update: Update, callback: Callback) -> tuple[CallbackQuery, Pressed | None]:
    """The button press behind a button handler, and its data read by `callback` (None when
    the data is forged or from an older version: the handler answers "not found")."""
    query = update.callback_query
    assert query is not None  # registered as a CallbackQueryHandler
    return query, callback.parse(query.data)


def gate(
    role: Role | Literal["newcomer"], *more: Role
) -> Callable[[HandlerFunction], HandlerFunction]:
    """Let a callback run only for these roles; everyone else gets a short refusal."""

    def wrap(callback: HandlerFunction) -> HandlerFunction:
        @functools.wraps(callback)
        async def gated(update: Update, context: SchakelContext) -> None:
            identity = context.identity
            if role == NEWCOMER:
                allowed = identity.newcomer is not None
            else:
                allowed = identity.role is not None and identity.role in (role, *more)
            if allowed:
                await callback(update, context)
                return
            if update.callback_query is not None:
                await update.callback_query.answer(
                    render(identity.language, texts.BUTTON_NOT_FOR_YOU), show_alert=True
                )
                return
            if identity.staff is None or role == NEWCOMER:
                # Newcomers are not told which staff commands exist.
                await reply(update, context, render(identity.language, texts.NOT_UNDERSTOOD))
            else:
                await reply(
                    update,
                    context,
                    render(
                        identity.language,
                        texts.ONLY_FOR_ROLE,
                        role=role_name(identity.language, role),
                    ),
                )

        setattr(gated, GATE_ROLES, frozenset((role, *more)))
        return gated

    return wrap
