"""What a refused bundle reports: one Problem per problem, all of them in a BundleError."""

from __future__ import annotations

from collections.abc import Iterable


class Problem(str):
    """One problem as a reader sees it, "<file>: <item>: <problem>", with the `code` of
    the rule it breaks (tests and callers compare codes, people read the text)."""

    code: str

    def __new__(cls, text: str, code: str) -> Problem:
        problem = super().__new__(cls, text)
        problem.code = code
        return problem

    @classmethod
    def at(cls, name: str, where: str, message: str, code: str) -> Problem:
        return cls(f"{name}: {where}: {message}" if where else f"{name}: {message}", code)


class BundleError(Exception):
    """A bundle that cannot be imported. `problems` holds one Problem per problem."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    @property
    def codes(self) -> list[str]:
        return [problem.code for problem in self.problems]
