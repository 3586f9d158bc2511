"""The offline stand-in refuses what Telegram refuses, with Telegram's own answer.

Each refusal listed in docs/standin.md is shown here, straight through the stand-in's
BaseRequest (the raw answer: status, description, retry_after) and, where PTB makes
something of it, through a real `telegram.Bot` (the exception the bot's code sees).
The limits run on the stand-in's own clock, moved by the test: no wall-clock timing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, EndPointNotFound, RetryAfter
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.app.application import OFFLINE_TOKEN
from bot.app.standin import NOT_MODIFIED, WEBHOOK_ACTIVE, FakeTelegram, utf16_length
from handlers.core.context import SchakelApp

URL = f"https://api.telegram.org/bot{OFFLINE_TOKEN}"
PRIVATE = 1000  # private chats: 1000, 1001, ...
GROUP = -500


class TelegramTime:
    """The stand-in's clock (when a message arrives), moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def call(telegram: FakeTelegram, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    """One Bot API call, answered as Telegram answers: status and the JSON body."""
    data = RequestData([RequestParameter(name, value, None) for name, value in params.items()])
    status, body = await telegram.do_request(f"{URL}/{method}", "POST", data)
    return status, json.loads(body)


async def send(telegram: FakeTelegram, chat_id: int, text: str = "Hallo") -> tuple[int, Any]:
    status, body = await call(telegram, "sendMessage", chat_id=chat_id, text=text)
    return status, body.get("result", body)


@pytest.fixture
def at() -> TelegramTime:
    return TelegramTime()


@pytest.fixture
def strict(at: TelegramTime) -> FakeTelegram:
    return FakeTelegram(limits=True, monotonic=at)


def too_many(status: int, body: dict[str, Any]) -> int:
    """retry_after of a 429 answer (fails for anything else)."""
    assert status == 429, body
    assert body["description"].startswith("Too Many Requests: retry after ")
    return int(body["parameters"]["retry_after"])


# --- flood control, counted at arrival -------------------------------------------------


async def test_a_message_is_counted_when_it_arrives_not_when_it_was_sent() -> None:
    """With 50 ms of latency, the stamp is taken after it (and after any delay of the
    event loop): 40 requests started in the same instant arrive after the latency."""
    telegram = FakeTelegram(limits=True, latency=0.05)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.gather(*(send(telegram, PRIVATE + n) for n in range(40)))
    assert min(c.at for c in telegram.calls) >= started + 0.05
    # They all arrived within a second: 30 accepted, the other 10 answered 429.
    assert [c.outcome for c in telegram.calls].count("ok") == 30
    assert [c.outcome for c in telegram.calls].count("429") == 10


async def test_at_most_30_in_any_one_second_window_overall(
    strict: FakeTelegram, at: TelegramTime
) -> None:
    for n in range(30):
        assert (await send(strict, PRIVATE + n))[0] == 200
    assert too_many(*await send(strict, PRIVATE + 30)) == 1
    at.now += 0.999
    assert too_many(*await send(strict, PRIVATE + 31)) == 1
    at.now += 0.001  # a second after the first 30: room again
    assert (await send(strict, PRIVATE + 32))[0] == 200


async def test_the_window_slides_where_a_bucket_would_have_refilled(
    strict: FakeTelegram, at: TelegramTime
) -> None:
    """15 at 0.0 and 15 at 0.6; at 1.0 the first 15 have left the window, the second 15
    have not: 15 more fit, not the 27 a leaky bucket of 30/s would have let through."""
    for n in range(15):
        assert (await send(strict, PRIVATE + n))[0] == 200
    at.now += 0.6
    for n in range(15, 30):
        assert (await send(strict, PRIVATE + n))[0] == 200
    at.now += 0.4
    outcomes = [(await send(strict, PRIVATE + 100 + n))[0] for n in range(20)]
    assert outcomes == [200] * 15 + [429] * 5


async def test_edits_are_counted_like_sends(strict: FakeTelegram, at: TelegramTime) -> None:
    status, message = await send(strict, PRIVATE)
    assert status == 200
    for n in range(29):
        status, _ = await call(
            strict, "editMessageText", chat_id=PRIVATE, message_id=message["message_id"],
            text=f"Versie {n}",
        )  # fmt: skip
        if n < 2:  # the private chat's own burst of 3 (a send and two edits)
            assert status == 200
        else:
            assert status == 429
    at.now += 60  # a fresh start: 30 edits to 30 chats' messages, then one send
    messages = [(await send(strict, PRIVATE + 1 + n))[1] for n in range(30)]
    at.now += 1
    for n, sent in enumerate(messages):
        status, _ = await call(
            strict, "editMessageReplyMarkup", chat_id=PRIVATE + 1 + n,
            message_id=sent["message_id"], reply_markup={"inline_keyboard": [[
                {"text": "Ja", "callback_data": f"ja{n}"}]]},
        )  # fmt: skip
        assert status == 200
    too_many(*await send(strict, PRIVATE + 99))


