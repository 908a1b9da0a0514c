"""One self-contained HTML file for people: a batch summary (counts by rule and by agency, worst
reports first, each body's year series of findings and indicators) and, for each report, its
findings, its narrative with the contradicting figures highlighted and its tables with the
offending cells marked. No script, no external resource."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections import Counter, defaultdict
from functools import cached_property
from html import escape
from typing import Any

from auditor.bodies import body_keys
from auditor.catalogue import rule_title
from auditor.formats import Formatter
from auditor.i18n import N_
from auditor.indicators import indicators
from auditor.places import narrative_place, pointed, table_layout
from auditor.template import load_template

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;max-width:80em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-top:1px solid #ccc;padding-top:1em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:2px 6px;font-size:.9em}
th{background:#f2f2f2;text-align:left}td.num{text-align:right}
mark.error,td.flag.error{background:#ffc2c2;outline:2px solid #c00}
mark.warning,td.flag.warning{background:#ffe9a8;outline:2px solid #c90}
mark.info,td.flag.info{background:#d6e6ff;outline:1px solid #36c}
td.missing{color:#999}li.error b{color:#c00}li.warning b{color:#a60}li.info b{color:#36c}
.meta{color:#666}.narrative p{line-height:1.8}details{margin:.5em 0}
"""
SEVERITIES = ("error", "warning", "info")


# the report's own words (msgids of the auditor catalog), translated at output: Formatter.gettext
WORDS = (
    N_('By rule'),
    N_('rule'),
    N_('name'),
    N_('number of findings'),
    N_('By agency'),
    N_('agency'),
    N_('Worst reports first'),
    N_('report'),
    N_('Inputs that failed'),
    N_('By body and year'),
    N_('year'),
    N_('narrative'),
    N_('tables'),
    N_('政府信息公开工作年度报告 · auditor findings'),
    N_('template {generation}'),
    N_('plugin error: {message}'),
    N_('no findings'),
    N_('blank'),
    N_('report.year'),
    N_('report.template'),
)
NO_TABLES = N_("no template tables (free-form report)")


