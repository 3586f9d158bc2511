"""What every handler needs, in one object: configuration, storage, clock, outbox."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from bot import clients, outbox
from bot.alarm import Alarm
from bot.clock import Clock, to_db
from bot.config import Config
from bot.dispatcher import Dispatcher
from bot.outbox import Outgoing
from bot.storage import Store
from messages import render, texts

logger = logging.getLogger(__name__)


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
    # (bot/broadcast_delivery.py).
    broadcast_alarm: Alarm = field(default_factory=lambda: Alarm("broadcasts"))
    broadcast_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, *messages: Outgoing, now: bool = True) -> list[int]:
        """Store messages in the outbox in one transaction, then send the due ones at once.

        `now=True` is for people waiting for an answer; scheduled rows are woken for.
        """
        stored: list[tuple[int, Outgoing]] = []
        async with self.store.transaction() as db:
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

    async def client_unreachable(self, chat_id: int, reason: str) -> None:
        """Telegram stopped delivering to a newcomer: tell their contact person, once."""
        client = await clients.mark_unreachable(self.store, self.clock, chat_id, reason)
        if client is None:
            return
        contact = await clients.contact_of(self.store, client.id)
        if contact is None or contact.chat_id is None:
            logger.warning("client %s unreachable and has no contact on Schakel", client.reference)
            return
        await self.send(
            Outgoing(
                chat_id=contact.chat_id,
                text=render(
                    contact.language,
                    texts.CASEWORKER_CLIENT_UNREACHABLE,
                    name=client.first_name,
                    reference=client.reference,
                ),
                purpose="notice",
                idempotency_key=f"unreachable:{client.id}:{to_db(self.clock())}",
                ref=f"client:{client.reference}",
            ),
            now=False,
        )
