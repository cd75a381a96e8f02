"""The JSON edition as a source (issue 13): read back by the `json` reader, byte-identical
round trips, the same EPUB/DOCX/PDF as the text build, valid against `corresp schema`, and
editors' edits either rebuilt correctly or refused in one line with the JSON path."""
import copy
import hashlib
import json
import os
import subprocess
import sys
from importlib.metadata import EntryPoint

import jsonschema
import orjson
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import FIXTURES, ROOT, SEED, json_paths
from corresp.errors import CorrespError, InputError
from corresp.exporters import ExportOptions
from corresp.exporters.json_edition import dumps_bytes, dumps_compact, edition_to_json
from corresp.jsonmodel import edition_json_schema
from corresp.readers.json_edition import JsonEditionError, edition_from_json, read_json_file
from corresp.readers.text.parser import read_edition, read_bytes
from corresp import readers
from sample_edition import sample_edition

VALIDATOR = jsonschema.Draft202012Validator(edition_json_schema())


def corresp(*args, cwd=None):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    return subprocess.run([sys.executable, "-m", "corresp", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env)


@pytest.fixture(scope="module")
def seed_json(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed")
    edition, _ = read_edition([SEED])
    path = folder / "1935-08.json"
    path.write_bytes(dumps_bytes(edition))
    return path


def errors(data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)]


# --- round trips -------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["per-document", "continuous"])
def test_json_model_json_is_byte_identical(seed_json, tmp_path, scheme):
    edition, _ = read_edition([SEED])
    options = ExportOptions(notes=scheme)
    first = dumps_bytes(edition, options)
    path = tmp_path / "e.json"
    path.write_bytes(first)
    again = read_json_file(path)
    assert again == edition
    assert dumps_bytes(again, options) == first


def test_build_from_json_gives_the_same_files_as_from_text(seed_json, tmp_path):
    r = corresp("build", SEED, "-o", tmp_path / "text", "-f", "json", "-f", "epub", "-f", "docx", "-f", "pdf", "-q")
    assert r.returncode == 0, r.stderr
    r = corresp("build", tmp_path / "text" / "1935-08.json", "-o", tmp_path / "json",
                "-f", "json", "-f", "epub", "-f", "docx", "-f", "pdf", "-q")
    assert r.returncode == 0, r.stderr
    for ext in ("json", "epub", "docx", "pdf"):
        a, b = (tmp_path / d / f"1935-08.{ext}" for d in ("text", "json"))
        assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest(), ext


def test_a_continuous_json_edition_keeps_its_numbering(tmp_path):
    r = corresp("build", SEED, "-o", tmp_path / "a", "-f", "json", "--notes", "continuous", "-q")
    assert r.returncode == 0, r.stderr
    r = corresp("build", tmp_path / "a" / "1935-08.json", "-o", tmp_path / "b", "-f", "json", "-q")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "a" / "1935-08.json").read_bytes() == (tmp_path / "b" / "1935-08.json").read_bytes()


def test_build_from_tei_reads_the_tei(tmp_path):
    r = corresp("build", SEED, "-o", tmp_path / "a", "-f", "tei", "-f", "epub", "-q")
    assert r.returncode == 0, r.stderr
    r = corresp("build", tmp_path / "a" / "1935-08.tei.xml", "-o", tmp_path / "b",
                "-f", "epub", "-q")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "a" / "1935-08.epub").read_bytes() == (tmp_path / "b" / "1935-08.epub").read_bytes()


# --- the reader is chosen by what the file is -------------------------------------------------

def test_the_reader_is_chosen_by_content(seed_json, tmp_path):
    reg = readers.registry()
    disguised = tmp_path / "edition.txt"
    disguised.write_bytes(seed_json.read_bytes())
    assert reg.for_file(disguised).name == "json"
    assert reg.for_file(SEED).name == "text"
    not_ours = tmp_path / "data.json"
    not_ours.write_text('{"title": "x"}', encoding="utf-8")
    with pytest.raises(InputError, match=r"data.json: not a corresp JSON edition \(no schema_version\)"):
        readers.read_sources([not_ours])


