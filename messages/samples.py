"""Realistic values for every placeholder, for `schakel check-messages`.

The first value of each placeholder is the longest one we expect in real use, so the
SMS length is measured at its worst; the others show every kind that matters (every
appointment kind, a two-part surname, a long street name). A new placeholder needs a
sample here, or the check fails and says so.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from messages import format_when

_BRUSSELS = ZoneInfo("Europe/Brussels")
# A Thursday in September: the longest weekday and month names in Dutch.
_LONGEST_DATE = dt.datetime(2027, 9, 30, 10, 30, tzinfo=_BRUSSELS)

SAMPLE_VALUES: dict[str, tuple[str, ...]] = {
    "name": ("Abdulrahman", "Amal", "Mohammed-Amin"),
    "contact": ("Anneleen Van den Broeck", "Youssef El Amrani", "Els"),
    "organisation": ("In-Gent", "VDAB", "OCMW"),
    "organisations": ("VDAB, OCMW, In-Gent",),
    "reference": ("K-7F3Q",),
    "role": ("coördinator", "begeleider", "beheerder"),
    "roles": ("begeleider, coördinator, beheerder",),
    "expires": (format_when(_LONGEST_DATE, "nl", _BRUSSELS),),
    "link": ("https://t.me/SchakelBot?start=c_0Z8YbqQ3V4pT2mXk9nLr1w",),
    "language": ("klingon",),
    "languages": ("nl, en, fr, ar, fa, fa_AF, ps, ti, so, tr, ru, uk",),
    "max": ("40",),
    "clients": ("1250",),
    "linked": ("1180",),
    "staff": ("64",),
}
