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
import shutil
import signal
import sys
import tempfile
import threading
from dataclasses import dataclass
from multiprocessing import connection, get_context
from pathlib import Path
from typing import Callable, Sequence

from .errors import CorrespError, ExportError, Interrupted

# The signals that end a build: each one becomes Interrupted (exit 128 + the signal's number).
ENDING = (signal.SIGTERM, signal.SIGHUP)


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
    """The lock of one file of edition `name` in `out_dir` (`.epub`, `.pdf` …): outside the
    folder, which holds the edition alone, in a per-user folder (XDG_RUNTIME_DIR, else the
    temporary folder), named by a hash of the folder's real path, the name and the file's
    extension."""
    import hashlib
    where = f"{os.path.realpath(out_dir)}\0{name}\0{extension}".encode("utf-8", "surrogateescape")
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
    import fcntl
    out_dir = Path(out_dir)
    fds: list[int] = []
    try:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"cannot write to the output folder: {exc.strerror or exc}", str(out_dir)) from None
        for ext in sorted(set(extensions)):
            try:
                path = lock_path(out_dir, name, ext)
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                raise ExportError(f"cannot lock the edition: {exc.strerror or exc}", str(out_dir)) from None
            fds.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise ExportError(f"another corresp build is writing {name}{ext} in this folder now; "
                                      "nothing was written (try again when it is done)", str(out_dir)) from None
                raise ExportError(f"cannot lock the edition: {exc.strerror or exc}", str(out_dir)) from None
        for ext in extensions:
            for stale in out_dir.glob(f".{name}{ext}.*.tmp"):
                remove_quietly(stale)
        yield
    finally:
        for fd in fds:
            os.close(fd)  # releases the lock; the empty lock file stays (removing it would race)


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
    """SIGTERM and SIGHUP wait while the edition is renamed into place (a few renames)."""
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


@dataclass
class Job:
    fmt: str
    target: Path
    tmp: Path
    process: object = None
    conn: object = None
    outcome: object = None  # ("ok", what run returned) or ("error", exception)
    after: object = None  # a Job that must have its outcome before this one starts (a shared layout)


def _worker(job_fmt: str, tmp: Path, run: Callable, conn, parent: int) -> None:
    _die_with_parent(parent)
    for s in ENDING:  # the parent's handlers are not the worker's: a signal ends it
        signal.signal(s, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
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


def run_jobs(jobs: list[Job], run: Callable, parallel: int, progress=None) -> None:
    """Run `run(fmt, tmp)` for every job in forked workers, `parallel` at a time; each job's
    outcome is set (a worker that dies is its job's failure)."""
    ctx = get_context("fork")
    pending = list(jobs)
    running: dict = {}  # conn or sentinel -> job
    done = 0
    parent = os.getpid()
    try:
        while pending or running:
            while pending and len({id(j) for j in running.values()}) < parallel:
                job = next((j for j in pending if j.after is None or j.after.outcome is not None), None)
                if job is None:
                    break  # what is left waits for a job that is running
                pending.remove(job)
                receive, send = ctx.Pipe(duplex=False)
                job.process = ctx.Process(target=_worker, args=(job.fmt, job.tmp, run, send, parent), daemon=True)
                job.process.start()
                send.close()
                job.conn = receive
                running[receive] = job
                running[job.process.sentinel] = job
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
