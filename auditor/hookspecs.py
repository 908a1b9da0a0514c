"""The whole extension surface of auditor: every hook a plugin can implement.

A plugin is a module (or object) with functions marked ``@hookimpl`` whose names are those
below. Installed plugins declare an entry point in the group ``auditor.plugins``; local ones are
loaded with ``auditor check --plugin MODULE_OR_PATH``. The built-in readers and auditors are
plugins of exactly this kind (see ``pyproject.toml``).

The host calls each implementation under its own guard: an implementation that raises becomes
an error entry for the report at hand (plugin name and exception) and the run goes on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from auditor.audit import Document
    from auditor.findings import Finding, Rule
    from auditor.model import Report

PROJECT = "auditor"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def auditor_rules() -> Iterable[Rule]:
    """Return the catalogue entries of the rules this plugin checks.

    Called once when ``auditor rules`` lists rules and before a run (to validate
    ``--select``/``--ignore``). Rule IDs are global: two plugins declaring one ID is an error.
    """


@hookspec
def auditor_check(document: Document) -> Iterable[Finding]:
    """Return (or yield) the findings of this plugin's rules for one report.

    Called once per report that was read, with the report model, its narrative figures and the
    template. Each finding's ``rule`` must be one of the IDs this plugin returns from
    ``auditor_rules``. Must not modify ``document``.
    """


@hookspec(firstresult=True)
def auditor_read(path: str, data: bytes) -> Report | None:
    """Read one input file into the report model, or return None to let another reader try.

    ``data`` is the file's bytes (the file is never written to). The first non-None result wins;
    readers for specific formats should return None for files that are not theirs, and raise
    ``auditor.errors.ReportReadError`` for a file that is theirs but cannot be read.
    """


@hookspec
def auditor_file_suffixes() -> Iterable[str]:
    """Return the file name suffixes (lower case, with the dot) this plugin's reader handles.

    Used when a directory is given: only files with a known suffix are audited from it. Files
    named explicitly are always offered to the readers.
    """


@hookspec
def auditor_formatters() -> Iterable[type]:
    """Return the output formats this plugin provides: ``auditor.formats.Formatter`` subclasses.

    Each has a unique ``name`` (the ``--format`` value). ``auditor check`` creates one formatter
    per run, calls ``add(record)`` for each input's record in input order (see
    ``auditor.records``) and ``close(stats)`` at the end. A formatter whose ``needs_view`` is
    true receives records with the report's narrative and cells.
    """
