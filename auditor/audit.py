"""One report through the pipeline: read → model → figures → auditors → findings.

``audit_file`` never raises for a bad input or a failing plugin: both become error entries of
the result, so a batch always goes on. The input file is only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import ReportReadError
from auditor.figures import Figure, extract_figures
from auditor.findings import SEVERITIES, Finding
from auditor.model import Report
from auditor.plugins import PluginHost
from auditor.template import Template, load_template

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """What auditors receive: the report model, its narrative figures and its template."""

    report: Report
    figures: tuple[Figure, ...]
    template: Template


@dataclass
class AuditResult:
    """The outcome for one input: the report (None when unreadable), its findings sorted by
    position, and error messages (unreadable input, plugins that raised)."""

    path: str
    report: Report | None
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """False when the input could not be read at all."""
        return self.report is not None


def _selected(rule: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    if select and not any(rule.startswith(p) for p in select):
        return False
    return not any(rule.startswith(p) for p in ignore)


def audit_file(
    path: str | Path, host: PluginHost, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()
) -> AuditResult:
    """Read and audit one file; rules kept are those whose ID starts with a ``select`` prefix
    (all when empty) and with no ``ignore`` prefix."""
    name = str(path)
    try:
        file = Path(path)
        if not file.is_file():
            raise ReportReadError(name, "not a file" if file.exists() else "no such file")
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise ReportReadError(name, f"file is {size / 2**20:.0f} MB, more than the {MAX_BYTES // 2**20} MB a report can be")
        data = file.read_bytes()
        report = host.read(name, data)
    except ReportReadError as exc:
        return AuditResult(name, None, errors=[exc.reason])
    except OSError as exc:
        return AuditResult(name, None, errors=[f"cannot read: {exc.strerror or exc}"])
    return audit_report(report, host, select, ignore)


def audit_report(
    report: Report, host: PluginHost, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()
) -> AuditResult:
    """Audit a report already read; see ``audit_file``."""
    document = Document(report, tuple(extract_figures(report)), load_template(report.template))
    findings, failures = host.check(document)
    kept = [f for f in findings if _selected(f.rule, select, ignore)]
    kept.sort(key=lambda f: (f.position is None, f.position or (0, 0), SEVERITIES.index(f.severity), f.rule))
    return AuditResult(report.path, report, kept, [str(f) for f in failures])
