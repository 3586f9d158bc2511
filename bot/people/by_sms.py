"""Newcomers reached by SMS: a mobile number, their own "JA" first, and where it stands.

A caseworker registers a newcomer with a number (`/nieuw Amal ar A1 sms +32470123456`):
Schakel sends one opt-in SMS (who sends it, what for, "Antwoord JA" / "STOP") and sends
nothing else by SMS until the newcomer's own JA (`sms_state` asked -> agreed). STOP
stops every message (stopped; START resumes). A number the gateway cannot reach
(unknown, landline) is unreachable; the contact person is told once, at that change.

Messages go by SMS when the newcomer agreed by SMS and Telegram does not reach them:
never linked, or their chat became unreachable (the contact person is told the channel
changed). A newcomer who moves to Telegram with their invite link is asked whether the
number stays as that fallback; "no" erases it (`asks_to_keep`, `erase_number`).
"""

from __future__ import annotations

import enum
import logging

from bot.core import audit
from bot.core.clock import Clock, to_db
from bot.people.newcomers import Newcomer, NewcomerStatus, notify_contact, reload
from bot.sending import outbox
from bot.sending.outbox import SMS_CHAT, Outgoing
from bot.sending.services import Services
from bot.storage.database import Store
from messages import SOURCE_LANGUAGE, render, texts
from messages.languages import LATIN_SCRIPT

logger = logging.getLogger(__name__)

OPT_IN = "sms_opt_in"  # the purpose of the opt-in SMS (an answer to it is read as JA/STOP)


class SmsState(enum.StrEnum):
    ASKED = "asked"
    AGREED = "agreed"
    STOPPED = "stopped"
    UNREACHABLE = "unreachable"


class NumberTaken(Exception):
    """Another newcomer has this number (one number, one newcomer: answers must match)."""


def goes_by_sms(newcomer: Newcomer) -> bool:
    """Messages to this newcomer go by SMS now (see the module docstring)."""
    if newcomer.sms_state != SmsState.AGREED or newcomer.status is NewcomerStatus.STOPPED:
        return False
    return newcomer.chat_id is None or newcomer.status is NewcomerStatus.UNREACHABLE


def in_own_language_too(translation: str, language: str) -> bool:
    """Does a second SMS in the newcomer's own language follow the Dutch one? `[sms]
    translation`: "never", "latin-script" (only languages written in the Latin alphabet,
    mostly GSM-7: a part is 160 characters) or "always" (Arabic script, Ge'ez and Cyrillic
    are UCS-2: 70 characters a part, so two or three parts). Every part counts against the
    month's budget (bot/sending/sms_limits.py)."""
    if language == SOURCE_LANGUAGE or translation == "never":
        return False
    return translation == "always" or language in LATIN_SCRIPT


def sms_to(
    newcomer: Newcomer, text: str, *, purpose: str, key: str, ref: str | None = None
) -> Outgoing:
    assert newcomer.sms_number is not None
    return Outgoing(
        chat_id=SMS_CHAT,
        text=text,
        purpose=purpose,
        idempotency_key=key,
        newcomer_id=newcomer.id,
        ref=ref or f"newcomer:{newcomer.reference}",
        channel="sms",
        to=newcomer.sms_number,
    )


async def add_number(
    store: Store, clock: Clock, newcomer: Newcomer, number: str, *, actor: str
) -> Newcomer:
    """Keep this number for the opt-in question (asked); NumberTaken if another has it."""
    other = await store.fetch_value(
        "SELECT id FROM newcomers WHERE sms_number = ? AND id != ?", (number, newcomer.id)
    )
    if other is not None:
        raise NumberTaken
    async with store.transaction() as db:
        await db.execute(
            "UPDATE newcomers SET sms_number = ?, sms_state = 'asked', sms_agreed_at = NULL"
            " WHERE id = ?",
            (number, newcomer.id),
        )
        await audit.record(
            db, clock, actor, "newcomer.sms.number", f"newcomer:{newcomer.reference}"
        )
    return await reload(store, newcomer)


