"""Accuracy of auditor on the labelled corpus, measured (not a test): prints figures.

    python benchmarks/accuracy.py                 # every labelled report under corpora/
    python benchmarks/accuracy.py -v              # and, per report, every wrong cell, false error, miss
    python benchmarks/accuracy.py PATH...         # only these reports (or folders)
    python benchmarks/accuracy.py --json          # the figures as JSON

Each real report in ``corpora/`` has a label file beside it (``<report>.labels.toml``, format in
``docs/labels.md``) written by reading the report, never from the tool's output: the printed
value of every template cell and every contradiction a careful auditor confirms. This script
audits each labelled report and prints, per format and per template generation of the label:

- cells: right / wrong / unread (a cell is wrong when the tool reads it — a number, or blank —
  and the printed report says otherwise; unread when the tool leaves it missing);
- error findings: true (they match a contradiction labelled ``certain``), overstated (they match
  only one labelled ``review``), false (they match none); the precision is true / all. A finding
  that matches nothing and rests on a cell the label leaves unsettled ("?") is not judged;
- recall of the labelled contradictions by kind (``table_arithmetic``, ``narrative_table``, …): a
  contradiction is found when a finding of that kind (error or warning) matches it.

A finding matches a contradiction when the rule's kind is the contradiction's kind and the
finding's evidence names one of its ``keys`` — or, for a contradiction without keys, cites one of
its ``values``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.audit import audit_document, read_document  # noqa: E402
from auditor.errors import ReportReadError  # noqa: E402
from auditor.facts import ReportFacts, groups_of  # noqa: E402
from auditor.findings import KINDS, Finding  # noqa: E402
from auditor.plugins import PluginHost  # noqa: E402
from auditor.template import load_template  # noqa: E402

LABEL_SUFFIX = ".labels.toml"
CONTRADICTION_KINDS = tuple(k for k in KINDS if k not in ("reading", "indicator", "other"))  # what labels record
TABLES = {"table2": "active", "table3": "requests", "table4": "appeals"}


@dataclass
class Contradiction:
    """One labelled contradiction."""

    kind: str
    confidence: str
    what: str
    keys: frozenset[str]
    values: frozenset[float]
    ordered: tuple[float, ...] = ()  # the values as labelled: the stated one first
    other: str = ""  # for a report copied from another: that report's file name
    quote: str = ""  # the words as printed (matched when there are no values: a blank left in)


@dataclass
class Label:
    """A report's label file, its cells expanded to template keys."""

    path: Path
    report: Path
    template: str
    format: str
    year: int | None
    cells: dict[str, object]
    contradictions: list[Contradiction]


def _table_keys(generation: str, section: str, row: str, width: int) -> list[str] | None:
    template = load_template(generation)
    if section == "table2":
        item = next((i for i in template.active_items if i.key == row), None)
        return [f"active.{row}.{m}" for m in item.measures] if item else None
    if section == "table3":
        if row == "other_handling" and generation == "2021":
            return [f"requests.other_handling.{c.key}" for c in template.request_columns]
        if any(r.key == row for r in template.request_rows):
            return [f"requests.{row}.{c.key}" for c in template.request_columns]
        return None
    if any(g.key == row for g in template.appeal_groups):
        return [f"{row}.{o.key}" for o in template.appeal_outcomes]
    return None


