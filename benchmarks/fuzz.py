"""Fuzz the readers (text, HTML, DOCX, PDF) and the figure extractor, coverage guided.

    pip install -e '.[fuzz]'
    python benchmarks/fuzz.py --target html --minutes 30          # one reader, 30 CPU-minutes
    python benchmarks/fuzz.py --minutes 30                         # every target in turn
    python benchmarks/fuzz.py --engine random --count 500 --target pdf   # no atheris needed

Engine ``atheris`` (the default when it is installed): libFuzzer's coverage feedback over our
code (auditor, auditor_builtin instrumented), its byte mutations mixed half and half with the
structure-aware mutations of ``auditor.mutations`` (markup spans and nesting, DOCX packages, PDF
object numbers, template words and digit runs), seeded from the real reports in ``corpora/``.
Engine ``random``: the same mutations from a seeded generator, deterministic.

Each input has ``--slow`` CPU seconds (5) and the process ``--rss-mb`` of memory (2048). A failure
(an exception that escapes, a plugin failing, a slow input, memory over the bound, or a hard
crash of the process) of a signature not seen before in the run is shrunk and saved under
``--save`` (tests/reliability/fuzz/, which the reliability tests audit on every run). The
run prints, per target, the inputs tried by outcome, failures by signature, the slowest
input, the peak RSS and the CPU time spent. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.fuzzing import SLOW_SECONDS, RSS_LIMIT_MB, TARGETS, Outcome, Tally, save_failure  # noqa: E402

HEARTBEAT = 1.0  # seconds between the child's statistics writes
STALL = 120.0  # a child silent this long is stuck in C code: stopped, its input saved as a hang


def _child(args: argparse.Namespace) -> None:
    """One atheris process over one target, writing its tally to ``args.stats``."""
    import pkgutil

    import atheris

    with atheris.instrument_imports(include=["auditor", "auditor_builtin"]):
        import auditor
        import auditor_builtin

        for package in (auditor, auditor_builtin):
            for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                if not module.name.endswith(("testing", "fuzzing", "mutations", "__main__")):
                    __import__(module.name)
    from auditor.fuzzing import Harness, rss_mb
    from auditor.mutations import mutator, seeds

    harness = Harness(args.child, slow_seconds=args.slow, rss_limit_mb=args.rss_mb)
    pool = seeds(args.child, Path(args.corpus))
    mutate = mutator(args.child, pool)
    corpus_dir = Path(args.work) / "corpus"
    if not corpus_dir.exists():
        corpus_dir.mkdir(parents=True)
        for i, data in enumerate(pool):
            (corpus_dir / f"seed-{i:04d}").write_bytes(data)
    tally, state = _load(Path(args.stats)), {"written": time.monotonic()}
    current = Path(args.work) / "current"

    def one_input(data: bytes) -> None:
        current.write_bytes(data)
        outcome = harness.run(data)
        if tally.add(outcome, rss_mb()):
            small = harness.shrink(data, outcome.signature) if outcome.kind == "exception" else data
            path = save_failure(Path(args.save), args.child, outcome.signature, small)
            print(f"fuzz: new failure {outcome.signature}: {outcome.detail} -> {path}", file=sys.stderr, flush=True)
        elif outcome.kind == "slow" and outcome.seconds >= tally.slowest:  # the slowest so far, kept too
            save_failure(Path(args.save), args.child, outcome.signature + "-slowest", data)
        if time.monotonic() - state["written"] > HEARTBEAT:
            _dump(tally, Path(args.stats))
            state["written"] = time.monotonic()

    def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
        rng = random.Random(seed)
        out = mutate(data, rng) if rng.random() < 0.5 else atheris.Mutate(data, max_size)
        return out[:max_size]

    argv = [sys.argv[0], str(corpus_dir), f"-max_total_time={int(args.seconds)}", "-timeout=0",
            f"-rss_limit_mb={int(args.rss_mb * 1.5)}", f"-artifact_prefix={args.work}/", "-max_len=4000000",
            f"-seed={args.seed}", "-print_final_stats=1"]
    atheris.Setup(argv, one_input, custom_mutator=custom_mutator)
    try:
        atheris.Fuzz()
    finally:
        _dump(tally, Path(args.stats))


def _dump(tally: Tally, path: Path) -> None:
    path.write_text(json.dumps({"kinds": dict(tally.kinds), "failures": tally.failures, "slowest": tally.slowest,
                                "peak_rss_mb": tally.peak_rss_mb}), "utf-8")


def _load(path: Path) -> Tally:
    tally = Tally()
    if path.exists():
        data = json.loads(path.read_text("utf-8"))
        tally.kinds.update(data["kinds"])
        tally.failures.update(data["failures"])
        tally.slowest, tally.peak_rss_mb = data["slowest"], data["peak_rss_mb"]
    return tally


def _atheris_target(target: str, args: argparse.Namespace) -> tuple[Tally, float]:
    """Run atheris children over ``target`` until ``args.minutes`` of CPU time are spent; a
    child that crashes hard or stalls is recorded and replaced. Returns the tally and CPU s."""
    work = Path(tempfile.mkdtemp(prefix=f"fuzz-{target}-"))
    stats, budget, spent, starts = work / "stats.json", args.minutes * 60, 0.0, 0
    while spent < budget - 5:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        child = subprocess.Popen([sys.executable, __file__, "--child", target, "--seconds", str(budget - spent),
                                  "--stats", str(stats), "--work", str(work), "--save", args.save, "--corpus", args.corpus,
                                  "--slow", str(args.slow), "--rss-mb", str(args.rss_mb), "--seed", str(args.seed + starts)],
                                 stdout=subprocess.DEVNULL, stderr=None if args.verbose else subprocess.DEVNULL)
        starts += 1
        stalled = _watch(child, stats)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        tally = _load(stats)
        artifacts = [p for p in work.iterdir() if p.name.startswith(("crash-", "oom-", "timeout-", "leak-"))]
        if stalled or child.returncode not in (0, None) or artifacts:
            kind = "hang" if stalled else f"process-ended-{child.returncode}"
            source = artifacts[0] if artifacts else work / "current"
            if source.exists() and kind not in tally.failures:
                tally.failures[kind] = str(save_failure(Path(args.save), target, kind, source.read_bytes()))
                tally.kinds["hard"] += 1
                _dump(tally, stats)
            for p in artifacts:
                p.unlink()
    return _load(stats), spent


def _watch(child: subprocess.Popen, stats: Path) -> bool:
    """Wait for ``child``; stop it and return True when its statistics stop moving for STALL s."""
    last = time.monotonic()
    seen = None
    while child.poll() is None:
        time.sleep(1)
        stamp = stats.stat().st_mtime if stats.exists() else None
        if stamp != seen:
            seen, last = stamp, time.monotonic()
        elif time.monotonic() - last > STALL:
            child.kill()
            child.wait()
            return True
    return False


def _random_target(target: str, args: argparse.Namespace) -> tuple[Tally, float]:
    from auditor.fuzzing import Harness, random_run

    harness = Harness(target, slow_seconds=args.slow, rss_limit_mb=args.rss_mb)
    started = time.process_time()

    def keep(outcome: Outcome, data: bytes) -> None:
        small = harness.shrink(data, outcome.signature) if outcome.kind == "exception" else data
        print(f"fuzz: new failure {outcome.signature}: {outcome.detail} -> {save_failure(Path(args.save), target, outcome.signature, small)}",
              file=sys.stderr)

    tally = random_run(target, Path(args.corpus), args.count, seed=args.seed, harness=harness, on_failure=keep)
    return tally, time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", action="append", choices=TARGETS, help="what to fuzz (repeatable; default all)")
    parser.add_argument("--engine", choices=("atheris", "random"), help="default: atheris when installed")
    parser.add_argument("--minutes", type=float, default=2.0, help="CPU minutes per target (atheris)")
    parser.add_argument("--count", type=int, default=300, help="inputs per target (random)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=SLOW_SECONDS, help="CPU seconds one input may take")
    parser.add_argument("--rss-mb", type=float, default=RSS_LIMIT_MB, help="resident memory bound, MB")
    parser.add_argument("--corpus", default=str(ROOT / "corpora"))
    parser.add_argument("--save", default=str(ROOT / "tests" / "reliability" / "fuzz"))
    parser.add_argument("--verbose", action="store_true", help="show libFuzzer's own output")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--stats", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return 0
    engine = args.engine
    if engine is None:
        try:
            import atheris  # noqa: F401
            engine = "atheris"
        except ImportError:
            engine = "random"
    failed = False
    print(f"engine {engine}; per input {args.slow:g} s, RSS {args.rss_mb:g} MB; failures saved under {args.save}")
    for target in args.target or TARGETS:
        tally, cpu = (_atheris_target if engine == "atheris" else _random_target)(target, args)
        total = sum(tally.kinds.values())
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(tally.kinds.items()))
        print(f"{target:8} {total:8d} inputs in {cpu / 60:6.1f} CPU-min ({kinds}); slowest {tally.slowest:.2f} s; "
              f"peak RSS {tally.peak_rss_mb:.0f} MB; failures {len(tally.failures)}", flush=True)
        for signature, detail in tally.failures.items():
            print(f"    {signature}: {detail}")
        failed = failed or bool(tally.failures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
