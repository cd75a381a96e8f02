"""Other layouts of the same letters (issue 22): the page decides its structure.

The corpus pages (tests/corpus/*-book-*, *-sel-*, *-repost-*, *-works-*) are scored field
by field in tests/test_corpus.py; here: what the page's structure keeps beside the fields
(debris, document numbers, the review list, the edition's author) and what it refuses."""
import subprocess
import sys
from pathlib import Path

import pytest

from corresp.errors import InputError
from corresp.exporters.json_edition import edition_to_json
from corresp.readers.json_edition import edition_from_json
from corresp.readers.text.parser import read_edition, read_text

CORPUS = Path(__file__).resolve().parent / "corpus"
WORKS_WITHOUT_AUTHOR = ("Письмо В.М. Молотову, Л.М. Кагановичу\n2 августа 1932 года\n"
                        "Посылаю вам свои замечания к проекту.\nИ. Сталин.\n"
                        "РГАСПИ. Ф. 558. Оп. 11. Д. 78. Л. 3. Автограф.\n")


def _debris(edition):
    return {(d.line, d.reason) for c in edition.chapters for d in c.debris}


def test_page_furniture_is_debris_never_text():
    edition, _ = read_edition([CORPUS / "ru-book-01.txt"])
    debris = _debris(edition)
    assert {(1, "running title"), (20, "running title"), (3, "pager"), (19, "page number"),
            (4, "contents entry"), (6, "contents entry"), (5, "site chrome")} <= debris
    text = " ".join(p.text for d in edition.documents for _, p in d.iter_parts())
    for furniture in ("318", "Переписка наркомов", "Следующаястраница", "Оглавление", "40   41"):
        assert furniture not in text


def test_source_numbers_are_kept_and_round_trip_through_json():
    edition, _ = read_edition([CORPUS / "ru-book-01.txt"])
    assert [d.source_number for d in edition.documents] == ["312", "655"]
    data = edition_to_json(edition)
    assert [d["source_number"] for d in data["documents"]] == ["312", "655"]
    assert [d.source_number for d in edition_from_json(data).documents] == ["312", "655"]
    # not written when the source printed none (the web edition's pages, the golden file)
    plain, _ = read_edition([CORPUS / "ru-02.txt"])
    assert "source_number" not in edition_to_json(plain)["documents"][0]


def test_a_contents_entry_and_a_joined_heading_are_reported_with_their_lines():
    _, diagnostics = read_edition([CORPUS / "ru-book-01.txt"])
    said = {(d.line, d.code) for d in diagnostics}
    assert {(4, "contents-entry"), (6, "contents-entry"), (10, "heading-joined"), (23, "heading-joined")} <= said


def test_the_sender_comes_from_the_page_or_the_edition_and_is_said():
    edition, diagnostics = read_edition([CORPUS / "ru-works-01.txt"])
    assert [p.nominative for d in edition.documents for p in d.senders] == ["Сталин", "Сталин"]
    assert [d.line for d in diagnostics if d.code == "sender-supplied"] == [4, 12]
    edition, diagnostics = read_text(WORKS_WITHOUT_AUTHOR, "works.txt", author="Сталин")
    assert [p.name for p in edition.documents[0].senders] == ["Сталин"]
    assert [p.nominative for p in edition.documents[0].recipients] == ["Молотов", "Каганович"]
    assert any(d.code == "sender-supplied" and "edition.toml" in d.message for d in diagnostics)
    edition, diagnostics = read_text(WORKS_WITHOUT_AUTHOR, "works.txt")
    assert edition.documents[0].senders == []
    assert [(d.line, d.code) for d in diagnostics if d.code == "sender-missing"] == [(1, "sender-missing")]


def test_a_page_of_contents_only_is_refused_with_its_line():
    with pytest.raises(InputError, match="table of contents") as exc:
        read_text("Оглавление\nКаганович — Сталину 4 сентября 1933 г.\nДалее |\n"
                  "Сталин — Кагановичу 5 сентября 1933 г.\nНазад |\n", "toc.txt")
    assert exc.value.line == 2


