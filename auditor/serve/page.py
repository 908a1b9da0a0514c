"""What the page shows of a record: its findings with their rules' explanations and reviews, its
narrative cut into plain text and marked figures, its tables as the model read them (every
template cell, with its status), each mark knowing the findings it belongs to so that the page's
script can go from a narrative figure to the cell it contradicts and back. Plain data for the
Jinja2 templates (which escape everything), and the templates' environment per language.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from auditor.catalogue import rule_description, rule_rationale, rule_source, rule_title
from auditor.i18n import localize
from auditor.places import narrative_place, pointed, table_layout
from auditor.reviews import Review, finding_key
from auditor.serve.texts import SEVERITIES, Text, refusal, translations
from auditor.template import load_template

ORDER = tuple(SEVERITIES)
TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=None)
def environment(lang: str):
    """The Jinja2 environment of the page in ``lang``: autoescaping on, the ``i18n`` extension
    with the page's catalog installed (``_``, ``{% trans %}``)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.globals.update(lang=lang, query="?lang=en" if lang == "en" else "", other_lang="zh" if lang == "en" else "en",
                       severity_names={k: translations(lang).gettext(v) for k, v in SEVERITIES.items()})
    env.filters["text"] = lambda value: value.render(lang) if isinstance(value, Text) else value
    return env


@dataclass
class Mark:
    """A marked place: a narrative figure or a table cell. ``id`` is its element's id; ``findings``
    the indexes of the findings pointing at it; ``severity`` the worst of those not dismissed
    ("dismissed" when all are)."""

    id: str
    findings: list[int] = field(default_factory=list)
    severity: str = "info"
    title: str = ""


def _severity(findings: list[dict[str, Any]], indexes: list[int]) -> str:
    live = [findings[i]["severity"] for i in indexes if findings[i]["review"] is None or findings[i]["review"].decision != "dismissed"]
    return min(live, key=ORDER.index) if live else "dismissed"


def counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    """Findings by severity, the dismissed ones apart (``dismissed``)."""
    found = Counter("dismissed" if f.get("review") is not None and f["review"].decision == "dismissed" else f["severity"]
                    for f in findings)
    return {s: found.get(s, 0) for s in (*ORDER, "dismissed")}


def localized(record: dict[str, Any], lang: str) -> dict[str, Any]:
    """``record`` with its findings' messages and its errors in ``lang`` (``auditor.i18n``); the
    record given keeps its language-free form, which fingerprints are made of."""
    try:
        return localize(record, lang)
    except Exception:  # a message that cannot be rendered is shown as it is
        return record


def report_view(record: dict[str, Any], rules: dict[str, Any], reviews: dict[str, Review], lang: str) -> dict[str, Any]:
    """The page's data of one readable record (as audited: its fingerprints are the ones
    ``auditor check --reviews`` computes), messages and rule texts in ``lang``: ``findings`` (each
    with its rule, review, places and fingerprint, in severity order), ``counts``, ``paragraphs``
    (each a list of segments: text, and the ``Mark`` of a marked figure or None), ``tables``
    (title, headings, rows of cells with display text, status and ``Mark``), ``unplaced``
    (findings with nothing to point at)."""
    shown = localized(record, lang)["findings"]
    view = record.get("view") or {}
    paragraphs = view.get("paragraphs", [])
    findings: list[dict[str, Any]] = []
    narrative: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # paragraph -> (start, end, finding)
    cell_marks: dict[str, list[int]] = defaultdict(list)
    labels = {c["key"]: c["label"] for c in view.get("cells", [])}
    for index, finding in enumerate(record.get("findings", ())):
        key = finding_key(record, finding)
        links, facts = [], []
        for evidence in pointed(finding["evidence"]):
            if evidence["source"] == "table" and evidence.get("key"):
                cell_marks[evidence["key"]].append(index)
                links.append({"id": f"c-{evidence['key']}", "source": "table", "value": evidence.get("value"),
                              "label": labels.get(evidence["key"], evidence["key"])})
            elif evidence["source"] == "narrative":
                found = narrative_place(paragraphs, evidence)
                if found is not None:
                    narrative[found[0]].append((found[1], found[2], index))
                    text = paragraphs[found[0]]["text"][found[1]:found[2]]
                    links.append({"id": f"n{found[0]}-{found[1]}", "source": "narrative", "value": evidence.get("value"),
                                  "label": text})
            else:
                facts.append(f"{evidence.get('key')} {evidence.get('value')}")
        links = list({link["id"]: link for link in links}.values())
        places = [link["id"] for link in links]
        rule = rules.get(finding["rule"])
        findings.append({**finding, "message": shown[index]["message"], "index": index, "fingerprint": key,
                         "review": reviews.get(key), "places": places, "links": links, "facts": facts, **_rule_texts(rule, lang)})
    return {
        "findings": sorted(findings, key=lambda f: (ORDER.index(f["severity"]), f["line"] is None, f["line"] or 0, f["index"])),
        "counts": counts(findings),
        "paragraphs": [_segments(p, narrative.get(i, []), i, findings) for i, p in enumerate(paragraphs)],
        "tables": _tables(record, view, cell_marks, findings),
        "unplaced": [f["index"] for f in findings if not f["places"]],
    }


