"""What the fuzz tests hold the bot to, written down apart from the bot's own code.

- `Facts`: who is who and who helps whom, read straight from the database tables.
- `entitled`: which chat may read which newcomer's data (the privacy promise in the
  README, as a table: the newcomer; staff who help them; coordinators and admins; for
  a handover note, staff of its two organisations; never a group, never a stranger).
- `refusal`: actions that must be refused by the rules of the README (a role's
  commands and buttons, another person's object, an id that does not exist, a form
  that does not wait for this button); each with the reason, for the failure message.
- `domain_state`: every table, less what a refusal may write (see DOMAIN_EXCLUSIONS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.core.callbacks import FIGURES
from bot.figures.words import OTHER_PERIOD_DATA, period_from_data
from bot.people.staff import Role
from bot.storage.database import Store

# Every command and who may use it (README, "Commands"). /start and /help answer everyone
# known; /cancel leaves a staff form.
STAFF_ROLES = frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.ADMIN})
PLANNERS = frozenset({Role.CASEWORKER, Role.COORDINATOR})
COMMANDS: dict[str, frozenset[Role | str]] = {
    "start": frozenset({*STAFF_ROLES, "newcomer"}),
    "help": frozenset({*STAFF_ROLES, "newcomer"}),
    "afspraken": frozenset({"newcomer"}),
    "contact": frozenset({"newcomer"}),
    "taal": frozenset({"newcomer"}),
    "stop": frozenset({"newcomer"}),
    "gegevens": frozenset({"newcomer"}),
    "vergeet": frozenset({"newcomer"}),
    "nieuw": frozenset({Role.CASEWORKER}),
    "sms": frozenset({Role.CASEWORKER}),
    "overdracht": frozenset({Role.CASEWORKER}),
    "betrokken": STAFF_ROLES,
    "profiel": STAFF_ROLES,
    "clienten": STAFF_ROLES,
    "client": STAFF_ROLES,
    "geschiedenis": STAFF_ROLES,
    "cancel": STAFF_ROLES,
    "afspraak": PLANNERS,
    "vandaag": PLANNERS,
    "week": PLANNERS,
    "label": PLANNERS,
    "overzicht": frozenset({Role.COORDINATOR}),
    "aankondiging": frozenset({Role.COORDINATOR}),
    "aankondigingen": frozenset({Role.COORDINATOR}),
    "cijfers": frozenset({Role.COORDINATOR, Role.ADMIN}),
    "uitnodigen": frozenset({Role.ADMIN}),
    "medewerkers": frozenset({Role.ADMIN}),
    "partnergroep": frozenset({Role.ADMIN}),
}
# Commands whose first argument names a newcomer (CODE).
NAMES_A_NEWCOMER = frozenset({"client", "afspraak", "overdracht", "geschiedenis", "label",
                              "betrokken", "sms"})  # fmt: skip

# Every kind of button (its data's prefix), who may press it, and what it names.
BUTTONS: dict[str, tuple[frozenset[Role | str], str]] = {
    "v1:consent:": (frozenset({"newcomer"}), "own reference"),
    "v1:forget:": (frozenset({"newcomer"}), "own reference"),
    "v1:lang:": (frozenset({"newcomer"}), "language"),
    "v1:ap:": (frozenset({"newcomer"}), "own appointment"),
    "v1:nw:": (frozenset({"newcomer"}), "own appointment they cannot come to or missed"),
    "v1:rsvp:": (frozenset({"newcomer"}), "announcement sent to them"),
    "v1:hc:": (frozenset({"newcomer"}), "consent question put to them"),
    "v1:smsfb:": (frozenset({"newcomer"}), "own reference, with a number for SMS"),
    "v1:cl:": (STAFF_ROLES, "newcomer they see"),
    "v2:ho:": (STAFF_ROLES, "note of their organisation"),
    "v1:sa:": (PLANNERS, "appointment of a newcomer they see"),
    "v1:at:": (PLANNERS, "appointment of a newcomer they see"),
    "v1:pl:": (PLANNERS, "appointment form waiting"),
    "v1:hf:": (frozenset({Role.CASEWORKER}), "handover form waiting"),
    "v1:sn:": (frozenset({Role.CASEWORKER}), "mobile number form waiting"),
    "v1:hr:": (frozenset({Role.CASEWORKER}), "consent question they asked"),
    "v1:af:": (frozenset({Role.COORDINATOR}), "announcement form waiting"),
    "v1:bc:": (frozenset({Role.COORDINATOR}), "announcement"),
    "v1:fig:": (frozenset({Role.COORDINATOR, Role.ADMIN}), "period"),
    "v1:st:": (frozenset({Role.ADMIN}), "staff member"),
}
# No longer ours: the handover card's buttons of version 1 named the note by its id. A press
# of one is "data of no button of ours" and must change nothing.
RETIRED = ("v1:ho:",)
FORMS = {
    "v1:pl:": "appointment",
    "v1:hf:": "handover",
    "v1:af:": "announcement",
    "v1:sn:": "sms-number",
}
# The actions each button kind knows (handlers/*.py); any other is refused.
BUTTON_ACTIONS = {
    "v1:consent:": {"yes", "no"},
    "v1:hc:": {"yes", "no"},
    "v1:smsfb:": {"yes", "no"},
    "v1:forget:": {"yes", "no"},
    "v1:ap:": {"yes", "no", "why", "ics"},
    "v1:nw:": {"plan", "day", "part", "type"},
    "v1:cl:": {"appts", "handover", "history", "plan", "lang", "setlang", "contact",
               "setcontact", "link", "revoke", "export", "forget", "forgetyes", "forgetno",
               "sms"},
    "v2:ho:": {"details", "take", "decline", "why"},
    "v1:sa:": {"change", "cancel", "cancelyes", "cancelno"},
    "v1:at:": {"attended", "no_show", "moved"},
    "v1:bc:": {"change", "cancel", "cancel_yes", "cancel_no", "answers"},
    "v1:st:": {"stop", "to", "back", "backyes", "keep"},
}  # fmt: skip
_ID = re.compile(r"[0-9]{1,18}")  # an id as Schakel writes it in a button


def as_id(text: str) -> int | None:
    return int(text) if _ID.fullmatch(text) else None


@dataclass(frozen=True)
class StaffFact:
    id: int
    role: Role
    organisation_id: int | None


@dataclass(frozen=True)
class NewcomerFact:
    id: int
    reference: str
    consent: bool
    status: str


@dataclass
class Facts:
    staff: dict[int, StaffFact] = field(default_factory=dict)  # by Telegram user id
    newcomers: dict[int, NewcomerFact] = field(default_factory=dict)  # by Telegram user id
    chats: dict[int, int] = field(default_factory=dict)  # a newcomer's chat -> newcomer id
    references: dict[str, int] = field(default_factory=dict)  # not forgotten
    helps: set[tuple[int, int]] = field(default_factory=set)  # (newcomer id, staff id)
    # reference (H-XXXX) -> newcomer, from, to: a card's buttons name the note by reference
    notes: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    appointments: dict[int, int] = field(default_factory=dict)  # id -> newcomer id
    deliveries: set[tuple[int, int]] = field(default_factory=set)  # (announcement, newcomer)
    announcements: set[int] = field(default_factory=set)
    drafts: dict[int, tuple[str, str]] = field(default_factory=dict)  # staff id -> form, step
    # Newcomers whose wish for a new appointment waits for a typed line ("I'll type it").
    typing: set[int] = field(default_factory=set)

    def sees(self, staff: StaffFact, newcomer_id: int) -> bool:
        if newcomer_id not in self.references.values():
            return False
        return staff.role in (Role.COORDINATOR, Role.ADMIN) or (newcomer_id, staff.id) in self.helps

    def role_of(self, user_id: int) -> Role | str | None:
        if (member := self.staff.get(user_id)) is not None:
            return member.role
        return "newcomer" if user_id in self.newcomers else None


async def read_facts(store: Store) -> Facts:
    facts = Facts()
    for row in await store.fetch_all("SELECT * FROM staff WHERE active = 1"):
        facts.staff[row["telegram_user_id"]] = StaffFact(
            row["id"], Role(row["role"]), row["organisation_id"]
        )
    for row in await store.fetch_all("SELECT * FROM newcomers WHERE forgotten_at IS NULL"):
        facts.references[row["reference"]] = row["id"]
        if row["telegram_user_id"] is not None:
            facts.newcomers[row["telegram_user_id"]] = NewcomerFact(
                row["id"], row["reference"], row["consent_at"] is not None, row["status"]
            )
        if row["chat_id"] is not None:
            facts.chats[row["chat_id"]] = row["id"]
    rows = await store.fetch_all("SELECT newcomer_id, staff_id FROM counsellors")
    facts.helps = {(r["newcomer_id"], r["staff_id"]) for r in rows if r["staff_id"] is not None}
    for row in await store.fetch_all("SELECT * FROM handover_notes"):
        facts.notes[row["reference"]] = (
            row["newcomer_id"],
            row["from_organisation"],
            row["to_organisation"],
        )
    for row in await store.fetch_all("SELECT id, newcomer_id FROM appointments"):
        facts.appointments[row["id"]] = row["newcomer_id"]
    rows = await store.fetch_all("SELECT announcement_id, newcomer_id FROM announcement_deliveries")
    facts.deliveries = {(r["announcement_id"], r["newcomer_id"]) for r in rows}
    facts.announcements = {r["id"] for r in await store.fetch_all("SELECT id FROM announcements")}
    for row in await store.fetch_all("SELECT staff_id, form, step FROM drafts"):
        facts.drafts[row["staff_id"]] = (row["form"], row["step"])
    rows = await store.fetch_all(
        "SELECT newcomer_id FROM appointment_wishes WHERE typing_since IS NOT NULL"
    )
    facts.typing = {row["newcomer_id"] for row in rows}
    return facts


# --- who may read what ------------------------------------------------------------------------

# What a newcomer's markers are about: "who" (name, reference), "appointment" (place, people),
# "note" (what a handover note says), "tag" (their label).
MarkerKind = str


def entitled(chat_id: int, newcomer_id: int, kind: MarkerKind, facts: Facts) -> bool:
    """May this chat read this newcomer's data of this kind (in this state of the world)?"""
    if chat_id < 0:
        return False  # a group: the partner group gets cards without personal data
    if facts.chats.get(chat_id) == newcomer_id or (
        (own := facts.newcomers.get(chat_id)) is not None and own.id == newcomer_id
    ):
        return True  # their own
    staff = facts.staff.get(chat_id)
    if staff is None:
        return False  # a stranger, or someone forgotten
    note_orgs = {
        org for c, from_org, to_org in facts.notes.values() if c == newcomer_id
        for org in (from_org, to_org)
    }  # fmt: skip
    if kind == "note":
        return staff.organisation_id in note_orgs
    if kind == "who" and staff.organisation_id in note_orgs:
        return True  # the note names the newcomer to both organisations
    return staff.role in (Role.COORDINATOR, Role.ADMIN) or (newcomer_id, staff.id) in facts.helps


