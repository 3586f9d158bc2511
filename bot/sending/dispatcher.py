"""The one dispatcher: takes due outbox rows and hands them to Telegram, politely.

It is woken by one alarm (bot/alarm.py) set to the next due time; no job per
message lives in memory, so a restart loses nothing (the outbox is the truth).

Limits: the bot's rate limiter (bot/sending/pacing.py) keeps the overall 30/s. This
module adds the pace per chat: about one message a second per private chat (the limiter
has no per-chat limit) and 20 a minute per group (the limiter has one, but would hold the
21st message in memory, where a restart loses it; here it goes back to the outbox with a
due time).
A 429 puts the row back with its retry_after and pauses all sending for that long,
since Telegram's flood control is per bot. A 403 (blocked) or "chat not found" marks
the newcomer unreachable.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Container, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot, JobQueue

from bot.core.clock import Clock
from bot.core.lanes import Lane, Lanes
from bot.sending import outbox
from bot.sending.alarm import Alarm
from bot.sending.outbox import Row
from bot.sending.sms_gateway import SmsGateway, SmsRefused, SmsTryLater
from bot.sending.sms_limits import (
    SmsPace,
    add_segments,
    first_time_over,
    month_of,
    segments_of,
    segments_used,
)
from bot.sending.watch import Watch
from bot.storage.database import Store

logger = logging.getLogger(__name__)
T = TypeVar("T")

WAKE_JOB = "outbox-dispatcher"
# A 5xx or a timeout is tried again after 2, 4, 8 ... seconds, at most 5 minutes apart:
# ten attempts span about 13 minutes, so an outage of Telegram of a few minutes loses
# nothing (five attempts gave up after 30 seconds).
MAX_ATTEMPTS = 10
# Private chats may take a short burst (a reply and a notice), then one a second.
PRIVATE_BURST = 3
PRIVATE_INTERVAL = 1.0
# A wait up to this is slept through (a person waiting for a reply gets it a moment
# later); a longer one puts the row back for the wake-up job.
SLEEP_AT_MOST = 1.5

# Places on the way to Telegram kept free of the bot's own messages, so that a reply to
# a person who is writing now finds one at once (bot/core/lanes.py): bulk rows leave
# this many, timed ones (a burst of reminders) half as many.
KEPT_FOR_REPLIES = 4

# An edit whose message is still in the outbox tries again this much later.
EDIT_WAIT = 5.0

# Telegram refuses a longer text or caption (400 "message is too long"), and the person
# would get nothing at all; a text that long is shortened instead (with a warning).
# Telegram counts UTF-16 code units: an emoji outside the BMP (📅) counts two.
TEXT_MAX = 4096
CAPTION_MAX = 1024

OnUnreachable = Callable[[int, str], Awaitable[None]]

SMS_OFF_REASON = "SMS is off ([sms] account_sid is empty)"
SMS_BUDGET_REASON = "the SMS budget of this month is used ([sms] monthly_segments)"


@dataclass
class SmsLane:
    """What the dispatcher needs for SMS rows (bot/sending/sms_gateway.py); None while
    [sms] is off. The callbacks are the people's rules, given by bot/app/application.py."""

    gateway: SmsGateway
    pace: SmsPace
    monthly_segments: int
    tzinfo: dt.tzinfo
    # The newcomer's number cannot get SMS (unknown, landline): newcomer id, reason.
    on_unreachable: Callable[[int, str], Awaitable[None]]
    # Its owner sent STOP to the gateway itself: newcomer id.
    on_opted_out: Callable[[int], Awaitable[None]]
    # The month's budget is used: the coordinators are told (once a month).
    on_budget_spent: Callable[[int], Awaitable[None]]


# Groups (the partner group): at most this many messages in any window of this many seconds.
GROUP_LIMIT = 20
GROUP_WINDOW = 60.0


