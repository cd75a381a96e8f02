"""corresp check --review: the parser's guesses with file:line and context, and as a
corrections-file skeleton that an editor fills in."""
import re
import shutil
import subprocess
import sys
import tomllib


from conftest import FIXTURES, SEED
from corresp.readers.text.parser import read_edition
from corresp.readers import read_sources
from corresp.review import REVIEW_CODES, review


def corresp(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "corresp", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_review_lists_every_guess_with_line_document_and_text():
    r = corresp("check", "--review", SEED)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    edition, diagnostics = read_edition([SEED])
    guesses = [d for d in diagnostics if d.code in REVIEW_CODES]
    assert len([l for l in out if not l.startswith("    ")]) == len(guesses) > 20
    assert {d.code for d in guesses} >= {"marker-inferred", "note-unnumbered", "note-number-mismatch", "archive-ocr"}
    first = out.index(next(l for l in out if l.startswith(f"{SEED}:31: marker-inferred: ")))
    assert out[first + 1] == "    in stalin-to-kaganovich-yezhov-1935-08-15 (Stalin to Kaganovich, Yezhov August 15, 1935)"
    assert out[first + 2].startswith("    31 | Knorin can be Stetsky's deputy")
    assert out[first + 3].startswith("    note 1: On August 16, 1935, the PB approved")
    assert "marker after 'of the Central Committee of his choice'" in out[first + 3]
    assert re.search(r"corresp: \d+ guesses to review, 0 corrected", r.stderr)


def test_review_of_the_messy_fixture_has_the_cut_off_letter():
    r = corresp("check", "--review", FIXTURES / "messy-1932-10.txt")
    assert "messy-1932-10.txt:58: cut-off: document ends mid-sentence" in r.stdout
    assert "    58 | The text breaks off in the middle of a sente" in r.stdout


def test_the_toml_skeleton_parses_applies_nothing_and_fills_in(tmp_path):
    src = tmp_path / "1935-08.txt"
    shutil.copy(SEED, src)
    r = corresp("check", "--review", "--format", "toml", src)
    assert r.returncode == 0, r.stderr
    skeleton = r.stdout
    assert tomllib.loads(skeleton) == {}  # all commented out: as printed it changes nothing
    blocks = [b for b in skeleton.split("\n\n") if "# [[correction]]" in b]
    assert len(blocks) > 20
    marker = next(b for b in blocks if "stalin-to-kaganovich-yezhov-1935-08-15" in b)
    archive = next(b for b in blocks if 'kind = "archive"' in b and "Op. L." in b)
    # The editor uncomments two entries and fills them in.
    fixed_marker = "\n".join(l[2:] for l in marker.splitlines() if l.startswith("# ") and not l.startswith("# seeds")
                             and "|" not in l and "marker-inferred" not in l)
    fixed_marker = fixed_marker.replace('after = "of the Central Committee of his choice"', 'after = "Stetsky\'s deputy"')
    fixed_archive = "\n".join(l[2:] for l in archive.splitlines()
                              if l.startswith("# ") and "=" in l or l == "# [[correction]]")
    fixed_archive = fixed_archive.replace('value = "L"', 'value = "11"')
    src.with_name("1935-08.corrections.toml").write_text(skeleton + "\n" + fixed_marker + "\n\n" + fixed_archive + "\n",
                                                         encoding="utf-8")
    edition, diagnostics = read_sources([src])
    applied = [d for d in diagnostics if d.code == "correction"]
    assert len(applied) == 2, [str(d) for d in applied]
    doc = next(d for d in edition.documents if d.id == "stalin-to-kaganovich-yezhov-1935-08-15")
    assert doc.body[0].content[0].text.endswith("Stetsky's deputy")
    # ...and the review says what is corrected now, and leaves it out of the skeleton
    r = corresp("check", "--review", src)
    assert "    corrected by 'marker #1'" in r.stdout and "1 corrected" not in r.stderr
    assert re.search(r"guesses to review, 2 corrected", r.stderr)
    r = corresp("check", "--review", "--format", "toml", src)
    assert "stalin-to-kaganovich-yezhov-1935-08-15" not in r.stdout


def test_check_reports_corrections_and_fails_on_a_stale_one(tmp_path):
    src = tmp_path / "1935-08.txt"
    shutil.copy(SEED, src)
    corrections = src.with_name("1935-08.corrections.toml")
    corrections.write_text('[[correction]]\nkind = "note"\ndocument = "stalin-to-kaganovich-yezhov-1935-08-15"\n'
                           'note = 1\ntext = "Knorin approved."\n', encoding="utf-8")
    r = corresp("check", "--all", src)
    assert r.returncode == 0, r.stderr
    assert f"{src}:43: info: corrected the text of note 1 of stalin-to-kaganovich-yezhov-1935-08-15 " \
           "(note #1, 1935-08.corrections.toml) [correction]" in r.stderr
    corrections.write_text('[[correction]]\nkind = "join"\ndocument = "not-any-more"\n', encoding="utf-8")
    r = corresp("check", src)
    assert r.returncode == 2
    assert r.stderr.strip() == (f"corresp: error: {corrections}:1: correction 'join #1': matches nothing: "
                                "no document with the id 'not-any-more'")


def test_review_items_know_their_note_and_document(seed_edition, seed_diagnostics):
    items = review(seed_edition, seed_diagnostics, [SEED])
    assert all(i.document is not None for i in items)
    inferred = [i for i in items if i.diagnostic.code == "marker-inferred"]
    assert inferred and all(i.note is not None for i in inferred)


def test_a_guess_in_a_chapter_intro_gets_a_chapter_correction(tmp_path):
    src = tmp_path / "intro.txt"
    src.write_text("1935 August\n\nStalin's vacation in 1935 was long .\n\nNote:\nStalin left Moscow on August 14.\n\n"
                   "Stalin to Kaganovich August 15, 1935\nArchive: RGASPI F. 558. Op. 11. D. 88. L. 5.\n\n"
                   "Agreed.\n\nStalin.\n", encoding="utf-8")
    r = corresp("check", "--review", src)
    assert "    in the intro of 1935 August" in r.stdout and "    note 1: Stalin left Moscow" in r.stdout
    r = corresp("check", "--review", "--format", "toml", src)
    entry = [l[2:] for l in r.stdout.splitlines() if l.startswith("# ") and " = " in l and "|" not in l]
    assert entry == ['kind = "marker"', 'chapter = "1935 August"', "note = 1",
                     'after = "Stalin\'s vacation in 1935 was long"']
    entry[-1] = 'after = "vacation"'
    src.with_name("intro.corrections.toml").write_text("[[correction]]\n" + "\n".join(entry) + "\n", encoding="utf-8")
    edition, _ = read_sources([src])
    assert edition.chapters[0].intro[0].content[0].text == "Stalin's vacation"
    r = corresp("check", "--review", src)
    assert "corrected by 'marker #1'" in r.stdout
