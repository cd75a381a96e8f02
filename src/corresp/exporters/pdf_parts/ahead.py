"""The pages' streams deflated while the book is still being laid out, on the core the
build leaves idle.

A 3,000-page book's page streams are 16 MB of text; deflating them (zlib, the call
reportlab's `PDFZCompress` makes) is a quarter of what writing the file costs, and a build
of the PDF and the print PDF from one layout (pdf_shared.py) writes the two files at once,
one on each core, with no core left for it. During the layout, though, the second core is
idle for its last third: the child that breaks the lines ahead (prebreak.py) is done by
then. So that child, once its lines are sent, becomes this deflater. The layout posts each
page's stream as it is shown (`post`: marshalled batches appended to a memfd, their
lengths through a pipe, so the layout never waits for a reader); the child deflates it as
it is, for the file written from these pages, and made into the print edition's stream
(`pdf_shared.print_page_stream`, the function `make_print` uses, with the tags the page's
links take there) when the print PDF is made from this layout too. Its results go to a
second memfd, which every writer (the layout's process, a child forked to write the screen
PDF) reads once the child has ended (`deflated`).

A writer takes a result only for the stream it was made from: a posted stream by identity
(the string posted is the page's), a print edition's stream by the Adler-32 its deflated
bytes end with, worked out again from the stream `make_print` made. Anything else, and
everything if the child failed, it deflates itself: the same zlib call on the same bytes,
so the same file either way.

Measured against deflating at the writing, in a fresh process fed while the writer formats
the other objects (how the PDF alone was written before): the same for the PDF alone (the
posting costs the layout 0.035 s at 100x); what the print PDF adds to a build of both went
from 10-13% to 2-10% (6% in the last of four `make bench` runs; bench/history.md).
"""
from __future__ import annotations

import marshal
import os
import select
import struct
import zlib
from typing import Optional

from ...publish import write_all

_LENGTH = struct.Struct("<Q")  # a batch's length (through the pipe)
_RESULT = struct.Struct("<IBI")  # a result: page number, 0 screen / 1 print, its length
_END = 2 ** 64 - 1  # no more batches
BATCH = 1 << 18  # characters of page streams gathered before they are written
WAIT = 60.0  # seconds a writer waits for the child to end before it deflates everything itself


def deflate_ahead(variant=None, screen: bool = True) -> Optional["DeflateAhead"]:
    """A `DeflateAhead` for the layout about to be made, where this system has what it
    needs (memfd and fork: Linux); else None."""
    from ...publish import can_fork
    if not (can_fork() and hasattr(os, "memfd_create")):
        return None
    try:
        return DeflateAhead(variant, screen)
    except OSError:  # (out of descriptors)
        return None


