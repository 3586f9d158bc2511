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

from bot.announcements import records as announcements
from bot.announcements import words as announcement_texts
from bot.announcements.model import Announcement, AnnouncementStatus
from bot.appointments.reminder_plan import plan_reminders
from bot.appointments.reminders import quiet_hours
from bot.sending.services import Services

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5.0  # seconds between edits of the progress message
DAY_BEFORE = dt.timedelta(days=1)


async def run_due(services: Services) -> None:
    async with services.announcement_lock:
        released = await announcements.release_due(services)
        if released:
            logger.info("announcements: %d messages to newcomers queued", released)
        sending = await announcements.in_status(services.store, AnnouncementStatus.SENDING)
        for announcement in sending:
            await _follow(services, announcement)
        await _remind(services)
        services.dispatcher.wake()
        await _set_alarm(services, busy=bool(sending))


async def _follow(services: Services, announcement: Announcement) -> None:
    """Edit the progress message; once every row is settled, the report."""
    progress = await announcements.progress(services.store, announcement.id)
    text = announcement_texts.progress_text(announcement, progress, services.clock())
    if progress.waiting or announcement.releasing:  # no report before every row is written
        await announcements.show_progress(services, announcement, text)
        return
    counts = await announcements.rsvp_counts(services.store, announcement.id)
    report = announcement_texts.report(announcement, progress, counts)
    edit = announcement_texts.progress_edit(announcement, text)
    await announcements.finish(
        services, announcement, edit(announcement.progress_edits + 1), report
    )


def reminder_due(services: Services, announcement: Announcement) -> dt.datetime | None:
    """The day before at the same clock time, out of quiet hours; None when that moment
    had passed when the announcement went (a session announced for tomorrow)."""
    assert announcement.starts_at is not None
    made = announcement.released_at or announcement.send_at
    [planned] = plan_reminders(
        announcement.starts_at,
        made,
        services.config.locale.tzinfo,
        quiet_hours(services.config),
        (DAY_BEFORE,),
    )
    return planned.due_at


async def _remind(services: Services) -> None:
    now = services.clock()
    for announcement in await announcements.awaiting_reminder(services.store, services.clock()):
        due = reminder_due(services, announcement)
        if due is not None and due <= now:  # the session is still ahead (the query says so)
            await announcements.remind_coming(services, announcement)


async def _set_alarm(services: Services, *, busy: bool) -> None:
    if busy:
        services.announcement_alarm.set(PROGRESS_EVERY)
        return
    moments = [await announcements.next_send_at(services.store)]
    moments += [
        reminder_due(services, b)
        for b in await announcements.awaiting_reminder(services.store, services.clock())
    ]
    upcoming = [moment for moment in moments if moment is not None]
    if upcoming:
        delay = (min(upcoming) - services.clock()).total_seconds()
        services.announcement_alarm.set(max(0.0, delay))
