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
    # the office's 21 new requests printed as 71: with 自然资源与生态环境局's 19 and 金井片区's 1, 91 > 81
    text = OFFICE_2023.read_text("utf-8")
    assert text.count("新收政府信息公开申请数量 210000021") == 1
    office = tmp_path / OFFICE_2023.name
    office.write_text(text.replace("新收政府信息公开申请数量 210000021", "新收政府信息公开申请数量 710000071"), "utf-8")
    found = _y008(capsys, ZONE_2023, office, *UNITS_2023[1:])
    [message] = found[ZONE_2023.name]
    assert "汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成" in message
    assert "一、本年新收政府信息公开申请数量 / 总计 81, units 91 (" in message and "平潭综合实验区管委会办公室 71" in message
    assert all(messages == [] for name, messages in found.items() if name != ZONE_2023.name)


def test_a_summary_that_does_not_say_so_is_not_held_to_its_units(tmp_path, capsys):
    text = ZONE_2023.read_text("utf-8").replace("汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成", "编制而成")
    zone = tmp_path / ZONE_2023.name
    zone.write_text(text, "utf-8")
    office = tmp_path / "office" / OFFICE_2023.name
    office.parent.mkdir()
    office.write_text(OFFICE_2023.read_text("utf-8").replace("新收政府信息公开申请数量 210000021", "新收政府信息公开申请数量 910000091"), "utf-8")
    assert _y008(capsys, zone, office) == {ZONE_2023.name: [], OFFICE_2023.name: []}
