"""auditor: audits Chinese government information disclosure annual reports
(政府信息公开工作年度报告) for contradictions between their tables and narrative.

The public namespace for plugin authors: everything a rule needs is importable from here::

    from auditor import Document, Evidence, Example, Hit, RuleSet, hookimpl

Names are loaded on first use, so ``import auditor`` stays cheap (no spaCy, no jieba).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_PUBLIC = {
    "hookimpl": "auditor.hookspecs",
    "Rule": "auditor.rules", "RuleSet": "auditor.rules", "rule": "auditor.rules", "Example": "auditor.rules",
    "ExampleReport": "auditor.rules",
    "GENERATIONS": "auditor.template", "Template": "auditor.template", "Relation": "auditor.relations",
    "load_template": "auditor.template",
    "Hit": "auditor.findings", "BatchHit": "auditor.findings", "Finding": "auditor.findings", "Evidence": "auditor.findings",
    "Severity": "auditor.findings", "Kind": "auditor.findings",
    "Document": "auditor.document", "Reading": "auditor.document",
    "Figure": "auditor.figures",
    "ReportFacts": "auditor.facts", "ReportGroup": "auditor.facts", "NARRATIVE": "auditor.facts", "TABLES": "auditor.facts", "STATED": "auditor.facts",
    "Report": "auditor.model", "Cell": "auditor.model", "Position": "auditor.model", "GridRef": "auditor.model",
    "Message": "auditor.i18n", "join": "auditor.i18n", "register_catalog": "auditor.i18n",
}
__all__ = ["__version__", *_PUBLIC]

if TYPE_CHECKING:
    from auditor.document import Document, Reading
    from auditor.figures import Figure
    from auditor.facts import NARRATIVE, STATED, TABLES, ReportFacts, ReportGroup
    from auditor.findings import BatchHit, Evidence, Finding, Hit, Kind, Severity
    from auditor.hookspecs import hookimpl
    from auditor.i18n import Message, join, register_catalog
    from auditor.model import Cell, GridRef, Position, Report
    from auditor.rules import Example, ExampleReport, Rule, RuleSet, rule
    from auditor.relations import Relation
    from auditor.template import GENERATIONS, Template, load_template


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'auditor' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
