"""Staff looking after newcomers: the list, one newcomer's sheet, and its buttons.

A caseworker sees and changes only the newcomers they help; coordinators and admins
see all (bot.people.newcomers.newcomer_for_staff). Every button names the newcomer by reference
and is checked again when pressed, so forged or forwarded buttons change nothing. Which
actions a role has comes from handlers/permissions.py: the sheet shows only those, and
a press of another is refused.
"""

from __future__ import annotations

from telegram import MaybeInaccessibleMessage, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.appointments import records as appointments
from bot.appointments import wishes
from bot.core.callbacks import NEWCOMER_SHEET, row_id
from bot.core.phones import display_phone
from bot.people import counsellors, newcomers
from bot.people.by_sms import SmsState
from bot.people.contact_card import contact_changed_notice
from bot.people.staff import Role
from bot.privacy import data_rights as newcomer_data
from bot.sending.outbox import Button, Outgoing
from handlers.appointments import planning
from handlers.core.access import gate, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.permissions import Who, allows
from handlers.core.replies import drop_buttons, reply, role_name
from handlers.handovers import form as handover_form
from handlers.handovers import notes as handover
from handlers.people.cards import (
    SMS_STATE_NAMES,
    STATUS_NAMES,
    language_buttons,
    menu_keyboard,
    newcomer_sheet,
    record_lines,
)
from handlers.people.caseworker import ask_sms_number, send_invite
from handlers.people.lookup import newcomer_named_in_command
from handlers.people.newcomer import forget
from messages import format_when, render, render_bilingual, render_lines_bilingual, texts
from messages.languages import ENDONYMS

LIST_AT_MOST = 40


def register(application: SchakelApp) -> None:
    all_staff = gate(Role.CASEWORKER, Role.COORDINATOR, Role.ADMIN)
    application.add_handler(CommandHandler("clienten", all_staff(list_newcomers)))
    application.add_handler(CommandHandler("client", all_staff(show_newcomer)))
    application.add_handler(
        CallbackQueryHandler(all_staff(press_sheet_button), pattern=NEWCOMER_SHEET.pattern)
    )


async def list_newcomers(update: Update, context: SchakelContext) -> None:
    staff, services = staff_of(context), context.services
    lang = staff.language
    found = await newcomers.visible_newcomers(services.store, staff)
    if not found:
        await reply(update, context, render(lang, texts.NEWCOMERS_NONE))
        return
    now = services.clock()
    starts = await appointments.next_starts(services.store, [c.id for c in found], now)
    tz = services.config.locale.tzinfo
    lines = [render(lang, texts.NEWCOMERS_TITLE, count=len(found))]
    for newcomer in found[:LIST_AT_MOST]:
        start = starts.get(newcomer.id)
        lines.append(
            render(
                lang,
                texts.NEWCOMERS_LINE,
                reference=newcomer.reference,
                name=newcomer.first_name,
                language=newcomer.language,
                status=render(lang, STATUS_NAMES[newcomer.status]),
                next=format_when(start, lang, tz) if start else render(lang, texts.NO_NEXT),
            )
        )
    if len(found) > LIST_AT_MOST:
        lines.append(render(lang, texts.NEWCOMERS_MORE, count=len(found) - LIST_AT_MOST))
    await reply(update, context, "\n".join(lines))


async def show_newcomer(update: Update, context: SchakelContext) -> None:
    """/client CODE: one newcomer, with buttons for what their caseworker may change."""
    newcomer = await newcomer_named_in_command(update, context, texts.NEWCOMER_USAGE)
    if newcomer is not None:
        await _send_sheet(update, context, newcomer)


async def _send_sheet(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer
) -> None:
    staff, services = staff_of(context), context.services
    lang = staff.language
    people = await counsellors.counsellors_of(services.store, newcomer.id)
    starts = await appointments.next_starts(services.store, [newcomer.id], services.clock())
    wish = await wishes.get(services.store, newcomer.id)
    text = newcomer_sheet(
        lang, newcomer, people, starts.get(newcomer.id), services.config.locale.tzinfo, wish
    )
    # The mobile number only for the people who help them (not every coordinator).
    if newcomer.sms_number and newcomer.sms_state and staff.id in {c.staff_id for c in people}:
        state = render(lang, SMS_STATE_NAMES[SmsState(newcomer.sms_state)])
        number = display_phone(newcomer.sms_number)
        text += "\n" + render(lang, texts.NEWCOMER_SHEET_SMS, number=number, state=state)

    shown = [
        [(texts.BUTTON_CHANGE_LANGUAGE, "lang"), (texts.BUTTON_CHANGE_CONTACT, "contact")],
        [(texts.BUTTON_NEW_LINK, "link"), (texts.BUTTON_REVOKE_LINK, "revoke")],
        [(texts.BUTTON_APPOINTMENTS, "appts"), (texts.BUTTON_NEW_APPOINTMENT, "plan")],
        [(texts.BUTTON_HANDOVER, "handover"), (texts.BUTTON_HISTORY, "history")],
        [(texts.BUTTON_EXPORT, "export"), (texts.BUTTON_FORGET, "forget")],
    ]
    if services.config.sms.enabled:  # a number for SMS: their only channel, or the fallback
        shown.insert(2, [(texts.BUTTON_SMS_NUMBER, "sms")])
    who = Who.of(context.identity)
    rows = [
        [
            Button(render(lang, label), NEWCOMER_SHEET.data(action, newcomer.reference))
            for label, action in row
            if _may(who, action)
        ]
        for row in shown
    ]
    await reply(update, context, text, [row for row in rows if row])


