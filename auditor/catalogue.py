"""The rule catalogue as text, Markdown (``docs/rules.md``) and JSON, from the rules' own metadata.

The page's opening (what IDs promise, the logic every rule shares) is data:
``auditor/data/catalogue-intro.md``. Everything else comes from the registered rules, so the page
cannot drift from the code; ``tests/test_catalogue.py`` fails when ``docs/rules.md`` is stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import Any

from auditor.i18n import Message, gettext_for, join
from auditor.rules import Example, Rule


def rule_title(rule: Rule, lang: str = "en") -> str:
    """The rule's title in ``lang``: its name (a slug) in English, a short title from the catalog
    in Chinese ("narrative-table-mismatch" → 正文与表格不一致)."""
    return gettext_for(lang, rule.name)


def rule_description(rule: Rule, lang: str = "en") -> str:
    """The rule's one-line description in ``lang`` (English when the catalog lacks it)."""
    return gettext_for(lang, rule.description)


def rule_rationale(rule: Rule, lang: str = "en") -> str:
    """The rule's rationale in ``lang`` (English when the catalog lacks it)."""
    return gettext_for(lang, rule.rationale)


def rule_source(rule: Rule, lang: str = "en") -> str:
    """The template clause or 勾稽关系 behind the rule, in ``lang`` (English when the catalog lacks it)."""
    return gettext_for(lang, rule.source)


def _generations(rule: Rule) -> str:
    return ", ".join(rule.generations)


def _example_lines(example: Example) -> list[Message]:
    lines = []
    if example.file:
        lines.append(Message("report `{file}`", file=example.file))
    if example.text:
        shown = " / ".join(line.strip() for line in example.text.strip().splitlines() if line.strip())
        lines.append(Message("report text: {text}", text=shown[:300] + ("…" if len(shown) > 300 else "")))
    if example.paragraphs:
        lines.append(Message("narrative: {text}", text=" ".join(f"“{p}”" for p in example.paragraphs)))
    if example.cells:
        lines.append(Message("cells: {cells}", cells=", ".join(f"`{k}` = {v}" for k, v in example.cells.items())))
    for report in example.reports:
        shown = report.file or (f"{report.agency} {report.year}: " + ", ".join(
            [*(f"`{k}` = {v}" for k, v in report.cells.items()), *(f"“{p}”" for p in report.paragraphs)]))
        lines.append(Message("report {report}", report=shown))
    if example.options:
        lines.append(Message("options: {options}", options=", ".join(f"`{k}` = {v!r}" for k, v in example.options.items())))
    if example.note:
        lines.append(Message("— {note}", note=example.note))
    return lines


def rule_markdown(rule: Rule, lang: str = "en") -> str:
    """One rule's section of the catalogue page, in ``lang`` (the page docs/rules.md is English)."""
    severity = gettext_for(lang, rule.severity)
    parts = [f"## {rule.id} {rule_title(rule, lang)} ({severity})", "", rule_description(rule, lang), ""]
    if rule.rationale and rule.rationale != rule.description:
        parts += [rule_rationale(rule, lang).replace("``", "`"), ""]  # a docstring's reST literals as Markdown
    facts = [Message("- Plugin: `{plugin}`; kind: `{kind}`; template generations: {generations}",
                     plugin=rule.plugin or "?", kind=rule.kind, generations=_generations(rule))]
    if rule.over_reports:
        facts.append((Message("- Runs over a batch, once per body") if rule.scope == "batch"
                      else Message("- Runs once over a whole batch"))
                     + (Message(" (opt-in: `--extend-select {id}`)", id=rule.id) if rule.opt_in else ""))
    elif rule.opt_in:
        facts.append(Message("- Opt-in: `--extend-select {id}`", id=rule.id))
    if rule.source:
        facts.append(Message("- Source: {source}", source=rule_source(rule, lang)))
    if rule.options:
        facts.append(Message("- Options: {options}", options=", ".join(f"`{k}` (default `{v!r}`)" for k, v in rule.options.items())))
    parts += [f.translate(lang) for f in facts]
    for example in rule.examples:
        lines = join(_example_lines(example), "; ").translate(lang)
        head = Message("- Example, fires: ") if example.fires else Message("- Example, stays quiet: ")
        parts.append((head.translate(lang) + lines).replace("; —", " —").replace("；—", " —"))
    return "\n".join(parts) + "\n"


def relations_markdown() -> str:
    """The template's arithmetic as the template files declare it (``[[relations]]``), which
    A001–A004, the flattened-row recovery and the test generator read."""
    from auditor.template import load_template

    lines = ["## The template's arithmetic", "",
             "Declared once, as `[[relations]]` in `auditor/data/template-2021.toml` (the 2019 试行 template "
             "inherits them); each holds per member of its scope, left side = right side:", ""]
    for relation in load_template("2021").relations.values():
        lines.append(f"- `{relation.name}` (per {relation.per}): {relation.clause}")
    return "\n".join(lines) + "\n"


def rules_markdown(rules: Iterable[Rule]) -> str:
    """The whole catalogue page: the opening, the template's arithmetic, then every rule in ID order."""
    intro = resources.files("auditor.data").joinpath("catalogue-intro.md").read_text("utf-8").rstrip()
    sections = [rule_markdown(r) for r in sorted(rules, key=lambda r: r.id)]
    return intro + "\n\n" + relations_markdown() + "\n" + "\n".join(sections)


def rule_text(rule: Rule, lang: str = "en") -> str:
    """One rule in full for a terminal (``auditor rules ID``), in ``lang``."""
    return rule_markdown(rule, lang).replace("## ", "", 1).rstrip()


def rule_json(rule: Rule, lang: str = "en") -> dict[str, Any]:
    """One rule's catalogue entry as JSON (its function left out); ``title``, ``description``
    and ``rationale`` in ``lang``, ``name`` the stable slug."""
    return {
        "id": rule.id, "name": rule.name, "title": rule_title(rule, lang), "severity": rule.severity,
        "description": rule_description(rule, lang), "kind": rule.kind, "rationale": rule_rationale(rule, lang),
        "source": rule_source(rule, lang), "generations": list(rule.generations),
        "options": dict(rule.options), "plugin": rule.plugin,
        "examples": [{"fires": e.fires, "file": e.file, "text": e.text, "paragraphs": list(e.paragraphs), "cells": dict(e.cells),
                      "year": e.year, "options": dict(e.options), "note": e.note,
                      "reports": [{"file": r.file, "text": r.text, "paragraphs": list(r.paragraphs), "cells": dict(r.cells),
                                   "year": r.year, "agency": r.agency} for r in e.reports]} for e in rule.examples],
    }
