"""Running a batch: inputs to records, in input order, streamed, on one core, a local process
pool, or a Dask cluster.

The parent reads each input's bytes (to look it up in the cache) and hands misses to the
executor; at most ``window`` inputs are in flight, and records come out in input order as soon
as the first pending one is done, so memory does not grow with the batch. Each worker builds its
pipeline and plugins once (``auditor.worker.warm``); even a run of one input goes through one
worker process, so that nothing a plugin or reader does to its process ends the run. An input
whose worker overruns a stage is stopped (and audited again without a plugin that would not
stop); a worker process that dies takes only its input with it.
"""

from __future__ import annotations

import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from auditor.baseline import Baseline
from auditor.i18n import Message
from auditor.cache import ResultCache
from auditor.errors import ReportReadError
from auditor.inputs import Source
from auditor.records import error_record
from auditor.worker import Settings, StageBoard, audit_input, warm, without_rule

GRACE = 30.0  # seconds past the stages' own timeouts before the parent gives up on an input (Dask)
STAGE_GRACE = 1.5  # seconds past the timeout before the parent stops a worker stuck in one stage
POLL = 0.25  # seconds between looks at the board while waiting for an input


@dataclass
class BatchStats:
    """Counts of a run: inputs done, audited by a worker, taken from the cache, error messages,
    unreadable inputs, findings by severity, findings a baseline left out."""

    done: int = 0
    audited: int = 0
    cached: int = 0
    cached_reports: int = 0  # the cached inputs that are reports (not refused inputs): the summary's count
    errors: int = 0
    unreadable: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    suppressed: int = 0

    def count(self, record: dict[str, Any]) -> None:
        """Account for one record."""
        self.done += 1
        self.errors += len(record["errors"])
        self.unreadable += not record["readable"]
        for finding in record.get("findings", ()):
            self.findings[finding["severity"]] = self.findings.get(finding["severity"], 0) + 1


class _Pool:
    """A local process pool that can be rebuilt when a worker dies, hangs or overruns, with the
    board its workers post their stages on."""

    def __init__(self, jobs: int, settings: Settings) -> None:
        import multiprocessing

        self.jobs, self.settings = jobs, settings
        self.board = StageBoard(slots=max(8, 4 * jobs))
        if multiprocessing.get_start_method() == "fork":
            warm(settings)  # built once here, every worker forked ready: a rebuilt pool costs no rebuild
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=warm, initargs=(self.settings, self.board))

    def submit(self, fn: Callable, *args) -> Future:
        return self.pool.submit(fn, *args)

    def _posted(self, task: int) -> tuple[float, str] | None:
        """When ``task`` entered the stage it is in, and that stage; None when it is done or not begun."""
        posted = self.board.stages().get(task)
        return None if posted is None or posted[1] == "done" else posted

    def overrun(self, task: int, limit: float) -> str | None:
        """The stage ``task`` has been in for longer than ``limit`` seconds, or None."""
        posted = self._posted(task)
        return posted[1] if posted is not None and time.monotonic() - posted[0] > limit else None

    def stage(self, task: int) -> str | None:
        """The stage ``task`` was last posted in (for a worker that died: where it died)."""
        posted = self._posted(task)
        return posted[1] if posted is not None else None

    def busy(self) -> set[int]:
        """The tasks a worker had begun and not finished (when the pool broke: those it took down)."""
        return {task for task, (_, stage) in self.board.stages().items() if stage != "done"}

    def restart(self) -> None:
        self._kill()
        self.board.clear()
        self.pool = self._new()

    def _kill(self) -> None:
        for process in list(getattr(self.pool, "_processes", {}).values()):  # no public kill before 3.14
            process.kill()
        # wait: the pool's manager thread must be done before the interpreter exits (CPython
        # 3.11 may otherwise write to its closed wake-up pipe at exit and print a traceback)
        self.pool.shutdown(wait=True, cancel_futures=True)

    def shutdown(self, interrupted: bool = False) -> None:
        if interrupted:
            self._kill()
        else:
            self.pool.shutdown(wait=True, cancel_futures=True)


