"""Phone numbers as typed in Flanders, stored in E.164 and shown so a tap calls them."""

from __future__ import annotations

import functools

import phonenumbers

DEFAULT_REGION = "BE"


class BadPhone(ValueError):
    pass


def normalise_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """'0470 12 34 56', '+32470123456' or '09/266.11.11' -> '+32470123456'."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as problem:
        raise BadPhone(text) from problem
    if not phonenumbers.is_valid_number(number):
        raise BadPhone(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# A burst of reminders shows the same few contact numbers hundreds of times.
@functools.lru_cache(maxsize=4096)
def display_phone(phone: str) -> str:
    """The one way a person reads a phone number, on the card, in reminders and in
    /profiel: as it is dialled in Belgium, '0470 12 34 56' (the reminder SMS has no room
    for '+32 '); a foreign number stays international ('+31 6 12345678'). Unparseable
    text is shown as it was given."""
    try:
        number = phonenumbers.parse(phone, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return phone
    if number.country_code == phonenumbers.country_code_for_region(DEFAULT_REGION):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_mobile(text: str, region: str = DEFAULT_REGION) -> str:
    """A number that can get SMS (a mobile one) in E.164; BadPhone for a landline too."""
    number = phonenumbers.parse(normalise_phone(text, region))
    kind = phonenumbers.number_type(number)
    mobile = (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if kind not in mobile:
        raise BadPhone(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
