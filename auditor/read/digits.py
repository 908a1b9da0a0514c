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
    """A run prepared for cutting: its characters without whitespace, where cells must start,
    and for each position the ends of the valid cells that start there (signed and unsigned),
    computed once."""

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
        self.text = text = "".join(chunks)
        self.decimals = decimals
        self.signed = signed
        self.width = MAX_DIGITS + 1 + (MAX_DECIMALS + 1 if decimals else 0)
        self.next_start = [len(text)] * (len(text) + 1)
        starts, at = [], 0
        for chunk in chunks:
            starts.append(at)
            at += len(chunk)
        following = len(text)
        for i in range(len(text), -1, -1):  # the next cell boundary after each position
            self.next_start[i] = following
            if i in starts:
                following = i
        self._ends: dict[tuple[int, bool], list[int]] = {}

    def ends(self, pos: int, cell: int, stop: int | None = None) -> list[int]:
        """Ends of every valid cell number ``cell`` starting at ``pos`` (not past ``stop``)."""
        if pos >= len(self.text):
            return []
        key = (pos, cell in self.signed)
        found = self._ends.get(key)
        if found is None:
            found = self._ends[key] = self._valid_ends(pos, key[1])
        return found if stop is None else [end for end in found if end <= stop]

    def _valid_ends(self, pos: int, signed: bool) -> list[int]:
        """Ends of the valid cells starting at ``pos``: an optional sign, a whole number of at
        most ``MAX_DIGITS`` digits without a leading zero, decimals where allowed, never across
        a printed boundary."""
        text, limit = self.text, min(self.next_start[pos], pos + self.width)
        start = pos + 1 if text[pos] == "-" else pos
        if (start > pos and not signed) or start >= limit or not text[start].isdigit():
            return []
        if text[start] == "0":
            whole = [] if start > pos else [start + 1]  # "0", never "-0"
            last = start + 1
        else:
            last = start
            while last < limit and last - start < MAX_DIGITS and text[last].isdigit():
                last += 1
            whole = list(range(start + 1, last + 1))
        if not self.decimals:
            return whole
        fractions = []
        for end in range(start + 1, last + 1):
            if end < limit and text[end] == "." and not (text[start] == "0" and end > start + 1):
                digits = end + 1
                while digits < limit and digits - end <= MAX_DECIMALS and text[digits].isdigit():
                    digits += 1
                    fractions.append(digits)
        return sorted(whole + fractions)


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
    if not run.strip() or len(run) > cells * (MAX_DIGITS + 2 + MAX_DECIMALS + 1) * 2:
        return Splits([], True, 0)
    prepared = _Run(run, decimals, frozenset(signed))
    text = prepared.text
    if not text or len(text) > cells * prepared.width:
        return Splits([], True, 0)

    counted: dict[tuple[int, int], int] = {}

    def count(cell: int, pos: int) -> int:
        """Ways for cells ``cell``… to cover the run from ``pos`` exactly, arithmetic ignored."""
        if cell == cells:
            return 1 if pos == len(text) else 0
        if pos >= len(text) or len(text) - pos < cells - cell:
            return 0
        key = (cell, pos)
        if key not in counted:
            counted[key] = sum(count(cell + 1, end) for end in prepared.ends(pos, cell))
        return counted[key]

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

    fitting: dict[tuple[int, int, int, int], bool] = {}

    def fits(cell: int, pos: int, stop: int, n: int) -> bool:
        """Can ``n`` cells from number ``cell`` cover exactly ``pos``…``stop``?"""
        if n == 0:
            return pos == stop
        if not n <= stop - pos <= n * prepared.width:
            return False
        key = (cell, pos, stop, n)
        if key not in fitting:
            fitting[key] = any(fits(cell + 1, end, stop, n - 1) for end in prepared.ends(pos, cell, stop))
        return fitting[key]

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
