"""Configuration: which rules run, at which severity, with which options; which plugins load.

Read from ``[tool.auditor]`` in a ``pyproject.toml`` or from an ``auditor.toml`` (its top level),
found upward from the inputs' common directory, then from the working directory (``auditor.toml``
wins over ``pyproject.toml`` in one directory); ``--config FILE`` names one instead::

    [tool.auditor]
    select = ["A", "N"]                 # rule ID prefixes that run (default: all)
    ignore = ["N006"]                   # prefixes that do not
    extend-select = ["Y"]               # prefixes that run besides (opt-in rules: cross-year Y)
    disable-plugins = ["indicators"]    # plugin names not loaded
    [tool.auditor.severity]
    M005 = "info"                       # by ID prefix
    [tool.auditor.options.IND001]
    threshold = 0.3                     # a rule's option (its function's keyword-only parameter)
    [tool.auditor.per-path."archive/2019/*"]
    ignore = ["M003"]                   # select, ignore, severity, options for matching inputs

Selection is decided in layers — the file; the command line's ``--select`` (it replaces the
file's selection); the file's ``per-path`` entries matching the input (the more specific
statement about those inputs: a ``--select A`` does not run an A rule a per-path entry ignores);
last the command line's ``--ignore`` (it always skips). Within a layer the longest matching
prefix wins, and ``ignore`` wins a tie; a layer with a ``select`` runs only what it selects;
``extend-select`` (``--extend-select``) adds prefixes without narrowing. An opt-in rule (the
cross-year rules, which make output wait for the whole batch) runs only when a ``select`` or
``extend-select`` prefix names it. The decision is made before any rule runs.
"""

from __future__ import annotations

import difflib
import fnmatch
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from auditor.findings import SEVERITIES

if TYPE_CHECKING:
    from auditor.rules import Rule

FILE_NAMES = ("auditor.toml", "pyproject.toml")
LAYER_KEYS = ("select", "extend-select", "ignore", "severity", "options")
TOP_KEYS = (*LAYER_KEYS, "disable-plugins", "per-path")


class ConfigError(ValueError):
    """A configuration that cannot be used: the file (or option) and the problem, with the closest
    valid name for a misspelt one."""


def _closest(name: str, valid: Iterable[str]) -> str:
    match = difflib.get_close_matches(name, list(valid), n=1, cutoff=0.5)
    return f" (did you mean {match[0]!r}?)" if match else ""


