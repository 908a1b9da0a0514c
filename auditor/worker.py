"""The audit function the workers run: one input's bytes in, one result record out.

``audit_input`` is pure in what matters: its record depends only on the bytes, the settings and
the product; it never raises. Each process builds its plugin manager, jieba dictionary and spaCy
pipeline once (``warm``) and reuses them for every input it audits, in a local process pool or
on a Dask worker alike.

Time: reading an input (and finding its statements) may take the run's ``timeout``; so may each
rule, separately. A rule past its time is stopped by a signal and named (with its plugin) in an
error entry, and the report keeps every other rule's findings. A rule that will not stop (it
catches the signal, or blocks in C) is stopped from outside: each worker posts what it is doing
on a ``StageBoard`` the parent reads, and the parent stops a worker that overruns a stage.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from auditor.config import Configuration
from auditor.errors import PluginTimeout, ReportReadError
from auditor.i18n import Message
from auditor.records import error_record, report_record


@dataclass(frozen=True)
class Settings:
    """What a run's workers need to know: local plugins (``--plugin``), blocked plugins, the
    configuration (which rules run, severities, options), whether records carry the report's
    view (HTML output) and its cells (``cells``: True for every cell, as ``extract`` needs; a
    tuple of ``fnmatch`` patterns for the cells the batch rules read; False for none), and the
    time one stage of an input may take (seconds; 0 for no limit)."""

    plugins: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()
    config: Configuration = field(default_factory=Configuration)
    view: bool = False
    cells: bool | tuple[str, ...] = False
    timeout: float = 60.0


class AuditTimeout(BaseException):
    """A stage took longer than the run's ``--timeout``. A BaseException, so that the guards
    around rules (which turn a rule's exception into an error entry) let it through."""


class StageBoard:
    """Shared memory where each worker process posts the task it is on, the stage (reading, or
    a rule's ID) and when that stage began; the parent reads it to stop a worker that
    overruns. One fixed slot per worker process; created by the parent before the pool."""

    SLOT = 240

    def __init__(self, slots: int = 64) -> None:
        import multiprocessing

        self.slots = slots
        self.data = multiprocessing.RawArray("c", slots * self.SLOT)
        self.counter = multiprocessing.RawValue("i", 0)
        self.lock = multiprocessing.Lock()

    def claim(self) -> int:
        """A slot for the calling worker process."""
        with self.lock:
            slot = self.counter.value % self.slots
            self.counter.value += 1
        return slot

    def post(self, slot: int, task: int, stage: str) -> None:
        """Say that this worker began ``stage`` of ``task`` now."""
        text = f"{task}\t{time.monotonic():.3f}\t{stage}".encode()[: self.SLOT - 1]
        self.data[slot * self.SLOT : slot * self.SLOT + len(text) + 1] = text + b"\0"

    def stages(self) -> dict[int, tuple[float, str]]:
        """What every worker is doing: task -> (when its stage began, stage)."""
        found = {}
        for slot in range(self.slots):
            raw = bytes(self.data[slot * self.SLOT : (slot + 1) * self.SLOT]).split(b"\0", 1)[0]
            if raw.count(b"\t") >= 2:
                task, began, stage = raw.decode(errors="replace").split("\t", 2)
                found[int(task)] = (float(began), stage)
        return found

    def clear(self) -> None:
        """Forget every post (after the pool was rebuilt)."""
        self.data[:] = b"\0" * len(self.data)
        self.counter.value = 0


_hosts: dict[tuple[tuple[str, ...], tuple[str, ...]], Any] = {}
_board: tuple[StageBoard, int] | None = None


def host_for(settings: Settings):
    """This process's plugin host for the settings' plugins (built once)."""
    from auditor.plugins import PluginHost

    key = (settings.plugins, settings.disabled)
    if key not in _hosts:
        _hosts[key] = PluginHost(settings.plugins, disabled=settings.disabled)
    return _hosts[key]


def warm(settings: Settings, board: StageBoard | None = None) -> None:
    """Build this process's plugin host, jieba dictionary and spaCy pipeline (a pool
    initializer); claim a slot on the parent's ``board``. A worker leaves Ctrl-C to the parent."""
    global _board
    from auditor.figures import tokenizer

    if board is not None:
        _board = (board, board.claim())
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    tokenizer(host_for(settings).figure_rules())


def _post(task: int, stage: str) -> None:
    if _board is not None:
        _board[0].post(_board[1], task, stage)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise ``AuditTimeout`` in this thread after ``seconds``, and again every half second
    while the code goes on (a plugin that catches it once is interrupted again). Main thread
    of a Unix process only; elsewhere the caller's own timeout applies."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise AuditTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _rule_guard(task: int, seconds: float) -> Callable:
    """The guard the plugin host puts around each rule: posts the stage, gives the rule its own
    ``seconds``, and turns a timeout into that rule's failure."""

    @contextmanager
    def guard(rule: str) -> Iterator[None]:
        _post(task, f"rule {rule}")
        try:
            with deadline(seconds):
                yield
        except AuditTimeout:
            raise PluginTimeout(f"it took longer than the {seconds:g} s timeout; its findings are left out") from None

    return guard


def audit_input(name: str, data: bytes, settings: Settings, task: int = 0) -> dict[str, Any]:
    """The record of one input: read, figures, auditors. Never raises: an unreadable input, a
    timeout or an internal error becomes an error record (timeouts and internal errors are
    marked ``transient`` and never cached)."""
    from auditor.audit import audit_document

    try:
        _post(task, "reading")
        with deadline(settings.timeout):
            host = host_for(settings)
            document = host.document(host.read(name, data))
        result = audit_document(document, host, settings.config, guard=_rule_guard(task, settings.timeout), path=name)
        return report_record(result, view=settings.view, cells=settings.cells)
    except ReportReadError as exc:
        return error_record(name, exc.reason)
    except AuditTimeout:
        return {**error_record(name, Message("took longer than the {seconds:g} s timeout to read", seconds=settings.timeout)), "transient": True}
    except Exception as exc:  # a bug of ours on one input must not end the batch
        return {**error_record(name, f"internal error: {type(exc).__name__}: {exc}"), "transient": True}
    finally:
        _post(task, "done")


def without_rule(settings: Settings, rule: str) -> Settings:
    """The settings of a re-run of an input without ``rule`` (one that had to be stopped)."""
    return replace(settings, config=settings.config.without(rule))
