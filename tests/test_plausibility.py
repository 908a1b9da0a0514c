"""P001: 规章 printed by a body that cannot make them, from real names and a real report both ways;
the body's level read from its name (auditor.bodies)."""

from __future__ import annotations

import json

import pytest

from auditor.bodies import below_rule_making_level, innermost_region
from auditor.cli import main
from conftest import CORPORA


@pytest.mark.parametrize("name, region, below", [
    ("淮安市洪泽区人民政府", "洪泽区", True),        # corpus: a district of a 设区的市
    ("平潭综合实验区公安局", "平潭综合实验区", True),  # a zone's department
    ("沭阳县人民政府", "沭阳县", True),
    ("淮安市人民政府", "淮安市", False),             # a 设区的市 (and a 县级市 prints alike: not judged)
    ("上海市人民政府办公厅", "上海市", False),        # reports the municipal government's 规章
    ("广西壮族自治区人民政府", "广西壮族自治区", False),
    ("大兴安岭地区行政公署", "大兴安岭地区", False),
    ("国家统计局", None, False),
    # a newcomer's traps: a department named for 城乡 is no region
    ("江苏省住房和城乡建设厅", "江苏省", False),
    ("淮安市城乡建设局", "淮安市", False),
    ("某某县住房和城乡建设局", "某某县", True),
])
def test_the_level_of_a_body_from_its_name(name, region, below):
    assert innermost_region(name) == region and below_rule_making_level(name) is below


def _p001(capsys, path):
    main(["check", "--select", "P001", "--format", "jsonl", "--jobs", "1", str(path)])
    [line] = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip() and '"path"' in line]
    return [f["message"] for f in line["findings"]]


GAJ_2022 = CORPORA / "flattened" / "2022-pingtan-gaj-page.txt"  # 平潭综合实验区公安局: 规章 000


def test_a_zone_department_with_no_regulations_is_quiet(capsys):
    assert _p001(capsys, GAJ_2022) == []


def test_a_zone_department_printing_regulations(tmp_path, capsys):
    text = GAJ_2022.read_text("utf-8")
    assert text.count("规章000") == 1
    changed = tmp_path / GAJ_2022.name
    changed.write_text(text.replace("规章000", "规章1 0 2"), "utf-8")
    assert _p001(capsys, changed) == ["平潭综合实验区公安局 (a body of 平潭综合实验区, below the level that makes 规章) prints 规章 "
                                      "in 表二: 本年制发件数 1, 现行有效件数 2"]
