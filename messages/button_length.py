"""Button labels that fit half a phone's width, so two buttons share a row in every
language. Widths are counted as a phone draws them: an emoji takes two places, a combining
mark or an invisible bidi mark none; Ge'ez syllables are wide, so Tigrinya gets fewer."""

from __future__ import annotations

import unicodedata

from messages import texts
from messages.texts import AUDIENCE, Audience

# Places in half a row of Telegram's inline keyboard on a 360-dp phone, per script.
DEFAULT_LIMIT = 22
BUTTON_LIMITS: dict[str, int] = {"ar": 20, "fa": 20, "fa_AF": 20, "ps": 20, "ti": 14}


def button_limit(language: str) -> int:
    return BUTTON_LIMITS.get(language, DEFAULT_LIMIT)


def width(label: str) -> int:
    places = 0
    for char in label:
        if unicodedata.category(char) in {"Mn", "Me", "Cf"} or char == "\ufe0f":
            continue
        places += 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1
    return places


def button_texts() -> dict[str, str]:
    """msgid -> constant name of every button label in texts.py (BUTTON_..., MENU_...)."""
    return {
        value: name
        for name, value in vars(texts).items()
        if name.startswith(("BUTTON_", "MENU_"))
        and isinstance(value, str)
        and AUDIENCE.get(value) is Audience.LABEL
        and "{" not in value  # a filled-in value ("📅 {month}") is checked where it is made
    }


def too_long(msgid: str, translation: str, language: str) -> str | None:
    """A problem line when the label is a button and too wide for half a row."""
    if msgid not in button_texts():
        return None
    places = width(translation)
    if places <= button_limit(language):
        return None
    return (
        f"button {button_texts()[msgid]} is {places} places wide in {language}: "
        f"{translation!r}; at most {button_limit(language)} fit two buttons on a row"
    )
