"""The whole extension surface of auditor: every hook a plugin can implement.

A plugin is a module (or object) with functions marked ``@hookimpl`` whose names are those
below. Installed plugins declare an entry point in the group ``auditor.plugins``; local ones are
loaded with ``auditor check --plugin MODULE_OR_PATH``. The built-in readers and auditors are
plugins of exactly this kind (see ``pyproject.toml``).

Rules are the unit the host runs: a plugin registers them in ``auditor_register_rules`` and the
host decides which apply (configuration, ``--select``/``--ignore``, the report's template
generation) and runs each under its own guard — a rule that raises, overruns the timeout or
yields a finding under an ID it did not declare becomes an error entry naming the rule, its
plugin and the report, and every other rule still reports. A function named ``auditor_…`` that
matches no hook below is refused when the plugin loads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from auditor.model import Report

PROJECT = "auditor"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def auditor_register_rules(register: Callable[..., None]) -> None:
    """Register this plugin's rules: call ``register(rule, ...)`` with ``auditor.rules.Rule``s
    (made with the ``rule`` decorator or collected in a ``RuleSet``: ``register(*rules)``).

    A rule declared with ``scope="batch"`` runs once per body over the reports of a batch
    (``auditor.facts.ReportGroup``: the reports the titles attribute to one agency, by year),
    after every report is audited, and yields ``BatchHit``s naming the report each is about:
    the base of cross-year rules. ``scope="run"`` runs it once over all the batch's reports (one
    ``ReportGroup``, agency ""), for comparisons across bodies (the copy rules).

    Called once, when the host first needs the catalogue (``auditor rules``, or before a run, to
    validate the configuration and ``--select``/``--ignore``). Rule IDs are global: an ID that
    another plugin registered, or that is not 1–4 capital letters and 3 digits, is an error
    naming both. Returns nothing.
    """


@hookspec
def auditor_vocabulary() -> Mapping[str, Any] | None:
    """Teach the figure extractor what this plugin's rules read from the narrative.

    Return a mapping in the shape of ``auditor/data/figures.toml`` (see
    ``auditor.figures.rules.FigureRules.extended``): ``quantities`` (new quantities a statement
    can state, with their terms), ``terms`` (label variants of existing quantities), ``objects``
    (counted-object nouns by class), ``measures`` (measure words by kind), ``words`` (negations,
    scope words …) and ``keep_whole`` (words jieba keeps as one token). Called once, when the host
    builds its figure rules; every plugin's additions apply to every report, so figures of a new
    quantity appear in ``document.figures`` under its key. An unknown key is an error naming the
    plugin.
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
