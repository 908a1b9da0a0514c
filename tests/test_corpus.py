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
