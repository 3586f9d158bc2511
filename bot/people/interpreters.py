"""Which language a social interpreter speaks, as a caseworker types it.

Interpreters cover far more languages than Schakel's menus (Kurdish, Amharic,
Lingala...), so any language Babel knows is accepted, by its Dutch or English name
or its code, or its name in any language staff use Schakel in: "arabisch", "Arabic",
"arabe", "ar", "koerdisch".
"""

from __future__ import annotations

import functools

from babel import Locale

from messages.languages import SUPPORTED_LANGUAGES, babel_locale

# Codes a caseworker would not expect to type, mapped to what they mean in Flanders.
_ALIASES = {"dari": "fa_AF", "farsi": "fa", "perzisch": "fa", "pasjtoe": "ps", "pashto": "ps"}


@functools.cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    # Dutch and English first: where names clash, they decide.
    for code in ("nl", "en", *SUPPORTED_LANGUAGES):
        locale = Locale.parse(babel_locale(code))
        for code, name in locale.languages.items():
            names.setdefault(name.casefold(), code)
            names.setdefault(code.casefold(), code)
    names.update(_ALIASES)
    return names


def parse_interpreter_language(text: str) -> str | None:
    return _names().get(" ".join(text.split()).casefold())
