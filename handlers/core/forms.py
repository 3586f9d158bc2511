"""The one engine behind every form staff fill in by chat (an appointment, a handover
note, an announcement): one question at a time, a typed answer or a button, "don't
change" while editing, ✖ or `/cancel` to stop, a preview to confirm, and the draft in the
database (bot/storage/drafts) so a restart in the middle loses nothing.

A form is a declaration (`Form`: its name, its button prefix and its `Step`s in order);
each step says what it asks and how it takes an answer, with the feature's own rules.
The engine knows no form by name: each registers itself (`serve`). Every button names
the step it belongs to, `<prefix><step>:<value>`; a button of another step, of a closed
form or of another person changes nothing.

Typed answers and `/cancel` are registered last but one, so a command or a button is
never taken for an answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.core.callbacks import Callback
from bot.people.staff import Role, StaffMember
from bot.sending.outbox import Button
from bot.sending.services import Services
from bot.storage import drafts
from handlers.core.access import HandlerFunction, gate, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import not_understood, reply
from messages import render, texts

S = TypeVar("S")  # what a form is about (a newcomer), looked up again before each question
Rows = list[list[Button]]
Data = dict[str, Any]

STOP = "stop"
KEEP = "="  # "don't change": the value stays as it was in what is being changed


@dataclass(frozen=True)
class Question:
    text: str
    rows: Rows = field(default_factory=list)


@dataclass(frozen=True)
class Go:
    """The answer is taken: on to step `to`; by default to the next step in order (those
    whose `skip` holds passed over) or, while one part is being changed, to the preview."""

    to: str | None = None


@dataclass(frozen=True)
class Retry:
    """The typed answer is not taken: this is said, and the step waits for another."""

    text: str


@dataclass(frozen=True)
class AskAgain:
    """A typed answer where only a button will do: the question again."""


@dataclass(frozen=True)
class Finish:
    """The answer ends the form with the form's own act (save, post, send)."""

    act: Callable[[Turn], Awaitable[None]]


@dataclass(frozen=True)
class Stay:
    """The answer shows something (`act` says it) and the step still waits: a look at one
    part of the preview, with the preview's buttons still there above it."""

    act: Callable[[Turn], Awaitable[None]]


Pressed = Go | Finish | Stay
Typed = Go | Finish | Retry | AskAgain


class FormEnds(Exception):
    """The form cannot go on (its newcomer is gone, there is nobody to hand over to):
    the draft is dropped and `text` said."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Step(Generic[S]):
    """One question. `ask` builds it (or sends the form elsewhere with a `Go`, after
    saying why); `press` takes a button's value (None: no button of ours has that value);
    `typed` takes typed text (without it, typed text asks the question again)."""

    key: str
    ask: Callable[[Turn, S], Awaitable[Question | Go]]
    press: PressStep | None = None
    typed: TypedStep | None = None
    skip: Callable[[Data], bool] | None = None  # passed over on the way through the form
    keep: bool = False  # offers "don't change" while editing
    ends_part: bool = False  # while one part is being changed, the preview comes next
    stop_row: bool = True  # False where the question has its own ✖ (the preview)


def only_when_sent_for(_: Data) -> bool:
    """`skip` for a step that only another step's answer leads to."""
    return True


@dataclass(frozen=True)
class Form(Generic[S]):
    name: str  # drafts.form
    callback: Callback  # its buttons' data: (step, value), from bot/core/callbacks.py
    steps: tuple[Step[S], ...]
    subject: Callable[[Turn], Awaitable[S]]  # raises FormEnds when it is gone
    preview: str = "confirm"
    editing: Callable[[Data], bool] = lambda data: False
    # Before the form moves on to a step: something to say, and maybe another step.
    moving: Callable[[Turn, str], Awaitable[str]] | None = None

    def step(self, key: str) -> Step[S] | None:
        return next((step for step in self.steps if step.key == key), None)

    def after(self, key: str, data: Data) -> str:
        """The step that follows `key` when its answer names none."""
        keys = [step.key for step in self.steps]
        current = self.steps[keys.index(key)]
        if data.get("review") and current.ends_part:
            return self.preview
        following = (s for s in self.steps[keys.index(key) + 1 :] if not (s.skip and s.skip(data)))
        return next(following).key


