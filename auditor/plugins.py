"""The plugin host: a small facade over pluggy so that nothing else touches ``pm.hook``.

Plugins come from the entry-point group ``auditor.plugins`` (the built-ins among them) and from
``--plugin MODULE_OR_PATH``. ``AUDITOR_DISABLE_PLUGINS`` (comma-separated names) and the
configuration's ``disable-plugins`` block plugins by name. The host collects every plugin's rules
(``auditor_register_rules``), decides which apply to a report before running any, and runs each
rule under its own guard, so one failing rule never stops the others or the batch.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import traceback
import difflib
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, ContextManager

import pluggy

from auditor import hookspecs
from auditor.i18n import Message
from auditor.config import Configuration
from auditor.errors import PluginTimeout, ReportReadError
from auditor.figures.rules import FigureRules, load_rules
from auditor.findings import Finding
from auditor.rules import Rule, RuleDefinitionError, RuleOutputError

if TYPE_CHECKING:
    from auditor.document import Document
    from auditor.facts import ReportGroup
    from auditor.model import Report

_PACKAGE = Path(__file__).resolve().parent  # frames in the host's own code are not where a plugin went wrong
HOOKS = tuple(sorted(name for name in dir(hookspecs) if name.startswith("auditor_")))

ENTRY_POINT_GROUP = "auditor.plugins"
DISABLE_ENV = "AUDITOR_DISABLE_PLUGINS"


def disabled_plugins() -> tuple[str, ...]:
    """Plugin names blocked by the ``AUDITOR_DISABLE_PLUGINS`` environment variable."""
    return tuple(sorted(filter(None, (n.strip() for n in os.environ.get(DISABLE_ENV, "").split(",")))))


def plugin_names(host: PluginHost) -> list[str]:
    """The names a plugin can be disabled by: the entry points of the group, and the loaded plugins."""
    from importlib.metadata import entry_points

    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)} | {i.name for i in host.plugins()}
                  | set(host.skipped))


class PluginError(Exception):
    """A plugin could not be loaded, or plugins disagree (e.g. two declare one rule ID)."""


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin: its name, where it came from (distribution and version, a local path, or
    "built-in"), the hooks it implements and the IDs of the rules it registered."""

    name: str
    source: str
    hooks: tuple[str, ...]
    rules: tuple[str, ...] = ()
    digest: str = ""  # of its code: the module's file, or every .py file of its package


@dataclass(frozen=True)
class PluginFailure:
    """A rule that raised, yielded what is not a finding of its own, or was ``stopped`` past the
    run's timeout: which plugin, which rule (None for a plugin's other hooks), what happened."""

    plugin: str
    rule: str | None
    error: str
    stopped: bool = False

    def __str__(self) -> str:
        who = f"rule {self.rule} (plugin {self.plugin!r})" if self.rule else f"plugin {self.plugin!r}"
        return f"{who} was stopped: {self.error}" if self.stopped else f"{who} failed: {self.error}"


