"""Running a batch: inputs to records, in input order, streamed, on one core, a local process
pool, or a Dask cluster.

The parent reads each input's bytes (to look it up in the cache) and hands misses to the
executor; at most ``window`` inputs are in flight, and records come out in input order as soon
as the first pending one is done, so memory does not grow with the batch. Each worker builds its
pipeline and plugins once (``auditor.worker.warm``). An input that takes longer than the timeout
is an error record; a worker process that dies takes only its input with it.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from auditor.cache import ResultCache
from auditor.errors import ReportReadError
from auditor.inputs import Source
from auditor.records import error_record
from auditor.worker import Settings, audit_input, warm

GRACE = 30.0  # seconds past the worker's own timeout before the parent gives up on it


@dataclass
class BatchStats:
    """Counts of a run: inputs done, audited by a worker, taken from the cache, error messages,
    unreadable inputs, findings by severity."""

    done: int = 0
    audited: int = 0
    cached: int = 0
    errors: int = 0
    unreadable: int = 0
    findings: dict[str, int] = field(default_factory=dict)

    def count(self, record: dict[str, Any]) -> None:
        """Account for one record."""
        self.done += 1
        self.errors += len(record["errors"])
        self.unreadable += not record["readable"]
        for finding in record.get("findings", ()):
            self.findings[finding["severity"]] = self.findings.get(finding["severity"], 0) + 1


class _Inline:
    """Runs audits in this process (``--jobs 1``): no pickling, the same timeout by signal."""

    def submit(self, fn: Callable, *args) -> Future:
        future: Future = Future()
        future.set_result(fn(*args))
        return future

    def restart(self) -> None:
        pass

    def shutdown(self) -> None:
        pass


class _Pool:
    """A local process pool that can be rebuilt when a worker dies or hangs."""

    def __init__(self, jobs: int, settings: Settings) -> None:
        self.jobs, self.settings = jobs, settings
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=warm, initargs=(self.settings,))

    def submit(self, fn: Callable, *args) -> Future:
        return self.pool.submit(fn, *args)

    def restart(self) -> None:
        for process in list(getattr(self.pool, "_processes", {}).values()):  # no public kill before 3.14
            process.kill()
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new()

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Dask:
    """A Dask distributed cluster: the same audit function, submitted as futures."""

    def __init__(self, scheduler: str, settings: Settings) -> None:
        from distributed import Client

        self.client = Client(scheduler, set_as_default=False)
        self.client.run(warm, settings)

    def submit(self, fn: Callable, *args):
        return self.client.submit(fn, *args, pure=False)

    def restart(self) -> None:
        pass

    def shutdown(self) -> None:
        self.client.close()


def run(
    sources: Iterable[Source],
    settings: Settings,
    *,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    cache: ResultCache | None = None,
    stats: BatchStats | None = None,
    window: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Records of ``sources`` in their order. ``executor`` is ``"local"`` (``jobs`` processes;
    1 runs inline) or ``"dask"`` (``scheduler`` is the address of a dask.distributed
    scheduler). The executor starts only when an input misses the cache."""
    stats = stats if stats is not None else BatchStats()
    window = window or max(4, 8 * max(jobs, 1))
    backend = None
    pending: deque[tuple[Source, str | None, bytes | None, Any]] = deque()

    def start():
        if executor == "dask":
            if not scheduler:
                raise ValueError("--executor dask needs --scheduler ADDRESS")
            return _Dask(scheduler, settings)
        return _Inline() if jobs <= 1 else _Pool(jobs, settings)

    def resubmit_pending() -> None:
        for i, (other, other_key, other_data, other_future) in enumerate(pending):
            if not isinstance(other_future, dict) and other_data is not None:
                pending[i] = (other, other_key, other_data, backend.submit(audit_input, other.name, other_data, settings))

    def outcome(source: Source, data: bytes, future: Any, alone: bool) -> dict[str, Any] | None:
        """The record of a submitted input; None when its pool broke while it ran with others
        (it is then retried alone: only an input that breaks a pool by itself is blamed)."""
        try:
            return future.result(timeout=settings.timeout + GRACE if settings.timeout else None)
        except FutureTimeout:
            reason = f"took longer than the {settings.timeout:g} s timeout and its worker was stopped"
        except BrokenProcessPool:
            if not alone:
                return None
            reason = "the worker process died (crashed or ran out of memory)"
        backend.restart()
        resubmit_pending()
        return {**error_record(source.name, reason), "transient": True}

    def finish(source: Source, key: str | None, data: bytes | None, future: Any) -> dict[str, Any]:
        if isinstance(future, dict):
            record = future
        else:
            record = outcome(source, data, future, alone=False)  # type: ignore[arg-type]
            if record is None:  # the pool broke: retry this input alone, then the others
                backend.restart()
                record = outcome(source, data, backend.submit(audit_input, source.name, data, settings), alone=True)  # type: ignore[arg-type]
                if not record.get("transient"):
                    resubmit_pending()
            stats.audited += 1
            if cache is not None and key is not None:
                cache.put(key, record)
        stats.count(record)
        return record

    try:
        for source in sources:
            try:
                data = source.read()
            except ReportReadError as exc:
                pending.append((source, None, None, error_record(source.name, exc.reason)))
            else:
                key = cache.key(data) if cache is not None else None
                hit = cache.get(key, source.name) if cache is not None and key is not None else None
                if hit is not None:
                    stats.cached += 1
                    pending.append((source, key, None, hit))
                else:
                    backend = backend or start()
                    pending.append((source, key, data, backend.submit(audit_input, source.name, data, settings)))
            while len(pending) >= window or (pending and _ready(pending[0][3])):
                yield finish(*pending.popleft())
        while pending:
            yield finish(*pending.popleft())
    finally:
        if backend is not None:
            backend.shutdown()


def _ready(future: Any) -> bool:
    return isinstance(future, dict) or future.done()


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
