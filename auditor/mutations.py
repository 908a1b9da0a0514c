"""Inputs for fuzzing: seeds from the real reports of a corpus, and structure-aware mutations
of each format (``auditor.fuzzing`` runs them). A mutation is ``mutate(data, rng) -> bytes``;
it never raises on any bytes."""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

# Vocabulary the mutations splice in: the template's words, figures, marks and the characters
# that broke readers before (control characters, deep nesting, digit runs).
_WORDS = ("总计", "其中", "行政复议", "行政诉讼", "件", "项", "条", "万元", "予以公开", "部分公开", "不予公开",
          "上年结转", "结转下年度", "本年新收", "维持", "纠正", "尚未审结", "一、", "（二）", "表三", "第", "页",
          "，", "。", "、", "；", "：", "%", "——", "年", "2021", "0", "1", "12", "一百二十", "两", "十",
          "\t", "\n", "  ", "\u3000", "|", "---", "#", "\x00", "\x0b", "\x1b", "\ufeff", "\u200b", "①")
# Statements a report repeats, for runs of thousands without punctuation: the worst cases of the
# figure extractor (one clause of many numbers, many denials in one sentence) found by timing.
_STATEMENTS = ("申请 1 件", "未发生行政复议行政诉讼", "予以公开及部分公开 3 件", "受理申请 2 件备案 ", "1 2 3 ",
               "依申请公开无行政复议、无行政诉讼", "予以公开行政复议依申请公开12件", "全部予以公开")
_HTML_TAGS = ("table", "tr", "td", "th", "p", "div", "span", "sup", "del", "br", "tbody", "h2", "font")


def seeds(target: str, corpus: Path) -> list[bytes]:
    """Seed inputs of ``target`` from the real reports under ``corpus``: the files of its kind;
    DOCX seeds are the template's tables in Word with narratives of the text reports (the
    corpus has no DOCX); ``figures`` seeds are the narrative lines that hold a digit."""
    texts = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md") and p.is_file())
    if target == "text":
        return [p.read_bytes() for p in texts]
    if target == "figures":
        lines = (line for p in texts for line in p.read_text("utf-8", "replace").splitlines())
        return [line.encode() for line in dict.fromkeys(line for line in lines if re.search(r"\d", line) and len(line) > 12)]
    if target == "docx":
        return [_docx_seed(p.read_text("utf-8", "replace"), random.Random(i)) for i, p in enumerate(texts[:8])]
    suffixes = {"html": (".html", ".htm"), "pdf": (".pdf",)}[target]
    return [p.read_bytes() for p in sorted(corpus.rglob("*")) if p.suffix in suffixes and p.is_file()]


@cache
def _docx_base() -> bytes:
    from auditor.testing import random_values, report_docx

    return report_docx(random_values(random.Random(0)), ["{narrative}"] * 12, year=2022)


def _docx_seed(text: str, rng: random.Random) -> bytes:
    """A Word document of the template's merged-cell tables (``report_docx``, built once) with
    the narrative lines of a real report and other figures in its cells."""
    import docx

    document = docx.Document(io.BytesIO(_docx_base()))
    lines = iter(line for line in text.splitlines() if len(line) > 20)
    for paragraph in document.paragraphs:
        if paragraph.text == "{narrative}":
            paragraph.text = next(lines, "")
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text.strip().isdigit():
                    cell.text = str(rng.choice((0, 0, 1, 2, 5, 12, 140)))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- mutations


def _splice_text(text: str, rng: random.Random, others: Iterable[str] = ()) -> str:
    """One text-level mutation: insert a template word, a digit run or a control character;
    delete, duplicate or swap lines; remove punctuation over a span; splice another seed; insert
    a statement repeated hundreds to thousands of times without punctuation."""
    op = rng.randrange(10)
    at = rng.randrange(len(text) + 1)
    if op == 0:
        return text[:at] + rng.choice(_WORDS) + text[at:]
    if op == 1:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((3, 9, 30, 80))))
        return text[:at] + rng.choice(("", " ", "\t")).join(digits) + text[at:]
    if op in (2, 3, 4):
        lines = text.split("\n")
        i = rng.randrange(len(lines))
        if op == 2:
            del lines[i]
        elif op == 3:
            lines[i:i] = [lines[i]] * rng.choice((1, 2, 50))
        else:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines)
    if op == 5:
        end = min(len(text), at + rng.choice((50, 500, 5000)))
        return text[:at] + re.sub(r"[，。；、\n]", "", text[at:end]) + text[end:]
    if op == 6:
        span = text[at:at + rng.choice((1, 10, 100))]
        return text[:at] + span * rng.choice((2, 20, 200)) + text[at:]
    if op == 7:
        pool = list(others)
        if pool:
            other = rng.choice(pool)
            cut = rng.randrange(len(other) + 1)
            return text[:at] + other[cut:cut + rng.choice((20, 200, 2000))] + text[at:]
    if op == 9:
        return text[:at] + rng.choice(_STATEMENTS) * rng.choice((100, 1000, 5000)) + text[at:]
    return text[:at] + re.sub(r"\d+", lambda m: str(rng.choice((0, 1, 7, 99, 10**12, 123456789012345678))), text[at:at + 400], count=3) + text[at + 400:]


