"""A PDF built alone with a core to spare has its faces checked beside its layout
(build.check_faces in the build's process, publish.run_jobs' `meanwhile`): the check fails
the build as it did before the layout, and the layout's glyph warning reads the characters
the check posted (publish.Posted), or works them out itself if they have not come."""
import os

import pytest

from corresp import publish
from corresp.build import build, export_all
from corresp.errors import ConfigError
from corresp.exporters import ExportOptions
from corresp.readers import read_sources

from test_config import LATIN, ONE_LETTER, RU, _font_style

forks = pytest.mark.skipif(not publish.can_fork() or (os.cpu_count() or 1) < 2,
                           reason="the check runs beside the layout where a core is spare")


@forks
def test_posted_text_is_read_by_a_forked_child():
    posted = publish.Posted()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: waits for the parent's word, then reports what it reads
        os.close(write)
        os.read(read, 1)
        os._exit(0 if posted.get() == "Сталин “ok” & <1935>" else 1)
    os.close(read)
    assert posted.get() is None  # nothing posted yet: the reader does without
    assert posted.post("Сталин “ok” & <1935>")
    os.write(write, b"x")
    assert os.waitpid(pid, 0)[1] == 0
    posted.close()
    assert posted.get() is None


def test_a_text_too_long_is_not_posted():
    posted = publish.Posted()
    assert not posted.post("x" * publish.Posted.SIZE)
    assert posted.get() is None
    posted.close()


@forks
def test_a_face_without_the_letters_fails_a_pdf_built_alone(tmp_path, monkeypatch):
    made = []
    real = publish.Posted.__init__
    monkeypatch.setattr(publish.Posted, "__init__", lambda self: made.append(1) or real(self))
    style = _font_style(tmp_path / "latin", LATIN, cff=False)
    with pytest.raises(ConfigError, match="lacks") as err:
        build([RU], tmp_path / "out", ["pdf"], options=ExportOptions(style_dir=style))
    assert "А (U+0410)" in str(err.value) and "ru-1933-08.txt" in str(err.value)
    assert made  # (checked beside the layout)
    assert not (tmp_path / "out" / "ru-1933-08.pdf").exists()
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".pdf") or ".tmp" in p.name]


@forks
def test_the_glyph_warning_is_the_same_however_the_characters_come(tmp_path, monkeypatch):
    src = tmp_path / "mark.txt"
    src.write_text(ONE_LETTER.replace("The only matter", "The only matter ✓ (中文)"), encoding="utf-8")
    edition, _ = read_sources([src], [])

    def warnings(out: str) -> list[str]:
        options = ExportOptions()
        export_all(edition, ["pdf"], tmp_path / out, "mark", options)
        return [w for w in options.warnings if "lacks" in w]

    posted = warnings("posted")  # read from what the check posted (or worked out, if it came late)
    with monkeypatch.context() as m:
        m.setattr(publish.Posted, "get", lambda self: None)
        late = warnings("late")  # never came: the layout works them out
    with monkeypatch.context() as m:
        m.setattr(os, "cpu_count", lambda: 1)
        before = warnings("before")  # no core to spare: checked before the layout, as always
    assert posted == late == before and "U+2713" in posted[0] and "U+4E2D" in posted[0]
