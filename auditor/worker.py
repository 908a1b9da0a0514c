"""The audit function the workers run: one input's bytes in, one result record out.

``audit_input`` is pure in what matters: its record depends only on the bytes, the settings and
the product; it never raises. Each process builds its plugin manager, jieba dictionary and spaCy
pipeline once (``warm``) and reuses them for every input it audits, in a local process pool or
on a Dask worker alike.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from auditor.errors import ReportReadError
from auditor.records import error_record, report_record


@dataclass(frozen=True)
class Settings:
    """What a run's workers need to know: local plugins (``--plugin``), blocked plugins, rule
    prefixes kept and dropped, whether records carry the report's view (HTML output) or every cell (``extract``),
    and the time one input may take (seconds; 0 for no limit)."""

    plugins: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    view: bool = False
    cells: bool = False
    timeout: float = 60.0


class AuditTimeout(BaseException):
    """An input took longer than the run's ``--timeout``. A BaseException, so that the guards
    around plugins (which turn a plugin's exception into an error entry) let it through."""


_hosts: dict[tuple[tuple[str, ...], tuple[str, ...]], Any] = {}


def host_for(settings: Settings):
    """This process's plugin host for the settings' plugins (built once)."""
    from auditor.plugins import PluginHost

    key = (settings.plugins, settings.disabled)
    if key not in _hosts:
        _hosts[key] = PluginHost(settings.plugins, disabled=settings.disabled)
    return _hosts[key]


def warm(settings: Settings) -> None:
    """Build this process's plugin host, jieba dictionary and spaCy pipeline (a pool initializer)."""
    from auditor.figures import tokenizer

    host_for(settings)
    tokenizer()


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise ``AuditTimeout`` in this thread after ``seconds`` (main thread of a Unix process
    only; elsewhere the caller's own timeout applies)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise AuditTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def audit_input(name: str, data: bytes, settings: Settings) -> dict[str, Any]:
    """The record of one input: read, figures, auditors. Never raises: an unreadable input, a
    timeout or an internal error becomes an error record (timeouts and internal errors are
    marked ``transient`` and never cached)."""
    from auditor.audit import Document, audit_document

    try:
        with _deadline(settings.timeout):
            host = host_for(settings)
            report = host.read(name, data)
            result = audit_document(Document.of(report), host, settings.select, settings.ignore)
            return report_record(result, view=settings.view, cells=settings.cells)
    except ReportReadError as exc:
        return error_record(name, exc.reason)
    except AuditTimeout:
        return {**error_record(name, f"took longer than the {settings.timeout:g} s timeout"), "transient": True}
    except Exception as exc:  # a bug of ours on one input must not end the batch
        return {**error_record(name, f"internal error: {type(exc).__name__}: {exc}"), "transient": True}
