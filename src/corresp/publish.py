"""Writing an edition whole or not at all.

Every format is written to a hidden temporary file (or folder, for a format that writes one:
the web edition) beside its target (`.NAME.EXT.*.tmp`)
by a worker process; only when every format has succeeded does the parent rename them
into place, one after the other with SIGTERM and SIGHUP held back, so a failure, a signal
or a dead worker leaves the previous edition as it was. Workers never rename anything,
and die with their parent (PR_SET_PDEATHSIG on Linux, and a check of the parent's pid),
so nothing is published after the parent is gone and no worker holds a pipeline's stdout
open. A lock per output file (kept outside the folder: `lock_path`) keeps two builds of
the same files apart: the second is refused. Temporary files a killed build left behind are removed by the next
build of that name, under the lock.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import pickle
import re
import shutil
import signal
import sys
import tempfile
import threading
from dataclasses import dataclass
from multiprocessing import connection, get_context
from pathlib import Path
from typing import Callable, Optional, Sequence

from .errors import CorrespError, ExportError, Interrupted

# The signals that end a build: each one becomes Interrupted (exit 128 + the signal's number).
ENDING = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def temp_prefix(target: Path) -> str:
    return f".{target.name}."


def new_temp(target: Path) -> Path:
    """A fresh name beside `target` that no file has (the exporter creates it)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ExportError(f"cannot write to the output folder: {exc.strerror or exc}", str(target.parent)) from None
    os.close(fd)
    os.unlink(tmp)  # an exporter that writes nothing must leave nothing, to be caught
    return Path(tmp)


def remove_quietly(path: Path) -> None:
    """Remove a file, or a folder with everything in it (a folder format's output)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
        return
    with contextlib.suppress(OSError):
        path.unlink()


RENAME_EXCHANGE = 2  # renameat2(2): swap two paths atomically (Linux 3.15+)


def _exchange(a: Path, b: Path) -> bool:
    """Swap `a` and `b` in one step where the system can (Linux); False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD = -100
    rc = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return rc == 0


def place(tmp: Path, target: Path) -> None:
    """Rename a finished file or folder into place. A file replaces the old one atomically;
    a folder swaps with the old folder atomically where the system can (renameat2), else the
    old one is moved aside first (and back, if the new one cannot take its place). Whatever
    the old edition was, it ends up at `tmp`, which the caller removes. Raises OSError."""
    if not tmp.is_dir():
        os.chmod(tmp, 0o644)
        if target.is_dir() and not target.is_symlink():  # a folder of that name: set it aside
            aside = new_temp(target)
            os.rename(target, aside)
            os.replace(tmp, target)
            os.rename(aside, tmp)
            return
        os.replace(tmp, target)
        return
    os.chmod(tmp, 0o755)
    if not os.path.lexists(target):
        os.rename(tmp, target)
        return
    if _exchange(tmp, target):
        return
    aside = new_temp(target)
    os.rename(target, aside)
    try:
        os.rename(tmp, target)
    except OSError:
        os.rename(aside, target)
        raise
    os.rename(aside, tmp)


def lock_path(out_dir: Path, name: str, extension: str = "") -> Path:
    """The lock of one file `name + extension` in `out_dir` (`letters.epub`): outside the
    folder, which holds the edition alone, in a per-user folder (XDG_RUNTIME_DIR, else the
    temporary folder), named by a hash of the folder's real path and the file's name (so
    `a.print` + `.pdf` and `a` + `.print.pdf`, one file, have one lock)."""
    import hashlib
    where = f"{os.path.realpath(out_dir)}\0{name}{extension}".encode("utf-8", "surrogateescape")
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    user = os.getuid() if hasattr(os, "getuid") else 0
    return Path(base) / f"corresp-locks-{user}" / f"{hashlib.sha1(where).hexdigest()}.lock"


