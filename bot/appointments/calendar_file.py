"""An appointment as an .ics file: the newcomer taps it and the phone adds it to their calendar."""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event

# Schakel does not know how long an appointment takes; an hour reads well in a calendar.
DEFAULT_LENGTH = dt.timedelta(hours=1)


def appointment_ics(
    *,
    uid: str,
    starts_at: dt.datetime,
    title: str,
    place: str,
    description: str,
    stamp: dt.datetime,
) -> bytes:
    """One VEVENT in UTC (every phone converts it), with an alarm an hour before."""
    calendar = Calendar()
    calendar.add("prodid", "-//Schakel//appointment reminders//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", starts_at.astimezone(dt.UTC))
    event.add("dtend", (starts_at + DEFAULT_LENGTH).astimezone(dt.UTC))
    event.add("summary", title)
    event.add("location", place)
    event.add("description", description)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", -dt.timedelta(hours=1))
    event.add_component(alarm)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