async def opt_in(
    services: Services, newcomer: Newcomer, *, contact: str, organisation: str
) -> None:
    """The one SMS that asks: may Schakel send SMS? (Plain Dutch; JA or STOP.)"""
    text = render(SOURCE_LANGUAGE, texts.SMS_OPT_IN, contact=contact, organisation=organisation)
    key = f"sms-opt-in:{newcomer.id}:{to_db(services.clock())}"
    messages = [sms_to(newcomer, text, purpose=OPT_IN, key=key)]
    # The Dutch alone nearly fills one SMS, and a line in Arabic script or Ge'ez would turn
    # the whole SMS into UCS-2 (70 characters): the own language goes as a second SMS.
    if in_own_language_too(services.config.sms.translation, newcomer.language):
        own = render(newcomer.language, texts.SMS_OPT_IN_OWN, contact=contact,
                     organisation=organisation)  # fmt: skip
        messages.append(sms_to(newcomer, own, purpose=OPT_IN, key=f"{key}:own"))
    await services.send(*messages)


async def find_by_number(store: Store, number: str) -> Newcomer | None:
    row = await store.fetch_one(
        "SELECT * FROM newcomers WHERE sms_number = ? AND forgotten_at IS NULL", (number,)
    )
    return None if row is None else Newcomer.from_row(row)


async def _set_state(
    services: Services, newcomer: Newcomer, state: SmsState, action: str, *, said_yes: bool = False
) -> Newcomer | None:
    """The new state, with what goes with it; None (nothing done) when the newcomer was
    already in it: two reports that race each other change it, and tell, once."""
    now = to_db(services.clock())
    async with services.store.transaction() as db:
        changed = await db.execute(
            "UPDATE newcomers SET sms_state = ? WHERE id = ? AND sms_state IS NOT ?",
            (state, newcomer.id, state),
        )
        if changed.rowcount == 0 and not said_yes:
            return None
        if said_yes:  # their own JA is their consent, as ✅ is on Telegram
            await db.execute(
                "UPDATE newcomers SET sms_agreed_at = ?, consent_at = coalesce(consent_at, ?),"
                " status = CASE status WHEN 'invited' THEN 'active' ELSE status END"
                " WHERE id = ?",
                (now, now, newcomer.id),
            )
        if state in (SmsState.STOPPED, SmsState.UNREACHABLE):
            # What still waits to go by SMS would be refused or unwanted: say why instead.
            await outbox.withdraw(
                db, now, f"SMS {state}", "newcomer_id = ? AND channel = 'sms'", (newcomer.id,)
            )
        await audit.record(
            db, services.clock, f"newcomer:{newcomer.reference}", action,
            f"newcomer:{newcomer.reference}",
        )  # fmt: skip
    return await reload(services.store, newcomer)


async def agree(services: Services, newcomer: Newcomer) -> Newcomer:
    """The newcomer's own JA: SMS may go, and they count as having agreed (as with ✅)."""
    now = to_db(services.clock())
    agreed = await _set_state(
        services, newcomer, SmsState.AGREED, "newcomer.sms.agreed", said_yes=True
    )
    assert agreed is not None  # said_yes: always recorded
    newcomer = agreed
    await notify_contact(
        services, newcomer, texts.STAFF_SMS_AGREED, key=f"sms-agreed:{newcomer.id}:{now}"
    )
    return newcomer


async def stop(services: Services, newcomer: Newcomer) -> Newcomer:
    """STOP by SMS: no more SMS (the gateway itself now refuses them too)."""
    stopped = await _set_state(services, newcomer, SmsState.STOPPED, "newcomer.sms.stop")
    if stopped is None:  # stopped already: nothing to tell again
        return newcomer
    newcomer = stopped
    key = f"sms-stopped:{newcomer.id}:{to_db(services.clock())}"
    await notify_contact(services, newcomer, texts.STAFF_SMS_STOPPED, key=key)
    return newcomer


async def start(services: Services, newcomer: Newcomer) -> Newcomer:
    """START by SMS after STOP: SMS again; only a newcomer who said JA before is agreed."""
    agreed = newcomer.consent and newcomer.sms_state == SmsState.STOPPED
    state = SmsState.AGREED if agreed else SmsState.ASKED
    started = await _set_state(services, newcomer, state, "newcomer.sms.start")
    if started is None:  # nothing changed: nothing to tell
        return newcomer
    newcomer = started
    key = f"sms-started:{newcomer.id}:{to_db(services.clock())}"
    await notify_contact(services, newcomer, texts.STAFF_SMS_STARTED, key=key)
    return newcomer


