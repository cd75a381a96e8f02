"""Readers: one module per kind of source, found through the `corresp.readers` entry-point group.

The mirror of `corresp.exporters` (pandoc's Readers.hs beside Writers.hs). A reader is a class
with `name`, `description`, `recognises(path, head)` and `read(paths, **edition_fields)` that
returns the edition and its diagnostics; it never writes files. `build` picks the reader by
what the file is (its first bytes), not by its name alone: a JSON edition is JSON holding a
`schema_version`, a TEI edition XML with a TEI root; anything else is text for the parser.
Built-in readers are registered through the same entry points as third-party ones and
loaded by the same code as the exporters (`corresp.plugins`): a duplicate name is an error,
a plugin that fails to load is reported and skipped.
"""
from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path
from typing import Optional, Protocol, Sequence, runtime_checkable

from .. import plugins
from ..diagnostics import Diagnostic
from ..errors import ConfigError, InputError
from ..model import Edition
from ..plugins import Plugins

GROUP = "corresp.readers"
HEAD_BYTES = 4096  # what a reader sees of the file to say whether it is its kind
FALLBACK = "text"  # the reader of a file no other reader recognises


@runtime_checkable
class Reader(Protocol):
    name: str
    description: str

    def recognises(self, path: Path, head: bytes) -> bool: ...

    def read(self, paths: Sequence[Path], **edition_fields) -> tuple[Edition, list[Diagnostic]]: ...


class Registry(Plugins[Reader]):
    @property
    def readers(self) -> dict[str, Reader]:
        return self.found

    def for_file(self, path: Path) -> Reader:
        """The reader of `path`, by its content: the first reader other than text that
        recognises the file's first bytes, else the text reader."""
        from ..files import head as file_head
        # None for a folder, a missing file, a FIFO or a device: the text reader says what it
        # is (read without blocking: a FIFO's open would wait for a writer).
        head = file_head(path, HEAD_BYTES)
        for name, reader in self.readers.items():
            if head is None or name == FALLBACK:
                continue
            try:
                if reader.recognises(Path(path), head):
                    return reader
            except Exception as exc:  # a plugin's bug must not stop the others from reading the file
                self.problems.append(f"reader plugin {name!r} failed on {path}: {type(exc).__name__}: {exc}")
        if FALLBACK not in self.readers:
            raise InputError("no reader recognises this file", str(path))
        return self.readers[FALLBACK]


_cache: Optional[Registry] = None
_PREFERRED = ("text", "json", "tei")


def registry(reload: bool = False) -> Registry:
    """The built-in readers first, then plugins (`corresp.plugins`: the same loading as the
    exporters')."""
    global _cache
    if _cache is None or reload:
        found, problems = plugins.load(entry_points(group=GROUP), "reader", Reader,
                                       "name, description, recognises() and read()", _PREFERRED)
        _cache = Registry("reader", found, problems)
    return _cache


def override_fields(edition: Edition, fields: dict) -> Edition:
    """Command-line and edition.toml fields (title, language, ...) win over a whole edition's own."""
    known = {k: v for k, v in fields.items() if k in Edition.model_fields and v is not None}
    return edition.model_copy(update=known)


def read_sources(paths: Sequence[Path], corrections: Sequence[Path] = (), accept_changes: bool = False,
                 original: Optional[Path] = None, **edition_fields) -> tuple[Edition, list[Diagnostic]]:
    """The edition the sources hold, read by the reader each one needs. Several sources
    are chapters of one edition and must all be text; a JSON or TEI edition is read alone.
    `corrections` (files named in edition.toml) apply to text sources only; `accept_changes`
    (Word's tracked changes) to a DOCX only."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("no source files given")
    reg = registry()
    readers = [reg.for_file(p) for p in paths]
    kinds = {r.name for r in readers}
    if len(paths) > 1 and kinds != {FALLBACK}:
        other = next(p for p, r in zip(paths, readers) if r.name != FALLBACK)
        raise InputError(f"a {next(r.name for r in readers if r.name != FALLBACK)} edition is a whole edition: "
                         "build it alone, not with other sources", str(other))
    reader = readers[0]
    if accept_changes or original is not None:
        if reader.name != "docx":
            option = "--accept-changes" if accept_changes else "--original"
            raise ConfigError(f"{option} applies to a DOCX source; {paths[0]} is read as {reader.name}")
        edition_fields["accept_changes"] = accept_changes
        if original is not None:
            edition_fields["original"] = original
    if reader.name == FALLBACK:
        return reader.read(paths, corrections=list(corrections), **edition_fields)
    if corrections:
        raise ConfigError(f"corrections apply to text sources; {paths[0]} is a {reader.name} edition "
                          "(edit it instead)")
    return reader.read(paths, **edition_fields)
