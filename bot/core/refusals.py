"""A rule's "no": an exception that carries why, as an enum the handler puts in words.

Rules refuse in the enum's terms and change nothing; the handler picks the reader's
text for `problem`. One base so that every refusal carries its reason the same way."""

from __future__ import annotations

import enum
from typing import Generic, TypeVar

P = TypeVar("P", bound=enum.Enum)


class Refused(Exception, Generic[P]):
    def __init__(self, problem: P) -> None:
        super().__init__(problem.value)
        self.problem = problem
