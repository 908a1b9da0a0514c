"""A test kit for auditor and for plugin authors: complete template reports with chosen values,
as text, HTML or DOCX.

The tables are laid out as the national template prints them (merged header cells, 三、本年度办理
结果 spanning the outcome rows, each group label spanning its sub-rows); ``report_text``,
``report_html`` and ``report_docx`` render that one layout in each format. ``make_document``
reads a report back through the real readers and figure extraction, so a rule under test sees
exactly what it sees in production::

    doc = make_document({"review.total": 1, "review.upheld": 1}, ["全年行政复议 1 件。"])
    findings = list(my_rules.check(doc))
"""

from __future__ import annotations

import html as html_escape
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from auditor.audit import Document
from auditor.read.document import build_report
from auditor.read.rendition import expand_spans
from auditor.read.text import text_blocks
from auditor.relations import Relation
from auditor.template import Template, load_template

Value = int | float | str | None


@dataclass(frozen=True)
class Span:
    """A table cell of the layout: text, rows and columns it spans."""

    text: str
    rows: int = 1
    cols: int = 1


Block = tuple[str, object]  # ("title" | "heading" | "paragraph", str) or ("table", rows of Span)


def _cell(values: Mapping[str, Value], key: str) -> str:
    value = values.get(key, 0)
    return "" if value is None else str(value)


def _numbered(n: int, title: str) -> str:
    return "一二三四五六"[n - 1] + "、" + title


def layout(
    values: Mapping[str, Value] | None = None,
    narrative: Sequence[str] = (),
    *,
    agency: str = "测试县人民政府办公室",
    year: int = 2023,
    template: Template | None = None,
) -> list[Block]:
    """The report as blocks: title, sections, narrative paragraphs under 一、总体情况, and the
    tables 二, 三, 四 with their merged cells. ``values`` maps cell keys to values (default 0;
    None prints a blank cell; a string is printed as is, e.g. "/"). Raises ``KeyError`` for a
    key that is not a cell of the template. Without ``template``: the 2021 one, or the 2019 试行
    one for a report on 2019 or 2020 whose ``values`` name cells only it has."""
    values = dict(values or {})
    t = template or load_template()
    if template is None and set(values) - set(t.cells):
        earlier = load_template("2019")
        if earlier.covers(year) and not set(values) - set(earlier.cells):
            t = earlier
    unknown = set(values) - set(t.cells)
    if unknown:
        raise KeyError(f"not template cells: {sorted(unknown)}")
    blocks: list[Block] = [("title", f"{agency} {year} 年{t.title_words[0]}"), ("heading", _numbered(1, t.sections[0]))]
    blocks += [("paragraph", p) for p in narrative]
    blocks += [("heading", t.titles["active"]), ("table", _active(t, values))]
    blocks += [("heading", t.titles["requests"]), ("table", _requests(t, values))]
    blocks += [("heading", t.titles["appeals"]), ("table", _appeals(t, values))]
    blocks += [("heading", _numbered(5, t.sections[4])), ("paragraph", "公开内容的针对性有待增强，下一步将加强政策解读。")]  # M012 wants a real 五
    blocks += [("heading", _numbered(6, t.sections[5])), ("paragraph", "本年度未收取信息处理费。")]  # a sound report says so (M008)
    return blocks


def _active(t: Template, values: Mapping[str, Value]) -> list[list[Span]]:
    measures = {m.key: m.label for m in t.active_measures}
    width = max(len(i.measures) for i in t.active_items) + 1
    rows: list[list[Span]] = [[Span(t.signatures["active"][0], cols=width)]]
    for item in t.active_items:
        span = width - len(item.measures)  # the last measure spans what is left
        labels = [Span(measures[m]) for m in item.measures[:-1]] + [Span(measures[item.measures[-1]], cols=span)]
        cells = [Span(_cell(values, f"active.{item.key}.{m}")) for m in item.measures[:-1]]
        cells.append(Span(_cell(values, f"active.{item.key}.{item.measures[-1]}"), cols=span))
        rows += [[Span(t.active_header), *labels], [Span(item.label), *cells]]
    return rows


