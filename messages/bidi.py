"""Right-to-left text laid out right: isolates around left-to-right runs, a mark to lead.

A command (`/stop`), a name ("Schakel", "Telegram"), a code or a number written inside
an Arabic, Persian, Dari or Pashto sentence takes part in the bidi algorithm with its
neighbours: `اكتب /stop.` is shown as `stop/`. Wrapped in a first-strong isolate it is
laid out on its own, like a placeholder's value. A line whose only right-to-left letters
come from placeholders starts with a right-to-left mark, or a client lays it out left to
right from its first Latin letter.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

# Unicode first-strong isolate, pop directional isolate, right-to-left mark.
FSI = "\u2068"
PDI = "\u2069"
RLM = "\u200f"

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# Inside a run between two left-to-right characters: "10:00", "vdab.be", "e-mail", "0470 12".
_JOINERS = frozenset(" -.:/@_'’&+")
# Before a left-to-right character, part of its run: "/stop", "+32", "#3", "@schakel_bot".
_LEADERS = frozenset("/+#@")


def isolate(value: str) -> str:
    return f"{FSI}{value}{PDI}"


def _kind(char: str) -> str:
    """'L' for a left-to-right letter or European digit, 'R' for right-to-left, '.' else."""
    direction = unicodedata.bidirectional(char)
    if direction in {"L", "EN"}:
        return "L"
    if direction in {"R", "AL", "AN"}:
        return "R"
    return "."


def _shielded(text: str) -> list[bool]:
    """Which characters a run may not touch: placeholders and text already isolated."""
    shielded = [False] * len(text)
    for match in _PLACEHOLDER.finditer(text):
        shielded[match.start() : match.end()] = [True] * (match.end() - match.start())
    depth = 0
    for index, char in enumerate(text):
        if char == FSI or char in "\u2066\u2067":
            depth += 1
        if depth:
            shielded[index] = True
        if char == PDI and depth:
            depth -= 1
    return shielded


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each left-to-right run not yet isolated and outside placeholders."""
    shielded = _shielded(text)
    kinds = ["S" if shielded[i] else _kind(c) for i, c in enumerate(text)]
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(text):
        if kinds[index] != "L":
            index += 1
            continue
        start = index
        if start > 0 and text[start - 1] in _LEADERS and not shielded[start - 1]:
            start -= 1
        end = index + 1
        while end < len(text):
            if kinds[end] == "L":
                end += 1
            elif (
                text[end] in _JOINERS
                and end + 1 < len(text)
                and kinds[end + 1] == "L"
                and (text[end] != " " or text[end - 1] != " ")
            ):
                end += 2
            else:
                break
        runs.append((start, end))
        index = end
    return runs


def unisolated_ltr_runs(text: str) -> list[str]:
    """The left-to-right runs of a right-to-left text that no isolate protects."""
    if not any(_kind(char) == "R" for char in _PLACEHOLDER.sub("", text)):
        return []  # no right-to-left words of its own: nothing to reorder against
    return [text[start:end] for start, end in ltr_runs(text)]


def insertions(text: str) -> list[tuple[int, str]]:
    """Where an isolate mark goes (position, mark) so that no run is left unprotected."""
    if not unisolated_ltr_runs(text):
        return []
    marks: list[tuple[int, str]] = []
    for start, end in ltr_runs(text):
        marks += [(start, FSI), (end, PDI)]
    return marks


def isolate_ltr_runs(text: str) -> str:
    """The text with every unprotected left-to-right run wrapped in an isolate."""
    for position, mark in sorted(insertions(text), reverse=True):
        text = text[:position] + mark + text[position:]
    return text


@functools.lru_cache(maxsize=4096)  # a template's own line: the same few hundred
def _starts_right_to_left(template_line: str) -> bool:
    """Whether the first strong character of a template line is a right-to-left letter of
    its own: not a placeholder's value, not an isolated name or command."""
    shielded = _shielded(template_line)
    for index, char in enumerate(template_line):
        if shielded[index]:
            return False
        kind = _kind(char)
        if kind != ".":
            return kind == "R"
    return False


def lead_lines_right_to_left(template: str, fill: Callable[[str], str]) -> str:
    """Fill a right-to-left template line by line; a line that does not start with a
    right-to-left letter of its own (it starts with a placeholder, or with "Schakel")
    gets a right-to-left mark first, so that it is laid out right to left."""
    lines = []
    for template_line in template.split("\n"):
        filled = fill(template_line)
        if filled.strip() and not _starts_right_to_left(template_line):
            filled = RLM + filled
        lines.append(filled)
    return "\n".join(lines)
