"""Disclosure indicators as auditor rules: an example third-party plugin.

IND001 computes the 行政复议纠错率 of a report — 表四 行政复议 结果纠正 over the cases concluded
(总计 − 尚未审结) — and flags a report past a threshold, as the indicator dashboards of evaluators
(CASS 透明度指数 teams, supervisors' 通报) do. Both the threshold and the minimum number of
concluded cases below which a rate says little are options, set in the configuration::

    [tool.auditor.options.IND001]
    threshold = 0.15
    min_cases = 5
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor import Document, Evidence, Example, Hit, RuleSet, hookimpl

__version__ = "0.1.0"

rules = RuleSet()


@rules.rule(
    "IND001", "review-correction-rate", "info",
    "行政复议纠错率 (表四 行政复议 结果纠正 over the concluded cases, 总计 − 尚未审结) above a threshold.",
    kind="indicator", generations=("2021", "2019"),
    source="国办公开办函〔2021〕30号 表四 行政复议 (结果纠正, 尚未审结, 总计)",
    examples=[
        Example(True, file="corpora/pdf/2024-huaian-city.pdf", note="64 corrected of 314 concluded: 20.4 %"),
        Example(True, cells={"review.upheld": 3, "review.corrected": 2, "review.total": 5}),
        Example(False, cells={"review.upheld": 3, "review.corrected": 2, "review.total": 5}, options={"threshold": 0.5}),
        Example(False, cells={"review.corrected": 1, "review.total": 1}, note="one case: below min_cases"),
        Example(False, file="corpora/markdown/2025-shanghai-govoffice-converted.md", note="0 corrected of 50"),
    ],
)
def review_correction_rate(document: Document, *, threshold: float = 0.2, min_cases: int = 3) -> Iterator[Hit]:
    """The rate is 结果纠正 / (总计 − 尚未审结) of 表四's 行政复议 group, as read; nothing is reported
    when a cell is missing or not a number, or when fewer than ``min_cases`` cases were concluded
    (one corrected case of one is not a rate worth a flag)."""
    cells = document.report.cells
    wanted = [cells.get(f"review.{m}") for m in ("corrected", "pending", "total")]
    if any(c is None or c.value is None for c in wanted):
        return
    corrected, pending, total = wanted
    concluded = total.value - pending.value
    if concluded < max(min_cases, 1):
        return
    rate = corrected.value / concluded
    if rate > threshold:
        yield Hit(
            f"行政复议纠错率 {rate:.1%} (结果纠正 {corrected.value} of {concluded:g} concluded cases) is above "
            f"the threshold {threshold:.0%}",
            corrected.position,
            tuple(Evidence.of_cell(c) for c in wanted),
        )


@hookimpl
def auditor_register_rules(register):
    """Rule IND001."""
    register(*rules)
