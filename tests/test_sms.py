"""SMS length edge cases: part boundaries, escape pairs, UCS-2 triggers, suggestions."""

from __future__ import annotations

import pytest

from messages.sms import GSM7, UCS2, as_gateway_sends, fits_one_sms, is_gsm7, measure


@pytest.mark.parametrize(("length", "parts"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3)])
def test_gsm7_parts(length: int, parts: int) -> None:
    result = measure("a" * length)
    assert (result.encoding, result.units, result.parts) == (GSM7, length, parts)


@pytest.mark.parametrize(("length", "parts"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs2_parts(length: int, parts: int) -> None:
    result = measure("ë" + "a" * (length - 1))
    assert (result.encoding, result.units, result.parts) == (UCS2, length, parts)


def test_an_escape_pair_is_never_split_across_parts() -> None:
    text = "a" * 152 + "€" + "a" * 152
    result = measure(text)
    assert result.units == 306  # 306 septets, but the € cannot straddle the boundary
    assert result.parts == 3
    assert result.double_characters == ("€",)


def test_characters_that_cost_two_septets() -> None:
    result = measure("[a]{b}^~|\\€")
    assert result.encoding == GSM7
    assert result.units == 2 * 9 + 2
    assert result.double_characters == ("[", "]", "{", "}", "^", "~", "|", "\\", "€")


def test_dutch_accents_e_acute_is_gsm7_but_diaeresis_is_not() -> None:
    assert measure("Café, één idee").encoding == GSM7
    result = measure("België en ruïne, één reünie")
    assert result.encoding == UCS2
    assert result.ucs2_characters == ("ë", "ï")
    assert result.suggestion is None  # spelling is not changed to save an SMS


def test_curly_quotes_get_a_plain_suggestion() -> None:
    result = measure("Kom je ’s morgens? Zeg “ja” of “nee”.")
    assert result.encoding == UCS2
    assert result.ucs2_characters == ("’", "“", "”")
    assert result.suggestion == 'Kom je \'s morgens? Zeg "ja" of "nee".'
    assert measure(result.suggestion).encoding == GSM7


def test_emoji_count_as_two_ucs2_units_and_stay_whole() -> None:
    result = measure("📅" * 35)
    assert (result.encoding, result.units, result.parts) == (UCS2, 70, 1)
    assert measure("a" + "📅" * 35).parts == 2


def test_is_gsm7_refuses_what_neither_table_holds() -> None:
    assert is_gsm7("Prijs: 5 € [of] {meer}") and is_gsm7("")
    assert not is_gsm7("Łukasz") and not is_gsm7("Oekraïens") and not is_gsm7("€ł")


def test_the_last_character_of_the_basic_plane_is_one_unit_the_first_beyond_it_two() -> None:
    assert measure("\uffff").units == 1  # U+FFFF: one UTF-16 unit
    assert measure("\U00010000").units == 2  # U+10000: a surrogate pair


def test_no_suggestion_when_the_plain_look_alikes_still_leave_ucs2() -> None:
    assert measure("“Łukasz”").suggestion is None  # Ł has no look-alike
    assert measure("Łukasz").suggestion is None  # nothing to replace
    assert measure("“Jan”").suggestion == '"Jan"'


def test_a_gateway_folds_accents_outside_gsm7_and_keeps_those_inside() -> None:
    """What a newcomer's phone shows of a name staff typed: "Joëlle" as "Joelle", but
    "é", "ü" and "à" stay (GSM-7 has them), and what has no plain letter stays as it is."""
    assert as_gateway_sends("Joëlle – Oekraïens") == "Joelle - Oekraiens"
    assert as_gateway_sends("café Müller à Gent […]") == "café Müller à Gent [...]"
    # Cyrillic has no plain form: left whole for UCS-2, not cut to a base letter that is
    # not GSM-7 either ("ї" stays, not "і").
    assert as_gateway_sends("Україна") == "Україна"
    assert as_gateway_sends("") == ""


def test_one_sms_is_at_most_160_septets_in_gsm7_after_folding() -> None:
    assert fits_one_sms("a" * 160) and not fits_one_sms("a" * 161)
    assert fits_one_sms("ë" * 160)  # folded to "e": fits
    assert not fits_one_sms("€" * 81) and fits_one_sms("€" * 80)  # two septets each
    assert not fits_one_sms("Аліна")  # UCS-2 whatever its length
