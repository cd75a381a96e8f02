"""Preflight: is a PDF what a screen reader (PDF/UA-1) and a printer (PDF/X-4) accept?

There is no veraPDF on these machines; this checker is the gate. It reads the file with
pikepdf and checks, rule by rule (each finding names its rule):

Tagged PDF (every file):
  marked        MarkInfo /Marked true and a StructTreeRoot with a ParentTree
  lang          the catalog's /Lang
  title         a title in the Info dictionary and XMP, and ViewerPreferences/DisplayDocTitle
  untagged      every text-showing operator lies in marked content with an MCID, or in an Artifact
  reachable     every MCID of every page is reached from the structure tree (and the ParentTree)
  notes         every Note holds a Lbl whose text is its number (and, if asked, as many Notes as notes)
  links         every Link annotation has /Contents and /StructParent, and a Link element owns it
  tabs          every page has /Tabs /S
  fonts         every font is embedded
  pdfua         the XMP claims pdfuaid:part 1 (the screen PDF)
  safety        no encryption, no JavaScript
PDF/X-4 (a file that claims it, or when `print_=True`):
  boxes         each page has a TrimBox inside its BleedBox inside its MediaBox, the bleed > 0
  intent        a GTS_PDFX output intent with an ICC profile of the right number of components
  pdfx          GTS_PDFXVersion PDF/X-4 in the XMP (and the Info dictionary), header at most 1.6
  trapped       Info /Trapped /True or /False, the same in the XMP
  annotations   no annotations (a printer's PDF has none inside the bleed box)
  colour        no colour operators outside the output intent's colour space
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pikepdf

RULES = ("marked", "lang", "title", "untagged", "reachable", "notes", "links", "tabs", "fonts",
         "pdfua", "safety", "boxes", "intent", "pdfx", "trapped", "annotations", "colour")

_SHOW = {"Tj", "TJ", "'", '"'}
_COLOUR_OPS = {1: {"rg", "RG", "k", "K"}, 3: {"k", "K"}, 4: {"rg", "RG"}}  # not allowed, by profile N


@dataclass
class Finding:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@dataclass
class Report:
    path: str
    print_: bool
    findings: list[Finding] = field(default_factory=list)
    pages: int = 0
    mcids: int = 0
    notes: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    def rules_failed(self) -> set[str]:
        return {f.rule for f in self.findings}

    def add(self, rule: str, message: str) -> None:
        if sum(1 for f in self.findings if f.rule == rule) < 20:  # the first 20 of each kind
            self.findings.append(Finding(rule, message))

    def summary(self) -> str:
        kind = "tagged, PDF/X-4" if self.print_ else "PDF/UA-1"
        if self.ok:
            return (f"{self.path}: preflight passed ({kind}): {self.pages} pages, {self.mcids} marked-content "
                    f"sequences all in the structure tree, {self.notes} notes tagged with their labels")
        return f"{self.path}: preflight failed ({kind}): {len(self.findings)} findings"


# --- reading ---------------------------------------------------------------------------

def _xmp(pdf: pikepdf.Pdf) -> str:
    meta = pdf.Root.get("/Metadata")
    if meta is None:
        return ""
    try:
        return meta.read_bytes().decode("utf-8", "replace")
    except Exception:
        return ""


def _to_unicode(font) -> dict[bytes, str]:
    """Code -> text from a simple font's ToUnicode CMap (bfchar and bfrange)."""
    tu = font.get("/ToUnicode")
    if tu is None:
        return {}
    data = tu.read_bytes().decode("latin-1")
    out: dict[bytes, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[bytes.fromhex(src)] = bytes.fromhex(dst).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for a, b, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            lo, hi, d = int(a, 16), int(b, 16), int(dst, 16)
            for c in range(lo, hi + 1):
                out[bytes([c]) if len(a) <= 2 else c.to_bytes(2, "big")] = chr(d + c - lo)
    return out


class _PageScan:
    """One page's content: the MCIDs it marks, their text, text outside marked content."""

    def __init__(self, page: pikepdf.Page, cmaps: dict):
        self.mcids: dict[int, str] = {}
        self.untagged = 0
        self.colour_ops: set[str] = set()
        fonts = page.Resources.get("/Font", {}) if "/Resources" in page.obj else {}
        stack: list[Optional[int]] = []  # MCID (or -1 for an artifact, None for other) of each level
        # Levels that carry /ActualText (right-to-left words): their text is the ActualText,
        # not the glyphs drawn inside them.
        actual: list[bool] = []
        hidden = 0
        font_map: dict[bytes, str] = {}
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name == "BDC":
                tag, props = operands[0], operands[1]
                mcid = None
                if str(tag) == "/Artifact":
                    mcid = -1
                elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    mcid = int(props.MCID)
                    self.mcids.setdefault(mcid, "")
                stack.append(mcid if mcid is not None else (stack[-1] if stack else None))
                has_actual = isinstance(props, pikepdf.Dictionary) and "/ActualText" in props
                actual.append(has_actual)
                if has_actual:
                    current = next((m for m in reversed(stack) if m is not None), None)
                    if current is not None and current >= 0 and not hidden:
                        self.mcids[current] += str(props.ActualText)
                    hidden += 1
            elif name == "BMC":
                stack.append(-1 if str(operands[0]) == "/Artifact" else (stack[-1] if stack else None))
                actual.append(False)
            elif name == "EMC":
                if stack:
                    stack.pop()
                if actual and actual.pop():
                    hidden -= 1
            elif name == "Tf":
                key = str(operands[0])
                font = fonts.get(key) if fonts else None
                if font is not None:
                    fid = font.objgen
                    if fid not in cmaps:
                        cmaps[fid] = _to_unicode(font)
                    font_map = cmaps[fid]
            elif name in _SHOW:
                current = next((m for m in reversed(stack) if m is not None), None)
                if current is None:
                    self.untagged += 1
                elif current >= 0 and not hidden:
                    self.mcids[current] += _decode(operands, font_map)
            elif name in ("rg", "RG", "k", "K", "sc", "scn", "SC", "SCN", "cs", "CS"):
                self.colour_ops.add(name)


def _decode(operands, font_map) -> str:
    out = []
    items = operands[-1] if operands and isinstance(operands[-1], pikepdf.Array) else operands[-1:]
    for item in items:
        if isinstance(item, pikepdf.String):
            out.extend(font_map.get(bytes([b]), "") for b in bytes(item))
    return "".join(out)


def _kids(elem):
    k = elem.get("/K")
    if k is None:
        return []
    if isinstance(k, pikepdf.Array):
        return list(k)
    return [k]


def _walk_tree(pdf: pikepdf.Pdf, report: Report):
    """(reached (page objgen, mcid) -> element, Note elements, Link OBJR annotation objgens)."""
    root = pdf.Root.StructTreeRoot
    reached: dict[tuple, object] = {}
    notes: list = []
    objr: set = set()
    stack = [(k, None) for k in reversed(_kids(root))]
    seen = 0
    while stack:
        node, page = stack.pop()
        seen += 1
        if seen > 2_000_000:
            report.add("reachable", "the structure tree does not end (a cycle?)")
            break
        if isinstance(node, int) or (isinstance(node, pikepdf.Object) and node._type_code == pikepdf.ObjectType.integer):
            if page is not None:
                reached[(page, int(node))] = None
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        typ = node.get("/Type")
        pg = node.get("/Pg")
        pg_id = pg.objgen if pg is not None else page
        if typ == "/MCR":
            reached[(pg_id, int(node.MCID))] = None
            continue
        if typ == "/OBJR":
            if "/Obj" in node:
                objr.add(node.Obj.objgen)
            continue
        if "/S" not in node:
            continue
        if node.S == "/Note":
            notes.append(node)
        stack.extend((k, pg_id) for k in reversed(_kids(node)))
    return reached, notes, objr


def _elem_mcids(elem, page=None) -> list[tuple]:
    out = []
    pg = elem.get("/Pg")
    page = pg.objgen if pg is not None else page
    for k in _kids(elem):
        if isinstance(k, pikepdf.Dictionary):
            if k.get("/Type") == "/MCR":
                p = k.get("/Pg")
                out.append((p.objgen if p is not None else page, int(k.MCID)))
            elif "/S" in k:
                out += _elem_mcids(k, page)
        elif isinstance(k, int) or getattr(k, "_type_code", None) == pikepdf.ObjectType.integer:
            out.append((page, int(k)))
    return out


def _find(elem, kind: str):
    for k in _kids(elem):
        if isinstance(k, pikepdf.Dictionary) and k.get("/S") == kind:
            return k
    return None


# --- the rules -------------------------------------------------------------------------

def preflight(path: Path, print_: Optional[bool] = None, notes: Optional[int] = None) -> Report:
    """Check `path`. `print_`: check PDF/X-4 too (None: if the file claims PDF/X).
    `notes`: the number of notes the edition has (checks the count of Note elements).
    A file that is not a PDF qpdf can read (or a regular file at all; a page tree or
    structure nested thousands deep) is an InputError, one line."""
    from ..errors import InputError
    from ..files import check_regular
    path = Path(path)
    check_regular(path, "pdf", InputError)
    try:
        return _preflight(path, print_, notes)
    except pikepdf.PasswordError:
        raise
    except (pikepdf.PdfError, RecursionError) as exc:
        what = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).replace(f"{path}", "").lstrip(": ")
        raise InputError(f"not a PDF the preflight can read: {what}", str(path)) from None


