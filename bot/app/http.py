"""The HTTP endpoint inside the bot process: one small ASGI server (Starlette under
uvicorn) in the same event loop as the Application, off unless `[http] listen` is set.

    /healthz  200 "ok", or 503 with each reason on a line of its own: the database does
              not answer, no successful poll of Telegram within a minute, the dispatcher
              is stuck (bot/app/health.py)
    /metrics  Prometheus text format: messages sent, failed and retried by kind, outbox
              waiting and the oldest due age, 429s and the seconds waited, late
              reminders, unreachable newcomers, poll errors, uptime

Other routes join the same server: `HttpServer.add_route` before it starts, in
`bot/app/application.py`, where the Application is built: Telegram's webhook
(`[telegram] mode = "webhook"`, bot/app/telegram_webhook.py) and, later, the SMS
gateway's delivery and reply webhooks; their handlers reach the Application and its
Services through `application.bot_data`, as /healthz does.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import socket
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.app import health
from bot.sending.services import Services
from bot.sending.watch import Watch
from handlers.core.context import SERVICES_KEY, SchakelApp

logger = logging.getLogger(__name__)

Endpoint = Callable[[Request], Awaitable[Response]]
# The database must answer a health check within this; a slower one is a problem.
DATABASE_TIMEOUT = 5.0


class CannotListen(Exception):
    """The address is taken or not this machine's: one line, the bot does not start."""


class _InOurLoop(uvicorn.Server):
    """uvicorn without its own signal handlers: the Application's run_polling has them,
    and stops this server on its way out (SIGTERM, SIGINT)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Any:
        yield


class HttpServer:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._routes: list[Route] = []
        self._server: _InOurLoop | None = None
        self._task: asyncio.Task[None] | None = None

    def add_route(self, path: str, endpoint: Endpoint, methods: Sequence[str] = ("GET",)) -> None:
        if self._server is not None:
            raise RuntimeError("routes are added before the server starts")
        self._routes.append(Route(path, endpoint, methods=list(methods)))

    async def start(self) -> None:
        config = uvicorn.Config(
            Starlette(routes=self._routes),
            host=self.host,
            port=self.port,
            log_config=None,  # our logging (bot/core/logs.py), not uvicorn's own
            access_log=False,
            lifespan="off",
        )
        # Bound here, not by uvicorn: it would end the whole process (sys.exit) when the
        # address is taken; this says so in one line and the bot does not start.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            bound = socket.create_server((self.host, self.port), family=family)
        except OSError as exc:
            where = f"{self.host}:{self.port}"
            raise CannotListen(f"http.listen: cannot listen on {where}: {exc.strerror}") from None
        self.port = bound.getsockname()[1]  # the real one when 0 was asked
        self._server = server = _InOurLoop(config)
        self._task = asyncio.create_task(server.serve(sockets=[bound]), name="http-server")
        while not server.started and not self._task.done():
            await asyncio.sleep(0.01)
        logger.info("HTTP on %s:%s (/healthz, /metrics)", self.host, self.port)

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._server = self._task = None


def with_health_routes(server: HttpServer, application: SchakelApp, watch: Watch) -> HttpServer:
    """/healthz and /metrics of this application."""
    gauges = _DatabaseGauges(watch)

    def services() -> Services:
        found: Services = application.bot_data[SERVICES_KEY]
        return found

    async def problems() -> tuple[list[str], health.Facts | None]:
        found, facts = [], None
        now = services().clock()
        try:
            facts = await asyncio.wait_for(
                health.read_facts(services().store.db, now), DATABASE_TIMEOUT
            )
        except Exception as exc:  # whatever it is, the check answers 503 and says so
            found.append(f"the database does not answer: {type(exc).__name__}: {exc}")
        else:
            if stuck := health.stuck(facts):
                found.append(stuck)
        updater = application.updater
        polling = updater is not None and updater.running
        if polling and (poll := health.poll_problem(watch, now)):
            found.append(poll)
        return found, facts

    async def healthz(request: Request) -> Response:
        found, _ = await problems()
        if found:
            return PlainTextResponse("\n".join(found) + "\n", status_code=503)
        return PlainTextResponse("ok\n")

    async def metrics(request: Request) -> Response:
        found, facts = await problems()
        gauges.update(facts, healthy=not found)
        return Response(generate_latest(watch.registry), media_type=CONTENT_TYPE_LATEST)

    server.add_route("/healthz", healthz)
    server.add_route("/metrics", metrics)
    return server


class _DatabaseGauges:
    """The database's facts as gauges, read at each scrape."""

    def __init__(self, watch: Watch) -> None:
        gauge = functools.partial(Gauge, registry=watch.registry)
        self.pending = gauge("schakel_outbox_pending", "Messages waiting in the outbox")
        self.oldest = gauge(
            "schakel_outbox_oldest_due_age_seconds",
            "Seconds since the oldest waiting message was due",
        )
        self.late = gauge(
            "schakel_reminders_late_last_day",
            "Reminders queued late (the bot was down) in the last 24 hours",
        )
        self.unreachable = gauge(
            "schakel_newcomers_unreachable", "Newcomers who blocked the bot or whose chat is gone"
        )
        self.healthy = gauge("schakel_healthy", "1 when /healthz says ok")

    def update(self, facts: health.Facts | None, *, healthy: bool) -> None:
        self.healthy.set(1 if healthy else 0)
        if facts is None:
            return
        self.pending.set(facts.pending)
        self.oldest.set(facts.oldest_due_age)
        self.late.set(facts.late_reminders_last_day)
        self.unreachable.set(facts.unreachable_newcomers)
