"""Bad input, property-based: whatever anyone sends, Schakel does not crash, answers,
shows no newcomer's data to anyone not entitled to it, and a refused action changes
nothing (the properties are in tests/fuzz/arena.py, the rules in tests/fuzz/oracle.py).

Each test sends one kind of input as every role: a stranger, the newcomers (agreed,
stopped, never agreed, an open invite), caseworkers of three organisations, a
coordinator and an admin, in private and in the partner group.

`make test` runs a small, fixed set of examples (derandomized: CI sees the same ones
every run); `make bench` (HYPOTHESIS_PROFILE=long) explores twenty times as many, new
ones each run, and keeps failing examples in .hypothesis/ to replay them.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram.ext import CallbackQueryHandler, CommandHandler

from tests.fuzz import oracle, world
from tests.fuzz.arena import Action, Arena
from tests.fuzz.strategies import (
    RANDOM_DATA,
    commands,
    form_session,
    messages,
    presses,
    shaped_press,
    taps,
)

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"


def fuzzing(examples: int) -> settings:
    """One Application per test function serves all its examples (Arena.reset restores the
    world before each), hence the function-scoped fixture is fine here."""
    checks = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
    if LONG:  # new examples each run; failing ones are kept in .hypothesis/ and tried first
        return settings(max_examples=examples * 20, deadline=None, suppress_health_check=checks)
    return settings(
        max_examples=examples, deadline=None, derandomize=True, database=None,
        suppress_health_check=checks,
    )  # fmt: skip


@fuzzing(examples=60)
@given(actions=st.lists(messages(), min_size=1, max_size=4))
async def test_any_text_or_file_from_anyone(arena: Arena, actions: list[Action]) -> None:
    await arena.play(actions)


@fuzzing(examples=80)
@given(actions=st.lists(commands(), min_size=1, max_size=4))
async def test_every_command_with_random_arguments(arena: Arena, actions: list[Action]) -> None:
    await arena.play(actions)


@fuzzing(examples=50)
@given(actions=st.lists(presses(RANDOM_DATA), min_size=1, max_size=4))
async def test_made_up_button_data(arena: Arena, actions: list[Action]) -> None:
    await arena.play(actions)


@fuzzing(examples=120)
@given(actions=st.lists(shaped_press(), min_size=1, max_size=4))
async def test_button_data_naming_other_peoples_things(arena: Arena, actions: list[Action]) -> None:
    await arena.play(actions)


@fuzzing(examples=60)
@given(actions=form_session())
async def test_forms_answered_at_random(arena: Arena, actions: list[Action]) -> None:
    await arena.play(actions)


@fuzzing(examples=60)
@given(actions=st.lists(st.one_of(taps(), taps(), shaped_press()), min_size=1, max_size=6))
async def test_buttons_old_and_new_tapped_by_anyone(arena: Arena, actions: list[Action]) -> None:
    """Every button the world's chats hold (appointment answers, announcements, the cards
    in the group, the consent question) and what each opens, tapped by whoever."""
    await arena.play(actions)


@fuzzing(examples=50)
@given(
    actions=st.lists(
        st.one_of(messages(), commands(), shaped_press(), taps()), min_size=2, max_size=8
    )
)
async def test_everyone_at_once(arena: Arena, actions: list[Action]) -> None:
    await arena.play(actions)


async def test_the_fuzzing_knows_every_command_and_button(arena: Arena) -> None:
    """A new command or kind of button is fuzzed only once the oracle knows who may use it."""
    registered: set[str] = set()
    prefixes: set[str] = set()
    for handlers in arena.application.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                registered |= set(handler.commands)
            if isinstance(handler, CallbackQueryHandler) and handler.pattern is not None:
                pattern = getattr(handler.pattern, "pattern", handler.pattern)
                prefixes.add(str(pattern).removeprefix("^"))
    assert registered == set(oracle.COMMANDS)
    assert prefixes == set(oracle.BUTTONS)


async def test_the_refusals_are_really_checked(arena: Arena) -> None:
    """The refusal property looks at forged presses, and the leak property at real data."""
    forged = [
        Action("laila", "press", data="v1:ap:yes:2"),  # Brixtonia's appointment
        Action("quilmara", "press", data="v1:ap:yes:2"),
        Action("els", "press", data="v2:ho:take:{note:1}"),  # a note from VDAB to OCMW
        Action("sarah", "press", data="v1:ho:take:1"),  # hers (OCMW), but a retired button
        Action("stranger", "text", text="/clienten"),
    ]
    await arena.play(forged)
    assert arena.refusals_checked == len(forged)
    await arena.play([Action("laila", "text", text="/clienten")])
    assert "quilmara" in "\n".join(arena.telegram.texts_to(2)).casefold()


async def test_the_leak_and_change_checks_can_fail(arena: Arena) -> None:
    """The properties are not vacuous: a marker where it may not be, or any change, is seen."""
    await arena.reset()
    facts = await oracle.read_facts(arena.services.store)
    laila, group = 2, world.GROUP_ID
    arena.telegram.transcript.append((laila, "Schakel", "Zwaluwhofstraat 11, Gent"))  # her own
    arena.check_no_leak(facts)
    for chat, shown in ((laila, "met Ottilie Wambeke"), (group, arena.cast.references["quilmara"])):
        arena.telegram.transcript.append((chat, "Schakel", shown))
        with pytest.raises(AssertionError, match=f"chat {chat} read"):
            arena.check_no_leak(facts)
        arena.telegram.transcript.pop()
    before = await oracle.domain_state(arena.services.store, {laila})
    async with arena.services.store.transaction() as db:
        await db.execute("UPDATE newcomers SET status = 'stopped' WHERE id = 1")
    after = await oracle.domain_state(arena.services.store, {laila})
    assert "newcomers: + (1," in oracle.describe_change(before, after)


async def test_a_second_tap_on_erase_everything_is_not_offered_to_be_refused(arena: Arena) -> None:
    """Found by the long run: an admin opens a sheet, taps "erase everything", "yes, erase
    it all", then "yes" again; the newcomer is gone by then, so the tap was refused as
    "not for you" under a question still showing its buttons. The answered question now
    loses them (the arena's tap check fails otherwise)."""
    await arena.play(
        [
            Action("annelies", "text", text="/client {ref:quilmara}"),
            Action("annelies", "tap", tap=6),
            Action("annelies", "tap"),
            Action("annelies", "tap"),
        ]
    )
    assert "gewist" in arena.telegram.texts_to(1)[-1]
