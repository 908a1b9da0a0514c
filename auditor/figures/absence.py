"""Statements of absence: "无行政许可", "未发生行政诉讼", "未收到…申请" state 0 for what they deny."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable

from auditor.figures.linking import Context, context_distance, supports_absence
from auditor.figures.numbers import Number, Token
from auditor.figures.rules import FigureRules, Quantity


def absences(clause: list[Token], numbers: list[Number], context: Context, rules: FigureRules, figure: Callable) -> Iterable:
    """Figures of 0 for what a negation (无, 未发生, …) denies: the head term of its phrase and
    the terms enumerated with it. In "未发生因依申请公开被行政复议纠错或行政诉讼败诉情形" the denied
    things are 纠错 and 败诉; 依申请公开, 行政复议 and 行政诉讼 only qualify them. A denial is read
    only where the sentence or its section shows what the quantity counts (see
    ``auditor.figures.linking.supports_absence``).

    A negation's phrase ends at the next number, the next negation or after
    ``rules.max_absence_scope`` tokens, so a clause of many denials costs linear work."""
    by_term = rules.by_term
    negations = rules.words["negations"]
    conjunctions = rules.words["conjunctions"] | {"或", "或者"}
    number_at = sorted(n.index for n in numbers)
    denials = [k for k, token in enumerate(clause) if token.text in negations]
    for d, k in enumerate(denials):
        token = clause[k]
        i = bisect_right(number_at, k)
        stop = min(
            number_at[i] if i < len(number_at) else len(clause),
            denials[d + 1] if d + 1 < len(denials) else len(clause),
            k + 1 + rules.max_absence_scope,
        )
        scope = clause[k + 1 : stop]
        if _one_side(scope, rules):
            continue  # "未收到法人或其他组织提出的申请" denies one kind of applicant, not every request
        usable: dict[str, list[Quantity]] = {
            t.text: [
                q for q in by_term.get(t.text, ())
                if context_distance(q, t, clause) is not None and supports_absence(q, token, context, rules)
            ]
            for t in scope
        }
        heads = _denied_terms(scope, {w for w, qs in usable.items() if qs}, conjunctions)
        seen = set()
        for term in heads:
            options = usable[term.text]
            quantity = min(options, key=lambda q: (0 if q.context else 1, context_distance(q, term, clause)))
            if quantity.key in seen:
                continue
            seen.add(quantity.key)
            yield figure(0, None, "absence", quantity.key, token.start, term.end, token.start)


def _denied_terms(scope: list[Token], terms: set[str], conjunctions: frozenset[str]) -> list[Token]:
    """The head term of a negated phrase and the heads of the terms enumerated before it.

    Walking back from the last term: a term right before a term only qualifies it (行政复议纠错);
    a conjunction (、 和 或 及), optionally followed by one verb (、提起行政诉讼), links an earlier
    head."""
    positions = [i for i, t in enumerate(scope) if t.text in terms]
    if not positions:
        return []
    heads, i = [], positions[-1]
    while i >= 0:
        heads.append(scope[i])
        j = i - 1
        while j >= 0 and scope[j].text in terms:  # qualifiers of this head
            j -= 1
        if j >= 1 and scope[j].text not in conjunctions and scope[j - 1].text in conjunctions:
            j -= 1  # "、提起行政诉讼": one verb after the conjunction
        if j < 1 or scope[j].text not in conjunctions or scope[j - 1].text not in terms:
            break
        i = j - 1
    return heads[::-1]


def _one_side(scope: list[Token], rules: FigureRules) -> bool:
    """Whether a denial names one side of 表三's applicants only (法人或其他组织, or 自然人): it then
    denies that side's requests, not all (``applicant_sides`` of ``[words]``)."""
    words = {t.text for t in scope}
    sides = [side for side in ("natural_person_words", "legal_person_words") if words & rules.words[side]]
    return len(sides) == 1
