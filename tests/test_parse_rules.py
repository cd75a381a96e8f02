"""One rule at a time: headings, dates, archive lines, header lines, the tail, notes."""
import pytest

from corresp.readers.text.archive import parse_archive
from corresp.readers.text.dates import parse_date
from corresp.readers.text.heading import parse_heading
from corresp.readers.text import lines as L
from corresp.readers.text.parser import read_text


# --- headings and dates -------------------------------------------------------------------

@pytest.mark.parametrize("text, senders, recipients, iso, supplied, qualifier", [
    ("Kaganovich, Yezhov - Stalin August 14, 1935", ["Kaganovich", "Yezhov"], ["Stalin"], "1935-08-14", False, None),
    ("Kaganovich to Stalin August 16 [1935]", ["Kaganovich"], ["Stalin"], "1935-08-16", True, None),
    ("Stalin to Kaganovich [later August 22, 1935]", ["Stalin"], ["Kaganovich"], "1935-08-22", True, "later"),
    ("Kaganovich, Molotov, Yezhov, Manuilsky - to Stalin on August 31, 1935",
     ["Kaganovich", "Molotov", "Yezhov", "Manuilsky"], ["Stalin"], "1935-08-31", False, None),
    ("Stalin to Kaganovich October, 1932", ["Stalin"], ["Kaganovich"], "1932-10", False, None),
    ("Kaganovich to Stalin July 9 1934", ["Kaganovich"], ["Stalin"], "1934-07-09", False, None),
    ("Kaganovich to Stalin 12 August 1935", ["Kaganovich"], ["Stalin"], "1935-08-12", False, None),
    ("Stalin to Kaganovich [between August 10 and 15, 1935]", ["Stalin"], ["Kaganovich"], "1935-08-10", True, "between"),
    ("Stalin to Kaganovich, Molotov August 10–15, 1935", ["Stalin"], ["Kaganovich", "Molotov"], "1935-08-10", False, None),
    ("Kaganovich to Stalin. August 14, 1935", ["Kaganovich"], ["Stalin"], "1935-08-14", False, None),
    ("Stalin to Kaganovich (telegram) August 14, 1935", ["Stalin"], ["Kaganovich"], "1935-08-14", False, None),
    ("Stalin to Kaganovich August 14, 1935 (2)", ["Stalin"], ["Kaganovich"], "1935-08-14", False, None),
    ("Kaganovich to Stalin Sept. 1, 1935", ["Kaganovich"], ["Stalin"], "1935-09-01", False, None),
    ("Stalin to the Politburo August 14, 1935", ["Stalin"], ["the Politburo"], "1935-08-14", False, None),
    ("Stalin to Kaganovich and members of the Politburo August 14, 1935", ["Stalin"],
     ["Kaganovich", "members of the Politburo"], "1935-08-14", False, None),
    ("The Central Committee of the VKP(b) to Stalin August 14, 1935", ["The Central Committee of the VKP(b)"],
     ["Stalin"], "1935-08-14", False, None),
    ("Каганович – Сталину. 12 августа 1933 г.", ["Каганович"], ["Сталину"], "1933-08-12", False, None),
    ("Молотов — Сталину 5 августа 1933 г.", ["Молотов"], ["Сталину"], "1933-08-05", False, None),
    ("Сталин — Молотову [позднее 6 августа 1933 г.]", ["Сталин"], ["Молотову"], "1933-08-06", True, "позднее"),
])
def test_heading(text, senders, recipients, iso, supplied, qualifier):
    h = parse_heading(text)
    assert [p.name for p in h.senders] == senders
    assert [p.name for p in h.recipients] == recipients
    assert (h.date.iso, h.date.supplied, h.date.qualifier) == (iso, supplied, qualifier)


def test_heading_glued_to_archive_line():
    h = parse_heading("Stalin to Kaganovich October, 1932 Archive: RGASPI F. 558. Op. 11. D. 79. L. 10. Autograph.")
    assert h.text == "Stalin to Kaganovich October, 1932"
    assert h.archive_rest == "RGASPI F. 558. Op. 11. D. 79. L. 10. Autograph."


