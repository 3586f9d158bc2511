"""What the caseworker's handover form (handlers/handovers/form.py) takes as answers: the
partner to hand over to, languages typed as a list, free texts (redacted as they are
typed, within their limits), and the note the answers make."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.redaction import Finding
from bot.core.typed_text import TextProblem, one_line
from bot.handovers.model import (
    TEXT_MAX,
    Civic,
    ConsentGivenBy,
    Handover,
    NoteBody,
    Reason,
    redact,
)
from bot.people.interpreters import parse_interpreter_language
from bot.people.newcomers import Newcomer
from bot.people.organisations import Organisation

# Free-text steps that may be left empty.
OPTIONAL_TEXT = ("school", "plan_b", "attention")
# Commas as typed in Latin, Arabic-script and Ethiopic keyboards.
_LIST_SEPARATORS = re.compile(r"[,،፣;]")


def partner(
    organisations: Sequence[Organisation], own_id: int | None, chosen: str
) -> Organisation | None:
    """The partner organisation a button names (by id), never the author's own."""
    found = next((o for o in organisations if str(o.id) == chosen), None)
    return None if found is None or found.id == own_id else found


def partner_named(
    organisations: Sequence[Organisation], own_id: int | None, typed: str
) -> Organisation | None:
    """The partner organisation typed by its short name, in any case."""
    wanted = one_line(typed).casefold()
    found = next((o for o in organisations if o.short_name.casefold() == wanted), None)
    return None if found is None else partner(organisations, own_id, str(found.id))


@dataclass(frozen=True)
class UnknownLanguage:
    typed: str  # the part of the list that names no language


def typed_languages(typed: str) -> list[str] | UnknownLanguage:
    """The codes of languages typed as a list ("Arabisch, Frans"), in order; or the first
    part not understood."""
    text = one_line(typed)
    parts = [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]
    codes: list[str] = []
    for part in parts:
        code = parse_interpreter_language(part)
        if code is None:
            return UnknownLanguage(part)
        codes.append(code)
    return codes or UnknownLanguage(text)


@dataclass(frozen=True)
class Redacted:
    text: str  # what is kept: without what must not be shared
    findings: list[Finding]  # what was taken out


def typed_note_text(field: str, typed: str) -> Redacted | TextProblem:
    """A free text of the note, within its field's limit, redacted."""
    if len(one_line(typed)) > TEXT_MAX[field]:
        return TextProblem.TOO_LONG
    return Redacted(*redact(typed))


def handover_from(answers: Mapping[str, Any], newcomer: Newcomer) -> Handover:
    """The form's answers, as kept in its draft, as the handover to post."""
    next_date = answers.get("next_date")
    given_by = ConsentGivenBy(answers.get("consent", ConsentGivenBy.CASEWORKER))
    body = NoteBody(
        mother_tongue=answers["mother"],
        contact_languages=tuple(answers["spoken"]),
        interpreter_needed=answers.get("interpreter", False),
        dutch_level=answers.get("level"),
        school=answers.get("school", ""),
        civic=Civic(answers.get("civic", Civic.NOT_STARTED)),
        plan_a=answers.get("plan_a", ""),
        plan_b=answers.get("plan_b", ""),
        attention=answers.get("attention", ""),
        next_step=answers.get("next_step", ""),
        next_date=dt.date.fromisoformat(next_date) if next_date else None,
    )
    return Handover(
        newcomer=newcomer,
        to_organisation_id=answers["org"],
        to_staff_id=answers.get("person"),
        reason=Reason(answers["reason"]),
        body=body,
        agreed_on=dt.date.fromisoformat(answers["agreed_on"]),
        given_by=given_by,
        consent_request=answers.get("request") if given_by is ConsentGivenBy.NEWCOMER else None,
    )
