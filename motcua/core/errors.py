"""Domain errors shared by every app. Front doors turn them into messages or 4xx answers."""

from collections.abc import Iterable
from dataclasses import dataclass


class DomainError(Exception):
    """A rule of the domain refused the action; ``message`` is user-facing (Vietnamese, translatable)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """Missing, or not visible to the actor: the two look the same on purpose."""


class PermissionDenied(DomainError):
    pass


class Conflict(DomainError):
    """Another action changed the object first; the caller should reload and retry."""


@dataclass(frozen=True)
class InputProblem:
    """One problem in user input: where (row/column or field) and what, in words."""

    message: str
    field: str = ""
    row: int | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.field:
            where.append(f"cột «{self.field}»")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class InvalidInput(DomainError):
    """Input was rejected as a whole; every problem is listed, nothing was written."""

    def __init__(self, problems: Iterable[InputProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
