"""Reviews that last (auditor/reviews.py): decisions kept by fingerprint in SQLite, exported as
JSON, applied by ``auditor check --reviews`` so that dismissed findings stay dismissed in batch
runs and confirmed ones stay."""

from __future__ import annotations

import json

import pytest

from auditor.cli import main
from auditor.reviews import Reviews, ReviewsError, ReviewStore, default_path
from conftest import LUOHE

N001 = {"rule": "N001", "severity": "error", "message": "narrative states 行政复议 1 but the table gives 0 (line 80:9)",
        "evidence": [{"source": "narrative", "key": "review.total", "value": 1},
                     {"source": "table", "key": "review.total", "value": 0}]}
RECORD = {"path": "a/luohe.txt", "agency": "示范区党政办", "year": 2023, "findings": [N001]}


def check(capsys, *args):
    status = main(["check", "--format", "jsonl", "--jobs", "1", *map(str, args)])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def test_a_decision_is_kept_by_fingerprint_and_replaced(tmp_path):
    store = ReviewStore(tmp_path / "deep" / "reviews.sqlite3")
    store.decide(RECORD, N001, "confirmed", "real")
    moved = {**RECORD, "path": "elsewhere/luohe.html"}  # re-published: another file, the same report
    store.decide(moved, {**N001, "message": "另一种说法"}, "dismissed", " typo in the table ")
    [review] = store.reviews().values()
    assert (review.decision, review.note, review.report, review.rule) == ("dismissed", "typo in the table", "示范区党政办|2023", "N001")
    assert Reviews.load(store.path).dismissed(moved, N001)
    assert not Reviews.load(store.path).dismissed({**RECORD, "year": 2024}, N001)
    store.forget(review.fingerprint)
    assert store.reviews() == {}
    with pytest.raises(ValueError):
        store.decide(RECORD, N001, "maybe")


def test_the_json_export_reads_back_and_bad_files_are_named(tmp_path):
    store = ReviewStore(tmp_path / "reviews.sqlite3")
    store.decide(RECORD, N001, "dismissed", "ok")
    export = tmp_path / "reviews.json"
    export.write_text(json.dumps(store.export(), ensure_ascii=False), "utf-8")
    assert Reviews.load(export).dismissed(RECORD, N001)
    (tmp_path / "bad.json").write_text('{"version": 9}', "utf-8")
    for bad in (tmp_path / "bad.json", tmp_path / "missing.sqlite3", LUOHE):
        with pytest.raises(ReviewsError, match=bad.name):
            Reviews.load(bad)
    assert default_path({"AUDITOR_REVIEWS_DB": str(export)}) == export
    assert default_path({}).name == "reviews.sqlite3"


def test_check_leaves_dismissed_findings_out_and_keeps_confirmed_ones(capsys, tmp_path):
    status, [record], _ = check(capsys, LUOHE)
    assert status == 1 and [f["rule"] for f in record["findings"]] == ["N001"]
    store = ReviewStore(tmp_path / "reviews.sqlite3")
    store.decide(record, record["findings"][0], "confirmed")
    status, [kept], _ = check(capsys, "--reviews", store.path, LUOHE)
    assert status == 1 and len(kept["findings"]) == 1
    store.decide(record, record["findings"][0], "dismissed", "table corrected later")
    status, [left], err = check(capsys, "--reviews", store.path, LUOHE)
    assert status == 0 and left["findings"] == [] and "(1 more dismissed in reviews)" in err
    export = tmp_path / "reviews.json"
    export.write_text(json.dumps(store.export()), "utf-8")
    assert check(capsys, "--reviews", export, "--extend-select", "Y", LUOHE)[0] == 0
    assert check(capsys, "--reviews", tmp_path / "nothing.json", LUOHE)[0] == 2
