"""The text reader's rules the DOCX reader applies to Word paragraphs, imported in one place:
a heading's parties and date, an archive line's references, a dispatch line's and a secretary
annotation's fields, document ids, where letters start, and the parser itself for Word
manuscripts."""
from __future__ import annotations

from ..text.archive import parse_archive  # noqa: F401
from ..text.chapter import find_headings  # noqa: F401
from ..text.heading import parse_heading, parse_loose_heading  # noqa: F401
from ..text.ids import IdMaker  # noqa: F401
from ..text.lines import parse_dispatch, parse_secretary  # noqa: F401
from ..text.notes import SUPERSCRIPTS  # noqa: F401
from ..text.parser import read_text  # noqa: F401
from ..text.source import Line  # noqa: F401
