"""Line breaking done ahead, on the other core, while the book is being laid out.

Breaking a paragraph into lines (total fit, `TextParagraph.lines`) is a fifth of the PDF's
layout, and it depends on nothing but the paragraph and the width it is set at: not on
the page, nor on anything placed before it. Where the build leaves a core idle
(`ExportOptions.spare_cores`: a PDF, a print PDF, or both from one layout, built alone on
two cores), `PreBreaker.start` forks a child once the story is made. The child walks the
story in the order the layout will take it (each paragraph at the text width, then the
notes it calls, at the width of the page foot, which is the text's), breaks each one and
sends the lines back through a pipe while the layout goes on. When the layout first asks
a paragraph for its lines, the paragraph takes the child's (`take`) for that width,
waiting for them if they have not come yet; it breaks itself, as it always did, if they
do not match or the child is gone. The same code on the same paragraph, so the same
lines, tokens and floats (marshal keeps a float exactly): the same file.

What the child sends for a paragraph: the lines, and its tokens only where breaking
changed them (a word hyphenated or cut at a line's end), as runs of the tokens the
paragraph had and the new tokens, whose marks (objects of the parent's) are named by where
they stood in those tokens. Once every line is sent, the child deflates the pages' streams
as the layout shows them (`start`'s `then`, ahead.py), and lives until the layout is over.
In a whole build no core is spare and nothing is forked: there the child would compete
with the other formats' workers (bench/history.md).
"""
from __future__ import annotations

import marshal
import os
import select
import signal
import struct
from operator import is_
from typing import Iterable, Optional

from ...publish import as_helper_process, can_fork, widen_pipe, write_all
from .textblock import TextParagraph

_LENGTH = struct.Struct("<I")  # a batch's length, before its marshalled bytes
BATCH = 1 << 18  # bytes of results the child gathers before it writes them
MAX_FD = 1 << 20  # past any descriptor a process here holds (os.closerange: one call on Linux)
WAIT = 2.0  # seconds the layout waits for the child to write anything more, before breaking itself


def story_paragraphs(story: Iterable, width: float, area) -> list[tuple[object, Optional[TextParagraph], float]]:
    """(key, paragraph, width) for each paragraph the layout will break, in the order it
    will first break them: the story's paragraphs (those inside a keep-with-tail pair and a
    contents line too) at `width`, each followed by the notes it calls that came before in
    no paragraph (made by `area`, the page foot, as it will make them: key = the note's key,
    paragraph None)."""
    from .keep import WithTail
    from .layout import TocEntry
    specs = area.specs
    seen: set[str] = set()
    out: list = []
    add = out.append
    for f in story:
        t = type(f)
        if t is WithTail:
            paras = [(f.para, width)] + [(g, width) for g in f.tail if isinstance(g, TextParagraph)]
        elif t is TocEntry:
            paras = [(f.para, width - f.number_width)]
        elif isinstance(f, TextParagraph):
            paras = [(f, width)]
        else:
            continue
        for p, w in paras:
            add((len(out), p, w))
            for key in p.note_keys():  # (most paragraphs call none)
                if key not in seen and key in specs:
                    seen.add(key)
                    add((key, None, width))
    return out


def _encode(before: list, after: list):
    """The tokens `after` as the parent rebuilds them from `before`: None if they are the same
    tokens; else a list of [i, j] for each run before[i:j] kept and of each new token, every
    non-string part of it as [i, k] (part k of before[i]). False if some part is neither a
    string nor one of before's. (A paragraph holds one token object many times over: the
    words' tokens are shared. Any index of the object serves; the one after the last run
    keeps the runs long.)"""
    if after is before or (len(after) == len(before) and all(map(is_, after, before))):
        return None
    at = {id(t): i for i, t in enumerate(before)}
    where = {id(p): [i, k] for i, t in enumerate(before) for k, p in enumerate(t[2]) if type(p) is not str}
    out: list = []
    run = None  # the run of kept tokens being extended: [i, j]
    n, j = len(before), 0  # j: where the next kept token is looked for first
    for t in after:
        i = at.get(id(t))
        if i is not None:
            for k in range(j, min(j + 8, n)):  # (a word or two broken: the next kept is near)
                if before[k] is t:
                    i = k
                    break
            if run is not None and run[1] == i:
                run[1] = i + 1
            else:
                run = [i, i + 1]
                out.append(run)
            j = i + 1
            continue
        run = None
        parts = []
        for p in t[2]:
            if type(p) is str:
                parts.append(p)
            else:
                ref = where.get(id(p))
                if ref is None:
                    return False
                parts.append(ref)
        out.append((t[0], t[1], tuple(parts), t[3], t[4]))
    return out


def decode(before: list, enc: list) -> list:
    """The tokens `_encode` described, with the parent's own marks."""
    out: list = []
    for x in enc:
        if type(x) is list:
            out.extend(before[x[0]:x[1]])
        elif all(type(p) is str for p in x[2]):
            out.append(x)
        else:
            out.append((x[0], x[1], tuple(p if type(p) is str else before[p[0]][2][p[1]] for p in x[2]), x[3], x[4]))
    return out


