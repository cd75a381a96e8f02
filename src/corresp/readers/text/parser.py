"""The parser: plain-text sources → the edition model, plus diagnostics.

`read_edition(paths)` is the entry point: one chapter per source file, in the given order.
"""
from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticUndefined

from ...diagnostics import Diagnostic, Reporter
from ...errors import CorrespError, InputError
from ...gcpause import gc_paused
from ...i18n import default_title, period_title
from ...publish import widen_pipe
from ...model import Chapter, Edition
from .chapter import parse_chapter
from .ids import IdMaker
from .repeats import fingerprints, repeated_letters
from .scripts import mainly_latin, mixed_script_words
from .source import read_lines, split_lines, decode



# From this many sources on, they are parsed by two processes (the forked worker and this
# one). Below it, the fork and the transfer of the parsed chapters cost more than they save
# (bench/).
PARALLEL_FROM = 8
# The pipe the worker sends its chapters through holds this much (where the system lets a
# pipe grow: Linux), so the worker rarely waits for this process to read; a chapter of the
# seed is ~100 kB pickled.
_PIPE_BYTES = 1 << 20


def read_edition(paths: Sequence[Path], title: Optional[str] = None, language: Optional[str] = None,
                 **edition_fields) -> tuple[Edition, list[Diagnostic]]:
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("no source files given")
    author = edition_fields.pop("author", None)  # edition.toml's: a collected works' sender
    with gc_paused():
        if len(paths) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            parsed = _parse_in_two(paths, author)
        else:
            parsed = _parse_files(paths, author)
        return _assemble(parsed, title, language, edition_fields)


def read_text(text: str, name: str = "<string>", **kwargs) -> tuple[Edition, list[Diagnostic]]:
    """Parse source text already in memory (tests, fuzzing)."""
    parsed = [_parse_lines(Path(name), split_lines(text), kwargs.pop("author", None))]
    return _assemble(parsed, kwargs.pop("title", None), kwargs.pop("language", None), kwargs)


def read_bytes(data: bytes, name: str = "<bytes>", **kwargs) -> tuple[Edition, list[Diagnostic]]:
    return read_text(decode(data, name), name, **kwargs)


@dataclass
class _Parsed:
    chapter: Chapter
    edition_title: Optional[str]
    untitled_line: Optional[int]  # the line a chapter title was looked for, if none was found
    messages: list[Diagnostic]
    letters: tuple[int, int]  # (letters, Cyrillic letters) of the file's language sample
    base_ids: list[str]  # of the chapter's documents, before they are made unique edition-wide
    file: str = ""  # the source, as its diagnostics name it
    letter_keys: Optional[list[bytes]] = None  # repeats.fingerprints of the chapter


def _parse_lines(path: Path, lines, author: Optional[str] = None) -> _Parsed:
    reporter = Reporter(str(path))
    ids = IdMaker()
    parsed = parse_chapter(lines, reporter, ids, path.name, author)
    sample = " ".join(l.text for l in lines[:200])[:20000]  # enough to tell the language
    # Counted here, where the file is parsed (possibly in the worker), rather than sending
    # the sample back: the counts of a joined text are the sums of the parts' counts.
    letters = _letter_counts(sample)
    if mainly_latin(*letters):  # `i.е.` with a Cyrillic е: said, with its line
        reporter.messages += mixed_script_words(lines, str(path))
    return _Parsed(parsed.chapter, parsed.edition_title, parsed.untitled_line, reporter.messages, letters, ids.bases,
                   str(path), fingerprints(parsed.chapter))


def _parse_files(paths: list[Path], author: Optional[str] = None) -> list[_Parsed]:
    return [_parse_lines(p, read_lines(p), author) for p in paths]


