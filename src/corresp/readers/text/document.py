"""One document: from its heading line and the lines up to the next heading to a Document.

Order of work: requisites block → archive line → split off the notes → header lines from
the front (transmission, dispatch, address, dateline, salutation) → tail from the back
(secretary annotations, signature, postscript) → body with enclosures → markers and notes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ...diagnostics import Reporter
from ...model import Debris, Document
from . import lines as L
from .archive import archive_line, parse_archive
from .heading import ARCHIVE_LABEL, Heading
from .ids import IdMaker
from .markers import Part, reconcile
from .notes import SUPERSCRIPTS, is_separator, parse_notes
from . import requisites
from .source import Line

_OPEN_QUOTES = "“«„\""
_ENDS_SENTENCE = re.compile(r"[.!?»”\")\]…]$")
_TELEGRAM = re.compile(r"^(?:Telegram|Телеграмма)\b.{0,80}$")
# Possessive: a word is a name whole or not at all (a plain `[\w\-]+` inside the outer
# repeat can be cut at every capital, exponentially many ways, before the line fails).
_PURE_NAMES = re.compile(r"^(?:(?:[A-ZА-ЯЁ]\.\s?)*+[A-ZА-ЯЁ][\w\-]++[.,]?+\s*+)++$")


@dataclass
class Para:
    text: str
    line: int


def parse_document(heading: Heading, heading_line: Line, lines: list[Line], reporter: Reporter,
                   ids: IdMaker, debris: list[Debris], page_ends: frozenset[int] = frozenset()) -> Document:
    """`page_ends`: the source lines after which a printed page ended (its page number or
    running title, set aside as furniture, follow): notes printed at the foot of a page
    stand right before them, interrupting the text."""
    def warn(code: str, message: str, line: Optional[int] = None) -> None:
        reporter.warning(code, message, line or heading_line.number)

    if heading.date is None:
        warn("heading-no-date", f"heading has no date: {heading.text!r}")
    elif heading.date.iso is None:
        warn("heading-bad-date", f"date {heading.date.text!r} is not a real date; kept as text")

    lines = list(lines)
    req_fields, archive_value = _take_requisites(lines, debris, heading.archive_rest is None)

    archive_text, archive_line = heading.archive_rest, heading_line.number
    if archive_text is None and archive_value is not None:
        archive_text, archive_line = archive_value
    if archive_text is None:
        for idx, line in enumerate(lines[:12]):
            if line.blank:
                continue
            m = ARCHIVE_LABEL.match(line.text)
            if m:
                archive_text, archive_line = line.text[m.end():].strip(), line.number
                nxt = next((k for k in range(idx + 1, len(lines)) if not lines[k].blank), None)
                if not archive_text and nxt is not None:  # `Archive:` alone, the reference below it
                    debris.append(Debris(line=line.number, text=line.text, reason="archive label"))
                    archive_text, archive_line = lines[nxt].text, lines[nxt].number
                    del lines[nxt]
                del lines[idx]
            break
    archive = []
    if archive_text is not None:
        archive = parse_archive(archive_text, lambda c, msg: warn(c, msg, archive_line))

    content_lines, note_lines = lines, []
    for idx, line in enumerate(lines):
        if is_separator(line.text):
            content_lines, note_lines = lines[:idx], lines[idx + 1:]
            debris.append(Debris(line=line.number, text=line.text, reason="notes rule"))
            break
    foot: list[Line] = []
    if page_ends:
        content_lines, foot = _foot_of_page_notes(content_lines, page_ends)
        if foot:
            warn("notes-at-foot", f"{len(foot)} line(s) at the foot of a printed page taken as notes "
                 f"(their numbers follow markers in the text)", foot[0].number)
    if archive_text is None:
        # Printed books and selections give the archive line after the text (before the
        # notes), often without a label or a repository: recognised by its content.
        found = _archive_after_text(content_lines, debris)
        if found is not None:
            archive_text, archive_line, content_lines, more_notes = found
            note_lines = more_notes + note_lines
            archive = parse_archive(archive_text, lambda c, msg: warn(c, msg, archive_line))
    if archive_text is None:
        warn("no-archive", f"document has no archive line: {heading.text!r}")
    paras = [Para(l.text, l.number) for l in content_lines if l.text]  # (the lines not blank)
    late = requisites.find_after_notes(note_lines) if note_lines else None
    if late is not None:  # the block printed after the notes is metadata, not a note's text
        for line in late.metadata_lines:
            debris.append(Debris(line=line.number, text=line.text, reason="requisites (kept as metadata)"))
        req_fields = {**req_fields, **late.fields}
        if late.archive and archive_text is None:
            archive_text, archive_line = late.archive
            archive = parse_archive(archive_text, lambda c, msg: warn(c, msg, archive_line))
        elif late.archive:
            line_text = next((l.text for l in note_lines if l.number == late.archive[1]), late.archive[0])
            debris.append(Debris(line=late.archive[1], text=line_text, reason="second archive line"))
        note_lines = note_lines[:late.start] + note_lines[late.end:]
    raw_notes = parse_notes(foot + note_lines, debris)
    if not raw_notes:
        # A repost that dropped the notes keeps their markers glued after a full stop
        # (`директив.1`): kept as the text's digits, but said, never silently.
        for para in paras:
            m = _ORPHAN_MARKER.search(para.text)
            if m:
                warn("marker-orphan", f"digits {m.group(1)!r} after {para.text[max(0, m.start(1) - 30):m.start(1)]!r} "
                     "look like a note marker, but the document has no notes: kept as text", para.line)

    senders = [p.name for p in heading.senders]
    recipients = [p.name for p in heading.recipients]
    # The tail first: a lone "Stalin." is a signature, not an address line.
    secretary_memo: dict = {}  # the tail's lines are read as secretary lines several times
    body, signature, postscript, secretary = _split_tail(paras, senders, secretary_memo)
    header, body = _take_header(body, recipients)

    # Parts in the model's reading order (Document.iter_parts), so numbering follows it.
    parts: list[Part] = []
    sec_markers: dict[int, tuple[int, int, str, bool]] = {}
    for role, p in header:
        parts.append(Part(role, p.text, p.line))
    # An empty body still gets a (placeholder) paragraph: a note with no marker anywhere
    # is attached there, before the signature and secretary lines, as the reading order wants.
    body_groups = _group_enclosures(body) or [[(Para("", heading_line.number), False)]]
    for group in body_groups:
        role = "enclosure" if len(group) > 1 or group[0][1] else "body"
        parts += [Part(role, p.text, p.line) for p, _ in group]
    if signature:
        parts.append(Part("signature", signature.text, signature.line))
    ps_groups = _group_enclosures(postscript)
    for group in ps_groups:
        role = "postscript-enclosure" if len(group) > 1 or group[0][1] else "postscript"
        parts += [Part(role, p.text, p.line) for p, _ in group]
    sec_fields = []
    for p in secretary:
        fields = _secretary_fields(p.text, secretary_memo) or L.record_fields(p.text)
        if fields["marker"]:
            start, end = fields["marker_span"]
            sec_markers[len(parts)] = (start, end, fields["marker"], fields["marker_glued"])
        parts.append(Part("secretary", p.text, p.line))
        sec_fields.append(fields)

    paragraphs, footnotes, removed = reconcile(parts, raw_notes, lambda c, m, ln: warn(c, m, ln), sec_markers)
    debris += [Debris(line=ln, text=t, reason="note marker without a note") for ln, t in removed if ln]

    doc = dict(transmission=[], dispatch=[], address=[], dateline=None, salutation=None, body=[],
               signature=None, postscript=[], secretary=[])
    it = iter(zip(parts, paragraphs))
    for role, _ in header:
        part, para = next(it)
        if role == "dispatch":
            fields = L.parse_dispatch(part.text) or {"kind": "series"}
            doc["dispatch"].append({**para, "type": "dispatch", **fields})
        elif role in ("dateline", "salutation"):
            doc[role] = para
        else:
            doc[role].append(para)
    doc["body"] = [b for b in _blocks(body_groups, it) if b["type"] != "paragraph" or b["content"]]
    if signature:
        doc["signature"] = next(it)[1]
    doc["postscript"] = _blocks(ps_groups, it)
    for fields in sec_fields:
        _, para = next(it)
        doc["secretary"].append({**para, "type": "secretary", "number": fields["number"], "time": fields["time"],
                                 "date": fields["date"]})

    if not body and not signature and not postscript:
        warn("no-text", f"document has no text: {heading.text!r}")
    elif not signature and not secretary and body and not _ENDS_SENTENCE.search(body[-1].text):
        warn("cut-off", "document ends mid-sentence, without a signature (page saved incompletely?); kept as it is",
             body[-1].line)

    return Document.model_validate(dict(
        id=ids.make(senders, recipients, heading.date.iso if heading.date else None, heading.text),
        heading=heading.text, line=heading_line.number, senders=heading.senders, recipients=heading.recipients,
        date=heading.date, requisites=req_fields, archive=archive, archive_text=archive_text,
        archive_line=archive_line if archive_text is not None else None,
        footnotes=footnotes, **doc))


# The reference to where the document was printed first, next to its archive line
# (`Сталин и Каганович. Переписка. 1931–1936 гг. С. 231.`), and a source line
# (`Источник: …`, `Source: …`): the page's apparatus, not the letter's text.
_ORPHAN_MARKER = re.compile(r"[a-zа-яё]{3}[.,;:»”)](\d{1,2})(?=\s|$)")
_SOURCE_LINE = re.compile(r"^(?:Источник|Source)\s*+:")
_PAGE_REFERENCE = re.compile(r"\b(?:С|P|pp?)\.\s?\d{1,4}(?:\s?[–-]\s?\d{1,4})?\.?\s*+\|?\s*+$")
_NOTE_START = re.compile(r"^(?:\d{1,3}|[%s]{1,3})\s*+[^\W\d_]" % SUPERSCRIPTS)


def _archive_after_text(lines: list[Line], debris: list[Debris]):
    """(archive text, its line number, the lines without it and the apparatus, the notes
    printed after it) when an archive line stands among the document's lines, else None.
    The lines after it are notes when they open with a note number (the foot of a book's
    page); source and first-publication lines beside it are debris."""
    for idx in range(len(lines) - 1, -1, -1):
        line = lines[idx]
        if line.blank:
            continue
        text = archive_line(line.text)
        if text is None:
            continue
        keep = lines[:idx]
        after = lines[idx + 1:]
        while keep and (keep[-1].blank or _is_apparatus(keep[-1].text)):
            gone = keep.pop()
            if not gone.blank:
                debris.append(Debris(line=gone.number, text=gone.text, reason="publication reference"))
        rest = []
        for k, l in enumerate(after):
            if l.blank:
                continue
            if _is_apparatus(l.text):
                debris.append(Debris(line=l.number, text=l.text, reason="publication reference"))
                continue
            if _NOTE_START.match(l.text):
                return text, line.number, keep + rest, after[k:]
            rest.append(l)
        return text, line.number, keep + rest, []
    return None


def _foot_of_page_notes(lines: list[Line], page_ends: frozenset[int]) -> tuple[list[Line], list[Line]]:
    """(the text, the notes printed at the foot of its pages): a run of lines opening with a
    note number, ending where a printed page ended, each number one that a marker glued
    to the text before it carries (`хлебозакупках1.`), so a paragraph that opens with a
    number (`1 января …`) stays text."""
    keep: list[Line] = []
    notes: list[Line] = []
    run: list[Line] = []
    text_so_far = []
    note_open = False  # the last foot note broke off mid-sentence at the end of its page
    for line in lines:
        if note_open and not line.blank:
            # The next leaf opens with the rest of that note (`не обнаружен; …`), not the letter.
            note_open = line.text[:1].islower() and not _SENTENCE_END.search(line.text)
            if line.text[:1].islower():
                notes.append(line)
                continue
        m = _NOTE_START.match(line.text) if not line.blank else None
        if m and _marked_before(line.text, text_so_far):
            run.append(line)
            if line.number in page_ends:
                notes += run
                run = []
                note_open = not _SENTENCE_END.search(line.text)
            continue
        if line.blank and run:
            run.append(line)
            continue
        keep += run
        text_so_far += [l.text for l in run]
        run = []
        keep.append(line)
        text_so_far.append(line.text)
    keep += run
    return keep, notes


_SENTENCE_END = re.compile(r"[.!?…)»”\]]\s*$")
_LEADING_NUMBER = re.compile(r"^(\d{1,3}|[%s]{1,3})" % SUPERSCRIPTS)


def _marked_before(text: str, before: list[str]) -> bool:
    number = _LEADING_NUMBER.match(text).group(1)
    glued = re.compile(rf"[^\W\d_][.,;:!?»”)]?{re.escape(number)}(?!\d)")
    return any(glued.search(t) for t in before[-40:])


def _is_apparatus(text: str) -> bool:
    return bool(_SOURCE_LINE.match(text)) or (len(text) < 200 and bool(_PAGE_REFERENCE.search(text))
                                              and archive_line(text) is None)


def _take_requisites(lines: list[Line], debris: list[Debris], archive_wanted: bool = True
                     ) -> tuple[dict[str, str], Optional[tuple[str, int]]]:
    """Remove the requisites block from `lines`; return its fields and its archive value
    (text, line), if any. When the heading already carried the archive line (glued to it),
    a lone archive line below is left to the text, and one inside a block is recorded."""
    block = requisites.find(lines, 0)
    if block is None or (not archive_wanted and not block.fields):
        return {}, None
    if not archive_wanted and block.archive:
        value, number = block.archive
        text = next((l.text for l in lines[block.start:block.end] if l.number == number), value)
        debris.append(Debris(line=number, text=text, reason="second archive line"))
        block.archive = None
    # The raw lines stay on record, so every character of the source is accounted for.
    for line in block.metadata_lines:
        reason = "requisites label" if requisites.HEADER.match(line.text) else "requisites (kept as metadata)"
        debris.append(Debris(line=line.number, text=line.text, reason=reason))
    del lines[block.start:block.end]
    return block.fields, block.archive


def _take_header(paras: list[Para], recipients: list[str]) -> tuple[list[tuple[str, Para]], list[Para]]:
    header: list[tuple[str, Para]] = []
    roles: set[str] = set()  # the roles in `header` so far
    for i, p in enumerate(paras):
        t = p.text
        if "salutation" in roles:
            return _ordered(header), paras[i:]  # the letter's text starts after "Dear Comrade ...!"
        if L.is_transmission(t):
            # The series of a cipher (`Серия «Г».`) printed after its dispatch line is part of it.
            role = "dispatch" if L.is_series(t) and header and header[-1][0] == "dispatch" else "transmission"
        elif L.parse_dispatch(t):
            role = "dispatch"
        elif L.is_dateline(t) and "dateline" not in roles:
            role = "dateline"
        elif L.SALUTATION.match(t):  # (never a second one: the loop ends after the first)
            role = "salutation"
        elif L.is_address(t, recipients):
            role = "address"
        elif L.is_place(t) and i + 2 < len(paras) and L.is_address(paras[i + 1].text, recipients):
            role = "address"  # `Сочи.` / `Сталину.`: an address on two lines, the place first
        else:
            return _ordered(header), paras[i:]
        header.append((role, p))
        roles.add(role)
    return _ordered(header), []


def _ordered(header: list[tuple[str, Para]]) -> list[tuple[str, Para]]:
    rank = {"transmission": 0, "dispatch": 1, "address": 2, "dateline": 3, "salutation": 4}
    return sorted(header, key=lambda rp: rank[rp[0]])  # stable: source order within a role


def _secretary_fields(text: str, memo: Optional[dict] = None) -> Optional[dict]:
    """`L.parse_secretary(text)`, read once per text of a document (`memo`): the tail is
    read from its end, then around the signature, then for the fields of its lines."""
    if memo is None:
        return L.parse_secretary(text)
    try:
        return memo[text]
    except KeyError:
        found = memo[text] = L.parse_secretary(text)
        return found


def _secretarial(text: str, memo: Optional[dict] = None) -> bool:
    """A secretary's annotation, or a record of the transmission the office added after
    the text (`Из Москвы отправлена …`, `Вх. № 9/ш.`)."""
    return bool(_secretary_fields(text, memo)) or L.is_transmission_record(text)


def _split_tail(paras: list[Para], senders: list[str], memo: Optional[dict] = None):
    """→ body, signature, postscript, secretary. `memo`: see _secretary_fields."""
    k = len(paras)
    secretary: list[Para] = []
    while k > 0 and _secretarial(paras[k - 1].text, memo):
        k -= 1
        secretary.insert(0, paras[k])
    signature = None
    quoted = _inside_quotation(paras[:k]) if any(_CLOSING_QUOTES.search(p.text) for p in paras[:k]) \
        else [False] * k
    by_secretary = None  # the first line signed in a secretary's role: a postscript, not the signature
    for s in range(k - 1, -1, -1):
        if quoted[s]:
            continue  # a telegram quoted in the letter is signed too, but not by the sender
        text = paras[s].text
        if L.is_signature(text, senders):
            sig_text, split = text, None  # (the split below is asked for only when the line is not one)
        else:
            split = L.split_trailing_secretary(text)
            sig_text = split[0] if split and L.is_signature(split[0], senders) else None
        if sig_text is None:
            continue
        if L.signed_as_secretary(sig_text):
            by_secretary = s
            continue
        # Far from the end, only a line of bare names counts (a long enclosure may follow).
        if k - s > 3 and not _PURE_NAMES.match(L.tidy_spaces(sig_text)):
            continue
        # `Мы согласны. Просим ответить. HP 27. Каганович. Орджоникидзе.`: the sentences
        # and the outgoing number before the names are the letter's last paragraph (a
        # greeting before them, `Привет! И. Сталин.`, is part of the signature line).
        glued = L.split_glued_signature(sig_text, senders) if L.mentions_number(sig_text) else None
        lead = None
        if glued and L.has_outgoing_number(glued[0]):
            lead, sig_text = glued
        signature = Para(sig_text, paras[s].line)
        if sig_text != text and split:
            secretary.insert(0, Para(split[1], paras[s].line))
        after = paras[s + 1:k]
        before = paras[:s] + ([Para(lead, paras[s].line)] if lead else [])
        lead_sec = []
        while before and _secretarial(before[-1].text, memo):
            lead_sec.insert(0, before.pop())
        # The sender's place among his date and time lines (`12/IX.` / `19 ч. 30 м.` /
        # `Москва.`) is one of them; a line after the signature standing alone is a postscript.
        marks = [_secretarial(p.text, memo) for p in after]
        for j in range(1, len(after)):
            marks[j] = marks[j] or (marks[j - 1] and L.is_place(after[j].text))
        postscript = [p for p, m in zip(after, marks) if not m]
        mid_sec = [p for p, m in zip(after, marks) if m]
        return before, signature, postscript, lead_sec + mid_sec + secretary
    if by_secretary is not None:  # no signature above it: the secretary's line opens the postscript
        after = paras[by_secretary:k]
        return (paras[:by_secretary], None, [p for p in after if not _secretary_fields(p.text, memo)],
                [p for p in after if _secretary_fields(p.text, memo)] + secretary)
    if k > 0:
        glued = L.split_glued_signature(paras[k - 1].text, senders)
        if glued:
            last = paras[k - 1]
            return paras[: k - 1] + [Para(glued[0], last.line)], Para(glued[1], last.line), [], secretary
    return paras[:k], None, [], secretary


_OPENING_QUOTES = re.compile("[«„“]")
_CLOSING_QUOTES = re.compile("[»”]")


def _inside_quotation(paras: list[Para]) -> list[bool]:
    """For each paragraph, whether it stands inside a quotation: one opened before it and
    closed in it or after it (the scrape leaves some quotes unclosed: those count not)."""
    depth, before = 0, []
    for p in paras:
        before.append(depth)
        depth = max(0, depth + len(_OPENING_QUOTES.findall(p.text)) - len(_CLOSING_QUOTES.findall(p.text)))
    closer_from, seen = [False] * len(paras), False
    for i in range(len(paras) - 1, -1, -1):
        seen = seen or bool(_CLOSING_QUOTES.search(paras[i].text))
        closer_from[i] = seen
    return [d > 0 and c for d, c in zip(before, closer_from)]


def _group_enclosures(paras: list[Para]) -> list[list[tuple[Para, bool]]]:
    """Group paragraphs into runs: [(para, is_enclosure)] per block; an enclosure block may
    hold several paragraphs."""
    groups: list[list[tuple[Para, bool]]] = []
    i = 0
    while i < len(paras):
        t = paras[i].text
        if _TELEGRAM.match(t) and i + 1 < len(paras):
            groups.append([(p, True) for p in paras[i:]])
            break
        if t[:1] in _OPEN_QUOTES:
            end = i
            if not _closes(t):
                for j in range(i + 1, min(len(paras), i + 12)):
                    if _closes(paras[j].text, opened=True):
                        end = j
                        break
            groups.append([(p, True) for p in paras[i:end + 1]])
            i = end + 1
            continue
        groups.append([(paras[i], False)])
        i += 1
    return groups


_QUOTE_MARKS = re.compile('[“«„”»"]')


def _closes(text: str, opened: bool = False) -> bool:
    """Does this paragraph close the quotation it opens (or one opened before it)?"""
    depth = 1 if opened else 0
    for ch in _QUOTE_MARKS.findall(text):  # the quotation marks alone, not every character
        if ch in "“«„":
            depth += 1
        elif ch in "”»":
            depth -= 1
        elif ch == '"':
            depth = depth - 1 if depth > 0 else depth + 1
    return depth <= 0


def _blocks(groups, it) -> list:
    blocks = []
    for group in groups:
        paras = [next(it)[1] for _ in group]
        if len(group) > 1 or group[0][1]:
            blocks.append({"type": "enclosure", "paragraphs": paras, "line": paras[0]["line"]})
        else:
            blocks.append(paras[0])
    return blocks
from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
