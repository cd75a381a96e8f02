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
