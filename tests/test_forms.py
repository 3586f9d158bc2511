"""The form engine (handlers/core/forms) on a small form of its own, through the real
Application and the Telegram stand-in: the order of the steps, a step passed over, "don't
change", a button of another step or made up, ✖, and a draft that outlives a restart."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CommandHandler

from bot.app.application import build_application, running
from bot.app.standin import FakeTelegram, SimUser
from bot.core.callbacks import Callback
from bot.core.config import Config
from bot.people.staff import Role
from bot.storage import drafts
from handlers.core import forms
from handlers.core.access import gate
from handlers.core.context import SchakelApp, SchakelContext, services_of
from handlers.core.forms import (
    Finish,
    Form,
    Question,
    Retry,
    Step,
    Turn,
    only_when_sent_for,
    pick,
    typed_into,
)
from messages import render, texts
from tests.conftest import FakeClock, make_staff

COLOURS = {"red": "red", "blue": "blue"}


async def nothing(_: Turn) -> None:
    return None


async def ask_colour(turn: Turn, _: None) -> Question:
    return Question("Colour?", [[turn.choice("Red", "red"), turn.choice("Blue", "blue")]])


async def ask_shade(turn: Turn, _: None) -> Question:
    return Question("Shade?", [[turn.choice("Light", "light"), turn.choice("Dark", "dark")]])


async def ask_size(turn: Turn, _: None) -> Question:
    return Question("Size?")


def size(_: Turn, typed: str) -> int | Retry:
    return int(typed) if typed.isdigit() and 1 <= int(typed) <= 10 else Retry("From 1 to 10.")


async def preview(turn: Turn, _: None) -> Question:
    data = turn.data
    shown = " ".join(str(data[key]) for key in ("colour", "shade", "size") if key in data)
    return Question(shown, forms.preview_rows(turn, (texts.BUTTON_SAVE, "save")))


async def save(turn: Turn) -> None:
    await drafts.drop(turn.services.store, turn.staff.id)
    await turn.say("Saved.")


async def take_save(_: Turn, value: str) -> Finish | None:
    return Finish(save) if value == "save" else None


STEPS = (
    Step("colour", ask_colour, press=pick("colour", COLOURS), keep=True),
    Step("shade", ask_shade, press=pick("shade", {"light": "light", "dark": "dark"}),
         skip=lambda data: data.get("colour") != "blue", keep=True),
    Step("size", ask_size, typed=typed_into("size", size), keep=True, ends_part=True),
    Step("confirm", preview, press=take_save, stop_row=False),
    Step("aside", ask_size, skip=only_when_sent_for),
)  # fmt: skip
TOY = Form[None](
    name="toy",
    callback=Callback("toy", ("step", "value"), "a step of the toy form"),
    steps=STEPS,
    subject=nothing,
    editing=lambda data: "id" in data,
)


async def open_toy(update: Update, context: SchakelContext) -> None:
    """/toy, or /toy edit: a new form, or one filled in with something to change."""
    changing = bool(context.args)
    data: dict[str, Any] = {"id": 1, "colour": "red", "size": 3} if changing else {}
    await forms.start(update, context, TOY, data)


def serve_toy(app: SchakelApp) -> None:
    """The toy form's command and buttons, ahead of the catch-alls of group 0."""
    caseworkers = gate(Role.CASEWORKER)
    forms.serve(app, TOY, caseworkers)
    app.add_handler(CommandHandler("toy", caseworkers(open_toy)))
    group = app.handlers[0]
    group[:0] = [group.pop(), group.pop()]


def said(telegram: FakeTelegram, user: SimUser) -> str:
    """The newest text to the user, without the buttons the transcript shows under it."""
    return telegram.texts_to(user.id)[-1].split("\n[")[0]


def last_buttons(telegram: FakeTelegram, user: SimUser) -> list[str]:
    """The labels under the newest message with buttons."""
    pressable = telegram.inline_buttons(user.id)
    newest = pressable[-1][0]["message_id"]
    return [button["text"] for message, button in pressable if message["message_id"] == newest]


async def draft_of(app: SchakelApp, user: SimUser) -> drafts.Draft | None:
    services = services_of(app)
    staff = await services.store.fetch_one(
        "SELECT id FROM staff WHERE telegram_user_id = ?", (user.id,)
    )
    assert staff is not None
    return await drafts.get(services.store, staff["id"])


async def caseworker(app: SchakelApp, telegram: FakeTelegram) -> SimUser:
    serve_toy(app)
    return await make_staff(services_of(app), telegram, 2, "Laila Peeters", Role.CASEWORKER)


# --- the next step, without Telegram ---------------------------------------------------------


def test_the_next_step_is_the_next_in_order_less_those_passed_over() -> None:
    assert TOY.after("colour", {"colour": "red"}) == "size"
    assert TOY.after("colour", {"colour": "blue"}) == "shade"
    assert TOY.after("shade", {"colour": "blue"}) == "size"
    assert TOY.after("size", {}) == "confirm"


