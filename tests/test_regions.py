"""Y008: a region's summary report against its units' reports in one batch, on the real 平潭
reports of 2023 both ways."""

from __future__ import annotations

import json

from auditor.cli import main
from conftest import CORPORA

ZONE_2023 = CORPORA / "flattened" / "2023-pingtan-page.txt"  # 汇总平潭综合实验区各有关单位…编制而成; 81 new requests
OFFICE_2023 = CORPORA / "holdout" / "2023-pingtan-gwh-page.txt"  # 管委会办公室: 21 new requests
UNITS_2023 = [OFFICE_2023, CORPORA / "html" / "2023-pingtan-zrz-page.html", CORPORA / "html" / "2023-pingtan-nyn-page.html",
              CORPORA / "holdout" / "2023-pingtan-jjp-page.html", CORPORA / "flattened" / "2023-pingtan-spp-page.txt"]


def _y008(capsys, *paths):
    main(["check", "--select", "Y008", "--format", "jsonl", "--jobs", "1", *map(str, paths)])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    return {line["path"].rsplit("/", 1)[1]: [f["message"] for f in line["findings"]] for line in lines if "path" in line}




def test_units_within_the_summary_stay_quiet(capsys):
    found = _y008(capsys, ZONE_2023, *UNITS_2023)
    assert len(found) == 6 and all(messages == [] for messages in found.values())


def test_units_adding_up_to_more_than_the_summary(tmp_path, capsys):
    # the office's 21 new requests printed as 71: with 自然资源与生态环境局's 19, 90 > 81 (金井片区, a sub-zone, is
    # counted only by a summary of the whole zone: 全区)
    text = OFFICE_2023.read_text("utf-8")
    assert text.count("新收政府信息公开申请数量 210000021") == 1
    office = tmp_path / OFFICE_2023.name
    office.write_text(text.replace("新收政府信息公开申请数量 210000021", "新收政府信息公开申请数量 710000071"), "utf-8")
    found = _y008(capsys, ZONE_2023, office, *UNITS_2023[1:])
    [message] = found[ZONE_2023.name]
    assert "汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成" in message
    assert "一、本年新收政府信息公开申请数量 / 总计 81, units 90 (" in message and "平潭综合实验区管委会办公室 71" in message
    assert all(messages == [] for name, messages in found.items() if name != ZONE_2023.name)


def test_a_summary_that_does_not_say_so_is_not_held_to_its_units(tmp_path, capsys):
    text = ZONE_2023.read_text("utf-8").replace("汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成", "编制而成")
    zone = tmp_path / ZONE_2023.name
    zone.write_text(text, "utf-8")
    office = tmp_path / "office" / OFFICE_2023.name
    office.parent.mkdir()
    office.write_text(OFFICE_2023.read_text("utf-8").replace("新收政府信息公开申请数量 210000021", "新收政府信息公开申请数量 910000091"), "utf-8")
    assert _y008(capsys, zone, office) == {ZONE_2023.name: [], OFFICE_2023.name: []}


def _report(tmp_path, agency, cells, narrative=()):
    from auditor.testing import report_text

    path = tmp_path / f"{agency}.txt"
    path.write_text(report_text(cells, list(narrative), agency=agency, year=2024), "utf-8")
    return path


SCOPE = "本报告由淮安市人民政府办公室汇总市政府各部门政府信息公开工作情况编制而成。"


def test_only_the_summarys_own_units_count(tmp_path, capsys):
    # a newcomer's cases built on the real 淮安市 2024 report: a city summarising its own departments is not
    # held to district departments (淮安市洪泽区财政局), nor to a plan sentence that says 汇总
    summary = _report(tmp_path, "淮安市人民政府", {"active.normative_documents.issued": 8}, [SCOPE])
    district = _report(tmp_path, "淮安市洪泽区财政局", {"active.normative_documents.issued": 9})
    own = _report(tmp_path, "淮安市财政局", {"active.normative_documents.issued": 3})
    assert all(m == [] for m in _y008(capsys, summary, district, own).values())
    over = _report(tmp_path / "..", "淮安市司法局", {"active.normative_documents.issued": 6})
    [message] = _y008(capsys, summary, district, own, over)["淮安市人民政府.txt"]
    assert "units 9 (" in message and "淮安市财政局 3" in message and "淮安市司法局 6" in message
    plan = tmp_path / "plan"
    plan.mkdir()
    planned = _report(plan, "淮安市人民政府", {"active.normative_documents.issued": 8},
                      ["下一步，我们将每季度汇总各部门依申请公开办理情况并进行通报。"])
    assert _y008(capsys, planned, own, over)["淮安市人民政府.txt"] == []


def test_a_unit_under_another_unit_is_counted_once(tmp_path, capsys):
    whole = "本报告由淮安市人民政府办公室汇总全市各县区、各部门政府信息公开工作情况编制而成。"
    summary = _report(tmp_path, "淮安市人民政府", {"active.normative_documents.issued": 5}, [whole])
    district = _report(tmp_path, "淮安市洪泽区人民政府", {"active.normative_documents.issued": 3})
    its_department = _report(tmp_path, "淮安市洪泽区司法局", {"active.normative_documents.issued": 3})
    assert all(m == [] for m in _y008(capsys, summary, district, its_department).values())
