"""What a newcomer's SMS does (the gateway's inbound webhook, bot/app/sms_routes.py).

An answer is read against the newest SMS Schakel sent them (the outbox: its purpose and
the appointment it was about): after the opt-in "JA"; after an appointment "1" (coming)
or "2" (cannot come, then the question why: 1 ziek, 2 werk, 3 les, 4 iets anders); after
a handover note's consent question "JA" or "NEE";
STOP and START at any time. Anything else, and an answer about an appointment that is
over or gone, is passed on to the contact person with the newcomer's code, so no
message is lost. Each answer reaches the contact person as the same tap in Telegram does.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.appointments import answers
from bot.appointments import records as appointments
from bot.appointments.records import Appointment, Reason, Status
from bot.appointments.words import Event, who_to_call
from bot.core.phones import display_phone
from bot.core.redaction import keep
from bot.core.sms_answers import Answer as Said
from bot.core.sms_answers import Asked, read_answer
from bot.people import by_sms
from bot.people.by_sms import OPT_IN, SmsState
from bot.people.newcomers import Newcomer, notify_contact
from bot.sending.services import Services
from messages import SOURCE_LANGUAGE, render, texts

logger = logging.getLogger(__name__)

WHY_NOT = "sms_why_not"  # the purpose of the question why they cannot come
REPLY = "sms_reply"  # a thank-you and other replies to the newcomer's own SMS
REASONS = {1: Reason.ILL, 2: Reason.WORK, 3: Reason.DUTCH_CLASS, 4: Reason.OTHER}
_ABOUT_APPOINTMENTS = {Event.REMINDER.value, Event.NEW.value, Event.CHANGED.value}
_ABOUT_ANNOUNCEMENTS = {"announcement", "announcement-reminder"}
# An answer about an announcement (a feature above this one, bot/announcements/, given
# by bot/app/sms_routes.py): services, newcomer id, announcement id, coming; False when it
# cannot be recorded (not sent to them, or over).
AnnouncementAnswer = Callable[[Services, int, int, bool], Awaitable[bool]]
# JA or NEE to a handover note's consent question (bot/handovers/consent.py, above this
# feature, given the same way): services, newcomer, question id, agreed; False when it
# cannot count (not theirs, answered already, expired).
ConsentAnswer = Callable[[Services, Newcomer, int, bool], Awaitable[bool]]
CONSENT_PURPOSE = "handover_consent"  # the purpose of the SMS that asks (bot/handovers)


async def _last_question(
    services: Services, newcomer: Newcomer
) -> tuple[Asked, int | None, int | None]:
    """What the newest SMS to this newcomer asked, and which appointment or announcement
    it was about."""
    row = await services.store.fetch_one(
        "SELECT purpose, ref FROM outbox WHERE newcomer_id = ? AND channel = 'sms'"
        " AND status = 'sent' AND purpose != ? ORDER BY sent_at DESC, id DESC LIMIT 1",
        (newcomer.id, REPLY),
    )
    if row is None:
        return Asked.NOTHING, None, None
    kind, _, number = str(row["ref"] or "").partition(":")
    about = int(number) if number.isdigit() else None
    if row["purpose"] == OPT_IN:
        return Asked.OPT_IN, None, None
    if row["purpose"] in _ABOUT_APPOINTMENTS and kind == "appointment" and about:
        return Asked.APPOINTMENT, about, None
    if row["purpose"] == WHY_NOT and kind == "appointment" and about:
        return Asked.REASON, about, None
    if row["purpose"] in _ABOUT_ANNOUNCEMENTS and kind == "announcement" and about:
        return Asked.APPOINTMENT, None, about  # the same keywords: 1 coming, 2 not
    if row["purpose"] == CONSENT_PURPOSE and kind == "consent" and about:
        return Asked.CONSENT, about, None  # `about` is the consent question
    return Asked.NOTHING, None, None


async def receive(
    services: Services,
    from_number: str,
    body: str,
    sid: str,
    announcement_answer: AnnouncementAnswer,
    consent_answer: ConsentAnswer,
) -> None:
    newcomer = await by_sms.find_by_number(services.store, from_number)
    if newcomer is None:
        logger.warning("an SMS from a number no newcomer has (%s): not read", sid)
        return
    asked, about, announcement = await _last_question(services, newcomer)
    said = read_answer(body, asked)
    if said.answer is Said.STOP:
        if newcomer.sms_state != SmsState.STOPPED:
            await by_sms.stop(services, newcomer)
        return  # the gateway itself confirms a STOP; an SMS from us would be refused
    if said.answer is Said.START:
        if newcomer.sms_state == SmsState.STOPPED:
            newcomer = await by_sms.start(services, newcomer)
            await _reply(services, newcomer, texts.SMS_STARTED, sid)
        return
    if newcomer.sms_state in (SmsState.STOPPED, SmsState.UNREACHABLE):
        # No SMS of ours reaches them now (they said STOP, or the gateway cannot deliver
        # to the number): what they wrote goes to their contact person, nothing changes.
        await _pass_on(services, newcomer, body, sid)
        return
    if asked is Asked.CONSENT and said.answer in (Said.YES, Said.NO):
        assert about is not None
        if await consent_answer(services, newcomer, about, said.answer is Said.YES):
            await _reply(services, newcomer, texts.SMS_CONSENT_THANKS, sid)
        else:  # answered already or too late: their contact person reads it
            await _pass_on(services, newcomer, body, sid)
        return
    if said.answer is Said.YES:
        if newcomer.sms_state != SmsState.AGREED:  # a second JA changes nothing
            newcomer = await by_sms.agree(services, newcomer)
            await _reply(services, newcomer, texts.SMS_AGREED, sid)
            call = await who_to_call(services.store, newcomer.id)
            if call.phone:  # reminders leave out the number when it does not fit
                contact = render(
                    SOURCE_LANGUAGE, texts.SMS_CONTACT, contact=call.name,
                    number=display_phone(call.phone),
                )  # fmt: skip
                await services.send(
                    by_sms.sms_to(newcomer, contact, purpose=REPLY, key=f"sms-contact:{sid}")
                )
        return
    if announcement is not None and said.answer in (Said.COMING, Said.NOT_COMING):
        coming = said.answer is Said.COMING
        if await announcement_answer(services, newcomer.id, announcement, coming):
            await _reply(
                services, newcomer, texts.SMS_COMING_THANKS if coming else texts.SMS_NOTED, sid
            )
        else:
            await _pass_on(services, newcomer, body, sid)
        return
    appointment = await appointments.get(services.store, about) if about else None
    open_one = (
        appointment is not None
        and appointment.newcomer_id == newcomer.id
        and appointment.status is Status.PLANNED
        and appointment.starts_at > services.clock()
    )
    if appointment is None or not open_one or said.answer is Said.OTHER:
        await _pass_on(services, newcomer, body, sid)
    elif said.answer is Said.COMING:
        await _coming(services, newcomer, appointment, sid)
    elif said.answer is Said.NOT_COMING:
        await _not_coming(services, newcomer, appointment, sid)
    elif said.reason is not None:
        await _reason(services, newcomer, appointment, REASONS[said.reason], sid)


async def _reply(
    services: Services, newcomer: Newcomer, text: str, sid: str, **values: object
) -> None:
    body = render(SOURCE_LANGUAGE, text, **values)
    await services.send(by_sms.sms_to(newcomer, body, purpose=REPLY, key=f"sms-reply:{sid}"))


async def _pass_on(services: Services, newcomer: Newcomer, body: str, sid: str) -> None:
    # As Schakel may keep it: a national register number (or phone, IBAN, e-mail) is
    # never stored or passed on (bot/core/redaction.py).
    told = await notify_contact(
        services, newcomer, texts.STAFF_SMS_FORWARDED, key=f"sms-in:{sid}", text=keep(body.strip())
    )
    if not told:
        logger.warning("an SMS of newcomer %s has nobody to go to", newcomer.reference)


async def _coming(
    services: Services, newcomer: Newcomer, appointment: Appointment, sid: str
) -> None:
    await answers.coming(services, newcomer, appointment)
    await _reply(services, newcomer, texts.SMS_COMING_THANKS, sid)


async def _not_coming(
    services: Services, newcomer: Newcomer, appointment: Appointment, sid: str
) -> None:
    await answers.not_coming(services, newcomer, appointment)
    question = render(SOURCE_LANGUAGE, texts.SMS_WHY_NOT)
    ref = f"appointment:{appointment.id}"  # the reason that follows is about it
    await services.send(
        by_sms.sms_to(newcomer, question, purpose=WHY_NOT, key=f"sms-why:{sid}", ref=ref)
    )


async def _reason(
    services: Services, newcomer: Newcomer, appointment: Appointment, reason: Reason, sid: str
) -> None:
    await answers.give_reason(services, newcomer, appointment, reason)
    await _reply(services, newcomer, texts.SMS_REASON_THANKS, sid)
