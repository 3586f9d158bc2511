"""What the coordinator's announcement form (handlers/announcements/form.py) takes as
answers: a title, a place, a message (each within its limit), a session kind with its
fixed texts, who gets it; and what no longer holds when a draft has waited."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

from bot.announcements.audiences import (
    Audience,
    AudienceKind,
    BadTag,
    clean_tag,
    recipients,
    tags_in_use,
)
from bot.announcements.model import PLACE_MAX, TEXT_MAX, TITLE_MAX, Plan, SessionKind
from bot.announcements.words import SESSION_NAMES, TEMPLATES, template_texts
from bot.core.clock import from_db
from bot.core.typed_text import TextProblem, typed_block, typed_line
from bot.people.organisations import all_organisations
from bot.people.staff import all_caseworkers
from bot.storage.database import Store
from messages import render
from messages.languages import SUPPORTED_LANGUAGES


def typed_title(typed: str) -> str | TextProblem:
    return typed_line(typed, TITLE_MAX, required=True)


def typed_place(typed: str) -> str | TextProblem:
    return typed_line(typed, PLACE_MAX, required=True)


def typed_message(typed: str) -> str | TextProblem:
    """The text of one language; line breaks are kept (a list of what to bring)."""
    return typed_block(typed, TEXT_MAX)


def chosen_kind(value: str) -> dict[str, Any] | None:
    """The answers a session kind fills in: a known kind brings its title and its fixed
    text in every language; None for no kind of ours."""
    kind = next((k for k in SessionKind if k.value == value), None)
    if kind is None:
        return None
    answers: dict[str, Any] = {
        "kind": value,
        "title_from_kind": kind is not SessionKind.OTHER,
        "title": render("nl", SESSION_NAMES[kind]) if kind in TEMPLATES else "",
    }
    if kind in TEMPLATES:
        answers |= {"texts": template_texts(kind), "template": True}
    return answers


def audience_of(answers: Mapping[str, Any]) -> Audience:
    return Audience.model_validate(answers.get("audience") or {})


def plan_from(answers: Mapping[str, Any], now: dt.datetime) -> Plan:
    """The form's answers, as kept in its draft, as the announcement to schedule."""
    return Plan(
        title=answers["title"],
        starts_at=from_db(answers["starts_at"]),
        place=answers["place"],
        audience=audience_of(answers),
        texts=answers["texts"],
        send_at=from_db(answers["send_at"]) if answers.get("send_at") else now,
        session_language=answers["session_language"],
        interpreter_languages=tuple(answers["interpreters"]),
        session_kind=SessionKind(answers["kind"]),
        title_from_kind=answers["title_from_kind"],
    )


async def audience_value_known(store: Store, kind: AudienceKind, value: str) -> bool:
    """Whether a group's button names a language, organisation, label or caseworker we have."""
    if kind is AudienceKind.LANGUAGE:
        return value in SUPPORTED_LANGUAGES
    if kind is AudienceKind.ORGANISATION:
        return any(str(org.id) == value for org in await all_organisations(store))
    if kind is AudienceKind.TAG:
        return value in await tags_in_use(store)
    return any(str(person.id) == value for person in await all_caseworkers(store))


async def typed_tag(store: Store, typed: str) -> str | None:
    """A label typed as newcomers have it; None for one nobody has."""
    try:
        tag = clean_tag(typed)
    except BadTag:
        return None
    return tag if tag in await tags_in_use(store) else None


class Stale(enum.Enum):
    """What no longer holds once a draft has waited."""

    STARTED = "the session has started"
    SEND_AFTER_START = "it would be sent after the session starts"
    NOBODY = "the group reaches nobody"


async def stale(store: Store, answers: Mapping[str, Any], now: dt.datetime) -> Stale | None:
    starts = from_db(answers["starts_at"])
    send_at = from_db(answers["send_at"]) if answers.get("send_at") else now
    if starts <= now:
        return Stale.STARTED
    if send_at >= starts:
        return Stale.SEND_AFTER_START
    if not await recipients(store, audience_of(answers)):
        return Stale.NOBODY
    return None
