"""Speed and memory of auditor, measured (not a test): prints figures and the targets of issue 4.

    python benchmarks/bench.py                  # 600 reports of each kind
    python benchmarks/bench.py --reports 10000 --kinds txt   # the 10 000-report target, for real

For each kind of report (text and Markdown, HTML) it builds a batch from the corpus (the real
reports, plus copies of them with varied numbers), then measures, in one run:
- reports/s with --jobs 1 and --jobs 2 (no cache), and the speed-up;
- time to the first report (start-up of workers included);
- peak RSS per worker process;
- the floor: bare jieba.cut over the same narratives in this process, and audit/floor (per core);
- a re-run from the cache, as a share of the first run;
and `auditor --help` wall time.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_run(sources, settings, jobs, cache=None):
    from auditor import batch

    stats = batch.BatchStats()
    started = time.perf_counter()
    first = None
    for _ in batch.run(sources, settings, jobs=jobs, cache=cache, stats=stats):
        if first is None:
            first = time.perf_counter() - started
    return time.perf_counter() - started, first, stats


def narratives(sources):
    from auditor.plugins import PluginHost

    host = PluginHost()
    texts = []
    for source in sources:
        try:
            report = host.read(source.name, source.read())
        except Exception:
            continue
        texts.extend(p.text for p in report.paragraphs)
    return texts


def floor_seconds(texts) -> float:
    import jieba

    from auditor.figures import tokenizer

    tokenizer()  # the same dictionary as the audit
    started = time.perf_counter()
    for text in texts:
        for _ in jieba.cut(text):
            pass
    return time.perf_counter() - started


def help_seconds() -> list[float]:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "auditor", "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=600)
    parser.add_argument("--kinds", default="txt,html")
    args = parser.parse_args()

    from auditor.cache import ResultCache
    from auditor.inputs import expand
    from auditor.testing import write_corpus_batch
    from auditor.worker import Settings

    settings = Settings()
    print(f"auditor benchmark: {args.reports} reports per kind, Python {sys.version.split()[0]}")
    for kind in args.kinds.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            write_corpus_batch(tmp, args.reports, ROOT / "corpora", kind=kind, seed=1)
            sources = list(expand([tmp], {".txt", ".md", ".html", ".pdf", ".docx"}))
            one, first_one, stats_one = timed_run(sources, settings, jobs=1)
            rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            two, first_two, stats_two = timed_run(sources, settings, jobs=2)
            rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            cache = ResultCache(Path(tmp) / "cache", "bench")
            cold, _, _ = timed_run(sources, settings, jobs=2, cache=cache)
            warm, _, stats_warm = timed_run(sources, settings, jobs=2, cache=cache)
            texts = narratives(sources)
            floor = floor_seconds(texts)
        n = len(sources)
        print(f"\n== {kind}: {n} reports ({sum(map(len, texts)):,} narrative characters)")
        print(f"  --jobs 1: {n / one:8.1f} reports/s   first report after {first_one:.2f} s   peak RSS {rss_self:.0f} MB (this process)")
        print(f"  --jobs 2: {n / two:8.1f} reports/s   first report after {first_two:.2f} s   peak RSS per worker {rss_children:.0f} MB")
        print(f"  speed-up 2 jobs / 1 job: {one / two:.2f}x   (target >= 1.8x)")
        print(f"  floor (bare jieba.cut over the same narratives): {floor:.2f} s; audit at --jobs 1: {one:.2f} s;"
              f" ratio {one / floor:.2f} (target <= 1.3)")
        print(f"  cache: first run {cold:.2f} s, re-run {warm:.2f} s = {warm / cold:.1%} of the first (target < 10%),"
              f" {stats_warm.cached} from the cache")
        print(f"  10 000 such reports at --jobs 2: about {10000 / (n / two):.0f} s (target <= 120 s)")
        print(f"  peak RSS per worker: {max(rss_self, rss_children):.0f} MB (target <= 300 MB)")
    helps = help_seconds()
    print(f"\n`auditor --help`: median {statistics.median(helps):.3f} s, best {min(helps):.3f} s (target <= 0.3 s)")


if __name__ == "__main__":
    main()