# --- what must be refused ---------------------------------------------------------------------

_INVITE = re.compile(r"^/start(@\w+)?\s+(c_|s_)[\w-]+\s*$")


def command_of(text: str, bot_username: str) -> tuple[str, list[str]] | None:
    """(command, arguments) when the text is a command for this bot, else None."""
    match = re.match(r"^/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]+))?(?![A-Za-z0-9_@])", text)
    if match is None:
        return None
    if match.group(2) and match.group(2).casefold() != bot_username.casefold():
        return None
    return match.group(1).casefold(), text[match.end() :].split()


def message_refusal(
    facts: Facts, user_id: int, text: str | None, *, in_group: bool, bot_username: str
) -> str | None:
    """Why a message (text, or a file when `text` is None) must change nothing; else None."""
    role = facts.role_of(user_id)
    command = command_of(text, bot_username) if text is not None else None
    if role is None:
        invite = text is not None and _INVITE.match(text) and not in_group
        return None if invite else "from a stranger"
    if in_group:
        is_link = role is Role.ADMIN and command is not None and command[0] == "partnergroep"
        return None if is_link else "in a group"
    if command is None:
        if isinstance(role, Role) and text is not None:
            staff = facts.staff[user_id]
            return None if staff.id in facts.drafts else "text while no form waits"
        if role == "newcomer" and text is not None:
            # After "I'll type it" (bot/appointments/wishes.py) their text is the wish.
            typing = facts.newcomers[user_id].id in facts.typing
            return None if typing else "text while no wish waits for it"
        return "not a command"
    name, args = command
    if role not in COMMANDS.get(name, frozenset()):
        return f"/{name} is not for a {role}"
    if name in NAMES_A_NEWCOMER and args and isinstance(role, Role):
        newcomer_id = facts.references.get(args[0].strip().upper())
        if newcomer_id is None or not facts.sees(facts.staff[user_id], newcomer_id):
            return f"/{name} names a newcomer they do not see"
    return None


