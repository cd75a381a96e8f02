"""The JSON edition writer: the model as data, our equivalent of pandoc's `native` output,
and a source in its own right (`corresp build edition.json`, read back by the `json` reader,
`readers.json_edition`, which reverses `edition_to_json` exactly). The layout and its schema
are `corresp.jsonmodel`'s.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from ..model import (ArchiveRef, Chapter, Debris, Dispatch, DocDate, Edition, Enclosure, Footnote, NoteRef,
                     Paragraph, Person, Publication, SecretaryAnnotation, Text)
from . import ExportOptions

# The models whose `model_dump(mode="json")` is their field dict as it stands: no serializer
# of their own, and every field a str, int, bool, None, or a list or dict of those or of these
# models (Document and Edition drop an unset field: written below).
_PLAIN_MODELS = frozenset((ArchiveRef, Chapter, Debris, Dispatch, DocDate, Enclosure, Footnote, NoteRef,
                           Paragraph, Person, Publication, SecretaryAnnotation, Text))


def _fields(obj: Any) -> dict:
    """orjson's hook for a value it cannot write itself: one of those models, as its fields
    (orjson then writes them in C). pydantic's model_dump builds the same dicts a node at a
    time, about five times slower on a large edition (bench/history.md)."""
    if type(obj) in _PLAIN_MODELS:
        return obj.__dict__
    raise TypeError(f"not plain model data: {type(obj).__name__}")


def _edition_data(edition: Edition, options: ExportOptions | None) -> dict[str, Any]:
    """The JSON edition with its models still in it (written through `_fields`)."""
    options = options or ExportOptions()
    numbers = options.numbers(edition)
    data = {k: v for k, v in edition.__dict__.items() if k != "chapters"}
    if data.get("publication") is None:
        data.pop("publication", None)  # not written when not set (Edition's serializer)
    elif data["publication"].cover:
        # The cover's file name, not the build machine's path (a reader finds it beside the JSON).
        data["publication"] = {**data["publication"].__dict__, "cover": Path(data["publication"].cover).name}
    data["notes_scheme"] = options.notes
    data["chapters"] = []
    data["documents"] = []
    for ci, chapter in enumerate(edition.chapters):
        ch = {k: v for k, v in chapter.__dict__.items() if k != "documents"}
        labels = numbers.for_intro(ci, chapter).values()
        ch["notes"] = [{**note.__dict__, "label": label} for note, label in zip(chapter.notes, labels)]
        ch["documents"] = [d.id for d in chapter.documents]
        data["chapters"].append(ch)
        for doc in chapter.documents:
            # The document's number (corresp.numbering) first, as every format prints it.
            d = {"number": numbers.document(doc), **doc.__dict__}
            if d["source_number"] is None:
                del d["source_number"]  # not written when not set (Document's serializer)
            labels = numbers.for_document(doc)
            d["footnotes"] = [{**note.__dict__, "label": labels[note.number]} for note in doc.footnotes]
            data["documents"].append(d)
    return data


def _pydantic_data(edition: Edition, options: ExportOptions | None) -> dict[str, Any]:
    """The same data through pydantic's model_dump: for an edition holding something else
    than plain model data (a value set on a model without validation), which pydantic
    converts and `_fields` refuses."""
    options = options or ExportOptions()
    numbers = options.numbers(edition)
    data = edition.model_dump(mode="json", exclude={"chapters"})
    if (data.get("publication") or {}).get("cover"):
        data["publication"]["cover"] = Path(data["publication"]["cover"]).name
    data["notes_scheme"] = options.notes
    data["chapters"] = []
    data["documents"] = []
    for ci, chapter in enumerate(edition.chapters):
        ch = chapter.model_dump(mode="json", exclude={"documents"})
        for note, label in zip(ch["notes"], numbers.for_intro(ci, chapter).values()):
            note["label"] = label
        ch["documents"] = [d.id for d in chapter.documents]
        data["chapters"].append(ch)
        for doc in chapter.documents:
            d = {"number": numbers.document(doc), **doc.model_dump(mode="json")}
            labels = numbers.for_document(doc)
            for note in d["footnotes"]:
                note["label"] = labels[note["number"]]
            data["documents"].append(d)
    return data


def _dumps(edition: Edition, options: ExportOptions | None, option: int) -> bytes:
    try:
        return orjson.dumps(_edition_data(edition, options), default=_fields, option=option)
    except TypeError:  # (orjson.JSONEncodeError is one)
        return orjson.dumps(_pydantic_data(edition, options), option=option)


def edition_to_json(edition: Edition, options: ExportOptions | None = None) -> dict[str, Any]:
    # Written and read back by orjson (both in C): faster than building the dicts in Python.
    return orjson.loads(_dumps(edition, options, 0))


def dumps_compact(edition: Edition, options: ExportOptions | None = None) -> bytes:
    """`orjson.dumps(edition_to_json(...))` without building the dicts in between (what
    the DOCX's source part embeds)."""
    return _dumps(edition, options, 0)


def dumps(edition: Edition, options: ExportOptions | None = None) -> str:
    return dumps_bytes(edition, options).decode("utf-8")


def dumps_bytes(edition: Edition, options: ExportOptions | None = None) -> bytes:
    # orjson writes the same indented, UTF-8 JSON as json.dumps(indent=2), ten times faster.
    return _dumps(edition, options, orjson.OPT_INDENT_2) + b"\n"


class JsonExporter:
    name = "json"
    extension = ".json"
    description = "the edition model as JSON (lossless; a source again: corresp build edition.json)"

    def export(self, edition: Edition, path: Path, options: ExportOptions) -> None:
        path.write_bytes(dumps_bytes(edition, options))
