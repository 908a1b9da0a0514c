"""Across a body's years (issue 9): which printed names are one body, and the cross-year rules
Y001 (carry-over) and Y002 (stock of documents) on real consecutive reports, both ways."""

from __future__ import annotations

import json

import pytest

from auditor.bodies import body_key, body_keys
from auditor.cli import main
from auditor.facts import ReportFacts, group_reports
from auditor.figures.mentions import mentions
from conftest import CORPORA, read_text

HONGZE = [CORPORA / "pdf" / "2023-hongze-district.pdf", CORPORA / "pdf" / "2024-hongze-district.pdf"]
GAJ = [CORPORA / "flattened" / "2021-pingtan-gaj-page.txt", CORPORA / "flattened" / "2022-pingtan-gaj-page.txt"]
JSP = [CORPORA / "html" / "2024-pingtan-jsp-page.html", CORPORA / "flattened" / "2025-pingtan-jsp-page.txt"]


@pytest.mark.parametrize("names, one", [
    (("洪泽区人民政府", "淮安市洪泽区人民政府"), True),  # the corpus' 2023 and 2024 titles
    (("平潭综合实验区管委会", "平潭综合实验区"), True),
    (("平潭综合实验区苏平片区管理局关于报送", "平潭综合实验区苏平片区管理局"), True),  # a crawl's 2020 title
    (("平潭综合实验区管委会办公室", "平潭综合实验区管委会"), False),  # the office is another body
    (("上海市人民政府办公厅", "上海市人民政府"), False),
    (("淮安市人民政府", "淮安市洪泽区人民政府"), False),
    (("平潭综合实验区公安局", "平潭综合实验区市场监督管理局"), False),
])
def test_printed_names_of_one_body(names, one):
    keys = body_keys(names)
    assert (keys[names[0]] == keys[names[1]]) is one, keys


def test_a_name_under_two_higher_regions_stays_apart():
    keys = body_keys(["鼓楼区人民政府", "南京市鼓楼区人民政府", "福州市鼓楼区人民政府"])
    assert len(set(keys.values())) == 3
    assert body_key("  洪泽区 人民政府 ") == "洪泽区" and body_key("") is None


def test_reports_are_grouped_by_body_across_name_variants():
    facts = [ReportFacts(f"r{n}", None, agency, year, "2021") for n, (agency, year) in
             enumerate([("洪泽区人民政府", 2023), ("淮安市洪泽区人民政府", 2024), ("沭阳县发展和改革局", 2023)])]
    groups = {g.agency: [r.path for r in g.reports] for g in group_reports(facts)}
    assert groups == {"淮安市洪泽区": ["r0", "r1"], "沭阳县发展和改革局": ["r2"]}


HEAD = "2023年政府信息公开工作年度报告\n一、总体情况\n本年度政府信息公开工作有序开展。\n二、主动公开政府信息情况\n"


def test_a_clean_up_is_quoted_and_a_page_clean_up_is_not():
    # real sentences: 2024 平潭 财政金融局 and 2023 平潭 page (栏目噪音 is a website clean-up)
    report = read_text(f"{HEAD}加强政务信息管理。加强行政规范性文件管理，开展行政规范性文件清理和专项清理，按照“放管服”改革要求梳理。\n")
    assert mentions(report) == {"clean_up": "加强行政规范性文件管理，开展行政规范性文件清理和专项清理，按照“放管服”改革要求梳理。"}
    quiet = read_text(f"{HEAD}同时对历史栏目进行全面排查，清理栏目噪音。\n")
    assert mentions(quiet) == {}


def _y_findings(capsys, *paths):
    status = main(["check", "--select", "Y", "--format", "jsonl", "--jobs", "1", *map(str, paths)])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    return status, {line["path"].rsplit("/", 1)[1]: [(f["rule"], f["message"]) for f in line["findings"]] for line in lines}


def test_y002_stock_of_documents_across_two_years_of_one_body(capsys):
    # 平潭 公安局: 2021 行政规范性文件 "002" (2 in force); 2022 "417": 2 + 4 − 1 = 5, not 7
    status, found = _y_findings(capsys, *GAJ)
    assert found["2021-pingtan-gaj-page.txt"] == []
    [(rule, message)] = found["2022-pingtan-gaj-page.txt"]
    assert rule == "Y002" and message.startswith("表二 行政规范性文件: 现行有效件数 7, but the report on 2021 (")
    assert message.endswith("had 2 in force (line 10), and 2 + 4 issued − 1 repealed = 5")
    # 君山片区: 2024 "0 | 0 | 11" in HTML, 2025 "规范性文件000" in a crawl: 11 in force became 0
    _, found = _y_findings(capsys, *JSP)
    assert [rule for rule, _ in found["2025-pingtan-jsp-page.txt"]] == ["Y002"] and found["2024-pingtan-jsp-page.html"] == []
    # 洪泽区 (two names): 5 in force in 2023; 3 issued, 0 repealed, 8 in force in 2024
    _, found = _y_findings(capsys, *HONGZE)
    assert found == {"2023-hongze-district.pdf": [], "2024-hongze-district.pdf": []}


def test_y001_carry_over_holds_on_real_consecutive_reports(capsys):
    # 平潭 公安局 2021 carries 1 (自然人) forward, 2022 carries 1 over; 平潭 2021–2024 likewise
    pingtan = [CORPORA / "flattened" / f"{year}-pingtan-page.txt" for year in (2021, 2022, 2023, 2024)]
    _, found = _y_findings(capsys, *GAJ, *pingtan)
    assert not any(rule == "Y001" for items in found.values() for rule, _ in items)


