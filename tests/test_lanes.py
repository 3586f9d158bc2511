"""Waiting in lanes (bot/core/lanes.py): a freed place goes to the lowest lane first,
first come first served within a lane; a lane kept from the last places; a waiter that
gives up takes nothing with it. Driven step by step (events, no sleeping)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.core.lanes import Lane, Lanes
from bot.storage.database import Store


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


class Holders:
    """Tasks that each take a place in a lane, note when they got it, and hold it until
    told to let go."""

    def __init__(self, lanes: Lanes) -> None:
        self.lanes = lanes
        self.got: list[str] = []
        self.release: dict[str, asyncio.Event] = {}
        self.tasks: dict[str, asyncio.Task[None]] = {}

    def start(self, name: str, lane: Lane) -> None:
        self.release[name] = asyncio.Event()

        async def hold() -> None:
            async with self.lanes.place(lane):
                self.got.append(name)
                await self.release[name].wait()

        self.tasks[name] = asyncio.create_task(hold())

    async def let_go(self, name: str) -> None:
        assert name in self.got, f"{name} has no place: {self.got}"
        self.release[name].set()
        await self.tasks[name]
        await settle()


async def test_a_freed_place_goes_to_the_lowest_lane_then_in_order_of_arrival() -> None:
    holders = Holders(Lanes(1))
    holders.start("bulk 1", Lane.BULK)
    await settle()
    waiting = [("bulk 2", Lane.BULK), ("reminder", Lane.ROUTINE), ("bulk 3", Lane.BULK),
               ("reply 1", Lane.REPLY), ("reply 2", Lane.REPLY)]  # fmt: skip
    for name, lane in waiting:
        holders.start(name, lane)
    await settle()
    assert holders.got == ["bulk 1"]
    for name in ["bulk 1", "reply 1", "reply 2", "reminder", "bulk 2"]:
        await holders.let_go(name)
    assert holders.got == ["bulk 1", "reply 1", "reply 2", "reminder", "bulk 2", "bulk 3"]
    await holders.let_go("bulk 3")
    assert holders.lanes.taken == 0


async def test_a_lane_kept_from_the_last_places_leaves_them_to_a_reply() -> None:
    lanes = Lanes(4, at_most={Lane.BULK: 2})
    holders = Holders(lanes)
    for n in range(4):
        holders.start(f"bulk {n}", Lane.BULK)
    await settle()
    assert holders.got == ["bulk 0", "bulk 1"]  # two places stay free
    holders.start("reply", Lane.REPLY)
    holders.start("reminder", Lane.ROUTINE)
    await settle()
    assert holders.got == ["bulk 0", "bulk 1", "reply", "reminder"]  # at once, past bulk
    await holders.let_go("reply")
    assert holders.got[-1] == "reminder"  # bulk is still at its two
    await holders.let_go("bulk 0")
    assert holders.got[-1] == "bulk 2"
    for name in ["bulk 1", "bulk 2", "reminder"]:
        await holders.let_go(name)
    await holders.let_go("bulk 3")
    assert lanes.taken == 0


async def test_a_waiter_that_gives_up_takes_no_place_and_holds_up_no_one() -> None:
    lanes = Lanes(1)
    holders = Holders(lanes)
    holders.start("first", Lane.BULK)
    holders.start("impatient", Lane.REPLY)
    holders.start("patient", Lane.BULK)
    await settle()
    holders.tasks["impatient"].cancel()
    await settle()
    assert holders.tasks["impatient"].cancelled()
    await holders.let_go("first")
    assert holders.got == ["first", "patient"]
    await holders.let_go("patient")
    assert lanes.taken == 0


async def test_a_waiter_cancelled_just_as_it_was_given_a_place_gives_it_back() -> None:
    lanes = Lanes(1)
    got: list[str] = []

    async def enter(name: str, lane: Lane) -> None:
        async with lanes.place(lane):
            got.append(name)

    async with lanes.place(Lane.BULK):
        unlucky = asyncio.create_task(enter("unlucky", Lane.REPLY))
        after = asyncio.create_task(enter("after", Lane.BULK))
        await settle()
    # Leaving handed the place to "unlucky", which has not run since: cancelled now.
    unlucky.cancel()
    await settle()
    assert unlucky.cancelled() and got == ["after"] and after.done()
    assert lanes.taken == 0


async def test_a_reply_transaction_is_written_before_an_announcements_next_chunk(
    tmp_path: Path,
) -> None:
    """The store's one writer at a time is taken in lanes too: while a chunk is written,
    the reply that asked after the next chunk still gets the following turn."""
    order: list[str] = []
    store = await Store.open(tmp_path / "lanes.db")

    async def write(name: str, lane: Lane) -> None:
        async with store.transaction(lane):
            order.append(name)

    async with store.transaction(Lane.BULK):
        waiting = [asyncio.create_task(write("chunk 2", Lane.BULK))]
        await settle()
        waiting.append(asyncio.create_task(write("reply", Lane.REPLY)))
        await settle()
        assert order == []
    await asyncio.gather(*waiting)
    await store.close()
    assert order == ["reply", "chunk 2"]
