"""The JSON edition writer: the model as data, our equivalent of pandoc's `native` output,
and a source in its own right (`corresp build edition.json`, read back by the `json` reader,
`readers.json_edition`, which reverses `edition_to_json` exactly). The layout and its schema
are `corresp.jsonmodel`'s.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from ..model import Edition
from . import ExportOptions


def edition_to_json(edition: Edition, options: ExportOptions | None = None) -> dict[str, Any]:
    options = options or ExportOptions()
    numbers = options.numbers(edition)
    data = edition.model_dump(mode="json", exclude={"chapters"})
    if (data.get("publication") or {}).get("cover"):
        # The cover's file name, not the build machine's path (a reader finds it beside the JSON).
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
            # The document's number (corresp.numbering) first, as every format prints it.
            d = {"number": numbers.document(doc), **doc.model_dump(mode="json")}
            labels = numbers.for_document(doc)
            for note in d["footnotes"]:
                note["label"] = labels[note["number"]]
            data["documents"].append(d)
    return data


def dumps(edition: Edition, options: ExportOptions | None = None) -> str:
    return dumps_bytes(edition, options).decode("utf-8")


def dumps_bytes(edition: Edition, options: ExportOptions | None = None) -> bytes:
    # orjson writes the same indented, UTF-8 JSON as json.dumps(indent=2), ten times faster.
    return orjson.dumps(edition_to_json(edition, options), option=orjson.OPT_INDENT_2) + b"\n"


class JsonExporter:
    name = "json"
    extension = ".json"
    description = "the edition model as JSON (lossless; a source again: corresp build edition.json)"

    def export(self, edition: Edition, path: Path, options: ExportOptions) -> None:
        path.write_bytes(dumps_bytes(edition, options))
