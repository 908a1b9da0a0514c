"""Across a body's years: what one year's report carries into the next must be what the next
report says it received (issue 9; the peer systems' "年报差异比对").

Opt-in (``--extend-select Y``, or ``extend-select = ["Y"]`` in the configuration): a batch rule
makes a run's output wait for the whole batch. Batch rules over the reports of one body (``auditor.facts.ReportGroup``, the body's names joined
by ``auditor.bodies``). A year is compared with the year before only when each year's reports
agree on the cells compared (the same report found twice is one; two different reports of one
body and year leave that year out), only for cells that hold numbers in both, and only between
template generations in which the compared cells mean the same thing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from auditor import STATED, BatchHit, Cell, Evidence, Example, ExampleReport, Message, RuleSet, hookimpl, join
from auditor.facts import ReportFacts, ReportGroup
from auditor.template import load_template

rules = RuleSet()

# 表三's rows 二 and 四 and their columns are the same in the 2019 试行 template and the 2021 one
# (the 2019 table is the 2021 table with (六)'s sub-rows collapsed): a 2020 report's 结转下年度 is
# what a 2021 report's 上年结转 must be. Free-form reports have no such rows.
CARRY_GENERATIONS = frozenset({"2019", "2021"})
# 表二's 本年制发 / 本年废止 / 现行有效 columns exist in the 2021 template only (2019: 本年新制作 /
# 本年新公开 / 对外公开总数量, another quantity).
STOCK_GENERATIONS = frozenset({"2021"})
STOCK_ITEMS = ("regulations", "normative_documents")


def _published(fires: bool, earlier: str, later: str, note: str) -> Example:
    """An example of two published reports of the corpus (paths from the project's root)."""
    return Example(fires, reports=(ExampleReport(file=earlier), ExampleReport(file=later)), note=note)


def _columns() -> tuple[str, ...]:
    template = load_template("2021")
    return tuple(k.rsplit(".", 1)[1] for k in template.cells if k.startswith("requests.carried_over."))


def _one(reports: Sequence[ReportFacts], keys: Sequence[str]) -> ReportFacts | None:
    """The report of a body-year when its reports agree on ``keys`` (the same report found
    twice, perhaps read better in one format than in another: an unread cell agrees with any
    value): the one with the most of them read; None when two read values differ."""
    for key in keys:
        if len({r.value(key) for r in reports} - {None}) > 1:
            return None
    return max(reports, key=lambda r: sum(r.value(k) is not None for k in keys), default=None)


def _at(cell: Cell | None) -> Message:
    position = cell.position if cell is not None else None
    return Message(" (line {line})", line=position.line) if position is not None else Message("")


def _comparable(group: ReportGroup, generations: frozenset[str], keys: Sequence[str]) -> Iterator[tuple[ReportFacts, ReportFacts]]:
    """(this year's report, last year's report) of every two consecutive years of ``group``
    whose templates are among ``generations``; last year's reports must agree on ``keys``."""
    years = group.by_year()
    for year in sorted(years):
        before = years.get(year - 1)
        if not before:
            continue
        last = _one([r for r in before if r.template in generations], keys)
        if last is None:
            continue
        for now in years[year]:
            if now.template in generations and now.path != last.path:
                yield now, last


@rules.rule(
    "Y001", "carry-over-differs", "warning",
    "表三's 上年结转 this year differs, in a column, from 结转下年度 in the same body's report on the year before.",
    kind="cross_year", scope="batch", opt_in=True, reads=("requests.carried_over.*", "requests.carried_forward.*"),
    source="国办公开办函〔2021〕30号 表三: 四、结转下年度继续办理 of one year is 二、上年结转 of the next",
    rationale=(
        "The requests a body carries into the next year (表三 row 四, 结转下年度继续办理) are the ones its next "
        "report says it received from the year before (row 二, 上年结转), column by column. One finding per "
        "report, on the 上年结转 row, naming the columns that differ and last year's report. Reports of the "
        "2019 and 2021 templates are compared (the rows are the same); a column is skipped when either cell is "
        "not a number, and a year with two reports of the body that disagree is skipped. A warning: a body may "
        "have corrected last year's figure, which the later report then states."
    ),
    examples=[
        Example(True, reports=(
            ExampleReport(year=2022, cells={"requests.carried_forward.natural_person": 1, "requests.carried_forward.total": 1}),
            ExampleReport(year=2023, cells={"requests.carried_over.natural_person": 0, "requests.carried_over.total": 0}),
        ), note="one request carried forward from 2022, none carried over in 2023"),
        _published(False, "corpora/pdf/2023-hongze-district.pdf", "corpora/pdf/2024-hongze-district.pdf",
                   "洪泽区人民政府 2023 and 淮安市洪泽区人民政府 2024 (one body): 0 carried forward, 0 carried over"),
        _published(False, "corpora/flattened/2021-pingtan-page.txt", "corpora/flattened/2022-pingtan-page.txt",
                   "平潭综合实验区: 2021 carries 1 (自然人) forward, 2022 carries 1 over"),
        Example(False, reports=(
            ExampleReport(year=2022, cells={"requests.carried_forward.total": 1}),
            ExampleReport(year=2023, agency="另一县人民政府办公室", cells={"requests.carried_over.total": 0}),
        ), note="two bodies"),
    ],
)
def carry_over_differs(group: ReportGroup) -> Iterator[BatchHit]:
    columns = _columns()
    forward_keys = [f"requests.carried_forward.{c}" for c in columns]
    template = load_template("2021")
    for now, last in _comparable(group, CARRY_GENERATIONS, forward_keys):
        differ = []
        for column in columns:
            carried, forward = now.cells.get(f"requests.carried_over.{column}"), last.cells.get(f"requests.carried_forward.{column}")
            if carried is None or forward is None or carried.value is None or forward.value is None:
                continue
            if carried.value != forward.value:
                differ.append((template.label(carried.key).rsplit(" / ", 1)[1], carried, forward))
        if not differ:
            continue
        said = join(f"{name} {c.value:g}" for name, c, _ in differ)
        before = join(f"{name} {f.value:g}" for name, _, f in differ)
        yield BatchHit(
            now.path,
            Message("表三 二、上年结转 gives {said}, but the report on {year} ({path}) carried forward (四、结转下年度继续办理) "
                    "{before}{at}", said=said, year=last.year, path=last.path, before=before, at=_at(differ[0][2])),
            differ[0][1].position,
            tuple(Evidence.of_cell(c) for _, c, _ in differ),
        )


@rules.rule(
    "Y002", "stock-differs", "warning",
    "表二's 现行有效件数 of 规章 or 行政规范性文件 is not last year's plus this year's 本年制发 minus 本年废止.",
    kind="cross_year", scope="batch", opt_in=True, generations=("2021",),
    reads=("active.regulations.*", "active.normative_documents.*"),
    source="国办公开办函〔2021〕30号 表二 第二十条第（一）项: 本年制发件数, 本年废止件数, 现行有效件数",
    rationale=(
        "The documents in force at the end of a year are those in force a year before, plus those issued, minus "
        "those repealed in the year: this year's 现行有效件数 = last year's + 本年制发件数 − 本年废止件数, for 规章 "
        "and for 行政规范性文件, between two reports of the 2021 template. A warning, not an error: documents "
        "also lapse when their term ends, and a clean-up (全面清理) recounts the stock; when the report's "
        "narrative mentions a clean-up, the finding quotes it."
    ),
    examples=[
        Example(True, reports=(
            ExampleReport(year=2022, cells={"active.normative_documents.in_force": 5}),
            ExampleReport(year=2023, cells={"active.normative_documents.issued": 3, "active.normative_documents.repealed": 0,
                                            "active.normative_documents.in_force": 10}),
        ), note="5 in force, 3 issued, none repealed: 8, not 10"),
        _published(True, "corpora/flattened/2021-pingtan-gaj-page.txt", "corpora/flattened/2022-pingtan-gaj-page.txt",
                   "平潭 公安局 行政规范性文件: 2 in force in 2021; 4 issued, 1 repealed, 7 in force in 2022 (5 expected)"),
        _published(True, "corpora/html/2024-pingtan-jsp-page.html", "corpora/flattened/2025-pingtan-jsp-page.txt",
                   "平潭 君山片区: 11 in force in 2024; none issued or repealed, 0 in force in 2025"),
        _published(False, "corpora/pdf/2023-hongze-district.pdf", "corpora/pdf/2024-hongze-district.pdf",
                   "洪泽区 行政规范性文件: 5 in force in 2023; 3 issued, 0 repealed, 8 in force in 2024"),
    ],
)
def stock_differs(group: ReportGroup) -> Iterator[BatchHit]:
    for item in STOCK_ITEMS:
        keys = [f"active.{item}.{m}" for m in ("issued", "repealed", "in_force")]
        for now, last in _comparable(group, STOCK_GENERATIONS, keys[2:]):
            before = last.cells.get(keys[2])
            issued, repealed, in_force = (now.cells.get(k) for k in keys)
            cells = (before, issued, repealed, in_force)
            if any(c is None or c.value is None for c in cells):
                continue
            expected = before.value + issued.value - repealed.value
            if expected == in_force.value:
                continue
            name = load_template("2021").label(in_force.key).split(" / ")[0]
            message = Message(
                "表二 {name}: 现行有效件数 {in_force}, but the report on {year} ({path}) had {before} in force{at}, and "
                "{before} + {issued} issued − {repealed} repealed = {expected}", name=name, in_force=f"{in_force.value:g}",
                year=last.year, path=last.path, before=f"{before.value:g}", at=_at(before), issued=f"{issued.value:g}",
                repealed=f"{repealed.value:g}", expected=f"{expected:g}")
            clean_up = now.mentions.get("clean_up")
            if clean_up:
                message += Message("; the report mentions a clean-up, which can explain it: “{quote}”", quote=clean_up)
            yield BatchHit(now.path, message, in_force.position, (Evidence.of_cell(in_force), Evidence.of_cell(issued),
                                                                 Evidence.of_cell(repealed)))


@rules.rule(
    "Y005", "cumulative-carry-differs", "warning",
    "Pre-2019 统计表: a row's 历年累计 is not the same body's 历年累计 of the year before plus this year's figure.",
    kind="cross_year", scope="batch", opt_in=True, generations=("pre2019",), reads=("statistics.*",),
    source="the old 政府信息公开情况统计表: 历年累计 counts every year up to and including the report's",
    rationale=(
        "历年累计 is a running total: this year's equals last year's plus this year's figure, row by row (主动公开, "
        "受理, 答复 …), between two pre-2019 reports of one body on consecutive years that print both columns. One "
        "finding per report, on the first row that differs, naming last year's report. A warning: a body that was "
        "reorganised may restart its total, and a recount changes it — the report should say so."
    ),
    examples=[
        _published(True, "corpora/pre2019/2016-pingtan-page.txt", "corpora/pre2019/2017-pingtan-zone-page.txt",
                   "平潭综合实验区 主动公开: 85376 in all years to 2016, 2122 in 2017, but 10037 in all years to 2017"),
        _published(False, "corpora/pre2019/2014-pingtan-page.txt", "corpora/pre2019/2015-pingtan-page.txt",
                   "平潭综合实验区(管委会): 78967 + 2949 = 81916, and 1 + 0 = 1 requests"),
        _published(False, "corpora/pre2019/2017-pingtan-hjgtj-page.txt", "corpora/pre2019/2018-pingtan-hjgtj-page.txt",
                   "环境与国土资源局: 主动公开 2027 + 477 = 2504 (2017's run “6262027” read as the narrative settles it)"),
        Example(False, reports=(
            ExampleReport(text="平潭测试局2013年政府信息公开工作年度报告\n一、概述\n2013年主动公开政府信息100条。\n"
                               "六、政府信息公开情况统计表\n指标名称 计量单位 2013年度 历年累计\n主动公开文件数 条 100 740\n"
                               "受理依申请公开信息总数 条 1 4\n行政复议数 件 0 0\n"),
            ExampleReport(text="平潭测试局2014年政府信息公开工作年度报告\n一、概述\n2014年主动公开政府信息120条。\n"
                               "六、政府信息公开情况统计表\n指标名称 计量单位 2014年度 历年累计\n主动公开文件数 条 120 860\n"
                               "受理依申请公开信息总数 条 3 7\n行政复议数 件 0 0\n"),
        ), note="740 + 120 = 860, 4 + 3 = 7"),
    ],
)
def cumulative_carry_differs(group: ReportGroup) -> Iterator[BatchHit]:
    statistics = load_template("pre2019").statistics
    if statistics is None:
        return
    keys = [f"statistics.{i.key}.cumulative" for i in statistics.items]
    for now, last in _comparable(group, frozenset({"pre2019"}), keys):
        differ = []
        for item in statistics.items:
            before = last.cells.get(f"statistics.{item.key}.cumulative")
            year, total = now.cells.get(f"statistics.{item.key}.year"), now.cells.get(f"statistics.{item.key}.cumulative")
            if any(c is None or c.value is None for c in (before, year, total)):
                continue
            if before.value + year.value != total.value:  # type: ignore[union-attr,operator]
                differ.append((item, before, year, total))
        if not differ:
            continue
        item, before, year, total = differ[0]
        more = Message("; {count} more row(s) differ", count=len(differ) - 1) if len(differ) > 1 else Message("")
        expected = before.value + year.value  # type: ignore[union-attr,operator]
        yield BatchHit(
            now.path,
            Message("{table} {row}: 历年累计 {total}, but the report on {year} ({path}) had {before} in all years{at}, and "
                    "{before} + {this_year} this year = {expected}{more}", table=statistics.name, row=item.label,
                    total=f"{total.value:g}", year=last.year, path=last.path, before=f"{before.value:g}",  # type: ignore[union-attr]
                    at=_at(before), this_year=f"{year.value:g}", expected=f"{expected:g}", more=more),  # type: ignore[union-attr]
            total.position,  # type: ignore[union-attr]
            (Evidence.of_cell(total), Evidence.of_cell(year), Evidence.of_cell(before)),  # type: ignore[arg-type]
        )


def _stated_report(year: int, sentence: str) -> ExampleReport:
    return ExampleReport(text=f"平潭测试局{year}年政府信息公开工作年度报告\n一、总体情况\n{year}年，我局认真贯彻落实《条例》。\n"
                              f"（二）依申请公开\n{sentence}\n五、存在的主要问题及改进情况\n公开内容有待丰富。\n")


@rules.rule(
    "Y006", "stated-change-differs", "warning",
    "A change against the year before that the narrative states after a figure (“共受理政府信息公开申请15件，较上年增加3件”, "
    "“同比增长25%”, “占比90.62%，较2018年上升1.14个百分点”) is not what the same body's report on the year before gives "
    "for that quantity.",
    kind="cross_year", scope="batch", opt_in=True, reads=(STATED,),
    source="the report's own statement, held to the previous report (统计 of one year is the base of the next year's 同比)",
    rationale=(
        "A change is read where it follows a figure resolved to a quantity (受理申请, 予以公开, 行政复议 …), or in a "
        "pre-2019 report a statement of a 统计表 row's figure (我局共主动公开政府信息360条), in the same sentence with no "
        "other number between, against the year before (较上年, 比去年, 同比, the clipped 比升, or the previous year "
        "named). Last year's value is every value the same body's report on the year before gives for that quantity "
        "— each reading of its tables and each figure of its narrative —; the change fits when one of them gives it: "
        "the difference for a count, (this − last) / last × 100 at the rounding or the truncation of the stated "
        "percentage. No finding when last year's report is not in the batch or gives no value for the quantity, and "
        "none when any count its narrative prints would give the change (a growth measured against a portal's count "
        "rather than the total). A share whose subject names members of a partition (“主动公开及依申请公开政府信息占比"
        "90.62%，较2018年上升1.14个百分点”) is compared with the shares of the same members last year's narrative "
        "states, in points (within the rounding of the printed values; a change printed with % may also be "
        "relative). A warning: a body may compare with a corrected figure of last year."
    ),
    examples=[
        Example(True, reports=(
            _stated_report(2022, "本年度共受理政府信息公开申请10件，均已按时答复。"),
            _stated_report(2023, "本年度共受理政府信息公开申请15件，较上年增加3件。"),
        ), note="15 − 10 = 5, not the stated 3"),
        Example(False, reports=(
            _stated_report(2022, "本年度共受理政府信息公开申请12件，均已按时答复。"),
            _stated_report(2023, "本年度共受理政府信息公开申请15件，较上年增加3件，同比增长25%。"),
        ), note="15 − 12 = 3, and 3 / 12 = 25%"),
        _published(False, "corpora/pre2019/2013-pingtan-gaj-page.txt", "corpora/pre2019/2014-pingtan-gaj-page.txt",
                   "平潭 公安局 2014 “主动公开政府信息360条，公开数量同比增长120.9%”: against 2013's 235 it is +53.2 %, "
                   "but against the 163 items 2013 put on the 管委会 portal it is +120.9 %: which was meant cannot be told"),
        _published(False, "corpora/pre2019/2018-pingtan-jjf-page.txt", "corpora/holdout/2019-pingtan-jjf-page.txt",
                   "平潭 经济发展局 2019 “主动公开及依申请公开政府信息占比高达90.62%，较2018年上升1.14个百分点”: the 2018 report "
                   "states “主动公开和依申请公开的政府信息共468条，占全部信息的89.48%”, and 90.62 − 89.48 = 1.14"),
        Example(False, reports=(
            _stated_report(2022, "本年度共受理政府信息公开申请10件，其中网上申请7件。"),
            _stated_report(2023, "本年度共受理政府信息公开申请15件，比2021年增加3件。"),
        ), note="compared with another year than the one before"),
    ],
)
def stated_change_differs(group: ReportGroup) -> Iterator[BatchHit]:
    years = group.by_year()
    for year in sorted(years):
        before = [r for r in years.get(year - 1, ()) if r.stated is not None]
        for now in years[year]:
            if now.stated is None or not before:
                continue
            for change in now.stated.changes:
                previous = sorted({v for r in before for v in r.stated.quantities.get(change.key, ())})  # type: ignore[union-attr]
                if not previous or any(change.fits(v) for v in previous):
                    continue
                if any(change.fits(v) for r in before for v in r.stated.counts):  # type: ignore[union-attr]
                    continue
                yield BatchHit(
                    now.path,
                    Message("“{text}”: the report on {year} ({path}) gives {previous} for it, a change of {computed}, not "
                            "{stated}", text=change.text, year=year - 1, path=before[0].path,
                            previous=join(f"{v:g}" for v in previous), computed=join(change.computed(v) for v in previous),
                            stated=change.stated),
                    change.position,
                    (Evidence("narrative", change.key, change.value, change.position, change.text),),
                )


ITEM_COUNTS = ("licensing", "other_services", "punishment", "coercion", "fees")  # 2019 表二 rows with 上一年项目数量


@rules.rule(
    "Y007", "item-count-differs", "warning",
    "2019 试行 表二: this year's 上一年项目数量 of 行政许可, 行政处罚, 行政强制, 行政事业性收费 … is not last year's "
    "上一年项目数量 plus its 本年增/减.",
    kind="cross_year", scope="batch", opt_in=True, generations=("2019",),
    reads=tuple(f"active.{item}.{m}" for item in ITEM_COUNTS for m in ("previous_items", "change")),
    source="国办公开办函〔2019〕60号 表二 第二十条第（五）（六）（八）项: 上一年项目数量, 本年增/减",
    rationale=(
        "The 2019 试行 template counts the items (事项) a body administers — 行政许可, 其他对外管理服务事项, 行政处罚, "
        "行政强制, 行政事业性收费 — as last year's number and this year's change: the number at the end of a year is "
        "上一年项目数量 + 本年增/减, which is the next report's 上一年项目数量. Compared between two reports of the "
        "2019 template on consecutive years (reports on 2019 and 2020; the 2021 template has no such columns), row by "
        "row where all three cells hold numbers; one finding per report naming the rows. A warning: a body may "
        "correct last year's count."
    ),
    examples=[
        Example(True, reports=(
            ExampleReport(year=2019, cells={"active.punishment.previous_items": 2648, "active.punishment.change": 0}),
            ExampleReport(year=2020, cells={"active.punishment.previous_items": 2630, "active.punishment.change": 5}),
        ), note="2648 + 0 items at the end of 2019, 2630 the year before 2020"),
        _published(False, "corpora/html/2019-pingtan-zone-page-2019template.html",
                   "corpora/html/2020-pingtan-zone-page-2019template.html",
                   "平潭综合实验区 2019 and 2020: 行政许可 396 | 0 → 396 | 442, 行政处罚 2648 | 0 → 2648 | −18, 行政事业性收费 35 | 0 → "
                   "35 | −15 …"),
    ],
)
def item_count_differs(group: ReportGroup) -> Iterator[BatchHit]:
    template = load_template("2019")
    keys = [f"active.{item}.{m}" for item in ITEM_COUNTS for m in ("previous_items", "change")]
    for now, last in _comparable(group, frozenset({"2019"}), keys):
        differ = []
        for item in ITEM_COUNTS:
            cells = (now.cells.get(f"active.{item}.previous_items"), last.cells.get(f"active.{item}.previous_items"),
                     last.cells.get(f"active.{item}.change"))
            if any(c is None or c.value is None for c in cells):
                continue
            this, before, change = cells
            if this.value != before.value + change.value:  # type: ignore[union-attr,operator]
                differ.append((template.label(this.key).split(" / ")[0], this, before, change))  # type: ignore[union-attr]
        if not differ:
            continue
        rows = join(Message("{row} {this} (last year {before} {change:+g} = {expected})", row=row, this=f"{this.value:g}",
                            before=f"{before.value:g}", change=change.value, expected=f"{before.value + change.value:g}")
                    for row, this, before, change in differ)
        yield BatchHit(
            now.path,
            Message("表二 上一年项目数量 is not the report on {year} ({path})'s 上一年项目数量 plus its 本年增/减: {rows}",
                    year=last.year, path=last.path, rows=rows),
            differ[0][1].position,
            tuple(Evidence.of_cell(c) for _, *cells in differ for c in cells),
        )


@hookimpl
def auditor_register_rules(register):
    register(*rules)
