"""Diagnostics as data, in the spirit of docutils' system messages.

Every message carries the source file and line so a user can jump to it; the reporter
keeps them in order and turns the worst severity into the exit status.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal, Optional, Sequence

Severity = Literal["info", "warning", "error"]
_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: Optional[int]
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message} [{self.code}]"


@dataclass
class Reporter:
    """Collects diagnostics for one source file."""
    file: str
    messages: list[Diagnostic] = field(default_factory=list)

    def add(self, severity: Severity, code: str, message: str, line: Optional[int] = None) -> None:
        self.messages.append(Diagnostic(self.file, line, severity, code, message))

    def info(self, code: str, message: str, line: Optional[int] = None) -> None:
        self.add("info", code, message, line)

    def warning(self, code: str, message: str, line: Optional[int] = None) -> None:
        self.add("warning", code, message, line)

    def error(self, code: str, message: str, line: Optional[int] = None) -> None:
        self.add("error", code, message, line)

    @property
    def worst(self) -> Optional[Severity]:
        if not self.messages:
            return None
        return max((m.severity for m in self.messages), key=_RANK.__getitem__)

    def count(self, severity: Severity) -> int:
        return sum(1 for m in self.messages if m.severity == severity)


def sort_diagnostics(diagnostics: Iterable[Diagnostic], files: Sequence[str] = ()) -> list[Diagnostic]:
    """By file (in the order of `files`, the sources' reading order; others by name after
    them) and line; messages without a line first in their file; otherwise as reported."""
    order = {str(f): k for k, f in enumerate(files)}
    return sorted(diagnostics, key=lambda d: (order.get(d.file, len(order)), "" if d.file in order else d.file,
                                              d.line or 0))


def plural(n: int, noun: str, plural_form: Optional[str] = None) -> str:
    """`1 file`, `2 files`, `0 files`."""
    return f"{n} {noun if n == 1 else plural_form or noun + 's'}"
