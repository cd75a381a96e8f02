"""`corresp diff OLD NEW`: what changed between two editions, so a publisher sees an
editor's edits before publishing.

Both sides may be any source corresp reads (text, JSON, TEI, DOCX). Letters are matched by
id (then, for those left, by heading); for each letter the heading, parties, date, archive
line, every part (in reading order, with its role and its note markers as [n]) and every note
are compared. Source line numbers and other descriptions of the source are not compared, nor
is house typography (`corresp.typography.fold`): the DOCX corresp writes prints curly quotes,
dashes and no-break spaces where the source has straight quotes and hyphens, and an editor's
copy read back differs from its source only where the editor changed it.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Optional

from .model import Chapter, Document, Edition, Paragraph, Text
from .typography import fold


def _same(a, b) -> bool:
    return a == b or (isinstance(a, str) and isinstance(b, str) and fold(" ".join(a.split())) ==
                      fold(" ".join(b.split())))


@dataclass
class Change:
    kind: str  # added | removed | changed
    where: str  # a letter's id, or "chapter …", or "edition"
    what: str

    def __str__(self) -> str:
        sign = {"added": "+", "removed": "-", "changed": "~"}[self.kind]
        return f"{sign} {self.where}: {self.what}"


def _marked(p: Paragraph) -> str:
    return "".join(i.text if isinstance(i, Text) else f"[{i.number}]" for i in p.content)


def _parts(doc: Document) -> list[str]:
    return [f"{role}: {_marked(p)}" for role, p in doc.iter_parts()]


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _people(people) -> str:
    return ", ".join(p.name for p in people)


def _lines(kind_old: list[str], kind_new: list[str], where: str, label: str) -> list[Change]:
    out = []
    # Compared as house typography folds them; shown as they are.
    matcher = difflib.SequenceMatcher(a=[fold(" ".join(x.split())) for x in kind_old],
                                      b=[fold(" ".join(x.split())) for x in kind_new], autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and a1 - a0 == b1 - b0:
            for k in range(a1 - a0):
                out.append(Change("changed", where, f"{label} {a0 + k + 1}: {_clip(kind_old[a0 + k])!r} → "
                                                    f"{_clip(kind_new[b0 + k])!r}"))
            continue
        for k in range(a0, a1):
            out.append(Change("removed", where, f"{label} {k + 1}: {_clip(kind_old[k])!r}"))
        for k in range(b0, b1):
            out.append(Change("added", where, f"{label} {k + 1}: {_clip(kind_new[k])!r}"))
    return out


def _document(old: Document, new: Document) -> list[Change]:
    where = new.id if new.id == old.id else f"{old.id} → {new.id}"
    out = []
    for label, a, b in (("heading", old.heading, new.heading), ("senders", _people(old.senders), _people(new.senders)),
                        ("recipients", _people(old.recipients), _people(new.recipients)),
                        ("date", old.date.iso if old.date else None, new.date.iso if new.date else None),
                        ("archive", old.archive_text, new.archive_text)):
        if not _same(a, b):
            out.append(Change("changed", where, f"{label}: {a!r} → {b!r}"))
    out += _lines(_parts(old), _parts(new), where, "part")
    out += _lines([n.text for n in old.footnotes], [n.text for n in new.footnotes], where, "note")
    return out


def _match(old: list[Document], new: list[Document]) -> tuple[list[tuple[Document, Document]], list, list]:
    by_id = {d.id: d for d in new}
    pairs, removed = [], []
    for d in old:
        if d.id in by_id:
            pairs.append((d, by_id.pop(d.id)))
        else:
            removed.append(d)
    left = list(by_id.values())
    for d in list(removed):  # an id that changed with its heading left alone
        twin = next((n for n in left if _same(n.heading, d.heading)), None)
        if twin is not None:
            pairs.append((d, twin))
            removed.remove(d)
            left.remove(twin)
    order = {d.id: k for k, d in enumerate(new)}
    pairs.sort(key=lambda p: order[p[1].id])
    return pairs, removed, [d for d in new if d in left]


def _chapters(old: list[Chapter], new: list[Chapter]) -> list[Change]:
    out = _lines([c.title for c in old], [c.title for c in new], "edition", "chapter")
    for a, b in zip(old, new):
        where = f"chapter {b.title!r}"
        out += _lines([_marked(p) for p in a.intro], [_marked(p) for p in b.intro], where, "intro paragraph")
        out += _lines([n.text for n in a.notes], [n.text for n in b.notes], where, "intro note")
    return out


def diff_editions(old: Edition, new: Edition) -> list[Change]:
    out: list[Change] = []
    for label in ("title", "subtitle", "language"):
        a, b = getattr(old, label), getattr(new, label)
        if not _same(a, b):
            out.append(Change("changed", "edition", f"{label}: {a!r} → {b!r}"))
    out += _chapters(old.chapters, new.chapters)
    pairs, removed, added = _match(old.documents, new.documents)
    for d in removed:
        out.append(Change("removed", d.id, f"letter {d.heading!r}"))
    for d in added:
        out.append(Change("added", d.id, f"letter {d.heading!r} ({len(d.footnotes)} notes)"))
    old_order = [d.id for d in old.documents if d not in removed]
    new_order = [n.id for o, n in sorted(pairs, key=lambda p: old_order.index(p[0].id))]
    if [n.id for _, n in pairs] != new_order:
        out.append(Change("changed", "edition", "the order of the letters"))
    for a, b in pairs:
        out += _document(a, b)
    return out


def summary(changes: list[Change], old: Optional[Edition] = None, new: Optional[Edition] = None) -> str:
    kinds = {k: sum(1 for c in changes if c.kind == k) for k in ("added", "removed", "changed")}
    return f"{len(changes)} differences ({kinds['added']} added, {kinds['removed']} removed, {kinds['changed']} changed)"
