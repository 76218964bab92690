"""Run independent lab tasks on all local cores (a process pool) or on a Ray cluster.

Tasks are pure functions of their arguments (seeds included), so where a task runs never changes
its result: a Ray run equals a local run for the same seeds. An interrupt (Ctrl-C) keeps every
finished task and reports that the run is partial.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    import rich.progress

T = TypeVar("T")
R = TypeVar("R")


class LabError(Exception):
    """A user error in the lab (bad persona, range, address): one line, exit status 2."""


@dataclass
class RunOutcome(Generic[R]):
    """What came back: results by task index (missing ones were not finished) and whether the
    run was interrupted."""

    results: dict[int, R] = field(default_factory=dict)
    interrupted: bool = False
    backend: str = "local"
    workers: int = 1
    seconds: float = 0.0


class Progress:
    """The progress of a lab run on stderr. On a terminal, rich draws one bar rewritten in place
    (share done, count, throughput, time left); in a log or a pipe it writes whole lines instead:
    one at the first finished batch, then at most one every `every` seconds, and one at the end."""

    def __init__(self, total: int, unit: str, enabled: bool = True, every: float = 10.0) -> None:
        self.total, self.unit, self.enabled, self.every = total, unit, enabled, every
        self.done = 0
        self.start = time.perf_counter()
        self._written = -float("inf")  # when the last whole line was written
        self._bar: rich.progress.Progress | None = None
        if enabled and sys.stderr.isatty():
            import rich.progress  # on a terminal only: every `systemic` command loads this module
            from rich.console import Console
            console = Console(stderr=True)
            self._bar = rich.progress.Progress(
                rich.progress.BarColumn(), rich.progress.TaskProgressColumn(),
                rich.progress.MofNCompleteColumn(), rich.progress.TextColumn(unit + " {task.fields[rate]}"),
                rich.progress.TimeRemainingColumn(), console=console)
            self._task = self._bar.add_task(unit, total=total, rate="")
            self._bar.start()

    def advance(self, amount: int) -> None:
        self.done += amount
        if not self.enabled:
            return
        now = time.perf_counter()
        rate = self.done / (now - self.start) if now > self.start else 0.0
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, rate=f"{rate:,.0f} {self.unit}/s")
            if self.done >= self.total:
                self.close()
            return
        if now - self._written >= self.every or self.done >= self.total:
            self._written = now
            left = (self.total - self.done) / rate if rate > 0 else float("inf")
            eta = time.strftime("%H:%M:%S", time.gmtime(left)) if left != float("inf") else "--:--:--"
            sys.stderr.write(f"{self.done}/{self.total} {self.unit} ({100 * self.done / max(self.total, 1):.1f}%), "
                             f"{rate:,.0f} {self.unit}/s, {eta} left\n")
            sys.stderr.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def default_workers() -> int:
    """All local cores (the CPUs this process may run on)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class _Interrupt:
    """Ctrl-C as a flag, checked between batches: a KeyboardInterrupt raised inside
    concurrent.futures' or Ray's own locks can leave them held and hang the shutdown."""

    def __init__(self) -> None:
        self.hit = False
        self._old: Any = None

    def __enter__(self) -> _Interrupt:
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        if self.hit:  # a second Ctrl-C: stop at once
            raise KeyboardInterrupt
        self.hit = True

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


