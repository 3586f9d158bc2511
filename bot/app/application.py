"""The one place the Telegram Application is built, started and stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable
from typing import Any

from telegram import Update
from telegram.error import Conflict
from telegram.ext import (
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseRateLimiter,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest, HTTPXRequest

import messages
from bot.announcements import delivery as announcement_delivery
from bot.app import health
from bot.app.http import HttpServer, with_health_routes
from bot.app.sms_routes import add_sms_routes
from bot.app.telegram_webhook import with_telegram_webhook
from bot.appointments import reminders
from bot.core.clock import Clock, utc_now
from bot.core.config import Config
from bot.core.version import __version__
from bot.handovers import notes as handovers
from bot.people import by_sms, newcomers
from bot.people.organisations import sync_organisations
from bot.privacy import retention
from bot.sending import outbox
from bot.sending.alarm import OtherWriters
from bot.sending.dispatcher import Dispatcher, SmsLane
from bot.sending.pacing import Pacing
from bot.sending.services import Services
from bot.sending.sms_gateway import SmsGateway, gateway_for
from bot.sending.sms_limits import SmsPace
from bot.sending.watch import Watch, WatchedRequest, expected_trouble
from bot.storage import clean_stop
from bot.storage.database import Store
from handlers import register_all
from handlers.core.context import SERVICES_KEY, SchakelApp, SchakelContext, services_of
from messages import plain

logger = logging.getLogger(__name__)

HANDOVER_JOB = "handover-raise"
HANDOVER_CHECK_EVERY = 3600  # seconds
PURGE_JOB = "retention-purge"
SUMMARY_JOB = "hourly-summary"
WARM_UP_JOB = "words-warm-up"
SUMMARY_EVERY = 3600  # seconds
WATCH_KEY = "watch"  # bot_data: the Watch (bot/sending/watch.py)
HTTP_KEY = "http"  # bot_data: the HttpServer, when [http] listen is set
SMS_GATEWAY_KEY = "sms-gateway"  # bot_data: the SMS gateway, when [sms] is set
# Set in bot_data when a 409 Conflict stopped the bot (`schakel run` then exits 3).
CONFLICT_KEY = "stopped-by-conflict"
# Used when no token is configured: the offline stand-in accepts any well-formed token.
OFFLINE_TOKEN = "123456:offline-offline-offline-offline-offline"


def build_application(
    config: Config,
    *,
    request: BaseRequest | None = None,
    clock: Clock = utc_now,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    sms_gateway: SmsGateway | None = None,
) -> SchakelApp:
    """Builder, rate limiter, Defaults with the timezone, start-up and shut-down hooks.

    `request` replaces the network (the offline stand-in in tests and the demo).
    `rate_limiter` replaces Telegram's limits (a benchmark of the bot's own speed).
    `sms_gateway` replaces the configured one (the demo's offline phone).
    """

    token = config.telegram.token.get_secret_value() if config.telegram.token else OFFLINE_TOKEN
    # Every request passes the Watch: the last poll, 429s, and network trouble logged once
    # per burst (bot/sending/watch.py). PTB's own defaults: 256 connections, 1 for polling.
    watch = Watch(clock)
    sends = request or HTTPXRequest(connection_pool_size=256)
    polls = request or HTTPXRequest(connection_pool_size=1)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(config.telegram.base_url)
        .base_file_url(config.telegram.base_file_url)
        .defaults(Defaults(tzinfo=config.locale.tzinfo))
        .context_types(ContextTypes(context=SchakelContext))
        # Overall 30/s and 20/min per group as Telegram counts them (bot/sending/pacing.py);
        # no retries there: the outbox retries durably.
        .rate_limiter(rate_limiter or Pacing())
        .post_init(_make_post_init(config, clock, sms_gateway))
        .post_shutdown(_post_shutdown)
        .request(WatchedRequest(sends, watch))
        .get_updates_request(WatchedRequest(polls, watch))
    )
    application: SchakelApp = builder.build()
    application.bot_data[WATCH_KEY] = watch
    # Before the general error handler, which would log a traceback for each poll.
    application.add_error_handler(_stop_on_conflict)
    application.add_error_handler(_expected_poll_trouble)
    # The Updater logs a traceback when its last getUpdates on the way out fails.
    logging.getLogger("telegram.ext.Updater").addFilter(_NoTracebackForKnownTrouble())
    if (address := config.http.host_and_port) is not None:
        server = with_health_routes(HttpServer(*address), application, watch)
        if config.telegram.mode == "webhook":
            with_telegram_webhook(server, application, config)
        if config.sms.enabled:  # the gateway's delivery reports and newcomers' answers
            add_sms_routes(server, lambda: services_of(application))
        application.bot_data[HTTP_KEY] = server
    elif config.sms.enabled:
        logger.warning("[sms] is set but [http] listen is not: no delivery reports or answers")
    register_all(application)
    return application


def stopped_by_conflict(application: SchakelApp) -> bool:
    return bool(application.bot_data.get(CONFLICT_KEY))


async def _stop_on_conflict(update: object, context: SchakelContext) -> None:
    """409 Conflict on getUpdates: another process polls Telegram with this token.

    PTB retries polling for ever and hands each failure to the error handlers, so both
    bots would log a traceback every few seconds while each takes the other's updates.
    One line, and stop: whoever runs the bot must decide which one stays.
    """
    if not isinstance(context.error, Conflict):
        return
    if not context.bot_data.get(CONFLICT_KEY):
        context.bot_data[CONFLICT_KEY] = True
        logger.error(
            "stopping: another process polls Telegram with this bot's token"
            " (Telegram: %s); stop it first, or give this bot its own token",
            context.error.message,
        )
        context.application.stop_running()
    raise ApplicationHandlerStop  # not the general handler: no traceback per poll


async def _expected_poll_trouble(update: object, context: SchakelContext) -> None:
    """A poll that failed on a timeout, a 5xx or a 429: the Watch logged it once for the
    whole burst, and the Updater tries again. Not a traceback per attempt."""
    if update is None and context.error is not None and expected_trouble(context.error):
        raise ApplicationHandlerStop


class _NoTracebackForKnownTrouble(logging.Filter):
    """On its way out the Updater asks getUpdates once more (to mark what it fetched as
    read); a 409 or a network failure then is already known, and no news."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return error is None or not (isinstance(error, Conflict) or expected_trouble(error))


async def _ready(store: Store, config: Config, clock: Clock) -> tuple[int, int]:
    """The database made ready for this start: the organisations as configured, the rows
    in flight at the last stop recovered (bot/sending/outbox.py)."""
    await sync_organisations(store, config.organisations)
    return await outbox.recover_in_flight(store, clock)


def _make_post_init(config: Config, clock: Clock, sms_gateway: SmsGateway | None) -> Any:
    async def post_init(application: SchakelApp) -> None:
        store = await Store.open(config.storage.database)
        try:
            again, given_up = await _ready(store, config, clock)
        except BaseException:
            # Closed, or its (non-daemon) thread keeps the process from ending: a start
            # that fails must end, so systemd starts it again.
            await store.close()
            raise
        if again or given_up:
            logger.warning("outbox after restart: %d sent again, %d given up", again, given_up)
        # The dispatcher reports unreachable newcomers to Services, which it is part of.
        dispatcher = Dispatcher(
            store,
            application.bot,
            clock,
            lambda chat_id, reason: _newcomer_unreachable(services, chat_id, reason),
            watch=application.bot_data[WATCH_KEY],
            sms=_sms_lane(application, config, lambda: services, sms_gateway),
        )
        dispatcher.keep_going = lambda: application.running
        services = Services(config=config, store=store, clock=clock, dispatcher=dispatcher)
        application.bot_data[SERVICES_KEY] = services
        assert application.job_queue is not None
        dispatcher.attach(application.job_queue)
        dispatcher.wake()
        # Reminders due while the bot was down go now (late) or are skipped with a reason.
        services.reminder_alarm.attach(application.job_queue, lambda: reminders.run_due(services))
        services.reminder_alarm.set()
        # Announcements: released when due, followed while they go, reminded the day before.
        services.announcement_alarm.attach(
            application.job_queue, lambda: announcement_delivery.run_due(services)
        )
        services.announcement_alarm.set()
        # Rows another process wrote (an import, by `schakel import-planning --apply`):
        # every alarm rings at once, so the newcomer hears of it within a second.
        OtherWriters(store, lambda: _ring_all(services)).attach(application.job_queue)
        # Every language's words loaded now, beside the start, not by the first burst.
        application.job_queue.run_once(_warm_up, when=0, name=WARM_UP_JOB)
        # Open handover notes are checked every hour; their state is in the database.
        application.job_queue.run_repeating(
            _raise_overdue_handovers, interval=HANDOVER_CHECK_EVERY, first=60, name=HANDOVER_JOB
        )
        # What is past its retention goes every night, at a quiet local time.
        application.job_queue.run_daily(
            _purge_past_retention,
            time=config.retention.purge_at.replace(tzinfo=config.locale.tzinfo),
            name=PURGE_JOB,
        )
        # One line an hour says it is alive and what it did.
        application.job_queue.run_repeating(
            _log_summary, interval=SUMMARY_EVERY, first=SUMMARY_EVERY, name=SUMMARY_JOB
        )
        http: HttpServer | None = application.bot_data.get(HTTP_KEY)
        if http is not None:
            await http.start()
        logger.info(
            "Schakel ready: version %s, database %s, %s, HTTP %s",
            __version__,
            config.storage.database,
            store.migrated.describe() if store.migrated else "migrations unknown",
            f"on {http.host}:{http.port}" if http else "off",
        )

    return post_init


def _sms_lane(
    application: SchakelApp,
    config: Config,
    services: Callable[[], Services],
    given: SmsGateway | None = None,
) -> SmsLane | None:
    """The dispatcher's SMS lane with the people's rules for what the gateway says."""
    gateway = given if given is not None and config.sms.enabled else gateway_for(config.sms)
    if gateway is None:
        return None
    application.bot_data[SMS_GATEWAY_KEY] = gateway
    return SmsLane(
        gateway=gateway,
        pace=SmsPace(config.sms.rate_per_second),
        monthly_segments=config.sms.monthly_segments,
        tzinfo=config.locale.tzinfo,
        on_unreachable=lambda newcomer_id, reason: by_sms.report_unreachable(
            services(), newcomer_id, reason
        ),
        on_opted_out=lambda newcomer_id: by_sms.report_opted_out(services(), newcomer_id),
        on_budget_spent=lambda segments: by_sms.tell_coordinators_budget_spent(
            services(), segments
        ),
    )


async def _newcomer_unreachable(services: Services, chat_id: int, reason: str) -> None:
    """Telegram no longer reaches a newcomer: their contact person is told; when SMS takes
    over, what bounced about an appointment still ahead goes again by SMS."""
    await newcomers.report_unreachable(services, chat_id, reason)
    await reminders.resend_by_sms(services, chat_id)


def _ring_all(services: Services) -> None:
    services.dispatcher.wake()
    services.reminder_alarm.set()
    services.announcement_alarm.set()


async def _raise_overdue_handovers(context: SchakelContext) -> None:
    await handovers.raise_overdue(context.services)


async def _purge_past_retention(context: SchakelContext) -> None:
    services = context.services
    report = await retention.purge(
        services.store, services.clock, services.config.retention, actor="system"
    )
    for line, removed in zip(report.lines(), report.removed, strict=True):
        logger.log(logging.ERROR if removed.problem else logging.INFO, "retention: %s", line)


async def _warm_up(context: SchakelContext) -> None:
    # On a worker thread: the chats go on while the catalogs and Babel's data load, and
    # the word lists of the plain-language check (not imported before: a faster start).
    await asyncio.to_thread(messages.warm_up)
    await asyncio.to_thread(plain.load_word_lists)


async def _log_summary(context: SchakelContext) -> None:
    services = context.services
    facts = await health.read_facts(services.store.db, services.clock())
    logger.info("%s", health.summary(facts))


async def _post_shutdown(application: SchakelApp) -> None:
    http: HttpServer | None = application.bot_data.get(HTTP_KEY)
    if http is not None:
        await http.stop()
    services: Services | None = application.bot_data.pop(SERVICES_KEY, None)
    if services is not None:
        await services.store.close()
        if services.store.path is not None:
            # Closed as it should be: the next start need not read the whole file through.
            clean_stop.leave(services.store.path)
    gateway: SmsGateway | None = application.bot_data.pop(SMS_GATEWAY_KEY, None)
    if gateway is not None:
        await gateway.close()


@contextlib.asynccontextmanager
async def running(application: SchakelApp) -> AsyncIterator[SchakelApp]:
    """Start without polling (tests, the demo): the same hooks, in run_polling's order."""
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        try:
            yield application
        finally:
            await application.stop()
    finally:
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


async def serve_by_webhook(application: SchakelApp, config: Config) -> None:
    """`[telegram] mode = "webhook"`: start the Application (its hooks start the HTTP
    server with Telegram's route, bot/app/telegram_webhook.py), tell Telegram where to
    post, and run until SIGTERM or SIGINT; then stop as run_polling would. The webhook
    stays set: Telegram keeps what comes meanwhile and posts it when the bot is back."""
    telegram = config.telegram
    assert telegram.webhook_url is not None and telegram.webhook_secret is not None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with running(application):
            await application.bot.set_webhook(
                telegram.webhook_url,
                secret_token=telegram.webhook_secret.get_secret_value(),
                allowed_updates=Update.ALL_TYPES,
            )
            logger.info("Telegram posts updates to %s", telegram.webhook_url)
            await stop.wait()
            logger.info("stopping: the webhook stays set; Telegram keeps what comes meanwhile")
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