@contextlib.contextmanager
def edition_lock(out_dir: Path, name: str, extensions: Sequence[str]):
    """Hold the locks of the files this build writes, or refuse: another build is writing one
    of them. One lock per file, so `make -j2` may write the EPUB and the PDF of an edition
    at once, while two builds of the same formats cannot interleave. The locks are taken in
    one order (no two builds wait on each other) and without waiting. Under them, a killed
    build's temporary files are removed."""
    out_dir = Path(out_dir)
    fds: list[int] = []
    try:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"cannot write to the output folder: {exc.strerror or exc}", str(out_dir)) from None
        # One lock per file NAME (`a.print.pdf`), whatever edition and format make it: the
        # PDF of edition `a.print` and the print PDF of edition `a` are one file, one lock.
        files = sorted({f"{name}{ext}" for ext in extensions})
        for file in files:
            fd = _lock(out_dir, file)
            if fd is None:
                raise ExportError(f"another corresp build is writing {file} in this folder now; "
                                  "nothing was written (try again when it is done)", str(out_dir))
            fds.append(fd)
        recover(out_dir, set(files))  # a transaction a killed build left: completed or rolled back
        for file in files:
            for stale in _temporaries(out_dir, file):
                remove_quietly(out_dir / stale)
        yield
    finally:
        for fd in fds:
            os.close(fd)  # releases the lock; the empty lock file stays (removing it would race)


def _lock(out_dir: Path, file: str):
    """The lock of one file of the folder, taken without waiting: its descriptor, or None if
    another build holds it."""
    import fcntl
    try:
        path = lock_path(out_dir, file)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise ExportError(f"cannot lock the edition: {exc.strerror or exc}", str(out_dir)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return None
        raise ExportError(f"cannot lock the edition: {exc.strerror or exc}", str(out_dir)) from None
    return fd


_RANDOM = re.compile(r"[A-Za-z0-9_]+")  # the part tempfile.mkstemp makes up (no dot: not another file's)


def _temporaries(out_dir: Path, file: str, suffix: str = ".tmp") -> list[str]:
    """The temporary files of `file` (`.FILE.XXXXXXXX.tmp`): matched by plain string
    comparison, never by a glob (a name such as `*` or `x[1]` is not a pattern)."""
    prefix = f".{file}."
    try:
        names = os.listdir(out_dir)
    except OSError:
        return []
    return [n for n in names if n.startswith(prefix) and n.endswith(suffix)
            and _RANDOM.fullmatch(n[len(prefix):-len(suffix)])]


# --- the transaction --------------------------------------------------------------------------
#
# Publishing renames several files; a failure, a signal or a power cut between two renames
# must not leave a mix of two editions. So, with every format written and the signals held:
# 1. a journal (`.NAME.XXXXXXXXXXXX.journal`, written whole: temporary file, fsync, rename)
#    lists each file's new version (its temporary name) and where its old one will be kept;
# 2. each old file is kept under `.FILE.XXXXXXXX.old` (a hard link: the file never goes
#    missing; a folder is moved aside) and the new one renamed into place;
# 3. the journal is marked committed, the old files removed, the journal removed.
# A rename that fails in step 2 rolls every file back at once. A build killed in step 2
# (SIGKILL, a power cut) leaves the journal: the next build of any of its files, under their
# locks, rolls the folder back to the old edition; one killed in step 3 is completed.

JOURNAL = ".journal"


def _plain(name) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\0" not in name


def _write_journal(path: Path, state: str, entries: list[dict]) -> None:
    import json
    tmp = path.with_name(path.name + ".new")
    data = json.dumps({"state": state, "entries": entries}).encode("utf-8")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError:
        remove_quietly(tmp)  # a full disk: no half-written journal left
        raise
    _sync_dir(path.parent)


def _sync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def commit(out_dir: Path, name: str, pairs: Sequence[tuple[Path, Path]]) -> None:
    """Rename every (temporary, target) into place, or none (raises OSError after rolling
    back). Call with the signals held and the targets' locks taken."""
    out_dir = Path(out_dir)
    entries = []
    for tmp, target in pairs:
        os.chmod(tmp, 0o755 if tmp.is_dir() else 0o644)
        old = None
        if os.path.lexists(target):
            old = Path(tempfile.mktemp(prefix=f".{target.name}.", suffix=".old", dir=out_dir)).name
        entries.append({"tmp": tmp.name, "target": target.name, "old": old})
    journal = Path(tempfile.mktemp(prefix=f".{name}.", suffix=JOURNAL, dir=out_dir))
    _write_journal(journal, "prepared", entries)
    try:
        for e in entries:
            _swap_in(out_dir, e)
    except OSError:
        _roll_back(out_dir, entries)
        remove_quietly(journal)
        raise
    _sync_dir(out_dir)
    _write_journal(journal, "committed", entries)
    _finish(out_dir, entries, journal)


def _swap_in(out_dir: Path, e: dict) -> None:
    tmp, target = out_dir / e["tmp"], out_dir / e["target"]
    if e["old"] is None:
        os.rename(tmp, target)
        return
    old = out_dir / e["old"]
    if not tmp.is_dir() and not (target.is_dir() and not target.is_symlink()):
        try:  # the old file stays in place until the new one replaces it
            os.link(target, old, follow_symlinks=False)
        except OSError:
            os.rename(target, old)
        os.replace(tmp, target)
        return
    os.rename(target, old)  # a folder (or a folder where a file goes): moved aside
    os.rename(tmp, target)


def _roll_back(out_dir: Path, entries: list[dict]) -> None:
    """Every file of the journal back as it was (idempotent: a later build may do it again)."""
    for e in reversed(entries):
        if not all(_plain(e.get(k)) for k in ("tmp", "target")) or not (e.get("old") is None or _plain(e["old"])):
            continue  # not a journal corresp wrote: touch nothing
        tmp, target = out_dir / e["tmp"], out_dir / e["target"]
        if e["old"] is not None:
            old = out_dir / e["old"]
            if os.path.lexists(old):
                if os.path.lexists(target) and not _same(old, target):
                    remove_quietly(target)  # the new version
                os.rename(old, target)
        elif not os.path.lexists(tmp) and os.path.lexists(target):
            remove_quietly(target)  # placed where there was nothing: nothing again
        remove_quietly(tmp)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b) and not (b.is_dir() and not b.is_symlink())
    except OSError:
        return False


