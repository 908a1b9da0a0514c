"""Baselines: accepted findings stay accepted across a re-run, a re-publication with one change
(exactly the new finding comes through) and a re-rendering of the report from text to HTML."""

from __future__ import annotations

import html
import json
import shutil

import pytest

from auditor.baseline import Baseline, fingerprint, report_identity
from auditor.cli import main
from conftest import CORPORA, LUOHE


def run(capsys, *args):
    status = main(["check", "--format", "jsonl", *map(str, args)])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def text_to_html(text: str) -> str:
    """A text report re-published as an HTML page: headings, paragraphs, tab-separated rows as
    table rows (what a CMS does with the same document)."""
    parts, rows = ["<html><body>"], []
    for line in [*text.splitlines(), ""]:
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            parts.append("<table>" + "".join(rows) + "</table>")
            rows = []
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")), 6)
            parts.append(f"<h{level}>{html.escape(line.lstrip('#').strip())}</h{level}>")
        elif line.strip():
            parts.append(f"<p>{html.escape(line.strip())}</p>")
    return "\n".join(parts) + "</body></html>"


def test_a_corpus_baseline_suppresses_everything_on_a_re_run(capsys, tmp_path):
    baseline = tmp_path / "baseline.json"
    assert main(["baseline", "--quiet", "-o", str(baseline), str(CORPORA)]) in (0, 2)
    recorded = json.loads(baseline.read_text("utf-8"))["findings"]
    assert len(recorded) > 100 and {"fingerprint", "report", "path", "rule", "message"} <= set(recorded[0])
    status, lines, _ = run(capsys, "--baseline", baseline, CORPORA)
    assert [f for line in lines for f in line.get("findings", ())] == []
    main(["check", "--baseline", str(baseline), "--format", "jsonl", str(CORPORA)])
    err = capsys.readouterr().err
    assert f"0 error(s), 0 warning(s), 0 info ({len(recorded)} more left out by the baseline)" in err


def test_one_injected_change_lets_exactly_one_finding_through(capsys, tmp_path):
    report = tmp_path / "published" / "report.txt"
    report.parent.mkdir()
    shutil.copy(LUOHE, report)
    baseline = tmp_path / "baseline.json"
    assert main(["baseline", "--quiet", "-o", str(baseline), str(report)]) == 0
    assert run(capsys, "--quiet", "--baseline", baseline, report)[1][0]["findings"] == []
    # re-published with one count changed in the narrative: 收到依申请公开事项 2 项 → 3 项
    text = LUOHE.read_text("utf-8")
    assert text.count("收到依申请公开事项 2 项") == 1
    report.write_text(text.replace("收到依申请公开事项 2 项", "收到依申请公开事项 3 项"), "utf-8")
    status, [line], _ = run(capsys, "--quiet", "--baseline", baseline, report)
    assert [(f["rule"], [e["value"] for e in f["evidence"]]) for f in line["findings"]] == [("N001", [3, 2])]


def test_a_report_re_rendered_as_html_keeps_its_baseline(capsys, tmp_path):
    baseline = tmp_path / "baseline.json"
    assert main(["baseline", "--quiet", "-o", str(baseline), str(LUOHE)]) == 0
    assert len(json.loads(baseline.read_text("utf-8"))["findings"]) >= 1
    page = tmp_path / "elsewhere" / "report.html"
    page.parent.mkdir()
    page.write_text(text_to_html(LUOHE.read_text("utf-8")), "utf-8")
    status, [line], _ = run(capsys, "--quiet", page)
    assert [f["rule"] for f in line["findings"]] == ["N001"]  # the HTML page reads as the text did
    status, [line], _ = run(capsys, "--quiet", "--baseline", baseline, page)
    assert (status, line["findings"]) == (0, [])


def test_fingerprints_ignore_positions_and_paths_but_not_values():
    finding = {"rule": "N001", "message": "x (line 13:5)", "evidence": [
        {"source": "narrative", "key": "review.total", "value": 1, "line": 13},
        {"source": "table", "key": "review.total", "value": 0, "line": 80}]}
    moved = {**finding, "message": "x (line 40:2)", "evidence": [{**e, "line": e["line"] + 30} for e in finding["evidence"]]}
    changed = {**finding, "evidence": [{**finding["evidence"][0], "value": 2}, finding["evidence"][1]]}
    identity = report_identity({"agency": "示范区 党政办", "year": 2023, "path": "a/b.txt"})
    assert identity == report_identity({"agency": "示范区党政办", "year": 2023, "path": "c.html"}) == "示范区党政办|2023"
    assert fingerprint(identity, finding) == fingerprint(identity, moved) != fingerprint(identity, changed)
    bare = {"rule": "M005", "message": "heading “四、…” differs (line 40)", "evidence": []}
    assert fingerprint(identity, bare) == fingerprint(identity, {**bare, "message": "heading “四、…” differs (line 52)"})


def test_a_finding_accepted_once_is_left_out_once():
    record = {"agency": "a", "year": 2023, "findings": [{"rule": "N002", "message": "m", "evidence": []}] * 2}
    baseline = Baseline.of_records([{**record, "findings": record["findings"][:1]}])
    kept, left_out = baseline.apply(record, baseline.counts.copy())
    assert left_out == 1 and len(kept["findings"]) == 1


@pytest.mark.parametrize("content, message", [("{", "not a baseline (not JSON"), ('{"version": 9}', "not an auditor baseline")])
def test_a_bad_baseline_file_is_a_clear_error(capsys, tmp_path, content, message):
    bad = tmp_path / "b.json"
    bad.write_text(content, "utf-8")
    assert main(["check", "--baseline", str(bad), str(LUOHE)]) == 2
    assert f"{bad}: {message}" in capsys.readouterr().err
