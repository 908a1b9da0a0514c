"""Stated figures of the narrative, resolved to template keys (see the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from auditor.figures.absence import absences
from auditor.figures.linking import FILLERS, Context, after_term, candidates, in_unit, joined, supports
from auditor.figures.numbers import FULL_WIDTH, Token, clauses, is_year_token, numbers, sentences
from auditor.figures.rules import FigureRules, load_rules
from auditor.model import Paragraph, Position, Report
from auditor.nlp import pipeline

FigureKind = Literal[
    "count", "amount", "share", "absence", "number", "change",
    "year", "date", "time", "deadline", "reference", "ordinal", "quoted",
]


@dataclass(frozen=True)
class Figure:
    """A number stated in the narrative.

    ``value`` is in the unit of the quantity (万元 for ``active.fees.amount``, 元 for the
    information processing fee, 件 for counts); ``unit`` is the measure word as printed (None when
    none was printed). ``key`` is the template or derived key, or None when unresolved.
    ``period`` is ``other`` when the clause speaks of another year; ``scope`` names a scope word
    (备案, 受理, …) in the clause. ``text`` is the words that state the figure; ``paragraph`` the
    index of its paragraph in ``Report.paragraphs`` and ``start``/``end`` its offsets there.
    """

    value: int | float
    unit: str | None
    kind: FigureKind
    key: str | None
    text: str
    position: Position
    section: str | None
    period: Literal["current", "other"] = "current"
    scope: str | None = None
    paragraph: int = 0
    start: int = 0
    end: int = 0

    @property
    def comparable(self) -> bool:
        """True when the figure may be compared with tables and other figures."""
        return self.key is not None and self.period == "current" and self.kind in ("count", "amount", "absence")


def tokenizer(rules: FigureRules | None = None):
    """The spaCy pipeline (jieba segmenter) with the vocabulary of ``rules`` (default: the shipped
    figure rules), built once per process and vocabulary."""
    return pipeline((rules or load_rules()).vocabulary)


def extract_figures(report: Report, rules: FigureRules | None = None) -> list[Figure]:
    """Every figure stated in the report's narrative paragraphs, in reading order, read with
    ``rules`` (default: the shipped figure rules; a host passes them with its plugins' vocabulary).

    Only sentences that can state a figure are tokenized: those with a digit, a Chinese numeral
    before a measure word, or a negation together with a domain term. The others (most of a
    report's prose) cannot hold one, and jieba is the costly step.
    """
    from spacy.attrs import IDX, LENGTH

    rules = rules or load_rules()
    nlp = tokenizer(rules)
    texts = [p.text.translate(FULL_WIDTH) for p in report.paragraphs]
    found = [(i, start, sentence) for i, text in enumerate(texts) for start, sentence in sentences(text, rules)]
    tokens_of: dict[int, list[Token]] = {}
    for (index, start, sentence), doc in zip(found, nlp.pipe(sentence for _, _, sentence in found)):
        spans = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
        tokens = tokens_of.setdefault(index, [])
        for idx, length in spans:
            word = sentence[idx : idx + length]  # the Doc's text (doc.text rebuilds it on each call)
            if word.strip():
                tokens.append(Token(word, start + idx, start + idx + length))
    figures: list[Figure] = []
    for index, paragraph in enumerate(report.paragraphs):
        if index in tokens_of:
            context = Context(texts[index], paragraph.section)
            for clause in clauses(tokens_of[index]):
                figures.extend(_clause_figures(paragraph, index, context, clause, report.year, rules))
    return figures


def paragraph_figures(text: str, year: int | None = None, section: str | None = None) -> list[Figure]:
    """Figures of one paragraph of text (positions: line 1, column = offset + 1); ``section`` is
    the heading it stands under."""
    paragraph = Paragraph(text, section, ((0, Position(1, 1)),))
    report = Report("<text>", None, None, year, "2021", paragraphs=[paragraph])
    return extract_figures(report)


_SINCE = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:以来|至今|[至到—－-]\s*(?:19|20)\d{2}\s*年)")


def _period(clause: list[Token], text: str, year: int | None, rules: FigureRules) -> Literal["current", "other"]:
    if {t.text for t in clause} & rules.words["other_period"]:
        return "other"
    if clause:
        # "近3年来，我局因政府信息公开共被申请行政复议2件": a span of years heads the sentence, not the clause
        start = max(text.rfind(mark, 0, clause[0].start) for mark in "。；;！？!?") + 1
        if rules.other_period_span.search(text, start, clause[-1].end):
            return "other"
        for since in _SINCE.finditer(text, start, clause[-1].end):  # "2020年以来", "2020年至2022年" in a report on 2022
            if year is not None and int(since.group(1)) < year:
                return "other"
    for t in clause:
        if is_year_token(t.text) and year is not None and int(t.text) != year and text[t.end : t.end + 4].lstrip().startswith("年"):
            return "other"
    return "current"


def _clause_figures(
    paragraph: Paragraph, index: int, context: Context, clause: list[Token], year: int | None, rules: FigureRules
) -> Iterable[Figure]:
    words, text = rules.words, context.text
    period = _period(clause, text, year, rules)
    scope = next((t.text for t in clause if t.text in words["scope_words"]), None)
    found = numbers(text, clause, rules)

    marked = next((t.text for t in clause if t.text in words["part_markers"]), None)
    if marked is None and clause:  # "其中，重复申请的…": the marker is the clause before
        before = text[max(0, clause[0].start - 6) : clause[0].start].rstrip(" ，,")
        marked = next((m for m in words["part_markers"] if before.endswith(m)), None)

    def figure(value, unit, kind, key, start, end, at) -> Figure:
        # "其中通过网上平台提交的政府信息公开申请28件": a whole's quantity after 其中 counts a part of it
        part = marked if key in words["whole_quantities"] and marked and scope is None else None
        return Figure(
            value, unit, kind, key, text[start:end].strip(), paragraph.position_at(at),
            paragraph.section, period, scope or part, index, start, end,
        )

    yield from absences(clause, found, context, rules, figure)
    window_start = 0
    for n in found:
        before = clause[window_start : n.index]
        window_start = n.index + 1
        while window_start < len(clause) and clause[window_start].start < n.end:
            window_start += 1
        unresolved = figure(n.value, n.measure, n.kind, None, n.start, n.end, n.start)
        if n.kind not in ("count", "amount"):
            yield unresolved
            continue
        near = [t.text for t in before if t.text not in FILLERS][-2:]
        if any(w in words["change_words"] for w in near):
            yield figure(n.value, n.measure, "change", None, n.start, n.end, n.start)
            continue
        if window_start < len(clause) and clause[window_start].text in words["counted_nouns"]:
            yield unresolved  # "六个部分": the number counts the noun after it
            continue
        after = after_term(clause, window_start, rules)
        cut = max((i + 1 for i, t in enumerate(before) if t.text in words["breakers"]), default=0)
        found_readings = candidates(before[cut:], after, clause, rules)
        if not found_readings:
            yield unresolved
            continue
        if near and near[-1] in words["distributive"]:
            chosen = sorted({c.quantity.key: c for c in sorted(found_readings)}.values(), key=lambda c: c.token.start)
        else:
            best = min(found_readings)
            partner = joined(best, found_readings, clause, words["conjunctions"])
            if partner is not None:
                combined = rules.combinations.get(frozenset((best.quantity.key, partner.quantity.key)))
                if combined is None:
                    yield unresolved  # "A及B 42 件" states their sum, of no quantity we know
                    continue
                best = replace(best, quantity=replace(best.quantity, key=combined),
                               token=partner.token if partner.token.start < best.token.start else best.token)
            chosen = [best]
        resolved = False
        for candidate in chosen:
            value = in_unit(n.value, n.measure, candidate.quantity, rules)
            span_start = before[0].start if before else n.start
            if value is None or not supports(candidate.quantity, span_start, n, clause, context, rules):
                continue
            start, end = min(candidate.token.start, n.start), max(candidate.token.end, n.end)
            resolved = True
            yield figure(value, n.measure, n.kind, candidate.quantity.key, start, end, n.start)
        if not resolved:
            yield unresolved
