"""What people read about an announcement: the newcomer's message and its buttons, the
day-before reminder, and what the coordinator sees (preview, plain-language tips, the
progress message, the report, the list).

A newcomer's message takes the one layout of every newcomer message (README): their own
language first, in full (title, when, where, the session's language and interpreters
from the catalogs, then the coordinator's text in that language, or the English text
when there is none in it, said so in their language, and the question with the
buttons), then under the Dutch separator the Dutch SMS-style text (title, day and time,
place, the Dutch text).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence

from babel.dates import format_timedelta

from bot.announcements.audiences import Recipient, without_text
from bot.announcements.model import (
    Announcement,
    AnnouncementStatus,
    AnswerGroup,
    Progress,
    Rsvp,
    SessionKind,
    outbox_key,
)
from bot.appointments.words import PLACE_ONLY, clock_time, day, route_link
from bot.core.callbacks import ANNOUNCEMENT_ACTION, RSVP
from bot.sending.outbox import Button, Outgoing
from messages import (
    DUTCH_SEPARATOR,
    SOURCE_LANGUAGE,
    Line,
    language_names,
    line,
    render,
    render_lines,
    texts,
    translations,
    when,
)
from messages.languages import SUPPORTED_LANGUAGES, babel_locale
from messages.plain import ABBREVIATIONS, FORMAL_WORDS, check_text, words_of
from messages.sms import measure

# The nominal pace before anything was sent: Telegram's 30 messages a second.
NOMINAL_RATE = 30.0
TIP_QUOTE_WORDS = 6  # a tip quotes the first words of a sentence, enough to find it

SESSION_NAMES: dict[SessionKind, str] = texts.for_members(SessionKind, "SESSION_")
TEMPLATES: dict[SessionKind, str] = texts.for_members(
    (SessionKind.WORK, SessionKind.JOB_FAIR, SessionKind.DUTCH), "TEMPLATE_"
)
STATUS_NAMES: dict[AnnouncementStatus, str] = texts.for_members(
    (AnnouncementStatus.SENDING, AnnouncementStatus.DONE, AnnouncementStatus.CANCELLED),
    "ANNOUNCE_STATUS_",
)


def template_texts(kind: SessionKind) -> dict[str, str]:
    """The fixed text of a kind of session in every language that has it translated."""
    template = TEMPLATES[kind]
    return {
        language: render(language, template)
        for language in SUPPORTED_LANGUAGES
        if language == SOURCE_LANGUAGE or translations(language).gettext(template) != template
    }


def title_in(announcement: Announcement, language: str) -> str:
    """A known kind's name is translated; a typed title stays as it was typed."""
    if announcement.title_from_kind:
        return render(language, SESSION_NAMES[announcement.session_kind])
    return announcement.title


def _starts(announcement: Announcement) -> dt.datetime:
    assert announcement.starts_at is not None  # every announcement made by chat has one
    return announcement.starts_at


# --- the newcomer's message -------------------------------------------------------------


def dutch_part(announcement: Announcement, tzinfo: dt.tzinfo) -> str:
    """The Dutch SMS-style text: the one a gateway could send as it is."""
    starts = _starts(announcement)
    lines = [
        line(texts.SMS_INVITATION, title=title_in(announcement, SOURCE_LANGUAGE),
             day=day(starts, tzinfo), time=clock_time(starts, tzinfo)),
        line(PLACE_ONLY, place=announcement.place),
    ]  # fmt: skip
    return "\n".join([render_lines(SOURCE_LANGUAGE, lines), announcement.texts.get("nl", "")])


def _session_lines(announcement: Announcement, tzinfo: dt.tzinfo) -> list[Line]:
    lines = [
        line(texts.FULL_WHEN, when=when(_starts(announcement), tzinfo)),
        line(texts.FULL_WHERE, place=announcement.place),
        line(texts.SESSION_LANGUAGE, language=language_names([announcement.session_language])),
    ]
    if announcement.interpreter_languages:
        names = language_names(announcement.interpreter_languages)
        lines.append(line(texts.INTERPRETER_BOOKED, interpreter=names))
    return lines