def _parse_in_two(paths: list[Path], author: Optional[str] = None) -> list[_Parsed]:
    """The sources are shared out while they are parsed: the forked worker takes them one by
    one from the front, this process from the back, until the two meet. On a shared machine
    either process may get less of the CPU for a while, and a fixed split then kept the
    other waiting at the end (bench/). The worker sends each chapter back as soon as it is
    parsed, and this process unpickles what has come between its own sources: neither the
    pickling nor the unpickling is left for the end.

    Errors as in a serial parse: the earliest bad source's. The worker stops at its first
    and takes every source left (all come after it); this process goes on backwards and
    keeps the last error it meets, the earliest of its own."""
    context = multiprocessing.get_context("fork")
    unclaimed = context.RawArray("i", [0, len(paths)])  # [start, end) of the sources nobody took yet
    lock = context.Lock()
    receiver, sender = context.Pipe(duplex=False)
    widen_pipe(sender.fileno(), _PIPE_BYTES)  # else the worker waits for this process to read more often
    worker = context.Process(target=_worker, args=(paths, author, unclaimed, lock, sender), daemon=True)
    worker.start()
    sender.close()
    front: list = []  # the worker's chapters (and its error, last), from the first source on
    back: list[_Parsed] = []  # this process's, from the last source back
    error: Optional[CorrespError] = None
    worker_done = False  # its end of the pipe is closed, everything it sent read

    def receive() -> None:
        nonlocal worker_done
        try:
            front.append(pickle.loads(receiver.recv_bytes()))
        except EOFError:
            worker_done = True

    try:
        while True:
            with lock:
                if unclaimed[0] >= unclaimed[1]:
                    break
                unclaimed[1] -= 1
                i = unclaimed[1]
            try:
                back.append(_parse_lines(paths[i], read_lines(paths[i]), author))
            except CorrespError as exc:  # a later source's error loses to this one
                error = exc
            while not worker_done and receiver.poll():  # (poll is true at the end of the pipe too)
                receive()
        while not worker_done:  # the worker's last chapters
            receive()
    except BaseException:
        worker.terminate()
        raise
    finally:
        receiver.close()
        worker.join()
    if front and isinstance(front[-1], BaseException):
        raise front[-1]
    taken = unclaimed[0]  # the sources the worker took; it sent all of them unless it died
    if len(front) < taken:
        front += _parse_files(paths[len(front):taken], author)
    if error is not None:
        raise error
    return front + back[::-1]


def _worker(paths: list[Path], author: Optional[str], unclaimed, lock, sender) -> None:
    """The forked side of `_parse_in_two`: sources from the front, each chapter sent as soon
    as it is parsed (or the error, which ends the worker's part and everybody's)."""
    _default_signals()
    try:
        while True:
            with lock:
                if unclaimed[0] >= unclaimed[1]:
                    return
                i = unclaimed[0]
                unclaimed[0] += 1
            try:
                result = _parse_lines(paths[i], read_lines(paths[i]), author)
            except BaseException as exc:  # a bad source (CorrespError), or a bug: said in the parent
                with lock:
                    unclaimed[1] = unclaimed[0]  # every source left comes after this one
                sender.send_bytes(_pickled_error(exc))
                return
            sender.send_bytes(_pickled(result))
    finally:
        sender.close()


def _pickled(obj) -> bytes:
    buffer = io.BytesIO()
    _ModelPickler(buffer, pickle.HIGHEST_PROTOCOL).dump(obj)
    return buffer.getvalue()


def _pickled_error(exc: BaseException) -> bytes:
    try:
        return _pickled(exc)  # a CorrespError crosses the process boundary as a value, file and line kept
    except Exception:  # an exception that cannot be pickled: its traceback, as text
        import traceback
        return _pickled(RuntimeError("the parsing worker failed:\n" + "".join(traceback.format_exception(exc))))


def _default_signals() -> None:
    """The worker must die of the SIGTERM that `terminate()` sends it: it inherits the CLI's
    handler (publish.signals_end_the_build), which raises in the worker and then ignores
    SIGTERM, and a worker that outlived its parent's parse (or still writes to it) hung the
    build in the join."""
    import signal
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)


