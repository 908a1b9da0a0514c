"""Reader for reports published as HTML pages (most reports are).

Finds the report body inside a full government page (navigation, share bars and footers around
it), reads its paragraphs and headings, and reads every ``<table>`` as a grid honouring rowspan
and colspan, ``&nbsp;``, cells holding ``<p>``/``<span>``, and tables used only for layout around
the real one. The charset comes from the page's meta tag, else from the bytes. Uses lxml; no
network access (no DTDs, no external entities, no remote resources).
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree

from auditor.errors import ReportReadError
from auditor.hookspecs import hookimpl
from auditor.i18n import Message
from auditor.model import Problem, Report
from auditor.read.decode import decode_text
from auditor.read.document import MAX_TEXT_CHARS, build_report
from auditor.read.rendition import MAX_COLUMNS, Rendition, expand_spans, is_layout_table
from auditor.template import load_template

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|table|div|p)[\s>]", re.IGNORECASE)
_DROP = ("script", "style", "noscript", "iframe", "form", "select", "button", "nav", "footer", "header", "aside", "object", "embed")
# Page furniture by class or id: navigation, sidebars, breadcrumbs, share bars, related links.
_FURNITURE = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|sidebar|side|aside|breadcrumbs?|crumbs?|footer|foot|header|share|"
                        r"related|relate|links?|toolbar|position|location|dqwz|bottom|top)(?:$|[\s_\d-])", re.IGNORECASE)
_BLOCKS = frozenset({"p", "div", "section", "article", "li", "ul", "ol", "blockquote", "center", "dd", "dt", "dl", "main", "font", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_DEPTH = 2048  # libxml2's limit on nesting, even with huge_tree
_LAYOUT_TAGS = re.compile(r"</?(?:div|span|font|section|article|center|main|b|i|u|em|strong|small|big|a)(?:\s[^>]*)?/?>", re.IGNORECASE)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def looks_like_html(data: bytes) -> bool:
    """True when ``data`` is text (no NUL byte, not a zip or PDF) whose first 4 KB hold HTML markup."""
    head = data[:4096]
    if b"\x00" in head or head.startswith((b"PK\x03\x04", b"%PDF-")):
        return False
    return bool(_SNIFF.search(head))


def _decode(data: bytes, path: str) -> str:
    """The page's text: by its meta charset when that decodes it and yields Chinese text (or is
    plainly right), else detected from the bytes (pages often declare the wrong charset)."""
    match = _META_CHARSET.search(data[:8192])
    if match:
        charset = match.group(1).decode("ascii").lower()
        if charset in ("gb2312", "gbk", "gb18030", "x-gbk"):
            charset = "gb18030"
        try:
            text = data.decode(charset)
            if charset in ("utf-8", "utf8", "gb18030") or _CJK.search(text) or not re.search(rb"[\x80-\xff]", data):
                return text
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, path)


def _parse(text: str, path: str) -> tuple[object, list[Problem]]:
    """The page's element tree (furniture, footnote marks and struck-out text dropped) and notes
    on how it was read. Control characters (Word's cell marks survive in crawled pages) are
    blanked first: lxml refuses them in text. A page nested deeper than libxml2 follows
    (``MAX_DEPTH``) is read again without its layout-only tags, with a note; raises
    ``ReportReadError`` when even that fails."""
    text = _CONTROL.sub(" ", text)
    notes: list[Problem] = []
    root, deep = _tree(text, path)
    if deep:
        root, deep = _tree(_LAYOUT_TAGS.sub("", text), path)
        if deep:
            raise ReportReadError(path, Message("the HTML nests elements more than {depth} deep; its text cannot be followed",
                                                 depth=MAX_DEPTH))
        notes.append(Problem(Message("the HTML nests elements more than {depth} deep: read without its layout tags "
                                     "(div, span, font…)", depth=MAX_DEPTH), None))
    for element in list(root.iter(*_DROP, "sup", "del", "s", "strike")):
        _drop(element)  # footnote marks and struck-out text are not part of a cell's value
    for element in list(root.iter("div", "ul", "table", "section", "span", "p", "td")):
        marks = f"{element.get('class', '')} {element.get('id', '')}"
        if _FURNITURE.search(marks):
            _drop(element)
    for element in list(root.iter(etree.Comment)):
        _drop(element)
    return root, notes


def _drop(element) -> None:
    """Remove ``element`` and what it holds, keeping the text that follows it (its tail) where it
    stood (lxml.html's ``drop_tree``, on the plain element tree)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def _tree(text: str, path: str):
    """(root, whether the parser stopped at its depth limit)."""
    # huge_tree: without it libxml2 stops at 256 levels and silently drops the rest of the page
    # the plain element tree: lxml.html's element classes cost a class lookup per element visited
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=True)
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReportReadError(path, Message("not readable as HTML: {problem}", problem=str(exc))) from exc
    if root is None:
        raise ReportReadError(path, Message("not readable as HTML: {problem}", problem="Document is empty"))
    return root, any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)


