"""pytest fixtures for testing rules (loaded automatically where auditor is installed, through
the ``pytest11`` entry point): ``auditor_host``, ``audit``, ``expect``, ``rule_examples``.

::

    def test_my_rule(audit, expect):
        findings = audit(cells={"review.total": 3, "review.corrected": 2}, select=["IND001"])
        expect(findings, [("IND001", "warning")])

See ``auditor.testkit`` for what each does.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def auditor_host():
    """The plugin host of the installed plugins (every entry point of ``auditor.plugins``)."""
    from auditor.testkit import default_host

    return default_host()


@pytest.fixture
def audit(auditor_host):
    """``audit(source=None, *, select=None, options=None, cells=..., paragraphs=..., year=...)``:
    the findings of the selected rules on a report (``auditor.testkit.audit``)."""
    from auditor.testkit import audit as run_audit

    def audit(source=None, **kwargs):
        kwargs.setdefault("host", auditor_host)
        return run_audit(source, **kwargs)

    return audit


@pytest.fixture
def expect():
    """``expect(findings, [(rule, severity[, values]), ...])`` (``auditor.testkit.expect``)."""
    from auditor.testkit import expect

    return expect


@pytest.fixture
def rule_examples(auditor_host, request):
    """``rule_examples(rule_id)``: the catalogue examples of a rule that misbehave, in words
    (empty when every example fires or stays quiet as it says); files from pytest's root."""
    from auditor.testkit import run_examples

    def check(rule_id: str) -> list[str]:
        return run_examples(auditor_host.rules()[rule_id], auditor_host, request.config.rootpath)

    return check
