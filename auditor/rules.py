"""The rule: the unit the host runs. A small function over a ``Document`` plus its catalogue entry.

A plugin declares rules with the ``rule`` decorator (or a ``RuleSet`` that collects several) and
hands them to the host in its one hook, ``auditor_register_rules``::

    from auditor import Example, Hit, hookimpl, rule

    @rule("X001", "review-corrected-share", "warning",
          "复议纠错率 above a threshold: 表四 行政复议 结果纠正 over 总计.",
          source="表四 行政复议", kind="narrative_table",
          examples=[Example(True, cells={"review.total": 2, "review.corrected": 1}),
                    Example(False, cells={"review.total": 2, "review.upheld": 2})])
    def corrected_share(document, *, threshold=0.2):
        ...
        yield Hit("…", position, evidence)

    @hookimpl
    def auditor_register_rules(register):
        register(corrected_share)

A rule's options are the keyword-only parameters of its function, with their defaults; the host
passes the configured values (``[tool.auditor.options.X001] threshold = 0.3``). A rule function
yields ``Hit``s (the host stamps the rule's ID and severity) or ``Finding``s under its own ID.
"""

from __future__ import annotations

import difflib
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from auditor.findings import KINDS, SEVERITIES, BatchHit, Finding, Hit, Kind, Severity
from auditor.template import GENERATIONS

if TYPE_CHECKING:
    from auditor.document import Document

# A rule ID: one to four capital letters (the plugin's prefix) and three digits; stable, never reused.
ID_PATTERN = re.compile(r"[A-Z]{1,4}[0-9]{3}")

RuleFunction = Callable[..., Iterable["Hit | Finding"]]


class RuleDefinitionError(ValueError):
    """A rule's declaration is wrong: bad ID, severity, kind, generation or function signature."""


@dataclass(frozen=True)
class ExampleReport:
    """One report of a batch rule's example: a published ``file`` (a path from the project's
    root), a report's ``text``, or the template layout of ``agency``'s report on ``year`` built
    from ``paragraphs`` and ``cells`` (as in ``Example``)."""

    file: str = ""
    text: str = ""
    paragraphs: tuple[str, ...] = ()
    cells: Mapping[str, int | float | str | None] = field(default_factory=dict)
    year: int = 2023
    agency: str = "测试县人民政府办公室"


@dataclass(frozen=True)
class Example:
    """A case of a rule for its catalogue and its tests; ``fires`` says whether the rule must
    report it. A published report (``file``: a path from the project's root, e.g. a report of
    ``corpora/``), a whole report as printed (``text``, read by the text reader), or a report on
    ``year`` in the template layout built from narrative ``paragraphs`` and table ``cells``
    (template keys with values in the key's unit, 件 or 万元; absent cells are 0, None is blank).
    ``note`` says what the case shows (the real report a sentence or row comes from, what the
    rule sees in it); ``options`` are rule options for this case. A batch rule's example gives
    the batch instead: ``reports`` (``ExampleReport``s)."""

    fires: bool
    file: str = ""
    text: str = ""
    paragraphs: tuple[str, ...] = ()
    cells: Mapping[str, int | float | str | None] = field(default_factory=dict)
    year: int = 2023
    note: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    reports: tuple[ExampleReport, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "reports", tuple(self.reports))
        if isinstance(self.paragraphs, str):
            object.__setattr__(self, "paragraphs", (self.paragraphs,))


