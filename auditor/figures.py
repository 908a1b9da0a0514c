"""Stated figures of the narrative, resolved to template keys.

A figure is a number (Arabic, full-width, or Chinese numerals such as 两, 十二) with its measure
word (项, 件, 份, 条, 次, 个, 万元, %, …) and the quantity it counts, resolved to the keys of the
template cells (``review.total``) or of derived quantities (``requests.withheld.total``, see
``auditor/data/template-2021.toml``). Statements of absence ("无行政许可", "未发生行政诉讼") state
0. Numbers that are not counts (years, dates, "20 个工作日" deadlines, document numbers) are kept
with their kind and no key; so is any count whose quantity cannot be told. The resolution rules
are data: ``auditor/data/figures.toml``.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Literal


from auditor.model import Paragraph, Position, Report
from auditor.nlp import pipeline

FigureKind = Literal[
    "count", "amount", "share", "absence", "number", "change",
    "year", "date", "time", "deadline", "reference", "ordinal", "quoted",
]

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_CLAUSE_END = frozenset("，,。；;！!？?：:")
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_CHINESE = re.compile(r"^[零〇一二两三四五六七八九十百千万亿]+")
_CHINESE_DIGIT = re.compile(r"[零〇一二两三四五六七八九十]")
_STANDS_ALONE = re.compile(r"\s*(?:$|[，,。；;！!？?：:、）)\s])")  # used with match(text, pos)
_YEAR_TOKEN = re.compile(r"^(?:19|20)\d{2}$")
_FILLERS = frozenset({"的", "为", "是", " ", "了", "共", "计", "达"})


@dataclass(frozen=True)
class Quantity:
    """A quantity a narrative can state: its key, the terms naming it, the tokens one of which
    must be in the clause (``context``, empty for none), its unit (None for counts, 件) and its
    ``rank`` (a higher rank wins over a nearer term of lower rank in the same clause)."""

    key: str
    terms: tuple[str, ...]
    context: tuple[str, ...]
    unit: str | None
    rank: int = 1
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class FigureRules:
    """The resolution rules of ``auditor/data/figures.toml``."""

    measures: dict[str, tuple[str, ...]]
    unit_factors: dict[str, dict[str, float]]
    non_count: tuple[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None], ...]
    words: dict[str, frozenset[str]]
    quantities: tuple[Quantity, ...]
    max_distance: int = 8

    @cached_property
    def by_term(self) -> dict[str, list[Quantity]]:
        """Quantities by the terms that name them."""
        index: dict[str, list[Quantity]] = {}
        for q in self.quantities:
            for term in q.terms:
                index.setdefault(term, []).append(q)
        return index

    @cached_property
    def measure_pattern(self) -> re.Pattern[str]:
        """Regex matching the longest measure word at the start of a text (after spaces)."""
        words = sorted((w for ws in self.measures.values() for w in ws), key=len, reverse=True)
        return re.compile(r"\s*(" + "|".join(map(re.escape, words)) + ")")  # used with match(text, pos)

    @cached_property
    def _figure_signs(self) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
        measures = "|".join(map(re.escape, sorted((w for ws in self.measures.values() for w in ws), key=len, reverse=True)))
        numbers = re.compile(r"[0-9０-９]|[零〇一二两三四五六七八九十百千]\s*(?:" + measures + ")")
        negations = re.compile("|".join(map(re.escape, sorted(self.words["negations"], key=len, reverse=True))))
        terms = re.compile("|".join(map(re.escape, sorted(self.by_term, key=len, reverse=True))))
        return numbers, negations, terms

    def may_state_figure(self, sentence: str) -> bool:
        """True when a sentence holds a number, or a negation together with a domain term."""
        numbers, negations, terms = self._figure_signs
        return bool(numbers.search(sentence) or (negations.search(sentence) and terms.search(sentence)))

    def measure_kind(self, measure: str | None) -> str | None:
        """``count``, ``amount`` or ``share`` for a measure word; None for no measure."""
        return next((kind for kind, ws in self.measures.items() if measure in ws), None)


@cache
def load_rules() -> FigureRules:
    """The figure rules shipped with the package (read once per process)."""
    text = resources.files("auditor.data").joinpath("figures.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return FigureRules(
        measures={k: tuple(v) for k, v in data["measures"].items()},
        unit_factors=data["unit_factors"],
        non_count=tuple(
            (
                e["kind"],
                re.compile(e["after"].removeprefix("^")) if "after" in e else None,  # match(text, pos)
                re.compile(e["before"]) if "before" in e else None,
            )
            for e in data["non_count"]
        ),
        words={k: frozenset(v) for k, v in data["words"].items()},
        quantities=tuple(
            Quantity(
                q["key"], tuple(q["terms"]), tuple(q.get("context", ())), q.get("unit"), q.get("rank", 1),
                tuple(q.get("exclude", ())),
            )
            for q in data["quantity"]
        ),
        max_distance=data["limits"]["max_term_distance"],
    )


@dataclass(frozen=True)
class Figure:
    """A number stated in the narrative.

    ``value`` is in the unit of the quantity (万元 for ``active.fees.amount``, 元 for the
    information processing fee, 件 for counts); ``unit`` is the measure word as printed (None when
    none was printed). ``key`` is the template or derived key, or None when unresolved.
    ``period`` is ``other`` when the clause speaks of another year; ``scope`` names a scope word
    (备案, 受理, …) in the clause. ``text`` is the words that state the figure.
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
    paragraph: int = 0  # index of the paragraph in Report.paragraphs
    start: int = 0  # offsets of ``text`` in the paragraph's text
    end: int = 0

    @property
    def comparable(self) -> bool:
        """True when the figure may be compared with tables and other figures."""
        return self.key is not None and self.period == "current" and self.kind in ("count", "amount", "absence")


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


