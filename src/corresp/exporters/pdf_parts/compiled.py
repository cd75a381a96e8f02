"""Compiled twins of the PDF layout's hot modules: optional, and never stale.

`setup.py` compiles `words.py`, `linebreak.py` and `textblock.py` with Cython when it and a
C compiler are there (the `.pxd` beside each gives the hot loops C types), into modules named
`_words_fast`, `_linebreak_fast` and `_textblock_fast`, each carrying the SHA-256 of the
text it was compiled from (`SOURCE_SHA256`). Each of those `.py` files ends by asking
`twin(__name__, __file__)` and, given a twin, hands its place in `sys.modules` to it: every
importer then gets the compiled module, and its caches are the only ones. A twin whose text
is not the `.py`'s as it is now (someone edited it since the build) is not used, so an edit
always runs; without a twin (no compiler, `CORRESP_PURE=1`) everything runs as pure Python.

The twins compute what the pure modules do, bit for bit: C doubles round as Python's floats
(setup.py forbids fused multiply-add and keeps `pow` from the C library, as Python's `**`
has it), and division keeps Python's checks. tests/test_compiled.py compares the two.
"""
from __future__ import annotations

import hashlib
import importlib
import logging
import os
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


def twin(module: str, path: str) -> Optional[ModuleType]:
    """The compiled twin of the pure module `module` (its file `path`), or None: none was
    built, `CORRESP_PURE` is set, or it was compiled from another text than `path`'s."""
    if module.endswith(SUFFIX) or os.environ.get("CORRESP_PURE"):
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
