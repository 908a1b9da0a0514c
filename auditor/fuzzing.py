"""Fuzzing kit: a harness that runs one input through a reader (or the figure extractor) and
says whether the outcome is acceptable; the inputs come from ``auditor.mutations``.

Acceptable is: the input is audited, or refused with a ``ReportReadError`` in words. A failure is
an exception that escapes (or that the host had to wrap as "the X reader failed on it"), a
plugin that failed on the document, an input that takes longer than ``SLOW_SECONDS`` or leaves
the process above the RSS bound. ``benchmarks/fuzz.py`` drives this under atheris (coverage
guided) for long runs; ``random_run`` drives it deterministically for the test suite. A reader
plugin's author can fuzz a plugin the same way (``Harness(target, host=…)``).

Targets: ``text`` (.txt/.md reports), ``html``, ``docx``, ``pdf`` (each through its reader, then
the figures and the built-in auditors) and ``figures`` (one narrative paragraph through
``paragraph_figures``, cut at ``MAX_TEXT_CHARS``: no report's text is longer).
"""

from __future__ import annotations

import hashlib
import random
import re
import signal
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from auditor.mutations import mutator, seeds

TARGETS = ("text", "html", "docx", "pdf", "figures")
SUFFIX = {"text": ".txt", "html": ".html", "docx": ".docx", "pdf": ".pdf", "figures": ".txt"}
SLOW_SECONDS = 5.0  # the bound per input, in CPU seconds of this process (a busy machine does not count)
RSS_LIMIT_MB = 2048  # resident memory the process may reach (the tool itself idles near 400 MB)


class Slow(BaseException):
    """Raised by the harness's alarm when one input runs three times ``SLOW_SECONDS`` of wall
    time. A BaseException, so that no ``except Exception`` in the code under test swallows it."""


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
        # (CPU-time timers kill atheris's process); again every half second, as the product's own
        # deadline does: code that swallows the first stop (a ``finally`` that does the work again) is stopped too
        signal.setitimer(signal.ITIMER_REAL, 3 * self.slow_seconds, 0.5)
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
        from auditor.errors import ReportReadError

        if self.target == "figures":
            from auditor.figures.extract import paragraph_figures
            from auditor.read.document import MAX_TEXT_CHARS

            # no paragraph is longer than a report's text, which the readers cap (MAX_TEXT_CHARS)
            paragraph_figures(data.decode("utf-8", "replace")[:MAX_TEXT_CHARS], 2023)
            return "audited", "", ""
        try:
            report = self.host.read(f"fuzz{SUFFIX[self.target]}", data)
            document = self.host.document(report)
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
