"""A short deterministic fuzz run per reader and for the figure extractor (issue 13): inputs
derived from the real reports of ``corpora/`` by the structure-aware mutations of
``auditor.mutations`` (markup spans and nesting, DOCX packages, PDF object numbers, template
words, digit runs, control characters, encodings). Every input must be audited or refused in
words. The long, coverage-guided run is ``benchmarks/fuzz.py`` (README, "Reliability")."""

from __future__ import annotations

import pytest

from auditor.fuzzing import Harness, random_run
from auditor.mutations import seeds
from conftest import CORPORA

COUNTS = {"text": 250, "html": 250, "docx": 200, "pdf": 200, "figures": 300}


@pytest.mark.parametrize("target", list(COUNTS))
def test_mutated_reports_are_audited_or_refused_in_words(target):
    failures = []
    harness = Harness(target, slow_seconds=60)  # a hang guard, not a speed test (benchmarks/fuzz.py bounds 5 s)
    tally = random_run(target, CORPORA, COUNTS[target], seed=13, harness=harness,
                       on_failure=lambda outcome, data: failures.append((outcome, data[:200])))
    assert failures == []
    assert sum(tally.kinds.values()) == COUNTS[target]
    assert tally.kinds["audited"] > 0  # the mutations leave some inputs readable: the auditors run too


def test_seeds_come_from_the_real_reports():
    assert len(seeds("text", CORPORA)) >= 30 and len(seeds("html", CORPORA)) >= 10
    assert len(seeds("pdf", CORPORA)) == 3 and len(seeds("docx", CORPORA)) == 8
    assert all(data.startswith(b"PK") for data in seeds("docx", CORPORA))


def test_a_failure_is_caught_classified_and_shrunk():
    """The harness's own check can fail: a reader that raises on a marker is a failure with a
    signature, and shrinking keeps the marker."""
    from auditor.plugins import PluginHost

    class Broken(PluginHost):
        def read(self, path, data):
            if b"BOOM" in data:
                raise IndexError("list index out of range")
            return super().read(path, data)

        def check(self, document):
            return [], []

    harness = Harness("text", host=Broken())
    outcome = harness.run(b"x" * 500 + b"BOOM" + b"y" * 500)
    assert outcome.kind == "exception" and outcome.signature.startswith("IndexError")
    assert harness.shrink(b"x" * 500 + b"BOOM" + b"y" * 500, outcome.signature) == b"BOOM"


def test_an_input_past_its_cpu_time_is_slow():
    class Spinning:
        def read(self, path, data):
            while True:
                pass

    outcome = Harness("text", host=Spinning(), slow_seconds=0.3).run(b"anything")
    assert outcome.kind == "slow" and outcome.failed and 0.2 < outcome.seconds < 5  # the timer ticks coarser than process_time