def _finish(out_dir: Path, entries: list[dict], journal: Path) -> None:
    for e in entries:
        if _plain(e.get("old")):
            remove_quietly(out_dir / e["old"])
    remove_quietly(journal)


def recover(out_dir: Path, held: set) -> None:
    """Complete or roll back the transactions killed builds left in `out_dir` whose files
    this build holds the locks of (or can take them now: none is being written)."""
    import json
    out_dir = Path(out_dir)
    try:
        names = [n for n in os.listdir(out_dir) if n.startswith(".") and n.endswith(JOURNAL)]
    except OSError:
        return
    for n in names:
        journal = out_dir / n
        try:
            data = json.loads(journal.read_bytes())
            state, entries = data["state"], list(data["entries"])
            files = {e["target"] for e in entries}
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not ours, or gone meanwhile
        if not all(_plain(f) for f in files):
            continue
        extra = []
        try:
            for f in sorted(files - held):
                fd = _lock(out_dir, f)
                if fd is None:
                    break  # a running build writes one of its files: its own business
                extra.append(fd)
            else:
                if journal.exists():
                    if state == "committed":
                        _finish(out_dir, entries, journal)
                    else:
                        _roll_back(out_dir, entries)
                        remove_quietly(journal)
        finally:
            for fd in extra:
                os.close(fd)


