"""Rules behind the newcomer features: phones, levels, roles, QR, payloads, card lines."""

from __future__ import annotations

import json

import pytest

from bot.core.phones import BadPhone, display_phone, normalise_phone
from bot.people.counsellors import CounsellorRole, parse_counsellor_role
from bot.people.newcomers import parse_level
from bot.people.qr import qr_png
from bot.sending.outbox import Attachment, Button, Outgoing, Row
from messages import (
    DUTCH_SEPARATOR,
    FSI,
    PDI,
    language_names,
    line,
    render_lines_bilingual,
    texts,
    translated,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0470 12 34 56", "+32470123456"),
        ("+32 470/12.34.56", "+32470123456"),
        ("09 266 11 11", "+3292661111"),
        ("0031 6 12345678", "+31612345678"),
    ],
)
def test_phone_numbers_as_typed_in_flanders_are_stored_in_e164(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12", "bel me", "0470 12", "+32 000 00 00 00", ""])
def test_a_wrong_phone_number_is_refused(typed: str) -> None:
    with pytest.raises(BadPhone):
        normalise_phone(typed)


def test_a_phone_number_is_shown_in_international_form() -> None:
    assert display_phone("+32470123456") == "0470 12 34 56"


@pytest.mark.parametrize(
    ("typed", "level"), [("a1", "A1"), ("B1.2", "B1"), ("c2", "C2"), ("D1", None), ("ar", None)]
)
def test_dutch_levels(typed: str, level: str | None) -> None:
    assert parse_level(typed) == level


def test_counsellor_roles_in_dutch_words() -> None:
    assert parse_counsellor_role("Jobcoach") is CounsellorRole.JOB_COACH
    assert parse_counsellor_role("sociaal-werker") is CounsellorRole.SOCIAL_WORKER
    assert parse_counsellor_role("leerkracht") is CounsellorRole.TEACHER
    assert parse_counsellor_role("astronaut") is None


def test_the_qr_code_is_a_png() -> None:
    png = qr_png("https://t.me/SchakelBot?start=c_0Z8YbqQ3V4pT2mXk9nLr1w")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 200


def test_a_message_with_a_menu_and_a_photo_survives_the_outbox_payload() -> None:
    message = Outgoing(
        chat_id=5,
        text="caption",
        purpose="reply",
        idempotency_key="k",
        keyboard=[["📅 Afspraken", "👤 Contactpersoon"]],
        attachment=Attachment("photo", "qr.png", b"\x89PNG data"),
        buttons=[[Button("Ja", "v1:x")]],
    )
    payload = json.loads(message.payload())
    row = Row.from_db(
        {"id": 1, "chat_id": 5, "newcomer_id": None, "purpose": "reply", "attempts": 0,
         "recovered": 0, "payload": message.payload(), "channel": "telegram", "bulk": 0}  # type: ignore[arg-type]
    )  # fmt: skip
    assert payload["keyboard"] == [["📅 Afspraken", "👤 Contactpersoon"]]
    assert row.attachment == Attachment("photo", "qr.png", b"\x89PNG data")
    assert row.keyboard == [["📅 Afspraken", "👤 Contactpersoon"]]
    assert row.buttons == [[Button("Ja", "v1:x")]]


def test_language_names_are_in_the_readers_language() -> None:
    names = language_names(["nl", "ar", "fa_AF"])
    assert names("nl") == "Nederlands, Arabisch en Dari"
    assert "العربية" in names("ar")


def test_lines_render_in_the_newcomers_language_then_in_dutch_with_values_per_language() -> None:
    lines = [
        line(texts.CARD_CONTACT, name="Els", organisation="VDAB"),
        line(texts.CARD_OTHER, name="Sarah", organisation="VDAB",
             about=translated(texts.ABOUT_JOB_COACH)),
    ]  # fmt: skip
    text = render_lines_bilingual("ar", lines)
    arabic, dutch = text.split(DUTCH_SEPARATOR)
    assert dutch == (
        "Uw contactpersoon is Els van VDAB.\nSarah (VDAB): Vraag naar werk en een job zoeken."
    )
    assert f"{FSI}Els{PDI}" in arabic and "Vraag" not in arabic
    assert render_lines_bilingual("nl", lines) == dutch
