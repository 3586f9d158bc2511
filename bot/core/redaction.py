"""What must never reach the partner channel or a stored note: Belgian national register
numbers and BIS numbers, phone numbers, e-mail addresses and bank account numbers (IBAN).

People do not type these the way a form would. A number arrives glued to a label
("INSZ85073003328"), grouped however the writer likes ("8507-3003-328", "850 730 033 28"),
in Arabic-Indic or fullwidth digits, or with a zero-width space or soft hyphen pasted in
from a PDF. So the text is first normalised (NFKC, every decimal digit to ASCII,
invisible characters dropped), keeping a map back to the input, and only then searched.

Numbers are checked, not just matched: a national register or BIS number must pass its
checksum and carry a possible month and day (python-stdnum), a phone number must be a
valid number (phonenumbers), an IBAN its mod-97 check digits and its country's layout.
Dates, times, house numbers, postcodes, amounts and case references are left alone: they
fail those checks, and the few digit shapes that could pass by chance (a date followed
by an hour) are recognised as dates first.

Offsets in every Finding are into the text as given, so a caller can cut it there.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import phonenumbers
from stdnum import iban, numdb
from stdnum.be import bis, nn

__all__ = ["DEFAULT_REGION", "MARKERS", "Finding", "Kind", "find_sensitive", "keep", "redact"]

# Kept here rather than imported from the phones module, so this module stands alone.
DEFAULT_REGION = "BE"


class Kind(enum.StrEnum):
    """What was found. Declaration order is the priority when two findings overlap."""

    NATIONAL_NUMBER = "national_number"  # rijksregisternummer
    BIS_NUMBER = "bis_number"  # BIS-nummer: month + 20 or + 40
    IBAN = "iban"
    EMAIL = "email"
    PHONE = "phone"


# What a stored note says instead; the stored text is Dutch staff text.
MARKERS: dict[Kind, str] = {
    Kind.NATIONAL_NUMBER: "[rijksregisternummer verwijderd]",
    Kind.BIS_NUMBER: "[BIS-nummer verwijderd]",
    Kind.PHONE: "[telefoonnummer verwijderd]",
    Kind.EMAIL: "[e-mailadres verwijderd]",
    Kind.IBAN: "[rekeningnummer verwijderd]",
}


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int  # into the input as given, not the normalised text
    end: int
    text: str  # input[start:end]


# --- Normalisation ------------------------------------------------------------------------

# Characters that NFKC keeps but that only exist to separate digits in other scripts.
_PUNCTUATION = {
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
    "\u060c": ",",  # Arabic comma
    "\u00b7": ".",  # middle dot
    "\u2044": "/",  # fraction slash (what NFKC makes of "½")
    "\u2215": "/",  # division slash
    "\u2212": "-",  # minus sign
    "\u2028": "\n",  # line separator
    "\u2029": "\n",  # paragraph separator
}
# Letters of category Lo that render as nothing; pasted in, they would split a number.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _normalise_char(char: str) -> str:
    """What one input character counts as when searching: '' for an invisible one."""
    if char.isascii():
        return char
    out = []
    for part in unicodedata.normalize("NFKC", char):
        category = unicodedata.category(part)
        # Cf: zero-width space, ZWNJ/ZWJ, word joiner, BOM, soft hyphen, bidi marks.
        # Mn/Me: variation selectors and the keycap in "8️⃣", which would split digits.
        if category in ("Cf", "Mn", "Me") or part in _BLANK_LETTERS:
            continue
        digit = unicodedata.decimal(part, None)
        if digit is not None:
            out.append(str(digit))
        elif part in _PUNCTUATION:
            out.append(_PUNCTUATION[part])
        elif category == "Pd":  # en dash, em dash, hyphen, ...: all one dash
            out.append("-")
        elif category == "Zs":  # no-break, narrow no-break, figure space, ...
            out.append(" ")
        else:
            out.append(part)
    return "".join(out)


@dataclass(frozen=True)
class _Normalised:
    text: str
    # origin[i] is the index in the input of the character normalised text[i] came from.
    origin: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span of the normalised text as a span of the input. An input character that
        became several (NFKC can expand one) is covered whole."""
        return self.origin[start], self.origin[end - 1] + 1


