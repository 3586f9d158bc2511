"""handlers/permissions.py against the real Application: every entry reaches its handler,
that handler's role gate lets in exactly the roles the entry names (allowed, or refused
by the rule inside), every registered handler is named by an entry, and the table in
docs/security.md is the one the registry writes."""

from __future__ import annotations

import time
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.people.identity import Identity
from bot.people.newcomers import Newcomer, NewcomerStatus
from bot.people.staff import Role, StaffMember
from handlers import help as common
from handlers import newcomer_sheet
from handlers.core.access import GATE_ROLES, NEWCOMER
from handlers.core.context import SchakelApp
from handlers.core.permissions import (
    ENTRIES,
    NOTE,
    SHEET,
    Entry,
    Kind,
    Who,
    allowed_in_groups,
    allows,
    button_entry,
    entry_for,
    message_entry,
)
from handlers.core.permissions_table import DOCUMENT, with_table
from handlers.core.replies import not_understood
from handlers.handovers import notes as handover
from handlers.people.coordinator import coordinator_help

KNOWN = frozenset({Who.NEWCOMER, Who.CASEWORKER, Who.COORDINATOR, Who.ADMIN})
FALLBACKS = (common.expired_button, not_understood)
AnyHandler = BaseHandler[Any, Any, Any]


PRIVATE = {"id": 42, "type": "private", "first_name": "Test"}
GROUP = {"id": -1001234567890, "type": "supergroup", "title": "Partners"}


