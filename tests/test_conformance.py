"""M011: a report on 2021 or later written to the superseded 2019 notice, on the real 平潭 2023
report both ways (as printed it names 国办公开办函〔2021〕30号)."""

from __future__ import annotations

import json

from auditor.cli import main
from conftest import CORPORA

ZONE_2023 = CORPORA / "flattened" / "2023-pingtan-page.txt"


def _m011(capsys, path):
    main(["check", "--select", "M011", "--format", "jsonl", "--jobs", "1", str(path)])
    [line] = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip() and '"path"' in line]
    return [f["message"] for f in line["findings"]]


def test_the_current_notice_is_quiet(capsys):
    assert _m011(capsys, ZONE_2023) == []


def test_the_superseded_notice_alone(tmp_path, capsys):
    text = ZONE_2023.read_text("utf-8")
    assert text.count("国办公开办函〔2021〕30号") == 1
    changed = tmp_path / ZONE_2023.name
    # the report as a copy of a 2019-format report would print it: the 2019 notice's title and number
    old = "关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）"
    assert text.count(old) == 1
    text = text.replace(old, "关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2021〕30号）")
    changed.write_text(text.replace("国办公开办函〔2021〕30号", "国办公开办函[2019]60号"), "utf-8")
    assert _m011(capsys, changed) == ["a report on 2023 cites “国办公开办函[2019]60号”, the notice of the format for reports "
                                      "on 2019–2020, and not 国办公开办函〔2021〕30号"]
    both = tmp_path / "both" / ZONE_2023.name
    both.parent.mkdir()
    both.write_text(text.replace("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号、国办公开办函（2021）30号"), "utf-8")
    assert _m011(capsys, both) == []
    # a newcomer's variants: the current notice in other brackets, with 第, broken over two lines, or named by title
    for number, current in enumerate(("国办公开办函﹝2021﹞30号", "国办公开办函［2021］第30号", "国办公开\n办函〔2021〕30号",
                                      "关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知")):
        variant = tmp_path / f"v{number}" / ZONE_2023.name
        variant.parent.mkdir()
        variant.write_text(text.replace("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号、" + current), "utf-8")
        assert _m011(capsys, variant) == [], current


ZRZ_2023 = CORPORA / "html" / "2023-pingtan-zrz-page.html"  # 自然资源与生态环境局: 五 states its problems and plans


def _m012(capsys, path):
    main(["check", "--select", "M012", "--format", "jsonl", "--jobs", "1", str(path)])
    [line] = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip() and '"path"' in line]
    return [f["message"] for f in line["findings"]]


def test_a_section_five_that_states_its_problems_is_quiet(capsys):
    assert _m012(capsys, ZRZ_2023) == []


def test_a_section_five_left_at_none(tmp_path, capsys):
    text = ZRZ_2023.read_text("utf-8")
    start = text.index("五、存在的主要问题及改进情况&nbsp;</p>") + len("五、存在的主要问题及改进情况&nbsp;</p>")
    end = text.index('<p style="text-indent: 2em; text-align: left;">六、其他需要报告的事项')
    for body, expected in (("<p>无。</p>", ["section “五、存在的主要问题及改进情况” says only “无。”"]),
                           ("", ["section “五、存在的主要问题及改进情况” is empty"]),
                           ("<p>暂未发现突出问题，将继续做好公开工作。</p>", []),
                           # a newcomer's variants: 五 as a table, and with sub-headings numbered 一、二、
                           ("<table><tr><td>存在问题</td><td>改进措施</td></tr><tr><td>政策解读形式不够丰富</td>"
                            "<td>多用图解、H5解读</td></tr></table>", []),
                           ("<p>一、存在的主要问题</p><p>解读形式单一。</p><p>二、改进情况</p><p>丰富解读形式。</p>", [])):
        changed = tmp_path / f"{len(body)}" / ZRZ_2023.name
        changed.parent.mkdir()
        changed.write_text(text[:start] + body + text[end:], "utf-8")
        assert _m012(capsys, changed) == expected
