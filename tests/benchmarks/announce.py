"""One announcement to many newcomers through the real Application and the stand-in:
the coordinator's "send" is `announcements.schedule` plus the alarm, as the form does; the
bot's own alarms release it, send it, edit the progress message and write the report.
Shared by announcement_rate (Telegram's limits on) and own_speed (limits off).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
from telegram.ext import AIORateLimiter

from bot.announcements import records as announcements
from bot.announcements.audiences import Audience
from bot.announcements.model import AnnouncementStatus, Plan, SessionKind
from bot.announcements.words import template_texts
from bot.app.application import build_application, running
from bot.app.demo import DEMO_ORGANISATIONS
from bot.app.standin import COUNTED_METHODS, FakeTelegram
from bot.core.clock import to_db
from bot.core.config import Config, StorageConfig
from bot.people.organisations import find_organisation
from bot.people.staff import Role, add_staff, find_staff
from bot.sending.services import Services
from handlers.core.context import services_of

LANGUAGES = ("ar", "ti", "fa", "so", "uk", "tr", "ps", "fa_AF", "ru", "en", "fr", "nl")
COORDINATOR = 7
FIRST_NEWCOMER = 100_000  # chat ids of the newcomers
GIVE_UP_AFTER = 20 * 60.0  # seconds


@dataclass(frozen=True)
class Outcome:
    newcomers: int
    delivered: int  # messages to newcomers Telegram accepted
    failed: int
    span: float  # seconds from the first to the last message to a newcomer
    rate: float  # messages a second over that span
    median_second: float
    slowest_second: float
    answers_429: int
    busiest_window: int  # the most messages (sends and edits) that arrived in any 1 s window
    rate_all: float  # every message Telegram counted (sends and edits, any chat) over the span
    progress_edits: int
    release_seconds: float  # from "send" to the first message handed over
    total_seconds: float  # from "send" to the report
    cpu_per_message_ms: float  # this process's CPU time while sending, per message
    latency: float
    # What each newcomer's request carried (chat, text, buttons): for a minimal sender
    # to post the same messages (own_speed).
    requests: tuple[dict[str, Any], ...] = ()


async def _newcomers(services: Services, count: int) -> None:
    now = to_db(services.clock())
    async with services.store.transaction() as db:
        await db.executemany(
            "INSERT INTO newcomers (reference, first_name, language, status, chat_id,"
            " telegram_user_id, consent_at, created_at)"
            " VALUES (?, 'Bench', ?, 'active', ?, ?, ?, ?)",
            [
                (
                    f"K-B{n:05d}",
                    LANGUAGES[n % len(LANGUAGES)],
                    FIRST_NEWCOMER + n,
                    FIRST_NEWCOMER + n,
                    now,
                    now,
                )
                for n in range(count)
            ],
        )


async def announce(count: int, *, limits: bool, latency: float) -> Outcome:
    """With `limits` off, the bot's own rate limiter lets everything through too: what is
    left is the bot's own work per message (and the stand-in's, which is small)."""
    with tempfile.TemporaryDirectory() as folder:
        config = Config(
            storage=StorageConfig(database=Path(folder) / "bench.db"),
            organisations=DEMO_ORGANISATIONS,
        )
        telegram = FakeTelegram(limits=limits, latency=latency)
        unlimited = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=0)
        application = build_application(
            config, request=telegram, rate_limiter=None if limits else unlimited
        )
        telegram.attach(application)
        async with running(application):
            services = services_of(application)
            await _newcomers(services, count)
            await add_staff(
                services.store,
                services.clock,
                telegram_user_id=COORDINATOR,
                name="Kris",
                role=Role.COORDINATOR,
                organisation=await find_organisation(services.store, "In-Gent"),
                actor="bench",
            )
            author = await find_staff(services.store, COORDINATOR)
            assert author is not None
            now = services.clock()
            plan = Plan(
                title="Werken in Vlaanderen",
                starts_at=now + dt.timedelta(days=7),
                place="In-Gent, Kongostraat 42, 9000 Gent",
                audience=Audience(),
                texts=template_texts(SessionKind.WORK),
                send_at=now,
                session_kind=SessionKind.WORK,
                title_from_kind=True,
            )
            started, cpu_started = time.monotonic(), time.process_time()
            announcement = await announcements.schedule(services, author, plan)
            services.announcement_alarm.set(0)  # as the form does: the bot's own alarms do the rest
            while True:
                await asyncio.sleep(0.1)
                current = await announcements.get(services.store, announcement.id)
                assert current is not None
                if current.status is AnnouncementStatus.DONE:
                    break
                if time.monotonic() - started > GIVE_UP_AFTER:
                    raise TimeoutError("the announcement did not finish in 20 minutes")
            finished, cpu_finished = time.monotonic(), time.process_time()
            progress = await announcements.progress(services.store, announcement.id)
            # The report may still be on its way: leaving now would close the database
            # under the dispatcher (a traceback at shut-down, not a failure it measures).
            for _ in range(300):
                if not await services.store.fetch_value(
                    "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"
                ):
                    break
                await asyncio.sleep(0.1)
    to_newcomers = [
        c
        for c in telegram.calls
        if c.method == "sendMessage" and int(c.params["chat_id"]) >= FIRST_NEWCOMER
    ]
    delivered = sorted(c.at for c in to_newcomers if c.outcome == "ok")
    counted = sorted(c.at for c in telegram.calls if c.method in COUNTED_METHODS and c.delivered)
    span = delivered[-1] - delivered[0]
    per_second = [
        sum(1 for at in delivered if second <= at - delivered[0] < second + 1)
        for second in range(int(span))
    ]
    return Outcome(
        newcomers=count,
        delivered=progress.sent,
        failed=progress.failed,
        span=span,
        rate=(len(delivered) - 1) / span,
        median_second=statistics.median(per_second) if per_second else 0,
        slowest_second=min(per_second) if per_second else 0,
        answers_429=sum(c.outcome == "429" for c in telegram.calls),
        busiest_window=_busiest_window(counted),
        rate_all=(sum(delivered[0] <= at <= delivered[-1] for at in counted) - 1) / span,
        progress_edits=sum(c.method == "editMessageText" for c in telegram.calls),
        release_seconds=delivered[0] - started,
        total_seconds=finished - started,
        cpu_per_message_ms=(cpu_finished - cpu_started) / count * 1000,
        latency=latency,
        requests=tuple(dict(c.params) for c in to_newcomers if c.outcome == "ok"),
    )


def _busiest_window(arrivals: list[float]) -> int:
    """The most arrivals in any one-second window (sorted times): what Telegram's 30 bounds."""
    most, first = 0, 0
    for last, at in enumerate(arrivals):
        while arrivals[first] <= at - 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


class _StandInTransport(httpx.AsyncBaseTransport):
    """httpx straight into the stand-in: the request's JSON body as its parameters."""

    def __init__(self, telegram: FakeTelegram) -> None:
        self.telegram = telegram

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(await request.aread())
        data = SimpleNamespace(parameters=body, contains_files=False)
        status, payload = await self.telegram.do_request(str(request.url), "POST", data)  # type: ignore[arg-type]
        return httpx.Response(status, content=payload)


async def minimal_sender(requests: Sequence[dict[str, Any]], concurrency: int = 32) -> float:
    """The same messages posted straight through httpx to the same stand-in (limits off),
    as many at once as the bot's dispatcher, with no database, no outbox, no PTB: the
    ceiling for the bot's own speed. Returns messages a second."""
    telegram = FakeTelegram()
    slots = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(
        transport=_StandInTransport(telegram), base_url="https://api.telegram.org"
    ) as client:

        async def one(params: dict[str, Any]) -> None:
            async with slots:
                answer = await client.post("/botTOKEN/sendMessage", json=params)
                answer.raise_for_status()
                assert answer.json()["ok"]

        started = time.monotonic()
        await asyncio.gather(*(one(params) for params in requests))
        return len(requests) / (time.monotonic() - started)
