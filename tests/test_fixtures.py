"""Variant months the parser has never seen: messy layout, a Russian source, and a scrape that
kept the edition's superscript markers."""
from conftest import FIXTURES
from corresp.readers.text.parser import read_edition

MESSY = FIXTURES / "messy-1932-10.txt"
RUSSIAN = FIXTURES / "ru-1933-08.txt"
SUPERSCRIPTS = FIXTURES / "superscripts-1934-05.txt"


def test_messy_month_bom_crlf_nbsp():
    edition, diags = read_edition([MESSY])
    assert edition.title == "Stalin and Kaganovich. Correspondence. 1931–1936"  # NBSP-led line, BOM stripped
    ch = edition.chapters[0]
    assert ch.title == "1932 October"
    assert [d.heading for d in ch.documents] == [
        "Stalin to Kaganovich October, 1932", "Kaganovich to Stalin July 9 1934",
        "Molotov to Stalin [not earlier than October 20, 1932]", "Stalin to Molotov October 21, 1932"]
    assert [d.date.iso for d in ch.documents] == ["1932-10", "1934-07-09", "1932-10-20", "1932-10-21"]
    assert not any("\r" in d.heading or "\u00a0" in d.model_dump_json() for d in ch.documents)


def test_messy_intro_note_block():
    ch = read_edition([MESSY])[0].chapters[0]
    assert [i.type for i in ch.intro[0].content] == ["text", "noteref", "text"]
    assert [(n.number, n.text) for n in ch.notes] == [(1, "See the introduction to the volume.")]
    assert {d.reason for d in ch.debris} >= {"navigation line", "page title", "notes label", "notes rule"}


def test_messy_glued_heading_and_glued_note_number_and_secretary_line():
    d = read_edition([MESSY])[0].documents[0]
    assert d.archive[0].delo == "79"
    assert [(n.number, n.printed_number, n.text) for n in d.footnotes] == [
        (1, 1, "The PB adopted it on October 16, 1932."), (2, 2, "Later, the secretary entered the number and the date.")]
    [sec] = d.secretary
    assert (sec.number, sec.date) == ("12", "15/X-32")
    assert sec.noterefs() == [2]
    assert d.body[0].text == "Agree with the plan of grain procurement. Send the text [#21] with *care* & <caution>."


def test_messy_two_archive_refs_channel_line_sent_dispatch():
    d = read_edition([MESSY])[0].documents[1]
    assert [(r.fond, r.folios) for r in d.archive] == [("558", "1"), ("17", "5")]
    assert [p.text for p in d.transmission] == ["(By telegraph)"]
    assert (d.dispatch[0].kind, d.dispatch[0].place, d.dispatch[0].time) == ("sent", "Moscow", "9-00")
    assert d.secretary[0].date == "12/VII-34"


def test_messy_no_archive_ocr_shelfmark_and_cut_off():
    edition, diags = read_edition([MESSY])
    by_code = {}
    for m in diags:
        by_code.setdefault(m.code, []).append(m.line)
    assert by_code["no-archive"] == [41]
    assert by_code["archive-ocr"] == [55]
    assert by_code["cut-off"] == [58]
    assert edition.documents[3].archive[0].opis == "P"
    no_archive = edition.documents[2]
    assert no_archive.salutation.text == "Tov. Stalin!"
    assert no_archive.footnotes[0].text == "Draft missing."


def test_russian_source():
    edition, diags = read_edition([RUSSIAN])
    assert edition.language == "ru"
    ch = edition.chapters[0]
    assert ch.title == "1933 Август"
    d = ch.documents[0]
    assert d.heading == "Молотов — Сталину 5 августа 1933 г." and d.date.iso == "1933-08-05"
    assert d.requisites["Датировка"] == "1933.08.05"
    assert "С. 280–281" in d.requisites["Источник"]
    assert d.archive[0].repository == "РГАСПИ" and d.archive[0].folios == "1–3"
    assert [p.text for p in d.transmission] == ["Шифровка."]
    assert d.dispatch[0].place == "Москвы" and d.dispatch[0].number == "4"
    assert d.signature.text == "Молотов."
    assert [n.text for n in d.footnotes] == ["Проект не обнаружен.", "Номер и дата проставлены секретарем."]
    assert d.secretary[-1].noterefs() == [2]
    reply = ch.documents[1]
    assert reply.date.qualifier == "позднее" and reply.date.supplied
    assert [p.text for p in reply.address] == ["Молотов."] and reply.body[0].text == "Согласен."


def _marked(p):
    return "".join(i.text if i.type == "text" else f"[{i.number}]" for i in p.content)


def test_superscript_markers_and_note_numbers():
    edition, diags = read_edition([SUPERSCRIPTS])
    ch = edition.chapters[0]
    assert _marked(ch.intro[0]) == "A month whose scrape kept the edition's superscripts[1]."
    first, second = ch.documents
    assert _marked(first.body[0]) == ("We discussed the harvest[1]. The decision was postponed[2] until June, "
                                      "as agreed on May 2, 1934.")  # ⁴ has no note: removed
    assert _marked(first.secretary[0]) == "3/V-34[3]"
    assert [(n.printed_number, n.text) for n in first.footnotes] == [
        (1, "The PB decision of May 5, 1934."), (2, "Until the harvest was in."), (3, "Date entered by the secretary.")]
    assert _marked(second.body[0]) == "I agree with items 1 and 2 of the decision[1]."
    assert [(d.line, d.code) for d in diags if d.severity == "warning"] == [(13, "marker-without-note")]