def _number_value(text: str) -> int | float:
    if len(text) > 15:
        raise ValueError("too long for a count")
    if _ARABIC.fullmatch(text):
        return float(text) if "." in text else int(text)
    import cn2an

    return cn2an.cn2an(text, "smart")


def extract_figures(report: Report) -> list[Figure]:
    """Every figure stated in the report's narrative paragraphs, in reading order.

    Only sentences that can state a figure are tokenized: those with a digit, a Chinese numeral
    before a measure word, or a negation together with a domain term. The others (most of a
    report's prose) cannot hold one, and jieba is the costly step.
    """
    from spacy.attrs import IDX, LENGTH

    nlp, rules = pipeline(), load_rules()
    texts = [p.text.translate(_FULL_WIDTH) for p in report.paragraphs]
    pieces = [(i, start, sentence) for i, text in enumerate(texts) for start, sentence in _sentences(text, rules)]
    tokens_of: dict[int, list[_Token]] = {}
    for (index, start, sentence), doc in zip(pieces, nlp.pipe(sentence for _, _, sentence in pieces)):
        spans = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
        tokens = tokens_of.setdefault(index, [])
        for idx, length in spans:
            word = sentence[idx : idx + length]  # the Doc's text (doc.text rebuilds it on each call)
            if word.strip():
                tokens.append(_Token(word, start + idx, start + idx + length))
    figures: list[Figure] = []
    for index, paragraph in enumerate(report.paragraphs):
        if index in tokens_of:
            figures.extend(_paragraph_figures(paragraph, index, texts[index], tokens_of[index], report.year, rules))
    return figures


_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*|[。！？；!?;]+")


MAX_SENTENCE = 2000  # longer "sentences" (tables run together, lists without full stops) are cut


def _sentences(text: str, rules: FigureRules) -> Iterable[tuple[int, str]]:
    """(offset, sentence) for each sentence of ``text`` that can state a figure; a very long one
    is cut at its clause marks, or at ``MAX_SENTENCE`` characters when it has none."""
    for match in _SENTENCE.finditer(text):
        for offset, piece in _pieces(match.start(), match.group()):
            if rules.may_state_figure(piece):
                yield offset, piece