def test_a_json_edition_is_read_alone(seed_json):
    with pytest.raises(InputError, match="a json edition is a whole edition"):
        readers.read_sources([SEED, seed_json])


def test_formats_lists_readers_and_writers():
    r = corresp("formats")
    assert r.returncode == 0
    assert "readers" in r.stdout and "writers" in r.stdout
    for name in ("text", "json", "tei", "epub", "pdf", "docx"):
        assert f"  {name} " in r.stdout


def test_a_broken_reader_plugin_is_reported_and_the_others_load(monkeypatch):
    monkeypatch.setattr(readers, "entry_points", lambda group: [
        EntryPoint("text", "corresp.readers.text:TextReader", group),
        EntryPoint("odt", "no_such_module:Reader", group), EntryPoint("bad", "corresp.model:Person", group),
        EntryPoint("text2", "corresp.readers.text:TextReader", group)])
    try:
        reg = readers.registry(reload=True)
        assert list(reg.readers) == ["text"]
        assert any("'odt'" in p and "failed to load" in p for p in reg.problems)
        assert any("'bad'" in p for p in reg.problems) and any("registered twice" in p for p in reg.problems)
    finally:
        readers._cache = None


# --- the schema -------------------------------------------------------------------------------

def test_corresp_schema_is_the_json_editions():
    r = corresp("schema")
    schema = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("edition-1.0.json") and "corresp 0.1.0" in schema["x-generator"]
    assert schema == edition_json_schema()


def test_the_seed_json_validates(seed_json):
    data = json.loads(seed_json.read_text(encoding="utf-8"))
    assert errors(data) == []
    data["documents"][0]["footnotes"] = [{"number": 1, "text": "x", "colour": "red"}]
    assert any("colour" in e for e in errors(data))  # the schema is not just `object`


@pytest.mark.parametrize("source", sorted(FIXTURES.glob("*.txt")) + sorted((ROOT / "tests" / "corpus").glob("*.txt")),
                         ids=lambda p: p.name)
def test_every_fixture_json_validates(source):
    edition, _ = read_edition([source])
    for scheme in ("per-document", "continuous"):
        data = orjson.loads(dumps_bytes(edition, ExportOptions(notes=scheme)))
        assert errors(data) == []
        assert dumps_bytes(edition_from_json(data), ExportOptions(notes=scheme)) == \
            dumps_bytes(edition, ExportOptions(notes=scheme))


@pytest.mark.parametrize("source", [SEED, *sorted(FIXTURES.glob("*.txt"))[:12]], ids=lambda p: p.name)
def test_the_fields_path_writes_what_model_dump_writes(source):
    """dumps_bytes writes the models' field dicts through orjson's hook; pydantic's model_dump
    is the reference, for the parsed edition, its typeset copy and one with a publication."""
    from corresp.exporters.json_edition import _pydantic_data
    from corresp.model import Publication
    from corresp.typography import typeset
    edition, _ = read_edition([source])
    typeset_copy = typeset(edition)
    published = edition.model_copy(update={"publication": Publication(
        publisher="P", cover="/somewhere/cover.png", isbn={"epub": "978-1-915247-21-6"}, translators=["T"])})
    for e in (edition, typeset_copy, published):
        for scheme in ("per-document", "continuous"):
            options = ExportOptions(notes=scheme)
            assert dumps_bytes(e, options) == orjson.dumps(_pydantic_data(e, options), option=orjson.OPT_INDENT_2) + b"\n"
            assert edition_to_json(e, options) == _pydantic_data(e, options)
            assert dumps_compact(e, options) == orjson.dumps(_pydantic_data(e, options))


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")
def test_a_value_set_without_validation_is_written_as_pydantic_writes_it():
    from pathlib import Path
    from corresp.exporters.json_edition import _pydantic_data
    from corresp.model import Publication
    edition = sample_edition()
    pub = Publication(publisher="P")
    pub.cover = Path("/x/cover.png")  # (no validation on assignment: pydantic writes it as a string)
    edition.publication = pub
    assert edition_to_json(edition)["publication"]["cover"] == "cover.png"
    assert edition_to_json(edition) == _pydantic_data(edition, None)


