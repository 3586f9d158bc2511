"""A handover note, as the rules and the words see it: why it is written, its content
(every free text redacted, with markers the reader sees in words), its state and the
partner group's card. No rule and no wording here: bot/handovers/words.py words these,
bot/handovers/notes.py acts on them."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from bot.core import redaction as sensitive
from bot.core.redaction import Finding, Kind
from bot.people.newcomers import Newcomer
from bot.sending.outbox import Button

# The longest free text per field: the card fields are short, the note's may be longer.
TEXT_MAX = {"school": 80, "plan_a": 300, "plan_b": 300, "attention": 500, "next_step": 80}
# A long free text: once it is kept, the writer hears how much of its room is used and left,
# because a chat shows no counter while typing (the short ones say their limit when asked).
ROOM_SHOWN_FROM = 300


def shows_room(key: str) -> bool:
    return TEXT_MAX[key] >= ROOM_SHOWN_FROM


class Reason(enum.StrEnum):
    REFERRAL = "referral"  # sent on for a service (training, job coaching, ...)
    HANDOVER = "handover"  # the receiving partner takes over the guidance


class ConsentGivenBy(enum.StrEnum):
    """Who gave the consent to share, and how (shown in the note)."""

    CASEWORKER = "caseworker"  # the caseworker's word (notes from before issue 23)
    NEWCOMER = "newcomer"  # the newcomer themselves, with ✅ in Schakel
    PAPER = "paper"  # signed on paper, recorded by the caseworker with its date
    IN_PERSON = "in_person"  # said in person, recorded by the caseworker with its date


class Civic(enum.StrEnum):
    """Where the newcomer stands with civic orientation (maatschappelijke oriëntatie)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    EXEMPT = "exempt"


class NoteStatus(enum.StrEnum):
    POSTED = "posted"
    TAKEN_OVER = "taken_over"
    DECLINED = "declined"


class DeclineReason(enum.StrEnum):
    NO_CAPACITY = "no_capacity"
    NOT_OUR_SERVICE = "not_our_service"
    OTHER_REGION = "other_region"
    OTHER = "other"


def _marker(kind: Kind) -> str:
    # Stored in place of what was removed, and put in words in the reader's language.
    return f"⟦{kind.value}⟧"


_MARKER = re.compile(r"⟦(\w+)⟧")


def redact(text: str) -> tuple[str, list[Finding]]:
    """Free text without national register numbers, phones, e-mail addresses or IBANs."""
    return sensitive.redact(" ".join(text.split()), _marker)


def show_removed(text: str, label: Callable[[Kind], str]) -> str:
    """Each stored marker as words a reader understands ("[phone number removed]")."""
    kinds = {kind.value: kind for kind in Kind}
    return _MARKER.sub(
        lambda m: label(kinds[m.group(1)]) if m.group(1) in kinds else m.group(0), text
    )


class NoteBody(BaseModel):
    """What the note says about the newcomer; every free text already redacted."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mother_tongue: str
    contact_languages: tuple[str, ...] = ()
    interpreter_needed: bool = False
    dutch_level: str | None = None
    school: str = Field(default="", max_length=TEXT_MAX["school"] + 40)
    civic: Civic = Civic.NOT_STARTED
    plan_a: str = Field(default="", max_length=TEXT_MAX["plan_a"] + 40)
    plan_b: str = Field(default="", max_length=TEXT_MAX["plan_b"] + 40)
    attention: str = Field(default="", max_length=TEXT_MAX["attention"] + 40)
    next_step: str = Field(default="", max_length=TEXT_MAX["next_step"] + 40)
    next_date: dt.date | None = None

    def redacted(self) -> NoteBody:
        """The same note with every free text redacted (again: nothing slips through)."""
        return self.model_copy(update={name: redact(getattr(self, name))[0] for name in TEXT_MAX})


@dataclass(frozen=True)
class Note:
    id: int
    reference: str  # the note's own pseudonymous reference, H-XXXX: shown in the group
    newcomer_id: int
    newcomer_reference: str
    newcomer_name: str
    author_id: int
    author_name: str
    author_chat_id: int
    author_language: str
    from_organisation_id: int
    from_organisation: str
    to_organisation_id: int
    to_organisation: str
    to_staff_name: str | None
    reason: Reason
    body: NoteBody | None  # None once the newcomer asked to be forgotten
    consent_on: dt.date
    consent_given_by: ConsentGivenBy
    status: NoteStatus
    decided_by: str | None
    decided_organisation: str | None
    decided_at: dt.datetime | None
    decline_reason: DeclineReason | None
    created_at: dt.datetime
    raised_at: dt.datetime | None
    raise_count: int

    @property
    def card_key(self) -> str:
        """The idempotency key of the card in the partner group (edited when decided)."""
        return f"handover-card:{self.id}"


@dataclass(frozen=True)
class Handover:
    """What the author chose, besides the note's content."""

    newcomer: Newcomer
    to_organisation_id: int
    to_staff_id: int | None
    reason: Reason
    body: NoteBody
    agreed_on: dt.date  # the day the newcomer agreed to share with that organisation
    given_by: ConsentGivenBy = ConsentGivenBy.CASEWORKER
    # The newcomer's own ✅ (bot/handovers/consent.py), used up when the note is posted.
    consent_request: int | None = None


class Card(NamedTuple):
    """A message for the partner group: its text and buttons."""

    text: str
    buttons: Sequence[Sequence[Button]]
