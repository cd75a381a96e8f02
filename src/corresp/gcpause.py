"""Pausing Python's cyclic garbage collector around bulk work.

Parsing and exporting allocate hundreds of thousands of small acyclic objects; with a large
edition in memory every collection rescans all of it, which made the stages grow faster
than linearly (a quarter to a third of the time at 100× the seed, see bench/). Reference
counting still frees everything; the collector runs again afterwards.
"""
from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