def _requests(t: Template, values: Mapping[str, Value]) -> list[list[Span]]:
    columns = t.request_columns
    applicants = next(s for s in t.request_sections if s.key == "applicants")
    outcomes = next(s for s in t.request_sections if s.key == "outcomes")
    rows = [
        [Span(t.signatures["requests"][0], rows=3, cols=3), Span(applicants.label, cols=len(columns))],
        [Span(columns[0].label, rows=2), Span(next(s for s in t.request_sections if s.key == "organizations").label, cols=len(columns) - 2), Span(columns[-1].label, rows=2)],
        [Span(c.label) for c in columns[1:-1]],
    ]
    groups = {g.key: g for g in t.request_groups}
    outcome_rows = [r for r in t.request_rows if r.key not in ("new", "carried_over", "carried_forward")]
    for row in t.request_rows:
        data = [Span(_cell(values, f"requests.{row.key}.{c.key}")) for c in columns]
        if row not in outcome_rows:
            rows.append([Span(row.label, cols=3), *data])
            continue
        lead = [Span(outcomes.label, rows=len(outcome_rows))] if row is outcome_rows[0] else []
        if row.group is None:
            rows.append([*lead, Span(row.label, cols=2), *data])
        else:
            members = [r for r in t.request_rows if r.group == row.group]
            group = [Span(groups[row.group].label, rows=len(members))] if row is members[0] else []
            rows.append([*lead, *group, Span(row.label), *data])
    return rows


def _appeals(t: Template, values: Mapping[str, Value]) -> list[list[Span]]:
    review, *litigation = t.appeal_groups
    outcomes = t.appeal_outcomes
    return [
        [Span(review.label, cols=len(outcomes)), Span("行政诉讼", cols=len(outcomes) * len(litigation))],
        [*(Span(o.label, rows=2) for o in outcomes), *(Span(g.label, cols=len(outcomes)) for g in litigation)],
        [Span(o.label) for _ in litigation for o in outcomes],
        [Span(_cell(values, f"{g.key}.{o.key}")) for g in t.appeal_groups for o in outcomes],
    ]


def _grid(rows: list[list[Span]]) -> list[list[str]]:
    """The table as a text grid: the extra columns of a span are blank cells."""
    return [[c or "" for c in row] for row in expand_spans([[(s.text, s.rows, s.cols) for s in row] for row in rows])]


def report_text(values: Mapping[str, Value] | None = None, narrative: Sequence[str] = (), **kwargs) -> str:
    """The report as a text/Markdown file with tab-separated tables (see ``layout``)."""
    lines: list[str] = []
    for kind, content in layout(values, narrative, **kwargs):
        if kind == "title":
            lines += [f"# {content}", ""]
        elif kind == "heading":
            lines += [f"## {content}", ""]
        elif kind == "paragraph":
            lines += [str(content), ""]
        else:
            lines += ["\t".join(row) for row in _grid(content)] + [""]  # type: ignore[arg-type]
    return "\n".join(lines)


def report_html(
    values: Mapping[str, Value] | None = None, narrative: Sequence[str] = (), *, charset: str = "utf-8", **kwargs
) -> bytes:
    """The report as a full government web page: navigation and footer around a body whose
    tables use rowspan/colspan and hold their text in <p>/<span> with &nbsp; runs."""
    e = html_escape.escape
    parts = ["<div class='TRS_Editor'>"]
    title = ""
    for kind, content in layout(values, narrative, **kwargs):
        if kind == "title":
            title = str(content)
            parts.append(f"<h1>{e(title)}</h1>")
        elif kind == "heading":
            parts.append(f"<p><span>{e(str(content))}</span>&nbsp;</p>")
        elif kind == "paragraph":
            parts.append(f"<p>{e(str(content))}</p>")
        else:
            body = "".join(
                "<tr>" + "".join(
                    f"<td rowspan='{s.rows}' colspan='{s.cols}' valign='center'><p><span>{e(s.text)}</span>&nbsp;</p></td>"
                    for s in row
                ) + "</tr>"
                for row in content  # type: ignore[union-attr]
            )
            parts.append(f"<table border='1'><tbody>{body}</tbody></table>")
    parts.append("</div>")
    page = (
        f"<!DOCTYPE html><html><head><meta charset='{charset}'><title>{e(title)}</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> &gt; <a href='/zwgk'>政务公开</a> &gt; 政府信息公开年报</div>"
        "<div class='share'>分享到：微信 微博 2023年12月31日</div>"
        f"{''.join(parts)}"
        "<div class='footer'>主办单位：测试县人民政府办公室 电话：0000-12345678 网站标识码 1234567890</div>"
        "</body></html>"
    )
    return page.encode(charset)