class PluginHost:
    """Loads plugins and calls their hooks, each implementation under its own guard.

    ``extra`` are module names or paths to ``.py`` files (``--plugin``); ``disabled`` names
    plugins to block (default: ``AUDITOR_DISABLE_PLUGINS``). Raises ``PluginError`` when one of
    the extra plugins cannot be imported.
    """

    def __init__(self, extra: Sequence[str] = (), entry_points: bool = True, disabled: Sequence[str] | None = None) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.disabled = tuple(disabled if disabled is not None else disabled_plugins())
        for name in self.disabled:
            self.pm.set_blocked(name)
        self._sources: dict[str, str] = {}
        self.skipped: list[str] = []  # local plugins given but disabled
        if entry_points:
            self._load_entry_points()
        for spec in extra:
            module = _import_plugin(spec)
            if module.__name__ in self.disabled:
                self.skipped.append(module.__name__)
                continue  # blocked for this run (a re-run without a plugin that had to be stopped)
            if not any(callable(getattr(module, h, None)) for h in HOOKS):
                _check_names(spec, module)
                raise PluginError(f"{spec}: implements no auditor hook (see auditor/hookspecs.py)")
            if self.pm.has_plugin(module.__name__):
                raise PluginError(f"{spec}: a plugin named {module.__name__!r} is already loaded (the same file given "
                                  "twice, or two files of one name)")
            name = self.pm.register(module, name=module.__name__)
            if name is None:
                raise PluginError(f"{spec}: plugin is blocked or already loaded")
            self._sources[name] = spec
        for name, plugin in self.pm.list_name_plugin():
            if plugin is not None:
                _check_names(name, plugin)
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {exc.plugin_name!r}: {exc}") from None
        self._rules: dict[str, Rule] | None = None
        self._figure_rules: FigureRules | None = None

    def _load_entry_points(self) -> None:
        """Import and register every plugin of the entry-point group that is not blocked. Raises
        ``PluginError`` naming a plugin (and its distribution) that cannot be imported."""
        from importlib.metadata import entry_points

        for entry in entry_points(group=ENTRY_POINT_GROUP):  # in the order the distributions declare them
            if self.pm.is_blocked(entry.name) or self.pm.has_plugin(entry.name):
                continue
            dist = f"{entry.dist.name} {entry.dist.version}" if entry.dist else "installed"
            try:
                plugin = entry.load()
            except (Exception, SystemExit) as exc:
                raise PluginError(f"plugin {entry.name!r} ({dist}) cannot be loaded: {_describe(exc)}") from exc
            self.pm.register(plugin, name=entry.name)
            self._sources[entry.name] = dist

    def plugins(self) -> list[PluginInfo]:
        """The loaded plugins, the hooks each implements and its rules, in load order."""
        owned: dict[str, list[str]] = {}
        for rule in self.rules().values():
            owned.setdefault(rule.plugin, []).append(rule.id)
        infos = []
        for name, plugin in self.pm.list_name_plugin():
            if plugin is None:
                continue  # blocked
            hooks = tuple(
                sorted(h.name for h in self.pm.get_hookcallers(plugin) or () if h.name.startswith("auditor_"))
            )
            infos.append(PluginInfo(name, self._sources.get(name, "built-in"), hooks, tuple(owned.get(name, ())),
                                    _code_digest(plugin)))
        return infos

    def rules(self) -> dict[str, Rule]:
        """Every registered rule by ID, sorted, each with its ``plugin``. Raises ``PluginError``
        for a plugin whose registration fails, a rule declared wrong, or an ID registered twice."""
        if self._rules is None:
            rules: dict[str, Rule] = {}
            for impl in self.pm.hook.auditor_register_rules.get_hookimpls():

                def register(*declared: Rule | Iterable[Rule], plugin: str = impl.plugin_name) -> None:
                    for item in declared:
                        for rule in (item,) if isinstance(item, (Rule, str, bytes)) or not isinstance(item, Iterable) else item:
                            if not isinstance(rule, Rule):
                                raise PluginError(f"plugin {plugin!r} registered {type(rule).__name__} "
                                                  f"{str(rule)[:40]!r}, not an auditor.rules.Rule")
                            if rule.id in rules:
                                first = rules[rule.id].plugin
                                raise PluginError(f"rule {rule.id} is registered twice by {plugin!r}" if first == plugin else
                                                  f"rule {rule.id} is registered by both {first!r} and {plugin!r}")
                            rules[rule.id] = replace(rule, plugin=plugin)

                try:
                    impl.function(register=register)
                except PluginError:
                    raise
                except RuleDefinitionError as exc:
                    raise PluginError(f"plugin {impl.plugin_name!r}: {exc}") from exc
                except (Exception, SystemExit) as exc:
                    raise PluginError(f"plugin {impl.plugin_name!r} failed in auditor_register_rules: {_describe(exc)}") from exc
            self._rules = dict(sorted(rules.items()))
        return self._rules

    def figure_rules(self) -> FigureRules:
        """The figure rules with every plugin's vocabulary (``auditor_vocabulary``) added. Raises
        ``PluginError`` naming a plugin whose vocabulary cannot be added."""
        if self._figure_rules is None:
            rules = load_rules()
            for impl in self.pm.hook.auditor_vocabulary.get_hookimpls():
                try:
                    additions = impl.function()
                    if additions:
                        rules = rules.extended(additions)
                except (Exception, SystemExit) as exc:
                    raise PluginError(f"plugin {impl.plugin_name!r}: its vocabulary cannot be added: {_plain(exc)}") from exc
            self._figure_rules = rules
        return self._figure_rules

    def document(self, report: Report) -> Document:
        """What rules receive for ``report``: its narrative's statements read with ``figure_rules``."""
        from auditor.document import Document

        return Document.of(report, self.figure_rules())

    def formatters(self) -> dict[str, type]:
        """Output formats by name. Raises ``PluginError`` when two plugins provide one name."""
        found: dict[str, type] = {}
        for impl in reversed(self.pm.hook.auditor_formatters.get_hookimpls()):
            for formatter in impl.function() or ():
                if formatter.name in found:
                    raise PluginError(f"format {formatter.name!r} is provided twice (plugin {impl.plugin_name!r})")
                found[formatter.name] = formatter
        return found

    def suffixes(self) -> set[str]:
        """File suffixes the loaded readers handle."""
        found: set[str] = set()
        for impl in self.pm.hook.auditor_file_suffixes.get_hookimpls():
            found.update(s.lower() for s in impl.function() or ())
        return found

    def read(self, path: str, data: bytes) -> Report:
        """Read ``data`` (the bytes of ``path``) with the first reader that accepts it.

        Raises ``ReportReadError`` when no reader can read it, or a reader fails.
        """
        for impl in reversed(self.pm.hook.auditor_read.get_hookimpls()):
            try:
                report = impl.function(path=path, data=data)
            except ReportReadError:
                raise
            except (Exception, SystemExit) as exc:  # a reader's bug must not end the batch
                raise ReportReadError(path, Message("could not be read: the {reader} reader failed on it ({problem})",
                                                               reader=impl.plugin_name, problem=_plain(exc))) from exc
            if report is not None:
                return report
        raise ReportReadError(path, Message("no reader for this kind of file"))

    def applicable(self, document: Document, config: Configuration | None = None, path: str | None = None) -> list[Rule]:
        """The rules that run on ``document``: selected by ``config`` for the input ``path`` and
        meant for the report's template generation; decided before any runs."""
        config = config or Configuration()
        generation = document.template.generation
        return [r for r in self.rules().values()
                if r.scope == "report" and r.applies_to(generation) and config.selected(r.id, path, r.opt_in)]

    def batch_rules(self, config: Configuration | None = None) -> list[Rule]:
        """The batch rules ``config`` selects (per-path layers do not apply: a group spans paths)."""
        config = config or Configuration()
        return [r for r in self.rules().values() if r.over_reports and config.selected(r.id, opt_in=r.opt_in)]

    def check_group(
        self, rule: Rule, group: ReportGroup, config: Configuration | None = None,
        guard: Callable[[str], ContextManager] | None = None,
    ) -> tuple[list[tuple[str, Finding]], list[PluginFailure]]:
        """(report path, finding) pairs of the batch ``rule`` over one body's ``group`` of reports,
        with the configured options and severity; a failure when it raises, is stopped by
        ``guard`` or yields what is not a ``BatchHit`` about a report of the group."""
        config = config or Configuration()
        severity = config.severity(rule.id, rule.severity)
        paths = {r.path for r in group.reports}
        try:
            with guard(rule.id) if guard is not None else nullcontext():
                returned = rule.function(group, **config.options(rule))
                items = _items(returned)
        except PluginTimeout as exc:
            return [], [PluginFailure(rule.plugin, rule.id, str(exc), stopped=True)]
        except (Exception, SystemExit) as exc:
            return [], [PluginFailure(rule.plugin, rule.id, _describe(exc))]
        if items is None:
            return [], [PluginFailure(rule.plugin, rule.id, f"returned {type(returned).__name__}, not findings")]
        found, failures = [], []
        for item in items:
            try:
                path, finding = rule.batch_finding(item)
            except RuleOutputError as exc:
                failures.append(PluginFailure(rule.plugin, rule.id, str(exc)))
                continue
            if path not in paths:
                failures.append(PluginFailure(rule.plugin, rule.id, f"a finding about {path!r}, not a report of its group"))
                continue
            found.append((path, _overridden(finding, rule.severity, severity)))
        return found, failures

    def check(
        self, document: Document, guard: Callable[[str], ContextManager] | None = None,
        config: Configuration | None = None, path: str | None = None,
    ) -> tuple[list[Finding], list[PluginFailure]]:
        """The findings of every applicable rule (``applicable``) for ``document``, with the
        configured severity and options, and the failures of rules that raised, were stopped
        or yielded something that is not a finding of their own (each such item is named and
        dropped; the rule's valid findings and every other rule's are kept).
        ``guard(rule_id)``, when given, is entered around each rule (the worker gives each rule
        its own time this way; it raises ``PluginTimeout`` for a rule past its time)."""
        config = config or Configuration()
        findings: list[Finding] = []
        failures: list[PluginFailure] = []
        for rule in self.applicable(document, config, path):
            options = config.options(rule, path)
            severity = config.severity(rule.id, rule.severity, path)
            try:
                with guard(rule.id) if guard is not None else nullcontext():
                    returned = rule.function(document, **options)
                    items = _items(returned)
            except PluginTimeout as exc:
                failures.append(PluginFailure(rule.plugin, rule.id, str(exc), stopped=True))
                continue
            except (Exception, SystemExit) as exc:  # SystemExit too: a rule may not end the run
                failures.append(PluginFailure(rule.plugin, rule.id, _describe(exc)))
                continue
            if items is None:
                failures.append(PluginFailure(rule.plugin, rule.id, f"returned {type(returned).__name__}, not findings"))
                continue
            for item in items:
                try:
                    finding = rule.finding(item)
                except RuleOutputError as exc:
                    failures.append(PluginFailure(rule.plugin, rule.id, str(exc)))
                    continue
                findings.append(_overridden(finding, rule.severity, severity))
        return findings, failures


