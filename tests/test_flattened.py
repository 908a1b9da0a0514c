"""Flattened crawls: digit runs split only where the template's arithmetic leaves one split,
recovered cells marked, the relations relied on never reported, ambiguous rows reported."""

from __future__ import annotations

import pytest

from auditor.audit import audit_file, read_file
from auditor.model import Position
from auditor.read.flattened import FlatTables, looks_flattened, read_flat_tables, splits
from auditor.template import Relation, load_template
from auditor.testing import make_document
from auditor_builtin import arithmetic
from conftest import CORPORA


@pytest.mark.parametrize("run, groups, sums, expected", [
    ("713000074", (7,), True, [("71", "3", "0", "0", "0", "0", "74")]),
    ("500000 5", (7,), False, [("5", "0", "0", "0", "0", "0", "5")]),  # a space is a boundary
    ("0 0 0 0 0 00", (7,), False, [("0",) * 7]),
    ("23 0 00 0 023", (7,), True, [("23", "0", "0", "0", "0", "0", "23")]),
    ("10203120001200000", (5, 5, 5), True, [("1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0")]),
    ("000", (3,), False, [("0", "0", "0")]),
    ("2293", (1,), False, [("2293",)]),
    # a long run: the sum prunes the search, so the one split is found, not cut off by a limit
    ("27506855625182757295519", (7,), True, [("2750", "685", "562", "518", "275", "729", "5519")]),
])
def test_splits(run, groups, sums, expected):
    found = splits(run, groups, sums=sums)
    assert found.complete and found.ways == expected


def test_ambiguous_impossible_and_too_many():
    assert len(splits("693665", (3,)).ways) == 10
    assert len(splits("270020130", (7,), sums=True).ways) == 2
    assert splits("999", (7,), sums=True).ways == []
    assert splits("24252.311082", (1,), decimals=True).ways == [("24252.311082",)]
    assert splits("1.5", (1,)).ways == []
    capped = splits("1234567890123456", (7,), limit=100)
    assert not capped.complete and len(capped.ways) == 100


def test_flattened_line_is_detected_only_with_glued_row_labels():
    line = (CORPORA / "flattened" / "2022-pingtan-page.txt").read_text("utf-8").splitlines()[9]
    assert looks_flattened(line)
    assert not looks_flattened("一、本年新收政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2")


def test_flattened_2021_report_values_statuses_and_assumptions(host):
    report = read_file(CORPORA / "flattened" / "2021-pingtan-page.txt", host)
    assert report.template == "2021" and report.year == 2021
    new = [report.cells[f"requests.new.{c}"] for c in ("natural_person", "commercial_enterprise", "research_institution",
                                                        "social_welfare_organization", "legal_service_agency", "other", "total")]
    assert [c.value for c in new] == [64, 0, 0, 2, 0, 4, 70]
    assert {c.status for c in new} == {"recovered"}
    assert report.cells["requests.granted.total"].value == 30  # settled by （七）总计 = the outcome rows
    assert report.cells["requests.unavailable.not_held.total"].value == 25
    assert report.cells["requests.carried_over.total"].status == "number"  # "0000000": one split only
    assert [report.cells[f"{g}.total"].value for g in ("review", "litigation_direct", "litigation_after_review")] == [3, 12, 0]
    assert report.cells["active.licensing.decisions"].value == 2293
    assert report.cells["active.fees.amount"].value == 24252.311082
    assert {report.cells[f"active.normative_documents.{m}"].status for m in ("issued", "repealed", "in_force")} == {"missing"}
    assert Relation.of(Relation.ROW_TOTAL, "new") in report.assumed
    assert Relation.of(Relation.OUTCOME_TOTAL, "total") in report.assumed
    assert Relation.of(Relation.APPEAL_TOTAL, "review") in report.assumed
    position = report.cells["requests.new.natural_person"].position
    line = (CORPORA / "flattened" / "2021-pingtan-page.txt").read_text("utf-8").splitlines()[position.line - 1]
    assert line[position.column - 1 :].startswith("640020470")


def test_every_row_of_every_crawl_is_recovered_or_reported(host):
    for path in sorted((CORPORA / "flattened").glob("*.txt")):
        report = read_file(path, host)
        missing_rows = {k.rsplit(".", 1)[0] for k, c in report.cells.items() if c.status == "missing"}
        reported = " ".join(p.message for p in report.problems)
        for row in missing_rows:
            label = load_template(report.template).row_labels[row.split(".")[0], row.split(".", 1)[1]]
            group_as_one_row = label.split("·")[0] + " is printed as one row"  # 海坛片区 2023: "（六）其他处理0000000"
            assert label in reported or group_as_one_row in reported, (path.name, row)


def test_unreadable_rows_say_why(host):
    result = audit_file(CORPORA / "flattened" / "2019-pingtan-page-2019template.txt", host)
    assert result.report.template == "2019"
    messages = [f.message for f in result.findings]
    assert ("表二 行政事业性收费: the digits '350' run together; 3 ways to split them into 2 cells, 本年增/减 left blank "
            "among them, so the row is unreadable") in messages
    assert not any(f.rule.startswith("A") for f in result.findings)


def test_rules_never_report_a_relation_the_recovery_assumed():
    broken = make_document({"requests.new.natural_person": 5, "requests.new.total": 4})
    assert {f.rule for f in arithmetic.rules.check(broken)} == {"A001", "A003"}
    broken.report.assumed.update({Relation.of(Relation.ROW_TOTAL, "new"), Relation.of(Relation.BALANCE, "natural_person"),
                                  Relation.of(Relation.BALANCE, "total")})
    assert list(arithmetic.rules.check(broken)) == []


def test_recovered_cells_are_placed_in_the_model():
    template = load_template("2021")
    block = FlatTables("三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量713000074", Position(3, 11))
    result = read_flat_tables(block, template)
    assert result.problems == [] and result.assumed == {Relation.of(Relation.ROW_TOTAL, "new")}
    [(table, row)] = result.rows
    assert table == "requests"
    assert [c.text for c in row.cells] == ["一、本年新收政府信息公开申请数量", "71", "3", "0", "0", "0", "0", "74"]
    assert [c.recovered for c in row.cells[1:]] == [True] * 7
    assert row.cells[1].position == Position(3, 11 + len("三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量"))


def test_section_five_in_its_own_words_ends_the_tables(host):
    # corpora/flattened/2024-pingtan-gaj-page.txt prints "五、存在的主要问题及明年工作计划" after 表四: the text after it
    # (sections 五 and 六, "2024年，无收取信息处理费情况。") is narrative, not part of the tables' region
    from auditor.audit import read_file

    report = read_file(CORPORA / "flattened" / "2024-pingtan-gaj-page.txt", host)
    texts = [p.text for p in report.paragraphs]
    assert "2024年，无收取信息处理费情况。" in texts
    assert any(t.startswith("五、存在的主要问题及明年工作计划2024年") for t in texts)
