"""Changes against the year before that a narrative states (auditor.changes) and the cross-year
rule Y006 that holds them to the body's report on the year before, both ways."""

from __future__ import annotations

import json

import pytest
from conftest import CORPORA, read_text

from auditor.changes import StatedChange, Statements
from auditor.cli import main
from auditor.document import Document
from auditor.facts import ReportFacts
from auditor.records import report_record

HEAD = "平潭测试局{year}年政府信息公开工作年度报告\n一、总体情况\n{year}年，我局认真贯彻落实《条例》。\n（二）依申请公开\n"


def _changes(sentence: str, year: int = 2023) -> list[tuple]:
    report = read_text(HEAD.format(year=year) + sentence + "\n五、存在的主要问题及改进情况\n公开内容有待丰富。\n")
    document = Document.of(report)
    return [(c.key, c.value, c.change, c.relative, c.decimals) for c in document.changes]


def test_a_real_stated_fall_is_read():
    # 上海市人民政府办公厅 2019 (corpora/html/2019-shanghai-govoffice-page.html)
    found = _changes("市政府办公厅代表市政府共受理政府信息公开申请859件，申请数量较去年回落12.3%。", 2019)
    assert found == [("requests.received.total", 859, -12.3, True, 1)]


@pytest.mark.parametrize("sentence, expected", [
    ("本年度共受理政府信息公开申请15件，较上年增加3件，同比增长25%。",  # two changes of one figure: the first is read
     [("requests.received.total", 15, 3.0, False, 0)]),
    ("本年度共受理政府信息公开申请15件，比2022年减少2件。", [("requests.received.total", 15, -2.0, False, 0)]),
    ("本年度共受理政府信息公开申请15件，与去年同期相比，增长了25%。", [("requests.received.total", 15, 25.0, True, 0)]),
    # the whole restated between the figure and its change (上海 2019: "申请数量较去年回落12.3%")
    ("收到政府信息公开申请75件，申请数量同比增长7.1%。", [("requests.received.total", 75, 7.1, True, 1)]),
])
def test_stated_changes_are_read(sentence, expected):
    assert _changes(sentence) == expected


@pytest.mark.parametrize("sentence", [
    # a 2021-template report: a count of 主动公开 items is no quantity of its tables (a 统计表 row's before 2019)
    "2023年度我局共主动公开政府信息360条，公开数量同比增长120.9%。",
    "本年度共受理政府信息公开申请15件，比2021年增加3件。",  # not the year before 2023
    "本年度共受理政府信息公开申请15件，其中网上申请9件，较上年增加3件。",  # another number between
    "本年度共受理政府信息公开申请15件。较上年增加3件。",  # another sentence
    "本年度依申请公开办结率100%，较上年提高5个百分点。",  # a rate's change
    "本年度共受理政府信息公开申请15件，较上年增加约3件。",  # approximate
    # another quantity's change after the figure (a newcomer's variants of the real 平潭 2022 sentence)
    "收到政府信息公开申请75件，办结率较上年提高2%。",
    "收到政府信息公开申请75件，其中网上申请较上年增加12件。",
    "收到政府信息公开申请75件，网上申请占比较上年提高3%。",
    "收到政府信息公开申请75件，平均办理时限较上年减少3个工作日。",
])
def test_what_is_not_read_as_a_stated_change(sentence):
    assert _changes(sentence) == []


@pytest.mark.parametrize("value, change, decimals, previous, fits", [
    (360, 120.9, 1, 163, True),   # 平潭 公安局 2014: 360 / 163 = 2.2086 → +120.9 %
    (360, 120.9, 1, 235, False),  # against its 2013 total: +53.2 %
    (859, -12.3, 1, 979, True),   # 859 / 979 − 1 = −12.26 % → 12.3 (rounded)
    (859, -12.2, 1, 979, True),   # … or 12.2 (truncated)
    (859, -12.3, 1, 990, False),  # −13.2 %
    (15, 25, 0, 12, True),
    (15, 25, 0, 0, False),        # no growth from nothing
])
def test_a_percentage_fits_at_its_rounding_or_truncation(value, change, decimals, previous, fits):
    assert StatedChange("k", value, change, True, decimals, "", None).fits(previous) is fits


def test_a_count_change_fits_exactly():
    change = StatedChange("k", 15, -2, False, 0, "", None)
    assert change.fits(17) and not change.fits(13) and change.computed(13) == "+2" and change.stated == "-2"


def _report(tmp_path, year: int, sentence: str):
    path = tmp_path / f"{year}-test.txt"
    path.write_text(HEAD.format(year=year) + sentence + "\n五、存在的主要问题及改进情况\n公开内容有待丰富。\n", "utf-8")
    return path


