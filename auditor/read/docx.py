"""Reader for reports published as Word documents (.docx), with python-docx.

Paragraphs and tables are read in document order; merged cells are expanded (a horizontal
merge, gridSpan, leaves the extra columns blank; a vertical merge, vMerge, repeats a label down
the rows it spans so that group labels reach their sub-rows); a table that holds tables is read
as a layout container. Before python-docx sees the file, the archive is checked: not a zip, a
zip bomb (more than ``MAX_UNZIPPED`` bytes unpacked or a part compressed more than
``MAX_RATIO`` times), and XML parts that declare a DTD or entities are refused.
"""

from __future__ import annotations

import copy
import io
import zipfile

from auditor.i18n import Message
from auditor.errors import ReportReadError, damaged
from auditor.hookspecs import hookimpl
from auditor.model import Report
from auditor.read.document import build_report
from auditor.read.rendition import MAX_COLUMNS, Rendition, expand_spans, is_layout_table

DOCX_SUFFIXES = (".docx",)
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_SPAN = 64
_HEADING_STYLES = {"title": 1, "heading 1": 1, "heading 2": 2, "heading 3": 3, "heading 4": 4, "标题 1": 1, "标题 2": 2, "标题 3": 3}


def check_archive(data: bytes, path: str) -> None:
    """Refuse what is not a safe Word archive; raises ``ReportReadError`` naming the reason
    (a damaged archive too, in words)."""
    try:
        _check_archive(data, path)
    except ReportReadError:
        raise
    except Exception as exc:  # zipfile and zlib raise many kinds of error on damaged archives
        raise damaged(path, "the DOCX", exc) from exc


