"""What the fuzz tests send: random text and files, every command with random arguments,
made-up button data, and data shaped like Schakel's own naming other people's things.

References and the open invite's token differ per made world, so they are written as
placeholders ({ref:brixtonia}, {note:1} for note 1's H-XXXX, {token}) that the arena
fills in; ids (appointments 1-4, notes 1-2, announcements 1-3, staff 1-5, organisations)
are the same in every world.
"""

from __future__ import annotations

import datetime as dt
import string

from hypothesis import strategies as st

from bot.announcements.audiences import AudienceKind
from bot.announcements.model import Rsvp, SessionKind
from bot.appointments.records import Kind, Reason
from bot.handovers.model import Civic, DeclineReason
from bot.handovers.model import Reason as HandoverReason
from handlers.announcements import form as announce_form
from handlers.appointments import planning
from handlers.handovers import form as handover_form
from handlers.people.caseworker import SMS_NUMBER_FORM
from messages.languages import SUPPORTED_LANGUAGES
from tests.fuzz import oracle, world
from tests.fuzz.arena import OTHER_UPDATES, Action

NEWCOMER_KEYS = tuple(n.key for n in world.NEWCOMERS)
STAFF_KEYS = tuple(m.key for m in world.STAFF)
# Dorotheus holds an open invite: a stranger until he uses it.
EVERYONE = ("stranger", *NEWCOMER_KEYS, world.INVITED.key, *STAFF_KEYS)
FILES = ("photo", "document", "sticker", "voice", "location", "contact")

# Text as Telegram delivers it: any Unicode but lone surrogates (not valid in UTF-8).
ANY_CHARACTER = st.characters(exclude_categories=["Cs"])
ANY_TEXT = st.text(ANY_CHARACTER, max_size=60)


