"""One report through the pipeline: read → model → figures → auditors → findings.

``audit_file`` never raises for a bad input or a failing plugin: both become error entries of
the result, so a batch always goes on. The input file is only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from auditor.config import Configuration
from auditor.document import Document
from auditor.errors import ReportReadError
from auditor.findings import SEVERITIES, Finding
from auditor.inputs import Source
from auditor.model import Report
from auditor.plugins import PluginHost

__all__ = ["AuditResult", "audit_document", "audit_file", "read_document", "read_file"]


@dataclass
class AuditResult:
    """The outcome for one input: the report (None when unreadable), its findings sorted by
    position, and error messages (unreadable input, rules that failed); ``document``, what the
    rules received (None when unreadable)."""

    path: str
    report: Report | None
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    document: Document | None = None



def read_file(path: str | Path, host: PluginHost) -> Report:
    """Read one file into the report model. Raises ``ReportReadError`` naming the file and the
    problem: missing, not a file, too large, or refused by every reader."""
    name = str(path)
    return host.read(name, Source(name, name).read())


def read_document(path: str | Path, host: PluginHost) -> Document:
    """Read one file and extract its narrative figures: what auditors receive."""
    return host.document(read_file(path, host))


def audit_file(path: str | Path, host: PluginHost, config: Configuration | None = None) -> AuditResult:
    """Read and audit one file with the rules ``config`` selects for it (all by default).
    Never raises for a bad input."""
    try:
        document = read_document(path, host)
    except ReportReadError as exc:
        return AuditResult(str(path), None, errors=[exc.reason])
    return audit_document(document, host, config, path=str(path))


def audit_document(
    document: Document, host: PluginHost, config: Configuration | None = None, guard=None, path: str | None = None
) -> AuditResult:
    """Run the applicable rules over a document (``PluginHost.check``: selection by ``config``
    for the input ``path``, each rule under ``guard``), findings sorted by position, then
    severity and rule; failed rules become error messages."""
    findings, failures = host.check(document, guard, config, path if path is not None else document.report.path)
    findings.sort(key=lambda f: (f.position is None, f.position or (0, 0), SEVERITIES.index(f.severity), f.rule))
    return AuditResult(document.report.path, document.report, findings, [str(f) for f in failures], document)
