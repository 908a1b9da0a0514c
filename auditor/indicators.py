"""Indicators computed from a report's template cells (``auditor/data/indicators.toml``): the rates
evaluators put on their dashboards (公开率, 办结率, 行政复议纠错率, 行政诉讼纠错率), written by
``auditor extract`` beside the cells so that a researcher's panel has them for every report.

Each indicator is numerator / (denominator − minus), each term a sum of cells; a rate is a share
(0.25, not 25 %). It is not computed (None) when one of its cells is missing, blank or not a
number, or when the denominator is not above 0: never a rate over a guessed 0.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Indicator:
    """One indicator's definition: ``key`` ("indicators.review_correction_rate"), its Chinese
    ``label``, the cell keys summed in its ``numerator``, ``denominator`` and ``minus`` (taken
    from the denominator), and the template clause it rests on (``source``)."""

    key: str
    label: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    minus: tuple[str, ...] = ()
    source: str = ""

    def value(self, cells: Mapping[str, int | float | None]) -> float | None:
        """The rate over ``cells`` (key → number, None when not a number), rounded to 4 decimals;
        None when a cell is missing or not a number, or the denominator is not above 0."""
        terms = [[cells.get(k) for k in keys] for keys in (self.numerator, self.denominator, self.minus)]
        if any(v is None for values in terms for v in values):
            return None
        numerator, denominator, minus = (sum(values) for values in terms)
        base = denominator - minus
        return round(numerator / base, 4) if base > 0 else None


@cache
def indicators() -> tuple[Indicator, ...]:
    """The indicators of ``auditor/data/indicators.toml``, in its order."""
    data = tomllib.loads(resources.files("auditor.data").joinpath("indicators.toml").read_text("utf-8"))
    return tuple(
        Indicator(i["key"], i["label"], tuple(i["numerator"]), tuple(i["denominator"]), tuple(i.get("minus", ())),
                  i.get("source", ""))
        for i in data["indicator"]
    )
