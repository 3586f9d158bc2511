"""What every handler needs, in one object: configuration, storage, clock, outbox."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.lanes import Lane
from bot.sending import outbox
from bot.sending.alarm import Alarm
from bot.sending.dispatcher import Dispatcher
from bot.sending.outbox import Outgoing
from bot.storage.database import Store


@dataclass
class Services:
    config: Config
    store: Store
    clock: Clock
    dispatcher: Dispatcher
    # Rings when a reminder or an attendance question is due (bot/reminders.py).
    reminder_alarm: Alarm = field(default_factory=lambda: Alarm("reminders"))
    reminder_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Rings when an announcement is due, on its way, or its day-before reminder is due
    # (bot/announcement_delivery.py).
    announcement_alarm: Alarm = field(default_factory=lambda: Alarm("announcements"))
    announcement_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, *messages: Outgoing, now: bool = True) -> list[int]:
        """Store messages in the outbox in one transaction, then send the due ones at once.

        `now=True` is for people waiting for an answer; scheduled rows are woken for.
        """
        stored: list[tuple[int, Outgoing]] = []
        async with self.store.transaction(Lane.REPLY if now else Lane.ROUTINE) as db:
            for message in messages:
                row_id = await outbox.enqueue(db, self.clock, message)
                if row_id is not None:  # None: this idempotency key was already used
                    stored.append((row_id, message))
        due_now = [row_id for row_id, message in stored if message.due_at is None]
        if now and due_now:
            await self.dispatcher.deliver(due_now)
        if len(due_now) != len(stored) or not now:
            self.dispatcher.wake()
        return [row_id for row_id, _ in stored]
