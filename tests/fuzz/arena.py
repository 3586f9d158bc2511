"""The real Application on the made world, one action at a time, with every property
checked after each action and after each example.

An example is a short list of actions (someone types, sends a file, edits, presses). The
arena restores the world first, so every example starts from the same database and the
same clock. After each action:

- nothing reached the application's error handler and nothing was logged as an ERROR;
- the person got an answer where Schakel answers (any private message of someone known;
  a stranger's first; every button press, answered once, with words or a message);
- an action the README says must be refused (oracle.message_refusal, press_refusal)
  changed no table, less what oracle.DOMAIN_EXCLUSIONS names.

After the example: no chat received a marker of a newcomer it is not entitled to, in
the world before or after the example (oracle.entitled), unless that chat's own person
typed it (Schakel may repeat what someone typed: "K-7F3Q: not found").
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hypothesis import event
from hypothesis.control import currently_in_test_context

from bot.app.standin import BOT_ID, SEND_METHODS, FakeTelegram, SimUser
from bot.sending.alarm import OtherWriters
from bot.sending.dispatcher import ChatPacer
from bot.sending.services import Services
from bot.storage.database import connect
from handlers.core.context import SchakelApp, SchakelContext
from messages import render, texts
from tests.conftest import FakeClock
from tests.fuzz import oracle, world
from tests.fuzz.oracle import Facts

_PLACEHOLDER = re.compile(r"\{(ref|note|token)(?::(\w+))?\}")
FIRST_EXAMPLE_ID = 1_000_000  # messages and updates of the examples, after the made world's


@dataclass(frozen=True)
class Action:
    """One thing one person does. `who`: "stranger", a newcomer's or a staff member's key."""

    who: str
    kind: str  # "text", "edit", "file", "press", "tap", "update"
    text: str = ""  # what is typed; a file's caption; an update's kind (OTHER_UPDATES)
    file: str = ""  # photo, document, sticker, voice, location, contact
    data: str | None = None  # a press's callback data (None: a button without data)
    in_group: bool = False  # in the partner group instead of the private chat
    tap: int = 0  # "tap": which button of the chat (Arena._tap)
    language_code: str | None = "nl"  # the stranger's Telegram language

    def typed(self) -> str:
        return self.text if self.kind in ("text", "edit", "file") else self.data or ""

    def __repr__(self) -> str:
        """Only what differs from a plain private message, and long texts cut short."""
        shown = [repr(self.who), repr(self.kind)]
        for name, plain in (("text", ""), ("file", ""), ("data", None), ("in_group", False),
                            ("tap", 0), ("language_code", "nl")):  # fmt: skip
            value = getattr(self, name)
            pressed = name == "data" and self.kind == "press"
            if (value != plain or pressed) and not (
                name == "language_code" and self.who != "stranger"
            ):
                text = repr(value)
                if len(text) > 120:
                    text = f"{text[:80]}...' ({len(value)} characters)"
                shown.append(f"{name}={text}")
        return f"Action({', '.join(shown)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints a dataclass field by field (and one made by st.builds as it
        was built), past __repr__: a falsifying example would show every long text whole."""
        printer.text(repr(self))


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass(repr=False)
class Arena:
    application: SchakelApp
    telegram: FakeTelegram
    services: Services
    clock: FakeClock
    cast: world.Cast
    database: Path
    snapshot: Path
    made_messages: dict[int, dict[int, dict[str, Any]]]  # the made world's chats
    errors: list[BaseException] = field(default_factory=list)
    logged: _Errors = field(default_factory=_Errors)
    typed: dict[int, list[str]] = field(default_factory=dict)  # chat -> what was typed there
    facts_at_start: Facts = field(default_factory=Facts)
    refusals_checked: int = 0  # how many actions the refusal property looked at

    def __repr__(self) -> str:
        return "Arena(the made world)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints a dataclass field by field, past __repr__: every chat of the
        made world (about 94 kB, "Generating overly large repr", an error in this suite)."""
        printer.text(repr(self))

    def __post_init__(self) -> None:
        self.application.add_error_handler(self._record_error)
        logging.getLogger().addHandler(self.logged)

    async def _record_error(self, update: object, context: SchakelContext) -> None:
        if context.error is not None:
            self.errors.append(context.error)

    def close(self) -> None:
        logging.getLogger().removeHandler(self.logged)

    # --- every example starts from the same world ---------------------------------------------

    async def reset(self) -> None:
        store = self.services.store
        # The other-writers job looks at the connection every half second and the figures
        # read through a second, read-only one: neither may touch the file while it is
        # swapped (a look then found the connection closed, an ERROR that failed a long
        # fuzz run), and the second one would go on reading the old file.
        assert self.application.job_queue is not None
        watchers = self.application.job_queue.get_jobs_by_name(OtherWriters.NAME)
        for job in watchers:
            job.enabled = False
        await store.close_reader()
        await store.db.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.snapshot, self.database)
        store.db = await connect(self.database)
        for job in watchers:
            job.enabled = True
        # Simulated people act faster than any person can type (as in tests/e2e/conftest.py).
        self.services.dispatcher.pacer = ChatPacer(burst=1000, interval=0.001)
        self.clock.now = world.FUZZ_AT.astimezone(dt.UTC)
        telegram = self.telegram
        for recorded in (telegram.calls, telegram.transcript, telegram.faults):
            recorded.clear()
        for known in (telegram.answers, telegram.menus, telegram._pressed_by):
            known.clear()
        # What an example can edit is what it sent itself, not what the one before it sent.
        telegram._last_sent.clear()
        # The chats hold what the made world sent, so old buttons can be tapped again.
        telegram._messages.clear()
        telegram._messages.update(copy.deepcopy(self.made_messages))
        self.errors.clear()
        self.logged.records.clear()
        self.typed.clear()
        self.facts_at_start = await oracle.read_facts(store)

    # --- the people ----------------------------------------------------------------------------

    def person(self, action: Action) -> SimUser:
        if action.who == "stranger":
            return SimUser(world.STRANGER_ID, "Vreemde", action.language_code)
        for member in world.STAFF:
            if member.key == action.who:
                return SimUser(member.user_id, member.name, "nl")
        newcomer = next(n for n in (*world.NEWCOMERS, world.INVITED) if n.key == action.who)
        return SimUser(newcomer.user_id, newcomer.first_name, newcomer.language)

    # --- one action ----------------------------------------------------------------------------

    def resolved(self, text: str) -> str:
        """Placeholders filled in: {ref:KEY} a newcomer's reference, {note:ID} a handover
        note's (H-XXXX), {token} the open invite."""

        def value(match: re.Match[str]) -> str:
            if match.group(1) == "token":
                return self.cast.invite_token
            if match.group(1) == "note":
                return self.cast.note_references[int(match.group(2))]
            return self.cast.references[match.group(2)]

        return _PLACEHOLDER.sub(value, text)

    async def play(self, actions: list[Action]) -> None:
        """One example: the world as made, these actions, every property."""
        await self.reset()
        for action in actions:
            await self.act(action)
        self.check_no_leak(await oracle.read_facts(self.services.store))

    async def act(self, action: Action) -> None:
        data = self.resolved(action.data) if action.data is not None else None
        action = replace(action, text=self.resolved(action.text), data=data)
        user = self.person(action)
        group = world.group(self.telegram) if action.in_group else None
        chat = group.id if group else user.id
        if action.kind == "edit" and not self.telegram.has_sent(user, group):
            action = replace(action, kind="text")  # nothing of theirs there to edit yet
        facts = await oracle.read_facts(self.services.store)
        refusal = self._refusal(action, facts, user)
        if currently_in_test_context():  # --hypothesis-show-statistics counts them
            role = facts.role_of(user.id) or "stranger"
            event(f"{action.kind} by {role}: {'must be refused' if refusal else 'may act'}")
        actor_chats = {user.id, chat}
        before = await oracle.domain_state(self.services.store, actor_chats) if refusal else None
        calls_before = len(self.telegram.calls)
        query_id = None
        if action.kind in ("text", "edit"):
            await self.telegram.send(user, action.text, group, edited=action.kind == "edit")
        elif action.kind == "file":
            await self.telegram.send_file(user, action.file, action.text, group)
        elif action.kind == "press":
            query_id = await self.telegram.press_data(user, action.data, group=group)
        elif action.kind == "update":
            await self.telegram.send_update(_other_update(action.text, user, chat))
        else:
            query_id = await self._tap(user, action, chat)
        self.typed.setdefault(chat, []).append(action.typed())
        self.typed.setdefault(user.id, []).append(action.typed())
        try:
            self._check_no_error(action)
            self._check_answered(action, facts, user, chat, calls_before, query_id)
        except AssertionError as failed:
            rows = await self.services.store.fetch_all(
                "SELECT id, chat_id, status, reason, purpose, idempotency_key FROM outbox"
                " ORDER BY id DESC LIMIT 4"
            )
            outbox = "\n".join(str(tuple(row)) for row in rows)
            calls = "\n".join(
                f"{c.method} {c.outcome} {str(c.params)[:150]}"
                for c in self.telegram.calls[calls_before:]
            )
            raise AssertionError(f"{failed}\ncalls:\n{calls}\noutbox:\n{outbox}") from None
        if refusal is not None and before is not None:
            after = await oracle.domain_state(self.services.store, actor_chats)
            change = oracle.describe_change(before, after)
            assert not change, f"{action} must be refused ({refusal}), yet it changed:\n{change}"
            self.refusals_checked += 1

    def _refusal(self, action: Action, facts: Facts, user: SimUser) -> str | None:
        if action.kind == "update":
            return "not a message nor a press"
        if action.kind in ("press", "tap"):
            if action.kind == "tap":
                return None  # a button Schakel itself showed: may do what it says
            languages = set(self.services.config.locale.languages)
            return oracle.press_refusal(facts, user.id, action.data, languages)
        text = action.text if action.kind in ("text", "edit") else None
        username = self.telegram.bot_username
        refusal = oracle.message_refusal(
            facts, user.id, text, in_group=action.in_group, bot_username=username
        )
        # An edit is never an answer nor a command: it changes nothing (handlers/core/access).
        return refusal or ("an edited message" if action.kind == "edit" else None)

    async def _tap(self, user: SimUser, action: Action, chat: int) -> str | None:
        """Press one of the buttons in this chat: the newest message's, or an older one's
        (a person scrolls up: the answer under last week's reminder, a card in the group)."""
        buttons = self.telegram.inline_buttons(chat)
        if not buttons:
            return None
        newest = [b for b in buttons if b[0] is buttons[-1][0]]
        message, button = (newest + buttons)[action.tap % (len(newest) + len(buttons))]
        query_id = await self.telegram.press_data(user, button["callback_data"], message)
        shown_now = message["message_id"] >= FIRST_EXAMPLE_ID and chat == user.id
        refused = self.telegram.answers[query_id][1] == render(
            self._language(user), texts.BUTTON_NOT_FOR_YOU
        )
        # Schakel offers nobody a button it then refuses them (old ones may be "too old").
        assert not (shown_now and refused), f"{action}: {button['text']!r} shown, then refused"
        return query_id

    def _language(self, user: SimUser) -> str:
        member = next((m for m in world.STAFF if m.user_id == user.id), None)
        newcomer = next((n for n in world.NEWCOMERS if n.user_id == user.id), None)
        return "nl" if member is not None or newcomer is None else newcomer.language

    # --- the properties ------------------------------------------------------------------------

    def _check_no_error(self, action: Action) -> None:
        assert not self.errors, f"{action} reached the error handler: {self.errors!r}"
        logged = [f"{r.name}: {r.getMessage()}" for r in self.logged.records]
        assert not logged, f"{action} logged errors: {logged}"

    def _sent_to(self, chat: int, since: int = 0) -> list[str]:
        return [
            str(call.params.get("text") or call.params.get("caption") or "")
            for call in self.telegram.calls[since:]
            if call.method in (*SEND_METHODS, "editMessageText")
            and call.outcome == "ok"
            and str(call.params.get("chat_id")) == str(chat)
        ]

    def _check_answered(
        self,
        action: Action,
        facts: Facts,
        user: SimUser,
        chat: int,
        calls_before: int,
        query_id: str | None,
    ) -> None:
        if action.kind in ("press", "tap"):
            if query_id is None:
                return  # nothing to tap
            assert query_id in self.telegram.answers, f"{action}: the press was never answered"
            words = self.telegram.answers[query_id][1]
            told = self._sent_to(user.id, calls_before) + self._sent_to(chat, calls_before)
            assert words or told, f"{action}: the press got no words and no message"
            return
        if action.in_group or action.kind == "update":
            return  # in a group Schakel speaks only when spoken to with a command it knows
        if facts.role_of(user.id) is None:
            # A stranger gets one notice an hour, whatever they send; an invite gets more.
            assert self._sent_to(user.id), f"{action}: a stranger got no answer at all"
            return
        assert self._sent_to(user.id, calls_before), f"{action}: no answer"

    def check_no_leak(self, facts_at_end: Facts) -> None:
        """No chat read a newcomer's marker it may not read (before or after the example)."""
        shown: dict[int, list[str]] = {}
        for chat, who, text in self.telegram.transcript:
            if who == "Schakel":
                shown.setdefault(chat, []).append(text)
        for presser, words in self.telegram.answers.values():
            shown.setdefault(presser, []).append(words)
        for chat, said in shown.items():
            seen = "\n".join(said).casefold()
            typed = "\n".join(self.typed.get(chat, [])).casefold()
            for newcomer, kind, marker in self.markers():
                newcomer_id = self.cast.newcomer_ids[newcomer]
                if marker.casefold() not in seen or marker.casefold() in typed:
                    continue
                allowed = any(
                    oracle.entitled(chat, newcomer_id, kind, facts)
                    for facts in (self.facts_at_start, facts_at_end)
                )
                assert allowed, (
                    f"chat {chat} read {kind} of {newcomer} ({marker!r}):\n" + "\n".join(said)
                )

    def markers(self) -> list[tuple[str, str, str]]:
        found = []
        for newcomer in (*world.NEWCOMERS, world.INVITED):
            values = {
                "who": [newcomer.first_name, self.cast.references.get(newcomer.key, "")],
                "appointment": [newcomer.place, newcomer.with_whom],
                "note": [newcomer.note_plan, newcomer.note_attention],
                "tag": [newcomer.tag],
            }
            found += [
                (newcomer.key, kind, marker)
                for kind, markers in values.items()
                for marker in markers
                if marker
            ]
        return found