def _mutate_markup(data: bytes, rng: random.Random) -> bytes:
    """One mutation of HTML or WordprocessingML source: an attribute (colspan, rowspan,
    gridSpan, vMerge) set to an odd value, an element duplicated, dropped or wrapped in deep
    nesting, or a text mutation of its characters."""
    text = data.decode("utf-8", "replace")
    op = rng.randrange(5)
    if op == 0:
        spans = list(re.finditer(r'(colspan|rowspan|w:val)=["\']?([^"\' >]*)', text))
        if spans:
            m = rng.choice(spans)
            value = rng.choice(("0", "-1", "2", "7", "65", "1000", "99999", "x", "", "restart", "continue"))
            return (text[:m.start(2)] + value + text[m.end(2):]).encode()
    if op in (1, 2):
        tags = list(re.finditer(r"<(/?)(w:tr|w:tc|w:p|tr|td|th|p|table)\b[^>]*>", text))
        opens = [m for m in tags if not m.group(1)]
        if opens:
            m = rng.choice(opens)
            close = text.find(f"</{m.group(2)}>", m.end())
            if close > 0:
                end = close + len(m.group(2)) + 3
                part = text[m.start():end]
                return (text[:m.start()] + (part * rng.choice((2, 3, 40)) if op == 1 else "") + text[end:]).encode()
    if op == 3:
        tag = rng.choice(_HTML_TAGS)
        depth = rng.choice((10, 300, 3000))
        at = rng.randrange(len(text) + 1)
        return (text[:at] + f"<{tag}>" * depth + rng.choice(_WORDS) + f"</{tag}>" * depth + text[at:]).encode()
    return _splice_text(text, rng).encode()


def _mutate_docx(data: bytes, rng: random.Random) -> bytes:
    """One mutation of a Word document: its document.xml mutated as markup, or the package
    itself damaged (a member dropped or duplicated, bytes cut or flipped)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = {info.filename: package.read(info) for info in package.infolist()}
    except Exception:
        return _mutate_bytes(data, rng)
    op = rng.randrange(6)
    if op == 4:
        return _mutate_bytes(data, rng)
    if op == 5 and len(members) > 1:
        members.pop(rng.choice([n for n in members if n != "[Content_Types].xml"] or list(members)))
    elif "word/document.xml" in members:
        members["word/document.xml"] = _mutate_markup(members["word/document.xml"], rng)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in members.items():
            package.writestr(name, content)
    return out.getvalue()


def _mutate_pdf(data: bytes, rng: random.Random) -> bytes:
    """One mutation of a PDF at its syntax: a number in an object dictionary (/Length, /Count,
    /Size, /W, an xref offset) changed, an object duplicated or cut, or bytes flipped."""
    op = rng.randrange(4)
    if op < 2:
        numbers = list(re.finditer(rb"/(Length|Count|Size|W|Prev|First|N|Index|Columns|Predictor|BitsPerComponent)\s*\[?\s*(\d+)", data))
        if numbers:
            m = rng.choice(numbers)
            value = str(rng.choice((0, 1, 2, 3, int(m.group(2)) + 1, 2**31, 10**9))).encode()
            return data[:m.start(2)] + value + data[m.end(2):]
    if op == 2:
        objects = list(re.finditer(rb"\d+ \d+ obj.*?endobj", data[:2_000_000], re.S))
        if objects:
            m = rng.choice(objects)
            return data[:m.end()] + (b"\n" + m.group(0)) * rng.choice((1, 5)) + data[m.end():] if rng.random() < .5 \
                else data[:m.start()] + data[m.start() + (m.end() - m.start()) // 2:]
    return _mutate_bytes(data, rng)


def _mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """Plain byte mutations: flip, cut the tail, insert a run, duplicate a block."""
    if not data:
        return bytes(rng.randrange(256) for _ in range(8))
    op, at = rng.randrange(4), rng.randrange(len(data))
    if op == 0:
        return data[:at] + bytes([rng.randrange(256)]) + data[at + 1:]
    if op == 1:
        return data[:at]
    if op == 2:
        return data[:at] + bytes([rng.randrange(256)]) * rng.choice((1, 16, 4096)) + data[at:]
    return data[:at] + data[at:at + 256] * 4 + data[at:]


def _mutate_text_bytes(data: bytes, rng: random.Random, others: Iterable[str] = ()) -> bytes:
    if rng.random() < 0.1:
        return _mutate_bytes(data, rng)
    text = _splice_text(data.decode("utf-8", "replace"), rng, others)
    encoding = rng.choice(("utf-8",) * 8 + ("gb18030", "utf-16"))
    return text.encode(encoding, "replace")


def mutator(target: str, pool: list[bytes]) -> Callable[[bytes, random.Random], bytes]:
    """The structure-aware mutation of ``target``: ``mutate(data, rng) -> bytes``. ``pool`` (the
    seeds) feeds splices."""
    if target in ("text", "figures"):
        texts = [p.decode("utf-8", "replace") for p in pool[:200]]
        return lambda data, rng: _mutate_text_bytes(data, rng, texts)
    if target == "html":
        return lambda data, rng: _mutate_markup(data, rng) if rng.random() < 0.9 else _mutate_bytes(data, rng)
    return {"docx": _mutate_docx, "pdf": _mutate_pdf}[target]
