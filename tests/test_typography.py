"""House typography (corresp.typography): each rule in English and Russian, the formats a
reader reads set in it, the JSON and TEI keeping the source's characters, `verify` folding
the difference and still catching a real one, the switch, `check --typography`."""
import json
import shutil
import subprocess
import zipfile

import pytest
from click.testing import CliRunner

from conftest import ROOT, SEED
from corresp.build import build
from corresp.cli import main
from corresp.exporters import ExportOptions
from corresp.model import NoteRef, Paragraph, Text
from corresp.typography import TypographyStyle, fold, typeset, typeset_text
from corresp.verify import verify_dir

NB = "\u00a0"

ENGLISH = [
    # (rule, source, house style)
    ("double quotes", 'of "collective leadership".', "of \u201ccollective leadership\u201d."),
    ("apostrophe", "Stetsky's deputy, I'll write", "Stetsky\u2019s deputy, I\u2019ll write"),
    ("elided year", "the '30s", "the \u201930s"),
    ("single quotes", "he said 'no' twice", "he said \u2018no\u2019 twice"),
    ("nested quotes", 'the note "On the "Pravda" article" was', "the note \u201cOn the \u2018Pravda\u2019 article\u201d was"),
    ("mixed straight and curly", "\u201cTo develop a plan for publishing\" 1",
     "\u201cTo develop a plan for publishing\u201d 1"),
    ("a loose closing quote", "\u201cMoscow. Stalin. 27/VIII.35 \" (Ibid.)", "\u201cMoscow. Stalin. 27/VIII.35 \u201d (Ibid.)"),
    ("spaced hyphen: em dash, closed", "Our opinion - Pyatnitsky could", "Our opinion\u2014Pyatnitsky could"),
    ("double hyphen", "the owner -- Svetlana", "the owner\u2014Svetlana"),
    ("a dash ending the paragraph", "to be given -", "to be given\u2014"),
    ("heading", "Kaganovich, Yezhov - Stalin August 14, 1935",
     f"Kaganovich, Yezhov\u2014Stalin August{NB}14,{NB}1935"),
    ("number range", "15-20 days", f"15\u201320{NB}days"),
    ("spaced number range", "L. 110 - 110 rev.", f"L.{NB}110\u2013110 rev."),
    ("a chain of numbers is no range", "on 1935-08-14", "on 1935-08-14"),
    ("a clock time after a date is no range", "Stalin. 22/VIII.35 13-45.", "Stalin. 22/VIII.35 13-45."),
    ("a secretary's time alone is no range", "16-30.", "16-30."),
    ("minutes below the hour: a time", "sent 16-05 from Sochi", "sent 16-05 from Sochi"),
    ("secretary's date", "From Moscow 14/VIII - 35 at", "From Moscow 14/VIII-35 at"),
    ("No. and its number", "In. No. 30.", f"In. No.{NB}30."),
    ("shelfmark labels", "F. 558. Op. 11. D. 88. L. 9.", f"F.{NB}558. Op.{NB}11. D.{NB}88. L.{NB}9."),
    ("initials", "L. P. Kosheleva and V.G. Knorin", f"L.{NB}P.{NB}Kosheleva and V.G.{NB}Knorin"),
    ("number and unit", "30 kg of gold at 22 o'clock", f"30{NB}kg of gold at 22{NB}o\u2019clock"),
    ("number and a number in brackets", "23 (13)", f"23{NB}(13)"),
    ("ellipsis", "of the body ... Appoint", "of the body \u2026 Appoint"),
    ("leading dash", "- Yes, he said.", f"\u2014{NB}Yes, he said."),
]

RUSSIAN = [
    ("quotes, nested", '"Правда" пишет "о "деле""', "\u00abПравда\u00bb пишет \u00abо\u00a0\u201eделе\u201c\u00bb"),
    ("curly quotes become guillemets", "газета \u201cПравда\u201d", "газета \u00abПравда\u00bb"),
    ("spaced dash", "Наше мнение - Пятницкий", f"Наше мнение{NB}\u2014 Пятницкий"),
    ("an em dash already there", "Молотов — Сталину", f"Молотов{NB}\u2014 Сталину"),
    ("a dash ending the paragraph", "на Макеевку и Енакиево —", f"на Макеевку и{NB}Енакиево{NB}\u2014"),
    ("year", "14 сентября 1935 г.", f"14{NB}сентября 1935{NB}г."),
    ("years", "1931-1936 гг.", f"1931\u20131936{NB}гг."),
    ("number sign", "Вх. № 98.", f"Вх. №{NB}98."),
    ("comrade", "дорогой т. Сталин!", f"дорогой т.{NB}Сталин!"),
    ("initials", "Л. М. Каганович", f"Л.{NB}М.{NB}Каганович"),
    ("number range", "15-20 дней", f"15\u201320{NB}дней"),
    ("a clock time after 'в' is no range", "отправлено в 13-50", f"отправлено в{NB}13-50"),
    ("number and unit", "на 8 млн. пудов, 300 тыс. га", f"на 8{NB}млн. пудов, 300{NB}тыс. га"),
    ("shelfmark labels", "Ф. 558. Оп. 11. Д. 84. Л. 41.", f"Ф.{NB}558. Оп.{NB}11. Д.{NB}84. Л.{NB}41."),
    ("that is", "т. е. всё", f"т.{NB}е. всё"),
    ("one-letter words", "в Москве и Сочи", f"в{NB}Москве и{NB}Сочи"),
    ("secretary's date", "из Москвы 14/VIII - 35 г.", f"из Москвы 14/VIII-35{NB}г."),
    ("ellipsis", "так далее...", "так далее\u2026"),
]


