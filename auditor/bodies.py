"""Which body published a report: the name its title prints, reduced to a key that its other
years' titles share (``auditor/data/bodies.toml``).

Titles name one body in several ways — "洪泽区人民政府" and "淮安市洪泽区人民政府",
"平潭综合实验区管委会" and "平潭综合实验区", a crawl's "苏平片区管理局关于报送…" — and a
cross-year rule must see them as one. Two bodies must never be merged: a name is only shortened
by the government words of a region ("人民政府", "管委会") and, within a batch, by a higher region
printed before it when the batch holds one such prefix for that name only.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources


@cache
def _words() -> dict[str, tuple[str, ...]]:
    data = tomllib.loads(resources.files("auditor.data").joinpath("bodies.toml").read_text("utf-8"))
    return {name: tuple(sorted(values, key=len, reverse=True)) for name, values in data.items()}


def region_suffixes() -> tuple[str, ...]:
    """The words a region's name ends with (县, 区, 片区 …; ``region_suffixes`` in bodies.toml),
    longest first."""
    return _words()["region_suffixes"]


@cache
def _region_run() -> re.Pattern[str]:
    words = _words()
    suffixes = sorted({*words["region_suffixes"], *words["county_level_suffixes"], *words["not_county_level"]}, key=len, reverse=True)
    return re.compile(r"\w{1,8}?(?:" + "|".join(map(re.escape, suffixes)) + ")")


def innermost_region(name: str | None) -> str | None:
    """The last of the regions a body's name opens with ("淮安市洪泽区人民政府" → "洪泽区",
    "平潭综合实验区公安局" → "平潭综合实验区", "上海市人民政府办公厅" → "上海市"); None when the name
    opens with no region."""
    name = strip_title_words(re.sub(r"\s+", "", name or ""))
    found, at = None, 0
    while (match := _region_run().match(name, at)) is not None:
        segment = match.group()
        if segment.endswith(_words()["not_region_endings"]) or any(c in segment for c in "和与及"):
            break  # "住房和城乡建设厅": a department's name, not a region
        found, at = segment, match.end()
    return found


def below_rule_making_level(name: str | None) -> bool:
    """Whether the body's innermost region is at county level or below (县, 区, 镇 …:
    ``county_level_suffixes`` in bodies.toml), where no government makes 规章; False when that
    cannot be told from the name (a "…市" may be a 设区的市)."""
    region = innermost_region(name)
    words = _words()
    return bool(region) and region.endswith(words["county_level_suffixes"]) and not region.endswith(words["not_county_level"])


def strip_title_words(name: str) -> str:
    """A body's name as a title prints it, without the words after it that are not part of it
    ("…苏平片区管理局关于报送2020年度…的函" → "…苏平片区管理局"; ``cut_at`` in bodies.toml)."""
    for marker in _words()["cut_at"]:
        if name.find(marker) > 0:
            name = name[: name.find(marker)]
    return name


def body_key(agency: str | None) -> str | None:
    """The key of a body as one title names it: whitespace and a title's trailing words removed
    ("关于报送…"), then a region government's word ("洪泽区人民政府" → "洪泽区"); None for no name."""
    words = _words()
    name = strip_title_words(re.sub(r"\s+", "", agency or ""))
    for suffix in words["government_suffixes"]:
        rest = name[: -len(suffix)]
        if name.endswith(suffix) and rest.endswith(words["region_suffixes"]) and len(rest) >= 2:
            name = rest
            break
    return name or None


@cache
def _higher_region() -> re.Pattern[str]:
    """What a higher region printed before a name looks like: up to 8 characters and a region's
    word ("淮安市", "福建省平潭县")."""
    return re.compile(r"\w{1,8}?(?:" + "|".join(map(re.escape, _words()["prefix_suffixes"])) + ")")


def _prefixed(names: set[str]) -> dict[str, list[str]]:
    """For each name of ``names``, the other names of ``names`` that are it with a higher region
    printed before it: each name's heads are tried once (linear in the batch, not quadratic)."""
    head = _higher_region()
    longest = 8 + max(map(len, _words()["prefix_suffixes"]))
    found: dict[str, list[str]] = {}
    for name in names:
        for cut in range(1, min(len(name), longest + 1)):
            if name[cut:] in names and head.fullmatch(name[:cut]):
                found.setdefault(name[cut:], []).append(name)
    return found


def body_keys(agencies: Iterable[str | None]) -> dict[str, str]:
    """The batch's key for every printed name of ``agencies``: ``body_key``, then a name printed
    without a higher region joined to the one name of the batch printed with it ("洪泽区" →
    "淮安市洪泽区"); a name printed under two prefixes ("鼓楼区" beside "南京市鼓楼区" and
    "福州市鼓楼区") stays its own body."""
    keys = {a: key for a in set(agencies) if (key := body_key(a)) is not None}
    names = set(keys.values())
    longer = _prefixed(names)
    joined = {name: longer[name][0] if len(longer.get(name, ())) == 1 else name for name in names}
    return {agency: joined[key] for agency, key in keys.items()}