@dataclass(frozen=True)
class Layer:
    """One layer of selection: ``select`` and ``ignore`` prefixes, ``severity`` by prefix and
    ``options`` by rule ID, as sorted tuples (so that a run's settings can be hashed and sent to
    worker processes)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    extend_select: tuple[str, ...] = ()

    @classmethod
    def parse(cls, table: Mapping[str, Any], where: str) -> Layer:
        """A layer from a TOML table. Raises ``ConfigError`` naming ``where`` and the key."""
        for key in table:
            if key not in LAYER_KEYS:
                raise ConfigError(f"{where}: unknown key {key!r}{_closest(key, LAYER_KEYS)}")
        prefixes = {k: _strings(table.get(k, []), f"{where}: {k}") for k in ("select", "ignore", "extend-select")}
        severity = _table(table.get("severity", {}), f"{where}: severity")
        for prefix, value in severity.items():
            if value not in SEVERITIES:
                raise ConfigError(f"{where}: severity of {prefix}: {value!r} is not one of {', '.join(SEVERITIES)}")
        options = _table(table.get("options", {}), f"{where}: options")
        for rule_id, values in options.items():
            _table(values, f"{where}: options.{rule_id}")
        return cls(
            tuple(prefixes["select"]), tuple(prefixes["ignore"]), tuple(sorted(severity.items())),
            tuple(sorted((r, tuple(sorted(v.items()))) for r, v in options.items())), tuple(prefixes["extend-select"]),
        )

    def prefixes(self) -> Iterable[tuple[str, str]]:
        """(what, prefix) for every rule prefix this layer names, to validate them."""
        for what, values in (("select", self.select), ("extend-select", self.extend_select), ("ignore", self.ignore),
                             ("severity", (p for p, _ in self.severity)),
                             ("options", (r for r, _ in self.options))):
            for value in values:
                yield what, value


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: expected a list of rule ID prefixes, got {value!r}")
    return [v.strip() for v in value]


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table, got {value!r}")
    return value


def _longest(rule_id: str, prefixes: Sequence[str]) -> int:
    return max((len(p) for p in prefixes if rule_id.startswith(p)), default=-1)


@dataclass(frozen=True)
class Configuration:
    """A run's configuration: the file's layer, its ``per_path`` layers (glob, layer), the command
    line's layer, the plugins not loaded, and the file it came from (``source``, "" for none).
    ``select``/``ignore`` of the command line: see the module's documentation."""

    file: Layer = field(default_factory=Layer)
    per_path: tuple[tuple[str, Layer], ...] = ()
    command_line: Layer = field(default_factory=Layer)
    disabled_plugins: tuple[str, ...] = ()
    source: str = ""

    @classmethod
    def load(cls, path: str | Path) -> Configuration:
        """The configuration in ``path`` (``auditor.toml``: its top level; ``pyproject.toml``: its
        ``[tool.auditor]``). Raises ``ConfigError`` naming the file for bad TOML or a bad key."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot be read ({exc})") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("auditor", {})
        where = f"{path}{' [tool.auditor]' if path.name == 'pyproject.toml' else ''}"
        for key in data:
            if key == "tool" and path.name != "pyproject.toml":
                raise ConfigError(f"{where}: unknown key 'tool': an auditor.toml holds the settings at its top level "
                                  "(select = …, [severity] …); [tool.auditor] is for a pyproject.toml")
            if key not in TOP_KEYS:
                raise ConfigError(f"{where}: unknown key {key!r}{_closest(key, TOP_KEYS)}")
        layer = Layer.parse({k: v for k, v in data.items() if k in LAYER_KEYS}, where)
        per_path = tuple(
            (pattern, Layer.parse(_table(table, f"{where}: per-path.{pattern}"), f"{where}: per-path.{pattern!r}"))
            for pattern, table in _table(data.get("per-path", {}), f"{where}: per-path").items()
        )
        disabled = tuple(_strings(data.get("disable-plugins", []), f"{where}: disable-plugins"))
        return cls(layer, per_path, Layer(), disabled, str(path))

    @classmethod
    def find(cls, inputs: Sequence[str | Path] = (), cwd: str | Path | None = None) -> Configuration:
        """The configuration found upward from the inputs' common directory, else from ``cwd``
        (default: the working directory); an empty one when there is none."""
        found = find_file(inputs, cwd)
        return cls.load(found) if found else cls()

    def with_command_line(self, select: Sequence[str] = (), ignore: Sequence[str] = (),
                          extend_select: Sequence[str] = ()) -> Configuration:
        """This configuration with the command line's ``--select``, ``--extend-select`` and
        ``--ignore`` on top."""
        line = Layer(tuple(select), tuple(ignore), extend_select=tuple(extend_select))
        return Configuration(self.file, self.per_path, line, self.disabled_plugins, self.source)

    def without(self, rule_id: str) -> Configuration:
        """This configuration with ``rule_id`` ignored (a re-run without a rule that was stopped)."""
        line = self.command_line
        return replace(self, command_line=replace(line, ignore=(*line.ignore, rule_id)))

    def layers(self, path: str | None = None) -> list[Layer]:
        """The layers that apply to the input ``path`` (None: the file and command-line ones)."""
        local = self._local(path) if path is not None and self.per_path else ()
        line = self.command_line
        return [self.file, Layer(select=line.select, extend_select=line.extend_select), *local, Layer(ignore=line.ignore, severity=line.severity, options=line.options)]

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_local_layers"}  # a worker builds its own

    def _local(self, path: str) -> tuple[Layer, ...]:
        """The per-path layers whose pattern matches ``path`` as given or relative to the
        configuration's directory (resolved once per path: every rule of every report asks)."""
        cache = self.__dict__.setdefault("_local_layers", {})
        if path not in cache:
            root = Path(self.source).parent if self.source else Path.cwd()
            candidates = {PurePath(path).as_posix()}
            try:
                candidates.add(Path(path).resolve().relative_to(root.resolve()).as_posix())
            except (ValueError, OSError):
                pass
            cache[path] = tuple(layer for pattern, layer in self.per_path if any(fnmatch.fnmatchcase(c, pattern) for c in candidates))
        return cache[path]

    def selected(self, rule_id: str, path: str | None = None, opt_in: bool = False) -> bool:
        """Whether rule ``rule_id`` runs on the input ``path``; an ``opt_in`` rule only when a
        ``select`` or ``extend-select`` prefix names it."""
        state = not opt_in
        for layer in self.layers(path):
            dropped = _longest(rule_id, layer.ignore)
            chosen = max(_longest(rule_id, layer.select), _longest(rule_id, layer.extend_select))
            if layer.select:
                state = chosen > dropped
            elif chosen > dropped:
                state = True
            elif dropped >= 0:
                state = False
        return state

    def severity(self, rule_id: str, default: str, path: str | None = None) -> str:
        """The severity of a rule's findings: the override of the longest prefix, the latest layer
        winning; else ``default``."""
        for layer in reversed(self.layers(path)):
            matches = [(len(p), s) for p, s in layer.severity if rule_id.startswith(p)]
            if matches:
                return max(matches)[1]
        return default

    def options(self, rule: Rule, path: str | None = None) -> dict[str, Any]:
        """The rule's options: its defaults, with the configured values over them."""
        values = dict(rule.options)
        for layer in self.layers(path):
            for rule_id, configured in layer.options:
                if rule_id == rule.id:
                    values.update(configured)
        return values

    def validate(self, rules: Mapping[str, Rule], plugins: Iterable[str] = ()) -> None:
        """Check every prefix, rule ID and option against the loaded ``rules`` (and the plugin
        names the file disables against ``plugins``, when given). Raises ``ConfigError`` naming
        the first that matches nothing, with the closest valid name."""
        where = self.source or "the command line"
        for pattern, layer in [("", self.file), *self.per_path, ("", self.command_line)]:
            origin = "the command line" if layer is self.command_line else where
            origin += f" (per-path {pattern!r})" if pattern else ""
            for what, prefix in layer.prefixes():
                if what == "options":
                    if prefix not in rules:
                        raise ConfigError(f"{origin}: options for unknown rule {prefix!r}{_closest(prefix, rules)}")
                elif not any(rule_id.startswith(prefix) for rule_id in rules):
                    hint = _closest(prefix, rules)
                    if prefix != prefix.upper() and any(rule_id.startswith(prefix.upper()) for rule_id in rules):
                        hint = f" (rule IDs are upper case: {prefix.upper()!r})"
                    if self.disabled_plugins:
                        hint += f"; plugins disabled by the configuration: {', '.join(self.disabled_plugins)}"
                    raise ConfigError(f"{origin}: {what}: no rule ID starts with {prefix!r}{hint}")
            for rule_id, configured in layer.options:
                rule = rules[rule_id]
                for name, value in configured:
                    if name not in rule.options:
                        known = ", ".join(rule.options) or "none"
                        raise ConfigError(f"{origin}: rule {rule_id} has no option {name!r}{_closest(name, rule.options)}"
                                          f" (its options: {known})")
                    default = rule.options[name]
                    if default is not None and not _same_kind(value, default):
                        kind = {"int": "a whole number", "float": "a number", "bool": "true or false",
                                "str": "a string"}.get(type(default).__name__, f"of type {type(default).__name__}")
                        raise ConfigError(f"{origin}: option {rule_id}.{name} = {value!r} is not {kind} "
                                          f"(its default is {default!r})")
        known = list(plugins)
        if known:
            for name in self.disabled_plugins:
                if name not in known:
                    raise ConfigError(f"{where}: disable-plugins: no plugin named {name!r}{_closest(name, known)}")


def _same_kind(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, int):
        return isinstance(value, int)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def find_file(inputs: Sequence[str | Path] = (), cwd: str | Path | None = None) -> Path | None:
    """The nearest configuration file upward from the inputs' common directory, then from ``cwd``:
    an ``auditor.toml``, or a ``pyproject.toml`` with a ``[tool.auditor]`` table."""
    starts = []
    existing = [Path(p).resolve() for p in inputs if Path(p).exists()]
    if existing:
        common = Path(_common(existing))
        starts.append(common if common.is_dir() else common.parent)
    starts.append(Path(cwd or Path.cwd()).resolve())
    for start in starts:
        for directory in (start, *start.parents):
            for name in FILE_NAMES:
                candidate = directory / name
                if candidate.is_file() and (name == "auditor.toml" or _has_tool_table(candidate)):
                    return candidate
    return None


def _common(paths: Sequence[Path]) -> str:
    import os

    return os.path.commonpath([str(p) for p in paths])


def _has_tool_table(path: Path) -> bool:
    try:
        return "auditor" in tomllib.loads(path.read_text("utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
