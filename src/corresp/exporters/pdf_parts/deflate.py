"""The page and form streams deflated on a core the build leaves idle, ahead of the writer.

A book's file holds a content stream per page and a form per running head or note rule:
about 7,000 streams for 3,000 pages, whose compression (zlib, the same call reportlab's
`PDFZCompress` makes) was a fifth of writing the file. Where the build runs this exporter
alone on a machine with another core (`ExportOptions.spare_cores`), a forked child deflates
every stream, in the order the writer will ask for them, and sends the results down a pipe
while the writer formats everything else; `take` hands the writer each stream's bytes. The
bytes are zlib's in either process, so the file is the same. If the child fails, the writer
deflates the rest itself.
"""
from __future__ import annotations

import os
import struct
import zlib
from typing import Optional

from reportlab.pdfbase.pdfdoc import PDFFormXObject, PDFPage

_LENGTH = struct.Struct("<Q")


def streams_to_deflate(document) -> list:
    """The contents of the document's compressed pages and forms, by object number (about the
    order the writer reaches them: a page's content stream is written soon after the page)."""
    contents = []
    id_to_object, number_to_id = document.idToObject, document.numberToId
    for n in sorted(number_to_id):
        obj = id_to_object[number_to_id[n]]
        kind = type(obj)
        if (kind is PDFPage or kind is PDFFormXObject) and obj.compression and obj.stream:
            contents.append(obj.stream)
    return contents


class Deflater:
    """`take(content)`: the deflated bytes of one of `contents` (a str or bytes object the
    writer holds), or None (not one of them, or the child failed: deflate it yourself)."""

    def __init__(self, contents: list):
        self.contents = contents
        self.index = {id(c): k for k, c in enumerate(contents)}
        self.ready: dict[int, bytes] = {}
        self.received = 0
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: deflate everything, in order; never returns
            code = 1
            try:
                os.close(read)
                with os.fdopen(write, "wb", buffering=1 << 20) as pipe:
                    for c in contents:
                        data = zlib.compress(c.encode("utf-8") if type(c) is str else c)
                        pipe.write(_LENGTH.pack(len(data)))
                        pipe.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pipe = os.fdopen(read, "rb", buffering=1 << 20)

    def take(self, content) -> Optional[bytes]:
        k = self.index.get(id(content))
        if k is None or self.contents[k] is not content:
            return None
        while self.received <= k and self.pipe is not None:
            head = self.pipe.read(_LENGTH.size)
            data = self.pipe.read(_LENGTH.unpack(head)[0]) if len(head) == _LENGTH.size else b""
            if len(head) < _LENGTH.size or len(data) < _LENGTH.unpack(head)[0]:
                self.close()  # the child ended early: what it did not send, the writer deflates
                break
            self.ready[self.received] = data
            self.received += 1
        return self.ready.pop(k, None)

    def close(self) -> None:
        if self.pipe is not None:
            self.pipe.close()
            self.pipe = None
            os.waitpid(self.pid, 0)