@pytest.mark.parametrize("rule,source,expected", ENGLISH, ids=[r for r, _, _ in ENGLISH])
def test_english_rule(rule, source, expected):
    assert typeset_text(source, "en") == expected
    assert fold(expected) == fold(source)  # verify sees no difference


@pytest.mark.parametrize("rule,source,expected", RUSSIAN, ids=[r for r, _, _ in RUSSIAN])
def test_russian_rule(rule, source, expected):
    assert typeset_text(source, "ru") == expected
    assert fold(expected) == fold(source)


def test_english_spaced_dash_style():
    style = TypographyStyle(english_dash="spaced")
    assert typeset_text("Our opinion - Pyatnitsky", "en", style) == f"Our opinion{NB}\u2014 Pyatnitsky"


def test_another_language_gets_the_shared_rules_only():
    # German quotes are „…“: no English or Russian quotes forced on it; ranges and ellipses are shared.
    assert typeset_text('Er sagte "ja" 15-20 mal...', "de") == 'Er sagte "ja" 15\u201320 mal\u2026'


def test_fold_still_tells_words_apart():
    assert fold("Pyatnitsky refuses") != fold("Pyatnitsky accepts")
    assert fold("15\u201320 days") != fold("15\u201321 days")
    assert fold("\u00abПравда\u00bb") == fold('"Правда"') == fold("\u201cПравда\u201d")


def test_quotes_pair_across_a_note_marker_and_the_marker_stays():
    p = Paragraph(content=[Text(text='He wrote "yes'), NoteRef(number=1), Text(text='" and left - fast.')])
    from corresp.typography import _Setter
    from corresp.typography.rules import language_rules
    out = _Setter(language_rules("en")).paragraph(p)
    assert [type(i).__name__ for i in out.content] == ["Text", "NoteRef", "Text"]
    assert out.content[0].text == "He wrote \u201cyes"
    assert out.content[2].text == "\u201d and left\u2014fast."
    assert p.content[0].text == 'He wrote "yes'  # the source's model is not changed


def test_the_typeset_copy_leaves_the_edition_alone(seed_edition):
    before = seed_edition.model_dump_json()
    copy = typeset(seed_edition)
    assert seed_edition.model_dump_json() == before
    doc = copy.documents[0]
    assert doc.heading.startswith("Kaganovich, Yezhov\u2014Stalin")
    assert [d.id for d in copy.documents] == [d.id for d in seed_edition.documents]
    assert [len(d.footnotes) for d in copy.documents] == [len(d.footnotes) for d in seed_edition.documents]
    assert typeset(seed_edition, TypographyStyle(enabled=False)) is seed_edition


# --- the formats ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("typography")
    build([SEED], out, ["json", "tei", "epub", "pdf", "docx"])
    return out


def test_json_and_tei_keep_the_source_characters(sample):
    data = json.loads((sample / "1935-08.json").read_text(encoding="utf-8"))
    assert data["documents"][0]["heading"] == "Kaganovich, Yezhov - Stalin August 14, 1935"
    intro = "".join(i.get("text", "") for p in data["chapters"][0]["intro"] for i in p["content"])
    assert '"collective leadership"' in intro and "Stalin's" in intro
    tei = (sample / "1935-08.tei.xml").read_text(encoding="utf-8")
    assert '"collective leadership"' in tei and "Our opinion - Pyatnitsky" in tei
    assert "\u201ccollective" not in tei and NB not in tei


def test_epub_prints_house_style(sample):
    with zipfile.ZipFile(sample / "1935-08.epub") as z:
        page = z.read("EPUB/text/chapter-001.xhtml").decode()
        nav = z.read("EPUB/text/nav.xhtml").decode()
    assert "\u201ccollective leadership\u201d" in page and '"collective leadership"' not in page
    assert "Our opinion\u2014Pyatnitsky" in page and "14/VIII-35" in page
    assert f"No.{NB}2." in page  # `No. 2` never breaks
    assert "Kaganovich, Yezhov\u2014Stalin" in nav  # the contents too