def _y006(capsys, *paths):
    main(["check", "--select", "Y006", "--format", "jsonl", "--jobs", "1", *map(str, paths)])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    return {line["path"].rsplit("/", 1)[1]: [f["message"] for f in line["findings"]] for line in lines if "path" in line}


def test_y006_a_change_that_last_year_does_not_give(tmp_path, capsys):
    paths = [_report(tmp_path, 2022, "本年度共受理政府信息公开申请10件，均已按时答复。"),
             _report(tmp_path, 2023, "本年度共受理政府信息公开申请15件，较上年增加3件。")]
    found = _y006(capsys, *paths)
    assert found["2022-test.txt"] == []
    [message] = found["2023-test.txt"]
    assert message.startswith("“政府信息公开申请15件，较上年增加3件”: the report on 2022 (")
    assert message.endswith("gives 10 for it, a change of +5, not +3")


def test_y006_quiet_when_it_fits_or_a_count_of_last_year_gives_it(tmp_path, capsys):
    fits = [_report(tmp_path, 2022, "本年度共受理政府信息公开申请12件，均已按时答复。"),
            _report(tmp_path, 2023, "本年度共受理政府信息公开申请15件，较上年增加3件。")]
    assert _y006(capsys, *fits) == {"2022-test.txt": [], "2023-test.txt": []}
    # last year's narrative prints 12 of something else (as 平潭 公安局 2014 grew against its portal's 163)
    other = tmp_path / "other"
    other.mkdir()
    measured = [_report(other, 2022, "本年度共受理政府信息公开申请10件，通过网站受理12件。"),
                _report(other, 2023, "本年度共受理政府信息公开申请15件，较上年增加3件。")]
    assert _y006(capsys, *measured) == {"2022-test.txt": [], "2023-test.txt": []}


def test_y006_needs_last_years_report(tmp_path, capsys):
    assert _y006(capsys, _report(tmp_path, 2023, "本年度共受理政府信息公开申请15件，较上年增加3件。")) == {"2023-test.txt": []}


def test_statements_cross_the_record_as_plain_data():
    # the real 2019 上海市人民政府办公厅 page: 859 received, 12.3 % fewer than the year before
    from auditor.audit import audit_file
    from auditor.plugins import PluginHost

    result = audit_file(CORPORA / "html" / "2019-shanghai-govoffice-page.html", PluginHost())
    record = report_record(result, cells=("stated",))
    facts = ReportFacts.of_record(json.loads(json.dumps(record)), ("stated",))
    assert isinstance(facts.stated, Statements) and facts.stated.changes == result.document.changes
    assert facts.stated.quantities["requests.new.total"] == (859,) and 859 in facts.stated.quantities["requests.received.total"]
    assert ReportFacts.of_record({k: v for k, v in record.items() if k != "stated"}).stated is None


GAJ = [CORPORA / "pre2019" / "2013-pingtan-gaj-page.txt", CORPORA / "pre2019" / "2014-pingtan-gaj-page.txt"]


def test_a_pre2019_row_statement_is_a_changes_figure():
    # 平潭 公安局 2014: "其中2014年度我局共主动公开政府信息360条，公开数量同比增长120.9%" (统计表 主动公开 row)
    from auditor.audit import read_document
    from auditor.plugins import PluginHost

    [change] = read_document(GAJ[1], PluginHost()).changes
    assert (change.key, change.value, change.change, change.relative) == ("statistics.active.year", 360, 120.9, True)
    assert change.text == "主动公开政府信息360条，公开数量同比增长120.9%"
    # the clipped "比升" of the same body's 2018 report, in a 统计表 layout
    text = ("平潭测试局2018年政府信息公开工作年度报告\n一、概述\n其中2018年度我局共主动公开政府信息181条，比升11%。\n"
            "六、政府信息公开情况统计表\n指标名称 计量单位 2018年度 历年累计\n主动公开文件数 条 181 1568\n"
            "受理依申请公开信息总数 条 0 3\n行政复议数 件 0 0\n")
    [change] = Document.of(PluginHost().read("<text>.txt", text.encode("utf-8"))).changes
    assert (change.key, change.value, change.change) == ("statistics.active.year", 181, 11.0)


def test_y006_quiet_on_a_growth_measured_against_last_years_portal_count(capsys):
    # 2013 printed 235 主动公开 in all, 163 of them on the 管委会 portal: 360 / 163 − 1 = 120.9 %, against
    # 235 it would be 53.2 %. A careful reader cannot tell which was meant: no finding.
    assert _y006(capsys, *GAJ) == {"2013-pingtan-gaj-page.txt": [], "2014-pingtan-gaj-page.txt": []}


