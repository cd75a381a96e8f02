"""corresp outside its checkout (issue 14): the default style ships in the package, a wheel
installed in a fresh virtualenv builds and verifies every format from an empty folder, and
make's set-up (Python version, settings stamps) is right.

The wheel is built once per session, from the sdist (as `python -m build` does), and
installed into a virtualenv outside the checkout. `.ci/run` builds and checks it itself
first and hands it over in CORRESP_WHEEL_VENV and CORRESP_WHEEL_DIST, so CI does it once.
"""
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, SEED

STYLE_FILES = ["styles/pdf.toml", "styles/epub.css", "styles/reference.docx",
               "styles/fonts/LiberationSerif-Regular.ttf", "styles/fonts/LiberationSerif-Italic.ttf",
               "styles/fonts/LiberationSerif-Bold.ttf", "styles/fonts/LiberationSerif-BoldItalic.ttf",
               "styles/fonts/LICENSE-LiberationSerif.txt"]
FORMATS = ["json", "epub", "pdf", "docx"]


@dataclass
class Package:
    dist: Path  # holds the sdist and the wheel
    venv: Path  # a virtualenv outside the checkout with the wheel installed

    @property
    def wheel(self) -> Path:
        return next(self.dist.glob("corresp-*.whl"))

    @property
    def sdist(self) -> Path:
        return next(self.dist.glob("corresp-*.tar.gz"))

    def corresp(self, *args, cwd: Path):
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        return subprocess.run([str(self.venv / "bin" / "corresp"), *map(str, args)], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    if os.environ.get("CORRESP_WHEEL_VENV"):  # made by .ci/run
        yield Package(Path(os.environ["CORRESP_WHEEL_DIST"]), Path(os.environ["CORRESP_WHEEL_VENV"]))
        return
    if shutil.which("git") is None:
        pytest.skip("needs git to copy the checkout")
    work = Path(tempfile.mkdtemp(prefix="corresp-wheel-"))  # outside the checkout, whatever TMPDIR is
    try:
        # The checkout's tracked and new files, as they are now, built where the working tree
        # is not touched (others may be building in it).
        src = work / "src-tree"
        listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                                capture_output=True, check=True).stdout.decode().split("\0")
        for name in filter(None, listed):
            if (ROOT / name).is_file():
                (src / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, src / name)
        dist = work / "dist"
        subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(src)], check=True,
                       capture_output=True, timeout=300)
        venv = work / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        wheel = next(dist.glob("corresp-*.whl"))
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, capture_output=True,
                       timeout=600)
        yield Package(dist, venv)
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"{exc.cmd[:3]} failed: {exc.stderr.decode(errors='replace')[-2000:]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_the_wheel_and_the_sdist_carry_the_default_style(package):
    with zipfile.ZipFile(package.wheel) as z:
        names = set(z.namelist())
    assert {f"corresp/{f}" for f in STYLE_FILES} <= names
    # the web edition's own stylesheet and scripts (exporters/web.py copies them into the site)
    assert {f"corresp/exporters/web_parts/{f}" for f in ("site.css", "notes.js", "search.js")} <= names
    with tarfile.open(package.sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    assert {f"src/corresp/{f}" for f in STYLE_FILES} <= names


def test_the_sdist_carries_what_compiles_the_layout_and_the_wheel_its_twins(package):
    """setup.py compiles the build's hot modules from the sdist (corresp/compiled.py); with a
    C compiler here, the wheel built from it carries every one of them (setup.py's list) and
    the installed package uses them."""
    with tarfile.open(package.sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    parts = "src/corresp/exporters/pdf_parts"
    assert {"setup.py", "src/corresp/compiled.py", f"{parts}/linebreak.pxd",
            f"{parts}/textblock.pxd"} <= names
    if shutil.which(os.environ.get("CC", "cc")) is None:
        return
    with zipfile.ZipFile(package.wheel) as z:
        twins = {n.rsplit("/", 1)[1].split(".")[0] for n in z.namelist() if "_fast." in n}
    listed = {f"_{m.rsplit('/', 1)[1]}_fast" for m in re.findall(r'^    "(corresp/[a-z_/]+)",$',
                                                                  (ROOT / "setup.py").read_text(), re.M)}
    assert {"_words_fast", "_linebreak_fast", "_textblock_fast", "_document_fast"} <= listed
    assert twins == listed
    code = ("from corresp.exporters.pdf_parts import linebreak, textblock, words; "
            "print(linebreak.__name__, textblock.__name__, words.__name__)")
    r = subprocess.run([str(package.venv / "bin" / "python"), "-c", code], capture_output=True, text=True,
                       cwd=tempfile.gettempdir(), env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert r.returncode == 0 and all(n.endswith("_fast") for n in r.stdout.split()), r.stdout + r.stderr


def test_an_installed_wheel_builds_every_format_from_an_empty_folder(package, tmp_path):
    work = tmp_path / "empty"
    work.mkdir()
    shutil.copy(SEED, work / "any.txt")
    r = package.corresp("build", "any.txt", "-o", "out", cwd=work)
    assert r.returncode == 0, r.stderr
    assert {"any.json", "any.epub", "any.pdf", "any.docx"} <= {p.name for p in (work / "out").iterdir()}
    r = package.corresp("verify", "out", cwd=work)
    assert r.returncode == 0, r.stderr
    assert "same documents and notes in every format" in r.stderr


def test_the_installed_package_finds_its_own_style(package, tmp_path):
    r = package.corresp("styles", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    where = Path(r.stdout.splitlines()[0].split(": ", 1)[1])
    assert where.is_relative_to(package.venv) and not where.is_relative_to(ROOT)
    assert (where / "pdf.toml").is_file() and (where / "fonts" / "LiberationSerif-Regular.ttf").is_file()
    r = package.corresp("styles", "--dump", "mine", cwd=tmp_path)
    assert r.returncode == 0 and (tmp_path / "mine" / "reference.docx").is_file()


def test_a_checkout_and_an_editable_install_find_the_style_in_src():
    from corresp.exporters import default_style_dir
    assert default_style_dir() == ROOT / "src" / "corresp" / "styles"
    # ... and so does a checkout that is not installed at all (PYTHONPATH=src, isolated from
    # the installed package's metadata but for its dependencies).
    code = "from corresp.exporters import default_style_dir; print(default_style_dir())"
    r = subprocess.run([sys.executable, "-c", code], cwd=tempfile.gettempdir(), capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert Path(r.stdout.strip()) == ROOT / "src" / "corresp" / "styles", r.stderr


def test_the_repository_style_folder_overrides_nothing_and_duplicates_nothing():
    mine = sorted(p.name for p in (ROOT / "styles").iterdir())
    assert mine == ["README.md"]


# --- make: settings stamps, the Python version, a .venv made by another Python ---------------

def _venv_of_the_checkout(target: Path) -> Path:
    """A stand-in for .venv: the checkout's own Python and corresp, a fresh stamp. make can
    then be tried without touching the shared .venv."""
    (target / "bin").mkdir(parents=True)
    for tool in ("python", "corresp"):
        (target / "bin" / tool).symlink_to(ROOT / ".venv" / "bin" / tool)
    (target / ".installed").touch()
    return target


def _fake_python(path: Path, version: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return path


needs_venv = pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "corresp").exists() or shutil.which("make") is None,
                                reason="needs make and the checkout's .venv")


@needs_venv
def test_make_rebuilds_when_notes_or_styles_change(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / "m.txt")
    other = tmp_path / "other-style"
    other.mkdir()  # an empty style folder: all defaults, but another setting
    venv = _venv_of_the_checkout(tmp_path / "venv")
    args = ["make", "-C", str(ROOT), f"VENV={venv}", f"SEEDS_DIR={seeds}", f"OUT={tmp_path / 'out'}",
            f"PYTHON={ROOT / '.venv' / 'bin' / 'python'}"]

    def make(*more):
        return subprocess.run(args + list(more), capture_output=True, text=True)
    first = make("-j2", "json", "epub")
    assert first.returncode == 0, first.stderr
    assert make("-q", "json", "epub").returncode == 0  # nothing to do
    assert make("-q", "json", "NOTES=continuous").returncode == 1
    assert make("json", "NOTES=continuous").returncode == 0
    assert '"notes_scheme": "continuous"' in (tmp_path / "out" / "m.json").read_text()
    assert make("-q", "json", "NOTES=continuous").returncode == 0
    assert make("-q", "epub", "NOTES=continuous", f"STYLES={other}").returncode == 1  # a style change
    assert make("-q", "json", "NOTES=continuous", f"STYLES={other}").returncode == 0  # JSON has no style
    again = make("clean", "json")  # the stamps go with the outputs and come back in the same run
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "out" / "m.json").exists() and (tmp_path / "out" / ".settings" / "notes").exists()


@needs_venv
def test_make_checks_the_python_version_before_making_the_venv(tmp_path):
    old = _fake_python(tmp_path / "py310" / "python3.10", "3.10")
    venv = tmp_path / "new-venv"
    r = subprocess.run(["make", "-C", str(ROOT), f"VENV={venv}", f"PYTHON={old}", f"OUT={tmp_path / 'out'}",
                        "setup"], capture_output=True, text=True)
    assert r.returncode != 0
    assert "corresp needs Python >= 3.11" in r.stderr and "is 3.10" in r.stderr
    assert not venv.exists()


@needs_venv
def test_make_makes_again_a_venv_made_by_another_python(tmp_path):
    stale = tmp_path / "stale-venv"
    _fake_python(stale / "bin" / "python", "3.10")
    (stale / ".installed").touch()
    base = ["make", "-C", str(ROOT), f"OUT={tmp_path / 'out'}", f"PYTHON={ROOT / '.venv' / 'bin' / 'python'}"]
    dry = subprocess.run(base + [f"VENV={stale}", "-n", "setup"], capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    remove = next(i for i, line in enumerate(lines) if line.startswith(f"rm -rf {stale}"))
    create = next(i for i, line in enumerate(lines) if f"-m venv {stale}" in line)
    assert remove < create
    # A .venv of the same Python is kept.
    good = _venv_of_the_checkout(tmp_path / "good-venv")
    assert subprocess.run(base + [f"VENV={good}", "-q", "setup"]).returncode == 0