def test_docx_prints_house_style(sample):
    with zipfile.ZipFile(sample / "1935-08.docx") as z:
        document = z.read("word/document.xml").decode()
        notes = z.read("word/footnotes.xml").decode()
    assert "\u201ccollective leadership\u201d" in document and "Our opinion\u2014Pyatnitsky" in document
    assert "Kaganovich, Yezhov\u2014Stalin" in document
    assert "\u201cPravda\u201d" in notes


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_pdf_prints_house_style(sample):
    text = subprocess.run(["pdftotext", str(sample / "1935-08.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "\u201ccollective leadership\u201d" in text and "Our opinion\u2014Pyatnitsky" in text
    assert "15\u201320" in text and "Kaganovich, Yezhov\u2014Stalin" in text
    from pypdf import PdfReader
    titles = [o.title for o in _flatten(PdfReader(str(sample / "1935-08.pdf")).outline)]
    assert any("Kaganovich, Yezhov\u2014Stalin" in t for t in titles), titles[:5]  # the bookmarks too


def _flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def test_verify_passes_on_the_typeset_formats(sample):
    problems, checked = verify_dir(sample)
    assert problems == []
    assert {p.name for p in checked} >= {"1935-08.epub", "1935-08.pdf", "1935-08.docx", "1935-08.tei.xml"}


def test_switched_off_by_the_style_the_formats_print_the_source(tmp_path):
    style = tmp_path / "style"
    style.mkdir()
    (style / "typography.toml").write_text("enabled = false\n", encoding="utf-8")
    build([SEED], tmp_path / "out", ["json", "epub"], options=ExportOptions(style_dir=style))
    with zipfile.ZipFile(tmp_path / "out" / "1935-08.epub") as z:
        page = z.read("EPUB/text/chapter-001.xhtml").decode()
    assert '"collective leadership"' in page and "Our opinion - Pyatnitsky" in page
    assert "\u201c" not in page.split("collective")[0][-5:]
    assert verify_dir(tmp_path / "out")[0] == []


def test_switched_off_by_edition_toml(tmp_path):
    (tmp_path / "edition.toml").write_text(f'sources = ["{SEED}"]\ntypography = false\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-c", str(tmp_path / "edition.toml"), "-f", "epub",
                                       "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out" / "1935-08.epub") as z:
        assert '"collective leadership"' in z.read("EPUB/text/chapter-001.xhtml").decode()


def test_a_bad_typography_toml_is_a_config_error(tmp_path):
    style = tmp_path / "style"
    style.mkdir()
    (style / "typography.toml").write_text('english_dash = "long"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(SEED), "--style", str(style), "-f", "epub",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert "typography.toml" in result.output and "english_dash" in result.output
    assert not (tmp_path / "out" / "1935-08.epub").exists()


def test_russian_volume_in_house_style(tmp_path):
    src = ROOT / "tests" / "corpus" / "ru-03.txt"
    build([src], tmp_path, ["json", "epub"])
    with zipfile.ZipFile(tmp_path / "ru-03.epub") as z:
        page = z.read("EPUB/text/chapter-001.xhtml").decode()
    assert f"Каганович{NB}\u2014 Сталину" in page  # the heading: no line starts with the dash
    assert f"1936{NB}г." in page and f"т.{NB}Сталин" in page
    assert "\u00abО" in page
    assert verify_dir(tmp_path)[0] == []


def test_check_typography_shows_each_change_with_its_line():
    result = CliRunner().invoke(main, ["check", "--typography", str(SEED)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"{SEED}:20: 'Our opinion - Pyatnitsky c\u2026' \u2192 'Our opinion\u2014Pyatnitsky c\u2026'" in lines
    assert any(line.startswith(f"{SEED}:14: ") and "14/VIII-35" in line for line in lines)
    assert "typographic change" in result.stderr


def test_the_typeset_docx_an_editor_returns_reads_back_as_its_source(sample):
    # The DOCX is the editor's copy: read back, its letters keep their parties, dates and
    # dispatch fields, and `corresp diff` finds no change where only the typography differs.
    from corresp.diff import diff_editions
    from corresp.readers import read_sources
    source, _ = read_sources([SEED])
    returned, _ = read_sources([sample / "1935-08.docx"])
    assert diff_editions(source, returned) == []
    first = returned.documents[0]
    assert [p.name for p in first.senders] == ["Kaganovich", "Yezhov"] and first.recipients[0].name == "Stalin"
    assert first.dispatch[0].time == source.documents[0].dispatch[0].time
    assert [d.id for d in returned.documents] == [d.id for d in source.documents]
    # A real edit is still a difference.
    edited = returned.model_copy(deep=True)
    edited.documents[0].body[0].content[0].text = edited.documents[0].body[0].content[0].text.replace(
        "Pyatnitsky", "Pyatakov", 1)
    assert [c.where for c in diff_editions(source, edited)] == [source.documents[0].id]


def test_reading_form_undoes_the_spacing_only():
    from corresp.typography import reading_form
    assert reading_form(f"Kaganovich, Yezhov\u2014Stalin August{NB}14,{NB}1935") == \
        "Kaganovich, Yezhov \u2014 Stalin August 14, 1935"
    assert reading_form(f"at 22{NB}o\u2019clock") == "at 22 o'clock"
    assert reading_form("\u201cPravda\u201d, 1931\u20131936") == "\u201cPravda\u201d, 1931\u20131936"


def test_check_typography_reads_a_json_edition_too(sample):
    result = CliRunner().invoke(main, ["check", "--typography", str(sample / "1935-08.json")])
    assert result.exit_code == 0, result.output
    assert "1935-08.txt:20: 'Our opinion - Pyatnitsky c\u2026' \u2192 'Our opinion\u2014Pyatnitsky c\u2026'" in \
        result.stdout.splitlines()


from hypothesis import given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from(['"', "'", "\u201c", "\u201d", "\u00ab", "\u00bb", "\u201e", " - ", " -- ", "-", "\u2014",
                           "\u2013", "...", ". . .", " ", "No. ", "15", "1935", "/VIII", " г.", "№ ", "т. ", "L. ",
                           "P. ", "Stalin", "Сталин", "в ", "kg", "(13)", "August ", ",", ".", "\ue000", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join), st.sampled_from(["en", "ru", "de"]))
def test_house_style_never_fails_and_verify_folds_it_away(text, language):
    out = typeset_text(text, language)
    assert fold(" ".join(out.split())) == fold(" ".join(text.split()))
    assert typeset_text(out, language).count("\ue000") == text.count("\ue000")  # markers stay put


def _one_look_behind_per_word(rules):
    """The no-break-space rules built the plain way: no guard, a look-behind per word."""
    import re
    alternatives = []
    for before, after in rules:
        if isinstance(before, str):
            alternatives.append(f"(?<={before} )(?={after})")
        else:
            alternatives.append(f"(?={after})(?:{'|'.join(f'(?<={b} )' for b in before)})")
    return re.compile(" (?:" + "|".join(alternatives) + ")")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_no_break_space_pattern_matches_the_spaces_its_rules_do(language):
    """rules._spaces tests a guard first and joins words of one width in a look-behind, for
    speed: the spaces it binds are those of the rules built the plain way (random text made
    of the rules' own words, digits, capitals, full stops and dashes)."""
    import random
    from corresp.typography import rules
    table = {"en": (rules.ENGLISH_SPACES, rules.ENGLISH_SPACE_RULES),
             "ru": (rules.RUSSIAN_SPACES, rules.RUSSIAN_SPACE_RULES)}
    pattern, plain = table[language][0], _one_look_behind_per_word(table[language][1])
    tokens = list(".,-\u2013\u2014()%\u2116\u00a7#/'\u00a0") + list("0123456789IVXLC") + (
        "No Nos p pp vol F Op D L LL T Art ch fig Sec Mr Dr St Comrade comrade January August kg days o'clock "
        "word г гг т тов тт ф оп д л лл с стр кг млн сентября в к с у о и а В К С е п Сталин Л М А слово 1935 14"
    ).split()
    rng = random.Random(25)
    bound = 0
    for _ in range(20000):
        text = "".join(rng.choice(tokens) + rng.choice(["", " ", " ", ". ", " - "]) for _ in range(rng.randint(1, 12)))
        ours = pattern.sub(NB, text)
        assert ours == plain.sub(NB, text), text
        bound += ours != text
    assert bound > 1000  # the text did exercise the rules


def test_the_dash_rules_anchored_at_an_end_change_only_texts_ending_or_opening_so():
    """apply runs TRAILING_DASH and LEADING_DASH only where the text ends or opens with what
    they need (their searches would still visit every space)."""
    from corresp.typography import rules
    for text in ["word -", "word --\n", "a \u2014", "end\u2013", "- Yes", "-- no", "\u2013 a", "mid - word", "x-\n\n"]:
        if rules.TRAILING_DASH.sub("D", text) != text:
            assert text.endswith(rules._DASH_ENDS), text
        if rules.LEADING_DASH.sub("D", text) != text:
            assert text.startswith(rules._DASH_STARTS), text