class ChatPacer:
    """A token bucket per private chat: PRIVATE_BURST at once, then one per interval;
    a sliding window per group: GROUP_LIMIT in any GROUP_WINDOW seconds.

    A token is taken when a send has finished (`record`), not when it is planned:
    the rate limiter may hold a message back for a while, and Telegram counts the
    moment it arrives. The dispatcher keeps one message per chat on its way at a time.
    """

    # Telegram's clock and ours are not the same: keep a little room.
    MARGIN = 0.05

    def __init__(self, burst: int = PRIVATE_BURST, interval: float = PRIVATE_INTERVAL) -> None:
        self.burst, self.interval = burst, interval
        self._state: dict[int, tuple[float, float]] = {}  # chat -> (tokens, at)
        self._group_sends: dict[int, collections.deque[float]] = {}  # group -> recent sends

    def _tokens(self, chat_id: int, now: float) -> float:
        tokens, at = self._state.get(chat_id, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - at) / self.interval)

    def wait_for(self, chat_id: int, now: float) -> float:
        """Seconds until this chat may receive the next message."""
        if chat_id < 0:  # groups and channels
            sends = self._group_sends.get(chat_id)
            if sends is None or len(sends) < GROUP_LIMIT:
                return 0.0
            return max(0.0, sends[0] + GROUP_WINDOW + self.MARGIN - now)
        tokens = self._tokens(chat_id, now)
        return 0.0 if tokens >= 1 else (1 - tokens) * self.interval + self.MARGIN

    def record(self, chat_id: int, now: float) -> None:
        """A message to this chat has just gone out."""
        if chat_id >= 0:
            self._state[chat_id] = (self._tokens(chat_id, now) - 1, now)
            return
        sends = self._group_sends.setdefault(chat_id, collections.deque(maxlen=GROUP_LIMIT))
        sends.append(now)


class GroupCommit(Generic[T]):
    """Writes down what finished together in one transaction (a group commit): one commit
    per message was most of the time the bot spent on a message of its own.

    An item that arrives while an earlier write is on its way joins the next write, which
    takes everything that arrived meanwhile. Each caller still returns only once its own
    item is written down (and gets the error if its write failed; the others of that write
    are written by the next caller to arrive)."""

    def __init__(self, write: Callable[[list[T]], Awaitable[Container[T] | None]]) -> None:
        # `write` may return the items it took (the rest were refused); None: all of them.
        self._write = write
        self._waiting: list[tuple[T, asyncio.Future[bool]]] = []
        self._writing = asyncio.Lock()

    async def add(self, item: T) -> bool:
        """Returns once the item is written down: whether it was taken."""
        written: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, written))
        async with self._writing:
            if not written.done():  # no earlier write took it along
                batch, self._waiting = self._waiting, []
                try:
                    taken = await self._write([entry for entry, _ in batch])
                except BaseException:
                    # The others are not written: the next of them to get here tries again.
                    self._waiting[:0] = [entry for entry in batch if entry[1] is not written]
                    raise
                for entry, future in batch:
                    future.set_result(taken is None or entry in taken)
        return await written


class SentLedger(GroupCommit[tuple[int, int | None]]):
    """The rows Telegram accepted, with Telegram's message id. A row is `sent` only after
    Telegram accepted it, and one accepted but not yet written down is still `sending` and
    is recovered at the next start (the in-flight rule, bot/sending/outbox.py)."""

    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__(lambda sent: outbox.mark_sent(store, clock, sent))

    async def mark_sent(self, row_id: int, message_id: int | None) -> None:
        await self.add((row_id, message_id))


class HandedLedger(GroupCommit[int]):
    """The rows about to be handed to Telegram, written down before the request goes: after
    a crash only these may have reached Telegram (and are flagged possible duplicates);
    the rest of a claimed batch was never on its way. `add` says False for a row
    withdrawn since it was claimed (outbox.withdraw): it must not go."""

    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__(lambda ids: outbox.mark_handed(store, clock, ids))


def _markup(row: Row) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | None:
    """The row's buttons as PTB objects (a file goes through PTB's send_photo/send_document)."""
    if row.keyboard:
        # The newcomer's menu: stays under the text field, sized for a thumb.
        return ReplyKeyboardMarkup(
            [[KeyboardButton(text) for text in line] for line in row.keyboard],
            resize_keyboard=True,
            is_persistent=True,
        )
    if not row.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(button.text, url=button.url)
                if button.url
                else InlineKeyboardButton(button.text, callback_data=button.data)
                for button in line
            ]
            for line in row.buttons
        ]
    )


def _markup_json(row: Row) -> dict[str, Any] | None:
    """The row's buttons as the Bot API's reply_markup, straight from the row: what
    `_markup(row).to_dict()` gives, without building PTB's objects first."""
    if row.keyboard:
        return {
            "keyboard": [[{"text": text} for text in line] for line in row.keyboard],
            "resize_keyboard": True,
            "is_persistent": True,
        }
    if not row.buttons:
        return None
    return {
        "inline_keyboard": [
            [
                {"text": button.text, "url": button.url}
                if button.url
                else {"text": button.text, "callback_data": button.data}
                for button in line
            ]
            for line in row.buttons
        ]
    }