def _rule_texts(rule: Any, lang: str) -> dict[str, str]:
    """A rule's title, description, rationale (when it says more) and source, in ``lang``."""
    if rule is None:
        return {"rule_name": "", "description": "", "rationale": "", "source": ""}
    rationale = rule_rationale(rule, lang) if rule.rationale and rule.rationale != rule.description else ""
    return {"rule_name": rule_title(rule, lang), "description": rule_description(rule, lang),
            "rationale": rationale.replace("``", ""), "source": rule_source(rule, lang)}


def reason(record: dict[str, Any], lang: str) -> Text | str:
    """Why an input could not be read, in ``lang``: the reader's words from the project's catalog,
    else the page's."""
    english = record["errors"][0] if record.get("errors") else ""
    said = localized(record, lang).get("errors") or [english]
    return said[0] if lang != "en" and said[0] != english else refusal(english)


def _title(findings: list[dict[str, Any]], indexes: list[int]) -> str:
    return " | ".join(f"{findings[i]['rule']} {findings[i]['message']}" for i in indexes)


def _segments(paragraph: dict[str, Any], spans: list[tuple[int, int, int]], number: int,
              findings: list[dict[str, Any]]) -> dict[str, Any]:
    """A paragraph as (text, Mark or None) segments; overlapping spans join the first one's mark."""
    text, at, segments = paragraph["text"], 0, []
    last: Mark | None = None
    for start, end, index in sorted(spans):
        if start < at and last is not None:
            if index not in last.findings:
                last.findings.append(index)
            continue
        segments.append((text[at:start], None))
        last = Mark(f"n{number}-{start}", [index])
        segments.append((text[start:end], last))
        at = end
    segments.append((text[at:], None))
    for _, mark in segments:
        if mark is not None:
            mark.severity, mark.title = _severity(findings, mark.findings), _title(findings, mark.findings)
    return {"section": paragraph.get("section"), "segments": [s for s in segments if s[0]]}


STATUS_TEXT = {"blank": "", "missing": "?"}


def _tables(record: dict[str, Any], view: dict[str, Any], marks: dict[str, list[int]], findings) -> list[dict[str, Any]]:
    cells = {c["key"]: c for c in view.get("cells", [])}
    if not cells or not record.get("template"):
        return []
    template = load_template(record["template"])
    tables = []
    for table in template.table_names():
        headings, rows = table_layout(template, table, set(cells))
        if not rows:
            continue
        shown = []
        for label, keys in rows:
            row = []
            for key in keys:
                cell = cells.get(key) if key else None
                if key is None:
                    row.append(None)
                    continue
                status = cell["status"] if cell else "missing"
                value = cell.get("value") if cell else None
                text = STATUS_TEXT.get(status, "") if value is None and status in STATUS_TEXT else (
                    str(value) if value is not None else (cell or {}).get("text", ""))
                mark = None
                if marks.get(key):
                    indexes = list(dict.fromkeys(marks[key]))
                    mark = Mark(f"c-{key}", indexes, _severity(findings, indexes), _title(findings, indexes))
                row.append({"key": key, "text": text, "status": status, "label": cell["label"] if cell else key,
                            "printed": (cell or {}).get("text", ""), "mark": mark})
            shown.append({"label": label, "cells": row})
        tables.append({"title": view.get("tables", {}).get(table, table), "headings": headings, "rows": shown})
    return tables


def batch_rows(records: list[dict[str, Any]], reviews: dict[str, Review], lang: str) -> list[dict[str, Any]]:
    """One row per input for the table of reports: its number (for its link), name, title,
    agency, year, counts by severity (dismissed apart), or the reason it could not be read."""
    rows = []
    for number, record in enumerate(records):
        row = {"number": number, "path": record["path"], "readable": record["readable"]}
        if record["readable"]:
            findings = [{**f, "review": reviews.get(finding_key(record, f))} for f in record["findings"]]
            row.update(title=record.get("title") or record["path"], agency=record.get("agency") or "",
                       year=record.get("year") or "", counts=counts(findings), errors=record["errors"])
        else:
            row["reason"] = reason(record, lang)
        rows.append(row)
    return rows


def fingerprints(records: list[dict[str, Any]]) -> set[str]:
    """The fingerprints of every finding of ``records`` (to look their reviews up at once)."""
    return {finding_key(r, f) for r in records if r.get("readable") for f in r.get("findings", ())}
