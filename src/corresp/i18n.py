"""The fixed words the books print (not the source's words), one table per language.

Every exporter takes its captions, labels and boilerplate from here: `words(language)` gives
the table for a BCP 47 tag (`ru`, `ru-RU`, `en-GB`). A language without a table prints
English, and `missing_language_warning` says so once per build. A table may lack a key: that
word then comes from English (a new key needs an English entry, which a test checks).

Words with `{…}` are format strings; the names inside are given where they are used.
"""
from __future__ import annotations

from typing import Mapping, Optional

FALLBACK = "en"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        # the book's title when the sources give none (`corresp build letters.txt`)
        "default_title": "Correspondence",
        # a chapter without a title line is titled by the months of its documents
        "months": "January February March April May June July August September October November December",
        "month_year": "{month} {year}",
        "undated_chapter": "Documents",
        # front matter
        "edited_by": "Edited by",
        "translated_by": "Translated by",
        "series": "Series",
        "contents": "Contents",
        "title_page": "Title page",
        "cover": "Cover",
        "cover_alt": "Cover: {title}",
        "landmarks": "Landmarks",
        "start": "Start of the text",
        "page_list": "Pages",
        "page": "page",
        "notes": "Notes",
        "sources": "Sources",
        # numbering: "No. 12" (a non-breaking space joins it to the number where it is used)
        "no": "No.",
        "source_number": "No. {number} in the source",  # the source's own number (calendar)
        # the copyright page (corresp.imprint)
        "isbn_epub": "EPUB",
        "isbn_pdf": "PDF e-book",
        "isbn_print": "print",
        "isbn_line": "ISBN {isbn} ({format})",
        "made_with": "Typeset with corresp from the scholarly edition's text.",
        # back matter
        "calendar": "Calendar of documents",
        "calendar_no": "No.",
        "calendar_date": "Date",
        "calendar_correspondents": "Correspondents",
        "calendar_archive": "Archive",
        "calendar_page": "Page",
        "index": "Index of correspondents",
        "sent": "sent",
        "received": "received",
        "index_explain": "Under each correspondent, the documents they sent and those they received, "
                         "by number{pages}.",
        "index_pages": ", with the page in parentheses",
        "continued": "(cont.)",
        "index_name": "{surname}, {initials}",
        # links (PDF tags, EPUB)
        "note_link": "Note {0}",
        "note_back": "Back to the reference to note {0}",
        # EPUB accessibility summary
        "summary": ("Text-only edition of letters and telegrams. Each document has a heading, "
                    "its archival source and its notes, which follow the document and are linked "
                    "to and from their markers. Navigation lists every chapter and document."),
        "summary_counts": ("It holds {documents} numbered documents and {notes} notes, a calendar of the "
                           "documents and an index of correspondents, all linked. No images, audio or "
                           "video; nothing relies on colour. Meets WCAG 2.1 Level AA."),
    },
    "ru": {
        "default_title": "Переписка",
        "months": "Январь Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь",
        "month_year": "{month} {year}",
        "undated_chapter": "Документы",
        "edited_by": "Под редакцией",
        "translated_by": "Перевод",
        "series": "Серия",
        "contents": "Содержание",
        "title_page": "Титульная страница",
        "cover": "Обложка",
        "cover_alt": "Обложка: {title}",
        "landmarks": "Ориентиры",
        "start": "Начало текста",
        "page_list": "Страницы",
        "page": "с.",
        "notes": "Примечания",
        "sources": "Источники",
        "no": "№",
        "source_number": "№ {number} в источнике",
        "isbn_epub": "EPUB",
        "isbn_pdf": "PDF",
        "isbn_print": "печатное издание",
        "isbn_line": "ISBN {isbn} ({format})",
        "made_with": "Сверстано программой corresp по тексту научного издания.",
        "calendar": "Перечень документов",
        "calendar_no": "№",
        "calendar_date": "Дата",
        "calendar_correspondents": "Корреспонденты",
        "calendar_archive": "Архив",
        "calendar_page": "С.",
        "index": "Указатель корреспондентов",
        "sent": "отправил",
        "received": "получил",
        "index_explain": "У каждого корреспондента — документы, которые он отправил и получил, "
                         "по номерам{pages}.",
        "index_pages": ", в скобках страница",
        "continued": "(продолжение)",
        "index_name": "{surname} {initials}",
        "note_link": "Примечание {0}",
        "note_back": "Назад к ссылке на примечание {0}",
        "summary": ("Текстовое издание писем и телеграмм. У каждого документа есть заголовок, "
                    "архивная ссылка и примечания, которые следуют за документом и связаны "
                    "ссылками со своими знаками сносок. Оглавление перечисляет все главы и документы."),
        "summary_counts": ("В нём {documents} пронумерованных документов и {notes} примечаний, перечень "
                           "документов и указатель корреспондентов со ссылками. Без изображений, звука и "
                           "видео; ничто не передаётся только цветом. Соответствует WCAG 2.1 AA."),
    },
    "uk": {
        "default_title": "Листування",
        "contents": "Зміст",
        "no": "№",
        "calendar_no": "№",
    },
}


def primary(language: str) -> str:
    """`ru-RU` → `ru`; an empty tag is English."""
    return (language or FALLBACK).split("-")[0].split("_")[0].lower()


class _Words(dict):
    """A language's table; a key it lacks is looked up in English."""

    def __missing__(self, key: str) -> str:
        return WORDS[FALLBACK][key]


_cache: dict[str, _Words] = {}


def words(language: str) -> Mapping[str, str]:
    """The fixed words for `language` (English where it has none)."""
    lang = primary(language)
    table = _cache.get(lang)
    if table is None:
        table = _cache[lang] = _Words(WORDS.get(lang, {}))
    return table


def word(language: str, key: str) -> str:
    return words(language)[key]


def has_words(language: str) -> bool:
    return primary(language) in WORDS


def missing_language_warning(language: str) -> Optional[str]:
    """What a build says when the edition's language has no table (None when it has one)."""
    if has_words(language):
        return None
    return (f"the edition's language {language!r} has no table of fixed words (corresp/i18n.py has "
            f"{', '.join(sorted(WORDS))}): the books print their captions (Contents, Edited by, …) "
            "in English")


def default_title(language: str) -> str:
    """The book's title when no source and no option gives one: `Correspondence`, `Переписка`."""
    return word(language, "default_title")


def period_title(isos: list[str], language: str) -> str:
    """A title for documents dated `isos` (ISO dates of any precision): `September 1935`,
    `August–September 1935`, `December 1935 – January 1936`, `1935–1936`; with no dates,
    the language's word for documents."""
    w = words(language)
    if not isos:
        return w["undated_chapter"]
    first, last = min(isos), max(isos)
    months = w["months"].split()

    def month(iso: str) -> Optional[str]:
        return months[int(iso[5:7]) - 1] if len(iso) >= 7 else None

    if not (month(first) and month(last)):
        return first[:4] if first[:4] == last[:4] else f"{first[:4]}–{last[:4]}"
    if first[:7] == last[:7]:
        return w["month_year"].format(month=month(first), year=first[:4])
    if first[:4] == last[:4]:
        return w["month_year"].format(month=f"{month(first)}–{month(last)}", year=first[:4])
    return (w["month_year"].format(month=month(first), year=first[:4]) + " – "
            + w["month_year"].format(month=month(last), year=last[:4]))
