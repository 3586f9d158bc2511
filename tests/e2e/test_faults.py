"""Telegram misbehaves while Schakel works: 429 with retry_after, 5xx, timeouts (before
Telegram got the message, and after it delivered it but the answer was lost), 400 "chat
not found" and 403 "bot was blocked by the user": in bursts, and at random from a seed,
during a 1,000-recipient announcement and during a day of reminders.

The real Application does the work: its alarms release the announcement and queue the
reminders, its dispatcher sends; the test only lets time pass (tests/e2e/simulation.py).
Each person gets exactly one message, or the outbox says why not (a second copy only
where the outbox flagged a possible duplicate: a timeout after delivery); newcomers who
blocked the bot or whose chat is gone are marked unreachable and their caseworker is
told once; after a 429 nothing goes to that chat before retry_after, and the dispatcher
starts nothing new; nothing reaches the error handler and no task dies.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable

import pytest

from bot.announcements import records as announcements
from bot.announcements.model import AnnouncementStatus
from bot.app.standin import SEND_METHODS, ApiCall, Chaos, FakeTelegram
from bot.appointments import records as appointments
from bot.appointments import reminders
from bot.appointments.records import Details, Kind
from bot.core.clock import from_db, to_db
from bot.people.newcomers import find_newcomer_by_chat
from bot.people.staff import Role, find_staff
from bot.sending.dispatcher import ChatPacer
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import render, render_bilingual, texts
from tests.conftest import make_staff
from tests.e2e.crowd import (
    CASEWORKERS,
    COORDINATOR,
    Newcomer,
    announce_to_everyone,
    newcomers_with_a_contact,
)
from tests.e2e.people import dutch_of, local
from tests.e2e.simulation import FlowingClock, Troubles, let_time_pass, quicker_overall_limit

# The dispatcher's hand-overs at once (bot/dispatcher.py): after a 429, at most these
# were already on their way when the pause began.
CONCURRENCY = 32
UNREACHABLE_NOTICE = "krijgt geen berichten meer van Schakel"
# Where the clock starts: a Wednesday in October, outside the daylight-saving switches,
# midnight in Brussels.
DAY = local(2027, 10, 13, 0)


@pytest.fixture
def clock() -> FlowingClock:
    return FlowingClock(DAY.astimezone(dt.UTC))


@pytest.fixture
def telegram(clock: FlowingClock) -> FakeTelegram:
    return FakeTelegram(clock=clock)  # outages are on the bot's clock


@pytest.fixture
async def troubles(app: SchakelApp) -> Troubles:
    return Troubles(app)


@pytest.fixture(autouse=True)
def pace(
    request: pytest.FixtureRequest,
    app: SchakelApp,
    services: Services,
    telegram: FakeTelegram,
    people_type_fast: None,
) -> None:
    """The default runs: no limits in the stand-in, the bot's 30/s raised (a few seconds
    for 1,000 messages). The slow runs and those marked `telegrams_pace`: Telegram's pace,
    with the stand-in answering 429 when the bot goes over a limit as Telegram counts it
    (at arrival), the bot's own pacing and the dispatcher's real per-chat pacer."""
    marker = request.node.get_closest_marker
    if marker("slow") or marker("telegrams_pace"):
        telegram.limits = True
        services.dispatcher.pacer = ChatPacer()
    else:
        quicker_overall_limit(app)


def deliveries(telegram: FakeTelegram, chat_id: int, starts: str = "") -> list[ApiCall]:
    """Messages that reached this chat (also those whose answer was lost on the way)."""
    return [
        call
        for call in telegram.calls
        if call.method in SEND_METHODS
        and int(call.params["chat_id"]) == chat_id
        and call.delivered
        and starts_with(shown_text(call), starts)
    ]


def starts_with(text: str, starts: str) -> bool:
    """The whole text, or a newcomer's Dutch part (after their own language), begins so."""
    return text.startswith(starts) or dutch_of(text).startswith(starts)


