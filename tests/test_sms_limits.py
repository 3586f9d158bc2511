"""The SMS lane's pace, counted as the gateway counts: at most `limit` in any window."""

from __future__ import annotations

import pytest

from bot.people.by_sms import in_own_language_too
from bot.sending.sms_limits import SmsPace, month_of, segments_of


def test_one_a_second_waits_a_second_after_each() -> None:
    pace = SmsPace(1.0)
    assert pace.wait_for(10.0) == 0.0
    pace.record(10.0)
    assert pace.wait_for(10.2) == pytest.approx(0.82)
    assert pace.wait_for(11.1) == 0.0


def test_ten_a_second_in_any_window_of_one_second() -> None:
    pace = SmsPace(10.0)
    for i in range(10):
        assert pace.wait_for(5.0 + i * 0.01) == 0.0
        pace.record(5.0 + i * 0.01)
    assert pace.wait_for(5.5) == pytest.approx(0.52)  # the first of the ten leaves at 6.0
    assert pace.wait_for(6.03) == 0.0


def test_less_than_one_a_second_spreads_them_out() -> None:
    pace = SmsPace(0.5)
    pace.record(0.0)
    assert pace.wait_for(1.0) == pytest.approx(1.02)


def test_segments_and_the_local_month() -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    assert segments_of("a" * 160) == 1 and segments_of("a" * 161) == 2
    assert segments_of("موعد" * 20) == 2  # Arabic: UCS-2, 70 a segment
    new_year = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)  # 00:30 in Brussels
    assert month_of(new_year, ZoneInfo("Europe/Brussels")) == "2027-01"


@pytest.mark.parametrize(
    ("translation", "language", "second"),
    [
        ("never", "so", False),
        ("latin-script", "so", True),
        ("latin-script", "tr", True),
        ("latin-script", "fr", True),
        ("latin-script", "ar", False),
        ("latin-script", "ti", False),
        ("latin-script", "uk", False),
        ("always", "ar", True),
        ("always", "ti", True),
        ("always", "nl", False),  # the Dutch SMS is theirs already
        ("latin-script", "nl", False),
    ],
)
def test_a_second_sms_in_the_own_language_follows_the_setting(
    translation: str, language: str, second: bool
) -> None:
    assert in_own_language_too(translation, language) is second
