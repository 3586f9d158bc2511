"""Every kind of button data Schakel writes, in one registry: its prefix (with a version),
its fields, and how it is read back. The buttons' makers, the handlers and the list of who
may do what (handlers/core/permissions.py) all take the prefix from here.

Button data comes back from the phone and can be made up (Telegram only limits it to 64
bytes), so it is read strictly: exactly the declared fields, ids as ASCII digits within
SQLite's range, and anything else is None, which a handler answers with "this button is
not for you" or "this button no longer works". Data already in chats must keep working,
so a change of fields gets a new version (`v2:...`) beside the old one; only when the old
data is itself the hole is the old version retired (RETIRED, below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SQLITE_INTEGER_MAX = 2**63 - 1
NO_ROW = 0  # SQLite gives rows ids from 1: this one finds nothing
MAX_BYTES = 64  # Telegram refuses longer callback_data
SEPARATOR = ":"


def row_id(text: str) -> int:
    """The id a button of Schakel wrote: ASCII digits, no larger than SQLite's integers;
    NO_ROW for anything else. (`int()` would also take "٣" or " 3", or raise for "²",
    and a number past SQLite's range makes the query itself fail.)"""
    if not (text.isascii() and text.isdigit()):
        return NO_ROW
    value = int(text)
    return value if value <= SQLITE_INTEGER_MAX else NO_ROW


@dataclass(frozen=True)
class Pressed:
    """The fields of one button's data, by name, as strings; `row` reads an id strictly."""

    values: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def row(self, name: str) -> int:
        return row_id(self.values[name])


@dataclass(frozen=True)
class Callback:
    """One kind of button: `v<version>:<code>:<field>:<field>...`."""

    code: str
    fields: tuple[str, ...]
    what: str  # for the list of who may do what
    optional: int = 0  # how many of the last fields may be left out
    version: int = 1

    @property
    def prefix(self) -> str:
        return f"v{self.version}{SEPARATOR}{self.code}{SEPARATOR}"

    @property
    def pattern(self) -> str:
        """For CallbackQueryHandler: every data of this kind, and nothing else."""
        return f"^{re.escape(self.prefix)}"

    def data(self, *values: object) -> str:
        """The button data for these field values (the optional last ones may be left out)."""
        texts = [str(value) for value in values]
        if not len(self.fields) - self.optional <= len(texts) <= len(self.fields):
            raise ValueError(f"{self.code}: {len(texts)} values for fields {self.fields}")
        if any(SEPARATOR in text for text in texts[:-1]):
            raise ValueError(f"{self.code}: a value holds '{SEPARATOR}': {texts}")
        data = self.prefix + SEPARATOR.join(texts)
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"{self.code}: button data over {MAX_BYTES} bytes: {data!r}")
        return data

    def parse(self, data: str | None) -> Pressed | None:
        """The fields of data this kind wrote; None for another kind or a wrong shape. The
        last field keeps any separators in it (a form's typed-in value may hold one)."""
        if data is None or not data.startswith(self.prefix):
            return None
        parts = data.removeprefix(self.prefix).split(SEPARATOR, len(self.fields) - 1)
        if not len(self.fields) - self.optional <= len(parts) <= len(self.fields):
            return None
        parts += [""] * (len(self.fields) - len(parts))
        return Pressed(dict(zip(self.fields, parts, strict=True)))


# --- the registry: every button Schakel makes ----------------------------------------------
# Newcomers
CONSENT = Callback("consent", ("answer", "reference"), "agree or not to get messages")
LANGUAGE = Callback("lang", ("code",), "a language from the picker")
FORGET = Callback("forget", ("answer", "reference"), "confirm or cancel erasing")
APPOINTMENT_ANSWER = Callback(
    "ap",
    ("action", "appointment", "reason"),
    "I'll come / I can't come / why / calendar",
    optional=1,
)
# After "I can't come" or a missed appointment: new appointment please, a weekday, morning
# or afternoon, or "I'll type it" (value: the weekday 0-4 or the part of the day).
APPOINTMENT_WISH = Callback(
    "nw", ("step", "appointment", "value"), "when I could come instead", optional=1
)
RSVP = Callback("rsvp", ("announcement", "answer"), "answer to an announcement")
# A newcomer who joined by SMS and now opens their link: keep SMS as the fallback, or not.
SMS_FALLBACK = Callback("smsfb", ("answer", "reference"), "keep SMS when Telegram fails")
HANDOVER_CONSENT = Callback(
    "hc", ("answer", "request"), "may a handover note go to that organisation"
)
# Staff
NEWCOMER_SHEET = Callback(
    "cl", ("action", "reference", "argument"), "a newcomer's sheet", optional=1
)
STAFF_ACCESS = Callback(
    "st",
    ("action", "staff", "colleague"),
    "end or give back a staff member's access",
    optional=2,
)
APPOINTMENT_ACTION = Callback("sa", ("action", "appointment"), "change or cancel an appointment")
WHO_CAME = Callback("at", ("outcome", "appointment"), "who came")
PLANNING_STEP = Callback("pl", ("step", "value"), "a step of the appointment form")
HANDOVER_STEP = Callback("hf", ("step", "value"), "a step of the handover note form")
SMS_NUMBER_STEP = Callback("sn", ("step", "value"), "the mobile number form (its ✖)")
HANDOVER_RESUME = Callback("hr", ("request",), "back to a handover note after the newcomer's yes")
# Version 2 names the note by its random reference (H-XXXX), not its database id: ids
# count up, so anyone could forge the data for the neighbouring notes. Version 1 data
# (`v1:ho:<action>:<id>`) is no longer taken: see RETIRED.
HANDOVER_NOTE = Callback(
    "ho", ("action", "note", "reason"), "a handover note's card", optional=1, version=2
)
ANNOUNCEMENT_STEP = Callback("af", ("step", "value"), "a step of the announcement form")
ANNOUNCEMENT_ACTION = Callback("bc", ("action", "announcement"), "an announcement's buttons")
# The organisation (its id) is left out for the whole partnership's figures, as in the
# buttons already in chats.
PERIOD_AND_ORGANISATION = ("first", "last", "organisation")
FIGURES = Callback("fig", PERIOD_AND_ORGANISATION, "the figures of a period", optional=2)
# Under FIGURES' prefix (one handler takes all three), as the buttons in chats already are.
FIGURES_EXCEL = Callback("fig:x", PERIOD_AND_ORGANISATION, "a spreadsheet of them", optional=1)
FIGURES_PICK = Callback("fig:o", ("first", "last"), "choose one organisation's figures")

REGISTRY: tuple[Callback, ...] = (
    CONSENT, LANGUAGE, FORGET, APPOINTMENT_ANSWER, APPOINTMENT_WISH, RSVP, HANDOVER_CONSENT,
    NEWCOMER_SHEET, APPOINTMENT_ACTION, WHO_CAME, PLANNING_STEP, HANDOVER_STEP, HANDOVER_RESUME,
    HANDOVER_NOTE, ANNOUNCEMENT_STEP, ANNOUNCEMENT_ACTION, FIGURES, FIGURES_EXCEL, FIGURES_PICK,
    STAFF_ACCESS, SMS_FALLBACK, SMS_NUMBER_STEP,
)  # fmt: skip

# Prefixes of button data Schakel no longer makes nor takes. A press of one, wherever it is
# (an old card in the partner group too), gets "this button no longer works"
# (handlers/help.py expired_button) and does nothing. See docs/security.md.
RETIRED: tuple[str, ...] = ("v1:ho:",)