def test_the_hand_built_edition_validates():
    data = edition_to_json(sample_edition())
    assert errors(data) == []
    assert edition_from_json(data) == sample_edition()


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_a_fuzzed_edition_validates(data):
    from test_fuzz_parser import mutated_source
    raw = data.draw(mutated_source())
    try:
        edition, _ = read_bytes(raw, "fuzz.txt")
    except CorrespError:
        return
    out = orjson.loads(dumps_bytes(edition))
    assert errors(out) == []
    assert dumps_bytes(edition_from_json(out)) == dumps_bytes(edition)


# --- editors' edits ---------------------------------------------------------------------------

@pytest.fixture
def data(seed_json):
    return json.loads(seed_json.read_text(encoding="utf-8"))


def _doc(data, doc_id):
    k = next(k for k, d in enumerate(data["documents"]) if d["id"] == doc_id)
    return k, data["documents"][k]


def _refs(doc):
    for role in ("body", "secretary"):
        for p in doc[role]:
            for i in p.get("content", []):
                if i["type"] == "noteref":
                    yield p, i


def _delete_note(doc, number, marker=True, note=True):
    if marker:
        for p, i in list(_refs(doc)):
            if i["number"] == number:
                p["content"].remove(i)
    if note:
        doc["footnotes"] = [n for n in doc["footnotes"] if n["number"] != number]


LETTER = "stalin-to-kaganovich-yezhov-1935-08-15"  # notes 1 (body) and 2 (secretary line)


def test_deleting_a_note_and_its_marker_renumbers(data):
    k, doc = _doc(data, LETTER)
    text2 = doc["footnotes"][1]["text"]
    _delete_note(doc, 1)
    diagnostics = []
    edition = edition_from_json(data, "e.json", diagnostics)
    fixed = next(d for d in edition.documents if d.id == LETTER)
    assert [(n.number, n.text) for n in fixed.footnotes] == [(1, text2)]
    assert fixed.noteref_order() == [1]
    assert [str(d) for d in diagnostics] == [
        f"e.json: info: documents[{k}].footnotes: notes numbered again in marker order: 2 → 1 [notes-renumbered]"]
    assert doc["footnotes"][0]["number"] == 2  # the caller's data is not changed


def test_a_note_deleted_but_its_marker_kept_is_an_error(data):
    k, doc = _doc(data, LETTER)
    _delete_note(doc, 1, marker=False)
    with pytest.raises(JsonEditionError) as exc:
        edition_from_json(data, "edition.json")
    assert str(exc.value) == (f"edition.json: documents[{k}].body[0]: marker 1 has no note (notes: 2): "
                              "delete the marker too, or restore note 1")


def test_a_marker_deleted_but_its_note_kept_is_an_error(data):
    k, doc = _doc(data, LETTER)
    _delete_note(doc, 1, note=False)
    with pytest.raises(JsonEditionError) as exc:
        edition_from_json(data, "edition.json")
    assert str(exc.value) == f"edition.json: documents[{k}].footnotes: note 1 has no marker in the text (markers: 2)"


def test_moving_a_marker_renumbers(data):
    _, doc = _doc(data, LETTER)
    texts = [n["text"] for n in doc["footnotes"]]
    sec = doc["secretary"][-1]
    ref = next(i for i in sec["content"] if i["type"] == "noteref")
    sec["content"].remove(ref)
    doc["body"][0]["content"].insert(0, ref)  # note 2's marker now comes first
    for n in doc["footnotes"]:
        n.pop("label")
    edition = edition_from_json(data)
    fixed = next(d for d in edition.documents if d.id == LETTER)
    assert [n.text for n in fixed.footnotes] == texts[::-1]
    assert fixed.noteref_order() == [1, 2] and fixed.body[0].content[0].number == 1


def test_adding_a_note_renumbers(data):
    _, doc = _doc(data, LETTER)
    doc["address"][0]["content"].append({"type": "noteref", "number": 9})
    doc["footnotes"].append({"number": 9, "text": "An editor's note.", "marker": "explicit"})
    edition = edition_from_json(data)
    fixed = next(d for d in edition.documents if d.id == LETTER)
    assert [n.text for n in fixed.footnotes][0] == "An editor's note."