def _code_digest(plugin: object) -> str:
    """A digest of a plugin module's code (its package's .py files for a package), so that a
    result cache notices an edited plugin, also one installed in editable mode."""
    import hashlib

    digest = hashlib.sha256()
    file = getattr(plugin, "__file__", None)
    if file:
        path = Path(file)
        files = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]
        for member in files:
            try:
                digest.update(member.read_bytes())
            except OSError:
                continue
    return digest.hexdigest()[:16]


def _items(returned: object) -> list | None:
    """What a rule function returned as a list of items, or None when it is not iterable."""
    if returned is None:
        return []
    if isinstance(returned, (str, bytes, dict)) or not isinstance(returned, Iterable):
        return None
    return list(returned)


def _overridden(finding: Finding, default: str, configured: str) -> Finding:
    """``finding`` at the configured severity: a finding at the rule's default takes it; one the
    rule lowered (a doubtful case) keeps the lower of its own and the configured one."""
    if configured == default:
        return finding
    order = ("error", "warning", "info")
    severity = configured if finding.severity == default else max(finding.severity, configured, key=order.index)
    return replace(finding, severity=severity)


def _check_names(plugin: str, module: object) -> None:
    """Raise ``PluginError`` for a function named ``auditor_…`` that matches no hook (a misspelt
    hook is otherwise ignored in silence), naming the closest hook."""
    for name in dir(module):
        if name in HOOKS and callable(getattr(module, name)) and not hasattr(getattr(module, name), f"{hookspecs.PROJECT}_impl"):
            raise PluginError(f"plugin {plugin!r}: {name!r} is not marked @hookimpl (from auditor import hookimpl), so it "
                              "would never be called")
        if name.startswith("auditor_") and name not in HOOKS and callable(getattr(module, name, None)):
            match = difflib.get_close_matches(name, HOOKS, n=1)
            hint = f"; did you mean {match[0]!r}?" if match else ""
            raise PluginError(f"plugin {plugin!r}: {name!r} matches no auditor hook{hint} (hooks: {', '.join(HOOKS)})")


