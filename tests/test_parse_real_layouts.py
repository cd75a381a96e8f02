"""The rules the real pages need (issue 12), one at a time: the requisites layouts, the
Russian header and tail lines, glued markers, homoglyphs, notes with lost numbers, names in
the nominative. The whole pages are in tests/corpus/ (scored by tests/test_corpus.py)."""
import pytest

from corresp.names import nominative
from corresp.readers.text import lines as L
from corresp.readers.text.parser import read_text
from corresp.readers.text.archive import parse_archive
from parse_helpers import marked, parse_one as one

NBSP = "\u00a0"


REQUISITES_NEXT_LINE = f"""Молотов — Сталину 5 октября 1935 г.

Реквизиты
Направление:{NBSP}
Молотов — Сталину
Метки: 
Датировка: 
1935.10.05
Источник: 
Сталин и Каганович. Переписка. 1931–1936 гг. Москва: (РОССПЭН), 2001 Стр. 512
Архив: 
РГАСПИ Ф. 558. Оп. 11. Д. 87. Л. 14. Подлинник.

Согласен.
Молотов.
"""


def test_requisites_values_on_the_next_line_are_neither_headings_nor_body():
    doc, _ = one(REQUISITES_NEXT_LINE)
    assert doc.requisites == {"Направление": "Молотов — Сталину", "Метки": "", "Датировка": "1935.10.05",
                              "Источник": "Сталин и Каганович. Переписка. 1931–1936 гг. Москва: (РОССПЭН), 2001 Стр. 512"}
    assert (doc.archive[0].delo, doc.archive[0].form, doc.archive_line) == ("87", "Подлинник.", 12)
    assert [marked(p) for p in doc.body] == ["Согласен."] and doc.signature.text == "Молотов."


def test_requisites_without_their_header_line():
    doc, _ = one(REQUISITES_NEXT_LINE.replace("Реквизиты\n", ""))
    assert doc.requisites["Датировка"] == "1935.10.05" and doc.archive[0].fond == "558"


@pytest.mark.parametrize("text, fields", [
    ("РГАСПИ Ф. 558. Оп 11. Д. 87. Л. 14.", ("558", "11", "87", "14", None)),
    ("РГАСПИ Ф. 558 Oп. 11. Д. 87. Л. 14.", ("558", "11", "87", "14", None)),  # Latin O
    ("RGASPI F 558. Op 11. D 88. L 9. Original.", ("558", "11", "88", "9", "Original.")),
    ("RGASPI F 558 Op 11 D 82 L 3 Autograph.", ("558", "11", "82", "3", "Autograph.")),
    ("РГАСПИ Ф. 558. Оп. 11. Д. 87. Л. 122, 122 об. Подлинник. Машинопись. Подписи — автографы.",
     ("558", "11", "87", "122, 122 об.", "Подлинник. Машинопись. Подписи — автографы.")),
])
def test_archive_labels_with_or_without_dots_and_homoglyphs(text, fields):
    [ref] = parse_archive(text, lambda c, m: None)
    assert (ref.fond, ref.opis, ref.delo, ref.folios, ref.form) == fields


def test_two_references_the_second_with_an_ocr_opis():
    warnings = []
    refs = parse_archive("РГАСПИ Ф. 558. Оп. 11. Д. 87. Л. 14; Ф. 17. Оп. П. Д. 900. Л. 3. Подлинник.",
                         lambda c, m: warnings.append(c))
    assert [(r.repository, r.fond, r.opis) for r in refs] == [("РГАСПИ", "558", "11"), ("РГАСПИ", "17", "П")]
    assert warnings == ["archive-ocr"]


@pytest.mark.parametrize("text, kind, date, time, number", [
    ("Из Москвы 3/Х — 35 г. в 14 час. 05 мин. Вх. № 12.", "from", "3/Х — 35 г.", "14 час. 05 мин.", "12"),
    ("Из Москвы 3/Х — 35 г. 14 час. О5 мин. Вх. № 12.", "from", "3/Х — 35 г.", "14 час. О5 мин.", "12"),
    ("Вх. № 12.", "incoming", None, None, "12"),
])
def test_russian_dispatch_lines(text, kind, date, time, number):
    d = L.parse_dispatch(text)
    assert (d["kind"], d["date"], d["time"], d["number"]) == (kind, date, time, number)


@pytest.mark.parametrize("text, body, marker, glued", [
    ("№98", "№98", None, False), ("НР 23.", "НР 23.", None, False), ("HP 23.", "HP 23.", None, False),
    ("21/VIII. 32.1", "21/VIII. 32", "1", True), ("27/VIII.352", "27/VIII.35", "2", True),
    ("16–402", "16–40", "2", True), ("12/Х-33 г.2", "12/Х-33 г.", "2", True), ("17/VIII - 35 2", "17/VIII - 35", "2", False),
    ("20–1О", "20–1О", None, False),
])
def test_secretary_lines_and_their_glued_markers(text, body, marker, glued):
    f = L.parse_secretary(text)
    assert (f["body"], f["marker"], f["marker_glued"]) == (body, marker, glued)


@pytest.mark.parametrize("text", ["1933 г. — 212,4", "Kaganovich.", "10 h. 11 h. 12 h. x", "1) По хлебу."])
def test_lines_that_are_not_secretary_lines(text):
    assert L.parse_secretary(text) is None


