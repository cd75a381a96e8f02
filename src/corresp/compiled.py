"""Compiled twins of the build's hot modules: optional, and never stale.

`setup.py` compiles the modules it lists in `ACCELERATED` with Cython when it and a C
compiler are there (a `.pxd` beside a module gives its hot loops C types; the others are
compiled untyped, which spares the interpreter's dispatch), into modules named `_NAME_fast`
in the same package, each carrying the SHA-256 of the text it was compiled from
(`SOURCE_SHA256`). Each of those `.py` files ends by calling `use_twin(__name__, __file__)`,
which, given a twin, hands the module's place in `sys.modules` to it: every importer then
gets the compiled module, and its caches are the only ones. A twin whose text is not the
`.py`'s as it is now (someone edited it since the build) is not used, so an edit always runs;
without a twin (no compiler, `CORRESP_PURE=1`) everything runs as pure Python.
`CORRESP_PURE=footnotes,story` keeps just those modules pure (to measure what a twin gains).

The twins compute what the pure modules do, bit for bit: C doubles round as Python's floats
(setup.py forbids fused multiply-add and keeps `pow` from the C library, as Python's `**`
has it), and division keeps Python's checks. tests/test_compiled.py compares the two.

A twin runs its module's text a second time, under its own name: the classes it defines
are the twin's (`__module__` is `…._NAME_fast`; pickles name them so, and a process with
the same install finds them), and module-level work other than definitions (registering
into another module's table, say) would happen twice — the modules setup.py lists do none.
"""
from __future__ import annotations

import hashlib
import importlib
import logging
import os
import sys
from types import ModuleType
from typing import Optional

SUFFIX = "_fast"
_log = logging.getLogger(__name__)


def twin_name(module: str) -> str:
    """`pkg.linebreak` -> `pkg._linebreak_fast`."""
    pkg, _, base = module.rpartition(".")
    return f"{pkg}._{base}{SUFFIX}"


def source_digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def _kept_pure(module: str) -> bool:
    pure = os.environ.get("CORRESP_PURE", "")
    if pure in ("", "0"):
        return False
    names = {n.strip() for n in pure.split(",")}
    return pure == "1" or module in names or module.rpartition(".")[2] in names


def twin(module: str, path: str) -> Optional[ModuleType]:
    """The compiled twin of the pure module `module` (its file `path`), or None: none was
    built, `CORRESP_PURE` names it (or is 1), or it was compiled from another text than `path`'s."""
    if module.endswith(SUFFIX) or _kept_pure(module):
        return None  # (the twin itself runs this same tail)
    try:
        fast = importlib.import_module(twin_name(module))
    except ImportError:
        return None
    except Exception as exc:  # a twin built by an older corresp may fail in its own ways
        _log.debug("%s: compiled twin not used (%s: %s)", module, type(exc).__name__, exc)
        return None
    try:
        digest = source_digest(path)
    except OSError:
        return None
    if getattr(fast, "SOURCE_SHA256", None) != digest:
        _log.debug("%s: compiled twin not used: %s changed since it was built (make setup builds it again)",
                   module, path)
        return None
    return fast


def use_twin(module: str, path: str) -> None:
    """The last line of a module setup.py compiles: its twin, if there is a current one,
    takes its place in `sys.modules` (the import that is running then returns the twin)."""
    fast = twin(module, path)
    if fast is not None:
        sys.modules[module] = fast
