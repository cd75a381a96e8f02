"""The `json` reader: the JSON edition corresp writes (`-f json`), recognised by its
`schema_version`; `edition_from_json` reverses the writer's `edition_to_json` exactly (the
layout is `corresp.jsonmodel`'s).

Reading is also where an editor's hand edits are checked. The derived parts must agree with
the chapters: every document in `documents` is listed by exactly one chapter, in the same
order; a label follows its note's number (see `_check_labels`). Note numbers follow the
markers: after an editor deletes a note together with its marker, or adds one, the notes are
numbered again in marker order; a marker without its note, or a note without its marker, is
an error. Every error is one line, `FILE: JSON.path: what is wrong`.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Optional, Sequence

import orjson
from pydantic import ValidationError

from ..diagnostics import Diagnostic
from ..errors import InputError
from ..jsonmodel import BLOCK_ROLES
from ..model import SCHEMA_VERSION, Chapter, Document, Edition
from ..numbering import SCHEMES
from . import override_fields


class JsonReader:
    name = "json"
    description = "JSON edition written by corresp (recognised by its schema_version)"

    def recognises(self, path: Path, head: bytes) -> bool:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        # The writer puts schema_version first. A .json file without it (or not an object)
        # is still given to this reader, which says what it lacks, rather than to the parser.
        if stripped.startswith(b"{") and b'"schema_version"' in head:
            return True
        return path.suffix.lower() == ".json" and stripped[:1] in (b"{", b"[")

    def read(self, paths: Sequence[Path], **edition_fields) -> tuple[Edition, list[Diagnostic]]:
        (path,) = paths
        diagnostics: list[Diagnostic] = []  # the notes an edit had numbered again (info)
        edition = read_json_file(Path(path), diagnostics)
        if edition_fields:
            edition = override_fields(edition, edition_fields)
        return edition, diagnostics


class JsonEditionError(InputError):
    """An invalid JSON edition, or an edit that breaks it: one line with the JSON path."""


def read_json_file(path: Path, diagnostics: Optional[list[Diagnostic]] = None) -> Edition:
    from corresp.files import read_regular
    name = str(path)
    raw = read_regular(path, "json", InputError, name)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc}", name) from None
    edition = edition_from_json(data, name, diagnostics)
    pub = edition.publication
    if pub is not None and pub.cover and not Path(pub.cover).is_absolute():
        # The JSON keeps the cover's file name only (never the build machine's path): it is
        # beside the JSON edition. (validate.check_metadata checks it as edition.toml's.)
        edition.publication = pub.model_copy(update={"cover": str(Path(path).parent / pub.cover)})
    return edition


def edition_from_json(data: Any, name: Optional[str] = None,
                      diagnostics: Optional[list[Diagnostic]] = None) -> Edition:
    """The edition a JSON edition holds. Anything else, or an edit that breaks it, is a
    JsonEditionError naming the file and the JSON path; notes renumbered after an edit are
    reported in `diagnostics` (info)."""
    return _Reader(name, diagnostics).edition(data)


class _Reader:
    def __init__(self, name: Optional[str], diagnostics: Optional[list[Diagnostic]]):
        self.name = name
        self.diagnostics = diagnostics if diagnostics is not None else []

    def fail(self, path: str, message: str):
        raise JsonEditionError(f"{path}: {message}" if path else message, self.name)

    def edition(self, data: Any) -> Edition:
        if not isinstance(data, dict):
            self.fail("", f"not a corresp JSON edition (the top level is {_kind(data)}, not an object)")
        if "schema_version" not in data:
            self.fail("", "not a corresp JSON edition (no schema_version)")
        version = data["schema_version"]
        if not isinstance(version, str) or version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
            self.fail("schema_version", f"{version!r} is not a version this corresp reads ({SCHEMA_VERSION})")
        data = dict(data)
        scheme = data.pop("notes_scheme", "per-document")
        if scheme not in SCHEMES:
            self.fail("notes_scheme", f"{scheme!r} is not a numbering scheme ({', '.join(SCHEMES)})")
        chapters_raw = self._list(data, "chapters", "")
        documents_raw = self._list(data, "documents", "")
        placed = self._placement(chapters_raw, documents_raw)
        self._check_labels(chapters_raw, documents_raw, placed, scheme)

        documents = [self._document(k, d) for k, d in enumerate(documents_raw)]
        chapters = []
        for ci, ch in enumerate(chapters_raw):
            path = f"chapters[{ci}]"
            ch = dict(ch)
            notes, renumber = self._notes(ch, "notes", _intro_paragraphs(ch, path), path)
            if renumber:
                ch = copy.deepcopy(ch)
                _apply(renumber, _intro_paragraphs(ch, path))
            ch["notes"] = notes
            ch["documents"] = [documents[k] for k in placed[ci]]
            chapters.append(self._validate(Chapter, ch, path))
        data["chapters"] = chapters
        data.pop("documents", None)
        return self._validate(Edition, data, "")

    def _list(self, data: dict, key: str, where: str) -> list:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(f"{where}{key}", f"must be a list, not {_kind(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.fail(f"{where}{key}[{i}]", f"must be an object, not {_kind(item)}")
        return value

    def _placement(self, chapters: list[dict], documents: list[dict]) -> list[list[int]]:
        """For each chapter, the indices in `documents` of the documents it lists. The flat
        list is derived from the chapters: the same documents, in the same order."""
        index: dict[str, int] = {}
        for k, d in enumerate(documents):
            doc_id = d.get("id")
            if not isinstance(doc_id, str):
                self.fail(f"documents[{k}].id", "missing" if doc_id is None else f"must be a string, not {_kind(doc_id)}")
            if doc_id in index:
                self.fail(f"documents[{k}].id", f"{doc_id!r} is also the id of documents[{index[doc_id]}]")
            index[doc_id] = k
        placed: list[list[int]] = []
        seen: dict[str, str] = {}
        for ci, ch in enumerate(chapters):
            ids = ch.get("documents", [])
            if not isinstance(ids, list):
                self.fail(f"chapters[{ci}].documents", f"must be a list of document ids, not {_kind(ids)}")
            mine = []
            for j, doc_id in enumerate(ids):
                here = f"chapters[{ci}].documents[{j}]"
                if not isinstance(doc_id, str):
                    self.fail(here, f"must be a document id (a string), not {_kind(doc_id)}")
                if doc_id not in index:
                    self.fail(here, f"no document has the id {doc_id!r}")
                if doc_id in seen:
                    self.fail(here, f"{doc_id!r} is listed twice (also at {seen[doc_id]})")
                seen[doc_id] = here
                mine.append(index[doc_id])
            placed.append(mine)
        order = [k for mine in placed for k in mine]
        for k, d in enumerate(documents):
            if d["id"] not in seen:
                self.fail(f"documents[{k}]", f"document {d['id']!r} is in no chapter: add its id to a chapter's "
                                             "documents, or delete the document")
        for pos, k in enumerate(order):
            if pos != k:
                self.fail(f"documents[{pos}]", f"is {documents[pos]['id']!r}, but the chapters put {documents[k]['id']!r} "
                                               f"there: the flat list follows the chapters' order")
        return placed

    def _check_labels(self, chapters: list[dict], documents: list[dict], placed: list[list[int]], scheme: str):
        """A label must follow its note's number: the same under per-document numbering; the
        number plus one offset per container under continuous numbering, each container's
        offset past the previous container's notes (deleting or adding a note keeps them valid;
        editing a label alone does not). A label may be left out."""
        floor = 0  # the least offset the next container may have
        containers = []
        for ci, ch in enumerate(chapters):
            containers.append((f"chapters[{ci}].notes", ch.get("notes")))
            containers += [(f"documents[{k}].footnotes", documents[k].get("footnotes")) for k in placed[ci]]
        for path, notes in containers:
            if not isinstance(notes, list):
                continue
            offset = None
            top = 0
            for i, n in enumerate(notes):
                if not isinstance(n, dict) or not isinstance(n.get("number"), int):
                    continue
                top = max(top, n["number"])
                if "label" not in n:
                    continue
                label, here = n["label"], f"{path}[{i}].label"
                if not isinstance(label, str) or not label.isascii() or not label.isdigit():
                    self.fail(here, f"{label!r} is not a note number (labels are derived from `number`: "
                                    "delete the key and corresp sets it)")
                this = int(label) - n["number"]
                expected = 0 if scheme == "per-document" else offset
                if expected is None and this < floor:
                    expected = floor
                if expected is not None and this != expected:
                    self.fail(here, f"{label!r} does not follow note {n['number']}'s number under {scheme} numbering "
                                    f"(expected {n['number'] + expected!s}; labels are derived: delete the key and "
                                    "corresp sets it)")
                offset = this
            if offset is not None:
                floor = offset + top
            else:
                floor += top

    def _document(self, k: int, d: dict) -> Document:
        path = f"documents[{k}]"
        d = dict(d)
        number = d.pop("number", None)  # derived from the order: recomputed
        if number is not None and (not _is_int(number) or number < 1):
            self.fail(f"{path}.number", f"{number!r} is not a document number (1, 2, ...; derived: "
                                        "delete the key and corresp sets it)")
        notes, renumber = self._notes(d, "footnotes", _doc_paragraphs(d, path), path)
        if renumber:  # on a copy: the caller's data stays as it was read
            d = copy.deepcopy(d)
            _apply(renumber, _doc_paragraphs(d, path))
        d["footnotes"] = notes
        return self._validate(Document, d, path)

    def _notes(self, container: dict, key: str, paragraphs: list[tuple[Any, str]],
               path: str) -> tuple[Any, Optional[dict[int, int]]]:
        """The container's notes without labels, numbered again in marker order if an edit
        left them out of it, and the new number of each marker's old one when they were."""
        notes = container.get(key, [])
        if not isinstance(notes, list) or not all(isinstance(n, dict) for n in notes):
            return notes, None  # the model's validation says what is wrong
        notes = [{k: v for k, v in n.items() if k != "label"} for n in notes]
        markers = _markers(paragraphs)
        numbers = [n.get("number") for n in notes]
        if not all(_is_int(x) for x in numbers) or _odd_markers(paragraphs):
            return notes, None  # a number that is not one: the model's validation names it
        at = f"{path}.{key}"
        seen_marker: dict[int, str] = {}
        for number, where, _ in markers:
            if number in seen_marker:
                self.fail(where, f"marker {number} appears twice (also in {seen_marker[number]}): each note has one marker")
            seen_marker[number] = where
        for i, number in enumerate(numbers):
            if numbers.index(number) != i:
                self.fail(f"{at}[{i}]", f"two notes are numbered {number} ({at}[{numbers.index(number)}] too)")
        have = set(numbers)
        marker_list = ", ".join(str(m[0]) for m in markers) or "none"
        for number, where, _ in markers:
            if number not in have:
                self.fail(where, f"marker {number} has no note (notes: {', '.join(map(str, numbers)) or 'none'}): "
                                 f"delete the marker too, or restore note {number}")
        for number in numbers:
            if number not in seen_marker:
                self.fail(at, f"note {number} has no marker in the text (markers: {marker_list})")
        new = {number: pos + 1 for pos, (number, _, _) in enumerate(markers)}
        if [n for n, _, _ in markers] == numbers == list(range(1, len(notes) + 1)):
            return notes, None
        notes = sorted(({**n, "number": new[n["number"]]} for n in notes), key=lambda n: n["number"])
        self.diagnostics.append(Diagnostic(self.name or "<json>", None, "info", "notes-renumbered",
                                           f"{at}: notes numbered again in marker order: "
                                           f"{', '.join(str(m[0]) for m in markers)} → "
                                           f"{', '.join(str(new[m[0]]) for m in markers)}"))
        return notes, new

    def _validate(self, model, data: dict, path: str):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = _json_path(data, err["loc"], path)
            self.fail(where, _message(err))