def _normalise(text: str) -> _Normalised:
    if text.isascii():  # the common case; nothing to map
        return _Normalised(text, range(len(text)))
    # NFKC changes lengths, so normalise character by character and record where each
    # output character came from.
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = _normalise_char(char)
        out.append(piece)
        origin.extend([index] * len(piece))
    return _Normalised("".join(out), origin)


# --- Digit groups and runs ----------------------------------------------------------------

_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class _Group:
    start: int
    end: int
    digits: str


def _digit_groups(text: str) -> list[_Group]:
    return [_Group(m.start(), m.end(), m.group()) for m in _DIGITS.finditer(text)]


def _runs(text: str, groups: Sequence[_Group], joins: Callable[[str], bool]) -> list[list[_Group]]:
    """Consecutive digit groups whose gaps all pass `joins`: one written number, perhaps
    with other numbers next to it."""
    runs: list[list[_Group]] = []
    for group in groups:
        if runs and joins(text[runs[-1][-1].end : group.start]):
            runs[-1].append(group)
        else:
            runs.append([group])
    return runs


def _gap_rule(allowed: str) -> Callable[[str], bool]:
    chars = frozenset(allowed)

    def joins(gap: str) -> bool:
        # Up to three characters: "-", "  ", ". ", " - ", "\r\n". More, or a second line
        # break, and it is two numbers, not one. A colon never joins: "10:30" is a time.
        return 0 < len(gap) <= 3 and gap.count("\n") <= 1 and all(c in chars for c in gap)

    return joins


# Between the digits of a national number: spaces, line breaks, dots, dashes (all dashes
# were made "-"), slashes, commas, underscores. No-break and zero-width spaces and soft
# hyphens were made a space or dropped by normalisation.
_NUMBER_GAP = _gap_rule(" \t\r\n.,/_-")
# Between the digits of a phone number also the brackets of "+32 (0)470" and "(09) 265",
# but not a comma or an underscore: "Bel 0470 12 34 56, 09 265 48 11" is two numbers.
_PHONE_GAP = _gap_rule(" \t\r\n./-()")


def _date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _date_groups(text: str, run: Sequence[_Group], short_years: bool) -> set[int]:
    """Indices into `run` of the groups that read as a date: 26/01/2027, 26.01.2027,
    2027-01-26, with the same separator twice (and 26/01/27 if `short_years`).

    Why: a date and the hour after it ("05/03/2027 9.30") has the digit count of a phone
    or national number, and dd/mm/yy looks like a plausible birth date. A real number
    written with a date's exact shape inside it is far rarer than a date in a note."""
    found: set[int] = set()
    for k in range(len(run) - 2):
        a, b, c = run[k : k + 3]
        sep = text[a.end : b.start]
        if sep not in ("/", ".", "-") or text[b.end : c.start] != sep:
            continue
        la, lb, lc = len(a.digits), len(b.digits), len(c.digits)
        if la in (1, 2) and lb in (1, 2) and lc == 4:  # day month year
            year, month, day = int(c.digits), int(b.digits), int(a.digits)
        elif la == 4 and lb in (1, 2) and lc in (1, 2):  # year month day
            year, month, day = int(a.digits), int(b.digits), int(c.digits)
        elif short_years and la in (1, 2) and lb in (1, 2) and lc == 2:
            year, month, day = 2000 + int(c.digits), int(b.digits), int(a.digits)
        else:
            continue
        if 1900 <= year <= 2099 and _date(year, month, day):
            found.update((k, k + 1, k + 2))
    return found


# The currency as a word of its own ("chauffeur 12", "12 Europese" are no amounts). A
# currency sign between two numbers belongs to the one after it, as Dutch writes it:
# in "85073003328 € 24,00" the "€" is the 24's.
_CURRENCY_BEFORE = re.compile(r"(?:€|(?<![A-Za-z])eur)[ ]?$", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"[ ]?(?:€|eur\b|euros?\b)(?![ ]?[0-9])", re.IGNORECASE)


