"""The `docx` reader: a DOCX corresp wrote reads back as the same edition (also after
LibreOffice saved it again); an editor's changes in Word are read as the model changes they
are; tracked changes, comments, manuscripts and bad files are handled as the README says."""
from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree

from corresp.cli import main
from corresp.errors import InputError
from corresp.exporters import ExportOptions
from corresp.exporters.docx import DocxExporter
from corresp.model import Document, Edition, Footnote, NoteRef, Paragraph, Text
from corresp.readers.text.parser import read_edition
from corresp.readers import registry
from corresp.readers.docx import read_docx
from corresp.readers.docx import package as docx_package

from conftest import FIXTURES, SEED
from docx_edits import (NS, W, find, footnote, manuscript, note_reference, paragraph, paragraphs, rewrite, run,
                        set_style, set_text, style_of, text_of)

CORPUS = Path(__file__).resolve().parent / "corpus"
SOURCES = {"seed": [SEED], **{f.stem: [f] for f in sorted(FIXTURES.glob("*.txt"))},
           "russian-volume": sorted(CORPUS.glob("ru-0[1-5].txt")),
           "russian-books": [CORPUS / "ru-book-01.txt", CORPUS / "ru-sel-01.txt"]}


def source_free(edition: Edition) -> dict:
    """What a DOCX carries: the edition without what describes the plain-text source (line
    numbers, debris, the numbers notes and documents had there and whether note markers were
    inferred, the web page's requisites table, the source file's name)."""
    def scrub(x):
        if isinstance(x, dict):
            return {k: (None if k in ("line", "archive_line", "printed_number", "source", "marker", "requisites")
                        else scrub(v)) for k, v in x.items() if k not in ("debris", "source_number")}
        if isinstance(x, list):
            return [scrub(v) for v in x]
        return x
    return scrub(edition.model_dump(mode="json"))


@pytest.fixture(scope="session")
def written(tmp_path_factory) -> dict[str, tuple[Edition, Path]]:
    out = tmp_path_factory.mktemp("docx-written")
    found = {}
    for name, files in SOURCES.items():
        edition, _ = read_edition(files)
        path = out / f"{name}.docx"
        DocxExporter().export(edition, path, ExportOptions(notes="continuous" if name == "russian-volume"
                                                           else "per-document"))
        found[name] = (edition, path)
    return found