def _doc_paragraphs(d: dict, path: str) -> list[tuple[Any, str]]:
    """A document's paragraphs in reading order (Document.iter_parts), with their JSON paths."""
    out = []
    for role in BLOCK_ROLES:
        value = d.get(role)
        blocks = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for bi, block in enumerate(blocks):
            where = f"{path}.{role}[{bi}]" if isinstance(value, list) else f"{path}.{role}"
            if isinstance(block, dict) and block.get("type") == "enclosure" and \
                    isinstance(block.get("paragraphs"), list):
                out += [(p, f"{where}.paragraphs[{pi}]") for pi, p in enumerate(block["paragraphs"])]
            else:
                out.append((block, where))
    return out


def _intro_paragraphs(ch: dict, path: str) -> list[tuple[Any, str]]:
    intro = ch.get("intro")
    return [(p, f"{path}.intro[{i}]") for i, p in enumerate(intro)] if isinstance(intro, list) else []


def _markers(paragraphs: list[tuple[Any, str]]) -> list[tuple[int, str, dict]]:
    """(number, JSON path of its paragraph, the noteref) of each marker, in reading order."""
    markers = []
    for para, where in paragraphs:
        content = para.get("content") if isinstance(para, dict) else None
        if isinstance(content, list):
            markers += [(item["number"], where, item) for item in content
                        if isinstance(item, dict) and item.get("type") == "noteref" and _is_int(item.get("number"))]
    return markers