def _amount_groups(text: str, run: Sequence[_Group]) -> set[int]:
    """Indices into `run` of the groups of an amount with its currency: "€ 9.192,00",
    "1.250 euro". The currency says what the digits are; written next to a year or an
    hour they could otherwise make eleven digits with a chance checksum."""
    found: set[int] = set()

    def tight(k: int) -> bool:  # run[k] and run[k + 1] are one amount: "9.192", "192,00"
        return text[run[k].end : run[k + 1].start] in (".", ",")

    for k, group in enumerate(run):
        if _CURRENCY_BEFORE.search(text, max(0, group.start - 4), group.start):
            last = k
            while last + 1 < len(run) and tight(last):
                last += 1
            found.update(range(k, last + 1))
        if _CURRENCY_AFTER.match(text, group.end):
            first = k
            while first > 0 and tight(first - 1):
                first -= 1
            found.update(range(first, k + 1))
    return found


# --- National register and BIS numbers ----------------------------------------------------

_NN_LENGTH = 11


def _national_kind(digits: str) -> Kind | None:
    # No real number has a day above 31 (stdnum lets it pass as "day unknown"); refusing
    # it makes a chance checksum match in ordinary digits three times rarer.
    if int(digits[4:6]) > 31:
        return None
    # The checksum first, by hand: cheap, and a long glued block of digits has a window
    # at every digit.
    check = int(digits[9:])
    if 97 - int(digits[:9]) % 97 != check and 97 - int("2" + digits[:9]) % 97 != check:
        return None
    # stdnum tries both centuries: people born in 2000 or later have "2" put before the
    # nine digits for the checksum.
    if nn.is_valid(digits):
        return Kind.NATIONAL_NUMBER
    if bis.is_valid(digits):  # month + 20 or + 40
        return Kind.BIS_NUMBER
    return None


@dataclass(frozen=True)
class _Candidate:
    kind: Kind
    start: int  # into the normalised text
    end: int


def _national_numbers(text: str, groups: Sequence[_Group]) -> list[_Candidate]:
    """Slide a window of eleven digits over every run of digits. The checksum decides;
    the grouping does not matter ("850 730 033 28", "8507-3003-328", "85.07.30-033.28").

    A window starts and ends where a group of digits does, so "26.01.2027 14.30" is not
    searched for a number starting at "6" or "1". Only inside a glued block of twelve
    or more digits, which is no date, amount or reference, may it start or end anywhere."""
    found: list[_Candidate] = []
    for run in _runs(text, groups, _NUMBER_GAP):
        if sum(len(g.digits) for g in run) < _NN_LENGTH:
            continue
        # Dates and amounts are what they say they are, whatever digits surround them.
        dates = _date_groups(text, run, short_years=False) | _amount_groups(text, run)
        digits = "".join(g.digits for g in run)
        where: list[int] = []  # index in the normalised text of every digit
        owner: list[int] = []  # index into run of the group every digit belongs to
        starts: set[int] = set()  # digit indices where a window may start
        ends: set[int] = set()  # digit indices (exclusive) where a window may end
        for index, group in enumerate(run):
            first = len(where)
            where.extend(range(group.start, group.end))
            owner.extend([index] * len(group.digits))
            if len(group.digits) > _NN_LENGTH:
                starts.update(range(first, len(where)))
                ends.update(range(first + 1, len(where) + 1))
            else:
                starts.add(first)
                ends.add(len(where))
        for first in sorted(starts):
            last = first + _NN_LENGTH
            if last > len(digits) or last not in ends:
                continue
            if dates.intersection(range(owner[first], owner[last - 1] + 1)):
                continue
            kind = _national_kind(digits[first:last])
            if kind is not None:
                found.append(_Candidate(kind, where[first], where[last - 1] + 1))
    return found


# --- Phone numbers ------------------------------------------------------------------------

# A Belgian enterprise number (KBO/BTW) is ten digits, "0498.703.268", like a mobile
# number. With its label before it and its own mod-97 check right, it is the company.
_ENTERPRISE_LABEL = re.compile(
    r"(?:KBO|BTW|VAT|TVA|ondernemings?(?:nummer|nr)?|btw-?(?:nummer|nr))"
    r"[\s.:#-]*(?:nr|nummer)?[\s.:#-]*(?:BE)?[\s.:-]*$",
    re.IGNORECASE,
)


def _enterprise_number(text: str, start: int, digits: str) -> bool:
    return (
        len(digits) == 10
        and 97 - int(digits[:8]) % 97 == int(digits[8:])
        and _ENTERPRISE_LABEL.search(text, max(0, start - 40), start) is not None
    )


