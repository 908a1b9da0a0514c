"""Claims in words against the tables (REPORT-FORMAT.md, "Reading the narrative": "均获维持",
"零败诉", "未收到申请" contradict a table with 尚未审结/纠正 > 0 or 新收 > 0).

A claim is a statement with a value: "均获维持" says 纠正, 其他 and 尚未审结 are 0 for the cases it
speaks of; "均已办结" says nothing was carried forward; a denial ("未收到政府信息公开申请",
"未发生因政府信息公开引起的行政复议") says its quantity is 0. Each is checked against the cells it
speaks of; a claim stated with a scope word (代表, 受理 …) or a qualifier that lets it mean
something narrower ("均已按要求办理完成") is a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor import Document, Evidence, Example, Hit, Message, RuleSet, hookimpl, join
from auditor_builtin.samples import TWO_GRANTED

rules = RuleSet()


@rules.rule(
    "C001", "claim-contradicts-table", "error",
    "A claim in words contradicts the tables: “均获维持” or “零败诉” beside 表四 cases 纠正, 其他结果 or "
    "尚未审结; “均已办结” beside 结转下年度; “全部予以公开” beside other outcomes; a denial (“未收到…申请”, "
    "“未发生…行政复议”) beside a count that is not 0.", kind="claim_in_words",
    source="REPORT-FORMAT.md, “Reading the narrative”: claims in words against 表三 and 表四",
    examples=[
        Example(True, file="corpora/html/2019-shanghai-govoffice-page.html", note="“均获维持” beside 尚未审结 2"),
        Example(True, paragraphs=["信息公开类行政复议7件，均获维持。"], cells={"review.upheld": 5, "review.pending": 2, "review.total": 7}),
        Example(False, paragraphs=["信息公开类行政复议7件，均获维持。"], cells={"review.upheld": 7, "review.total": 7}),
        Example(False, paragraphs=["通过12345平台受理群众诉求2840件，均已办结。"], cells={**TWO_GRANTED, "requests.carried_forward.natural_person": 1, "requests.carried_forward.total": 1, "requests.new.natural_person": 3, "requests.new.total": 3}, note="a claim about hotline calls, not requests"),
    ],
    rationale=(
        "Severity: error; warning with a scope word. A claim in words contradicts the tables: \"均获维持\" or "
        "\"零败诉\" beside 表四 cases 纠正, 其他结果 or 尚未审结 (for the groups the sentence names: 复议, 诉讼; all when it "
        "names none); \"均已办结\" beside 结转下年度; \"全部予以公开\" beside other outcomes; a denial (\"未收到政府信息公开申请\", "
        "\"未发生因政府信息 公开引起的行政复议\") beside a count that is not 0. Claims are read only where the sentence or "
        "its section is about requests or disclosure cases (\"均已办结\" of 12345 hotline calls is not one)."
    ),
)
def claim_contradicts_table(document: Document) -> Iterator[Hit]:
    template = document.template
    for claim in document.claims:
        against = []
        for pattern in claim.zero:
            for key in template.expand(pattern) if "*" in pattern else [pattern]:
                value = document.cell_value(key)
                if value is not None and value[0] != 0:
                    against.append((key, value))
        if not against:
            continue
        said = join((f"{template.label(k)} {v[0]}" for k, v in against), "; ")
        message = (Message("the narrative says “{text}” ({claim}) but the table gives {said}", text=claim.text,
                           claim=claim.label, said=said) if claim.label != claim.text
                   else Message("the narrative says “{text}” but the table gives {said}", text=claim.text, said=said))
        yield Hit(
            message,
            claim.position,
            (Evidence("narrative", claim.name, 0, claim.position, claim.text),
             *(Evidence.of_cell(c) for _, v in against for c in v[1])),
            "warning" if claim.weak else None,
        )
    for figure in document.figures:
        if figure.kind != "absence" or not figure.comparable:
            continue
        readings = document.readings(figure.key)  # type: ignore[arg-type]
        if not readings or any(r.total == 0 for r in readings):
            continue
        reading = readings[0]
        yield Hit(
            Message("the narrative says “{text}” (none) but the table gives {label} {total}", text=figure.text,
                    label=template.label(figure.key), total=reading.total),  # type: ignore[arg-type]
            figure.position,
            (Evidence.of_figure(figure), *(Evidence.of_cell(c) for c in reading.cells)),
            "warning" if figure.scope else None,
        )


@hookimpl
def auditor_register_rules(register):
    """Rule C001."""
    register(*rules)