def check_retry_after_was_honoured(telegram: FakeTelegram) -> int:
    """After each 429: nothing to that chat before retry_after has passed, and no more
    hand-overs meanwhile than were already on their way. Returns how many 429s."""
    calls = [c for c in telegram.calls if c.method in SEND_METHODS | {"editMessageText"}]
    seen = 0
    for n, call in enumerate(calls):
        if call.outcome != "429":
            continue
        seen += 1
        assert call.retry_after is not None
        until = call.at + call.retry_after
        chat = call.params["chat_id"]
        after = calls[n + 1 :]
        again = next((c for c in after if c.params["chat_id"] == chat), None)
        if again is not None:
            assert again.at >= until - 0.005, f"chat {chat} again {until - again.at:.3f} s early"
        meanwhile = [c for c in after if c.at < until]
        assert len(meanwhile) <= CONCURRENCY, f"{len(meanwhile)} calls during a 429 pause"
    return seen


def check_unreachable_told_once(
    telegram: FakeTelegram, people: Iterable[Newcomer], unreachable: set[int]
) -> None:
    """Each unreachable newcomer's caseworker got one notice about them; nobody else's."""
    notices: Counter[str] = Counter()
    for user_id in CASEWORKERS:
        for text in telegram.texts_to(user_id):
            if UNREACHABLE_NOTICE in text:
                notices[text] += 1
    expected: Counter[str] = Counter()
    for person in people:
        if person.chat_id in unreachable:
            text = render("nl", texts.CASEWORKER_NEWCOMER_UNREACHABLE, name=person.first_name,
                          reference=person.reference)  # fmt: skip
            assert text in telegram.texts_to(person.caseworker), person
            expected[text] += 1
    assert notices == expected


def shown_text(call: ApiCall) -> str:
    return str(call.params.get("text", call.params.get("caption", "")))


async def check_what_arrived_is_what_the_outbox_says(
    services: Services, telegram: FakeTelegram
) -> Counter[str]:
    """For every chat and text: Telegram delivered as many copies as the outbox has sent
    rows, plus one at most for each timeout of a row the outbox flagged as a possible
    duplicate (a timeout may come after delivery: the answer is lost, not the message);
    nothing arrived that the outbox does not hold; every row is settled, and a row that
    did not go says why. Returns the statuses counted."""
    rows = await services.store.fetch_all("SELECT * FROM outbox")
    timeouts = Counter(
        (int(c.params["chat_id"]), shown_text(c))
        for c in telegram.calls
        if c.outcome in ("timeout", "timeout-delivered")
    )
    arrived = Counter(
        (int(c.params["chat_id"]), shown_text(c))
        for c in telegram.calls
        if c.method in SEND_METHODS and c.delivered
    )
    sent: Counter[tuple[int, str]] = Counter()
    flagged: set[tuple[int, str]] = set()
    for row in rows:
        payload = json.loads(row["payload"])
        if "edits" in payload:
            continue  # an edit in place (the progress message), not a new message
        key = (row["chat_id"], payload["text"])
        sent[key] += row["status"] == "sent"
        if row["status"] != "sent":
            assert row["status"] in ("failed", "skipped"), tuple(row)
            assert row["reason"], tuple(row)
        if row["possible_duplicate"]:
            assert timeouts[key], tuple(row)  # only a timeout leaves that doubt here
            flagged.add(key)
    for key in sent.keys() | arrived.keys():
        doubt = timeouts[key] if key in flagged else 0
        assert sent[key] <= arrived[key] <= sent[key] + doubt, (key, sent[key], arrived[key])
    return Counter(row["status"] for row in rows)


async def check_unreachable_marked(
    services: Services, people: Iterable[Newcomer], blocked: set[int], gone: set[int]
) -> None:
    """Those who blocked the bot or whose chat is gone: marked unreachable, after a
    message that failed saying so; nothing went to them. The others: still active."""
    for person in people:
        newcomer = await find_newcomer_by_chat(services.store, person.chat_id)
        assert newcomer is not None
        rows = await services.store.fetch_all(
            "SELECT status, reason FROM outbox WHERE chat_id = ?", (person.chat_id,)
        )
        if person.chat_id in blocked | gone:
            assert newcomer.status.value == "unreachable", person
            why = "blocked" if person.chat_id in blocked else "chat not found"
            assert any(r["status"] == "failed" and why in r["reason"] for r in rows), person
            assert all(r["status"] in ("failed", "skipped") for r in rows), person
        else:
            assert newcomer.status.value == "active", person


