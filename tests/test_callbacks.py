"""The one registry of button data (bot/core/callbacks.py): data is made and read back by
the same declaration, forged or garbled data reads as None, and every button handler of
the real Application listens to a prefix from the registry."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram.ext import CallbackQueryHandler

from bot.app.application import build_application
from bot.core.callbacks import (
    APPOINTMENT_ANSWER,
    FIGURES,
    FIGURES_EXCEL,
    FIGURES_PICK,
    HANDOVER_NOTE,
    MAX_BYTES,
    NEWCOMER_SHEET,
    NO_ROW,
    REGISTRY,
    RETIRED,
    RSVP,
    row_id,
)
from bot.core.config import Config
from bot.handovers.model import DeclineReason
from bot.people.newcomers import REFERENCE_LENGTH


def test_each_kind_has_its_own_prefix() -> None:
    prefixes = [kind.prefix for kind in REGISTRY]
    assert len(set(prefixes)) == len(prefixes)
    # Only the spreadsheet and the organisation buttons share a prefix (one handler takes
    # all three, as in chats).
    nested = [
        (a.code, b.code) for a in REGISTRY for b in REGISTRY
        if a is not b and b.prefix.startswith(a.prefix)
    ]  # fmt: skip
    assert nested == [("fig", "fig:x"), ("fig", "fig:o")]


def test_a_handover_card_names_its_note_by_reference_and_fits_in_64_bytes() -> None:
    """Version 2: the note's random reference, not its id (which counts up)."""
    reference = "H-" + "W" * REFERENCE_LENGTH
    pressed = HANDOVER_NOTE.parse(HANDOVER_NOTE.data("take", reference))
    assert pressed is not None and pressed["note"] == reference
    longest = max(
        (HANDOVER_NOTE.data("why", reference, reason.value) for reason in DeclineReason), key=len
    )
    assert longest == f"v2:ho:why:{reference}:not_our_service"
    assert len(longest.encode()) <= MAX_BYTES
    assert HANDOVER_NOTE.parse("v1:ho:take:12") is None


def test_a_retired_prefix_is_no_kind_of_ours() -> None:
    """Data of a retired version reaches no handler of a kind, only the fallback."""
    for retired in RETIRED:
        for kind in REGISTRY:
            assert not retired.startswith(kind.prefix) and not kind.prefix.startswith(retired)


def test_data_is_read_back_by_name() -> None:
    data = APPOINTMENT_ANSWER.data("why", 12, "ill")
    assert data == "v1:ap:why:12:ill"
    pressed = APPOINTMENT_ANSWER.parse(data)
    assert pressed is not None
    assert (pressed["action"], pressed.row("appointment"), pressed["reason"]) == ("why", 12, "ill")
    # The optional last field may be left out; it reads as "".
    short = APPOINTMENT_ANSWER.parse(APPOINTMENT_ANSWER.data("yes", 12))
    assert short is not None and short["reason"] == ""


def test_the_spreadsheet_button_is_told_apart() -> None:
    excel = FIGURES_EXCEL.data("20271001", "20271031")
    assert excel == "v1:fig:x:20271001:20271031"
    assert FIGURES_EXCEL.parse(excel) is not None
    assert FIGURES_EXCEL.parse(FIGURES.data("20271001", "20271031")) is None


@pytest.mark.parametrize(
    "data",
    [None, "", "v1:ap:", "v1:ap:yes", "v1:rsvp:1:coming", "v2:ap:yes:1", "x1:ap:yes:1"],
)  # fmt: skip
def test_other_shapes_read_as_nothing(data: str | None) -> None:
    assert APPOINTMENT_ANSWER.parse(data) is None


def test_the_last_field_keeps_what_follows() -> None:
    """A form's value may hold the separator (a time typed as 10:30)."""
    pressed = RSVP.parse("v1:rsvp:1:coming:extra")
    assert pressed is not None and pressed["answer"] == "coming:extra"
    assert RSVP.parse("v1:rsvp:1") is None


def test_ids_are_read_strictly() -> None:
    assert row_id("12") == 12
    for forged in ["٣", " 3", "3 ", "²", "-1", "1e3", "9" * 30, ""]:
        assert row_id(forged) == NO_ROW


def test_data_over_telegrams_64_bytes_is_never_made() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        NEWCOMER_SHEET.data("setlang", "K-AAAA", "x" * 60)
    with pytest.raises(ValueError, match="values for fields"):
        RSVP.data(1)
    with pytest.raises(ValueError, match="holds ':'"):
        RSVP.data("1:2", "coming")


@given(st.text(max_size=80))
def test_any_data_reads_without_error(data: str) -> None:
    for kind in REGISTRY:
        pressed = kind.parse(data)
        if pressed is not None:
            assert data.startswith(kind.prefix)
            assert set(pressed.values) == set(kind.fields)


def test_every_button_handler_listens_to_a_registered_prefix(config: Config) -> None:
    application = build_application(config)
    patterns = [
        handler.pattern
        for group in application.handlers.values()
        for handler in group
        if isinstance(handler, CallbackQueryHandler) and handler.pattern is not None
    ]  # (the one without a pattern is the fallback for buttons that no longer work)
    assert all(isinstance(pattern, re.Pattern) for pattern in patterns)
    # The spreadsheet and organisation buttons are under the figures' prefix (one handler).
    under_figures = (FIGURES_EXCEL, FIGURES_PICK)
    assert {p.pattern for p in patterns if isinstance(p, re.Pattern)} == {
        kind.pattern for kind in REGISTRY if kind not in under_figures
    }