def report_docx(values: Mapping[str, Value] | None = None, narrative: Sequence[str] = (), **kwargs) -> bytes:
    """The report as a Word document whose tables merge cells both ways: gridSpan for labels
    spanning columns, vMerge for labels spanning rows (python-docx ``merge``)."""
    import docx

    document = docx.Document()
    for kind, content in layout(values, narrative, **kwargs):
        if kind == "title":
            document.add_heading(str(content), level=1)
        elif kind == "heading":
            document.add_heading(str(content), level=2)
        elif kind == "paragraph":
            document.add_paragraph(str(content))
        else:
            rows: list[list[Span]] = content  # type: ignore[assignment]
            grid = _grid(rows)
            table = document.add_table(rows=len(grid), cols=max(len(r) for r in grid))
            taken: set[tuple[int, int]] = set()
            for r, row in enumerate(rows):
                c = 0
                for span in row:
                    while (r, c) in taken:
                        c += 1
                    cell = table.cell(r, c)
                    if span.rows > 1 or span.cols > 1:
                        cell = cell.merge(table.cell(r + span.rows - 1, c + span.cols - 1))
                    cell.text = span.text
                    taken.update((r + dr, c + dc) for dr in range(span.rows) for dc in range(span.cols))
                    c += span.cols
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_document(
    values: Mapping[str, Value] | None = None, narrative: Sequence[str] = (), **kwargs
) -> Document:
    """``report_text`` read back through the text reader, with its figures: what auditors see."""
    text = report_text(values, narrative, **kwargs)
    return Document.of(build_report("<test>", text_blocks(text), text))


def random_values(rng, template: Template | None = None) -> dict[str, int | float]:
    """Values for every cell of a consistent report (every total adds up, 勾稽关系 holds), drawn
    from ``rng`` (a ``random.Random``)."""
    t = template or load_template()
    values: dict[str, int | float] = {}
    for item in t.active_items:
        for m in item.measures:
            values[f"active.{item.key}.{m}"] = round(rng.uniform(0, 500), 2) if item.unit == "万元" else rng.randint(0, 300)
    outcome_rows = [t.cells[k].row for k in t.instance_of(Relation.OUTCOME_TOTAL, "total").right]
    columns = [c.key for c in t.request_columns if c.key != "total"]
    for column in columns:
        new, carried = rng.choice([0, 0, rng.randint(0, 30), rng.randint(0, 300)]), rng.randint(0, 3)
        forward = rng.randint(0, new + carried) if rng.random() < 0.3 else 0
        handled = new + carried - forward
        split = [0] * len(outcome_rows)
        for _ in range(handled):
            split[rng.randrange(len(outcome_rows)) if rng.random() < 0.4 else 0] += 1
        values |= {f"requests.new.{column}": new, f"requests.carried_over.{column}": carried,
                   f"requests.carried_forward.{column}": forward, f"requests.total.{column}": handled}
        values |= {f"requests.{row}.{column}": n for row, n in zip(outcome_rows, split)}
    for equation in t.instances(Relation.APPEAL_TOTAL):
        values |= {k: rng.choice([0, 0, 1, rng.randint(0, 9)]) for k in equation.right}
    for name in (Relation.ROW_TOTAL, Relation.APPEAL_TOTAL):  # each total is its parts' sum
        for equation in t.instances(name):
            values[equation.left[0]] = sum(values[k] for k in equation.right)
    broken = [e.id for name in t.relations for e in t.instances(name) if not e.holds(values)]
    if broken:
        raise AssertionError(f"generated values break {broken[:3]}")  # a bug of this generator
    return values