def own_text(announcement: Announcement, language: str) -> str:
    """The coordinator's text in this language; else the English, said so; else a pointer
    to the Dutch below."""
    if language in announcement.texts:
        return announcement.texts[language]
    if "en" in announcement.texts:
        return render(language, texts.NO_TEXT_ENGLISH) + "\n" + announcement.texts["en"]
    return render(language, texts.NO_TEXT_DUTCH_ONLY)


def newcomer_message(announcement: Announcement, language: str, tzinfo: dt.tzinfo) -> str:
    dutch = dutch_part(announcement, tzinfo)
    if language == SOURCE_LANGUAGE:
        return dutch
    head = [line(texts.INVITATION_TITLE, title=title_in(announcement, language))]
    own = [
        render_lines(language, head + _session_lines(announcement, tzinfo)),
        own_text(announcement, language),
        render(language, texts.FULL_ASK),
    ]
    return "\n".join(own) + DUTCH_SEPARATOR + dutch


def rsvp_buttons(announcement: Announcement, language: str) -> list[list[Button]]:
    def tap(text: str, answer: Rsvp) -> Button:
        return Button(render(language, text), RSVP.data(announcement.id, answer.value))

    return [
        [tap(texts.BUTTON_COMING, Rsvp.COMING), tap(texts.BUTTON_NOT_COMING, Rsvp.NOT_COMING)],
        [Button(render(language, texts.BUTTON_ROUTE), url=route_link(announcement.place))],
    ]


def compose(tzinfo: dt.tzinfo) -> Callable[[Announcement, Recipient], Outgoing]:
    # The text and buttons depend on the announcement and the language only: worded once
    # per language, not once for each of 50,000 recipients.
    worded: dict[tuple[int, str], tuple[str, list[list[Button]]]] = {}

    def message(announcement: Announcement, person: Recipient) -> Outgoing:
        key = (announcement.id, person.language)
        if key not in worded:
            worded[key] = (
                newcomer_message(announcement, person.language, tzinfo),
                rsvp_buttons(announcement, person.language),
            )
        if person.sms_number:  # the Dutch text as a gateway sends it, and how to answer
            text = "\n".join(
                [dutch_part(announcement, tzinfo), render(SOURCE_LANGUAGE, texts.SMS_ANSWER)]
            )
            return Outgoing(
                chat_id=person.chat_id,
                text=text,
                purpose="announcement",
                idempotency_key=outbox_key(announcement, person),
                newcomer_id=person.newcomer_id,
                ref=f"announcement:{announcement.id}",
                bulk=True,
                channel="sms",
                to=person.sms_number,
            )
        text, buttons = worded[key]
        return Outgoing(
            chat_id=person.chat_id,
            text=text,
            purpose="announcement",
            idempotency_key=outbox_key(announcement, person),
            buttons=buttons,
            newcomer_id=person.newcomer_id,
            ref=f"announcement:{announcement.id}",
            bulk=True,
        )

    return message


