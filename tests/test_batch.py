"""Batches: inputs of every kind in a stable order, parallel workers giving the same results as one,
timeouts and crashed workers as error entries, the cache, and a Dask cluster."""

from __future__ import annotations

import json
import shutil
import time
import zipfile

import pytest

from auditor import batch
from auditor.cache import ResultCache, fingerprint
from auditor.cli import main
from auditor.inputs import expand
from auditor.testing import write_batch
from auditor.worker import Settings
from conftest import CORPORA, LUOHE

SUFFIXES = {".txt", ".md", ".html", ".docx", ".pdf"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    directory = tmp_path_factory.mktemp("batch")
    write_batch(directory, 40, corrupt=6, seed=7, corpus=CORPORA)
    return directory


def jsonl(capsys, *args) -> tuple[int, list[dict]]:
    status = main(["check", "--format", "jsonl", "--quiet", *map(str, args)])
    return status, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_two_jobs_give_the_same_results_as_one(capsys, generated):
    status_one, one = jsonl(capsys, "--jobs", "1", "--no-cache", generated)
    status_two, two = jsonl(capsys, "--jobs", "2", "--no-cache", generated)
    assert status_one == status_two == 2
    assert one == two
    assert len(one) == 46
    errors = [line for line in one if "error" in line]
    assert [e["path"].rsplit("/", 1)[1] for e in errors] == [f"zz-corrupt-{j:04d}.{s}" for j, s in
                                                            enumerate(("txt", "pdf", "docx", "md", "txt", "pdf"))]
    assert all(line["title"] for line in one if "error" not in line)
    assert [line["path"] for line in one] == sorted(line["path"] for line in one)  # input order


def test_inputs_files_directories_globs_and_zip_archives(tmp_path):
    (tmp_path / "sub").mkdir()
    shutil.copy(LUOHE, tmp_path / "sub" / "b.txt")
    shutil.copy(LUOHE, tmp_path / "a.txt")
    with zipfile.ZipFile(tmp_path / "reports.zip", "w") as archive:
        archive.write(LUOHE, "2023/luohe.txt")
        archive.writestr("2023/notes.json", "{}")
        archive.writestr("__MACOSX/2023/._luohe.txt", "x")
    names = [s.name for s in expand([str(tmp_path / "sub"), str(tmp_path / "*.txt"), str(tmp_path / "reports.zip"),
                                     str(tmp_path / "none-*.pdf")], SUFFIXES)]
    assert names == [str(tmp_path / "sub" / "b.txt"), str(tmp_path / "a.txt"), f"{tmp_path / 'reports.zip'}!2023/luohe.txt",
                     str(tmp_path / "none-*.pdf")]
    sources = list(expand([str(tmp_path / "reports.zip")], SUFFIXES))
    assert sources[0].read() == LUOHE.read_bytes()
    everything = [s.name for s in expand([str(tmp_path)], SUFFIXES)]
    assert everything == [str(tmp_path / "a.txt"), f"{tmp_path / 'reports.zip'}!2023/luohe.txt", str(tmp_path / "sub" / "b.txt")]


def test_a_zip_member_is_audited_and_named(capsys, tmp_path):
    with zipfile.ZipFile(tmp_path / "batch.zip", "w") as archive:
        archive.write(LUOHE, "luohe.txt")
    status, lines = jsonl(capsys, tmp_path / "batch.zip")
    assert status == 1 and lines[0]["path"] == f"{tmp_path / 'batch.zip'}!luohe.txt"
    assert {f["rule"] for f in lines[0]["findings"]} == {"N001"}


SLOW = '''
import os, time
from auditor import hookimpl, rule

@rule("S001", "slow-or-crash", "error", "Sleeps on a report named slow, ends its process on one named crash.")
def slow_or_crash(document):
    if "slow" in document.report.path:
        time.sleep(30)
    if "crash" in document.report.path:
        os._exit(3)
    return []

@hookimpl
def auditor_register_rules(register):
    register(slow_or_crash)
'''


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_rule_past_the_timeout_is_named_and_the_report_keeps_the_other_findings(capsys, tmp_path, jobs):
    plugin = tmp_path / "slow.py"
    plugin.write_text(SLOW, "utf-8")
    for name in ("a-ok.txt", "b-slow.txt", "c-ok.txt"):
        shutil.copy(LUOHE, tmp_path / name)
    started = time.monotonic()
    # 4 s: an ok report's stages take well under a second, also on a loaded machine; the plugin sleeps 30 s
    status, lines = jsonl(capsys, "--plugin", plugin, "--timeout", "4", "--jobs", jobs, "--no-cache",
                          tmp_path / "a-ok.txt", tmp_path / "b-slow.txt", tmp_path / "c-ok.txt")
    assert time.monotonic() - started < 28
    assert status == 2
    assert [line["errors"] for line in lines] == [[], ["rule S001 (plugin 'auditor_local_slow') was stopped: it took "
                                                       "longer than the 4 s timeout; its findings are left out"], []]
    assert [[f["rule"] for f in line["findings"]] for line in lines] == [["N001"]] * 3  # the built-ins' findings kept


def test_a_rule_that_ends_its_worker_is_named_and_the_batch_goes_on(capsys, tmp_path):
    plugin = tmp_path / "crash.py"
    plugin.write_text(SLOW, "utf-8")
    names = [f"{i}-ok.txt" for i in range(4)] + ["4-crash.txt"] + [f"{i}-ok.txt" for i in range(5, 8)]
    for name in names:
        shutil.copy(LUOHE, tmp_path / name)
    status, lines = jsonl(capsys, "--plugin", plugin, "--jobs", "2", "--no-cache", *(tmp_path / n for n in names))
    assert status == 2
    assert [line["path"].rsplit("/", 1)[1] for line in lines] == names
    assert [line["errors"] for line in lines].count([]) == 7
    assert lines[4]["errors"] == ["rule S001 (plugin 'auditor_local_crash') ended its worker process (a crash, or an exit) "
                                  "and the report was audited without it"]
    assert {f["rule"] for f in lines[4]["findings"]} == {"N001"}  # the built-ins' findings kept


def test_the_cache_re_audits_only_what_changed(tmp_path, generated):
    from auditor.plugins import PluginHost

    settings = Settings()
    host = PluginHost()
    cache = ResultCache(tmp_path / "cache", fingerprint(settings, [(p.name, p.source) for p in host.plugins()]))
    sources = list(expand([str(generated)], host.suffixes()))
    first = batch.BatchStats()
    records = list(batch.run(sources, settings, jobs=2, cache=cache, stats=first))
    assert (first.audited, first.cached) == (46, 0)  # corrupt files too: their read errors are results
    again = batch.BatchStats()
    assert list(batch.run(sources, settings, jobs=2, cache=cache, stats=again)) == records
    assert (again.audited, again.cached) == (0, 46)
    edited = next(p for p in sorted(generated.iterdir()) if p.suffix == ".txt" and "corrupt" not in p.name)
    original = edited.read_text("utf-8")
    try:
        edited.write_text(original.replace("全年共收到", "全年共计收到"), "utf-8")
        third = batch.BatchStats()
        list(batch.run(sources, settings, jobs=2, cache=cache, stats=third))
        assert (third.audited, third.cached) == (1, 45)
    finally:
        edited.write_text(original, "utf-8")


def test_cached_records_follow_their_file_name(capsys, tmp_path):
    shutil.copy(LUOHE, tmp_path / "first.txt")
    shutil.copy(LUOHE, tmp_path / "second.txt")
    cache = tmp_path / "cache"
    _, lines = jsonl(capsys, "--cache-dir", cache, tmp_path / "first.txt", tmp_path / "second.txt")
    assert [line["path"] for line in lines] == [str(tmp_path / "first.txt"), str(tmp_path / "second.txt")]
    assert main(["check", "--cache-dir", str(cache), str(tmp_path / "second.txt")]) == 1
    assert "1 report(s), 1 from the cache" in capsys.readouterr().err


def test_dask_local_cluster_gives_the_same_jsonl(capsys, generated):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        status, remote = jsonl(capsys, "--executor", "dask", "--scheduler", cluster.scheduler_address, "--no-cache", generated)
    status_local, local = jsonl(capsys, "--jobs", "2", "--no-cache", generated)
    assert status == status_local == 2
    assert remote == local


def test_extract_writes_every_cell_of_every_report(capsys, tmp_path):
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "cells.parquet"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert main(["extract", "--format", "parquet", "-o", str(out), str(LUOHE), str(CORPORA / "pdf" / "2024-huaian-city.pdf"), str(bad)]) == 2
    table = pyarrow_parquet.read_table(out).to_pylist()
    assert len(table) == 2 * (200 + 4)  # the cells, then four indicators, of each report
    row = next(r for r in table if r["key"] == "requests.new.total" and r["path"].endswith("huaian-city.pdf"))
    assert (row["value"], row["status"], row["label"], row["agency"], row["template"]) == (
        3119.0, "number", "一、本年新收政府信息公开申请数量 / 总计", "淮安市人民政府", "2021")
    csv_out = tmp_path / "cells.csv"
    assert main(["extract", "-o", str(csv_out), str(LUOHE)]) == 0
    lines = csv_out.read_text("utf-8-sig").splitlines()
    assert len(lines) == 1 + 200 + 4 and lines[0].startswith("path,agency,year,template,table,key,label,value,status")


def test_extract_writes_the_indicators_recomputed_from_its_own_cells(tmp_path):
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "cells.parquet"
    reports = [LUOHE, CORPORA / "pdf" / "2024-huaian-city.pdf", CORPORA / "markdown" / "2025-shanghai-govoffice-converted.md"]
    assert main(["extract", "--format", "parquet", "-o", str(out), *map(str, reports)]) in (0, 1)
    rows = pyarrow_parquet.read_table(out).to_pylist()
    for path in map(str, reports):
        cell = {r["key"]: r["value"] for r in rows if r["path"] == path and r["table"] != "indicators"}
        rate = {r["key"]: r["value"] for r in rows if r["path"] == path and r["table"] == "indicators"}

        def share(part, whole):
            return round(part / whole, 4) if whole > 0 else None

        assert rate == {
            "indicators.disclosure_rate": share(cell["requests.granted.total"] + cell["requests.partially_granted.total"],
                                                cell["requests.total.total"]),
            "indicators.completion_rate": share(cell["requests.total.total"],
                                                cell["requests.new.total"] + cell["requests.carried_over.total"]),
            "indicators.review_correction_rate": share(cell["review.corrected"], cell["review.total"] - cell["review.pending"]),
            "indicators.litigation_correction_rate": share(
                cell["litigation_direct.corrected"] + cell["litigation_after_review.corrected"],
                cell["litigation_direct.total"] + cell["litigation_after_review.total"]
                - cell["litigation_direct.pending"] - cell["litigation_after_review.pending"]),
        }, path
    huaian = {r["key"]: r for r in rows if r["path"].endswith("huaian-city.pdf") and r["table"] == "indicators"}
    assert huaian["indicators.review_correction_rate"]["value"] == 0.2038  # 64 corrected of 314 concluded (IND001's example)
    assert huaian["indicators.review_correction_rate"]["label"] == "行政复议纠错率（结果纠正占已审结）"
    luohe = {r["key"]: r for r in rows if r["path"] == str(LUOHE) and r["table"] == "indicators"}
    assert luohe["indicators.review_correction_rate"]["status"] == "not computed"  # no case concluded: no rate


def test_an_indicator_over_an_unread_cell_is_not_computed():
    from auditor.indicators import indicators

    review = next(i for i in indicators() if i.key == "indicators.review_correction_rate")
    assert review.value({"review.corrected": 2, "review.total": 10, "review.pending": 2}) == 0.25
    assert review.value({"review.corrected": 2, "review.total": None, "review.pending": 2}) is None
    assert review.value({"review.corrected": 0, "review.total": 3, "review.pending": 3}) is None


def test_the_summary_counts_only_reports_from_the_cache(capsys, tmp_path):
    # the newcomer trial: "5 report(s), 6 from the cache" — a refused input (a notes file) was counted as a cached report
    shutil.copy(LUOHE, tmp_path / "report.txt")
    (tmp_path / "reading.md").write_text("我读这份报告时的笔记。\n", "utf-8")
    cache = tmp_path / "cache"
    assert main(["check", "--cache-dir", str(cache), str(tmp_path / "report.txt"), str(tmp_path / "reading.md")]) == 2
    capsys.readouterr()
    assert main(["check", "--cache-dir", str(cache), str(tmp_path / "report.txt"), str(tmp_path / "reading.md")]) == 2
    assert "1 report(s), 1 from the cache" in capsys.readouterr().err
