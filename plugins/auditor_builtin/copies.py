"""Reports copied from another report of the batch (issue 9): a narrative that repeats another
report's text, tables that repeat another report's figures.

Opt-in rules over a whole run (``scope="run"``): the reports of every body at once. Two reports
are compared unless they are one report found twice (the same body and year: a page and its PDF,
a re-publication). A copy goes forward in time: the finding is on the later report, naming the
earlier one; of two reports of one year, each names the other. One finding per report, naming
the closest report and counting the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from auditor import NARRATIVE, TABLES, BatchHit, Evidence, Example, ExampleReport, Message, Position, RuleSet, hookimpl, join
from auditor.bodies import body_keys
from auditor.facts import ReportFacts, ReportGroup

rules = RuleSet()

SHINGLE = 5  # characters of a shingle: a 5-gram of Chinese text is a short phrase
PERMUTATIONS = 128  # MinHash permutations: a Jaccard estimate within about ±0.09 (1/sqrt(128))
CANDIDATES = 0.75  # LSH looks for pairs above this share of the threshold; the exact similarity decides
QUOTED = 2  # shared passages quoted in a message
QUOTE = 40  # characters of a quoted passage
_BLANK = re.compile(r"\s+")
_FIGURE = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
_DIGITS = re.compile(_FIGURE)
_SIGN = re.compile(_FIGURE + r"|\S")  # what the comparison keeps: a figure (as "#") or a character that is not blank
_PRIME = np.uint64(1_000_003)
_LOW = np.uint64(0xFFFFFFFF)


def _normalized(text: str) -> str:
    return _BLANK.sub("", _DIGITS.sub("#", text))


@dataclass(frozen=True)
class _Narrative:
    """A report's narrative for comparison: the text without blanks, each figure as "#"
    (``text``, the paragraphs run together)."""

    text: str

    @classmethod
    def of(cls, report: ReportFacts) -> _Narrative:
        return cls("".join(_normalized(p.text) for p in report.narrative))

    @property
    def hashes(self) -> np.ndarray:
        """The 32-bit hash of the shingle that starts at each character of ``text`` (a polynomial
        hash of its 5 code points, for the whole text at once; not kept: a batch of thousands
        holds only the texts)."""
        codes = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        count = max(len(codes) - SHINGLE + 1, 0)
        hashes = np.zeros(count, dtype=np.uint64)
        for k in range(SHINGLE if count else 0):
            hashes = hashes * _PRIME + codes[k : k + count]  # wraps modulo 2**64
        return hashes & _LOW

    def shingles(self) -> np.ndarray:
        """The distinct shingle hashes, sorted."""
        ordered = np.sort(self.hashes)
        return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if ordered.size else ordered

    def shared_passages(self, other: np.ndarray) -> list[tuple[int, int]]:
        """(start, end) in ``text`` of the runs whose every shingle is among ``other`` (sorted
        distinct hashes), longest first."""
        inside = np.concatenate(([False], np.isin(self.hashes, other), [False]))
        edges = np.flatnonzero(np.diff(inside.astype(np.int8)))
        runs = [(int(a), int(b) - 1 + SHINGLE) for a, b in zip(edges[::2], edges[1::2])]
        return sorted(runs, key=lambda run: (run[0] - run[1], run[0]))


def _printed(report: ReportFacts, start: int, end: int) -> tuple[str, Position]:
    """The report's own text for characters ``start``–``end`` of its normalized narrative
    (within the paragraph where they start; blanks kept, figures as printed), and where it starts."""
    at = 0
    for paragraph in report.narrative:
        signs = list(_SIGN.finditer(paragraph.text))
        if start < at + len(signs):
            first = signs[start - at]
            last = signs[min(end - at, len(signs)) - 1]
            return paragraph.text[first.start() : last.end()], paragraph.position_at(first.start())
        at += len(signs)
    raise IndexError(f"character {start} is past the narrative of {report.path}")


def _jaccard(mine: np.ndarray, theirs: np.ndarray) -> float:
    shared = np.intersect1d(mine, theirs, assume_unique=True).size
    return shared / (mine.size + theirs.size - shared) if shared else 0.0


def _identity(reports: Sequence[ReportFacts]) -> dict[str, tuple[str, int | None]]:
    """Each report's (body, year): two reports of one body and year are one report found twice.
    A report whose title names no body is a body of its own."""
    keys = body_keys(r.agency for r in reports)
    return {r.path: (keys.get(r.agency) or f"<{r.path}>", r.year) for r in reports}


def _directed(a: ReportFacts, b: ReportFacts) -> list[tuple[ReportFacts, ReportFacts]]:
    """(copy, original) pairs of two similar reports: the later one copies the earlier; of one
    year (or with a year unknown), each is named beside the other."""
    if a.year is not None and b.year is not None and a.year != b.year:
        return [(a, b)] if a.year > b.year else [(b, a)]
    return [(a, b), (b, a)]


def _name(report: ReportFacts) -> str:
    who = " ".join(str(x) for x in (report.agency, report.year) if x)
    return f"{report.path} ({who})" if who else report.path


NAMED = 3  # other originals a message names before it counts the rest


def _also(found: list[tuple[float, ReportFacts]]) -> Message:
    """The other reports a narrative repeats, named with their similarity (the first ``NAMED``),
    then counted: each copy relation is said, not only the closest."""
    if not found:
        return Message("")
    named = join(Message("{original} ({share:.0%})", original=_name(r), share=s) for s, r in found[:NAMED])
    return Message("; also {named}", named=named) + _others(len(found) - NAMED if len(found) > NAMED else 0)


def _others(count: int) -> Message:
    if not count:
        return Message("")
    return Message("; and {count} more report of the batch", count=count) if count == 1 else Message(
        "; and {count} more reports of the batch", count=count)


@rules.rule(
    "Y003", "narrative-copied", "warning",
    "The narrative repeats most of another report's narrative in the batch (character 5-grams, figures ignored).",
    kind="copied", scope="run", opt_in=True, reads=(NARRATIVE,),
    source="国办公开办函〔2021〕30号: the report states the year's own work; evaluators mark a report copied from "
           "last year's or from another body's",
    rationale=(
        "Two narratives are compared by the character 5-grams they share (Jaccard similarity of the sets of "
        "5-character shingles, blanks removed and every figure read as one sign, so that a copy whose figures "
        "were updated is still a copy). Candidate pairs come from MinHash locality-sensitive hashing over the "
        "whole batch (datasketch), then the exact similarity decides against `threshold`. The finding is on the "
        "later report, names the earlier one and quotes the longest passages they share; two reports of one "
        "year are each named beside the other. Narratives shorter than `min_characters` are not compared, nor "
        "two reports of one body and year (one report found twice). A warning for review: a body may keep last "
        "year's wording where its work did not change."
    ),
    examples=[
        Example(True, reports=(
            ExampleReport(file="corpora/pre2019/2011-pingtan-page.txt"),
            ExampleReport(file="corpora/pre2019/2012-pingtan-county-page.txt"),
        ), note="平潭县人民政府 2012 repeats 平潭综合实验区 2011's narrative, its names and figures changed (79 % of 5-grams)"),
        Example(False, reports=(
            ExampleReport(file="corpora/pdf/2023-hongze-district.pdf"),
            ExampleReport(file="corpora/pdf/2024-hongze-district.pdf"),
        ), note="洪泽区 2023 and 2024: the template's sentences in common, the year's own work otherwise (a third of 5-grams)"),
        Example(False, reports=(
            ExampleReport(file="corpora/flattened/2024-pingtan-page.txt"),
            ExampleReport(file="corpora/html/2024-pingtan-article-body.html"),
        ), note="平潭综合实验区 2024, a crawled page and the article's HTML: one report found twice"),
    ],
)
def narrative_copied(group: ReportGroup, *, threshold: float = 0.6, min_characters: int = 200) -> Iterator[BatchHit]:
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold {threshold!r} is not a share in (0, 1]")
    from datasketch import LeanMinHash, MinHash, MinHashLSH  # here: loading it (scipy) costs every worker 0.8 s

    identity = _identity(group.reports)
    narratives: dict[str, _Narrative] = {}
    sketches: dict[str, LeanMinHash] = {}
    # candidates at a lower similarity than asked, false negatives weighed 9 to 1: LSH misses few pairs
    # above `threshold` (measured: none of the corpus's), and the exact similarity decides
    lsh = MinHashLSH(threshold=threshold * CANDIDATES, num_perm=PERMUTATIONS, weights=(0.1, 0.9))
    for report in group.reports:
        narrative = _Narrative.of(report)
        if len(narrative.text) >= min_characters and report.path not in narratives:
            narratives[report.path] = narrative
    # one MinHash's permutations for all (MinHash.generator copies it): drawn once, not per report
    shingles = (n.shingles().tolist() for n in narratives.values())
    for path, sketch in zip(narratives, MinHash.generator(shingles, num_perm=PERMUTATIONS, hashfunc=int)):
        sketches[path] = LeanMinHash(sketch)
        lsh.insert(path, sketches[path])
    by_path = {r.path: r for r in group.reports}
    similar: dict[str, list[tuple[float, ReportFacts]]] = {}
    for path, narrative in narratives.items():
        mine = None
        for other in sorted(lsh.query(sketches[path])):
            if other <= path or identity[other] == identity[path]:
                continue
            mine = mine if mine is not None else narrative.shingles()
            jaccard = _jaccard(mine, narratives[other].shingles())
            if jaccard < threshold:
                continue
            for copy, original in _directed(by_path[path], by_path[other]):
                similar.setdefault(copy.path, []).append((jaccard, original))
    for path, found in similar.items():
        found.sort(key=lambda item: (-item[0], item[1].path))
        jaccard, original = found[0]
        passages = narratives[path].shared_passages(narratives[original.path].shingles())[:QUOTED]
        printed = [_printed(by_path[path], s, e) for s, e in passages]
        quotes = join(Message("“{quote}” ({count} characters)", quote=_quote(text), count=e - s)
                      for (text, _), (s, e) in zip(printed, passages))
        yield BatchHit(
            path,
            Message("the narrative is {share:.0%} the same as that of {original} (character 5-grams, figures ignored); "
                    "shared passages: {quotes}{others}", share=jaccard, original=_name(original), quotes=quotes,
                    others=_also(found[1:])),
            printed[0][1] if printed else None,
        )


def _quote(text: str) -> str:
    text = _BLANK.sub(" ", text).strip()
    return text if len(text) <= QUOTE else text[:QUOTE] + "…"


# five figures of a 2022 report, for the examples of Y004
_TABLES = {"active.normative_documents.issued": 5, "active.normative_documents.in_force": 31,
           "active.licensing.decisions": 420, "requests.new.natural_person": 6, "requests.new.total": 6}


@rules.rule(
    "Y004", "tables-copied", "warning",
    "The tables give the same figures, cell for cell, as another report of the batch.",
    kind="copied", scope="run", opt_in=True, generations=("2021", "2019"), reads=(TABLES,),
    source="国办公开办函〔2021〕30号 表二 to 表四: each year's own figures",
    rationale=(
        "Every cell the reader found in 表二, 表三 and 表四 holds the same value (or the same blank) as in "
        "another report of the same template generation: a year's tables copied from last year's report, or "
        "one body's tables from another's. Tables with fewer than `min_figures` cells that are not 0 are not "
        "compared (two small bodies with no requests and no cases print the same zeros), nor two reports of "
        "one body and year (one report found twice). The finding is on the later report; two reports of one "
        "year are each named beside the other. A warning for review."
    ),
    examples=[
        Example(True, reports=(
            ExampleReport(year=2022, cells=_TABLES),
            ExampleReport(year=2023, cells=_TABLES),
        ), options={"min_figures": 5}, note="a 2023 report whose 5 figures are 2022's, cell for cell (with min_figures 5)"),
        Example(False, reports=(
            ExampleReport(year=2022, cells=_TABLES),
            ExampleReport(year=2023, cells={**_TABLES, "active.licensing.decisions": 398}),
        ), options={"min_figures": 5}, note="one figure differs"),
        Example(False, reports=(
            ExampleReport(year=2022, cells={"active.licensing.decisions": 3}),
            ExampleReport(year=2023, cells={"active.licensing.decisions": 3}),
        ), note="one figure not 0: a small body's two years alike by chance"),
        Example(False, reports=(
            ExampleReport(file="corpora/pdf/2023-hongze-district.pdf"),
            ExampleReport(file="corpora/pdf/2024-hongze-district.pdf"),
        ), note="洪泽区 2023 and 2024"),
    ],
)
def tables_copied(group: ReportGroup, *, min_figures: int = 10) -> Iterator[BatchHit]:
    identity = _identity(group.reports)
    alike: dict[str, list[ReportFacts]] = {}
    for report in group.reports:
        tables = report.tables
        if report.template in ("2021", "2019") and tables is not None and tables.figures >= min_figures:
            alike.setdefault(tables.digest, []).append(report)
    copies: dict[str, list[ReportFacts]] = {}
    for reports in alike.values():
        for i, a in enumerate(reports):
            for b in reports[i + 1 :]:
                if identity[a.path] != identity[b.path]:
                    for copy, original in _directed(a, b):
                        copies.setdefault(copy.path, []).append(original)
    by_path = {r.path: r for r in group.reports}
    for path, originals in copies.items():
        report = by_path[path]
        original = min(originals, key=lambda r: (-(r.year or 0), r.path))
        tables = report.tables
        yield BatchHit(
            path,
            Message("表二, 表三 and 表四 give the same figures as {original}, cell for cell: {cells} cells, {figures} of them "
                    "not 0{others}", original=_name(original), cells=tables.cells, figures=tables.figures,
                    others=_others(len(originals) - 1)),
            tables.first[0].position,
            tuple(Evidence.of_cell(c) for c in tables.first),
        )


@hookimpl
def auditor_register_rules(register):
    register(*rules)