def test_y006_fires_when_no_figure_of_last_year_gives_the_growth(tmp_path, capsys):
    # the same pair with 2013's portal count printed as 164: 360 / 164 − 1 = 119.5 %, 360 / 235 − 1 = 53.2 %
    text = GAJ[0].read_text("utf-8")
    assert text.count("分别公布信息163条") == 1
    earlier = tmp_path / GAJ[0].name
    earlier.write_text(text.replace("分别公布信息163条", "分别公布信息164条"), "utf-8")
    found = _y006(capsys, earlier, GAJ[1])
    [message] = found["2014-pingtan-gaj-page.txt"]
    assert message.startswith("“主动公开政府信息360条，公开数量同比增长120.9%”: the report on 2013 (")
    assert message.endswith("gives 235 for it, a change of +53.2%, not +120.9%")


JJF = (CORPORA / "pre2019/2018-pingtan-jjf-page.txt", CORPORA / "holdout/2019-pingtan-jjf-page.txt")


def test_a_shares_change_in_points_is_read():
    """平潭 经济发展局 2019 and 2018: a share of named 公开属性 and its change, in points or printed with %."""
    found = _changes("全年共制发政府信息437条，其中，主动公开政府信息55条、依申请公开341条、不予公开41条，"
                     "主动公开及依申请公开政府信息占比高达90.62%，较2018年上升1.14个百分点；", 2019)
    assert found == [("share.主动公开+依申请公开", 90.62, 1.14, False, 2)]
    found = _changes("今年我局共制作政府信息523条，主动公开政府信息94条，依申请公开信息数374条，不予公开信息数55条，"
                     "主动公开和依申请公开的政府信息共468条，占全部信息的89.48%，比2017年的77.73%提高了11.75%。", 2018)
    assert found == [("share.主动公开+依申请公开", 89.48, 11.75, True, 2)]
    # a share of something else, or a rate, is no named share
    assert _changes("通过网站主动公开的信息占95%，较上年提高2个百分点。", 2019) == []
    assert _changes("按时办结率100%，较上年提高2个百分点。", 2019) == []


@pytest.mark.parametrize("value, change, relative, previous, fits", [
    (90.62, 1.14, False, 89.48, True),
    (90.62, 1.13, False, 89.48, True),  # computed from unrounded shares (90.618 − 89.484 = 1.134)
    (90.62, 2.14, False, 89.48, False),
    (89.48, 11.75, True, 77.73, True),  # "提高了11.75%": points, printed with %
    (89.48, 15.12, True, 77.73, True),  # or relative: (89.48 − 77.73) / 77.73 = 15.12 %
    (89.48, 15.12, False, 77.73, False),  # 个百分点 is never relative
])
def test_a_shares_change_fits_in_points(value, change, relative, previous, fits):
    assert StatedChange("share.主动公开+依申请公开", value, change, relative, 2, "", None).fits(previous) is fits


def test_y006_a_shares_change_against_last_years_share(tmp_path, capsys):
    """The real pair agrees (90.62 − 89.48 = 1.14); printed 2.14 points, the 2019 report differs from 2018's."""
    assert _y006(capsys, *JJF) == {"2018-pingtan-jjf-page.txt": [], "2019-pingtan-jjf-page.txt": []}
    later = tmp_path / JJF[1].name
    later.write_text(JJF[1].read_text("utf-8").replace("上升1.14个百分点", "上升2.14个百分点"), "utf-8")
    found = _y006(capsys, JJF[0], later)
    [message] = found["2019-pingtan-jjf-page.txt"]
    assert message.startswith("“90.62%，较2018年上升2.14个百分点”: the report on 2018 (")
    assert message.endswith("gives 89.48 for it, a change of +1.14, not +2.14")


def test_a_count_over_several_years_is_not_the_years():
    """平潭 经济发展局 2018: "近3年共受理信息公开申请2件" against 受理 0 this year (2 in 历年累计) is no contradiction."""
    tail = "\n五、存在的主要问题及改进情况\n公开内容有待丰富。\n"
    report = read_text(HEAD.format(year=2018) + "近3年共受理信息公开申请2件，1件通过邮寄纸质材料书面申请。" + tail)
    assert [(f.value, f.period) for f in Document.of(report).figures if f.kind == "count"][:1] == [(2, "other")]
    report = read_text(HEAD.format(year=2018) + "2018年以来共受理信息公开申请2件。" + tail)  # a year, not a span
    assert [(f.value, f.period) for f in Document.of(report).figures if f.kind == "count"] == [(2, "current")]
