"""Reader for reports published as PDF with a text layer (pdfplumber).

Tables are read from the page's ruling lines, so cells never run together: a table split across
pages continues under its repeated header, vertical header text ("三\\n、\\n本\\n年…") is joined,
and long row labels wrapped over several lines stay one cell. Text outside the tables is read
line by line, page footers ("- 3 -") dropped. A PDF with no text layer (a scan) is refused with
a clear error: OCR is not available.
"""

from __future__ import annotations

import io
import logging
import re

from auditor.i18n import Message
from auditor.errors import ReportReadError, damaged
from auditor.hookspecs import hookimpl
from auditor.model import Report
from auditor.read.document import build_report
from auditor.read.rendition import Rendition

PDF_SUFFIXES = (".pdf",)
MAX_PAGES = 80
_FOOTER = re.compile(r"^\s*[-—–－]\s*\d+\s*[-—–－]\s*$|^\s*第?\s*\d+\s*页?\s*$")


def _pdf_problem(path: str, what: str, exc: BaseException) -> ReportReadError:
    """A clear error from pdfminer's exceptions, which often wrap another with no message: an
    encrypted file, else ``what`` is damaged (see ``auditor.errors.damaged``)."""
    causes = [exc, *[a for a in getattr(exc, "args", ()) if isinstance(a, BaseException)]]
    if exc.__cause__ is not None:
        causes.append(exc.__cause__)
    names = " ".join(type(c).__name__ for c in causes).lower()
    if "password" in names or "encrypt" in names:
        return ReportReadError(path, Message("encrypted PDF: it needs a password"))
    cause = next((c for c in causes if str(c)), exc)
    return damaged(path, what, cause)


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    mid_x, mid_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return x0 <= mid_x <= x1 and top <= mid_y <= bottom


def _data_table(rows: list[list[str | None]]) -> bool:
    """A real table has rows with two or more filled cells (not a page frame around text)."""
    return sum(1 for row in rows if sum(1 for c in row if c and c.strip()) >= 2) >= 2


def pdf_rendition(data: bytes, path: str) -> Rendition:
    """The extracted text of a PDF report. Raises ``ReportReadError`` for a file that is not a
    readable PDF, has too many pages for a report, or has no text layer."""
    import pdfplumber  # imported here: pdfminer is slow to import and only PDFs need it

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its notes on damaged files are not the user's

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many private exception types on damaged files
        raise _pdf_problem(path, "the PDF", exc) from exc
    try:
        return _read(pdf, path)
    finally:
        if hasattr(pdf, "_pages"):  # pdfplumber's close() walks the pages: only once they were read
            try:
                pdf.close()  # a damaged page must not replace the error
            except Exception:
                pass


def _read(pdf, path: str) -> Rendition:
    try:
        if not _has_page(pdf.doc):
            # pdfminer would then try every object number the cross-reference table claims (a
            # damaged /Size or /Index can claim billions): a PDF whose page tree holds no page is not read
            raise ReportReadError(path, Message("the PDF is damaged: its page tree (/Pages) holds no page"))
        pages = pdf.pages
    except ReportReadError:
        raise
    except Exception as exc:
        raise _pdf_problem(path, "the PDF", exc) from exc
    if len(pages) > MAX_PAGES:
        raise ReportReadError(path, Message("PDF has {count} pages, more than the {most} a report can have", count=len(pages),
                                             most=MAX_PAGES))
    out = Rendition()
    chars = 0
    for number, page in enumerate(pages, start=1):
        try:
            chars += len(page.chars)
            _render_page(page, number, out)
        except Exception as exc:
            raise _pdf_problem(path, f"PDF page {number}", exc) from exc
    if chars == 0:
        raise ReportReadError(path, Message("no text layer (scanned); OCR not available"))
    return out


def _has_page(document, limit: int = 10_000) -> bool:
    """True when the catalog's page tree (/Pages, its /Kids) reaches a /Page within ``limit``
    nodes. Without one, pdfminer falls back to parsing every object number the cross-reference
    tables claim, which a damaged file sets to billions."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import LIT

    stack, seen = [document.catalog.get("Pages")], set()
    while stack and len(seen) < limit:
        reference = stack.pop()
        key = getattr(reference, "objid", None)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        node = resolve1(reference)
        if not isinstance(node, dict):
            continue
        kind = node.get("Type") or node.get("type")
        if kind is LIT("Page"):
            return True
        kids = resolve1(node.get("Kids"))
        if isinstance(kids, list):
            stack.extend(reversed(kids[:limit]))
        if key is None:
            seen.add(len(seen) + 10**12)  # a direct (unnumbered) node counts toward the limit too
    return False


def _render_page(page, number: int, out: Rendition) -> None:
    tables = [t for t in page.find_tables() if _data_table(t.extract())]
    boxes = [t.bbox for t in tables]
    outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes) if "x0" in obj else True)
    items: list[tuple[float, str, object]] = []
    for line in outside.extract_text_lines(return_chars=False):
        if not _FOOTER.match(line["text"]):
            items.append((line["top"], "line", line["text"]))
    for table in tables:
        items.append((table.bbox[1], "table", table.extract()))
    for _, kind, content in sorted(items, key=lambda item: item[0]):
        if kind == "line":
            out.line(content, number)  # type: ignore[arg-type]
        else:
            out.table([[cell or "" for cell in row] for row in content], number)  # type: ignore[union-attr]


@hookimpl
def auditor_read(path: str, data: bytes) -> Report | None:
    """Read PDF files (by their %PDF- signature)."""
    if b"%PDF-" not in data[:1024]:
        if path.lower().endswith(PDF_SUFFIXES):
            raise ReportReadError(path, Message("not a PDF (no %PDF- signature)"))
        return None
    rendition = pdf_rendition(data, path)
    return build_report(path, rendition.blocks, rendition.text, notes=rendition.notes)


@hookimpl
def auditor_file_suffixes() -> tuple[str, ...]:
    """PDF files."""
    return PDF_SUFFIXES
