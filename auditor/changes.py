"""Changes against the year before that a report's narrative states ("共受理政府信息公开申请15件，
较上年增加3件", "公开数量同比增长120.9%"), and what a report states that the next year's report
may be compared with (``Statements``, made by ``Document.statements``): the base of the
cross-year rule Y006.

A change is read only where it follows, in the same sentence, a figure resolved to a quantity
(``auditor.figures``) with no other number between: that figure is this year's value of the
quantity the change is about. The words are data (``[changes]`` in ``auditor/data/figures.toml``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from auditor.breakdowns import share_subject, subject_members
from auditor.figures import Figure, load_rules
from auditor.figures.numbers import FULL_WIDTH
from auditor.model import Position, Report
from auditor.read.statistics import RowStatement

SENTENCE_ENDS = "。；;！？!?"
SHARE_KEY = "share."  # a share's quantity: "share." + the partition members its subject names
MEASURES = ("%", "件", "条", "项", "次", "份", "宗", "起", "篇")  # not 个: "减少3个工作日"


@dataclass(frozen=True)
class StatedChange:
    """A change against the year before stated after a figure: ``key`` is the figure's quantity
    (template or derived key), ``value`` the figure (this year, in the quantity's unit: 件, or 万元
    for the fee), ``change`` the stated change, signed (+3 件; −12.3 for "下降12.3%"), ``relative``
    True for a percentage, ``decimals`` the digits printed after its point, ``text`` the words from
    the figure to the change as printed, ``position`` where the figure is printed."""

    key: str
    value: float
    change: float
    relative: bool
    decimals: int
    text: str
    position: Position | None

    @property
    def of_share(self) -> bool:
        """True for a change of a share (key ``share.…``, ``share_key``): in percentage points."""
        return self.key.startswith(SHARE_KEY)

    def fits(self, previous: float) -> bool:
        """Whether last year's value ``previous`` gives the stated change: this year's value minus
        it for a count; (this − previous) / previous × 100 at the stated value's rounding or
        truncation for a percentage (never for a previous value of 0). A share's change is in
        points — this − previous within the rounding of the three printed values (1.5 steps of
        the change's last digit) — or, printed with %, may also be relative."""
        if self.of_share:
            step = 10 ** -self.decimals
            if abs(self.value - previous - self.change) <= 1.5 * step + 1e-9:
                return True
            if not self.relative:
                return False
        elif not self.relative:
            return abs(self.value - previous - self.change) < 1e-9
        if previous <= 0:
            return False
        computed, step = (self.value - previous) / previous * 100, 10 ** -self.decimals
        rounded = abs(computed - self.change) <= step / 2 + 1e-9
        low, high = sorted((self.change, self.change + (step if self.change >= 0 else -step)))
        return rounded or low - 1e-9 <= computed < high

    def computed(self, previous: float) -> str:
        """The change ``previous`` gives, printed like the stated one ("+53.2%", "−2"; a share's
        in points, "+1.14")."""
        if self.of_share:
            return f"{self.value - previous:+.{max(self.decimals, 1)}f}"
        if self.relative and previous > 0:
            return f"{(self.value - previous) / previous * 100:+.{max(self.decimals, 1)}f}%"
        return f"{self.value - previous:+g}"

    @property
    def stated(self) -> str:
        """The stated change, printed signed ("+120.9%", "+3"; a share's in points, "+1.14")."""
        if self.of_share and not self.relative:
            return f"{self.change:+.{self.decimals}f}"
        return f"{self.change:+.{self.decimals}f}%" if self.relative else f"{self.change:+g}"

    def to_json(self) -> dict[str, Any]:
        position = self.position
        return {"key": self.key, "value": self.value, "change": self.change, "relative": self.relative,
                "decimals": self.decimals, "text": self.text,
                "line": position.line if position else None, "column": position.column if position else None,
                "page": position.page if position else None}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StatedChange:
        line = data.get("line")
        position = Position(line, data["column"], data.get("page")) if line is not None else None
        return cls(data["key"], data["value"], data["change"], data["relative"], data["decimals"], data["text"], position)


@dataclass(frozen=True)
class Statements:
    """What a report states that next year's report may be compared with: its stated ``changes``;
    ``quantities``, each quantity's values as the report gives them (every reading of the tables,
    ``Document.readings``, and every figure of the narrative resolved to it for the report's year);
    ``counts``, every count or amount the narrative prints (resolved or not: a change may be
    measured against any of them, as "同比增长120.9%" against a portal's count)."""

    changes: tuple[StatedChange, ...] = ()
    quantities: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    counts: tuple[float, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"changes": [c.to_json() for c in self.changes], "quantities": dict(self.quantities),
                "counts": list(self.counts)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Statements:
        return cls(tuple(StatedChange.from_json(c) for c in data.get("changes", ())),
                   {k: tuple(v) for k, v in (data.get("quantities") or {}).items()}, tuple(data.get("counts", ())))


@cache
def _words() -> dict[str, list[str]]:
    """The ``[changes]`` table of ``auditor/data/figures.toml``."""
    return tomllib.loads(resources.files("auditor.data").joinpath("figures.toml").read_text("utf-8"))["changes"]


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@cache
def _against() -> str:
    """較上年, 比去年, 同比, 与2018年相比, the clipped 比升: the words that say "against the year before"."""
    data = _words()
    clipped = "|".join(map(re.escape, data["clipped"]))  # "比升11.6%": 同比上升, clipped
    return (rf"(?:(?:较|比|与|同)\s*(?:(?:{_alternatives(data['against'])})|(?P<year>\d{{4}})\s*年度?)(?:同期)?(?:相比|比较)?"
            rf"|同比|比(?=(?:{clipped})))")


def _direction() -> str:
    data = _words()
    return rf"(?:(?P<up>{_alternatives(data['up'])})|(?P<down>{_alternatives(data['down'])}))了?\s*"


@cache
def _pattern() -> re.Pattern[str]:
    return re.compile(
        rf"{_against()}\s*[，,]?\s*{_direction()}"
        rf"(?P<number>\d+(?:\.\d+)?)\s*(?P<measure>{_alternatives(MEASURES)})(?!\s*百分点)"
    )


@cache
def _share_pattern() -> re.Pattern[str]:
    """A share's change: "90.62%，较2018年上升1.14个百分点", "89.48%，比2017年的77.73%提高了11.75%"."""
    return re.compile(
        rf"{_against()}(?:的\s*\d+(?:\.\d+)?\s*%)?\s*[，,]?\s*{_direction()}"
        rf"(?P<number>\d+(?:\.\d+)?)\s*(?P<measure>个百分点|百分点|%)"
    )


def share_key(text: str, share: Figure) -> str | None:
    """The quantity a share is of when its subject names only members of a partition
    (``[[partition]]`` in figures.toml): "share.主动公开+依申请公开" for "主动公开及依申请公开政府信息
    占比90.62%" or "主动公开和依申请公开的政府信息共468条，占全部信息的89.48%"; None otherwise."""
    subject = share_subject(text, share, clause_before=True)
    if subject is None:
        return None
    for _, words in load_rules().partitions:
        members = subject_members(subject, words)
        if members:
            return SHARE_KEY + "+".join(members)
    return None


def _restates(between: str) -> bool:
    """Whether the words between a figure and its change name nothing else: nothing but the
    figure's measure word and a comma, or a restatement of the whole ("申请数量", "公开数量"; the
    ``restating`` words of ``[changes]``) — not another quantity ("办结率", "其中网上申请", "占比")."""
    words = re.sub(r"[\s，,、]", "", between)
    words = re.sub(r"^(?:" + "|".join(map(re.escape, sorted(MEASURES, key=len, reverse=True))) + r"|余件|余条)", "", words)
    return not words or words.endswith(tuple(_words()["restating"]))


def extract_changes(report: Report, figures: Iterable[Figure], statements: Iterable[RowStatement] = ()) -> tuple[StatedChange, ...]:
    """Every change against the year before that ``report``'s narrative states after a figure
    resolved to a quantity, or — in a pre-2019 report — after a statement of a 统计表 row's figure
    for the year (``statements``, ``auditor.read.statistics.row_statements``: "其中2014年度我局共主动
    公开政府信息360条", key "statistics.active.year"). A change against another year than the one
    before the report's, one with another number between it and its figure, or one whose figure is
    not resolved or not of the report's year is left out."""
    index = {id(p): i for i, p in enumerate(report.paragraphs)}
    rows = [Figure(s.value, None, "count", f"statistics.{s.item}.{s.measure}", s.text, s.position, s.paragraph.section,
                   "current", None, index[id(s.paragraph)], s.offset, s.offset + len(str(s.value)))
            for s in statements if s.measure == "year" and id(s.paragraph) in index]
    quoted_from = {id(f): f.start - f.text.find(str(f.value)) for f in rows}  # a row statement is quoted whole
    by_paragraph: dict[int, list[Figure]] = {}
    for figure in sorted((*figures, *rows), key=lambda f: (f.start, f.key is not None)):
        if figure.kind in ("count", "amount", "change", "share", "number", "year"):
            by_paragraph.setdefault(figure.paragraph, []).append(figure)
    found = []
    for index, paragraph in enumerate(report.paragraphs):
        text = paragraph.text.translate(FULL_WIDTH)
        for match in _pattern().finditer(text):
            if match["year"] is not None and (report.year is None or int(match["year"]) != report.year - 1):
                continue
            before = [f for f in by_paragraph.get(index, ()) if f.end <= match.start() and f.kind != "year"]
            if not before:
                continue
            figure = before[-1]
            between = text[figure.end : match.start()]
            if (figure.key is None or figure.kind not in ("count", "amount") or figure.period != "current"
                    or any(c in between for c in SENTENCE_ENDS) or not _restates(between)):
                continue  # "申请75件，办结率较上年提高2%": the change is another quantity's
            number = match["number"]
            sign = -1 if match["down"] else 1
            relative = match["measure"] == "%"
            decimals = len(number.split(".")[1]) if "." in number else 0
            found.append(StatedChange(figure.key, figure.value, sign * float(number), relative, decimals,
                                      text[quoted_from.get(id(figure), figure.start) : match.end()], figure.position))
        found += _share_changes(report, text, by_paragraph.get(index, ()))
    return tuple(found)


def _share_changes(report: Report, text: str, figures: Iterable[Figure]) -> list[StatedChange]:
    """The changes of shares a paragraph states right after them ("90.62%，较2018年上升1.14个百分点")."""
    shares = [f for f in figures if f.kind == "share"]
    found = []
    for match in _share_pattern().finditer(text):
        if match["year"] is not None and (report.year is None or int(match["year"]) != report.year - 1):
            continue
        before = [f for f in shares if f.end <= match.start()]
        if not before or text[before[-1].end : match.start()].strip(" ，,"):
            continue
        figure = before[-1]
        key = share_key(text, figure)
        if key is None or figure.period != "current":
            continue
        number = match["number"]
        decimals = len(number.split(".")[1]) if "." in number else 0
        found.append(StatedChange(key, figure.value, (-1 if match["down"] else 1) * float(number), match["measure"] == "%",
                                  decimals, text[figure.start : match.end()], figure.position))
    return found

