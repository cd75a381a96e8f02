"""Field accuracy of the parser on a hand-annotated corpus (issue 12).

The corpus is a directory of source pages (`ru-*.txt`, `en-*.txt`), each with a
`<name>.expected.toml` written by hand: per document, in order, a `[[document]]` table
with the keys

    heading, senders, recipients, date, archive, form, transmission, dispatch,
    address, signature, secretary, notes, and (where the page prints one) number

(see `tests/corpus/README.md`). The scorer parses each page with
`corresp.readers.text.parser.read_edition`, aligns the documents it finds with the expected ones by
heading (never by index: a letter split in two must not shift every later document), and
counts, per field kind, how many fields are right. A missing or an extra document counts
as an error on every one of its fields.

    score(corpus_dir)        -> {field kind: (right, total)}
    score_pages(corpus_dir)  -> [PageScore], with each page's mismatches
    score_documents(expected, documents, page) -> PageScore  (the core, for tests)
"""
from __future__ import annotations

import difflib
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

FIELD_KINDS = ("heading", "parties", "date", "archive", "form", "transmission", "dispatch",
               "address", "signature", "secretary", "marker position", "note text", "number")

# fields of an archive reference compared (the form is a field kind of its own)
ARCHIVE_KEYS = ("repository", "fond", "opis", "delo", "folios")

# two headings are the same document's when they are at least this similar
_MATCH_RATIO = 0.6


# --- results ---------------------------------------------------------------------------

@dataclass
class Mismatch:
    page: str
    doc: str  # "3" (1-based index among the expected documents) or "extra 2" (parser's index)
    field: str
    expected: Any
    got: Any

    def __str__(self) -> str:
        return f"{self.page}: doc {self.doc}: {self.field}: expected {self.expected!r} got {self.got!r}"


@dataclass
class PageScore:
    page: str
    language: str  # "ru" | "en" | "?"
    counts: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in FIELD_KINDS})
    mismatches: list[Mismatch] = field(default_factory=list)
    error: Optional[str] = None  # the parser raised

    def add(self, kind: str, ok: bool, doc: str, name: str, expected: Any, got: Any) -> None:
        c = self.counts[kind]
        c[1] += 1
        if ok:
            c[0] += 1
        else:
            self.mismatches.append(Mismatch(self.page, doc, name, expected, got))

    @property
    def right(self) -> int:
        return sum(c[0] for c in self.counts.values())

    @property
    def total(self) -> int:
        return sum(c[1] for c in self.counts.values())


# --- normalisation ---------------------------------------------------------------------

def norm(s: Optional[str]) -> str:
    """Whitespace collapsed (a no-break space is whitespace too), ends stripped; the
    characters themselves are kept (homoglyphs are the source's)."""
    if s is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", s).split())


def _name(person: Any) -> str:
    return norm(getattr(person, "nominative", None) or person.name)


def _text(paragraph: Any) -> str:
    return norm(paragraph.text) if paragraph is not None else ""


def _archive(refs: Sequence[Any]) -> list[dict[str, str]]:
    return [{k: norm(getattr(r, k, None)) for k in ARCHIVE_KEYS} for r in refs]


def _form(refs: Sequence[Any]) -> str:
    forms: list[str] = []
    for r in refs:
        f = norm(getattr(r, "form", None))
        if f and f not in forms:
            forms.append(f)
    return " ".join(forms)


def _preceding_texts(doc: Any) -> dict[int, str]:
    """For each noteref number, the text before it within its paragraph."""
    out: dict[int, str] = {}
    for _, p in doc.iter_parts():
        run = ""
        for inline in p.content:
            if getattr(inline, "type", None) == "noteref":
                out.setdefault(inline.number, run)
            else:
                run += inline.text
    return out


def _ends_with(preceding: str, after: str) -> bool:
    preceding, after = norm(preceding), norm(after)
    if not after or not preceding.endswith(after):
        return False
    i = len(preceding) - len(after)
    return i == 0 or not (preceding[i - 1].isalnum() and after[0].isalnum())


