"""The pages' content streams deflated by another process while the file is written.

A 3,000-page book's page streams are 16 MB of text; deflating them (zlib, the call
reportlab's `PDFZCompress` makes) is a quarter of what writing the file costs. Where the
build leaves a core idle (`ExportOptions.spare_cores`: one PDF alone on two cores), the
writer hands them all to a `Deflater` when it starts (serialize.write_document): a fresh
interpreter (started, not forked: a fork of the half-gigabyte layout would make the writer
pay a copy of every memory page it touches afterwards) that deflates them on the other
core, fed by a thread (its writes to the pipe let go of the interpreter) while the writer
formats the file's other objects; the pages' streams come last in the file, and by then
their deflated bytes are there (`deflated`). The same zlib call on the same bytes, so the
same file. A stream it does not have (the process failed) the writer deflates itself.

Measured against deflating each stream as its page is shown, during the layout (how it was
done before the layout's lines were broken ahead on that core: bench/history.md): the
layout no longer pays for handing the streams over as it goes, 0.1 s at 100x.
"""
from __future__ import annotations

import struct
import subprocess
import sys
import threading
from typing import Iterable, Optional

from ...publish import widen_pipe, write_all

_LENGTH = struct.Struct("<Q")  # a stream's length, before its bytes
_RESULT = struct.Struct("<QQ")  # the length of the stream sent, of its deflated bytes

_END = 2 ** 64 - 1  # the length that says there is no more: the pipe itself may stay open
# (a process forked meanwhile holds its end too)

# The child: stream after stream from stdin (length, bytes), deflated as zlib.compress
# does for reportlab; every result kept until the end, then all written to stdout (so
# the child never waits for the writer to read).
_CHILD = f"""
import struct, sys, zlib
length, result = struct.Struct("<Q"), struct.Struct("<QQ")
read, done = sys.stdin.buffer.read, []
while True:
    head = read(8)
    if len(head) < 8 or length.unpack(head)[0] == {_END}:
        break
    data = read(length.unpack(head)[0])
    deflated = zlib.compress(data)
    done.append(result.pack(len(data), len(deflated)) + deflated)
sys.stdout.buffer.write(b"".join(done))
"""


class Deflater:
    """`Deflater(contents)`: the child started and given every stream of `contents`;
    `deflated(content)` its deflated bytes (None if not had: the writer deflates it);
    `close()` when done (or failed)."""

    def __init__(self, contents: Iterable):
        self.sent: list = []  # the contents sent, in order (kept: identity is the check)
        self.index: dict[int, int] = {}
        self.sizes: list[int] = []
        self.results: Optional[list] = None
        self.child = None  # (without an interpreter to start, the writer deflates everything)
        self.feeder: Optional[threading.Thread] = None
        if not sys.executable:
            return
        try:
            self.child = subprocess.Popen([sys.executable, "-I", "-S", "-c", _CHILD], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        except (OSError, ValueError):
            return
        parts = []  # (joined once: a growing buffer would copy the 16 MB as it grows)
        pack = _LENGTH.pack
        for content in contents:
            data = content.encode("utf-8") if type(content) is str else content
            parts += (pack(len(data)), data)
            self.index[id(content)] = len(self.sent)
            self.sent.append(content)
            self.sizes.append(len(data))
        parts.append(pack(_END))
        batch = b"".join(parts)
        del parts
        fd = self.child.stdin.fileno()
        widen_pipe(fd)  # (Linux: up to 1 MB a write, so the thread seldom wakes)

        def feed():
            try:
                write_all(fd, batch)
            except OSError:  # the child died (or was ended): the writer deflates the rest
                pass
        self.feeder = threading.Thread(target=feed, name="corresp-deflate-feed", daemon=True)
        self.feeder.start()

    def deflated(self, content) -> Optional[bytes]:
        k = self.index.get(id(content))
        if k is None or self.sent[k] is not content:
            return None
        if self.results is None:
            self.results = self._collect()
        return self.results[k] if k < len(self.results) else None

    def _collect(self) -> list:
        """Every result the child made (all sent, unless it failed)."""
        if self.child is None:
            return []
        self.feeder.join()  # all written, the end too
        try:
            data = self.child.stdout.read()
        except OSError:
            data = b""
        self.close()
        results, at = [], 0
        for size in self.sizes:
            if len(data) - at < _RESULT.size:
                break
            sent, length = _RESULT.unpack_from(data, at)
            at += _RESULT.size
            if sent != size or len(data) - at < length:
                break  # (never: the child read what was sent; else the writer deflates the rest)
            results.append(data[at:at + length])
            at += length
        return results

    def close(self) -> None:
        if self.child is not None:
            child, self.child = self.child, None
            feeder = self.feeder
            if feeder is not None and feeder.is_alive():
                child.kill()  # (its pipe closes: the feeding thread's write ends)
                feeder.join()
            for pipe in (child.stdin, child.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass
            if child.poll() is None:
                child.kill()
            child.wait()
