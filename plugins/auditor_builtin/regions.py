"""A region's summary report against the reports of its units in one batch (issue 9: the peer
systems' region check).

A report that says it summarises its units (汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成;
the ``aggregate`` mention of ``auditor/data/figures.toml``) counts every request, case and decision
of theirs: for each count of its tables, the units' reports in the batch cannot add up to more.
The batch may hold only some units, so less is never reported; more is. A unit is a report whose
body's name is the summary's body's name with more after it (平潭综合实验区 → 平潭综合实验区公安局);
a sub-region's government or department (淮安市 → 淮安市洪泽区人民政府, 淮安市洪泽区财政局) only when the summary
names the whole region (全市, 各区县: ``aggregate_region``), since a city's report may summarise its own
departments only; a unit under another unit of the batch is left to that one (no double count).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fnmatch import fnmatchcase

from auditor import BatchHit, Evidence, Example, ExampleReport, Message, RuleSet, hookimpl, join
from auditor.bodies import body_keys, innermost_region, region_suffixes
from auditor.facts import ReportFacts, ReportGroup
from auditor.template import load_template

rules = RuleSet()

# The counts compared: totals that add up over a region's units (requests received, handled and
# carried forward; cases; decisions and documents issued), not stocks or shares. Only totals: how
# an applicant or a case's outcome is classed can differ between a unit's report and the summary
# written months later (平潭 2022: the summary's 2 行政复议 cases 纠正 1, 其他 1; 自然资源与生态环境局's
# 2 cases 纠正 1, 尚未审结 1) while the totals agree.
COUNTS = ("requests.new.total", "requests.carried_forward.total", "requests.total.total", "review.total",
          "litigation_direct.total", "litigation_after_review.total", "active.*.decisions", "active.*.issued")
SHOWN = 3  # cells a finding names


def _units(summary: ReportFacts, reports: Sequence[ReportFacts], keys: dict[str, str]) -> dict[str, list[ReportFacts]]:
    """The reports of ``summary``'s units of its year and template, by unit."""
    head = keys.get(summary.agency or "")
    whole = "aggregate_region" in summary.mentions
    units: dict[str, list[ReportFacts]] = {}
    for report in reports:
        key = keys.get(report.agency or "")
        if (head is None or key is None or key == head or not key.startswith(head) or report.year != summary.year
                or report.template != summary.template):
            continue
        rest = key[len(head):]
        if (key.endswith(region_suffixes()) or innermost_region(rest) is not None) and not whole:
            continue  # a sub-region's government or department: only in a summary of the whole region
        units.setdefault(key, []).append(report)
    # a unit under another unit of the batch is counted in that one's report (淮安市洪泽区司法局 in 淮安市洪泽区's)
    return {k: v for k, v in units.items() if not any(k != other and k.startswith(other) for other in units)}


def _value(reports: Sequence[ReportFacts], key: str) -> float | None:
    """A unit's count: its reports' value when they agree (one report found twice), else None."""
    values = {r.value(key) for r in reports}
    return values.pop() if len(values) == 1 else None


@rules.rule(
    "Y008", "units-exceed-summary", "warning",
    "A report that summarises its units (汇总…各有关单位) gives a count below what its units' reports in the batch add "
    "up to.",
    kind="region", scope="run", opt_in=True, reads=(*COUNTS,),
    source="the report's own scope statement (本报告…汇总…各有关单位…编制而成): it counts its units' requests, cases and "
           "decisions",
    rationale=(
        "A body's report that says it is compiled from its units' (汇总…各有关单位, 汇总全区…) counts their requests "
        "(表三 本年新收, 办理结果总计, 结转下年度: the 总计 column), cases (表四 总计) and decisions (表二): none of those totals "
        "can be below the sum of the same totals in the units' own reports of that year; the columns and outcomes "
        "are not compared (a case's outcome or an applicant's class may be told differently months later). The units are the reports of the batch whose "
        "body's name continues the summary's (平潭综合实验区公安局 under 平潭综合实验区), a sub-region's government only "
        "when the summary speaks of the whole region (全区, 全市, 各区县); one report per unit (a unit found twice "
        "counts once, and not at all where its copies disagree). The batch may miss units, so a sum below the "
        "summary's is never reported. A warning: a unit managed from above (a 垂直管理 body) may be left out of the "
        "summary on purpose."
    ),
    examples=[
        Example(True, reports=(
            ExampleReport(agency="平潭测试区管委会", year=2023, cells={"requests.new.total": 5, "requests.new.natural_person": 5},
                          paragraphs=("本报告由平潭测试区管委会汇总各有关单位政府信息公开工作情况编制而成。",)),
            ExampleReport(agency="平潭测试区公安局", year=2023, cells={"requests.new.total": 4, "requests.new.natural_person": 4}),
            ExampleReport(agency="平潭测试区财政局", year=2023, cells={"requests.new.total": 3, "requests.new.natural_person": 3}),
        ), note="the units received 4 + 3 = 7 requests, the summary 5"),
        Example(False, reports=(ExampleReport(file="corpora/flattened/2023-pingtan-page.txt"),
                                ExampleReport(file="corpora/html/2023-pingtan-zrz-page.html"),
                                ExampleReport(file="corpora/html/2023-pingtan-nyn-page.html"),
                                ExampleReport(file="corpora/holdout/2023-pingtan-jjp-page.html"),
                                ExampleReport(file="corpora/holdout/2023-pingtan-gwh-page.txt"),
                                ExampleReport(file="corpora/flattened/2023-pingtan-spp-page.txt")),
                note="平潭综合实验区 2023 (汇总…各有关单位): 81 new requests; 自然资源与生态环境局 19, 农业农村局 0, 金井片区 1, "
                     "管委会办公室 21, 苏平片区 0"),
        Example(False, reports=(
            ExampleReport(agency="平潭测试区管委会", year=2023, cells={"requests.new.total": 5, "requests.new.natural_person": 5}),
            ExampleReport(agency="平潭测试区公安局", year=2023, cells={"requests.new.total": 9, "requests.new.natural_person": 9}),
        ), note="a summary that does not say it summarises its units"),
    ],
)
def units_exceed_summary(group: ReportGroup) -> Iterator[BatchHit]:
    keys = body_keys(r.agency for r in group.reports)
    for summary in group.reports:
        if "aggregate" not in summary.mentions or summary.template is None:
            continue
        units = _units(summary, group.reports, keys)
        if not units:
            continue
        template = load_template(summary.template)
        over = []
        for key, cell in summary.cells.items():
            if cell.value is None or not any(fnmatchcase(key, pattern) for pattern in COUNTS):
                continue
            parts = {unit: v for unit, reports in units.items() if (v := _value(reports, key))}
            if sum(parts.values()) > cell.value:
                over.append((cell, parts))
        if not over:
            continue
        named = join(
            Message("{label} {value}, units {sum} ({parts})", label=template.label(cell.key), value=f"{cell.value:g}",
                    sum=f"{sum(parts.values()):g}", parts=join(f"{unit} {v:g}" for unit, v in parts.items()))
            for cell, parts in over[:SHOWN])
        more = Message("; {count} more", count=len(over) - SHOWN) if len(over) > SHOWN else Message("")
        yield BatchHit(
            summary.path,
            Message("The report summarises its units (“{quote}”), but their reports in the batch add up to more: "
                    "{named}{more}", quote=summary.mentions["aggregate"], named=named, more=more),
            over[0][0].position,
            tuple(Evidence.of_cell(cell) for cell, _ in over[:SHOWN]),
        )


@hookimpl
def auditor_register_rules(register):
    register(*rules)
