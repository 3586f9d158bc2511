"""A failing example is reported short enough to read, and without a warning of its own.

Hypothesis prints the arguments of a falsifying example with its own pretty printer, which
shows a dataclass field by field (and a value made by `st.builds` as it was built) past
its `__repr__`. The arena printed so was every chat of the made world (94 kB): Hypothesis
warned "Generating overly large repr", and this suite's warnings-as-errors turned the
warning into a failure of the long fuzz run (`make bench`), even where no example failed.
"""

from __future__ import annotations

import warnings

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.internal.reflection import repr_call
from hypothesis.vendor.pretty import pretty

from tests.fuzz.arena import Action, Arena

LONGEST = 30_000  # Hypothesis warns from here on


def test_the_arena_is_printed_as_one_short_line() -> None:
    arena = Arena.__new__(Arena)  # no fields at all: the printer must not read them
    assert pretty(arena) == repr(arena) == "Arena(the made world)"


def test_an_action_is_printed_with_long_texts_cut_short() -> None:
    pasted = Action("amal", "file", text="x" * 100_000, file="document", data="d" * 5_000)
    shown = pretty(pasted)
    assert shown == repr(pasted)
    assert "100000 characters" in shown and len(shown) < 400


async def _test(arena: Arena, actions: list[Action]) -> None:
    """Stands for a fuzz test: the signature is what Hypothesis prints."""


def test_the_longest_example_of_every_fuzz_test_prints_without_a_warning() -> None:
    """Eleven actions (a form session's most) of the longest texts, beside the arena."""
    huge = Action("els", "text", text="€" * 50_000, data="v1:" + "9" * 60, in_group=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shown = repr_call(_test, (), {"arena": Arena.__new__(Arena), "actions": [huge] * 11})
    assert len(shown) < LONGEST // 4


@settings(max_examples=1, database=None)
@given(st.builds(Action, who=st.just("amal"), kind=st.just("text"), text=st.just("y" * 9_000)))
def _built(action: Action) -> None:
    raise AssertionError(repr(action))


def test_an_action_made_by_builds_is_printed_by_its_own_repr() -> None:
    """Hypothesis would print `Action(who=..., text='yyyy...')` as built, all 9,000."""
    try:
        _built()
    except AssertionError as failed:
        report = "\n".join(getattr(failed, "__notes__", []))
    else:
        raise AssertionError("the example did not fail")
    assert "9000 characters" in report and "y" * 200 not in report
