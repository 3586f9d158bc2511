"""The announcements' alarm: release what is due, keep the progress messages current,
send the report when all is settled, and remind those who said they come.

One named JobQueue job (bot/alarm.py), set to the next moment something is due: every
few seconds while an announcement is on its way (the progress message is edited), else
the next send time or day-before reminder. All state is in the database, so a restart
only sets the alarm again.
"""

from __future__ import annotations

import datetime as dt
import logging

from bot.announcements import records as broadcasts
from bot.announcements import words as broadcast_texts
from bot.announcements.records import Broadcast, BroadcastStatus
from bot.appointments.reminder_plan import plan_reminders
from bot.appointments.reminders import quiet_hours
from bot.sending.services import Services

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5.0  # seconds between edits of the progress message
DAY_BEFORE = dt.timedelta(days=1)


async def run_due(services: Services) -> None:
    async with services.broadcast_lock:
        tzinfo = services.config.locale.tzinfo
        released = await broadcasts.release_due(
            services, broadcast_texts.compose(tzinfo), broadcast_texts.start_message
        )
        if released:
            logger.info("announcements: %d messages to newcomers queued", released)
        sending = await broadcasts.in_status(services.store, BroadcastStatus.SENDING)
        for broadcast in sending:
            await _follow(services, broadcast)
        await _remind(services)
        services.dispatcher.wake()
        await _set_alarm(services, busy=bool(sending))


async def _follow(services: Services, broadcast: Broadcast) -> None:
    """Edit the progress message; once every row is settled, the report."""
    progress = await broadcasts.progress(services.store, broadcast.id)
    text = broadcast_texts.progress_text(broadcast, progress, services.clock())
    edit = broadcast_texts.progress_edit(broadcast, text)
    if progress.waiting:
        await broadcasts.show_progress(services, broadcast, text, edit)
        return
    counts = await broadcasts.rsvp_counts(services.store, broadcast.id)
    report = broadcast_texts.report(broadcast, progress, counts)
    await broadcasts.finish(services, broadcast, edit(broadcast.progress_edits + 1), report)


def reminder_due(services: Services, broadcast: Broadcast) -> dt.datetime | None:
    """The day before at the same clock time, out of quiet hours; None when that moment
    had passed when the announcement went (a session announced for tomorrow)."""
    assert broadcast.starts_at is not None
    made = broadcast.released_at or broadcast.send_at
    [planned] = plan_reminders(
        broadcast.starts_at,
        made,
        services.config.locale.tzinfo,
        quiet_hours(services.config),
        (DAY_BEFORE,),
    )
    return planned.due_at


async def _remind(services: Services) -> None:
    now = services.clock()
    tzinfo = services.config.locale.tzinfo
    for broadcast in await broadcasts.awaiting_reminder(services.store, services.clock()):
        due = reminder_due(services, broadcast)
        if due is not None and due <= now:  # the session is still ahead (the query says so)
            await broadcasts.remind_coming(
                services, broadcast, broadcast_texts.reminder(broadcast, tzinfo)
            )


async def _set_alarm(services: Services, *, busy: bool) -> None:
    if busy:
        services.broadcast_alarm.set(PROGRESS_EVERY)
        return
    moments = [await broadcasts.next_send_at(services.store)]
    moments += [
        reminder_due(services, b)
        for b in await broadcasts.awaiting_reminder(services.store, services.clock())
    ]
    upcoming = [moment for moment in moments if moment is not None]
    if upcoming:
        delay = (min(upcoming) - services.clock()).total_seconds()
        services.broadcast_alarm.set(max(0.0, delay))