def _odd_markers(paragraphs: list[tuple[Any, str]]) -> bool:
    return any(isinstance(item, dict) and item.get("type") == "noteref" and not _is_int(item.get("number"))
               for para, _ in paragraphs if isinstance(para, dict) and isinstance(para.get("content"), list)
               for item in para["content"])


def _apply(renumber: dict[int, int], paragraphs: list[tuple[Any, str]]) -> None:
    for number, _, ref in _markers(paragraphs):
        ref["number"] = renumber[number]


def _json_path(data: Any, loc: tuple, prefix: str) -> str:
    """pydantic's location as a JSON path into `data` (the tags of tagged unions dropped)."""
    path, node, fresh = prefix, data, True
    for item in loc:
        if isinstance(node, dict) and fresh and node.get("type") == item:
            fresh = False  # the union member pydantic tried (a Text's tag is also a key: "text")
            continue
        fresh = True
        if isinstance(node, list) and isinstance(item, int):
            path += f"[{item}]"
            node = node[item] if item < len(node) else None
        elif isinstance(node, dict) and item in node:
            path += f".{item}" if path else str(item)
            node = node[item]
        else:
            path += f".{item}" if path else str(item)
            node = None
    return path


def _message(err: dict) -> str:
    kind = err.get("type")
    if kind == "extra_forbidden":
        return "not a field here (see `corresp schema`)"
    if kind == "missing":
        return "missing (required)"
    msg = err.get("msg", "invalid")
    msg = msg.removeprefix("Value error, ")
    if "input" in err and kind not in ("model_type", "list_type", "dict_type") and \
            isinstance(err["input"], (str, int, float, bool)) and len(repr(err["input"])) < 60:
        msg += f" (got {err['input']!r})"
    return msg[:1].lower() + msg[1:] if not msg[:2].isupper() else msg


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _kind(x: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}.get(type(x), type(x).__name__)


def default_notes(path: Path) -> Optional[str]:
    """The numbering a JSON edition was written with (a build from it keeps it by default)."""
    from corresp.files import read_regular
    try:
        data = orjson.loads(read_regular(path, "json", InputError).removeprefix(b"\xef\xbb\xbf"))
    except (InputError, orjson.JSONDecodeError):
        return None
    scheme = data.get("notes_scheme") if isinstance(data, dict) else None
    return scheme if scheme in SCHEMES else None