@contextlib.contextmanager
def signals_end_the_build():
    """SIGTERM and SIGHUP raise Interrupted in the main thread while the build runs (so the
    workers are stopped and the temporary files removed); elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        for s in ENDING:  # once: a second signal must not cut short the cleaning up
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in ENDING}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


@contextlib.contextmanager
def signals_held():
    """SIGTERM, SIGHUP and SIGINT wait while the edition is renamed into place (a few renames)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, ENDING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, ENDING)


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel sends SIGKILL when the parent dies. Elsewhere (and for the race
    before prctl) the parent's pid is checked."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def as_helper_process(parent: int) -> None:
    """What a process forked to work for the build sets first: it dies with `parent`, and the
    parent's signal handlers are not its own (a signal ends it)."""
    _die_with_parent(parent)
    for s in ENDING:
        signal.signal(s, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, ENDING)  # held by the parent while it forked


def write_all(fd: int, data) -> None:
    """All of `data` to `fd`: a write may take part of it (a pipe takes what it has room for)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def widen_pipe(fd: int, size: int = 1 << 20) -> None:
    """Let the pipe `fd` hold `size` bytes (Linux, up to 1 MB unprivileged), so that a writer
    seldom waits for its reader; elsewhere it keeps its size."""
    try:
        import fcntl
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size)
    except (ImportError, AttributeError, OSError):
        pass


@dataclass
class Job:
    fmt: str
    target: Path
    tmp: Path
    process: object = None
    conn: object = None
    outcome: object = None  # ("ok", what run returned) or ("error", exception)
    after: object = None  # a Job that must have its outcome before this one starts (a shared layout)
    prepared: bool = False  # it starts only after run_jobs' `prepare` has run in the parent


def _worker(job_fmt: str, tmp: Path, run: Callable, conn, parent: int) -> None:
    as_helper_process(parent)
    try:
        outcome = ("ok", run(job_fmt, tmp))
    except BaseException as exc:  # SystemExit too: an exporter that exits has failed
        outcome = ("error", exc)
    try:
        conn.send_bytes(pickle.dumps(outcome))
    except Exception:  # an exception that does not pickle: its message
        conn.send_bytes(pickle.dumps(("error", ExportError(f"{job_fmt}: {type(outcome[1]).__name__}: "
                                                            f"{outcome[1]}"))))
    conn.close()


def _describe_death(job: Job) -> ExportError:
    code = job.process.exitcode
    if code is not None and code < 0:
        try:
            how = f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"was killed by signal {-code}"
    else:
        how = f"exited with status {code}"
    return ExportError(f"the {job.fmt} exporter's process {how} before it finished", str(job.target))


def _receive(job: Job):
    try:
        return pickle.loads(job.conn.recv_bytes())
    except (EOFError, OSError):
        return None  # died before a word
    except Exception as exc:
        return ("error", ExportError(f"{job.fmt}: its result cannot be read: {exc}", str(job.target)))


def run_jobs(jobs: list[Job], run: Callable, parallel: int, progress=None,
             prepare: Optional[Callable[[], None]] = None, meanwhile: Optional[Callable[[], None]] = None) -> None:
    """Run `run(fmt, tmp)` for every job in forked workers, `parallel` at a time; each job's
    outcome is set (a worker that dies is its job's failure).

    `prepare` (the edition in house typography) is run here in the parent, taking one of the
    `parallel` places, after the first jobs that do not need it have started and before any
    job marked `prepared` starts (their workers inherit what it made): so the formats that
    need no preparation are not kept waiting for it, and the machine is not over-committed.
    `meanwhile` is run here once those jobs have started (work of the parent's that they need
    only later, if at all: `Posted`); what it raises ends the build, stopping the workers."""
    ctx = get_context("fork")
    pending = list(jobs)
    running: dict = {}  # conn or sentinel -> job
    done = 0
    parent = os.getpid()
    try:
        while pending or running:
            places = parallel if prepare is None else max(1, parallel - 1)
            while pending and len({id(j) for j in running.values()}) < places:
                job = next((j for j in pending if (j.after is None or j.after.outcome is not None)
                            and (prepare is None or not j.prepared)), None)
                if job is None:
                    break  # what is left waits for a job that is running, or for `prepare`
                pending.remove(job)
                receive, send = ctx.Pipe(duplex=False)
                job.process = ctx.Process(target=_worker, args=(job.fmt, job.tmp, run, send, parent), daemon=True)
                # A signal that arrived during the fork would be raised inside an at-fork hook
                # (logging's), which swallows exceptions: the build went on. Held, it arrives here.
                with signals_held():
                    job.process.start()
                send.close()
                job.conn = receive
                running[receive] = job
                running[job.process.sentinel] = job
            if prepare is not None:
                prepare()
                prepare = None
                continue
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            for ready in connection.wait(list(running)):
                job = running.pop(ready, None)
                if job is None:
                    continue
                if ready is job.conn or (job.conn in running and job.conn.poll()):
                    running.pop(job.conn, None)  # (it exited: whatever it sent is in the pipe)
                    job.outcome = _receive(job)
                if job.process.sentinel in running:
                    continue  # it said how it went: its exit follows
                running.pop(job.conn, None)  # exited without a word: its sentinel says how
                job.process.join()
                job.conn.close()
                if job.outcome is None:
                    job.outcome = ("error", _describe_death(job))
                done += 1
                if progress:
                    progress(done, len(jobs), job.fmt)
    finally:
        for job in jobs:  # interrupted: stop every worker still running
            p = job.process
            if p is not None and p.exitcode is None:
                with contextlib.suppress(Exception):
                    p.kill()
                    p.join(5)


def run_inline(jobs: list[Job], run: Callable, progress=None) -> None:
    """The same, in this process (where fork is not available)."""
    for k, job in enumerate(jobs):
        try:
            job.outcome = ("ok", run(job.fmt, job.tmp))
        except (KeyboardInterrupt, Interrupted):
            raise
        except BaseException as exc:
            job.outcome = ("error", exc)
        if progress:
            progress(k + 1, len(jobs), job.fmt)


class Posted:
    """A text the build's parent posts once its workers have forked, for a worker to read
    when it gets to it: anonymous shared memory (mapped before the fork, so written by the
    parent and read by the workers), so nothing fills up as a pipe would and nobody waits:
    `get` answers None while nothing is posted, and the worker then does without (works it
    out itself)."""

    SIZE = 1 << 22  # bytes (mapped, not used: the pages a text needs are all that is taken)

    def __init__(self):
        import mmap
        self.memory = mmap.mmap(-1, self.SIZE)  # (MAP_SHARED: the children see the parent's writes)

    def post(self, text: str) -> bool:
        data = text.encode("utf-8")
        if len(data) + 9 > self.SIZE:
            return False
        self.memory[9:9 + len(data)] = data
        self.memory[1:9] = len(data).to_bytes(8, "little")
        self.memory[0] = 1  # last, one byte: a reader sees the whole text or nothing
        return True

    def get(self) -> Optional[str]:
        if self.memory.closed or self.memory[0] != 1:
            return None
        n = int.from_bytes(self.memory[1:9], "little")
        return self.memory[9:9 + n].decode("utf-8")

    def close(self) -> None:
        self.memory.close()


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"


def as_export_error(job: Job, exc: BaseException) -> CorrespError:
    if isinstance(exc, CorrespError):
        return exc
    if isinstance(exc, SystemExit):
        return ExportError(f"the {job.fmt} exporter exited (SystemExit({exc.code!r})) before it finished",
                           str(job.target))
    if isinstance(exc, OSError):
        return ExportError(f"cannot write: {exc.strerror or exc}", str(job.target))
    return ExportError(f"{job.fmt} exporter failed: {type(exc).__name__}: {exc}", str(job.target))