@pytest.mark.parametrize("text", [
    "Please let us know your opinion. August 26, 1935.",
    "On August 28, 1935, the PB decided",
    "August 27, 1935",
    "1 On August 16, 1935, the PB approved V.G. Knorin",
    "Sent to Moscow. August 14, 1935",
    "From Moscow to Sochi August 14, 1935",
    "We sent the letter to the Politburo August 14, 1935",
    "I agree to the Politburo decision of August 14, 1935",
])
def test_not_a_heading(text):
    assert parse_heading(text) is None


def test_impossible_date_keeps_text_without_iso():
    d = parse_date("February 30, 1935")
    assert d.text == "February 30, 1935" and d.iso is None


# --- archive lines ----------------------------------------------------------------------

def test_archive_fields():
    [ref] = parse_archive("RGASPI F. 558. Op. 11. D. 88. L. 57, 57v. Autograph.", lambda c, m: None)
    assert (ref.repository, ref.fond, ref.opis, ref.delo, ref.folios, ref.form) == \
        ("RGASPI", "558", "11", "88", "57, 57v", "Autograph.")


@pytest.mark.parametrize("text, fields", [
    ("RGASPI, f. 558, op. 11, d. 88, l. 57. Autograph.", ("RGASPI", "558", "11", "88", "57", "Autograph.")),
    ("RGASPI F. 558. Op. 11. D. 88. Ll. 57–59. Autograph.", ("RGASPI", "558", "11", "88", "57–59", "Autograph.")),
    ("GARF F. R-5446. Op. 1. D. 100. L. 2-3. Copy.", ("GARF", "R-5446", "1", "100", "2-3", "Copy.")),
    ("РГАСПИ. Ф. 558. Оп. 11. Д. 88. Лл. 57–58 об. Подлинник.", ("РГАСПИ", "558", "11", "88", "57–58 об.", "Подлинник.")),
])
def test_archive_variants(text, fields):
    warnings = []
    [ref] = parse_archive(text, lambda c, m: warnings.append(c))
    assert (ref.repository, ref.fond, ref.opis, ref.delo, ref.folios, ref.form) == fields
    assert warnings == []  # a lettered fond (GARF "R-5446") is not an OCR error


def test_archive_two_references_share_repository_and_form():
    refs = parse_archive("RGASPI F. 558. Op. 11. D. 80. L. 1; F. 17. Op. 3. D. 900. L. 5. Original. Typescript.",
                         lambda c, m: None)
    assert [(r.repository, r.fond, r.folios, r.form) for r in refs] == [
        ("RGASPI", "558", "1", "Original. Typescript."), ("RGASPI", "17", "5", "Original. Typescript.")]


def test_archive_ocr_shelfmark_kept_and_warned():
    warnings = []
    [ref] = parse_archive("RGASPI F. 558. Op. P. D. 88. L. 81. Autograph.", lambda c, m: warnings.append(c))
    assert ref.opis == "P" and ref.delo == "88"
    assert warnings == ["archive-ocr"]


def test_archive_russian():
    [ref] = parse_archive("РГАСПИ Ф. 558. Оп. 11. Д. 767. Л. 1–3. Подлинник. Автограф.", lambda c, m: None)
    assert (ref.repository, ref.opis, ref.folios, ref.form) == ("РГАСПИ", "11", "1–3", "Подлинник. Автограф.")


# --- header and tail lines --------------------------------------------------------------

@pytest.mark.parametrize("text", ["Encryption.", "Cipher .", "Copy.", "Strictly secret .", "S. secret.",
                                  'Series "G".', "On a straight line.", "(By telegraph)", "Шифровка."])
def test_transmission(text):
    assert L.is_transmission(text)


