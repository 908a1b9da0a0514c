"""A test kit for rules — the built-in ones and a plugin author's: build a report, run chosen rules
the way a run does, assert findings by rule, severity and values.

::

    from auditor.testkit import audit, expect

    findings = audit(cells={"review.upheld": 1, "review.total": 1},
                     paragraphs=["全年因政府信息公开被申请行政复议 2 件。"], select=["N001"])
    expect(findings, [("N001", "error", {"narrative": 2, "table": 1})])

The same functions are pytest fixtures (``auditor.pytest_plugin``, loaded automatically where
auditor is installed): ``auditor_host``, ``audit``, ``expect`` and ``rule_examples``. The host
loads the installed plugins, plus the plugin files named by pytest's ``--auditor-plugin PATH``
option or the ``auditor_plugins`` ini setting (a plugin not installed yet). ``run_examples``
runs a rule's catalogue examples.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from auditor.config import Configuration, Layer
from auditor.document import Document
from auditor.facts import ReportFacts, ReportGroup, groups_of
from auditor.findings import Finding
from auditor.plugins import PluginFailure, PluginHost
from auditor.rules import Example, Rule


@cache
def default_host() -> PluginHost:
    """The plugin host of the installed plugins (built once per process)."""
    return PluginHost()


def document_of(
    source: Document | Example | str | Path | None = None, *, cells: Mapping[str, Any] | None = None,
    paragraphs: Sequence[str] = (), year: int = 2023, host: PluginHost | None = None, root: str | Path = ".",
) -> Document:
    """The document a rule receives, from: a ``Document`` (as is); an ``Example``; a path (read
    by the readers, as ``auditor check`` reads it; relative paths from ``root``); a ``str`` that
    is a report's text; or ``cells`` and ``paragraphs`` laid out in the national template for a
    report on ``year`` (``auditor.testing.report_text``: absent cells are 0, None is blank).
    Raises ``auditor.errors.ReportReadError`` for a file no reader can read."""
    from auditor.testing import make_document

    host = host or default_host()
    if isinstance(source, Document):
        return source
    if isinstance(source, Example):
        if source.file:
            return document_of(Path(root) / source.file, host=host)
        if source.text:
            return document_of(source.text, host=host)
        return make_document(dict(source.cells), list(source.paragraphs), year=source.year)
    if isinstance(source, Path):
        return host.document(host.read(str(source), source.read_bytes()))
    if isinstance(source, str):
        return host.document(host.read("<text>.txt", source.encode("utf-8")))
    return make_document(dict(cells or {}), list(paragraphs), year=year)


def run(
    document: Document, select: Iterable[str] | None = None, options: Mapping[str, Mapping[str, Any]] | None = None,
    host: PluginHost | None = None,
) -> tuple[list[Finding], list[PluginFailure]]:
    """Findings and failures of the rules whose IDs start with a ``select`` prefix (all when None)
    over ``document``, with ``options`` by rule ID, each rule guarded as in a run. Raises
    ``ValueError`` for a prefix no loaded rule has (a test would otherwise pass on nothing)."""
    host = host or default_host()
    for prefix in select or ():
        if not any(rule_id.startswith(prefix) for rule_id in host.rules()):
            raise ValueError(f"no rule ID starts with {prefix!r} among the loaded rules: is its plugin installed, "
                             "or given to the host (PluginHost([path]), pytest --auditor-plugin PATH)?")
    layer = Layer(select=tuple(select or ()),
                  options=tuple(sorted((r, tuple(sorted(o.items()))) for r, o in (options or {}).items())))
    return host.check(document, config=Configuration(command_line=layer))


def audit(
    source: Document | Example | str | Path | None = None, *, select: Iterable[str] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None, host: PluginHost | None = None, **report: Any,
) -> list[Finding]:
    """The findings of the selected rules on a report built as ``document_of`` builds it.
    Raises ``AssertionError`` when a rule failed (a test should see that, not fewer findings)."""
    findings, failures = run(document_of(source, host=host, **report), select, options, host)
    assert not failures, [str(f) for f in failures]
    return findings


def expect(findings: Sequence[Finding], expected: Sequence[tuple]) -> None:
    """Assert that ``findings`` are ``expected``, in order: each a tuple ``(rule, severity)`` or
    ``(rule, severity, values)`` where ``values`` maps an evidence source ("narrative",
    "table", "report") or an evidence key to the value the finding cites for it."""
    shown = [(f.rule, f.severity) for f in findings]
    assert shown == [tuple(e[:2]) for e in expected], f"findings {shown}, expected {[tuple(e[:2]) for e in expected]}"
    for finding, wanted in zip(findings, expected):
        if len(wanted) < 3:
            continue
        for name, value in wanted[2].items():
            cited = [e.value for e in finding.evidence if name in (e.source, e.key)]
            assert value in cited, f"{finding.rule}: {name} = {value} not among the values cited {cited}: {finding.message}"


def run_examples(rule: Rule, host: PluginHost | None = None, root: str | Path = ".") -> list[str]:
    """The examples of ``rule`` that do not behave as they say (fires, or stays quiet), each in
    words; empty when all do. ``root`` is where example files are found."""
    wrong = []
    from auditor.errors import ReportReadError

    host = host or default_host()
    if rule.id not in host.rules():
        return [f"{rule.id} is not a loaded rule: is its plugin installed, or given to the host?"]
    for number, example in enumerate(rule.examples, 1):
        if rule.over_reports:
            wrong += _batch_example(rule, number, example, host, root)
            continue
        try:
            document = document_of(example, host=host, root=root)
        except (ReportReadError, OSError) as exc:
            wrong.append(f"{rule.id} example {number}: its report cannot be read: {exc}")
            continue
        except (KeyError, ValueError) as exc:
            wrong.append(f"{rule.id} example {number}: its report cannot be built: {exc}")
            continue
        findings, failures = run(document, [rule.id], {rule.id: example.options} if example.options else None, host)
        fired = any(f.rule == rule.id for f in findings)
        if failures:
            wrong.append(f"{rule.id} example {number}: the rule failed: {failures[0]}")
        elif fired != example.fires:
            wrong.append(f"{rule.id} example {number} should {'fire' if example.fires else 'stay quiet'} but "
                         + (f"gave: {findings[0].message}" if findings else "gave nothing"))
    return wrong


def group_of(example: Example, host: PluginHost | None = None, root: str | Path = ".",
             scope: str = "batch") -> list[ReportGroup]:
    """The batch of a batch rule's example, grouped as a run groups it for a rule of ``scope``
    (by body for "batch", one group for "run"). Raises
    ``ReportReadError`` or ``OSError`` for a file that cannot be read."""
    from auditor.testing import make_document

    host = host or default_host()
    facts = []
    for number, report in enumerate(example.reports, 1):
        if report.file:
            document = document_of(Path(root) / report.file, host=host)
        elif report.text:
            document = document_of(report.text, host=host)
        else:
            document = make_document(dict(report.cells), list(report.paragraphs), year=report.year, agency=report.agency)
        facts.append(replace(ReportFacts.of_document(document), path=report.file or f"<report {number}>"))
    return groups_of(facts, scope)


def _batch_example(rule: Rule, number: int, example: Example, host: PluginHost, root: str | Path) -> list[str]:
    from auditor.errors import ReportReadError

    try:
        groups = group_of(example, host, root, rule.scope)
    except (ReportReadError, OSError, KeyError, ValueError) as exc:
        return [f"{rule.id} example {number}: its batch cannot be built: {exc}"]
    config = Configuration(command_line=Layer(options=((rule.id, tuple(sorted(example.options.items()))),)))
    found, failures = [], []
    for group in groups:
        pairs, problems = host.check_group(host.rules()[rule.id], group, config)
        found += pairs
        failures += problems
    if failures:
        return [f"{rule.id} example {number}: the rule failed: {failures[0]}"]
    if bool(found) != example.fires:
        return [f"{rule.id} example {number} should {'fire' if example.fires else 'stay quiet'} but "
                + (f"gave: {found[0][1].message}" if found else "gave nothing")]
    return []
