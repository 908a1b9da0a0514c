"""Which quantity a count states: the terms near it, then the evidence that the statement is
about what that quantity counts.

A term ("办理", "行政复议", "规范性文件") proposes quantities; the nearest term of the highest rank
wins (``candidates``). The proposal stands only when the statement is about the thing the
quantity's domain counts (``supports``): the noun the number counts must be of a class the domain
accepts ("办理政协提案 12 件" counts 提案, never requests), the measure word must fit (requests are
never counted in 条), and when no counted noun is printed the sentence (or the one before it) or
the (sub)section it stands in must show the domain ("（二）依申请公开", "…政府信息公开申请…"). Weak evidence leaves the
figure unresolved: an unresolved figure costs nothing, a wrong link costs the user's trust.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from auditor.figures.numbers import Number, Token
from auditor.figures.rules import Domain, FigureRules, Quantity

FILLERS = frozenset({"的", "为", "是", " ", "了", "共", "计", "达"})
_SENTENCE_END = re.compile(r"[。！？!?]")
_SUBSECTION = re.compile(r"[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）]\s*([^，,。；;：:、\s（(]{2,24})")


@dataclass(frozen=True)
class Context:
    """Where a clause stands: its paragraph's text and the heading the paragraph is under. The
    paragraph's sentence ends and subsection markers are found once (a paragraph of crawled text
    can be a whole report), then looked up by position."""

    text: str
    heading: str | None

    @cached_property
    def _sentence_ends(self) -> list[int]:
        return [m.end() for m in _SENTENCE_END.finditer(self.text)]

    @cached_property
    def _subsections(self) -> tuple[list[int], list[str]]:
        found = [(m.start(), m.group(1)) for m in _SUBSECTION.finditer(self.text)]
        return [at for at, _ in found], [title for _, title in found]

    @cached_property
    def _shown(self) -> dict[tuple[str, int, int], bool]:
        return {}

    def sentence_bounds(self, offset: int, previous: bool = True) -> tuple[int, int]:
        """The start and end (character offsets in ``text``) of ``sentence(offset, previous)``."""
        ends = self._sentence_ends
        i = bisect_right(ends, offset)
        back = 2 if previous else 1
        start = ends[i - back] if i >= back else 0
        end = ends[i] if i < len(ends) else len(self.text)
        return start, end

    def sentence(self, offset: int, previous: bool = True) -> str:
        """The full sentence (to 。！？) holding ``offset``, with the sentence before it unless
        ``previous`` is False."""
        start, end = self.sentence_bounds(offset, previous)
        return self.text[start:end]

    def _subsection_index(self, offset: int) -> int:
        return bisect_right(self._subsections[0], offset - 1)

    def section_at(self, offset: int) -> str:
        """The title of the innermost (sub)section at ``offset``: the last "（二）依申请公开…"
        marker before it in the paragraph (crawled text runs subsections together), else the
        heading the paragraph stands under."""
        i = self._subsection_index(offset)
        return self._subsections[1][i - 1] if i else self.heading or ""

    def shows(self, domain: Domain, offset: int) -> bool:
        """True when the sentence at ``offset`` (or the one before it) holds one of the domain's
        ``sentence`` words, or its (sub)section title one of its ``sections`` words. Judged once
        per domain, sentence and section: a paragraph that is one long sentence (crawled text
        without 。) costs its length once per domain, not once per figure."""
        start, _ = self.sentence_bounds(offset)
        key = (domain.name, start, self._subsection_index(offset))
        shown = self._shown.get(key)
        if shown is None:
            sentence = self.sentence(offset)
            shown = any(word in sentence for word in domain.sentence) or any(
                word in self.section_at(offset) for word in domain.sections
            )
            self._shown[key] = shown
        return shown


@dataclass(frozen=True, order=True)
class Candidate:
    """A reading of a number: the smallest (highest rank, nearest, context-backed, longest term) wins."""

    rank: int  # negated Quantity.rank
    distance: int
    preference: tuple[int, int, int]  # context missing, context distance, -term length
    quantity: Quantity = field(compare=False)
    token: Token = field(compare=False)


def candidates(before: Sequence[Token], after: Token | None, clause: list[Token], rules: FigureRules) -> list[Candidate]:
    """A candidate reading for every quantity a term near the number names."""
    by_term = rules.by_term
    found = []
    placed = [(len(before) - j, t) for j, t in enumerate(before) if len(before) - j <= rules.max_distance]
    if after is not None:
        placed.append((0, after))
    for distance, token in placed:
        for quantity in by_term.get(token.text, ()):
            near = context_distance(quantity, token, clause)
            if near is None:
                continue
            preference = (0 if quantity.context else 1, near, -len(token.text))
            found.append(Candidate(-quantity.rank, distance, preference, quantity, token))
    return found


@dataclass(frozen=True)
class ClauseIndex:
    """Where each token (``at``: by identity) and each word (``positions``: sorted) of a clause
    stands: built once per clause, so that a clause of many numbers is read in linear work (a
    100 000-character clause of "申请 1 件" took 283 CPU s when every number scanned it whole)."""

    clause: list[Token]
    at: dict[int, int]
    positions: dict[str, list[int]]

    @classmethod
    def of(cls, clause: list[Token]) -> ClauseIndex:
        """The index of ``clause``; the last one built is reused for the same clause object."""
        global _last_index
        if _last_index is not None and _last_index.clause is clause and len(_last_index.at) == len(clause):
            return _last_index
        positions: dict[str, list[int]] = {}
        for i, token in enumerate(clause):
            positions.setdefault(token.text, []).append(i)
        _last_index = cls(clause, {id(t): i for i, t in enumerate(clause)}, positions)
        return _last_index

    def nearest(self, at: int, words: Sequence[str]) -> int | None:
        """Tokens between index ``at`` and the nearest of ``words`` in the clause, or None."""
        best = None
        for word in words:
            found = self.positions.get(word)
            if not found:
                continue
            k = bisect_right(found, at)
            for i in (k - 1, k):
                if 0 <= i < len(found) and (best is None or abs(found[i] - at) < best):
                    best = abs(found[i] - at)
        return best


_last_index: ClauseIndex | None = None


def context_distance(quantity: Quantity, term: Token, clause: list[Token]) -> int | None:
    """Tokens between the term and the nearest context word of the quantity (0 when the
    quantity needs none); None when it needs one and the clause has none, or the clause holds
    one of the quantity's ``exclude`` words."""
    index = ClauseIndex.of(clause)
    if quantity.exclude and any(word in index.positions for word in quantity.exclude):
        return None
    if not quantity.context:
        return 0
    return index.nearest(index.at[id(term)], quantity.context)