def reminder(announcement: Announcement, tzinfo: dt.tzinfo) -> Callable[[Recipient], Outgoing]:
    """The day before, to those who said they come: the appointment reminder's form."""
    starts = _starts(announcement)
    dutch = render_lines(SOURCE_LANGUAGE, [
        line(texts.SMS_SESSION_TOMORROW, title=title_in(announcement, SOURCE_LANGUAGE),
             time=clock_time(starts, tzinfo)),
        line(PLACE_ONLY, place=announcement.place),
    ])  # fmt: skip

    def message(person: Recipient) -> Outgoing:
        language = person.language
        text = dutch
        key = f"announcement:{announcement.id}:reminder:{person.newcomer_id}"
        if person.sms_number:
            return Outgoing(
                chat_id=person.chat_id,
                text="\n".join([dutch, render(SOURCE_LANGUAGE, texts.SMS_ANSWER)]),
                purpose="announcement-reminder",
                idempotency_key=key,
                newcomer_id=person.newcomer_id,
                ref=f"announcement:{announcement.id}",
                bulk=True,
                channel="sms",
                to=person.sms_number,
            )
        if language != SOURCE_LANGUAGE:
            lines = [
                line(texts.SESSION_REMINDER_TITLE),
                line(texts.FULL_WHAT, kind=title_in(announcement, language)),
                *_session_lines(announcement, tzinfo),
            ]
            text = render_lines(language, lines) + DUTCH_SEPARATOR + dutch
        no = Button(
            render(language, texts.BUTTON_NOT_COMING),
            RSVP.data(announcement.id, Rsvp.NOT_COMING.value),
        )
        route = Button(render(language, texts.BUTTON_ROUTE), url=route_link(announcement.place))
        return Outgoing(
            chat_id=person.chat_id,
            text=text,
            purpose="announcement-reminder",
            idempotency_key=key,
            buttons=[[no, route]],
            newcomer_id=person.newcomer_id,
            ref=f"announcement:{announcement.id}",
            bulk=True,
        )

    return message


# --- for the coordinator ------------------------------------------------------------------


def plain_tips(language: str, dutch_text: str, whole_sms: str) -> list[str]:
    """Plain-language tips on the Dutch text, in the coordinator's language; and whether
    the Dutch SMS-style message (title, day, place and text) still fits one SMS."""
    tips: list[str] = []
    report = check_text(dutch_text)
    for finding in report.findings:
        tip = _tip(language, finding.rule, finding.text)
        if tip and tip not in tips:
            tips.append(tip)
    parts = measure(whole_sms).parts
    if parts > 1:
        tips.append(render(language, texts.TIP_SMS_LENGTH, parts=parts))
    return tips


def _first_words(sentence: str) -> str:
    words = words_of(sentence)
    if len(words) <= TIP_QUOTE_WORDS:
        return sentence
    return " ".join(words[:TIP_QUOTE_WORDS]) + " ..."


def _tip(language: str, rule: str, text: str) -> str | None:
    if rule == "sentence-length":
        quoted = _first_words(text)
        return render(language, texts.TIP_SENTENCE_LENGTH, words=len(words_of(text)), text=quoted)
    if rule == "passive":
        return render(language, texts.TIP_PASSIVE, text=_first_words(text))
    if rule == "long-word":
        return render(language, texts.TIP_LONG_WORD, text=text)
    if rule == "rare-word":
        return render(language, texts.TIP_RARE_WORD, text=text)
    if rule == "formal-word":
        return render(language, texts.TIP_FORMAL_WORD, text=text, plain=FORMAL_WORDS[text.lower()])
    if rule == "abbreviation":
        return render(language, texts.TIP_ABBREVIATION, text=text, plain=ABBREVIATIONS[text])
    if rule == "sms":
        return render(language, texts.TIP_SMS_CHARACTERS)
    return None  # flesch-douma is not judged here: the sentences and words say enough


def without_text_lines(
    language: str, announcement: Announcement, people: Sequence[Recipient]
) -> str:
    """Which languages have a text, and who gets Dutch and English instead, by name."""
    lines = [
        render(language, texts.ANNOUNCE_TEXTS_IN, languages=language_names(announcement.texts))
    ]
    missing = without_text(people, set(announcement.texts))
    if not missing:
        return "\n".join([*lines, render(language, texts.ANNOUNCE_EVERYONE_HAS_TEXT)])
    heading = (
        texts.ANNOUNCE_WITHOUT_TEXT
        if "en" in announcement.texts
        else texts.ANNOUNCE_WITHOUT_TEXT_DUTCH
    )
    lines.append(render(language, heading))
    for code, count in Counter(person.language for person in missing).most_common():
        names = ", ".join(
            f"{person.first_name} ({person.reference})"
            for person in missing
            if person.language == code
        )
        lines.append(render(language, texts.ANNOUNCE_WITHOUT_TEXT_LINE,
                            language=language_names([code]), count=count, names=names))  # fmt: skip
    return "\n".join(lines)