def expected_document(d: dict) -> dict:
    """An expected document with every key present and normalised."""
    notes = []
    for n in d.get("notes", []):
        notes.append({"text": norm(n.get("text", "")), "after": norm(n.get("after", ""))})
    return {
        "heading": norm(d.get("heading", "")),
        "senders": [norm(x) for x in d.get("senders", [])],
        "recipients": [norm(x) for x in d.get("recipients", [])],
        "date": d.get("date") or None,
        "archive": [{k: norm(str(r.get(k, ""))) for k in ARCHIVE_KEYS} for r in d.get("archive", [])],
        "form": norm(d.get("form", "")),
        "transmission": [norm(x) for x in d.get("transmission", [])],
        "dispatch": [norm(x) for x in d.get("dispatch", [])],
        "address": [norm(x) for x in d.get("address", [])],
        "signature": norm(d.get("signature", "")),
        "secretary": [norm(x) for x in d.get("secretary", [])],
        "notes": notes,
        # the source's own document number (`№312`), when the page prints one
        "number": str(d["number"]) if d.get("number") is not None else None,
    }


def actual_document(doc: Any) -> dict:
    """What the parser made of a document, in the expected file's terms."""
    notes = sorted(doc.footnotes, key=lambda n: n.number)
    preceding = _preceding_texts(doc)
    return {
        "heading": norm(doc.heading),
        "senders": [_name(p) for p in doc.senders],
        "recipients": [_name(p) for p in doc.recipients],
        "date": doc.date.iso if doc.date is not None else None,
        "archive": _archive(doc.archive),
        "form": _form(doc.archive),
        "transmission": [_text(p) for p in doc.transmission],
        "dispatch": [_text(p) for p in doc.dispatch],
        "address": [_text(p) for p in doc.address],
        "signature": _text(doc.signature),
        "secretary": [_text(p) for p in doc.secretary],
        "notes": [{"text": norm(n.text), "preceding": preceding.get(n.number)} for n in notes],
        "number": getattr(doc, "source_number", None),
    }


# --- alignment -------------------------------------------------------------------------

def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def align(expected: Sequence[str], got: Sequence[str]) -> list[tuple[Optional[int], Optional[int]]]:
    """Order-preserving alignment of two heading lists maximising total similarity
    (pairs below the threshold are never matched). Returns (i, j) pairs, None for a gap."""
    n, m = len(expected), len(got)
    sim = [[_similarity(e, g) for g in got] for e in expected]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = best[i + 1][j + 1] + sim[i][j] if sim[i][j] >= _MATCH_RATIO else -1.0
            best[i][j] = max(s, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[Optional[int], Optional[int]]] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= _MATCH_RATIO and best[i][j] == best[i + 1][j + 1] + sim[i][j]:
            pairs.append((i, j)); i += 1; j += 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append((i, None)); i += 1
        else:
            pairs.append((None, j)); j += 1
    pairs += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return pairs


# --- comparison ------------------------------------------------------------------------

_LIST_FIELDS = ("transmission", "dispatch", "address", "secretary")


def _compare(ps: PageScore, label: str, exp: dict, got: dict) -> None:
    ps.add("heading", exp["heading"] == got["heading"], label, "heading", exp["heading"], got["heading"])
    for k in ("senders", "recipients"):
        ps.add("parties", exp[k] == got[k], label, k, exp[k], got[k])
    ps.add("date", exp["date"] == got["date"], label, "date", exp["date"], got["date"])
    ps.add("archive", exp["archive"] == got["archive"], label, "archive", exp["archive"], got["archive"])
    ps.add("form", exp["form"] == got["form"], label, "form", exp["form"], got["form"])
    for k in _LIST_FIELDS[:3]:
        ps.add(k, exp[k] == got[k], label, k, exp[k], got[k])
    ps.add("signature", exp["signature"] == got["signature"], label, "signature",
           exp["signature"], got["signature"])
    ps.add("secretary", exp["secretary"] == got["secretary"], label, "secretary",
           exp["secretary"], got["secretary"])
    if exp["number"] is not None or got["number"] is not None:  # counted where a page prints one
        ps.add("number", exp["number"] == got["number"], label, "number", exp["number"], got["number"])
    en, gn = exp["notes"], got["notes"]
    for k in range(max(len(en), len(gn))):
        e = en[k] if k < len(en) else None
        g = gn[k] if k < len(gn) else None
        name = f"note {k + 1}"
        if e is None:
            ps.add("marker position", False, label, f"{name} marker", None, g["preceding"])
            ps.add("note text", False, label, f"{name} text", None, g["text"])
            continue
        if g is None:
            ps.add("marker position", False, label, f"{name} marker", f"…{e['after']}", None)
            ps.add("note text", False, label, f"{name} text", e["text"], None)
            continue
        pre = g["preceding"]
        ok = pre is not None and _ends_with(pre, e["after"])
        ps.add("marker position", ok, label, f"{name} marker", f"…{e['after']}",
               None if pre is None else "…" + norm(pre)[-60:])
        ps.add("note text", e["text"] == g["text"], label, f"{name} text", e["text"], g["text"])


