"""The SMS gateway's two webhooks on the bot's HTTP server (bot/app/http.py):

    POST /sms/status   delivery reports: each SMS row gets sent, delivered, undelivered
                       or failed with the gateway's error code; a number that cannot be
                       reached marks the newcomer unreachable by SMS (told once)
    POST /sms/inbound  a newcomer's answer (bot/appointments/sms_inbox.py)

Nothing in a request is believed before its signature is checked against `[sms]
public_url` (bot/sending/sms_webhooks.py): an unsigned or forged one gets 403 and a
warning in the log, and changes nothing. The gateway gets an empty TwiML answer: any
reply goes through the outbox, like every message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.announcements import records as announcements
from bot.app.http import Endpoint, HttpServer
from bot.appointments import sms_inbox
from bot.core.clock import to_db
from bot.handovers import consent
from bot.people import by_sms
from bot.people.newcomers import Newcomer
from bot.sending.services import Services
from bot.sending.sms_gateway import INBOUND_PATH, STATUS_PATH, UNREACHABLE_CODES
from bot.sending.sms_webhooks import (
    SIGNATURE_HEADER,
    Delivery,
    read_inbound,
    read_status,
    signed_by_gateway,
)

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
# Delivery errors that say the number cannot get SMS (besides the refusals at sending):
# 30003 unreachable handset, 30005 unknown number, 30006 landline or unreachable carrier.
UNREACHABLE_DELIVERY = UNREACHABLE_CODES | {30003, 30005, 30006}
REPORT_WAITS, REPORT_WAIT = 20, 0.1  # seconds


def add_sms_routes(server: HttpServer, services: Callable[[], Services]) -> None:
    def signed(path: str, handle: Callable[[dict[str, str]], Awaitable[None]]) -> Endpoint:
        """The route at `path`: its form handled only when the gateway signed it."""

        async def endpoint(request: Request) -> Response:
            form = {name: str(value) for name, value in (await request.form()).items()}
            signature = request.headers.get(SIGNATURE_HEADER)
            if not signed_by_gateway(services().config.sms, path, form, signature):
                logger.warning(
                    "refused a request to %s from %s: %s", path,
                    request.client.host if request.client else "?",
                    "no signature" if not signature else "the signature does not match",
                )  # fmt: skip
                return PlainTextResponse("forbidden\n", status_code=403)
            await handle(form)
            return Response(EMPTY_TWIML, media_type="text/xml")

        return endpoint

    async def on_status(form: dict[str, str]) -> None:
        report = read_status(form)
        if report is not None:
            await record_delivery(services(), report.sid, report.delivery, report.error_code)

    async def on_inbound(form: dict[str, str]) -> None:
        message = read_inbound(form)
        if message is not None:
            await sms_inbox.receive(
                services(), message.from_number, message.body, message.sid,
                announcements.answer_by_sms, _consent_by_sms,
            )  # fmt: skip

    server.add_route(STATUS_PATH, signed(STATUS_PATH, on_status), methods=["POST"])
    server.add_route(INBOUND_PATH, signed(INBOUND_PATH, on_inbound), methods=["POST"])


async def _consent_by_sms(
    services: Services, newcomer: Newcomer, request_id: int, agreed: bool
) -> bool:
    """JA or NEE to a handover note's consent question: the same answer as ✅ or ❌."""
    answered = await consent.answer(services, newcomer, request_id, agreed)
    return not isinstance(answered, consent.AnswerProblem)


async def record_delivery(
    services: Services, sid: str, delivery: Delivery, error_code: int | None
) -> None:
    """The gateway's report on one SMS. A report never moves a row back (a late "sent"
    after "delivered" is ignored)."""
    final = (Delivery.DELIVERED, Delivery.UNDELIVERED, Delivery.FAILED)
    # The gateway may report before the dispatcher has written down its id (the report
    # raced the answer to our request): wait for that write a moment.
    for _ in range(REPORT_WAITS):
        if await services.store.fetch_value("SELECT 1 FROM outbox WHERE sms_sid = ?", (sid,)):
            break
        await asyncio.sleep(REPORT_WAIT)
    else:
        logger.warning("a delivery report for an SMS Schakel does not know (%s)", sid)
        return
    async with services.store.transaction() as db:
        rows = await db.execute_fetchall(
            "UPDATE outbox SET sms_status = ?, sms_error = ?, updated_at = ?"
            " WHERE sms_sid = ? AND (sms_status IS NULL OR sms_status NOT IN (?, ?, ?))"
            " RETURNING newcomer_id",
            (delivery.value, error_code, to_db(services.clock()), sid, *final),
        )
    found = list(rows)
    if not found:
        return
    newcomer_id = found[0][0]
    unreachable = error_code is not None and error_code in UNREACHABLE_DELIVERY
    if delivery in (Delivery.UNDELIVERED, Delivery.FAILED) and unreachable and newcomer_id:
        await by_sms.report_unreachable(services, int(newcomer_id), f"delivery error {error_code}")