def _pieces(offset: int, sentence: str) -> Iterable[tuple[int, str]]:
    if len(sentence) <= MAX_SENTENCE:
        yield offset, sentence
        return
    start = 0
    for mark in re.finditer(r"[，,、：:]", sentence):
        if mark.end() - start >= MAX_SENTENCE // 2:
            yield from _pieces(offset + start, sentence[start : mark.end()]) if mark.end() - start > MAX_SENTENCE else [(offset + start, sentence[start : mark.end()])]
            start = mark.end()
    rest = sentence[start:]
    for i in range(0, len(rest), MAX_SENTENCE):
        yield offset + start + i, rest[i : i + MAX_SENTENCE]


def paragraph_figures(text: str, year: int | None = None, section: str | None = None) -> list[Figure]:
    """Figures of one paragraph of text (positions: line 1, column = offset + 1)."""
    paragraph = Paragraph(text, section, ((0, Position(1, 1)),))
    report = Report("<text>", None, None, year, "2021", paragraphs=[paragraph])
    return extract_figures(report)


def _clauses(tokens: list[_Token]) -> Iterable[list[_Token]]:
    """Tokens cut at clause marks (，。；…); a comma between digits ("2,637") is no mark."""
    clause: list[_Token] = []
    for i, token in enumerate(tokens):
        thousands = (
            token.text == "," and 0 < i < len(tokens) - 1 and tokens[i - 1].text[-1:].isdigit()
            and re.fullmatch(r"\d{3}(?:\D.*)?", tokens[i + 1].text) is not None
        )
        if token.text in _CLAUSE_END and not thousands:
            if clause:
                yield clause
            clause = []
        else:
            clause.append(token)
    if clause:
        yield clause


def _paragraph_figures(
    paragraph: Paragraph, index: int, text: str, tokens: list[_Token], year: int | None, rules: FigureRules
) -> Iterable[Figure]:
    for clause in _clauses(tokens):
        yield from _clause_figures(paragraph, index, text, clause, year, rules)


@dataclass(frozen=True)
class _Number:
    value: int | float
    start: int
    end: int  # end of the measure word, or of the number when none
    index: int  # token index in the clause
    measure: str | None
    kind: str


_NUMBER_TEXT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+")


def _numbers(text: str, clause: list[_Token], rules: FigureRules) -> list[_Number]:
    """Numbers of a clause, read from its text (so that "2,637" and "两千六百三十七", which jieba
    cuts into several tokens, stay one number), each placed at the token where it starts."""
    found: list[_Number] = []
    measure_re = rules.measure_pattern
    starts = [t.start for t in clause]
    for match in _NUMBER_TEXT.finditer(text, clause[0].start, clause[-1].end):
        start, end, raw = match.start(), match.end(), match.group()
        i = bisect_right(starts, start) - 1
        if i < 0 or start >= clause[i].end:
            continue  # between tokens: not part of the clause's words
        measure = measure_re.match(text, end)
        if not raw[0].isdigit():
            if measure is None or not _CHINESE_DIGIT.search(raw) or (start > 0 and text[start - 1].isdigit()):
                continue  # 一是…, 统一…: Chinese numerals count only with a measure word
        kind = _non_count_kind(text, start, end, raw, rules)
        if kind is None:
            if measure is not None:
                kind = rules.measure_kind(measure.group(1)) or "count"
            elif _STANDS_ALONE.match(text, end):
                kind = "count"
            else:
                kind = "number"
        stop = measure.end() if measure else end
        try:
            value = _number_value(raw.replace(",", ""))
        except ValueError:
            continue
        found.append(_Number(value, start, stop, i, measure.group(1) if measure else None, kind))
    return found


def _non_count_kind(text: str, start: int, end: int, raw: str, rules: FigureRules) -> str | None:
    for kind, after, before in rules.non_count:
        if after is not None and after.match(text, end):
            if kind == "year" and not _YEAR_TOKEN.match(raw):
                return "number"
            return kind
        if before is not None and before.search(text[max(0, start - 8) : start]):
            return kind
    return None


