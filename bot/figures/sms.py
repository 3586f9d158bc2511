"""SMS in the figures (issue 21): sent, delivered, failed and segments per kind of message.

An SMS counts in the period it was queued in (its outbox row's `created_at`; a reminder
is queued at its moment). "Sent": the gateway took it; "delivered": the phone network
said it arrived; "failed": the gateway refused it, or the network could not deliver it
(so one SMS can be sent and failed). Segments are what the gateway said each cost. When
the purge or "forget me" removes SMS rows, what they said is kept as counts
(`keep_counts`, table sms_kept), so a period's figures stay the same.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from bot.appointments import sms_inbox
from bot.appointments.words import Event
from bot.figures.scope import Filter, Scope
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


# What an SMS row counts for: sent (the gateway took it), delivered, failed, segments.
_COUNTS = (
    "sum(x.status = 'sent') AS sent, sum(x.sms_status = 'delivered') AS delivered,"
    " sum(x.status = 'failed' OR x.sms_status IN ('undelivered', 'failed')) AS failed,"
    " sum(coalesce(x.sms_segments, 0)) AS segments"
)
# The SMS rows of a period through outbox_sms_by_time (migration 0018): a few thousand
# among a city's millions of reminders; and what the purge and "forget me" kept of the
# ones they removed (sms_kept, by the hour: a period's bounds are whole UTC hours).
_SMS = (
    "SELECT purpose, sum(sent) AS sent, sum(delivered) AS delivered, sum(failed) AS failed,"
    " sum(segments) AS segments FROM ("
    f"  SELECT x.purpose, {_COUNTS} FROM outbox x"
    "   WHERE x.channel = 'sms' AND x.created_at >= ? AND x.created_at < ?{theirs}"
    "   GROUP BY x.purpose"
    "  UNION ALL SELECT purpose, sent, delivered, failed, segments FROM sms_kept"
    "   WHERE hour >= substr(?, 1, 13) AND hour < substr(?, 1, 13){kept}"
    ") GROUP BY purpose"
)


async def sms_counts(store: Store, start: str, end: str, scope: Scope) -> dict[SmsKind, SmsCount]:
    """Per kind, in the order of SmsKind; kinds without an SMS left out."""
    theirs, parameters = scope.newcomer_in("x.newcomer_id")
    kept: Filter = ("", ())
    if scope.organisation_id is not None:
        kept = (" AND organisation_id = ?", (scope.organisation_id,))
    rows = await store.fetch_all(
        _SMS.format(theirs=theirs, kept=kept[0]),
        (start, end, *parameters, start, end, *kept[1]),
    )
    counts: dict[SmsKind, SmsCount] = {}
    for row in rows:
        kind = kind_of(row["purpose"])
        counts[kind] = counts.get(kind, SmsCount()).plus(
            SmsCount(
                int(row["sent"]), int(row["delivered"]), int(row["failed"]), int(row["segments"])
            )
        )
    return {kind: counts[kind] for kind in SmsKind if kind in counts}


async def keep_counts(
    db: aiosqlite.Connection, rows: str, parameters: Sequence[object] = ()
) -> None:
    """Before SMS rows are removed (the purge, "forget me"), inside the caller's
    transaction: add what they said to sms_kept, so a period's figures stay the same.
    `rows`: an SQL condition on outbox x naming the rows that go."""
    await db.execute(
        "INSERT INTO sms_kept (hour, purpose, organisation_id, sent, delivered, failed, segments)"
        " SELECT substr(x.created_at, 1, 13), x.purpose,"
        "  coalesce((SELECT s.organisation_id FROM newcomers n JOIN staff s ON s.id = n.created_by"
        "   WHERE n.id = x.newcomer_id), 0),"
        f" {_COUNTS} FROM outbox x WHERE x.channel = 'sms' AND ({rows}) GROUP BY 1, 2, 3"
        " ON CONFLICT (hour, purpose, organisation_id) DO UPDATE SET"
        " sent = sent + excluded.sent, delivered = delivered + excluded.delivered,"
        " failed = failed + excluded.failed, segments = segments + excluded.segments",
        tuple(parameters),
    )