def test_check_review_lists_every_structural_guess(tmp_path):
    page = tmp_path / "works.txt"
    page.write_text((CORPUS / "ru-works-01.txt").read_text(encoding="utf-8"), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "corresp", "check", "--review", str(page)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert f"{page}:4: sender-supplied: sender 'Сталин' supplied from the page's author line (line 2)" in r.stdout
    assert f"{page}:12: heading-joined: heading read from two lines" in r.stdout
    assert "    12 | Письмо В.М. Молотову, Л.М. Кагановичу" in r.stdout


def test_edition_toml_author_reaches_the_parser(tmp_path):
    page = tmp_path / "works.txt"
    page.write_text(WORKS_WITHOUT_AUTHOR, encoding="utf-8")
    (tmp_path / "edition.toml").write_text('title = "Сочинения"\nauthor = "Сталин"\nsources = ["works.txt"]\n',
                                           encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "corresp", "build", "-o", str(tmp_path / "out"), "-f", "json"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    import json
    [doc] = json.loads(next((tmp_path / "out").glob("*.json")).read_text(encoding="utf-8"))["documents"]
    assert [p["name"] for p in doc["senders"]] == ["Сталин"]
    assert "works.txt:1: warning: sender 'Сталин' supplied from edition.toml's author" in r.stderr


@pytest.mark.parametrize("page", ["ru-book-01", "ru-book-02", "ru-book-03", "en-sel-01", "en-repost-01", "ru-sel-01", "ru-repost-01", "ru-works-01", "en-book-01",
                                  "en-works-01", "ru-book-04", "ru-sel-02", "ru-repost-02", "ru-works-02",
                                  "en-book-02", "en-sel-02", "ru-book-05", "ru-sel-03", "en-works-02",
                                  "en-repost-02"])
def test_every_character_of_each_layout_is_accounted_for(page):
    from corresp.coverage import measure_files
    path = CORPUS / f"{page}.txt"
    edition, _ = read_edition([path])
    [cov] = measure_files([path], edition)
    assert cov.unaccounted == [], cov.report()


def test_the_calendar_shows_the_source_number_beside_the_editions():
    from corresp.calendar import calendar
    edition, _ = read_edition([CORPUS / "ru-book-01.txt"])
    rows = calendar(edition)
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].archive.endswith("Подлинник. Автограф. (№ 312 в источнике)")
    edition, _ = read_edition([CORPUS / "en-book-01.txt"])
    assert calendar(edition)[1].archive.endswith("Typescript. (No. 13 in the source)")
    plain, _ = read_edition([CORPUS / "ru-02.txt"])  # no number printed: nothing added
    assert "источнике" not in calendar(plain)[0].archive


def test_guesses_about_numbers_are_said_never_silent():
    _, diagnostics = read_edition([CORPUS / "ru-book-01.txt"])
    # said at the heading's line (the review finds the document there), naming the number's own
    assert [(d.line, d.code) for d in diagnostics if d.code == "source-number"] == [(10, "source-number"),
                                                                                      (23, "source-number")]
    assert any("'№312' (line 9, before the heading)" in d.message for d in diagnostics)
    edition, diagnostics = read_edition([CORPUS / "ru-repost-01.txt"])
    [orphan] = [d for d in diagnostics if d.code == "marker-orphan"]
    assert orphan.line == 12 and "'1'" in orphan.message
    assert "директив.1 Прошу" in edition.documents[0].body[0].text  # kept as printed


@pytest.mark.parametrize("number", ["№312\n", ""])
def test_a_contents_line_over_the_real_two_line_heading_is_not_its_heading(number):
    # The silent failure: a contents line above the document was taken as its
    # heading and the real heading, over two lines, went into the body.
    text = ("Молотов, Каганович — Сталину 12 ноября 1934 г.\n" + number +
            "Сталин — Кагановичу, Молотову\n2 сентября 1934 г.\n\nОзнакомился с проектом.\nСталин.\n"
            "Ф. 558. Оп. 11. Д. 81. Л. 14. Подлинник. Автограф.\n")
    edition, diagnostics = read_text(text, "toc.txt")
    [doc] = edition.documents
    assert doc.heading == "Сталин — Кагановичу, Молотову 2 сентября 1934 г." and doc.date.iso == "1934-09-02"
    assert [p.nominative for p in doc.recipients] == ["Каганович", "Молотов"]
    assert [p.text for p in doc.body] == ["Ознакомился с проектом."]
    # set aside, never lost: a contents entry (reported), or, first on the page with
    # nothing under it, the page's title shaped like a heading (as on the web edition's pages)
    assert {(d.line, d.reason) for d in edition.chapters[0].debris} & {(1, "contents entry"), (1, "page title")}
    if number:
        assert (1, "contents-entry") in {(d.line, d.code) for d in diagnostics}


def test_the_blind_pages_furniture_and_labelled_author_are_set_aside_and_said():
    """Shapes met first on the pages written blind (layouts2): pagers with arrows or words,
    page numbers with dashes or a word, an author line with its label."""
    edition, _ = read_edition([CORPUS / "ru-book-04.txt"])
    assert {(3, "pager"), (4, "page number"), (11, "page number"), (12, "running title")} <= _debris(edition)
    edition, _ = read_edition([CORPUS / "en-book-02.txt"])
    assert {(3, "pager"), (14, "page number"), (15, "running title"), (20, "page number")} <= _debris(edition)
    edition, diagnostics = read_edition([CORPUS / "ru-works-02.txt"])
    assert [p.nominative for d in edition.documents for p in d.senders] == ["Сталин", "Сталин"]
    supplied = [d for d in diagnostics if d.code == "sender-supplied"]
    assert [d.line for d in supplied] == [4, 13] and all("line 2" in d.message for d in supplied)


def test_a_leaf_opening_in_an_earlier_documents_notes_sets_them_aside_and_says_so():
    """ru-book-05 opens with the rest of a note and a further note of a document printed on
    the leaf before (then the page number): debris and a review warning, not the intro."""
    edition, diagnostics = read_edition([CORPUS / "ru-book-05.txt"])
    assert {(2, "notes of a document on an earlier leaf"), (3, "notes of a document on an earlier leaf"),
            (4, "page number")} <= _debris(edition)
    assert "ведет" not in " ".join(t.text for p in edition.chapters[0].intro for t in p.content)
    assert [(d.line, d.code) for d in diagnostics if d.code == "notes-earlier-leaf"] == [(2, "notes-earlier-leaf")]
    from corresp.review import REVIEW_CODES
    assert "notes-earlier-leaf" in REVIEW_CODES