def update_for(app: SchakelApp, entry: Entry, chat: dict[str, Any] = PRIVATE) -> Update:
    """What a person sends (or presses) for this entry, in a private chat (or `chat`)."""
    user = {"id": 42, "is_bot": False, "first_name": "Test"}
    message: dict[str, Any] = {"message_id": 1, "date": int(time.time()), "chat": chat}
    if entry.kind is Kind.BUTTON:
        query = {"id": "1", "from": user, "chat_instance": "1", "data": entry.sent}
        data: dict[str, Any] = {"update_id": 1, "callback_query": query | {"message": message}}
    else:
        message |= {"from": user, "text": entry.sent}
        if entry.sent.startswith("/"):
            length = len(entry.sent.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        data = {"update_id": 1, "message": message}
    update = Update.de_json(data, app.bot)
    assert update is not None
    return update


def handler_for(app: SchakelApp, update: Update) -> AnyHandler:
    """The handler that takes this update: the first in group 0 whose check passes."""
    for handler in app.handlers[0]:
        check = handler.check_update(update)
        if check is not None and check is not False:
            return handler
    raise AssertionError("no handler takes it")


def door(handler: AnyHandler, entry: Entry) -> frozenset[Who]:
    """Who gets past access.identify_writer and the handler's role gate."""
    roles = getattr(handler.callback, GATE_ROLES, None)
    if roles is None:  # not gated: every known person; a stranger only with an invite link
        return KNOWN | ({Who.STRANGER} if entry.kind is Kind.INVITE else frozenset())
    return frozenset(Who.NEWCOMER if role == NEWCOMER else Who(Role(role).value) for role in roles)


async def test_every_entry_reaches_its_handler_whose_gate_lets_in_exactly_its_roles(
    app: SchakelApp,
) -> None:
    for entry in ENTRIES:
        handler = handler_for(app, update_for(app, entry))
        assert handler.callback not in FALLBACKS, f"{entry.key}: no handler of its own"
        assert door(handler, entry) == entry.door, entry.key


async def test_every_registered_handler_is_named_by_an_entry(app: SchakelApp) -> None:
    reached = {id(handler_for(app, update_for(app, entry))) for entry in ENTRIES}
    for handler in app.handlers[0]:
        if handler.callback in FALLBACKS:
            continue
        assert id(handler) in reached, f"{handler.callback.__qualname__}: not in the registry"
    commands = {
        f"/{name}"
        for handler in app.handlers[0]
        if isinstance(handler, CommandHandler)
        for name in handler.commands
    }
    assert commands <= {entry.key for entry in ENTRIES if entry.kind is Kind.COMMAND}


def test_the_sheet_and_the_card_have_an_entry_per_action() -> None:
    # One handler takes all of v1:cl: (and v2:ho:); the registry lists each action,
    # because roles differ per action.
    def actions(prefix: str) -> set[str]:
        return {e.key.removeprefix(prefix).rstrip(":") for e in ENTRIES if e.key.startswith(prefix)}

    assert actions(SHEET) == set(newcomer_sheet._ACTIONS)
    assert actions(NOTE) == set(handover._ACTIONS)


def test_each_example_is_found_as_its_own_entry() -> None:
    keys = [entry.key for entry in ENTRIES]
    assert len(keys) == len(set(keys))
    for entry in ENTRIES:
        found = button_entry(entry.sent) if entry.kind is Kind.BUTTON else message_entry(entry.sent)
        assert found is entry, entry.key
        assert not set(entry.allowed) & set(entry.refused_inside), entry.key


def test_only_the_handover_card_and_partnergroep_work_in_groups() -> None:
    in_groups = {entry.key for entry in ENTRIES if entry.in_groups}
    assert in_groups == {"/partnergroep", f"{NOTE}details:", f"{NOTE}take:", f"{NOTE}decline:"}


def test_the_table_in_docs_security_is_up_to_date() -> None:
    document = DOCUMENT.read_text(encoding="utf-8")
    assert with_table(document) == document, "run: python -m handlers.core.permissions_table"


def test_an_old_card_button_reaches_the_fallback_and_nothing_else(app: SchakelApp) -> None:
    """`v1:ho:` named the note by its id; it is retired (callbacks.RETIRED). Its data is no
    entry's, and of all handlers only "this button no longer works" takes it: privately,
    and in the partner group, where the door lets it through to say so (an alert, which
    only the presser sees)."""
    for sent in ("v1:ho:details:1", "v1:ho:take:1", "v1:ho:decline:1", "v1:ho:why:1:other"):
        assert button_entry(sent) is None, sent
        old = Entry(sent, Kind.BUTTON, "an old card's button", {})
        for chat in (PRIVATE, GROUP):
            update = update_for(app, old, chat)
            takers = [
                handler.callback
                for group, handlers in app.handlers.items()
                if group >= 0
                for handler in handlers
                if handler.check_update(update) not in (None, False)
            ]
            assert takers == [common.expired_button], (sent, chat["type"])
            assert allowed_in_groups(update), sent
    # Made-up data of a kind that is not retired is still refused at the group's door.
    made_up = Entry("v1:cl:export:K-2222", Kind.BUTTON, "", {})
    assert not allowed_in_groups(update_for(app, made_up, GROUP))


async def test_the_door_judges_each_update_by_its_own_entry_in_private_and_in_groups(
    app: SchakelApp,
) -> None:
    """entry_for and allowed_in_groups, for every entry of the table, both chats."""
    for entry in ENTRIES:
        for chat in (PRIVATE, GROUP):
            update = update_for(app, entry, chat)
            assert entry_for(update) is entry, (entry.key, chat["type"])
            assert allowed_in_groups(update) is entry.in_groups, (entry.key, chat["type"])


def test_a_command_addressed_to_the_bot_by_name_is_the_same_command() -> None:
    """In a group Telegram sends `/partnergroep@SchakelBot`; an @ later in the text
    (an e-mail address typed after the command) is not the bot's name."""
    partner_group = message_entry("/partnergroep")
    assert partner_group is not None
    assert message_entry("/partnergroep@SchakelBot") is partner_group
    assert message_entry("/partnergroep@SchakelBot@x") is partner_group
    invite = message_entry("/start c_TOKEN")
    assert invite is not None and message_entry("/start@SchakelBot c_TOKEN") is invite
    assert message_entry("/bestaatniet@SchakelBot") is None


def test_what_names_no_entry_gets_none() -> None:
    sticker = Update.de_json(
        {"update_id": 1, "message": {"message_id": 1, "date": 0, "sticker": {
            "file_id": "s", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": False,
            "is_video": False, "type": "regular"}, "chat": PRIVATE}},
        None,
    )  # fmt: skip
    assert sticker is not None and entry_for(sticker) is None
    assert not allowed_in_groups(sticker)
    pressed_without_data = Update.de_json(
        {"update_id": 2, "callback_query": {"id": "1", "chat_instance": "1",
         "from": {"id": 42, "is_bot": False, "first_name": "T"}}},
        None,
    )  # fmt: skip
    assert pressed_without_data is not None and entry_for(pressed_without_data) is None
    assert not allowed_in_groups(pressed_without_data)


def test_the_coordinators_help_names_every_command_they_may_use() -> None:
    """Issue 23: a coordinator's /help lists everything they may do (planning too), so
    nothing allowed stays unknown to them."""
    shown = coordinator_help("nl")
    allowed = [
        entry.key
        for entry in ENTRIES
        if entry.kind is Kind.COMMAND
        and Who.COORDINATOR in entry.allowed
        and entry.key not in ("/start", "/help")
    ]
    assert "/afspraak" in allowed and "/label" in allowed
    assert [command for command in allowed if command not in shown] == []


def test_who_is_writing_is_read_from_the_identity_staff_before_newcomer() -> None:
    def member(role: Role) -> StaffMember:
        return StaffMember(1, 1, "Laila", role, None, "", "nl")

    amal = Newcomer(5, "K-5AAA", "Amal", "ar", NewcomerStatus.ACTIVE, 5, True)
    assert Who.of(Identity()) is Who.STRANGER
    assert Who.of(Identity(newcomer=amal)) is Who.NEWCOMER
    for role, who in ((Role.CASEWORKER, Who.CASEWORKER), (Role.COORDINATOR, Who.COORDINATOR),
                      (Role.ADMIN, Who.ADMIN)):  # fmt: skip
        assert Who.of(Identity(staff=member(role))) is who
        # A staff member who is also someone's newcomer (testing Schakel) acts as staff.
        assert Who.of(Identity(staff=member(role), newcomer=amal)) is who
    # An admin ended their access: stopped at the door, told why, not a stranger.
    assert Who.of(Identity(former_staff=member(Role.CASEWORKER))) is Who.FORMER_STAFF


def test_a_sheet_button_is_allowed_to_the_roles_its_entry_names() -> None:
    assert allows(f"{SHEET}plan:", Who.CASEWORKER) and allows(f"{SHEET}plan:", Who.COORDINATOR)
    assert allows(f"{SHEET}lang:", Who.ADMIN)
    for who in (Who.NEWCOMER, Who.STRANGER, Who.FORMER_STAFF):
        assert not allows(f"{SHEET}plan:", who), who
    # Nobody without access gets past the door, whatever they send (but an invite link).
    doors = [entry for entry in ENTRIES if entry.kind is not Kind.INVITE and entry.key != "/start"]
    assert not any(entry.allows(Who.FORMER_STAFF) for entry in doors)
