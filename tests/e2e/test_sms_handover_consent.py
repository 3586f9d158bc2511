"""A handover note's consent asked of a newcomer on SMS (issue 23 item 1, issue 21): the
question in plain Dutch, then in Somali (`[sms] translation = "latin-script"`), answered
JA or NEE by SMS; the caseworker hears it at once, as after ✅/❌, and it is audited the
same way. End to end: the real Application, the offline Telegram and the offline Twilio."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.app.standin import FakeTelegram, SimUser
from bot.core.config import Config
from bot.sending.services import Services
from handlers.core.context import SchakelApp
from messages import render, texts
from tests.conftest import FakeClock
from tests.e2e.people import local
from tests.e2e.sms import AMAL_NUMBER, sms_config
from tests.e2e.test_handover import partners
from tests.e2e.test_handover_consent import start_asking
from tests.twilio_standin import TwilioStandIn

QUESTION = (
    "Laila Peeters wil uw gegevens sturen naar OCMW. Daar krijgt u een nieuwe begeleider. "
    "Is dat goed?\nAntwoord JA of NEE."
)


@pytest.fixture
def config(tmp_path: Path, twilio: TwilioStandIn) -> Config:
    return sms_config(tmp_path, twilio, translation="latin-script")


async def amal_on_sms_asked(
    telegram: FakeTelegram, services: Services, clock: FakeClock, twilio: TwilioStandIn
) -> tuple[SimUser, str]:
    """Laila registers Amal (Somali, no Telegram) by SMS, Amal says JA; then Laila's
    handover note to OCMW asks Amal's consent. Returns Laila and Amal's reference."""
    clock.now = local(2027, 3, 22, 10).astimezone(dt.UTC)
    _group, laila, _sarah, _els = await partners(services, telegram)
    await telegram.send(laila, f"/nieuw Amal so A1 sms {AMAL_NUMBER}")
    reference = await services.store.fetch_value("SELECT reference FROM newcomers")
    assert isinstance(reference, str)
    assert await twilio.reply(AMAL_NUMBER, "JA") == 200
    form = f"/overdracht {reference}"
    await telegram.send(laila, form)
    await telegram.press(laila, "OCMW")
    await telegram.press(laila, "Sarah Peeters")
    await telegram.press(laila, "Nieuwe begeleider")
    asking = telegram.texts_to(laila.id)[-1]
    can_ask = render("nl", texts.HANDOVER_CONSENT_CAN_ASK_SMS, name="Amal", language="Somalisch")
    assert can_ask in asking
    await telegram.send(laila, "/cancel")
    await start_asking(telegram, laila, reference)
    return laila, reference


async def test_amal_answers_ja_by_sms_and_laila_hears_it_at_once(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    laila, reference = await amal_on_sms_asked(telegram, services, clock, twilio)
    dutch, somali = twilio.messages[-2:]
    assert dutch.to == AMAL_NUMBER and dutch.body == QUESTION and dutch.segments == 1
    own = texts.HANDOVER_CONSENT_QUESTION_HANDOVER
    assert somali.body.startswith(render("so", own, contact="Laila Peeters", organisation="OCMW"))
    assert somali.body.endswith(render("so", texts.SMS_YES_OR_NO))
    assert render("nl", texts.HANDOVER_CONSENT_ASKED, name="Amal") in telegram.texts_to(laila.id)
    request = await services.store.fetch_one(
        "SELECT channel, status FROM handover_consent_requests"
    )
    assert request is not None and tuple(request) == ("sms", "waiting")

    assert await twilio.reply(AMAL_NUMBER, "ja") == 200
    assert twilio.messages[-1].body == render("nl", texts.SMS_CONSENT_THANKS)
    agreed = render("nl", texts.HANDOVER_NEWCOMER_AGREED, name="Amal", organisation="OCMW")
    assert agreed + "\n[ 📝 Nota openen ]" in telegram.texts_to(laila.id)
    request = await services.store.fetch_one("SELECT status FROM handover_consent_requests")
    assert request is not None and request["status"] == "agreed"
    audit = await services.store.fetch_all(
        "SELECT actor, action FROM audit_log WHERE action LIKE 'handover.consent%' ORDER BY id"
    )
    assert [tuple(row) for row in audit] == [
        ("staff:2", "handover.consent.ask"),
        (f"newcomer:{reference}", "handover.consent.agreed"),
    ]
    # A second JA changes nothing: it is passed on to her contact person, as free text.
    told = len(telegram.texts_to(laila.id))
    assert await twilio.reply(AMAL_NUMBER, "JA") == 200
    assert telegram.texts_to(laila.id)[told:] == [
        render("nl", texts.STAFF_SMS_FORWARDED, name="Amal", reference=reference, text="JA")
    ]
    request = await services.store.fetch_one("SELECT status FROM handover_consent_requests")
    assert request is not None and request["status"] == "agreed"


async def test_amal_answers_nee_by_sms_and_the_note_is_not_shared(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    laila, reference = await amal_on_sms_asked(telegram, services, clock, twilio)
    assert await twilio.reply(AMAL_NUMBER, "Nee.") == 200
    refused = render("nl", texts.HANDOVER_NEWCOMER_REFUSED, name="Amal", organisation="OCMW")
    assert refused in telegram.texts_to(laila.id)
    request = await services.store.fetch_one("SELECT status FROM handover_consent_requests")
    assert request is not None and request["status"] == "refused"
    assert await services.store.fetch_value("SELECT count(*) FROM handover_consents") == 0
    actions = await services.store.fetch_all(
        "SELECT action FROM audit_log WHERE actor = ? AND action LIKE 'handover.%'",
        (f"newcomer:{reference}",),
    )
    assert [row["action"] for row in actions] == ["handover.consent.refused"]
    # Free text about it reaches Laila, nothing is decided by it.
    assert await twilio.reply(AMAL_NUMBER, "waarom?") == 200
    assert telegram.texts_to(laila.id)[-1] == render(
        "nl", texts.STAFF_SMS_FORWARDED, name="Amal", reference=reference, text="waarom?"
    )
