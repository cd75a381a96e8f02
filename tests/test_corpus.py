"""The annotated corpus (issue 12): every field of every page as a careful editor reads it.

Each page of tests/corpus/ has an expected file written by hand; the parser must get every
field right. The last tests check the scorer itself on tiny synthetic cases.
"""
from pathlib import Path

import pytest

from corresp.model import Document, DocDate, Footnote, NoteRef, Paragraph, Person, Text
from corresp.score import FIELD_KINDS, pages, score_documents, score_page

CORPUS = Path(__file__).resolve().parent / "corpus"
PAGES = pages(CORPUS)


def test_corpus_is_there():
    names = [p.name for p in PAGES]
    assert sum(n.startswith("ru-") for n in names) >= 14
    assert sum(n.startswith("en-") for n in names) >= 7


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page(page):
    ps = score_page(page)
    assert not ps.mismatches, (
        f"{ps.page}: {ps.right}/{ps.total} fields right; mismatches:\n"
        + "\n".join(f"  {m}" for m in ps.mismatches))


# --- the scorer's own behaviour ----------------------------------------------------------

def _doc(heading="Каганович — Сталину 5 сентября 1934 г.", iso="1934-09-05", signature="Каганович.",
         doc_id="d1") -> Document:
    return Document(
        id=doc_id, heading=heading,
        senders=[Person(name="Каганович")], recipients=[Person(name="Сталин")],
        date=DocDate(text="5 сентября 1934 г.", iso=iso),
        address=[Paragraph(content=[Text(text="Сочи. Тов. Сталину.")])],
        body=[Paragraph(content=[Text(text="Просим дать согласие"), NoteRef(number=1), Text(text=".")])],
        signature=Paragraph(content=[Text(text=signature)]),
        footnotes=[Footnote(number=1, text="ПБ согласился.")],
    )


_EXPECTED = {
    "heading": "Каганович — Сталину 5 сентября 1934 г.",
    "senders": ["Каганович"], "recipients": ["Сталин"], "date": "1934-09-05",
    "archive": [], "form": "", "transmission": [], "dispatch": [],
    "address": ["Сочи. Тов. Сталину."], "signature": "Каганович.", "secretary": [],
    "notes": [{"text": "ПБ согласился.", "after": "дать согласие"}],
}


def test_scorer_counts_a_wrong_field_wrong():
    doc = _doc(iso="1934-09-06")
    doc.recipients = [Person(name="Молотову")]  # wrong in any case, nominative or not
    ps = score_documents([_EXPECTED], [doc], "synthetic")
    assert ps.counts["date"] == [0, 1]
    assert ps.counts["heading"] == [1, 1]
    assert ps.counts["marker position"] == [1, 1] and ps.counts["note text"] == [1, 1]
    # recipients wrong, senders right
    assert ps.counts["parties"] == [1, 2]
    assert {m.field for m in ps.mismatches} == {"date", "recipients"}
    assert str(ps.mismatches[0]).startswith("synthetic: doc 1: ")


def test_scorer_marker_position_and_note_text():
    exp = dict(_EXPECTED, notes=[{"text": "ПБ согласился.", "after": "Просим дать"}])
    ps = score_documents([exp], [_doc()], "synthetic")
    assert ps.counts["marker position"] == [0, 1]
    exp = dict(_EXPECTED, notes=[{"text": "ПБ  согласился. ", "after": "согласие"}])
    ps = score_documents([exp], [_doc()], "synthetic")
    assert ps.counts["marker position"] == [1, 1] and ps.counts["note text"] == [1, 1]
    # a marker one word off ("согласие" vs "ие") is not a match
    exp = dict(_EXPECTED, notes=[{"text": "ПБ согласился.", "after": "ие"}])
    assert score_documents([exp], [_doc()]).counts["marker position"] == [0, 1]


def test_scorer_missing_and_extra_documents_count_every_field():
    second = dict(_EXPECTED, heading="Сталин — Кагановичу 6 сентября 1934 г.", date=None, notes=[])
    # the parser found the first document only: every field of the second is wrong, even
    # the ones (date, empty lists) an absent document would otherwise "match"
    ps = score_documents([_EXPECTED, second], [_doc()], "synthetic")
    per_doc = len(FIELD_KINDS) - 3 + 1  # parties count twice, no notes, no source number
    assert ps.total - ps.right == per_doc
    assert all(m.doc == "2 (missing)" for m in ps.mismatches)
    # alignment is by heading, not by index: an extra document in front shifts nothing
    extra = _doc(heading="Реквизиты", doc_id="d0")
    ps = score_documents([_EXPECTED], [extra, _doc()], "synthetic")
    assert {m.doc for m in ps.mismatches} == {"extra 1"}
    assert ps.counts["heading"] == [1, 2] and ps.counts["note text"] == [1, 2]
