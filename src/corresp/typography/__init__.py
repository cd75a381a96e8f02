"""House typography: the edition as the presentation formats print it.

An edition's text is evidence: the JSON, TEI and CMIF keep the source's characters exactly.
What a reader sees (PDF, EPUB, DOCX, the web edition) is set in the press's house style
(`rules`: curly quotes, dashes, ellipses, non-breaking spaces, by language). The pipeline
(`corresp.build.export_all`) gives every exporter that declares `presents_text = True` a
typeset copy of the edition, made once here (`presented`), so body, headings, notes,
running heads, contents, outline, calendar, index and metadata titles all come from one
clean-up. Note markers are inline nodes of the model, not character offsets: a paragraph
is set as one string with each marker held by a placeholder, so quotes pair across a
marker and every marker stays where it was.

The style folder's `typography.toml` switches the clean-up off or chooses the English
dash (`corresp.typography.style`); `corresp verify` compares the formats through `fold`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from ..gcpause import gc_paused
from ..model import Chapter, Document, Edition, Enclosure, Footnote, NoteRef, Paragraph, Person, Text
from .rules import MARKER, Language, apply, fold, fold_char, language_rules, reading_form
from .style import TypographyStyle, load_typography

__all__ = ["TypographyStyle", "load_typography", "typeset", "typeset_text", "presented", "fold", "fold_char",
           "reading_form", "Change", "changes"]


def typeset_text(text: str, language: str = "en", style: Optional[TypographyStyle] = None) -> str:
    """One string in house style (for what an exporter composes itself: labels, lines)."""
    style = style or TypographyStyle()
    if not style.enabled:
        return text
    return apply(text, language_rules(language, style.english_dash))


class _Setter:
    """Sets every printed string of an edition; `seen` (optional) is told of each change."""

    def __init__(self, lang: Language, seen: Optional[Callable] = None):
        self.lang = lang
        self.seen = seen
        self.where: tuple = (None, None)  # (chapter, line) of what is being set, for `seen`

    def text(self, value: Optional[str], line: Optional[int] = None, derived: bool = False) -> Optional[str]:
        """`derived`: a copy of text reported elsewhere (a heading's date and names, the
        archive line's parts), set but not reported twice."""
        if not value:
            return value
        out = apply(value, self.lang)
        if out != value and self.seen is not None and not derived:
            self.seen(self.where[0], line if line is not None else self.where[1], value, out)
        return out

    def paragraph(self, p: Paragraph) -> Paragraph:
        content = p.content
        if not content:
            return p
        if len(content) == 1 and isinstance(content[0], Text):
            new = self.text(content[0].text, p.line)
            return p if new == content[0].text else p.model_copy(update={"content": [Text(text=new)]})
        joined = "".join(MARKER if isinstance(i, NoteRef) else i.text for i in content)
        refs = [i for i in content if isinstance(i, NoteRef)]
        if joined.count(MARKER) != len(refs):  # the source holds the placeholder itself: run by run
            runs = [i if isinstance(i, NoteRef) else Text(text=self.text(i.text, p.line)) for i in content]
            return p.model_copy(update={"content": runs})
        out = self.text(joined, p.line)
        if out == joined:
            return p
        pieces = out.split(MARKER)
        runs: list = []
        for k, piece in enumerate(pieces):
            if piece:
                runs.append(Text(text=piece))
            if k < len(refs):
                runs.append(refs[k])
        return p.model_copy(update={"content": runs})

    def block(self, b):
        if isinstance(b, Enclosure):
            return b.model_copy(update={"paragraphs": [self.paragraph(p) for p in b.paragraphs]})
        return self.paragraph(b)

    def note(self, n: Footnote) -> Footnote:
        new = self.text(n.text, n.line)
        return n if new == n.text else n.model_copy(update={"text": new})

    def person(self, p: Person) -> Person:
        name, nominative = self.text(p.name, derived=True), self.text(p.nominative, derived=True)
        if name == p.name and nominative == p.nominative:
            return p
        return p.model_copy(update={"name": name, "nominative": nominative})

    def archive(self, a, line: Optional[int], derived: bool):
        text = self.text(a.text, line, derived=derived)
        return a if text == a.text else a.model_copy(update={"text": text})

    def document(self, d: Document) -> Document:
        self.where = (self.where[0], d.line)
        update = {
            "heading": self.text(d.heading, d.line),
            "senders": [self.person(p) for p in d.senders],
            "recipients": [self.person(p) for p in d.recipients],
            "archive_text": self.text(d.archive_text, d.archive_line),
            "archive": [self.archive(a, d.archive_line, bool(d.archive_text)) for a in d.archive],
            "transmission": [self.paragraph(p) for p in d.transmission],
            "dispatch": [self.paragraph(p) for p in d.dispatch],
            "address": [self.paragraph(p) for p in d.address],
            "dateline": self.paragraph(d.dateline) if d.dateline else None,
            "salutation": self.paragraph(d.salutation) if d.salutation else None,
            "body": [self.block(b) for b in d.body],
            "signature": self.paragraph(d.signature) if d.signature else None,
            "postscript": [self.block(b) for b in d.postscript],
            "secretary": [self.paragraph(p) for p in d.secretary],
            "footnotes": [self.note(n) for n in d.footnotes],
        }
        if d.date is not None:
            date_text = self.text(d.date.text, d.line, derived=True)
            if date_text != d.date.text:  # unchanged, it is shared like any part (a copy costs)
                update["date"] = d.date.model_copy(update={"text": date_text})
        return d.model_copy(update=update)

    def chapter(self, c: Chapter, index: int) -> Chapter:
        self.where = (index, None)
        return c.model_copy(update={
            "title": self.text(c.title),
            "intro": [self.paragraph(p) for p in c.intro],
            "notes": [self.note(n) for n in c.notes],
            "documents": [self.document(d) for d in c.documents],
        })

    def edition(self, e: Edition) -> Edition:
        self.where = (None, None)
        update = {"title": self.text(e.title), "subtitle": self.text(e.subtitle),
                  "editors": [self.text(x) for x in e.editors]}
        if e.publication is not None:
            pub = e.publication
            update["publication"] = pub.model_copy(update={
                "publisher": self.text(pub.publisher), "place": self.text(pub.place),
                "rights": self.text(pub.rights), "series": self.text(pub.series),
                "translators": [self.text(x) for x in pub.translators]})
        update["chapters"] = [self.chapter(c, k) for k, c in enumerate(e.chapters)]
        return e.model_copy(update=update)


def typeset(edition: Edition, style: Optional[TypographyStyle] = None) -> Edition:
    """A copy of `edition` with every printed string in house style (the edition itself is
    not changed; parts without a change are shared, not copied)."""
    style = style or TypographyStyle()
    if not style.enabled:
        return edition
    # The collector paused: the copy allocates some 100,000 objects beside an edition of
    # millions, and each collection they set off rescanned it (at 100x: 0.9-1.2 s with it,
    # 0.5 s without). The build runs this in its parent, before the workers fork.
    with gc_paused():
        return _Setter(language_rules(edition.language, style.english_dash)).edition(edition)


def presented(edition: Edition, options) -> Edition:
    """The edition as the presentation formats print it, under the build's style
    (`options.style_dir`, and `options.typography` when edition.toml says): made once per
    build and kept on the options, so every format shares it."""
    cache = options.typeset_cache
    hit = cache.get(id(edition))
    if hit is not None and hit[0] is edition:
        return hit[1]
    style = load_typography(options.style_dir)
    if getattr(options, "typography", None) is not None:
        style = style.with_enabled(options.typography)
    result = typeset(edition, style)
    cache[id(edition)] = (edition, result)
    return result


@dataclass
class Change:
    chapter: Optional[int]  # the index of the chapter (its source file), None for the edition's own fields
    line: Optional[int]
    before: str
    after: str


def changes(edition: Edition, style: Optional[TypographyStyle] = None) -> Iterator[Change]:
    """What house typography changes in `edition`, string by string, with the source line
    of each (`corresp check --typography`)."""
    style = style or TypographyStyle()
    if not style.enabled:
        return iter(())
    found: list[Change] = []
    with gc_paused():  # as in typeset
        _Setter(language_rules(edition.language, style.english_dash),
                seen=lambda ch, line, before, after: found.append(Change(ch, line, before, after))).edition(edition)
    # In the order of the sources (a document's parts are set in its model's order)
    found.sort(key=lambda c: (-1 if c.chapter is None else c.chapter, c.line or 0))
    return iter(found)
