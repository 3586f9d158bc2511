"""Time: stored in UTC as fixed-width text, injectable for tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def to_db(moment: dt.datetime) -> str:
    """UTC text whose string order is time order (the outbox index relies on it)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: Schakel only stores aware times")
    # isoformat is C and twice as fast as strftime (a burst stores thousands); it gives
    # the same text: 2026-12-03T06:42:46.200449+00:00, the offset replaced by "Z".
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def from_db(text: str) -> dt.datetime:
    # fromisoformat is a hundred times faster than strptime (a batch of due reminders
    # reads a thousand times); only the stored form takes that way, anything else goes
    # through strptime, which refuses it.
    if len(text) == 27 and text[10] == "T" and text[-1] == "Z":
        return dt.datetime.fromisoformat(text)
    return dt.datetime.strptime(text, _FORMAT).replace(tzinfo=dt.UTC)
