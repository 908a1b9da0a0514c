"""The command-line contract: output lines, the JSON document, exit status, bad inputs, plugins."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from auditor.cli import main
from conftest import LUOHE

SEED = LUOHE.read_text("utf-8")


def check(capsys, *args):
    status = main(["check", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def check_json(capsys, *args):
    status, out, err = check(capsys, "--format", "json", *args)
    return status, json.loads(out), err


def test_seed_report_contradiction(capsys):
    status, doc, _ = check_json(capsys, LUOHE)
    assert status == 1
    assert doc["errors"] == []
    [report] = doc["reports"]
    assert (report["title"], report["agency"], report["year"]) == ("示范区党政办 2023 年政府信息公开工作年度报告", "示范区党政办", 2023)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert errors and all(
        {f["line"]} | {e["line"] for e in f["evidence"] if e["source"] == "narrative"} <= {9, 13} for f in errors
    )
    n001 = next(f for f in errors if f["rule"] == "N001")
    assert {(e["source"], e["key"], e["value"], e["line"]) for e in n001["evidence"]} == {
        ("narrative", "review.total", 1, 13), ("table", "review.total", 0, 80)}
    assert set(n001) == {"rule", "severity", "message", "line", "column", "page", "evidence"}
    assert set(n001["evidence"][0]) == {"source", "key", "value", "line", "column", "text", "page", "grid"}
    table = next(e for e in n001["evidence"] if e["source"] == "table")
    assert table["grid"] == [3, 4, 5] and report["template"] == "2021"
    assert n001["evidence"][0]["text"] == "行政复议 1 项"


def test_text_output_lines(capsys):
    status, out, err = check(capsys, LUOHE)
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == (
        f"{LUOHE}:13:48: error N001 narrative states 行政复议 / 总计 1 (“行政复议 1 项”) but the table gives 0 (line 80:9)"
    )
    assert len(lines) == 1  # "行政复议 0 项" in the list of published items (line 9) is not about cases
    assert "1 report(s): 1 error(s)" in err


def test_corrected_copy_audits_clean(capsys, tmp_path):
    fixed = tmp_path / "fixed.txt"
    fixed.write_text(SEED.replace("其中行政复议 1 项", "其中行政复议 0 项"), "utf-8")
    status, out, _ = check(capsys, fixed)
    assert (status, out) == (0, "")


def test_changed_cell_of_new_requests_points_at_its_line(capsys, tmp_path):
    row = "一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t2\t"
    assert row in SEED
    changed = tmp_path / "changed.txt"
    changed.write_text(SEED.replace(row, row.replace("\t\t2\t0", "\t\t2\t1")), "utf-8")
    status, doc, _ = check_json(capsys, changed)
    assert status == 1
    at_49 = [f for f in doc["reports"][0]["findings"] if f["severity"] == "error" and f["line"] == 49]
    assert {f["rule"] for f in at_49} == {"A001", "A003"}


def test_unreadable_and_binary_inputs_do_not_stop_the_batch(capsys, tmp_path):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    missing = tmp_path / "missing.txt"
    status, doc, err = check_json(capsys, binary, LUOHE, missing)
    assert status == 2
    assert [r["path"] for r in doc["reports"]] == [str(LUOHE)]
    assert len(doc["reports"][0]["findings"]) == 1
    assert doc["errors"] == [
        {"path": str(binary), "message": "binary data (NUL bytes), not a text report"},
        {"path": str(missing), "message": "no such file"},
    ]
    assert "Traceback" not in err


def test_text_format_reports_errors_on_stderr(capsys, tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    status, out, err = check(capsys, empty)
    assert status == 2 and out == ""
    assert f"{empty}: error: empty file" in err


def test_input_files_are_never_changed(capsys, tmp_path):
    copy = tmp_path / "report.txt"
    copy.write_bytes(LUOHE.read_bytes())
    before = (copy.read_bytes(), copy.stat().st_mtime_ns)
    check(capsys, copy)
    assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before


def test_directories_are_searched_for_report_files(capsys, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(SEED, "utf-8")
    (tmp_path / "notes.json").write_text("{}", "utf-8")
    (tmp_path / ".hidden.txt").write_text("x", "utf-8")
    status, doc, _ = check_json(capsys, tmp_path)
    assert [r["path"] for r in doc["reports"]] == [str(tmp_path / "sub" / "a.txt")]


def test_select_and_ignore_by_prefix(capsys):
    status, doc, _ = check_json(capsys, "--select", "N001", LUOHE)
    assert [f["rule"] for f in doc["reports"][0]["findings"]] == ["N001"]
    status, doc, _ = check_json(capsys, "--select", "A", LUOHE)
    assert (status, doc["reports"][0]["findings"]) == (0, [])
    status, doc, _ = check_json(capsys, "--ignore", "N", LUOHE)
    assert (status, doc["reports"][0]["findings"]) == (0, [])
    assert main(["check", "--select", "Z9", str(LUOHE)]) == 2


CRASHING = textwrap.dedent('''
    from auditor import Hit, RuleSet, hookimpl

    rules = RuleSet()

    @rules.rule("X001", "always-info", "info", "Says hello to every report.")
    def hello(document):
        yield Hit(f"hello {document.report.agency}", None)

    @rules.rule("X002", "crashes", "error", "Fails on reports of 2023.")
    def crashes(document):
        if document.report.year == 2023:
            raise ZeroDivisionError("boom")
        return []

    @hookimpl
    def auditor_register_rules(register):
        register(*rules)
''')


def test_local_plugin_that_raises_becomes_an_error_entry(capsys, tmp_path):
    plugin = tmp_path / "crashing.py"
    plugin.write_text(CRASHING, "utf-8")
    status, doc, err = check_json(capsys, "--plugin", plugin, LUOHE)
    assert status == 2
    # the built-in rules and the plugin's other rule still ran
    assert sorted(f["rule"] for f in doc["reports"][0]["findings"]) == ["N001", "X001"]
    [error] = doc["errors"]
    assert error["path"] == str(LUOHE)
    assert error["message"].startswith("rule X002 (plugin 'auditor_local_crashing') failed: ZeroDivisionError: boom")


def test_local_plugin_findings_and_listing(capsys, tmp_path):
    plugin = tmp_path / "hello.py"
    plugin.write_text(CRASHING.replace("== 2023", "== 1900"), "utf-8")
    status, doc, _ = check_json(capsys, "--plugin", plugin, LUOHE)
    assert status == 1
    assert {"rule": "X001", "severity": "info", "message": "hello 示范区党政办", "line": None, "column": None,
            "page": None, "evidence": []} in doc["reports"][0]["findings"]
    assert main(["rules", "--plugin", str(plugin)]) == 0
    out = capsys.readouterr().out
    assert "X001  info     always-info: Says hello to every report." in out
    assert main(["plugins", "--plugin", str(plugin)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("auditor_local_hello  (") and "hooks: auditor_register_rules  rules: X001, X002" in line
               for line in out)
    assert {line.split()[0] for line in out} >= {"text-reader", "arithmetic", "narrative", "completeness"}


def test_bad_plugin_is_a_clear_error(capsys, tmp_path):
    assert main(["check", "--plugin", str(tmp_path / "nope.py"), str(LUOHE)]) == 2
    assert "nope.py: no such plugin file" in capsys.readouterr().err
    broken = tmp_path / "broken.py"
    broken.write_text("import no_such_module_anywhere\n", "utf-8")
    assert main(["rules", "--plugin", str(broken)]) == 2
    assert "cannot load plugin: ModuleNotFoundError" in capsys.readouterr().err


def test_duplicate_rule_ids_are_refused(capsys, tmp_path):
    plugin = tmp_path / "dupe.py"
    plugin.write_text(CRASHING.replace('"X001"', '"A001"'), "utf-8")
    assert main(["rules", "--plugin", str(plugin)]) == 2
    assert "rule A001 is registered by both 'arithmetic' and 'auditor_local_dupe'" in capsys.readouterr().err


def test_rules_lists_every_documented_rule(capsys):
    assert main(["rules"]) == 0
    ids = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    ids = [i for i in ids if not i.startswith("IND")]  # the example plugin, when it is installed beside
    assert ids == ["A001", "A002", "A003", "A004", "A005", "A006", "A007", "A008", "A009", "C001", "M001", "M002", "M003", "M004", "M005",
                   "M006", "M007", "M008", "M009", "M010", "M011", "M012", "N001", "N002", "N003", "N004", "N005", "N006", "N007", "N008", "P001", "P002", "Y001", "Y002", "Y003", "Y004", "Y005", "Y006", "Y007", "Y008"]
    catalogue = (LUOHE.parents[2] / "docs" / "rules.md").read_text("utf-8")
    assert all(f"## {rule} " in catalogue for rule in ids)


def test_disabled_plugins_are_not_loaded(capsys, monkeypatch):
    monkeypatch.setenv("AUDITOR_DISABLE_PLUGINS", "narrative")
    status, doc, _ = check_json(capsys, LUOHE)
    assert (status, doc["reports"][0]["findings"]) == (0, [])


def test_console_script_end_to_end():
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "check", str(LUOHE)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1
    assert proc.stdout.count(":13:48: error ") == 1


def test_parse_prints_the_model(capsys):
    assert main(["parse", str(LUOHE)]) == 0
    model = json.loads(capsys.readouterr().out)
    assert set(model) >= {"path", "title", "agency", "year", "template", "cells", "figures"}
    assert model["template"] == "2021" and len(model["cells"]) == 200
    cell = next(c for c in model["cells"] if c["key"] == "review.total")
    assert {k: cell[k] for k in ("table", "label", "value", "status", "line", "column", "page")} == {
        "table": "appeals", "label": "行政复议 / 总计", "value": 0, "status": "number", "line": 80, "column": 9, "page": None}
    figure = next(f for f in model["figures"] if f["line"] == 13 and f["key"] == "review.total")
    assert {k: figure[k] for k in ("value", "unit", "text", "column")} == {"value": 1, "unit": "项", "text": "行政复议 1 项", "column": 48}
    assert any(f["key"] is None and f["value"] == 20 for f in model["figures"])  # the deadline


def test_parse_shows_missing_cells_and_extracted_text(capsys, tmp_path):
    cut = tmp_path / "cut.txt"
    cut.write_text(SEED.split("#### 四、")[0], "utf-8")
    assert main(["parse", str(cut)]) == 0
    model = json.loads(capsys.readouterr().out)
    assert [c["status"] for c in model["cells"] if c["table"] == "appeals"] == ["missing"] * 15
    assert main(["parse", "--format", "text", str(LUOHE)]) == 0
    assert capsys.readouterr().out == SEED


def test_stats_prints_coverage(capsys, tmp_path):
    assert main(["stats", str(LUOHE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split()[:3] == ["200/200", "100.0%", "0"] and out[-1].endswith("total")
    assert main(["stats", "--format", "json", str(LUOHE), str(tmp_path / "none.txt")]) == 2
    doc = json.loads(capsys.readouterr().out)
    assert doc["total"]["cells_read"] == 200 and doc["total"]["count_statements"] == 9 and doc["total"]["resolved"] == 8
    assert doc["errors"] == [{"path": str(tmp_path / "none.txt"), "message": "no such file"}]


def test_empty_directory_and_empty_path_are_errors(capsys, tmp_path):
    status, doc, _ = check_json(capsys, tmp_path, "")
    assert status == 2
    assert [e["message"] for e in doc["errors"]] == [
        "no report files (.docx, .htm, .html, .markdown, .md, .pdf, .shtml, .text, .txt, .xhtml) in this directory", "empty path"]


def test_a_text_file_that_is_no_report_is_refused(capsys, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Shopping list\n\n- eggs 12\n- milk 2\n", "utf-8")
    status, doc, _ = check_json(capsys, notes)
    assert status == 2 and "does not look like a 政府信息公开工作年度报告" in doc["errors"][0]["message"]


def test_plugin_that_calls_sys_exit_is_an_error_entry(capsys, tmp_path):
    plugin = tmp_path / "quitter.py"
    plugin.write_text(CRASHING.replace('raise ZeroDivisionError("boom")', "raise SystemExit(0)"), "utf-8")
    status, doc, _ = check_json(capsys, "--plugin", plugin, LUOHE)
    assert status == 2 and "SystemExit" in doc["errors"][0]["message"]


def test_repeated_select_options_add_up(capsys):
    status, doc, _ = check_json(capsys, "--select", "N001", "--select", "A", LUOHE)
    assert sorted(f["rule"] for f in doc["reports"][0]["findings"]) == ["N001"]
    status, doc, _ = check_json(capsys, "--select", "A", "--select", "M", LUOHE)
    assert doc["reports"][0]["findings"] == []
