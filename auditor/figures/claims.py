"""Claims in words: phrases that state a value without a number ("均获维持" — every case was
upheld; "均已办结" — nothing carried forward; "全部予以公开"; "零败诉").

Each claim of ``auditor/data/figures.toml`` (``[[claim]]``) is a pattern, the domain its
statement must be about (the sentence or its section shows it, as for figures: "均已办结" about
12345 hotline calls is no claim about requests), and the cells that must be 0 for it to hold.
"{group}" in a cell key stands for each 表四 group the sentence names (复议 → 行政复议; 诉讼 →
both litigation groups), all three when it names none. Statements of absence ("未收到…申请") are
figures of 0 (``auditor.figures.absence``), not claims of this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from auditor.figures.linking import Context, in_context
from auditor.figures.numbers import FULL_WIDTH
from auditor.figures.rules import FigureRules, load_rules
from auditor.model import Position, Report

_GROUP_WORDS = {"复议": ("review",), "诉讼": ("litigation_direct", "litigation_after_review"),
                "起诉": ("litigation_direct", "litigation_after_review")}
_ALL_GROUPS = ("review", "litigation_direct", "litigation_after_review")


@dataclass(frozen=True)
class Claim:
    """A claim in words: its ``name`` and ``label`` (the catalogue's wording), the words that
    state it, where, the cell keys (patterns with ``*`` allowed) that must all be 0, and whether
    its wording is ``weak`` (a qualifier such as 按要求 lets it mean something narrower)."""

    name: str
    label: str
    text: str
    position: Position
    paragraph: int
    start: int
    end: int
    zero: tuple[str, ...]
    weak: bool = False


@dataclass(frozen=True)
class _ClaimRule:
    name: str
    label: str
    pattern: re.Pattern[str]
    domain: str
    zero: tuple[str, ...]
    weak: re.Pattern[str] | None


@cache
def _claim_rules() -> tuple[_ClaimRule, ...]:
    data = load_rules().claims
    return tuple(
        _ClaimRule(c["name"], c["label"], re.compile(c["pattern"]), c["domain"], tuple(c["zero"]),
                   re.compile(c["weak"]) if "weak" in c else None)
        for c in data
    )


def extract_claims(report: Report, rules: FigureRules | None = None) -> list[Claim]:
    """Every claim in words of the report's narrative, in reading order (its context judged with
    ``rules``' domains; default: the shipped figure rules)."""
    rules = rules or load_rules()
    found = []
    for index, paragraph in enumerate(report.paragraphs):
        text = paragraph.text.translate(FULL_WIDTH)
        context = Context(text, paragraph.section)
        for rule in _claim_rules():
            zero_of: dict[tuple[int, int], tuple[str, ...]] = {}  # by sentence: read each once
            for match in rule.pattern.finditer(text):
                if not in_context(rules.domains[rule.domain], match.start(), context):
                    continue
                bounds = context.sentence_bounds(match.start(), previous=False)
                if bounds not in zero_of:
                    zero_of[bounds] = _keys(rule.zero, text[bounds[0] : bounds[1]])
                zero = zero_of[bounds]
                weak = rule.weak is not None and rule.weak.search(match.group()) is not None
                found.append(Claim(rule.name, rule.label, match.group(), paragraph.position_at(match.start()),
                                   index, match.start(), match.end(), zero, weak))
    return sorted(found, key=lambda c: (c.paragraph, c.start))


def _keys(patterns: tuple[str, ...], sentence: str) -> tuple[str, ...]:
    groups = tuple(dict.fromkeys(g for word, gs in _GROUP_WORDS.items() if word in sentence for g in gs)) or _ALL_GROUPS
    keys: list[str] = []
    for pattern in patterns:
        keys += [pattern.replace("{group}", g) for g in groups] if "{group}" in pattern else [pattern]
    return tuple(keys)
