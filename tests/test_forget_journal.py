"""The forget-me journal on its own: what a line holds (no name, no reference), how a row is
recognised again, and what a crash or a wrong file leaves."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.storage import forget_journal
from bot.storage.forget_journal import JournalUnreadable

MADE = "2026-03-02T10:15:42.123456Z"


def test_lines_hold_a_number_a_keyed_check_and_a_time_and_nothing_else(tmp_path: Path) -> None:
    path = forget_journal.beside(tmp_path / "schakel.db")
    assert path == tmp_path / "schakel.db.forgotten"
    assert forget_journal.read(path) is None
    forget_journal.append(path, newcomer_id=7, reference="K-7F3Q", created_at=MADE,
                          at="2026-11-24T09:00:00.000000Z")  # fmt: skip
    forget_journal.append(path, newcomer_id=9, reference="K-AB2C", created_at=MADE,
                          at="2026-11-25T09:00:00.000000Z")  # fmt: skip
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert "K-7F3Q" not in text and "7F3Q" not in text and MADE not in text
    assert len(text.splitlines()) == 3  # the key, then one line per erasure

    journal = forget_journal.read(path)
    assert journal is not None
    assert [(e.newcomer_id, e.at) for e in journal.entries] == [
        (7, "2026-11-24T09:00:00.000000Z"), (9, "2026-11-25T09:00:00.000000Z"),
    ]  # fmt: skip
    first = journal.entries[0]
    assert journal.same_newcomer(first, "K-7F3Q", MADE)
    # Another newcomer under the same number (another database), or the same reference
    # registered at another moment, is not the one who asked.
    assert not journal.same_newcomer(first, "K-AB2C", MADE)
    assert not journal.same_newcomer(first, "K-7F3Q", "2026-03-02T10:15:42.123457Z")


def test_each_journal_has_its_own_key(tmp_path: Path) -> None:
    checks = []
    for name in ("a.db", "b.db"):
        path = forget_journal.beside(tmp_path / name)
        forget_journal.append(path, newcomer_id=1, reference="K-7F3Q", created_at=MADE, at=MADE)
        journal = forget_journal.read(path)
        assert journal is not None
        checks.append(journal.entries[0].check)
    assert checks[0] != checks[1]


def test_a_line_cut_off_by_a_crash_leaves_the_others_readable(tmp_path: Path) -> None:
    path = tmp_path / "schakel.db.forgotten"
    forget_journal.append(path, newcomer_id=1, reference="K-7F3Q", created_at=MADE, at=MADE)
    with path.open("a") as handle:
        handle.write('{"newcomer": 2, "che')  # the power went
    forget_journal.append(path, newcomer_id=3, reference="K-AB2C", created_at=MADE, at=MADE)
    journal = forget_journal.read(path)
    assert journal is not None
    assert [entry.newcomer_id for entry in journal.entries] == [1, 3]
    assert journal.unreadable_lines == 1


@pytest.mark.parametrize("content", [b"", b"hello\n", b'{"format": "something else"}\n'])
def test_another_file_is_refused_in_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "schakel.db.forgotten"
    path.write_bytes(content)
    with pytest.raises(JournalUnreadable, match=r"is not a Schakel forget-me journal$"):
        forget_journal.read(path)
    if content:  # nor is anything added to it
        with pytest.raises(JournalUnreadable):
            forget_journal.append(path, newcomer_id=1, reference="K-7F3Q", created_at=MADE,
                                  at=MADE)  # fmt: skip
        assert path.read_bytes() == content
