"""Warm handover: a caseworker passes a newcomer's case to a partner organisation.

The note is posted only with the newcomer's consent for that organisation and purpose
(recorded per organisation and purpose). Free text is redacted before it is stored
(bot/sensitive.py): the stored note and the partner group never hold a national
register number, a phone number, an e-mail address or an IBAN. The partner group gets a
minimal card (bot/handover_texts.py): the note's own reference, from and to, the reason,
the next step and its date. The full note goes privately to staff of the two
organisations only, and every look at it is in the audit log. Staff of the receiving
organisation take it over (they become the contact person) or decline it with a reason.
A note nobody decides on is raised again after a number of working days.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import secrets
from collections.abc import Awaitable, Callable, Sequence

import aiosqlite

from bot.appointments import records as appointments
from bot.appointments.records import Appointment
from bot.core import audit
from bot.core.clock import from_db, to_db
from bot.core.config import Config
from bot.core.refusals import Refused
from bot.core.working_days import add_working_days
from bot.handovers import consent
from bot.handovers import words as wording
from bot.handovers.model import (
    Card,
    ConsentGivenBy,
    DeclineReason,
    Handover,
    Note,
    NoteBody,
    NoteStatus,
    Reason,
)
from bot.people import counsellors
from bot.people.contact_card import contact_changed_notice
from bot.people.newcomers import REFERENCE_ALPHABET, REFERENCE_LENGTH, Newcomer, newcomer_by_id
from bot.people.staff import Role, StaffMember
from bot.sending.outbox import Outgoing, enqueue
from bot.sending.services import Services
from bot.storage.database import Store
from bot.storage.rows import record

PARTNER_GROUP_SETTING = "partner_group"


# --- the note's content, and what must not be in it --------------------------------


# --- the partner group -----------------------------------------------------------------


async def partner_group(store: Store, config: Config) -> int | None:
    """The configured group wins; else the one an admin linked with /partnergroep."""
    if config.partner_channel.chat_id is not None:
        return config.partner_channel.chat_id
    value = await store.fetch_value(
        "SELECT value FROM settings WHERE key = ?", (PARTNER_GROUP_SETTING,)
    )
    return int(str(value)) if value is not None else None


async def link_partner_group(services: Services, chat_id: int, admin: StaffMember) -> None:
    async with services.store.transaction() as db:
        await db.execute(
            "INSERT INTO settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
            " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            (PARTNER_GROUP_SETTING, str(chat_id), admin.id, to_db(services.clock())),
        )
        await audit.record(
            db, services.clock, f"staff:{admin.id}", "partner_group.link", None, str(chat_id)
        )


# --- a stored note ---------------------------------------------------------------------


_SELECT = """
SELECT h.*, c.reference AS newcomer_reference, c.first_name AS newcomer_name,
       a.name AS author_name, a.telegram_user_id AS author_chat_id, a.language AS author_language,
       fo.short_name AS from_name, tor.short_name AS to_name, ts.name AS to_staff_name,
       d.name AS decided_name, dorg.short_name AS decided_org
