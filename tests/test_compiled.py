"""The compiled twins (corresp/compiled.py, setup.py) compute what the pure modules do, bit
for bit, and never stand in for a module edited since they were built.

Each comparison runs the same probe in two processes, one with the twins and one with
`CORRESP_PURE=1`: thousands of paragraphs (the seed's words, with note markers, no-break
spaces, right-to-left words, line ends and words wider than a line; every style of the book,
justified with hyphenation or not, at widths from a narrow column to a page) broken into
lines, split and drawn, and the seed's PDF built; and every format of the seed (the parse,
EPUB, TEI and DOCX twins). Floats are compared by their exact repr.
Skipped where no twin was built (no C compiler): the pure modules are then all there is.
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEED

PARTS = ROOT / "src" / "corresp" / "exporters" / "pdf_parts"
TWINS = ["words", "linebreak", "textblock"]
# Every module setup.py compiles (`corresp/readers/text/document`, …)
ACCELERATED = re.findall(r'^    "(corresp/[a-z_/]+)",$', (ROOT / "setup.py").read_text(encoding="utf-8"), re.M)

built = pytest.mark.skipif(
    not all(list(PARTS.glob(f"_{name}_fast.*.so")) or list(PARTS.glob(f"_{name}_fast.*.pyd")) for name in TWINS),
    reason="the compiled twins are not built here (make setup, with Cython and a C compiler)")


def _built(path: str) -> bool:
    folder, _, name = (ROOT / "src" / path).as_posix().rpartition("/")
    return any(Path(folder).glob(f"_{name}_fast.*.so")) or any(Path(folder).glob(f"_{name}_fast.*.pyd"))


all_built = pytest.mark.skipif(not all(_built(m) for m in ACCELERATED),
                               reason="not every compiled twin is built here (make setup, with Cython and a C compiler)")

PROBE = r'''
import hashlib, io, random, sys
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from corresp.exporters.pdf_parts import linebreak, textblock, words
from corresp.exporters.pdf_parts.fonts import register_fonts
from corresp.exporters.pdf_parts.hyphenate import hyphenator_for
from corresp.exporters.pdf_parts.markers import back_label, marker
from corresp.exporters.pdf_parts.story import make_styles
from corresp.exporters.pdf_parts.style import load_style

print(" ".join(m.__name__.rsplit(".", 1)[1] for m in (words, linebreak, textblock)))
style = load_style(None)
fonts = register_fonts(style)
rng = random.Random(25)
vocab = Path(sys.argv[1]).read_text(encoding="utf-8").split()
extras = ["Comrade\u00a0N.N.\u00a0Ordzhonikidze", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627",
          "x" * 90, "representatives", "well-known", "\u00abo\u00a0khlebozagotovkakh\u00bb", "Pyatnitsky"]
digest = hashlib.sha256()


def paragraph(k):
    # (markers as the story places them: after a word, not one wider than a line; a note's
    # label before its text)
    items, text = ([back_label(f"d.{k}", "7"), "\u00a0"] if rng.random() < 0.2 else []), []
    for _ in range(rng.randrange(1, 90)):
        r = rng.random()
        if r < 0.04 and text and text[-1] not in extras and text[-1] != "\n" and len(text[-1]) < 16:
            items.append(" ".join(text))
            text = [""]
            items.append(marker(f"d.{k}.{len(items)}", str(rng.randrange(1, 300))))
        elif r < 0.07:
            text.append(rng.choice(extras))
        elif r < 0.08:
            text.append("\n")
        else:
            text.append(rng.choice(vocab))
    items.append(" ".join(text))
    return [i for i in items if i != ""] or ["word"]


for language in ("en", "ru"):
    styles = make_styles(style, fonts, hyphenator_for("auto", language))
    for k in range(700):
        st = styles[rng.choice(sorted(styles))]
        items = paragraph(k)
        for width in (rng.uniform(110, 200), rng.uniform(200, 420)):
            para = textblock.TextParagraph(items, st)
            w, h = para.wrap(width, 10_000)
            digest.update(repr((w, h, para.lines(width), para.tokens)).encode())
            canv = Canvas(io.BytesIO())
            pieces = para.split(width, h / 2) or [para]
            for piece in pieces:
                piece.wrap(width, 10_000)
                piece.drawOn(canv, rng.choice([0, 36.5, 72]), rng.uniform(0, 700))
            digest.update("\n".join(canv._code).encode())
            digest.update(repr([p.note_keys() for p in pieces] + [textblock.word_count(para.tokens)]).encode())
print(digest.hexdigest())
'''


def _run(code: str, *args, pure: bool, src=ROOT / "src", cwd=ROOT) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CORRESP_PURE"}
    env.update(PYTHONPATH=str(src), SOURCE_DATE_EPOCH="1767225600")
    if pure:
        env["CORRESP_PURE"] = "1"
    r = subprocess.run([sys.executable, "-c", code, *map(str, args)], env=env, cwd=cwd, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout


@built
def test_the_twins_lay_out_and_draw_every_paragraph_as_the_pure_modules_do():
    fast, pure = (_run(PROBE, SEED, pure=p).splitlines() for p in (False, True))
    assert fast[0] == "_words_fast _linebreak_fast _textblock_fast"
    assert pure[0] == "words linebreak textblock"
    assert fast[1] == pure[1]


@built
def test_the_seed_pdf_is_the_same_with_the_twins_and_without(tmp_path):
    build = ("import sys; from corresp.cli import main; "
             "sys.argv = ['corresp', 'build', *sys.argv[1:]]; main()")
    sums = []
    for pure in (False, True):
        out = tmp_path / ("pure" if pure else "fast")
        _run(build, SEED, "-o", out, "-f", "pdf", "-f", "pdf-print", "--notes", "continuous", "-q", pure=pure)
        sums.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("*.pdf"))})
    assert len(sums[0]) == 2 and sums[0] == sums[1]


def test_setup_compiles_the_modules_it_says_and_each_ends_by_asking_for_its_twin():
    assert {f"corresp/exporters/pdf_parts/{n}" for n in TWINS} | {"corresp/readers/text/document"} <= set(ACCELERATED)
    for path in ACCELERATED:
        text = (ROOT / "src" / f"{path}.py").read_text(encoding="utf-8")
        assert text.rstrip().endswith(("use_twin(__name__, __file__)  # its compiled twin (setup.py), if built",
                                       "sys.modules[__name__] = _twin")), path


@all_built
def test_every_twin_is_used():
    names = ", ".join(repr(m.replace("/", ".")) for m in ACCELERATED)
    probe = f"import importlib; print(' '.join(importlib.import_module(m).__name__ for m in [{names}]))"
    got = _run(probe, pure=False).split()
    assert got == [f"{m.rpartition('/')[0].replace('/', '.')}._{m.rpartition('/')[2]}_fast" for m in ACCELERATED]
    assert _run(probe, pure=True).split() == [m.replace("/", ".") for m in ACCELERATED]


@all_built
def test_the_seed_is_the_same_in_every_format_with_the_twins_and_without(tmp_path):
    """The parse, typography, EPUB, TEI, DOCX and PDF twins together: every file of the seed
    (with its notes per document and continuous)."""
    build = ("import sys; from corresp.cli import main; "
             "sys.argv = ['corresp', 'build', *sys.argv[1:]]; main()")
    sums = []
    for pure in (False, True):
        got = {}
        for notes in ("per-document", "continuous"):
            out = tmp_path / f"{pure}-{notes}"
            _run(build, SEED, "-o", out, "--notes", notes, "-q", pure=pure)
            got.update({f"{notes}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted(out.iterdir()) if p.is_file()})
        sums.append(got)
    assert {n.rsplit(".", 1)[1] for n in sums[0]} >= {"epub", "pdf", "docx", "xml", "json"}
    assert sums[0] == sums[1]


@built
def test_a_twin_built_from_another_text_is_not_used(tmp_path):
    """Someone edits linebreak.py after the build: that module runs as written (its twin
    is left out), while the twins of the modules not edited still run."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "corresp", src / "corresp", ignore=shutil.ignore_patterns("__pycache__"))
    edited = src / "corresp" / "exporters" / "pdf_parts" / "linebreak.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEDITED = True\n", encoding="utf-8")
    probe = ("from corresp.exporters.pdf_parts import linebreak, textblock, words\n"
             "print(linebreak.__name__, getattr(linebreak, 'EDITED', False), textblock.__name__, words.__name__)")
    got = _run(probe, pure=False, src=src, cwd=tmp_path).split()
    assert got == ["corresp.exporters.pdf_parts.linebreak", "True",
                   "corresp.exporters.pdf_parts._textblock_fast", "corresp.exporters.pdf_parts._words_fast"]