def _text(element) -> str:
    return "".join(element.itertext())


@cache
def _anchor_marks() -> re.Pattern[str]:
    """The template's section titles and table signatures, as one pattern."""
    template = load_template()
    marks = [*template.sections, *(s for sig in template.signatures.values() for s in sig)]
    return re.compile("|".join(map(re.escape, sorted(set(marks), key=len, reverse=True))))


def report_body(root):
    """The element holding the report: the smallest one that holds every template table and
    section heading found in the page, else the element with most paragraph text."""
    marks = _anchor_marks()
    anchors = []
    for element in root.iter("p", "div", "td", "span", "h1", "h2", "h3", "h4", "strong", "b", "table"):
        if element.tag == "table":
            anchors.append(element)
            continue
        own = (element.text or "") + "".join(child.tail or "" for child in element)
        if own.strip() and marks.search(own):
            anchors.append(element)
    if len(anchors) >= 2:
        common = set(anchors[0].iterancestors())
        for anchor in anchors[1:]:
            common &= set(anchor.iterancestors())
            if len(common) <= 2:
                break
        deepest = max(common, key=lambda e: len(list(e.iterancestors())), default=None)
        if deepest is not None:
            return deepest
    body = root.find("body")
    return body if body is not None else root


class _Tables:
    """Every table of a page with its own rows and the tables nested right inside it, found in
    one pass (a page of tables nested hundreds deep costs its size, not its size times its
    depth). Keyed by element: lxml keeps one proxy per node while it is referenced."""

    def __init__(self, root) -> None:
        self.rows: dict[object, list] = {}
        self.inner: dict[object, list] = {}
        for element in root.iter("tr", "table"):
            owner = next(element.iterancestors("table"), None)
            if owner is not None:
                (self.inner if element.tag == "table" else self.rows).setdefault(owner, []).append(element)

    def is_layout(self, table) -> bool:
        """A table used to lay out the page: it holds tables and has no row of three cells or
        more (a data table may hold a small table in a cell; it stays a data table)."""
        widths = (len([c for c in tr if c.tag in ("td", "th")]) for tr in self.rows.get(table, ()))
        return is_layout_table(widths, bool(self.inner.get(table)))