def one_blas_thread() -> Any:
    """Keep numpy's BLAS on one thread in a lab process (a context manager; a no-op without
    threadpoolctl). Every lab process already has a core of its own: a matrix product spread
    over threads that wait on the other processes' cores made a search mirror 2.5 times slower
    in CPU time (Ray workers get OMP_NUM_THREADS=1 from Ray itself)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - the lab extra installs it
        import contextlib
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def keep_freed_memory() -> None:
    """Let this process reuse the memory numpy frees for its next arrays (glibc's malloc; a
    no-op elsewhere). A search's rollouts make and drop arrays of a few hundred kilobytes to a
    few megabytes every simulated year; by default glibc hands each back to the system once
    freed and the next is page-faulted in afresh (some 70,000 faults in a 2,500-game task with a
    `normal` seat, 5-8% of its CPU time). Where arrays live never changes their numbers."""
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3  # glibc's malloc.h
    mallopt(m_mmap_threshold, 32 << 20)  # arrays up to 32 MB come from the heap, not mmap
    mallopt(m_trim_threshold, 128 << 20)  # keep up to 128 MB freed at the heap's top
    mallopt(m_top_pad, 16 << 20)


def _worker_init() -> None:
    # the parent handles Ctrl-C and keeps finished work; workers must not die mid-task on it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    one_blas_thread()  # for the worker's lifetime (never exited)
    keep_freed_memory()


def run_tasks(fn: Callable[[T], R], tasks: Sequence[T], *, workers: int | None = None,
              ray_address: str | None = None, weight: Callable[[T], int] | None = None,
              progress: Progress | None = None) -> RunOutcome[R]:
    """Run `fn` on every task: in this process (workers=1), on a local process pool (default:
    all cores) or on Ray (`ray_address`: 'auto', 'local' to start one here, or HOST:PORT)."""
    start = time.perf_counter()
    size = weight or (lambda _t: 1)
    if ray_address is not None:
        out = _run_ray(fn, tasks, ray_address, size, progress)
    else:
        n = workers or default_workers()
        out = _run_serial(fn, tasks, size, progress) if n <= 1 or len(tasks) <= 1 else \
            _run_pool(fn, tasks, n, size, progress)
    out.seconds = time.perf_counter() - start
    if progress is not None:
        progress.close()
    return out


def _run_serial(fn: Callable[[T], R], tasks: Sequence[T], size: Callable[[T], int],
                progress: Progress | None) -> RunOutcome[R]:
    out: RunOutcome[R] = RunOutcome(backend="local", workers=1)
    keep_freed_memory()
    with _Interrupt() as stop, one_blas_thread():
        try:
            for i, task in enumerate(tasks):
                if stop.hit:
                    break
                out.results[i] = fn(task)
                if progress:
                    progress.advance(size(task))
        except KeyboardInterrupt:
            pass
        out.interrupted = stop.hit or len(out.results) < len(tasks)
    return out


def _run_pool(fn: Callable[[T], R], tasks: Sequence[T], workers: int, size: Callable[[T], int],
              progress: Progress | None) -> RunOutcome[R]:
    out: RunOutcome[R] = RunOutcome(backend="local", workers=workers)
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
    pending: dict[Future[R], int] = {}
    with _Interrupt() as stop:
        try:
            pending = {pool.submit(fn, task): i for i, task in enumerate(tasks)}
            while pending and not stop.hit:
                done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = pending.pop(fut)
                    out.results[i] = fut.result()
                    if progress:
                        progress.advance(size(tasks[i]))
        finally:
            # workers ignore Ctrl-C: the batches in progress finish (about a second each), queued
            # ones are dropped, and everything that finished is kept
            pool.shutdown(wait=True, cancel_futures=True)
            for fut, i in pending.items():
                if fut.done() and not fut.cancelled() and fut.exception() is None:
                    out.results[i] = fut.result()
        out.interrupted = stop.hit and len(out.results) < len(tasks)
    return out


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise LabError("--ray needs the cluster extra: pip install 'systemic[cluster]'") from None
    return ray


def connect_ray(address: str) -> Any:
    """Connect to a Ray cluster ('auto', 'local' to start one in this process, HOST:PORT or
    ray://HOST:PORT); an unreachable address is a LabError, not a hang."""
    ray = _ray()
    if ray.is_initialized():
        return ray
    if address not in ("auto", "local"):
        host_port = address.removeprefix("ray://")
        host, _, port = host_port.rpartition(":")
        if not host or not port.isdigit():
            raise LabError(f"Ray address '{address}' is not HOST:PORT, 'auto' or 'local'")
        try:
            socket.create_connection((host, int(port)), timeout=5).close()
        except OSError as exc:
            raise LabError(f"cannot reach Ray at {address}: {exc.strerror or exc}") from None
        _probe_ray(address)
    try:
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                  "logging_level": "ERROR"}
        if address == "local":
            ray.init(**kwargs)
        else:
            ray.init(address=address, **kwargs)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise LabError(f"cannot connect to Ray at {address}: {str(exc).splitlines()[0]}") from None
    return ray


# A driver that only connects, in a child process: Ray's own connect retries for about 20 s on
# a cluster refusing its token (printing a warning a second) and for over 100 s on a port where
# something else listens, and it cannot be interrupted from inside the process.
_PROBE = ("import sys, ray; ray.init(address=sys.argv[1], include_dashboard=False, log_to_driver=False, "
          "logging_level='ERROR'); print('RAY-OK', flush=True)")
PROBE_SECONDS = 30.0


def _probe_ray(address: str, seconds: float | None = None) -> None:
    """Connect a throwaway driver to `address` and read what Ray says, for at most `seconds`:
    a LabError of one line naming the address if the cluster refuses the token, if what listens
    there is not Ray, or if nothing answers in time."""
    import selectors
    import subprocess
    proc = subprocess.Popen([sys.executable, "-c", _PROBE, address], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + (seconds or PROBE_SECONDS)
    last = ""
    problem: str | None = None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while problem is None:
            left = deadline - time.monotonic()
            if left <= 0:
                problem = f"no answer from Ray at {address} within {seconds or PROBE_SECONDS:.0f} s"
                break
            if not sel.select(timeout=min(left, 0.5)):
                continue
            line = proc.stdout.readline()
            if not line:  # the probe ended without connecting
                problem = f"cannot connect to Ray at {address}: {last or 'the driver exited'}"
                break
            line = line.strip()
            last = line.split(": ", 1)[-1] if "Error" in line else last or line
            if "RAY-OK" in line:
                break
            if "InvalidAuthToken" in line or "Unauthenticated" in line:
                problem = (f"Ray at {address} requires token authentication and this driver has no valid "
                           "token: set RAY_AUTH_MODE=token and RAY_AUTH_TOKEN=<the cluster's token> (or "
                           "RAY_AUTH_TOKEN_PATH=<file holding it>; `ray get-auth-token` on the head prints it)")
            elif "Failed to connect to GCS" in line or "waiting for GCS to become available" in line:
                problem = (f"no Ray cluster answers at {address}: something else listens on that port "
                           "(a head's address is its GCS port, 6379 unless `ray start --head --port` set another)")
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    if problem:
        raise LabError(problem)


def _run_ray(fn: Callable[[T], R], tasks: Sequence[T], address: str, size: Callable[[T], int],
             progress: Progress | None) -> RunOutcome[R]:
    ray = connect_ray(address)
    remote = ray.remote(fn)
    out: RunOutcome[R] = RunOutcome(backend="ray", workers=int(ray.cluster_resources().get("CPU", 1)))
    refs = {remote.remote(task): i for i, task in enumerate(tasks)}
    with _Interrupt() as stop:
        while refs and not stop.hit:
            done, _ = ray.wait(list(refs), num_returns=1, timeout=0.25)
            for ref in done:
                i = refs.pop(ref)
                out.results[i] = ray.get(ref)
                if progress:
                    progress.advance(size(tasks[i]))
        if stop.hit:
            out.interrupted = True
            for ref in refs:
                ray.cancel(ref, force=True)
    return out
