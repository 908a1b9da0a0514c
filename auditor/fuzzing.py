"""Fuzzing kit: structure-aware mutations of reports and a harness that runs one input through a
reader (or the figure extractor) and says whether the outcome is acceptable.

Acceptable is: the input is audited, or refused with a ``ReportReadError`` in words. A failure is
an exception that escapes (or that the host had to wrap as "the X reader failed on it"), a
plugin that failed on the document, an input that takes longer than ``SLOW_SECONDS`` or leaves
the process above the RSS bound. ``benchmarks/fuzz.py`` drives this under atheris (coverage
guided) for long runs; ``random_run`` drives it deterministically for the test suite. A reader
plugin's author can fuzz a plugin the same way (``Harness(target, host=…)``).

Targets: ``text`` (.txt/.md reports), ``html``, ``docx``, ``pdf`` (each through its reader, then
the figures and the built-in auditors) and ``figures`` (one narrative paragraph through
``paragraph_figures``).
"""

from __future__ import annotations

import hashlib
import io
import random
import re
import signal
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

TARGETS = ("text", "html", "docx", "pdf", "figures")
SUFFIX = {"text": ".txt", "html": ".html", "docx": ".docx", "pdf": ".pdf", "figures": ".txt"}
SLOW_SECONDS = 5.0  # the bound per input, in CPU seconds of this process (a busy machine does not count)
RSS_LIMIT_MB = 2048  # resident memory the process may reach (the tool itself idles near 400 MB)

# Vocabulary the mutations splice in: the template's words, figures, marks and the characters
# that broke readers before (control characters, deep nesting, digit runs).
_WORDS = ("总计", "其中", "行政复议", "行政诉讼", "件", "项", "条", "万元", "予以公开", "部分公开", "不予公开",
          "上年结转", "结转下年度", "本年新收", "维持", "纠正", "尚未审结", "一、", "（二）", "表三", "第", "页",
          "，", "。", "、", "；", "：", "%", "——", "年", "2021", "0", "1", "12", "一百二十", "两", "十",
          "\t", "\n", "  ", "\u3000", "|", "---", "#", "\x00", "\x0b", "\x1b", "\ufeff", "\u200b", "①")
_HTML_TAGS = ("table", "tr", "td", "th", "p", "div", "span", "sup", "del", "br", "tbody", "h2", "font")


class Slow(BaseException):
    """Raised by the harness's alarm when one input runs three times ``SLOW_SECONDS`` of wall time. A BaseException,
    so that no ``except Exception`` in the code under test swallows it."""


@dataclass(frozen=True)
class Outcome:
    """What one input did: ``kind`` is ``audited``, ``refused`` (a clear error), or a failure —
    ``exception``, ``slow``, ``memory``; ``signature`` groups failures of one cause (exception
    type and the innermost frames of our code and of all code); ``seconds`` of CPU time."""

    kind: str
    signature: str = ""
    seconds: float = 0.0
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.kind in ("exception", "slow", "memory")


@dataclass
class Tally:
    """Counts of a fuzz run: inputs by outcome kind, failures by signature (with the first
    detail seen), the slowest input in seconds and the highest RSS in MB."""

    kinds: Counter = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)
    slowest: float = 0.0
    peak_rss_mb: float = 0.0

    def add(self, outcome: Outcome, rss_mb: float) -> bool:
        """Count ``outcome``; True when it is a failure of a signature not seen before."""
        self.kinds[outcome.kind] += 1
        self.slowest = max(self.slowest, outcome.seconds)
        self.peak_rss_mb = max(self.peak_rss_mb, rss_mb)
        if outcome.failed and outcome.signature not in self.failures:
            self.failures[outcome.signature] = outcome.detail
            return True
        return False


