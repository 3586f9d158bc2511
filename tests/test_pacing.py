"""Schakel's own pacing (bot/sending/pacing.py) against the strict stand-in, which
counts a message when it arrives: never a 429, whatever the latency; and the rule
itself, step by step on explicit times (no sleeping, no wall clock)."""

from __future__ import annotations

import asyncio
import random

import pytest
from telegram import Bot
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.app.application import OFFLINE_TOKEN
from bot.app.standin import FakeTelegram
from bot.core.lanes import Lane
from bot.sending.pacing import MARGIN, Pacing, Places

PRIVATE = 10_000


def paced_bot(telegram: FakeTelegram) -> ExtBot[int]:
    return ExtBot(OFFLINE_TOKEN, request=telegram, rate_limiter=Pacing())


async def send_to_many(bot: Bot, chats: int, first: int = PRIVATE) -> None:
    async def one(chat_id: int) -> None:
        await bot.send_message(chat_id, "Hallo")

    await asyncio.gather(*(one(first + n) for n in range(chats)))


@pytest.mark.parametrize("latency", [0.0, 0.05, 0.2])
async def test_never_over_30_a_second_as_telegram_counts(latency: float) -> None:
    """90 messages at once (three seconds' worth), each request taking `latency` to arrive:
    the stand-in counts them at arrival and answers none with 429."""
    telegram = FakeTelegram(limits=True, latency=latency)
    async with paced_bot(telegram) as bot:
        await send_to_many(bot, 90)
    assert [c.outcome for c in telegram.calls if c.method == "sendMessage"] == ["ok"] * 90


async def test_latency_that_varies_gets_no_429_either() -> None:
    """Each request takes between 10 and 250 ms: arrivals bunch where a slow one and a
    fast one meet, and the count still holds."""

    class Jittery(FakeTelegram):
        async def do_request(self, *args: object, **kwargs: object) -> tuple[int, bytes]:
            await asyncio.sleep(dice.uniform(0.0, 0.24))
            return await super().do_request(*args, **kwargs)  # type: ignore[arg-type]

    dice = random.Random(24)
    telegram = Jittery(limits=True, latency=0.01)
    async with paced_bot(telegram) as bot:
        await send_to_many(bot, 90)
    assert [c.outcome for c in telegram.calls if c.method == "sendMessage"] == ["ok"] * 90


async def test_edits_take_places_like_sends() -> None:
    telegram = FakeTelegram(limits=True, latency=0.02)
    async with paced_bot(telegram) as bot:
        sent = [await bot.send_message(PRIVATE + n, "Hallo") for n in range(30)]
        await asyncio.gather(
            *(
                bot.edit_message_text("Hoi", chat_id=m.chat_id, message_id=m.message_id)
                for m in sent
            ),
            send_to_many(bot, 30, first=PRIVATE + 100),
        )
    assert {c.outcome for c in telegram.calls} == {"ok"}


async def test_a_reply_goes_ahead_of_an_announcements_rows_within_the_limits() -> None:
    """Three seconds' worth of bulk messages wait for places; a reply (no lane given, as a
    handler's own call) asked after all of them still arrives among the next few, and
    nothing gets a 429."""
    telegram = FakeTelegram(limits=True, latency=0.02)
    async with paced_bot(telegram) as bot:

        async def bulk(chat_id: int) -> None:
            await bot.send_message(chat_id, "Aankondiging", rate_limit_args=Lane.BULK)

        announcement = asyncio.gather(*(bulk(PRIVATE + n) for n in range(90)))
        while len(telegram.calls) < 10:  # the first have arrived, the rest wait
            await asyncio.sleep(0.01)
        await bot.send_message(PRIVATE - 1, "Antwoord")
        arrived = len(telegram.calls)
        await announcement
    assert arrived < 20
    assert [c.outcome for c in telegram.calls if c.method == "sendMessage"] == ["ok"] * 91


async def test_a_429_pauses_every_message_as_long_as_telegram_asks() -> None:
    telegram = FakeTelegram(limits=True)
    telegram.fail("429", chat_id=PRIVATE, retry_after=1)
    async with paced_bot(telegram) as bot:
        with pytest.raises(RetryAfter):
            await bot.send_message(PRIVATE, "Hallo")
        await bot.send_message(PRIVATE + 1, "Hallo")  # another chat waits too
    refused, after = [c for c in telegram.calls if c.method == "sendMessage"]
    assert refused.outcome == "429" and after.outcome == "ok"
    assert after.at - refused.at >= 1.0


def test_a_place_is_held_from_the_request_until_a_window_after_the_answer() -> None:
    places = Places(limit=3, window=1.0)
    for _ in range(3):
        assert places.wait(10.0, apart=0.0) == 0.0
        places.take()
    assert places.wait(10.0, apart=0.0) is None  # all in flight: until an answer comes
    places.answered(10.2)
    places.answered(10.3)
    places.answered(10.4)
    # Answered, they still count: each may have arrived as late as its answer.
    assert places.wait(10.5, apart=0.0) == pytest.approx(10.2 + 1.0 + MARGIN - 10.5)
    # A request and an answer at least 0.1 s apart: 0.1 s sooner.
    assert places.wait(10.5, apart=0.1) == pytest.approx(10.2 + 1.0 + MARGIN - 0.1 - 10.5)
    assert places.wait(11.2 + MARGIN, apart=0.0) == 0.0


def test_a_group_holds_20_places_for_a_minute() -> None:
    group = Places(limit=20, window=60.0)
    for n in range(20):
        assert group.wait(float(n), apart=0.0) == 0.0
        group.take()
        group.answered(n + 0.05)
    assert group.wait(59.0, apart=0.0) == pytest.approx(60.05 + MARGIN - 59.0)
    assert group.wait(60.05 + MARGIN, apart=0.0) == 0.0


def test_answers_out_of_order_keep_the_earliest_first() -> None:
    places = Places(limit=2, window=1.0)
    places.take()
    places.take()
    places.answered(5.0)
    places.answered(4.0)  # a slower request's answer noted later
    assert places.wait(4.5, apart=0.0) == pytest.approx(4.0 + 1.0 + MARGIN - 4.5)


async def test_a_reply_takes_the_turn_from_a_bulk_message_waiting_for_its_place() -> None:
    """The pacing's turn is held by one request while it waits for its place and token (a
    30th of a second at Telegram's pace); a reply that comes meanwhile goes first, not
    after that bulk message: the next message to reach Telegram is the reply. No 429."""
    telegram = FakeTelegram(limits=True)
    async with paced_bot(telegram) as bot:

        async def bulk(chat_id: int) -> None:
            await bot.send_message(chat_id, "Aankondiging", rate_limit_args=Lane.BULK)

        announcement = asyncio.gather(*(bulk(PRIVATE + n) for n in range(60)))
        while len(telegram.calls) < 10:  # past the first burst: each now waits its turn
            await asyncio.sleep(0.01)
        asked = len(telegram.calls)
        await bot.send_message(PRIVATE - 1, "Antwoord")
        await announcement
    after = [int(c.params["chat_id"]) for c in telegram.calls[asked:]]
    assert after[0] == PRIVATE - 1, f"the reply came {after.index(PRIVATE - 1) + 1}th"
    assert [c.outcome for c in telegram.calls if c.method == "sendMessage"] == ["ok"] * 61
