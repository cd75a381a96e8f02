"""Reading a source file: bytes → numbered, normalised lines.

Normalisation is what the scrape needs and nothing more: BOM, CRLF/CR line ends,
non-breaking and other odd spaces and tabs become plain spaces, trailing space goes.
Nothing else changes silently: zero-width spaces and word joiners (which only break the
recognition of structure) are removed and reported, and so is a change to Unicode's NFC
form (`Å` as U+212B becomes U+00C5); the zero-width (non-)joiners that spell words and
emoji (U+200C, U+200D) stay. Undecodable input is an InputError naming the byte offset and
line.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError

# Spaces the web edition uses for layout; they carry no meaning in the text.
_ODD_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b\u2060\ufeff]")
# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF):
# no EPUB, DOCX or XMP can hold them, so they are dropped here, once, with a warning.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the source file
    text: str
    dropped: str = ""  # characters removed because no output format can hold them
    changes: tuple[str, ...] = ()  # what normalising the line changed, for the diagnostics

    @property
    def blank(self) -> bool:
        return not self.text


def decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise InputError("empty file: no text to read", name, 1 if data else None)
    if b"\x00" in data[:65536]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError("binary file (NUL byte): not a plain-text edition", name, line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"invalid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x}); "
                         "save the file as UTF-8", name, line) from None


def normalise(text: str) -> str:
    text = _ODD_SPACES.sub(" ", text)
    text = _ZERO_WIDTH.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


def split_lines(text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not XML_FORBIDDEN.search(text) and not _ZERO_WIDTH.search(text) and unicodedata.is_normalized("NFC", text):
        # The usual case: normalise the whole text at once (no rule of `normalise` crosses
        # a line end, so this equals doing it line by line), less the removal of zero-width
        # characters just looked for and not found.
        text = unicodedata.normalize("NFC", _ODD_SPACES.sub(" ", text)).strip()
        return [Line(i + 1, t.strip()) for i, t in enumerate(text.split("\n"))]
    raw = text.split("\n")
    lines = []
    for i, t in enumerate(raw):
        dropped = "".join(XML_FORBIDDEN.findall(t))
        if dropped:
            t = XML_FORBIDDEN.sub("", t)
        lines.append(Line(i + 1, normalise(t), dropped, _changes(t)))
    return lines


def _changes(text: str) -> tuple[str, ...]:
    """What `normalise` changes in a line besides spaces, said per kind."""
    changes = []
    zero_width = _ZERO_WIDTH.findall(text)
    if zero_width:
        codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(zero_width))
        changes.append(f"removed {len(zero_width)} zero-width character(s) ({codes})")
    if not unicodedata.is_normalized("NFC", text):
        singles = [c for c in dict.fromkeys(text) if unicodedata.normalize("NFC", c) != c]
        detail = ", ".join(f"U+{ord(c):04X} → " + " ".join(f"U+{ord(n):04X}" for n in unicodedata.normalize("NFC", c))
                           for c in singles[:5])
        changes.append("changed to Unicode NFC" + (f" ({detail})" if detail else " (combining sequences composed)"))
    return tuple(changes)


def read_lines(path: Path) -> list[Line]:
    from corresp.files import read_regular
    name = str(path)
    return split_lines(decode(read_regular(path, "source", InputError, name), name))