FROM handover_notes h
JOIN newcomers c ON c.id = h.newcomer_id
JOIN staff a ON a.id = h.author_id
JOIN organisations fo ON fo.id = h.from_organisation
JOIN organisations tor ON tor.id = h.to_organisation
LEFT JOIN staff ts ON ts.id = h.to_staff_id
LEFT JOIN staff d ON d.id = h.decided_by
LEFT JOIN organisations dorg ON dorg.id = d.organisation_id
"""


def _note(row: aiosqlite.Row) -> Note:
    body = json.loads(row["body"])
    consent = from_db(row["consent_at"])
    return record(
        Note,
        row,
        reference=row["reference"] or f"H-{row['id']}",
        from_organisation_id=row["from_organisation"],
        from_organisation=row["from_name"],
        to_organisation_id=row["to_organisation"],
        to_organisation=row["to_name"],
        reason=Reason,
        body=NoteBody.model_validate(body) if body else None,
        consent_on=consent.date(),
        consent_given_by=ConsentGivenBy,
        status=NoteStatus,
        decided_by=row["decided_name"],
        decided_organisation=row["decided_org"],
        decided_at=from_db,
        decline_reason=DeclineReason,
        created_at=from_db,
        raised_at=from_db,
    )


async def get(store: Store, note_id: int) -> Note | None:
    row = await store.fetch_one(f"{_SELECT} WHERE h.id = ?", (note_id,))
    return None if row is None else _note(row)


# A note's reference exactly as _fresh_reference makes it: nothing else is looked up.
_REFERENCE = re.compile(f"H-[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}")


async def get_by_reference(store: Store, reference: str) -> Note | None:
    """The note with exactly this reference (the card's buttons name it so: a reference is
    random, an id counts up and names the neighbouring notes); None for any other text."""
    if not _REFERENCE.fullmatch(reference):
        return None
    row = await store.fetch_one(f"{_SELECT} WHERE h.reference = ?", (reference,))
    return None if row is None else _note(row)


async def notes_of(store: Store, newcomer_id: int) -> list[Note]:
    rows = await store.fetch_all(
        f"{_SELECT} WHERE h.newcomer_id = ? ORDER BY h.created_at DESC, h.id DESC", (newcomer_id,)
    )
    return [_note(row) for row in rows]


# --- posting ---------------------------------------------------------------------------


class PostProblem(enum.Enum):
    NO_PARTNER_GROUP = "no_partner_group"
    OWN_ORGANISATION = "own_organisation"
    CONSENT_IN_FUTURE = "consent_in_future"
    # The newcomer's own ✅ is no longer there to use (expired, or the note went already).
    CONSENT_GONE = "consent_gone"


class CannotPost(Refused[PostProblem]):
    """The note stays a draft: the caseworker is told why and can put it right."""


async def post(services: Services, author: StaffMember, handover: Handover) -> Note:
    """Record the consent, store the redacted note and put its card in the outbox, in one
    transaction: a note is never stored without its consent, nor posted without a note."""
    group = await partner_group(services.store, services.config)
    if group is None:
        raise CannotPost(PostProblem.NO_PARTNER_GROUP)
    if handover.to_organisation_id == author.organisation_id or author.organisation_id is None:
        raise CannotPost(PostProblem.OWN_ORGANISATION)
    now = services.clock()
    if handover.agreed_on > now.astimezone(services.config.locale.tzinfo).date():
        raise CannotPost(PostProblem.CONSENT_IN_FUTURE)
    body = handover.body.redacted()
    newcomer = handover.newcomer
    card = wording.card(services.config.locale.tzinfo)
    consent_at = dt.datetime.combine(handover.agreed_on, dt.time(12), tzinfo=dt.UTC)
    async with services.store.transaction() as db:
        if handover.consent_request is not None and not await consent.use(
            db, services.clock, handover.consent_request, author.id
        ):
            raise CannotPost(PostProblem.CONSENT_GONE)
        await db.execute(
            "INSERT INTO handover_consents (newcomer_id, organisation_id, purpose, agreed_on,"
            " recorded_by, recorded_at, given_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                newcomer.id, handover.to_organisation_id, handover.reason.value,
                handover.agreed_on.isoformat(), author.id, to_db(now), handover.given_by.value,
            ),
        )  # fmt: skip
        reference = await _fresh_reference(db)
        async with db.execute(
            "INSERT INTO handover_notes (newcomer_id, author_id, from_organisation,"
            " to_organisation,"
            " to_staff_id, reason, body, consent_at, created_at, reference, consent_given_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                newcomer.id,
                author.id,
                author.organisation_id,
                handover.to_organisation_id,
                handover.to_staff_id,
                handover.reason.value,
                body.model_dump_json(),
                to_db(consent_at),
                to_db(now),
                reference,
                handover.given_by.value,
            ),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        subject = f"note:{reference}"
        actor = f"staff:{author.id}"
        await audit.record(db, services.clock, actor, "handover.consent", subject,
                           f"newcomer:{newcomer.reference} {handover.reason.value}"
                           f" {handover.given_by.value}")  # fmt: skip
        await audit.record(db, services.clock, actor, "handover.post", subject)
        note = await get(services.store, int(row["id"]))
        assert note is not None
        card_id = await enqueue(
            db, services.clock, _to_group(card(note), group, note, note.card_key)
        )
    await _deliver(services, [card_id])
    return note


async def _deliver(services: Services, ids: Sequence[int | None]) -> None:
    """Hand what a person's tap caused to the dispatcher now, as a reply is."""
    await services.dispatcher.deliver([row_id for row_id in ids if row_id is not None])