def _may(who: Who, action: str) -> bool:
    return action in _ACTIONS and allows(f"{NEWCOMER_SHEET.prefix}{action}:", who)


async def press_sheet_button(update: Update, context: SchakelContext) -> None:
    query = update.callback_query
    if query is None:
        return
    staff, services = staff_of(context), context.services
    pressed = NEWCOMER_SHEET.parse(query.data)
    action, reference, argument = (
        (pressed["action"], pressed["reference"], pressed["argument"]) if pressed else ("", "", "")
    )
    newcomer = await newcomers.newcomer_for_staff(services.store, staff, reference)
    handler = _ACTIONS.get(action) if _may(Who.of(context.identity), action) else None
    if newcomer is None or handler is None:
        # Under a sheet that names them (the newcomer was erased since, or is no longer
        # this person's to see) the button is out of date; anywhere else "not for you",
        # the same as for a reference that never existed, so nothing leaks.
        stale = newcomer is None and reference != "" and reference in _text_of(query.message)
        alert = texts.BUTTON_TOO_OLD if stale else texts.BUTTON_NOT_FOR_YOU
        await query.answer(render(staff.language, alert), show_alert=True)
        return
    await query.answer()
    await handler(update, context, newcomer, argument)


def _text_of(message: MaybeInaccessibleMessage | None) -> str:
    """What the bot's message with the button says ("" when Telegram no longer shows it)."""
    if not isinstance(message, Message):
        return ""
    return message.text or message.caption or ""


