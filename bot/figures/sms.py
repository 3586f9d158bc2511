"""SMS in the figures (issue 21): sent, delivered, failed and segments per kind of message.

An SMS counts in the period it was queued in (its outbox row's `created_at`; a reminder
is queued at its moment). "Sent": the gateway took it; "delivered": the phone network
said it arrived; "failed": the gateway refused it, or the network could not deliver it
(so one SMS can be sent and failed). Segments are what the gateway said each cost.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.appointments import sms_inbox
from bot.appointments.words import Event
from bot.figures.scope import Scope
from bot.people import by_sms
from bot.storage.database import Store


class SmsKind(enum.StrEnum):
    """What an SMS was about, as the partners tell them apart (a row's purpose, grouped)."""

    APPOINTMENT = "appointment"  # new, changed or cancelled
    REMINDER = "reminder"
    ANNOUNCEMENT = "announcement"  # and its reminder the day before
    OPT_IN = "opt_in"  # "Antwoord JA / STOP"
    REPLY = "reply"  # why not, thanks, the contact person's number
    OTHER = "other"


KIND_OF_PURPOSE: dict[str, SmsKind] = {
    Event.NEW.value: SmsKind.APPOINTMENT,
    Event.CHANGED.value: SmsKind.APPOINTMENT,
    Event.CANCELLED.value: SmsKind.APPOINTMENT,
    Event.REMINDER.value: SmsKind.REMINDER,
    "announcement": SmsKind.ANNOUNCEMENT,
    "announcement-reminder": SmsKind.ANNOUNCEMENT,
    by_sms.OPT_IN: SmsKind.OPT_IN,
    sms_inbox.WHY_NOT: SmsKind.REPLY,
    sms_inbox.REPLY: SmsKind.REPLY,
}


def kind_of(purpose: str) -> SmsKind:
    return KIND_OF_PURPOSE.get(purpose, SmsKind.OTHER)


@dataclass(frozen=True)
class SmsCount:
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    segments: int = 0

    def plus(self, other: SmsCount) -> SmsCount:
        return SmsCount(
            self.sent + other.sent,
            self.delivered + other.delivered,
            self.failed + other.failed,
            self.segments + other.segments,
        )


def total(counts: dict[SmsKind, SmsCount]) -> SmsCount:
    result = SmsCount()
    for count in counts.values():
        result = result.plus(count)
    return result


# The SMS rows of a period through outbox_sms_by_time (migration 0018): a few thousand
# among a city's millions of reminders.
_SMS = (
    "SELECT x.purpose, total(x.status = 'sent') AS sent,"
    " total(x.sms_status = 'delivered') AS delivered,"
    " total(x.status = 'failed' OR x.sms_status IN ('undelivered', 'failed')) AS failed,"
    " total(coalesce(x.sms_segments, 0)) AS segments"
    " FROM outbox x WHERE x.channel = 'sms' AND x.created_at >= ? AND x.created_at < ?"
)


async def sms_counts(store: Store, start: str, end: str, scope: Scope) -> dict[SmsKind, SmsCount]:
    """Per kind, in the order of SmsKind; kinds without an SMS left out."""
    theirs, parameters = scope.newcomer_in("x.newcomer_id")
    rows = await store.fetch_all(f"{_SMS}{theirs} GROUP BY x.purpose", (start, end, *parameters))
    counts: dict[SmsKind, SmsCount] = {}
    for row in rows:
        kind = kind_of(row["purpose"])
        counts[kind] = counts.get(kind, SmsCount()).plus(
            SmsCount(int(row["sent"]), int(row["delivered"]), int(row["failed"]),
                     int(row["segments"]))
        )  # fmt: skip
    return {kind: counts[kind] for kind in SmsKind if kind in counts}
