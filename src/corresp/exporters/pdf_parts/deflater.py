"""The page streams deflated by another process while the book is being laid out.

A 3,000-page book has ~7,000 content streams (its pages and the forms of their numbers);
deflating them (zlib, the call reportlab's `PDFZCompress` makes) is a quarter of what
writing the file costs, and each stream is final the moment its page or form is shown.
Where the build leaves a core idle (`ExportOptions.spare_cores`: one PDF alone on two
cores), the canvas hands each stream to a `Deflater` as it is shown: a fresh interpreter
(started, not forked: a fork of the half-gigabyte layout would make the layout pay a
copy of every memory page it touches afterwards) that deflates them on the other core,
one after another, while the layout goes on. When the file is written, the writer takes
each stream's deflated bytes from it (`deflated`): the same zlib call on the same bytes,
so the same file. A stream it does not have (changed since, or the process failed) the
writer deflates itself.
"""
from __future__ import annotations

import os
import struct
import subprocess
import sys
from typing import Optional

from ...publish import widen_pipe

_LENGTH = struct.Struct("<Q")  # a stream's length, before its bytes
# Streams are written to the child in batches of about this many bytes: a write per page
# would wake the child (and switch tasks) 7,000 times a book, which costs more than the
# deflating it saves.
BATCH = 1 << 18
_RESULT = struct.Struct("<QQ")  # the length of the stream sent, of its deflated bytes

_END = 2 ** 64 - 1  # the length that says there is no more: the pipe itself may stay open
# (a process forked meanwhile holds its end too)

# The child: stream after stream from stdin (length, bytes), deflated as zlib.compress
# does for reportlab; every result kept until the end, then all written to stdout (so
# the child never waits for the layout to read, and the layout never waits for the child
# but while it is deflating).
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
    """`send(content)` as each stream is final; `deflated(content)` its deflated bytes when
    the file is written (None if not had); `close()` when done (or failed)."""

    def __init__(self):
        self.sent: list = []  # the contents sent, in order (kept: identity is the check)
        self.index: dict[int, int] = {}
        self.sizes: list[int] = []
        self.results: Optional[list] = None
        self.batch = bytearray()  # streams not yet written to the child (one write per batch)
        self.due = BATCH  # the batch's length at which to write again
        self.child = None  # (without an interpreter to start, the writer deflates everything)
        if not sys.executable:
            return
        try:
            self.child = subprocess.Popen([sys.executable, "-I", "-S", "-c", _CHILD], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        except (OSError, ValueError):
            return
        # The pipe holds a few batches (Linux: up to 1 MB unprivileged), so the layout's
        # writes, which never wait, are taken whole while the child deflates the last.
        fd = self.child.stdin.fileno()
        widen_pipe(fd)
        os.set_blocking(fd, False)

    def send(self, content) -> None:
        if self.child is None or self.results is not None:
            return
        data = content.encode("utf-8") if type(content) is str else content
        self.batch += _LENGTH.pack(len(data))
        self.batch += data
        self.index[id(content)] = len(self.sent)
        self.sent.append(content)
        self.sizes.append(len(data))
        if len(self.batch) >= self.due:
            self._flush()

    def _flush(self, wait: bool = False) -> None:
        """Write what the pipe takes now (all of the batch if `wait`)."""
        fd = self.child.stdin.fileno()
        try:
            while self.batch:
                try:
                    written = os.write(fd, self.batch)
                except BlockingIOError:  # the pipe is full: the rest goes with the next batch
                    if not wait:
                        break
                    os.set_blocking(fd, True)
                    continue
                del self.batch[:written]
        except OSError:  # the child died: the writer deflates everything itself
            self.close()
        self.due = len(self.batch) + BATCH

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
        self.batch += _LENGTH.pack(_END)
        self._flush(wait=True)
        if self.child is None:
            return []
        try:
            self.child.stdin.close()
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
            for pipe in (child.stdin, child.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass
            if child.poll() is None:
                child.kill()
            child.wait()