@pytest.mark.parametrize("text, fields", [
    ("From Moscow 14/VIII - 35 at 22 o'clock. 57 min. In. No. 2.",
     {"kind": "from", "place": "Moscow", "date": "14/VIII - 35", "time": "22 o'clock. 57 min.", "number": "2"}),
    ("From Moscow 25/VIII-35. No. 18.", {"kind": "from", "place": "Moscow", "date": "25/VIII-35", "time": None, "number": "18"}),
    ("Sent from Sochi 14/VIII at 9-00", {"kind": "sent", "place": "Sochi", "date": "14/VIII", "time": "9-00", "number": None}),
    ("Entered for decoding 15/VIII - 35 at 1 h. 20 min.",
     {"kind": "entered", "place": None, "date": "15/VIII - 35", "time": "1 h. 20 min.", "number": None}),
])
def test_dispatch(text, fields):
    assert L.parse_dispatch(text) == fields


def test_sentence_is_not_a_dispatch():
    assert L.parse_dispatch("Received your letter.") is None


@pytest.mark.parametrize("text, number, time, date, marker", [
    ("No. 5.", "5", None, None, None),
    ("14–45.", None, "14–45", None, None),
    ("17/VIII - 35 1", None, None, "17/VIII - 35", "1"),
    ("No. 1 2", "1", None, None, "2"),
    ("#6 2", "6", None, None, "2"),
    ("2 hours 20 1", None, "2 hours 20", None, "1"),
    ("27/VIII.35 14:00 1", None, "14:00", "27/VIII.35", "1"),
    ("No. 12 15/X-32 y. 2", "12", None, "15/X-32", "2"),
    ("12/VII-34 g", None, None, "12/VII-34", None),
    ("№ 3", "3", None, None, None),
    ("17/VIII - 35²", None, None, "17/VIII - 35", "²"),
])
def test_secretary(text, number, time, date, marker):
    f = L.parse_secretary(text)
    assert (f["number"], f["time"], f["date"], f["marker"]) == (number, time, date, marker)


@pytest.mark.parametrize("text", ["August 27, 1935", "We agree.", "1) 2) 3)"])
def test_not_secretary(text):
    assert L.parse_secretary(text) is None


@pytest.mark.parametrize("text, expected", [
    ("Sochi. Tov. Stalin.", True), ("Kaganovich. Yezhov .", True), ("T[ovari] shu Kaganovich .", True),
    ("Moscow. Central Committee of the CPSU. Dvinsky for Kaganovich.", True),
    ("Received your letter.", False), ("Agree.", False),
    ("Your HP 33. Items about the army in resolutions on war and fascism should not be printed.", False),
])
def test_address(text, expected):
    assert L.is_address(text, ["Kaganovich", "Yezhov"]) is expected


@pytest.mark.parametrize("text, expected", [
    ("Stalin.", True), ("Hey! I. Stalin.", True), ("Hearty greetings to you, Your L. Kaganovich.", True),
    ("Molotov, Kaganovich.", True), ("We sent it to Molotov and then to Yezhov and Stalin yesterday at noon in Moscow.", False),
])
def test_signature(text, expected):
    assert L.is_signature(text, ["Stalin", "Kaganovich"]) is expected


# --- whole documents: notes and markers -------------------------------------------------

HEAD = "1935 August\n\n"


def doc(body: str, notes: str = "", heading="Stalin to Kaganovich August 19, 1935") -> str:
    text = f"{HEAD}{heading}\n\nArchive: RGASPI F. 558. Op. 11. D. 88. L. 25. Autograph.\n{body}\n"
    if notes:
        text += f"\n_____\n\n{notes}\n"
    return text


from parse_helpers import marked, parse_one  # noqa: E402


def test_explicit_markers_and_numbered_notes():
    d, diags = parse_one(doc("Kaganovich.\n\nFirst matter 1 . Second matter 2 .\n\nStalin.", "1 One.\n\n2 Two."))
    assert marked(d.body[0]) == "First matter[1]. Second matter[2]."
    assert [(n.number, n.text, n.marker) for n in d.footnotes] == [(1, "One.", "explicit"), (2, "Two.", "explicit")]
    assert not [m for m in diags if m.code.startswith(("note", "marker"))]


