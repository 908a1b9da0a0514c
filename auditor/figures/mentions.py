"""Sentences a batch rule quotes from a report's narrative: the first sentence that matches each
pattern of ``[mentions]`` in ``auditor/data/figures.toml`` ("clean_up": a 行政规范性文件清理
that can explain a stock count). Read once per report, kept with its facts."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from auditor.model import Report

QUOTE = 80  # characters of a quoted sentence, around the match
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    data = tomllib.loads(resources.files("auditor.data").joinpath("figures.toml").read_text("utf-8"))
    return {name: re.compile(pattern) for name, pattern in data.get("mentions", {}).items()}


def mentions(report: Report) -> dict[str, str]:
    """``{name: sentence}``: for each mention pattern, the first sentence of the narrative that
    matches it (at most ``QUOTE`` characters, centred on the match); names without a match are
    left out."""
    found: dict[str, str] = {}
    for name, pattern in _patterns().items():
        for paragraph in report.paragraphs:
            match = pattern.search(paragraph.text)
            if match is None:
                continue
            sentence = next(s for s in _SENTENCE.finditer(paragraph.text) if s.start() <= match.start() < max(s.end(), s.start() + 1))
            text = sentence.group().strip()
            if len(text) > QUOTE:
                at = match.start() - sentence.start()
                start = max(0, min(at - QUOTE // 2, len(text) - QUOTE))
                text = ("…" if start else "") + text[start : start + QUOTE] + ("…" if start + QUOTE < len(text) else "")
            found[name] = text
            break
    return found