def press_refusal(facts: Facts, user_id: int, data: str | None, languages: set[str]) -> str | None:
    """Why a button press with this data must change nothing; else None."""
    role = facts.role_of(user_id)
    if role is None:
        return "from a stranger"
    prefix = next((p for p in BUTTONS if data is not None and data.startswith(p)), None)
    if prefix is None or data is None:
        return "data of no button of ours"
    roles, _ = BUTTONS[prefix]
    if role not in roles:
        return f"{prefix} is not for a {role}"
    parts = data.removeprefix(prefix).split(":")
    action, target = parts[0], parts[1] if len(parts) > 1 else ""
    if prefix in BUTTON_ACTIONS and prefix != "v1:rsvp:" and action not in BUTTON_ACTIONS[prefix]:
        return f"no action {action!r}"
    if role == "newcomer":
        return _newcomer_press(facts.newcomers[user_id], facts, prefix, parts, languages)
    staff = facts.staff[user_id]
    if prefix in FORMS:
        waiting = facts.drafts.get(staff.id)
        return None if waiting == (FORMS[prefix], action) else "no form waits for this button"
    if prefix == "v1:hr:":
        # As for v1:hc:, no caseworker in the world asked a newcomer: nothing to go back to.
        return "no consent question they asked"
    if prefix == "v1:cl:":
        newcomer_id = facts.references.get(target.strip().upper())
        return (
            None if newcomer_id and facts.sees(staff, newcomer_id) else "a newcomer they do not see"
        )
    if prefix in ("v1:sa:", "v1:at:"):
        appointment = as_id(target)
        newcomer_id = facts.appointments.get(appointment) if appointment is not None else None
        seen = newcomer_id is not None and facts.sees(staff, newcomer_id)
        return None if seen else "an appointment of a newcomer they do not see"
    if prefix == "v2:ho:":
        note = facts.notes.get(target)  # exactly the reference, as Schakel wrote it
        ours = note is not None and staff.organisation_id in note[1:]
        return None if ours else "a note of other organisations"
    if prefix == "v1:st:":
        return _staff_leave_press(facts, action, parts[1:])
    if prefix == FIGURES.prefix:
        if data == OTHER_PERIOD_DATA:
            return None
        period = period_from_data(data)
        return None if period is not None else "no such period"
    assert prefix == "v1:bc:"
    return None if as_id(target) in facts.announcements else "no such announcement"


