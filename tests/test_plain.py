"""Plain-Dutch rules on sentences written for the purpose, and the check-text command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from messages.plain import (
    PlainRules,
    a2_words,
    check_text,
    flesch_douma,
    split_sentences,
    syllables,
)

ROOT = Path(__file__).resolve().parents[1]

BUREAUCRATIC = (
    "Gelieve betreffende uw inburgeringstraject z.s.m. de reeds door de maatschappelijk "
    "werker opgevraagde documenten, indien beschikbaar, te verstrekken, aangezien uw "
    "dossier anders niet verder kan worden behandeld."
)
PLAIN = "Breng uw papieren mee. Hebt u ze nog niet? Bel dan uw begeleider. Zo kan hij u helpen."


def rules_hit(text: str, rules: PlainRules | None = None) -> set[str]:
    return {finding.rule for finding in check_text(text, rules).findings}


def test_a_bureaucratic_sentence_is_flagged_on_every_count() -> None:
    report = check_text(BUREAUCRATIC, PlainRules(min_flesch_douma=80))
    assert rules_hit(BUREAUCRATIC, PlainRules(min_flesch_douma=80)) >= {
        "sentence-length", "long-word", "rare-word", "passive", "abbreviation",
        "formal-word", "flesch-douma",
    }  # fmt: skip
    formal = {f.text.lower(): f.suggestion for f in report.findings if f.rule == "formal-word"}
    assert formal["gelieve"] == "schrijf: wilt u"
    assert formal["indien"] == "schrijf: als"
    assert formal["reeds"] == "schrijf: al"
    assert formal["betreffende"] == "schrijf: over"
    assert formal["verstrekken"] == "schrijf: geven"
    assert report.flesch_douma < 40


def test_its_plain_rewrite_passes() -> None:
    report = check_text(PLAIN, PlainRules(min_flesch_douma=80))
    assert report.findings == []
    assert report.flesch_douma >= 80
    assert report.sms.parts == 1


@pytest.mark.parametrize(
    "sentence",
    ["Uw brief wordt morgen verstuurd.", "De afspraak is verplaatst.",
     "Uw dossier werd door de dienst behandeld.", "De kosten worden betaald.",
     "Het formulier is ontvangen."],
)  # fmt: skip
def test_passive_voice_is_found_with_ge_ver_be_and_ont_participles(sentence: str) -> None:
    assert "passive" in rules_hit(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Youssef belt u morgen.", "Het is belangrijk.", "U bent gezond.", "Ik ben uw begeleider."],
)
def test_active_sentences_are_not_called_passive(sentence: str) -> None:
    assert "passive" not in rules_hit(sentence, PlainRules(allowlist=frozenset({"Youssef"})))


def test_sentences_are_not_split_in_abbreviations_times_or_dates() -> None:
    text = "Kom op 26.1.2027 om 10.30 u. naar Gent. Bel i.v.m. de afspraak z.s.m. Youssef! Tot dan."
    assert split_sentences(text) == [
        "Kom op 26.1.2027 om 10.30 u. naar Gent.",
        "Bel i.v.m. de afspraak z.s.m. Youssef!",
        "Tot dan.",
    ]


def test_the_word_limit_is_configurable() -> None:
    sentence = "Kom morgen om tien uur naar het kantoor van de VDAB in Gent."  # 13 words
    assert "sentence-length" in rules_hit(sentence)
    assert "sentence-length" not in rules_hit(sentence, PlainRules(max_words_per_sentence=15))


def test_names_and_places_on_the_allowlist_are_not_rare() -> None:
    sentence = "Ga naar de Sint-Pietersnieuwstraat."
    assert "rare-word" in rules_hit(sentence)
    allowed = PlainRules(allowlist=frozenset({"Sint-Pietersnieuwstraat"}))
    assert "rare-word" not in rules_hit(sentence, allowed)
    assert check_text(sentence, ignore=["Sint-Pietersnieuwstraat"]).findings == []


def test_syllables_come_from_dutch_hyphenation() -> None:
    assert syllables("afspraak") == 2
    assert syllables("contactpersoon") == 4
    assert syllables("inburgeringstraject") >= 5


def test_flesch_douma_formula() -> None:
    assert flesch_douma(words=10, syllable_count=15, sentences=1) == pytest.approx(
        206.84 - 0.77 * 150 - 0.93 * 10
    )


def test_check_text_json_on_standard_input() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-text", "--json"], cwd=ROOT, text=True,
        input="Gelieve ’s morgens te bellen. België is mooi.", capture_output=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["encoding"] == "UCS-2"
    assert report["ucs2_characters"] == ["’", "ë"]
    assert report["parts"] == 1 and report["units"] == len(
        "Gelieve ’s morgens te bellen. België is mooi."
    )
    assert {"rule": "formal-word", "text": "Gelieve", "suggestion": "schrijf: wilt u"} in report[
        "findings"
    ]


def test_check_text_plain_report_from_arguments() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-text", "Bel", "uw", "begeleider."], cwd=ROOT,
        text=True, capture_output=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0
    assert "SMS: 1 part(s)" in result.stdout and "no findings" in result.stdout


def test_a_web_address_counts_as_one_word() -> None:
    report = check_text("Open deze link: https://t.me/SchakelBot?start=c_0Z8YbqQ3V4pT2mXk9nLr1w")
    assert report.words == 4
    assert [f.rule for f in report.findings] == []


@pytest.mark.parametrize(
    "sentence",
    ["Uw afspraak wordt afgezegd.", "Het dossier werd overgedragen.",
     "U bent uitgenodigd door VDAB.", "Het formulier is ingevuld.", "De les wordt opgenomen."],
)  # fmt: skip
def test_passives_of_separable_verbs_are_found(sentence: str) -> None:
    assert "passive" in rules_hit(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["De les is begonnen.", "Ik ben verhuisd.", "Hij is gisteren aangekomen.",
     "Zij is ziek geworden.", "De bus is vertrokken."],
)  # fmt: skip
def test_perfect_tenses_with_zijn_are_not_called_passive(sentence: str) -> None:
    assert "passive" not in rules_hit(sentence)


@pytest.mark.parametrize(
    ("text", "mixed"),
    [("U kunt je afspraak zien.", True), ("Heb jij uw brief?", True),
     ("U kunt uw afspraak zien.", False), ("Kom om 10 u naar je les.", False),
     ("Je kunt je afspraak zien.", False)],
)  # fmt: skip
def test_mixing_u_and_je_is_a_finding(text: str, mixed: bool) -> None:
    assert ("u-je" in rules_hit(text)) is mixed


def test_common_but_abstract_words_are_not_on_the_a2_list() -> None:
    a2 = PlainRules(a2_below_zipf=4.5)
    assert "a2-word" in rules_hit("Uw traject krijgt opvolging.", a2)
    assert "a2-word" not in rules_hit("Uw begeleider belt u morgen.", a2)
    assert "a2-word" not in rules_hit("Uw traject krijgt opvolging.")  # off unless asked
    assert {"opvolging", "traject"}.isdisjoint(a2_words()) and "afspraak" in a2_words()
