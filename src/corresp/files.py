"""Reading the files a user names: regular files only, each kind under a size limit.

A source, cover, corrections file, `--config`, `persons.toml`, style part or a file `verify`
finds may be `/dev/zero`, a FIFO, a socket or a link to one of them: reading it would never
end (a FIFO without a writer blocks the open itself) or would fill the memory. So a file is
opened without blocking, checked with fstat on the open descriptor (what is read is what
was checked: no race with a rename), and read only up to its kind's limit. Every reader of
a named file goes through `read_regular` (or `check_regular`, where a library opens the
file by its name), so the limits below are the whole story; the README lists them.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Optional, Type

from .errors import CorrespError, InputError

MB = 1 << 20

# kind -> (what it is called in messages, the most bytes read). The limits keep memory bounded
# (README, "Limits"): a source of 16 MB is about 300 months of letters, four times the whole
# 1931-1936 correspondence.
KINDS: dict[str, tuple[str, int]] = {
    "source": ("source file", 16 * MB),
    "json": ("JSON edition", 32 * MB),
    "tei": ("TEI edition", 32 * MB),
    "corrections": ("corrections file", 4 * MB),
    "config": ("edition.toml", 1 * MB),
    "persons": ("persons.toml", 4 * MB),
    "cover": ("cover", 10 * MB),
    "style": ("style file", 1 * MB),  # pdf.toml, print.toml, epub.css
    "reference": ("reference.docx", 16 * MB),
    "font": ("font", 32 * MB),
    "profile": ("ICC profile", 4 * MB),
    "output": ("file of the edition", 2048 * MB),  # what `verify` reads back
    "pdf": ("PDF", 2048 * MB),  # what `preflight` reads
}


EDITION_LIMIT = 32 * MB  # all the sources of one edition together


def check_edition_size(paths) -> None:
    """The sources of one edition hold at most EDITION_LIMIT bytes together (each kind's own
    limit is checked when it is read)."""
    total = 0
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            continue  # the reader says what is wrong with it
        if stat.S_ISREG(st.st_mode):
            total += st.st_size
    if total > EDITION_LIMIT:
        raise InputError(f"the sources hold {_size(total)}; an edition may be at most {_size(EDITION_LIMIT)} "
                         "(its memory is bounded by it)")


def limit(kind: str) -> int:
    return KINDS[kind][1]


def _what(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check(st: os.stat_result, kind: str, error: Type[CorrespError], name: str) -> None:
    noun, most = KINDS[kind]
    if stat.S_ISDIR(st.st_mode):
        raise error(f"is a directory, not a {noun}", name)
    if not stat.S_ISREG(st.st_mode):
        raise error(f"is {_what(st.st_mode)}, not a {noun}: corresp reads regular files only", name)
    if st.st_size > most:
        raise error(f"is {_size(st.st_size)}; a {noun} may be at most {_size(most)}", name)


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n} bytes"


def _open(path, error: Type[CorrespError], name: str) -> int:
    try:
        # O_NONBLOCK: opening a FIFO without a writer would wait forever.
        return os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise error("cannot read: no such file", name) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", name) from None


def read_regular(path, kind: str, error: Type[CorrespError] = InputError, name: Optional[str] = None) -> bytes:
    """The bytes of `path` if it is a regular file (a link to one is fine) of at most the
    kind's limit; else `error` naming the file, one line."""
    name = name or str(path)
    fd = _open(path, error, name)
    try:
        st = os.fstat(fd)
        _check(st, kind, error, name)
        os.set_blocking(fd, True)
        most = limit(kind)
        chunks, size = [], 0
        while True:
            try:
                chunk = os.read(fd, min(1 << 20, most + 1 - size))
            except OSError as exc:
                raise error(f"cannot read: {exc.strerror or exc}", name) from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > most:  # it grew while being read
                raise error(f"is more than {_size(most)}; a {KINDS[kind][0]} may be at most that", name)
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_regular(path, kind: str, error: Type[CorrespError] = InputError, name: Optional[str] = None) -> None:
    """`path` is a regular file within the kind's limit (for files a library opens by name:
    fonts, PDFs, zips)."""
    name = name or str(path)
    fd = _open(path, error, name)
    try:
        _check(os.fstat(fd), kind, error, name)
    finally:
        os.close(fd)


def head(path, size: int) -> Optional[bytes]:
    """The first `size` bytes of a regular file; None for anything else (a folder, a FIFO, a
    device, a missing file), without blocking."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        os.set_blocking(fd, True)
        return os.read(fd, size)
    except OSError:
        return None
    finally:
        os.close(fd)


def is_regular(path: Path) -> bool:
    """Without following a FIFO's open: is `path` (or what it links to) a regular file?"""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def load_toml(path, kind: str, error: Type[CorrespError], name: Optional[str] = None) -> tuple[str, dict]:
    """A TOML file of `kind` (read as above): its text and its tables, every failure one
    line naming the file (a file nested thousands deep too: tomllib recurses)."""
    import tomllib
    name = name or str(path)
    raw = read_regular(path, kind, error, name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start})", name) from None
    try:
        return text, tomllib.loads(text)
    except RecursionError:
        raise error("not valid TOML: nested too deeply", name) from None
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise error(f"not valid TOML: {exc}", name) from None


MEMBER_LIMIT = 256 * MB  # one part of an EPUB or DOCX, inflated (a chapter of 100× the seed is ~3 MB)


def read_member(z, member: str, error: Type[CorrespError] = InputError, name: Optional[str] = None,
                most: int = MEMBER_LIMIT) -> bytes:
    """One member of an open zip, inflated under a cap: neither more than its directory
    entry claims (which may lie) nor more than `most` bytes."""
    info = z.getinfo(member)
    where = name or getattr(z, "filename", None) or "zip"
    if info.file_size > most:
        raise error(f"{member} would inflate to {_size(info.file_size)}; at most {_size(most)} is read", where)
    chunks, size = [], 0
    with z.open(info) as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > info.file_size:
                raise error(f"{member} inflates to more than its directory says (a zip bomb?)", where)
            chunks.append(chunk)
    return b"".join(chunks)
