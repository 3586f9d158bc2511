"""Which language a social interpreter speaks, as a caseworker types it.

Interpreters cover far more languages than Schakel's menus (Kurdish, Amharic,
Lingala...), so any language Babel knows is accepted, by its Dutch or English name
or its code: "arabisch", "Arabic", "ar", "koerdisch".
"""

from __future__ import annotations

import functools

from babel import Locale

# Codes a caseworker would not expect to type, mapped to what they mean in Flanders.
_ALIASES = {"dari": "fa_AF", "farsi": "fa", "perzisch": "fa", "pasjtoe": "ps", "pashto": "ps"}


@functools.cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for locale in (Locale("en"), Locale("nl")):
        for code, name in locale.languages.items():
            names.setdefault(name.casefold(), code)
            names.setdefault(code.casefold(), code)
    names.update(_ALIASES)
    return names


def parse_interpreter_language(text: str) -> str | None:
    return _names().get(" ".join(text.split()).casefold())