@dataclass
class Turn:
    """One staff member's answer to their form: what every step's functions get."""

    update: Update
    context: SchakelContext
    form: Form[Any]
    draft: drafts.Draft

    @property
    def staff(self) -> StaffMember:
        return staff_of(self.context)

    @property
    def services(self) -> Services:
        return self.context.services

    @property
    def language(self) -> str:
        return self.staff.language

    @property
    def data(self) -> Data:
        return self.draft.data

    def button(self, text: str, value: object, **values: object) -> Button:
        """A button of the step being asked, its label a text of messages/."""
        return self.choice(render(self.language, text, **values), value)

    def choice(self, label: str, value: object) -> Button:
        """A button of the step being asked, its label shown as it is (a name, an address)."""
        return Button(label, self.form.callback.data(self.draft.step, value))

    def say(self, text: str, rows: Sequence[Sequence[Button]] = ()) -> Awaitable[None]:
        return reply(self.update, self.context, text, rows)


# --- steps that keep one answer under one key: declared, not written out -------------------

V = TypeVar("V")
PressStep = Callable[[Turn, str], Awaitable[Pressed | None]]
TypedStep = Callable[[Turn, str], Awaitable[Typed]]


def typed_into(key: str, parse: Callable[[Turn, str], V | Retry]) -> TypedStep:
    """Typed text, read by `parse` (the feature's rule and its words), kept under `key`."""

    async def typed(turn: Turn, text: str) -> Typed:
        value = parse(turn, text)
        if isinstance(value, Retry):
            return value
        turn.data[key] = value
        return Go()

    return typed


def chosen_into(key: str, choose: Callable[[Turn, str], V | None]) -> PressStep:
    """A button's value, read by `choose` (None: no button of ours), kept under `key`."""

    async def press(turn: Turn, value: str) -> Pressed | None:
        chosen = choose(turn, value)
        if chosen is None:
            return None
        turn.data[key] = chosen
        return Go()

    return press


def pick(key: str, values: Mapping[str, object]) -> PressStep:
    """One of the step's own buttons: what its value stands for, kept under `key`."""

    async def press(turn: Turn, value: str) -> Pressed | None:
        if value not in values:
            return None
        turn.data[key] = values[value]
        return Go()

    return press


def pairs(buttons: list[Button], per_row: int = 2) -> Rows:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


# --- the engine --------------------------------------------------------------------------

FORMS: dict[str, Form[Any]] = {}


def serve(
    application: SchakelApp, form: Form[Any], gated: Callable[[HandlerFunction], HandlerFunction]
) -> None:
    """The form's buttons, behind its gate; its typed answers while one of its drafts waits."""
    FORMS[form.name] = form
    pressed = gated(_pressed_in(form))
    application.add_handler(CallbackQueryHandler(pressed, pattern=form.callback.pattern))


# A newcomer's typed text, read by what waits for it: a feature registers its reader, which
# says whether the text was its own (handlers/appointments/wishes.py: when they could come
# after "I'll type it"). The one handler of typed text stays here.
NewcomerText = Callable[[Update, SchakelContext], Awaitable[bool]]
NEWCOMER_READERS: list[NewcomerText] = []


def read_newcomer_text(reader: NewcomerText) -> None:
    if reader not in NEWCOMER_READERS:
        NEWCOMER_READERS.append(reader)


def register(application: SchakelApp) -> None:
    staff = gate(Role.CASEWORKER, Role.COORDINATOR, Role.ADMIN)
    application.add_handler(CommandHandler("cancel", staff(stop_form)))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, typed_answer))


async def start(
    update: Update, context: SchakelContext, form: Form[Any], data: Data, step: str | None = None
) -> None:
    """A new draft of `form` (filled in with `data` when something is changed), asked."""
    services = context.services
    draft = drafts.Draft(staff_of(context).id, form.name, step or form.steps[0].key, data)
    await drafts.save(services.store, services.clock, draft)
    await ask(Turn(update, context, form, draft))


async def ask(turn: Turn) -> None:
    """The question of the step the draft waits at, with ✖ (and "don't change")."""
    step = turn.form.step(turn.draft.step)
    assert step is not None
    try:
        question = await step.ask(turn, await turn.form.subject(turn))
    except FormEnds as ends:
        await drafts.drop(turn.services.store, turn.staff.id)
        await turn.say(ends.text)
        return
    if isinstance(question, Go):
        await move_to(turn, question.to or turn.form.after(step.key, turn.data))
        return
    rows = list(question.rows)
    if step.stop_row:
        row = [turn.button(texts.BUTTON_STOP, STOP)]
        if step.keep and turn.form.editing(turn.data):
            row.insert(0, turn.button(texts.BUTTON_KEEP, KEEP))
        rows.append(row)
    await turn.say(question.text, rows)


