"""The file's costliest pieces written on a core the build leaves idle, beside the writer.

Writing a 3,000-page book spends a third of its time on two kinds of work that need only
what is settled when writing starts: deflating the ~7,000 content streams of the pages and
forms (zlib, the call reportlab's `PDFZCompress` makes) and formatting the ~100,000 elements
of the structure tree (`StructElem.format_run`: they refer only to objects numbered before
the file is written). Where the build runs this exporter alone on a machine with another
core (`ExportOptions.spare_cores`), a forked child does those pieces from the last the
writer needs to the first, and sends each down a pipe; the writer goes from the first,
takes each piece the child has sent, and does any other itself, so neither ever waits for
the other and they meet in the middle. The child runs the same code on the same objects, so
the file is the same whoever did what; if the child fails, the writer does the rest.
"""
from __future__ import annotations

import os
import pickle
import signal
import struct
import zlib
from typing import Callable, Optional

from reportlab.pdfbase.pdfdoc import PDFFormXObject, PDFPage

_HEAD = struct.Struct("<IQ")  # a piece's index and length
CHUNK = 4000  # structure elements per piece: small enough to meet near the middle


def planned(document) -> list:
    """The pieces, in the writer's order: ("deflate", content) for each compressed form and
    page (the pages' content streams are numbered as the pages are written: after the
    rest), ("run", kind, objects) for each chunk of a run of consecutive objects of a kind
    that formats runs (serialize.py: the structure tree)."""
    forms, runs, pages = [], [], []
    id_to_object, number_to_id = document.idToObject, document.numberToId
    run_kind, run = None, []

    def flush():
        runs.extend(("run", run_kind, run[k:k + CHUNK]) for k in range(0, len(run), CHUNK))
    for n in sorted(number_to_id):
        obj = id_to_object[number_to_id[n]]
        kind = type(obj)
        if kind is not run_kind and run:
            flush()
            run_kind, run = None, []
        if kind is PDFPage or kind is PDFFormXObject:
            if obj.compression and obj.stream:
                (pages if kind is PDFPage else forms).append(("deflate", obj.stream))
        elif getattr(kind, "format_run", None) is not None:
            run_kind = kind
            run.append(obj)
    if run:
        flush()
    return forms + runs + pages


def _do(piece, document) -> bytes:
    if piece[0] == "deflate":
        c = piece[1]
        return zlib.compress(c.encode("utf-8") if type(c) is str else c)
    return pickle.dumps(piece[1].format_run(piece[2], document), pickle.HIGHEST_PROTOCOL)


class AsideWriter:
    """`deflated(content)`: the deflated bytes of a stream's content, if the child sent them
    (else None: the writer deflates it); `run(objects, format_run)`: a run's bodies, the
    child's chunks where sent and the others formatted here."""

    def __init__(self, document, plan: list):
        self.plan, self.document = plan, document
        self.streams = {id(p[1]): k for k, p in enumerate(plan) if p[0] == "deflate"}
        self.runs = {id(p[2][0]): k for k, p in enumerate(plan) if p[0] == "run"}
        self.ready: dict[int, bytes] = {}
        self.buffer = bytearray()
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: every piece, last first; never returns
            code = 1
            try:
                os.close(read)
                with os.fdopen(write, "wb", buffering=0) as pipe:
                    for k in reversed(range(len(plan))):
                        data = _do(plan[k], document)
                        pipe.write(_HEAD.pack(k, len(data)) + data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        os.set_blocking(read, False)
        self.fd: Optional[int] = read

    def deflated(self, content) -> Optional[bytes]:
        k = self.streams.get(id(content))
        if k is None or self.plan[k][1] is not content:
            return None
        return self._sent(k)

    def run(self, objects: list, format_run: Callable) -> list[bytes]:
        """The bodies of a run the writer met: the planned chunks it starts with, each the
        child's if sent, else formatted here; the rest (if the run is longer) here."""
        bodies: list[bytes] = []
        k = self.runs.get(id(objects[0]))
        while k is not None and k < len(self.plan) and self.plan[k][0] == "run" \
                and self.plan[k][2] == objects[len(bodies):len(bodies) + len(self.plan[k][2])]:
            got = self._sent(k)
            bodies += pickle.loads(got) if got is not None else format_run(self.plan[k][2], self.document)
            k += 1
        if len(bodies) < len(objects):
            bodies += format_run(objects[len(bodies):], self.document)
        return bodies

    def _sent(self, k: int) -> Optional[bytes]:
        """Piece k if the child has sent it (what has arrived is read, nothing awaited)."""
        if k not in self.ready and self.fd is not None:
            self._read()
        return self.ready.pop(k, None)

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:  # the child is done (or died): what it sent is all there is
                self.close()
                break
            self.buffer += chunk
        buf, at = self.buffer, 0
        while len(buf) - at >= _HEAD.size:
            k, size = _HEAD.unpack_from(buf, at)
            if len(buf) - at - _HEAD.size < size:
                break
            self.ready[k] = bytes(buf[at + _HEAD.size:at + _HEAD.size + size])
            at += _HEAD.size + size
        del buf[:at]

    def close(self) -> None:
        """Done: a child still working does what nobody needs any more."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
