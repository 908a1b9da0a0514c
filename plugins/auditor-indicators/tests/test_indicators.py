"""The plugin's own tests, written with auditor's test kit (its pytest fixtures load by themselves
where auditor is installed): build a report, run the rule as a run does, assert the findings."""


def test_a_rate_past_the_threshold_is_flagged(audit, expect):
    findings = audit(cells={"review.upheld": 3, "review.corrected": 2, "review.pending": 1, "review.total": 6},
                     select=["IND001"])
    expect(findings, [("IND001", "info", {"review.corrected": 2, "review.total": 6})])
    assert findings[0].message.startswith("行政复议纠错率 40.0% (结果纠正 2 of 5 concluded cases)")


def test_the_threshold_and_the_minimum_are_options(audit, expect):
    cells = {"review.upheld": 3, "review.corrected": 2, "review.total": 5}
    expect(audit(cells=cells, select=["IND001"], options={"IND001": {"threshold": 0.5}}), [])
    expect(audit(cells=cells, select=["IND001"], options={"IND001": {"min_cases": 6}}), [])


def test_pending_cases_are_not_concluded(audit, expect):
    expect(audit(cells={"review.corrected": 1, "review.pending": 4, "review.total": 5}, select=["IND001"]), [])


def test_a_missing_cell_is_not_read_as_zero(audit, expect):
    expect(audit(cells={"review.corrected": 2, "review.total": None}, select=["IND001"]), [])


def test_the_catalogue_examples(rule_examples):
    assert rule_examples("IND001") == []
