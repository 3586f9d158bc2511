"""`schakel check-messages`: every template by its audience's rules."""

from __future__ import annotations

import pytest

from bot.cli.main import main
from messages import texts
from messages.samples import SAMPLE_VALUES
from messages.template_check import (
    check_all_templates,
    check_template,
    renderings,
    template_names,
)
from messages.texts import AUDIENCE, Audience, for_newcomers, label


def test_every_text_in_texts_py_is_marked_and_checked() -> None:
    names = template_names()
    assert "NEWCOMER_WELCOME" in names and "STAFF_INVITE_CREATED" in names
    assert AUDIENCE[texts.NEWCOMER_WELCOME] is Audience.NEWCOMER
    assert AUDIENCE[texts.BUTTON_AGREE] is Audience.LABEL
    assert AUDIENCE[texts.COORDINATOR_HELP] is Audience.STAFF


def test_all_current_templates_pass() -> None:
    failing = {report.name: report.problems for report in check_all_templates() if report.problems}
    assert failing == {}


def test_renderings_use_the_longest_value_then_each_other_sample() -> None:
    variants = renderings("{name} bij {organisation}")
    assert variants[0] == {"name": "Abdulrahman", "organisation": "In-Gent"}
    names_seen = {variant["name"] for variant in variants}
    assert names_seen == set(SAMPLE_VALUES["name"])
    assert len(variants) == 1 + (len(SAMPLE_VALUES["name"]) - 1) + (
        len(SAMPLE_VALUES["organisation"]) - 1
    )


def test_a_newcomer_text_longer_than_one_sms_fails() -> None:
    long_text = for_newcomers(
        "Hallo {name}. Uw afspraak is morgen. Kom op tijd. Neem uw kaart mee. "
        "Neem ook uw brief mee. Bel {contact} als u niet kunt komen. Wij wachten op u. "
        "Tot morgen bij {organisation}."
    )
    report = check_template("LONG", long_text)
    assert any(problem.startswith("sms: 2 parts") for problem in report.problems)


def test_a_newcomer_text_in_the_passive_with_a_formal_word_fails() -> None:
    report = check_template("FORMAL", for_newcomers("U wordt gelieve verwacht om tien uur."))
    rules = {problem.split(":")[0] for problem in report.problems}
    assert {"passive", "formal-word"} <= rules


def test_a_placeholder_without_a_sample_value_fails_and_says_where() -> None:
    report = check_template("NEW", for_newcomers("Uw {spaceship} staat klaar."))
    assert report.problems == ["no sample value for spaceship in messages/samples.py"]


def test_values_commands_and_argument_words_are_not_judged_as_the_writers_words() -> None:
    # "Abdulrahman" is rare and "uitnodigen" long, but neither was the writer's choice.
    report = check_template("HELP", for_newcomers("Typ /uitnodigen NAAM. Dat is voor {name}."))
    assert report.problems == []


def test_long_words_in_staff_texts_are_tips_not_failures() -> None:
    report = check_template("STAFF", texts.N_("De organisatiestructuur is aangepast."))
    assert report.problems and all(p.startswith("passive") for p in report.problems)
    assert any(tip.startswith("long-word") for tip in report.tips)


def test_a_button_label_over_twenty_characters_fails() -> None:
    report = check_template("BUTTON", label("Ja, ik kom zeker naar de afspraak"))
    assert any(problem.startswith("length:") for problem in report.problems)


def test_flesch_douma_judges_the_writers_words_not_the_names() -> None:
    # The long sample contact name would pull the score down; the template itself is easy.
    report = check_template("EASY", for_newcomers("Bel {contact}. Dat is uw hulp."))
    assert report.flesch_douma > 70
    assert report.problems == []


def test_cli_exits_1_and_names_the_template_at_fault(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-messages"]) == 0
    assert "templates checked, 0 break a rule." in capsys.readouterr().out

    monkeypatch.setattr(
        texts, "BAD_EXAMPLE", for_newcomers("Gelieve reeds te komen."), raising=False
    )
    assert main(["check-messages", "--problems"]) == 1
    out = capsys.readouterr().out
    assert "FAIL BAD_EXAMPLE" in out and "formal-word: 'Gelieve'" in out
    assert "NEWCOMER_WELCOME" not in out
