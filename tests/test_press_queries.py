"""The small things a press would query (issue 21, point 9) that the text reader answers:
a Cyrillic letter inside an English word, a volume holding the same letters twice, a line
signed in a secretary's role taken for the letter's signature."""
import shutil

from click.testing import CliRunner

from conftest import SEED
from corresp.cli import main
from corresp.readers.text.parser import read_edition, read_text
from parse_helpers import parse_one

LETTER = """1935 August

Kaganovich - Stalin August 16, 1935
Archive: RGASPI F. 558. Op. 11. D. 743. L. 1. Autograph.

Hello, Dear Comrade Stalin!

We propose to raise the plan by 25-30%, {ie} about 30 mil. pood.

I shake your hands. Yours L. Kaganovich.

{tail}
"""


def test_a_cyrillic_letter_inside_an_english_word_is_flagged_with_its_line():
    text = LETTER.format(ie="i.\u0435.", tail="OK.")  # е: CYRILLIC SMALL LETTER IE
    _, diags = parse_one(text)
    [d] = [d for d in diags if d.code == "mixed-script"]
    assert (d.line, d.severity) == (8, "warning")
    assert "'i.\u0435.'" in d.message and "U+0435" in d.message
    clean = LETTER.format(ie="i.e.", tail="OK.")
    assert not [d for d in parse_one(clean)[1] if d.code == "mixed-script"]


def test_the_sample_flags_its_one_cyrillic_e():
    result = CliRunner().invoke(main, ["check", str(SEED)])
    lines = [line for line in result.stderr.splitlines() if "[mixed-script]" in line]
    assert len(lines) == 1 and lines[0].startswith(f"{SEED}:859: warning: 'i.\u0435.'")


def test_a_russian_page_s_latin_look_alikes_are_not_flagged():
    # `Oп.` with a Latin O, `9/IХ` with a Cyrillic Х: the scrape's habit on Russian pages,
    # read by the archive and date rules.
    text = ("Каганович — Сталину 9 сентября 1934 г.\n\nРГАСПИ Ф. 558. Oп. 11. Д. 84. Л. 41. Подлинник.\n\n"
            "Шифровка. Из Москвы 9/IХ — 34 г.\n\nПросим дать согласие на снижение плана.\n\nКаганович.\n")
    _, diags = read_text(text, "ru.txt")
    assert not [d for d in diags if d.code == "mixed-script"]


def test_a_volume_holding_the_same_letters_three_times_warns(tmp_path):
    months = []
    for name in ("august.txt", "september.txt", "october.txt"):
        shutil.copy(SEED, tmp_path / name)
        months.append(tmp_path / name)
    edition, diags = read_edition(months)
    repeats = [d for d in diags if d.code == "repeated-letters"]
    assert [(d.file, d.severity) for d in repeats] == [(str(months[1]), "warning"), (str(months[2]), "warning")]
    assert all(f"38 letters of 38 repeat letters in {months[0]}" in d.message for d in repeats)
    assert repeats[0].line == edition.chapters[1].documents[0].line
    # Three different months: nothing to say.
    _, diags = read_edition([SEED])
    assert not [d for d in diags if d.code == "repeated-letters"]


def test_one_letter_twice_in_one_source_warns():
    one = LETTER.format(ie="i.e.", tail="OK.")
    twice = one + "\n" + one.split("\n", 2)[2]  # the letter again, without the chapter title
    edition, diags = read_text(twice, "twice.txt")
    assert len(edition.documents) == 2
    [d] = [d for d in diags if d.code == "repeated-letters"]
    assert "1 letter of 2 repeat letters earlier in the same source" in d.message


def test_a_line_signed_as_one_of_the_secretaries_is_no_signature():
    doc, _ = parse_one(LETTER.format(ie="i.e.", tail="One of the secretaries L.M. Kaganovich.\n\nOK."))
    assert doc.signature.text == "I shake your hands. Yours L. Kaganovich."  # the line above signs it
    assert [p.text for p in doc.postscript] == ["One of the secretaries L.M. Kaganovich.", "OK."]


def test_the_sample_s_secretary_line_is_a_postscript(seed_edition):
    doc = next(d for d in seed_edition.documents if d.id == "kaganovich-to-stalin-1935-08-16")
    assert doc.signature is None
    assert doc.postscript[0].text == "One of the secretaries L.M. Kaganovich."
    assert doc.postscript[0].line == 66


def test_a_signature_above_a_secretary_line_stays_the_signature():
    doc, _ = parse_one(LETTER.format(ie="i.e.", tail="Kaganovich.\n\nSecretary Poskrebyshev.").replace(
        "I shake your hands. Yours L. Kaganovich.", "I shake your hands."))
    assert doc.signature is not None and doc.signature.text == "Kaganovich."
    assert [p.text for p in doc.postscript] == ["Secretary Poskrebyshev."]


def test_a_secretary_of_the_cc_signing_is_the_signature():
    # Stalin signing as the Central Committee's secretary: his title, his signature.
    doc, _ = parse_one("Сталин — Кагановичу 23 августа 1933 г.\n\nРГАСПИ Ф. 558. Оп. 11. Д. 80. Л. 1. Подлинник.\n\n"
                       "Ссылки на дожди ЦК не принимает.\n\nСекретарь ЦК Сталин.\n", "ru.txt")
    assert doc.signature is not None and doc.signature.text == "Секретарь ЦК Сталин."
    doc, _ = parse_one(LETTER.format(ie="i.e.", tail="Secretary of the CC L. Kaganovich.").replace(
        "I shake your hands. Yours L. Kaganovich.", "I shake your hands."))
    assert doc.signature.text == "Secretary of the CC L. Kaganovich."