def preview(
    author: StaffMember,
    handover: Handover,
    to_organisation: str,
    to_staff_name: str | None,
    now: dt.datetime,
) -> Note:
    """The note as it will be stored and read, before it is (for the author to check)."""
    newcomer = handover.newcomer
    return Note(
        id=0, reference="H-····", newcomer_id=newcomer.id, newcomer_reference=newcomer.reference,
        newcomer_name=newcomer.first_name, author_id=author.id, author_name=author.name,
        author_chat_id=author.telegram_user_id, author_language=author.language,
        from_organisation_id=author.organisation_id or 0,
        from_organisation=author.organisation, to_organisation_id=handover.to_organisation_id,
        to_organisation=to_organisation, to_staff_name=to_staff_name, reason=handover.reason,
        body=handover.body.redacted(), consent_on=handover.agreed_on,
        consent_given_by=handover.given_by, status=NoteStatus.POSTED,
        decided_by=None, decided_organisation=None, decided_at=None, decline_reason=None,
        created_at=now, raised_at=None, raise_count=0,
    )  # fmt: skip


def _to_group(
    card: Card, group: int, note: Note, key: str, *, edits: str | None = None
) -> Outgoing:
    return Outgoing(
        chat_id=group,
        text=card.text,
        buttons=card.buttons,
        purpose="partner_group",
        idempotency_key=key,
        ref=f"note:{note.reference}",
        edits=edits,
    )


async def _fresh_reference(db: aiosqlite.Connection) -> str:
    while True:
        reference = "H-" + "".join(
            secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)
        )
        async with db.execute(
            "SELECT 1 FROM handover_notes WHERE reference = ?", (reference,)
        ) as cursor:
            if await cursor.fetchone() is None:
                return reference


# --- who may see and decide ------------------------------------------------------------


def may_read(staff: StaffMember, note: Note) -> bool:
    """Staff of the sending or the receiving organisation; nobody else."""
    return staff.organisation_id in (note.from_organisation_id, note.to_organisation_id)


def may_take_over(staff: StaffMember, note: Note) -> bool:
    """A caseworker of the receiving organisation (they become the contact person)."""
    return staff.role is Role.CASEWORKER and staff.organisation_id == note.to_organisation_id


def may_decline(staff: StaffMember, note: Note) -> bool:
    return staff.organisation_id == note.to_organisation_id


async def read(services: Services, staff: StaffMember, note_id: int) -> Note | None:
    """The full note for someone allowed to read it; every try is in the audit log."""
    note = await get(services.store, note_id)
    allowed = note is not None and may_read(staff, note)
    async with services.store.transaction() as db:
        await audit.record(
            db, services.clock, f"staff:{staff.id}",
            "handover.view" if allowed else "handover.view.refused",
            f"note:{note.reference}" if note else f"note:{note_id}",
        )  # fmt: skip
    return note if allowed else None


# --- deciding: take over or decline ----------------------------------------------------


class DecideProblem(enum.Enum):
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"
    ALREADY_DECIDED = "already_decided"


class CannotDecide(Exception):
    def __init__(self, problem: DecideProblem, note: Note | None = None) -> None:
        super().__init__(problem.value)
        self.problem, self.note = problem, note


async def _decidable(
    services: Services, staff: StaffMember, note_id: int, allowed: Callable[..., bool]
) -> Note:
    note = await get(services.store, note_id)
    if note is None or note.body is None:  # gone, or the newcomer asked to be forgotten
        raise CannotDecide(DecideProblem.NOT_FOUND)
    if not allowed(staff, note):
        raise CannotDecide(DecideProblem.NOT_ALLOWED, note)
    if note.status is not NoteStatus.POSTED:
        raise CannotDecide(DecideProblem.ALREADY_DECIDED, note)
    return note


async def take_over(services: Services, staff: StaffMember, note_id: int) -> Note:
    """The taker becomes the newcomer's contact person. In one transaction: the note's
    status, the contact change, the audit lines, the edited card, the author's notice and
    the newcomer's "your new contact person" (in their language and Dutch)."""

    async def contact_changes(db: aiosqlite.Connection, note: Note) -> list[Outgoing]:
        newcomer = await newcomer_by_id(services.store, note.newcomer_id)
        assert newcomer is not None  # notes go with their newcomer (ON DELETE CASCADE)
        await counsellors.make_contact(
            db, services.clock, newcomer=newcomer, staff_id=staff.id, actor=f"staff:{staff.id}"
        )
        people = await counsellors.counsellors_of(services.store, newcomer.id)
        told = contact_changed_notice(newcomer, people, f"handover-contact:{note.id}")
        return [told] if told else []

    return await _decide(
        services, staff, note_id, may_take_over, NoteStatus.TAKEN_OVER, None, contact_changes
    )


async def decline(
    services: Services,
    staff: StaffMember,
    note_id: int,
    reason: DeclineReason,
) -> Note:
    """The receiving partner cannot take it; the author hears why, the card says so."""
    return await _decide(services, staff, note_id, may_decline, NoteStatus.DECLINED, reason)


