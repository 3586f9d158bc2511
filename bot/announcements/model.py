"""An announcement of an info session, as the rules and the words see it: its kinds,
states and answers, and what the coordinator chose (`Plan`). No rule and no wording here:
bot/announcements/words.py words these, bot/announcements/records.py acts on them."""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass

import aiosqlite

from bot.announcements.audiences import Audience, Recipient
from bot.core.clock import from_db, to_db
from bot.people.staff import StaffMember
from bot.storage.rows import record

TITLE_MAX = 60
TEXT_MAX = 600
PLACE_MAX = 100
# What the outbox says when a newcomer cannot be reached (bot/dispatcher.py).
UNREACHABLE_REASONS = ("blocked%", "chat not found")


class SessionKind(enum.StrEnum):
    """Kinds of session with a fixed text, translated in every language; or another."""

    WORK = "work"
    JOB_FAIR = "job_fair"
    DUTCH = "dutch"
    OTHER = "other"


class AnnouncementStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    SENDING = "sending"  # released: every row is in the outbox
    DONE = "done"  # every row settled; the report went to the author
    CANCELLED = "cancelled"


class Rsvp(enum.StrEnum):
    COMING = "coming"
    NOT_COMING = "not_coming"


@dataclass(frozen=True)
class AnswerGroup:
    """The answers of the newcomers it reached who read one language and whose contact
    person is of one organisation ("" when they have none)."""

    language: str
    organisation: str
    sent: int
    coming: int
    not_coming: int


@dataclass(frozen=True)
class Announcement:
    id: int
    author_id: int
    title: str
    starts_at: dt.datetime | None
    place: str
    audience: Audience
    texts: dict[str, str]  # language -> the announcement in that language
    send_at: dt.datetime
    status: AnnouncementStatus
    session_language: str
    interpreter_languages: tuple[str, ...]
    session_kind: SessionKind = SessionKind.OTHER
    title_from_kind: bool = False
    # Who wrote it: their private chat gets the progress message and the report.
    author_chat: int = 0
    author_language: str = "nl"
    author_name: str = ""
    released_at: dt.datetime | None = None
    left_out_stopped: int = 0
    left_out_not_linked: int = 0
    without_text: int = 0
    progress_edits: int = 0
    progress_text: str = ""
    reminded_at: dt.datetime | None = None
    # Released, but not every recipient's row is in the outbox yet (migration 0014).
    releasing: bool = False

    @classmethod
    def preview(cls, plan: Plan, author: StaffMember) -> Announcement:
        """What `plan` would be once scheduled (id 0), to show it before it is saved."""
        return cls(
            id=0,
            author_id=author.id,
            title=plan.title,
            starts_at=plan.starts_at,
            place=plan.place,
            audience=plan.audience,
            texts=dict(plan.texts),
            send_at=plan.send_at,
            status=AnnouncementStatus.SCHEDULED,
            session_language=plan.session_language,
            interpreter_languages=plan.interpreter_languages,
            session_kind=plan.session_kind,
            title_from_kind=plan.title_from_kind,
            author_chat=author.telegram_user_id,
            author_language=author.language,
            author_name=author.name,
        )

    @property
    def code(self) -> str:
        """How people name it: A12."""
        return f"A{self.id}"

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> Announcement:
        moments = {name: from_db for name in ("starts_at", "send_at", "released_at", "reminded_at")}
        return record(
            cls,
            row,
            audience=Audience.model_validate_json,
            texts=json.loads,
            status=AnnouncementStatus,
            interpreter_languages=tuple(row["interpreter_languages"].split()),
            session_kind=SessionKind,
            title_from_kind=bool,
            **moments,
            releasing=bool,
        )


@dataclass(frozen=True)
class Plan:
    """What the coordinator chose."""

    title: str
    starts_at: dt.datetime
    place: str
    audience: Audience
    texts: Mapping[str, str]
    send_at: dt.datetime
    session_language: str = "nl"
    interpreter_languages: tuple[str, ...] = ()
    session_kind: SessionKind = SessionKind.OTHER
    title_from_kind: bool = False

    def columns(self) -> dict[str, object]:
        return {
            "title": self.title,
            "starts_at": to_db(self.starts_at),
            "place": self.place,
            "audience": self.audience.model_dump_json(),
            "texts": json.dumps(dict(self.texts), ensure_ascii=False),
            "send_at": to_db(self.send_at),
            "session_language": self.session_language,
            "interpreter_languages": " ".join(self.interpreter_languages),
            "session_kind": self.session_kind.value,
            "title_from_kind": int(self.title_from_kind),
        }


def outbox_key(announcement: Announcement, person: Recipient) -> str:
    return f"announcement:{announcement.id}:{person.newcomer_id}"


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int  # of which `unreachable`: blocked the bot, or the chat is gone
    skipped: int  # the newcomer stopped messages after it went
    unreachable: int = 0

    @property
    def waiting(self) -> int:
        return self.total - self.sent - self.failed - self.skipped
