"""Correspondents as TEI names, and their authority identifiers from `persons.toml`.

A name is the nominative (`Сталин`) where the model has one, the name as printed otherwise;
the printed form (`Сталину`) is kept beside it. `persons.toml`, optional, in the working
folder (beside `edition.toml`), maps names to authority URIs (GND, VIAF, Wikidata):

    Stalin = "https://d-nb.info/gnd/118616927"
    "Каганович" = "https://viaf.org/viaf/52482137"

A name is looked up in its nominative first, then as printed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ...errors import ConfigError
from ...model import Edition, Person

PERSONS_FILE = "persons.toml"
_URI_SCHEMES = ("http://", "https://", "urn:", "info:")
_NOT_URI = re.compile(r"[\s\x00-\x1f\x7f<>\"{}|\\^`]")


def clean(name: str) -> str:
    return " ".join(name.split()).strip(" .,;:")


def as_printed_nominative(person: Person) -> str:
    """The nominative as the model holds it (the printed name where it has none)."""
    return getattr(person, "nominative", None) or person.name


def nominative(person: Person) -> str:
    """The nominative without stray punctuation: the name a catalogue files under."""
    return clean(as_printed_nominative(person)) or clean(person.name) or person.name


@dataclass
class Authorities:
    uris: dict[str, str]
    source: Optional[Path] = None

    def ref(self, person: Person) -> Optional[str]:
        if not self.uris:  # no persons.toml: no name to clean for a look-up
            return None
        return self.uris.get(nominative(person)) or self.uris.get(clean(person.name))

    def coverage(self, edition: Edition) -> tuple[int, int]:
        """(correspondents with an identifier, correspondents), each name counted once."""
        names: dict[str, bool] = {}
        for doc in edition.documents:
            for person in (*doc.senders, *doc.recipients):
                key = nominative(person)
                names[key] = names.get(key, False) or self.ref(person) is not None
        return sum(names.values()), len(names)


def persons_file(options) -> Optional[Path]:
    """`options.persons` if the pipeline sets one, else `persons.toml` in the working folder."""
    given = getattr(options, "persons", None)
    if given:
        return Path(given)
    here = Path.cwd() / PERSONS_FILE
    return here if here.exists() else None  # a folder or a FIFO by that name: load says what it is


def load_authorities(options) -> Authorities:
    path = persons_file(options)
    if path is None:
        return Authorities({})
    from ...files import load_toml
    data = load_toml(path, "persons", ConfigError)[1]
    uris: dict[str, str] = {}
    for name, uri in data.items():
        if not isinstance(uri, str) or not uri.startswith(_URI_SCHEMES) or _NOT_URI.search(uri):
            raise ConfigError(f"{name}: the authority identifier must be a URI (https://…), not {uri!r}",
                              str(path))
        uris[clean(name)] = uri
    return Authorities(uris, path)


def report_coverage(fmt: str, authorities: Authorities, edition: Edition, options) -> None:
    with_id, total = authorities.coverage(edition)
    where = f" ({authorities.source.name})" if authorities.source else " (no persons.toml)"
    options.warnings.append(f"{fmt}: {with_id} of {total} correspondents have an authority identifier{where}")
