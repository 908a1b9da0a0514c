"""A test kit for auditor and for plugin authors: complete template reports with chosen values.

``report_text`` renders a report in the 2021 template the way published text reports look
(Markdown headings, tab-separated tables); ``make_document`` reads it back through the real
reader and figure extraction, so a rule under test sees exactly what it sees in production::

    doc = make_document({"review.total": 1, "review.upheld": 1}, ["全年行政复议 1 件。"])
    findings = list(my_rules.check(doc))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from auditor.audit import Document
from auditor.figures import extract_figures
from auditor.read.document import build_report
from auditor.read.text import text_blocks
from auditor.template import Template, load_template

Value = int | float | str | None


def _cell(values: Mapping[str, Value], key: str) -> str:
    value = values.get(key, 0)
    return "" if value is None else str(value)


def report_text(
    values: Mapping[str, Value] | None = None,
    narrative: Sequence[str] = (),
    *,
    agency: str = "测试县人民政府办公室",
    year: int = 2023,
    template: Template | None = None,
) -> str:
    """A complete report: title, narrative paragraphs under 一、总体情况, and tables 二, 三, 四.

    ``values`` maps cell keys to values (default 0; None prints a blank cell; a string is printed
    as is, e.g. "/"). Raises ``KeyError`` for a key that is not a template cell.
    """
    t = template or load_template()
    values = dict(values or {})
    unknown = set(values) - set(t.cells)
    if unknown:
        raise KeyError(f"not template cells: {sorted(unknown)}")
    lines = [f"# {agency} {year} 年{t.title_words[0]}", "", f"## {_numbered(1, t.sections[0])}", ""]
    for paragraph in narrative:
        lines += [paragraph, ""]
    lines += [f"## {t.titles['active']}", "", t.signatures["active"][0] + "\t\t\t"]
    measures = {m.key: m.label for m in t.active_measures}
    for item in t.active_items:
        lines.append("\t".join([t.active_header, *(measures[m] for m in item.measures)]))
        lines.append("\t".join([item.label, *(_cell(values, f"active.{item.key}.{m}") for m in item.measures)]))
    lines += ["", f"## {t.titles['requests']}", ""]
    columns = t.request_columns
    lines.append("\t".join([t.signatures["requests"][0], "", *(c.label for c in columns)]))
    groups = {g.key: g.label for g in t.request_groups}
    previous_group = None
    for row in t.request_rows:
        group = groups.get(row.group, "") if row.group != previous_group else ""
        previous_group = row.group
        label = [group, row.label] if row.group else [row.label, ""]
        lines.append("\t".join([*label, *(_cell(values, f"requests.{row.key}.{c.key}") for c in columns)]))
    lines += ["", f"## {t.titles['appeals']}", ""]
    lines.append("\t".join(g.label + "\t" * 4 for g in t.appeal_groups).rstrip("\t"))
    lines.append("\t".join(o.label for _ in t.appeal_groups for o in t.appeal_outcomes))
    lines.append(
        "\t".join(_cell(values, f"{g.key}.{o.key}") for g in t.appeal_groups for o in t.appeal_outcomes)
    )
    lines += ["", f"## {_numbered(5, t.sections[4])}", ""]
    return "\n".join(lines) + "\n"


def _numbered(n: int, title: str) -> str:
    return "一二三四五六"[n - 1] + "、" + title


def make_document(
    values: Mapping[str, Value] | None = None, narrative: Sequence[str] = (), **kwargs
) -> Document:
    """``report_text`` read back through the text reader, with its figures: what auditors see."""
    text = report_text(values, narrative, **kwargs)
    report = build_report("<test>", text_blocks(text))
    return Document(report, tuple(extract_figures(report)), load_template(report.template))
