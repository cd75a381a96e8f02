"""Accounting for every character of a source: in the model, or in the recorded debris.

Line by line, the non-space characters of the source must equal those of the model parts
that came from that line, in order. A note marker in the model stands for the digits it
replaced. Spaces do not count: the parser normalises them on purpose (NBSP, ` .`).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from .model import Chapter, Edition, Paragraph
from .readers.text.heading import ARCHIVE_LABEL
from .readers.text.notes import SUPERSCRIPTS
from .readers.text.source import Line, read_lines

_WS = re.compile(r"\s+")
_MARKER = rf"[\d{SUPERSCRIPTS}]{{0,3}}"


def _squeeze(text: str) -> str:
    return _WS.sub("", text)


# On a secretary line a marker glued to a year may have taken its full stop along
# (`21/VIII. 32.1` is `21/VIII. 32` and marker 1).
_SECRETARY_MARKER = r"\.?" + _MARKER


def _para_pattern(p: Paragraph, marker: str = _MARKER) -> str:
    return "".join(re.escape(_squeeze(i.text)) if i.type == "text" else marker for i in p.content)


@dataclass
class Coverage:
    file: str
    total: int = 0
    accounted: int = 0
    unaccounted: list[Line] = field(default_factory=list)
    # Lines the reader changed beyond spaces (zero-width characters removed, NFC): the
    # model holds the changed text, so these are listed, never silently counted as kept.
    normalised: list[Line] = field(default_factory=list)

    @property
    def share(self) -> float:
        return 1.0 if self.total == 0 else self.accounted / self.total

    def report(self) -> str:
        lines = [f"{self.file}: {self.share:.2%} of {self.total} characters accounted for"
                 + (f"; {len(self.normalised)} line(s) normalised (reported)" if self.normalised else "")]
        lines += [f"{self.file}:{l.number}: unaccounted: {l.text[:120]}" for l in self.unaccounted]
        lines += [f"{self.file}:{l.number}: normalised: {'; '.join(l.changes)}" for l in self.normalised]
        return "\n".join(lines)


def _claims(chapter: Chapter, source: dict[int, str]) -> dict[int, list[str]]:
    """Source line → regex pieces of what the model holds from it, in source order.
    `source` maps line numbers to their squeezed text: a note of several paragraphs came
    from as many lines, each the first after the one before that holds that paragraph."""
    claims: dict[int, list[str]] = {}

    def claim(line, pattern):
        if line:
            claims.setdefault(line, []).append(pattern)

    numbers = sorted(source)
    # Lines that are debris whole hold no paragraph of a note, even one with the same text
    # (an `Archive:` set aside among the notes, and another taken as a note's paragraph).
    debris_lines = {deb.line for deb in chapter.debris
                    if deb.reason != REMOVED_MARKER and source.get(deb.line) == _squeeze(deb.text)}

    def claim_note(n):
        first, *more = n.text.split("\n")
        claim(n.line, _MARKER + r"[.)]?" + re.escape(_squeeze(first)))  # `1 Text`, `1. Text`, `1) Text`
        line = n.line or 0
        for paragraph in more:
            want = _squeeze(paragraph)
            line = next((k for k in numbers[bisect.bisect_right(numbers, line):]
                         if source[k] == want and k not in debris_lines), None)
            claim(line, re.escape(want))

    for p in chapter.intro:
        claim(p.line, _para_pattern(p))
    for n in chapter.notes:
        claim_note(n)
    glued_numbers = {deb.line: _squeeze(deb.text) for deb in chapter.debris if deb.reason.startswith("document number")}
    for d in chapter.documents:
        heading, first = _squeeze(d.heading), source.get(d.line or 0, "")
        if first and not heading.startswith(first):  # a number glued before it (`№ 12. Сталин – …`)
            glued = glued_numbers.get(d.line)
            if glued and first.startswith(glued):
                first = first[len(glued):].strip()
        if first and heading != first and heading.startswith(first):  # a heading over two lines or three
            claim(d.line, re.escape(first))
            rest, at = heading[len(first):], d.line
            for _ in range(2):  # the parties broken after the dash (`Каганович —` / `Сталину`), then the date
                at = next((k for k in numbers[bisect.bisect_right(numbers, at):]), None)
                line_text = source.get(at or 0, "")
                if line_text and rest.strip() != line_text and rest.strip().startswith(line_text):
                    claim(at, re.escape(line_text))
                    rest = rest[rest.index(line_text) + len(line_text):]
                    continue
                claim(at, re.escape(rest))
                break
        else:
            claim(d.line, re.escape(heading))
        if d.archive_text is not None:  # in table cells (`… Л. 12. |`) the bars are the page's
            claim(d.archive_line, rf"\|*(?:{ARCHIVE_LABEL.pattern})?".replace(r"\s*", "")
                  + re.escape(_squeeze(d.archive_text)) + r"\|*")
        for role, p in d.iter_parts():
            claim(p.line, _para_pattern(p, _SECRETARY_MARKER if role == "secretary" else _MARKER))
        for n in d.footnotes:
            claim_note(n)
    for deb in chapter.debris:
        if deb.reason.startswith("document number") and deb.line in claims:  # glued before its heading
            claims[deb.line].insert(0, re.escape(_squeeze(deb.text)))
        elif deb.reason != REMOVED_MARKER:
            claim(deb.line, re.escape(_squeeze(deb.text)))
    return claims


REMOVED_MARKER = "note marker without a note"


def _without_removed_markers(text: str, numbers: list[str]) -> list[str]:
    """The source line less the stray marker digits the parser dropped (recorded as debris),
    in every way they could have been dropped: the debris says which number went, not
    which of its occurrences ("within 3 days ... sugar 3 ."), so each candidate counts."""
    variants = [text]
    for n in numbers:
        pattern = re.compile(re.escape(n) if n[:1] in SUPERSCRIPTS
                             else rf"(?<!\d){re.escape(n)}(?=\s*[.,;:!?]?(?:\s|$))")  # apart or glued: `возражаю2.`
        variants = [v[:m.start()] + v[m.end():] for v in variants for m in pattern.finditer(v)] or variants
        variants = list(dict.fromkeys(variants))[:_MAX_VARIANTS]
    return variants


_MAX_VARIANTS = 64  # a line with many removed markers and many equal numbers: enough


def measure(edition: Edition, chapter: Chapter, lines: list[Line], file: str) -> Coverage:
    cov = Coverage(file)
    claims = _claims(chapter, {line.number: _squeeze(line.text) for line in lines if line.text.strip()})
    # Unlined facts: the titles are matched by content.
    free = {_squeeze(edition.title), _squeeze(chapter.title)}
    removed: dict[int, list[str]] = {}
    for deb in chapter.debris:
        if deb.reason == REMOVED_MARKER:
            removed.setdefault(deb.line, []).append(deb.text)
    for line in lines:
        if line.changes:
            cov.normalised.append(line)
        texts = [_squeeze(t) for t in _without_removed_markers(line.text, removed.get(line.number, []))]
        if not any(texts):
            continue
        text = texts[0]
        cov.total += len(_squeeze(line.text))
        pieces = claims.get(line.number, [])
        claim = re.compile("".join(pieces), flags=re.IGNORECASE) if pieces else None
        ok = claim is not None and any(claim.fullmatch(t) for t in texts)
        if not ok and not pieces and (text in free or text.strip(".") in free):
            ok = True
        if ok:
            cov.accounted += len(_squeeze(line.text))
        else:
            cov.unaccounted.append(line)
    return cov


def measure_files(paths: list[Path], edition: Edition) -> list[Coverage]:
    return [measure(edition, chapter, read_lines(Path(p)), str(p)) for p, chapter in zip(paths, edition.chapters)]