def _preflight(path: Path, print_: Optional[bool], notes: Optional[int]) -> Report:
    try:
        pdf = pikepdf.open(str(path))
    except pikepdf.PasswordError:
        report = Report(str(path), bool(print_))
        report.add("safety", "the file is encrypted")
        return report
    with pdf:
        xmp = _xmp(pdf)
        info = pdf.trailer.get("/Info")
        claims_x = "pdfxid:GTS_PDFXVersion" in xmp or (info is not None and "/GTS_PDFXVersion" in info)
        report = Report(str(path), claims_x if print_ is None else print_)
        _check(pdf, report, xmp, info, notes)
    return report


def _check(pdf: pikepdf.Pdf, report: Report, xmp: str, info, notes: Optional[int]) -> None:
    root = pdf.Root
    report.pages = len(pdf.pages)
    # Catalog
    mark = root.get("/MarkInfo")
    if mark is None or not bool(mark.get("/Marked", False)):
        report.add("marked", "no MarkInfo /Marked true")
    tagged = "/StructTreeRoot" in root and "/ParentTree" in root.StructTreeRoot
    if not tagged:
        report.add("marked", "no structure tree (StructTreeRoot with a ParentTree)")
    if not str(root.get("/Lang", "")).strip():
        report.add("lang", "the catalog has no /Lang")
    title = str(info.get("/Title", "")) if info is not None else ""
    if not title.strip() or "<dc:title>" not in xmp:
        report.add("title", "no document title in both the Info dictionary and the XMP")
    vp = root.get("/ViewerPreferences")
    if vp is None or not bool(vp.get("/DisplayDocTitle", False)):
        report.add("title", "ViewerPreferences/DisplayDocTitle is not true")
    if not report.print_ and not re.search(r"<pdfuaid:part>\s*1\s*</pdfuaid:part>|pdfuaid:part=\"1\"", xmp):
        report.add("pdfua", "the XMP does not claim PDF/UA-1 (pdfuaid:part 1)")
    if pdf.is_encrypted:
        report.add("safety", "the file is encrypted")
    names = root.get("/Names")
    action = root.get("/OpenAction")
    if ((names is not None and "/JavaScript" in names) or "/AA" in root
            or (isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/JavaScript")):
        report.add("safety", "the file has JavaScript or automatic actions")

    # Pages: content, annotations, fonts, boxes
    cmaps: dict = {}
    marked: set[tuple] = set()
    texts: dict[tuple, str] = {}
    link_annots: dict[tuple, object] = {}
    fonts_seen: set = set()
    n_profile = _intent_components(root, report) if report.print_ else None
    for i, page in enumerate(pdf.pages, 1):
        scan = _PageScan(page, cmaps)
        pid = page.obj.objgen
        for mcid, text in scan.mcids.items():
            marked.add((pid, mcid))
            texts[(pid, mcid)] = text
        if scan.untagged:
            report.add("untagged", f"page {i}: {scan.untagged} text operators outside marked content")
        if page.obj.get("/Tabs") != "/S":
            report.add("tabs", f"page {i}: no /Tabs /S")
        for annot in page.obj.get("/Annots", []):
            sub = annot.get("/Subtype")
            if report.print_ and sub not in ("/PrinterMark", "/TrapNet"):
                report.add("annotations", f"page {i}: a {sub} annotation (PDF/X allows none inside the bleed box)")
            if sub == "/Link":
                link_annots[annot.objgen] = (i, annot)
        _check_fonts(page.obj.get("/Resources"), fonts_seen, report, f"page {i}")
        if report.print_:
            _check_boxes(page.obj, i, report)
            if n_profile is not None:
                bad = scan.colour_ops & _COLOUR_OPS.get(n_profile, set())
                if bad:
                    report.add("colour", f"page {i}: colour operators {sorted(bad)} outside the output intent's "
                                         f"{n_profile}-component colour space")
    report.mcids = len(marked)

    # Structure tree
    if tagged:
        reached, note_elems, objr = _walk_tree(pdf, report)
        missing = sorted(marked - set(reached))
        if missing:
            pages = {pg.objgen: k for k, pg in enumerate((p.obj for p in pdf.pages), 1)}
            where = ", ".join(f"page {pages.get(p, '?')} MCID {m}" for p, m in missing[:5])
            report.add("reachable", f"{len(missing)} marked-content sequences the structure tree does not reach "
                                    f"({where}{' …' if len(missing) > 5 else ''})")
        _check_parent_tree(pdf, marked, report)
        report.notes = len(note_elems)
        if notes is not None and len(note_elems) != notes:
            report.add("notes", f"{len(note_elems)} Note elements for {notes} notes")
        for note in note_elems:
            lbl = _find(note, "/Lbl")
            label = "".join(texts.get(m, "") for m in _elem_mcids(lbl)).strip() if lbl is not None else ""
            ident = str(note.get("/ID", ""))
            if lbl is None or not label:
                report.add("notes", f"note {ident or '?'}: no Lbl with its number")
            elif ident and not ident.endswith("." + label) and not re.fullmatch(r"[\w*†‡§]+", label):
                report.add("notes", f"note {ident}: label {label!r}")
        for og, (i, annot) in link_annots.items():
            if not str(annot.get("/Contents", "")).strip():
                report.add("links", f"page {i}: a link without /Contents")
            if "/StructParent" not in annot:
                report.add("links", f"page {i}: a link without /StructParent")
            if og not in objr:
                report.add("links", f"page {i}: a link no Link element owns (OBJR)")
    if report.print_:
        _check_pdfx(pdf, report, xmp, info)


def _check_parent_tree(pdf, marked: set, report: Report) -> None:
    """Each page's /StructParents entry lists an element for every MCID on the page."""
    try:
        nums = _number_tree(pdf.Root.StructTreeRoot.ParentTree)
    except Exception as exc:
        report.add("reachable", f"the ParentTree cannot be read: {exc}")
        return
    counts: dict = {}
    for pid, mcid in marked:
        counts[pid] = max(counts.get(pid, -1), mcid)
    for i, page in enumerate(pdf.pages, 1):
        top = counts.get(page.obj.objgen)
        if top is None:
            continue
        key = page.obj.get("/StructParents")
        arr = nums.get(int(key)) if key is not None else None
        if not isinstance(arr, pikepdf.Array) or len(arr) <= top:
            report.add("reachable", f"page {i}: its ParentTree entry does not cover MCID {top}")


def _number_tree(node) -> dict:
    out = {}
    stack = [node]
    while stack:
        n = stack.pop()
        nums = n.get("/Nums")
        if nums is not None:
            for k in range(0, len(nums) - 1, 2):
                out[int(nums[k])] = nums[k + 1]
        stack.extend(n.get("/Kids", []))
    return out


def _check_fonts(resources, seen: set, report: Report, where: str) -> None:
    if resources is None:
        return
    for _, font in (resources.get("/Font") or {}).items():
        if font.objgen in seen:
            continue
        seen.add(font.objgen)
        faces = [font]
        if font.get("/Subtype") == "/Type0":
            faces = list(font.get("/DescendantFonts", []))
        for f in faces:
            if f.get("/Subtype") == "/Type3":
                continue
            desc = f.get("/FontDescriptor")
            if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                report.add("fonts", f"{where}: font {f.get('/BaseFont')} is not embedded")
    for _, xobj in (resources.get("/XObject") or {}).items():
        if xobj.get("/Subtype") == "/Form" and xobj.objgen not in seen:
            seen.add(xobj.objgen)
            _check_fonts(xobj.get("/Resources"), seen, report, where)


def _box(obj, name):
    b = obj.get(name)
    return [float(v) for v in b] if b is not None else None


def _inside(inner, outer, eps=0.01) -> bool:
    return (inner[0] >= outer[0] - eps and inner[1] >= outer[1] - eps
            and inner[2] <= outer[2] + eps and inner[3] <= outer[3] + eps)


def _check_boxes(page, i: int, report: Report) -> None:
    media = _box(page, "/MediaBox")
    trim = _box(page, "/TrimBox") or _box(page, "/ArtBox")
    bleed = _box(page, "/BleedBox")
    if trim is None:
        report.add("boxes", f"page {i}: no TrimBox")
        return
    if bleed is None:
        report.add("boxes", f"page {i}: no BleedBox")
        return
    if media is None or not _inside(trim, bleed) or not _inside(bleed, media):
        report.add("boxes", f"page {i}: the TrimBox must lie in the BleedBox, the BleedBox in the MediaBox")
    elif min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]) <= 0:
        report.add("boxes", f"page {i}: no bleed around the TrimBox")


