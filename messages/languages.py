"""The languages Schakel speaks, each named in itself, and which read right to left."""

from __future__ import annotations

# Dutch first: it is the source of every text and the fallback.
SUPPORTED_LANGUAGES: tuple[str, ...] = (
    "nl",
    "en",
    "fr",
    "ar",
    "fa",
    "fa_AF",
    "ps",
    "ti",
    "so",
    "tr",
    "ru",
    "uk",
)

RIGHT_TO_LEFT: frozenset[str] = frozenset({"ar", "fa", "fa_AF", "ps"})
# Written in the Latin alphabet: an SMS in them is mostly GSM-7 (160 characters a part);
# any other script (Arabic, Ge'ez, Cyrillic) makes it UCS-2 (70 a part).
LATIN_SCRIPT: frozenset[str] = frozenset({"nl", "en", "fr", "so", "tr"})

# Written by hand, not taken from CLDR: CLDR calls Dari "فارسی (افغانستان)",
# but Afghan readers look for "دری".
ENDONYMS: dict[str, str] = {
    "nl": "Nederlands",
    "en": "English",
    "fr": "Français",
    "ar": "العربية",
    "fa": "فارسی",
    "fa_AF": "دری",
    "ps": "پښتو",
    "ti": "ትግርኛ",
    "so": "Soomaali",
    "tr": "Türkçe",
    "ru": "Русский",
    "uk": "Українська",
}

# The Babel locale used for dates and numbers; Dutch and French as in Belgium.
BABEL_LOCALES: dict[str, str] = {
    "nl": "nl_BE",
    "fr": "fr_BE",
    "en": "en_BE",
    "fa_AF": "fa_AF",
}


def babel_locale(language: str) -> str:
    return BABEL_LOCALES.get(language, language)


# What a Flemish caseworker may type instead of the code.
DUTCH_NAMES: dict[str, str] = {
    "nederlands": "nl",
    "engels": "en",
    "frans": "fr",
    "arabisch": "ar",
    "farsi": "fa",
    "perzisch": "fa",
    "dari": "fa_AF",
    "pasjtoe": "ps",
    "pashto": "ps",
    "tigrinya": "ti",
    "tigrinia": "ti",
    "somalisch": "so",
    "turks": "tr",
    "russisch": "ru",
    "oekraïens": "uk",
    "oekraiens": "uk",
}


def parse_language(text: str) -> str | None:
    """A supported language code from what a person typed ('AR', 'fa-af', 'Dari', 'دری')."""
    cleaned = text.strip().replace("-", "_").casefold()
    for code in SUPPORTED_LANGUAGES:
        if cleaned == code.casefold():
            return code
    for code, name in ENDONYMS.items():
        if cleaned == name.casefold():
            return code
    return DUTCH_NAMES.get(cleaned)
