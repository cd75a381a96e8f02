"""The project's error types. Each class of failure has its own exit code (see README)."""
from __future__ import annotations

from typing import Optional


class CorrespError(Exception):
    """Base class: a failure the user can act on. Printed as one line, never a traceback."""
    exit_code = 1

    def __init__(self, message: str, file: Optional[str] = None, line: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __reduce__(self):  # keep file and line when an error crosses a process boundary
        return (self.__class__, (self.message, self.file, self.line))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{' '.join(self.message.split())}"  # always one line


class InputError(CorrespError):
    """The source cannot be read or holds no edition (empty, binary, bad UTF-8, no documents)."""
    exit_code = 2


class ConfigError(CorrespError):
    """Bad command-line options, edition.toml or style folder."""
    exit_code = 3


class ExportError(CorrespError):
    """An exporter failed (a tool missing, the output folder unwritable, disk full)."""
    exit_code = 4


class VerifyError(CorrespError):
    """The formats of a build disagree."""
    exit_code = 5


class Interrupted(CorrespError):
    """SIGTERM or SIGHUP ended the run: exit 128 + the signal's number (143, 129), as a
    shell reports a process the signal killed. The previous edition is left as it was."""

    def __init__(self, signum: int, file: Optional[str] = None, line: Optional[int] = None, written: bool = False):
        import signal
        try:
            name = signal.Signals(signum).name
        except ValueError:
            name = f"signal {signum}"
        # `written`: the signal came while the edition was being renamed into place (held
        # until then): the new edition is whole.
        what = "the new edition was written whole before it stopped" if written else \
            "no file of the edition was changed"
        super().__init__(f"interrupted by {name}; {what}", file, line)
        self.signum, self.written = signum, written
        self.exit_code = 128 + signum

    def __reduce__(self):
        return (self.__class__, (self.signum, self.file, self.line, self.written))
