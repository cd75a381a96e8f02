"""The book's canvas operations that skip reportlab's call chains (pdf_parts/pdfops.py,
RecordingCanvas in pdf_parts/footnotes.py) leave the document exactly as reportlab's own
methods leave it: the same destinations, annotations, names and object numbers."""
import io
import random

from reportlab.pdfgen.canvas import Canvas

from corresp.exporters.pdf_parts.footnotes import RecordingCanvas
from corresp.exporters.pdf_parts.pdfops import _Link, link


def _canvas() -> RecordingCanvas:
    canv = RecordingCanvas(io.BytesIO())
    canv.translate(56.7, 30.25)
    return canv


def _reportlab_bookmark(canv, key, x, y):
    canv.destination_pages.setdefault(key, canv.getPageNumber())
    Canvas.bookmarkHorizontal(canv, key, x, y)  # → bookmarkHorizontalAbsolute → bookmarkPage


def _reportlab_link(canv, destination, rect, contents):
    ann = _Link(canv._absRect(rect, 1), contents, canv._bookmarkReference(destination))
    canv._addAnnotation(ann)
    return ann


def _state(canv) -> tuple:
    doc = canv._doc
    dests = {k: (d.page.name if d.page else None, type(d.fmt).__name__,
                 getattr(d.fmt, "left", None), getattr(d.fmt, "top", None), getattr(d.fmt, "zoom", None))
             for k, d in canv._destinations.items()}
    objects = {name: (number, type(doc.idToObject[name]).__name__,
                      getattr(doc.idToObject[name], "Rect", None), getattr(doc.idToObject[name], "Contents", None),
                      getattr(getattr(doc.idToObject[name], "Destination", None), "name", None))
               for name, (number, _) in doc.idToObjectNumberAndVersion.items()}
    return (dests, dict(canv.destination_pages), [d.name for d in canv.__dict__.get("dest_log", [])],
            canv._annotationCount, doc.objectcounter, objects)


def _script(seed=7):
    """Bookmarks and links over three pages, the coordinates moved, scaled and turned."""
    rng = random.Random(seed)
    steps = []
    for page in range(3):
        steps.append(("transform", rng.choice([(1, 0, 0, 1, 3.5, -2.25), (0.5, 0, 0, 2, 0, 10), (0, 1, -1, 0, 100, 0)])))
        for k in range(40):
            key = f"n{rng.randrange(60)}"
            x, y = rng.uniform(0, 400), rng.uniform(0, 700)
            if rng.random() < 0.5:
                steps.append(("bookmark", "mk-" + key, x, y))
            else:
                steps.append(("link", rng.choice(["fn-", "mk-"]) + key, (x, y, x + rng.uniform(2, 9), y + rng.uniform(6, 11)),
                              f"Note {key}"))
        steps.append(("page",))
    return steps


def _run(canv, fast: bool):
    for step in _script():
        if step[0] == "transform":
            canv.saveState()
            canv.transform(*step[1])
        elif step[0] == "bookmark":
            if fast:
                canv.bookmarkHorizontal(*step[1:])
            else:
                _reportlab_bookmark(canv, *step[1:])
        elif step[0] == "link":
            if fast:
                link(canv, *step[1:])
            else:
                _reportlab_link(canv, *step[1:])
        else:
            canv.restoreState()
            canv.showPage()
    return canv


def test_bookmarks_and_links_leave_the_document_as_reportlab_does():
    fast, slow = _run(_canvas(), True), _run(_canvas(), False)
    assert _state(fast) == _state(slow)
    assert fast._annotationCount > 50 and len(fast.dest_log) > 50  # (both kinds were made)


def test_the_files_are_the_same_bytes():
    def written(fast: bool) -> bytes:
        out = io.BytesIO()
        canv = RecordingCanvas(out, invariant=1)
        _run(canv, fast)
        canv.drawString(72, 72, "the last page")
        for key in list(canv._destinations):  # every link's target bound, as the book's are
            if canv._destinations[key].fmt is None:
                canv.bookmarkPage(key)
        canv.save()
        return out.getvalue()
    assert written(True) == written(False)