async def test_at_most_20_in_any_minute_per_group(strict: FakeTelegram, at: TelegramTime) -> None:
    for _ in range(20):
        assert (await send(strict, GROUP))[0] == 200
        at.now += 1.0  # 20 messages over 20 seconds: within Telegram's 30/s and 1/s
    at.now += 39.9  # 59.9 s after the first
    assert too_many(*await send(strict, GROUP)) == 1
    assert (await send(strict, GROUP - 1))[0] == 200  # another group has its own minute
    at.now += 0.1  # a minute after the first: one place again
    assert (await send(strict, GROUP))[0] == 200
    assert too_many(*await send(strict, GROUP)) == 1


async def test_about_one_a_second_per_private_chat(strict: FakeTelegram, at: TelegramTime) -> None:
    for _ in range(3):  # a short burst
        assert (await send(strict, PRIVATE))[0] == 200
    assert too_many(*await send(strict, PRIVATE)) == 1
    assert (await send(strict, PRIVATE + 1))[0] == 200  # another chat
    at.now += 1.0
    assert (await send(strict, PRIVATE))[0] == 200
    assert too_many(*await send(strict, PRIVATE)) == 1


async def test_a_refused_message_does_not_count(strict: FakeTelegram, at: TelegramTime) -> None:
    for n in range(30):
        await send(strict, PRIVATE + n)
    for n in range(10):
        too_many(*await send(strict, PRIVATE + 50 + n))
    at.now += 1.0
    for n in range(30):  # the ten 429s took no place
        assert (await send(strict, PRIVATE + 100 + n))[0] == 200


async def test_ptb_sees_a_429_as_retry_after(strict: FakeTelegram) -> None:
    async with Bot(OFFLINE_TOKEN, request=strict) as bot:
        for n in range(30):
            await bot.send_message(PRIVATE + n, "Hallo")
        with pytest.raises(RetryAfter) as refused:
            await bot.send_message(PRIVATE + 30, "Hallo")
    assert refused.value.retry_after == dt.timedelta(seconds=1)


async def test_limits_off_lets_everything_through(at: TelegramTime) -> None:
    telegram = FakeTelegram(monotonic=at)
    for _ in range(100):
        assert (await send(telegram, GROUP))[0] == 200


# --- what Telegram never accepts ---------------------------------------------------------


async def test_an_unknown_method_is_not_found(strict: FakeTelegram) -> None:
    status, body = await call(strict, "deleteEverything", chat_id=PRIVATE)
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    async with Bot(OFFLINE_TOKEN, request=strict) as bot:
        with pytest.raises(EndPointNotFound):  # how PTB reads Telegram's 404
            await bot.do_api_request("deleteEverything", api_kwargs={"chat_id": PRIVATE})


async def test_editing_a_message_that_is_not_there(strict: FakeTelegram) -> None:
    status, body = await call(strict, "editMessageText", chat_id=PRIVATE, message_id=77, text="x")
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")
    status, body = await call(strict, "editMessageReplyMarkup", chat_id=PRIVATE, message_id=77)
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")
    _, message = await send(strict, PRIVATE)  # in another chat it is not there either
    status, body = await call(
        strict, "editMessageText", chat_id=PRIVATE + 1, message_id=message["message_id"], text="x"
    )
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")
    async with Bot(OFFLINE_TOKEN, request=strict) as bot:
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("x", chat_id=PRIVATE, message_id=77)


async def test_an_edit_that_changes_nothing_is_not_modified(
    strict: FakeTelegram, at: TelegramTime
) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Ja", "callback_data": "ja"}]]}
    status, body = await call(strict, "sendMessage", chat_id=PRIVATE, text="Hallo",
                              reply_markup=keyboard)  # fmt: skip
    assert status == 200
    message_id = body["result"]["message_id"]
    status, body = await call(strict, "editMessageText", chat_id=PRIVATE, message_id=message_id,
                              text="Hallo", reply_markup=keyboard)  # fmt: skip
    assert (status, body["description"]) == (400, NOT_MODIFIED)
    assert body["description"].startswith("Bad Request: message is not modified: ")
    status, body = await call(strict, "editMessageReplyMarkup", chat_id=PRIVATE,
                              message_id=message_id, reply_markup=keyboard)  # fmt: skip
    assert (status, body["description"]) == (400, NOT_MODIFIED)
    at.now += 10
    # Another text, or the same text without the buttons, is a change.
    status, _ = await call(strict, "editMessageText", chat_id=PRIVATE, message_id=message_id,
                           text="Hallo")  # fmt: skip
    assert status == 200
    status, body = await call(strict, "editMessageText", chat_id=PRIVATE, message_id=message_id,
                              text="Hallo")  # fmt: skip
    assert (status, body["description"]) == (400, NOT_MODIFIED)
    status, body = await call(strict, "editMessageReplyMarkup", chat_id=PRIVATE,
                              message_id=message_id)  # fmt: skip
    assert (status, body["description"]) == (400, NOT_MODIFIED)


