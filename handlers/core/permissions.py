"""Who may do what: every command, menu button, typed answer and inline button Schakel
answers, against every role, and whether it works in the partner group.

The one list of it. The code uses it: handlers/access.py refuses in a group whatever is
not marked for groups, and the newcomer sheet shows and accepts only the actions the
viewer's role may use. docs/security.md's table is written from it
(`python -m handlers.core.permissions_table`). Tests hold it to the real Application:
tests/test_permissions.py routes every entry's example through the registered handlers
(each role gate must let in exactly the roles listed here, allowed or refused inside, and
every handler must be reached), and tests/e2e/test_who_may_do_what.py plays every
(entry, role) through the stand-in.

`allowed`: the roles that get the real answer, with the limit that applies to them.
`refused_inside`: roles the role gate lets through but whose request the rule refuses
(a newcomer opening someone's invite link, a coordinator taking over a handover).
Everyone else is stopped at the door (handlers/access.py): a stranger gets "I do not know
you", a newcomer "not understood" for staff commands, staff "only for <role>", and former
staff (whose access an admin ended) "your access ended", whatever they send.

Button prefixes come from the one registry of button data (bot/core/callbacks.py), which
the buttons' makers and the handlers use too; the routing test proves each reaches its
handler.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from telegram import Update

from bot.core import callbacks
from bot.people.identity import Identity
from bot.people.invites import NEWCOMER_PREFIX, STAFF_PREFIX


class Who(enum.Enum):
    STRANGER = "stranger"
    NEWCOMER = "newcomer"
    CASEWORKER = "caseworker"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    # Staff whose access an admin ended (/medewerkers): allowed nothing, told so at the door.
    FORMER_STAFF = "former staff"

    @classmethod
    def of(cls, identity: Identity) -> Who:
        if identity.staff is not None:
            return cls(identity.staff.role.value)
        if identity.newcomer is not None:
            return cls.NEWCOMER
        return cls.FORMER_STAFF if identity.former_staff is not None else cls.STRANGER


class Kind(enum.Enum):
    COMMAND = "command"
    INVITE = "invite link"
    MENU = "menu button"
    TEXT = "typed text"
    BUTTON = "button"


@dataclass(frozen=True)
class Entry:
    key: str  # "/clienten", "/start c_", "📅", "text", "v1:cl:export:"
    kind: Kind
    what: str
    allowed: Mapping[Who, str]
    refused_inside: Mapping[Who, str] = field(default_factory=dict)
    in_groups: bool = False
    example: str = ""  # what a person sends, or a button's data; the key when empty

    @property
    def sent(self) -> str:
        return self.example or self.key

    @property
    def door(self) -> frozenset[Who]:
        """Who the role gate lets through (then the rule decides)."""
        return frozenset(self.allowed) | frozenset(self.refused_inside)

    def allows(self, who: Who) -> bool:
        return who in self.allowed


NEWCOMER, STRANGER = Who.NEWCOMER, Who.STRANGER
CASEWORKER, COORDINATOR, ADMIN = Who.CASEWORKER, Who.COORDINATOR, Who.ADMIN
THEIR_NEWCOMERS = "only newcomers they help"
EVERY_NEWCOMER = "every newcomer"
OWN = "only their own"
AGREED = "once they agreed to messages"
OWN_AGREED = f"{OWN}, {AGREED}"


def _staff(caseworker: str = THEIR_NEWCOMERS, others: str = EVERY_NEWCOMER) -> dict[Who, str]:
    return {CASEWORKER: caseworker, COORDINATOR: others, ADMIN: others}


def _planners(caseworker: str = THEIR_NEWCOMERS, others: str = EVERY_NEWCOMER) -> dict[Who, str]:
    return {CASEWORKER: caseworker, COORDINATOR: others}


def _newcomer(note: str = "") -> dict[Who, str]:
    return {NEWCOMER: note}


def _command(
    name: str, what: str, allowed: Mapping[Who, str], *, in_groups: bool = False, example: str = ""
) -> Entry:
    return Entry(f"/{name}", Kind.COMMAND, what, allowed, {}, in_groups, example)


def _button(
    prefix: str,
    what: str,
    allowed: Mapping[Who, str],
    *,
    refused_inside: Mapping[Who, str] | None = None,
    in_groups: bool = False,
    example: str = "",
) -> Entry:
    return Entry(prefix, Kind.BUTTON, what, allowed, refused_inside or {}, in_groups, example)


SHEET = callbacks.NEWCOMER_SHEET.prefix  # the buttons under /client CODE
NOTE = callbacks.HANDOVER_NOTE.prefix  # the buttons on a handover card
NOTE_EXAMPLE = "H-7F3Q"  # the buttons name a note by its reference (none has this one)
NOT_A_PLANNER = "admins do not plan appointments"
EITHER_ORGANISATION = "staff of the sending or receiving organisation"
RECEIVING_ORGANISATION = "staff of the receiving organisation"
# Coordinators are the partnership's, not one partner's: any organisation's figures too.
WHOLE_OR_ONE = "the whole partnership, or any one organisation"

# action, what it does, allowed, refused inside
_SHEET_ACTIONS: tuple[tuple[str, str, Mapping[Who, str], Mapping[Who, str]], ...] = (
    ("lang", "choose the newcomer's language", _staff(), {}),
    ("setlang", "set that language", _staff(), {}),
    ("contact", "choose another contact person", _staff(), {}),
    (
        "setcontact",
        "set that contact person (a caseworker who helps, or of their own organisation)",
        _staff(),
        {},
    ),
    ("link", "a new invite link (older links stop)", _staff(), {}),
    ("revoke", "stop the open invite link", _staff(), {}),
    ("appts", "the newcomer's appointments", _planners(), {ADMIN: NOT_A_PLANNER}),
    ("plan", "plan an appointment", _planners(), {ADMIN: NOT_A_PLANNER}),
    (
        "handover",
        "write a handover note",
        {CASEWORKER: THEIR_NEWCOMERS},
        {COORDINATOR: "only caseworkers hand over", ADMIN: "only caseworkers hand over"},
    ),
    (
        "sms",
        "add a mobile number (typed next, checked as /sms); the opt-in SMS goes",
        {CASEWORKER: THEIR_NEWCOMERS},
        {COORDINATOR: "only caseworkers add a number", ADMIN: "only caseworkers add a number"},
    ),
    ("history", "handovers and appointments so far (audited)", _staff(), {}),
    ("export", "everything stored, to pass on (audited)", _staff(), {}),
    ("forget", "ask to erase the newcomer", _staff(), {}),
    ("forgetyes", "erase the newcomer", _staff(), {}),
    ("forgetno", "keep the newcomer", _staff(), {}),
)

ENTRIES: tuple[Entry, ...] = (
    # --- joining --------------------------------------------------------------------------
    Entry(
        f"/start {NEWCOMER_PREFIX}",
        Kind.INVITE,
        "a newcomer's invite link: single use, expires, revocable",
        {STRANGER: "links their Telegram account to the newcomer of the link"},
        {
            NEWCOMER: "already linked",
            CASEWORKER: "staff are not newcomers",
            COORDINATOR: "staff are not newcomers",
            ADMIN: "staff are not newcomers",
        },
        example=f"/start {NEWCOMER_PREFIX}TOKEN",
    ),
    Entry(
        f"/start {STAFF_PREFIX}",
        Kind.INVITE,
        "a staff invite link: single use, expires in days",
        {STRANGER: "becomes staff with the link's role and organisation"},
        {
            NEWCOMER: "newcomers are not staff",
            CASEWORKER: "already staff",
            COORDINATOR: "already staff",
            ADMIN: "already staff",
        },
        example=f"/start {STAFF_PREFIX}TOKEN",
    ),
    _command(
        "start",
        "start; a newcomer who stopped gets messages again",
        {NEWCOMER: "", **_staff("help for their role", "help for their role")},
    ),
    _command(
        "help",
        "what they can do",
        {NEWCOMER: "", **_staff("help for their role", "help for their role")},
    ),
    # --- a newcomer's own menu --------------------------------------------------------------
    _command("taal", "choose another language", _newcomer()),
    _command("stop", "no more messages; the contact person is told", _newcomer()),
    _command("afspraken", "upcoming appointments", _newcomer(OWN_AGREED)),
    _command("contact", "the contact card", _newcomer(AGREED)),
    _command("gegevens", "everything stored about them (audited)", _newcomer(OWN_AGREED)),
    _command("vergeet", "asks whether to erase everything", _newcomer(OWN_AGREED)),
    Entry("📅", Kind.MENU, "menu: = /afspraken", _newcomer(OWN_AGREED), example="📅 Afspraken"),
    Entry("👤", Kind.MENU, "menu: = /contact", _newcomer(AGREED), example="👤 Contact"),
    Entry("🌐", Kind.MENU, "menu: = /taal", _newcomer(), example="🌐 Taal"),
    Entry("❓", Kind.MENU, "menu: = /help", _newcomer(), example="❓ Hulp"),
    _button(
        callbacks.CONSENT.prefix,
        "agree to messages, or not now",
        _newcomer(OWN + ", while asked"),
        example=callbacks.CONSENT.data("yes", "K-AAAA"),
    ),
    _button(
        callbacks.SMS_FALLBACK.prefix,
        "joined by SMS, now on Telegram: keep SMS for when Telegram fails, or erase the number",
        _newcomer(OWN + ", while they have a number"),
        example=callbacks.SMS_FALLBACK.data("no", "K-AAAA"),
    ),
    _button(
        callbacks.LANGUAGE.prefix,
        "a language from the picker",
        _newcomer(),
        example=callbacks.LANGUAGE.data("fr"),
    ),
    _button(
        callbacks.FORGET.prefix,
        "confirm or cancel erasing",
        _newcomer(OWN),
        example=callbacks.FORGET.data("yes", "K-AAAA"),
    ),
    _button(
        callbacks.APPOINTMENT_ANSWER.prefix,
        "under an appointment: I'll come, I can't come (why), calendar file",
        _newcomer("only their own appointments, until they start"),
        example=callbacks.APPOINTMENT_ANSWER.data("yes", "1"),
    ),
    _button(
        callbacks.APPOINTMENT_WISH.prefix,
        "after I can't come or a missed appointment: new appointment please, a weekday,"
        " morning or afternoon, or type when",
        _newcomer(
            "only their own appointment they cannot come to or missed, until another is planned"
        ),
        example=callbacks.APPOINTMENT_WISH.data("day", "1", "0"),
    ),
    _button(
        callbacks.HANDOVER_CONSENT.prefix,
        "may a handover note go to that organisation: yes or no",
        _newcomer("only questions put to them, once, before they expire"),
        example=callbacks.HANDOVER_CONSENT.data("yes", "1"),
    ),
    _button(
        callbacks.RSVP.prefix,
        "under an announcement: I'll come, I can't come",
        _newcomer("only announcements sent to them, until the session starts"),
        example=callbacks.RSVP.data("1", "coming"),
    ),
    # --- staff --------------------------------------------------------------------------------
    _command("uitnodigen", "a single-use invite link for new staff", {ADMIN: ""}),
    _command(
        "medewerkers",
        "all staff, with buttons to end or give back someone's access",
        {ADMIN: "not the last admin's access"},
    ),
    _button(
        callbacks.STAFF_ACCESS.prefix,
        "staff leave: end access (their newcomers go to a caseworker of their organisation,"
        " their open links stop), give access back, change nothing (audited)",
        {ADMIN: "not the last admin's access"},
        example=callbacks.STAFF_ACCESS.data("stop", 1),
    ),
    _command(
        "nieuw", "register a newcomer; link and QR code", {CASEWORKER: "they become the contact"}
    ),
    _command(
        "sms", "a newcomer's mobile number; sends the opt-in SMS", {CASEWORKER: THEIR_NEWCOMERS}
    ),
    _command("betrokken", "add someone else who helps a newcomer", _staff()),
    _command("profiel", "what newcomers see of them on the card", _staff(OWN, OWN)),
    _command("clienten", "list newcomers", _staff()),
    _command("client", "one newcomer's sheet with buttons", _staff(), example="/client K-AAAA"),
    _command("geschiedenis", "a newcomer's handovers and appointments (audited)", _staff()),
    _command("label", "a newcomer's labels (for announcements)", _planners()),
    _command("afspraak", "plan an appointment, step by step", _planners()),
    _command("vandaag", "today's appointments with each answer", _planners()),
    _command("week", "this week's appointments with each answer", _planners()),
    _command(
        "overdracht",
        "write a handover note to a partner (with the newcomer's consent)",
        {CASEWORKER: THEIR_NEWCOMERS},
    ),
    _command("overzicht", "newcomers and staff per organisation (counts)", {COORDINATOR: ""}),
    _command("aankondiging", "announce an info session to newcomers", {COORDINATOR: ""}),
    _command("aankondigingen", "the latest announcements, with buttons", {COORDINATOR: ""}),
    _command(
        "cijfers",
        "the figures of a month or period: text, chart, Excel (counts, no names); with an"
        " organisation's name, only what belongs to it",
        {COORDINATOR: WHOLE_OR_ONE, ADMIN: WHOLE_OR_ONE},
        example="/cijfers 1-10-2027 31-10-2027",
    ),
    _command(
        "partnergroep",
        "make this group the partner group (typed in the group)",
        {ADMIN: ""},
        in_groups=True,
    ),
    _command("cancel", "leave the form without saving", _staff(OWN + " form", OWN + " form")),
    Entry(
        "text",
        Kind.TEXT,
        "an answer typed while a form waits (appointment, handover, announcement), or a"
        " newcomer's moment for a new appointment after \"I'll type it\"",
        _planners(OWN + " form", OWN + " form"),
        {
            NEWCOMER: 'read only after their own "I\'ll type it" (within a day): else not'
            " understood",
            ADMIN: "admins fill in no forms: not understood",
        },
        example="morgen om 10 uur",
    ),
    *(
        _button(
            f"{SHEET}{action}:",
            f"sheet: {what}",
            allowed,
            refused_inside=refused,
            example=callbacks.NEWCOMER_SHEET.data(action, "K-AAAA"),
        )
        for action, what, allowed, refused in _SHEET_ACTIONS
    ),
    _button(
        callbacks.APPOINTMENT_ACTION.prefix,
        "under a newcomer's appointment: change, cancel",
        _planners(),
        example=callbacks.APPOINTMENT_ACTION.data("cancelyes", "1"),
    ),
    _button(
        callbacks.WHO_CAME.prefix,
        "after an appointment: came, did not come, moved",
        _planners(),
        example=callbacks.WHO_CAME.data("attended", "1"),
    ),
    _button(
        callbacks.PLANNING_STEP.prefix,
        "the appointment form's choices",
        _planners(OWN + " form", OWN + " form"),
        example=callbacks.PLANNING_STEP.data("kind", "duo_intake"),
    ),
    _button(
        callbacks.SMS_NUMBER_STEP.prefix,
        "the mobile number form's ✖",
        {CASEWORKER: OWN + " form"},
        example=callbacks.SMS_NUMBER_STEP.data("number", "stop"),
    ),
    _button(
        callbacks.HANDOVER_STEP.prefix,
        "the handover form's choices",
        {CASEWORKER: OWN + " form"},
        example=callbacks.HANDOVER_STEP.data("org", "2"),
    ),
    _button(
        callbacks.HANDOVER_RESUME.prefix,
        "back to a handover note after the newcomer's yes",
        {CASEWORKER: "only the question they asked, before it expires"},
        example=callbacks.HANDOVER_RESUME.data("1"),
    ),
    _button(
        callbacks.ANNOUNCEMENT_STEP.prefix,
        "the announcement form's choices",
        {COORDINATOR: OWN + " form"},
        example=callbacks.ANNOUNCEMENT_STEP.data("kind", "work"),
    ),
    _button(
        callbacks.FIGURES.prefix,
        "the figures: a month, another period, one organisation, the Excel file (audited)",
        {COORDINATOR: WHOLE_OR_ONE, ADMIN: WHOLE_OR_ONE},
        example=callbacks.FIGURES.data("20271001", "20271031"),
    ),
    _button(
        callbacks.ANNOUNCEMENT_ACTION.prefix,
        "under an announcement: change, cancel, answers",
        {COORDINATOR: "every announcement (coordinators share them)"},
        example=callbacks.ANNOUNCEMENT_ACTION.data("answers", "1"),
    ),
    # --- the handover card in the partner group ---------------------------------------------
    _button(
        f"{NOTE}details:",
        "card: the whole note, sent privately (every look, refused ones too, audited)",
        _staff(EITHER_ORGANISATION, EITHER_ORGANISATION),
        in_groups=True,
        example=callbacks.HANDOVER_NOTE.data("details", NOTE_EXAMPLE),
    ),
    _button(
        f"{NOTE}take:",
        "card: take over (they become the contact person)",
        {CASEWORKER: "caseworkers of the receiving organisation"},
        refused_inside={
            COORDINATOR: "only a caseworker becomes the contact person",
            ADMIN: "only a caseworker becomes the contact person",
        },
        in_groups=True,
        example=callbacks.HANDOVER_NOTE.data("take", NOTE_EXAMPLE),
    ),
    _button(
        f"{NOTE}decline:",
        "card: decline (asks why, privately)",
        _staff(RECEIVING_ORGANISATION, RECEIVING_ORGANISATION),
        in_groups=True,
        example=callbacks.HANDOVER_NOTE.data("decline", NOTE_EXAMPLE),
    ),
    _button(
        f"{NOTE}why:",
        "the reason for declining (sent privately)",
        _staff(RECEIVING_ORGANISATION, RECEIVING_ORGANISATION),
        example=callbacks.HANDOVER_NOTE.data("why", NOTE_EXAMPLE, "no_capacity"),
    ),
)

# What answers whatever no entry names (not part of the table's rows; see the doc).
FALLBACKS = {
    "button": "any other button (old or made up): 'this button no longer works'"
    " (in the partner group only an old card's button; any other there: 'not for you')",
    "message": "anything else, in a private chat: 'not understood' (in a group: silence)",
}

_BY_KEY = {entry.key: entry for entry in ENTRIES}
_BUTTONS = sorted((e for e in ENTRIES if e.kind is Kind.BUTTON), key=lambda e: -len(e.key))
_MENU = [e for e in ENTRIES if e.kind is Kind.MENU]


def entry(key: str) -> Entry:
    return _BY_KEY[key]


def allows(key: str, who: Who) -> bool:
    return _BY_KEY[key].allows(who)


def button_entry(data: str) -> Entry | None:
    return next((e for e in _BUTTONS if data.startswith(e.key)), None)


def message_entry(text: str) -> Entry | None:
    """The entry for a typed message: a command (or invite link), a menu button, text."""
    if text.startswith("/"):
        first, _, rest = text.partition(" ")
        command = first.split("@", 1)[0]
        if command == "/start":
            for prefix in (NEWCOMER_PREFIX, STAFF_PREFIX):
                if rest.strip().startswith(prefix):
                    return _BY_KEY[f"/start {prefix}"]
        return _BY_KEY.get(command)
    menu = next((e for e in _MENU if text.startswith(e.key)), None)
    return menu or _BY_KEY["text"]


def entry_for(update: Update) -> Entry | None:
    """The entry this update asks for; None for what no entry names (stickers, files...)."""
    if update.callback_query is not None:
        return button_entry(update.callback_query.data or "")
    message = update.effective_message
    if message is None or message.text is None:
        return None
    return message_entry(message.text)


def _retired_button(update: Update) -> bool:
    """A press of data Schakel no longer takes (callbacks.RETIRED): an old card's button."""
    query = update.callback_query
    return query is not None and (query.data or "").startswith(callbacks.RETIRED)


def allowed_in_groups(update: Update) -> bool:
    """What is marked for groups; and a retired button, so the presser of an old card in
    the group is told "this button no longer works" (an alert: the group sees nothing)."""
    found = entry_for(update)
    return (found is not None and found.in_groups) or _retired_button(update)