def test_changing_a_heading_rebuilds(data, tmp_path):
    k, doc = _doc(data, LETTER)
    doc["heading"] = "Stalin to Kaganovich and Yezhov, August 15, 1935"
    doc["recipients"] = [{"name": "Kaganovich"}, {"name": "Yezhov"}]
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = corresp("build", path, "-f", "epub", "-f", "json", "-o", tmp_path / "out", "-q")
    assert r.returncode == 0, r.stderr
    again = json.loads((tmp_path / "out" / "edited.json").read_text(encoding="utf-8"))
    assert again["documents"][k]["heading"] == "Stalin to Kaganovich and Yezhov, August 15, 1935"


def test_dropping_a_document_id_from_its_chapter_is_an_error(data):
    k, doc = _doc(data, LETTER)
    data["chapters"][0]["documents"].remove(LETTER)
    with pytest.raises(JsonEditionError, match=rf"documents\[{k}\]: document '{LETTER}' is in no chapter"):
        edition_from_json(data, "e.json")


def test_dropping_a_document_but_not_its_id_is_an_error(data):
    k, _ = _doc(data, LETTER)
    del data["documents"][k]
    with pytest.raises(JsonEditionError, match=rf"chapters\[0\].documents\[{k}\]: no document has the id '{LETTER}'"):
        edition_from_json(data, "e.json")


def test_dropping_a_document_whole_rebuilds(data):
    k, _ = _doc(data, LETTER)
    del data["documents"][k]
    data["chapters"][0]["documents"].remove(LETTER)
    assert len(edition_from_json(data).documents) == 37


def test_reordering_the_chapter_alone_is_an_error(data):
    ids = data["chapters"][0]["documents"]
    ids[0], ids[1] = ids[1], ids[0]
    with pytest.raises(JsonEditionError, match=r"documents\[0\]: is '.*', but the chapters put '.*' there"):
        edition_from_json(data)


def test_an_edited_label_is_an_error_and_a_deleted_one_is_set_again(data):
    k, doc = _doc(data, LETTER)
    doc["footnotes"][1]["label"] = "2a"
    with pytest.raises(JsonEditionError, match=rf"documents\[{k}\].footnotes\[1\].label: '2a' is not a note number"):
        edition_from_json(data)
    doc["footnotes"][1]["label"] = "3"
    with pytest.raises(JsonEditionError, match=r"'3' does not follow note 2's number under per-document"):
        edition_from_json(data)
    del doc["footnotes"][1]["label"]
    assert edition_to_json(edition_from_json(data))["documents"][k]["footnotes"][1]["label"] == "2"


def test_continuous_labels_survive_a_deleted_note(seed_json):
    edition, _ = read_edition([SEED])
    data = edition_to_json(edition, ExportOptions(notes="continuous"))
    _, doc = _doc(data, LETTER)
    _delete_note(doc, 1)
    assert edition_from_json(data)  # the later labels are one too high: still consistent
    data["documents"][-1]["footnotes"][0]["label"] = "1"
    with pytest.raises(JsonEditionError, match="does not follow"):
        edition_from_json(data)


@pytest.mark.parametrize("edit, message", [
    (lambda d: d["documents"][3].__setitem__("date", {"text": "x", "iso": "1935-02-30"}),
     "documents[3].date.iso: not a real date: '1935-02-30'"),
    (lambda d: d["documents"][3].__setitem__("colour", "red"), "documents[3].colour: not a field here"),
    (lambda d: d["documents"][3].pop("heading"), "documents[3].heading: missing (required)"),
    (lambda d: d["documents"][3]["body"][0]["content"].__setitem__(0, {"type": "text", "text": 5}),
     "documents[3].body[0].content[0].text: input should be a valid string (got 5)"),
    (lambda d: d["documents"][1]["footnotes"][0].__setitem__("marker", "guessed"),
     "documents[1].footnotes[0].marker: input should be 'explicit', 'inferred' or 'unplaced' (got 'guessed')"),
    (lambda d: d.__setitem__("notes_scheme", "roman"), "notes_scheme: 'roman' is not a numbering scheme"),
    (lambda d: d.__setitem__("schema_version", "2.0"), "schema_version: '2.0' is not a version this corresp reads"),
    (lambda d: d["documents"][2].__setitem__("id", d["documents"][0]["id"]),
     "documents[2].id: 'kaganovich-yezhov-to-stalin-1935-08-14' is also the id of documents[0]"),
    (lambda d: d.__setitem__("documents", {}), "documents: must be a list, not an object"),
])
def test_an_invalid_edit_is_one_line_with_its_json_path(data, edit, message):
    edit(data)
    with pytest.raises(JsonEditionError) as exc:
        edition_from_json(data, "edition.json")
    assert str(exc.value).startswith(f"edition.json: {message}"), str(exc.value)
    assert "\n" not in str(exc.value) and "pydantic" not in str(exc.value)


