"""Opening hours as staff type them, shown in the reader's language."""

from __future__ import annotations

import pytest

from bot.core.opening_hours import Span, hours_for_reader, parse_hours
from messages import FSI, PDI


@pytest.mark.parametrize(
    ("typed", "spans"),
    [
        ("ma-do 9-12", [Span(((0, 3),), (("9:00", "12:00"),))]),
        ("ma-vr 9-12 uur", [Span(((0, 4),), (("9:00", "12:00"),))]),
        ("ma, wo 9u-12u30 13-16",
         [Span(((0, 0), (2, 2)), (("9:00", "12:30"), ("13:00", "16:00")))]),
        ("vr 9.30-12; za 10-12", [Span(((4, 4),), (("9:30", "12:00"),)),
                                  Span(((5, 5),), (("10:00", "12:00"),))]),
        ("maandag tot donderdag, 9 tot 12 uur", [Span(((0, 3),), (("9:00", "12:00"),))]),
        ("ma. - do. van 9h tot 12h", [Span(((0, 3),), (("9:00", "12:00"),))]),
        ("zo 9:00–24", [Span(((6, 6),), (("9:00", "24:00"),))]),
    ],
)  # fmt: skip
def test_hours_as_staff_type_them(typed: str, spans: list[Span]) -> None:
    assert parse_hours(typed) == spans


@pytest.mark.parametrize(
    "typed",
    ["elke dag", "9-12", "ma 25-30", "ma", "na afspraak", "ma 12-9", "ma 9-9", "ma tot",
     "di 24:30-25", "ma-vr 9-12, rekening BE68"],
)  # fmt: skip
def test_other_text_is_not_hours_and_shows_as_typed(typed: str) -> None:
    assert parse_hours(typed) is None
    assert hours_for_reader(typed)("ar") == typed


def test_hours_read_in_the_readers_language() -> None:
    hours = hours_for_reader("ma-do 9-12")
    assert hours("nl") == "maandag–donderdag 9:00–12:00"
    assert hours("fr") == "lundi–jeudi 9:00–12:00"
    assert hours("ti") == "ሰኑይ–ሓሙስ 9:00–12:00"
    # Right to left: the time span isolated, so 9:00–12:00 is not shown as 12:00–9:00.
    assert hours("ar") == f"الاثنين–الخميس {FSI}9:00–12:00{PDI}"
