"""The named Word styles of the DOCX edition: the table lives in corresp.word_styles, shared
with the `docx` reader (a reader never imports a writer)."""
from __future__ import annotations

from ...word_styles import *  # noqa: F401,F403
from ...word_styles import (ARCHIVE_LINE, CALENDAR_ENTRY, CHAPTER_INTRO, DOCUMENT_HEADING,  # noqa: F401
                            FOOTNOTE_TEXT, INDEX_ENTRY, NAMED_STYLES, ROLE_STYLES, style_id)
