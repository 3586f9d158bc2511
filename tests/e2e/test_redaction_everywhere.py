"""Every free text staff type is kept as `schakel redact` would keep it: a national
register number, phone number, e-mail address or IBAN typed into an appointment's place,
a profile or a helper's name never reaches the database or a newcomer's card."""

from __future__ import annotations

from bot.app.standin import FakeTelegram
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from tests.conftest import FakeClock
from tests.e2e.people import planning_waits_for_the_place

# The phone is not the caseworker's own work number (0470 12 34 56 in tests/e2e/people.py),
# which Schakel rightly shows in that form.
SECRETS = ("85.07.30-033.28", "0471.98.76.54", "BE68 5390 0754 7034", "amal@voorbeeld.be")
DIGITS_OF_SECRETS = ("85073003328", "0471987654", "68539007547034")


async def everything_stored(services: Services) -> str:
    """Every row of every table, as text."""
    tables = await services.store.fetch_all("SELECT name FROM sqlite_master WHERE type='table'")
    dump = []
    for (table,) in tables:
        for row in await services.store.fetch_all(f"SELECT * FROM {table}"):
            dump.append(" ".join(str(value) for value in tuple(row)))
    return "\n".join(dump)


def assert_kept_out(stored: str) -> None:
    digits_only = "".join(ch for ch in stored if ch.isdigit() or ch == "\n")
    for secret in SECRETS:
        assert secret not in stored
    for digits in DIGITS_OF_SECRETS:
        assert digits not in digits_only


async def test_a_place_a_profile_and_a_helper_keep_no_personal_numbers(
    app: SchakelApp, telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    caseworker, reference = await planning_waits_for_the_place(telegram, services, clock)
    await telegram.send(caseworker, f"Kongostraat 19, INSZ {SECRETS[0]}, bel {SECRETS[1]}")
    # Hours with more than days and times are refused (said back with the number removed).
    await telegram.send(caseworker, f"/profiel uren ma-vr 9-12, rekening {SECRETS[2]}")
    refused = telegram.texts_to(caseworker.id)[-1]
    assert refused.startswith("Deze uren begrijp ik niet: ma-vr 9-12, rekening [rekeningn")
    await telegram.send(caseworker, f"/betrokken {reference} buddy VDAB Els {SECRETS[3]}")

    stored = await everything_stored(services)
    assert_kept_out(stored)
    # What was typed around them stays, with a marker where they were.
    assert "Kongostraat 19, INSZ [rijksregisternummer verwijderd]" in stored
    hours = "SELECT hours FROM staff WHERE telegram_user_id = ?"
    assert await services.store.fetch_value(hours, (caseworker.id,)) == ""
    assert "Els [e-mailadres verwijderd]" in stored
    # Nor does anything Schakel sent back (the form's next question, the profile, ...).
    assert_kept_out("\n".join(str(call.params.get("text", "")) for call in telegram.sent()))
