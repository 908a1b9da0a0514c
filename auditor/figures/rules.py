"""The resolution rules of narrative figures, read from ``auditor/data/figures.toml``.

Quantities (what a figure can state, and the terms that name it), the domains a quantity belongs
to (requests of 表三, cases of 表四, documents and decisions of 表二) with the evidence each needs,
the lexicon of counted objects (申请, 提案, 诉求, 信息 …), measure words, and the words that change
what a clause states (negations, scope words, change words …).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib import resources
from typing import Any

VOCABULARY_KEYS = ("quantities", "terms", "objects", "measures", "words", "keep_whole")


@dataclass(frozen=True)
class Quantity:
    """A quantity a narrative can state: its key, the terms naming it, the tokens one of which
    must be in the clause (``context``, empty for none), its unit (None for counts, 件), its
    ``rank`` (a higher rank wins over a nearer term of lower rank in the same clause), words that
    exclude it from a clause, and its ``domain`` (see ``Domain``)."""

    key: str
    terms: tuple[str, ...]
    context: tuple[str, ...]
    unit: str | None
    rank: int = 1
    exclude: tuple[str, ...] = ()
    domain: str | None = None


@dataclass(frozen=True)
class Domain:
    """What a statement must show before a count is read as one of a domain's quantities.

    ``objects``: the classes of counted object it accepts (a count of 提案 is never a request);
    ``measures``: the measure words it accepts (requests are counted in 件); ``head_measures``:
    more it accepts only right after a noun of its own ("共收到政府信息公开申请0条" counts requests,
    "依申请公开341条" and "依申请公开信息数46条" count information);
    ``sentence``: words one of which the sentence must hold when no counted object is printed;
    ``sections``: words of a (sub)section title that stand for them. A domain with neither
    ``sentence`` nor ``sections`` needs no context beyond its quantities' own. With ``always``
    the context is needed even when the counted object is printed (a 行政复议 case is one of
    表四's only when it is about 政府信息公开).
    """

    name: str
    objects: frozenset[str]
    measures: frozenset[str]
    sentence: tuple[str, ...]
    sections: tuple[str, ...]
    always: bool = False
    head_measures: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FigureRules:
    """The resolution rules of ``auditor/data/figures.toml``."""

    measures: dict[str, tuple[str, ...]]
    unit_factors: dict[str, dict[str, float]]
    non_count: tuple[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None], ...]
    words: dict[str, frozenset[str]]
    quantities: tuple[Quantity, ...]
    objects: dict[str, str]  # counted-object noun -> its class
    domains: dict[str, Domain]
    max_distance: int = 8
    max_absence_scope: int = 24  # tokens after a negation that can name what it denies
    claims: tuple[dict, ...] = ()  # [[claim]] entries, read by auditor.figures.claims
    combinations: dict[frozenset[str], str] = field(default_factory=dict)  # joined quantities -> their sum's key
    partitions: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (name, member words): lists complete when all are named
    keep_whole: frozenset[str] = frozenset()  # more words the tokenizer keeps whole (plugins' vocabulary)

    @cached_property
    def by_term(self) -> dict[str, list[Quantity]]:
        """Quantities by the terms that name them."""
        index: dict[str, list[Quantity]] = {}
        for q in self.quantities:
            for term in q.terms:
                index.setdefault(term, []).append(q)
        return index

    @cached_property
    def other_period_span(self) -> re.Pattern[str]:
        """A span of several years ("近3年", "三年来", ``other_period_spans``): a figure in its clause
        counts them, not the report's year."""
        return re.compile("|".join(sorted(self.words.get("other_period_spans", ()))) or r"(?!)")

    @cached_property
    def measure_pattern(self) -> re.Pattern[str]:
        """Regex matching the longest measure word at the start of a text (after spaces)."""
        words = sorted((w for ws in self.measures.values() for w in ws), key=len, reverse=True)
        # used with match(text, pos) after every number: the spaces are bounded, so that a long run
        # of whitespace after many numbers costs linear time, not numbers x run
        return re.compile(r"\s{0,8}(" + "|".join(map(re.escape, words)) + ")")

    @cached_property
    def objects_by_length(self) -> tuple[str, ...]:
        """The counted-object nouns, longest first."""
        return tuple(sorted(self.objects, key=len, reverse=True))

    @cached_property
    def object_pattern(self) -> re.Pattern[str]:
        """Regex matching any counted-object noun (longest first)."""
        return re.compile("|".join(map(re.escape, sorted(self.objects, key=len, reverse=True))))

    @cached_property
    def _figure_signs(self) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
        measures = "|".join(map(re.escape, sorted((w for ws in self.measures.values() for w in ws), key=len, reverse=True)))
        numbers = re.compile(r"[0-9０-９]|[零〇一二两三四五六七八九十百千]\s{0,8}(?:" + measures + ")")
        negations = re.compile("|".join(map(re.escape, sorted(self.words["negations"], key=len, reverse=True))))
        terms = re.compile("|".join(map(re.escape, sorted(self.by_term, key=len, reverse=True))))
        return numbers, negations, terms

    def may_state_figure(self, sentence: str) -> bool:
        """True when a sentence holds a number, or a negation together with a domain term."""
        numbers, negations, terms = self._figure_signs
        return bool(numbers.search(sentence) or (negations.search(sentence) and terms.search(sentence)))

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The words the tokenizer must keep whole: every term and context word, negation, scope
        word and the other word lists (words of one character are left to jieba)."""
        words = set(self.by_term) | {w for q in self.quantities for w in q.context} | set(self.keep_whole)
        for name, listed in self.words.items():
            if name != "conjunctions":
                words |= listed
        return frozenset(w for w in words if len(w) > 1)

    def extended(self, additions: Mapping[str, Any]) -> FigureRules:
        """These rules with a plugin's vocabulary (``auditor_vocabulary``) added:

        ``quantities``: new quantities, each a table like ``[[quantity]]`` of figures.toml (``key``
        and ``terms`` required; ``context``, ``unit``, ``rank``, ``exclude``, ``domain`` optional);
        ``terms``: more terms (label variants) for existing quantities, by key; ``objects``: more
        counted-object nouns by class; ``measures``: more measure words by kind (count, amount,
        share); ``words``: more words for the lists of figures.toml ``[words]`` (negations, scope
        words …); ``keep_whole``: more words jieba keeps as one token.
        Raises ``ValueError`` naming what is wrong (an unknown key, with the closest valid one)."""
        def known(name: str, valid, what: str) -> None:
            if name not in valid:
                match = difflib.get_close_matches(name, list(valid), n=1)
                raise ValueError(f"unknown {what} {name!r}" + (f" (did you mean {match[0]!r}?)" if match else ""))

        for key in additions:
            known(key, VOCABULARY_KEYS, "vocabulary key")
        quantities = list(self.quantities)
        existing = {q.key for q in quantities}
        for entry in additions.get("quantities", ()):
            if not isinstance(entry, Mapping) or not entry.get("key") or not entry.get("terms"):
                raise ValueError(f"a quantity needs a key and terms: {entry!r}")
            if entry["key"] in existing:
                raise ValueError(f"quantity {entry['key']!r} exists; add terms to it under 'terms'")
            if entry.get("domain") is not None:
                known(entry["domain"], self.domains, "domain")
            quantities.append(Quantity(entry["key"], tuple(entry["terms"]), tuple(entry.get("context", ())),
                                       entry.get("unit"), entry.get("rank", 1), tuple(entry.get("exclude", ())),
                                       entry.get("domain")))
            existing.add(entry["key"])
        for key, terms in additions.get("terms", {}).items():
            known(key, existing, "quantity")
            quantities = [replace(q, terms=(*q.terms, *terms)) if q.key == key else q for q in quantities]
        objects = dict(self.objects)
        for cls, nouns in additions.get("objects", {}).items():
            known(cls, set(self.objects.values()), "class of counted objects")
            objects.update({noun: cls for noun in nouns})
        measures = dict(self.measures)
        for kind, listed in additions.get("measures", {}).items():
            known(kind, self.measures, "kind of measure")
            measures[kind] = (*measures[kind], *listed)
        words = dict(self.words)
        for name, listed in additions.get("words", {}).items():
            known(name, self.words, "word list")
            words[name] = words[name] | frozenset(listed)
        return replace(self, quantities=tuple(quantities), objects=objects, measures=measures, words=words,
                       keep_whole=self.keep_whole | frozenset(additions.get("keep_whole", ())))

    def measure_kind(self, measure: str | None) -> str | None:
        """``count``, ``amount`` or ``share`` for a measure word; None for no measure."""
        return next((kind for kind, ws in self.measures.items() if measure in ws), None)


@cache
def load_rules() -> FigureRules:
    """The figure rules shipped with the package (read once per process)."""
    text = resources.files("auditor.data").joinpath("figures.toml").read_text("utf-8")
    data = tomllib.loads(text)
    objects = {noun: cls for cls, nouns in data["objects"].items() for noun in nouns}
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
                tuple(q.get("exclude", ())), q.get("domain"),
            )
            for q in data["quantity"]
        ),
        objects=objects,
        domains={
            name: Domain(name, frozenset(d.get("objects", ())), frozenset(d.get("measures", ())),
                         tuple(d.get("sentence", ())), tuple(d.get("sections", ())), d.get("always", False),
                         frozenset(d.get("head_measures", ())))
            for name, d in data["domains"].items()
        },
        max_distance=data["limits"]["max_term_distance"],
        max_absence_scope=data["limits"]["max_absence_scope"],
        claims=tuple(data.get("claim", ())),
        combinations={frozenset(c["parts"]): c["key"] for c in data.get("combination", ())},
        partitions=tuple((p["name"], tuple(p["parts"])) for p in data.get("partition", ())),
    )