async def _choose_language(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    lang = staff_of(context).language
    await reply(
        update,
        context,
        render(
            lang, texts.CHOOSE_LANGUAGE_FOR, name=newcomer.first_name, reference=newcomer.reference
        ),
        language_buttons(
            context.services.config.locale.languages,
            lambda code: NEWCOMER_SHEET.data("setlang", newcomer.reference, code),
        ),
    )


async def _set_language(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, code: str
) -> None:
    staff, services = staff_of(context), context.services
    if code not in services.config.locale.languages:
        await reply(update, context, render(staff.language, texts.BUTTON_NOT_FOR_YOU))
        return
    newcomer = await newcomers.set_language(
        services.store, services.clock, newcomer, code, actor=f"staff:{staff.id}"
    )
    await reply(
        update,
        context,
        render(
            staff.language, texts.LANGUAGE_SET_FOR, name=newcomer.first_name,
            reference=newcomer.reference, language=ENDONYMS[code],
        ),
    )  # fmt: skip
    if newcomer.consent and newcomer.chat_id is not None:
        await services.send(
            Outgoing(
                chat_id=newcomer.chat_id,
                text=render_bilingual(code, texts.LANGUAGE_CHANGED, language=ENDONYMS[code]),
                keyboard=menu_keyboard(code),
                purpose="notice",
                idempotency_key=f"language:{update.update_id}",
                newcomer_id=newcomer.id,
            )
        )


async def _choose_contact(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    staff, services = staff_of(context), context.services
    choices = await counsellors.contact_choices(services.store, newcomer, staff)
    if not choices:
        await reply(update, context, render(staff.language, texts.NO_OTHER_CONTACT))
        return
    buttons = [
        [
            Button(
                f"{choice.name} ({choice.organisation})",
                NEWCOMER_SHEET.data("setcontact", newcomer.reference, choice.staff_id),
            )
        ]
        for choice in choices
    ]
    await reply(
        update,
        context,
        render(
            staff.language, texts.CHOOSE_CONTACT_FOR, name=newcomer.first_name,
            reference=newcomer.reference,
        ),
        buttons,
    )  # fmt: skip


async def _set_contact(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, staff_id: str
) -> None:
    staff, services = staff_of(context), context.services
    contact = await counsellors.set_contact(
        services.store, services.clock, newcomer=newcomer, staff_id=row_id(staff_id), actor=staff
    )
    if contact is None:
        await reply(update, context, render(staff.language, texts.BUTTON_NOT_FOR_YOU))
        return
    names = {"name": newcomer.first_name, "reference": newcomer.reference}
    await reply(
        update,
        context,
        render(staff.language, texts.CONTACT_SET_FOR, contact=contact.name, **names),
    )
    key = f"contact:{update.update_id}"
    if contact.telegram_user_id is not None and contact.telegram_user_id != staff.telegram_user_id:
        await services.send(
            Outgoing(
                chat_id=contact.telegram_user_id,
                text=render(contact.staff_language, texts.CONTACT_NOW_YOU, **names),
                purpose="notice",
                idempotency_key=f"{key}:staff",
            )
        )
    # The newcomer hears it in their own language and Dutch, with the new card under it.
    people = await counsellors.counsellors_of(services.store, newcomer.id)
    if notice := contact_changed_notice(newcomer, people, f"{key}:newcomer"):
        await services.send(notice)


async def _new_link(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    staff, services = staff_of(context), context.services
    invite = await newcomers.reinvite_newcomer(
        services.store, services.clock, newcomer, actor=staff,
        valid_days=services.config.invites.newcomer_valid_days,
    )  # fmt: skip
    await send_invite(update, context, invite)


async def _revoke_link(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    staff, services = staff_of(context), context.services
    count = await newcomers.revoke_invites(services.store, services.clock, newcomer, actor=staff)
    text = texts.LINK_REVOKED_FOR if count else texts.NO_OPEN_LINK
    await reply(
        update,
        context,
        render(staff.language, text, name=newcomer.first_name, reference=newcomer.reference),
    )


async def _export(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    """What the newcomer would see with /gegevens, for the caseworker to pass on."""
    staff, services = staff_of(context), context.services
    record = await newcomer_data.everything_about(
        services.store, services.clock, newcomer, actor=f"staff:{staff.id}"
    )
    lines = record_lines(record, services.config.locale.tzinfo)
    await reply(update, context, render_lines_bilingual(newcomer.language, lines))


async def _ask_forget(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    lang = staff_of(context).language
    ref = newcomer.reference
    buttons = [
        [
            Button(render(lang, texts.BUTTON_FORGET_YES), NEWCOMER_SHEET.data("forgetyes", ref)),
            Button(render(lang, texts.BUTTON_FORGET_NO), NEWCOMER_SHEET.data("forgetno", ref)),
        ]
    ]
    text = render(lang, texts.FORGET_QUESTION_STAFF, name=newcomer.first_name, reference=ref)
    await reply(update, context, text, buttons)


async def _forget(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    staff = staff_of(context)
    await _answered(update, context)
    await forget(context, newcomer, actor=f"staff:{staff.id}", key=str(update.update_id))
    await reply(
        update, context, render(staff.language, texts.STAFF_FORGOTTEN, reference=newcomer.reference)
    )


async def _keep(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    await _answered(update, context)
    await reply(update, context, render(staff_of(context).language, texts.FORGET_CANCELLED))


async def _answered(update: Update, context: SchakelContext) -> None:
    """The "erase everything?" question is answered: its buttons go, so a second tap on
    "yes" (the newcomer is erased by then) is not offered to be refused."""
    if update.callback_query is not None:
        await drop_buttons(update.callback_query, context)


async def _planners_only(update: Update, context: SchakelContext) -> bool:
    """The appointments' buttons work for planners only (handlers/planning.py): an admin
    would be offered a form whose every button, ✖ too, says "not for you"."""
    staff = staff_of(context)
    if staff.role in planning.PLANNERS:
        return True
    role = role_name(staff.language, Role.CASEWORKER)
    await reply(update, context, render(staff.language, texts.ONLY_FOR_ROLE, role=role))
    return False


async def _appointments(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    if await _planners_only(update, context):
        await planning.show_newcomer_appointments(update, context, newcomer)


async def _plan(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    if await _planners_only(update, context):
        await planning.open_form(update, context, newcomer)


async def _handover(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    await handover_form.open_form(update, context, newcomer)


async def _sms_number(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    await ask_sms_number(update, context, newcomer)


async def _history(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, _: str
) -> None:
    await handover.show_history(update, context, newcomer)


_ACTIONS = {
    "appts": _appointments,
    "handover": _handover,
    "history": _history,
    "sms": _sms_number,
    "plan": _plan,
    "lang": _choose_language,
    "setlang": _set_language,
    "contact": _choose_contact,
    "setcontact": _set_contact,
    "link": _new_link,
    "revoke": _revoke_link,
    "export": _export,
    "forget": _ask_forget,
    "forgetyes": _forget,
    "forgetno": _keep,
}