@st.composite
def huge_text(draw: st.DrawFn) -> str:
    """Longer than Telegram's 4,096 characters (a test may send what no phone can)."""
    unit = draw(st.text(ANY_CHARACTER, min_size=1, max_size=12))
    size = draw(st.integers(4097, 12_000))
    return (unit * (size // len(unit) + 1))[:size]


REFERENCES = st.one_of(
    st.sampled_from([f"{{ref:{key}}}" for key in (*NEWCOMER_KEYS, world.INVITED.key)]),
    st.sampled_from(["K-2222", "k-2222", "K-", "K-ZZZZ", "K-222", "K-22222", "H-2222"]),
)
# What a handover card's button names: a real note's reference, made-up and malformed ones,
# and the ids the buttons of version 1 named.
NOTE_REFERENCES = st.one_of(
    st.sampled_from([f"{{note:{note}}}" for note in world.NOTES]),
    st.sampled_from(["H-2222", "h-2222", "H-", "H-ZZZZ", "H-222", "H-22222", "H-IIII",
                     "H-AAA٣", " H-2222", "K-2222", "H-2222\n", "H-____", "H-%"]),
    st.integers(0, 6).map(str),
)  # fmt: skip
IDS = st.one_of(
    st.integers(0, 6).map(str),
    st.sampled_from(["-1", "00", "01", "1.0", "1e3", " 1", "١", "٣", "²", "𝟏", "0x1"]),
    st.sampled_from([str(2**63), str(2**64), "9" * 30, "9" * 400]),
)
DAY_AND_TIME = st.one_of(
    st.sampled_from([
        "30/03/2027 14:00", "25/3 14u30", "morgen 10u", "maandag 9u", "vandaag",
        "31/02/2027 10:00", "29/02/2027", "00/00/0000 00:00", "99/99/9999 99:99", "24:00",
        "12:60", "1/1/1 1:1", "5/4", "17/3/2027", "16/03/2027 12:00", "1/4/2027", "9999999999",
        "31/12/9999 23:59", "1/1/10000", "-1/-1", "10u", "ma 10u", "dinsdag 30/03/2027 14u",
    ]),
    st.builds(
        lambda d, h, m: f"{d:%d/%m/%Y} {h}:{m:02d}",
        st.dates(), st.integers(0, 30), st.integers(0, 70),
    ),
)  # fmt: skip
SENSITIVE = st.sampled_from([
    "85.07.30-033.28", "85073003328", "INSZ 85.07.30-033.28", "0470 12 34 56",
    "+32 470 12 34 56", "iemand@example.org", "BE68 5390 0754 7034", "BIS 85.47.30-033.xx",
])  # fmt: skip
WORDS = st.sampled_from([
    "VDAB", "ocmw", "In-Gent", "Fedasil", "begeleider", "coordinator", "coördinator",
    "beheerder", "jobcoach", "buddy", "leerkracht", "ar", "ti", "nl", "xx", "zh", "Arabisch",
    "العربية", "Tigrinya", "A1", "B7", "C2", "a0", "telefoon", "uren", "talen",
    "lavendelgroep", "-lavendelgroep", "-", "--", "mandarijngroep", "Quilmara", "Brixtonia",
    "Amal Ben Ali", "📅", "👤 Contact", "🌐 Taal", "❓ Help", "/", "@SchakelBot", "{token}",
    "s_{token}", "c_", "s_", "\u202e", "\u200b", "\u2068x\u2069", "👨\u200d👩\u200d👧",
    "ﷺ", "\u0301", "'; DROP TABLE newcomers; --", "%s", "{name}", "{0}", "<b>x</b>", "*x*",
])  # fmt: skip
ARGUMENT = st.one_of(
    REFERENCES, IDS, WORDS, DAY_AND_TIME, SENSITIVE, st.text(ANY_CHARACTER, min_size=1, max_size=30)
)
TYPED = st.one_of(ANY_TEXT, WORDS, DAY_AND_TIME, SENSITIVE, REFERENCES, IDS, huge_text())


# --- messages -----------------------------------------------------------------------------


def who(choices: tuple[str, ...] = EVERYONE) -> st.SearchStrategy[str]:
    return st.sampled_from(choices)


STRANGER_LANGUAGES = st.sampled_from([None, "nl", "ar", "ti", "en-GB", "zh-hans", "xx", ""])


def _in_group() -> st.SearchStrategy[bool]:
    return st.sampled_from([False, False, False, True])


def messages(people: tuple[str, ...] = EVERYONE) -> st.SearchStrategy[Action]:
    """Text (edited or not), any file, or an update that is neither (a reaction, the bot
    blocked...), in a private chat or the partner group."""
    return st.one_of(
        st.builds(
            Action, who=who(people), kind=st.just("update"), text=st.sampled_from(OTHER_UPDATES),
            in_group=_in_group(),
        ),
        st.builds(
            Action, who=who(people), kind=st.sampled_from(["text", "edit"]), text=TYPED,
            in_group=_in_group(), language_code=STRANGER_LANGUAGES,
        ),
        st.builds(
            Action, who=who(people), kind=st.just("file"), file=st.sampled_from(FILES),
            text=st.one_of(st.just(""), TYPED), in_group=_in_group(),
            language_code=STRANGER_LANGUAGES,
        ),
    )  # fmt: skip


@st.composite
def command_text(draw: st.DrawFn, names: tuple[str, ...] = tuple(oracle.COMMANDS)) -> str:
    name = draw(st.sampled_from(names))
    name = draw(st.sampled_from([name, name.upper(), name.capitalize()]))
    at = draw(st.sampled_from(["", "", "", "@SchakelBot", "@schakelbot", "@AnderBot"]))
    arguments = draw(st.lists(ARGUMENT, max_size=4))
    separator = draw(st.sampled_from([" ", " ", "  ", "\n", "\t"]))
    return separator.join([f"/{name}{at}", *arguments])


def commands(people: tuple[str, ...] = EVERYONE) -> st.SearchStrategy[Action]:
    """Every command Schakel knows, with random arguments, typed or edited."""
    return st.builds(
        Action, who=who(people), kind=st.sampled_from(["text", "text", "text", "edit"]),
        text=command_text(), in_group=_in_group(), language_code=STRANGER_LANGUAGES,
    )  # fmt: skip


# --- button data --------------------------------------------------------------------------

RANDOM_DATA = st.one_of(
    st.none(),
    st.text(ANY_CHARACTER, max_size=64),
    st.binary(max_size=64).map(lambda raw: raw.decode("utf-8", "replace")),
    st.text(st.sampled_from(string.printable), max_size=300),
)
LANGUAGES = st.sampled_from([*SUPPORTED_LANGUAGES, "xx", "", "AR", "nl-BE"])
_FORM_STEPS = {
    form.callback.prefix: [step.key for step in form.steps]
    for form in (planning.FORM, handover_form.FORM, announce_form.FORM, SMS_NUMBER_FORM)
}
FORM_VALUES = st.one_of(
    st.sampled_from([
        "stop", "=", "save", "post", "send", "next", "change", "me", "none", "any", "ok", "yes",
        "no", "unknown", "today", "earlier", "now", "later", "VDAB", "OCMW", "In-Gent", "A1",
        "title", "starts", "audience", *[k.value for k in Kind], *[r.value for r in Civic],
        *[r.value for r in HandoverReason], *[k.value for k in AudienceKind],
        *[k.value for k in SessionKind], "lavendelgroep",
    ]),
    IDS, LANGUAGES, ANY_TEXT,
)  # fmt: skip
_SHEET_ACTIONS = sorted(oracle.BUTTON_ACTIONS["v1:cl:"])


def _data(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map(lambda p: "".join(p))


def _colon(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return values.map(lambda v: f":{v}")


def _maybe(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), _colon(values))


def _actions(prefix: str) -> st.SearchStrategy[str]:
    known = st.sampled_from(sorted(oracle.BUTTON_ACTIONS[prefix]))
    return st.one_of(known, known, known, ANY_TEXT)


YES_NO = st.sampled_from(["yes", "no", "maybe", ""])


DAYS = st.one_of(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)).map(
        lambda day: day.strftime("%Y%m%d")
    ),
    st.sampled_from(["20271301", "20270230", "00000000", "2027101"]),
)


def shaped_data(
    ids: st.SearchStrategy[str] = IDS,
    refs: st.SearchStrategy[str] = REFERENCES,
    kinds: frozenset[str] = frozenset(oracle.BUTTONS),
    notes: st.SearchStrategy[str] = NOTE_REFERENCES,
) -> st.SearchStrategy[str]:
    """Data shaped like these kinds of Schakel's buttons, naming these ids and references
    (and these notes' references, on a handover card)."""
    reasons = st.sampled_from([*[r.value for r in Reason], "x"])
    declines = st.sampled_from([*[r.value for r in DeclineReason], "x"])
    shapes = {
        "v1:consent:": _data(YES_NO, _colon(refs), _maybe(refs)),
        "v1:forget:": _data(YES_NO, _colon(refs), _maybe(refs)),
        "v1:lang:": LANGUAGES,
        "v1:ap:": _data(_actions("v1:ap:"), _colon(ids), _maybe(reasons)),
        # A weekday (Monday 0 to Friday 4; 5 is none of ours) or a part of the day.
        "v1:nw:": _data(
            _actions("v1:nw:"),
            _colon(ids),
            _maybe(st.sampled_from(["0", "4", "5", "morning", "afternoon", "x"])),
        ),
        "v1:rsvp:": _data(ids, _colon(st.sampled_from([*[r.value for r in Rsvp], "x"]))),
        "v1:hc:": _data(YES_NO, _colon(ids)),
        "v1:smsfb:": _data(YES_NO, _colon(refs), _maybe(refs)),
        "v1:hr:": ids,
        "v1:cl:": _data(st.sampled_from(_SHEET_ACTIONS), _colon(refs),
                        _maybe(st.one_of(ids, LANGUAGES))),
        "v1:sa:": _data(_actions("v1:sa:"), _colon(ids)),
        "v1:at:": _data(_actions("v1:at:"), _colon(ids)),
        "v2:ho:": _data(_actions("v2:ho:"), _colon(notes), _maybe(declines)),
        "v1:bc:": _data(_actions("v1:bc:"), _colon(ids)),
        # Staff leave: a staff member, and who takes over ("0": nobody).
        "v1:st:": _data(_actions("v1:st:"), _colon(ids), _maybe(st.one_of(ids, st.just("0")))),
        # The figures: a period as two days (real, impossible, reversed), other, Excel.
        "v1:fig:": _data(
            st.sampled_from(["", "x:", "other", "other:"]),
            st.one_of(DAYS, ids),
            _maybe(st.one_of(DAYS, ids)),
        ),
        **{
            prefix: _data(st.sampled_from(steps), _colon(FORM_VALUES))
            for prefix, steps in _FORM_STEPS.items()
        },
    }  # fmt: skip
    return st.one_of(
        *[_data(st.just(prefix), shapes[prefix]) for prefix in sorted(kinds)],
        # One of these prefixes with any parts: a made-up action, too many or too few parts.
        _data(st.sampled_from(sorted(kinds)),
              st.lists(st.one_of(ids, refs, FORM_VALUES), max_size=4).map(":".join)),
    )  # fmt: skip


# A handover card's button as version 1 wrote it (the note's id): retired, it must do nothing.
RETIRED_DATA = _data(
    st.sampled_from(oracle.RETIRED), _actions("v2:ho:"), _colon(IDS),
    _maybe(st.sampled_from([r.value for r in DeclineReason])),
)  # fmt: skip
SHAPED_DATA = st.one_of(shaped_data(), RETIRED_DATA)


def own_things(person: str) -> tuple[list[str], list[str], list[str]]:
    """(ids, references, note references) of what this person may act on: their
    appointments, announcements, newcomers, notes. Half the shaped presses name these,
    the rest anything."""
    if person in NEWCOMER_KEYS:
        appointments = [i for i, key in world.APPOINTMENTS.items() if key == person]
        sent = [i for i, keys in world.SENT_TO.items() if person in keys]
        return [str(i) for i in (*appointments, *sent)], [f"{{ref:{person}}}"], []
    if person not in STAFF_KEYS:
        return [], [], []
    helped = world.helped_by(person)
    appointments = [i for i, key in world.APPOINTMENTS.items() if key in helped]
    notes = [f"{{note:{note}}}" for note in world.notes_of_organisation(person)]
    things = (*appointments, *world.SENT_TO)
    return [str(i) for i in things], [f"{{ref:{key}}}" for key in helped], notes


@st.composite
def shaped_press(draw: st.DrawFn, people: tuple[str, ...] = EVERYONE) -> Action:
    person = draw(who(people))
    ids, refs, notes = own_things(person)
    role = world.role_of(person)
    theirs = frozenset(p for p, (roles, _) in oracle.BUTTONS.items() if role in roles)
    if not theirs:  # a stranger
        return Action(person, "press", data=draw(SHAPED_DATA), in_group=draw(_in_group()))
    own = shaped_data(
        st.sampled_from(ids or ["0"]), st.sampled_from(refs or ["K-2222"]), theirs,
        st.sampled_from(notes or ["H-2222"]),
    )  # fmt: skip
    data = draw(st.one_of(SHAPED_DATA, own))
    return Action(person, "press", data=data, in_group=draw(_in_group()))


def presses(
    data: st.SearchStrategy[str | None], people: tuple[str, ...] = EVERYONE
) -> st.SearchStrategy[Action]:
    return st.builds(
        Action, who=who(people), kind=st.just("press"), data=data, in_group=_in_group(),
        language_code=STRANGER_LANGUAGES,
    )  # fmt: skip


def taps(people: tuple[str, ...] = EVERYONE) -> st.SearchStrategy[Action]:
    """A press on a button Schakel showed in this chat, mostly the newest (a walk through
    the forms), now and then an old one; in the group, a card's."""
    return st.builds(
        Action, who=who(people), kind=st.just("tap"), tap=st.integers(0, 40),
        in_group=_in_group(),
    )  # fmt: skip


# --- forms: opened for real, then answered at random -------------------------------------

OPENERS = {
    "laila": ["/afspraak {ref:quilmara}", "/overdracht {ref:vennolia}", "/client {ref:quilmara}"],
    "sarah": ["/afspraak {ref:brixtonia}", "/overdracht {ref:brixtonia}"],
    "kris": ["/aankondiging", "/afspraak {ref:brixtonia}", "/aankondigingen",
             "/client {ref:vennolia}"],
    "annelies": ["/client {ref:quilmara}", "/uitnodigen begeleider VDAB"],
}  # fmt: skip


@st.composite
def form_session(draw: st.DrawFn) -> list[Action]:
    """A staff member opens a form or a sheet, then types, taps and presses at random
    (now and then someone else does something in between)."""
    person = draw(st.sampled_from(sorted(OPENERS)))
    opener = Action(person, "text", text=draw(st.sampled_from(OPENERS[person])))
    own = (person,)
    step = st.one_of(
        taps(own), taps(own), taps(own),
        st.builds(Action, who=st.just(person), kind=st.just("text"), text=TYPED),
        shaped_press(own),
        commands(own),
        messages(EVERYONE), shaped_press(EVERYONE),
    )  # fmt: skip
    return [opener, *draw(st.lists(step, min_size=1, max_size=10))]
