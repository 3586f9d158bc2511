"""The one name of every language in every language Schakel speaks.

Written out here, not asked from CLDR at run time: CLDR and the translators did not
agree (Tigrinya ዳች and ሆላንድኛ for Dutch, Somali "Holandays" and the Dutch word
"Nederlands", Turkish "Felemenkçe" and "Hollandaca", two Pashto spellings). The names
start from CLDR (Babel), with the translators' choice where readers know it better.
`schakel check-catalogs` checks that every translation that names a language uses
this name (`names_in_translations`).
"""

from __future__ import annotations

import re

from messages.languages import ENDONYMS, SUPPORTED_LANGUAGES

# Persian and Dari (Afghan Persian) write every language name alike but Dutch: Dari
# readers know it as هالندی.
_PERSIAN_NAMES = {
    "nl": "هلندی",
    "en": "انگلیسی",
    "fr": "فرانسوی",
    "ar": "عربی",
    "fa": "فارسی",
    "fa_AF": "دری",
    "ps": "پشتو",
    "ti": "تیگرینیایی",
    "so": "سومالیایی",
    "tr": "ترکی",
    "ru": "روسی",
    "uk": "اوکراینی",
}

# reader's language -> language -> its name, as that reader writes it in running text.
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "nl": "Nederlands",
        "en": "Engels",
        "fr": "Frans",
        "ar": "Arabisch",
        "fa": "Perzisch",
        "fa_AF": "Dari",
        "ps": "Pasjtoe",
        "ti": "Tigrinya",
        "so": "Somalisch",
        "tr": "Turks",
        "ru": "Russisch",
        "uk": "Oekraïens",
    },
    "en": {
        "nl": "Dutch",
        "en": "English",
        "fr": "French",
        "ar": "Arabic",
        "fa": "Persian",
        "fa_AF": "Dari",
        "ps": "Pashto",
        "ti": "Tigrinya",
        "so": "Somali",
        "tr": "Turkish",
        "ru": "Russian",
        "uk": "Ukrainian",
    },
    "fr": {
        "nl": "néerlandais",
        "en": "anglais",
        "fr": "français",
        "ar": "arabe",
        "fa": "persan",
        "fa_AF": "dari",
        "ps": "pachto",
        "ti": "tigrigna",
        "so": "somali",
        "tr": "turc",
        "ru": "russe",
        "uk": "ukrainien",
    },
    "ar": {
        "nl": "الهولندية",
        "en": "الإنجليزية",
        "fr": "الفرنسية",
        "ar": "العربية",
        "fa": "الفارسية",
        "fa_AF": "الدارية",
        "ps": "البشتو",
        "ti": "التغرينية",
        "so": "الصومالية",
        "tr": "التركية",
        "ru": "الروسية",
        "uk": "الأوكرانية",
    },
    "fa": _PERSIAN_NAMES,
    "fa_AF": {**_PERSIAN_NAMES, "nl": "هالندی"},
    "ps": {
        "nl": "هالنډي",
        "en": "انګليسي",
        "fr": "فرانسوي",
        "ar": "عربي",
        "fa": "فارسي",
        "fa_AF": "دري",
        "ps": "پښتو",
        "ti": "تيګريني",
        "so": "سومالي",
        "tr": "ترکي",
        "ru": "روسي",
        "uk": "اوکرايني",
    },
    "ti": {
        "nl": "ሆላንድኛ",
        "en": "እንግሊዝኛ",
        "fr": "ፈረንሳይኛ",
        "ar": "ዓረብኛ",
        "fa": "ፋርስኛ",
        "fa_AF": "ዳሪ",
        "ps": "ፓሽቶ",
        "ti": "ትግርኛ",
        "so": "ሶማሊ",
        "tr": "ቱርክኛ",
        "ru": "ሩስኛ",
        "uk": "ዩክረይንኛ",
    },
    "so": {
        "nl": "Holandays",
        "en": "Ingiriisi",
        "fr": "Faransiis",
        "ar": "Carabi",
        "fa": "Faarisi",
        "fa_AF": "Dari",
        "ps": "Bashtuu",
        "ti": "Tigrinya",
        "so": "Soomaali",
        "tr": "Turki",
        "ru": "Ruush",
        "uk": "Yukreeniyaan",
    },
    "tr": {
        "nl": "Hollandaca",
        "en": "İngilizce",
        "fr": "Fransızca",
        "ar": "Arapça",
        "fa": "Farsça",
        "fa_AF": "Darice",
        "ps": "Peştuca",
        "ti": "Tigrinyaca",
        "so": "Somalice",
        "tr": "Türkçe",
        "ru": "Rusça",
        "uk": "Ukraynaca",
    },
    "ru": {
        "nl": "нидерландский",
        "en": "английский",
        "fr": "французский",
        "ar": "арабский",
        "fa": "персидский",
        "fa_AF": "дари",
        "ps": "пушту",
        "ti": "тигринья",
        "so": "сомали",
        "tr": "турецкий",
        "ru": "русский",
        "uk": "украинский",
    },
    "uk": {
        "nl": "нідерландська",
        "en": "англійська",
        "fr": "французька",
        "ar": "арабська",
        "fa": "перська",
        "fa_AF": "дарі",
        "ps": "пушту",
        "ti": "тигринья",
        "so": "сомалі",
        "tr": "турецька",
        "ru": "російська",
        "uk": "українська",
    },
}


def language_name(code: str, reader: str) -> str:
    """The name of language `code` for a reader of `reader`; the endonym if unknown."""
    return LANGUAGE_NAMES.get(reader, {}).get(code) or ENDONYMS.get(code, code)


def _stem(name: str) -> str:
    """The part of a name that stays when it is declined: "нидерланд" of "нидерландский"
    ("нидерландского"), "Holland" of "Hollandaca" ("Hollandacayı")."""
    return name[: max(4, len(name) - 3)]


# Texts that ask staff to type a Dutch name ("Typ de naam, bijvoorbeeld Arabisch"):
# the translation keeps the Dutch word, because that is what Schakel understands.
WHAT_STAFF_TYPE = ("Die taal ken ik niet:",)


def names_in_translations(msgid: str, translation: str, language: str) -> list[str]:
    """The languages the Dutch text names whose name in `language` the translation lacks
    (it uses another name, or the Dutch one)."""
    wrong: list[str] = []
    if msgid.startswith(WHAT_STAFF_TYPE):
        return wrong
    for code, dutch in LANGUAGE_NAMES["nl"].items():
        if language == "nl" or not re.search(rf"\b{dutch}\b", msgid):
            continue
        if _stem(LANGUAGE_NAMES[language][code]).casefold() not in translation.casefold():
            wrong.append(f"{dutch} -> {LANGUAGE_NAMES[language][code]}")
    return wrong


def check_language_names() -> list[str]:
    """The table itself: every language named for every reader, each endonym the same."""
    problems = [
        f"{reader}: no name for {code}"
        for reader in SUPPORTED_LANGUAGES
        for code in SUPPORTED_LANGUAGES
        if not LANGUAGE_NAMES.get(reader, {}).get(code)
    ]
    problems += [
        f"{code}: endonym {ENDONYMS[code]!r} is not {LANGUAGE_NAMES[code][code]!r}"
        for code in SUPPORTED_LANGUAGES
        if ENDONYMS[code].casefold() != LANGUAGE_NAMES[code][code].casefold()
    ]
    return problems