OTHER_UPDATES = ("blocked", "unblocked", "added_to_group", "poll_answer", "inline_query",
                 "channel_post", "reaction")  # fmt: skip


def _other_update(kind: str, user: SimUser, chat: int) -> dict[str, Any]:
    """Updates that are no message and no press (Bot API JSON): Schakel has no handler for
    them, and they must not get past the door."""
    person = user.as_dict()
    where: dict[str, Any] = (
        {"id": chat, "type": "supergroup", "title": "Partners Gent"}
        if chat < 0
        else {"id": chat, "type": "private", "first_name": user.first_name}
    )
    bot = {"id": BOT_ID, "is_bot": True, "first_name": "Schakel", "username": "SchakelBot"}

    def member(status: str) -> dict[str, Any]:
        return {"user": bot, "status": status, **({"until_date": 0} if status == "kicked" else {})}

    if kind in ("blocked", "unblocked", "added_to_group"):
        old, new = {"blocked": ("member", "kicked"), "unblocked": ("kicked", "member"),
                    "added_to_group": ("left", "member")}[kind]  # fmt: skip
        changed = {"chat": where, "from": person, "date": 0,
                   "old_chat_member": member(old), "new_chat_member": member(new)}  # fmt: skip
        return {"my_chat_member": changed}
    if kind == "poll_answer":
        answer = {"poll_id": "1", "user": person, "option_ids": [0], "option_persistent_ids": ["a"]}
        return {"poll_answer": answer}
    if kind == "inline_query":
        return {"inline_query": {"id": "1", "from": person, "query": "K-", "offset": ""}}
    if kind == "channel_post":
        channel = {"id": -1001111, "type": "channel", "title": "Kanaal"}
        return {"channel_post": {"message_id": 1, "date": 0, "chat": channel, "text": "/help"}}
    reaction = {"chat": where, "message_id": 1, "user": person, "date": 0, "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": "👍"}]}  # fmt: skip
    return {"message_reaction": reaction}
