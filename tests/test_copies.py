"""Reports copied from another report of the batch (issue 9): Y003 (narrative) and Y004 (tables),
rules over a whole run, on real reports both ways."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from auditor.cli import main
from auditor.facts import NARRATIVE, TABLES, ReportFacts, ReportGroup, TablesFingerprint, groups_of
from auditor.model import Paragraph, Position
from auditor.plugins import PluginHost
from conftest import CORPORA

PINGTAN_2011 = CORPORA / "pre2019" / "2011-pingtan-page.txt"
COUNTY_2012 = CORPORA / "pre2019" / "2012-pingtan-county-page.txt"
GTJ_2013 = CORPORA / "pre2019" / "2013-pingtan-county-gtj-page.txt"
HJGTJ_2013 = CORPORA / "pre2019" / "2013-pingtan-hjgtj-page.txt"
HONGZE = [CORPORA / "pdf" / "2023-hongze-district.pdf", CORPORA / "pdf" / "2024-hongze-district.pdf"]
# the 2012 report's section 四, as printed (the same words as the 2011 report's)
SHORTCOMINGS = ("目前，我县在政府信息公开工作的开展中，仍存在一些不足。一是受人员编制限制，各单位信息公开工作均由办公室人员兼职经办，"
                "由于经办人员流动性大，导致信息公开工作规范程度参差不齐；二是部分单位信息公开属性界定不准确，主动公开内容不够深化；"
                "三是依申请公开工作机制仍需进一步规范；四是政府信息公开宣传力度还不够，造成公众查阅点利用率不高。")


@pytest.fixture(scope="module")
def host():
    return PluginHost()


@pytest.fixture(scope="module")
def facts(host):
    from auditor.audit import read_document

    def of(path):
        return ReportFacts.of_document(read_document(path, host))

    return of


def run(host, rule_id, reports, **options):
    """(path, message, position) of ``rule_id`` over ``reports`` as one run."""
    from auditor.config import Configuration, Layer

    rule = host.rules()[rule_id]
    config = Configuration(command_line=Layer(options=((rule_id, tuple(sorted(options.items()))),)))
    found = []
    for group in groups_of(reports, rule.scope):
        hits, failures = host.check_group(rule, group, config)
        assert failures == []
        found += [(path, finding.message, finding.position) for path, finding in hits]
    return found


def synthetic(path, agency, year, *paragraphs):
    return ReportFacts(path, f"{agency}{year}年政府信息公开工作年度报告", agency, year, "2021",
                       narrative=tuple(Paragraph(text, None, ((0, Position(n + 1, 1)),)) for n, text in enumerate(paragraphs)))


def test_a_narrative_copied_from_last_years_report_is_found_on_the_later_one(host, facts):
    found = run(host, "Y003", [facts(COUNTY_2012), facts(PINGTAN_2011)])
    assert len(found) == 1
    path, message, position = found[0]
    assert path == str(COUNTY_2012) and str(PINGTAN_2011) in message and "(平潭综合实验区 2011)" in message
    assert message.startswith("the narrative is 79% the same as that of")
    # the longest shared passage, quoted as the later report prints it, is where the finding points
    assert "“未收到有关政府信息公开行政复议申请。 四、政府信息公开工作存在的主要问题及改进情…” (691 characters)" in message
    line = COUNTY_2012.read_text("utf-8").splitlines()[position.line - 1]
    assert line[position.column - 1 :].startswith("未收到有关政府信息公开行政复议申请")


def test_two_bodies_of_one_year_with_one_narrative_each_name_the_other(host, facts):
    found = sorted(run(host, "Y003", [facts(GTJ_2013), facts(HJGTJ_2013)]))
    assert [p for p, _, _ in found] == [str(GTJ_2013), str(HJGTJ_2013)]
    assert str(HJGTJ_2013) in found[0][1] and str(GTJ_2013) in found[1][1] and "62%" in found[0][1]  # the crawler headers (发布时间, 栏目 …) are not narrative


def test_reports_that_share_only_the_templates_sentences_are_not_copies(host, facts):
    # 洪泽区 2023 / 2024 (34 % of 5-grams), 公安局 2021 / 2022 (33 %): each year's own work
    assert run(host, "Y003", [facts(p) for p in HONGZE]) == []
    assert run(host, "Y003", [facts(CORPORA / "flattened" / f"{y}-pingtan-gaj-page.txt") for y in (2021, 2022)]) == []


def test_one_report_found_twice_is_not_a_copy(host, facts):
    # the 2024 平潭 report as a crawled page and as the article's HTML: 91 % alike, one body and year
    twice = [facts(CORPORA / "flattened" / "2024-pingtan-page.txt"), facts(CORPORA / "html" / "2024-pingtan-article-body.html")]
    assert run(host, "Y003", twice) == []
    assert run(host, "Y003", [replace(twice[1], agency="平潭综合实验区公安局")])  == []  # alone
    assert len(run(host, "Y003", [twice[0], replace(twice[1], agency="平潭综合实验区公安局")])) == 2  # two bodies


def test_a_copy_with_its_figures_updated_is_still_a_copy_and_a_threshold_decides(host):
    new = SHORTCOMINGS.replace("一些不足", "3项不足")
    earlier = synthetic("a.txt", "甲县人民政府", 2022, "2022年共收到申请21件，办结21件。" + SHORTCOMINGS)
    later = synthetic("b.txt", "甲县人民政府", 2023, "2023年共收到申请9件，办结8件。" + new)
    assert run(host, "Y003", [later, earlier]) == []  # 190 characters: too short to say
    found = run(host, "Y003", [later, earlier], min_characters=150)
    assert [p for p, _, _ in found] == ["b.txt"] and "a.txt (甲县人民政府 2022)" in found[0][1]
    assert run(host, "Y003", [later, earlier], min_characters=150, threshold=0.99) == []


def test_the_copy_rule_over_a_batch_finds_each_pair_once_and_names_the_closest(host):
    base = SHORTCOMINGS * 2
    reports = [synthetic(f"r{n}.txt", f"乡{n}镇人民政府", 2023, base + f"本镇特色工作第{n}项。" * n) for n in range(1, 6)]
    reports.append(synthetic("other.txt", "丙县人民政府", 2023, "本年度共主动公开政府信息" + "各类文件与解读材料发布情况良好，" * 20))
    found = run(host, "Y003", reports)
    assert sorted(p for p, _, _ in found) == [f"r{n}.txt" for n in range(1, 6)]
    message = dict((p, m) for p, m, _ in found)["r1.txt"]
    assert "r2.txt" in message and "; also r3.txt (乡3镇人民政府 2023) (98%), r4.txt" in message  # each original named
    assert message.endswith("r5.txt (乡5镇人民政府 2023) (98%)")


def test_a_threshold_that_is_not_a_share_is_named(host):
    from auditor.config import Configuration, Layer

    reports = (synthetic("a.txt", "甲县人民政府", 2022, SHORTCOMINGS), synthetic("b.txt", "甲县人民政府", 2023, SHORTCOMINGS))
    config = Configuration(command_line=Layer(options=(("Y003", (("threshold", 1.5),)),)))
    found, failures = host.check_group(host.rules()["Y003"], ReportGroup("", reports), config)
    assert found == [] and len(failures) == 1 and "threshold 1.5 is not a share in (0, 1]" in str(failures[0])


def test_tables_printed_again_a_year_later_are_found(host, facts):
    # the 2024 洪泽区 tables (real) printed again as another report's of 2025
    report = facts(HONGZE[1])
    again = replace(report, path="2025-copy.pdf", year=2025)
    found = run(host, "Y004", [report, again])
    assert [p for p, _, _ in found] == ["2025-copy.pdf"]
    assert f"give the same figures as {HONGZE[1]} (淮安市洪泽区人民政府 2024), cell for cell" in found[0][1]
    # one cell changed, or the same report found twice (one body, one year): no finding
    key = next(k for k, c in report.cells.items() if c.value)
    cells = {**again.cells, key: replace(again.cells[key], value=again.cells[key].value + 1)}
    changed = replace(again, cells=cells, tables=TablesFingerprint.of(again.template, cells))
    assert run(host, "Y004", [report, changed]) == []
    assert run(host, "Y004", [report, replace(again, year=2024)]) == []
    assert run(host, "Y004", [facts(p) for p in HONGZE]) == []


def test_records_carry_the_narrative_only_for_a_rule_that_reads_it():
    from auditor.grouped import batch_cells

    host = PluginHost()
    rules = host.rules()
    assert batch_cells([rules["Y003"]]) == (NARRATIVE,)
    assert batch_cells([rules["Y001"], rules["Y003"]]) == ("requests.carried_over.*", "requests.carried_forward.*", NARRATIVE)
    assert batch_cells([rules["Y004"]]) == (TABLES,) and batch_cells([rules["Y004"], rules["Y003"]]) == (TABLES, NARRATIVE)
    assert batch_cells([rules["Y004"], rules["Y002"]]) == (TABLES, "active.regulations.*", "active.normative_documents.*")
    record = {"path": "x", "readable": True, "narrative": [{"text": "甲乙", "section": "一", "page": 2, "starts": [[0, 7, 3]]}]}
    narrative = ReportFacts.of_record(record).narrative
    assert narrative == (Paragraph("甲乙", "一", ((0, Position(7, 3, 2)),)),)


def test_the_copy_rules_run_from_the_command_line_and_are_opt_in(capsys):
    def rules(*options):
        main(["check", "--format", "jsonl", "--jobs", "1", "--no-cache", *options, str(COUNTY_2012), str(PINGTAN_2011)])
        return {line["path"]: {f["rule"] for f in line["findings"]} for line in map(json.loads, capsys.readouterr().out.splitlines())}

    assert not any("Y003" in found for found in rules().values())
    found = rules("--extend-select", "Y003")
    assert "Y003" in found[str(COUNTY_2012)] and "Y003" not in found[str(PINGTAN_2011)]


def test_the_tables_fingerprint_crosses_a_record_whole(host):
    # Y004 reads a fingerprint, not 200 cells a report: a batch of 10 000 stays small
    from auditor.audit import audit_file
    from auditor.records import report_record

    result = audit_file(HONGZE[1], host)
    record = report_record(result, cells=(TABLES,))
    assert "cells" in record and record["cells"] == [] and set(record["tables"]) == {"digest", "cells", "figures", "first"}
    assert ReportFacts.of_record(record).tables == ReportFacts.of_document(result.document).tables
    assert ReportFacts.of_record(record).tables.figures >= 10
