"""The fixed words the books print: one table per language, English for the rest."""
from corresp import i18n
from corresp.calendar import sentence
from corresp.imprint import copyright_lines, imprint
from corresp.model import Publication

from sample_edition import sample_edition


def test_every_key_has_an_english_word():
    english = set(i18n.WORDS["en"])
    for lang, table in i18n.WORDS.items():
        assert set(table) <= english, (lang, set(table) - english)


def test_russian_table_is_complete_and_russian():
    assert set(i18n.WORDS["ru"]) == set(i18n.WORDS["en"])
    w = i18n.words("ru-RU")
    assert (w["default_title"], w["contents"], w["no"], w["continued"]) == ("Переписка", "Содержание", "№", "(продолжение)")


def test_other_languages_fall_back_to_english_with_a_warning():
    assert i18n.words("de")["contents"] == "Contents"
    assert i18n.words("uk")["contents"] == "Зміст" and i18n.words("uk")["edited_by"] == "Edited by"
    warning = i18n.missing_language_warning("de-AT")
    assert "'de-AT'" in warning and "English" in warning
    assert i18n.missing_language_warning("ru") is None and i18n.missing_language_warning("en-GB") is None


def test_a_date_that_ends_with_a_full_stop_gets_no_second_one():
    assert sentence("14 сентября 1935 г.") == "14 сентября 1935 г."
    assert sentence("August 14, 1935") == "August 14, 1935."
    assert sentence("") == ""


def test_copyright_lines_in_the_editions_language_and_without_file_names():
    edition = sample_edition()
    edition.publication = Publication(rights="© 2026 Press", isbn={"print": "978-1-915247-01-8"})
    lines = [line.text for line in copyright_lines(edition)]
    assert lines[0] == "© 2026 Press" and "ISBN 978-1-915247-01-8 (print)" in lines
    assert not any(c.source and c.source in line for line in lines for c in edition.chapters)
    edition.language = "ru"
    lines = [line.text for line in copyright_lines(edition)]
    assert "ISBN 978-1-915247-01-8 (печатное издание)" in lines
    assert lines[-1].startswith("Сверстано")


def test_no_year_on_the_imprint_that_nobody_gave():
    edition = sample_edition()
    edition.publication = Publication(publisher="Northgate", place="Leeds")
    assert imprint(edition) == "Northgate, Leeds"
    edition.publication = Publication(publisher="Northgate", date="2027-03-02")
    assert imprint(edition) == "Northgate, 2027"


def test_period_titles_in_each_language():
    assert i18n.period_title(["1935-09-14"], "ru") == "Сентябрь 1935"
    assert i18n.period_title(["1935-08-30", "1935-09-02"], "en") == "August–September 1935"
    assert i18n.period_title(["1935-12-30", "1936-01-02"], "en") == "December 1935 – January 1936"
    assert i18n.period_title(["1935", "1936-01"], "en") == "1935–1936"
    assert i18n.period_title([], "ru") == "Документы"


RUSSIAN_LETTER = """Молотов — Сталину 14 сентября 1935 г.

Согласен с проектом.

Молотов
"""


def test_a_russian_letter_without_titles_is_titled_in_russian_never_by_its_file_name():
    from corresp.readers.text.parser import read_text
    edition, messages = read_text(RUSSIAN_LETTER, name="ru-letter.txt")
    assert edition.language == "ru" and edition.title == "Переписка"
    assert edition.chapters[0].title == "Сентябрь 1935"
    said = {m.code: m.message for m in messages}
    assert "--title" in said["no-edition-title"] and "edition.toml" in said["no-edition-title"]
    assert "ru-letter" not in said["no-chapter-title"] and "Сентябрь 1935" in said["no-chapter-title"]
    edition, messages = read_text(RUSSIAN_LETTER, name="ru-letter.txt", title="Письма")
    assert edition.title == "Письма" and "no-edition-title" not in {m.code for m in messages}


def test_a_build_in_a_language_without_a_table_says_so(tmp_path):
    from corresp.build import build
    from corresp.exporters import ExportOptions
    from test_epub import SEED
    options = ExportOptions()
    build([SEED], tmp_path, ["json"], options=options, language="de")
    assert any("'de'" in w and "English" in w for w in options.warnings)
    options = ExportOptions()
    build([SEED], tmp_path, ["json"], options=options, language="ru")
    assert not any("table of fixed words" in w for w in options.warnings)