def _clause_figures(
    paragraph: Paragraph, index: int, text: str, clause: list[_Token], year: int | None, rules: FigureRules
) -> Iterable[Figure]:
    words = rules.words
    texts = {t.text for t in clause}
    period = "other" if texts & words["other_period"] or any(
        _YEAR_TOKEN.match(t.text) and year is not None and int(t.text) != year
        and text[t.end : t.end + 4].lstrip().startswith("年")
        for t in clause
    ) else "current"
    scope = next((t.text for t in clause if t.text in words["scope_words"]), None)
    numbers = _numbers(text, clause, rules)

    def figure(value, unit, kind, key, start, end, at) -> Figure:
        return Figure(
            value, unit, kind, key, text[start:end].strip(), paragraph.position_at(at),
            paragraph.section, period, scope, index, start, end,
        )

    yield from _absences(clause, numbers, texts, rules, figure)
    window_start = 0
    for n in numbers:
        before = clause[window_start : n.index]
        window_start = n.index + 1
        while window_start < len(clause) and clause[window_start].start < n.end:
            window_start += 1
        if n.kind not in ("count", "amount"):
            yield figure(n.value, n.measure, n.kind, None, n.start, n.end, n.start)
            continue
        near = [t.text for t in before if t.text not in _FILLERS][-2:]
        if any(w in words["change_words"] for w in near):
            yield figure(n.value, n.measure, "change", None, n.start, n.end, n.start)
            continue
        if window_start < len(clause) and clause[window_start].text in words["counted_nouns"]:
            yield figure(n.value, n.measure, n.kind, None, n.start, n.end, n.start)
            continue  # "六个部分": the number counts the noun after it
        after = _after_term(clause, window_start, rules)
        cut = max((i + 1 for i, t in enumerate(before) if t.text in words["breakers"]), default=0)
        candidates = _candidates(before[cut:], after, clause, rules)
        if not candidates:
            yield figure(n.value, n.measure, n.kind, None, n.start, n.end, n.start)
            continue
        if near and near[-1] in words["distributive"]:
            chosen = sorted({c.quantity.key: c for c in sorted(candidates)}.values(), key=lambda c: c.token.start)
        else:
            best = min(candidates)
            if _joined(best, candidates, clause, words["conjunctions"]):
                yield figure(n.value, n.measure, n.kind, None, n.start, n.end, n.start)
                continue
            chosen = [best]
        for candidate in chosen:
            value = _in_unit(n.value, n.measure, candidate.quantity, rules)
            if value is None:
                continue
            start, end = min(candidate.token.start, n.start), max(candidate.token.end, n.end)
            yield figure(value, n.measure, n.kind, candidate.quantity.key, start, end, n.start)


@dataclass(frozen=True, order=True)
class _Candidate:
    """A reading of a number: the smallest (highest rank, nearest, context-backed, longest term) wins."""

    rank: int  # negated Quantity.rank
    distance: int
    preference: tuple[int, int, int]  # context missing, context distance, -term length
    quantity: Quantity = field(compare=False)
    token: _Token = field(compare=False)


def _joined(best: _Candidate, candidates: list[_Candidate], clause: list[_Token], conjunctions: frozenset[str]) -> bool:
    """True when another quantity of the same rank is joined to the chosen one by 及/和/、."""
    index = {id(t): i for i, t in enumerate(clause)}
    at = index[id(best.token)]
    for other in candidates:
        if other.quantity.key == best.quantity.key or other.rank != best.rank:
            continue
        lo, hi = sorted((at, index[id(other.token)]))
        between = [t.text for t in clause[lo + 1 : hi]]
        if between and all(t in conjunctions for t in between):
            return True
    return False


def _after_term(clause: list[_Token], index: int, rules: FigureRules) -> _Token | None:
    """The term right after a number's measure word ("发 0 份规范性文件"), if any."""
    while index < len(clause) and clause[index].text in _FILLERS:
        index += 1
    if index < len(clause) and clause[index].text in rules.by_term:
        return clause[index]
    return None


