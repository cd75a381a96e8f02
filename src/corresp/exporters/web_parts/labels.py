"""The words the web edition itself prints (not the source's), in the edition's language.

Words every format prints (notes, No., sent, received, the months, edited by, …) come from
corresp.i18n, the one table of fixed words; the words only a web site needs (navigation,
the letter's panel, citation, search) are here, in English and Russian (other languages:
English, as i18n does)."""
from __future__ import annotations

from ... import i18n

# The web edition's key → corresp.i18n's key, for the words every format shares.
SHARED = {"notes": "notes", "no": "no", "sent": "sent", "received": "received", "months": "months",
          "editors": "edited_by", "translators": "translated_by", "series": "series", "sources": "sources",
          "note_link": "note_link", "note_back": "note_back"}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "nav": "Edition", "home": "Home", "calendar": "Calendar", "register": "Correspondents",
        "search": "Search", "about": "About", "letters": "Letters", "chapters": "Chapters",
        "editors": "Edited by", "notes": "Notes", "chapter_notes": "Editorial notes",
        "details": "About this letter", "senders": "From", "recipients": "To", "date": "Date",
        "date_supplied": "supplied by the editors", "place": "Place", "form": "Form",
        "transmission": "Transmission", "dispatch": "Dispatch", "archive": "Archive",
        "repository": "Repository", "fond": "Fond", "opis": "Opis", "delo": "Delo", "folios": "Folios",
        "doc_number": "Source's document no.", "kind": "Kind", "year": "Year",
        "prev_date": "Previous letter by date", "next_date": "Next letter by date",
        "prev_pair": "Previous between", "next_pair": "Next between",
        "letter_nav": "Letters before and after",
        "cite": "Cite this letter", "cite_page": "Cite this page", "version": "Version of",
        "accessed": "permanent URL", "downloads": "Download", "tei": "TEI XML", "json": "JSON",
        "sent": "sent", "received": "received", "no": "No.", "undated": "Undated",
        "search_needs_js": "Searching needs JavaScript, which is off in this browser. Every letter "
                           "can still be reached from the calendar and the register of correspondents.",
        "moved": "This letter has moved to", "built": "Built", "letter": "letter",
        "footer": "A static edition made with corresp: every page works without JavaScript.",
        "sources": "Sources", "publisher": "Publisher", "rights": "Rights", "license": "Licence",
        "series": "Series", "translators": "Translated by", "isbn": "ISBN", "published": "Published",
        "cmif": "Letter metadata for correspSearch (CMIF)", "whole": "The whole edition",
        "months": "January February March April May June July August September October November December",
        "count_letters": "{n} letters", "read_more": "Read the introduction and notes",
        "skip": "Skip to the text",
    },
    "ru": {
        "nav": "Издание", "home": "Главная", "calendar": "Календарь", "register": "Корреспонденты",
        "search": "Поиск", "about": "Об издании", "letters": "Письма", "chapters": "Главы",
        "editors": "Под редакцией", "notes": "Примечания", "chapter_notes": "Примечания редакции",
        "details": "О документе", "senders": "Отправитель", "recipients": "Получатель", "date": "Дата",
        "date_supplied": "установлена редакцией", "place": "Место", "form": "Форма",
        "transmission": "Передача", "dispatch": "Отправка", "archive": "Архив",
        "repository": "Архив", "fond": "Фонд", "opis": "Опись", "delo": "Дело", "folios": "Листы",
        "doc_number": "Номер документа в источнике", "kind": "Вид", "year": "Год",
        "prev_date": "Предыдущее письмо по дате", "next_date": "Следующее письмо по дате",
        "prev_pair": "Предыдущее в переписке", "next_pair": "Следующее в переписке",
        "letter_nav": "Соседние письма",
        "cite": "Как цитировать", "cite_page": "Как цитировать", "version": "Версия от",
        "accessed": "постоянный адрес", "downloads": "Скачать", "tei": "TEI XML", "json": "JSON",
        "sent": "отправил", "received": "получил", "no": "№", "undated": "Без даты",
        "search_needs_js": "Для поиска нужен JavaScript, а он в этом браузере выключен. Все письма "
                           "доступны через календарь и указатель корреспондентов.",
        "moved": "Это письмо теперь находится по адресу", "built": "Сборка", "letter": "письмо",
        "footer": "Статическое издание, сделанное corresp: все страницы работают без JavaScript.",
        "sources": "Источники", "publisher": "Издатель", "rights": "Права", "license": "Лицензия",
        "series": "Серия", "translators": "Перевод", "isbn": "ISBN", "published": "Дата издания",
        "cmif": "Метаданные писем для correspSearch (CMIF)", "whole": "Всё издание",
        "months": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
        "count_letters": "писем: {n}", "read_more": "Введение и примечания",
        "skip": "К тексту",
    },
}


def labels_for(language: str) -> dict[str, str]:
    table = dict(LABELS.get(language.split("-")[0].lower(), LABELS["en"]))
    shared = i18n.words(language)
    table.update({mine: shared[theirs] for mine, theirs in SHARED.items()})
    return table


def month_name(labels: dict[str, str], month: int) -> str:
    name = labels["months"].split()[month - 1]
    return name[:1].upper() + name[1:]
