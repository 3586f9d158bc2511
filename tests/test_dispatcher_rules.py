"""The dispatcher's rules on their own, without Telegram or a database: the pace per chat
and per group, how long a failed send waits, the buttons a row becomes, a text cut to
Telegram's limit, and the group commit of what was sent."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.sending.dispatcher import (
    GROUP_LIMIT,
    GROUP_WINDOW,
    MAX_ATTEMPTS,
    ChatPacer,
    GroupCommit,
    _backoff,
    _fitted,
    _markup,
    _seconds,
)
from bot.sending.outbox import Button, Row

GROUP = -100_200


def row(text: str = "Hallo", **extra: object) -> Row:
    return Row(id=1, chat_id=10, newcomer_id=None, purpose="test", text=text, **extra)  # type: ignore[arg-type]


def test_a_group_takes_twenty_in_any_minute_then_waits_for_the_oldest_to_leave_the_window() -> None:
    pacer = ChatPacer()
    for second in range(GROUP_LIMIT - 1):
        pacer.record(GROUP, float(second))
    assert pacer.wait_for(GROUP, 19.0) == 0.0  # the 20th may go
    pacer.record(GROUP, 19.0)
    # The 21st waits until the first of the 20 is a minute old (and a little room).
    assert pacer.wait_for(GROUP, 19.0) == pytest.approx(GROUP_WINDOW + ChatPacer.MARGIN - 19.0)
    assert pacer.wait_for(GROUP, 60.0) == pytest.approx(ChatPacer.MARGIN)
    assert pacer.wait_for(GROUP, 60.0 + ChatPacer.MARGIN) == 0.0
    assert pacer.wait_for(GROUP - 1, 19.0) == 0.0  # another group is not held up
    # Once the oldest left the window, the next send pushes the window on by one.
    pacer.record(GROUP, 61.0)
    assert pacer.wait_for(GROUP, 61.0) == pytest.approx(
        1.0 + GROUP_WINDOW + ChatPacer.MARGIN - 61.0
    )


def test_a_private_chat_saves_up_no_more_than_its_burst() -> None:
    pacer = ChatPacer(burst=3, interval=1.0)
    pacer.record(7, 0.0)
    # An hour of silence gives back the burst of three, not 3,600 messages at once.
    for _ in range(3):
        assert pacer.wait_for(7, 3600.0) == 0.0
        pacer.record(7, 3600.0)
    assert pacer.wait_for(7, 3600.0) == pytest.approx(1.0 + ChatPacer.MARGIN)
    # Half a second later half a token is back: half a second more to wait.
    assert pacer.wait_for(7, 3600.5) == pytest.approx(0.5 + ChatPacer.MARGIN)


def test_a_failed_send_waits_twice_as_long_each_time_at_most_five_minutes() -> None:
    assert [_backoff(n) for n in range(1, 10)] == [2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert _backoff(30) == 300.0
    # All attempts together wait long enough for an outage of a few minutes.
    assert sum(_backoff(n) for n in range(1, MAX_ATTEMPTS)) > 10 * 60


def test_telegrams_retry_after_is_read_in_seconds_whatever_its_type() -> None:
    assert _seconds(dt.timedelta(minutes=1, seconds=5)) == 65.0
    assert _seconds(7) == 7.0 and isinstance(_seconds(7), float)


def test_a_rows_buttons_become_tappable_buttons_and_links() -> None:
    assert _markup(row()) is None
    markup = _markup(
        row(buttons=[[Button("Ja", data="a:1"), Button("Route", url="https://maps.example/x")]])
    )
    assert isinstance(markup, InlineKeyboardMarkup)
    (yes, route), *more = markup.inline_keyboard
    assert more == []
    assert (yes.text, yes.callback_data, yes.url) == ("Ja", "a:1", None)
    assert (route.text, route.callback_data, route.url) == ("Route", None, "https://maps.example/x")


def test_the_newcomers_menu_stays_under_the_text_field_sized_for_a_thumb() -> None:
    menu = _markup(
        row(
            keyboard=[["📅 Afspraken", "👤 Contact"], ["❓ Hulp"]],
            buttons=[[Button("x", data="x")]],
        )
    )
    assert isinstance(menu, ReplyKeyboardMarkup)  # the menu wins over inline buttons
    assert [[button.text for button in line] for line in menu.keyboard] == [
        ["📅 Afspraken", "👤 Contact"],
        ["❓ Hulp"],
    ]
    assert menu.resize_keyboard is True and menu.is_persistent is True


def test_a_text_is_cut_in_utf16_units_and_marked_as_cut() -> None:
    assert _fitted(row("a" * 10), 10) == "a" * 10  # exactly the limit: whole
    assert _fitted(row("a" * 11), 10) == "a" * 9 + "…"  # one over: cut, with the mark
    # 📅 counts two units: five of them are exactly ten, six are cut (no half emoji).
    assert _fitted(row("📅" * 5), 10) == "📅" * 5
    assert _fitted(row("📅" * 6), 10) == "📅" * 4 + "…"
    assert _fitted(row("a" + "📅" * 5), 10) == "a" + "📅" * 4 + "…"


async def test_what_finishes_together_is_written_in_one_go_and_a_failed_write_is_retried() -> None:
    written: list[list[int]] = []

    async def write(items: list[int]) -> None:
        await asyncio.sleep(0)  # the others arrive while this write is on its way
        if 2 in items:
            raise OSError("disk full")
        written.append(sorted(items))

    commit: GroupCommit[int] = GroupCommit(write)
    results = await asyncio.gather(*(commit.add(n) for n in (1, 2, 3, 4)), return_exceptions=True)
    # 1 went alone; 2, 3 and 4 arrived meanwhile and went together. That write failed: its
    # caller (2) hears so, and 3 and 4 are written by the next write, once each. A write
    # that says nothing of what it took took everything (True each).
    assert results[0] is True and isinstance(results[1], OSError) and results[2:] == [True, True]
    assert written == [[1], [3, 4]]
    assert await commit.add(5) is True
    assert written[-1] == [5]  # nothing of the failed write was left waiting


async def test_a_write_that_takes_only_some_says_which_to_each_caller() -> None:
    """The handed ledger's write takes only the rows still to go (outbox.mark_handed)."""

    async def write(items: list[int]) -> set[int]:
        await asyncio.sleep(0)
        return {item for item in items if item % 2}

    commit: GroupCommit[int] = GroupCommit(write)
    results = await asyncio.gather(*(commit.add(n) for n in (1, 2, 3, 4)))
    assert results == [True, False, True, False]