class Html(Formatter):
    """A self-contained HTML report of the run."""

    name = "html"
    description = "self-contained HTML: batch summary, narratives and tables with findings marked"
    needs_view = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # each report's section is rendered when its record comes and kept in a temporary file; the
        # summary is aggregated as the records come (counts, the 100 worst, each report's year series
        # row): no batch's narratives, tables or findings are held
        self.sections = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.inputs = self.readable = self.findings = 0
        self.by_rule: Counter[str] = Counter()
        self.by_agency: dict[str, Counter[str]] = defaultdict(Counter)
        self.worst: list[tuple[tuple[int, ...], int, str, tuple[int, ...]]] = []
        self.failed: list[tuple[str, list[str]]] = []
        self.years = sqlite3.connect("")  # each dated report's series row, in a private temporary database
        self.years.execute("CREATE TABLE years (n INTEGER, agency TEXT, year INTEGER, template TEXT, row TEXT)")

    def add(self, record: dict[str, Any]) -> None:
        self.inputs += 1
        number = self.inputs
        self.sections.write(self._report(number, record))
        if record["errors"]:
            self.failed.append((record["path"], list(record["errors"])))
        if not record["readable"]:
            return
        findings = record["findings"]
        counts = tuple(sum(f["severity"] == s for f in findings) for s in SEVERITIES)
        self.readable += 1
        self.findings += len(findings)
        self.by_rule.update(f["rule"] for f in findings)
        self.by_agency[record.get("agency") or "(unknown)"].update(f["severity"] for f in findings)
        if findings:
            self.worst.append((tuple(-c for c in counts), number, record.get("title") or record["path"], counts))
            if len(self.worst) > 1000:
                self.worst = sorted(self.worst)[:100]
        if record.get("year") and record.get("agency"):
            cells = {c["key"]: c.get("value") for c in (record.get("view") or {}).get("cells", [])}
            values = [i.value(cells) for i in indicators()]
            self.years.execute("INSERT INTO years VALUES (?, ?, ?, ?, ?)", (
                number, record["agency"], record["year"], record.get("template") or "", json.dumps([counts, values])))

    def close(self, stats: Any) -> None:
        _, w = self.gettext, self.words
        self.write(f"<!DOCTYPE html><html lang='{'zh-CN' if self.lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
                   f"<title>auditor</title><style>{STYLE}</style></head><body>"
                   f"<h1>{escape(w['政府信息公开工作年度报告 · auditor findings'])}</h1>")
        self._summary()
        self.sections.seek(0)
        while chunk := self.sections.read(1 << 20):
            self.write(chunk)
        self.sections.close()
        self.write("</body></html>\n")

    # -- summary ------------------------------------------------------------------------------
    def _summary(self) -> None:
        _, w = self.gettext, self.words
        rows = "".join(
            f"<tr><td>{escape(rule)}</td><td>{escape(rule_title(self.rules[rule], self.lang) if rule in self.rules else '')}</td>"
            f"<td class=num>{count}</td></tr>" for rule, count in sorted(self.by_rule.items()))
        agencies = "".join(
            f"<tr><td>{escape(agency)}</td>" + "".join(f"<td class=num>{c[s]}</td>" for s in SEVERITIES) + "</tr>"
            for agency, c in sorted(self.by_agency.items(), key=lambda a: (-a[1]["error"], -a[1]["warning"], a[0])))
        worst_rows = "".join(
            f"<tr><td><a href='#r{n}'>{escape(title)}</a></td>" + "".join(f"<td class=num>{c}</td>" for c in counts) + "</tr>"
            for _, n, title, counts in sorted(self.worst)[:100])
        failed = "".join(f"<li>{escape(path)}: {escape('; '.join(errors))}</li>" for path, errors in self.failed)
        head = "".join(f"<th>{escape(self._severity(s))}</th>" for s in SEVERITIES)
        counts = _("{inputs} input(s), {readable} report(s) read, {findings} finding(s).").format(
            inputs=self.inputs, readable=self.readable, findings=self.findings)
        self.write(
            f"<section id='summary'><p>{escape(counts)}</p>"
            f"<h2>{w['By rule']}</h2><table><tr><th>{w['rule']}</th><th>{w['name']}</th><th>{w['number of findings']}</th></tr>{rows}</table>"
            f"<h2>{w['By agency']}</h2><table><tr><th>{w['agency']}</th>{head}</tr>{agencies}</table>"
            f"<h2>{w['Worst reports first']}</h2><table><tr><th>{w['report']}</th>{head}</tr>{worst_rows}</table>")
        self._series()
        self.write((f"<h2>{w['Inputs that failed']}</h2><ul>{failed}</ul>" if failed else "") + "</section>")

    @cached_property
    def words(self) -> dict[str, str]:
        """The report's own words (``WORDS``) in the run's language, by their msgid."""
        return {t: self.gettext(t) for t in WORDS}

    def _severity(self, severity: str) -> str:
        """A severity's word in the run's language (error → 错误)."""
        _ = self.gettext
        return {"error": _("error"), "warning": _("warning"), "info": _("info")}.get(severity, severity)

    def _series(self) -> None:
        """Each body with reports on two or more years: per year, its findings by severity and the
        indicators (auditor/data/indicators.toml) computed from the cells the report printed.
        Written body by body from the temporary database."""
        keys = body_keys(agency for (agency,) in self.years.execute("SELECT DISTINCT agency FROM years"))
        names: dict[str, list[str]] = defaultdict(list)
        for agency, key in keys.items():
            names[key].append(agency)
        rates = indicators()
        _, w = self.gettext, self.words
        head = "".join(f"<th>{escape(self._severity(s))}</th>" for s in SEVERITIES) + "".join(
            f"<th>{escape(i.label)}</th>" for i in rates)
        started = False
        for body in sorted(names):
            marks = ",".join("?" * len(names[body]))
            (years,) = self.years.execute(f"SELECT COUNT(DISTINCT year) FROM years WHERE agency IN ({marks})", names[body]).fetchone()
            if years < 2:
                continue
            if not started:
                self.write(f"<h2>{w['By body and year']}</h2>")
                started = True
            self.write(f"<h3>{escape(body)}</h3><table><tr><th>{w['year']}</th>{head}</tr>")
            query = f"SELECT n, year, template, row FROM years WHERE agency IN ({marks}) ORDER BY year, n"
            for n, year, template, row in self.years.execute(query, names[body]):
                counts, values = json.loads(row)
                self.write(f"<tr><td><a href='#r{n}'>{year}</a> <span class=meta>{escape(template)}</span></td>"
                           + "".join(f"<td class=num>{c}</td>" for c in counts)
                           + "".join(f"<td class=num>{'' if v is None else f'{v:.1%}'}</td>" for v in values) + "</tr>")
            self.write("</table>")
        self.years.close()

    # -- one report ---------------------------------------------------------------------------
    def _report(self, number: int, record: dict[str, Any]) -> str:
        _, w = self.gettext, self.words
        anchor = f"r{number}"
        if not record["readable"]:
            refused = _("could not be read: {reason}").format(reason="; ".join(record["errors"]))
            return f"<section class='report' id='{anchor}'><h2>{escape(record['path'])}</h2><p>{escape(refused)}</p></section>"
        sources = {"narrative": _("narrative"), "table": _("table")}
        findings = record["findings"]
        marks: dict[tuple[str, Any], list[tuple[str, str, str]]] = defaultdict(list)  # place -> (id, severity, title)
        items = []
        for i, finding in enumerate(findings):
            links = []
            for j, evidence in enumerate(pointed(finding["evidence"])):
                mark_id = f"{anchor}-f{i}-e{j}"
                if evidence["source"] == "report":  # the report's metadata (its year): nothing to mark
                    what = w.get(evidence["key"], evidence["key"])  # the report's year or template generation
                    links.append(f"<span>{escape(what)} {escape(str(evidence['value']))}</span>")
                    continue
                place = ("table", evidence["key"]) if evidence["source"] == "table" else (
                    "narrative", (evidence["line"], evidence["column"], evidence["text"], evidence["value"]))
                marks[place].append((mark_id, finding["severity"], f"{finding['rule']} {finding['message']}"))
                source = sources.get(evidence["source"], evidence["source"])
                shown = w["blank"] if evidence["value"] is None else str(evidence["value"])
                links.append(f"<a href='#{mark_id}'>{escape(source)} {escape(shown)}</a>")
            where = f"{finding['line']}:{finding['column']}" if finding["line"] else ""
            items.append(f"<li class='{finding['severity']}'><b>{escape(self._severity(finding['severity']))} "
                         f"{escape(finding['rule'])}</b> "
                         f"<span class=meta>{where}</span> {escape(finding['message'])} {' '.join(links)}</li>")
        view = record.get("view") or {}
        open_attr = " open" if findings else ""
        return (
            f"<section class='report' id='{anchor}'><h2>{escape(record.get('title') or record['path'])}</h2>"
            f"<p class=meta>{escape(record['path'])} · {escape(str(record.get('agency')))} · {record.get('year')} · "
            f"{escape(w['template {generation}'].format(generation=record.get('template')))}</p>"
            f"<ol class=findings>{''.join(items) or '<li>' + escape(w['no findings']) + '</li>'}</ol>"
            + "".join(f"<p>{escape(w['plugin error: {message}'].format(message=m))}</p>" for m in record["errors"])
            + f"<details{open_attr}><summary>{w['narrative']}</summary><div class=narrative>{self._narrative(view, marks)}</div></details>"
            f"<details{open_attr}><summary>{w['tables']}</summary>{self._tables(record, view, marks)}</details></section>"
        )

    def _narrative(self, view: dict[str, Any], marks) -> str:
        paragraphs = view.get("paragraphs", [])
        spans: dict[int, list[tuple[int, int, list]]] = defaultdict(list)
        for place, refs in marks.items():
            if place[0] != "narrative":
                continue
            line, column, text, value = place[1]
            found = narrative_place(paragraphs, {"line": line, "column": column, "text": text, "value": value})
            if found is not None:
                spans[found[0]].append((found[1], found[2], refs))
        out = []
        for index, paragraph in enumerate(paragraphs):
            text, at, html = paragraph["text"], 0, []
            for start, end, refs in sorted(spans.get(index, []), key=lambda s: s[0]):
                if start < at:
                    html.append("".join(f"<a id='{r[0]}'></a>" for r in refs))
                    continue
                severity = min((r[1] for r in refs), key=SEVERITIES.index)
                title = escape(" | ".join(r[2] for r in refs), quote=True)
                anchors = "".join(f"<a id='{r[0]}'></a>" for r in refs[1:])
                html.append(escape(text[at:start]))
                html.append(f"{anchors}<mark class='{severity}' id='{refs[0][0]}' title='{title}'>{escape(text[start:end])}</mark>")
                at = end
            html.append(escape(text[at:]))
            out.append(f"<p>{''.join(html)}</p>")
        return "".join(out)

    def _tables(self, record: dict[str, Any], view: dict[str, Any], marks) -> str:
        template = load_template(record.get("template") or "2021")
        cells = {c["key"]: c for c in view.get("cells", [])}
        if not cells:
            return f"<p>{escape(self.gettext(NO_TABLES))}</p>"
        out = []
        for table in template.table_names():
            headings, rows = table_layout(template, table, set(cells))
            if not rows:
                continue
            head = "".join(f"<th>{escape(h)}</th>" for h in headings)
            body = []
            for label, keys in rows:
                tds = [_td(key, cells.get(key) if key else None, marks.get(("table", key), [])) for key in keys]
                body.append(f"<tr><th>{escape(label)}</th>{''.join(tds)}</tr>")
            out.append(f"<h3>{escape(view.get('tables', {}).get(table, table))}</h3><table><tr><th></th>{head}</tr>{''.join(body)}</table>")
        return "".join(out)


def _td(key: str | None, cell: dict[str, Any] | None, refs: list) -> str:
    if key is None:
        return "<td></td>"
    if cell is None or cell["status"] == "missing":
        text, classes = "?", ["missing"]
    else:
        text, classes = ("" if cell["value"] is None else str(cell["value"])) or cell["text"], ["num"]
    attrs = ""
    if refs:
        severity = min((r[1] for r in refs), key=SEVERITIES.index)
        classes += ["flag", severity]
        attrs = f" id='{refs[0][0]}' title='{escape(' | '.join(r[2] for r in refs), quote=True)}'"
        text = "".join(f"<a id='{r[0]}'></a>" for r in refs[1:]) + escape(text)
    else:
        text = escape(text)
    return f"<td class='{' '.join(classes)}'{attrs}>{text}</td>"

