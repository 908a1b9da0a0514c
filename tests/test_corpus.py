"""Every report in corpora/ audited and compared, exactly, with the findings written by hand
beside it (``<report>.expected.json``)."""

from __future__ import annotations

import json

import pytest

from auditor.audit import audit_file
from conftest import CORPORA

EXPECTED = sorted(CORPORA.rglob("*.expected.json"))


def test_every_corpus_report_has_expected_findings(host):
    reports = [p for p in CORPORA.rglob("*") if p.is_file() and p.suffix.lower() in host.suffixes()
               and not p.stem.isupper()]  # the reports, not notes such as a README
    assert reports, "the corpus is empty"
    for report in reports:
        assert report.with_name(report.stem + ".expected.json").exists(), report


@pytest.mark.parametrize("expected_file", EXPECTED, ids=[p.name for p in EXPECTED])
def test_corpus_report_findings(expected_file, host):
    expected = json.loads(expected_file.read_text("utf-8"))
    result = audit_file(expected_file.with_name(expected["report"]), host)
    assert result.errors == []
    found = [
        {
            "rule": f.rule,
            "severity": f.severity,
            "line": f.position.line if f.position else None,
            "column": f.position.column if f.position else None,
            "message": f.message,
            "evidence": [[e.source, e.key, e.value, e.position.line if e.position else None] for e in f.evidence],
        }
        for f in result.findings
    ]
    assert found == expected["findings"]


def test_batch_findings_of_the_corpus(host):
    # every report of the corpus (SOURCES.tsv), read and audited as one batch by the batch rules:
    # the cross-year rules over each body's reports, the copy rules over all
    import csv

    from auditor.audit import read_document
    from auditor.facts import ReportFacts, groups_of

    rows = list(csv.DictReader((CORPORA / "SOURCES.tsv").open(encoding="utf-8"), delimiter="\t"))
    facts = [ReportFacts.of_document(read_document(CORPORA / r["file"], host)) for r in rows]
    found = []
    for rule in (r for r in host.rules().values() if r.over_reports):  # opt-in ones too
        for group in groups_of(facts, rule.scope):
            hits, failures = host.check_group(rule, group)
            assert failures == []
            found += [[path.split("corpora/", 1)[1], finding.rule, finding.message.replace(str(CORPORA.parent) + "/", "")]
                      for path, finding in hits]
    expected = json.loads((CORPORA / "batch-findings.json").read_text("utf-8"))["findings"]
    assert sorted(found) == sorted(expected)

    # the corpus plus one of its reports printed again under another body's name: the copy rules
    # report that pair (on both, one year), and nothing else changes
    from dataclasses import replace

    original = next(f for f in facts if f.path.endswith("pdf/2024-hongze-district.pdf"))
    copy = replace(original, path=str(CORPORA / "copy-under-another-name.pdf"), agency="淮安市清江浦区人民政府",
                   title="淮安市清江浦区人民政府2024年政府信息公开工作年度报告")
    more = {}
    for rule in (r for r in host.rules().values() if r.over_reports):
        for group in groups_of([*facts, copy], rule.scope):
            for path, finding in host.check_group(rule, group)[0]:
                more.setdefault(path.split("corpora/", 1)[1], []).append((finding.rule, finding.message))
    new = {path: sorted(rule for rule, message in items if "copy-under-another-name" in message or path.startswith("copy"))
           for path, items in more.items()}
    assert {path: rules for path, rules in new.items() if rules} == {
        "copy-under-another-name.pdf": ["Y003", "Y004"], "pdf/2024-hongze-district.pdf": ["Y003", "Y004"]}
    assert sum(len(items) for items in more.values()) == len(expected) + 4
