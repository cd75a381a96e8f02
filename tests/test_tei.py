"""The TEI P5 exporter: valid against tei_all (the sample, every fixture, the hand-built
edition, fuzzed sources), every part of every letter where TEI puts it, the notes at their
markers with the numbers of corresp.numbering, text kept verbatim, reproducible bytes, and
`corresp verify` reading it back and catching a changed note.

tei_all.rng takes lxml ~15 s to compile: it is loaded once for the module.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from conftest import FIXTURES, ROOT, SEED
from corresp.build import build, export_one
from corresp.errors import CorrespError
from corresp.exporters import ExportOptions, registry
from corresp.exporters.json_edition import edition_to_json
from corresp.exporters.tei import TeiExporter
from corresp.readers.tei_edition import edition_from_tei
from corresp.tei_xml import from_xml_id, text_of, xml_id
from corresp.model import Chapter, Document, Edition, Footnote, Person
from corresp.readers.text.parser import read_edition
from corresp.verify import tei_reader, verify_dir
from sample_edition import NASTY, p, sample_edition
from test_fuzz_parser import mutated_source

SCHEMA = ROOT.parent / "shared" / "schemas" / "tei_all.rng"
TEI = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
FIXTURE_FILES = sorted(FIXTURES.glob("*.txt"))

pytestmark = pytest.mark.skipif(not SCHEMA.exists(), reason=f"{SCHEMA} not found")


@pytest.fixture(scope="module")
def tei_all():
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def assert_valid(schema: etree.RelaxNG, data: bytes | Path) -> etree._Element:
    tree = etree.parse(str(data)) if isinstance(data, Path) else etree.ElementTree(etree.fromstring(data))
    if not schema.validate(tree):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:10])
        pytest.fail(f"not valid TEI P5:\n{errors}")
    return tree.getroot()


def export(edition: Edition, tmp: Path, **options) -> tuple[bytes, ExportOptions]:
    opts = ExportOptions(**options)
    path = tmp / "e.tei.xml"
    TeiExporter().export(edition, path, opts)
    return path.read_bytes(), opts


@pytest.fixture(scope="module")
def seed_tei(seed_edition, tmp_path_factory):
    data, _ = export(seed_edition, tmp_path_factory.mktemp("tei"))
    return data, etree.fromstring(data)


def without_footnotes(element: etree._Element) -> str:
    """The text of `element` as printed: footnotes left out, the text around them kept."""
    copy = etree.fromstring(etree.tostring(element))
    for note in copy.xpath(".//t:note[@place='foot']", namespaces=NS):
        parent, tail = note.getparent(), note.tail or ""
        prev = note.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(note)
    return text_of(copy)


def letter(root: etree._Element, doc_id: str) -> etree._Element:
    found = root.xpath("//t:div[@type='letter'][@xml:id=$id]", namespaces=NS, id=xml_id(doc_id))
    assert len(found) == 1, doc_id
    return found[0]


def corresp_desc(root: etree._Element, doc_id: str) -> etree._Element:
    found = root.xpath("//t:profileDesc/t:correspDesc[@ref=$ref]", namespaces=NS, ref=f"#{xml_id(doc_id)}")
    assert len(found) == 1, doc_id
    return found[0]


def test_registered_as_tei():
    exporter = registry(reload=True).get("tei")
    assert exporter.extension == ".tei.xml"


def test_the_seed_is_valid_tei(tei_all, seed_tei):
    data, _ = seed_tei
    assert_valid(tei_all, data)


@pytest.fixture(scope="module")
def tei_rules():
    """The Schematron rules tei_all embeds (co-occurrence of dating attributes, ...)."""
    pytest.importorskip("saxonche")
    from test_cmif import Schematron
    return Schematron.embedded_in(SCHEMA)


@pytest.mark.parametrize("source", [SEED, *FIXTURE_FILES], ids=lambda f: f.stem)
def test_tei_all_embedded_rules_find_nothing(tei_rules, source, tmp_path):
    data, _ = export(read_edition([source])[0], tmp_path)
    assert tei_rules.check(data) == []
    broken = data.replace(b'<date when="', b'<date notBefore="1900" when="', 1)
    assert [m for _, m in tei_rules.check(broken)] == \
        ["The @when attribute cannot be used with any other att.datable.w3c attributes."]


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda f: f.stem)
def test_every_fixture_is_valid_tei(tei_all, fixture, tmp_path):
    edition, _ = read_edition([fixture])
    data, _ = export(edition, tmp_path)
    root = assert_valid(tei_all, data)
    assert len(root.findall(".//t:div[@type='letter']", NS)) == len(edition.documents)


def test_the_hand_built_edition_is_valid_and_verbatim(tei_all, tei_rules, tmp_path):
    edition = sample_edition()
    data, opts = export(edition, tmp_path)
    root = assert_valid(tei_all, data)
    assert tei_rules.check(data) == []
    telegram = letter(root, "1935-08-14-kaganovich-yezhov-to-stalin")
    # An id that cannot be an xml:id as it is is encoded reversibly; @n is the document's
    # number, as every format prints it ("No. 1").
    assert telegram.get(XML_ID) == "id-1935-08-14-kaganovich-yezhov-to-stalin"
    assert from_xml_id(telegram.get(XML_ID)) == "1935-08-14-kaganovich-yezhov-to-stalin"
    assert [d.get("n") for d in root.iterfind(".//t:div[@type='letter']", NS)] == \
        [str(i) for i in range(1, len(edition.documents) + 1)]
    assert NASTY in [text_of(x) for x in telegram.iterfind("t:p", NS)]
    assert b"&lt;script&gt;" in data and b"]]&gt;" in data  # escaped by lxml, never raw
    quote = telegram.find("t:quote[@type='enclosure']", NS)
    assert quote.find("t:p/t:note[@place='foot']", NS).get("n") == "2"
    assert quote.find("t:p/t:note", NS).text == "A note on the enclosure with <b>markup</b> & [brackets] *stars*."
    russian = letter(root, "1933-08-05-molotov-to-stalin")
    assert "Здравствуйте, товарищ Сталин! Ёлки, щи, «кавычки» — тире" in text_of(russian.find("t:p", NS))
    assert root.find("t:teiHeader//t:sourceDesc//t:bibl[2]/t:idno[@type='file']", NS).text == "1933-08-ru.txt"
    assert opts.warnings == []


def test_control_characters_are_kept_as_c_elements_and_reported(tei_all, tmp_path):
    edition = sample_edition()
    doc = edition.chapters[0].documents[1]
    doc.footnotes[0].text = "Bell \x07 and escape \x1b[31m in a note"
    doc.body[0].content[0].text = "Form feed \x0c here"
    data, opts = export(edition, tmp_path)
    root = assert_valid(tei_all, data)
    assert b'<c type="control" n="U+0007">\xef\xbf\xbd</c>' in data
    read = tei_reader.read(tmp_path / "e.tei.xml")
    got = next(d for d in read if d.id == doc.id)
    assert got.notes == [("1", "Bell \x07 and escape \x1b[31m in a note")]
    assert "Form feed \x0c here" in text_of(letter(root, doc.id).find("t:p", NS))
    assert any(doc.id in w and "control characters" in w for w in opts.warnings)


def test_a_letter_with_every_part(seed_tei, seed_edition):
    _, root = seed_tei
    div = letter(root, "kaganovich-yezhov-to-stalin-1935-08-14")
    assert div.findtext("t:head", namespaces=NS) == "Kaganovich, Yezhov - Stalin August 14, 1935"
    ms = div.find("t:note[@type='archive']/t:msDesc", NS)
    ident = ms.find("t:msIdentifier", NS)
    assert ident.findtext("t:repository", namespaces=NS) == "RGASPI"
    assert [(i.get("type"), i.text) for i in ident.iterfind("t:idno", NS)] == \
        [("fond", "558"), ("opis", "11"), ("delo", "88")]
    assert ms.findtext("t:msContents/t:msItem/t:locus", namespaces=NS) == "9"
    assert ms.findtext("t:physDesc/t:p", namespaces=NS) == "Original. Typescript."
    opener = div.find("t:opener", NS)
    assert opener.findtext("t:seg[@type='transmission']", namespaces=NS) == "Encryption."
    dispatch = opener.find("t:seg[@type='dispatch']", NS)
    assert dispatch.get("subtype") == "from"
    assert text_of(dispatch) == "From Moscow 14/VIII - 35 at 22 o'clock. 57 min. In. No. 2."
    assert dispatch.findtext("t:placeName", namespaces=NS) == "Moscow"
    assert dispatch.find("t:date", NS).get("when") == "1935-08-14"
    assert dispatch.find("t:time", NS).get("when") == "22:57:00"
    assert opener.findtext("t:address/t:addrLine", namespaces=NS) == "Sochi. Tov. Stalin."
    assert div.findtext("t:closer/t:signed", namespaces=NS) == "Kaganovich, Yezhov."
    desc = corresp_desc(root, "kaganovich-yezhov-to-stalin-1935-08-14")
    sent = desc.find("t:correspAction[@type='sent']", NS)
    assert [n.text for n in sent.iterfind("t:persName", NS)] == ["Kaganovich", "Yezhov"]
    assert sent.find("t:date", NS).get("when") == "1935-08-14"
    assert sent.findtext("t:date", namespaces=NS) == "August 14, 1935"
    assert [n.text for n in desc.iterfind("t:correspAction[@type='received']/t:persName", NS)] == ["Stalin"]
    transmitted = desc.find("t:correspAction[@type='transmitted']", NS)
    assert (transmitted.get("subtype"), transmitted.get("n")) == ("from", "2")
    assert transmitted.findtext("t:placeName", namespaces=NS) == "Moscow"
    assert transmitted.find("t:date", NS).get("when") == "1935-08-14T22:57:00"


def test_notes_stand_at_their_markers_and_secretary_lines_keep_their_fields(seed_tei):
    _, root = seed_tei
    div = letter(root, "stalin-to-kaganovich-yezhov-1935-08-15")
    body_note = div.find("t:p/t:note[@place='foot']", NS)
    assert body_note.get("n") == "1"
    assert body_note.text.startswith("On August 16, 1935, the PB approved V.G. Knorin as deputy head")
    assert without_footnotes(div.find("t:p", NS)).endswith("of the Central Committee of his choice.")
    assert body_note.getparent().text.endswith("his choice")  # the marker right after "choice"
    secretary = div.findall("t:note[@type='secretary']", NS)
    assert [s.get("hand") for s in secretary] == ["#secretary"] * 3
    assert secretary[0].find("t:date", NS).get("when") == "1935-08-15"
    assert secretary[1].find("t:time", NS).get("when") == "12:15:00"
    assert secretary[2].findtext("t:num", namespaces=NS) == "1"
    assert secretary[2].find("t:note[@place='foot']", NS).get("n") == "2"
    assert secretary[2].find("t:note", NS).text.startswith("Date, time and number entered by the secretary.")
    assert root.xpath("//t:handNote[@xml:id='secretary']", namespaces=NS)


def test_dates_at_their_precision_with_the_editors_brackets(seed_tei):
    _, root = seed_tei
    later = corresp_desc(root, "stalin-to-kaganovich-1935-08-22").find("t:correspAction[@type='sent']/t:date", NS)
    assert later.text == "[later August 22, 1935]"
    assert dict(later.attrib) == {"notBefore": "1935-08-22", "type": "later", "evidence": "conjecture"}
    bracketed = corresp_desc(root, "kaganovich-to-stalin-1935-08-16").find(".//t:date", NS)
    assert dict(bracketed.attrib) == {"when": "1935-08-16", "evidence": "conjecture"}


def test_month_precision_and_not_earlier_than(tei_all, tmp_path):
    edition, _ = read_edition([FIXTURES / "messy-1932-10.txt"])
    data, _ = export(edition, tmp_path)
    root = etree.fromstring(data)
    month = corresp_desc(root, "stalin-to-kaganovich-1932-10").find(".//t:date", NS)
    assert month.get("when") == "1932-10"
    qualified = corresp_desc(root, "molotov-to-stalin-1932-10-20").find(".//t:date", NS)
    assert qualified.get("notBefore") == "1932-10-20" and qualified.get("when") is None


def test_every_part_of_every_letter_is_in_the_tei(seed_tei, seed_edition):
    _, root = seed_tei
    for doc in seed_edition.documents:
        div = letter(root, doc.id)
        written = without_footnotes(div)
        for role, paragraph in doc.iter_parts():
            assert paragraph.text in written, (doc.id, role, paragraph.text)
        enclosures = sum(1 for _, b in doc.iter_blocks() if getattr(b, "type", "") == "enclosure")
        assert len(div.findall(".//t:quote[@type='enclosure']", NS)) == enclosures
        if doc.postscript:
            assert div.find("t:postscript", NS) is not None
        assert len(div.findall(".//t:note[@type='secretary']", NS)) == len(doc.secretary)


@pytest.mark.parametrize("scheme", ["per-document", "continuous"])
def test_note_numbers_are_the_editions(seed_edition, tmp_path, scheme):
    data, _ = export(seed_edition, tmp_path, notes=scheme)
    root = etree.fromstring(data)
    reference = edition_to_json(seed_edition, ExportOptions(notes=scheme))
    for doc in reference["documents"]:
        notes = letter(root, doc["id"]).iterfind(".//t:note[@place='foot']", NS)
        assert [(n.get("n"), " ".join(text_of(n).split())) for n in notes] == \
            [(f["label"], " ".join(f["text"].split())) for f in doc["footnotes"]]
    intro = root.find("t:text/t:body/t:div[@type='chapter']/t:p", NS)
    assert [n.get("n") for n in intro.iterfind("t:note", NS)] == \
        [f["label"] for f in reference["chapters"][0]["notes"]]
    if scheme == "continuous":
        labels = [int(n.get("n")) for n in root.iterfind(".//t:note[@place='foot']", NS)]
        assert labels == list(range(1, len(labels) + 1))


def test_a_note_of_two_paragraphs(tei_all, tmp_path):
    doc = Document(id="d", heading="Stalin to Kaganovich August 19, 1935", body=[p("First", 1, ".")],
                   footnotes=[Footnote(number=1, text="One.\nThe telegram read: \"Agree.\"")])
    edition = Edition(title="T", chapters=[Chapter(title="C", documents=[doc])])
    data, _ = export(edition, tmp_path)
    root = assert_valid(tei_all, data)
    note = root.find(".//t:note[@place='foot']", NS)
    assert [x.text for x in note.iterfind("t:p", NS)] == ["One.", 'The telegram read: "Agree."']
    chapter, letter_notes = tei_reader.read(tmp_path / "e.tei.xml")
    assert letter_notes.notes == [("1", 'One. The telegram read: "Agree."')] and chapter.heading == "C"


def test_nominative_names_keep_the_printed_form(tei_all, tmp_path):
    doc = Document(id="molotov-to-stalinu", heading="Молотов — Сталину 5 августа 1933 г.",
                   senders=[Person(name="Молотов")], recipients=[Person(name="Сталину")])
    if "nominative" in Person.model_fields:
        doc.recipients[0] = Person(name="Сталину", nominative="Сталин")
    edition = Edition(title="T", language="ru", chapters=[Chapter(title="C", documents=[doc])])
    data, _ = export(edition, tmp_path)
    root = assert_valid(tei_all, data)
    received = corresp_desc(root, doc.id).find("t:correspAction[@type='received']/t:persName", NS)
    if "nominative" in Person.model_fields:
        assert received.findtext("t:choice/t:reg", namespaces=NS) == "Сталин"
        assert received.findtext("t:choice/t:orig", namespaces=NS) == "Сталину"
    else:
        assert received.text == "Сталину"


def test_builds_are_byte_identical_and_dated_by_source_date_epoch(seed_edition, tmp_path):
    a, _ = export(seed_edition, tmp_path)
    b, _ = export(seed_edition, tmp_path)
    assert a == b
    c, _ = export(seed_edition, tmp_path, source_date_epoch=1000000000)
    assert etree.fromstring(c).find(".//t:publicationStmt/t:date", NS).get("when") == "2001-09-09"
    assert etree.fromstring(a).find(".//t:publicationStmt/t:date", NS).get("when") == "2026-01-01"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("verify-tei")
    result = build([SEED], out, formats=["json", "tei"], jobs=1)
    return out, result.edition


def test_verify_reads_the_tei_back(built):
    out, _ = built
    problems, checked = verify_dir(out)
    assert problems == []
    assert out / "1935-08.tei.xml" in checked


def test_verify_catches_a_changed_tei_note(built, tmp_path):
    out, edition = built
    work = tmp_path / "out"
    shutil.copytree(out, work)
    forged = edition.model_copy(deep=True)
    doc = next(d for d in forged.documents if len(d.footnotes) >= 2)
    doc.footnotes[1].text = "A forged note text that is not in the JSON edition at all."
    export_one(forged, "tei", work, SEED.stem, ExportOptions())
    problems, _ = verify_dir(work)
    assert problems
    assert all(p.startswith(f"{work / SEED.stem}.tei.xml: {doc.id}: note 2: text differs") for p in problems)


def test_verify_catches_a_renumbered_or_orphaned_letter(built, tmp_path):
    out, edition = built
    data = (out / "1935-08.tei.xml").read_bytes()
    work = tmp_path / "o"
    work.mkdir()
    shutil.copy(out / "1935-08.json", work)
    (work / "1935-08.tei.xml").write_bytes(data.replace(b'place="foot" n="2"', b'place="foot" n="7"', 1))
    problems, _ = verify_dir(work)
    assert any("note 2: numbered '7'" in p for p in problems)
    first = edition.documents[0].id
    (work / "1935-08.tei.xml").write_bytes(data.replace(f'ref="#{first}"'.encode(), b'ref="#nowhere"', 1))
    problems, _ = verify_dir(work)
    assert any(f"{first}: note ?: extra note" in p for p in problems)


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_source())
def test_fuzzed_sources_give_valid_tei_that_verifies(tei_all, data):
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "fuzz.txt"
        src.write_bytes(data)
        out = Path(tmp) / "out"
        try:
            build([src], out, formats=["json", "tei"], jobs=1)
        except CorrespError as exc:
            assert "fuzz.txt" in str(exc)
            return
        assert_valid(tei_all, out / "fuzz.tei.xml")
        problems, _ = verify_dir(out)
        assert problems == []
        edition = read_edition([src])[0]
        assert source_free(edition_from_tei(out / "fuzz.tei.xml")) == source_free(edition)


def test_a_secretary_line_with_a_date_and_a_number_marks_each_where_it_stands(tei_all, tmp_path):
    from corresp.model import SecretaryAnnotation, Text
    line = SecretaryAnnotation(content=[Text(text="15/VIII - 35. No. 1")], number="1", date="15/VIII - 35")
    doc = Document(id="d", heading="Stalin to Kaganovich August 15, 1935", body=[p("Agree.")],
                   secretary=[line], date=None)
    edition = Edition(title="T", chapters=[Chapter(title="C", documents=[doc])])
    data, _ = export(edition, tmp_path)
    note = assert_valid(tei_all, data).find(".//t:note[@type='secretary']", NS)
    assert etree.tostring(note, encoding="unicode", with_tail=False).split(">", 1)[1] == \
        '<date when="1935-08-15">15/VIII - 35</date>. No. <num type="entry">1</num></note>'


# --- reading the TEI back as a source ---------------------------------------------------

def source_free(edition: Edition) -> dict:
    """The edition without what describes the plain-text source rather than the edition
    (line numbers, debris, the numbers notes and documents had in the source): what the TEI
    carries."""
    def scrub(x):
        if isinstance(x, dict):
            return {k: (None if k in ("line", "archive_line", "printed_number") else scrub(v))
                    for k, v in x.items() if k not in ("debris", "source_number")}
        if isinstance(x, list):
            return [scrub(v) for v in x]
        return x
    return scrub(edition.model_dump(mode="json"))


@pytest.mark.parametrize("source", [SEED, *FIXTURE_FILES], ids=lambda f: f.stem)
def test_the_tei_reads_back_as_the_same_edition(source, tmp_path):
    edition, _ = read_edition([source])
    data, _ = export(edition, tmp_path)
    again = edition_from_tei(data)
    assert source_free(again) == source_free(edition)
    assert again.chapters[0].source == source.name


def test_an_epub_made_from_the_tei_is_the_epub_made_from_the_text(seed_edition, seed_tei, tmp_path):
    from corresp.exporters.epub import EpubExporter
    EpubExporter().export(seed_edition, tmp_path / "text.epub", ExportOptions())
    EpubExporter().export(edition_from_tei(seed_tei[0]), tmp_path / "tei.epub", ExportOptions())
    assert (tmp_path / "text.epub").read_bytes() == (tmp_path / "tei.epub").read_bytes()


def test_the_hand_built_edition_reads_back_with_control_characters_and_a_letter_without_text(tei_all, tmp_path):
    edition = sample_edition()
    edition.chapters[0].documents[1].footnotes[0].text = "Bell \x07 in a note"
    edition.chapters[1].documents.append(Document(id="signed-only", heading="Stalin to Molotov",
                                                  signature=p("Stalin."), senders=[Person(name="Stalin")]))
    edition = Edition.model_validate(edition.model_dump())
    data, _ = export(edition, tmp_path)
    root = assert_valid(tei_all, data)
    assert letter(root, "signed-only").find("t:ab[@type='no-text']", NS) is not None
    again = edition_from_tei(data)
    for person in (x for d in edition.documents for x in (*d.senders, *d.recipients)):
        if "nominative" in Person.model_fields and person.nominative is None:
            person.nominative = person.name  # the TEI names everyone in the nominative
    for doc in edition.documents:  # and gives each archive reference its line
        doc.archive_text = doc.archive_text or ("; ".join(r.text for r in doc.archive) or None)
    edition.chapters[0].documents[0].archive_text = "Archive: as printed, not as parsed"
    data, _ = export(edition, tmp_path)
    again = edition_from_tei(data)
    assert source_free(again) == source_free(edition)


@pytest.mark.parametrize("data, message", [
    (b"<TEI", "not well-formed XML"),
    (b"<html/>", "not a TEI document"),
    (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>', "not a TEI edition corresp can read"),
])
def test_a_file_that_is_not_a_corresp_tei_is_an_input_error(tmp_path, data, message):
    from corresp.errors import InputError
    path = tmp_path / "bad.tei.xml"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as caught:
        edition_from_tei(path)
    assert caught.value.exit_code == 2 and str(caught.value).startswith(str(path))


def test_verify_reads_the_chapters_of_the_tei(tmp_path):
    edition = sample_edition()
    for fmt in ("json", "tei"):
        export_one(edition, fmt, tmp_path, "s", ExportOptions())
    assert verify_dir(tmp_path)[0] == []
    forged = edition.model_copy(deep=True)
    forged.chapters[0].notes[0].text = "A forged intro note."
    forged.chapters[1].title = "A forged chapter title"
    export_one(forged, "tei", tmp_path, "s", ExportOptions())
    problems, _ = verify_dir(tmp_path)
    assert any(p.startswith(f"{tmp_path / 's.tei.xml'}: chapter-1-intro: note 1: text differs") for p in problems)
    # A retitled chapter without notes reads as no chapter at all (see verify.compare).
    assert any("5 documents in 1 chapter, the JSON edition has 5 documents in 2 chapters" in p for p in problems)


def test_xml_ids_decode_to_the_ids_they_encode():
    for value in ("1935-08-14-a", "id-x_41_", "a b/c", "ok_id", "Ωmega", "id-"):
        assert from_xml_id(xml_id(value)) == value
