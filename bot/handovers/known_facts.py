"""What Schakel already knows about a newcomer when a handover note is started, so the
form shows it for one tap of confirmation instead of asking it again: the mother tongue
(their language in Schakel), the Dutch level (their sheet), and from their latest note
the languages to speak in, the interpreter need, the school and civic orientation.
Without an earlier note, an interpreter booked for one of their appointments says one
is needed, and so does a Dutch level below A2 or none known (the caseworker corrects it
with ✏️ where that guess is wrong)."""

from __future__ import annotations

from typing import Any

from bot.appointments import records as appointments
from bot.handovers import notes
from bot.people.newcomers import Newcomer
from bot.storage.database import Store

# Below A2 a talk about work or training needs an interpreter (A0, A1, or not known).
_NEEDS_INTERPRETER = (None, "A0", "A1")


async def known_answers(store: Store, newcomer: Newcomer) -> dict[str, Any]:
    """The handover form's answers Schakel can fill in (its draft's keys); `civic` only when
    an earlier note said it."""
    known: dict[str, Any] = {"mother": newcomer.language}
    earlier = next((n.body for n in await notes.notes_of(store, newcomer.id) if n.body), None)
    level = newcomer.dutch_level or (earlier.dutch_level if earlier else None)
    if level:
        known["level"] = level
    if earlier is not None:
        return known | {
            "spoken": list(earlier.contact_languages) or [newcomer.language],
            "interpreter": earlier.interpreter_needed,
            "school": earlier.school,
            "civic": earlier.civic.value,
        }
    booked = any(a.interpreter_language for a in await appointments.all_of(store, newcomer.id))
    little_dutch = level in _NEEDS_INTERPRETER
    interpreter = newcomer.language != "nl" and (booked or little_dutch)
    # Dutch is a language to speak in with them once they have some.
    spoken = list(dict.fromkeys([newcomer.language] + ([] if little_dutch else ["nl"])))
    return known | {"spoken": spoken, "interpreter": interpreter, "school": ""}