class _ModelPickler(pickle.Pickler):
    """Pickles pydantic models as their four slots, which is what BaseModel.__getstate__
    and __setstate__ carry too, but without a state dict per object and the Python-level
    __setstate__ that unpacks it: the parsed chapters are some 100,000 small models, and
    unpickling them is on the critical path of the parallel parse (bench/)."""

    def reducer_override(self, obj):
        if not isinstance(obj, BaseModel):
            return NotImplemented
        private = obj.__pydantic_private__
        if private:
            private = {k: v for k, v in private.items() if v is not PydanticUndefined}
        return _rebuild_model, (type(obj), obj.__dict__, obj.__pydantic_extra__, obj.__pydantic_fields_set__,
                                private)


_new_object = object.__new__
_set_slot = object.__setattr__


def _rebuild_model(cls, fields, extra, fields_set, private):
    obj = _new_object(cls)
    _set_slot(obj, "__pydantic_fields_set__", fields_set)
    _set_slot(obj, "__pydantic_extra__", extra)
    _set_slot(obj, "__pydantic_private__", private)
    _set_slot(obj, "__dict__", fields)
    return obj


def _assemble(parsed: list[_Parsed], title, language, edition_fields) -> tuple[Edition, list[Diagnostic]]:
    # Ids are made unique across the whole edition here, in reading order: the chapters
    # were parsed apart (possibly in another process).
    ids = IdMaker()
    for p in parsed:
        for doc, base in zip(p.chapter.documents, p.base_ids, strict=True):
            doc.id = ids.unique(base)
    chapters = [p.chapter for p in parsed]
    messages = [m for p in parsed for m in p.messages]
    title = title or next((p.edition_title for p in parsed if p.edition_title), None)
    language = language or _language(sum(p.letters[0] for p in parsed), sum(p.letters[1] for p in parsed))
    messages += _fill_titles(parsed, language)
    messages += repeated_letters(chapters, [p.file for p in parsed], [p.letter_keys for p in parsed])
    if not title:
        title = default_title(language)
        messages.append(Diagnostic(parsed[0].file, None, "warning", "no-edition-title",
                                   f"no book title in the sources (the line above a chapter title): titled "
                                   f"{title!r} after the edition's language; set --title or `title` in "
                                   "edition.toml"))
    try:
        edition = Edition(title=title, language=language, chapters=chapters, **edition_fields)
    except ValidationError as exc:  # a parser bug, not bad input: say so plainly
        raise InputError(f"internal error: the parsed edition is inconsistent: {exc.errors()[0]['msg']}",
                         chapters[0].source if chapters else None) from None
    return edition, messages


def _fill_titles(parsed: list[_Parsed], language: str) -> list[Diagnostic]:
    """A chapter without a title line is titled from its documents' dates, in the edition's
    language (`September 1935`, `Сентябрь 1935`), never from the file's name; said as a warning."""
    said = []
    for p in parsed:
        if p.untitled_line is None:
            continue
        p.chapter.title = period_title([d.date.iso for d in p.chapter.documents if d.date and d.date.iso], language)
        said.append(Diagnostic(p.file, p.untitled_line, "warning", "no-chapter-title",
                               f"no chapter title (a line like `1935 August`) before the first document: titled "
                               f"{p.chapter.title!r} from its documents' dates; write a title line above the "
                               "first document (the book's title: --title or `title` in edition.toml)"))
    return said


def detect_language(text: str) -> str:
    return _language(*_letter_counts(text))


def _language(letters: int, cyrillic: int) -> str:
    return "ru" if letters and cyrillic / letters > 0.5 else "en"


# The complements of a letter (`[^\W\d_]`) and of a Cyrillic one: deleting runs of them
# counts letters without a list of one-character strings (the sample is 20,000 characters
# a file).
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]+")


def _letter_counts(text: str) -> tuple[int, int]:
    letters = _NOT_LETTERS.sub("", text)
    return len(letters), len(letters) - len(_CYRILLIC.sub("", letters))
