"""Write the regression files of the corpus (``<report>.expected.json``) from the tool's current
findings — after a person has read those findings against the report's label file.

    python benchmarks/expected.py corpora/html/2024-pingtan-scj-page.html   # one report
    python benchmarks/expected.py --check corpora/                          # list what would change

An expected file is the tool's output as reviewed, compared exactly by ``tests/test_corpus.py`` so
that any change of findings is seen; it is not a label (``<report>.labels.toml`` is, written by
reading the report). Each file keeps its ``reviewed`` note; ``--note`` sets it for new files.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.audit import audit_file  # noqa: E402
from auditor.plugins import PluginHost  # noqa: E402


def findings_of(path: Path, host: PluginHost) -> list[dict]:
    """The findings of one report in the form ``tests/test_corpus.py`` compares."""
    result = audit_file(path, host)
    if result.errors:
        raise SystemExit(f"{path}: {result.errors}")
    return [
        {
            "rule": f.rule, "severity": f.severity,
            "line": f.position.line if f.position else None, "column": f.position.column if f.position else None,
            "message": f.message,
            "evidence": [[e.source, e.key, e.value, e.position.line if e.position else None] for e in f.evidence],
        }
        for f in result.findings
    ]


def reports(paths: list[Path], host: PluginHost) -> list[Path]:
    suffixes = host.suffixes()
    found = []
    for path in paths:
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        found += [p for p in candidates if p.is_file() and p.suffix.lower() in suffixes and not p.stem.isupper()]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="only list the files whose findings changed")
    parser.add_argument("--note", default="", help="the review note of a new expected file")
    args = parser.parse_args(argv)
    host = PluginHost()
    for path in reports(args.paths, host):
        target = path.with_name(path.stem + ".expected.json")
        old = json.loads(target.read_text("utf-8")) if target.exists() else None
        new = findings_of(path, host)
        if old is not None and old["findings"] == new:
            continue
        print(f"{'changed' if old else 'new'}: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}"
              f" ({len(new)} findings)")
        if args.check:
            continue
        document = {"report": path.name, "reviewed": (old or {}).get("reviewed") or args.note, "findings": new}
        if old and "source" in old:
            document = {"report": path.name, "source": old["source"], **{k: v for k, v in document.items() if k != "report"}}
        target.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
