"""Note markers in reportlab paragraphs, and paragraphs that know which markers they hold.

A marker is a superscript label linking to its note, followed by an invisible anchor
`<a name="mk-KEY"/>`. reportlab keeps that zero-width anchor fragment with its line when
it splits a paragraph, so any piece of a paragraph can say which notes it carries.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

try:  # private helpers of reportlab's paragraph splitting, needed to reuse its lines
    from reportlab.platypus.paragraph import (_InjectedFrag, _processed_frags, _SHYWord, _SHYWordHS,
                                              _SplitFragHY, _SplitFragLL)
    _HANDOVER = True
except ImportError:  # another reportlab: keep its (slower) re-breaking
    _HANDOVER = False

MARK_PREFIX = "mk-"  # named destination at a marker
NOTE_PREFIX = "fn-"  # named destination at the start of a note

_UNSAFE = re.compile(r"[^A-Za-z0-9.-]")


def note_key(container: str, number: int) -> str:
    """The key of note `number` of a document (its id) or chapter intro (numbering.intro_key).
    Keys become PDF destination names, so other characters are written as _XXXX (which
    keeps distinct ids distinct); the number is always the part after the last dot."""
    return f"{_UNSAFE.sub(lambda m: f'_{ord(m.group()):04x}', container)}.{number}"


def marker_markup(key: str, label: str) -> str:
    return (f'<a href={quoteattr("#" + NOTE_PREFIX + key)}><super>{escape(label)}</super></a>'
            f'<a name={quoteattr(MARK_PREFIX + key)}/>')


_SPACES = re.compile(r"[ \t\r\n]+")
_PLAIN_FRAGS: dict[tuple, object] = {}


class CachedParagraph(Paragraph):
    """A Paragraph that breaks its lines once per width. reportlab re-breaks on every wrap,
    and a paragraph at a page end is wrapped several times; line breaking is the cost."""

    _wrapped: Optional[tuple[float, float, float]] = None

    @classmethod
    def plain(cls, text: str, style: ParagraphStyle) -> "CachedParagraph":
        """A paragraph of plain text (no markup, no escaping needed), built from one
        fragment without reportlab's markup parser, which costs as much as line breaking."""
        text = _SPACES.sub(" ", text).strip()
        if not text:
            return cls("", style)
        key = (style.fontName, style.fontSize, repr(style.textColor))
        template = _PLAIN_FRAGS.get(key)
        if template is None:
            template = _PLAIN_FRAGS[key] = Paragraph("x", style).frags[0]
        return cls(text, style, frags=[template.clone(text=text)])

    # Index of this paragraph's first word among the words of the paragraph it was split
    # from: the handed-over lines keep counting words from the start of that paragraph.
    _word_base = 0

    def split(self, availWidth, availHeight):
        lines = self.__dict__.get("blPara")
        parts = super().split(availWidth, availHeight)
        if not parts and lines is not None and "blPara" not in self.__dict__:
            self.blPara = lines  # reportlab drops them when a split fails; they still hold
        # reportlab breaks the rest of a split paragraph into lines all over again on the
        # next page: quadratic in a long paragraph. Its lines are the ones already broken
        # (the rest starts a line, without first-line indent, at the same width), so hand
        # them over. Only for the width they were broken at, and only without autoLeading.
        w = self._wrapped
        if (len(parts) == 2 and w is not None and w[0] == availWidth and "blPara" in self.__dict__
                and getattr(self.style, "autoLeading", "") in ("", "off") and _HANDOVER):
            first, rest = parts
            all_lines = self.blPara.lines
            cut = len(first.blPara.lines)
            rest.blPara = self.blPara.clone(lines=all_lines[cut:])
            rest._wrapped = (availWidth, availWidth, len(all_lines[cut:]) * rest.style.leading)
            if _processed_frags(self.frags):
                first._word_base = all_lines[0].sFW
                rest._word_base = all_lines[cut].sFW
        return parts

    def _split_blParaProcessed(self, blPara, start, stop):
        # reportlab's own (4.x), with word indices taken relative to _word_base.
        if not stop:
            return []
        lines, base = blPara.lines, self._word_base
        first = lines[start].sFW - base
        end = lines[stop].sFW - base if stop != len(lines) else len(self.frags)
        words = self.frags[first:end]
        while words and isinstance(words[-1], _InjectedFrag):
            del words[-1]
        if isinstance(words[-1], _SplitFragHY):
            words[-1].__class__ = _SHYWordHS if isinstance(words[-1], _SHYWord) else _SplitFragLL
        return words

    def wrap(self, availWidth, availHeight):
        w = self._wrapped
        if w is not None and w[0] == availWidth and "blPara" in self.__dict__:
            self.width, self.height = w[1], w[2]
            return w[1], w[2]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, width, height)
        return width, height


class NotedParagraph(CachedParagraph):
    """A paragraph that may carry note markers; every piece of it knows its own."""

    def note_keys(self) -> list[str]:
        keys = self.__dict__.get("_note_keys")
        if keys is None:
            keys = self._note_keys = list(_marker_keys(self.frags))
        return keys


def _marker_keys(frags) -> Iterable[str]:
    # Two shapes: parsed fragments, or (after reportlab's line breaking) words that are
    # lists [width, (frag, text), (frag, text), ...].
    for f in frags:
        for g in ([item[0] for item in f[1:]] if isinstance(f, list) else (f,)):
            cb = getattr(g, "cbDefn", None)
            if cb is not None and getattr(cb, "kind", None) == "anchor":
                name = getattr(cb, "name", "")
                if name.startswith(MARK_PREFIX):
                    yield name[len(MARK_PREFIX):]


def note_keys(flowable) -> list[str]:
    get = getattr(flowable, "note_keys", None)
    return get() if get else []