def _staff_leave_press(facts: Facts, action: str, args: list[str]) -> str | None:
    """An admin's staff-leave button (docs/security.md 5.8). Only "to" (end access, hand
    the newcomers to a colleague) and "backyes" (give it back) change anything; what they
    must refuse, as far as the facts tell (whether someone is a contact person, they do
    not: then the press may act)."""
    if action not in ("to", "backyes"):
        return "it only asks, or changes nothing"
    active = {member.id: member for member in facts.staff.values()}
    target_id = as_id(args[0]) if args else None
    target = active.get(target_id) if target_id is not None else None
    if action == "backyes":
        return "they already have access" if target is not None else None
    if target is None:
        return "not a staff member with access"
    admins = [member for member in active.values() if member.role is Role.ADMIN]
    if target.role is Role.ADMIN and len(admins) == 1:
        return "the last admin"
    colleague = args[1] if len(args) > 1 else ""
    if len(args) > 2:
        return "not a colleague who may take over"  # "3:4:5" is no id
    if colleague != "0":
        chosen = active.get(as_id(colleague) or -1)
        may = (
            chosen is not None
            and chosen.id != target.id
            and chosen.role is Role.CASEWORKER
            and chosen.organisation_id is not None
            and chosen.organisation_id == target.organisation_id
        )
        if not may:
            return "not a colleague who may take over"
    return None


