"""The plugin host: a small facade over pluggy so that nothing else touches ``pm.hook``.

Plugins come from the entry-point group ``auditor.plugins`` (the built-ins among them) and from
``--plugin MODULE_OR_PATH``. ``AUDITOR_DISABLE_PLUGINS`` (comma-separated names) blocks entry
points by name. Each implementation is called under its own guard, so one failing plugin never
stops the others or the batch.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from typing import ContextManager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pluggy

from auditor import hookspecs
from auditor.errors import PluginTimeout, ReportReadError

if TYPE_CHECKING:
    from auditor.audit import Document
    from auditor.findings import Finding, Rule
    from auditor.model import Report

ENTRY_POINT_GROUP = "auditor.plugins"
DISABLE_ENV = "AUDITOR_DISABLE_PLUGINS"


def disabled_plugins() -> tuple[str, ...]:
    """Plugin names blocked by the ``AUDITOR_DISABLE_PLUGINS`` environment variable."""
    return tuple(sorted(filter(None, (n.strip() for n in os.environ.get(DISABLE_ENV, "").split(",")))))


class PluginError(Exception):
    """A plugin could not be loaded, or plugins disagree (e.g. two declare one rule ID)."""


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin: its name, where it came from and the hooks it implements."""

    name: str
    source: str
    hooks: tuple[str, ...]


@dataclass(frozen=True)
class PluginFailure:
    """An implementation that raised, or was ``stopped`` past the run's timeout: which plugin,
    which hook and what happened."""

    plugin: str
    hook: str
    error: str
    stopped: bool = False

    def __str__(self) -> str:
        if self.stopped:
            return f"plugin {self.plugin!r} was stopped in {self.hook}: {self.error}"
        return f"plugin {self.plugin!r} failed in {self.hook}: {self.error}"


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
        if entry_points:
            self.pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
            for plugin, dist in self.pm.list_plugin_distinfo():
                self._sources[self.pm.get_name(plugin) or ""] = f"{dist.project_name} {dist.version}"
        for spec in extra:
            module = _import_plugin(spec)
            if module.__name__ in self.disabled:
                continue  # blocked for this run (a re-run without a plugin that had to be stopped)
            if not any(callable(getattr(module, h, None)) for h in dir(hookspecs) if h.startswith("auditor_")):
                raise PluginError(f"{spec}: implements no auditor hook (see auditor/hookspecs.py)")
            name = self.pm.register(module, name=module.__name__)
            if name is None:
                raise PluginError(f"{spec}: plugin is blocked or already loaded")
            self._sources[name] = spec
        self._rules: dict[str, Rule] | None = None
        self._owners: dict[str, str] = {}  # rule ID -> the plugin that declared it

    def plugins(self) -> list[PluginInfo]:
        """The loaded plugins and the hooks each implements, in load order."""
        infos = []
        for name, plugin in self.pm.list_name_plugin():
            hooks = tuple(
                sorted(h.name for h in self.pm.get_hookcallers(plugin) or () if h.name.startswith("auditor_"))
            )
            infos.append(PluginInfo(name, self._sources.get(name, "built-in"), hooks))
        return infos

    def rules(self) -> dict[str, Rule]:
        """Every rule of every plugin by ID. Raises ``PluginError`` on a duplicate ID."""
        if self._rules is None:
            rules: dict[str, Rule] = {}
            owners: dict[str, str] = self._owners
            for impl in self.pm.hook.auditor_rules.get_hookimpls():
                try:
                    declared = list(impl.function() or ())
                except (Exception, SystemExit) as exc:
                    raise PluginError(f"plugin {impl.plugin_name!r} failed in auditor_rules: {_describe(exc)}") from exc
                for rule in declared:
                    if rule.id in rules:
                        raise PluginError(
                            f"rule {rule.id} is declared by both {owners[rule.id]!r} and {impl.plugin_name!r}"
                        )
                    rules[rule.id], owners[rule.id] = rule, impl.plugin_name
            self._rules = dict(sorted(rules.items()))
        return self._rules

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
                raise ReportReadError(path, f"could not be read: the {impl.plugin_name} reader failed on it ({_plain(exc)})") from exc
            if report is not None:
                return report
        raise ReportReadError(path, "no reader for this kind of file")

    def check(self, document: Document, guard: Callable[[str], ContextManager] | None = None) -> tuple[list[Finding], list[PluginFailure]]:
        """Findings of every plugin for ``document``; failures of plugins that raised or
        returned something that is not findings of their own rules (each such item is named
        and dropped; the plugin's valid findings and every other plugin's are kept).
        ``guard(plugin_name)``, when given, is entered around each plugin's call (the worker
        gives each plugin its own time this way)."""
        findings: list[Finding] = []
        failures: list[PluginFailure] = []
        self.rules()
        for impl in reversed(self.pm.hook.auditor_check.get_hookimpls()):
            try:
                with guard(impl.plugin_name) if guard is not None else nullcontext():
                    returned = impl.function(document=document)
                    items = [] if returned is None else list(returned) if isinstance(returned, (list, tuple, Iterator)) else None
            except PluginTimeout as exc:
                failures.append(PluginFailure(impl.plugin_name, "auditor_check", str(exc), stopped=True))
                continue
            except (Exception, SystemExit) as exc:  # SystemExit too: a plugin may not end the run
                failures.append(PluginFailure(impl.plugin_name, "auditor_check", _describe(exc)))
                continue
            if items is None:
                failures.append(PluginFailure(impl.plugin_name, "auditor_check",
                                              f"returned {type(returned).__name__}, not a list of findings"))
                continue
            for item in items:
                problem = self._invalid(item, impl.plugin_name)
                if problem:
                    failures.append(PluginFailure(impl.plugin_name, "auditor_check", problem))
                else:
                    findings.append(item)
        return findings, failures

    def _invalid(self, item: object, plugin: str) -> str | None:
        """What is wrong with an item a plugin returned as a finding, or None."""
        from auditor.findings import SEVERITIES, Evidence, Finding
        from auditor.model import Position

        if not isinstance(item, Finding):
            return f"returned {type(item).__name__} {str(item)[:40]!r}, not a Finding"
        owner = self._owners.get(item.rule)
        if owner != plugin:
            declared = f"declared by {owner!r}" if owner else "declared by no plugin"
            return f"finding under rule {item.rule!r}, {declared}"
        if item.severity not in SEVERITIES:
            return f"rule {item.rule}: severity {item.severity!r} is not one of {', '.join(SEVERITIES)}"
        if item.position is not None and not isinstance(item.position, Position):
            return f"rule {item.rule}: position {item.position!r} is not a Position"
        if not isinstance(item.message, str) or not all(isinstance(e, Evidence) for e in item.evidence or ()):
            return f"rule {item.rule}: message or evidence of the wrong type"
        return None


def _plain(exc: BaseException) -> str:
    """An exception in words for a user: its kind and message, no file or line."""
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        return f"SyntaxError: {exc.msg} ({Path(exc.filename or '?').name}:{exc.lineno})"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith("<")] if exc.__traceback__ else []
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
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

