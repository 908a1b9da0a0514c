"""Cutting a run of digits whose cell boundaries were lost into a table row's cells.

A crawler that flattens a table prints "713000074" for the 表三 row 71 | 3 | 0 | 0 | 0 | 0 | 74.
``splits`` lists the ways to cut such a run into a row's cells: whitespace in the run (ASCII or
U+3000) is a boundary every way keeps, a sign ("-15", 2019 表二 本年增/减) starts a cell, no cell
has a leading zero, a count has at most ``MAX_DIGITS`` digits, decimals only where allowed. With
``sums`` each group's last cell must be the sum of the others (a 总计), which is how the template's
arithmetic settles a run that the digits alone do not.

The search is bounded in work, not only in results: a table of which cells can still finish the
run prunes every dead end before it is entered, and a step budget stops the rest; a search cut
short says so (``complete`` is False) and proves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

MAX_DIGITS = 7  # a count has at most 7 digits (9 999 999)
MAX_DECIMALS = 8
MAX_SPLITS = 5000
MAX_STEPS = 200_000
SIGNS = "-−－"


@dataclass(frozen=True)
class Splits:
    """The ways to cut a run into cells (each a tuple of cell texts, signs kept).

    ``plain`` is how many ways there are with the arithmetic ignored (0 when the run cannot make
    the cells at all). ``complete`` is False when the limit or the work budget stopped the search:
    then ``ways`` proves nothing.
    """

    ways: list[tuple[str, ...]]
    complete: bool
    plain: int


class _Run:
    """A run prepared for cutting: its characters without whitespace, where cells must start."""

    def __init__(self, run: str, decimals: bool, signed: frozenset[int]) -> None:
        chunks = []
        for chunk in run.split():
            piece = ""
            for ch in chunk:
                if ch in SIGNS and piece:
                    chunks.append(piece)
                    piece = ""
                piece += "-" if ch in SIGNS else ch
            chunks.append(piece)
        self.text = "".join(chunks)
        starts, at = set(), 0
        for chunk in chunks:
            starts.add(at)
            at += len(chunk)
        self.starts = frozenset(starts)
        self.next_start = [min((s for s in self.starts if s > i), default=len(self.text)) for i in range(len(self.text) + 1)]
        self.decimals = decimals
        self.signed = signed
        self.width = MAX_DIGITS + 1 + (MAX_DECIMALS + 1 if decimals else 0)

    def ends(self, pos: int, cell: int, stop: int | None = None) -> list[int]:
        """Ends of every valid cell number ``cell`` starting at ``pos`` (not past ``stop``)."""
        limit = min(self.next_start[pos], len(self.text) if stop is None else stop, pos + self.width)
        return [end for end in range(pos + 1, limit + 1) if self.valid(self.text[pos:end], cell)]

    def valid(self, piece: str, cell: int) -> bool:
        if piece.startswith("-"):
            return cell in self.signed and piece != "-0" and self.valid(piece[1:], -1)
        if "." in piece:
            whole, _, fraction = piece.partition(".")
            return self.decimals and fraction.isdigit() and len(fraction) <= MAX_DECIMALS and self.valid(whole, -1)
        return piece.isdigit() and len(piece) <= MAX_DIGITS and (piece == "0" or piece[0] != "0")


def splits(
    run: str,
    groups: Sequence[int],
    sums: bool = False,
    decimals: bool = False,
    signed: Sequence[int] = (),
    limit: int = MAX_SPLITS,
    budget: int = MAX_STEPS,
) -> Splits:
    """Every way to cut ``run`` into cells: ``groups`` gives the cell count of each group ((7,)
    for a 表三 row, (5, 5, 5) for 表四); with ``sums`` each group's last cell is the sum of the
    others. ``signed`` lists the cells (0-based) that may carry a sign. Stops after ``limit``
    ways or ``budget`` steps (``complete`` False)."""
    cells = sum(groups)
    prepared = _Run(run, decimals, frozenset(signed))
    text = prepared.text
    if not text or len(text) > cells * prepared.width:
        return Splits([], True, 0)

    @lru_cache(maxsize=None)
    def count(cell: int, pos: int) -> int:
        """Ways for cells ``cell``… to cover the run from ``pos`` exactly, arithmetic ignored."""
        if cell == cells:
            return 1 if pos == len(text) else 0
        if pos >= len(text) or len(text) - pos < cells - cell:
            return 0
        return sum(count(cell + 1, end) for end in prepared.ends(pos, cell))

    plain = count(0, 0)
    found: list[tuple[str, ...]] = []
    chosen: list[str] = []
    state = {"steps": 0, "complete": True}
    if plain == 0:
        return Splits([], True, 0)

    def spend() -> bool:
        state["steps"] += 1
        if state["steps"] > budget or len(found) >= limit:
            state["complete"] = False
        return state["complete"]

    def emit() -> None:
        if len(found) >= limit:
            state["complete"] = False
        else:
            found.append(tuple(chosen))

    def plain_cells(cell: int, pos: int) -> None:
        if not spend():
            return
        if cell == cells:
            emit()
            return
        for end in prepared.ends(pos, cell):
            if count(cell + 1, end):
                chosen.append(text[pos:end])
                plain_cells(cell + 1, end)
                chosen.pop()

    @lru_cache(maxsize=None)
    def fits(cell: int, pos: int, stop: int, n: int) -> bool:
        """Can ``n`` cells from number ``cell`` cover exactly ``pos``…``stop``?"""
        if n == 0:
            return pos == stop
        return any(fits(cell + 1, end, stop, n - 1) for end in prepared.ends(pos, cell, stop))

    def group_cells(group: int, cell: int, pos: int) -> None:
        if not spend():
            return
        if group == len(groups):
            if pos == len(text):
                emit()
            return
        parts = groups[group] - 1
        total_cell = cell + parts
        for total_start in range(pos + parts, len(text)):
            if not state["complete"]:
                return
            if not fits(cell, pos, total_start, parts):
                continue
            for end in prepared.ends(total_start, total_cell):
                if count(total_cell + 1, end):
                    total = text[total_start:end]
                    sum_cells(cell, pos, total_start, parts, _number(total),
                              lambda t=total, e=end: _then(t, e, group, total_cell))

    def _then(total: str, end: int, group: int, total_cell: int) -> None:
        chosen.append(total)
        group_cells(group + 1, total_cell + 1, end)
        chosen.pop()

    def sum_cells(cell: int, pos: int, stop: int, n: int, target: float, then) -> None:
        if not spend():
            return
        if n == 0:
            if pos == stop and abs(target) < 1e-9:
                then()
            return
        for end in prepared.ends(pos, cell, stop):
            piece = text[pos:end]
            if fits(cell + 1, end, stop, n - 1):
                chosen.append(piece)
                sum_cells(cell + 1, end, stop, n - 1, target - _number(piece), then)
                chosen.pop()

    if sums:
        group_cells(0, 0, 0)
    else:
        plain_cells(0, 0)
    return Splits(found, state["complete"], plain)


def _number(piece: str) -> float:
    return float(piece) if "." in piece else int(piece)


def likeliest(run: str, groups: Sequence[int], decimals: bool = False, signed: Sequence[int] = ()) -> tuple[str, ...] | None:
    """Of the plain ways to cut ``run`` (arithmetic ignored), the one whose groups come nearest to
    adding up (each group's last cell against the sum of the others); None when there is none or
    too many to look at."""
    plain = splits(run, groups, decimals=decimals, signed=signed)
    if not plain.ways or not plain.complete:
        return None

    def gap(way: tuple[str, ...]) -> tuple[float, int]:
        off, at = 0.0, 0
        for size in groups:
            group = [_number(v) for v in way[at : at + size]]
            off += abs(group[-1] - sum(group[:-1]))
            at += size
        return off, max(len(v) for v in way)

    return min(plain.ways, key=gap)