async def move_to(turn: Turn, key: str) -> None:
    """The draft, saved at step `key`, and that step asked."""
    services = turn.services
    turn.draft.step = key
    await drafts.save(services.store, services.clock, turn.draft)
    await ask(turn)


async def _go(turn: Turn, answer: Typed | Stay) -> None:
    if isinstance(answer, Retry):
        await turn.say(answer.text)
    elif isinstance(answer, AskAgain):
        await ask(turn)
    elif isinstance(answer, Finish | Stay):
        await answer.act(turn)
    else:
        to = answer.to or turn.form.after(turn.draft.step, turn.data)
        if turn.form.moving is not None:
            to = await turn.form.moving(turn, to)
        await move_to(turn, to)


def _pressed_in(form: Form[Any]) -> HandlerFunction:
    async def press_step(update: Update, context: SchakelContext) -> None:
        """A button of `form`: taken when the draft waits at its step, else refused."""
        query = update.callback_query
        assert query is not None
        waiting = await draft_waiting_for(update, context, form.name, form.callback)
        if waiting is None:
            return
        draft, key, value = waiting
        turn, step = Turn(update, context, form, draft), form.step(key)
        if step is not None and value == STOP:
            await query.answer()
            await stop_form(update, context)
            return
        answer: Pressed | None = None
        if step is not None and value == KEEP and step.keep and form.editing(draft.data):
            answer = Go()
        elif step is not None and step.press is not None:
            answer = await step.press(turn, value)
        if answer is None:
            await query.answer(render(turn.language, texts.BUTTON_TOO_OLD), show_alert=True)
            return
        await query.answer()
        await _go(turn, answer)

    return press_step


async def typed_answer(update: Update, context: SchakelContext) -> None:
    """Text in a private chat while one of the staff member's forms waits for an answer,
    or while something waits for a newcomer's text."""
    if context.identity.newcomer is not None:
        for reader in NEWCOMER_READERS:
            if await reader(update, context):
                return
    staff = context.identity.staff
    chat, message = update.effective_chat, update.effective_message
    draft = await drafts.get(context.services.store, staff.id) if staff else None
    form = FORMS.get(draft.form) if draft else None
    step = form.step(draft.step) if form and draft else None
    private = chat is not None and chat.type == chat.PRIVATE
    if draft is None or form is None or step is None or message is None or not private:
        await not_understood(update, context)
        return
    turn = Turn(update, context, form, draft)
    if step.typed is None:
        await ask(turn)
        return
    await _go(turn, await step.typed(turn, message.text or ""))


async def stop_form(update: Update, context: SchakelContext) -> None:
    """/cancel or ✖ in any form staff fill in: the draft is dropped, nothing is saved."""
    staff = context.identity.staff
    assert staff is not None  # only gated staff handlers call this
    await drafts.drop(context.services.store, staff.id)
    await reply(update, context, render(staff.language, texts.PLAN_STOPPED))


async def draft_waiting_for(
    update: Update, context: SchakelContext, form: str, callback: Callback
) -> tuple[drafts.Draft, str, str] | None:
    """A form's button (step, value): the draft, step and value when the form
    waits at that step; else "this button no longer works" and None (an old or made-up one)."""
    query = update.callback_query
    staff = context.identity.staff
    assert query is not None and staff is not None  # only gated staff buttons call this
    pressed = callback.parse(query.data)
    step, value = (pressed["step"], pressed["value"]) if pressed else ("", "")
    draft = await drafts.get(context.services.store, staff.id)
    if draft is None or draft.form != form or draft.step != step:
        await query.answer(render(staff.language, texts.BUTTON_TOO_OLD), show_alert=True)
        return None
    return draft, step, value


def preview_rows(turn: Turn, confirm: tuple[str, str], change: bool = False) -> Rows:
    """The preview's buttons: confirm (save, post, send), ✏️ change where offered, and ✖."""
    text, value = confirm
    stop = turn.button(texts.BUTTON_STOP, STOP)
    if change:
        return [[turn.button(text, value), turn.button(texts.BUTTON_CHANGE, "change")], [stop]]
    return [[turn.button(text, value), stop]]