def _plain(exc: BaseException) -> str:
    """An exception in words for a user: its kind and message, no file or line."""
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        return f"SyntaxError: {exc.msg} ({Path(exc.filename or '?').name}:{exc.lineno})"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith("<")] if exc.__traceback__ else []
    outside = [f for f in frames if not Path(f.filename).resolve().is_relative_to(_PACKAGE)]
    frame = (outside or frames)[-1] if frames else None  # the plugin author's line, where there is one
    where = f" ({Path(frame.filename).name}:{frame.lineno})" if frame else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _import_plugin(spec: str) -> ModuleType:
    """Import a plugin given as a module name or a path to a ``.py`` file."""
    path = Path(spec)
    try:
        if spec.endswith(".py") or path.exists():
            if path.is_dir():
                raise PluginError(f"{spec}: is a directory; give a .py file or a module name")
            if not path.is_file():
                raise PluginError(f"{spec}: no such plugin file")
            name = f"auditor_local_{path.stem}"
            module_spec = importlib.util.spec_from_file_location(name, path)
            if module_spec is None or module_spec.loader is None:
                raise PluginError(f"{spec}: cannot load as a Python module")
            module = importlib.util.module_from_spec(module_spec)
            sys.modules[name] = module
            module_spec.loader.exec_module(module)
            return module
        return importlib.import_module(spec)
    except PluginError:
        raise
    except (Exception, SystemExit) as exc:
        raise PluginError(f"{spec}: cannot load plugin: {_describe(exc)}") from exc

