"""Adversarial content: markup in the text, huge words and paragraphs, hundreds of notes,
a note longer than two pages, ten thousand documents. Each builds in every format and the
formats agree (corresp verify)."""

from corresp.build import build
from corresp.exporters import ExportOptions
from corresp.verify import verify_dir

MARKUP = "<script>alert('x')</script> & &amp; ]]> { } \\ `code` *em* _u_ [link](http://x) # h $math$ ~~s~~ <!-- c -->"


def document(k: int, body: str, notes: list[str], day: int = 1) -> str:
    refs = "".join(f" word{i} {i} ." for i in range(1, len(notes) + 1))
    text = (f"Stalin to Kaganovich August {day}, 1935\n\n"
            f"Archive: RGASPI F. 558. Op. 11. D. 88. L. {k}. Autograph.\nKaganovich.\n\n{body}{refs}\n\nStalin.\n")
    if notes:
        text += "\n_____\n\n" + "\n\n".join(f"{i} {n}" for i, n in enumerate(notes, 1)) + "\n"
    return text + "\n"


def source(*docs: str) -> str:
    return "1935 August\n\n" + "".join(docs)


def build_and_verify(tmp_path, text, formats=("json", "epub", "pdf", "docx")):
    src = tmp_path / "edge.txt"
    src.write_text(text, encoding="utf-8")
    result = build([src], tmp_path / "out", formats=list(formats), options=ExportOptions())
    problems, checked = verify_dir(tmp_path / "out")
    assert problems == []
    return result


def test_markup_comes_out_verbatim_everywhere(tmp_path):
    result = build_and_verify(tmp_path, source(document(1, MARKUP, [MARKUP])))
    [doc] = result.edition.documents
    assert doc.body[0].text.startswith(MARKUP)
    assert doc.footnotes[0].text == MARKUP


def test_a_word_of_5000_characters(tmp_path):
    word = "x" * 5000
    result = build_and_verify(tmp_path, source(document(1, f"Before {word} after", [f"A note with {word}"])))
    assert word in result.edition.documents[0].body[0].text


def test_a_paragraph_of_one_megabyte(tmp_path):
    para = ("The Central Committee instructed the commission to finalize the resolution. " * 14000)[:1_000_000]
    result = build_and_verify(tmp_path, source(document(1, para, ["One note."])))
    assert len(result.edition.documents[0].body[0].text) >= 999_000


def test_a_document_with_500_notes(tmp_path):
    notes = [f"Note number {i} explains the matter in a sentence or two." for i in range(1, 501)]
    result = build_and_verify(tmp_path, source(document(1, "Many notes follow.", notes)))
    assert [n.number for n in result.edition.documents[0].footnotes] == list(range(1, 501))


def test_a_note_longer_than_two_pages(tmp_path):
    long_note = "This editorial note goes on and on about the archive and its holdings. " * 700
    build_and_verify(tmp_path, source(document(1, "Short body.", [long_note, "A short second note."])))


def test_ten_thousand_documents(tmp_path):
    docs = [document(k, f"Telegram {k} about grain procurement.", ["Entered by the secretary."] if k % 3 == 0 else [],
                     day=1 + k % 28) for k in range(10_000)]
    result = build_and_verify(tmp_path, source(*docs))
    assert len(result.edition.documents) == 10_000
    assert len({d.id for d in result.edition.documents}) == 10_000
