"""The DOCX's front matter as raw WordprocessingML blocks for the pandoc AST: the title page
(series, title, subtitle, credits; the imprint at its foot), the copyright page (the lines
every format prints, corresp.imprint, at its foot) and the contents' heading with a
placeholder paragraph that docx_parts.contents fills with the entries.

Named styles (corresp.word_styles) carry the look, so a publisher restyles them in Word;
only the page breaks and the frames that hold a block at the foot of its page are direct
formatting. postprocess ends the front matter with a section of its own: no folio there.
"""
from __future__ import annotations

from typing import Any, Optional
from xml.sax.saxutils import escape

from ... import imprint
from ...i18n import words
from ...metadata import publication
from ...model import Edition
from ...word_styles import (CONTENTS_HEADING, COPYRIGHT, CREDIT, CREDIT_CAPTION, IMPRINT, SERIES, SUBTITLE, TITLE,
                            style_id)

Json = dict[str, Any]
CONTENTS_PLACEHOLDER = "\u2060corresp-contents\u2060"  # replaced by the entries (docx_parts.contents)
# A frame at the foot of the text area: Word and LibreOffice both honour w:framePr.
_AT_FOOT = ('<w:framePr w:wrap="around" w:vAnchor="margin" w:hAnchor="margin" w:xAlign="center" '
            'w:yAlign="bottom"/>')
_PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def _p(style: str, text: str, lang: Optional[str] = None, frame: bool = False, bookmark: str = "") -> str:
    props = f'<w:pStyle w:val="{style_id(style)}"/>' + (_AT_FOOT if frame else "")
    run_props = f'<w:rPr><w:lang w:val="{escape(lang)}"/></w:rPr>' if lang else ""
    lines = text.split("\n")
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return f'<w:p><w:pPr>{props}</w:pPr>{bookmark}<w:r>{run_props}{runs}</w:r></w:p>'


def _raw(xml: str) -> Json:
    return {"t": "RawBlock", "c": ["openxml", xml]}


def front_matter_blocks(edition: Edition) -> list[Json]:
    pub = publication(edition)
    parts = []
    if pub.series:
        parts.append(_p(SERIES, pub.series))
    parts.append(_p(TITLE, edition.title))
    if edition.subtitle:
        parts.append(_p(SUBTITLE, edition.subtitle))
    for caption, names in imprint.credits(edition):
        parts.append(_p(CREDIT_CAPTION, caption))
        parts += [_p(CREDIT, name) for name in names]
    line = imprint.imprint(edition)
    if line:
        parts.append(_p(IMPRINT, line, frame=True))
    parts.append(_PAGE_BREAK)
    for item in imprint.copyright_lines(edition):
        parts.append(_p(COPYRIGHT, item.text, frame=True))
    parts.append("<w:p/>")  # the frame's anchor, on the copyright page
    # The contents heading breaks the page itself (its style says so).
    parts.append(_p(CONTENTS_HEADING, words(edition.language)["contents"]))
    parts.append(_p("Normal", CONTENTS_PLACEHOLDER))
    return [_raw(x) for x in parts]
