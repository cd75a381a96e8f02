"""Corrections files (corresp.corrections): one test per kind, stale corrections fail the build
by name, a corrected sample still verifies in every format, malformed files never a traceback."""
import shutil
import subprocess
import sys
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import SEED
from corresp.corrections import CorrectionError, apply_corrections_files, load
from corresp.model import NoteRef, Text
from corresp.readers.text.parser import read_edition
from corresp.readers import read_sources

LETTER_16 = "kaganovich-to-stalin-1935-08-16"
LETTER_15 = "stalin-to-kaganovich-yezhov-1935-08-15"


# The parser's guess the role corrections fix: a greeting signed with the sender's name, set
# as the signature. (The seed's own line, "One of the secretaries L.M. Kaganovich.", the
# parser now reads as a postscript itself: tests/test_press_queries.py.)
SECRETARIES = "Regards from the secretaries, L.M. Kaganovich."


@pytest.fixture
def source(tmp_path):
    src = tmp_path / "1935-08.txt"
    text = SEED.read_text(encoding="utf-8")
    assert "One of the secretaries L.M. Kaganovich." in text
    src.write_text(text.replace("One of the secretaries L.M. Kaganovich.", SECRETARIES), encoding="utf-8")
    return src


def corrected(source, toml: str):
    source.with_name(source.stem + ".corrections.toml").write_text(toml, encoding="utf-8")
    edition, diagnostics = read_sources([source])
    docs = {d.id: d for d in edition.documents}
    return edition, docs, [d for d in diagnostics if d.code == "correction"]


def test_role_a_signature_that_is_a_postscript(source):
    _, docs, applied = corrected(source, f'''
[[correction]]
name = "secretaries-greeting"
kind = "role"
document = "{LETTER_16}"
line = "Regards from the secretaries, L.M. Kaganovich."
role = "postscript"
''')
    doc = docs[LETTER_16]
    assert doc.signature is None
    assert [p.text for p in doc.postscript][0] == "Regards from the secretaries, L.M. Kaganovich."
    assert len(applied) == 1
    assert str(applied[0]).startswith(f"{source}:66: info: corrected the role of 'Regards f")
    assert str(applied[0]).endswith("(secretaries-greeting, 1935-08.corrections.toml) [correction]")


def test_role_by_heading_and_phrase_to_signature(source):
    _, docs, _ = corrected(source, '''
[[correction]]
kind = "role"
heading = "Kaganovich to Stalin   August 16 [1935]"
line = "I shake your hands"
role = "signature"
''')
    doc = docs[LETTER_16]
    assert doc.signature.text.startswith("I shake your hands")
    # the signature it replaces stays in the text, after it
    assert doc.postscript[0].text == "Regards from the secretaries, L.M. Kaganovich."


def test_role_secretary_line(source):
    _, docs, _ = corrected(source, f'''
[[correction]]
kind = "role"
document = "{LETTER_16}"
line = "OK."
role = "secretary"
''')
    assert [p.text for p in docs[LETTER_16].secretary] == ["OK."]


def test_marker_placed_after_a_phrase(source):
    plain, _ = read_edition([SEED])
    before = next(d for d in plain.documents if d.id == LETTER_15)
    assert before.footnotes[0].marker == "inferred"
    _, docs, applied = corrected(source, f'''
[[correction]]
kind = "marker"
document = "{LETTER_15}"
note = 1
after = "Stetsky's deputy"
''')
    doc = docs[LETTER_15]
    body = doc.body[0].content
    assert isinstance(body[0], Text) and body[0].text.endswith("Stetsky's deputy")
    assert body[1] == NoteRef(number=1)
    assert doc.footnotes[0].marker == "explicit" and doc.footnotes[0].text == before.footnotes[0].text
    assert "the marker of note 1 (inferred): after \"Stetsky's deputy\"" in str(applied[0])


def test_marker_moved_before_another_renumbers_the_notes(source):
    plain, _ = read_edition([SEED])
    before = next(d for d in plain.documents if d.id == LETTER_15)
    _, docs, _ = corrected(source, f'''
[[correction]]
kind = "marker"
document = "{LETTER_15}"
note_text = "Date, time and number entered"
after = "Knorin can be"
''')
    doc = docs[LETTER_15]
    assert doc.noteref_order() == [1, 2]
    assert [n.text for n in doc.footnotes] == [before.footnotes[1].text, before.footnotes[0].text]
    assert doc.secretary[-1].noterefs() == []


def test_heading_senders_recipients_date(source):
    _, docs, applied = corrected(source, f'''
[[correction]]
kind = "heading"
document = "{LETTER_16}"
senders = ["Kaganovich", "Molotov"]
recipients = ["Stalin"]
date = "1935-08-17"
date_text = "August 17 [1935]"
''')
    doc = docs[LETTER_16]  # the id stays: other corrections and links name it
    assert [p.name for p in doc.senders] == ["Kaganovich", "Molotov"]
    assert doc.date.iso == "1935-08-17" and doc.date.text == "August 17 [1935]"
    assert applied[0].line == doc.line


