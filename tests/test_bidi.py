"""Right-to-left text laid out right: commands, names and numbers isolated in the catalogs,
a right-to-left mark before lines that would start left to right, Arabic-script dates,
and the demo's Arabic laid out by a real bidi algorithm (python-bidi) with nothing reversed."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from bidi import get_display

import messages.catalogs as catalogs
from bot.app.demo import run_demo
from messages import FSI, PDI, RLM, format_when, render, texts
from messages.bidi import isolate_ltr_runs, unisolated_ltr_runs
from messages.languages import RIGHT_TO_LEFT

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
_MARKS = re.compile("[\u2066-\u2069\u200e\u200f\u061c]")
_RIGHT_TO_LEFT_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("اكتب /stop.", ["/stop"]),
        ("أنا Schakel. اكتب /help", ["Schakel", "/help"]),
        ("اكتب /cijfers 1-9-2026 30-9-2026 الآن", ["/cijfers 1-9-2026 30-9-2026"]),
        ("اتصل بـ +32 9 123 45 67.", ["+32 9 123 45 67"]),
        ("في VDAB Gent.", ["VDAB Gent"]),
        # Already isolated, inside a placeholder, or Arabic-Indic digits: nothing to do.
        (f"اكتب {FSI}/stop{PDI}.", []),
        ("مرحبًا {name}!", []),
        ("الساعة ١٠:٣٠", []),
        # No right-to-left letter of its own: nothing to reorder against.
        ("{name}: /stop", []),
    ],
)
def test_left_to_right_runs_in_right_to_left_text_are_found(text: str, runs: list[str]) -> None:
    assert unisolated_ltr_runs(text) == runs
    assert unisolated_ltr_runs(isolate_ltr_runs(text)) == []


def test_check_catalogs_fails_on_a_command_not_isolated_in_arabic(catalog_copy: Path) -> None:
    po = catalog_copy / "ar" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    assert f"{FSI}/stop{PDI}" in text
    po.write_text(text.replace(f"{FSI}/stop{PDI}", "/stop"), encoding="utf-8")
    assert any("'/stop' is not isolated" in problem for problem in catalogs.check_catalogs())
    # The fixer puts the marks back without rewrapping the file.
    assert catalogs.isolate_catalog(po) > 0
    assert po.read_text(encoding="utf-8") == text
    assert catalogs.check_catalogs() == []


@pytest.mark.parametrize("language", sorted(RIGHT_TO_LEFT))
def test_commands_and_names_in_right_to_left_translations_are_isolated(language: str) -> None:
    welcome = render(
        language, texts.NEWCOMER_WELCOME, name="Amal", contact="Youssef", organisation="VDAB"
    )
    assert f"{FSI}Schakel{PDI}" in welcome
    assert f"{FSI}/stop{PDI}" in render(language, texts.NEWCOMER_HELP)


@pytest.mark.parametrize("language", sorted(RIGHT_TO_LEFT))
def test_a_line_with_only_placeholders_starts_with_a_right_to_left_mark(language: str) -> None:
    # "Sarah Peeters (VDAB): ..." in the contact card: no Arabic letter of its own.
    other = render(language, texts.CARD_OTHER, name="Sarah", organisation="VDAB", about="-")
    assert other.startswith(RLM)
    # A line that starts with its own Arabic words needs no mark.
    assert not render(language, texts.NEWCOMER_HELP).startswith(RLM)
    # Left-to-right readers never get one.
    assert RLM not in render("nl", texts.CARD_OTHER, name="Sarah", organisation="VDAB", about="-")


@pytest.mark.parametrize("language", sorted(RIGHT_TO_LEFT))
def test_arabic_script_dates_use_the_locales_own_separators(language: str) -> None:
    moment = dt.datetime(2027, 3, 25, 9, 0, tzinfo=dt.UTC)
    written = format_when(moment, language, BRUSSELS)
    assert "," not in written and "10:00" in written
    assert "،" in written or language == "ps"  # Pashto joins date and time with a space


def reversed_runs(logical: str) -> list[str]:
    """The commands, names and numbers of a line that a bidi algorithm does not show as
    written: '/stop' laid out as 'stop/', '+32 470' as '470 +32'. Each isolate is a
    run of its own (two isolated values side by side are rightly shown right to left)."""
    visual = _MARKS.sub("", get_display(logical))
    cut = _MARKS.sub("\0", logical)
    word = r"[0-9A-Za-z](?:[0-9A-Za-z:/.\-]*[0-9A-Za-z])?"
    runs = re.findall(rf"[/+]?{word}(?: {word})*", cut)
    return [run for run in runs if run not in visual]


def test_the_bidi_check_catches_what_readers_saw() -> None:
    assert reversed_runs("اكتب /stop.") == ["/stop"]
    assert reversed_runs("اتصل بـ +32 470 12 34 56 الآن") == ["+32 470 12 34 56"]
    assert reversed_runs(f"اكتب {FSI}/stop{PDI}.") == []


async def test_the_demos_arabic_reads_right_under_the_bidi_algorithm() -> None:
    transcript = await run_demo()
    amal = transcript.split("── chat with Amal ──")[1].split("── chat with")[0]
    arabic = [
        line.split(" ◂ ", 1)[-1].strip()
        for line in amal.splitlines()
        if _RIGHT_TO_LEFT_LETTER.search(line)
    ]
    assert len(arabic) > 20
    reversed_ = {line: reversed_runs(line) for line in arabic if reversed_runs(line)}
    assert reversed_ == {}