@pytest.fixture(scope="session")
def resaved(written, tmp_path_factory) -> dict[str, Path]:
    """Every written DOCX saved again by LibreOffice, in one run (its own profile)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed: the re-saved round trip is not checked")
    out = tmp_path_factory.mktemp("docx-resaved")
    profile = tmp_path_factory.mktemp("lo-profile-docxin")
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "docx",
                    "--outdir", str(out), *[str(p) for _, p in written.values()]],
                   check=True, capture_output=True, timeout=300)
    return {name: out / path.name for name, (_, path) in written.items()}


# --- round trips -------------------------------------------------------------------------

def test_registered_and_chosen_by_content(written, tmp_path):
    reg = registry(reload=True)
    assert "docx" in reg.readers
    renamed = tmp_path / "edition.bin"  # a zip with word/document.xml, whatever its name
    shutil.copy(written["seed"][1], renamed)
    assert reg.for_file(renamed).name == "docx"


@pytest.mark.parametrize("name", list(SOURCES))
def test_a_written_docx_reads_back_as_the_same_edition(written, name):
    edition, path = written[name]
    again, _ = read_docx(path)
    assert source_free(again) == source_free(edition)
    assert [n.text for d in again.documents for n in d.footnotes] == \
        [n.text for d in edition.documents for n in d.footnotes]


@pytest.mark.parametrize("name", list(SOURCES))
def test_the_same_after_libreoffice_saved_it_again(written, resaved, name):
    edition, _ = written[name]
    with zipfile.ZipFile(resaved[name]) as z:  # LibreOffice's own XML: other style ids
        styles = z.read("word/styles.xml")
    assert b'w:styleId="TextBody"' in styles or b'w:styleId="BodyText"' not in styles
    again, _ = read_docx(resaved[name])
    assert source_free(again) == source_free(edition)


def test_runs_split_mid_word_smart_tags_hyperlinks_fields_bookmarks_and_controls_read_the_same(written, tmp_path):
    edition, path = written["seed"]

    def scatter(doc):
        body = find(doc, "BodyText", "We talked to Pyatnitsky")
        text = text_of(body)
        for r in body.findall("w:r", NS):
            body.remove(r)
        a, b, c, d, e = text[:5], text[5:9], text[9:20], text[20:30], text[30:]
        body.append(run(a))  # an rsid split in mid-word
        tag = etree.SubElement(body, W + "smartTag")
        tag.append(run(b))
        link = etree.SubElement(body, W + "hyperlink")
        link.append(run(c))
        etree.SubElement(body, W + "bookmarkStart").set(W + "name", "_GoBack")
        field = etree.SubElement(body, W + "r")
        etree.SubElement(field, W + "fldChar").set(W + "fldCharType", "begin")
        etree.SubElement(field, W + "instrText").text = " QUOTE x "
        etree.SubElement(field, W + "fldChar").set(W + "fldCharType", "separate")
        body.append(run(d))
        end = etree.SubElement(body, W + "r")
        etree.SubElement(end, W + "fldChar").set(W + "fldCharType", "end")
        sdt = etree.SubElement(body, W + "sdt")
        etree.SubElement(etree.SubElement(sdt, W + "sdtPr"), W + "alias").set(W + "val", "control")
        etree.SubElement(sdt, W + "sdtContent").append(run(e))

    again, _ = read_docx(rewrite(path, tmp_path / "scattered.docx", {"word/document.xml": scatter}))
    assert source_free(again) == source_free(edition)


# --- an editor's changes -----------------------------------------------------------------

def renumbered(doc: Document) -> Document:
    """The document with its notes numbered 1..n in marker order (as the reader numbers them)."""
    order = doc.noteref_order()
    new = {old: k for k, old in enumerate(order, start=1)}
    data = doc.model_dump()

    def walk(x):
        if isinstance(x, dict):
            if x.get("type") == "noteref":
                return {**x, "number": new[x["number"]]}
            return {k: walk(v) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x
    data = walk({k: v for k, v in data.items() if k != "footnotes"})
    texts = {n.number: n.text for n in doc.footnotes}
    data["footnotes"] = [{"number": new[o], "text": texts[o]} for o in order]
    return Document.model_validate(data)


def edited(written, tmp_path, document=None, footnotes=None) -> Edition:
    _, path = written["seed"]
    edits = {}
    if document:
        edits["word/document.xml"] = document
    if footnotes:
        edits["word/footnotes.xml"] = footnotes
    edition, _ = read_docx(rewrite(path, tmp_path / "edited.docx", edits))
    return edition


@pytest.fixture(scope="module")
def seed_read(written) -> Edition:
    return read_docx(written["seed"][1])[0]


def docs_by_id(edition: Edition) -> dict[str, Document]:
    return {d.id: d for d in edition.documents}


def changed_ids(before: Edition, after: Edition) -> set[str]:
    a, b = docs_by_id(before), docs_by_id(after)
    return {i for i in a.keys() | b.keys() if a.get(i) != b.get(i)}


def test_a_fixed_word(written, seed_read, tmp_path):
    after = edited(written, tmp_path, lambda d: set_text(find(d, "BodyText", "appoint Kiorin"),
                                                          text_of(find(d, "BodyText", "appoint Kiorin"))
                                                          .replace("Kiorin", "Knorin")))
    first = seed_read.documents[0].id
    assert changed_ids(seed_read, after) == {first}
    assert "appoint Knorin as" in after.documents[0].body[0].text


def test_a_changed_heading_changes_parties_and_date_not_the_id(written, seed_read, tmp_path):
    def edit(d):
        p = find(d, "DocumentHeading", "Stalin to Kaganovich, Yezhov August 15, 1935")
        set_text(p, "2. Stalin to Kaganovich August 16, 1935")
    after = edited(written, tmp_path, edit)
    doc = after.documents[1]
    assert doc.id == seed_read.documents[1].id  # the bookmark on the heading keeps it
    assert doc.heading == "Stalin to Kaganovich August 16, 1935"
    assert [p.name for p in doc.recipients] == ["Kaganovich"] and doc.date.iso == "1935-08-16"
    assert changed_ids(seed_read, after) == {doc.id}


def test_a_body_paragraph_made_a_postscript(written, seed_read, tmp_path):
    target = next(d for d in seed_read.documents if d.signature and len(d.body) > 1 and not d.postscript)
    last = target.body[-1]
    after = edited(written, tmp_path, lambda d: set_style(find(d, "BodyText", last.text[:40]), "Postscript"))
    doc = docs_by_id(after)[target.id]
    assert doc.body == target.body[:-1] and doc.postscript == [last]
    assert changed_ids(seed_read, after) == {target.id}


def test_a_footnote_added_deleted_and_moved(written, seed_read, tmp_path):
    target = next(d for d in seed_read.documents if len(d.footnotes) >= 2)
    paras = [p for _, p in target.iter_parts() if p.text]
    first_noted = next(p for p in paras if p.noterefs())

    # Added, in Word's usual way: a reference with Word's own number, a new w:footnote.
    def add(d):
        p = find(d, "DocumentHeading", target.heading)
        body = p.getnext()
        while not text_of(body).startswith(paras[0].text[:30]):
            body = body.getnext()
        body.insert(len(body), note_reference("9001"))
    after = edited(written, tmp_path, add, lambda f: f.append(footnote("9001", "A note the editor added.")))
    doc = docs_by_id(after)[target.id]
    expected = target.model_copy(deep=True)
    expected.footnotes.append(Footnote(number=999, text="A note the editor added."))
    added_to = next(p for _, p in expected.iter_parts() if p.text == paras[0].text)
    added_to.content.append(NoteRef(number=999))
    assert doc == renumbered(expected)
    assert changed_ids(seed_read, after) == {target.id}

    # Deleted: the reference (and Word removes the note).
    def delete(d):
        ref = next(r for r in d.iter(W + "footnoteReference")
                   if text_of(r.getparent().getparent()).startswith(first_noted.text[:20]))
        ref.getparent().getparent().remove(ref.getparent())
    after = edited(written, tmp_path, delete)
    doc = docs_by_id(after)[target.id]
    assert len(doc.footnotes) == len(target.footnotes) - 1
    gone = first_noted.noterefs()[0]
    assert [n.text for n in doc.footnotes] == [n.text for n in target.footnotes if n.number != gone]

    # Moved: the reference cut from its paragraph and pasted at the end of the letter's last one.
    def move(d):
        ref = next(r for r in d.iter(W + "footnoteReference")
                   if text_of(r.getparent().getparent()).startswith(first_noted.text[:20]))
        r = ref.getparent()
        heading = find(d, "DocumentHeading", target.heading)
        last = heading
        nxt = heading.getnext()
        while nxt is not None and style_of(nxt) not in ("DocumentHeading", "Heading1"):
            if text_of(nxt).strip():
                last = nxt
            nxt = nxt.getnext()
        r.getparent().remove(r)
        last.append(r)
    after = edited(written, tmp_path, move)
    doc = docs_by_id(after)[target.id]
    assert doc.noteref_order() == list(range(1, len(target.footnotes) + 1))
    assert doc.footnotes[-1].text == target.footnotes[gone - 1].text  # numbers follow the markers
    last_part = list(doc.iter_parts())[-1][1]
    assert last_part.noterefs() and last_part.noterefs()[-1] == len(doc.footnotes)


def test_letters_split_joined_and_added(written, seed_read, tmp_path):
    docs = seed_read.documents
    long = next(d for d in docs if len(d.body) >= 3 and not d.footnotes and d is not docs[-1])
    joined = docs[docs.index(long) + 2]  # the letter whose heading the editor removes

    def edit(d):
        # Split: the letter's second body paragraph becomes a new letter's heading.
        p = find(d, "BodyText", long.body[1].text[:40])
        set_style(p, "DocumentHeading")
        set_text(p, "Stalin to Molotov August 30, 1935")
        # Join: a heading and its archive line removed.
        h = find(d, "DocumentHeading", joined.heading)
        archive = h.getnext()
        for x in (h, archive):
            x.getparent().remove(x)
        # Added: a letter at the end of the chapter, with a footnote.
        last_heading = [q for q in paragraphs(d) if style_of(q) == "DocumentHeading"][-1]
        anchor = last_heading
        while anchor.getnext() is not None and style_of(anchor.getnext()) not in ("Heading1",) \
                and anchor.getnext().tag == W + "p":
            anchor = anchor.getnext()
        new = [paragraph("DocumentHeading", "Kaganovich to Stalin September 1, 1935"),
               paragraph("ArchiveLine", "RGASPI F. 558. Op. 11. D. 743. L. 99. Autograph."),
               paragraph("BodyText", "A letter the editor found.", note_reference("9100")),
               paragraph("Signature", "Kaganovich.")]
        for q in reversed(new):
            anchor.addnext(q)
    after = edited(written, tmp_path, edit, lambda f: f.append(footnote("9100", "Found in the archive.")))
    ids = [d.id for d in after.documents]
    # split
    k = ids.index(long.id)
    assert after.documents[k].body == long.body[:1] and after.documents[k].signature is None
    split = after.documents[k + 1]
    assert split.id == "stalin-to-molotov-1935-08-30" and split.body == long.body[2:]
    assert split.signature == long.signature and split.archive == []
    # joined: gone, its parts at the end of the letter before it
    assert joined.id not in ids
    before = next(d for d in after.documents if d.id == docs[docs.index(joined) - 1].id)
    assert [p.text for p in before.body][-len(joined.body):] == [b.text for b in joined.body] or joined.body == []
    # added
    new = after.documents[-1]
    assert new.id == "kaganovich-to-stalin-1935-09-01" and new.date.iso == "1935-09-01"
    assert new.archive[0].delo == "743" and new.footnotes == [Footnote(number=1, text="Found in the archive.")]
    assert len(after.documents) == len(docs) + 1 - 1 + 1


def test_an_edited_docx_builds_every_format_and_verifies(written, tmp_path):
    _, path = written["seed"]

    def edit(d):  # one of each kind of edit
        p = find(d, "BodyText", "appoint Kiorin")
        set_text(p, text_of(p).replace("Kiorin", "Knorin"))  # a word
        set_text(find(d, "DocumentHeading", "Stalin to Kaganovich, Yezhov August 15"),
                 "2. Stalin to Kaganovich August 16, 1935")  # a heading
        set_style(find(d, "BodyText", "We ask for instructions"), "Postscript")  # a style
        find(d, "BodyText", "Knorin can be Stetsky").insert(1, note_reference("9200"))  # a note added
        refs = list(d.iter(W + "footnoteReference"))
        refs[3].getparent().getparent().remove(refs[3].getparent())  # a note deleted
        moved = refs[5].getparent()
        target = moved.getparent().getprevious()
        moved.getparent().remove(moved)
        target.append(moved)  # a note moved to the paragraph before
        headings = [q for q in paragraphs(d) if style_of(q) == "DocumentHeading"]
        for x in (headings[5], headings[5].getnext()):  # two letters joined
            x.getparent().remove(x)
        body = next(q for q in paragraphs(d)[paragraphs(d).index(headings[9]):] if style_of(q) == "BodyText"
                    and q.find(".//w:footnoteReference", NS) is None)
        set_style(body, "DocumentHeading")  # a letter split
        set_text(body, "Stalin to Molotov August 30, 1935")
        headings[-1].addprevious(paragraph("DocumentHeading", "Kaganovich to Stalin September 1, 1935"))
        headings[-1].addprevious(paragraph("BodyText", "A letter the editor found."))  # a letter added
    src = rewrite(path, tmp_path / "1935-08.docx", {"word/document.xml": edit,
                                                  "word/footnotes.xml": lambda f: f.append(footnote("9200", "New."))})
    edition, _ = read_docx(src)
    assert len(edition.documents) == len(written["seed"][0].documents) - 1 + 1 + 1
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(src), "-o", str(out), "-f", "json", "-f", "epub", "-f", "docx",
                                       "-f", "tei", "-f", "pdf", "--verify", "-q"])
    assert result.exit_code == 0, result.output
    again, _ = read_docx(out / "1935-08.docx")
    assert any(n.text == "New." for n in again.documents[1].footnotes)


# --- tracked changes and comments --------------------------------------------------------

def _tracked(d):
    p = find(d, "BodyText", "We ask for instructions")
    ins = etree.SubElement(p, W + "ins")
    ins.set(W + "author", "A. Editor")
    ins.append(run(" Urgent."))
    dele = etree.Element(W + "del")
    dele.set(W + "author", "B. Reader")
    r = etree.SubElement(dele, W + "r")
    etree.SubElement(r, W + "delText").text = "Obsolete words. "
    first = p.find("w:r", NS)
    first.addprevious(dele)


def test_tracked_changes_are_refused_with_a_list_or_accepted(written, tmp_path):
    src = rewrite(written["seed"][1], tmp_path / "tracked.docx", {"word/document.xml": _tracked})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(src), "-o", str(out), "-f", "json"])
    assert result.exit_code == 2
    message = result.output.strip()
    assert message.count("\n") == 0 and str(src) in message
    assert "2 tracked changes (paragraph " in message and 'by "' in message and "accept or reject them first" in message
    assert not out.exists()
    result = CliRunner().invoke(main, ["build", str(src), "-o", str(out), "-f", "json", "--accept-changes"])
    assert result.exit_code == 0, result.output
    edition, _ = read_docx(src, accept_changes=True)
    text = edition.documents[0].body[-1].text
    assert text == "We ask for instructions. HP 2. Urgent."  # inserted kept, deleted gone


def test_comments_are_review_items_with_the_commented_text(written, tmp_path):
    comments = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="'
                + W[1:-1].encode() + b'"><w:comment w:id="5" w:author="A. Editor"><w:p><w:r><w:t>'
                b'Check this name against the archive.</w:t></w:r></w:p></w:comment></w:comments>')

    def comment(d):
        p = find(d, "BodyText", "Knorin can be Stetsky")
        p.insert(1, etree.Element(W + "commentRangeStart", {W + "id": "5"}))
        p.insert(3, etree.Element(W + "commentRangeEnd", {W + "id": "5"}))
    src = rewrite(written["seed"][1], tmp_path / "commented.docx", {"word/document.xml": comment},
                  add={"word/comments.xml": comments})
    result = CliRunner().invoke(main, ["check", str(src), "--review"])
    assert result.exit_code == 0, result.output
    line = next(l for l in result.output.splitlines() if "docx-comment" in l)
    assert 'comment by "A. Editor" on "Knorin can be Stetsky' in line
    assert line.endswith("Check this name against the archive.")


# --- a Word manuscript -------------------------------------------------------------------

def fields(edition: Edition) -> list:
    return [(d.id, d.heading, [p.name for p in d.senders], [p.name for p in d.recipients],
             d.date.iso if d.date else None, d.archive_text,
             [(role, p.model_dump(exclude={"line"})) for role, p in d.iter_parts()], [n.text for n in d.footnotes])
            for d in edition.documents]


@pytest.mark.parametrize("source", [FIXTURES / "messy-1932-10.txt", FIXTURES / "ru-1933-08.txt", SEED],
                         ids=lambda p: p.stem)
def test_a_manuscript_reads_as_its_text_version(source, tmp_path):
    edition, _ = read_edition([source])
    path = manuscript(edition, tmp_path / f"{source.stem}-manuscript.docx", heading2=2)
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml")
    assert body.count(b"Heading2") == 1 and b"footnoteReference" in body  # Normal paragraphs, real notes
    again, diagnostics = read_docx(path)
    assert fields(again) == fields(edition)
    assert all(n.marker == "explicit" for d in again.documents for n in d.footnotes)  # no marker guessed
    assert not any(d.code.startswith("marker-") for d in diagnostics)


# --- bad input ---------------------------------------------------------------------------

def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


BAD = {
    "not-a-zip": (lambda parts: None, "not a zip file"),
    "missing-part": (lambda parts: parts.pop("word/document.xml"), "word/document.xml is missing"),
    "xxe": (lambda parts: parts.__setitem__("word/footnotes.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e '
                                            b'SYSTEM "file:///etc/passwd">]><w:footnotes xmlns:w="' + W[1:-1].encode()
                                            + b'">&e;</w:footnotes>'), "entity"),
    "macro": (lambda parts: parts.__setitem__("word/vbaProject.bin", b"\0" * 10), "macro-enabled"),
    "macro-type": (lambda parts: parts.__setitem__("[Content_Types].xml", parts["[Content_Types].xml"].replace(
        b"document.main+xml", b"document.macroEnabled.main+xml")), "macro-enabled"),
    "orphan-reference": (lambda parts: parts.__setitem__("word/footnotes.xml", parts["word/footnotes.xml"].replace(
        b'w:id="11"', b'w:id="99911"')), "paragraph "),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_are_one_line_errors_and_nothing_is_written(written, tmp_path, case):
    make, message = BAD[case]
    path = tmp_path / f"{case}.docx"
    if case == "not-a-zip":
        path.write_bytes(b"This is plain text pretending to be a Word file.\n")
    else:
        parts = _parts_of(written["seed"][1])
        make(parts)
        _zip(path, parts)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and str(path) in result.output and message in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_a_zip_bomb_is_refused(written, tmp_path, monkeypatch):
    monkeypatch.setattr(docx_package, "MAX_INFLATED", 1 << 20)
    parts = _parts_of(written["seed"][1])
    parts["word/document.xml"] = parts["word/document.xml"] + b" " * (2 << 20)  # 2 MB that deflate to kilobytes
    path = _zip(tmp_path / "bomb.docx", parts)
    with pytest.raises(InputError, match="zip bomb"):
        read_docx(path)


# --- corresp diff ------------------------------------------------------------------------

def test_diff_lists_an_editors_changes(written, tmp_path):
    _, path = written["seed"]

    def edit(d):
        set_text(find(d, "BodyText", "appoint Kiorin"), "A corrected paragraph.")
        h = find(d, "DocumentHeading", "Stalin to Kaganovich, Yezhov August 15, 1935")
        for x in (h, h.getnext()):
            x.getparent().remove(x)
    new = rewrite(path, tmp_path / "new.docx", {"word/document.xml": edit})
    result = CliRunner().invoke(main, ["diff", str(SEED), str(new)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(l.startswith("- stalin-to-kaganovich-yezhov-1935-08-15: letter") for l in lines)
    assert any(l[:2] in ("~ ", "+ ") and l[2:].startswith("kaganovich-yezhov-to-stalin-1935-08-14: part")
               and "A corrected paragraph." in l for l in lines)
    assert any(l.startswith("- kaganovich-yezhov-to-stalin-1935-08-14: part") and "appoint Kiorin" in l for l in lines)
    same = CliRunner().invoke(main, ["diff", str(SEED), str(path)])
    assert same.exit_code == 0 and "the same" in same.output


# --- fuzzing -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_parts(written) -> dict[str, bytes]:
    return _parts_of(written["superscripts-1934-05"][1])


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_docx_files_give_an_edition_or_an_input_error(small_parts, tmp_path_factory, data):
    parts = dict(small_parts)
    name = data.draw(st.sampled_from(["word/document.xml", "word/footnotes.xml", "word/styles.xml",
                                      "[Content_Types].xml"]))
    blob = bytearray(parts[name])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, max(0, len(blob) - 1)))
        how = data.draw(st.sampled_from(["flip", "cut", "dup", "tag"]))
        if how == "flip":
            blob[at] = data.draw(st.integers(0, 255))
        elif how == "cut":
            del blob[at:at + data.draw(st.integers(1, 200))]
        elif how == "dup":
            blob[at:at] = blob[at:at + data.draw(st.integers(1, 200))]
        else:
            blob[at:at] = data.draw(st.sampled_from([b"<w:footnoteReference w:id=\"7\"/>", b"</w:p><w:p>",
                                                     b"<w:pStyle w:val=\"DocumentHeading\"/>", b"<w:del>",
                                                     b"<w:r><w:t>x</w:t></w:r>", b"&amp;", b"<w:ins>"]))
    parts[name] = bytes(blob)
    path = _zip(tmp_path_factory.mktemp("fuzz") / "mutated.docx", parts)
    try:
        read_docx(path)
    except InputError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)


def test_title_subtitle_and_editors_come_back_translators_do_not_become_editors(written, tmp_path):
    from corresp.model import Publication
    edition = written["seed"][0].model_copy(update={
        "subtitle": "Letters of August", "editors": ["O. Khlevniuk", "R. W. Davies"],
        "publication": Publication(translators=["S. Translator"], publisher="A Press", series="A Series")})
    path = tmp_path / "credits.docx"
    DocxExporter().export(edition, path, ExportOptions())
    again, _ = read_docx(path)
    assert (again.title, again.subtitle, again.editors, again.language) == \
        (edition.title, "Letters of August", ["O. Khlevniuk", "R. W. Davies"], "en")
    assert source_free(again)["chapters"] == source_free(edition)["chapters"]  # the title pages left out


def test_a_deleted_paragraph_mark_joins_two_paragraphs_when_changes_are_accepted(written, tmp_path):
    def edit(d):
        p = find(d, "BodyText", "Our opinion - Pyatnitsky")
        ppr = p.find("w:pPr", NS)
        rpr = etree.SubElement(ppr, W + "rPr")
        etree.SubElement(rpr, W + "del").set(W + "author", "A. Editor")
    src = rewrite(written["seed"][1], tmp_path / "joined.docx", {"word/document.xml": edit})
    with pytest.raises(InputError, match=r'1 tracked change \(paragraph \d+: deletion by "A. Editor"\)'):
        read_docx(src)
    edition, _ = read_docx(src, accept_changes=True)
    before = written["seed"][0].documents[0].body
    after = edition.documents[0].body
    assert len(after) == len(before) - 1
    assert after[1].text == before[1].text + before[2].text


def test_a_footnote_without_a_reference_is_reported_not_lost_silently(written, tmp_path):
    src = rewrite(written["seed"][1], tmp_path / "orphan.docx",
                  {"word/footnotes.xml": lambda f: f.append(footnote("9300", "A note nobody points to."))})
    edition, diagnostics = read_docx(src)
    assert source_free(edition) == source_free(written["seed"][0])
    found = [d for d in diagnostics if d.code == "docx-note-unreferenced"]
    assert len(found) == 1 and "A note nobody points to." in found[0].message
    result = CliRunner().invoke(main, ["check", str(src), "--review"])
    assert "docx-note-unreferenced" in result.output


def test_styles_are_matched_by_name_and_by_the_style_they_are_based_on(written, tmp_path):
    """Word in another language saves with other style ids ("a3"); a publisher's own style
    based on Body Text is body text; names match in any case ("heading 1" as Word writes it)."""
    edition, path = written["seed"]
    ids: dict[str, str] = {}

    def styles(root):
        for k, s in enumerate(root.iterfind("w:style", NS)):
            old = s.get(W + "styleId")
            ids[old] = f"s{k}"
            s.set(W + "styleId", ids[old])
            name = s.find("w:name", NS)
            if name is not None and name.get(W + "val") == "Heading 1":
                name.set(W + "val", "heading 1")
        for ref in root.iter(W + "basedOn", W + "next", W + "link"):
            ref.set(W + "val", ids.get(ref.get(W + "val"), ref.get(W + "val")))
        mine = etree.SubElement(root, W + "style", {W + "type": "paragraph", W + "styleId": "LetterBody"})
        etree.SubElement(mine, W + "name").set(W + "val", "Letter Body")
        etree.SubElement(mine, W + "basedOn").set(W + "val", ids["BodyText"])

    def document(root):
        for s in root.iter(W + "pStyle", W + "rStyle"):
            s.set(W + "val", ids.get(s.get(W + "val"), s.get(W + "val")))
        set_style(find(root, ids["BodyText"], "We ask for instructions"), "LetterBody")

    def notes(root):
        for s in root.iter(W + "pStyle", W + "rStyle"):
            s.set(W + "val", ids.get(s.get(W + "val"), s.get(W + "val")))

    # styles.xml first: the ids it gives are used in the others (rewrite goes in zip order,
    # which has styles.xml after document.xml, so the ids are made up front).
    with zipfile.ZipFile(path) as z:
        styles(etree.fromstring(z.read("word/styles.xml")))
    renamed = rewrite(path, tmp_path / "renamed.docx", {"word/styles.xml": styles, "word/document.xml": document,
                                                         "word/footnotes.xml": notes})
    with zipfile.ZipFile(renamed) as z:
        assert b'w:styleId="BodyText"' not in z.read("word/styles.xml")
    again, _ = read_docx(renamed)
    assert source_free(again) == source_free(edition)


def test_a_fifo_named_docx_is_refused_without_blocking(tmp_path):
    import os
    fifo = tmp_path / "edition.docx"
    os.mkfifo(fifo)
    result = CliRunner().invoke(main, ["build", str(fifo), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "FIFO" in result.output and result.output.count("\n") == 1


def test_a_custom_mark_in_a_run_of_its_own_is_not_text(written, tmp_path):
    """Word may keep a custom mark in the run after its reference's, in the same style."""
    edition, path = written["seed"]

    def split(d):
        for ref in list(d.iter(W + "footnoteReference")):
            r = ref.getparent()
            mark = r.find("w:t", NS)
            if mark is None:
                continue
            r.remove(mark)
            new = copy.deepcopy(r)
            for child in list(new):
                if child.tag != W + "rPr":
                    new.remove(child)
            new.append(mark)
            r.addnext(new)
    again, _ = read_docx(rewrite(path, tmp_path / "marks.docx", {"word/document.xml": split}))
    assert source_free(again) == source_free(edition)


