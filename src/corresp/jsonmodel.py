"""The JSON edition's layout, shared by its writer (`exporters.json_edition`) and its reader
(`readers.json_edition`): `schema_version`, `title`, ..., `notes_scheme`, `chapters` (each
listing its document ids) and a flat `documents` list in edition order; each footnote also
carries `label`, the number a reader sees under `notes_scheme`. `edition_json_schema()`
(`corresp schema`) describes exactly this layout.
"""
from __future__ import annotations

from typing import Any

from . import __version__
from .model import SCHEMA_VERSION, Edition
from .numbering import SCHEMES

DERIVED_KEYS = ("notes_scheme",)  # written from the options, not the model
SCHEMA_ID = f"https://corresp.invalid/schema/edition-{SCHEMA_VERSION}.json"
# Document.iter_blocks' order: where a document's paragraphs (and their markers) stand.
BLOCK_ROLES = ("transmission", "dispatch", "address", "dateline", "salutation", "body", "signature",
               "postscript", "secretary")


def edition_json_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of what `-f json` writes: the model's schema with the
    file's layout (chapters list ids, a flat `documents` list, `notes_scheme`, labels)."""
    schema = Edition.model_json_schema()
    defs = schema["$defs"]
    id_pattern = defs["Document"]["properties"]["id"].get("pattern", r"^[^\s#]+$")
    defs["Chapter"]["properties"]["documents"] = {
        "title": "Documents", "type": "array", "items": {"type": "string", "pattern": id_pattern},
        "description": "The ids of the chapter's documents, in order; each is in the edition's `documents` "
                       "(derived: checked on reading)."}
    defs["Footnote"]["properties"]["label"] = {
        "title": "Label", "type": "string", "pattern": r"^[0-9]+$",
        "description": "The number a reader sees under `notes_scheme` (derived from `number`: checked on "
                       "reading; may be left out)."}
    defs["Document"]["properties"] = {
        "number": {"title": "Number", "type": "integer", "minimum": 1,
                   "description": "The document's number in the edition, 1..n in the chapters' order, as every "
                                  "format prints it (\"No. 13\"; derived: recomputed on reading, may be left out)."},
        **defs["Document"]["properties"]}
    props = schema["properties"]
    props["notes_scheme"] = {"title": "Notes Scheme", "enum": list(SCHEMES), "default": "per-document",
                             "description": "The numbering the labels follow."}
    props["documents"] = {"title": "Documents", "type": "array", "items": {"$ref": "#/$defs/Document"},
                          "description": "Every document, in the chapters' order."}
    props["schema_version"] = {**props.get("schema_version", {}), "const": SCHEMA_VERSION}
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "corresp JSON edition",
            "description": f"The JSON edition corresp {__version__} writes with `-f json` and reads back "
                           f"(schema_version {SCHEMA_VERSION}).",
            "x-generator": f"corresp {__version__}"}
    return {**head, **{k: v for k, v in schema.items() if k != "title"}}
