"""Run independent lab tasks on all local cores (a process pool) or on a Ray cluster.

Tasks are pure functions of their arguments (seeds included), so where a task runs never changes
its result: a Ray run equals a local run for the same seeds. An interrupt (Ctrl-C) keeps every
finished task and reports that the run is partial.
"""

from __future__ import annotations

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


def _ignore_interrupt() -> None:
    # the parent handles Ctrl-C and keeps finished work; workers must not die mid-task on it
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
    with _Interrupt() as stop:
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
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupt)
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