def test_heading_bad_date_is_an_error(source):
    with pytest.raises(CorrectionError, match=r"correction 'heading #1': date: not a real date"):
        corrected(source, f'[[correction]]\nkind = "heading"\ndocument = "{LETTER_16}"\ndate = "1935-02-30"\n')


def test_archive_field(source):
    edition, _ = read_edition([SEED])
    ocr = next(d for d in edition.documents if d.archive and d.archive[0].opis == "L")
    _, docs, applied = corrected(source, f'''
[[correction]]
kind = "archive"
document = "{ocr.id}"
field = "opis"
value = "11"
''')
    assert docs[ocr.id].archive[0].opis == "11"
    assert applied[0].line == 215 and "opis 'L' → '11'" in applied[0].message


def test_note_text(source):
    _, docs, applied = corrected(source, f'''
[[correction]]
kind = "note"
document = "{LETTER_15}"
note_text = "PB approved V.G. Knorin"
text = "On August 16, 1935, the Politburo approved V. G. Knorin."
''')
    assert docs[LETTER_15].footnotes[0].text == "On August 16, 1935, the Politburo approved V. G. Knorin."
    assert "the text of note 1" in applied[0].message


def test_split(source):
    edition, docs, applied = corrected(source, f'''
[[correction]]
name = "two letters"
kind = "split"
document = "{LETTER_16}"
at = "2) On the removal of the eagles"
new_heading = "Kaganovich to Stalin August 16, 1935"
''')
    assert len(edition.documents) == 39
    ids = [d.id for d in edition.documents]
    new = docs[ids[ids.index(LETTER_16) + 1]]
    assert new.id == "kaganovich-to-stalin-1935-08-16-2"
    assert [p.name for p in new.senders] == ["Kaganovich"] and new.date.iso == "1935-08-16"
    assert new.body[0].text.startswith("2) On the removal of the eagles")
    assert new.signature.text == "Regards from the secretaries, L.M. Kaganovich."
    assert docs[LETTER_16].signature is None and docs[LETTER_16].body[-1].text.startswith("Please let me know")
    assert applied[0].line == 58 and "new document kaganovich-to-stalin-1935-08-16-2" in applied[0].message


def test_split_at_a_heading_line_with_a_marker_is_refused(source):
    with pytest.raises(CorrectionError, match=r"holds note marker\(s\) \[1\]: as the new heading it would lose"):
        corrected(source, f'[[correction]]\nkind = "split"\ndocument = "{LETTER_15}"\nat = "Knorin can be"\n')


def test_join(source):
    plain, _ = read_edition([SEED])
    first, second = (next(d for d in plain.documents if d.id == i) for i in
                     ("stalin-to-kaganovich-molotov-1935-08-17", "kaganovich-molotov-to-stalin-1935-08-17"))
    edition, docs, applied = corrected(source, '''
[[correction]]
kind = "join"
document = "kaganovich-molotov-to-stalin-1935-08-17"
''')
    assert len(edition.documents) == 37
    joined = docs[first.id]
    assert second.id not in docs
    assert any(p.text == second.heading for p in joined.body)
    assert joined.signature.text == "Kaganovich, Molotov."
    assert [n.text for n in joined.footnotes] == [n.text for n in first.footnotes + second.footnotes]
    assert joined.noteref_order() == list(range(1, len(joined.footnotes) + 1))
    assert joined.archive == first.archive + second.archive
    assert applied[0].message.startswith(f"corrected document {second.id} joined to {first.id}")


@pytest.mark.parametrize("toml, message", [
    ('kind = "role"\ndocument = "no-such-letter"\nline = "x"\nrole = "body"',
     "correction 'role #1': matches nothing: no document with the id 'no-such-letter'"),
    (f'kind = "role"\ndocument = "{LETTER_16}"\nline = "a line no longer there"\nrole = "body"',
     "matches nothing: no paragraph of document"),
    (f'kind = "marker"\ndocument = "{LETTER_15}"\nnote = 7\nafter = "Knorin"',
     "has no note 7 (notes: 1, 2)"),
    (f'kind = "archive"\ndocument = "{LETTER_15}"\nfield = "opis"\nvalue = "11"',
     "matches nothing to change: opis is already '11'"),
])
def test_a_stale_correction_is_an_error_naming_it(source, toml, message):
    with pytest.raises(CorrectionError) as exc:
        corrected(source, "[[correction]]\n" + toml + "\n")
    assert message in str(exc.value)
    assert str(exc.value).startswith(f"{source.with_name('1935-08.corrections.toml')}:1: ")


