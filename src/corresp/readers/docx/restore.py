"""The source's characters back where the editor changed nothing (`--original`).

The DOCX prints house typography (curly quotes, closed dashes, no-break spaces), and no rule
can tell a typeset character from one the source had. With the edition the DOCX was built
from, one can: every heading, archive line, paragraph and note whose text folds to the
original's (`corresp.typography.fold`, what `verify` compares) takes the original's
characters back, so the edition read from the returned file differs from the original only
where the editor changed something — and there the editor's text stands as typed.
Paragraphs are matched within a letter of the same id, in reading order (whatever their role
now), and must carry their note markers at the same places. In a paragraph, note or heading
the editor changed, the typography around the edit is undone where it is safe (`untypeset`).
"""
from __future__ import annotations

import difflib

from ...model import Edition
from ...typography import fold
from .untypeset import MARKER, pair_edited, similar, untypeset_text

_MARK = MARKER  # a note marker, whatever its number, in what is compared


def _blocks(container: dict, keys: tuple[str, ...]):
    for key in keys:
        value = container.get(key)
        for block in (value if isinstance(value, list) else [value] if value else []):
            if block.get("type") == "enclosure":
                yield from ((key, p) for p in block["paragraphs"])
            else:
                yield key, block


_DOCUMENT_PARTS = ("transmission", "dispatch", "address", "dateline", "salutation", "body", "signature",
                   "postscript", "secretary")
_FIELDS = ("kind", "place", "date", "time", "number")  # a dispatch's and a secretary line's


def _compared(p: dict) -> str:
    return fold(" ".join("".join(c["text"] if c["type"] == "text" else f" {_MARK} " for c in p["content"]).split()))


def _paragraphs(new: dict, old: dict, keys: tuple[str, ...]) -> None:
    a, b = list(_blocks(old, keys)), list(_blocks(new, keys))
    # By text alone: a paragraph the editor gave another style (body → postscript) is the same text.
    matcher = difflib.SequenceMatcher(a=[_compared(p) for _, p in a], b=[_compared(p) for _, p in b], autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "replace":  # edited: the editor's text, typography undone around the edit
            olds, news = a[a0:a1], b[b0:b1]
            for i, j in pair_edited([_marked(p) for _, p in olds], [_marked(p) for _, p in news]):
                _untypeset(olds[i][1], news[j][1])
        if op != "equal":
            continue
        for (_, was), (_, now) in zip(a[a0:a1], b[b0:b1]):
            numbers = iter([c["number"] for c in now["content"] if c["type"] == "noteref"])
            now["content"] = [dict(c) if c["type"] == "text" else {"type": "noteref", "number": next(numbers)}
                              for c in was["content"]]
            for name in _FIELDS:
                if name in was and name in now:
                    now[name] = was[name]


def _marked(p: dict) -> str:
    return "".join(c["text"] if c["type"] == "text" else MARKER for c in p["content"])


def _untypeset(was: dict, now: dict) -> None:
    """`now` (an edited paragraph) with `was`'s characters where only typography differs."""
    text = untypeset_text(_marked(was), _marked(now))
    refs = iter([c for c in now["content"] if c["type"] == "noteref"])
    content = []
    for k, piece in enumerate(text.split(MARKER)):
        if k:
            content.append(next(refs))
        if piece:
            content.append({"type": "text", "text": piece})
    now["content"] = content


def _notes(new: list[dict], old: list[dict]) -> None:
    by_fold = {}
    for n in old:
        by_fold.setdefault(fold(" ".join(n["text"].split())), n["text"])
    kept = set(by_fold)
    edited = [n for n in new if fold(" ".join(n["text"].split())) not in kept]
    for n in new:
        n["text"] = by_fold.get(fold(" ".join(n["text"].split())), n["text"])
    # An edited note: the editor's text, typography undone around the edit.
    was = [n["text"] for n in old if fold(" ".join(n["text"].split())) not in
           {fold(" ".join(m["text"].split())) for m in new}]
    for i, j in pair_edited(was, [n["text"] for n in edited]):
        edited[j]["text"] = untypeset_text(was[i], edited[j]["text"])


def _same(a, b) -> bool:
    return isinstance(a, str) and isinstance(b, str) and fold(" ".join(a.split())) == fold(" ".join(b.split()))


def restore(edition: Edition, original: Edition) -> Edition:
    """`edition` with the original's characters wherever only typography differs."""
    new, old = edition.model_dump(), original.model_dump()
    for label in ("title", "subtitle"):
        if _same(new.get(label), old.get(label)):
            new[label] = old[label]
    old_docs = {d["id"]: d for c in old["chapters"] for d in c["documents"]}
    for k, chapter in enumerate(new["chapters"]):
        was = old["chapters"][k] if k < len(old["chapters"]) else None
        if was is not None:
            if _same(chapter["title"], was["title"]):
                chapter["title"] = was["title"]
            _paragraphs(chapter, was, ("intro",))
            _notes(chapter["notes"], was["notes"])
        for doc in chapter["documents"]:
            before = old_docs.get(doc["id"])
            if before is None:
                continue
            for key in ("heading", "archive_text"):
                if _same(doc[key], before[key]):
                    doc[key] = before[key]
                    if key == "heading":
                        doc.update(senders=before["senders"], recipients=before["recipients"], date=before["date"])
                    else:
                        doc["archive"] = before["archive"]
                elif isinstance(doc[key], str) and isinstance(before[key], str) and similar(before[key], doc[key]):
                    # Edited: the editor's words (parties, date, archive were read from them),
                    # the source's quotes and dashes around them.
                    doc[key] = untypeset_text(before[key], doc[key])
            _paragraphs(doc, before, _DOCUMENT_PARTS)
            _notes(doc["footnotes"], before["footnotes"])
    return Edition.model_validate(new)
