"""Memory of the output formats over large batches, measured (not a test): prints figures.

Each format is fed N records (a real report's record, with its narrative and tables for the
formats that show them, under N different paths) in a fresh process, and the process's peak
RSS is printed for N = 1 000, 10 000 and 100 000: a format that streams stays flat (issue 11:
"peak RSS stays flat from 1 000 to 100 000 reports"; "the JSON output of a 100 000-report batch
written with flat memory").

    python benchmarks/streaming.py                       # every format, 1 000 / 10 000 / 100 000
    python benchmarks/streaming.py --formats json --sizes 1000,100000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpora" / "text" / "2023-luohe-shifanqu-dangzhengban.txt"

CHILD = r"""
import json, resource, sys, time
from auditor.audit import audit_file
from auditor.plugins import PluginHost
from auditor.records import report_record

fmt, size, out_path, report = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
host = PluginHost()
formatter_class = host.formatters()[fmt]
record = report_record(audit_file(report, host), view=formatter_class.needs_view)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
with open(out_path, "wb") as out:
    formatter = formatter_class(out, host.rules())
    for i in range(size):
        formatter.add(record | {"path": f"batch/{i:06d}/{record['path']}"})
    formatter.close(None)
print(json.dumps({"seconds": time.perf_counter() - start, "base_kb": base,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def measure(fmt: str, size: int) -> dict:
    """Run one format over ``size`` records in a fresh process; its figures."""
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / f"out.{fmt}"
        done = subprocess.run([sys.executable, "-c", CHILD, fmt, str(size), str(out), str(REPORT)],
                              capture_output=True, text=True, check=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        figures["bytes"] = out.stat().st_size
        return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formats", default="json,jsonl,csv,sarif,xlsx,html,text")
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"output formats, peak RSS of a process writing N records of {REPORT.name} (Python {sys.version.split()[0]})")
    for fmt in args.formats.split(","):
        peaks = []
        for size in sizes:
            started = time.perf_counter()
            figures = measure(fmt, size)
            peaks.append(figures["peak_kb"])
            print(f"  {fmt:<6} N={size:>7,}: peak RSS {figures['peak_kb'] / 1024:7.1f} MB "
                  f"(after loading {figures['base_kb'] / 1024:6.1f} MB), writing {figures['seconds']:6.1f} s, "
                  f"output {figures['bytes'] / 1e6:8.1f} MB   [{time.perf_counter() - started:.0f} s]")
        growth = (peaks[-1] - peaks[0]) / 1024
        print(f"  {fmt:<6} growth from N={sizes[0]:,} to N={sizes[-1]:,}: {growth:+.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