def test_secretary_tokens_take_linear_time():
    import time
    line = "10 h. " * 20000 + "x"
    start = time.perf_counter()
    assert L.parse_secretary(line) is None
    assert time.perf_counter() - start < 1.0


def test_glued_markers_are_decided_by_the_notes():
    doc, diags = one("Каганович — Сталину 5 сентября 1935 г.\nШифровка.\n"
                     "Из Москвы 5/IХ-35 г. в 2О час. 1О мин.1 Вх. № 7.\nСочи. Тов. Сталину2.\n"
                     "Прошу выделить вагонов 53. Проект статей4. Всего 12 предложений.\nКаганович.\n"
                     "______\n1 Так в документе.\n2 Адрес вписан.\n3 Выделено 5 вагонов.\n4 Не публикуется.\n")
    assert marked(doc.dispatch[0]) == "Из Москвы 5/IХ-35 г. в 2О час. 1О мин.[1] Вх. № 7."
    assert marked(doc.address[0]) == "Сочи. Тов. Сталину[2]."
    assert marked(doc.body[0]) == "Прошу выделить вагонов 5[3]. Проект статей[4]. Всего 12 предложений."
    assert sum(d.code == "marker-glued" for d in diags) == 4


def test_glued_digits_without_a_note_stay_text():
    doc, diags = one("Сталин — Кагановичу 5 сентября 1935 г.\nТу-134 и статей2 — без примечаний.\nСталин.\n")
    assert marked(doc.body[0]) == "Ту-134 и статей2 — без примечаний." and not doc.footnotes


def test_a_missing_note_is_reported_and_its_marker_removed():
    doc, diags = one("Сталин — Кагановичу [12 августа 1934 г.]\nШифром.\nКагановичу. Молотову.\n"
                     "Первое: согласен1. Второе: возражаю2. Третье: решите сами3.\nСталин.\n"
                     "______\n1 ПБ утвердило 13 августа.\n3 См. док. № 5.\n")
    assert marked(doc.body[0]) == "Первое: согласен[1]. Второе: возражаю. Третье: решите сами[2]."
    codes = [d.code for d in diags]
    assert "note-missing" in codes and "marker-without-note" in codes and "note-renumbered" in codes


def test_note_text_that_starts_with_a_number():
    doc, _ = one("Сталин — Кагановичу 5 сентября 1935 г.\nСогласен1. Возражаю2.\nСталин.\n______\n"
                 "1 1 августа ПБ утвердило.\n12 августа 1935 г. ПБ отменило.\n")
    assert [(n.printed_number, n.text) for n in doc.footnotes] == [(1, "1 августа ПБ утвердило."),
                                                                   (None, "12 августа 1935 г. ПБ отменило.")]


def test_signature_after_the_outgoing_number_and_inside_a_quotation():
    doc, _ = one("Каганович, Молотов — Сталину 5 сентября 1935 г.\nШифровка.\n"
                 "Просим дать согласие. НР 63. Каганович. Молотов.\n")
    assert marked(doc.body[0]) == "Просим дать согласие. НР 63." and doc.signature.text == "Каганович. Молотов."
    doc, _ = one("Сталин — Кагановичу 5 сентября 1935 г.\nПредлагаю послать телеграмму:\n"
                 "«Ташкент. Средазбюро.\nСдачу хлопка ускорить.\nСталин.»\n")
    assert doc.signature is None and doc.body[-1].type == "enclosure"


def test_a_page_title_shaped_like_a_heading():
    text = ("Stalin to Kaganovich July, 1934\n    Kaganovich to Stalin July 2, 1934\n\n"
            "Archive: RGASPI F 558. Op 11. D. 742. L. 1. Autograph.\nMoscow. Central Committee of the CPSU (b).\n"
            "Stalin.\nWe agree.\nKaganovich.\n")
    edition, _ = read_text(text, "page.txt")
    [doc] = edition.documents
    assert doc.heading == "Kaganovich to Stalin July 2, 1934" and doc.archive[0].opis == "11"
    assert [p.text for p in doc.address] == ["Moscow. Central Committee of the CPSU (b).", "Stalin."]
    assert any(d.reason == "page title" and d.text.startswith("Stalin to Kaganovich July") for d in edition.chapters[0].debris)


@pytest.mark.parametrize("printed, nom", [
    ("Сталину", "Сталин"), ("Кагановичу", "Каганович"), ("Жданову", "Жданов"), ("Чубарю", "Чубарь"),
    ("Л.М. Кагановичу", "Каганович"), ("В.М. Молотову", "Молотов"), ("Сталин И.В.", "Сталин"), ("L. M. Kaganovich", "Kaganovich"), ("Членам Политбюро", "Члены Политбюро"),
    ("Председателю Комиссии", "Председатель Комиссии"), ("Орджоникидзе", "Орджоникидзе"), ("Молотов", "Молотов"),
    ("ЦК ВКП(б)", "ЦК ВКП(б)"), ("Stalin", "Stalin"),
])
def test_nominative_of_printed_names(printed, nom):
    assert nominative(printed) == nom


def test_recipients_keep_the_printed_form_and_gain_the_nominative():
    doc, _ = one("Молотов — Кагановичу, Жданову 5 сентября 1935 г.\nСогласен.\nМолотов.\n")
    assert [(p.name, p.nominative) for p in doc.recipients] == [("Кагановичу", "Каганович"), ("Жданову", "Жданов")]