def write_batch(
    directory, count: int, *, corrupt: int = 0, seed: int = 0, corpus=None,
    kinds: Sequence[str] = ("txt", "txt", "html", "txt", "docx"),
) -> list:
    """Write a batch of ``count`` reports into ``directory`` and ``corrupt`` unreadable files;
    returns their paths in a stable order.

    Reports are consistent template reports with random values, a fifth of them with a stated
    figure that may contradict the table, rendered in the formats of ``kinds`` in turn ("txt",
    "html", "docx"); when ``corpus`` (a directory of real reports) is given, every tenth report is
    a copy of a real one instead.
    Corrupt files: binary noise, truncated PDF signatures (each different: a batch's cache
    must not answer one from another), DOCX that are not zips, empty files.
    """
    import random
    from pathlib import Path

    rng = random.Random(seed)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    real = sorted(
        p for p in Path(corpus).rglob("*")
        if p.is_file() and p.suffix in (".txt", ".md", ".html", ".pdf", ".docx") and not p.stem.isupper()
    ) if corpus else []  # the reports, not notes such as a README
    paths = []
    for i in range(count):
        if real and i % 10 == 9:
            source = real[(i // 10) % len(real)]
            path = directory / f"{i:06d}-{source.name}"
            path.write_bytes(source.read_bytes())
            paths.append(path)
            continue
        values = random_values(rng)
        received = values["requests.new.total"] + (1 if rng.random() < 0.2 else 0)
        narrative = [f"全年共收到政府信息公开申请 {received} 件，办结 {values['requests.total.total']} 件，"
                     f"结转下年度 {values['requests.carried_forward.total']} 件。",
                     f"因政府信息公开引起行政复议 {values['review.total']} 件。"]
        agency = f"测试{i % 97}县人民政府办公室"
        kind = kinds[i % len(kinds)]
        path = directory / f"{i:06d}.{kind}"
        if kind == "txt":
            path.write_text(report_text(values, narrative, agency=agency, year=2020 + i % 5), "utf-8")
        elif kind == "html":
            path.write_bytes(report_html(values, narrative, agency=agency, year=2021 + i % 4))
        else:
            path.write_bytes(report_docx(values, narrative, agency=agency, year=2021 + i % 4))
        paths.append(path)
    for j in range(corrupt):
        kind = j % 4
        path = directory / (f"zz-corrupt-{j:04d}." + ("txt", "pdf", "docx", "md")[kind])
        path.write_bytes((bytes(rng.randrange(256) for _ in range(2048)) + b"\0", b"%PDF-1.4\n" + b"%d 0 obj <<" % (j + 1), b"PK\x03\x04broken", b"")[kind])
        paths.append(path)
    return paths


CORPUS_KINDS = {"txt": (".txt", ".md"), "html": (".html", ".htm"), "pdf": (".pdf",), "docx": (".docx",)}


def write_corpus_batch(directory, count: int, corpus, *, kind: str = "txt", seed: int = 0) -> list:
    """Write ``count`` copies of the real reports of one kind in ``corpus`` (text and Markdown,
    HTML, …) into ``directory``: the reports themselves first, then copies whose numbers are
    varied (every digit run but the years replaced by a random number of the same length), so a
    benchmark sees real narratives and real table layouts. Returns the paths."""
    import random
    import re
    from pathlib import Path

    rng = random.Random(seed)
    suffixes = CORPUS_KINDS[kind]
    real = sorted(p for p in Path(corpus).rglob("*") if p.suffix.lower() in suffixes)
    if not real:
        raise ValueError(f"no {kind} reports in {corpus}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)

    def vary(match: re.Match) -> str:
        digits = match.group()
        if len(digits) == 4 and digits.startswith(("19", "20")):
            return digits
        return "".join(str(rng.randrange(1 if i == 0 and len(digits) > 1 else 0, 10)) for i in range(len(digits)))

    paths = []
    for i in range(count):
        source = real[i % len(real)]
        path = directory / f"{i:06d}-{source.name}"
        data = source.read_bytes()
        if i >= len(real) and kind in ("txt", "html"):
            data = re.sub(r"\d+", vary, data.decode("utf-8")).encode("utf-8")
        path.write_bytes(data)
        paths.append(path)
    return paths