def asks_to_keep(newcomer: Newcomer) -> bool:
    """A newcomer with a number who now joins on Telegram is asked whether SMS stays as the
    fallback (when Telegram does not reach them); the number stays only if they want it."""
    return newcomer.sms_number is not None and newcomer.sms_state in (
        SmsState.ASKED,
        SmsState.AGREED,
    )


async def keep_as_fallback(services: Services, newcomer: Newcomer) -> Newcomer:
    """Their own yes on Telegram: the number stays for when Telegram does not reach them.
    A newcomer who had not answered the opt-in SMS has now agreed to SMS."""
    async with services.store.transaction() as db:
        await db.execute(
            "UPDATE newcomers SET sms_state = 'agreed',"
            " sms_agreed_at = coalesce(sms_agreed_at, ?) WHERE id = ? AND sms_number IS NOT NULL",
            (to_db(services.clock()), newcomer.id),
        )
        await audit.record(db, services.clock, f"newcomer:{newcomer.reference}",
                           "newcomer.sms.fallback", f"newcomer:{newcomer.reference}")  # fmt: skip
    return await reload(services.store, newcomer)


async def erase_number(services: Services, newcomer: Newcomer, *, actor: str) -> Newcomer:
    """The number is erased (they want no SMS): nothing more goes by SMS, what still waits
    is skipped with the reason."""
    async with services.store.transaction() as db:
        await db.execute(
            "UPDATE newcomers SET sms_number = NULL, sms_state = NULL, sms_agreed_at = NULL"
            " WHERE id = ?",
            (newcomer.id,),
        )
        await outbox.withdraw(
            db, to_db(services.clock()), "SMS number erased",
            "newcomer_id = ? AND channel = 'sms'", (newcomer.id,),
        )  # fmt: skip
        await audit.record(db, services.clock, actor, "newcomer.sms.erase",
                           f"newcomer:{newcomer.reference}")  # fmt: skip
    return await reload(services.store, newcomer)


async def report_unreachable(services: Services, newcomer_id: int, reason: str) -> None:
    """The gateway cannot reach this number by SMS: marked, the contact person told once."""
    row = await services.store.fetch_one("SELECT * FROM newcomers WHERE id = ?", (newcomer_id,))
    if row is None:
        return
    newcomer = Newcomer.from_row(row)
    if newcomer.sms_state is None:
        return
    marked = await _set_state(services, newcomer, SmsState.UNREACHABLE, "newcomer.sms.unreachable")
    if marked is None:  # another report marked it first
        return
    newcomer = marked
    logger.warning("newcomer %s unreachable by SMS: %s", newcomer.reference, reason)
    key = f"sms-unreachable:{newcomer.id}:{to_db(services.clock())}"
    await notify_contact(services, newcomer, texts.STAFF_SMS_UNREACHABLE, key=key, now=False)


async def report_opted_out(services: Services, newcomer_id: int) -> None:
    """The gateway says its owner sent STOP (the gateway answered STOP itself)."""
    row = await services.store.fetch_one("SELECT * FROM newcomers WHERE id = ?", (newcomer_id,))
    if row is not None and row["sms_state"] != SmsState.STOPPED:
        await stop(services, Newcomer.from_row(row))


async def tell_coordinators_budget_spent(services: Services, segments: int) -> None:
    """The month's SMS budget is used: every active coordinator is told (once a month,
    bot/sending/sms_limits.first_time_over)."""
    rows = await services.store.fetch_all(
        "SELECT telegram_user_id, language FROM staff WHERE role = 'coordinator' AND active = 1"
    )
    month = services.clock().strftime("%Y-%m")
    await services.send(
        *(
            Outgoing(
                chat_id=row["telegram_user_id"],
                text=render(row["language"], texts.COORDINATOR_SMS_BUDGET, segments=str(segments)),
                purpose="notice",
                idempotency_key=f"sms-budget:{month}:{row['telegram_user_id']}",
            )
            for row in rows
        ),
        now=False,
    )
