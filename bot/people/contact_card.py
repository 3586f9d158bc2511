"""The newcomer's contact card (Antwerp's postcard, always current), and the message that
tells a newcomer their contact person changed. In bot/ because a rule that changes the
contact (a handover taken over) stores this message in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.opening_hours import hours_for_reader
from bot.core.phones import display_phone
from bot.people.counsellors import Counsellor, CounsellorRole
from bot.people.newcomers import Newcomer, NewcomerStatus
from bot.sending.outbox import Outgoing
from messages import (
    Line,
    language_names,
    line,
    render_lines_bilingual,
    texts,
    translated,
)

ABOUT: dict[CounsellorRole, str] = texts.for_members(CounsellorRole, "ABOUT_")


def contact_lines(counsellors: Sequence[Counsellor]) -> list[Line]:
    """Antwerp's postcard: the single point of contact first, then everyone else."""
    lines: list[Line] = []
    for person in counsellors:
        if not person.is_contact:
            continue
        lines.append(line(texts.CARD_CONTACT, name=person.name, organisation=person.organisation))
        lines.extend(how_to_reach(person))
        if person.languages:
            lines.append(
                line(
                    texts.CARD_LANGUAGES, name=person.name, spoken=language_names(person.languages)
                )
            )
    others = [person for person in counsellors if not person.is_contact]
    if others:
        lines.append(line(texts.CARD_OTHERS))
    for person in others:
        lines.append(
            line(
                texts.CARD_OTHER,
                name=person.name,
                organisation=person.organisation,
                about=translated(ABOUT[person.role]),
            )
        )
    return lines


def how_to_reach(person: Counsellor) -> list[Line]:
    """The phone (one format wherever a person reads a number) and the hours (read in the
    reader's language), where the contact person gave them."""
    lines: list[Line] = []
    if person.phone:
        lines.append(line(texts.CARD_PHONE, phone=display_phone(person.phone)))
    if person.hours:
        lines.append(line(texts.CARD_HOURS, hours=hours_for_reader(person.hours)))
    return lines


def contact_card(language: str, counsellors: Sequence[Counsellor]) -> str:
    return render_lines_bilingual(language, contact_lines(counsellors))


def contact_changed_notice(
    newcomer: Newcomer, people: Sequence[Counsellor], key: str
) -> Outgoing | None:
    """ "You have a new contact person": one message, what changed and how to reach them
    (phone, hours), in the newcomer's language and then plain Dutch. The whole card is one
    tap away (👤 in their menu). None when the newcomer cannot be reached (not linked,
    stopped)."""
    contact = next((person for person in people if person.is_contact), None)
    if (
        contact is None
        or not (newcomer.consent and newcomer.chat_id)
        or newcomer.status is not NewcomerStatus.ACTIVE
    ):
        return None
    lines = [line(texts.CONTACT_CHANGED, name=contact.name, organisation=contact.organisation)]
    lines.extend(how_to_reach(contact))
    return Outgoing(
        chat_id=newcomer.chat_id,
        text=render_lines_bilingual(newcomer.language, lines),
        purpose="notice",
        idempotency_key=key,
        newcomer_id=newcomer.id,
    )
