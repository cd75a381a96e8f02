"""One `correspDesc` per document: who sent it, to whom, when, and the cipher's stages.

TEI gets everything the model knows: each name (the nominative, with the printed form in
`choice/orig` when they differ), the date as printed with its dating attributes and
`@evidence` for editors' brackets, a `transmitted` action per dispatch line (place, date
and time, the telegram's number as `@n`), and the requisites as a gloss list. CMIF gets
what correspSearch harvests: plain names (`Unknown` where the heading names nobody, as
the CMIF guidelines ask), dates reduced to `YYYY[-MM[-DD]]` attributes, `@source`.
"""
from __future__ import annotations

from typing import Optional

from lxml import etree

from ...model import Document, Person
from .dates import date_attributes, dispatch_when, qualifier_type
from .persons import Authorities, as_printed_nominative, nominative
from ...tei_xml import add_text, sub

NUMBER_KEYS = ("number", "no.", "no", "номер", "номер документа", "№", "n")
UNKNOWN = "Unknown"


def document_number(doc: Document) -> Optional[str]:
    for key, value in doc.requisites.items():
        if key.strip().lower() in NUMBER_KEYS and value.strip():
            return value.strip()
    return None


def _person(parent: etree._Element, person: Person, authorities: Authorities, keep_printed: bool) -> None:
    el = sub(parent, "persName", ref=authorities.ref(person))
    if not keep_printed:  # CMIF: the name alone
        add_text(el, nominative(person))
        return
    name = as_printed_nominative(person)
    if name != person.name:
        choice = sub(el, "choice")
        sub(choice, "reg", name)
        sub(choice, "orig", person.name)
    else:
        add_text(el, name)


def tei_corresp_desc(parent: etree._Element, doc: Document, target: str, authorities: Authorities) -> etree._Element:
    desc = sub(parent, "correspDesc", ref=f"#{target}", key=document_number(doc))
    if doc.senders or (doc.date and doc.date.text):
        sent = sub(desc, "correspAction", type="sent")
        for person in doc.senders:
            _person(sent, person, authorities, keep_printed=True)
        if doc.date and doc.date.text:
            sub(sent, "date", doc.date.text, **date_attributes(doc.date), type=qualifier_type(doc.date.qualifier),
                evidence="conjecture" if doc.date.supplied else None)
    if doc.recipients:
        received = sub(desc, "correspAction", type="received")
        for person in doc.recipients:
            _person(received, person, authorities, keep_printed=True)
    year = doc.date.iso[:4] if doc.date and doc.date.iso else None
    for line in doc.dispatch:
        if not (line.place or line.date or line.time):
            continue
        action = sub(desc, "correspAction", type="transmitted", subtype=line.kind, n=line.number)
        if line.place:
            sub(action, "placeName", line.place)
        printed = ", ".join(x for x in (line.date, line.time) if x)
        if printed:
            when = dispatch_when(line.date, line.time, year)
            sub(action, "date", printed, when=when)
    if doc.requisites:
        note = sub(desc, "note", type="requisites")
        gloss = sub(note, "list", type="gloss")
        for key, value in doc.requisites.items():
            sub(gloss, "label", key)
            sub(gloss, "item", value)
    if len(desc) == 0:  # a correspDesc needs content: say the heading names no one
        sub(sub(desc, "note", type="heading"), "title", doc.heading)
    return desc


def cmif_corresp_desc(parent: etree._Element, doc: Document, source: str, authorities: Authorities) -> etree._Element:
    desc = sub(parent, "correspDesc", key=document_number(doc), source=f"#{source}")
    sent = sub(desc, "correspAction", type="sent")
    for person in doc.senders or [Person(name=UNKNOWN)]:
        _person(sent, person, authorities, keep_printed=False)
    attributes = date_attributes(doc.date)
    if attributes:
        sub(sent, "date", **attributes)
    received = sub(desc, "correspAction", type="received")
    for person in doc.recipients or [Person(name=UNKNOWN)]:
        _person(received, person, authorities, keep_printed=False)
    return desc
