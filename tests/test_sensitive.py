"""Free text is scanned before it may reach the partner channel or a stored note: national
register and BIS numbers (with their checksum, in every common notation), phone
numbers, e-mail addresses and IBANs go; dates, house numbers and amounts stay."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.redaction import Kind, find_sensitive, redact

WORDS = ["Amal", "komt", "naar", "de", "intake", "op", "in", "Gent", "met", "tolk", "en",
         "heeft", "nummer", "dossier", "adres", "(", ")", ":"]  # fmt: skip
ORDINARY = st.one_of(
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.strftime("%d-%m-%Y")),
    st.integers(1, 250).map(lambda n: f"Kongostraat {n}"),
    st.integers(1000, 9999).map(lambda n: f"{n} Gent"),
    st.integers(0, 99999).map(lambda n: f"€ {n:,}".replace(",", ".") + ",00"),
    st.integers(0, 23).map(lambda h: f"{h}:30"),
    st.integers(1950, 2030).map(str),
    st.integers(1, 99).map(lambda n: f"{n} jaar"),
)
NOTATIONS = [
    "{a}{b}{c}{s}{k}",  # 85073003328
    "{a}.{b}.{c}-{s}.{k}",  # 85.07.30-033.28, as on the eID card
    "{a} {b} {c} {s} {k}",
    "{a}{b}{c}-{s}-{k}",
    "{a}{b}{c} {s} {k}",
    "{a}.{b}.{c}.{s}.{k}",
    "{a}-{b}-{c}-{s}-{k}",
    "{a}/{b}/{c}-{s}-{k}",
]


def write(number: str, notation: str) -> str:
    parts = number[0:2], number[2:4], number[4:6], number[6:9], number[9:11]
    return notation.format(**dict(zip("abcsk", parts, strict=True)))


@st.composite
def national_numbers(draw: st.DrawFn) -> str:
    """A valid national register number, or a BIS number (month + 20 or + 40)."""
    born = draw(st.dates(dt.date(1920, 1, 1), dt.date(2025, 12, 31)))
    serial = draw(st.integers(1, 997))
    month = born.month + draw(st.sampled_from([0, 20, 40]))
    first = f"{born.year % 100:02d}{month:02d}{born.day:02d}{serial:03d}"
    base = int(("2" if born.year >= 2000 else "") + first)
    return f"{first}{97 - base % 97:02d}"


def _digits_joined(text: str) -> str:
    return re.sub(r"[.\-/ ]", "", text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    number=national_numbers(),
    notation=st.sampled_from(NOTATIONS),
    before=st.lists(st.one_of(st.sampled_from(WORDS), ORDINARY), max_size=8),
    after=st.lists(st.one_of(st.sampled_from(WORDS), ORDINARY), max_size=8),
    punctuation=st.sampled_from(["", ",", ".", ")", ";"]),
)
def test_no_national_or_bis_number_survives_in_any_notation(
    number: str, notation: str, before: list[str], after: list[str], punctuation: str
) -> None:
    written = write(number, notation)
    text = " ".join([*before, written + punctuation, *after])
    redacted, findings = redact(text, lambda kind: f"[{kind.value}]")
    assert written not in redacted
    assert number not in _digits_joined(redacted)
    # As an identity number; one that starts with 00 may also read as an international
    # phone number when a number follows it ("00271000114 10:30"), and goes as that.
    identity: tuple[Kind, ...] = (Kind.NATIONAL_NUMBER, Kind.BIS_NUMBER)
    if number.startswith("00"):
        identity += (Kind.PHONE,)
    assert any(f.kind in identity and written in f.text for f in findings)


@settings(max_examples=300)
@given(st.lists(st.one_of(st.sampled_from(WORDS), ORDINARY), max_size=15))
def test_dates_house_numbers_amounts_and_years_are_left_alone(parts: list[str]) -> None:
    text = " ".join(parts)
    assert find_sensitive(text) == []


def test_phones_emails_and_ibans_are_found_and_redacted() -> None:
    text = ("Bel 0470 12 34 56 of +32 9 265 48 11, mail amal.b@example.org, "
            "rekening BE71 0961 2345 6769; afspraak 26/01/2027 om 10:30.")  # fmt: skip
    redacted, findings = redact(text, lambda kind: f"[{kind.value}]")
    assert redacted == (
        "Bel [phone] of [phone], mail [email], rekening [iban]; afspraak 26/01/2027 om 10:30."
    )
    assert [f.kind for f in findings] == [Kind.PHONE, Kind.PHONE, Kind.EMAIL, Kind.IBAN]


def test_a_wrong_checksum_is_an_ordinary_number() -> None:
    assert find_sensitive("dossier 85.07.30-033.29") == []
    assert find_sensitive("IBAN BE71 0961 2345 6760") == []
