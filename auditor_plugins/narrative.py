"""Narrative figures against the tables and against each other (REPORT-FORMAT.md, "Reading the
narrative").

A figure agrees with the tables when it equals any reading of its quantity (收到 = 新收, or
新收 + 上年结转). A figure stated with a scope word (备案, 受理, 涉及, 代表) may count something
else, so its differences are warnings for review, not errors.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.audit import Document
from auditor.figures import Figure
from auditor.findings import Evidence, Hit, RuleSet
from auditor.hookspecs import hookimpl
from auditor.model import Cell, Position

rules = RuleSet()


def _where(position: Position | None) -> str:
    return f"line {position.line}:{position.column}" if position else "position unknown"


def _agrees(stated: float, actual: float, figure: Figure) -> bool:
    """Equal at the precision of what was stated (万元 amounts are compared at their decimals)."""
    if figure.kind != "amount" or isinstance(stated, int):
        return stated == actual
    decimals = len(str(stated).partition(".")[2])
    return round(actual, decimals) == round(stated, decimals)


def _readings(document: Document, key: str) -> list[tuple[float, list[Cell]]]:
    """(sum, cells) for every reading of ``key`` whose cells are all numbers."""
    found = []
    for reading in document.template.readings(key):
        cells = [document.report.cells.get(k) for k in reading]
        if reading and all(c is not None and c.value is not None for c in cells):
            found.append((sum(c.value for c in cells), cells))  # type: ignore[misc]
    return found


@rules.rule(
    "N001", "narrative-table-mismatch", "error",
    "A count the narrative states (e.g. 行政复议 1 项) differs from the table cell(s) it names.",
)
def narrative_table_mismatch(document: Document) -> Iterator[Hit]:
    for figure in document.figures:
        if not figure.comparable:
            continue
        readings = _readings(document, figure.key)
        if not readings or any(_agrees(figure.value, total, figure) for total, _ in readings):
            continue
        total, cells = readings[0]
        part = _matching_part(document, figure, cells)
        label = document.template.label(figure.key)
        places = ", ".join(_where(c.position) for c in cells[:3]) + (" …" if len(cells) > 3 else "")
        message = (
            f"narrative states {label} {figure.value} (“{figure.text}”) but the table gives {total} ({places})"
        )
        if part is not None:
            message += f"; {figure.value} is only {document.template.label(part.key)} ({_where(part.position)})"
        evidence = (Evidence.of_figure(figure), *(Evidence.of_cell(c) for c in cells))
        yield Hit(message, figure.position, evidence, "warning" if figure.scope or part else None)


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
    "The narrative states the same quantity twice with different values (e.g. 行政复议 0 项 … 行政复议 1 项).",
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
                f"narrative states {label} {figure.value} (“{figure.text}”) but {first.value} at "
                f"{_where(first.position)} (“{first.text}”)",
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
    "gives the figures the narrative states for it.",
)
def narrative_fits_no_reading(document: Document) -> Iterator[Hit]:
    for row in document.report.unreadable:
        stated = _statements(document, row.keys)
        if stated and not any(_fits(c, row.keys, stated) for c in row.candidates):
            said = ", ".join(f"{document.template.label(k)} {f.value}" for k, f in stated.items())
            first = min(stated.values(), key=lambda f: f.position)
            yield Hit(
                f"narrative states {said}, but none of the {len(row.candidates)} readings of the run-together "
                f"digits '{row.text}' ({_where(row.position)}) gives that",
                first.position,
                tuple(Evidence.of_figure(f) for f in stated.values()),
            )


@rules.rule(
    "N004", "narrative-settles-reading", "info",
    "A table row ran together in flattened text and is unreadable, but only one split of its "
    "digits gives the figures the narrative states: that reading is shown, the cells stay unread.",
)
def narrative_settles_reading(document: Document) -> Iterator[Hit]:
    for row in document.report.unreadable:
        stated = _statements(document, row.keys)
        fitting = [c for c in row.candidates if _fits(c, row.keys, stated)] if stated else []
        if len(fitting) == 1:
            reading = " | ".join(f"{document.template.label(k)} {v}" for k, v in zip(row.keys, fitting[0]))
            yield Hit(f"the narrative settles the digits '{row.text}' as {reading}", row.position,
                      tuple(Evidence.of_figure(f) for f in stated.values()))


@rules.rule(
    "N005", "breakdown-sum", "warning",
    "A whole the narrative breaks down into parts with shares (…425条政府信息中，A 148条，占34.8%；…) "
    "and the parts do not add up to it.",
)
def breakdown_sum(document: Document) -> Iterator[Hit]:
    for breakdown in document.breakdowns:
        total = sum(p.figure.value for p in breakdown.parts)
        if total != breakdown.whole.value:
            shares = round(sum(p.share.value for p in breakdown.parts), 2)
            yield Hit(
                f"the {len(breakdown.parts)} parts of “{breakdown.whole.text}” add up to {total} (shares {shares}%), "
                f"not {breakdown.whole.value}",
                breakdown.whole.position,
                (Evidence.of_figure(breakdown.whole), *(Evidence.of_figure(p.figure) for p in breakdown.parts)),
            )


@rules.rule(
    "N006", "share-mismatch", "warning",
    "A share stated for a part of a breakdown (占 34.8%) is not the part over the whole, at the "
    "rounding of the stated share.",
)
def share_mismatch(document: Document) -> Iterator[Hit]:
    for breakdown in document.breakdowns:
        whole = breakdown.whole.value
        for part in breakdown.parts:
            stated = part.share.value
            decimals = len(str(stated).partition(".")[2]) if isinstance(stated, float) else 0
            computed = part.figure.value / whole * 100 if whole else None
            if computed is not None and abs(computed - stated) > 0.5 * 10**-decimals + 1e-9:
                yield Hit(
                    f"“{part.figure.text}” is {computed:.{decimals + 1}f}% of {whole}, not the {stated}% stated",
                    part.share.position,
                    (Evidence.of_figure(part.figure), Evidence.of_figure(part.share), Evidence.of_figure(breakdown.whole)),
                )


@hookimpl
def auditor_rules():
    """Rules N001–N006."""
    return rules.rules


@hookimpl
def auditor_check(document: Document):
    """Narrative findings of one report."""
    return list(rules.check(document))
