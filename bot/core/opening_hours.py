"""Opening hours as staff type them ('ma-do 9-12', 'ma, wo 9u-12u30 13-16', 'vr 9.30-12',
'maandag tot donderdag, 9 tot 12 uur') read as days and times, and shown in the reader's
language: an Arabic card says 'الاثنين–الخميس 9:00–12:00', not the staff member's Dutch.
`/profiel uren` takes only hours that read this way; hours kept from before, and an
organisation's hours in the configuration, are shown as typed when they do not."""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel import Locale

from messages import PerLanguage, is_right_to_left, list_separator
from messages.bidi import isolate
from messages.languages import babel_locale

# Dutch day abbreviations and names; Babel numbers the days from Monday = 0.
DAYS: dict[str, int] = {
    "ma": 0, "maandag": 0, "di": 1, "dinsdag": 1, "wo": 2, "woensdag": 2,
    "do": 3, "donderdag": 3, "vr": 4, "vrijdag": 4, "za": 5, "zaterdag": 5,
    "zo": 6, "zondag": 6,
}  # fmt: skip
_DAY = "|".join(sorted(DAYS, key=len, reverse=True))
_DAYS = re.compile(rf"^({_DAY})(?:\s*-\s*({_DAY}))?$")
_TIME = r"(\d{1,2})(?:[:.hu](\d{2}))?[uh]?"
_SPAN = re.compile(rf"^{_TIME}-{_TIME}$")
# Words around the days and times that say nothing more: 'van 9 tot 12 uur'.
_FILLERS = {"uur", "u", "h", "van", "en", "&"}


@dataclass(frozen=True)
class Span:
    days: tuple[tuple[int, int], ...]  # (first, last) day of each range; one day: twice
    times: tuple[tuple[str, str], ...]  # ('9:00', '12:00'), ...


def _clock(hour: str, minute: str | None) -> str | None:
    if int(hour) > 24 or (minute is not None and int(minute) > 59):
        return None
    if int(hour) == 24 and minute not in (None, "00"):
        return None
    return f"{int(hour)}:{minute or '00'}"


def _minutes(clock: str) -> int:
    hour, minute = clock.split(":")
    return 60 * int(hour) + int(minute)


def parse_hours(text: str) -> list[Span] | None:
    """Days and times, or None when the text is not hours in that form."""
    text = re.sub(r"(?<=[a-z])\.", "", text.strip().lower())  # 'ma.-do.' is 'ma-do'
    # 'ma - do', 'maandag tot donderdag', '9 tot 12' and '9–12' are ranges like 'ma-do'.
    text = re.sub(r"\s*(?:[-–—]|\btot\b)\s*", "-", text)
    tokens = re.split(r"\s*[,;]\s*|\s+", text)
    tokens = [token for token in tokens if token and token not in _FILLERS]
    spans: list[Span] = []
    days: list[tuple[int, int]] = []
    times: list[tuple[str, str]] = []
    for token in tokens:
        if day := _DAYS.match(token):
            if times:  # the days before have their times: a new group starts
                spans.append(Span(tuple(days), tuple(times)))
                days, times = [], []
            first = DAYS[day.group(1)]
            days.append((first, DAYS[day.group(2)] if day.group(2) else first))
            continue
        span = _SPAN.match(token)
        if span is None or not days:
            return None
        start, end = _clock(span.group(1), span.group(2)), _clock(span.group(3), span.group(4))
        if start is None or end is None or _minutes(end) <= _minutes(start):
            return None
        times.append((start, end))
    if not days or not times:
        return None
    return [*spans, Span(tuple(days), tuple(times))]


def hours_for_reader(text: str) -> PerLanguage:
    """Opening hours as a value: in the reader's language when they read as hours."""
    spans = parse_hours(text)

    def written(language: str) -> str:
        if spans is None:
            return text
        names = Locale.parse(babel_locale(language)).days["format"]["wide"]
        rtl = is_right_to_left(language)
        separator = list_separator(language)
        parts = []
        for span in spans:
            days = separator.join(
                str(names[first]) + ("" if last == first else "–" + str(names[last]))
                for first, last in span.days
            )
            # A time span keeps its order inside right-to-left text only when isolated.
            clock = [f"{start}–{end}" for start, end in span.times]
            parts.append(" ".join([days, *(isolate(c) if rtl else c for c in clock)]))
        return separator.join(parts)

    return written
