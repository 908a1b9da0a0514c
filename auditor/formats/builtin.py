"""The built-in output formats, registered through the ``auditor_formatters`` hook like any
plugin's."""

from __future__ import annotations

from auditor.formats.basic import Csv, Json, JsonLines, Text
from auditor.formats.html import Html
from auditor.formats.sarif import Sarif
from auditor.formats.xlsx import Xlsx
from auditor.hookspecs import hookimpl


@hookimpl
def auditor_formatters():
    """text, json, jsonl, csv, xlsx, sarif, html."""
    return [Text, Json, JsonLines, Csv, Xlsx, Sarif, Html]
