"""The operator's log (issue 19, item 4): a burst of expected network trouble is one line
when it starts and one with the count when it is over; JSON lines; what counts as
expected trouble."""

from __future__ import annotations

import io
import json
import logging

import pytest
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.core import logs
from bot.sending import watch as watch_module
from bot.sending.watch import Burst, Watch, expected_trouble
from tests.conftest import FakeClock

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"


class Seconds:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.levelname} {r.getMessage()}" for r in caplog.records]


def test_a_burst_is_one_line_when_it_starts_and_one_when_it_is_over(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=watch_module.__name__)
    seconds = Seconds()
    burst = Burst("down (%s)", "back after %.0f s; %s", monotonic=seconds)
    burst.succeeded()  # nothing going on: nothing to say
    for n in range(30):
        seconds.now += 1
        burst.failed("getUpdates" if n % 3 else "sendMessage", "TimedOut")
    seconds.now += 1
    burst.succeeded()  # back, but not yet calm for long enough
    seconds.now += 5
    burst.succeeded()
    assert burst.going_on
    seconds.now += 6
    burst.succeeded()
    assert not burst.going_on
    assert messages(caplog) == [
        "WARNING down (TimedOut)",
        "WARNING back after 30 s; 30 failed (getUpdates 20, sendMessage 10)",
    ]


def test_a_long_burst_says_every_quarter_hour_that_it_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=watch_module.__name__)
    seconds = Seconds()
    burst = Burst("down (%s)", "back after %.0f s; %s", monotonic=seconds)
    for _ in range(3600 // 5):  # an hour, a failure every 5 seconds
        seconds.now += 5
        burst.failed("getUpdates", "502")
    said = messages(caplog)
    assert said[0] == "WARNING down (502)"
    assert said[1:] == [
        f"WARNING still so after {minutes} min: {n} failed (getUpdates {n})"
        for minutes, n in ((15, 181), (30, 361), (45, 541))
    ]


def test_expected_trouble_is_network_and_flood_control_only() -> None:
    assert expected_trouble(TimedOut())
    assert expected_trouble(NetworkError("Bad Gateway"))
    assert expected_trouble(RetryAfter(5))
    assert not expected_trouble(BadRequest("Chat not found"))  # a NetworkError in PTB
    assert not expected_trouble(Forbidden("blocked"))
    assert not expected_trouble(Conflict("terminated by other getUpdates request"))
    assert not expected_trouble(ValueError("a bug"))


def test_429s_are_counted_with_the_seconds_waited_and_logged_once() -> None:
    watch = Watch(FakeClock())
    watch.api_failed("sendMessage", RetryAfter(7))
    watch.api_failed("sendMessage", RetryAfter(3))
    assert watch.throttled._value.get() == 2
    assert watch.throttled_wait._value.get() == 10
    assert watch.flood.going_on and not watch.network.going_on
    watch.api_failed("getUpdates", NetworkError("Bad Gateway"))
    assert watch.poll_errors._value.get() == 1
    assert watch.network.going_on


def test_json_lines_carry_time_level_logger_message_and_no_secret() -> None:
    stream = io.StringIO()
    handler = logs.configure(False, secrets=[TOKEN], stream=stream, as_json=True)
    try:
        logging.getLogger("bot.test").warning("calling https://api.telegram.org/bot%s/x", TOKEN)
        try:
            raise RuntimeError(f"refused {TOKEN}")
        except RuntimeError:
            logging.getLogger("bot.test").exception("unexpected")
    finally:
        logging.getLogger().removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["level"] == "WARNING" and first["logger"] == "bot.test"
    assert first["message"] == f"calling https://api.telegram.org/bot{logs.HIDDEN}/x"
    assert first["time"].endswith("+00:00")
    assert "traceback" not in first
    assert second["message"] == "unexpected"
    assert "RuntimeError: refused" in second["traceback"]
    assert TOKEN.partition(":")[2] not in stream.getvalue()