def _all_wrong(ps: PageScore, label: str, d: dict, expected_side: bool) -> None:
    """A document on one side only: each of its fields is an error."""
    def add(kind: str, name: str, value: Any) -> None:
        e, g = (value, None) if expected_side else (None, value)
        ps.add(kind, False, label, name, e, g)

    add("heading", "heading", d["heading"])
    for k in ("senders", "recipients"):
        add("parties", k, d[k])
    for k in ("date", "archive", "form", "transmission", "dispatch", "address", "signature",
              "secretary"):
        add(k, k, d[k])
    if d.get("number") is not None:
        add("number", "number", d["number"])
    for k, n in enumerate(d["notes"]):
        add("marker position", f"note {k + 1} marker",
            ("…" + n["after"]) if expected_side else n["preceding"])
        add("note text", f"note {k + 1} text", n["text"])



def score_documents(expected: Iterable[dict], documents: Iterable[Any], page: str = "<page>",
                    language: str = "?") -> PageScore:
    """Score parsed documents against expected ones (raw `[[document]]` tables)."""
    exp = [expected_document(d) for d in expected]
    got = [actual_document(d) for d in documents]
    ps = PageScore(page, language)
    for i, j in align([e["heading"] for e in exp], [g["heading"] for g in got]):
        if i is not None and j is not None:
            _compare(ps, str(i + 1), exp[i], got[j])
        elif i is not None:  # the parser lost it: every field wrong
            _all_wrong(ps, f"{i + 1} (missing)", exp[i], expected_side=True)
        else:  # the parser invented it: every one of its fields wrong
            _all_wrong(ps, f"extra {j + 1}", got[j], expected_side=False)
    return ps


# --- the corpus ------------------------------------------------------------------------

def pages(corpus_dir: Path | str) -> list[Path]:
    """The corpus's source pages (each with its expected file)."""
    d = Path(corpus_dir)
    return sorted(p for p in d.glob("*.txt") if expected_path(p).exists())


def expected_path(page: Path) -> Path:
    return page.with_name(page.stem + ".expected.toml")


def language_of(page: Path) -> str:
    prefix = page.name.split("-", 1)[0]
    return prefix if prefix in ("ru", "en") else "?"


def load_expected(page: Path) -> list[dict]:
    with open(expected_path(page), "rb") as f:
        return tomllib.load(f).get("document", [])


def score_page(page: Path | str) -> PageScore:
    from corresp.readers.text.parser import read_edition

    page = Path(page)
    expected = load_expected(page)
    error = None
    try:
        edition, _ = read_edition([page])
        documents = edition.documents
    except Exception as exc:  # a page the parser cannot read scores zero, it does not stop the run
        documents, error = [], f"{type(exc).__name__}: {exc}"
    ps = score_documents(expected, documents, page.name, language_of(page))
    if error:
        ps.error = error
        ps.mismatches.insert(0, Mismatch(page.name, "-", "parse", "a parsed page", error))
    return ps


def score_pages(corpus_dir: Path | str) -> list[PageScore]:
    return [score_page(p) for p in pages(corpus_dir)]


def totals(page_scores: Iterable[PageScore], language: Optional[str] = None) -> dict[str, tuple[int, int]]:
    out = {k: [0, 0] for k in FIELD_KINDS}
    for ps in page_scores:
        if language is not None and ps.language != language:
            continue
        for k, (r, t) in ps.counts.items():
            out[k][0] += r
            out[k][1] += t
    return {k: (r, t) for k, (r, t) in out.items()}


def score(corpus_dir: Path | str, language: Optional[str] = None) -> dict[str, tuple[int, int]]:
    """{field kind: (right, total)} over the corpus (or its pages of one language)."""
    return totals(score_pages(corpus_dir), language)