def test_a_stale_correction_fails_the_build_and_writes_nothing(source, tmp_path):
    source.with_name("1935-08.corrections.toml").write_text(
        '# fixes\n\n[[correction]]\nname = "old-fix"\nkind = "note"\ndocument = "gone"\nnote = 1\ntext = "x"\n',
        encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "corresp", "build", str(source), "-f", "json", "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "1935-08.corrections.toml:3: correction 'old-fix': matches nothing" in r.stderr
    assert "Traceback" not in r.stderr and not out.exists()


def test_corrections_named_in_edition_toml(source, tmp_path):
    (tmp_path / "fixes.toml").write_text(
        f'[[correction]]\nkind = "note"\ndocument = "{LETTER_15}"\nnote = 2\ntext = "Entered by the secretary."\n',
        encoding="utf-8")
    (tmp_path / "edition.toml").write_text('sources = ["1935-08.txt"]\ncorrections = ["fixes.toml"]\n'
                                           'output = "out"\n', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "corresp", "build", "-f", "json"], cwd=tmp_path,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "Entered by the secretary." in (tmp_path / "out" / "1935-08.json").read_text(encoding="utf-8")


def test_a_corrected_sample_verifies_in_every_format(source, tmp_path):
    source.with_name("1935-08.corrections.toml").write_text(f'''
[[correction]]
kind = "role"
document = "{LETTER_16}"
line = "Regards from the secretaries, L.M. Kaganovich."
role = "postscript"

[[correction]]
kind = "marker"
document = "{LETTER_15}"
note_text = "Date, time and number entered"
after = "Knorin can be"

[[correction]]
kind = "split"
document = "{LETTER_16}"
at = "2) On the removal of the eagles"
new_heading = "Kaganovich to Stalin August 16, 1935"
''', encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "corresp", "build", str(source), "-o", str(out),
                        "-f", "json", "-f", "epub", "-f", "pdf", "-f", "docx", "-f", "tei", "--verify"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "verified 5 files" in r.stderr


MALFORMED = [
    ("kind = 'role'", "unknown top-level key(s) kind"),
    ("[[correction]]\nkind = 'rename'\ndocument = 'x'", "kind must be one of role, marker"),
    ("[[correction]]\nkind = 'role'\ndocument = 'x'\nline = 'y'", "missing key(s): role"),
    ("[[correction]]\nkind = 'role'\ndocument = 'x'\nheading = 'h'\nline = 'y'\nrole = 'body'",
     "by `document` (its id) or `heading`, one of them"),
    ("[[correction]]\nkind = 'role'\ndocument = 'x'\nline = 'y'\nrole = 'footer'", "role must be one of"),
    ("[[correction]]\nkind = 'note'\ndocument = 'x'\nnote = '2'\ntext = 'y'", "note must be a whole number"),
    ("[[correction]]\nkind = 'heading'\ndocument = 'x'\nsenders = 'Stalin'", "senders must be a list of names"),
    ("[[correction]\nkind = 'role'", "not valid TOML"),
]


@pytest.mark.parametrize("toml, message", MALFORMED)
def test_a_malformed_corrections_file_is_one_line(tmp_path, toml, message):
    path = tmp_path / "x.corrections.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(CorrectionError) as exc:
        load(path)
    assert message in str(exc.value) and "\n" not in str(exc.value)


_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-3, 60), st.text(max_size=12)),
                       lambda inner: st.lists(inner, max_size=3), max_leaves=6)
_KEYS = ["name", "kind", "document", "heading", "line", "role", "note", "note_text", "after", "field", "value",
         "reference", "text", "senders", "recipients", "date", "date_text", "at", "new_heading", "id", "other"]
_kinds = st.sampled_from(["role", "marker", "heading", "archive", "note", "split", "join"] * 3 + ["x"])
_targets = st.sampled_from([LETTER_15, LETTER_16, "kaganovich-molotov-to-stalin-1935-08-16", "nope"])
_phrases = st.sampled_from(["Knorin", "Stalin.", "OK.", "2) On the removal", "deputy", "No. 1", ""])


_VALUE = {
    "line": _phrases, "after": _phrases, "at": _phrases, "note_text": st.sampled_from(["PB", "secretary", "x"]),
    "text": _phrases, "new_heading": st.sampled_from(["Stalin to Kaganovich August 16, 1935", "no heading"]),
    "role": st.sampled_from(["body", "postscript", "signature", "secretary", "address", "dateline", "dispatch"]),
    "note": st.integers(0, 3), "reference": st.integers(0, 2), "field": st.sampled_from(["opis", "fond", "form"]),
    "value": st.sampled_from(["11", "558", ""]), "senders": st.lists(st.sampled_from(["Stalin", "Molotov"]), max_size=2),
    "recipients": st.lists(st.sampled_from(["Kaganovich"]), max_size=1), "date": st.sampled_from(["1935-08-20", "1935-13"]),
    "date_text": _phrases, "id": st.sampled_from(["new-letter", LETTER_15]),
}


