"""Coordinators' announcements after the form: `/aankondigingen` lists them with what
each can still do (change or cancel while scheduled; the answers once sent)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.announcements import records as announcements
from bot.announcements.model import Announcement, AnnouncementStatus
from bot.announcements.words import answer_counts, answers_split, list_line, title_in
from bot.core.callbacks import ANNOUNCEMENT_ACTION
from bot.people.staff import Role
from bot.sending.outbox import Button
from handlers.announcements import form as announce_form
from handlers.core.access import gate, pressed_button, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from messages import render, texts

ACTIONS = ("change", "cancel", "cancel_yes", "cancel_no", "answers")


def register(application: SchakelApp) -> None:
    coordinators = gate(Role.COORDINATOR)
    application.add_handler(CommandHandler("aankondigingen", coordinators(show_list)))
    application.add_handler(
        CallbackQueryHandler(coordinators(press_action), pattern=ANNOUNCEMENT_ACTION.pattern)
    )


def _tap(language: str, text: str, action: str, announcement: Announcement) -> Button:
    return Button(
        render(language, text, code=announcement.code),
        ANNOUNCEMENT_ACTION.data(action, announcement.id),
    )


async def show_list(update: Update, context: SchakelContext) -> None:
    lang = staff_of(context).language
    services = context.services
    recent = await announcements.recent(services.store)
    if not recent:
        await reply(update, context, render(lang, texts.ANNOUNCE_LIST_NONE))
        return
    tzinfo = services.config.locale.tzinfo
    lines = [render(lang, texts.ANNOUNCE_LIST_TITLE)]
    rows: list[list[Button]] = []
    for announcement in recent:
        lines.append(list_line(lang, announcement, tzinfo))
        if announcement.status is AnnouncementStatus.SCHEDULED:
            rows.append([_tap(lang, texts.BUTTON_CHANGE_CODE, "change", announcement),
                         _tap(lang, texts.BUTTON_CANCEL_CODE, "cancel", announcement)])  # fmt: skip
        elif announcement.status is not AnnouncementStatus.CANCELLED:
            rows.append([_tap(lang, texts.BUTTON_ANSWERS_CODE, "answers", announcement)])
    await reply(update, context, "\n".join(lines), rows)


async def press_action(update: Update, context: SchakelContext) -> None:
    query, pressed = pressed_button(update, ANNOUNCEMENT_ACTION)
    staff, services = staff_of(context), context.services
    action = pressed["action"] if pressed else ""
    announcement = (
        await announcements.get(services.store, pressed.row("announcement")) if pressed else None
    )
    if announcement is None or action not in ACTIONS:
        await query.answer(render(staff.language, texts.BUTTON_TOO_OLD), show_alert=True)
        return
    await query.answer()
    if action == "answers":
        await show_answers(update, context, announcement)
    elif action == "cancel_no":
        await show_list(update, context)
    elif announcement.status is not AnnouncementStatus.SCHEDULED:
        await reply(update, context, render(staff.language, texts.ANNOUNCE_ALREADY_GONE,
                                            code=announcement.code))  # fmt: skip
    elif action == "change":
        await announce_form.change(update, context, announcement)
    elif action == "cancel":
        await ask_cancel(update, context, announcement)
    else:
        await cancel(update, context, announcement)


async def ask_cancel(update: Update, context: SchakelContext, announcement: Announcement) -> None:
    lang = staff_of(context).language
    title = title_in(announcement, lang)
    text = render(lang, texts.ANNOUNCE_ASK_CANCEL, code=announcement.code, title=title)
    yes_no = [_tap(lang, texts.BUTTON_YES, "cancel_yes", announcement),
              _tap(lang, texts.BUTTON_NO, "cancel_no", announcement)]  # fmt: skip
    await reply(update, context, text, [yes_no])


async def cancel(update: Update, context: SchakelContext, announcement: Announcement) -> None:
    staff = staff_of(context)
    cancelled = await announcements.cancel(context.services, announcement.id, staff)
    said = texts.ANNOUNCE_CANCELLED if cancelled else texts.ANNOUNCE_ALREADY_GONE
    await reply(update, context, render(staff.language, said, code=announcement.code))


async def show_answers(update: Update, context: SchakelContext, announcement: Announcement) -> None:
    lang, store = staff_of(context).language, context.services.store
    counts = await announcements.rsvp_counts(store, announcement.id)
    progress = await announcements.progress(store, announcement.id)
    groups = await announcements.answers_by_group(store, announcement.id)
    title = title_in(announcement, lang)
    lines = [f"{announcement.code} {title}", answer_counts(lang, counts, progress.sent)]
    await reply(update, context, "\n".join([*lines, "", *answers_split(lang, groups)]))
