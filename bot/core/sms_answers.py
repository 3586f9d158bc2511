"""What a newcomer typed back in an SMS, read as one of the few answers Schakel asks for.

Every SMS ends with its keywords in plain Dutch ("Antwoord 1 = ik kom, 2 = ik kan niet"),
so the reading is strict: a number or a keyword, with punctuation, case, accents and
spaces forgiven. Anything else is `Answer.OTHER`, which goes to the contact person as it
is, so nothing a newcomer writes is lost. What a "1" means depends on the last question
(the opt-in, an appointment, the reason): the caller says which with `asked`.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass


class Asked(enum.Enum):
    OPT_IN = "opt_in"  # "Antwoord JA" / "STOP"
    APPOINTMENT = "appointment"  # 1 = ik kom, 2 = ik kan niet
    REASON = "reason"  # 1 ziek, 2 werk, 3 les, 4 iets anders
    CONSENT = "consent"  # may a handover note go there: "Antwoord JA of NEE"
    NOTHING = "nothing"  # the last SMS asked nothing: only STOP and START are read


class Answer(enum.Enum):
    YES = "yes"  # opt-in given, or consent to a handover note
    NO = "no"  # no consent to a handover note
    COMING = "coming"
    NOT_COMING = "not_coming"
    REASON = "reason"  # with `reason` 1-4
    STOP = "stop"  # no more messages
    START = "start"  # messages again
    OTHER = "other"  # free text: forwarded to the contact person


@dataclass(frozen=True)
class Read:
    answer: Answer
    reason: int | None = None


# Twilio's own opt-out and opt-in words answer STOP and START too, so Schakel agrees with
# what the gateway does with the same message.
STOP_WORDS = frozenset({"stop", "stoppen", "stopall", "unsubscribe", "cancel", "end", "quit"})
START_WORDS = frozenset({"start", "unstop", "opnieuw"})
YES_WORDS = frozenset({"ja", "yes", "oui", "evet", "ok", "oke", "akkoord"})
COMING_WORDS = frozenset({"1", "ja", "ja ik kom", "ik kom", "kom", "yes"})
NOT_COMING_WORDS = frozenset({"2", "nee", "neen", "ik kan niet", "kan niet", "no"})
NO_WORDS = frozenset({"nee", "neen", "no", "non", "hayir"})
REASONS = {"1": 1, "2": 2, "3": 3, "4": 4, "ziek": 1, "werk": 2, "les": 3}


def normal(text: str) -> str:
    """'  Ja, ik kom!! ' -> 'ja ik kom'; accents dropped ('oké' -> 'oke'); '٢' -> '2'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    # A phone set to Arabic, Persian or another script types its own digits (١, ۲): the
    # answer in the newcomer's own language asks for 1 or 2, so read them as 1 and 2.
    letters = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in letters)
    return " ".join(re.sub(r"[^\w\s]", " ", letters).split())


def read_answer(text: str, asked: Asked) -> Read:
    said = normal(text)
    if said in STOP_WORDS:
        return Read(Answer.STOP)
    if said in START_WORDS:
        return Read(Answer.START)
    if asked in (Asked.OPT_IN, Asked.CONSENT) and said in YES_WORDS:
        return Read(Answer.YES)
    if asked is Asked.CONSENT and said in NO_WORDS:
        return Read(Answer.NO)
    if asked is Asked.APPOINTMENT and said in COMING_WORDS:
        return Read(Answer.COMING)
    if asked is Asked.APPOINTMENT and said in NOT_COMING_WORDS:
        return Read(Answer.NOT_COMING)
    if asked is Asked.REASON and said in REASONS:
        return Read(Answer.REASON, REASONS[said])
    return Read(Answer.OTHER)