def _signature(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    ours = [f for f in frames if "/auditor" in f.filename]
    where = [f"{Path(f.filename).name}:{f.name}" for f in (ours[-1:] + frames[-1:])]
    return "-".join([type(exc).__name__, *dict.fromkeys(where)])


def rss_mb() -> float:
    """This process's resident memory in MB (psutil)."""
    import psutil

    return psutil.Process().memory_info().rss / 2**20


class Harness:
    """Runs inputs of one ``target`` through the plugin host's readers and auditors (or through
    ``paragraph_figures``) and classifies each. Raises ``ValueError`` for an unknown target."""

    def __init__(self, target: str, host=None, slow_seconds: float = SLOW_SECONDS, rss_limit_mb: float = RSS_LIMIT_MB):
        if target not in TARGETS:
            raise ValueError(f"unknown fuzz target {target!r}; one of {', '.join(TARGETS)}")
        from auditor.figures import tokenizer
        from auditor.plugins import PluginHost

        self.target, self.slow_seconds, self.rss_limit_mb = target, slow_seconds, rss_limit_mb
        self.host = host or PluginHost()
        tokenizer()  # load jieba and spaCy before the first timed input

    def run(self, data: bytes) -> Outcome:
        """The outcome of one input; never raises (but for KeyboardInterrupt)."""
        started = time.process_time()
        previous = signal.signal(signal.SIGALRM, _alarm)  # wall clock, 3 x the bound: a stop for hangs
        signal.setitimer(signal.ITIMER_REAL, 3 * self.slow_seconds)  # (CPU-time timers kill atheris's process)
        try:
            kind, signature, detail = self._run(data)
        except Slow:
            kind, signature, detail = "slow", f"slow-{self.target}", f"stopped after {3 * self.slow_seconds:g} s of wall time"
        except Exception as exc:
            kind, signature, detail = "exception", _signature(exc), f"{type(exc).__name__}: {exc}"[:300]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
        seconds = time.process_time() - started
        if kind != "slow" and seconds > self.slow_seconds:
            kind, signature, detail = "slow", f"slow-{self.target}", f"{seconds:.1f} CPU s"
        if not (kind in ("exception", "slow")) and rss_mb() > self.rss_limit_mb:
            kind, signature, detail = "memory", f"memory-{self.target}", f"RSS over {self.rss_limit_mb} MB"
        return Outcome(kind, signature, seconds, detail)

    def _run(self, data: bytes) -> tuple[str, str, str]:
        from auditor.document import Document
        from auditor.errors import ReportReadError

        if self.target == "figures":
            from auditor.figures.extract import paragraph_figures

            paragraph_figures(data.decode("utf-8", "replace"), 2023)
            return "audited", "", ""
        try:
            document = Document.of(self.host.read(f"fuzz{SUFFIX[self.target]}", data))
        except ReportReadError as exc:
            cause = exc.__cause__
            if cause is not None and "failed on it" in exc.reason:
                return "exception", _signature(cause), exc.reason[:300]
            return "refused", "", exc.reason
        _, failures = self.host.check(document)
        if failures:
            first = failures[0]
            where = re.sub(r"[^\w.:-]+", "_", first.error.split(" (")[0][:40])
            return "exception", f"plugin-{first.plugin}-{where}", str(first)[:300]
        return "audited", "", ""

    def shrink(self, data: bytes, signature: str, budget_seconds: float = 60.0) -> bytes:
        """The smallest input found (chunk deletion, halving chunk sizes, ddmin-like) that still
        fails with ``signature``, within ``budget_seconds``."""
        deadline = time.monotonic() + budget_seconds
        best, chunk = data, max(1, len(data) // 2)
        while chunk >= 1 and time.monotonic() < deadline:
            at, improved = 0, False
            while at < len(best) and time.monotonic() < deadline:
                candidate = best[:at] + best[at + chunk:]
                if candidate and self.run(candidate).signature == signature:
                    best, improved = candidate, True
                else:
                    at += chunk
            if not improved:
                chunk //= 2
        return best


def _alarm(signum, frame):
    raise Slow


def save_failure(directory: Path, target: str, signature: str, data: bytes) -> Path:
    """Write a failing input as ``<target>-<signature>-<hash>.<ext>`` under ``directory`` (the
    reliability tests audit every file there); returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", signature)[:80]
    path = directory / f"{target}-{name}-{hashlib.sha1(data).hexdigest()[:10]}{SUFFIX[target]}"
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- seeds


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
    delete, duplicate or swap lines; remove punctuation over a span; splice another seed."""
    op = rng.randrange(9)
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


def random_run(target: str, corpus: Path, count: int, seed: int = 0, harness: Harness | None = None,
               on_failure: Callable[[Outcome, bytes], None] | None = None) -> Tally:
    """``count`` inputs of ``target``, each a seed from ``corpus`` under one to three
    structure-aware mutations, drawn from ``random.Random(seed)``: deterministic for a given
    corpus. Returns the tally; ``on_failure(outcome, data)`` is called for each new failure."""
    rng = random.Random(seed)
    pool = seeds(target, corpus)
    if not pool:
        raise ValueError(f"no seeds of {target} under {corpus}")
    mutate = mutator(target, pool)
    harness = harness or Harness(target)
    tally = Tally()
    for _ in range(count):
        data = rng.choice(pool)
        for _ in range(rng.randint(1, 3)):
            data = mutate(data, rng)
        outcome = harness.run(data)
        if tally.add(outcome, rss_mb()) and on_failure is not None:
            on_failure(outcome, data)
    return tally