def load_label(path: Path) -> Label:
    """Read one label file. Raises ``ValueError`` naming the file and the problem."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    info = data.get("report", {})
    template = str(info.get("template", "none"))
    cells: dict[str, object] = {}
    for section in TABLES:
        generation = template if template in ("2021", "2019") else "2021"
        if template == "mixed" and section == "table2":
            generation = str(info.get("table2_template", "2019"))  # a 2019 表二 in a 2021 report
        for row, values in data.get(section, {}).items():
            keys = _table_keys(generation, section, row, len(values))
            if keys is None or len(keys) != len(values):
                raise ValueError(f"{path}: [{section}] {row}: not a row of the {generation} template with {len(values)} values")
            cells.update(zip(keys, values))
    statistics = load_template("pre2019").statistics
    for row, values in data.get("statistics", {}).items():  # the pre-2019 统计表: [本年度, 历年累计] or [本年度]
        if statistics is None or row not in {i.key for i in statistics.items} or len(values) not in (1, 2):
            raise ValueError(f"{path}: [statistics] {row}: not a row of the pre-2019 统计表 with 1 or 2 values")
        cells.update(zip((f"statistics.{row}.year", f"statistics.{row}.cumulative"), values))
    contradictions = [
        Contradiction(
            c["kind"], c.get("confidence", "certain"), c.get("what", ""),
            frozenset(c.get("keys", ())), frozenset(float(v) for v in c.get("values", ())),
            tuple(float(v) for v in c.get("values", ())), str(c.get("other", "")), str(c.get("quote", "")),
        )
        for c in data.get("contradiction", ())
        if c.get("kind")
    ]
    for c in contradictions:
        if c.kind not in CONTRADICTION_KINDS or c.confidence not in ("certain", "review"):
            raise ValueError(f"{path}: contradiction {c.what!r}: kind {c.kind!r} / confidence {c.confidence!r}")
    report = path.with_name(path.name.removesuffix(LABEL_SUFFIX))
    return Label(path, report, template, str(info.get("format", "?")), info.get("year"), cells, contradictions)


@dataclass
class Score:
    """Counts for one report or a group of reports."""

    reports: int = 0
    cells: Counter = field(default_factory=Counter)  # right, wrong, unread, unjudged
    errors: Counter = field(default_factory=Counter)  # true, overstated, false
    warnings: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)  # kind -> labelled certain contradictions found
    labelled: Counter = field(default_factory=Counter)  # kind -> labelled certain contradictions
    failures: int = 0

    def add(self, other: Score) -> None:
        self.reports += other.reports
        self.failures += other.failures
        for name in ("cells", "errors", "warnings", "found", "labelled"):
            getattr(self, name).update(getattr(other, name))


@dataclass
class Outcome:
    """What one labelled report gave: its score and the details behind it."""

    label: Label
    score: Score
    wrong_cells: list[str] = field(default_factory=list)
    unread_cells: list[str] = field(default_factory=list)
    false_findings: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    error: str | None = None
    facts: ReportFacts | None = None  # for the batch rules, run over all labelled reports at once
    findings: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, its rule's kind)


def _printed_number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _judge_cell(printed: object, cell) -> str:
    """right / wrong / unread / unjudged for one cell."""
    if printed == "?":
        return "unjudged"
    if cell is None or cell.status == "missing":
        return "unread"
    number = _printed_number(printed)
    if cell.status in ("number", "recovered"):
        return "right" if number is not None and abs(float(cell.value) - number) < 1e-9 else "wrong"
    if cell.status == "blank":
        return "right" if printed == "" else "wrong"
    return "right" if number is None and printed != "" else "wrong"  # non_number: a mark


def _evidence_keys(finding: Finding) -> set[str]:
    return {e.key for e in finding.evidence if e.key}


def _evidence_values(finding: Finding) -> set[float]:
    return {float(e.value) for e in finding.evidence if isinstance(e.value, (int, float))}


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def matches(finding: Finding, kind: str, contradiction: Contradiction) -> bool:
    """True when ``finding`` (of a rule of ``kind``) reports ``contradiction``: it names one of
    the contradiction's keys; or, for one without keys, it cites the stated value (the first of
    ``values``) and shows the other values in its evidence or its message; for one without
    values, its message quotes the words (``quote``); for a copy, it names the other report
    (``other``)."""
    if kind != contradiction.kind:
        return False
    if contradiction.other:
        return contradiction.other in finding.message
    if contradiction.keys:
        return bool(_evidence_keys(finding) & contradiction.keys)
    if not contradiction.values:
        return bool(contradiction.quote) and contradiction.quote in finding.message  # "统计期限自至。"
    shown = _evidence_values(finding) | {float(n) for n in _NUMBER.findall(finding.message)}
    stated, *others = contradiction.ordered
    return stated in _evidence_values(finding) and all(
        any(abs(v - s) <= max(0.051, abs(v) * 0.005) for s in shown) for v in others
    )


def evaluate(label: Label, host: PluginHost) -> Outcome:
    """Audit one labelled report and score it against its label."""
    score = Score(reports=1)
    outcome = Outcome(label, score)
    for c in label.contradictions:
        if c.confidence == "certain":
            score.labelled[c.kind] += 1
    try:
        document = read_document(label.report, host)
    except ReportReadError as exc:
        score.failures += 1
        outcome.error = exc.reason
        outcome.missed = [f"{c.kind}: {c.what}" for c in label.contradictions if c.confidence == "certain"]
        score.cells["unread"] += sum(1 for v in label.cells.values() if v != "?")
        return outcome
    result = audit_document(document, host)
    score.failures += bool(result.errors)
    cells = document.report.cells
    for key, printed in label.cells.items():
        verdict = _judge_cell(printed, cells.get(key))
        score.cells[verdict] += 1
        cell = cells.get(key)
        if verdict == "wrong":
            outcome.wrong_cells.append(f"{key}: printed {printed!r}, read {cell.value if cell.value is not None else cell.status!r} ({cell.text!r})")
        elif verdict == "unread":
            outcome.unread_cells.append(key)
    rules = host.rules()
    outcome.facts = ReportFacts.of_document(document)
    outcome.findings = [(f, rules[f.rule].kind if f.rule in rules else "reading") for f in result.findings]
    return outcome


def add_batch_findings(outcomes: list[Outcome], host: PluginHost) -> None:
    """The batch rules (cross-year, copies) over all labelled reports as one batch: each finding
    joins the outcome of the report it is about."""
    by_path = {o.facts.path: o for o in outcomes if o.facts is not None}
    batch_rules = [r for r in host.rules().values() if r.over_reports]  # the opt-in ones too
    for rule in batch_rules:
        for group in groups_of([o.facts for o in by_path.values()], rule.scope):
            found, failures = host.check_group(rule, group)
            for path, finding in found:
                by_path[path].findings.append((finding, rule.kind))
            for outcome in (by_path[r.path] for r in group.reports):
                outcome.score.failures += bool(failures)


def judge(outcome: Outcome) -> None:
    """Score the outcome's findings against its label: each finding true, overstated or false;
    each certain contradiction found or missed."""
    label, score = outcome.label, outcome.score
    unsettled = {k for k, v in label.cells.items() if v == "?"}
    for finding, kind in outcome.findings:
        if kind == "reading" or finding.severity == "info":
            continue
        cited = {e.key for e in finding.evidence if e.source == "table"}
        if cited and cited & unsettled and not any(matches(finding, kind, c) for c in label.contradictions):
            score.errors["unjudged"] += finding.severity == "error"
            continue  # it rests on a cell the printed report does not settle
        hits = [c for c in label.contradictions if matches(finding, kind, c)]
        verdict = "true" if any(c.confidence == "certain" for c in hits) else "overstated" if hits else "false"
        (score.errors if finding.severity == "error" else score.warnings)[verdict] += 1
        if verdict != "true" and (finding.severity == "error" or verdict == "false"):
            where = f"{finding.position.line}:{finding.position.column}" if finding.position else "-"
            outcome.false_findings.append(f"{verdict} {finding.severity} {finding.rule} {where} {finding.message}")
    if outcome.error:
        return
    for c in label.contradictions:
        found = any(matches(f, kind, c) for f, kind in outcome.findings if kind != "reading")
        if c.confidence == "certain" and found:
            score.found[c.kind] += 1
        elif c.confidence == "certain":
            outcome.missed.append(f"{c.kind}: {c.what}")


def labels_under(paths: list[Path]) -> list[Path]:
    """Label files of the given reports or folders (default: the whole corpus)."""
    found: list[Path] = []
    for path in paths or [ROOT / "corpora"]:
        if path.is_dir():
            found += sorted(path.rglob("*" + LABEL_SUFFIX))
        elif path.name.endswith(LABEL_SUFFIX):
            found.append(path)
        elif path.with_name(path.name + LABEL_SUFFIX).exists():
            found.append(path.with_name(path.name + LABEL_SUFFIX))
    return list(dict.fromkeys(found))


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f} %)" if whole else "–"


def print_table(title: str, groups: dict[str, Score]) -> None:
    print(f"\n{title}")
    header = f"  {'':<22}{'reports':>8}  {'cells right/wrong/unread':<26}{'errors true/overst./false':<27}precision"
    print(header)
    for name, s in groups.items():
        cells = f"{s.cells['right']}/{s.cells['wrong']}/{s.cells['unread']}"
        errors = f"{s.errors['true']}/{s.errors['overstated']}/{s.errors['false']}"
        total = s.errors["true"] + s.errors["overstated"] + s.errors["false"]
        precision = f"{100 * s.errors['true'] / total:.1f} %" if total else "–"
        print(f"  {name:<22}{s.reports:>8}  {cells:<26}{errors:<27}{precision}")


def print_recall(title: str, score: Score) -> None:
    print(f"\n{title}")
    for kind in CONTRADICTION_KINDS:
        print(f"  {kind:<22}{_ratio(score.found[kind], score.labelled[kind])}")
    print(f"  {'all':<22}{_ratio(sum(score.found.values()), sum(score.labelled.values()))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="labelled reports or folders (default: corpora/)")
    parser.add_argument("-v", "--verbose", action="store_true", help="per report: wrong cells, false errors, misses")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    host = PluginHost()
    outcomes = []
    for path in labels_under(args.paths):
        try:
            outcomes.append(evaluate(load_label(path), host))
        except ValueError as exc:
            print(f"label error: {exc}", file=sys.stderr)
            return 2
    add_batch_findings(outcomes, host)
    for outcome in outcomes:
        judge(outcome)
    by_format: dict[str, Score] = defaultdict(Score)
    by_template: dict[str, Score] = defaultdict(Score)
    total, modern, old = Score(), Score(), Score()
    for outcome in outcomes:
        by_format[outcome.label.format].add(outcome.score)
        by_template[outcome.label.template].add(outcome.score)
        total.add(outcome.score)
        if outcome.label.template != "none":
            modern.add(outcome.score)
        else:
            old.add(outcome.score)
    if args.json:
        dump = {name: {k: dict(getattr(s, k)) | ({"reports": s.reports} if k == "cells" else {})
                       for k in ("cells", "errors", "warnings", "found", "labelled")}
                for name, s in {"all": total, "2019_and_later": modern, "before_2019": old, **{f"format:{k}": v for k, v in by_format.items()},
                                **{f"template:{k}": v for k, v in by_template.items()}}.items()}
        print(json.dumps(dump, ensure_ascii=False, indent=2))
        return 0
    if args.verbose:
        for o in outcomes:
            print(f"\n== {o.label.report.relative_to(ROOT) if o.label.report.is_relative_to(ROOT) else o.label.report}"
                  f"  [{o.label.format}, {o.label.template}]")
            if o.error:
                print(f"  NOT READ: {o.error}")
            for line in o.wrong_cells:
                print(f"  wrong cell  {line}")
            if o.unread_cells:
                print(f"  unread      {len(o.unread_cells)} cells: {', '.join(o.unread_cells[:6])}{' …' if len(o.unread_cells) > 6 else ''}")
            for line in o.false_findings:
                print(f"  finding     {line}")
            for line in o.missed:
                print(f"  missed      {line}")
    print(f"\nLabelled reports: {total.reports} ({modern.reports} with 2019-or-later tables); "
          f"unreadable: {sum(1 for o in outcomes if o.error)}; with plugin failures: {total.failures}")
    print_table("By format", dict(sorted(by_format.items())))
    print_table("By template (as labelled)", dict(sorted(by_template.items())))
    print_table("All", {"all": total, "2019 and later": modern, "before 2019": old})
    print_recall("Recall of labelled contradictions (certain), 2019-and-later reports", modern)
    print_recall("Recall of labelled contradictions (certain), pre-2019 reports", old)
    print_recall("Recall of labelled contradictions (certain), all reports", total)
    warn = total.warnings
    print(f"\nWarnings (not in precision): true {warn['true']}, overstated {warn['overstated']}, false {warn['false']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
