"""Answers more than one form asks for (a moment, a day, a language, a partner's address,
a short text), read with the rules of bot/ and, when they are off, the words that say so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.core.clock import to_db
from bot.core.typed_dates import UnclearWhen, WhenProblem, parse_day, parse_when
from bot.core.typed_text import TextProblem, one_line
from bot.people.interpreters import parse_interpreter_language
from bot.people.organisations import address_of
from handlers.core.forms import Retry, Rows, Turn
from handlers.core.replies import quoted
from messages import render, texts

Parse = Callable[[Turn, str], str | Retry]

# What a typed moment or day got wrong (bot/core/typed_dates).
WHEN_PROBLEMS = {
    WhenProblem.UNCLEAR: texts.WHEN_UNCLEAR,
    WhenProblem.NO_SUCH_DATE: texts.WHEN_NO_SUCH_DATE,
    WhenProblem.WRONG_WEEKDAY: texts.WHEN_WRONG_WEEKDAY,
    WhenProblem.PAST: texts.WHEN_PAST,
    WhenProblem.FUTURE: texts.DAY_FUTURE,
}


def room_left(language: str, text: str, limit: int) -> str:
    """How much of a long free text's room is used and how much is left: a chat shows no
    counter while typing, so it is said under the text as it was kept."""
    length = len(text)
    return render(language, texts.TEXT_ROOM_LEFT, length=length, max=limit,
                  left=max(0, limit - length))  # fmt: skip


def moment(turn: Turn, typed: str) -> str | Retry:
    """A date and time ahead, as people type them in Flanders; as the database keeps it."""
    text, services = one_line(typed), turn.services
    try:
        when = parse_when(text, services.clock(), services.config.locale.tzinfo)
    except UnclearWhen as unclear:
        return _unclear(turn, text, unclear.problem, texts.WHEN_FORMS)
    return to_db(when.astimezone(dt.UTC))


def day_ahead(turn: Turn, typed: str) -> str | Retry:
    """A day without a time, today or later (ISO)."""
    return _day(turn, typed, ahead=True)


def day_gone(turn: Turn, typed: str) -> str | Retry:
    """A day without a time, today or earlier (ISO)."""
    return _day(turn, typed, ahead=False)


def _day(turn: Turn, typed: str, *, ahead: bool) -> str | Retry:
    text, services = one_line(typed), turn.services
    today = services.clock().astimezone(services.config.locale.tzinfo).date()
    try:
        return parse_day(text, today, ahead=ahead).isoformat()
    except UnclearWhen as unclear:
        return _unclear(turn, text, unclear.problem, texts.DAY_FORMS)


def _unclear(turn: Turn, text: str, problem: WhenProblem, forms: str) -> Retry:
    said = render(turn.language, WHEN_PROBLEMS[problem], typed=quoted(text))
    return Retry(said + "\n" + render(turn.language, forms))


def language(turn: Turn, typed: str) -> str | Retry:
    """A language by its name in any of ours, or its code."""
    text = one_line(typed)
    code = parse_interpreter_language(text)
    if code is None:
        return unknown_language(turn, text)
    return code


def unknown_language(turn: Turn, text: str) -> Retry:
    return Retry(render(turn.language, texts.UNKNOWN_INTERPRETER, typed=quoted(text)))


def short_text(rule: Callable[[str], str | TextProblem], limit: int) -> Parse:
    """A typed line held to its feature's rule (bot/): taken, or "at most N characters"."""

    def parse(turn: Turn, typed: str) -> str | Retry:
        result = rule(typed)
        if isinstance(result, TextProblem):
            return Retry(render(turn.language, texts.PLAN_TOO_LONG_TEXT, max=limit))
        return result

    return parse


def place_rows(turn: Turn) -> Rows:
    """Every partner with an address, one a row, as a place to meet."""
    organisations = turn.services.config.organisations
    return [[turn.choice(f"{o.short_name}: {o.address}", o.short_name)]
            for o in organisations if o.address]  # fmt: skip


def place_chosen(turn: Turn, value: str) -> str | None:
    """The place a partner's button names; None for a partner without an address."""
    return address_of(turn.services.config.organisations, value)
