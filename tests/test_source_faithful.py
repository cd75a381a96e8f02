"""Nothing in a source changes silently (issue 18, the reader's part): characters that spell
words stay, every normalisation is reported, superscripts that are powers stay, note numbers
of any size are read, a requisites block after the notes is metadata."""
from corresp.coverage import measure
from corresp.readers.text.parser import read_text
from corresp.readers.text.source import split_lines

HEAD = "Stalin to Kaganovich August 14, 1935\nArchive: RGASPI F. 1. Op. 1. D. 1. L. 1.\n"


def body_text(text):
    edition, diags = read_text(text, "x.txt")
    return edition, edition.documents[0].body[0], diags


def test_joiners_stay_and_removals_are_reported():
    text = HEAD + "Persian می\u200cخواهم, a family 👨\u200d👩\u200d👧 and zero\u200bwidth.\nStalin.\n"
    edition, para, diags = body_text(text)
    assert para.text == "Persian می\u200cخواهم, a family 👨\u200d👩\u200d👧 and zerowidth."
    [d] = [d for d in diags if d.code == "source-normalised"]
    assert d.line == 3 and "U+200B" in d.message
    cov = measure(edition, edition.chapters[0], split_lines(text), "x.txt")
    assert [l.number for l in cov.normalised] == [3] and "normalised" in cov.report()


def test_nfc_change_is_reported():
    _, para, diags = body_text(HEAD + "The \u212b unit.\nStalin.\n")
    assert para.text == "The \u00c5 unit."
    assert any(d.code == "source-normalised" and "U+212B → U+00C5" in d.message for d in diags)


def test_powers_keep_their_superscripts():
    _, para, diags = body_text(HEAD + "An area of 5 km² and 10³ tons, the plan of 1934¹.\nStalin.\n_____\n1 The plan.\n")
    assert [i.text if i.type == "text" else i.number for i in para.content] == ["An area of 5 km² and 10³ tons, the plan of 1934", 1, "."]
    assert not any(d.code == "marker-without-note" for d in diags)


def test_note_numbers_past_a_thousand():
    markers = " ".join(f"w {k} ." for k in range(1, 1003))
    notes = "".join(f"{k} Note {k}.\n" for k in range(1, 1003))
    edition, para, diags = body_text(HEAD + markers + "\nStalin.\n_____\n" + notes)
    doc = edition.documents[0]
    assert len(doc.footnotes) == 1002 and doc.footnotes[-1].printed_number == 1002
    assert doc.footnotes[-1].text == "Note 1002."


def test_a_year_opening_a_note_is_its_text():
    edition, _, _ = body_text(HEAD + "Agreed 1 .\nStalin.\n_____\n1935 g. The PB agreed.\n")
    assert edition.documents[0].footnotes[0].text == "1935 g. The PB agreed."


def test_requisites_after_the_notes_are_metadata():
    text = HEAD + "Text 1 .\nStalin.\n_____\n1 The note.\nRequisites\nSource: The book, p. 5\nDating: 1935.08.14\n"
    edition, _, diags = body_text(text)
    doc = edition.documents[0]
    assert [n.text for n in doc.footnotes] == ["The note."]
    assert doc.requisites == {"Source": "The book, p. 5", "Dating": "1935.08.14"}
    cov = measure(edition, edition.chapters[0], split_lines(text), "x.txt")
    assert cov.share == 1.0