# Belgian area codes after the trunk 0: 02 Brussels, 09 Gent, 050 Brugge, ...
_AREA_CODES = frozenset(
    ["2", "3", "4", "9", "10", "11", "12", "13", "14", "15", "16", "19", "50", "51", "52",
     "53", "54", "55", "56", "57", "58", "59", "60", "61", "63", "64", "65", "67", "68",
     "69", "71", "80", "81", "82", "83", "84", "85", "86", "87", "89"]
)  # fmt: skip


# Cached: a list of numbers repeats them, and parsing is the slow part of the search.
@functools.lru_cache(maxsize=4096)
def _phone(digits: str, plus: bool) -> int:
    """2: a valid number. 1: a Belgian landline number of the right length whose
    subscriber part is not (yet) handed out, like the made-up "02 123 45 67". 0: no."""
    if plus:
        number = "+" + digits
    elif digits.startswith("00"):  # 0032 470 ...: the international call prefix
        number = "+" + digits[2:]
    elif len(digits) in (9, 10):  # Belgian with trunk 0: 9 landline, 10 mobile
        number = digits
    else:
        return 0
    # E.164 allows fifteen digits; fewer than seven is no full number anywhere. No
    # country code starts with 0.
    if not 8 <= len(number) <= 16 or number.startswith("+0"):
        return 0
    try:
        # Parsed as Belgian unless it says otherwise; "+32 (0)470" drops the "(0)".
        parsed = phonenumbers.parse(number, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return 0
    if phonenumbers.is_valid_number(parsed):
        return 2
    return 1 if parsed.country_code == 32 and len(str(parsed.national_number)) == 8 else 0


def _written_like_a_landline(text: str, run: Sequence[_Group], first: int, last: int) -> bool:
    """An unassigned number is still one someone wrote down to be called, so it goes too,
    but only when it looks the part: "+32", or an area code as the first group and the
    same separator throughout ("02-123-45-67", "09 123 45 67"). Without that, a range of
    times ("09.00 - 12.00 3") has the nine digits too."""
    if run[first].digits[1:] not in _AREA_CODES:
        return False
    gaps = {text[run[k].end : run[k + 1].start] for k in range(first, last)}
    return len(gaps) == 1


def _opens_like_a_date_or_time(text: str, run: Sequence[_Group], first: int) -> bool:
    """Whether run[first:] opens with a date or time, then a space: "op 05/03/27 9.30",
    "01.01.95 738 euro", "08.30 - 12.00 5 dagen" and "05/03 13.00 6 lessen" have the
    nine digits of a landline number. No Belgian number is written in twos from its
    first digit ("02.12 ..."), so only a number written oddly on purpose is lost.
    Only the opening counts: "0470/12.03.05" ends in a date shape and is a number."""

    def then_space(k: int) -> bool:  # nothing after run[k], or a space or dash first
        return k + 1 == len(run) or any(
            c.isspace() or c == "-" for c in text[run[k].end : run[k + 1].start]
        )

    opening = run[first : first + 3]
    if len(opening) < 2 or any(len(g.digits) != 2 for g in opening[:2]):
        return False
    # 05/03/27, 05.03.27, 05-03-27
    if (
        len(opening) == 3
        and len(opening[2].digits) == 2
        and len(_date_groups(text, opening, short_years=True)) == 3
        and then_space(first + 2)
    ):
        return True
    # 05/03 (a day) or 08.30 (a time)
    gap = text[opening[0].end : opening[1].start]
    limit = {"/": 12, ".": 59}.get(gap, -1)
    return 0 <= int(opening[1].digits) <= limit and then_space(first + 1)


def _phones(text: str, groups: Sequence[_Group]) -> list[_Candidate]:
    """A number starts with "+", "00" or "0" ("(0)" too) and runs over whole groups of
    digits; the longest stretch that phonenumbers calls valid is the number.

    The start must begin a written number: at the start of a run, or after a space or
    bracket, never after "2027/" or "26.01." (the "0412" of "2027/0412" is no phone)."""
    found: list[_Candidate] = []
    for run in _runs(text, groups, _PHONE_GAP):
        dates = _date_groups(text, run, short_years=False)
        for first, group in enumerate(run):
            plus = group.start > 0 and text[group.start - 1] == "+"
            start = group.start - 1 if plus else group.start
            if not (plus or group.digits.startswith("0")):
                continue
            if first > 0 and not any(
                c.isspace() or c == "(" for c in text[run[first - 1].end : group.start]
            ):
                continue
            # Nor straight after a number and a comma, colon or underscore ("0,00 85 07",
            # "10:00"): those end a run of phone digits but start no new number.
            if start >= 2 and text[start - 1] in ",:_" and text[start - 2].isdigit():
                continue
            if not plus and _opens_like_a_date_or_time(text, run, first):
                continue
            best: int | None = None
            digits = best_digits = ""
            for last in range(first, len(run)):
                if last in dates:
                    break
                digits += run[last].digits
                if len(digits) > 17:
                    break
                quality = _phone(digits, plus)
                if quality == 2 or (
                    quality == 1
                    and (
                        plus
                        or digits.startswith("00")
                        or _written_like_a_landline(text, run, first, last)
                    )
                ):
                    best, best_digits = last, digits
            if best is None or (not plus and _enterprise_number(text, start, best_digits)):
                continue
            end = run[best].end
            # "(09) 265 48 11": take the bracket along, or a lone "(" stays behind.
            if not plus and start > 0 and text[start - 1] == "(" and ")" in text[start:end]:
                start -= 1
            found.append(_Candidate(Kind.PHONE, start, end))
    return found


# --- IBAN ---------------------------------------------------------------------------------

# Two letters, two check digits, then ten to thirty letters or digits, with up to two
# spaces, dashes or dots between any two of them after the country ("BE 68 5390 ...",
# "NL91-ABNA-0417-1643-00"). A lookahead, so an IBAN glued to a word
# ("rekeningBE68...") is tried from every position.
_IBAN = re.compile(r"(?=([A-Za-z]{2})((?:[ .\-]{0,2}[0-9]){2})((?:[ .\-]{0,2}[A-Za-z0-9]){10,30}))")
_ALNUM = re.compile(r"[A-Za-z0-9]")


def _mod97(compact: str) -> bool:
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _is_iban(compact: str) -> bool:
    if not _mod97(compact):  # cheap, and rules out 96 in 97 candidates
        return False
    # check_country=False: the layout of the country (length, which positions are
    # letters) is checked, not the bank code, so an IBAN of any bank is caught. A country
    # missing from stdnum's IBAN registry is not caught: mod-97 alone passes 1 string in
    # 97, and "RN 5 9462 ..." in a note should not become an account number.
    return iban.is_valid(compact, check_country=False)


_SEPARATORS = re.compile(r"[ .\-]+")


def _written_like_an_iban(text: str, start: int, end: int, country: str, check: str) -> bool:
    """Whether text[start:end] is written as people write an IBAN, not as a two-letter
    word ("de", "at", the "al" of "Amal") followed by dates and numbers that happen to
    make the right length and pass mod-97 by chance (1 in 97)."""
    written = text[start:end]
    # One kind of separator: "BE68 5390 0754 7034", "BE68-5390-...", not "27-10-2002 2008".
    if len({c for c in written if c in ".-"}) > 1:
        return False
    if country.isupper():  # "BE", also glued to a label: "rekeningBE68..."
        return True
    # In lower case, the letters begin a word...
    if start > 0 and text[start - 1].isalpha():
        return False
    # ... and are glued to the check digits ("be68 5390 ..."), unless what follows is in
    # fours as printed ("be 68 5390 0754 7034").
    if check.isdigit():
        return True
    chunks = _SEPARATORS.split(written[len(country) + len(check) :].strip(" .-"))
    return all(len(c) == 4 for c in chunks[:-1]) and 1 <= len(chunks[-1]) <= 4


_IBAN_REGISTRY = numdb.get("iban")


@functools.lru_cache(maxsize=1024)
def _bban_length(country: str) -> int:
    """How many letters and digits follow the check digits in this country's IBANs
    ("3!n7!n2!n": 12 for BE); 0 for a country without IBAN."""
    layout = _IBAN_REGISTRY.info(country)[0][1].get("bban", "")
    return sum(int(count) for count in re.findall(r"(\d+)!", layout))


def _ibans(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for match in _IBAN.finditer(text):
        if found and match.start() < found[-1].end:
            continue
        country, check, rest = match.group(1), match.group(2), match.group(3)
        # The country's length decides where the IBAN ends, not the next word.
        length = _bban_length(country.upper())
        chars = list(_ALNUM.finditer(rest))
        if not 0 < length <= len(chars):
            continue
        body = "".join(c.group() for c in chars[:length])
        end = match.start(3) + chars[length - 1].end()
        compact = (country + re.sub(r"[^0-9]", "", check) + body).upper()
        if _is_iban(compact) and _written_like_an_iban(text, match.start(), end, country, check):
            found.append(_Candidate(Kind.IBAN, match.start(), end))
    return found


# --- E-mail addresses ---------------------------------------------------------------------

# "@" with or without spaces around it, or written out in brackets: [at], (at), {at}.
_AT = r"(?:[ \t]?@[ \t]?|[ \t]?[\[({<][ \t]?(?:at|apenstaartje)[ \t]?[\])}>][ \t]?)"
# A dot, or written out in brackets: [dot], (punt). Bare "at" and "dot" are words too
# often ("kijk at home dot com" is no address we could tell apart from a sentence).
_DOT = r"(?:\.|[ \t]?[\[({<][ \t]?(?:dot|punt)[ \t]?[\])}>][ \t]?)"
# The address starts where a word does: from inside a long word no 64-letter local part
# is tried at every letter (and "x"*64 + "@a.be" is no address anyone wrote).
_EMAIL = re.compile(
    rf"(?<![\w.+\-])[\w.+\-]{{1,64}}{_AT}[\w\-]{{1,63}}(?:{_DOT}[\w\-]{{1,63}})*{_DOT}[^\W\d_]{{2,63}}\b",
    re.IGNORECASE,
)


def _emails(text: str) -> list[_Candidate]:
    return [_Candidate(Kind.EMAIL, m.start(), m.end()) for m in _EMAIL.finditer(text)]


# --- Putting it together ------------------------------------------------------------------

_PRIORITY = {kind: rank for rank, kind in enumerate(Kind)}


def _resolve(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Overlapping candidates become one finding over all of them, so no digit of either
    survives. Its kind: of those not lying wholly inside another (eleven digits of an IBAN
    that happen to pass as a national number are the IBAN), the one that starts first,
    then the highest in priority: a BIS number followed by "2503 Gent" stays a BIS number
    when a window reaching into "2503" passes the national number's checksum by chance."""
    clusters: list[list[_Candidate]] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, -c.end)):
        if clusters and candidate.start < max(c.end for c in clusters[-1]):
            clusters[-1].append(candidate)
        else:
            clusters.append([candidate])
    resolved = []
    for cluster in clusters:
        outer = [
            c
            for c in cluster
            if not any(
                o.start <= c.start and c.end <= o.end and (o.end - o.start) > (c.end - c.start)
                for o in cluster
            )
        ]
        first = min(outer, key=lambda c: (c.start, _PRIORITY[c.kind]))
        kind = first.kind
        resolved.append(
            _Candidate(kind, min(c.start for c in cluster), max(c.end for c in cluster))
        )
    return resolved


def find_sensitive(text: str) -> list[Finding]:
    """Every finding, in order, none overlapping; offsets are into `text` as given."""
    normalised = _normalise(text)
    searched = normalised.text
    groups = _digit_groups(searched)
    candidates = (
        _national_numbers(searched, groups)
        + _ibans(searched)
        + _emails(searched)
        + _phones(searched, groups)
    )
    findings = []
    for candidate in _resolve(candidates):
        start, end = normalised.span(candidate.start, candidate.end)
        findings.append(Finding(candidate.kind, start, end, text[start:end]))
    return findings


def redact(text: str, mask: Callable[[Kind], str]) -> tuple[str, list[Finding]]:
    """The text with every finding replaced by `mask(kind)`, and the findings."""
    findings = find_sensitive(text)
    parts, at = [], 0
    for finding in findings:
        parts += [text[at : finding.start], mask(finding.kind)]
        at = finding.end
    parts.append(text[at:])
    return "".join(parts), findings


def keep(text: str) -> str:
    """The text as Schakel may store it: every finding replaced by its Dutch marker."""
    return redact(text, MARKERS.__getitem__)[0]
