"""Audits for the page: uploaded inputs in, records (``auditor.records``, with the report's view)
out, in upload order.

The audits run in one worker process, started and warmed (plugin host, jieba dictionary, spaCy
pipeline) when the server starts, so a dropped report's findings come in a fraction of a second;
a reader or plugin that crashes that process costs the upload's reports (their records say so),
and the next upload gets a fresh process. Each stage of an input has the run's timeout
(``auditor.worker``). ``workers=0`` audits in the calling process instead (tests).

When an upload holds the same body's reports of consecutive years, the batch rules (the opt-in
``Y`` rules: cross-year and copies) run over the whole upload, as ``auditor check
--extend-select Y`` runs them.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from auditor.config import Configuration
from auditor.records import error_record
from auditor.worker import Settings, audit_input, host_for, warm

BATCH_PREFIX = "Y"
WORKER_DIED = "the audit's worker process died (crashed or ran out of memory)"


def consecutive_years(records: Sequence[dict[str, Any]]) -> bool:
    """True when two readable records are one body's (``auditor.bodies``) reports of consecutive years."""
    from auditor.bodies import body_keys

    dated = [r for r in records if r.get("readable") and r.get("agency") and isinstance(r.get("year"), int)]
    keys = body_keys(r["agency"] for r in dated)
    years = {(keys.get(r["agency"]), r["year"]) for r in dated}
    return any((body, year + 1) in years for body, year in years if body)


def _start_worker(settings: Settings) -> None:
    """The worker process's initializer: warm it, and end it when the server's process is gone
    (however that ended: a worker must never outlive its server)."""
    warm(settings)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def audit_uploads(items: Sequence[tuple[str, bytes]], settings: Settings) -> list[dict[str, Any]]:
    """The records of ``items`` ((name, bytes)), with the batch rules' findings when the upload has
    a body's consecutive years. Runs in the worker process (or inline)."""
    from auditor.grouped import apply_batch_rules, batch_cells

    batch_rules = host_for(settings).batch_rules(settings.config) if len(items) > 1 else []
    cells = batch_cells(batch_rules)
    audit_settings = Settings(settings.plugins, settings.disabled, settings.config, view=True, cells=cells,
                              timeout=settings.timeout)
    records = [audit_input(name, data, audit_settings, task) for task, (name, data) in enumerate(items, 1)]
    if batch_rules and consecutive_years(records):
        records = apply_batch_rules(records, audit_settings, batch_rules)
    return [{k: v for k, v in r.items() if k not in ("cells", "mentions", "narrative", "tables")} for r in records]


class Engine:
    """The page's auditor: ``config`` (which rules run; the ``Y`` rules are added for batches),
    local ``plugins`` and ``disabled`` plugin names, each input stage's ``timeout`` (seconds),
    ``workers`` (1: a warmed worker process; 0: audit in this process)."""

    def __init__(self, config: Configuration | None = None, plugins: Sequence[str] = (), disabled: Sequence[str] = (),
                 timeout: float = 60.0, workers: int = 1) -> None:
        config = (config or Configuration()).with_command_line((), (), (BATCH_PREFIX,))
        self.settings = Settings(tuple(plugins), tuple(disabled), config, view=True, timeout=timeout)
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        """Build the plugin host and warm the tokenizer (in the worker process too, and wait for it)."""
        if self.workers:
            host_for(self.settings)
            self._pool().submit(int).result()
        else:
            warm(self.settings)

    def rules(self) -> dict[str, Any]:
        """Every registered rule by ID (``auditor.rules.Rule``: name, description, rationale)."""
        return host_for(self.settings).rules()

    def formatters(self) -> dict[str, Any]:
        """The output formats by name (``auditor.formats.Formatter`` classes)."""
        return host_for(self.settings).formatters()

    def suffixes(self) -> set[str]:
        """The file suffixes the readers handle (archive members with other suffixes are skipped)."""
        return host_for(self.settings).suffixes()

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_start_worker, initargs=(self.settings,))
        return self.pool

    def audit(self, items: Sequence[tuple[str, bytes]]) -> list[dict[str, Any]]:
        """The records of ``items`` ((name, bytes)) in their order. Never raises: a worker that dies
        or overruns makes every item an error record, and is replaced. One upload at a time."""
        with self.lock:
            if not self.workers:
                return audit_uploads(items, self.settings)
            timeout = self.settings.timeout
            limit = timeout * (2 * len(items) + 8) + 30 if timeout else None
            future = self._pool().submit(audit_uploads, list(items), self.settings)
            try:
                return future.result(timeout=limit)
            except (BrokenProcessPool, FutureTimeout):
                self._replace()
                return [{**error_record(name, WORKER_DIED), "transient": True} for name, _ in items]

    def _replace(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the worker process (at once: an audit under way is abandoned)."""
        self._replace()