async def check_it_still_answers(
    app: SchakelApp,
    services: Services,
    telegram: FakeTelegram,
    clock: FlowingClock,
    user_id: int,
    command: str,
) -> None:
    """The bot kept running: a staff member's command still gets its answer."""
    before = len(telegram.texts_to(user_id))
    await telegram.send(telegram.user(user_id, telegram.names[user_id], "nl"), command)

    async def answered() -> bool:
        return len(telegram.texts_to(user_id)) > before

    await let_time_pass(app, services, clock, done=answered, real_seconds=30)


# --- (a) an announcement to 1,000 newcomers -------------------------------------------

# Per send to a newcomer: the chance of each fault (about 5% in all).
ANNOUNCEMENT_CHAOS = {
    "429": 0.001,
    "500": 0.01,
    "502": 0.01,
    "503": 0.005,
    "timeout": 0.015,
    "timeout-delivered": 0.01,
}


def announcement_faults(
    telegram: FakeTelegram, people: list[Newcomer], seed: int, retry_after: tuple[int, ...]
) -> None:
    """Some blocked the bot or deleted their account; random faults on the rest; and
    three bursts that hit whoever is next, staff included. Each 429 stops all sending
    for its retry_after, in real time: a burst of them costs seconds."""
    chats = [person.chat_id for person in people]
    telegram.blocked.update(chats[5::37])
    telegram.gone.update(chat for chat in chats[11::101] if chat not in telegram.blocked)
    telegram.chaos = Chaos(seed, ANNOUNCEMENT_CHAOS, retry_after, frozenset(chats))
    telegram.fail("500", times=25, after=len(chats) // 5)
    telegram.fail("429", times=2, retry_after=max(retry_after), after=len(chats) * 9 // 20)
    telegram.fail("timeout", times=15, after=len(chats) * 7 // 10)


async def an_announcement_under_faults(
    app: SchakelApp,
    services: Services,
    telegram: FakeTelegram,
    clock: FlowingClock,
    troubles: Troubles,
    *,
    count: int,
    seed: int,
    retry_after: tuple[int, ...] = (1,),
) -> None:
    clock.skip(10 * 3600)  # 10:00
    people = await newcomers_with_a_contact(services, telegram, count)
    await make_staff(services, telegram, COORDINATOR, "Kris Maes", Role.COORDINATOR, "In-Gent")
    announcement_faults(telegram, people, seed, retry_after)
    announcement = await announce_to_everyone(services)

    async def reported() -> bool:
        current = await announcements.get(services.store, announcement.id)
        assert current is not None
        idle = await services.store.fetch_value(
            "SELECT count(*) = 0 FROM outbox WHERE status IN ('pending', 'sending')"
        )
        return current.status is AnnouncementStatus.DONE and bool(idle)

    await let_time_pass(app, services, clock, done=reported, real_seconds=60 + count / 5)

    assert not troubles, troubles
    rows = {
        row["chat_id"]: row
        for row in await services.store.fetch_all(
            "SELECT o.* FROM announcement_deliveries d JOIN outbox o ON o.id = d.outbox_id"
            " WHERE d.announcement_id = ?",
            (announcement.id,),
        )
    }
    assert set(rows) == {person.chat_id for person in people}
    await check_what_arrived_is_what_the_outbox_says(services, telegram)
    unreachable = telegram.blocked | telegram.gone
    statuses = Counter(row["status"] for row in rows.values())
    assert statuses == Counter(sent=count - len(unreachable), failed=len(unreachable))
    await check_unreachable_marked(services, people, telegram.blocked, telegram.gone)
    check_unreachable_told_once(telegram, people, unreachable)
    assert check_retry_after_was_honoured(telegram) >= 2  # the burst, at least
    duplicates = sum(len(deliveries(telegram, chat, "Uitnodiging: ")) == 2 for chat in rows)
    assert duplicates > 0  # the seed gives some lost answers: the check above saw them

    # The coordinator's report: once, with the right counts.
    [report] = [t for t in telegram.texts_to(COORDINATOR) if t.startswith("Verslag ")]
    lines = report.splitlines()
    assert f"Aangekomen: {count - len(unreachable)}" in lines
    assert f"Niet aangekomen, Schakel geblokkeerd of chat weg: {len(unreachable)}" in lines
    assert "Niet aangekomen, andere fout: 0" in lines
    await check_it_still_answers(app, services, telegram, clock, COORDINATOR, "/aankondigingen")
    assert not troubles, troubles


async def test_an_announcement_to_1000_newcomers_under_faults(
    app: SchakelApp,
    services: Services,
    telegram: FakeTelegram,
    clock: FlowingClock,
    troubles: Troubles,
) -> None:
    await an_announcement_under_faults(app, services, telegram, clock, troubles, count=1000, seed=9)


@pytest.mark.parametrize(
    ("count", "seed", "retry_after"),
    [
        pytest.param(150, 4, (1,), marks=pytest.mark.telegrams_pace, id="150-in-make-test"),
        pytest.param(1000, 1, (1, 3, 5), marks=pytest.mark.slow, id="1000-seed-1"),
        pytest.param(1000, 2, (1, 3, 5), marks=pytest.mark.slow, id="1000-seed-2"),
    ],
)
async def test_an_announcement_under_faults_at_telegrams_pace(
    app: SchakelApp,
    services: Services,
    telegram: FakeTelegram,
    clock: FlowingClock,
    troubles: Troubles,
    count: int,
    seed: int,
    retry_after: tuple[int, ...],
) -> None:
    """The 429s are only those the test sets (a burst of two and the seed's), none for
    going over Telegram's limits as the stand-in counts them (at arrival, after 20 ms)."""
    telegram.latency = 0.02
    await an_announcement_under_faults(
        app, services, telegram, clock, troubles, count=count, seed=seed, retry_after=retry_after
    )
    assert [c for c in telegram.calls if c.limited] == []


# --- (b) a day of reminders -------------------------------------------------------------

REMINDER_CHAOS = {"429": 0.003, "500": 0.015, "503": 0.01, "timeout": 0.02,
                  "timeout-delivered": 0.015}  # fmt: skip


async def appointments_around_the_day(services: Services, people: list[Newcomer]) -> None:
    """One appointment each, planned at midnight: a third today, a third tomorrow, a third
    in three days, from 10:00 to 18:45, so each newcomer has one reminder due today
    (two hours, one day or three days before) and a third of the caseworkers' attendance
    questions come today too."""
    for n, person in enumerate(people):
        caseworker = await find_staff(services.store, person.caseworker)
        assert caseworker is not None
        starts = local(2027, 10, 13 + (0, 1, 3)[n % 3], 10) + dt.timedelta(
            minutes=15 * ((n // 3) % 36)
        )
        details = Details(Kind.DUO_INTAKE, starts, "VDAB, Kongostraat 7, 9000 Gent",
                          f"Begeleider{person.caseworker}")  # fmt: skip
        async with services.store.transaction() as db:
            appointment = await appointments.insert(
                db, services.clock, person.newcomer_id, details, created_by=caseworker.id
            )
            await reminders.store_plan(db, services.clock, services.config, appointment)
    await reminders.set_alarm(services)


# Telegram is down for three minutes: every call then answers 503.
OUTAGE = (local(2027, 10, 13, 11, 14).astimezone(dt.UTC),
          local(2027, 10, 13, 11, 17).astimezone(dt.UTC))  # fmt: skip


def reminder_faults(telegram: FakeTelegram, people: list[Newcomer], seed: int) -> None:
    """As for the announcement, and an outage of Telegram of three minutes."""
    chats = [person.chat_id for person in people]
    telegram.blocked.update(chats[4::29])
    telegram.gone.update(chat for chat in chats[8::53] if chat not in telegram.blocked)
    telegram.chaos = Chaos(seed, REMINDER_CHAOS, (1, 2), frozenset(chats))
    telegram.fail("503", during=OUTAGE)
    telegram.fail("429", times=2, retry_after=1, after=len(chats) // 2)
    telegram.fail("timeout", times=10, after=len(chats) * 3 // 4)


async def a_day_of_reminders_under_faults(
    app: SchakelApp,
    services: Services,
    telegram: FakeTelegram,
    clock: FlowingClock,
    troubles: Troubles,
    *,
    count: int,
    seed: int,
) -> None:
    people = await newcomers_with_a_contact(services, telegram, count)
    await appointments_around_the_day(services, people)
    # And at 10:00, among the reminders, an announcement to them all.
    await make_staff(services, telegram, COORDINATOR, "Kris Maes", Role.COORDINATOR, "In-Gent")
    await announce_to_everyone(services, local(2027, 10, 13, 10).astimezone(dt.UTC))
    reminder_faults(telegram, people, seed)
    unreachable = telegram.blocked | telegram.gone

    # Until 13:00; then one in seven of those with an appointment ahead who got their
    # reminder by then say they come.
    patience = 60 + count / 5  # real seconds; at Telegram's pace 30 messages a second
    await let_time_pass(
        app,
        services,
        clock,
        until=local(2027, 10, 13, 13).astimezone(dt.UTC),
        real_seconds=patience,
    )
    answering = [
        person
        for n, person in enumerate(people)
        if n % 3 != 0 and n % 7 == 0 and deliveries(telegram, person.chat_id, "Afspraak:")
    ]
    assert len(answering) >= count // 30
    for person in answering:
        sim = telegram.user(person.chat_id, person.first_name, person.language)
        appointment_id = await services.store.fetch_value(
            "SELECT id FROM appointments WHERE newcomer_id = ?", (person.newcomer_id,)
        )
        # The reminder's button (the announcement has one with the same words).
        await telegram.press_data(sim, f"v1:ap:yes:{appointment_id}")
    await let_time_pass(
        app,
        services,
        clock,
        until=local(2027, 10, 14, 0).astimezone(dt.UTC),
        real_seconds=patience,
    )

    assert not troubles, troubles
    await check_what_arrived_is_what_the_outbox_says(services, telegram)
    # Each newcomer had one reminder today: queued on time, and sent, or failed with why;
    # or, if an earlier message (the announcement) found them unreachable, skipped.
    today = await services.store.fetch_all(
        "SELECT r.*, c.chat_id, o.status AS sending, o.sent_at, o.reason AS why"
        " FROM reminders r JOIN appointments a ON a.id = r.appointment_id"
        " JOIN newcomers c ON c.id = a.newcomer_id LEFT JOIN outbox o ON o.id = r.outbox_id"
        " WHERE r.due_at < ?",
        (to_db(local(2027, 10, 14, 0)),),
    )
    assert sorted(row["chat_id"] for row in today) == [person.chat_id for person in people]
    for row in today:
        if row["chat_id"] in unreachable:
            assert (row["status"], row["reason"], row["sending"]) in (
                ("queued", None, "failed"),
                ("queued", None, "skipped"),
                ("skipped", reminders.SKIPPED_UNREACHABLE, None),
            ), tuple(row)
            continue
        assert (row["status"], row["late"], row["sending"]) == ("queued", 0, "sent"), tuple(row)
        delay = from_db(row["sent_at"]) - from_db(row["due_at"])
        # Retries took seconds; those in the outage, until a few minutes after it.
        assert delay < dt.timedelta(minutes=5), tuple(row)
    later = await services.store.fetch_value(
        "SELECT count(*) FROM reminders WHERE status != 'planned' AND due_at >= ?",
        (to_db(local(2027, 10, 14, 0)),),
    )
    assert later == 0  # tomorrow's reminders wait for tomorrow
    await check_unreachable_marked(services, people, telegram.blocked, telegram.gone)
    check_unreachable_told_once(telegram, people, unreachable)
    check_retry_after_was_honoured(telegram)

    # The announcement: to every newcomer still reachable, and the report once.
    went = await services.store.fetch_all(
        "SELECT o.status, count(*) AS n FROM announcement_deliveries d"
        " JOIN outbox o ON o.id = d.outbox_id GROUP BY o.status"
    )
    assert sum(row["n"] for row in went if row["status"] == "sent") == count - len(unreachable)
    [report] = [t for t in telegram.texts_to(COORDINATOR) if t.startswith("Verslag ")]
    assert f"Aangekomen: {count - len(unreachable)}" in report.splitlines()

    # The caseworkers: one attendance question per appointment today, one "comes" each.
    for n, person in enumerate(people):
        questions = [
            text
            for text in telegram.texts_to(person.caseworker)
            if f"met {person.first_name} ({person.reference}) op" in text
        ]
        assert len(questions) == (n % 3 == 0), (person, questions)
    for person in answering:
        told = [
            text
            for text in telegram.texts_to(person.caseworker)
            if text.startswith(f"{person.first_name} ({person.reference}) komt naar")
        ]
        assert len(told) == 1, (person, told)
    await check_it_still_answers(app, services, telegram, clock, CASEWORKERS[0], "/week")
    assert not troubles, troubles


async def test_a_day_of_reminders_under_faults(
    app: SchakelApp,
    services: Services,
    telegram: FakeTelegram,
    clock: FlowingClock,
    troubles: Troubles,
) -> None:
    await a_day_of_reminders_under_faults(
        app, services, telegram, clock, troubles, count=200, seed=9
    )


@pytest.mark.slow
async def test_a_day_of_reminders_for_1000_newcomers_under_faults_at_telegrams_pace(
    app: SchakelApp,
    services: Services,
    telegram: FakeTelegram,
    clock: FlowingClock,
    troubles: Troubles,
) -> None:
    await a_day_of_reminders_under_faults(
        app, services, telegram, clock, troubles, count=1000, seed=3
    )


# --- (c) one fault on a reply to a person who is waiting ---------------------------------


@pytest.mark.parametrize("kind", ["429", "503", "timeout", "timeout-delivered"])
async def test_a_reply_that_meets_a_fault_comes_seconds_later_by_the_bots_own_alarm(
    app: SchakelApp,
    services: Services,
    telegram: FakeTelegram,
    clock: FlowingClock,
    troubles: Troubles,
    kind: str,
) -> None:
    """The reply goes at once (not through the dispatcher's alarm); when Telegram refuses
    it, the dispatcher must set its alarm for the retry itself, not leave it to the
    one-minute sweep."""
    [amal] = await newcomers_with_a_contact(services, telegram, 1)
    await appointments_around_the_day(services, [amal])  # today at 10:00
    appointment_id = await services.store.fetch_value("SELECT id FROM appointments")
    telegram.fail(kind, chat_id=amal.chat_id, retry_after=1)
    newcomer = telegram.user(amal.chat_id, amal.first_name, amal.language)
    await telegram.press_data(newcomer, f"v1:ap:yes:{appointment_id}")

    async def replied() -> bool:
        status = await services.store.fetch_value(
            "SELECT status FROM outbox WHERE purpose = 'reply' AND chat_id = ?", (amal.chat_id,)
        )
        return status == "sent"

    await let_time_pass(app, services, clock, done=replied, real_seconds=10)
    assert not troubles, troubles
    row = await services.store.fetch_one("SELECT * FROM outbox WHERE purpose = 'reply'")
    assert row is not None
    # Put back for when Telegram allows (1 s after a 429, 2 s for the first retry after a
    # 5xx or a timeout), on the bot's clock, not for the minute's sweep; and the bot's own
    # alarm sent it (let_time_pass fails when only a sweep would).
    retry = from_db(row["due_at"]) - from_db(row["created_at"])
    assert dt.timedelta(seconds=1) <= retry < dt.timedelta(seconds=2.5), tuple(row)
    reply = render_bilingual(amal.language, texts.ANSWER_COMING)
    copies = len(deliveries(telegram, amal.chat_id, reply))
    assert copies == (2 if kind == "timeout-delivered" else 1)
    assert bool(row["possible_duplicate"]) == kind.startswith("timeout")
    told = [t for t in telegram.texts_to(amal.caseworker) if f"({amal.reference}) komt naar" in t]
    assert len(told) == 1
    assert check_retry_after_was_honoured(telegram) == (kind == "429")
    await check_what_arrived_is_what_the_outbox_says(services, telegram)