def test_a_manuscript_paragraph_styled_as_a_heading_that_is_not_one_is_reported(tmp_path):
    edition, _ = read_edition([FIXTURES / "superscripts-1934-05.txt"])
    doc = edition.chapters[0].documents[0]
    doc.body.insert(0, Paragraph(content=[Text(text="A few words in Heading 2")]))
    path = manuscript(edition, tmp_path / "hint.docx", heading2=0)

    def restyle(d):
        set_style(find(d, None, "A few words in Heading 2"), "Heading2")
    again, diagnostics = read_docx(rewrite(path, tmp_path / "hinted.docx", {"word/document.xml": restyle}))
    hint = [d for d in diagnostics if d.code == "docx-heading-hint"]
    assert len(hint) == 1 and "'A few words in Heading 2'" in hint[0].message and hint[0].line
    assert again.documents[0].body[0].text == "A few words in Heading 2"  # kept as text, no marker guessed
    assert [n.text for n in again.documents[0].footnotes] == [n.text for n in doc.footnotes]
    assert not any(d.code == "marker-without-note" for d in diagnostics)


def test_generated_sections_are_known_by_their_styles_without_their_bookmarks(written, tmp_path):
    edition, path = written["seed"]

    def unmark(d):
        for b in list(d.iter(W + "bookmarkStart")):
            if b.get(W + "name") in ("calendar", "calendar-table", "index"):
                b.getparent().remove(b)
    again, diagnostics = read_docx(rewrite(path, tmp_path / "unmarked.docx", {"word/document.xml": unmark}))
    assert source_free(again) == source_free(edition)
    assert not [d for d in diagnostics if d.code.startswith("docx-")]


