"""Plain Dutch (klare taal) checks, after "Heerlijk Helder" and the B1 guidance.

`check_text(text)` gives the SMS length, the Flesch-Douma score and every finding:
long sentences, long words (syllables from pyphen's Dutch hyphenation), rare words
(wordfreq's Dutch frequencies), passive voice, abbreviations and formal words, each
with the word or sentence at fault and a suggestion. Staff get the same tips for
their own texts (`schakel check-text`, and the announcement conversation).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from messages.sms import SmsLength, measure

if TYPE_CHECKING:
    import pyphen

# Formal words and their plain replacement (Heerlijk Helder's "moeilijke woorden").
FORMAL_WORDS: dict[str, str] = {
    "gelieve": "wilt u",
    "indien": "als",
    "reeds": "al",
    "betreffende": "over",
    "verstrekken": "geven",
    "verstrekt": "gegeven",
    "aangezien": "omdat",
    "teneinde": "om",
    "middels": "met",
    "alsook": "en",
    "derhalve": "daarom",
    "omtrent": "over",
    "thans": "nu",
    "woonachtig": "wonen",
    "dienen": "moeten",
    "dient": "moet",
    "verzoeken": "vragen",
    "verzoek": "vraag",
    "alvorens": "voor",
    "ingevolge": "door",
    "desgewenst": "als u wilt",
    "voornoemde": "die",
    "uiterlijk": "ten laatste",
    "wensen": "willen",
    "wenst": "wilt",
    "tevens": "ook",
    "echter": "maar",
}

# Abbreviations a newcomer may not know, with what to write instead.
ABBREVIATIONS: dict[str, str] = {
    "i.v.m.": "over",
    "z.s.m.": "zo snel mogelijk",
    "t.e.m.": "tot en met",
    "t/m": "tot en met",
    "m.b.t.": "over",
    "bv.": "bijvoorbeeld",
    "bijv.": "bijvoorbeeld",
    "o.a.": "onder andere",
    "enz.": "enzovoort",
    "evt.": "misschien",
    "i.p.v.": "in plaats van",
    "a.u.b.": "alstublieft",
    "n.a.v.": "na",
    "t.a.v.": "voor",
    "e.d.": "en zo",
    "m.a.w.": "dus",
    "d.w.z.": "dat wil zeggen",
}

WORDEN = frozenset({"word", "wordt", "worden", "werd", "werden", "geworden"})
ZIJN = frozenset({"ben", "bent", "is", "zijn", "was", "waren", "geweest"})
# Look like participles but are adjectives or nouns in everyday sentences.
NOT_PARTICIPLES = frozenset(
    {
        "gezond",
        "geduld",
        "gerust",
        "genoeg",
        "gewoon",
        "geweest",
        "gelijk",
        "gericht",
        "gesprek",
        "geld",
        "geluk",
        "geleden",
        "gebied",
        "gebouw",
        "gedicht",
        "gezicht",
        "bericht",
        "berichten",
        "bekend",
        "belangrijk",
        "verschillend",
        "verschillende",
        "bedrijf",
        "begeleider",
        "begeleiders",
        "verbonden",
    }
)
# The particle of a separable verb comes before "ge": af-ge-zegd, over-ge-dragen, uit-ge-nodigd.
SEPARABLE_PARTICLES = (
    "voorbij", "terug", "samen", "binnen", "buiten", "thuis", "tegen", "open", "dicht",
    "over", "door", "rond", "neer", "vast", "aan", "uit", "mee", "toe", "weg", "voor",
    "los", "bij", "af", "op", "in", "na", "om",
)  # fmt: skip
_PREFIXES = "ge|ver|be|ont|her|er"
_PARTICIPLE = re.compile(
    rf"^(?:{'|'.join(SEPARABLE_PARTICLES)})?(?:{_PREFIXES})[^\W\d_]{{2,}}(?:d|t|en)$"
)
# Verbs whose perfect tense takes "zijn": "De les is begonnen", "Ik ben verhuisd" are not
# passive. Participles without their separable particle (aan-gekomen -> gekomen).
ZIJN_PERFECT = frozenset(
    {
        "begonnen", "gekomen", "gegaan", "vertrokken", "gebleven", "geworden", "gestorven",
        "geboren", "verhuisd", "verdwenen", "gevallen", "gegroeid", "ontstaan", "gebeurd",
        "gelukt", "mislukt", "geslaagd", "gevlucht", "overleden", "gestegen", "gedaald",
        "gestopt", "veranderd", "verschenen", "verlopen", "gelopen", "gestaan", "geland",
        "gereisd", "gevlogen", "ontsnapt", "getrouwd", "gescheiden", "gezakt", "geweest",
        "ingeslapen", "geslapen", "verdronken", "bevallen", "geraakt", "gestart",
    }
)  # fmt: skip
# Second person: "u" and "je" do not go together in one text.
FORMAL_YOU = frozenset({"u", "uw"})
INFORMAL_YOU = frozenset({"je", "jij", "jou", "jouw"})

_URL = re.compile(r"https?://\S+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Full stops that do not end a sentence: inside abbreviations, times (10.30 u),
# dates (26.1.2027) and numbers.
_PROTECTED = re.compile(
    "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r"|\d+\.\d+(?:\.\d+)?(?:\s*u\.(?=\s+[a-z]))?"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_DOT = "\u2024"  # one dot leader stands in for a protected full stop while splitting


@dataclass(frozen=True)
class PlainRules:
    max_words_per_sentence: int = 12
    max_syllables: int = 4  # a word of more syllables is long
    min_zipf: float = 3.0  # rarer words (wordfreq's Zipf scale) are flagged
    min_flesch_douma: float | None = None  # None: the score is reported, not judged
    # Words from min_zipf up to this Zipf must be on the A2 list (a2_words.txt); None: off.
    a2_below_zipf: float | None = None
    allowlist: frozenset[str] = frozenset()  # names, places, organisations (any case)


BUILT_IN_ALLOWLIST = frozenset(
    {
        "schakel",
        "telegram",
        "vdab",
        "ocmw",
        "in-gent",
        "fedasil",
        "gent",
        "antwerpen",
        "brussel",
        "vlaanderen",
        "belgië",
        "nt2",
        "ok",
        # Words of the Flemish services that newcomers meet from day one; wordfreq's
        # Dutch data comes mostly from the Netherlands and calls them rare.
        "jobcoach",
        "infosessie",
        "inburgering",
        "jobbeurs",
        # The number every partner asks for and Schakel refuses to keep: staff must
        # recognise the official word when Schakel says it took one out.
        "rijksregisternummer",
    }
)


@dataclass(frozen=True)
class Finding:
    rule: str  # sentence-length, long-word, rare-word, a2-word, passive, u-je, abbreviation,
    # formal-word, flesch-douma, sms
    text: str  # the word or sentence at fault
    suggestion: str


@dataclass(frozen=True)
class TextReport:
    text: str
    sms: SmsLength
    sentences: list[str]
    words: int
    syllables: int
    flesch_douma: float
    findings: list[Finding] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "encoding": self.sms.encoding,
            "parts": self.sms.parts,
            "units": self.sms.units,
            "ucs2_characters": list(self.sms.ucs2_characters),
            "double_characters": list(self.sms.double_characters),
            "sms_suggestion": self.sms.suggestion,
            "sentences": len(self.sentences),
            "words": self.words,
            "flesch_douma": round(self.flesch_douma, 1),
            "findings": [
                {"rule": f.rule, "text": f.text, "suggestion": f.suggestion} for f in self.findings
            ],
        }


A2_LIST = Path(__file__).parent / "a2_words.txt"


@functools.cache
def a2_words() -> frozenset[str]:
    """The words a newcomer at A2 knows (messages/a2_words.txt)."""
    lines = A2_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip()[:1] not in {"", "#"})


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    import pyphen  # here, not at the top: the bot's start need not wait for it

    # left/right 1: every syllable boundary, not only where a printer would break.
    return pyphen.Pyphen(lang="nl_NL", left=1, right=1)


@functools.cache
def _zipf() -> Callable[[str, str], float]:
    """wordfreq's word frequencies. Imported when first asked for (a third of a second,
    a tenth of the bot's start): by `check_text`, or by the bot's warm-up beside the start."""
    import wordfreq

    return wordfreq.zipf_frequency


def load_word_lists() -> None:
    """The libraries of the plain-language check imported now (the bot's warm-up, on a
    worker thread, after the start). Not wordfreq's list of Dutch words itself: it is 31 MB
    of memory, kept from the first text checked on (a coordinator's announcement)."""
    _zipf()
    _hyphenator()


def syllables(word: str) -> int:
    """Syllables of one Dutch word, from pyphen's hyphenation patterns."""
    total = 0
    for part in word.replace("’", "-").replace("'", "-").split("-"):
        if part:
            total += len(_hyphenator().positions(part.lower())) + 1
    return max(1, total)


def split_sentences(text: str) -> list[str]:
    """Sentences, not split after abbreviations, in times (10.30 u) or dates (26.1.2027)."""
    shielded = _PROTECTED.sub(lambda m: m.group(0).replace(".", _DOT), text)
    pieces = (piece.strip() for piece in _SENTENCE_END.split(shielded))
    return [piece.replace(_DOT, ".") for piece in pieces if piece]


def words_of(sentence: str) -> list[str]:
    """The words of a sentence; a web address counts as one word ("link")."""
    return _WORD.findall(_URL.sub("link", sentence))


def flesch_douma(words: int, syllable_count: int, sentences: int) -> float:
    """206.84 - 0.77 x syllables per 100 words - 0.93 x words per sentence."""
    if not words or not sentences:
        return 100.0
    return 206.84 - 0.77 * (100 * syllable_count / words) - 0.93 * (words / sentences)


def _without_particle(participle: str) -> str:
    for particle in SEPARABLE_PARTICLES:
        rest = participle.removeprefix(particle)
        if rest != participle and re.match(rf"(?:{_PREFIXES})", rest):
            return rest
    return participle


def _passive(words: list[str]) -> str | None:
    lowered = [w.lower() for w in words]
    auxiliaries = [w for w in lowered if w in WORDEN or w in ZIJN]
    if not auxiliaries:
        return None
    # "Hij is ziek geworden": the participle of worden in a perfect tense, not a passive.
    with_worden = any(w in WORDEN and w != "geworden" for w in auxiliaries)
    for before, word in zip(["", *lowered], lowered, strict=False):
        if word in NOT_PARTICIPLES or word in FORMAL_WORDS or word in ZIJN or before == "te":
            continue  # "te betalen" is an infinitive, not a participle
        if not _PARTICIPLE.match(word):
            continue
        if not with_worden and (word in ZIJN_PERFECT or _without_particle(word) in ZIJN_PERFECT):
            continue  # a perfect tense with "zijn" (the lesson has begun), not a passive
        return f"{auxiliaries[0]} ... {word}"
    return None


def _mixes_u_and_je(text: str) -> bool:
    """Both "u" and "je" speak to the reader; "10 u" (o'clock, in Flanders) is no "u"."""
    formal = [
        match for match in re.finditer(r"(?<![\w.])(?:u|uw)(?![\w.])", text, re.IGNORECASE)
        if not re.search(r"\d[\d.:]*\s*$", text[: match.start()])
    ]  # fmt: skip
    informal = re.search(r"(?<!\w)(?:je|jij|jou|jouw)(?!\w)", text, re.IGNORECASE)
    return bool(formal) and informal is not None


def check_text(
    text: str, rules: PlainRules | None = None, ignore: Iterable[str] = ()
) -> TextReport:
    """Every plain-language and SMS finding of a Dutch text; `ignore` skips given words."""
    rules = rules or PlainRules()
    allowed = {w.lower() for w in (*BUILT_IN_ALLOWLIST, *rules.allowlist, *ignore)}
    sentences = split_sentences(text)
    findings: list[Finding] = []
    word_total = syllable_total = 0
    for sentence in sentences:
        words = words_of(sentence)
        word_total += len(words)
        if len(words) > rules.max_words_per_sentence:
            findings.append(
                Finding(
                    "sentence-length",
                    sentence,
                    f"{len(words)} woorden; maak er zinnen van hoogstens "
                    f"{rules.max_words_per_sentence} woorden van",
                )
            )
        if passive := _passive(words):
            findings.append(
                Finding("passive", sentence, f"schrijf actief: wie doet het? ({passive})")
            )
        for word in words:
            count = syllables(word)
            syllable_total += count
            findings.extend(_word_findings(word, count, rules, allowed))
    if _mixes_u_and_je(text):
        findings.append(
            Finding("u-je", text[:60], "spreek de lezer op één manier aan: overal u of overal je")
        )
    for abbreviation, plain in ABBREVIATIONS.items():
        if re.search(rf"(?<![\w.]){re.escape(abbreviation)}", text, flags=re.IGNORECASE):
            findings.append(Finding("abbreviation", abbreviation, f"schrijf voluit: {plain}"))
    score = flesch_douma(word_total, syllable_total, len(sentences))
    if rules.min_flesch_douma is not None and score < rules.min_flesch_douma:
        findings.append(
            Finding(
                "flesch-douma",
                f"{score:.0f}",
                f"kortere zinnen en woorden (doel: {rules.min_flesch_douma:.0f} of meer)",
            )
        )
    sms = measure(text)
    if sms.suggestion is not None:
        findings.append(
            Finding(
                "sms",
                "".join(sms.ucs2_characters),
                f"gewone tekens houden het bij GSM-7: {sms.suggestion}",
            )
        )
    return TextReport(text, sms, sentences, word_total, syllable_total, score, findings)


def _word_findings(word: str, count: int, rules: PlainRules, allowed: set[str]) -> list[Finding]:
    lowered = word.lower()
    if lowered in allowed:
        return []
    found = []
    if lowered in FORMAL_WORDS:
        found.append(Finding("formal-word", word, f"schrijf: {FORMAL_WORDS[lowered]}"))
    if count > rules.max_syllables:
        found.append(Finding("long-word", word, f"{count} lettergrepen; zoek een korter woord"))
    zipf = _zipf()(lowered, "nl")
    if len(lowered) > 2 and zipf < rules.min_zipf:
        found.append(Finding("rare-word", word, "weinig gebruikt woord; zoek een gewoner woord"))
    elif (
        rules.a2_below_zipf is not None
        and len(lowered) > 2
        and zipf < rules.a2_below_zipf
        and lowered not in a2_words()
    ):
        found.append(
            Finding("a2-word", word, "niet op de A2-lijst (a2_words.txt); zoek een gewoner woord")
        )
    return found