async def _decide(
    services: Services,
    staff: StaffMember,
    note_id: int,
    allowed: Callable[..., bool],
    status: NoteStatus,
    reason: DeclineReason | None,
    changes: Callable[[aiosqlite.Connection, Note], Awaitable[list[Outgoing]]] | None = None,
) -> Note:
    """A decision on a posted note, in one transaction: its status, what else the decision
    changes (`changes`, with the messages that tell of it), the audit line, the author's
    notice and the edited card. Refused (CannotDecide) when not allowed or already decided."""
    note = await _decidable(services, staff, note_id, allowed)
    words = wording.decision_messages(services.config.locale.tzinfo)
    group = await partner_group(services.store, services.config)
    clock = services.clock
    action = "handover.take_over" if status is NoteStatus.TAKEN_OVER else "handover.decline"
    async with services.store.transaction() as db:
        if not await _settle(db, note, staff, status, to_db(clock()), reason):
            raise CannotDecide(DecideProblem.ALREADY_DECIDED, note)
        told = await changes(db, note) if changes is not None else []
        await audit.record(db, clock, f"staff:{staff.id}", action, f"note:{note.reference}",
                           reason.value if reason else None)  # fmt: skip
        decided = await get(services.store, note.id)
        assert decided is not None
        messages = [words.author_notice(decided), *told]
        if group is not None:
            messages.append(_card_edit(words.card(decided), group, decided))
        ids = [await enqueue(db, clock, message) for message in messages]
    await _deliver(services, ids)
    return decided


async def _settle(
    db: aiosqlite.Connection,
    note: Note,
    staff: StaffMember,
    status: NoteStatus,
    now: str,
    reason: DeclineReason | None,
) -> bool:
    """Only a posted note can be decided, once (two people pressing at once: one wins)."""
    cursor = await db.execute(
        "UPDATE handover_notes SET status = ?, decided_by = ?, decided_at = ?, decline_reason = ?"
        " WHERE id = ? AND status = 'posted'",
        (status.value, staff.id, now, reason.value if reason else None, note.id),
    )
    return cursor.rowcount == 1


def _card_edit(card: Card, group: int, note: Note) -> Outgoing:
    key = f"{note.card_key}:{note.status.value}"
    return _to_group(card, group, note, key, edits=note.card_key)


# --- history ---------------------------------------------------------------------------


async def history(
    services: Services, staff: StaffMember, newcomer: Newcomer
) -> tuple[list[Note], list[Appointment]]:
    """A newcomer's handovers and appointments (newest first); the look is audited."""
    notes = await notes_of(services.store, newcomer.id)
    planned = await appointments.all_of(services.store, newcomer.id)
    async with services.store.transaction() as db:
        await audit.record(
            db,
            services.clock,
            f"staff:{staff.id}",
            "newcomer.history",
            f"newcomer:{newcomer.reference}",
        )
    return notes, planned


# --- raising an open note again ----------------------------------------------------------


async def raise_overdue(services: Services) -> int:
    """Every open note older than the configured working days since it was posted (or last
    raised) is raised again in the partner group and to its author. Returns how many."""
    days = services.config.handover.raise_after_working_days
    words = wording.raise_messages(days)
    tz = services.config.locale.tzinfo
    now = services.clock()
    group = await partner_group(services.store, services.config)
    rows = await services.store.fetch_all(f"{_SELECT} WHERE h.status = 'posted'")
    raised = 0
    for note in map(_note, rows):
        if add_working_days(note.raised_at or note.created_at, days, tz) > now:
            continue
        async with services.store.transaction() as db:
            cursor = await db.execute(
                "UPDATE handover_notes SET raised_at = ?, raise_count = raise_count + 1"
                " WHERE id = ? AND status = 'posted' AND raise_count = ?",
                (to_db(now), note.id, note.raise_count),
            )
            if cursor.rowcount != 1:
                continue
            again = await get(services.store, note.id)
            assert again is not None
            await enqueue(db, services.clock, words.author_notice(again))
            if group is not None:
                key = f"handover-raise:{note.id}:{again.raise_count}"
                message = _to_group(words.group_message(again), group, again, key)
                await enqueue(db, services.clock, message)
            await audit.record(db, services.clock, "system", "handover.raise",
                               f"note:{note.reference}", str(again.raise_count))  # fmt: skip
        raised += 1
    if raised:
        services.dispatcher.wake()
    return raised
