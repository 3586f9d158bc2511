"""End-to-end tests: simulated people act faster than any person can type."""

from __future__ import annotations

import pytest

from bot.sending.dispatcher import ChatPacer
from bot.sending.services import Services


@pytest.fixture(autouse=True)
def people_type_fast(services: Services) -> None:
    # A newcomer taps once every few seconds; these tests tap many times a millisecond.
    # The per-chat pace itself is tested in tests/test_dispatcher.py.
    services.dispatcher.pacer = ChatPacer(burst=1000, interval=0.001)