async def test_a_persons_own_message_cannot_be_edited(
    telegram: FakeTelegram, app: SchakelApp
) -> None:
    stranger = telegram.user(PRIVATE, "Amal")
    await telegram.send(stranger, "hallo")  # the real bot answers a stranger
    message_id = next(iter(telegram._messages[PRIVATE]))  # hers: the first in the chat
    status, body = await call(telegram, "editMessageText", chat_id=PRIVATE,
                              message_id=message_id, text="x")  # fmt: skip
    assert (status, body["description"]) == (400, "Bad Request: message can't be edited")
    status, _ = await call(telegram, "deleteMessage", chat_id=PRIVATE, message_id=message_id)
    assert status == 200  # a bot may delete a message in a private chat
    status, body = await call(telegram, "deleteMessage", chat_id=PRIVATE, message_id=message_id)
    assert (status, body["description"]) == (400, "Bad Request: message to delete not found")


async def test_button_data_over_64_bytes_is_refused(strict: FakeTelegram) -> None:
    def keyboard(data: str) -> dict[str, Any]:
        return {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}],
                                    [{"text": "Ja", "callback_data": data}]]}  # fmt: skip

    status, _ = await call(strict, "sendMessage", chat_id=PRIVATE, text="x",
                           reply_markup=keyboard("a" * 64))  # fmt: skip
    assert status == 200
    # 64 bytes counted in UTF-8: 32 two-byte letters fit, 33 do not.
    status, _ = await call(strict, "sendMessage", chat_id=PRIVATE + 1, text="x",
                           reply_markup=keyboard("é" * 32))  # fmt: skip
    assert status == 200
    for data in ("a" * 65, "é" * 33, ""):
        status, body = await call(strict, "sendMessage", chat_id=PRIVATE + 2, text="x",
                                  reply_markup=keyboard(data))  # fmt: skip
        assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
    async with Bot(OFFLINE_TOKEN, request=strict) as bot:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="b" * 65)]])
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(PRIVATE + 3, "x", reply_markup=markup)


async def test_a_text_over_4096_utf16_units_is_too_long(strict: FakeTelegram) -> None:
    fits = "a" * 4094 + "📅"  # 4,095 characters, 4,096 UTF-16 code units
    over = "a" * 4095 + "📅"  # 4,096 characters, 4,097 UTF-16 code units
    assert (len(over), utf16_length(over)) == (4096, 4097)
    assert (await send(strict, PRIVATE, fits))[0] == 200
    status, body = await send(strict, PRIVATE + 1, over)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    status, body = await send(strict, PRIVATE + 2, " ")
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")


async def test_a_caption_over_1024_utf16_units_is_too_long(strict: FakeTelegram) -> None:
    status, body = await call(strict, "sendDocument", chat_id=PRIVATE, document="x",
                              caption="a" * 1023 + "📅")  # fmt: skip
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")


async def test_a_press_is_answered_once(strict: FakeTelegram) -> None:
    status, _ = await call(strict, "answerCallbackQuery", callback_query_id="7")
    assert status == 200
    status, body = await call(strict, "answerCallbackQuery", callback_query_id="7")
    assert status == 400 and body["description"].startswith("Bad Request: query is too old")
    status, body = await call(strict, "answerCallbackQuery", callback_query_id="8",
                              text="x" * 201, show_alert=True)  # fmt: skip
    assert (status, body["description"]) == (400, "Bad Request: MESSAGE_TOO_LONG")


async def test_a_webhook_is_https_with_a_plain_secret_and_stops_polling(
    strict: FakeTelegram,
) -> None:
    """setWebhook as Telegram refuses it; while one is set, getUpdates is a 409 until
    deleteWebhook."""
    status, body = await call(strict, "setWebhook", url="http://schakel.example.be/t")
    assert (status, body["description"]) == (
        400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
    )  # fmt: skip
    status, body = await call(
        strict, "setWebhook", url="https://schakel.example.be/t", secret_token="not plain!"
    )
    assert (status, body["description"]) == (
        400, "Bad Request: secret token contains unallowed characters",
    )  # fmt: skip
    assert strict.webhook is None
    assert (await call(strict, "getUpdates"))[0] == 200
    status, _ = await call(
        strict, "setWebhook", url="https://schakel.example.be/t", secret_token="ok_1"
    )
    assert status == 200 and strict.webhook == ("https://schakel.example.be/t", "ok_1")
    status, body = await call(strict, "getWebhookInfo")
    assert body["result"]["url"] == "https://schakel.example.be/t"
    status, body = await call(strict, "getUpdates")
    assert (status, body["description"]) == (409, WEBHOOK_ACTIVE)
    assert (await call(strict, "deleteWebhook"))[0] == 200
    assert strict.webhook is None and (await call(strict, "getUpdates"))[0] == 200
