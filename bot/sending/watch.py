"""What the running bot sees of Telegram and of its own sending: for /healthz, /metrics
(bot/app/http.py) and an operator's log.

Every request to the Bot API passes `WatchedRequest`, so this is the one place that knows
whether the last poll worked, how often Telegram said 429 and for how long, and when the
network is in trouble. Expected trouble (a timeout, a 5xx, a refused connection, a 429)
is not an error of Schakel's: the outbox retries it durably. So it is logged as one
WARNING line when a burst starts and one when it is over, with the count, never with a
traceback, whether it lasts one second or an hour.

In memory, as Prometheus counters are: they start at zero with the process.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.request import BaseRequest

from bot.core.clock import Clock

logger = logging.getLogger(__name__)

POLL = "getUpdates"
# A burst is over when a request succeeds and none failed for this many seconds.
CALM_AFTER = 10.0
# While a burst lasts, one line every this many seconds says it still does.
STILL_EVERY = 15 * 60.0


def expected_trouble(error: BaseException) -> bool:
    """A failure of the network or of Telegram's servers, retried by Schakel: a timeout,
    a 5xx, a refused connection (NetworkError, TimedOut), a 429 (RetryAfter). Not a 400
    (BadRequest is a NetworkError in PTB), a 403 or a 409: those say something is wrong."""
    if isinstance(error, RetryAfter):
        return True
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


class Burst:
    """One WARNING line when trouble starts, one when it is over (with the count), and
    one every STILL_EVERY seconds in between: a minute of timeouts is two lines, not a
    traceback per attempt."""

    def __init__(
        self,
        started: str,
        over: str,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._started, self._over = started, over
        self._monotonic = monotonic
        self.failures: collections.Counter[str] = collections.Counter()
        self._since: float | None = None
        self._back: float | None = None  # the first success after the last failure
        self._last_failure = 0.0
        self._last_line = 0.0

    @property
    def going_on(self) -> bool:
        return self._since is not None

    def failed(self, what: str, detail: str) -> None:
        now = self._monotonic()
        self._last_failure, self._back = now, None
        self.failures[what] += 1
        if self._since is None:
            self._since = self._last_line = now
            logger.warning(self._started, detail)
        elif now - self._last_line >= STILL_EVERY:
            self._last_line = now
            logger.warning("still so after %.0f min: %s", (now - self._since) / 60, self._counts())

    def succeeded(self) -> None:
        if self._since is None:
            return
        now = self._monotonic()
        if self._back is None:
            self._back = now  # the first success: how long it lasted, if it stays so
        if now - self._last_failure < CALM_AFTER:
            return
        logger.warning(self._over, self._back - self._since, self._counts())
        self._since = self._back = None
        self.failures.clear()

    def _counts(self) -> str:
        total = sum(self.failures.values())
        parts = ", ".join(f"{what} {n}" for what, n in self.failures.most_common())
        return f"{total} failed ({parts})"


class Watch:
    """The process's own facts (the database has the rest: bot/app/health.py)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.started = clock()
        self.started_monotonic = time.monotonic()
        # None until the first poll; health counts from the start until then.
        self.last_poll_ok: dt.datetime | None = None
        self.polling = False  # True once anything polled (run_polling; not the demo)
        self.network = Burst(
            "Telegram does not answer (%s); Schakel keeps trying, nothing is lost",
            "Telegram answers again after %.0f s; meanwhile %s",
        )
        self.flood = Burst(
            "Telegram's flood control: %s; sending pauses as long as it says",
            "flood control over after %.0f s: %s",
        )
        self.registry = CollectorRegistry()
        counter = functools.partial(Counter, registry=self.registry)
        self.sent = counter(
            "schakel_messages_sent", "Messages Telegram accepted, by kind", ["kind"]
        )
        self.failed = counter(
            "schakel_messages_failed", "Messages that failed for good, by kind", ["kind"]
        )
        self.retried = counter(
            "schakel_messages_retried",
            "Sends put back to try again (5xx, timeout, 429), by kind",
            ["kind"],
        )
        self.throttled = counter("schakel_telegram_429", "Answers 429 Too Many Requests")
        self.throttled_wait = counter(
            "schakel_telegram_429_wait_seconds", "Seconds Telegram asked to wait, all 429s together"
        )
        self.poll_errors = counter("schakel_telegram_poll_errors", "getUpdates calls that failed")
        Gauge(
            "schakel_uptime_seconds", "Seconds since the bot started", registry=self.registry
        ).set_function(lambda: time.monotonic() - self.started_monotonic)

    def api_succeeded(self, method: str) -> None:
        if method == POLL:
            self.polling = True
            self.last_poll_ok = self.clock()
        self.network.succeeded()
        if method != POLL:
            self.flood.succeeded()

    def api_failed(self, method: str, error: TelegramError) -> None:
        if method == POLL:
            self.polling = True
            self.poll_errors.inc()
        if isinstance(error, RetryAfter):
            seconds = _seconds(error.retry_after)
            self.throttled.inc()
            self.throttled_wait.inc(seconds)
            self.flood.failed(method, f"{method} asked to wait {seconds:.0f} s")
        elif expected_trouble(error):
            self.network.failed(method, f"{method}: {type(error).__name__}: {error.message}")


def _seconds(value: int | float | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class WatchedRequest(BaseRequest):
    """The Bot API requests, unchanged, reported to a Watch as they end."""

    def __init__(self, inner: BaseRequest, watch: Watch) -> None:
        self.inner, self.watch = inner, watch

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self, url: str, method: str, *arguments: Any, **keywords: Any
    ) -> tuple[int, bytes]:
        # Everything else (the request data, the four timeouts) goes to the inner request
        # as it came: this wrapper only looks at the outcome.
        api_method = url.rsplit("/", 1)[-1]
        try:
            code, body = await self.inner.do_request(url, method, *arguments, **keywords)
        except TelegramError as error:  # a timeout, a refused connection
            self.watch.api_failed(api_method, error)
            raise
        if 200 <= code < 300:
            self.watch.api_succeeded(api_method)
        elif code == 429:
            self.watch.api_failed(api_method, RetryAfter(_retry_after(body)))
        elif code >= 500:
            self.watch.api_failed(api_method, NetworkError(f"{code} from Telegram"))
        return code, body


def _retry_after(body: bytes) -> int:
    """Telegram's retry_after in a 429's body (1 when it cannot be read)."""
    try:
        found = json.loads(body)["parameters"]["retry_after"]
        return int(found)
    except (ValueError, KeyError, TypeError):
        return 1