def folded(edition: Edition) -> dict:
    """source_free, every string folded as `verify` compares the formats: the differences
    house typography makes (quotes, dashes, non-breaking spaces, ellipses) left out."""
    from corresp.typography import fold

    def walk(x):
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return fold(x) if isinstance(x, str) else x
    return walk(source_free(edition))


@pytest.mark.parametrize("name", ["seed", "messy-1932-10", "ru-1933-08"])
def test_a_docx_in_house_typography_reads_back_as_the_same_letters(name, tmp_path):
    """The build's DOCX prints house typography (closed dashes, curly quotes, no-break
    spaces): ids, parties, dates, parts, notes and marker places come back; the text equals
    the source's through the fold `verify` uses."""
    source = SOURCES[name]
    result = CliRunner().invoke(main, ["build", *map(str, source), "-o", str(tmp_path), "-f", "docx", "-q"])
    assert result.exit_code == 0, result.output
    edition, _ = read_edition(source)
    docx = next(tmp_path.glob("*.docx"))
    with zipfile.ZipFile(docx) as z:
        assert "\u00a0".encode() in z.read("word/document.xml")  # typeset indeed
    again, _ = read_docx(docx)
    assert folded(again) == folded(edition)
    for a, b in zip(edition.documents, again.documents, strict=True):
        assert (b.id, b.senders, b.recipients, b.date.iso if b.date else None) == \
            (a.id, a.senders, a.recipients, a.date.iso if a.date else None)
    result = CliRunner().invoke(main, ["diff", str(source[0]), str(docx)])
    assert result.exit_code == 0, result.output  # diff compares through the fold too


