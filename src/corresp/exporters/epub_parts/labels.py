"""The few words the book itself prints (not the source's), in the edition's language."""
from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "contents": "Contents",
        "landmarks": "Landmarks",
        "title_page": "Title page",
        "start": "Start of the text",
        "source": "Source",
        "sources": "Sources",
        "built": "Build date",
        "notes": "Notes",
        "edited_by": "Edited by",
        "translated_by": "Translated by",
        "cover": "Cover",
        "isbn_epub": "EPUB", "isbn_pdf": "PDF", "isbn_print": "print",
        "made_with": "Typeset with corresp from the scholarly edition's text.",
        "page_list": "Pages", "calendar": "Calendar of documents",
        "doc": "Doc.",
        "summary_counts": ("It holds {documents} numbered documents and {notes} notes, a calendar of the "
                           "documents and an index of correspondents, all linked. No images, audio or "
                           "video; nothing relies on colour. Meets WCAG 2.1 Level AA."),
        "summary": ("Text-only edition of letters and telegrams. Each document has a heading, "
                    "its archival source and its notes, which follow the document and are linked "
                    "to and from their markers. Navigation lists every chapter and document."),
    },
    "ru": {
        "contents": "Содержание",
        "landmarks": "Ориентиры",
        "title_page": "Титульная страница",
        "start": "Начало текста",
        "source": "Источник",
        "sources": "Источники",
        "built": "Дата сборки",
        "notes": "Примечания",
        "edited_by": "Под редакцией",
        "translated_by": "Перевод",
        "cover": "Обложка",
        "isbn_epub": "EPUB", "isbn_pdf": "PDF", "isbn_print": "печатное издание",
        "made_with": "Сверстано программой corresp по тексту научного издания.",
        "page_list": "Страницы", "calendar": "Перечень документов",
        "doc": "Док.",
        "summary_counts": ("В нём {documents} пронумерованных документов и {notes} примечаний, перечень "
                           "документов и указатель корреспондентов со ссылками. Без изображений, звука и "
                           "видео; ничто не передаётся только цветом. Соответствует WCAG 2.1 AA."),
        "summary": ("Текстовое издание писем и телеграмм. У каждого документа есть заголовок, "
                    "архивная ссылка и примечания, которые следуют за документом и связаны "
                    "ссылками со своими знаками сносок. Оглавление перечисляет все главы и документы."),
    },
}


def labels_for(language: str) -> dict[str, str]:
    """Labels for a BCP 47 tag (`ru`, `ru-RU`, `en-GB`); English when we have no translation."""
    return LABELS.get(language.split("-")[0].lower(), LABELS["en"])