def _candidates(
    before: Sequence[_Token], after: _Token | None, clause: list[_Token], rules: FigureRules
) -> list[_Candidate]:
    """A candidate reading for every quantity a term near ``n`` names."""
    by_term = rules.by_term
    found = []
    placed = [(len(before) - j, t) for j, t in enumerate(before) if len(before) - j <= rules.max_distance]
    if after is not None:
        placed.append((0, after))
    for distance, token in placed:
        for quantity in by_term.get(token.text, ()):
            near = _context_distance(quantity, token, clause)
            if near is None:
                continue
            preference = (0 if quantity.context else 1, near, -len(token.text))
            found.append(_Candidate(-quantity.rank, distance, preference, quantity, token))
    return found


def _context_distance(quantity: Quantity, term: _Token, clause: list[_Token]) -> int | None:
    """Tokens between the term and the nearest context word of the quantity (0 when the
    quantity needs none); None when it needs one and the clause has none, or the clause holds
    one of the quantity's ``exclude`` words."""
    if quantity.exclude and any(t.text in quantity.exclude for t in clause):
        return None
    if not quantity.context:
        return 0
    at = next(i for i, t in enumerate(clause) if t is term)
    gaps = [abs(i - at) for i, t in enumerate(clause) if t.text in quantity.context]
    return min(gaps) if gaps else None


def _in_unit(value, measure, quantity: Quantity, rules: FigureRules):
    """``value`` in the quantity's unit; None when the measure word does not fit the quantity."""
    kind = rules.measure_kind(measure)
    if quantity.unit is None:
        return value if kind in (None, "count") else None
    if measure is None:
        return value
    factor = rules.unit_factors.get(quantity.unit, {}).get(measure)
    return None if factor is None else round(value * factor, 6)


def _absences(clause, numbers, texts, rules: FigureRules, figure) -> Iterable[Figure]:
    """Figures of 0 for what a negation (无, 未发生, …) denies: the head term of its phrase and
    the terms enumerated with it. In "未发生因依申请公开被行政复议纠错或行政诉讼败诉情形" the denied
    things are 纠错 and 败诉; 依申请公开, 行政复议 and 行政诉讼 only qualify them."""
    by_term = rules.by_term
    conjunctions = rules.words["conjunctions"] | {"或", "或者"}
    for k, token in enumerate(clause):
        if token.text not in rules.words["negations"]:
            continue
        stop = min((n.index for n in numbers if n.index > k), default=len(clause))
        scope = clause[k + 1 : stop]
        usable = {
            t.text: [q for q in by_term.get(t.text, ()) if _context_distance(q, t, clause) is not None]
            for t in scope
        }
        heads = _denied_terms(scope, {w for w, qs in usable.items() if qs}, conjunctions)
        seen = set()
        for term in heads:
            options = usable[term.text]
            quantity = min(options, key=lambda q: (0 if q.context else 1, _context_distance(q, term, clause)))
            if quantity.key in seen:
                continue
            seen.add(quantity.key)
            yield figure(0, None, "absence", quantity.key, token.start, term.end, token.start)


def _denied_terms(scope: list[_Token], by_term: set[str], conjunctions: frozenset[str]) -> list[_Token]:
    """The head term of a negated phrase and the heads of the terms enumerated before it.

    Walking back from the last term: a term right before a term only qualifies it (行政复议纠错);
    a conjunction (、 和 或 及), optionally followed by one verb (、提起行政诉讼), links an earlier
    head."""
    positions = [i for i, t in enumerate(scope) if t.text in by_term]
    if not positions:
        return []
    heads, i = [], positions[-1]
    while i >= 0:
        heads.append(scope[i])
        j = i - 1
        while j >= 0 and scope[j].text in by_term:  # qualifiers of this head
            j -= 1
        if j >= 1 and scope[j].text not in conjunctions and scope[j - 1].text in conjunctions:
            j -= 1  # "、提起行政诉讼": one verb after the conjunction
        if j < 1 or scope[j].text not in conjunctions or scope[j - 1].text not in by_term:
            break
        i = j - 1
    return heads[::-1]
