"""A large batch with corrupt files, killed and resumed (issue 13's measure; not a test).

    python benchmarks/batch_trial.py                       # 10 000 inputs, 5 % corrupt, --jobs 2
    python benchmarks/batch_trial.py --inputs 2000 --kill-at 0.3

Builds the batch once under --dir (template reports with random values as text and HTML, a
DOCX in every twentieth place, every tenth a copy of a real report from corpora/, and the
corrupt files of ``auditor.testing.write_batch``), then:
1. audits it with ``auditor check --jobs N --format jsonl`` into a fresh cache, timed, and checks
   that every good input has one record with no error and every corrupt one a record that
   names it with an error;
2. runs it again into another fresh cache, SIGKILLs the whole process group when the share
   --kill-at of the inputs is done, runs it once more, and checks the output of that resumed run
   the same way and that the cache answered the inputs finished before the kill.
Prints the figures and exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(directory: Path, inputs: int, corrupt_share: float) -> tuple[list[Path], list[Path]]:
    """Write the batch; returns (good paths, corrupt paths)."""
    from auditor.testing import random_values, report_docx, write_batch

    corrupt = int(inputs * corrupt_share)
    paths = write_batch(directory, inputs - corrupt, corrupt=corrupt, seed=1, corpus=ROOT / "corpora",
                        kinds=("txt", "txt", "html", "txt", "html"))
    rng = random.Random(2)
    base = report_docx(random_values(rng), ["全年共收到政府信息公开申请 5 件。"], year=2023)
    good = [p for p in paths if not p.name.startswith("zz-corrupt")]
    for n, path in enumerate(good[19::20]):  # a DOCX in every twentieth place: the base, its figures varied
        docx_path = path.with_suffix(".docx")
        docx_path.write_bytes(_vary_docx(base, rng, n))
        path.unlink()
        good[good.index(path)] = docx_path
    return good, [p for p in paths if p.name.startswith("zz-corrupt")]


def _vary_docx(base: bytes, rng: random.Random, n: int) -> bytes:
    with zipfile.ZipFile(io.BytesIO(base)) as package:
        members = {info.filename: package.read(info) for info in package.infolist()}
    xml = members["word/document.xml"].decode()
    xml = re.sub(r"<w:t>(\d+)</w:t>", lambda m: f"<w:t>{rng.choice((0, 1, 2, 5, 12, n))}</w:t>", xml)
    members["word/document.xml"] = xml.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in members.items():
            package.writestr(name, content)
    return out.getvalue()


def command(directory: Path, out: Path, cache: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "auditor", "check", "--jobs", str(jobs), "--format", "jsonl",
            "--cache-dir", str(cache), "-o", str(out), str(directory)]


def verify(out: Path, good: list[Path], corrupt: list[Path]) -> list[str]:
    """What is wrong with a run's output: inputs missing or twice, good ones with errors,
    corrupt ones without."""
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    seen: dict[str, int] = {}
    for record in records:
        seen[record["path"]] = seen.get(record["path"], 0) + 1
    problems = [f"{p}: {seen.get(str(p), 0)} records" for p in [*good, *corrupt] if seen.get(str(p), 0) != 1]
    by_path = {r["path"]: r for r in records}
    problems += [f"{p}: {by_path[str(p)].get('error') or by_path[str(p)].get('errors')}" for p in good
                 if str(p) in by_path and (by_path[str(p)].get("error") or by_path[str(p)].get("errors"))]
    problems += [f"{p}: no error" for p in corrupt if str(p) in by_path and not by_path[str(p)].get("error")]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--corrupt", type=float, default=0.05, help="share of corrupt files")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--kill-at", type=float, default=0.5, help="share of inputs done when the run is killed")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "auditor-batch-trial")
    args = parser.parse_args()
    batch = args.dir / "inputs"
    if batch.exists():
        import shutil

        shutil.rmtree(batch)
    started = time.perf_counter()
    good, corrupt = build(batch, args.inputs, args.corrupt)
    print(f"batch: {len(good)} good + {len(corrupt)} corrupt inputs under {batch} (built in {time.perf_counter() - started:.0f} s)")
    failed = False

    work = Path(tempfile.mkdtemp(prefix="trial-", dir=args.dir))
    started = time.perf_counter()
    status = subprocess.run(command(batch, work / "full.jsonl", work / "cache-full", args.jobs), stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    problems = verify(work / "full.jsonl", good, corrupt)
    print(f"full run, --jobs {args.jobs}: {elapsed:.1f} s ({(len(good) + len(corrupt)) / elapsed:.0f} inputs/s), exit {status.returncode}; "
          f"{status.stderr.strip().splitlines()[-1] if status.stderr.strip() else ''}")
    print(f"  every good input once without error, every corrupt one named with an error: {'yes' if not problems else 'NO'}")
    for problem in problems[:10]:
        print(f"    {problem}")
    failed |= bool(problems) or elapsed >= 120

    out, cache = work / "killed.jsonl", work / "cache-kill"
    process = subprocess.Popen(command(batch, out, cache, args.jobs), stderr=subprocess.DEVNULL, start_new_session=True)
    target = int((len(good) + len(corrupt)) * args.kill_at)
    while process.poll() is None:
        time.sleep(0.2)
        entries = sum(1 for _ in cache.rglob("*.json")) if cache.exists() else 0
        if entries >= target:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            break
    print(f"killed with SIGKILL after {entries} cache entries")
    started = time.perf_counter()
    resumed = subprocess.run(command(batch, work / "resumed.jsonl", cache, args.jobs), stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    problems = verify(work / "resumed.jsonl", good, corrupt)
    print(f"resumed run: {elapsed:.1f} s, exit {resumed.returncode}; {resumed.stderr.strip().splitlines()[-1] if resumed.stderr.strip() else ''}")
    print(f"  every good input once without error, every corrupt one named with an error: {'yes' if not problems else 'NO'}")
    for problem in problems[:10]:
        print(f"    {problem}")
    same = (work / "resumed.jsonl").read_text("utf-8") == (work / "full.jsonl").read_text("utf-8")
    print(f"  resumed output identical to the uninterrupted run's: {'yes' if same else 'NO'}")
    failed |= bool(problems) or not same
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