def language_groups(people: Sequence[Recipient]) -> list[tuple[str, int]]:
    """Each language of the audience with how many read it, the largest group first."""
    return Counter(person.language for person in people).most_common()


def preview(
    language: str, announcement: Announcement, people: Sequence[Recipient], tzinfo: dt.tzinfo
) -> str:
    """The compact preview, one message: the Dutch as it goes, the language groups with
    their sizes, and who gets which text (each group's own text is one tap away:
    group_preview). One long message per group took up to twelve messages and seconds
    before the send button showed."""
    groups = [
        render(language, texts.ANNOUNCE_GROUP_LINE, language=language_names([code]), count=count)
        for code, count in language_groups(people)
    ]
    return "\n\n".join([
        render(language, texts.ANNOUNCE_PREVIEW_DUTCH) + "\n" + dutch_part(announcement, tzinfo),
        "\n".join([render(language, texts.ANNOUNCE_GROUPS), *groups]),
        without_text_lines(language, announcement, people),
    ])  # fmt: skip


def group_preview(
    language: str, announcement: Announcement, code: str, count: int, tzinfo: dt.tzinfo
) -> str:
    """Exactly what the newcomers who read `code` will get, with the group's size."""
    heading = (
        texts.ANNOUNCE_PREVIEW if code in announcement.texts else texts.ANNOUNCE_PREVIEW_NO_TEXT
    )
    buttons = " · ".join(b.text for row in rsvp_buttons(announcement, code) for b in row)
    return "\n\n".join([
        render(language, heading, language=language_names([code]), count=count),
        newcomer_message(announcement, code, tzinfo),
        render(language, texts.ANNOUNCE_PREVIEW_BUTTONS, buttons=buttons),
    ])  # fmt: skip


def _left(language: str, announcement: Announcement, progress: Progress, now: dt.datetime) -> str:
    """Time left at the pace so far (Telegram's nominal pace before anything went)."""
    done = progress.sent + progress.failed + progress.skipped
    elapsed = (now - announcement.released_at).total_seconds() if announcement.released_at else 0.0
    rate = done / elapsed if done and elapsed > 0 else NOMINAL_RATE
    seconds = max(1.0, progress.waiting / rate)
    return format_timedelta(
        dt.timedelta(seconds=seconds), threshold=1.5, locale=babel_locale(language)
    )


def progress_text(announcement: Announcement, progress: Progress, now: dt.datetime) -> str:
    language = announcement.author_language
    values = {
        "title": title_in(announcement, language),
        "sent": progress.sent,
        "total": progress.total,
        "failed": progress.failed,
    }
    if progress.waiting == 0:
        return render(language, texts.PROGRESS_DONE, **values)
    left = _left(language, announcement, progress, now)
    return render(language, texts.PROGRESS_SENDING, left=left, **values)


def progress_key(announcement: Announcement) -> str:
    return f"announcement:{announcement.id}:progress"


def start_message(announcement: Announcement, total: int) -> Outgoing:
    """The author's progress message, sent when the announcement goes and edited after."""
    empty = Progress(total=total, sent=0, failed=0, skipped=0)
    return Outgoing(
        chat_id=announcement.author_chat,
        text=progress_text(announcement, empty, announcement.send_at),
        purpose="announcement-progress",
        idempotency_key=progress_key(announcement),
        ref=f"announcement:{announcement.id}",
    )


