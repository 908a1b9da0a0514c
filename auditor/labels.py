"""Template labels as printed and the way a printed label is matched to them: normalisation
(NFKC, blanks, quotes and one leading enumerator dropped) and ``Labels`` (a key and its variants)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、]|[①-⑳])"
)
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")
_DROP = re.compile(r"[\s\"'“”‘’「」『』]")


@lru_cache(maxsize=65536)
def normalize_label(text: str) -> str:
    """Return ``text`` in the form used to compare template labels.

    NFKC (full-width brackets and digits become ASCII), whitespace and quotation marks removed,
    one leading enumerator ("（一）", "一、", "1.") removed, and a trailing parenthetical note
    such as "（区分处理的，只计这一情形…）" dropped when something remains before it.
    """
    text = _DROP.sub("", unicodedata.normalize("NFKC", text))
    text = _ENUMERATOR.sub("", text, count=1)
    stripped = _TRAILING_NOTE.sub("", text)
    return stripped or text


@dataclass(frozen=True)
class Labels:
    """A key and the label variants that name it (normalized), first one canonical."""

    key: str
    labels: tuple[str, ...]

    @property
    def label(self) -> str:
        """The canonical Chinese label."""
        return self.labels[0]

    @property
    def short(self) -> str:
        """The shortest variant, for messages ("本年新收")."""
        return min(self.labels, key=len)

    def match_length(self, text: str) -> int:
        """Length of the longest variant that ``text`` (normalized) equals (plus 1000) or
        contains; 0 if none. A contained variant of under 4 characters counts only when it is at
        least half the text, so that 其他 does not match 其他法律行政法规禁止公开."""
        norm = normalize_label(text)
        best = 0
        for variant in self._normalized:
            if variant and norm == variant:
                best = max(best, len(variant) + 1000)
            elif variant and variant in norm and (len(variant) >= 4 or 2 * len(variant) >= len(norm)):
                best = max(best, len(variant))  # a short variant ("其他") must be most of the text
        return best

    @cached_property
    def _normalized(self) -> tuple[str, ...]:
        return tuple(normalize_label(v) for v in self.labels)

    @cached_property
    def normalized(self) -> frozenset[str]:
        """The normalized label variants."""
        return frozenset(self._normalized)


def best_match(text: str, candidates: list[Labels] | tuple[Labels, ...]) -> Labels | None:
    """The candidate whose label best matches ``text`` (exact beats contained, longer beats shorter)."""
    scored = [(c.match_length(text), i, c) for i, c in enumerate(candidates)]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None
    return max(scored, key=lambda s: (s[0], -s[1]))[2]
