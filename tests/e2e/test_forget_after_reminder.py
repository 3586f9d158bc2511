""" "Forget me" after a reminder went: the reminder row pointed at the erased message,
so the erase failed on the foreign key and nothing was forgotten."""

from __future__ import annotations

import datetime as dt

from bot.app.standin import FakeTelegram
from bot.appointments import reminders
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import render, texts
from tests.conftest import FakeClock
from tests.e2e.people import amal_with_an_appointment, local


async def test_a_newcomer_who_got_a_reminder_can_be_forgotten(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    _, amal, reference = await amal_with_an_appointment(telegram, services, clock, "ar")
    clock.now = local(2027, 3, 26, 10).astimezone(dt.UTC)
    assert await reminders.run_due(services) == 1
    await telegram.send(amal, "/vergeet")
    await telegram.press(amal, render("ar", texts.BUTTON_FORGET_YES))

    row = await services.store.fetch_one(
        "SELECT first_name, chat_id, forgotten_at FROM newcomers WHERE reference = ?", (reference,)
    )
    assert row is not None
    assert (row["first_name"], row["chat_id"]) == ("", None) and row["forgotten_at"]
    erased = await services.store.fetch_int(
        "SELECT count(*) FROM outbox"
        " WHERE newcomer_id = (SELECT id FROM newcomers WHERE reference = ?)",
        (reference,),
    )
    assert erased == 0  # only the goodbye is left, tied to no one
    # The reminder stays as a count (it went), pointing at no message.
    queued = await services.store.fetch_all("SELECT status, outbox_id FROM reminders")
    assert [(r["status"], r["outbox_id"]) for r in queued if r["status"] == "queued"] == [
        ("queued", None)
    ]
    assert render("nl", texts.SOMETHING_WENT_WRONG) not in telegram.texts_to(amal.id)[-1]
