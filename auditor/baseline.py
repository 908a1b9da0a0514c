"""Baselines: accept the findings a batch has today and report only the new ones.

A report is a government document nobody can put a suppression comment into, so accepted findings
are kept beside the reports: ``auditor baseline PATH... -o FILE`` records each finding's
fingerprint, and ``auditor check --baseline FILE`` leaves out findings whose fingerprint is
recorded (as many times as it was recorded) and says how many it left out.

A fingerprint survives re-publication and reformatting: it is made of the report's identity (its
agency and year as the title states them; the title, or the file name, when neither is stated), the
rule, and the values the finding rests on (each evidence's source, template key and value) — never
line numbers, columns, pages or the file's path. A finding without evidence is fingerprinted by its
message with its positions removed. The same report re-rendered from text to HTML, or moved to
another folder, keeps its fingerprints; a changed value makes a new finding.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

VERSION = 1
_POSITIONS = re.compile(r"\s*\((?:line|page)s?\s[^()]*\)|\b(?:line|page)s?\s\d+(?::\d+)?(?:,\s*\d+(?::\d+)?)*")


class BaselineError(ValueError):
    """A baseline file that cannot be read: the file and the problem."""


def report_identity(record: Mapping[str, Any]) -> str:
    """Who published a report on which year: ``agency|year`` from its title, with the spaces
    removed; the title or the file's name when the title states neither."""
    agency = re.sub(r"\s+", "", record.get("agency") or "")
    year = record.get("year")
    if agency or year:
        return f"{agency}|{year or ''}"
    title = re.sub(r"\s+", "", record.get("title") or "")
    return title or PurePath(str(record.get("path", "")).split("!")[-1]).name


def _value(value: Any) -> str:
    if isinstance(value, float):
        return repr(round(value, 6))
    return repr(value)


def fingerprint(identity: str, finding: Mapping[str, Any]) -> str:
    """The fingerprint (hex SHA-256, 16 digits) of a finding (its JSON record) in the report
    ``identity``."""
    evidence = sorted(f"{e.get('source')}:{e.get('key')}={_value(e.get('value'))}" for e in finding.get("evidence") or ())
    basis = evidence if evidence else [_POSITIONS.sub("", finding.get("message", "")).strip()]
    text = "\n".join([identity, finding.get("rule", ""), *basis])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Baseline:
    """Accepted findings: fingerprint → how many times it was accepted, and a readable entry for
    each (path, rule, message) for whoever reviews the file."""

    counts: Counter = field(default_factory=Counter)
    entries: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of_records(cls, records: Iterable[Mapping[str, Any]]) -> Baseline:
        """The baseline of a run's records (unreadable inputs have no findings to accept)."""
        baseline = cls()
        for record in records:
            identity = report_identity(record)
            for finding in record.get("findings", ()):
                key = fingerprint(identity, finding)
                baseline.counts[key] += 1
                baseline.entries.append({"fingerprint": key, "report": identity, "path": record.get("path"),
                                         "rule": finding.get("rule"), "message": finding.get("message")})
        return baseline

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        """A baseline written by ``write``. Raises ``BaselineError`` naming the file."""
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"{path}: cannot be read ({exc})") from None
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{path}: not a baseline (not JSON: {exc})") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
            raise BaselineError(f"{path}: not an auditor baseline of version {VERSION}")
        baseline = cls()
        for entry in data["findings"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
                raise BaselineError(f"{path}: an entry without a fingerprint: {str(entry)[:80]}")
            baseline.counts[entry["fingerprint"]] += 1
            baseline.entries.append(entry)
        return baseline

    def write(self, path: str | Path) -> None:
        """Write the baseline as JSON (entries sorted, so that re-made baselines diff cleanly)."""
        entries = sorted(self.entries, key=lambda e: (str(e.get("report")), str(e.get("rule")), e["fingerprint"]))
        text = json.dumps({"version": VERSION, "findings": entries}, ensure_ascii=False, indent=1)
        Path(path).write_text(text + "\n", "utf-8")

    def apply(self, record: dict[str, Any], remaining: Counter) -> tuple[dict[str, Any], int]:
        """``record`` without its accepted findings, and how many were left out. ``remaining``
        (start it as a copy of ``counts``) is drawn down, so that a finding accepted once is
        left out once."""
        findings = record.get("findings")
        if not findings:
            return record, 0
        identity = report_identity(record)
        kept = []
        for finding in findings:
            key = fingerprint(identity, finding)
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                kept.append(finding)
        return ({**record, "findings": kept}, len(findings) - len(kept)) if len(kept) < len(findings) else (record, 0)