def _intent_components(root, report: Report) -> Optional[int]:
    intents = [o for o in root.get("/OutputIntents", []) if o.get("/S") == "/GTS_PDFX"]
    if not intents:
        report.add("intent", "no GTS_PDFX output intent")
        return None
    intent = intents[0]
    if not str(intent.get("/OutputConditionIdentifier", "")).strip():
        report.add("intent", "the output intent has no OutputConditionIdentifier")
    prof = intent.get("/DestOutputProfile")
    if prof is None:
        report.add("intent", "the output intent has no DestOutputProfile (ICC)")
        return None
    data = prof.read_bytes()
    space = data[16:20]
    n = {b"GRAY": 1, b"RGB ": 3, b"CMYK": 4}.get(space)
    if len(data) < 132 or data[36:40] != b"acsp" or n is None:
        report.add("intent", "the output profile is not an ICC profile of grey, RGB or CMYK")
        return None
    if data[12:16] not in (b"prtr", b"mntr", b"scnr"):
        report.add("intent", f"the output profile's class {data[12:16]!r} is not an output device's")
    if int(prof.get("/N", 0)) != n:
        report.add("intent", f"the profile stream says /N {prof.get('/N')}, the profile has {n} components")
    return n


def _check_pdfx(pdf, report: Report, xmp: str, info) -> None:
    m = re.search(r"<pdfxid:GTS_PDFXVersion>([^<]*)<", xmp)
    if not m or m.group(1).strip() != "PDF/X-4":
        report.add("pdfx", "the XMP does not say pdfxid:GTS_PDFXVersion PDF/X-4")
    if info is not None and "/GTS_PDFXVersion" in info and str(info.GTS_PDFXVersion) != "PDF/X-4":
        report.add("pdfx", f"Info GTS_PDFXVersion is {str(info.GTS_PDFXVersion)!r}")
    if pdf.pdf_version > "1.6":
        report.add("pdfx", f"PDF version {pdf.pdf_version}; PDF/X-4 is at most PDF 1.6")
    trapped = info.get("/Trapped") if info is not None else None
    if trapped not in ("/True", "/False"):
        report.add("trapped", "Info /Trapped is not /True or /False")
    else:
        x = re.search(r"<pdf:Trapped>([^<]*)<", xmp)
        if not x or x.group(1).strip() != str(trapped)[1:]:
            report.add("trapped", "the XMP pdf:Trapped does not match the Info dictionary")


def main(argv=None) -> int:  # python -m corresp.verify.preflight FILE...
    import sys
    failed = 0
    for arg in (argv if argv is not None else sys.argv[1:]):
        report = preflight(Path(arg))
        for f in report.findings:
            print(f"{report.path}: {f}")
        print(report.summary())
        failed |= not report.ok
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