async def _post(bot: ExtBot[Any], method: str, data: dict[str, Any], lane: int | None) -> Any:
    """One Bot API call through PTB's own path (defaults, the rate limiter with the row's
    lane, the Watch, PTB's errors: RetryAfter, Forbidden, BadRequest ...), returning
    Telegram's answer as JSON. `bot.send_message` would also build a whole `Message` from
    the answer (a third of the CPU a message costs), where the dispatcher needs only its
    id. PTB has no public call for a known method without that (`do_api_request` warns),
    so this is the one place that uses its `_post`."""
    api_kwargs = bot._merge_api_rl_kwargs(None, lane)
    return await bot._post(method, data, api_kwargs=api_kwargs)


def _backoff(attempts: int) -> float:
    return float(min(300, 2**attempts))


class Dispatcher:
    def __init__(
        self,
        store: Store,
        bot: ExtBot[Any],
        clock: Clock,
        on_unreachable: OnUnreachable,
        *,
        batch_size: int = 200,
        concurrency: int = 32,
        watch: Watch | None = None,
        sms: SmsLane | None = None,
    ) -> None:
        self.store, self.bot, self.clock = store, bot, clock
        self.sms = sms
        # One SMS handed to the gateway at a time: the pace and the budget are checked
        # and counted in order (the gateway's own rate is low: 1 a second by default).
        self._sms_turn = asyncio.Lock()
        self._sms_paused_until = 0.0
        self._sms_waiting = 0  # SMS rows waiting for their turn
        # Counts by kind for /metrics (bot/sending/watch.py).
        self.watch = watch or Watch(clock)
        self.on_unreachable = on_unreachable
        self.batch_size = batch_size
        self.pacer = ChatPacer()
        self.ledger = SentLedger(store, clock)
        self.handed = HandedLedger(store, clock)
        self._on_the_way: set[int] = set()  # chats with a message being handed over now
        self._in_flight: dict[int, asyncio.Future[bool]] = {}  # claimed rows, until settled
        self._slots = Lanes(
            concurrency,
            at_most={
                Lane.BULK: concurrency - KEPT_FOR_REPLIES,
                Lane.ROUTINE: concurrency - KEPT_FOR_REPLIES // 2,
            },
        )
        self._paused_until = 0.0
        self._running = asyncio.Lock()
        self.alarm = Alarm(WAKE_JOB)
        # False once the bot is stopping: the batch on its way finishes, no new one is
        # claimed, so a stop takes seconds however full the outbox is.
        self.keep_going: Callable[[], bool] = lambda: True

    # --- waking -----------------------------------------------------------------

    def attach(self, job_queue: JobQueue[Any]) -> None:
        """Start waking through this JobQueue (see bot/alarm.py)."""
        self.alarm.attach(job_queue, self.run_due)

    def wake(self, delay: float = 0.0) -> None:
        self.alarm.set(delay)

    async def _schedule_next(self) -> None:
        upcoming = await outbox.next_due(self.store)
        if upcoming is not None:
            self.wake(max(0.0, (upcoming - self.clock()).total_seconds()))

    # --- sending ----------------------------------------------------------------

    async def run_due(self) -> int:
        """Send everything that is due now, batch by batch; then sleep until the next."""
        sent = 0
        async with self._running:
            # Stopping (SIGTERM): the batch on its way is finished; the rest waits in the
            # outbox for the next start.
            while self.keep_going():
                rows = await outbox.claim(self.store, self.clock, self.batch_size)
                if not rows:
                    break
                sent += await self._send_all(rows)
                if self._paused_until > asyncio.get_running_loop().time():
                    break  # flood control: the rest waits for the wake-up at its due time
        await self._schedule_next()
        return sent

    async def deliver(self, ids: Sequence[int], lane: Lane = Lane.REPLY) -> int:
        """Send these rows now (a reply to a person who is waiting), through the same path.
        `lane`: Lane.ROUTINE for the bot's own that need not wait for the alarm (reminders)."""
        rows = await outbox.claim(self.store, self.clock, len(ids), ids=ids, lane=lane)
        # Rows another send took along (the sweep claims every due row): wait for them
        # too, so the person's answer has gone when this returns, as for our own.
        mine = {row.id for row in rows}
        elsewhere = [self._in_flight[i] for i in ids if i not in mine and i in self._in_flight]
        sent = await self._send_all(rows, lane)
        sent += sum([await asyncio.shield(done) for done in elsewhere])
        if sent < len(ids):  # some were put back (429, pacing, a retry): wake for them
            await self._schedule_next()
        return sent

    async def _send_all(self, rows: Sequence[Row], lane: Lane | None = None) -> int:
        """Send claimed rows together; each row's future settles when its send ends.
        `lane`: who goes first where they wait (None: by the row, bulk or routine)."""
        loop = asyncio.get_running_loop()
        futures = {row.id: loop.create_future() for row in rows}
        self._in_flight.update(futures)
        # An edit waits for the rows to its chat written before it in the same batch: the
        # message it edits (an announcement's progress) may be one of them, and in another
        # lane the edit would get there first and be put back for EDIT_WAIT.
        last_to: dict[int, asyncio.Future[bool]] = {}
        after: dict[int, asyncio.Future[bool]] = {}
        for row in sorted(rows, key=lambda row: row.id):
            if row.edits is not None and row.chat_id in last_to:
                after[row.id] = last_to[row.chat_id]
            last_to[row.chat_id] = futures[row.id]

        async def one(row: Row) -> bool:
            sent = False
            try:
                if (earlier := after.get(row.id)) is not None:
                    await asyncio.wait([earlier])  # not cancelled with this one
                own = Lane.BULK if row.bulk else Lane.ROUTINE
                sent = await self._send_one(row, own if lane is None else lane)
                return sent
            finally:
                self._in_flight.pop(row.id, None)
                if not futures[row.id].done():
                    futures[row.id].set_result(sent)

        return sum(await asyncio.gather(*(one(row) for row in rows)))

    async def paced(self, chat_id: int, call: Callable[[], Awaitable[T]]) -> T:
        """A call a handler makes to a chat itself, not through the outbox (taking the
        buttons off an answered question): Telegram counts an edit with the chat's
        messages, so it waits for the chat's pace and is counted in it; without that, the
        answer queued right after it went over a private chat's burst (a 429)."""
        loop = asyncio.get_running_loop()
        wait = self.pacer.wait_for(chat_id, loop.time())
        self._on_the_way.add(chat_id)  # the outbox's next row to this chat waits for it
        try:
            if wait > 0:
                await asyncio.sleep(wait)
            return await call()
        finally:
            self.pacer.record(chat_id, loop.time())
            self._on_the_way.discard(chat_id)

    async def _send_one(self, row: Row, lane: Lane) -> bool:
        if row.channel == "sms":
            return await self._send_sms_in_turn(row, lane)
        async with self._slots.place(lane):
            loop = asyncio.get_running_loop()
            pause = self._paused_until - loop.time()
            if row.chat_id in self._on_the_way:
                wait, reason = self.pacer.interval + SLEEP_AT_MOST, "pacing for this chat"
            else:
                wait = max(pause, self.pacer.wait_for(row.chat_id, loop.time()))
                reason = "flood control pause" if pause > 0 else "pacing for this chat"
            if wait > SLEEP_AT_MOST:
                later = self.clock() + dt.timedelta(seconds=wait)
                await outbox.postpone(self.store, self.clock, row.id, later, reason, retry=False)
                return False
            self._on_the_way.add(row.chat_id)
            try:
                if wait > 0:
                    await asyncio.sleep(wait)
                return await self._hand_over(row, lane)
            finally:
                self.pacer.record(row.chat_id, loop.time())
                self._on_the_way.discard(row.chat_id)

    async def _hand_over(self, row: Row, lane: Lane) -> bool:
        # The in-flight rule (bot/sending/outbox.py): written down before the request goes,
        # unless it was withdrawn while it waited for its turn (its reason says why).
        if not await self.handed.add(row.id):
            return False
        try:
            message_id = await self._send(row, lane)
        except _EarlierNotSentYet:
            later = self.clock() + dt.timedelta(seconds=EDIT_WAIT)
            reason = "waiting for the message it edits"
            await outbox.postpone(self.store, self.clock, row.id, later, reason, retry=False)
            return False
        except RetryAfter as exc:
            seconds = _seconds(exc.retry_after)
            loop = asyncio.get_running_loop()
            self._paused_until = max(self._paused_until, loop.time() + seconds)
            later = self.clock() + dt.timedelta(seconds=seconds)
            # Logged once per burst of 429s by the Watch, which saw the answer.
            self.watch.retried.labels(row.purpose).inc()
            await outbox.postpone(
                self.store,
                self.clock,
                row.id,
                later,
                f"429 retry after {seconds:.0f} s",
                retry=False,
            )
            return False
        except Forbidden as exc:
            await self._unreachable(row, f"blocked: {exc.message}")
            return False
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                await self._unreachable(row, "chat not found")
            else:
                logger.error("Telegram refused row %s: %s", row.id, exc.message)
                self.watch.failed.labels(row.purpose).inc()
                await outbox.mark_final(self.store, self.clock, row.id, "failed", exc.message)
            return False
        except (TimedOut, NetworkError) as exc:
            # A timeout may still have delivered: the retry is flagged as a possible duplicate.
            await self._retry_later(row, exc, duplicate=isinstance(exc, TimedOut))
            return False
        await self.ledger.mark_sent(row.id, message_id)
        self.watch.sent.labels(row.purpose).inc()
        return True

    async def _send(self, row: Row, lane: Lane) -> int:
        """Hand the row to Telegram; returns Telegram's message id."""
        # The pacing (bot/sending/pacing.py) lets a lower lane go first where it waits.
        ahead = int(lane) if self.bot.rate_limiter is not None else None
        if row.edits is not None:
            edited = await self._edit(row, ahead)
            if edited is not None:
                return edited
        if row.attachment is None:
            data: dict[str, Any] = {"chat_id": row.chat_id, "text": _fitted(row, TEXT_MAX)}
            if (markup := _markup_json(row)) is not None:
                data["reply_markup"] = markup
            data["protect_content"] = row.protect
            answer = await _post(self.bot, "sendMessage", data, ahead)
            return int(answer["message_id"])
        markup_objects = _markup(row)
        file = InputFile(row.attachment.data, filename=row.attachment.filename)
        caption = _fitted(row, CAPTION_MAX)
        if row.attachment.kind == "photo":
            message = await self.bot.send_photo(
                row.chat_id, file, caption=caption, reply_markup=markup_objects,
                protect_content=row.protect, rate_limit_args=ahead,
            )  # fmt: skip
        else:
            message = await self.bot.send_document(
                row.chat_id, file, caption=caption, reply_markup=markup_objects,
                protect_content=row.protect, rate_limit_args=ahead,
            )  # fmt: skip
        return message.message_id

    async def _edit(self, row: Row, ahead: int | None) -> int | None:
        """Edit the earlier message in place and return its id; None when there is none to
        edit (it failed), and then the text goes as a new message. Waits while the earlier
        one is on its way."""
        assert row.edits is not None
        earlier = await outbox.delivery_of(self.store, row.edits)
        if earlier is not None and earlier.status in ("pending", "sending"):
            raise _EarlierNotSentYet
        if earlier is None or earlier.telegram_message_id is None:
            return None
        data: dict[str, Any] = {
            "chat_id": row.chat_id,
            "message_id": earlier.telegram_message_id,
            "text": _fitted(row, TEXT_MAX),
        }
        markup = _markup_json(row)
        if markup is not None and "inline_keyboard" in markup:  # an edit takes inline only
            data["reply_markup"] = markup
        try:
            await _post(self.bot, "editMessageText", data, ahead)
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                raise
        # Edited, or "not modified" (it already reads so): the same message either way.
        return earlier.telegram_message_id

    async def _retry_later(self, row: Row, exc: Exception, *, duplicate: bool) -> None:
        reason = f"{type(exc).__name__}: {exc}"
        if row.attempts >= MAX_ATTEMPTS:
            self.watch.failed.labels(row.purpose).inc()
            await outbox.mark_final(
                self.store,
                self.clock,
                row.id,
                "failed",
                f"gave up after {row.attempts} attempts; {reason}",
            )
            return
        later = self.clock() + dt.timedelta(seconds=_backoff(row.attempts))
        self.watch.retried.labels(row.purpose).inc()
        await outbox.postpone(
            self.store, self.clock, row.id, later, reason, retry=True, duplicate=duplicate
        )

    # --- SMS --------------------------------------------------------------------

    async def _send_sms_in_turn(self, row: Row, lane: Lane) -> bool:
        """Wait for the SMS turn only as long as a person may wait; a longer queue goes
        back to the outbox with its due time, so Telegram's rows do not wait behind it."""
        queued_for = (
            self._sms_waiting / self.sms.pace.limit * self.sms.pace.window if self.sms else 0
        )
        if queued_for > SLEEP_AT_MOST:
            later = self.clock() + dt.timedelta(seconds=queued_for)
            reason = "pacing for the SMS gateway"
            await outbox.postpone(self.store, self.clock, row.id, later, reason, retry=False)
            return False
        self._sms_waiting += 1
        waiting = True
        try:
            async with self._slots.place(lane), self._sms_turn:
                self._sms_waiting, waiting = self._sms_waiting - 1, False
                return await self._send_sms(row)
        finally:
            if waiting:  # cancelled while waiting for the turn
                self._sms_waiting -= 1

    async def _send_sms(self, row: Row) -> bool:
        """One SMS row: the budget, the pace, then the gateway. The in-flight rule, retries
        and idempotency are those of every row."""
        lane = self.sms
        if lane is None:
            self.watch.failed.labels(row.purpose).inc()
            await outbox.mark_final(self.store, self.clock, row.id, "failed", SMS_OFF_REASON)
            return False
        month = month_of(self.clock(), lane.tzinfo)
        if await segments_used(self.store, month) + segments_of(row.text) > lane.monthly_segments:
            await outbox.mark_final(self.store, self.clock, row.id, "skipped", SMS_BUDGET_REASON)
            if await first_time_over(self.store, self.clock, month):
                logger.warning("SMS budget of %s used: %d segments", month, lane.monthly_segments)
                await lane.on_budget_spent(lane.monthly_segments)
            return False
        loop = asyncio.get_running_loop()
        pause = self._sms_paused_until - loop.time()
        wait = max(pause, lane.pace.wait_for(loop.time()))
        if wait > SLEEP_AT_MOST:
            later = self.clock() + dt.timedelta(seconds=wait)
            reason = "the SMS gateway asked to wait" if pause > 0 else "pacing for the SMS gateway"
            await outbox.postpone(self.store, self.clock, row.id, later, reason, retry=False)
            return False
        if wait > 0:
            await asyncio.sleep(wait)
        if not await self.handed.add(row.id):  # the in-flight rule, as for Telegram
            return False  # withdrawn while it waited
        lane.pace.record(loop.time())  # the gateway counts a request when it arrives
        try:
            accepted = await lane.gateway.send(row.to, row.text)
        except SmsTryLater as later_please:
            if later_please.retry_after > 0:  # 429: every SMS waits, this one is no attempt
                seconds = later_please.retry_after
                self._sms_paused_until = max(self._sms_paused_until, loop.time() + seconds)
                self.watch.retried.labels(row.purpose).inc()
                until = self.clock() + dt.timedelta(seconds=seconds)
                await outbox.postpone(
                    self.store, self.clock, row.id, until, f"SMS 429 retry after {seconds:.0f} s",
                    retry=False,
                )  # fmt: skip
            else:  # a 5xx, a network error, a timeout (which may have sent it)
                await self._retry_later(row, later_please, duplicate=later_please.maybe_sent)
            return False
        except SmsRefused as refused:
            self.watch.failed.labels(row.purpose).inc()
            reason = f"SMS refused {refused}"
            await outbox.mark_final(self.store, self.clock, row.id, "failed", reason)
            if row.newcomer_id is not None and refused.unreachable:
                await lane.on_unreachable(row.newcomer_id, reason)
            elif row.newcomer_id is not None and refused.opted_out:
                await lane.on_opted_out(row.newcomer_id)
            return False
        await outbox.mark_sms_sent(
            self.store, self.clock, [(row.id, accepted.sid, accepted.segments)]
        )
        await add_segments(self.store, month, accepted.segments)
        self.watch.sent.labels(row.purpose).inc()
        return True

    async def _unreachable(self, row: Row, reason: str) -> None:
        self.watch.failed.labels(row.purpose).inc()
        await outbox.mark_final(self.store, self.clock, row.id, "failed", reason)
        await self.on_unreachable(row.chat_id, reason)


class _EarlierNotSentYet(Exception):
    """The message to edit has not reached Telegram yet."""


def _fitted(row: Row, limit: int) -> str:
    if len(row.text) <= limit // 2:  # a character is at most two units: no need to count
        return row.text
    units = row.text.encode("utf-16-le")
    if len(units) // 2 <= limit:
        return row.text
    logger.warning("row %s: %d units shortened to Telegram's %d", row.id, len(units) // 2, limit)
    # Cut in UTF-16 code units; half an emoji at the cut is dropped.
    return units[: (limit - 1) * 2].decode("utf-16-le", errors="ignore") + "…"


def _seconds(value: int | float | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
