"""The edition's identity, stable from build to build: a UUID for the CMIF `bibl` and the
TEI `idno`, derived (uuid5) from what names the edition, never from the time or the
machine. Title, subtitle, editors and the source file names are that identity: the same
volume rebuilt after a parser fix keeps its UUID; another volume gets another one.
"""
from __future__ import annotations

import uuid

from ...model import Edition

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/corresp/corresp#edition")


def edition_uuid(edition: Edition) -> str:
    """A UUID that begins with a letter, so it can be an xml:id as it is (CMIF's
    `bibl/@xml:id`): the first of uuid5(identity#0), uuid5(identity#1), … that does."""
    identity = "\x1f".join([edition.title, edition.subtitle or "", "\x1e".join(edition.editors),
                            "\x1e".join(c.source or c.title for c in edition.chapters)])
    k = 0
    while True:
        value = str(uuid.uuid5(NAMESPACE, f"{identity}#{k}"))
        if value[0].isalpha():
            return value
        k += 1