class DeflateAhead:
    """The layout's side: `post` each page as it is shown, `finish` when the layout is
    over; `child_fds` the child keeps, `serve` the child's work; a writer's `deflated`."""

    def __init__(self, variant=None, screen: bool = True):
        self.variant = variant  # pdf_print.PrintVariant: the print edition's streams too
        self.screen = screen  # the streams as they are, too
        self.form = None  # pdf_shared.print_form, made at the first page
        self.posted: dict[int, str] = {}  # page number -> the stream posted
        self.prints: dict[int, str] = {}  # page number -> the print edition's stream (make_print)
        self.numbers: dict[int, tuple[int, bool]] = {}  # id of either -> (page number, print?)
        self.batch: list = []
        self.size = 0
        self.results: Optional[tuple[dict, dict]] = None
        self.pid = 0  # the child, once forked (`started`): this process waits for it
        self.inbox = os.memfd_create("corresp-pages", os.MFD_CLOEXEC)
        self.outbox = os.memfd_create("corresp-deflated", os.MFD_CLOEXEC)
        self.notes_r, self.notes_w = os.pipe()  # batch lengths, layout -> child
        self.done_r, self.done_w = os.pipe()  # held open by the child alone: its end is the EOF

    # --- the layout's process ----------------------------------------------------

    @property
    def child_fds(self) -> tuple[int, ...]:
        return self.inbox, self.outbox, self.notes_r, self.done_w

    def started(self, pid: int) -> None:
        """The child is forked (`pid`): the ends it holds alone are closed here."""
        self.pid = pid
        for fd in (self.notes_r, self.done_w):
            os.close(fd)
        self.notes_r = self.done_w = -1

    def post(self, canv, page) -> None:
        """`page` (reportlab's, just complete) is shown: its stream, and the tags its links'
        marked content takes in the print edition, go to the child."""
        if self.notes_w < 0:
            return
        number = canv._doc.pageCounter
        stream = page.stream
        self.posted[number] = stream
        self.numbers[id(stream)] = (number, False)
        if self.variant is not None and self.form is None:
            from ..pdf_shared import print_form
            self.form = print_form(canv, self.variant)
            self.batch.append((0, (self.form, self.screen), None))
        kinds = canv.tagger.print_kinds(canv) if self.variant is not None and canv.tagger is not None else None
        self.batch.append((number, stream, kinds))
        self.size += len(stream)
        if self.size >= BATCH:
            self._send()

    def _send(self) -> None:
        data = marshal.dumps(self.batch)
        self.batch, self.size = [], 0
        try:
            write_all(self.inbox, data)
            write_all(self.notes_w, _LENGTH.pack(len(data)))
        except OSError:  # the child is gone: the writers deflate everything
            self._hang_up()

    def finish(self) -> None:
        """The layout is over: the last batch, and the end."""
        if self.notes_w < 0:
            return
        if self.batch:
            self._send()
        if self.notes_w >= 0:
            try:
                write_all(self.notes_w, _LENGTH.pack(_END))
            except OSError:
                pass
            self._hang_up()

    def _hang_up(self) -> None:
        if self.notes_w >= 0:
            os.close(self.notes_w)
            self.notes_w = -1

    def close(self) -> None:
        """Everything let go; the child, if it is this process's, waited for (or ended)."""
        self._hang_up()
        for name in ("inbox", "outbox", "done_r", "notes_r", "done_w"):
            fd = getattr(self, name)
            if fd >= 0:
                os.close(fd)
                setattr(self, name, -1)
        if self.pid:
            pid, self.pid = self.pid, 0
            try:
                os.kill(pid, 9)  # (it has ended, unless nothing was asked of it or it hangs)
                os.waitpid(pid, 0)
            except OSError:
                pass

    # --- a writer (the layout's process, or one forked from it) -------------------

    def expect_print(self, number: int, stream: str) -> None:
        """`make_print` made `stream` for page `number`."""
        self.prints[number] = stream
        self.numbers[id(stream)] = (number, True)

    def deflated(self, content) -> Optional[bytes]:
        """The deflated bytes of `content`, if the child made them from it; else None."""
        n, printed = self.numbers.get(id(content), (0, False))
        if (self.prints if printed else self.posted).get(n) is not content:
            return None
        if self.results is None:
            self.results = self._collect()
        got = self.results[printed].get(n)
        if printed and got is not None and _adler(got) != zlib.adler32(content.encode("utf-8")):
            return None
        return got

    def _collect(self) -> tuple[dict, dict]:
        """Every result the child made, once it has ended (nothing if it does not end)."""
        if self.done_r < 0:
            return {}, {}
        while True:  # the child's end of the pipe closes when it ends
            if not select.select([self.done_r], [], [], WAIT)[0]:
                return {}, {}
            try:
                if not os.read(self.done_r, 1):
                    break
            except OSError:
                break
        data = os.pread(self.outbox, os.fstat(self.outbox).st_size, 0)
        screen: dict[int, bytes] = {}
        prints: dict[int, bytes] = {}
        at, size = 0, len(data)
        while size - at >= _RESULT.size:
            number, kind, length = _RESULT.unpack_from(data, at)
            at += _RESULT.size
            if size - at < length:
                break
            (prints if kind else screen)[number] = data[at:at + length]
            at += length
        return screen, prints

    # --- the child (prebreak.py's, once its lines are sent) ----------------------

    def serve(self) -> None:
        """Deflate every batch posted, until the end; results appended to the outbox."""
        from ..pdf_shared import print_page_stream
        offset = 0
        form, screen = None, True
        pack = _RESULT.pack
        while True:
            head = _read_exactly(self.notes_r, _LENGTH.size)
            if len(head) < _LENGTH.size:
                break
            length = _LENGTH.unpack(head)[0]
            if length == _END:
                break
            batch = marshal.loads(os.pread(self.inbox, length, offset))
            offset += length
            out = []
            for number, stream, kinds in batch:
                if number == 0:
                    form, screen = stream
                    continue
                try:
                    if screen:
                        deflated = zlib.compress(stream.encode("utf-8"))
                        out += (pack(number, 0, len(deflated)), deflated)
                    if form is not None:
                        deflated = zlib.compress(print_page_stream(stream, kinds, form).encode("utf-8"))
                        out += (pack(number, 1, len(deflated)), deflated)
                except (UnicodeError, ValueError):  # (the writer meets it as it always did)
                    continue
            # (appended: the writers only pread it, so the file's offset is the child's)
            write_all(self.outbox, b"".join(out))


def _adler(deflated: bytes) -> int:
    """The Adler-32 of what `deflated` (a zlib stream) was made from: its last four bytes."""
    return int.from_bytes(deflated[-4:], "big")


def _read_exactly(fd: int, n: int) -> bytes:
    got = b""
    while len(got) < n:
        chunk = os.read(fd, n - len(got))
        if not chunk:
            break
        got += chunk
    return got
