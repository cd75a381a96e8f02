"""Faults while writing an edition (issue 18, points 4 and 5): a failing, exiting or dying
exporter, a full disk, SIGTERM, SIGHUP and SIGKILL of the build, two builds of one name.
The edition is written whole or not at all; no temporary file and no worker outlives it."""
import errno
import fcntl
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import corresp.exporters as exporters
from conftest import SEED
from corresp.build import build
from corresp.errors import ConfigError, ExportError

SOURCE = SEED.parent / "1935-08.txt"


@pytest.fixture(autouse=True)
def fresh_registry():
    exporters._cache = None
    yield
    exporters._cache = None


class Fake:
    description = "a test exporter"

    def __init__(self, name, how, extension=None):
        self.name, self.how, self.extension = name, how, extension or f".{name}"

    def export(self, edition, path, options):
        Path(path).write_text("partial")
        if self.how == "raise":
            raise RuntimeError("boom")
        if self.how == "disk-full":
            raise OSError(errno.ENOSPC, "No space left on device")
        if self.how == "exit0":
            raise SystemExit(0)
        if self.how == "os-exit":
            os._exit(3)
        if self.how == "segfault":
            import ctypes
            ctypes.string_at(0)
        if self.how == "nothing":
            os.unlink(path)


def _with(*fakes):
    reg = exporters.registry()
    for f in fakes:
        reg.exporters[f.name] = f
    return reg


def _snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.endswith(".lock")}


@pytest.fixture(scope="module")
def small_source(tmp_path_factory):
    """The seed's first letters: enough for every reader, quick to export."""
    text = SOURCE.read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("src") / "letters.txt"
    path.write_text(text[: text.index("\n", 6000)], encoding="utf-8")
    return path


@pytest.mark.parametrize("how, says", [
    ("raise", "boom"), ("disk-full", "No space left on device"), ("exit0", "exited (SystemExit(0))"),
    ("os-exit", "exited with status 3"), ("segfault", "killed by SIGSEGV"), ("nothing", "wrote nothing")])
def test_a_failing_format_leaves_the_previous_edition_whole(small_source, tmp_path, how, says):
    out = tmp_path / "out"
    build([small_source], out, ["json", "epub"])
    before = _snapshot(out)
    _with(Fake("bad", how))
    with pytest.raises(ExportError, match=re.escape(says)) as info:
        build([small_source], out, ["json", "epub", "bad"], title="Another edition")
    assert info.value.exit_code == 4
    assert "the previous edition was left as it was" in str(info.value)
    assert _snapshot(out) == before  # nothing new, nothing half-written, no temporary file


def test_nothing_written_when_there_was_no_edition(small_source, tmp_path):
    _with(Fake("bad", "raise"))
    with pytest.raises(ExportError, match="nothing was written"):
        build([small_source], tmp_path, ["json", "bad"])
    assert _snapshot(tmp_path) == {}


def test_two_formats_writing_one_extension_are_refused(small_source, tmp_path):
    _with(Fake("mine", "raise", extension=".JSON"))
    with pytest.raises(ConfigError, match="both write"):
        build([small_source], tmp_path, ["json", "mine"])
    assert _snapshot(tmp_path) == {}


def test_a_second_build_of_the_same_name_is_refused(small_source, tmp_path):
    from corresp.publish import lock_path
    path = lock_path(tmp_path, "letters", ".json")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(ExportError, match="another corresp build is writing"):
            build([small_source], tmp_path, ["json"])
    finally:
        os.close(fd)
    assert not (tmp_path / "letters.json").exists()
    build([small_source], tmp_path, ["json"])  # free again
    fd = os.open(path, os.O_RDWR)
    try:  # another format of the same edition may be written meanwhile (make -j2)
        fcntl.flock(fd, fcntl.LOCK_EX)
        build([small_source], tmp_path, ["tei"])
    finally:
        os.close(fd)
    assert (tmp_path / "letters.json").exists()


def test_a_killed_builds_temporary_files_are_removed_by_the_next(small_source, tmp_path):
    stale = tmp_path / ".letters.json.abc123.tmp"
    stale.write_text("left by a build killed with SIGKILL")
    other = tmp_path / ".other.json.abc123.tmp"  # another edition's: not ours to remove
    other.write_text("x")
    build([small_source], tmp_path, ["json"])
    assert not stale.exists() and other.exists()


SLOW_BUILD = """
import os, sys, time
import corresp.exporters as ex
from corresp.cli import main

PIDFILE = sys.argv[3]


class Slow:
    name, extension, description = "slow", ".slow", "sleeps"
    def export(self, edition, path, options):
        open(path, "w").write("x")
        open(PIDFILE, "w").write(str(os.getpid()))
        time.sleep(60)

ex.registry().exporters["slow"] = Slow()
sys.argv = ["corresp", "build", sys.argv[1], "-o", sys.argv[2], "-f", "json", "-f", "slow", "-q"]
main()
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return "\nState:\tZ" not in f.read()
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGKILL, -9)])
def test_a_signal_ends_the_build_and_its_workers(small_source, tmp_path, sig, code):
    out, pidfile = tmp_path / "out", tmp_path / "worker.pid"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(small_source), str(out), str(pidfile)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (pidfile.exists() and pidfile.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pidfile.exists(), "the worker never started"
        worker = int(pidfile.read_text())
        started = time.monotonic()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=10)  # ends: no worker holds the pipe open
        assert time.monotonic() - started < 5
        assert proc.returncode == code, err
        if code > 0:
            assert "interrupted by SIG" in err
        deadline = time.monotonic() + 5
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker), "the worker outlived the build"
        names = sorted(p.name for p in out.iterdir() if not p.name.endswith(".lock"))
        assert "letters.json" not in names and "letters.slow" not in names  # nothing published
        if code > 0:
            assert names == []  # and nothing left behind
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_two_builds_of_one_name_never_mix_two_editions(tmp_path):
    """Two builds of different sources, same -o and --name, started together: one edition."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(SMALL_A, encoding="utf-8")
    b.write_text(SMALL_B, encoding="utf-8")
    from corresp.verify import verify_dir
    for trial in range(3):
        out = tmp_path / f"out{trial}"
        cmd = [sys.executable, "-m", "corresp", "build", "-o", str(out), "--name", "e", "-f", "json", "-f", "epub",
               "-f", "tei", "-q"]
        procs = [subprocess.Popen(cmd + [str(src)], stderr=subprocess.PIPE, text=True) for src in (a, b)]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        for p in procs:
            p.stderr.close()
        assert all(code == 0 or (code == 4 and "another corresp build" in err) for code, err in results), results
        assert verify_dir(out)[0] == []  # the EPUB and TEI are the JSON's edition
        assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


_TEXT = SOURCE.read_text(encoding="utf-8")
SMALL_A = _TEXT[: _TEXT.index("\n", 6000)]
SMALL_B = _TEXT[: _TEXT.index("\n", 12000)]