def test_unnumbered_first_note_is_paired_and_reported():
    d, diags = parse_one(doc("Kaganovich.\n\nFirst 1 . Second 2 .\n\nStalin.", "One.\n\n2 Two."))
    assert [n.text for n in d.footnotes] == ["One.", "Two."]
    assert [m.code for m in diags if m.code.startswith("note")] == ["note-unnumbered"]


def test_notes_printed_with_wrong_numbers_follow_the_markers():
    d, diags = parse_one(doc("Kaganovich.\n\nA? 1\n\nB (see letter) 2 . Hey! 3\n\nStalin.", "First.\n\n4 Second.\n\n5 Third."))
    assert [(n.number, n.printed_number, n.text) for n in d.footnotes] == [(1, None, "First."), (2, 4, "Second."), (3, 5, "Third.")]
    assert marked(d.body[1]) == "B (see letter)[2]. Hey![3]"
    assert sum(1 for m in diags if m.code == "note-renumbered") == 2


def test_lost_marker_inferred_from_space_before_full_stop():
    d, diags = parse_one(doc("Kaganovich.\n\nI send you this note .\n\nStalin.", "1 The note is missing."))
    assert marked(d.body[0]) == "I send you this note[1]."
    assert d.footnotes[0].marker == "inferred"
    assert any(m.code == "marker-inferred" and m.line == 8 for m in diags)


def test_note_without_any_trace_goes_to_end_of_body_and_is_flagged():
    d, diags = parse_one(doc("Kaganovich.\n\nNothing marks the note here.\n\nStalin.", "1 Lonely note."))
    assert marked(d.body[-1]) == "Nothing marks the note here.[1]"
    assert d.footnotes[0].marker == "unplaced"
    assert any(m.code == "marker-unplaced" for m in diags)


def test_marker_without_note_is_removed_and_reported():
    d, diags = parse_one(doc("Kaganovich.\n\nPlease let us know your opinion 1 . HP 26.\n\nStalin."))
    assert marked(d.body[0]) == "Please let us know your opinion. HP 26."
    assert d.footnotes == []
    assert any(m.code == "marker-without-note" for m in diags)


def test_secretary_line_carries_its_note_marker():
    d, _ = parse_one(doc("Kaganovich.\n\nAgreed.\n\nStalin.\n\nNo. 5.\n\n14–45.\n\n17/VIII - 35 1",
                         "1 Number, time and date entered by the secretary."))
    assert [(s.number, s.time, s.date) for s in d.secretary] == [("5", None, None), (None, "14–45", None),
                                                                 (None, None, "17/VIII - 35")]
    assert marked(d.secretary[-1]) == "17/VIII - 35[1]"
    assert d.signature.text == "Stalin."


def test_superscript_markers_and_note_numbers():
    # A scrape that kept the superscripts: markers glued to the word, notes numbered with them.
    d, diags = parse_one(doc("Kaganovich.\n\nWe discussed the harvest¹. It was postponed² until June³.\n\n"
                             "Stalin.\n\n17/VIII - 35⁴",
                             "¹ The PB decision.\n\n²Adopted on June 1.\n\n⁴ Entered by the secretary."))
    assert marked(d.body[0]) == "We discussed the harvest[1]. It was postponed[2] until June."
    assert marked(d.secretary[0]) == "17/VIII - 35[3]"
    assert [(n.number, n.printed_number, n.text) for n in d.footnotes] == [
        (1, 1, "The PB decision."), (2, 2, "Adopted on June 1."), (3, 4, "Entered by the secretary.")]
    # ³ had no note: removed, reported, and recorded as debris, so nothing is unaccounted for.
    assert [m.code for m in diags if m.code.startswith("marker")] == ["marker-without-note"]