class _Dask:
    """A Dask distributed cluster: the same audit function, submitted as futures."""

    def __init__(self, scheduler: str, settings: Settings) -> None:
        from distributed import Client

        self.client = Client(scheduler, set_as_default=False)
        self.client.run(warm, settings)

    def submit(self, fn: Callable, *args):
        return self.client.submit(fn, *args, pure=False)

    def overrun(self, task: int, limit: float) -> str | None:
        return None  # Dask workers run audits in threads: the client's own wait is the limit

    def stage(self, task: int) -> str | None:
        return None

    def busy(self) -> set[int]:
        return {-1}  # unknown: always retry alone

    def restart(self) -> None:
        pass

    def shutdown(self, interrupted: bool = False) -> None:
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
    baseline: Baseline | None = None,
) -> Iterator[dict[str, Any]]:
    """Records of ``sources`` in their order. ``executor`` is ``"local"`` (``jobs`` worker
    processes, one at least: a plugin or a reader that crashes its process never takes the run
    with it) or ``"dask"`` (``scheduler`` is the address of a dask.distributed scheduler). The
    executor starts only when an input misses the cache. Findings a ``baseline`` accepted are
    left out of the records (the cache keeps them) and counted in ``stats.suppressed``."""
    stats = stats if stats is not None else BatchStats()
    accepted = Counter(baseline.counts) if baseline is not None else None
    window = window or max(4, 8 * max(jobs, 1))
    backend = None
    pending: deque[_Pending] = deque()
    numbers = count(1)

    def start():
        if executor == "dask":
            if not scheduler:
                raise ValueError("--executor dask needs --scheduler ADDRESS")
            return _Dask(scheduler, settings)
        return _Pool(max(1, jobs), settings)

    pools = count(1)
    generation = next(pools)  # which pool the backend runs now; a restart makes a new one

    def submit(item: _Pending) -> None:
        item.task, item.generation = next(numbers), generation
        item.future = backend.submit(audit_input, item.source.name, item.data, item.settings, item.task)

    def restart() -> None:
        nonlocal generation
        backend.restart()
        generation = next(pools)

    def resubmit_pending() -> None:
        """Submit again, to the rebuilt pool, every pending input not yet submitted to it."""
        for other in pending:
            if not isinstance(other.future, dict) and other.data is not None and other.generation != generation:
                submit(other)

    def outcome(item: _Pending, alone: bool) -> dict[str, Any] | None:
        """The record of a submitted input; None when its pool broke while it ran with others
        (it is then retried alone: only an input that breaks a pool by itself is blamed)."""
        waited = 0.0
        while True:
            try:
                return item.future.result(timeout=POLL)
            except FutureTimeout:
                waited += POLL
                if not item.settings.timeout:
                    continue
                stage = backend.overrun(item.task, item.settings.timeout + STAGE_GRACE)
                if stage is None and waited < item.settings.timeout * 4 + GRACE:
                    continue
                return stopped(item, stage)
            except BrokenProcessPool:
                if not alone and backend.busy() - {item.task}:
                    return None  # others were in flight: retried alone, so that only the culprit is blamed
                return stopped(item, backend.stage(item.task), died=True)

    def stopped(item: _Pending, stage: str | None, died: bool = False) -> dict[str, Any]:
        """An input whose worker died in, or overran, ``stage``: the pool is rebuilt, and when
        the stage was a rule's, the input is audited again without it (its other findings are
        kept, the rule and its plugin are named); else the input is an error. The re-run goes
        first and alone: the other pending inputs are submitted again only after it, so that a
        rule that fails on every input cannot break the re-run meant to leave it out, and an
        input that overruns is never left running unwatched."""
        restart()
        limit = f"{item.settings.timeout:g} s timeout"
        if stage and stage.startswith("rule "):
            rule = stage.removeprefix("rule ")
            item.settings = without_rule(item.settings, rule)
            submit(item)
            record = outcome(item, alone=True) or error_record(item.source.name, Message("the worker process died"))
            resubmit_pending()
            what = "ended its worker process (a crash, or an exit)" if died else f"did not stop within the {limit}; its worker was stopped"
            note = f"rule {rule}{_owner(item.settings, rule)} {what} and the report was audited without it"
            return {**record, "errors": [*record.get("errors", []), note], "transient": True}
        resubmit_pending()
        if died:
            return {**error_record(item.source.name, Message("the worker process died (crashed or ran out of memory)")), "transient": True}
        return {**error_record(item.source.name, f"took longer than the {limit} and its worker was stopped"), "transient": True}

    def finish(item: _Pending) -> dict[str, Any]:
        if isinstance(item.future, dict):
            record = item.future
        else:
            record = outcome(item, alone=False)
            if record is None:  # the pool broke: retry this input alone, then the others
                restart()
                submit(item)
                record = outcome(item, alone=True)
                resubmit_pending()
            stats.audited += 1
            if cache is not None and item.key is not None:
                cache.put(item.key, record)
        if baseline is not None:
            record, left_out = baseline.apply(record, accepted)
            stats.suppressed += left_out
        stats.count(record)
        return record

    interrupted = False
    try:
        for source in sources:
            try:
                data = source.read()
            except ReportReadError as exc:
                pending.append(_Pending(source, None, None, settings, error_record(source.name, exc.reason)))
            else:
                key = cache.key(data) if cache is not None else None
                hit = cache.get(key, source.name) if cache is not None and key is not None else None
                if hit is not None:
                    stats.cached += 1
                    stats.cached_reports += bool(hit.get("readable"))
                    pending.append(_Pending(source, key, None, settings, hit))
                else:
                    backend = backend or start()
                    item = _Pending(source, key, data, settings)
                    submit(item)
                    pending.append(item)
            while len(pending) >= window or (pending and _ready(pending[0].future)):
                yield finish(pending.popleft())
        while pending:
            yield finish(pending.popleft())
    except BaseException:
        interrupted = True
        raise
    finally:
        if backend is not None:
            backend.shutdown(interrupted)


@dataclass
class _Pending:
    """An input in flight: its source, cache key, bytes, settings (a re-run may leave a plugin
    out), the task number its worker posts under, and its future (or its record, when done)."""

    source: Source
    key: str | None
    data: bytes | None
    settings: Settings
    future: Any = None
    task: int = 0
    generation: int = 0  # the pool it was last submitted to


def _ready(future: Any) -> bool:
    return isinstance(future, dict) or future.done()


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _owner(settings: Settings, rule: str) -> str:
    """" (plugin 'name')" for a rule of the run's plugins, else ""."""
    from auditor.worker import host_for

    plugin = getattr(host_for(settings).rules().get(rule), "plugin", "")
    return f" (plugin {plugin!r})" if plugin else ""
