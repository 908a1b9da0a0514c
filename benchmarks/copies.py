"""How the copy rules (Y003 narratives, Y004 tables) scale with a batch: build N report facts
whose narratives are the corpus's real paragraphs reworded (30 % of the characters replaced, so
that two reports share little, as two bodies' reports do) and whose tables are a real report's
with other figures; a few reports are next year's copy of another (narrative with figures
changed, tables the same). Both rules run over them as one run does; the script prints the
seconds, the peak RSS and the findings (each copy should be found, nothing else).

    python benchmarks/copies.py --reports 10000
"""

from __future__ import annotations

import argparse
import random
import resource
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.audit import read_document  # noqa: E402
from auditor.facts import ReportFacts, groups_of  # noqa: E402
from auditor.model import Paragraph, Position  # noqa: E402
from auditor.plugins import PluginHost  # noqa: E402


def corpus_paragraphs(host: PluginHost) -> tuple[list[str], list[ReportFacts]]:
    texts, reports = [], []
    for path in sorted((ROOT / "corpora").rglob("*")):
        if path.suffix in (".txt", ".html", ".md", ".pdf", ".docx") and not path.name.endswith(".labels.toml"):
            report = ReportFacts.of_document(read_document(path, host))
            reports.append(report)
            texts += [p.text for p in report.narrative if len(p.text) > 40]
    return texts, reports


def _reworded(text: str, rng: random.Random, share: float) -> str:
    """``text`` with ``share`` of its Chinese characters replaced by others: another body's
    report on the same subjects (real reports of two bodies share about 5 % of their 5-grams)."""
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) if "\u4e00" <= c <= "\u9fff" and rng.random() < share else c
                   for c in text)


def batch(count: int, texts: list[str], reports: list[ReportFacts], copies: int, seed: int) -> list[ReportFacts]:
    rng = random.Random(seed)
    made = []
    for n in range(count):
        body = f"测试{n}县人民政府"
        paragraphs = [_reworded(t, rng, 0.3) for t in rng.sample(texts, 12)]
        narrative = tuple(Paragraph(t, None, ((0, Position(i + 1, 1)),)) for i, t in enumerate(paragraphs))
        template = rng.choice(reports)
        cells = {k: replace(c, value=c.value + rng.randrange(1, 50)) if c.value is not None else c for k, c in template.cells.items()}
        made.append(replace(template, path=f"r{n}.txt", agency=body, title=body, year=2023, narrative=narrative, cells=cells))
    for n in range(copies):  # next year's report of a body: last year's narrative, figures changed; its tables again
        source = made[n * (count // max(copies, 1))]
        narrative = tuple(replace(p, text=re.sub(r"\d+", lambda m: str(int(m.group()) + 1), p.text)) for p in source.narrative)
        made.append(replace(source, path=f"copy{n}.txt", year=2024, narrative=narrative))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    host = PluginHost()
    texts, reports = corpus_paragraphs(host)
    facts = batch(args.reports, texts, reports, args.copies, args.seed)
    print(f"{len(facts)} reports ({args.copies} copies of another), {len(texts)} real paragraphs to draw from; "
          f"narrative {sum(len(p.text) for r in facts for p in r.narrative) / len(facts):.0f} characters on average")
    for rule_id in ("Y003", "Y004"):
        rule = host.rules()[rule_id]
        start = time.process_time()
        found = []
        for group in groups_of(facts, rule.scope):
            hits, failures = host.check_group(rule, group)
            assert not failures, failures
            found += hits
        seconds = time.process_time() - start
        copies = sum(path.startswith("copy") for path, _ in found)
        print(f"{rule_id}: {seconds:6.1f} CPU s, {len(found)} findings ({copies} on the copies)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