def _render(element, out: Rendition, tables: _Tables) -> bool:
    """Walk ``element`` in document order, adding paragraphs, headings and tables to ``out``.
    Iterative (an explicit stack), so that no depth of nesting exhausts Python's stack. Stops,
    returning False, once the text is longer than a report can be (``MAX_TEXT_CHARS``); tables
    past the document's cells are not built."""
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            out.line("".join(buffer))
            buffer.clear()

    stack: list[tuple[str, object]] = [("node", element)]
    while stack:
        if out.chars > MAX_TEXT_CHARS:
            return False
        step, item = stack.pop()
        if step == "text":
            buffer.append(item)  # type: ignore[arg-type]
            continue
        node = item
        tag = node.tag if isinstance(node.tag, str) else ""  # type: ignore[attr-defined]
        block = tag in _BLOCKS or tag in ("table", "td", "th", "tbody", "thead")
        if step == "end":
            if block:
                flush()
                if tag in ("p", "div", "table"):
                    out.blank()
        elif tag == "table" and not tables.is_layout(node):
            flush()
            if out.cells_left > 0:
                out.table(_grid(tables.rows.get(node, ()), out.cells_left))
            else:
                out.table_left_out()
            inner = tables.inner.get(node, ())
            stack.extend(("node", t) for t in reversed(inner))  # tables inside a data table's cells, after it
        elif tag in _HEADINGS:
            flush()
            out.heading(_text(node), _HEADINGS[tag])
        elif tag == "br":
            flush()
        else:
            if block:
                flush()
            if node.text:  # type: ignore[attr-defined]
                buffer.append(node.text)  # type: ignore[attr-defined]
            stack.append(("end", node))
            for child in reversed(node):  # type: ignore[call-overload]
                if child.tail:
                    stack.append(("text", child.tail))
                stack.append(("node", child))
    flush()
    return True


def _grid(own_rows, limit: int) -> list[list[str | None]]:
    rows = []
    for tr in own_rows:
        cells = []
        for cell in tr:
            if len(cells) >= MAX_COLUMNS:
                break  # no template table is wider (as the DOCX reader)
            if cell.tag not in ("td", "th"):
                continue
            cells.append((_cell_text(cell), _span(cell, "rowspan"), _span(cell, "colspan")))
        rows.append(cells)
    return expand_spans(rows, limit)


def _cell_text(cell) -> str:
    """A cell's text, lines kept where paragraphs break, tables inside it left out (they are
    read on their own). Iterative, like ``_render``."""
    parts: list[str] = []
    if cell.text:
        parts.append(cell.text)
    stack: list[object] = [child for child in reversed(cell)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        node = item
        if node.tail:  # type: ignore[attr-defined]
            stack.append(node.tail)  # type: ignore[attr-defined]
        if node.tag == "table":  # type: ignore[attr-defined]
            continue
        if node.tag in ("p", "div", "br") and parts:  # type: ignore[attr-defined]
            parts.append("\n")
        if node.text:  # type: ignore[attr-defined]
            parts.append(node.text)  # type: ignore[attr-defined]
        stack.extend(reversed(node))  # type: ignore[call-overload]
    return "".join(parts)


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1")), 200))
    except ValueError:
        return 1


def html_rendition(data: bytes, path: str) -> Rendition:
    """The extracted text of an HTML report. Raises ``ReportReadError`` when it has no text."""
    root, notes = _parse(_decode(data, path), path)
    out = Rendition(notes=notes)
    title = root.findtext(".//title")
    body = report_body(root)
    if title and title.strip() and title.strip() not in _text(body):
        out.heading(title, 1)
        out.blank()
    if not _render(body, out, _Tables(body)):
        raise ReportReadError(path, Message("its text runs past {most:,} characters, more than a report can have (reports "
                                            "run to some 3,000–30,000): not audited", most=MAX_TEXT_CHARS))
    if not any(line.strip() for line in out.lines):
        raise ReportReadError(path, Message("HTML page with no text"))
    return out


@hookimpl
def auditor_read(path: str, data: bytes) -> Report | None:
    """Read HTML pages (by content, whatever the file name)."""
    if not (path.lower().endswith(HTML_SUFFIXES) or looks_like_html(data)):
        return None
    rendition = html_rendition(data, path)
    notes = list(rendition.notes)
    if re.search(rb"<html", data[:4096], re.IGNORECASE) and not re.search(rb"</html\s*>", data[-4096:], re.IGNORECASE):
        notes.append(Problem(Message("the HTML page ends before </html>: the file looks truncated"), None))
    return build_report(path, rendition.blocks, rendition.text, notes=notes)


@hookimpl
def auditor_file_suffixes() -> tuple[str, ...]:
    """HTML pages."""
    return HTML_SUFFIXES