def test_an_unnumbered_line_without_a_marker_continues_the_note_before_it():
    # A note of two paragraphs: the scrape prints the second as a line of its own, without a
    # number. It must not take note 2's marker, nor become a note of its own.
    d, diags = parse_one(doc("Kaganovich.\n\nFirst matter 1 . Second matter 2 .\n\nStalin.",
                             '1 One.\n\nThe telegram read: "Agree."\n\n2 Two.'))
    assert marked(d.body[0]) == "First matter[1]. Second matter[2]."
    assert [(n.number, n.text) for n in d.footnotes] == [(1, 'One.\nThe telegram read: "Agree."'), (2, "Two.")]
    assert [m.code for m in diags if m.code.startswith(("note", "marker"))] == ["note-continued"]
    # An unnumbered first note is still a note of its own.
    d, _ = parse_one(doc("Kaganovich.\n\nFirst 1 . Second 2 .\n\nStalin.", "One.\n\n2 Two."))
    assert [n.text for n in d.footnotes] == ["One.", "Two."]


def test_mid_sentence_marker_in_sequence():
    d, _ = parse_one(doc("Kaganovich.\n\nA 1 . Then 259 warehouses under construction 2 still stand. In 3 days.\n\nStalin.",
                         "1 One.\n\n2 Two."))
    assert marked(d.body[0]) == "A[1]. Then 259 warehouses under construction[2] still stand. In 3 days."


def test_numbers_that_belong_to_the_text_are_not_markers():
    d, _ = parse_one(doc("Kaganovich.\n\nBy September 5, HP 2. No. 1 and L. 3 and in 2 days 1 .\n\nStalin.", "1 One."))
    assert marked(d.body[0]) == "By September 5, HP 2. No. 1 and L. 3 and in 2 days[1]."


def test_enclosure_quoted_in_letter():
    d, _ = parse_one(doc("Kaganovich.\n\nWe propose:\n\n“To adopt the decision.”\n\nPlease reply.\n\nStalin."))
    kinds = [type(b).__name__ for b in d.body]
    assert kinds == ["Paragraph", "Enclosure", "Paragraph"]
    assert d.body[1].paragraphs[0].text == "“To adopt the decision.”"


def test_header_parts_and_glued_signature():
    d, _ = parse_one(doc("Encryption.\n\nFrom Moscow 14/VIII - 35 at 22 o'clock. 57 min. In. No. 2.\n\nSochi. Tov. Stalin.\n\n"
                         "We ask for your instructions on the appointment of the new head of department. Kaganovich.", heading="Kaganovich - Stalin August 14, 1935"))
    assert [p.text for p in d.transmission] == ["Encryption."]
    assert d.dispatch[0].number == "2" and d.dispatch[0].place == "Moscow"
    assert [p.text for p in d.address] == ["Sochi. Tov. Stalin."]
    assert d.body[0].text == "We ask for your instructions on the appointment of the new head of department." and d.signature.text == "Kaganovich."


def test_document_without_archive_line_is_kept_with_warning():
    text = f"{HEAD}Molotov to Stalin August 20, 1935\n\nWe send the draft.\n\nMolotov.\n"
    d, diags = parse_one(text)
    assert d.archive == [] and d.body[0].text == "We send the draft."
    assert any(m.code == "no-archive" and m.line == 3 for m in diags)


def test_cut_off_document_is_kept_with_warning():
    edition, diags = read_text(doc("Kaganovich.\n\nThe text breaks off in the mid") + "\n" +
                               "Kaganovich to Stalin August 20, 1935\n\nArchive: RGASPI F. 558. Op. 11. D. 88. L. 26. Autograph.\n"
                               "All is well.\n\nKaganovich.\n", "t.txt")
    assert len(edition.documents) == 2
    assert edition.documents[0].body[-1].text == "The text breaks off in the mid"
    assert any(m.code == "cut-off" for m in diags)


def test_a_line_without_words_above_the_chapter_title_is_not_the_edition_title():
    # Found by the fuzzer: a page title split as "Kaganovich" / "." lost its "." line.
    edition, _ = read_text("Kaganovich\n. \n\n" + doc("Kaganovich.\n\nAgreed.\n\nStalin."), "t.txt")
    assert edition.title == "Kaganovich"
    assert [(d.line, d.text, d.reason) for d in edition.chapters[0].debris] == [(2, ".", "page title")]


