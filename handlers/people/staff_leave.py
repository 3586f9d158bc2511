"""Admins: /medewerkers lists staff; its buttons end someone's access (their newcomers go
to a colleague they pick) or give it back. The rules are in bot/people/leave.py."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.core.callbacks import STAFF_ACCESS, row_id
from bot.people import leave
from bot.people.leave import CannotLeave, LeaveProblem
from bot.people.staff import Role, StaffMember, all_staff, any_staff_by_id
from bot.sending.outbox import Button
from handlers.core.access import gate, pressed_button, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply, role_name
from messages import render, texts

# stop:<id>  ask who takes over (or confirm);  to:<id>:<colleague, 0 for nobody>  end it;
# back:<id>  ask to confirm;  backyes:<id>  give it back;  keep  change nothing.
ACTIONS = ("stop", "to", "back", "backyes", "keep")

PROBLEMS = {
    LeaveProblem.NOT_FOUND: texts.STAFF_NOT_FOUND,
    LeaveProblem.ALREADY_STOPPED: texts.STAFF_ALREADY_STOPPED,
    LeaveProblem.ALREADY_ACTIVE: texts.STAFF_ALREADY_BACK,
    LeaveProblem.LAST_ADMIN: texts.STAFF_LAST_ADMIN,
    LeaveProblem.NO_COLLEAGUE: texts.STAFF_STOP_NO_COLLEAGUE,
    LeaveProblem.NOT_A_COLLEAGUE: texts.STAFF_NOT_A_COLLEAGUE,
}


def register(application: SchakelApp) -> None:
    only_admins = gate(Role.ADMIN)
    application.add_handler(CommandHandler("medewerkers", only_admins(list_staff)))
    application.add_handler(CallbackQueryHandler(only_admins(press), pattern=STAFF_ACCESS.pattern))


def _line(language: str, member: StaffMember) -> str:
    role = role_name(language, member.role)
    if not member.organisation:
        return render(language, texts.STAFF_LIST_LINE_NO_ORGANISATION, number=member.id,
                      name=member.name, role=role)  # fmt: skip
    return render(language, texts.STAFF_LIST_LINE, number=member.id, name=member.name,
                  role=role, organisation=member.organisation)  # fmt: skip


def _who(member: StaffMember) -> str:
    return f"{member.name} ({member.organisation})" if member.organisation else member.name


async def list_staff(update: Update, context: SchakelContext) -> None:
    """/medewerkers: who has access (⛔ to end it) and whose access ended (↩ to give back)."""
    lang = staff_of(context).language
    everyone = await all_staff(context.services.store)
    active = [member for member in everyone if member.active]
    former = [member for member in everyone if not member.active]
    lines = [render(lang, texts.STAFF_LIST_TITLE), *(_line(lang, m) for m in active)]
    if former:
        lines += ["", render(lang, texts.STAFF_LIST_STOPPED), *(_line(lang, m) for m in former)]
    # Telegram takes at most 100 buttons under a message; the numbers also work on the CLI.
    rows = [[Button(f"⛔ {_who(m)}", STAFF_ACCESS.data("stop", m.id))] for m in active]
    rows += [[Button(f"↩ {_who(m)}", STAFF_ACCESS.data("back", m.id))] for m in former]
    await reply(update, context, "\n".join(lines), rows[:100])


async def press(update: Update, context: SchakelContext) -> None:
    query, pressed = pressed_button(update, STAFF_ACCESS)
    admin = staff_of(context)
    action, target, colleague = (
        (pressed["action"], pressed["staff"], pressed["colleague"]) if pressed else ("", "", "")
    )
    if action not in ACTIONS:
        await query.answer(render(admin.language, texts.BUTTON_TOO_OLD), show_alert=True)
        return
    await query.answer()
    try:
        if action == "stop":
            await _ask_who_takes_over(update, context, row_id(target))
        elif action == "to":
            # "0": nobody, allowed only when there is nobody to hand on. Anything else
            # that is no id becomes NO_ROW, which is nobody's id: refused as no colleague.
            chosen = None if colleague == "0" else row_id(colleague)
            await _end_access(update, context, row_id(target), chosen)
        elif action == "back":
            await _ask_to_give_back(update, context, row_id(target))
        elif action == "backyes":
            await _give_back(update, context, row_id(target))
        else:
            await reply(update, context, render(admin.language, texts.STAFF_NOTHING_CHANGED))
    except CannotLeave as refused:
        await _refusal(update, context, refused)


async def _refusal(update: Update, context: SchakelContext, refused: CannotLeave) -> None:
    member, lang = refused.member, staff_of(context).language
    values = {"name": member.name, "organisation": member.organisation} if member else {}
    if refused.problem is LeaveProblem.NO_COLLEAGUE and member is not None:
        newcomers = await leave.contact_of_newcomers(context.services.store, member.id)
        values["count"] = str(len(newcomers))
    await reply(update, context, render(lang, PROBLEMS[refused.problem], **values))


def _keep(language: str) -> Button:
    return Button(render(language, texts.BUTTON_KEEP_AS_IS), STAFF_ACCESS.data("keep"))


async def _ask_who_takes_over(update: Update, context: SchakelContext, staff_id: int) -> None:
    lang = staff_of(context).language
    plan = await leave.leaving(context.services.store, staff_id)
    member = plan.member
    if not plan.newcomers:
        stop = Button(render(lang, texts.BUTTON_STOP_ACCESS), STAFF_ACCESS.data("to", member.id, 0))
        await reply(update, context, render(lang, texts.STAFF_STOP_CONFIRM, name=member.name),
                    [[stop], [_keep(lang)]])  # fmt: skip
        return
    rows = [
        [Button(f"→ {c.name}", STAFF_ACCESS.data("to", member.id, c.id))] for c in plan.colleagues
    ]
    text = render(lang, texts.STAFF_STOP_CHOOSE, name=member.name, count=len(plan.newcomers),
                  organisation=member.organisation)  # fmt: skip
    await reply(update, context, text, [*rows, [_keep(lang)]])


async def _end_access(
    update: Update, context: SchakelContext, staff_id: int, colleague_id: int | None
) -> None:
    admin, services = staff_of(context), context.services
    gone = await leave.deactivate(
        services.store, services.clock, staff_id=staff_id, colleague_id=colleague_id,
        actor=f"staff:{admin.id}",
    )  # fmt: skip
    # The newcomers and the colleague hear of it now, as a reply would go.
    await services.dispatcher.deliver(gone.outbox_ids)
    lang, name = admin.language, gone.member.name
    if gone.colleague is None:
        text = render(lang, texts.STAFF_STOPPED_ALONE, name=name, links=gone.links_stopped)
    else:
        text = render(lang, texts.STAFF_STOPPED, name=name, count=len(gone.newcomers),
                      colleague=gone.colleague.name, links=gone.links_stopped)  # fmt: skip
    await reply(update, context, text)


async def _ask_to_give_back(update: Update, context: SchakelContext, staff_id: int) -> None:
    lang = staff_of(context).language
    member = await any_staff_by_id(context.services.store, staff_id)
    if member is None:
        raise CannotLeave(LeaveProblem.NOT_FOUND)
    if member.active:
        raise CannotLeave(LeaveProblem.ALREADY_ACTIVE, member)
    back = Button(
        render(lang, texts.BUTTON_GIVE_ACCESS_BACK), STAFF_ACCESS.data("backyes", member.id)
    )
    text = render(lang, texts.STAFF_BACK_CONFIRM, name=member.name,
                  role=role_name(lang, member.role))  # fmt: skip
    await reply(update, context, text, [[back], [_keep(lang)]])


async def _give_back(update: Update, context: SchakelContext, staff_id: int) -> None:
    admin, services = staff_of(context), context.services
    member = await leave.reactivate(
        services.store, services.clock, staff_id=staff_id, actor=f"staff:{admin.id}"
    )
    text = render(admin.language, texts.STAFF_BACK_DONE, name=member.name,
                  role=role_name(admin.language, member.role))  # fmt: skip
    await reply(update, context, text)
