"""Everything a person reads: catalogs, placeholders, bidi isolation, dates through Babel.

`render(language, texts.X, **values)` gives one text in one language.
`render_bilingual(...)` gives the newcomer's language with the plain Dutch below,
the form every newcomer message takes.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from messages.bidi import FSI as FSI
from messages.bidi import PDI as PDI
from messages.bidi import RLM as RLM
from messages.bidi import isolate, lead_lines_right_to_left
from messages.language_table import language_name
from messages.languages import ENDONYMS, RIGHT_TO_LEFT, SUPPORTED_LANGUAGES, babel_locale

logger = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "nl"

# Between the newcomer's language and the Dutch below it. No words, so nothing to translate.
DUTCH_SEPARATOR = "\n\n🇧🇪 ───\n"


def is_right_to_left(language: str) -> bool:
    return language in RIGHT_TO_LEFT


class _LoggingFallback(gettext.NullTranslations):
    """Returns the Dutch source and says so in the log, once per language and text."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.reported: set[str] = set()

    def gettext(self, message: str) -> str:
        if message not in self.reported:
            self.reported.add(message)
            logger.warning(
                "no %s translation for %r; falling back to Dutch", self.language, message
            )
        return message


def _compile_in_memory(po_path: Path) -> gettext.GNUTranslations:
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog for a language; compiled .mo if built, else the .po read directly."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    fallback = _LoggingFallback(language)
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    mo_path, po_path = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    catalog: gettext.GNUTranslations
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        with mo_path.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)
    elif po_path.exists():
        # A fresh checkout has no .mo yet (they are built, not committed).
        catalog = _compile_in_memory(po_path)
    else:
        logger.warning("no catalog for language %r; falling back to Dutch", language)
        return fallback
    # Empty msgstr entries are left out of a compiled catalog, so the fallback sees them.
    catalog.add_fallback(fallback)
    return catalog


# A value may depend on the reader's language (a date, a translated word): give a
# function of the language, and each rendering calls it with its own language.
PerLanguage = Callable[[str], str]


def translated(text: str, /, **values: object) -> PerLanguage:
    """A text from messages/texts.py used as a value inside another text."""
    return lambda language: render(language, text, **values)


def when(moment: dt.datetime, tzinfo: dt.tzinfo) -> PerLanguage:
    """A moment as a value: weekday, date and time in the reader's language."""
    return lambda language: format_when(moment, language, tzinfo)


def a_day(value: dt.date) -> PerLanguage:
    """A day as a value: weekday and date in the reader's language."""
    return lambda language: format_date(value, "EEEE d MMMM y", locale=babel_locale(language))


def listed(texts_: Sequence[str]) -> PerLanguage:
    """Several texts from messages/texts.py as one value: 'a, b en c' in the reader's language."""
    return lambda language: format_list(
        [render(language, text) for text in texts_], locale=babel_locale(language)
    )


def list_separator(language: str) -> str:
    """What stands between two items of a list in the reader's language: ", " in Dutch,
    the Arabic comma "، " in Arabic script."""
    middle = str(Locale.parse(babel_locale(language)).list_patterns["standard"]["middle"])
    return middle.removeprefix("{0}").removesuffix("{1}")


def language_names(codes: Iterable[str]) -> PerLanguage:
    """Languages as a value: 'Nederlands, Frans en Arabisch' in the reader's language."""
    return functools.partial(_language_list, tuple(codes))


# Texts and dates are made again for every message of a burst (a thousand reminders for
# the same few slots, in a dozen languages): the same inputs give the same words, so the
# last few thousand are kept (bounded; each entry a short string).
TEXTS_KEPT = 4096


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _language_list(codes: tuple[str, ...], language: str) -> str:
    listed = [language_name(code, language) for code in codes]
    return format_list(listed, locale=babel_locale(language))


def _prepare(language: str, values: dict[str, object]) -> dict[str, str]:
    prepared = {
        key: value(language) if callable(value) else str(value) for key, value in values.items()
    }
    if is_right_to_left(language):
        return {key: isolate(value) for key, value in prepared.items()}
    return prepared


def render(language: str, text: str, /, **values: object) -> str:
    """One text in one language, placeholders filled (isolated in right-to-left text)."""
    if language not in SUPPORTED_LANGUAGES:
        logger.warning("unsupported language %r; using Dutch", language)
        language = SOURCE_LANGUAGE
    prepared = _prepare(language, values)
    return _filled(language, text, tuple(prepared.items()))


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _filled(language: str, text: str, values: tuple[tuple[str, str], ...]) -> str:
    """The text in the language with its placeholders filled (values already in words)."""
    translated = translations(language).gettext(text)
    prepared = dict(values)
    if is_right_to_left(language):
        return lead_lines_right_to_left(translated, lambda part: part.format(**prepared))
    return translated.format(**prepared)


def render_bilingual(language: str, text: str, /, **values: object) -> str:
    """The newcomer's language first, then the same in plain Dutch (once if Dutch)."""
    dutch = render(SOURCE_LANGUAGE, text, **values)
    if language == SOURCE_LANGUAGE:
        return dutch
    return render(language, text, **values) + DUTCH_SEPARATOR + dutch


Line = tuple[str, dict[str, object]]


def line(text: str, /, **values: object) -> Line:
    """One line of a longer message (a card, a list), rendered later in each language."""
    return (text, values)


def render_lines(language: str, lines: Sequence[Line]) -> str:
    return "\n".join(render(language, text, **values) for text, values in lines)


def render_lines_bilingual(language: str, lines: Sequence[Line]) -> str:
    """A card or list in the newcomer's language, then all of it again in plain Dutch."""
    dutch = render_lines(SOURCE_LANGUAGE, lines)
    if language == SOURCE_LANGUAGE:
        return dutch
    return render_lines(language, lines) + DUTCH_SEPARATOR + dutch


def render_everywhere(text: str, languages: Iterable[str] = SUPPORTED_LANGUAGES) -> str:
    """The same text in several languages, each line led by the language's own name."""
    return "\n".join(f"{ENDONYMS[code]}: {render(code, text)}" for code in languages)


@functools.lru_cache(maxsize=TEXTS_KEPT)
def format_when(moment: dt.datetime, language: str, tzinfo: dt.tzinfo) -> str:
    """Weekday, date and time in the reader's language and the configured timezone.
    Right-to-left languages join date and time the locale's own way (an Arabic comma, the
    Persian "ساعت"), not with the ASCII comma of the European pattern."""
    if is_right_to_left(language):
        locale = Locale.parse(babel_locale(language))
        local = moment.astimezone(tzinfo)
        date = format_date(local, "EEEE d MMMM y", locale=locale)
        time = format_time(local, "HH:mm", tzinfo=tzinfo, locale=locale)
        return str(locale.datetime_formats["long"]).format(time, date)
    return format_datetime(
        moment.astimezone(tzinfo),
        "EEEE d MMMM y, HH:mm",
        tzinfo=tzinfo,
        locale=babel_locale(language),
    )


def warm_up(languages: Iterable[str] = SUPPORTED_LANGUAGES) -> None:
    """Load each language's catalog and Babel's data for it (weekdays, months, list
    patterns) now. Loaded at first use, they made the first burst after a start pay for a
    dozen languages at once: 0.4 of the 0.5 s the first 30 reminders took (py-spy)."""
    moment = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
    for language in languages:
        translations(language)
        format_when(moment, language, dt.UTC)
        format_list(["1", "2", "3"], locale=babel_locale(language))