def test_the_edition_titles_closing_abbreviation_keeps_its_full_stop():
    """`Переписка. 1931–1936 гг.` is the book's title; the line's closing full stop goes
    (`Correspondence. 1931–1936.`), but not an abbreviation's own (`гг` on every title page
    of a Russian volume built from its sources)."""
    body = "\n\n" + doc("Kaganovich.\n\nAgreed.\n\nStalin.")  # the title line stands above HEAD's chapter title
    for line, title in (("Сталин и Каганович. Переписка. 1931–1936 гг.", "Сталин и Каганович. Переписка. 1931–1936 гг."),
                        ("Stalin and Kaganovich. Correspondence. 1931–1936.", "Stalin and Kaganovich. Correspondence. 1931–1936"),
                        ("Letters, Vol. I.", "Letters, Vol. I")):
        edition, _ = read_text(line + body, "t.txt")
        assert edition.title == title


def test_a_page_title_printed_again_as_the_first_heading_is_set_aside_once():
    """The page's title (`Молотов — Сталину 5 августа 1933 г.` over the month's first letter)
    is also a line the page prints again (a running title): one debris record, not two (two
    would account for its text twice; found by tests/test_fuzz_parser.py)."""
    from corresp.coverage import measure
    from corresp.readers.text.source import split_lines
    text = ("Летом 1933 г. Сталин отдыхал на юге.\n[1935]\n"
            "Молотов — Сталину 5 августа 1933 г.\nМолотов — Сталину 5 августа 1933 г.\n\n"
            "Архив: РГАСПИ Ф. 558. Оп. 11. Д. 767. Л. 1. Автограф.\n\nЗдравствуйте, товарищ Сталин!\n\nМолотов.\n\n"
            "Сталин — Молотову 6 августа 1933 г.\n\nАрхив: РГАСПИ Ф. 558. Оп. 11. Д. 767. Л. 5. Автограф.\n\n"
            "Согласен.\n\nСталин.\n")
    edition, _ = read_text(text, "page.txt")
    chapter = edition.chapters[0]
    assert [(d.line, d.reason) for d in chapter.debris if d.line == 3] == [(3, "page title")]
    assert [d.heading for d in chapter.documents] == ["Молотов — Сталину 5 августа 1933 г.",
                                                      "Сталин — Молотову 6 августа 1933 г."]
    assert measure(edition, chapter, split_lines(text), "page.txt").unaccounted == []


def test_a_heading_printed_twice_beside_a_page_number_is_the_heading_not_furniture():
    """A line printed twice on the page beside a page number looks like a leaf's running
    title; when it is the first document's heading it stays the heading, with no debris
    record of it (found by tests/test_fuzz_parser.py: it was both)."""
    from corresp.coverage import measure
    from corresp.readers.text.source import split_lines
    text = ("1933 Август\n1933 Август\nЛетом 1933 г. Сталин отдыхал на юге.\n\n"
            "Молотов — Сталину 5 августа 1933 г.\nМолотов — Сталину 5 августа 1933 г.\n[1935]\n\n"
            "Архив: РГАСПИ Ф. 558. Оп. 11. Д. 767. Л. 1. Автограф.\n\nЗдравствуйте, товарищ Сталин!\n\nМолотов.\n\n"
            "Сталин — Молотову 6 августа 1933 г.\n\nАрхив: РГАСПИ Ф. 558. Оп. 11. Д. 767. Л. 5. Автограф.\n\n"
            "Согласен.\n\nСталин.\n")
    edition, _ = read_text(text, "page.txt")
    chapter = edition.chapters[0]
    assert chapter.documents[0].line == 6
    assert [(d.line, d.reason) for d in chapter.debris if d.line in (5, 6, 7)] == [(5, "page title"), (7, "page number")]
    assert measure(edition, chapter, split_lines(text), "page.txt").unaccounted == []