def test_while_one_part_is_changed_its_last_step_leads_back_to_the_preview() -> None:
    assert TOY.after("size", {"review": True}) == "confirm"
    assert TOY.after("colour", {"review": True, "colour": "red"}) == "size"


# --- through the Application ------------------------------------------------------------------


async def test_the_steps_come_in_order_and_a_step_is_passed_over_where_it_does_not_apply(
    app: SchakelApp, telegram: FakeTelegram
) -> None:
    laila = await caseworker(app, telegram)
    await telegram.send(laila, "/toy")
    assert said(telegram, laila) == "Colour?"
    assert last_buttons(telegram, laila) == ["Red", "Blue", render("nl", texts.BUTTON_STOP)]
    await telegram.press(laila, "Red")
    assert said(telegram, laila) == "Size?"  # no shade for red
    await telegram.send(laila, "eleven")
    assert said(telegram, laila) == "From 1 to 10."
    await telegram.send(laila, "4")
    assert said(telegram, laila) == "red 4"
    assert last_buttons(telegram, laila) == [
        render("nl", texts.BUTTON_SAVE),
        render("nl", texts.BUTTON_STOP),
    ]
    await telegram.press(laila, render("nl", texts.BUTTON_SAVE))
    assert said(telegram, laila) == "Saved."
    assert await draft_of(app, laila) is None

    await telegram.send(laila, "/toy")
    await telegram.press(laila, "Blue")
    assert said(telegram, laila) == "Shade?"
    await telegram.send(laila, "dark")  # typed where only a button will do: asked again
    assert said(telegram, laila) == "Shade?"
    await telegram.press(laila, "Dark")
    await telegram.send(laila, "2")
    assert said(telegram, laila) == "blue dark 2"


async def test_dont_change_keeps_what_was_there_and_is_offered_only_while_editing(
    app: SchakelApp, telegram: FakeTelegram
) -> None:
    laila = await caseworker(app, telegram)
    keep, stop = render("nl", texts.BUTTON_KEEP), render("nl", texts.BUTTON_STOP)
    await telegram.send(laila, "/toy edit")
    assert last_buttons(telegram, laila) == ["Red", "Blue", keep, stop]
    await telegram.press(laila, keep)
    assert said(telegram, laila) == "Size?"
    await telegram.press(laila, keep)
    assert said(telegram, laila) == "red 3"
    assert keep not in last_buttons(telegram, laila)  # the preview has its own buttons

    await telegram.send(laila, "/toy")
    assert keep not in last_buttons(telegram, laila)
    # Made up: "don't change" in a new form has nothing to keep.
    query = await telegram.press_data(laila, "v1:toy:colour:=")
    assert telegram.answers[query][1] == render("nl", texts.BUTTON_TOO_OLD)
    draft = await draft_of(app, laila)
    assert draft is not None and draft.step == "colour" and draft.data == {}


async def test_a_button_of_another_step_or_of_no_step_changes_nothing(
    app: SchakelApp, telegram: FakeTelegram
) -> None:
    laila = await caseworker(app, telegram)
    await telegram.send(laila, "/toy")
    await telegram.press(laila, "Red")
    too_old = render("nl", texts.BUTTON_TOO_OLD)
    for data in ("v1:toy:colour:blue", "v1:toy:confirm:save", "v1:toy:size:purple",
                 "v1:toy:aside:1", "v1:toy:nostep:stop", "v1:toy:size:x:y"):  # fmt: skip
        query = await telegram.press_data(laila, data)
        assert telegram.answers[query][1] == too_old, data
    # An old button still on the screen: the colour was chosen already.
    await telegram.press(laila, "Blue")
    draft = await draft_of(app, laila)
    assert draft is not None and (draft.step, draft.data) == ("size", {"colour": "red"})


async def test_stop_drops_the_draft_at_any_step(app: SchakelApp, telegram: FakeTelegram) -> None:
    laila = await caseworker(app, telegram)
    await telegram.send(laila, "/toy")
    await telegram.press(laila, "Blue")
    await telegram.press(laila, render("nl", texts.BUTTON_STOP))
    assert said(telegram, laila) == render("nl", texts.PLAN_STOPPED)
    assert await draft_of(app, laila) is None
    await telegram.send(laila, "4")  # no form waits: not taken for an answer
    assert said(telegram, laila) != "red 4"


async def test_a_draft_outlives_a_restart(
    config: Config, telegram: FakeTelegram, clock: FakeClock
) -> None:
    first = build_application(config, request=telegram, clock=clock)
    telegram.attach(first)
    async with running(first):
        laila = await caseworker(first, telegram)
        await telegram.send(laila, "/toy")
        await telegram.press(laila, "Blue")
        await telegram.press(laila, "Light")

    second = build_application(config, request=telegram, clock=clock)
    telegram.attach(second)
    async with running(second):
        serve_toy(second)
        await telegram.send(laila, "7")
        assert said(telegram, laila) == "blue light 7"
        await telegram.press(laila, render("nl", texts.BUTTON_SAVE))
        assert said(telegram, laila) == "Saved."
