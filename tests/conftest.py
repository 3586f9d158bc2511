"""Offline fixtures: a temporary database, the Telegram stand-in, the real Application."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import shutil
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from telegram._utils.types import JSONDict
from telegram.ext import BaseRateLimiter, ExtBot

from bot.app.application import OFFLINE_TOKEN, build_application, running
from bot.app.demo import DEMO_ORGANISATIONS
from bot.app.standin import FakeTelegram, SimUser
from bot.appointments import records as appointments
from bot.appointments import reminders
from bot.appointments.records import Appointment, Details, Kind
from bot.core.config import Config, StorageConfig
from bot.people import newcomers
from bot.people.newcomers import Newcomer
from bot.people.organisations import find_organisation, sync_organisations
from bot.people.staff import Role, add_staff
from bot.sending.dispatcher import Dispatcher
from bot.sending.services import Services
from bot.storage.database import Store
from handlers.core.context import SchakelApp, services_of
from tests.twilio_standin import TwilioStandIn

# CI explores the same examples every run (a landing must not depend on luck); on a
# developer's machine hypothesis keeps looking for new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


class FakeClock:
    """A clock tests can move; starts at a fixed Tuesday morning in Brussels."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(
        storage=StorageConfig(database=tmp_path / "schakel.db"),
        organisations=DEMO_ORGANISATIONS,
    )


@pytest.fixture
def catalog_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of messages/locale that `check_catalogs()` reads, for a test to spoil."""
    import shutil

    import messages
    import messages.catalogs as catalogs

    copy = tmp_path / "locale"
    shutil.copytree(messages.LOCALE_DIR, copy)
    monkeypatch.setattr(catalogs, "LOCALE_DIR", copy)
    monkeypatch.setattr(catalogs, "TEMPLATE", copy / "messages.pot")
    return copy


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime.now(dt.UTC).replace(microsecond=0))


@pytest.fixture
def telegram() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
async def app(
    config: Config, telegram: FakeTelegram, clock: FakeClock
) -> AsyncIterator[SchakelApp]:
    application = build_application(config, request=telegram, clock=clock)
    telegram.attach(application)
    async with running(application):
        # Let the start-up wake-up of the dispatcher pass, so tests decide who sends.
        await asyncio.sleep(0.05)
        yield application


@pytest.fixture
def services(app: SchakelApp) -> Services:
    return services_of(app)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty Schakel database with every migration applied, made once per session:
    a copy opens in a tenth of the time the migrations take (the unit tests of the rules
    open one each, and the mutation run runs them for every mutant)."""
    path = tmp_path_factory.mktemp("template") / "schakel.db"

    async def make() -> None:
        store = await Store.open(path)
        await store.close()

    asyncio.run(make())
    return path


@pytest.fixture
async def bare_services(
    config: Config, telegram: FakeTelegram, clock: FakeClock, migrated_database: Path
) -> AsyncIterator[Services]:
    """The rules' Services without the Application: the real database, outbox and
    dispatcher, a bot on the stand-in, but no JobQueue (no alarm rings: the test calls
    `run_due` itself) and no rate limiter (so no wait for Telegram's 30 a second; the
    dispatcher's own per-chat pace still holds). For the unit tests of the reminders' and
    the dispatcher's rules: a tenth of the time of `services`, so the mutation run can
    afford them for every mutant."""
    shutil.copyfile(migrated_database, config.storage.database)
    store = await Store.open(config.storage.database)
    await sync_organisations(store, config.organisations)
    bot: ExtBot[None] = ExtBot(OFFLINE_TOKEN, request=telegram)
    await bot.initialize()

    async def unreachable(chat_id: int, reason: str) -> None:
        await newcomers.report_unreachable(made, chat_id, reason)

    dispatcher = Dispatcher(store, bot, clock, unreachable)
    made = Services(config=config, store=store, clock=clock, dispatcher=dispatcher)
    try:
        yield made
    finally:
        await bot.shutdown()
        await store.close()


