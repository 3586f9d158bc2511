"""Towards a new appointment, the newcomer's side: after "I can't come" (and why) or a
missed appointment, they say when they could come: a weekday, then morning or afternoon,
or "I'll type it" and one short line. Their contact person is told in one notice, edited
as the wish is said in full (bot/appointments/wishes.py has the rules)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.appointments import records as appointments
from bot.appointments import wishes
from bot.appointments.records import Appointment
from bot.appointments.wishes import Part, Wish
from bot.appointments.words import day_buttons, part_buttons, who_to_call, wish_words
from bot.core.callbacks import APPOINTMENT_WISH, row_id
from bot.core.clock import to_db
from bot.core.typed_text import TextProblem
from bot.people.newcomers import Newcomer
from bot.sending import outbox
from handlers.core import forms
from handlers.core.access import NEWCOMER, gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from handlers.people.joining import tell_contact
from messages import render_bilingual, texts

STEPS = ("plan", "day", "part", "type")


def register(application: SchakelApp) -> None:
    application.add_handler(
        CallbackQueryHandler(gate(NEWCOMER)(press_wish), pattern=APPOINTMENT_WISH.pattern)
    )
    # A newcomer's text reaches the one handler of typed text (handlers/core/forms.py).
    forms.read_newcomer_text(typed_text)


async def ask_day(
    update: Update, context: SchakelContext, newcomer: Newcomer, appointment: Appointment
) -> None:
    await reply(
        update,
        context,
        render_bilingual(newcomer.language, texts.WISH_ASK_DAY),
        day_buttons(newcomer.language, appointment),
    )


async def press_wish(update: Update, context: SchakelContext) -> None:
    query, newcomer = update.callback_query, context.identity.newcomer
    assert query is not None and newcomer is not None
    services = context.services
    pressed = APPOINTMENT_WISH.parse(query.data)
    step, ref, value = (
        (pressed["step"], pressed["appointment"], pressed["value"]) if pressed else ("", "", "")
    )
    found = await appointments.get(services.store, row_id(ref))
    if found is None or found.newcomer_id != newcomer.id or not _valid(step, value):
        alert = render_bilingual(newcomer.language, texts.BUTTON_NOT_FOR_YOU)
        await query.answer(alert, show_alert=True)
        return
    if not wishes.may_wish(found) or await wishes.planned_since(services.store, found):
        alert = render_bilingual(newcomer.language, texts.BUTTON_TOO_OLD)
        await query.answer(alert, show_alert=True)
        return
    await query.answer()
    store, clock = services.store, services.clock
    if step == "plan":
        wish = await wishes.ask_again(store, clock, found)
        await _tell(context, newcomer, wish)
        await ask_day(update, context, newcomer, found)
    elif step == "day":
        await wishes.choose_day(store, clock, found, int(value))
        await reply(
            update,
            context,
            render_bilingual(newcomer.language, texts.WISH_ASK_PART),
            part_buttons(newcomer.language, found),
        )
    elif step == "part":
        wish = await wishes.choose_part(store, clock, found, Part(value))
        await _thank(update, context, newcomer, wish)
    else:
        await wishes.wait_for_text(store, clock, found)
        await reply(update, context, render_bilingual(newcomer.language, texts.WISH_ASK_TYPED))


def _valid(step: str, value: str) -> bool:
    if step == "day":
        return value.isascii() and value.isdigit() and int(value) in wishes.WEEKDAYS
    if step == "part":
        return value in tuple(Part)
    return step in STEPS and value == ""


async def typed_text(update: Update, context: SchakelContext) -> bool:
    """A newcomer's text after "I'll type it" is their wish (True: it was read here)."""
    newcomer, message, chat = (
        context.identity.newcomer,
        update.effective_message,
        update.effective_chat,
    )
    services = context.services
    if newcomer is None or message is None or chat is None or chat.type != chat.PRIVATE:
        return False
    wish = await wishes.waiting_for_text(services.store, services.clock, newcomer.id)
    if wish is None:
        return False
    typed = message.text or ""
    said = await wishes.type_text(services.store, services.clock, wish, typed)
    if said is TextProblem.TOO_LONG:
        await reply(
            update,
            context,
            render_bilingual(
                newcomer.language, texts.WISH_TOO_LONG,
                length=len(" ".join(typed.split())), max=wishes.TYPED_MAX,
            ),
        )  # fmt: skip
        return True
    if isinstance(said, TextProblem):  # nothing but spaces: ask again
        await reply(update, context, render_bilingual(newcomer.language, texts.WISH_ASK_TYPED))
        return True
    await _thank(update, context, newcomer, said)
    return True


async def _thank(update: Update, context: SchakelContext, newcomer: Newcomer, wish: Wish) -> None:
    await _tell(context, newcomer, wish)
    call = await who_to_call(context.services.store, newcomer.id)
    await reply(
        update, context, render_bilingual(newcomer.language, texts.WISH_THANKS, contact=call.name)
    )


async def _tell(context: SchakelContext, newcomer: Newcomer, wish: Wish) -> None:
    """One notice to the contact person per wish: the first is sent, later answers edit it."""
    first = f"answer:{wish.appointment_id}:wish:{to_db(wish.asked_at)}"
    told = await outbox.delivery_of(context.services.store, first) is not None
    await tell_contact(
        context, newcomer, texts.STAFF_WISH,
        key=f"{first}:{to_db(wish.updated_at)}" if told else first,
        edits=first if told else None,
        wish=wish_words(wish),
    )  # fmt: skip