def test_with_the_original_the_source_characters_come_back_where_the_editor_changed_nothing(tmp_path):
    """--original: a typeset DOCX read with the edition it was built from gives that edition
    exactly (every quote and dash as the source has it) but where the editor typed."""
    out = tmp_path / "sent"
    assert CliRunner().invoke(main, ["build", str(SEED), "-o", str(out), "-f", "docx", "-f", "json", "-q"]).exit_code == 0
    edition, _ = read_edition([SEED])

    def edit(d):
        p = find(d, "BodyText", "appoint Kiorin")
        set_text(p, text_of(p).replace("Kiorin", "Knorin"))
        set_style(find(d, "BodyText", "We ask for instructions"), "Postscript")
    returned = rewrite(out / "1935-08.docx", tmp_path / "returned.docx", {"word/document.xml": edit})
    for original in (SEED, out / "1935-08.json"):
        back = tmp_path / "back"
        result = CliRunner().invoke(main, ["build", str(returned), "--original", str(original), "-o", str(back),
                                           "-f", "json", "--name", "back", "-q"])
        assert result.exit_code == 0, result.output
        again = read_sources_of(back / "back.json")
        first, expected = again.documents[0], edition.documents[0]
        # The edit, and around it the source's characters (readers/docx/untypeset.py).
        assert first.body[0].text == expected.body[0].text.replace("Kiorin", "Knorin")
        assert first.postscript[0].content == expected.body[2].content  # restyled: its characters back
        assert first.body[1].content == expected.body[1].content
        rest = source_free(again)
        rest["chapters"][0]["documents"] = rest["chapters"][0]["documents"][1:]
        whole = source_free(edition)
        whole["chapters"][0]["documents"] = whole["chapters"][0]["documents"][1:]
        assert rest == whole  # every other letter with the source's own characters
    result = CliRunner().invoke(main, ["build", str(SEED), "--original", str(SEED), "-o", str(tmp_path / "x")])
    assert result.exit_code != 0 and "--original applies to a DOCX source" in result.output


def read_sources_of(path: Path) -> Edition:
    from corresp.readers import read_sources
    return read_sources([path])[0]
