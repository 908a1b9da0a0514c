"""Narrative figures against the tables and against each other (REPORT-FORMAT.md, "Reading the
narrative").

A figure agrees with the tables when it equals any reading of its quantity (收到 = 新收, or
新收 + 上年结转). A figure stated with a scope word (备案, 受理, 涉及, 代表) may count something
else, so its differences are warnings for review, not errors.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor import Cell, Document, Evidence, Example, Hit, Message, Position, RuleSet, hookimpl, join
from auditor.figures import Figure

rules = RuleSet()


def _where(position: Position | None) -> Message:
    if position is None:
        return Message("position unknown")
    return Message("line {line}:{column}", line=position.line, column=position.column)


def _agrees(stated: float, actual: float, figure: Figure) -> bool:
    """Equal at the precision of what was stated (万元 amounts are compared at their decimals)."""
    if figure.kind != "amount" or isinstance(stated, int):
        return stated == actual
    decimals = len(str(stated).partition(".")[2])
    return round(actual, decimals) == round(stated, decimals)


@rules.rule(
    "N001", "narrative-table-mismatch", "error",
    "A count the narrative states (e.g. 行政复议 1 项) differs from the table cell(s) it names.", kind="narrative_table",
    source="the narrative's counts against 表二–表四 (REPORT-FORMAT.md, “Reading the narrative”)",
    examples=[
        Example(True, file="corpora/html/2019-shanghai-govoffice-page.html", note="“无法提供265件” beside 337 in the table"),
        Example(True, paragraphs=["全年因政府信息公开被申请行政复议 1 件。"]),
        Example(False, paragraphs=["全年因政府信息公开被申请行政复议 1 件。"], cells={"review.upheld": 1, "review.total": 1}),
    ],
    rationale=(
        "Severity: error; warning with a scope word or a partial match. A count the narrative states, "
        "resolved to a template quantity, differs from the table. A quantity may have several readings "
        "(收到 N 件 is 新收, or 新收 + 上年结转); the figure agrees when it equals any. Category totals with no "
        "subtotal row (不予公开, 无法提供, 不予处理, 其他处理) are compared with the sum of their rows; 行政诉讼 with the sum "
        "of both litigation groups. Amounts in 万元 are compared at the precision stated. When the stated "
        "value equals one sub-row or another column instead, the finding is a warning that names that "
        "cell. With a scope word in the clause (备案, 受理, 涉及, 代表), the difference is a warning for review. "
        "A count is read as a quantity only when its statement is about what the quantity counts (the "
        "counted noun, the measure word, the sentence and the section it stands in: "
        "`auditor/figures/linking.py`); a 总计 left blank is replaced by its parts' sum, and the message "
        "says so. Statements of absence (\"未发生行政诉讼\") are claims: `C001`."
    ),
)
def narrative_table_mismatch(document: Document) -> Iterator[Hit]:
    for figure in document.figures:
        if not figure.comparable or figure.kind == "absence":  # denials are claims (C001)
            continue
        readings = document.readings(figure.key)  # type: ignore[arg-type]
        if not readings or any(_agrees(figure.value, r.total, figure) for r in readings):
            continue
        reading = readings[0]
        cells = list(reading.cells)
        part = _matching_part(document, figure, cells)
        label = document.template.label(figure.key)  # type: ignore[arg-type]
        places = join(_where(c.position) for c in cells[:3]) + (" …" if len(cells) > 3 else "")
        message = Message("narrative states {label} {value} (“{text}”) but the table gives {total} ({places})",
                          label=label, value=figure.value, text=figure.text, total=reading.total, places=places)
        if reading.filled:
            message += Message("; {cells} is blank, its parts add up to that",
                               cells=join(document.template.label(k) for k in reading.filled))
        if part is not None:
            message += Message("; {value} is only {part} ({where})", value=figure.value,
                               part=document.template.label(part.key), where=_where(part.position))
        regrouped = _regrouped_rows(document, figure)
        if regrouped:
            message += Message("; the sentence names {rows}, which the table gives as {sum}: the narrative groups them "
                               "otherwise than the template", rows=join(document.template.label(c.key) for c in regrouped),
                               sum=" + ".join(f"{c.value:g}" for c in regrouped))
        evidence = (Evidence.of_figure(figure), *(Evidence.of_cell(c) for c in cells))
        yield Hit(message, figure.position, evidence, "warning" if figure.scope or part or regrouped else None)


def _regrouped_rows(document: Document, figure: Figure) -> list[Cell]:
    """表三 outcome rows that the figure's sentence names after it ("不予公开2件，分别属于本机关不掌握相关政府信息
    及行政执法案卷"), when one of them is of another group than the figure's and their 总计 cells add up to
    the figure: the narrative counts them under another heading than the template (平潭 市场监督管理局 2022)."""
    key = figure.key or ""
    if not key.startswith("requests.") or document.template.generation == "pre2019":
        return []
    group = key.split(".")[1]
    text = document.report.paragraphs[figure.paragraph].text
    end = min((i for c in "。；;" if (i := text.find(c, figure.end)) >= 0), default=len(text))
    tail = text[figure.end : end]
    named = [row for row in document.template.request_rows
             if row.group and any(len(w) >= 4 and w in tail for w in row.labels)]
    cells = [document.report.cells.get(f"requests.{row.key}.total") for row in named]
    if (not named or all(row.group == group for row in named)
            or any(c is None or c.value is None for c in cells)
            or sum(c.value for c in cells) != figure.value):  # type: ignore[union-attr,misc]
        return []
    return cells  # type: ignore[return-value]


def _matching_part(document: Document, figure: Figure, cells: list[Cell]) -> Cell | None:
    """A cell of the reading (a sub-row) or of the same row (another column) equal to the figure:
    a category quoted from one of its parts (REPORT-FORMAT.md)."""
    candidates = list(cells) if len(cells) > 1 else []
    for cell in cells:
        prefix = cell.key.rpartition(".")[0]
        candidates += [c for k, c in document.report.cells.items() if k.startswith(prefix + ".") and k != cell.key]
    return next((c for c in candidates if c.value is not None and c.value == figure.value and c.value != 0), None)


@rules.rule(
    "N002", "narrative-self-contradiction", "error",
    "The narrative states the same quantity twice with different values (e.g. 行政复议 0 项 … 行政复议 1 项).", kind="narrative_narrative",
    source="the narrative against itself",
    examples=[
        Example(True, paragraphs=["因政府信息公开申请行政复议 0 项。", "其中因依申请公开行政复议 1 项，行政复议 1 件。"]),
        Example(False, paragraphs=["因政府信息公开申请行政复议 0 项。", "未发生政府信息公开行政复议。"]),
    ],
    rationale=(
        "Severity: error; warning with a scope word. The narrative states the same quantity twice with "
        "different values (\"行政复议 0 项\" in 一(一), \"其中行政复议 1 项\" in 一(二)). Reported once per differing value, "
        "at its first statement, citing the first statement of the quantity."
    ),
)
def narrative_self_contradiction(document: Document) -> Iterator[Hit]:
    by_key: dict[str, list[Figure]] = {}
    for figure in document.figures:
        if figure.comparable:
            by_key.setdefault(figure.key, []).append(figure)  # type: ignore[arg-type]
    for key, figures in by_key.items():
        first = figures[0]
        reported = {first.value}
        for figure in figures[1:]:
            if figure.value in reported:
                continue
            reported.add(figure.value)
            label = document.template.label(key)
            yield Hit(
                Message("narrative states {label} {value} (“{text}”) but {first} at {where} (“{first_text}”)",
                        label=label, value=figure.value, text=figure.text, first=first.value,
                        where=_where(first.position), first_text=first.text),
                figure.position,
                (Evidence.of_figure(figure), Evidence.of_figure(first)),
                "warning" if figure.scope or first.scope else None,
            )


def _statements(document: Document, keys: tuple[str, ...]) -> dict[str, Figure]:
    """The first comparable statement of each of ``keys`` in the narrative."""
    stated: dict[str, Figure] = {}
    for figure in document.figures:
        if figure.comparable and figure.key in keys:
            stated.setdefault(figure.key, figure)
    return stated


def _fits(candidate, keys, stated) -> bool:
    return all(candidate[keys.index(k)] == f.value for k, f in stated.items())


@rules.rule(
    "N003", "narrative-fits-no-reading", "error",
    "A table row ran together in flattened text and is unreadable, and no split of its digits "
    "gives the figures the narrative states for it (a warning when a scope word such as 清理 or 备案 "
    "stands with a figure).", kind="narrative_table",
    source="表二 and the narrative, where a flattened row is unreadable",
    examples=[
        Example(True, file="corpora/flattened/2023-pingtan-page.txt", note="“现行有效行政规范性文件393件” beside the digits 77132470"),
        Example(False, file="corpora/flattened/2022-pingtan-page.txt"),
    ],
    rationale=(
        "A row of a flattened crawl ran together (\"行政规范性文件77132470\") and stays unreadable because several "
        "splits fit the template's arithmetic; but the narrative states figures for that row "
        "(\"现行有效行政规范性文件393件\", \"制发的规范性文件77件\") that no split gives. The narrative and the table cannot both "
        "be right, whatever the table said."
    ),
)
def narrative_fits_no_reading(document: Document) -> Iterator[Hit]:
    for row in document.report.unreadable:
        stated = _statements(document, row.keys)
        if stated and not any(_fits(c, row.keys, stated) for c in row.candidates):
            said = join(f"{document.template.label(k)} {f.value}" for k, f in stated.items())
            first = min(stated.values(), key=lambda f: f.position)
            yield Hit(
                Message("narrative states {said}, but none of the {count} readings of the run-together digits "
                        "'{digits}' ({where}) gives that", said=said, count=len(row.candidates), digits=row.text,
                        where=_where(row.position)),
                first.position,
                tuple(Evidence.of_figure(f) for f in stated.values()),
                "warning" if any(f.scope for f in stated.values()) else None,
            )


@rules.rule(
    "N004", "narrative-settles-reading", "info",
    "A table row ran together in flattened text and is unreadable, but only one split of its "
    "digits gives the figures the narrative states: that reading is shown, the cells stay unread.", kind="reading",
    source="表二 and the narrative, where a flattened row is unreadable",
    examples=[
        Example(True, file="corpora/flattened/2022-pingtan-page.txt", note="8855698 with “现行有效…698件” and “制发…88件”: 88 | 55 | 698"),
        Example(False, file="corpora/flattened/2023-pingtan-page.txt"),
    ],
    rationale=(
        "The same situation, but exactly one split gives what the narrative states (\"8855698\" with "
        "\"现行有效…698件\" and \"制发…88件\" can only be 88 | 55 | 698). The reading is shown for review; the cells "
        "stay unread (status `missing`), since it rests on the narrative, not on the table."
    ),
)
def narrative_settles_reading(document: Document) -> Iterator[Hit]:
    for row in document.report.unreadable:
        stated = _statements(document, row.keys)
        fitting = [c for c in row.candidates if _fits(c, row.keys, stated)] if stated else []
        if len(fitting) == 1:
            reading = " | ".join(f"{document.template.label(k)} {v}" for k, v in zip(row.keys, fitting[0]))
            yield Hit(Message("the narrative settles the digits '{digits}' as {reading}", digits=row.text, reading=reading),
                      row.position,
                      tuple(Evidence.of_figure(f) for f in stated.values()))


@rules.rule(
    "N005", "breakdown-sum", "error",
    "A whole the narrative breaks down into parts (“共公布政府信息2599条，其中…，其他…856条”) does not "
    "match them: the parts of an exhaustive list (one part is 其他, 分别为, or their shares make 100%) "
    "do not add up to the whole, or a part is larger than the whole. Parts of a list that may be a "
    "selection adding up to more than the whole is a warning.", kind="itemised_sum",
    source="the narrative's breakdowns (REPORT-FORMAT.md, “a list whose parts miss the stated whole”)",
    examples=[
        Example(True, year=2023, paragraphs=["2023年我局共在“平潭综合实验区党工委管委会”门户网站公开政府信息79条，其中突发公共事件的应急预案、预警信息及应对情况7条；重大建设项目的批准和实施情况1条；国民经济和社会发展规划、专项规划、区域规划及相关政策1条；环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况6条；扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况1条；其他应主动公开的政府信息62条。"], note="2023 平潭 人民检察院: the listed categories make 78"),
        Example(False, year=2022, paragraphs=["全年我局共收到政府信息公开申请11件，其中网络申请5件，信函申请6件，申请内容涉及物业管理、工程验收、城市建设和征地拆迁等。"], note="2022 平潭 交通局"),
        Example(True, file="corpora/pre2019/2012-pingtan-county-page.txt",
                note="制作、获取 3978 = 主动公开 2026 + 依申请公开 46 + 不予公开 1854 = 3926"),
        Example(False, file="corpora/pre2019/2013-pingtan-county-page.txt", note="3618 = 1853 + 107 + 1658"),
        Example(True, file="corpora/pre2019/2014-pingtan-page.txt",
                note="(二) 主要类别 594 + 281 + … + 946 = 2641 against (一)'s 2543 主动公开"),
        Example(False, file="corpora/pre2019/2015-pingtan-page.txt", note="(二) 主要类别 add up to (一)'s 2949"),
    ],
    rationale=(
        "Severity: error; warning for a list that may be a selection. The narrative breaks a whole into "
        "parts (\"共公布政府信息2599条，(其中机构职能类信息25条，…，其他应主动 公开政府信息856条)\"; \"办结 81 件。其中，予以公开 42 件，…\" across two "
        "sentences) and they disagree: the parts of an exhaustive list — one part is 其他 (the rest), they "
        "follow 分别为, their shares make 100 %, or they name every member of a partition (the three 公开属性 主动公开, 依申请公开, 不予公开 of 制作、获取政府信息总数: `[[partition]]` in figures.toml) — do not add up to the whole, or one part is larger than "
        "the whole. The parts of a list that may be a selection (no 其他, shares of the main categories "
        "only) adding up to more than the whole is a warning. A list ends at the end of its sentence (unless its parts all have shares short of 100 % and the next sentence goes on with parts and shares), at "
        "a count that opens a list of its own, at a new total (\"；共办理…\") or at a count of another table's "
        "quantity. A list ending 等 (\"…公示公告信息17条等\") may leave parts out: only parts adding up to more than the "
        "whole contradict it. A list of 主动公开 categories ending with the template's 其他应主动公开的政府信息 that no word "
        "ties to a whole (\"(二)主要类别…其中公示公告类71条，…，其他应主动公开的政府信息6条\") is held to the year's 主动公开 "
        "count printed before it (\"(一)…主动公开政府信息389条\"; its clause names no channel or group, it is no part of "
        "another list and no cumulative count; `auditor/categories.py`): parts adding up to more than it contradict it."
    ),
)
def breakdown_sum(document: Document) -> Iterator[Hit]:
    for breakdown in document.breakdowns:
        whole, parts = breakdown.whole, breakdown.parts
        total = sum(p.figure.value for p in parts)
        evidence = (Evidence.of_figure(whole), *(Evidence.of_figure(p.figure) for p in parts))
        largest = max(parts, key=lambda p: p.figure.value)
        if largest.figure.value > whole.value:
            yield Hit(Message("“{part}” is a part of “{whole}” but larger than it", part=largest.figure.text, whole=whole.text),
                      whole.position, evidence)
        elif breakdown.exhaustive and len(parts) >= 2 and total != whole.value and not (breakdown.etc and total < whole.value):
            why = {"其他": Message("one of them is 其他"), "分别": Message("分别为"),
                   "shares": Message("their shares make 100%"),
                   "partition": Message("they name every 公开属性: 主动公开, 依申请公开, 不予公开")}[breakdown.exhaustive]
            yield Hit(Message("the {count} parts of “{whole}” ({why}) add up to {total}, not {value}", count=len(parts),
                              whole=whole.text, why=why, total=total, value=whole.value),
                      whole.position, evidence)
        elif len(parts) >= 2 and total > whole.value:
            yield Hit(Message("the {count} parts listed for “{whole}” add up to {total}, more than {value}",
                              count=len(parts), whole=whole.text, total=total, value=whole.value),
                      whole.position, evidence, "warning")


def _share_agrees(computed: float, stated: int | float) -> bool:
    """True when ``stated`` is ``computed`` rounded or truncated to the decimals printed."""
    decimals = len(str(stated).partition(".")[2]) if isinstance(stated, float) else 0
    step = 10.0 ** -decimals
    return abs(computed - stated) <= step / 2 + 1e-9 or 0 <= computed - stated < step - 1e-9


@rules.rule(
    "N006", "share-mismatch", "warning",
    "A share stated for a part of a breakdown (占 34.8%), for parts a list names before it (主动公开的政府信息"
    "占98.55%) or a rate (办结率 100%) is not the part over the whole, at the rounding or the truncation of "
    "the stated value.", kind="itemised_sum",
    source="the narrative's shares and rates",
    examples=[
        Example(True, year=2024, paragraphs=["全年共受理政府信息公开申请117件，办结171件，办结率100%。"]),
        Example(False, year=2024, paragraphs=["2022年，我局通过关联12345平台受理群众诉求累计受理2840件，已办理2840件，办理率100%。"]),
    ],
    rationale=(
        "A share stated for a part of a breakdown, or a rate (\"办结率 100%\" over the counts before it), is "
        "not the part over the whole at the rounding or the truncation of the stated value (34.8% allows "
        "34.75–34.85 rounded and 34.80–34.89 truncated). A share in the list's sentence or the next whose "
        "subject names only members of a partition the list names once each (\"主动公开的政府信息占98.55%\", "
        "\"主动公开及依申请公开政府信息占比90.62%\") is of those parts' sum over the list's whole."
    ),
)
def share_mismatch(document: Document) -> Iterator[Hit]:
    for breakdown in document.breakdowns:
        whole = breakdown.whole.value
        for part in breakdown.parts:
            if part.share is None or not whole:
                continue
            computed = part.figure.value / whole * 100
            if not _share_agrees(computed, part.share.value):
                yield Hit(
                    Message("“{part}” over {whole} is {computed:.2f}%, not the stated {stated}%", part=part.figure.text,
                            computed=computed, whole=whole, stated=part.share.value),
                    part.share.position,
                    (Evidence.of_figure(part.figure), Evidence.of_figure(part.share), Evidence.of_figure(breakdown.whole)),
                )
    for rate in document.rates:
        if rate.whole.value and not _share_agrees(rate.part.value / rate.whole.value * 100, rate.rate.value):
            computed = rate.part.value / rate.whole.value * 100
            yield Hit(
                Message("“{rate}”: “{part}” over “{whole}” is {computed:.2f}%", rate=rate.rate.text, part=rate.part.text,
                        whole=rate.whole.text, computed=computed),
                rate.rate.position,
                (Evidence.of_figure(rate.part), Evidence.of_figure(rate.rate), Evidence.of_figure(rate.whole)),
            )
    for named in document.named_shares:
        computed = sum(p.value for p in named.parts) / named.whole.value * 100
        if not _share_agrees(computed, named.share.value):
            yield Hit(
                Message("“{subject}” ({parts}) over {whole} is {computed:.2f}%, not the stated {stated}%",
                        subject=named.subject, parts=" + ".join(p.text for p in named.parts), whole=named.whole.text,
                        computed=computed, stated=named.share.value),
                named.share.position,
                (*(Evidence.of_figure(p) for p in named.parts), Evidence.of_figure(named.share),
                 Evidence.of_figure(named.whole)),
            )


@hookimpl
def auditor_register_rules(register):
    """Rules N001–N006."""
    register(*rules)