class PreBreaker:
    """The parent's side: `start` forks the child; a paragraph's `lines` calls `take` (through
    its `_pre`: (breaker, key)); `close` when the layout is over (or failed)."""

    def __init__(self):
        self.pid = 0
        self.fd = -1
        self.results: dict = {}
        self.buffer = bytearray()
        self.taken = self.missed = 0  # paragraphs broken by the child / by the layout itself
        self.coming: set = set()  # the keys the child has still to send

    def start(self, story: list, width: float, area, then=None) -> bool:
        """Fork the child for `story` (set at `width`; notes made by `area`). False, and
        nothing started, where the build does not fork (no fork; macOS: publish.can_fork).
        `then` (ahead.DeflateAhead): the child's work once its lines are sent (it keeps the
        descriptors `then.child_fds` for it)."""
        if not can_fork():
            return False
        items = story_paragraphs(story, width, area)
        self.coming = {item[0] for item in items}
        for key, p, _ in items:
            if p is not None:
                p._pre = (self, key)
        area.prebroken = self
        read, write = os.pipe()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return False
        if pid == 0:  # the child: never returns
            os.close(read)
            _child(items, area, write, parent, then)
        os.close(write)
        if then is not None:
            then.started(pid)
        widen_pipe(read)  # room for a few batches, so the child seldom waits
        os.set_blocking(read, False)
        self.pid, self.fd = pid, read
        return True

    def take(self, key, width: float, tokens: list):
        """(tokens, lines) the child found for the paragraph `key` broken at `width` from
        `tokens`; None if they have not come (or do not match: the layout breaks it then)."""
        got = self.results.pop(key, None)
        if got is None and self.fd >= 0 and key in self.coming:
            # Not read yet: wait for it. The child breaks lines three to four times as fast
            # as the layout uses them; only the layout's look-ahead (a chapter's tail) and
            # its first pages get ahead of it, and breaking here too would cost as much as
            # the wait (and load the hyphenation patterns in this process as well).
            self._read()
            got = self.results.pop(key, None)
            while got is None and self.fd >= 0:
                if not select.select([self.fd], [], [], WAIT)[0]:
                    self.close()  # a child that stalls is not waited for again
                    break
                self._read()
                got = self.results.pop(key, None)
        self.coming.discard(key)
        if got is None or got[0] != width or got[1] != len(tokens) or got[3] is False:
            self.missed += 1
            return None
        self.taken += 1
        enc = got[3]
        return (tokens if enc is None else decode(tokens, enc)), got[2]

    def _read(self) -> None:
        """Whatever the child has written so far, without waiting for more."""
        buf = self.buffer
        while True:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:  # the child is done (or gone)
                os.close(self.fd)
                self.fd = -1
                break
            buf += chunk
        start, size = 0, len(buf)
        results = self.results
        while size - start >= 4:
            n = _LENGTH.unpack_from(buf, start)[0]
            if size - start - 4 < n:
                break
            keys, found = marshal.loads(bytes(buf[start + 4:start + 4 + n]))
            results.update(zip(keys, found))  # found: (width, token count, lines, tokens)
            start += 4 + n
        del buf[:start]

    def close(self, hand_over: bool = False) -> None:
        """The layout is over (or failed). `hand_over`: the child goes on with its `then`
        (whose owner waits for it), else it is ended here."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if hand_over:
            self.pid = 0
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = 0
        self.results.clear()
        self.coming.clear()


def _child(items: list, area, fd: int, parent: int, then=None) -> None:
    """Break every paragraph of `items` and write the results to `fd`; then do `then`'s
    work, if any; then exit at once (nothing of the parent's is run or flushed here)."""
    code = 0
    try:
        as_helper_process(parent)  # dies with the layout's process; a signal ends it
        # Hold none of the layout's other files: the pipes by which the build learns that
        # the layout's process has ended (multiprocessing's sentinel, its result) must
        # close when that process does, not when this one does.
        keep = sorted({fd, *(then.child_fds if then is not None else ())})
        for low, high in zip([2] + keep, keep + [MAX_FD]):
            os.closerange(low + 1, high)
        _break_all(items, area, fd)
        if then is not None:
            os.close(fd)  # (the layout reads to its end: all lines are sent)
            then.serve()
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _break_all(items: list, area, fd: int) -> None:
    """The child's work: each paragraph broken, the results written in batches."""
    keys: list = []
    batch: list = []
    size, limit = 0, 1 << 8  # small batches first: the layout starts at once, at the front
    for key, p, width in items:
        if p is None:
            p = area.note_paragraph(key)
        before = p.tokens
        lines = p.lines(width)
        enc = _encode(before, p.tokens)
        keys.append(key)
        batch.append((width, len(before), lines, enc))
        size += 24 * len(lines) + (0 if enc is None else 16 * len(enc)) + 32
        if size >= limit:
            _write(fd, (keys, batch))
            keys, batch, size, limit = [], [], 0, min(2 * limit, BATCH)
    if batch:
        _write(fd, (keys, batch))


def _write(fd: int, batch: tuple) -> None:
    data = marshal.dumps(batch)
    write_all(fd, _LENGTH.pack(len(data)) + data)

