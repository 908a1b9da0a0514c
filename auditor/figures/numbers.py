"""Numbers in narrative text: sentences worth tokenizing, clauses, and each number with its
measure word and kind (a count, an amount, a share, or a number that counts nothing: a year, a
date, a deadline, a document reference, an ordinal, a slogan)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from auditor.figures.rules import FigureRules

FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
CLAUSE_END = frozenset("，,。；;！!？?：:")
MAX_SENTENCE = 2000  # longer "sentences" (tables run together, lists without full stops) are cut

_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*|[。！？；!?;]+")
_CLAUSE_MARK = re.compile(r"[，,、：:]")
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_CHINESE_DIGIT = re.compile(r"[零〇一二两三四五六七八九十]")
_STANDS_ALONE = re.compile(r"$|[，,。；;！!？?：:、）)\s]")  # used with match(text, pos): one character, never a run
_YEAR_TOKEN = re.compile(r"^(?:19|20)\d{2}$")
_NUMBER_TEXT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+")


@dataclass(frozen=True)
class Token:
    """A token of a clause: its text and its offsets in the paragraph's text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Number:
    """A number of a clause: its value, where it stands (``end``: after its measure word, if
    any), the index of the token it starts in, its measure word and its kind."""

    value: int | float
    start: int
    end: int
    index: int
    measure: str | None
    kind: str


def is_year_token(text: str) -> bool:
    """True for a four-digit year such as 2023."""
    return _YEAR_TOKEN.match(text) is not None


def sentences(text: str, rules: FigureRules) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for each sentence of ``text`` that can state a figure; a very long one
    is cut at its clause marks into pieces of at most ``MAX_SENTENCE`` characters."""
    for match in _SENTENCE.finditer(text):
        for offset, piece in pieces(match.start(), match.group()):
            if rules.may_state_figure(piece):
                yield offset, piece


def pieces(offset: int, sentence: str) -> Iterator[tuple[int, str]]:
    """The sentence in pieces of at most ``MAX_SENTENCE`` characters, cut after a clause mark
    where there is one in reach, else hard (iterative: no depth grows with the text)."""
    start = 0
    while len(sentence) - start > MAX_SENTENCE:
        window = sentence[start + MAX_SENTENCE // 2 : start + MAX_SENTENCE]
        marks = [m.end() for m in _CLAUSE_MARK.finditer(window)]
        cut = start + MAX_SENTENCE // 2 + marks[-1] if marks else start + MAX_SENTENCE
        yield offset + start, sentence[start:cut]
        start = cut
    if start < len(sentence):
        yield offset + start, sentence[start:]


def clauses(tokens: list[Token]) -> Iterable[list[Token]]:
    """Tokens cut at clause marks (，。；…); a comma between digits ("2,637") is no mark."""
    clause: list[Token] = []
    for i, token in enumerate(tokens):
        thousands = (
            token.text == "," and 0 < i < len(tokens) - 1 and tokens[i - 1].text[-1:].isdigit()
            and re.fullmatch(r"\d{3}(?:\D.*)?", tokens[i + 1].text) is not None
        )
        if token.text in CLAUSE_END and not thousands:
            if clause:
                yield clause
            clause = []
        else:
            clause.append(token)
    if clause:
        yield clause


def number_value(text: str) -> int | float:
    """The value of an Arabic or Chinese numeral. Raises ``ValueError`` for an over-long one."""
    if len(text) > 15:
        raise ValueError("too long for a count")
    if _ARABIC.fullmatch(text):
        return float(text) if "." in text else int(text)
    import cn2an

    return cn2an.cn2an(text, "smart")


def numbers(text: str, clause: list[Token], rules: FigureRules) -> list[Number]:
    """Numbers of a clause, read from its text (so that "2,637" and "两千六百三十七", which jieba
    cuts into several tokens, stay one number), each placed at the token where it starts."""
    found: list[Number] = []
    measure_re = rules.measure_pattern
    starts = [t.start for t in clause]
    for match in _NUMBER_TEXT.finditer(text, clause[0].start, clause[-1].end):
        start, end, raw = match.start(), match.end(), match.group()
        i = bisect_right(starts, start) - 1
        if i < 0 or start >= clause[i].end:
            continue  # between tokens: not part of the clause's words
        measure = measure_re.match(text, end)
        if not raw[0].isdigit():
            if measure is None or not _CHINESE_DIGIT.search(raw) or (start > 0 and text[start - 1].isdigit()):
                continue  # 一是…, 统一…: Chinese numerals count only with a measure word
        kind = _non_count_kind(text, start, end, raw, rules)
        if kind is None and measure is None and _table_cell(text, start, raw, rules):
            kind = "number"
        if kind is None:
            if measure is not None:
                kind = rules.measure_kind(measure.group(1)) or "count"
            elif _STANDS_ALONE.match(text, end):
                kind = "count"
            else:
                kind = "number"
        stop = measure.end() if measure else end
        try:
            value = number_value(raw.replace(",", ""))
        except ValueError:
            continue
        found.append(Number(value, start, stop, i, measure.group(1) if measure else None, kind))
    return found


_AFTER_UNIT = re.compile(r"(?:条|件|项|个|次|元|万元|人次|人|份)\s*(?:\d+\s+)*$")


def _table_cell(text: str, start: int, raw: str, rules: FigureRules) -> bool:
    """True for digits that read as a statistics table's cells run into the text, not as a
    statement: a run with a leading zero ("003"), or digits after a unit word, maybe after
    other such digits, with no measure word after them ("答复数 条 003", "主动公开政府信息数
    条 2543 78967")."""
    if len(raw) > 1 and raw[0] == "0" and raw[1].isdigit():
        return True
    return _AFTER_UNIT.search(text, max(0, start - 40), start) is not None


_AFTER_WINDOW = 40  # characters after a number its "after" patterns may look at: a run of spaces is not scanned whole


def _non_count_kind(text: str, start: int, end: int, raw: str, rules: FigureRules) -> str | None:
    for kind, after, before in rules.non_count:
        if after is not None and after.match(text, end, end + _AFTER_WINDOW):
            if kind == "year" and not is_year_token(raw):
                return "number"
            return kind
        if before is not None and before.search(text[max(0, start - 8) : start]):
            return kind
    return None