def _check_archive(data: bytes, path: str) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReportReadError(path, Message("not a DOCX (not a zip archive, or a truncated one)"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "word/document.xml" not in names:
            raise ReportReadError(path, Message("not a DOCX (no word/document.xml in the archive)"))
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED:
            raise ReportReadError(path, Message("DOCX unpacks to {size} MB, more than {most} MB: refused as a zip bomb",
                                             size=total // 2**20, most=MAX_UNZIPPED // 2**20))
        for info in infos:
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 2**20:
                raise ReportReadError(path, Message("DOCX part {part} is compressed {ratio}:1: refused as a zip bomb",
                                                 part=info.filename, ratio=info.file_size // info.compress_size))
        for info in infos:
            if info.filename.endswith((".xml", ".rels")) and _declares_dtd(archive, info):
                raise ReportReadError(path, Message("DOCX part {part} declares a DTD or XML entities: refused", part=info.filename))


_DTD_MARKS = tuple(mark.encode(encoding) for mark in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True when a part holds a DOCTYPE or ENTITY declaration anywhere, in UTF-8 or UTF-16
    (read in chunks, each overlapping the last by a mark's length)."""
    overlap = max(len(m) for m in _DTD_MARKS) - 1
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(1 << 20):
            window = tail + chunk
            if any(mark in window for mark in _DTD_MARKS):
                return True
            tail = window[-overlap:]
    return False


def docx_rendition(data: bytes, path: str) -> Rendition:
    """The extracted text of a DOCX report. Raises ``ReportReadError`` for an unsafe or
    unreadable file."""
    check_archive(data, path)
    import docx  # python-docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
        return _render(document, qn, path)
    except ReportReadError:
        raise
    except Exception as exc:  # python-docx raises many kinds of error on damaged packages
        raise damaged(path, "the DOCX", exc) from exc


def _render(document, qn, path: str) -> Rendition:
    out = Rendition()
    styles = {s.style_id: (s.name or "").lower() for s in document.styles}

    def paragraph(p) -> None:
        text = _text(p, qn)
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        name = styles.get(style.get(qn("w:val")), "") if style is not None else ""
        if name in _HEADING_STYLES:
            out.heading(text, _HEADING_STYLES[name])
        else:
            out.line(text)
            out.blank()

    def container(element) -> None:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                paragraph(child)
            elif child.tag == qn("w:tbl"):
                nested = child.find(f".//{qn('w:tc')}//{qn('w:tbl')}") is not None
                rows = list(child.iterchildren(qn("w:tr")))
                if is_layout_table((len(list(tr.iterchildren(qn("w:tc")))) for tr in rows), nested):
                    for tr in rows:  # a layout table: its cells are containers
                        for tc in tr.iterchildren(qn("w:tc")):
                            container(tc)
                else:
                    out.table(_grid(child, qn, out.cells_left))
                    for tr in rows:  # tables inside the data table's cells, after it
                        for tc in tr.iterchildren(qn("w:tc")):
                            for inner in tc.iterchildren(qn("w:tbl")):
                                container_of(inner)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    container(content)

    def container_of(element) -> None:
        wrapper = element.makeelement(qn("w:body"), {})
        wrapper.append(copy.deepcopy(element))
        container(wrapper)

    container(document.element.body)
    if not any(line.strip() for line in out.lines):
        raise ReportReadError(path, Message("DOCX with no text"))
    return out


def _grid(table, qn, limit: int) -> list[list[str | None]]:
    """A table's grid, merged cells expanded as the HTML reader expands them (``expand_spans``):
    a horizontal merge (gridSpan) is a colspan, a vertical merge (vMerge restart … continue) a
    rowspan of the restarting cell; rows no wider than ``MAX_COLUMNS``, at most ``limit`` cells."""
    rows: list[list[list]] = []  # [text, rowspan, colspan] per printed cell
    opened: dict[int, list] = {}  # grid column -> the cell a vertical merge there started
    for tr in table.iterchildren(qn("w:tr")):
        row: list[list] = []
        column = 0
        before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        for _ in range(_count(before.get(qn("w:val"))) if before is not None else 0):
            row.append(["", 1, 1])
            column += 1
        for tc in tr.iterchildren(qn("w:tc")):
            if column >= MAX_COLUMNS:
                break  # no template table is wider
            props = tc.find(qn("w:tcPr"))
            span_el = props.find(qn("w:gridSpan")) if props is not None else None
            merge_el = props.find(qn("w:vMerge")) if props is not None else None
            span = max(1, _count(span_el.get(qn("w:val")))) if span_el is not None else 1
            if merge_el is not None and merge_el.get(qn("w:val"), "continue") == "continue" and column in opened:
                opened[column][1] += 1  # covered by the cell above: no cell of its own
            else:
                cell = ["\n".join(_text(p, qn) for p in tc.iterchildren(qn("w:p"))), 1, span]
                row.append(cell)
                for c in range(column, column + span):
                    opened.pop(c, None)
                if merge_el is not None:
                    opened[column] = cell
            column += span
        rows.append(row)
    return expand_spans([[tuple(c) for c in row] for row in rows], limit)


MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _text(element, qn) -> str:
    """The text of a paragraph: superscript footnote marks left out, and a text box read once
    (Word stores it twice, the second copy under mc:Fallback)."""
    parts = []
    for t in element.iter(qn("w:t")):
        run = t.getparent()
        align = run.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}") if run is not None else None
        if align is not None and align.get(qn("w:val")) in ("superscript", "subscript"):
            continue
        if any(a.tag == MC_FALLBACK for a in t.iterancestors()):
            continue
        parts.append(t.text or "")
    return "".join(parts)


def _count(value: str | None) -> int:
    """A span or skip count from the XML, bounded: a template table is never wider than 64 columns."""
    try:
        return max(0, min(int(value or "1"), MAX_SPAN))
    except ValueError:
        return 1


@hookimpl
def auditor_read(path: str, data: bytes) -> Report | None:
    """Read Word documents (.docx, by name or by their zip signature)."""
    lower = path.lower()
    if lower.endswith(".doc"):
        raise ReportReadError(path, Message("old binary Word .doc is not supported; save it as .docx"))
    if not (lower.endswith(DOCX_SUFFIXES) or (data[:4] == b"PK\x03\x04" and b"word/" in data[:4096])):
        return None
    rendition = docx_rendition(data, path)
    return build_report(path, rendition.blocks, rendition.text, notes=rendition.notes)


@hookimpl
def auditor_file_suffixes() -> tuple[str, ...]:
    """Word documents."""
    return DOCX_SUFFIXES