def test_y001_carry_over_differs(tmp_path, capsys):
    # the 2021 公安局 report with its 结转下年度 row changed to 0: 2022 says it carried 1 over
    text = GAJ[0].read_text("utf-8")
    assert text.count("结转下年度继续办理1000001") == 1
    changed = tmp_path / "2021-pingtan-gaj-page.txt"
    changed.write_text(text.replace("结转下年度继续办理1000001", "结转下年度继续办理0000000"), "utf-8")
    _, found = _y_findings(capsys, changed, GAJ[1])
    [carry] = [message for rule, message in found["2022-pingtan-gaj-page.txt"] if rule == "Y001"]
    assert carry.startswith("表三 二、上年结转 gives 自然人 1, 总计 1, but the report on 2021 (")
    assert carry.endswith("carried forward (四、结转下年度继续办理) 自然人 0, 总计 0 (line 10)")


def test_no_comparison_without_the_template_cells(capsys):
    # 平潭 2014 and 2015 (pre-2019: no 表三 or 表二, and their 统计表's 历年累计 carry over: 78967 + 2949 = 81916)
    # and 自然资源与生态环境局 2020 (2019 template: 表二 counts 本年新制作 / 本年新公开 / 对外公开总数量, not
    # 现行有效) beside its 2021 report
    reports = [CORPORA / "pre2019" / "2014-pingtan-page.txt", CORPORA / "pre2019" / "2015-pingtan-page.txt",
               CORPORA / "html" / "2020-pingtan-zrz-page.html", CORPORA / "flattened" / "2021-pingtan-zrz-page.txt"]
    _, found = _y_findings(capsys, *reports)
    assert len(found) == 4 and all(items == [] for items in found.values())


def test_batch_facts_keep_only_the_cells_the_rules_read():
    record = {"path": "r", "readable": True, "agency": "x", "year": 2023, "template": "2021",
              "cells": [{"key": k, "table": "requests", "value": 1, "status": "ok", "line": 1, "column": 1}
                        for k in ("requests.carried_over.total", "requests.new.total")],
              "mentions": {"clean_up": "…清理…"}}
    facts = ReportFacts.of_record(record, ("requests.carried_over.*",))
    assert list(facts.cells) == ["requests.carried_over.total"] and facts.mentions == {"clean_up": "…清理…"}
    assert len(ReportFacts.of_record(record).cells) == 2


def test_cross_year_rules_are_opt_in(capsys, tmp_path):
    # a batch rule holds every line of output until the batch is done: Y runs only when named
    from auditor.config import Configuration

    default = Configuration()
    assert not default.selected("Y002", opt_in=True) and default.selected("A001")
    extended = default.with_command_line(extend_select=["Y"])
    assert extended.selected("Y002", opt_in=True) and extended.selected("A001")
    assert not default.with_command_line(select=["A"]).selected("Y002", opt_in=True)
    assert not default.with_command_line(extend_select=["Y"], ignore=["Y002"]).selected("Y002", opt_in=True)
    (tmp_path / "auditor.toml").write_text('extend-select = ["Y"]\n', "utf-8")
    assert Configuration.load(tmp_path / "auditor.toml").selected("Y001", opt_in=True)

    def rules(*options):
        assert main(["check", "--format", "jsonl", "--jobs", "1", *options, *map(str, GAJ)]) == 1  # 2021's A001
        return {f["rule"] for line in capsys.readouterr().out.splitlines() for f in json.loads(line)["findings"]}

    assert rules() == {"A001"}
    assert rules("--extend-select", "Y") == {"A001", "Y002"}


def test_body_keys_of_a_large_batch_take_linear_work(monkeypatch):
    # each name's possible heads are tried once: a batch of 10 000 bodies is not 10⁸ comparisons
    import auditor.bodies as bodies

    calls = 0
    pattern = bodies._higher_region()

    class Counting:
        def fullmatch(self, text):
            nonlocal calls
            calls += 1
            return pattern.fullmatch(text)

    monkeypatch.setattr(bodies, "_higher_region", lambda: Counting())

    def work(count):
        nonlocal calls
        calls = 0
        names = [f"第{n}号乡人民政府" for n in range(count)] + [f"某市第{n}号乡人民政府" for n in range(0, count, 2)]
        keys = body_keys(names)
        assert keys["某市第0号乡人民政府"] == keys["第0号乡人民政府"] == "某市第0号乡"
        assert keys["第1号乡人民政府"] == "第1号乡"
        return calls

    assert work(2000) <= 2.1 * work(1000)


ZONE_2019_TEMPLATE = [CORPORA / "html" / "2019-pingtan-zone-page-2019template.html",
                      CORPORA / "html" / "2020-pingtan-zone-page-2019template.html"]


def test_y007_item_counts_carry_between_the_2019_template_years(tmp_path, capsys):
    # 平潭综合实验区 2019 → 2020: every 上一年项目数量 is last year's + 本年增/减 (396 + 0, 2648 + 0, 35 + 0 …)
    _, found = _y_findings(capsys, *ZONE_2019_TEMPLATE)
    assert not any(rule == "Y007" for items in found.values() for rule, _ in items)
    # the 2020 page with 行政处罚's 上一年项目数量 printed 2630: 2648 + 0 was carried
    text = ZONE_2019_TEMPLATE[1].read_text("utf-8")
    assert text.count(">2648<") == 1
    changed = tmp_path / ZONE_2019_TEMPLATE[1].name
    changed.write_text(text.replace(">2648<", ">2630<"), "utf-8")
    _, found = _y_findings(capsys, ZONE_2019_TEMPLATE[0], changed)
    [message] = [m for rule, m in found[changed.name] if rule == "Y007"]
    assert message.startswith("表二 上一年项目数量 is not the report on 2019 (")
    assert message.endswith("'s 上一年项目数量 plus its 本年增/减: 行政处罚 2630 (last year 2648 +0 = 2648)")
