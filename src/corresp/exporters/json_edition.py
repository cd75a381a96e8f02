"""The JSON edition: the model as data, our equivalent of pandoc's `native` output.

Layout: `schema_version`, `title`, ..., `chapters` (each listing its document ids) and a
flat `documents` list in edition order. Each footnote also carries `label`, the number a
reader sees under the chosen numbering scheme. `edition_from_json` reverses it exactly.
"""
from __future__ import annotations


import orjson
from pathlib import Path
from typing import Any

from ..model import Edition
from . import ExportOptions

DERIVED_KEYS = ("notes_scheme",)


def edition_to_json(edition: Edition, options: ExportOptions | None = None) -> dict[str, Any]:
    options = options or ExportOptions()
    numbers = options.numbers(edition)
    data = edition.model_dump(mode="json", exclude={"chapters"})
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
            d = doc.model_dump(mode="json")
            labels = numbers.for_document(doc)
            for note in d["footnotes"]:
                note["label"] = labels[note["number"]]
            data["documents"].append(d)
    return data


def edition_from_json(data: dict[str, Any]) -> Edition:
    data = dict(data)
    for key in DERIVED_KEYS:
        data.pop(key, None)
    by_id = {}
    for d in data.pop("documents", []):
        d = dict(d)
        d["footnotes"] = [{k: v for k, v in n.items() if k != "label"} for n in d.get("footnotes", [])]
        by_id[d["id"]] = d
    chapters = []
    for ch in data.get("chapters", []):
        ch = dict(ch)
        ch["notes"] = [{k: v for k, v in n.items() if k != "label"} for n in ch.get("notes", [])]
        ch["documents"] = [by_id[i] for i in ch.get("documents", [])]
        chapters.append(ch)
    data["chapters"] = chapters
    return Edition.model_validate(data)


def dumps(edition: Edition, options: ExportOptions | None = None) -> str:
    return dumps_bytes(edition, options).decode("utf-8")


def dumps_bytes(edition: Edition, options: ExportOptions | None = None) -> bytes:
    # orjson writes the same indented, UTF-8 JSON as json.dumps(indent=2), ten times faster.
    return orjson.dumps(edition_to_json(edition, options), option=orjson.OPT_INDENT_2) + b"\n"


class JsonExporter:
    name = "json"
    extension = ".json"
    description = "the edition model as JSON (lossless; read back with corresp.exporters.json_edition)"

    def export(self, edition: Edition, path: Path, options: ExportOptions) -> None:
        path.write_bytes(dumps_bytes(edition, options))