def _newcomer_press(
    newcomer: NewcomerFact, facts: Facts, prefix: str, parts: list[str], languages: set[str]
) -> str | None:
    if prefix in ("v1:consent:", "v1:forget:"):
        own = len(parts) == 2 and parts[1] == newcomer.reference
        return None if own else "another newcomer's question"
    if prefix == "v1:lang:":
        return None if parts[0] in languages else "no such language"
    if prefix == "v1:smsfb:":
        # SMS is off in the world: no newcomer has a number to keep or erase
        # (tests/e2e/test_sms_join.py covers the answers).
        return "no number for SMS"
    if prefix == "v1:hc:":
        # The world's notes were written with consent on paper or in person: no newcomer
        # was asked, so no question waits for anyone's answer (tests/e2e covers answers).
        return "no consent question put to them"
    if prefix in ("v1:ap:", "v1:nw:"):
        # v1:nw: also needs "I cannot come" or a no-show, and no appointment planned since:
        # tests/e2e/test_new_appointment.py covers those; here, their own is enough to act.
        appointment = as_id(parts[1]) if len(parts) > 1 else None
        own = appointment is not None and facts.appointments.get(appointment) == newcomer.id
        return None if own else "another newcomer's appointment"
    announcement = as_id(parts[0])
    sent = announcement is not None and (announcement, newcomer.id) in facts.deliveries
    return None if sent else "an announcement not sent to them"


# --- the database, less what a refusal may write ----------------------------------------------

# A refusal may write exactly this, and nothing else:
# - its answer: outbox rows with purpose 'reply' to the chat it came from (and to the
#   presser's own chat);
# - the audit log's record that a look was refused (actions ending in ".refused").
DOMAIN_EXCLUSIONS = "outbox replies to the actor; audit records of refused looks"
_NOT_DOMAIN = ("schema_migrations", "sqlite_sequence")


async def domain_state(store: Store, actor_chats: set[int]) -> dict[str, list[tuple[Any, ...]]]:
    tables = [
        str(row[0])
        for row in await store.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")
        if row[0] not in _NOT_DOMAIN and not str(row[0]).startswith("sqlite_")
    ]
    state: dict[str, list[tuple[Any, ...]]] = {}
    for table in sorted(tables):
        rows = await store.fetch_all(f"SELECT * FROM {table} ORDER BY rowid")
        if table == "outbox":
            rows = [
                r for r in rows if not (r["purpose"] == "reply" and r["chat_id"] in actor_chats)
            ]
        elif table == "audit_log":
            rows = [r for r in rows if not str(r["action"]).endswith(".refused")]
        state[table] = [tuple(row) for row in rows]
    return state


def describe_change(
    before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]
) -> str:
    lines = []
    for table in sorted(set(before) | set(after)):
        old, new = set(before.get(table, [])), set(after.get(table, []))
        lines += [f"{table}: - {row}" for row in sorted(old - new, key=repr)]
        lines += [f"{table}: + {row}" for row in sorted(new - old, key=repr)]
    return "\n".join(lines)
