"""pytest fixtures for testing rules (loaded automatically where auditor is installed, through
the ``pytest11`` entry point): ``auditor_host``, ``audit``, ``expect``, ``rule_examples``.

::

    def test_my_rule(audit, expect):
        findings = audit(cells={"review.total": 3, "review.corrected": 2}, select=["IND001"])
        expect(findings, [("IND001", "info")])

A plugin file not installed yet is given with ``pytest --auditor-plugin path/to/plugin.py`` or
the ini setting ``auditor_plugins = path/to/plugin.py``. See ``auditor.testkit`` for what each
fixture does.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser):
    parser.addoption("--auditor-plugin", action="append", default=[], metavar="PATH",
                     help="auditor: a plugin file (or module) the test kit's host loads besides the installed ones")
    parser.addini("auditor_plugins", type="args", default=[],
                  help="auditor: plugin files (or modules) the test kit's host loads besides the installed ones")


@pytest.fixture(scope="session")
def auditor_host(pytestconfig):
    """The plugin host of the installed plugins (every entry point of ``auditor.plugins``) and
    of the plugins named by ``--auditor-plugin`` / ``auditor_plugins`` (paths from pytest's root)."""
    from auditor.plugins import PluginHost
    from auditor.testkit import default_host

    named = [*pytestconfig.getini("auditor_plugins"), *pytestconfig.getoption("--auditor-plugin")]
    if not named:
        return default_host()
    root = pytestconfig.rootpath
    return PluginHost([str(root / n) if n.endswith(".py") and not n.startswith("/") else n for n in named])


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
        rule = auditor_host.rules().get(rule_id)
        if rule is None:
            return [f"{rule_id} is not a loaded rule: is its plugin installed, or named with --auditor-plugin?"]
        return run_examples(rule, auditor_host, request.config.rootpath)

    return check
