"""Answers typed in an SMS: strict keywords, forgiving spelling, everything else kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.sms_answers import Answer, Asked, Read, normal, read_answer

APPOINTMENT_CASES = [
    ("1", Read(Answer.COMING)),
    (" Ja ", Read(Answer.COMING)),
    ("JA, IK KOM!", Read(Answer.COMING)),
    ("ik kom.", Read(Answer.COMING)),
    ("2", Read(Answer.NOT_COMING)),
    ("Nee", Read(Answer.NOT_COMING)),
    ("neen!", Read(Answer.NOT_COMING)),
    ("Ik kan niet", Read(Answer.NOT_COMING)),
    ("STOP", Read(Answer.STOP)),
    ("stoppen", Read(Answer.STOP)),
    ("Start", Read(Answer.START)),
    ("3", Read(Answer.OTHER)),  # not a choice here
    ("12", Read(Answer.OTHER)),
    ("1 2", Read(Answer.OTHER)),
    ("ik kom misschien later", Read(Answer.OTHER)),
    ("", Read(Answer.OTHER)),
    ("نعم", Read(Answer.OTHER)),  # free text: the contact person reads it
]


@pytest.mark.parametrize(("typed", "read"), APPOINTMENT_CASES)
def test_answers_to_an_appointment(typed: str, read: Read) -> None:
    assert read_answer(typed, Asked.APPOINTMENT) == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("1", Read(Answer.REASON, 1)),
        ("ziek", Read(Answer.REASON, 1)),
        ("2.", Read(Answer.REASON, 2)),
        ("Les", Read(Answer.REASON, 3)),
        ("4", Read(Answer.REASON, 4)),
        ("٣", Read(Answer.REASON, 3)),  # Arabic-Indic digits from an Arabic keyboard
        ("۲", Read(Answer.REASON, 2)),  # Persian digits
        ("፩", Read(Answer.REASON, 1)),  # a Ge'ez numeral (one to nine read as such)
        ("5", Read(Answer.OTHER)),
        ("ja", Read(Answer.OTHER)),
        ("stop", Read(Answer.STOP)),
    ],
)
def test_reasons(typed: str, read: Read) -> None:
    assert read_answer(typed, Asked.REASON) == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("JA", Read(Answer.YES)),
        ("oké", Read(Answer.YES)),
        ("Yes", Read(Answer.YES)),
        ("1", Read(Answer.OTHER)),  # the opt-in asks for JA, not a number
        ("nee", Read(Answer.OTHER)),
        ("STOP", Read(Answer.STOP)),
    ],
)
def test_opt_in(typed: str, read: Read) -> None:
    assert read_answer(typed, Asked.OPT_IN) == read


def test_spelling_forgiven() -> None:
    assert normal("  Ja,   ik KOM!! ") == "ja ik kom"
    assert normal("Oké") == "oke"


@given(st.text(max_size=40), st.sampled_from(list(Asked)))
def test_any_text_is_read_without_error(text: str, asked: Asked) -> None:
    read = read_answer(text, asked)
    assert (read.reason is not None) == (read.answer is Answer.REASON)
