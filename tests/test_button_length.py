"""Button labels fit half a row in every language (a check in `schakel check-catalogs`)."""

from __future__ import annotations

from pathlib import Path

import messages.catalogs as catalogs
from messages import texts
from messages.button_length import button_limit, button_texts, too_long, width


def test_width_counts_as_a_phone_draws() -> None:
    assert width("Nu niet") == 7
    assert width("📅 Afspraken") == 12  # the emoji takes two places
    assert width("\u2068/stop\u2069") == 5  # isolates take none
    assert button_limit("ti") < button_limit("ar") < button_limit("fr")


def test_buttons_are_found_and_toasts_are_not() -> None:
    buttons = button_texts()
    assert texts.BUTTON_AGREE in buttons and texts.MENU_CONTACT in buttons
    assert texts.BUTTON_NOT_FOR_YOU not in buttons  # a toast for newcomers, not a button
    assert too_long(texts.BUTTON_AGREE, "Ja", "nl") is None
    assert too_long(texts.NOT_UNDERSTOOD, "x" * 80, "nl") is None


def test_check_catalogs_fails_on_a_button_too_wide_for_tigrinya(catalog_copy: Path) -> None:
    po = catalog_copy / "ti" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("⛔ ፍቓድ ኣቋርጽ", "⛔ ፍቓድ ምእታው ጠጠው ኣብል"), encoding="utf-8")
    assert any("BUTTON_STOP_ACCESS is 19 places wide in ti" in p for p in catalogs.check_catalogs())
