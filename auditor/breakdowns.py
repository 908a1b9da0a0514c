"""Wholes the narrative breaks down into parts, and rates it states.

"共公布政府信息2599条，(其中机构职能类信息25条，…，其他应主动公开政府信息856条)" states a whole (2599 条)
and its parts; so does "在主动公开的425条政府信息中，机构职能…148条，占34.8%；…" with a share for
each part, and "办结 81 件。其中，予以公开 42 件，…" across two sentences. A list is *exhaustive* —
its parts must add up to the whole (REPORT-FORMAT.md: "Itemised prose should add up to its total")
— when one part is 其他 (the rest), when the parts are introduced by 分别为, or when their shares
make 100 %; otherwise it may be a selection ("其中政策文件 30 条…", or shares of the main
categories only), and only a part, or parts, larger than the whole contradict it. Shares are checked against part / whole at the rounding or
the truncation of the stated value.

"受理 117 件，办结 171 件，办结率 100%" states a rate: 办结 over the count before it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from auditor.figures import Figure
from auditor.figures.rules import load_rules
from auditor.model import Report

# What follows a whole and opens its list: "…425条政府信息中，", "，其中：", "（其中", "，分别为"
# (used with match(text, pos): each alternative is anchored where the whole ends)
_OPENS_AFTER = re.compile(r"[^，。；,;！？]{0,16}中\s*[，,：:]|\s*[，,；;]?\s*[（(]?\s*(其中|分别为|分别是|分别)\s*[：:，,]?")
_OPENS_NEXT_SENTENCE = re.compile(r"\s*[（(]?\s*其中\s*[：:，,]?")
_SENTENCE_END = re.compile(r"[。！？!?]")
_SHARE_LINK = re.compile(r"\s*[，,]?\s*[（(]?\s*(?:占(?:比|总数的|全部的|总量的)?|比例为)?\s*$")
_OTHER = re.compile(r"[\s，,；;、：:（(]*(?:其中|以及|和|及)?\s*(?:其他|其它|其余)")  # a part named 其他: the rest
# A count of a property some of the items have, not a part of them ("在主动公开的65条政府信息中，全文电子化的
# 主动公开信息数共57条，为民办实事类信息13条": 57 of the 65 are in full text, 13 are one category)
_PROPERTY = re.compile(r"全文电子化")
_ETC = re.compile(r"\s*[）)]?\s*等")  # a list ending "…17条等" names some parts, not all
_ENUMERATED = re.compile(r"[^，,。；;]{0,12}、[^，,。；;]{0,12}")  # between two items of one enumeration
_NEW_TOTAL = re.compile(r"[\s，,；;]*(?:共|合计|总计|累计)")  # "；共办理 718 件": a new statement
_RATE = re.compile(r"([\u4e00-\u9fff]{2})率\s*(?:为|达到?|达)?\s*$")


@dataclass(frozen=True)
class Part:
    """A part of a breakdown: its figure, the share stated for it (None when none) and the
    words that name it (the text since the previous part, its own figure's words included)."""

    figure: Figure
    share: Figure | None
    label: str


@dataclass(frozen=True)
class Breakdown:
    """A whole and its parts. ``exhaustive`` says why the parts are meant to cover the whole
    ("其他", "分别", "shares"), or is None when they may be a selection; ``etc`` is True when the
    list ends in 等 ("…其他文件共2条；…公示公告信息17条等"): parts may be left out, so only parts
    that add up to more than the whole contradict it."""

    whole: Figure
    parts: tuple[Part, ...]
    exhaustive: str | None
    etc: bool = False


@dataclass(frozen=True)
class Rate:
    """A stated rate ("办结率 100%"): the share, the count it is of (办结 171 件) and the count
    before that it is over (受理 117 件)."""

    rate: Figure
    part: Figure
    whole: Figure


@dataclass(frozen=True)
class NamedShare:
    """A share whose subject names members of a partition listed just before it, over the list's
    whole: "…总数70条，其中主动公开政府信息69条，作为依申请公开信息数1条，不予公开信息数0。主动公开的政府信息
    占98.55%。" states 69 over 70; "…主动公开及依申请公开政府信息占比高达90.62%" the sum of two parts.
    ``parts`` are the named parts' figures, ``subject`` the words before 占."""

    share: Figure
    parts: tuple[Figure, ...]
    whole: Figure
    subject: str


def extract_breakdowns(report: Report, figures: tuple[Figure, ...]) -> tuple[Breakdown, ...]:
    """Every breakdown of the narrative that has at least one part: those a whole opens
    ("…共 N 条，其中…"), and lists of parts with shares whose whole the shares point at."""
    found = list(_opened(report, figures))
    taken = {id(p.figure) for b in found for p in b.parts}
    found += [b for b in _by_shares(report, figures) if not any(id(p.figure) in taken for p in b.parts)]
    return tuple(sorted(found, key=lambda b: (b.whole.paragraph, b.whole.start)))


def _opened(report: Report, figures: tuple[Figure, ...]) -> list[Breakdown]:
    found = []
    for index, items in _by_paragraph(figures).items():
        text = report.paragraphs[index].text
        for i, whole in enumerate(items):
            if whole.kind != "count":
                continue
            if i and items[i - 1].kind == "count" and _ENUMERATED.fullmatch(text, items[i - 1].end, whole.start):
                continue  # "信函3件、网络申请1件，其中，…4件": 其中 follows a list's last item, not a whole
            opened = _opening(text, whole)
            if opened is None:
                continue
            start, marker = opened
            following = [f for f in items[i + 1 :] if f.start >= start]
            if following and following[0].kind == "count" and _opening(text, following[0]) is not None:
                continue  # "…61条政府信息中，…共61条，其中:…": the inner whole owns the list
            parts = _parts(text, whole, start, following)
            if parts:
                last = parts[-1].share or parts[-1].figure
                etc = _ETC.match(text, last.end) is not None  # "…公示公告信息17条等。": some parts may be left out
                found.append(Breakdown(whole, tuple(parts), _exhaustive(parts, marker), etc))
    return found


def _by_shares(report: Report, figures: tuple[Figure, ...]) -> list[Breakdown]:
    """Lists of parts with shares that no word opens ("…答复政府信息公开申请805件…。予以公开及部分
    公开258件，占33.9%；…"): their whole is the count of this sentence or the one before whose
    value most of the shares are of (two at least, and half of them)."""
    found = []
    for index, items in _by_paragraph(figures).items():
        text = report.paragraphs[index].text
        ends = _sentence_ends(text)
        seen: set[int] = set()
        shares_before = [0]  # shares among items[:k]: a window with fewer than two cannot be a list with shares
        for f in items:
            shares_before.append(shares_before[-1] + (f.kind == "share"))
        for i, first in enumerate(items):
            if first.kind != "count" or first.start in seen:
                continue
            window = items[i : i + 3 * MAX_PARTS]  # a part, its share, what ends the list
            if shares_before[i + len(window)] - shares_before[i] < 2:
                continue
            start = _sentence_start(ends, first.start)
            probe = _parts(text, first, start, window)
            shared = [p for p in probe if p.share is not None]
            if len(shared) < 2:
                continue
            seen.update(p.figure.start for p in probe)
            before = _sentence_start(ends, max(0, start - 1))
            wholes = [f for f in items if f.kind == "count" and before <= f.start < start and f.unit == first.unit]
            scored = [(sum(_share_fits(p, w.value) for p in shared), -abs(start - w.end), w) for w in wholes]
            best = max(scored, default=None, key=lambda s: s[:2])
            if best and best[0] >= 2 and 2 * best[0] >= len(shared):
                found.append(Breakdown(best[2], tuple(probe), _exhaustive(probe, "")))
    return found


def _share_fits(part: Part, whole: float) -> bool:
    """True when the part's share is part / whole, rounded or truncated to its decimals."""
    if part.share is None or not whole:
        return False
    stated = part.share.value
    computed = part.figure.value / whole * 100
    step = 10.0 ** -(len(str(stated).partition(".")[2]) if isinstance(stated, float) else 0)
    return abs(computed - stated) <= step / 2 + 1e-9 or 0 <= computed - stated < step - 1e-9


def extract_rates(report: Report, figures: tuple[Figure, ...]) -> tuple[Rate, ...]:
    """Every rate ("办结率 100%") whose part and whole stand before it in its sentence."""
    found = []
    for index, items in _by_paragraph(figures).items():
        text = report.paragraphs[index].text
        ends = _sentence_ends(text)
        for i, share in enumerate(items):
            if share.kind != "share":
                continue
            sentence_start = _sentence_start(ends, share.start)
            match = _RATE.search(text, max(sentence_start, share.start - 12), share.start)
            if match is None:
                continue
            counts = [f for f in items[:i] if f.kind == "count" and f.start >= sentence_start]
            named = [j for j, f in enumerate(counts) if match.group(1) in text[max(sentence_start, f.start - 6) : f.end]]
            if named and named[-1] > 0 and counts[named[-1]].unit == counts[named[-1] - 1].unit:
                found.append(Rate(share, counts[named[-1]], counts[named[-1] - 1]))
    return tuple(found)


# "，主动公开的政府信息占98.55%": the subject runs from the clause's start to 占 (…的比例为, 占比高达)
_SHARE_SUBJECT = re.compile(
    r"(?:^|[，,；;。！？\s])(?P<subject>[^，,；;。！？\s]{0,30}?)\s*(?:所占比例|占比|占)"
    r"(?:全部信息的?|信息总数的?|总数的|全部的|总量的)?(?:的?比例)?\s*(?:为|达到?|高达)?\s*$"
)
_CLAUSE_BEFORE = re.compile(r"(?:^|[，,；;。！？])(?P<clause>[^，,；;。！？]{2,40})[，,]\s*$")
_COUNT = re.compile(r"(?:共|合计)?\s*\d+\s*[条件项]")
# What a subject may hold besides the members it names: "主动公开及依申请公开政府信息", "主动公开的政府信息"
_SUBJECT_FILLER = re.compile(r"政府信息|信息数|信息|以及|及|和|与|、|的|数")


def share_subject(text: str, share: Figure, clause_before: bool = False) -> str | None:
    """The words a share is stated of: its clause up to 占 ("主动公开的政府信息占98.55%" → 主动公开的政府
    信息); with ``clause_before``, a clause that is only "占…" takes the clause before it, its count
    left out ("主动公开和依申请公开的政府信息共468条，占全部信息的89.48%" → 主动公开和依申请公开的政府信息).
    None when no 占 leads to the share."""
    match = _SHARE_SUBJECT.search(text, max(0, share.start - 40), share.start)
    if match is None:
        return None
    subject = match.group("subject")
    if subject or not clause_before:
        return subject or None
    before = _CLAUSE_BEFORE.search(text, max(0, match.start() - 44), match.start() + 1)
    return _COUNT.sub("", before.group("clause")).strip() if before else None


def subject_members(subject: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """The members of a partition (``words``) a share's subject names, in the partition's order, or ()
    when it names none or holds other words than members and fillers (全文电子化的主动公开信息)."""
    members, rest = [], subject
    for word in sorted(words, key=len, reverse=True):
        if word in rest:
            members.append(word)
            rest = rest.replace(word, " ")
    if not members or _SUBJECT_FILLER.sub("", rest).strip():
        return ()
    return tuple(w for w in words if w in members)


def extract_named_shares(report: Report, figures: tuple[Figure, ...], breakdowns: tuple[Breakdown, ...],
                         rates: tuple[Rate, ...] = ()) -> tuple[NamedShare, ...]:
    """Shares stated after a breakdown, in its sentence or the next, whose subject names nothing but
    members of a partition (``[[partition]]`` in figures.toml: 主动公开, 依申请公开, 不予公开) that the
    list names once each. A count between the list and the share, a share already read as a part's
    or a rate, or a subject with other words (全文电子化的主动公开信息) is not read."""
    partitions = [words for _, words in load_rules().partitions]
    attached = {id(p.share) for b in breakdowns for p in b.parts if p.share is not None} | {id(r.rate) for r in rates}
    by_paragraph = _by_paragraph(figures)
    found = []
    for breakdown in breakdowns:
        if not breakdown.whole.value:
            continue
        text = report.paragraphs[breakdown.whole.paragraph].text
        last = breakdown.parts[-1]
        list_end = max(last.figure.end, last.share.end if last.share else 0)
        first = _SENTENCE_END.search(text, list_end)
        following = _SENTENCE_END.search(text, first.end()) if first else None
        window_end = following.end() if following else len(text)
        for figure in by_paragraph[breakdown.whole.paragraph]:
            if figure.start < list_end or id(figure) in attached:
                continue
            if figure.start >= window_end or figure.kind == "count":
                break  # another count: what follows is about it
            subject = share_subject(text, figure) if figure.kind == "share" else None
            if subject is None:
                continue
            for words in partitions:
                parts = _named_parts(subject_members(subject, words), breakdown.parts, words)
                if parts:
                    found.append(NamedShare(figure, parts, breakdown.whole, subject))
                    break
    return tuple(found)


def _named_parts(members: tuple[str, ...], parts: tuple[Part, ...], words: tuple[str, ...]) -> tuple[Figure, ...]:
    """The parts that ``members`` name (each named by one part of the list: a label's longest
    member word), or () when a member is named by none or by several."""
    named: dict[str, list[Figure]] = {}
    for part in parts:
        found = [w for w in words if w in part.label]
        if found:
            named.setdefault(max(found, key=len), []).append(part.figure)
    if not members or any(len(named.get(m, ())) != 1 for m in members):
        return ()
    return tuple(sorted((named[m][0] for m in members), key=lambda f: f.start))


def _sentence_ends(text: str) -> list[int]:
    """Offsets just after each full stop of ``text`` (found once per paragraph)."""
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def _sentence_start(ends: list[int], offset: int) -> int:
    """Where the sentence holding ``offset`` starts."""
    i = bisect_right(ends, offset)
    return ends[i - 1] if i else 0


def _by_paragraph(figures: tuple[Figure, ...]) -> dict[int, list[Figure]]:
    grouped: dict[int, list[Figure]] = {}
    for figure in figures:
        grouped.setdefault(figure.paragraph, []).append(figure)
    return grouped


def _opening(text: str, whole: Figure) -> tuple[int, str] | None:
    """Where the list of a whole starts and the word that opened it, or None when the figure
    opens no list."""
    after = _OPENS_AFTER.match(text[whole.end : whole.end + 40])  # bounded: its optional spaces cannot backtrack far
    if after:
        return whole.end + after.end(), after.group(1) or "中"
    at = whole.end
    while at < len(text) and text[at] in " ，,":
        at += 1
    if at < len(text) and _SENTENCE_END.match(text, at):  # the whole ends its sentence; "其中" opens the next
        following = _OPENS_NEXT_SENTENCE.match(text, at + 1)
        if following:
            return following.end(), "其中"
    return None


MAX_PARTS = 40  # no itemised list of a report runs longer
MAX_SPAN = 1200  # characters from the opening of a list to its last part


def _parts(text: str, whole: Figure, start: int, following: list[Figure]) -> list[Part]:
    """The counts after ``start`` in the whole's measure word, each with the share right after
    it, up to the end of the sentence the list is in; the list also ends at a count that opens a
    list of its own, states a new total (共, 合计), or counts another domain's quantity. A list
    whose every part has a share, short of 100 % together, goes on in the next sentence when every
    count there has a share too and they stay within 100 % ("其中，区直、县直各单位…1397条，占73%。
    各乡镇…534条，占27%。"). Bounded (``MAX_PARTS``, ``MAX_SPAN``)."""
    parts = _sentence_parts(text, whole, start, following)
    while parts and len(parts) < MAX_PARTS and all(p.share is not None for p in parts):
        total = sum(p.share.value for p in parts)  # type: ignore[union-attr]
        end = _SENTENCE_END.search(text, parts[-1].figure.end, parts[-1].figure.end + 40)
        if total >= 99 or end is None:
            break
        more = _sentence_parts(text, whole, end.end(), [f for f in following if f.start >= end.end()])
        if not more or any(p.share is None for p in more) or total + sum(p.share.value for p in more) > 101:  # type: ignore[union-attr]
            break
        parts += more
    return parts


def _sentence_parts(text: str, whole: Figure, start: int, following: list[Figure]) -> list[Part]:
    """The parts ``_parts`` finds in the sentence from ``start``."""
    end = _SENTENCE_END.search(text, start, start + MAX_SPAN)
    stop = end.start() if end else min(len(text), start + MAX_SPAN)
    parts: list[Part] = []
    previous, depth, counted = start, 0, start
    for figure in following:
        if figure.start >= stop or len(parts) >= MAX_PARTS:
            break
        link = text[parts[-1].figure.end : figure.start] if parts else ""
        if figure.kind == "share" and parts and parts[-1].share is None and len(link) <= 12 and _SHARE_LINK.fullmatch(link):
            parts[-1] = Part(parts[-1].figure, figure, parts[-1].label)
            previous = figure.end
            continue
        depth += _depth(text[counted : figure.start])
        counted = figure.start
        if depth < 0:
            break  # "信息14条（其中…2条；…12条）；规划计划类信息4条": the bracket the list opened in has closed
        if figure.kind != "count" or depth > 0:
            continue  # "其他处理 319 件（26.78%，含申请人主动撤回 157 件）": a part of a part
        label = text[previous : figure.start]
        if _PROPERTY.search(label):
            previous = figure.end
            continue
        unitless_zero = figure.unit is None and figure.value == 0  # "不予公开信息数0": a part with nothing in it
        if ((figure.unit != whole.unit and not unitless_zero) or _opening(text, figure) is not None or _NEW_TOTAL.match(label)
                or _domain(figure.key) not in (None, _domain(whole.key))):
            break  # another kind of thing, or another statement: the list has ended
        parts.append(Part(figure, None, label + text[figure.start : figure.end]))  # its words and its number
        previous = figure.end
    return parts


def _depth(span: str) -> int:
    """How many brackets ``span`` opens and leaves open."""
    return span.count("（") + span.count("(") - span.count("）") - span.count(")")


def _domain(key: str | None) -> str | None:
    """The table a key belongs to ("requests", "active", "appeals"), None for none."""
    if key is None:
        return None
    head = key.split(".")[0]
    return "appeals" if head in ("review", "litigation", "litigation_direct", "litigation_after_review", "appeals") else head


def _names_every(parts: list[Part], words: tuple[str, ...]) -> bool:
    """True when each part's label names one member of the partition ``words`` and each member is
    named by one part (a label's longest member word counts: 依申请公开 is not 公开)."""
    named = []
    for part in parts:
        found = [w for w in words if w in part.label]
        named.append(max(found, key=len) if found else None)
    return len(parts) == len(words) and sorted(w for w in named if w) == sorted(words)


def _exhaustive(parts: list[Part], marker: str) -> str | None:
    if len(parts) < 2:
        return None
    if any(_OTHER.match(p.label[:24]) for p in parts[1:]):
        return "其他"
    if marker.startswith("分别"):
        return "分别"
    if any(_names_every(parts, words) for _, words in load_rules().partitions):
        return "partition"  # the parts name every member of a partition (the three 公开属性)
    shares = [p.share.value for p in parts if p.share is not None]
    if len(shares) == len(parts):
        step = max(10.0 ** -len(str(v).partition(".")[2]) if isinstance(v, float) else 1.0 for v in shares)
        if abs(sum(shares) - 100) <= step * len(shares) / 2:
            return "shares"  # the shares make 100 %: the parts are all of it
    return None
