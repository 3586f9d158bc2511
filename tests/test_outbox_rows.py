"""An outbox row holds everything its message needs, and gives back exactly what was put
in: each kind of file, the flags, the buttons (Telegram's 64-byte limit on their data)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.clock import to_db
from bot.sending import outbox
from bot.sending.outbox import (
    Attachment,
    Button,
    Delivery,
    Outgoing,
    Row,
    claim,
    delivery_of,
    enqueue,
    enqueue_all,
    enqueue_many,
    last_stored_under,
    mark_final,
    mark_sent,
    postpone,
)
from bot.storage.database import Store
from tests.conftest import FakeClock


def _row(message: Outgoing, **columns: object) -> Row:
    stored = {"id": 1, "chat_id": message.chat_id, "newcomer_id": message.newcomer_id,
              "purpose": message.purpose, "attempts": 0, "recovered": 0, "bulk": 0,
              "payload": message.payload(), "channel": message.channel, **columns}  # fmt: skip
    return Row.from_db(stored)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "attachment",
    [
        Attachment("document", "afspraak.ics", b"BEGIN:VCALENDAR\r\n\x00\xff"),
        Attachment("photo", "qr.png", b"\x89PNG\r\n"),
    ],
)
def test_a_file_comes_back_as_it_went_in(attachment: Attachment) -> None:
    message = Outgoing(5, "caption", "reply", "k", attachment=attachment)
    assert _row(message).attachment == attachment


def test_a_plain_message_has_no_file_menu_edit_or_protection() -> None:
    message = Outgoing(5, "Hallo", "reply", "k")
    assert json.loads(message.payload()) == {"text": "Hallo", "buttons": []}
    row = _row(message, attempts=3, recovered=1)
    assert (row.attachment, row.keyboard, row.edits, row.protect) == (None, [], None, False)
    assert (row.attempts, row.recovered, row.text, row.purpose) == (3, 1, "Hallo", "reply")


def test_flags_and_links_survive_the_row() -> None:
    message = Outgoing(
        -100, "Kaart", "card", "k", buttons=[[Button("📍", url="https://maps.example/x")]],
        edits="card:1", protect=True, secret=True, newcomer_id=7,
    )  # fmt: skip
    payload = json.loads(message.payload())
    assert (payload["edits"], payload["protect"], payload["secret"]) == ("card:1", True, True)
    row = _row(message)
    assert (row.edits, row.protect, row.newcomer_id) == ("card:1", True, 7)
    assert row.buttons == [[Button("📍", url="https://maps.example/x")]]


def test_an_sms_comes_back_with_its_number_and_holds_plain_text_only() -> None:
    message = Outgoing(
        0, "Afspraak", "reminder", "k", newcomer_id=7, channel="sms", to="+32470123456"
    )
    row = _row(message)
    assert (row.channel, row.to, row.text) == ("sms", "+32470123456", "Afspraak")
    assert _row(Outgoing(5, "Hallo", "reply", "k")).channel == "telegram"
    with pytest.raises(ValueError, match="plain text only"):
        Outgoing(0, "x", "reminder", "k", channel="sms", to="+32470123456",
                 buttons=[[Button("✅", "v1:ap:yes:1")]])  # fmt: skip
    with pytest.raises(ValueError, match="a number"):
        Outgoing(0, "x", "reminder", "k", channel="sms")


def test_button_data_is_at_most_64_bytes_and_a_button_has_data_or_a_link() -> None:
    Button("x", "é" * 32)  # 64 bytes
    with pytest.raises(ValueError, match="64 bytes"):
        Button("x", "é" * 32 + "a")  # 65 bytes, 33 characters
    with pytest.raises(ValueError, match="either"):
        Button("x")
    with pytest.raises(ValueError, match="either"):
        Button("x", "v1:a", url="https://x")
    assert Button("x", "d").as_json() == ["x", "d"]
    assert Button("x", url="https://y").as_json() == ["x", "", "https://y"]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = await Store.open(tmp_path / "outbox.db")
    yield store
    await store.close()


async def _one(store: Store) -> aiosqlite.Row:
    row = await store.fetch_one("SELECT * FROM outbox")
    assert row is not None
    return row


async def test_waiting_for_pacing_is_no_attempt_a_retry_is_and_a_duplicate_flag_stays(
    store: Store,
) -> None:
    clock = FakeClock()
    async with store.transaction() as db:
        await enqueue(db, clock, Outgoing(5, "Hallo", "reply", "k"))
    later = clock() + dt.timedelta(seconds=30)
    [row] = await claim(store, clock, 10)
    await postpone(store, clock, row.id, later, "pacing for this chat", retry=False)
    stored = await _one(store)
    assert (stored["status"], stored["attempts"], stored["possible_duplicate"]) == ("pending", 0, 0)
    assert stored["due_at"] == to_db(later) and stored["reason"] == "pacing for this chat"
    [row] = await claim(store, clock, 10, ids=[row.id])
    await postpone(store, clock, row.id, later, "TimedOut", retry=True, duplicate=True)
    stored = await _one(store)
    assert (stored["attempts"], stored["possible_duplicate"]) == (1, 1)
    [row] = await claim(store, clock, 10, ids=[row.id])
    await postpone(store, clock, row.id, later, "NetworkError", retry=True)
    stored = await _one(store)
    assert (stored["attempts"], stored["possible_duplicate"]) == (2, 1)  # the flag stays


async def test_a_row_is_settled_only_as_failed_or_skipped(store: Store) -> None:
    clock = FakeClock()
    async with store.transaction() as db:
        await enqueue(db, clock, Outgoing(5, "Hallo", "reply", "k"))
    [row] = await claim(store, clock, 10)
    for wrong in ("sent", "pending", "SKIPPED"):
        with pytest.raises(ValueError) as refused:
            await mark_final(store, clock, row.id, wrong, "why")
        assert refused.value.args == (wrong,)
    await mark_final(store, clock, row.id, "skipped", "newcomer stopped")
    stored = await _one(store)
    assert (stored["status"], stored["reason"]) == ("skipped", "newcomer stopped")


async def test_many_messages_stored_at_once_count_only_the_new_keys(store: Store) -> None:
    """An announcement's rows go in a hundred at a time; a release cut off and done again
    stores no row twice (the idempotency key), and says how many were new."""
    clock = FakeClock()
    first = [Outgoing(100 + n, "Info", "announcement", f"an:1:{n}", bulk=True) for n in range(3)]
    async with store.transaction() as db:
        assert await enqueue_many(db, clock, first) == 3
        again = [*first, Outgoing(200, "Info", "announcement", "an:1:9", bulk=True)]
        assert await enqueue_many(db, clock, again) == 1
        assert await enqueue_many(db, clock, []) == 0
    rows = await store.fetch_all("SELECT chat_id, bulk, status FROM outbox ORDER BY id")
    assert [tuple(row) for row in rows] == [(100, 1, "pending"), (101, 1, "pending"),
                                            (102, 1, "pending"), (200, 1, "pending")]  # fmt: skip


async def test_where_a_message_stands_is_found_by_its_key(store: Store) -> None:
    clock = FakeClock()
    async with store.transaction() as db:
        await enqueue(db, clock, Outgoing(5, "Hallo", "reply", "card:7"))
    assert await delivery_of(store, "card:8") is None
    assert await delivery_of(store, "card:7") == Delivery("pending", None)
    [row] = await claim(store, clock, 10)
    await mark_sent(store, clock, [(row.id, 4242)])
    assert await delivery_of(store, "card:7") == Delivery("sent", 4242)


async def test_the_newest_message_under_a_key_prefix_and_none_of_its_neighbours(
    store: Store,
) -> None:
    """A stranger is answered at most once in a while (handlers/core/access.py): the last
    answer to user 12 is found under "stranger:12:", never one to user 120 or 11."""
    clock = FakeClock()
    assert await last_stored_under(store, "stranger:12:") is None
    async with store.transaction() as db:
        await enqueue(db, clock, Outgoing(12, "Wie?", "stranger", "stranger:12:a"))
        clock.advance(minutes=5)
        await enqueue(db, clock, Outgoing(12, "Wie?", "stranger", "stranger:12:b"))
        newest = clock()
        clock.advance(minutes=5)
        for other in ("stranger:120:a", "stranger:11:a", "stranger:12;", "stranger:13:"):
            await enqueue(db, clock, Outgoing(120, "Wie?", "stranger", other))
    assert await last_stored_under(store, "stranger:12:") == newest


async def test_many_are_stored_in_one_go_each_with_its_id_a_used_key_with_none(
    store: Store,
) -> None:
    clock = FakeClock()
    async with store.transaction() as db:
        [earlier] = await enqueue_all(db, clock, [Outgoing(5, "Eerder", "reply", "k2")])
    messages = [Outgoing(5, f"Bericht {n}", "notice", f"k{n}") for n in range(1, 5)]
    messages.append(Outgoing(6, "Nog eens k1", "notice", "k1"))  # k1 twice among these
    async with store.transaction() as db:
        ids = await enqueue_all(db, clock, messages)
    assert ids[1] is None and ids[4] is None  # k2 was used before, k1 by the first here
    stored = {row["id"]: row["payload"] for row in await store.fetch_all("SELECT * FROM outbox")}
    assert len(stored) == 4 and earlier in stored
    for message, row_id in zip(messages[:4], ids[:4], strict=True):
        if row_id is not None:
            assert json.loads(stored[row_id])["text"] == message.text


async def test_rows_are_claimed_by_id_not_by_a_look_through_every_waiting_row(
    store: Store,
) -> None:
    """With a burst of reminders waiting, a claim by id must not read them all: SQLite
    chose the (status, bulk, due_at) index for a list of ids and read every pending row
    ordered before them."""
    clock = FakeClock()
    waiting = [Outgoing(100 + n, "Herinnering", "reminder", f"h{n}") for n in range(3000)]
    async with store.transaction() as db:
        await enqueue_all(db, clock, waiting)
        replies = await enqueue_all(
            db, clock, [Outgoing(5 + n, "Antwoord", "reply", f"r{n}") for n in range(3)]
        )
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0  # go on

    await store.db.set_progress_handler(count, 100)  # once per 100 SQLite instructions
    rows = await claim(store, clock, 3, ids=[row_id for row_id in replies if row_id])
    await store.db.set_progress_handler(None, 100)  # type: ignore[arg-type]  # None clears it
    assert [row.id for row in rows] == replies
    assert steps < 20, f"{steps * 100} SQLite instructions to claim three rows"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="rem:129;<", min_size=1, max_size=6),
    st.text(alphabet="rem:129;<", max_size=8),
)
def test_a_key_range_holds_exactly_the_keys_that_start_with_its_prefix(
    prefix: str, key: str
) -> None:
    """reminder:1: holds reminder:1:... and not reminder:12:... nor reminder:2:... (the
    range on the unique index that withdraws one appointment's reminders)."""
    low, high = outbox.key_range(prefix)
    assert (low <= key < high) == key.startswith(prefix)
    assert outbox.key_range("reminder:1:") == ("reminder:1:", "reminder:1;")