def test_without_twins_the_pure_modules_run(tmp_path):
    """No compiler, no twins: the package imports and lays out as pure Python."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "corresp", src / "corresp",
                    ignore=shutil.ignore_patterns("__pycache__", "_*_fast.*.so", "_*_fast.*.pyd"))
    probe = ("from corresp.exporters.pdf_parts import linebreak, textblock, words\n"
             "from corresp.compiled import twin\n"
             "print(linebreak.__name__, textblock.__name__, words.__name__, twin(words.__name__, words.__file__))")
    got = _run(probe, pure=False, src=src, cwd=tmp_path).split()
    assert got == ["corresp.exporters.pdf_parts.linebreak", "corresp.exporters.pdf_parts.textblock",
                   "corresp.exporters.pdf_parts.words", "None"]


def test_the_twins_and_their_generated_sources_stay_out_of_git():
    for path in ("build/cython/corresp/exporters/pdf_parts/_words_fast.c",
                 "src/corresp/exporters/pdf_parts/_words_fast.cpython-311-x86_64-linux-gnu.so",
                 "src/corresp/readers/text/_document_fast.cpython-311-x86_64-linux-gnu.so",
                 "src/corresp/_tei_xml_fast.cpython-311-x86_64-linux-gnu.so"):
        assert subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0, path