def test_the_command_line_says_one_line_and_writes_nothing(data, tmp_path):
    _delete_note(_doc(data, LETTER)[1], 1, note=False)
    path = tmp_path / "edition.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    r = corresp("build", path, "-o", tmp_path / "out")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        f"corresp: error: {path}: documents[1].footnotes: note 1 has no marker in the text (markers: 2)"]
    assert not (tmp_path / "out").exists()


# --- malformed JSON, fuzzed -------------------------------------------------------------------

_JUNK = st.one_of(st.none(), st.booleans(), st.integers(-2, 40), st.text(max_size=6), st.just([]), st.just({}),
                  st.just([{"type": "noteref", "number": 1}]), st.just({"type": "enclosure"}))


_SEED_DATA = []


def _seed_data():
    if not _SEED_DATA:
        edition, _ = read_edition([SEED])
        data = edition_to_json(edition)
        data["documents"] = data["documents"][:4]  # smaller: more of each example is its edits
        data["chapters"][0]["documents"] = data["chapters"][0]["documents"][:4]
        _SEED_DATA.append((data, list(json_paths(data))[1:]))
    return _SEED_DATA[0]


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_malformed_json_editions_never_a_traceback(draw):
    base, paths = _seed_data()
    data = copy.deepcopy(base)
    for _ in range(draw.draw(st.integers(1, 4))):
        path = draw.draw(st.sampled_from(paths))
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            op = draw.draw(st.sampled_from(["delete", "replace"]))
            if op == "delete":
                del parent[path[-1]]
            else:
                parent[path[-1]] = draw.draw(_JUNK)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed the way there
    try:
        edition = edition_from_json(data, "fuzz.json")
    except JsonEditionError as exc:
        assert str(exc).startswith("fuzz.json: ") and "\n" not in str(exc)
        return
    dumps_bytes(edition)  # whatever was accepted can be written


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=300).map(lambda b: b'{"schema_version": "1.0", ' + b))
def test_broken_json_bytes_never_a_traceback(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("j") / "x.json"
    path.write_bytes(raw)
    try:
        readers.read_sources([path])
    except InputError as exc:
        assert "\n" not in str(exc)


def test_check_reads_an_edited_json_edition(data, tmp_path):
    path = tmp_path / "edition.json"
    _delete_note(_doc(data, LETTER)[1], 1)
    path.write_text(json.dumps(data), encoding="utf-8")
    r = corresp("check", "--all", path)
    assert r.returncode == 0, r.stderr
    assert "documents[1].footnotes: notes numbered again in marker order: 2 → 1 [notes-renumbered]" in r.stderr
    _delete_note(_doc(data, LETTER)[1], 2, note=False)
    path.write_text(json.dumps(data), encoding="utf-8")
    r = corresp("check", path)
    assert r.returncode == 2 and "note 2 has no marker in the text (markers: none)" in r.stderr


def test_every_document_carries_its_number_and_a_wrong_one_is_an_error(seed_json):
    # "No. 13" in every format: the JSON numbers the documents 1..n in edition order.
    data = json.loads(seed_json.read_text(encoding="utf-8"))
    assert [d["number"] for d in data["documents"]] == list(range(1, len(data["documents"]) + 1))
    edition = edition_from_json(data, "seed.json")
    assert len(edition.documents) == len(data["documents"])
    data["documents"][0]["number"] = "one"
    with pytest.raises(JsonEditionError, match=r"documents\[0\]\.number"):
        edition_from_json(data, "seed.json")
