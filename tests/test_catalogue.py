"""The rule catalogue: every rule carries an example that fires and one that stays quiet, each
behaves as it says, and docs/rules.md is the page the rules generate (a test fails when stale)."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest

from auditor.catalogue import rules_markdown
from auditor.cli import main
from auditor.testkit import default_host

ROOT = Path(__file__).resolve().parents[1]
# the product's own rules: those of the plugins the auditor distribution declares (a third-party
# plugin installed beside it, such as plugins/auditor-indicators, has its own catalogue and tests)
BUILT_IN = {e.name for e in entry_points(group="auditor.plugins") if e.dist is not None and e.dist.name == "auditor"}
RULES = {rule_id: rule for rule_id, rule in default_host().rules().items() if rule.plugin in BUILT_IN}


def test_every_rule_has_examples_both_ways():
    for rule in RULES.values():
        assert {e.fires for e in rule.examples} == {True, False}, rule.id
        assert rule.source and rule.rationale, rule.id


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_the_examples_of_each_rule(rule_id, rule_examples):
    assert rule_examples(rule_id) == []


def test_an_example_that_misbehaves_is_reported(auditor_host):
    from dataclasses import replace

    from auditor.rules import Example
    from auditor.testkit import run_examples

    wrong = replace(RULES["N001"], examples=(Example(False, paragraphs=("全年因政府信息公开被申请行政复议 1 件。",)),))
    [problem] = run_examples(wrong, auditor_host, ROOT)
    assert problem.startswith("N001 example 1 should stay quiet but gave: narrative states 行政复议")


def test_the_catalogue_page_is_current():
    page = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert page == rules_markdown(RULES.values()), (
        "docs/rules.md is stale: auditor rules --format markdown > docs/rules.md (with no third-party plugin installed)")


def test_rules_command_shows_one_rule_in_full(capsys):
    assert main(["rules", "A004"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("A004 appeals-total (error)\n")
    assert "Source: 国办公开办函〔2021〕30号 表四" in out and "Example, fires: report `corpora/html/2024-pingtan-shs-page.html`" in out
    assert main(["rules", "Q9"]) == 2
    assert "no rule ID starts with 'Q9'" in capsys.readouterr().err
