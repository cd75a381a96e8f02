"""Each letter's own TEI and JSON, beside its page: the letter as the edition's TEI and JSON
writers write it, in an edition of that one letter (its number and note labels as in the
whole edition)."""
from __future__ import annotations

from dataclasses import replace

import orjson

from ... import __version__
from ...model import Chapter, Document, Edition
from ...numbering import NoteNumbers
from .. import ExportOptions


def letter_json(doc: Document, edition: Edition, numbers: NoteNumbers, url: str) -> bytes:
    data = doc.model_dump(mode="json")
    labels = numbers.for_document(doc)
    for note in data["footnotes"]:
        note["label"] = labels[note["number"]]
    out = {"edition": edition.title, "editors": edition.editors, "language": edition.language,
           "number": numbers.document(doc), "url": url, "generator": f"corresp {__version__}", "document": data}
    return orjson.dumps(out, option=orjson.OPT_INDENT_2) + b"\n"


def letter_tei(doc: Document, chapter: Chapter, edition: Edition, options: ExportOptions,
               numbers: NoteNumbers) -> bytes:
    """The TEI of an edition holding this letter alone (built without validating again: the
    parts are the edition's own, already valid), numbered as in the whole edition."""
    from ..tei import build_tree
    from ...tei_xml import serialize
    one = Edition.model_construct(**{**dict(edition), "chapters": [
        Chapter.model_construct(**{**dict(chapter), "intro": [], "notes": [], "documents": [doc], "debris": []})]})
    whole = replace(options)
    whole.numbers = lambda _edition: numbers  # the letter's number and note labels in the whole edition
    return serialize(build_tree(one, whole))