@dataclass(frozen=True, eq=False)
class Rule:
    """A check's catalogue entry and its function.

    ``id`` (stable, never reused; ``ID_PATTERN``), ``name`` (a slug), default ``severity``, a
    one-line ``description``; ``kind`` of problem (``auditor.findings.KINDS``); ``rationale`` (the
    catalogue's paragraph: what is compared, where the finding points); ``source`` (the template
    clause or 勾稽关系 behind it); the template ``generations`` it applies to; ``options`` (name →
    default, from the function's keyword-only parameters); ``examples``; ``plugin`` (set by the
    host when the rule is registered); ``scope``: "report" for a rule over one ``Document``,
    "batch" for a rule over the reports of one body in a batch (its function takes an
    ``auditor.facts.ReportGroup`` and yields ``BatchHit``s; its examples give batches), "run" for
    a batch rule over all the reports of a run at once (one group, ``agency`` ""; comparisons
    across bodies); ``reads``: for a batch or run rule, the cell keys it reads (``fnmatch``
    patterns, "requests.carried_over.*"), so that the host keeps only those of each report of a
    large batch (empty: every cell), ``NARRATIVE`` ("narrative") for the narrative's text and
    ``STATED`` ("stated") for its stated changes and quantities (``auditor.changes.Statements``);
    ``opt_in``: the rule runs only when a ``select`` or ``extend-select`` prefix names it (the
    built-in cross-year rules: a batch rule makes output wait for the whole batch). Calling a rule
    runs its function with default options.
    Raises ``RuleDefinitionError`` for a declaration that is wrong.
    """

    id: str
    name: str
    severity: Severity
    description: str
    function: RuleFunction = field(repr=False)
    kind: Kind = "other"
    rationale: str = ""
    source: str = ""
    generations: tuple[str, ...] = GENERATIONS
    examples: tuple[Example, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    plugin: str = ""
    scope: Literal["report", "batch", "run"] = "report"
    reads: tuple[str, ...] = ()
    opt_in: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not ID_PATTERN.fullmatch(self.id):
            raise RuleDefinitionError(f"rule ID {self.id!r} is not 1–4 capital letters and 3 digits (e.g. X001)")
        if self.severity not in SEVERITIES:
            raise RuleDefinitionError(f"rule {self.id}: severity {self.severity!r} is not one of {', '.join(SEVERITIES)}")
        if self.kind not in KINDS:
            raise RuleDefinitionError(f"rule {self.id}: unknown kind {self.kind!r} (one of {', '.join(KINDS)})")
        unknown = [g for g in self.generations if g not in GENERATIONS]
        if unknown or not self.generations:
            raise RuleDefinitionError(f"rule {self.id}: generations {list(self.generations)} must be among {', '.join(GENERATIONS)}")
        if self.scope not in ("report", "batch", "run"):
            raise RuleDefinitionError(f"rule {self.id}: scope {self.scope!r} is not 'report', 'batch' or 'run'")
        if self.reads and self.scope == "report":
            raise RuleDefinitionError(f"rule {self.id}: reads=… is for batch rules (a report rule sees the whole document)")
        object.__setattr__(self, "reads", tuple(self.reads))
        object.__setattr__(self, "generations", tuple(self.generations))
        object.__setattr__(self, "examples", tuple(self.examples))
        object.__setattr__(self, "options", MappingProxyType(dict(_options_of(self.id, self.function))))
        for number, example in enumerate(self.examples, 1):
            if bool(example.reports) != self.over_reports:
                raise RuleDefinitionError(f"rule {self.id}: example {number} " + (
                    "of a batch rule must give its batch (reports=…)" if self.over_reports
                    else "gives reports=…, which only a batch rule's examples do"))
            for name in example.options:
                if name not in self.options:
                    close = difflib.get_close_matches(name, list(self.options), n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else f" (its options: {', '.join(self.options) or 'none'})"
                    raise RuleDefinitionError(f"rule {self.id}: example {number} sets option {name!r}, which the rule "
                                              f"does not have{hint}")

    @property
    def over_reports(self) -> bool:
        """True for a rule over the reports of a batch (scope "batch" or "run")."""
        return self.scope != "report"

    def __call__(self, document: Document, **options: Any) -> Iterator[Finding]:
        """Run the function over ``document`` with ``options`` over the defaults; findings under
        this rule's ID (no guard: the host's ``run_rule`` is the guarded way)."""
        for item in self.function(document, **{**self.options, **options}):
            yield self.finding(item)

    def finding(self, item: Hit | Finding) -> Finding:
        """The finding for an item the function yielded. Raises ``RuleOutputError`` for an item
        that is not a ``Hit`` or a ``Finding`` under this rule's ID with valid fields."""
        if isinstance(item, Hit):
            item = Finding(self.id, item.severity or self.severity, item.message, item.position, item.evidence)
        elif not isinstance(item, Finding):
            raise RuleOutputError(f"yielded {type(item).__name__} {str(item)[:40]!r}, not a Hit or a Finding")
        elif item.rule != self.id:
            raise RuleOutputError(f"yielded a finding under rule ID {item.rule!r}, which it did not declare")
        problem = item.problem()
        if problem:
            raise RuleOutputError(problem)
        return item

    def batch_finding(self, item: BatchHit) -> tuple[str, Finding]:
        """The report path and finding for an item a batch rule yielded. Raises
        ``RuleOutputError`` for an item that is not a ``BatchHit`` with valid fields."""
        if not isinstance(item, BatchHit):
            raise RuleOutputError(f"yielded {type(item).__name__} {str(item)[:40]!r}, not a BatchHit")
        return item.path, self.finding(Hit(item.message, item.position, item.evidence, item.severity))

    def applies_to(self, generation: str | None) -> bool:
        """Whether the rule runs on a report printed in template ``generation`` (None: unknown)."""
        return generation is None or generation in self.generations


class RuleOutputError(ValueError):
    """A rule yielded something that is not a finding of its own."""


def _options_of(rule_id: str, function: RuleFunction) -> dict[str, Any]:
    """The rule's options: the keyword-only parameters of ``function`` with their defaults. The
    function must take the document as its one positional parameter."""
    if not callable(function):
        raise RuleDefinitionError(f"rule {rule_id}: its function {function!r} is not callable")
    parameters = list(inspect.signature(function).parameters.values())
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    options = {}
    for parameter in parameters:
        if parameter.kind is parameter.KEYWORD_ONLY:
            if parameter.default is parameter.empty:
                raise RuleDefinitionError(f"rule {rule_id}: option {parameter.name!r} needs a default")
            options[parameter.name] = parameter.default
        elif parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            raise RuleDefinitionError(f"rule {rule_id}: its function may not take *args or **kwargs")
    if len(positional) != 1:
        raise RuleDefinitionError(f"rule {rule_id}: its function must take the document (or, for a batch rule, the "
                                  "group of reports) as its one positional parameter")
    return options


def rule(
    id: str, name: str, severity: Severity, description: str, *, kind: Kind = "other", rationale: str = "",
    source: str = "", generations: Iterable[str] = GENERATIONS, examples: Iterable[Example] = (),
    scope: Literal["report", "batch", "run"] = "report", reads: Iterable[str] = (), opt_in: bool = False,
) -> Callable[[RuleFunction], Rule]:
    """Decorator: the ``Rule`` of a function (see ``Rule`` for the fields)."""

    def declare(function: RuleFunction) -> Rule:
        return Rule(id, name, severity, description, function, kind, rationale or inspect.getdoc(function) or "",
                    source, tuple(generations), tuple(examples), scope=scope, reads=tuple(reads), opt_in=opt_in)

    return declare


@dataclass
class RuleSet:
    """The rules of one plugin module, in declaration order; iterate it to register them
    (``register(*rules)``), or ``check`` a document with all of them (no guard; for tests)."""

    rules: list[Rule] = field(default_factory=list)

    def rule(self, id: str, name: str, severity: Severity, description: str, **details: Any) -> Callable[[RuleFunction], Rule]:
        """Decorator: declare a rule (see ``rule``) and add it to this set."""

        def declare(function: RuleFunction) -> Rule:
            declared = rule(id, name, severity, description, **details)(function)
            self.rules.append(declared)
            return declared

        return declare

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def check(self, document: Document) -> Iterator[Finding]:
        """Every rule of the set over ``document`` with default options, in declaration order."""
        for declared in self.rules:
            if declared.scope == "report" and declared.applies_to(document.template.generation):
                yield from declared(document)
