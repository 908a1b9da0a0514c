"""SARIF 2.1.0, for code-scanning dashboards: rule metadata in the driver, one result per finding
with its location (line/column in the report's extracted text) and the evidence as related
locations; unreadable inputs and failed plugins as tool execution notifications."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from auditor import __version__
from auditor.formats import Formatter
from auditor.formats.stream import JsonArray, dumps

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _region(line: int | None, column: int | None) -> dict[str, int]:
    return {"startLine": line or 1, "startColumn": column or 1}


class Sarif(Formatter):
    """One SARIF log with one run."""

    name = "sarif"
    description = "SARIF 2.1.0 log (rule metadata in the driver, findings with locations)"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.results: JsonArray | None = None  # written as they come (auditor.formats.stream)
        self.notifications: list[dict[str, Any]] = []
        self.index = {rule_id: i for i, rule_id in enumerate(self.rules)}

    def _begin(self) -> JsonArray:
        if self.results is None:
            rules = [
                {"id": rule.id, "name": rule.name, "shortDescription": {"text": rule.description},
                 "fullDescription": {"text": rule.description},
                 "defaultConfiguration": {"level": LEVELS[rule.severity]}}
                for rule in self.rules.values()
            ]
            tool = {"driver": {"name": "auditor", "version": __version__, "rules": rules}}
            self.write(f'{{\n  "$schema": {json.dumps(SCHEMA)},\n  "version": "2.1.0",\n  "runs": [\n    {{\n'
                       f'      "tool": {dumps(tool, 3)},\n      "results": [')
            self.results = JsonArray(self.write, 4)
        return self.results

    def add(self, record: dict[str, Any]) -> None:
        uri = quote(record["path"], safe="/:!._-")
        for finding in record.get("findings", ()):
            result: dict[str, Any] = {
                "ruleId": finding["rule"],
                "level": LEVELS[finding["severity"]],
                "message": {"text": finding["message"]},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": _region(finding["line"], finding["column"]),
                }}],
            }
            if finding["rule"] in self.index:
                result["ruleIndex"] = self.index[finding["rule"]]
            related = [
                {"id": i, "message": {"text": f"{e['source']} {e['key']} = {e['value']} ({e['text']})"},
                 "physicalLocation": {"artifactLocation": {"uri": uri}, "region": _region(e["line"], e["column"])}}
                for i, e in enumerate(finding["evidence"]) if e["line"]
            ]
            if related:
                result["relatedLocations"] = related
            self._begin().add(result)
        for message in record["errors"]:
            self.notifications.append({"level": "error", "message": {"text": f"{record['path']}: {message}"},
                                       "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]})

    def close(self, stats: Any) -> None:
        self._begin().close()
        invocations = [{"executionSuccessful": not self.notifications, "toolExecutionNotifications": self.notifications}]
        self.write(f',\n      "invocations": {dumps(invocations, 3)}\n    }}\n  ]\n}}\n')
