"""Breakdowns the narrative states: a whole and its parts, each part with its share.

"在…主动公开的425条政府信息中，机构职能…148条，占34.8%；政策、规范性文件类信息21条，占4.9%；…"
states a whole (425 条) and parts that carry their shares (占 34.8%). Parts that carry shares are
meant to be exhaustive, so they should add up to the whole and each share should be the part over
the whole (REPORT-FORMAT.md: "Itemised prose should add up to its total"; shares can be
recomputed, at the rounding of the stated value). Only such share-bearing breakdowns within one
sentence are extracted; a list of parts without shares may be a selection and is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.figures import Figure
from auditor.model import Report

# Text between a whole and what follows it that marks it as the whole ("…425条政府信息中，", "，其中")
_WHOLE_AFTER = re.compile(r"^[^，。；,;！？]{0,14}中\s*[，,：:]|^\s*[，,]?\s*其中")
_WHOLE_BEFORE = re.compile(r"(?:共|共计|总计|合计|总数|总量)[^，。；,;]{0,8}$")
# Text between a part and its share: "，占", "（", "，占比"
_SHARE_LINK = re.compile(r"^\s*[，,]?\s*[（(]?\s*(?:占(?:比|总数的|全部的)?)?\s*$")
_SENTENCE_END = re.compile(r"[。！？!?]")


@dataclass(frozen=True)
class Part:
    """A part of a breakdown and the share stated for it (in %)."""

    figure: Figure
    share: Figure


@dataclass(frozen=True)
class Breakdown:
    """A whole and its share-bearing parts, stated in one sentence."""

    whole: Figure
    parts: tuple[Part, ...]


def extract_breakdowns(report: Report, figures: tuple[Figure, ...]) -> tuple[Breakdown, ...]:
    """Every share-bearing breakdown of the narrative (two parts or more)."""
    found = []
    by_paragraph: dict[int, list[Figure]] = {}
    for figure in figures:
        by_paragraph.setdefault(figure.paragraph, []).append(figure)
    for index, items in by_paragraph.items():
        text = report.paragraphs[index].text
        for i, whole in enumerate(items):
            if whole.kind != "count" or not _is_whole(text, whole):
                continue
            parts = _parts(text, whole, items[i + 1 :])
            if len(parts) >= 2:
                found.append(Breakdown(whole, tuple(parts)))
    return tuple(found)


def _is_whole(text: str, figure: Figure) -> bool:
    return bool(_WHOLE_AFTER.match(text[figure.end : figure.end + 40]) or _WHOLE_BEFORE.search(text[max(0, figure.start - 20) : figure.start]))


def _parts(text: str, whole: Figure, following: list[Figure]) -> list[Part]:
    parts: list[Part] = []
    pending: Figure | None = None
    end = _SENTENCE_END.search(text, whole.end)
    sentence_end = end.start() if end else len(text)
    for figure in following:
        if figure.start > sentence_end:
            break
        if figure.kind == "count" and figure.unit == whole.unit:
            pending = figure
        elif figure.kind == "share" and pending is not None and _SHARE_LINK.match(text[pending.end : figure.start]):
            parts.append(Part(pending, figure))
            pending = None
        elif parts and figure.kind == "count":
            continue  # a count that carries no share after the shared ones is not a part
    return parts