def progress_edit(announcement: Announcement, text: str) -> Callable[[int], Outgoing]:
    def edit(number: int) -> Outgoing:
        return Outgoing(
            chat_id=announcement.author_chat,
            text=text,
            purpose="announcement-progress",
            idempotency_key=f"{progress_key(announcement)}:{number}",
            ref=f"announcement:{announcement.id}",
            edits=progress_key(announcement),
        )

    return edit


def answer_counts(language: str, counts: dict[Rsvp, int], total: int) -> str:
    coming, not_coming = counts[Rsvp.COMING], counts[Rsvp.NOT_COMING]
    silent = max(0, total - coming - not_coming)
    return render(language, texts.RSVP_COUNTS, coming=coming, not_coming=not_coming, silent=silent)


def answers_split(language: str, groups: Sequence[AnswerGroup]) -> list[str]:
    """The answers per language, then per organisation of the contact person: who to
    remind, in which language, and which partner's newcomers come."""
    by_language: dict[str, list[int]] = {}
    by_organisation: dict[str, list[int]] = {}
    for group in groups:
        for key, table in ((group.language, by_language), (group.organisation, by_organisation)):
            counted = table.setdefault(key, [0, 0, 0])
            counted[0] += group.sent
            counted[1] += group.coming
            counted[2] += group.not_coming

    def lines(table: dict[str, list[int]], name: Callable[[str], str]) -> list[str]:
        return [
            render(language, texts.RSVP_GROUP_LINE, group=name(key), coming=coming,
                   not_coming=not_coming, silent=max(0, sent - coming - not_coming))
            for key, (sent, coming, not_coming) in sorted(
                table.items(), key=lambda item: (-item[1][0], name(item[0])))
        ]  # fmt: skip

    def organisation(short_name: str) -> str:
        return short_name or render(language, texts.RSVP_NO_ORGANISATION)

    return [
        render(language, texts.RSVP_BY_LANGUAGE),
        *lines(by_language, lambda code: language_names([code])(language)),
        render(language, texts.RSVP_BY_ORGANISATION),
        *lines(by_organisation, organisation),
    ]


def answers_button(language: str, announcement: Announcement) -> Button:
    return Button(
        render(language, texts.BUTTON_ANSWERS), ANNOUNCEMENT_ACTION.data("answers", announcement.id)
    )


def report(announcement: Announcement, progress: Progress, counts: dict[Rsvp, int]) -> Outgoing:
    """The final report: what reached whom, who was left out and why, the answers so far."""
    language = announcement.author_language
    lines = [
        line(texts.REPORT_TITLE, code=announcement.code, title=title_in(announcement, language)),
        line(texts.REPORT_DELIVERED, count=progress.sent),
        line(texts.REPORT_BLOCKED, count=progress.unreachable),
        line(texts.REPORT_FAILED, count=progress.failed - progress.unreachable),
        line(texts.REPORT_STOPPED, count=announcement.left_out_stopped + progress.skipped),
        line(texts.REPORT_NOT_LINKED, count=announcement.left_out_not_linked),
        line(texts.REPORT_NO_TEXT, count=announcement.without_text),
    ]
    text = render_lines(language, lines) + "\n" + answer_counts(language, counts, progress.sent)
    return Outgoing(
        chat_id=announcement.author_chat,
        text=text,
        purpose="announcement-report",
        idempotency_key=f"announcement:{announcement.id}:report",
        buttons=[[answers_button(language, announcement)]],
        ref=f"announcement:{announcement.id}",
    )


def list_line(language: str, announcement: Announcement, tzinfo: dt.tzinfo) -> str:
    if announcement.status is AnnouncementStatus.SCHEDULED:
        status = render(
            language, texts.ANNOUNCE_STATUS_SCHEDULED, when=when(announcement.send_at, tzinfo)
        )
    else:
        status = render(language, STATUS_NAMES[announcement.status])
    return render(language, texts.ANNOUNCE_LIST_LINE, code=announcement.code,
                  title=title_in(announcement, language), when=when(_starts(announcement), tzinfo),
                  status=status)  # fmt: skip