@pytest.fixture
async def twilio() -> AsyncIterator[TwilioStandIn]:
    """The offline Twilio (tests/twilio_standin.py), on a free port of 127.0.0.1."""
    standin = TwilioStandIn()
    await standin.start()
    yield standin
    await standin.stop()


async def plan_appointment(
    services: Services, newcomer: Newcomer, starts: dt.datetime
) -> Appointment:
    """A DUO intake for this newcomer at `starts`, its reminders planned by the bot's own
    planner (as the planning form stores them)."""
    async with services.store.transaction() as db:
        appointment = await appointments.insert(
            db, services.clock, newcomer.id,
            Details(Kind.DUO_INTAKE, starts, "Kongostraat 7, 9000 Gent"), created_by=None,
        )  # fmt: skip
        await reminders.store_plan(db, services.clock, services.config, appointment)
    return appointment


async def make_staff(
    services: Services,
    telegram: FakeTelegram,
    user_id: int,
    name: str,
    role: Role,
    org: str = "VDAB",
) -> SimUser:
    organisation = await find_organisation(services.store, org)
    await add_staff(
        services.store,
        services.clock,
        telegram_user_id=user_id,
        name=name,
        role=role,
        organisation=organisation,
        actor="test",
    )
    return telegram.user(user_id, name, "nl")


def last_link(telegram: FakeTelegram, user: SimUser) -> str:
    """The newest message to this user that holds an invite link."""
    return next(text for text in reversed(telegram.texts_to(user.id)) if "?start=" in text)


def invite_token(text: str) -> str:
    """The start token inside an invite message."""
    return text.split("?start=")[1].split()[0].rstrip(".:")


async def until_set(event: asyncio.Event, work: asyncio.Future[Any]) -> None:
    """Wait until `event` is set by `work` (a send reaching Telegram, say). If `work` ends
    first, fail with how it ended instead of waiting forever: a bug that stops it early
    fails the test at once (and a mutation run does not sit out its timeout)."""
    waiting = asyncio.ensure_future(event.wait())
    await asyncio.wait({waiting, work}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if not event.is_set():
        raise AssertionError(f"it ended before the event: {work.result()!r}")


def alarm_delays(services: Services) -> list[float]:
    """Every delay the dispatcher's alarm is set to from now on, in seconds: what the
    bot asked the JobQueue for, read without waiting on the wall clock."""
    delays: list[float] = []
    alarm = services.dispatcher.alarm
    real_set = alarm.set

    def recording(delay: float = 0.0) -> None:
        delays.append(delay)
        real_set(delay)

    alarm.set = recording  # type: ignore[method-assign]
    return delays


class LaneRecorder(BaseRateLimiter[int]):
    """A rate limiter that only notes each call's method and lane (its rate_limit_args;
    None for a reply: PTB leaves a falsy value out) and lets it through."""

    def __init__(self) -> None:
        self.lanes: list[tuple[str, int | None]] = []

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        self.lanes.append((endpoint, rate_limit_args))
        return await callback(*args, **kwargs)


@contextlib.asynccontextmanager
async def lanes_recorded(
    services: Services, telegram: FakeTelegram
) -> AsyncIterator[list[tuple[str, int | None]]]:
    """While inside, the dispatcher sends through a bot with a LaneRecorder: yields the
    (method, lane) of each call, in order; the dispatcher's own bot comes back after."""
    recorder = LaneRecorder()
    bot: ExtBot[int] = ExtBot(OFFLINE_TOKEN, request=telegram, rate_limiter=recorder)
    await bot.initialize()
    recorder.lanes.clear()  # getMe
    own, services.dispatcher.bot = services.dispatcher.bot, bot
    try:
        yield recorder.lanes
    finally:
        services.dispatcher.bot = own
        await bot.shutdown()


def alerts(telegram: FakeTelegram) -> list[str]:
    """What the bot answered to each button press, in order ("" for a silent answer)."""
    return [call.params.get("text", "") for call in telegram.sent("answerCallbackQuery")]
