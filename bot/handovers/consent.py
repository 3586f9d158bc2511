"""The newcomer's own consent to a handover note: before the note is written, the
caseworker asks the newcomer in Schakel whether it may go to that organisation for that
purpose; the newcomer answers ✅ or ❌ in their own language and the caseworker hears it at
once. (Consent given on paper or in person is recorded by the caseworker in the form.)

A question waits `handover.consent_wait_days` for its answer. Meanwhile the caseworker
may finish the note and put it aside (`put_aside`): it waits here, not in their one
form draft, so another form does not overwrite it; ✅ brings it back to be posted. A
"no" removes it. A question past its time is answered by nobody and removed, with the
note put aside, by the nightly purge (bot/privacy/retention.py).

How a newcomer is asked is a `Channel`: Telegram (✅/❌ buttons), or SMS for a newcomer
whose messages go by SMS (bot/people/by_sms.goes_by_sms): the same words in plain Dutch
ending "Antwoord JA of NEE.", then in their own language when `[sms] translation` says
so. Their SMS answer (bot/appointments/sms_inbox.py reads it against this question, the
newest SMS they got) calls `answer()`, the same for every channel: once, in time, the
caseworker told, audited.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.appointments.sms_inbox import CONSENT_PURPOSE
from bot.core import audit
from bot.core.clock import Clock, from_db, to_db
from bot.handovers import words as wording
from bot.handovers.model import Reason
from bot.people import by_sms
from bot.people.newcomers import Newcomer, NewcomerStatus
from bot.people.staff import StaffMember, any_staff_by_id
from bot.sending.outbox import Outgoing, enqueue
from bot.sending.services import Services
from bot.storage.database import Store
from bot.storage.rows import record
from messages import SOURCE_LANGUAGE


class Channel(enum.StrEnum):
    TELEGRAM = "telegram"
    SMS = "sms"


# An SMS that asks: its JA or NEE answers this question (sms_inbox reads it by this purpose).
SMS_PURPOSE = CONSENT_PURPOSE


class Status(enum.StrEnum):
    WAITING = "waiting"
    AGREED = "agreed"
    REFUSED = "refused"
    USED = "used"  # the note went with it


@dataclass(frozen=True)
class Request:
    id: int
    newcomer_id: int
    staff_id: int
    organisation_id: int
    organisation: str
    purpose: Reason
    channel: Channel
    status: Status
    draft: dict[str, Any] | None  # the note put aside, while it waits
    asked_at: dt.datetime
    answered_at: dt.datetime | None
    expires_at: dt.datetime

    def open_at(self, now: dt.datetime) -> bool:
        return now < self.expires_at and self.status is not Status.USED


def channel_for(newcomer: Newcomer) -> Channel | None:
    """How this newcomer can be asked now; None when they cannot (the caseworker then
    records consent given on paper or in person)."""
    if by_sms.goes_by_sms(newcomer):  # no Telegram, or Telegram no longer reaches them
        return Channel.SMS
    if newcomer.chat_id and newcomer.consent and newcomer.status is NewcomerStatus.ACTIVE:
        return Channel.TELEGRAM
    return None


def _ask_on_telegram(
    newcomer: Newcomer, request: Request, caseworker: str, _: str
) -> list[Outgoing]:
    assert newcomer.chat_id is not None  # channel_for said Telegram
    question = wording.consent_question(newcomer.language, request.purpose, caseworker,
                                        request.organisation, request.id)  # fmt: skip
    return [
        Outgoing(
            chat_id=newcomer.chat_id,
            text=question.text,
            buttons=question.buttons,
            purpose="notice",
            idempotency_key=f"handover-consent:{request.id}",
            newcomer_id=newcomer.id,
        )
    ]


def _ask_by_sms(
    newcomer: Newcomer, request: Request, caseworker: str, translation: str
) -> list[Outgoing]:
    """The question as one SMS in plain Dutch (no buttons: JA or NEE), then in their own
    language when `[sms] translation` says so; both name the question, so either's answer
    is read as the answer to it."""
    key, ref = f"handover-consent:{request.id}", f"consent:{request.id}"
    languages = [SOURCE_LANGUAGE]
    if by_sms.in_own_language_too(translation, newcomer.language):
        languages.append(newcomer.language)
    asking = []
    for language in languages:
        text = wording.consent_question_sms(
            language, request.purpose, caseworker, request.organisation
        )
        own = "" if language == SOURCE_LANGUAGE else ":own"
        asking.append(by_sms.sms_to(newcomer, text, purpose=SMS_PURPOSE, key=key + own, ref=ref))
    return asking


# One way of asking per channel: the newcomer, the question, the caseworker's name and
# `[sms] translation`.
_ASK: dict[Channel, Callable[[Newcomer, Request, str, str], list[Outgoing]]] = {
    Channel.TELEGRAM: _ask_on_telegram,
    Channel.SMS: _ask_by_sms,
}

_SELECT = (
    "SELECT r.*, o.short_name AS organisation FROM handover_consent_requests r"
    " JOIN organisations o ON o.id = r.organisation_id"
)


_MOMENTS = dict.fromkeys(("asked_at", "answered_at", "expires_at"), from_db)


def _request(row: aiosqlite.Row) -> Request:
    converters = {"purpose": Reason, "channel": Channel, "status": Status, "draft": json.loads}
    return record(Request, row, **converters, **_MOMENTS)


async def get(store: Store, request_id: int) -> Request | None:
    row = await store.fetch_one(f"{_SELECT} WHERE r.id = ?", (request_id,))
    return None if row is None else _request(row)


async def ask(
    services: Services,
    staff: StaffMember,
    newcomer: Newcomer,
    organisation_id: int,
    purpose: Reason,
) -> Request | None:
    """The question to the newcomer, stored and sent; None when they cannot be asked."""
    channel = channel_for(newcomer)
    if channel is None:
        return None
    now = services.clock()
    expires = now + dt.timedelta(days=services.config.handover.consent_wait_days)
    async with services.store.transaction() as db:
        async with db.execute(
            "INSERT INTO handover_consent_requests (newcomer_id, staff_id, organisation_id,"
            " purpose, channel, asked_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (newcomer.id, staff.id, organisation_id, purpose.value, channel.value,
             to_db(now), to_db(expires)),
        ) as cursor:  # fmt: skip
            row = await cursor.fetchone()
        assert row is not None
        request = await get(services.store, int(row["id"]))
        assert request is not None
        asking = _ASK[channel](newcomer, request, staff.name, services.config.sms.translation)
        message_ids = [await enqueue(db, services.clock, message) for message in asking]
        await audit.record(db, services.clock, f"staff:{staff.id}", "handover.consent.ask",
                           f"newcomer:{newcomer.reference}",
                           f"{request.organisation} {purpose.value} {channel.value}")  # fmt: skip
    await services.dispatcher.deliver([i for i in message_ids if i is not None])
    return request


class AnswerProblem(enum.Enum):
    NOT_THEIRS = "not_theirs"  # no such question to this newcomer
    CLOSED = "closed"  # answered already, expired, or the note went


async def answer(
    services: Services, newcomer: Newcomer, request_id: int, agreed: bool
) -> Request | AnswerProblem:
    """The newcomer's ✅ or ❌, once, in time. The caseworker hears it at once (with a
    button back to the note on ✅); a "no" removes the note put aside, and the form if the
    caseworker is still filling it in for this question."""
    request = await get(services.store, request_id)
    if request is None or request.newcomer_id != newcomer.id:
        return AnswerProblem.NOT_THEIRS
    now = services.clock()
    if request.status is not Status.WAITING or not request.open_at(now):
        return AnswerProblem.CLOSED
    status = Status.AGREED if agreed else Status.REFUSED
    caseworker = await any_staff_by_id(services.store, request.staff_id)
    async with services.store.transaction() as db:
        cursor = await db.execute(
            "UPDATE handover_consent_requests SET status = ?, answered_at = ?,"
            " draft = CASE WHEN ? THEN draft END WHERE id = ? AND status = 'waiting'",
            (status.value, to_db(now), agreed, request.id),
        )
        if cursor.rowcount != 1:  # two taps at once: the first counts
            return AnswerProblem.CLOSED
        if not agreed:
            await db.execute(
                "DELETE FROM drafts WHERE staff_id = ? AND form = 'handover'"
                " AND json_extract(data, '$.request') = ?",
                (request.staff_id, request.id),
            )
        await audit.record(db, services.clock, f"newcomer:{newcomer.reference}",
                           f"handover.consent.{status.value}", f"consent:{request.id}",
                           f"{request.organisation} {request.purpose.value}")  # fmt: skip
        ids = []
        if caseworker is not None:
            notice = wording.consent_answer_notice(caseworker.language, request.id,
                                                   newcomer.first_name, request.organisation,
                                                   agreed)  # fmt: skip
            ids.append(await enqueue(db, services.clock, Outgoing(
                chat_id=caseworker.telegram_user_id, text=notice.text, buttons=notice.buttons,
                purpose="notice", idempotency_key=f"handover-consent-answer:{request.id}",
            )))  # fmt: skip
    await services.dispatcher.deliver([i for i in ids if i is not None])
    answered = await get(services.store, request.id)
    assert answered is not None
    return answered


async def put_aside(services: Services, staff: StaffMember, request_id: int,
                    data: dict[str, Any]) -> bool:  # fmt: skip
    """The caseworker's finished note waits with its question (not in their form draft,
    which the next form would overwrite). False when the question is no longer open."""
    async with services.store.transaction() as db:
        cursor = await db.execute(
            "UPDATE handover_consent_requests SET draft = ? WHERE id = ? AND staff_id = ?"
            " AND status IN ('waiting', 'agreed') AND expires_at > ?",
            (json.dumps(data), request_id, staff.id, to_db(services.clock())),
        )
        if cursor.rowcount != 1:
            return False
        await db.execute("DELETE FROM drafts WHERE staff_id = ?", (staff.id,))
    return True


async def take_back(services: Services, staff: StaffMember, request_id: int) -> Request | None:
    """The question of this caseworker, still open, with the note put aside (if any)
    taken out of it to be filled in again; None when it is not theirs or no longer open."""
    request = await get(services.store, request_id)
    if (
        request is None
        or request.staff_id != staff.id
        or request.status not in (Status.WAITING, Status.AGREED)
        or not request.open_at(services.clock())
    ):
        return None
    async with services.store.transaction() as db:
        await db.execute(
            "UPDATE handover_consent_requests SET draft = NULL WHERE id = ?", (request.id,)
        )
    return request


def agreed_on(request: Request, tzinfo: dt.tzinfo) -> dt.date | None:
    """The local day the newcomer said yes; None while they have not."""
    if request.status is not Status.AGREED or request.answered_at is None:
        return None
    return request.answered_at.astimezone(tzinfo).date()


async def use(db: aiosqlite.Connection, clock: Clock, request_id: int, staff_id: int) -> bool:
    """The newcomer's yes goes with the note being posted (inside its transaction): once,
    by the caseworker who asked, before it expires."""
    cursor = await db.execute(
        "UPDATE handover_consent_requests SET status = 'used', draft = NULL"
        " WHERE id = ? AND staff_id = ? AND status = 'agreed' AND expires_at > ?",
        (request_id, staff_id, to_db(clock())),
    )
    return cursor.rowcount == 1
