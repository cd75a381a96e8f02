"""The optional compiled twins of the build's hot modules (corresp/compiled.py).

Everything else is in pyproject.toml. Each of `ACCELERATED` is copied, with the SHA-256 of
its text appended, to `build/cython/PACKAGE/_NAME_fast.py` (its `.pxd`, the C types, beside
it, if it has one), compiled by Cython and then by the C compiler into its package. Without
Cython or a C compiler the build says so and goes on: the package is then pure Python, the
same output, slower.
"""
from __future__ import annotations

import hashlib
import os
import platform
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
SOURCES = Path("src")
# The modules compiled, each of which ends with `use_twin(__name__, __file__)` (or, in
# pdf_parts, the same in three lines). Each is here because its twin saves measurable CPU in
# a build (bench/history.md, Issue 25 third round); none defines a pydantic model or
# registers anything at import (a twin runs its module's text again: compiled.py).
# (The Makefile reads these lines: one quoted path a line.)
ACCELERATED = [
    "corresp/exporters/pdf_parts/words",
    "corresp/exporters/pdf_parts/linebreak",
    "corresp/exporters/pdf_parts/textblock",
    "corresp/readers/text/document",
    "corresp/readers/text/lines",
    "corresp/readers/text/chapter",
    "corresp/readers/text/markers",
    "corresp/readers/text/layout",
    "corresp/exporters/pdf_parts/story",
    "corresp/exporters/pdf_parts/tagging",
    "corresp/exporters/pdf_parts/serialize",
    "corresp/exporters/pdf_parts/note_area",
    "corresp/exporters/pdf_parts/keep",
    "corresp/exporters/pdf_parts/pdfops",
    "corresp/tei_xml",
    "corresp/exporters/docx_parts/contents",
    "corresp/exporters/docx_parts/splice",
]
GENERATED = Path("build", "cython")

# Floats must round exactly as Python's do (the PDF's bytes depend on them):
#  -ffp-contract=off: no fused multiply-add (a*b + c rounded once; Python rounds twice);
#    GCC contracts by default where the CPU has FMA (aarch64, -march=native).
#  -fno-builtin-pow: `x ** 2` stays a call to the C library's pow, as in Python; GCC would
#    make it x*x, which differs from glibc's pow in the last bit for about 1 in 1,000 x.
#  -fno-fast-math (whatever CFLAGS say), and Cython's cdivision stays off (Python's division).
# Other compilers (MSVC) and 32-bit x86 (x87 registers keep more than a double's precision)
# are not tried: the package is pure Python there.
UNIX_FLAGS = ["-ffp-contract=off", "-fno-builtin-pow", "-fno-fast-math", "-g0"]  # (-g0: a fifth of the size)
# (annotation_typing off: the .py files' annotations document, the .pxd files type)
DIRECTIVES = {"language_level": 3, "cdivision": False, "binding": True, "annotation_typing": False}


def _warn(message: str) -> None:
    print(f"corresp: {message}; corresp runs as pure Python (same output, slower)", file=sys.stderr)


class OptionalBuildExt(build_ext):
    """Cythonizes the twins just before compiling them; any failure is a warning."""

    def finalize_options(self):
        super().finalize_options()
        if not self.parallel:  # (the C files are independent: one compiler a core)
            self.parallel = os.cpu_count() or 1

    def run(self):
        if platform.machine().lower() in ("i386", "i486", "i586", "i686", "x86") or sys.maxsize < 2**32:
            _warn("the compiled layout modules are not built on 32-bit x86")
            return
        try:
            from Cython.Build import cythonize
        except ImportError:
            _warn("Cython is not installed, the compiled layout modules are not built")
            return
        kept = []
        for ext in self.extensions:  # (setuptools has set up its own Extension objects)
            try:
                [made] = cythonize([_generate(ext.name)], compiler_directives=DIRECTIVES,
                                   include_path=[str(GENERATED)], quiet=True)
            except Exception as exc:  # a Cython that cannot compile it (too old, a bug): that one pure
                _warn(f"Cython failed on {ext.name} ({type(exc).__name__}: {exc})")
                continue
            ext.sources = made.sources
            kept.append(ext)
        self.extensions[:] = kept
        super().run()

    def build_extension(self, ext):
        if self.compiler.compiler_type != "unix":
            _warn(f"{ext.name} is compiled only by GCC or Clang, whose floating-point flags are checked")
            return
        ext.extra_compile_args = UNIX_FLAGS
        try:
            super().build_extension(ext)
        except Exception:  # (setuptools goes on without it: `optional`)
            _warn(f"{ext.name} could not be compiled (is there a C compiler?)")
            raise


def _generate(module: str) -> Extension:
    """`build/cython/corresp/…/_NAME_fast.py` from NAME.py (+ its SHA-256, which compiled.twin checks)
    and NAME.pxd: Cython names a module after its file, and finds its types beside it."""
    dotted, _, fast = module.rpartition(".")
    package = Path(*dotted.split("."))
    src = HERE / SOURCES / package / f"{fast[1:-len('_fast')]}.py"
    # (in a copy of the package's folders: Cython looks for the .pxd of a module in a package
    # by its dotted name)
    out = HERE / GENERATED / package
    out.mkdir(parents=True, exist_ok=True)
    for depth in range(1, len(package.parts) + 1):
        (HERE / GENERATED / Path(*package.parts[:depth]) / "__init__.py").touch()
    data = src.read_bytes()
    text = data.decode("utf-8").rstrip("\n") + f'\n\nSOURCE_SHA256 = "{hashlib.sha256(data).hexdigest()}"\n'
    wanted = {out / f"{fast}.py": text.encode("utf-8")}
    pxd = src.with_suffix(".pxd")
    if pxd.exists():
        wanted[out / f"{fast}.pxd"] = pxd.read_bytes()
    # Written only when changed, so that Cython's own timestamps spare a second run; any
    # change (a .pxd removed too) makes the C file again.
    changed = False
    for path in (out / f"{fast}.py", out / f"{fast}.pxd"):
        have = path.read_bytes() if path.exists() else None
        if have != wanted.get(path):
            changed = True
            if path in wanted:
                path.write_bytes(wanted[path])
            else:
                path.unlink()
    if changed:
        (out / f"{fast}.c").unlink(missing_ok=True)
    return Extension(module, [str((out / f"{fast}.py").relative_to(HERE))], optional=True)


def _twin_name(path: str) -> str:
    """`corresp/x/words` -> `corresp.x._words_fast` (as compiled.twin_name)."""
    package, _, name = path.rpartition("/")
    return f"{package.replace('/', '.')}._{name}_fast"


setup(cmdclass={"build_ext": OptionalBuildExt},
      # Placeholders, so that setuptools runs build_ext (and makes a platform wheel); the run
      # above puts the real ones in their place.
      ext_modules=[Extension(_twin_name(path), [], optional=True) for path in ACCELERATED])
