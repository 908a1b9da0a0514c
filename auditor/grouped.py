"""Batch rules over a run's records: after every report is audited, the reports are grouped by the
body that published them (``auditor.facts``) and each selected batch rule runs over each group.

Each batch rule runs in a worker process of its own, so a rule that crashes its process or will
not stop costs that rule's findings only; inside it, each group has the run's ``--timeout``. A
finding is added to the record of the report it is about; a failure is an error entry naming the
rule and its plugin on every report of the group it failed on (all reports when its process died).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

from auditor.errors import PluginTimeout
from auditor.facts import ReportFacts, groups_of
from auditor.findings import SEVERITIES
from auditor.records import finding_json
from auditor.rules import Rule
from auditor.worker import AuditTimeout, Settings, deadline, host_for

GRACE = 30.0  # seconds past the groups' own timeouts before the parent stops a batch rule's process


def _guard(seconds: float):
    @contextmanager
    def guard(rule: str):
        try:
            with deadline(seconds):
                yield
        except AuditTimeout:
            raise PluginTimeout(f"it took longer than the {seconds:g} s timeout on one group; its findings there are left out") from None

    return guard


def group_findings(rule_id: str, reports: Sequence[ReportFacts], settings: Settings) -> dict[str, dict[str, list]]:
    """Run in a worker process: the batch rule ``rule_id`` over every group of ``reports``;
    ``{"findings": {path: [finding JSON]}, "errors": {path: [message]}}``."""
    host = host_for(settings)
    rule = host.rules()[rule_id]
    out: dict[str, dict[str, list]] = {"findings": {}, "errors": {}}
    for group in groups_of(reports, rule.scope):
        found, failures = host.check_group(rule, group, settings.config, _guard(settings.timeout))
        for path, finding in found:
            out["findings"].setdefault(path, []).append(finding_json(finding))
        for failure in failures:
            for report in group.reports:
                out["errors"].setdefault(report.path, []).append(f"{failure} (on the reports of {group.agency or 'the batch'})")
    return out


def _order(finding: dict[str, Any]) -> tuple:
    return (finding["line"] is None, finding["line"] or 0, finding["column"] or 0, SEVERITIES.index(finding["severity"]),
            finding["rule"])


def batch_cells(rules: Sequence[Rule]) -> bool | tuple[str, ...]:
    """The cells a run's records carry for its batch ``rules``: none without batch rules, the
    patterns they read (``Rule.reads``, with ``NARRATIVE`` when one reads the narrative), every
    cell when one of them reads all (a tuple with "*")."""
    if not rules:
        return False
    patterns = tuple(dict.fromkeys(p for rule in rules for p in (rule.reads or ("*",))))
    return True if patterns == ("*",) else patterns


def apply_batch_rules(
    records: Iterable[dict[str, Any]], settings: Settings, rules: Sequence[Rule], keep_cells: bool = False
) -> list[dict[str, Any]]:
    """``records`` (made with ``Settings.cells``) with the findings and failures of the batch
    ``rules`` added, in the same order. Each record's facts keep only the cells the rules read
    (``Rule.reads``), and the record drops its ``cells`` and ``mentions`` as it arrives unless
    ``keep_cells``: a batch of 10 000 reports holds a few cells of each, not 200."""
    import multiprocessing

    read = batch_cells(rules)
    reads = read if isinstance(read, tuple) else ()
    kept: list[dict[str, Any]] = []
    facts = []
    for record in records:
        if record.get("readable"):
            facts.append(ReportFacts.of_record(record, reads))
        kept.append(record if keep_cells else {k: v for k, v in record.items() if k not in ("cells", "mentions")})
    findings: dict[str, list] = {}
    errors: dict[str, list] = {}
    for rule in rules:
        groups = len(groups_of(facts, rule.scope))
        limit = settings.timeout * (groups + 1) + GRACE if settings.timeout else None
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context())
        stuck = False
        try:
            result = pool.submit(group_findings, rule.id, facts, settings).result(timeout=limit)
        except BrokenProcessPool:
            result = {"findings": {}, "errors": {r.path: [f"rule {rule.id} (plugin {rule.plugin!r}) ended its worker "
                                                         "process (a crash, or an exit); its findings are left out"]
                                                 for r in facts}}
        except FutureTimeout:
            stuck = True
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
            result = {"findings": {}, "errors": {r.path: [f"rule {rule.id} (plugin {rule.plugin!r}) did not stop within "
                                                         f"{limit:g} s; its worker was stopped"] for r in facts}}
        finally:
            # wait for a worker that finished (else its pool's thread outlives the run and, at exit, writes
            # "Exception ignored … Bad file descriptor"); never for one that was stopped
            pool.shutdown(wait=not stuck, cancel_futures=True)
        for path, items in result["findings"].items():
            findings.setdefault(path, []).extend(items)
        for path, items in result["errors"].items():
            errors.setdefault(path, []).extend(items)
    merged = []
    for record in kept:
        path = record["path"]
        if path in findings or path in errors:
            record = {**record, "findings": sorted([*record["findings"], *findings.get(path, ())], key=_order),
                      "errors": [*record["errors"], *errors.get(path, ())]}
        merged.append(record)
    return merged
