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
            _promote_survivors()
            gc.enable()


def _promote_survivors() -> None:
    """Move every tracked object to the oldest generation without scanning it.

    Whatever the paused work allocated still sits in the youngest generation, so the first
    collection after the pause would traverse all of it (≈0.15 s for a 100× edition, see
    bench/), only to promote the survivors — the edition itself. freeze() then unfreeze()
    relinks the generation lists in constant time; cycles among those objects are still
    found, by the next full collection. Skipped if someone else froze objects (unfreeze
    would release theirs too).
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