@st.composite
def _corrections(draw):
    """Mostly well-formed corrections (each kind's keys, drawn values), some not."""
    from corresp.corrections import KEYS
    items = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(_kinds)
        required, optional = KEYS.get(kind, (set(), set()))
        item = {"kind": kind, "document": draw(_targets)}
        keys = [k for k in sorted(required) if draw(st.integers(0, 9))]
        if kind in ("marker", "note"):
            keys.append(draw(st.sampled_from(["note", "note_text"])))
            optional = optional - {"note", "note_text"}
        keys += draw(st.lists(st.sampled_from(sorted(optional) or ["other"]), max_size=2, unique=True))
        if draw(st.integers(0, 9)) == 0:
            keys.append(draw(st.sampled_from(_KEYS)))
        for key in keys:
            item[key] = draw(_VALUE.get(key, _values))
        items.append(item)
    return items


def _dump(items) -> str:
    from corresp.corrections import _toml
    out = []
    for item in items:
        out.append("[[correction]]")
        for k, v in item.items():
            if v is None or isinstance(v, bool) or (isinstance(v, list) and any(
                    x is None or isinstance(x, (bool, list)) for x in v)):
                continue
            out.append(f"{k} = {_toml(v)}")
    return "\n".join(out) + "\n"


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(_corrections())
def test_fuzzed_corrections_apply_or_fail_with_one_line(tmp_path_factory, items):
    """Whatever an editor writes, a correction applies and leaves a valid edition, or it is
    a one-line CorrectionError naming it: never a traceback."""
    edition, diagnostics = _seed()
    folder = tmp_path_factory.mktemp("fuzz")
    src = folder / "1935-08.txt"
    src.write_bytes(b"")  # only its name matters: the edition is parsed once
    path = folder / "1935-08.corrections.toml"
    text = _dump(items)
    tomllib.loads(text)
    path.write_text(text, encoding="utf-8")
    try:
        fixed, _ = apply_corrections_files(edition, diagnostics, [src])
    except CorrectionError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
        return
    assert fixed.documents


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_fuzzed_toml_text_never_a_traceback(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("t") / "f.corrections.toml"
    path.write_text("[[correction]]\n" + text, encoding="utf-8", errors="surrogatepass")
    try:
        load(path)
    except CorrectionError as exc:
        assert "\n" not in str(exc)


_SEED_CACHE = []


def _seed():
    if not _SEED_CACHE:
        _SEED_CACHE.append(read_edition([SEED]))
    return _SEED_CACHE[0]


def test_the_readme_example_applies_to_the_seed(source):
    from conftest import ROOT
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = next(block.split("\n", 1)[1] for block in readme.split("```")[1:]
                   if block.startswith("toml\n") and "[[correction]]" in block)
    edition, docs, applied = corrected(source, example)
    assert len(applied) == len(tomllib.loads(example)["correction"]) == 7


def test_role_an_enclosure_paragraph_set_as_body(source):
    doc_id = "kaganovich-molotov-to-stalin-1935-08-17"
    _, docs, applied = corrected(source, f'''
[[correction]]
kind = "role"
document = "{doc_id}"
line = "If the Japanese-Manchurian side"
role = "body"
''')
    body = docs[doc_id].body
    assert [b.type for b in body] == ["paragraph"] * 4
    assert body[2].text.startswith("“If the Japanese-Manchurian side")
    assert "enclosure → body" in applied[0].message


def test_a_note_of_a_chapter_intro(tmp_path):
    from conftest import FIXTURES
    src = tmp_path / "messy-1932-10.txt"
    shutil.copy(FIXTURES / "messy-1932-10.txt", src)
    edition, _, applied = corrected(src, '''
[[correction]]
kind = "marker"
chapter = "1932 October"
note = 1
after = "Stalin was in Sochi"

[[correction]]
kind = "note"
chapter = "1932 October"
note_text = "See the introduction"
text = "See the volume's introduction."
''')
    chapter = edition.chapters[0]
    assert chapter.notes[0].text == "See the volume's introduction."
    runs = chapter.intro[0].content
    k = next(i for i, r in enumerate(runs) if isinstance(r, NoteRef))
    assert runs[k - 1].text.endswith("Stalin was in Sochi") and len(applied) == 2
    with pytest.raises(CorrectionError, match="a chapter's intro takes marker and note corrections only"):
        corrected(src, '[[correction]]\nkind = "join"\nchapter = "1932 October"\n')