def joined(best: Candidate, found: list[Candidate], clause: list[Token], conjunctions: frozenset[str]) -> Candidate | None:
    """Another quantity of the same rank joined to the chosen one by 及/和/、, if any."""
    index = ClauseIndex.of(clause).at
    at = index[id(best.token)]
    for other in found:
        if other.quantity.key == best.quantity.key or other.rank != best.rank:
            continue
        lo, hi = sorted((at, index[id(other.token)]))
        between = [t.text for t in clause[lo + 1 : hi]]
        if between and all(t in conjunctions for t in between):
            return other
    return None


def after_term(clause: list[Token], index: int, rules: FigureRules) -> Token | None:
    """The term right after a number's measure word ("发 0 份规范性文件"), if any."""
    while index < len(clause) and clause[index].text in FILLERS:
        index += 1
    if index < len(clause) and clause[index].text in rules.by_term:
        return clause[index]
    return None


def in_unit(value, measure, quantity: Quantity, rules: FigureRules):
    """``value`` in the quantity's unit; None when the measure word does not fit the quantity."""
    kind = rules.measure_kind(measure)
    if quantity.unit is None:
        return value if kind in (None, "count") else None
    if measure is None:
        return value
    factor = rules.unit_factors.get(quantity.unit, {}).get(measure)
    return None if factor is None else round(value * factor, 6)


def counted_object(text: str, span_start: int, number: Number, clause_end: int, rules: FigureRules) -> str | None:
    """The class of the noun the number counts: the head of the noun phrase right after its
    measure word ("81 件政府信息公开申请"), else the last object noun of the clause before the
    number ("办理政协提案 12 件", "收到依申请公开事项 2 项"; from ``span_start``, the end of the
    clause's previous figure); None when no counted noun is printed."""
    pattern = rules.object_pattern
    head = None
    at = number.end
    while at < clause_end and text[at] in "的 ":
        at += 1
    match = pattern.match(text, at) if number.measure else None
    while match is not None:  # the head of a compound is its last noun (政府信息|公开申请)
        head = match.group()
        match = pattern.match(text, match.end())
    if head is None:
        for match in pattern.finditer(text, span_start, number.start):
            head = match.group()
    return rules.objects.get(head) if head else None


def head_before(text: str, number: Number, rules: FigureRules) -> str | None:
    """The class of the object noun the number follows right away, spaces and 共 aside (the longest
    noun that ends there: "行政许可申请12条" is a 许可申请, not a 申请); None when none does."""
    before = text[max(0, number.start - 16) : number.start].rstrip()
    before = before[:-1].rstrip() if before.endswith("共") else before
    noun = next((n for n in rules.objects_by_length if before.endswith(n)), None)
    return rules.objects.get(noun) if noun else None


def supports(quantity: Quantity, span_start: int, number: Number, clause: list[Token], context: Context, rules: FigureRules) -> bool:
    """True when the statement is about what ``quantity`` counts (see the module docstring);
    ``span_start`` is where the number's part of the clause begins."""
    domain = rules.domains.get(quantity.domain or "")
    if domain is None:
        return True
    if number.measure and domain.measures and number.measure not in domain.measures:
        if number.measure not in domain.head_measures or head_before(context.text, number, rules) not in domain.objects:
            return False
    counted = counted_object(context.text, span_start, number, clause[-1].end, rules)
    if counted is not None and (counted not in domain.objects or not domain.always):
        return counted in domain.objects
    return in_context(domain, number.start, context)


def in_context(domain: Domain, offset: int, context: Context) -> bool:
    """True when the sentence at ``offset`` (or the one before it) or its (sub)section shows the
    domain; True for a domain that needs no context."""
    if not domain.sentence and not domain.sections:
        return True
    return context.shows(domain, offset)


def supports_absence(quantity: Quantity, negation: Token, context: Context, rules: FigureRules) -> bool:
    """True when a denial ("未发生行政复议") is about what ``quantity`` counts: the sentence or
    the (sub)section shows the quantity's domain."""
    domain = rules.domains.get(quantity.domain or "")
    return domain is None or in_context(domain, negation.start, context)
