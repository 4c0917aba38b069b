"""Small-cell suppression for published tables (SECURITY.md B7).

A table is a matrix of counts with its row totals, column totals and grand
total, all published. Every count from 1 to k−1 is hidden (primary
suppression); then further counts are hidden (secondary suppression) until
no hidden count can be worked out from what is shown: for every hidden cell,
the values it can take given the shown cells and the totals (found by linear
programming: the constraints of a table with margins are totally unimodular,
so the bounds are whole numbers a reader could reach by hand) must not lie
within 1 to k−1. A hidden count that could be 0 or could be k or more
tells nobody that a small group exists.

Tables whose rows overlap (a person speaks several languages) have no
additive column totals: `additive=False` hides the small counts only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

UNBOUNDED = 10**9


@dataclass
class Table:
    """`cells[i][j]` with the totals in the last row and column (when additive)."""

    values: np.ndarray
    hidden: np.ndarray

    def shown(self, row: int, column: int) -> int | None:
        return None if self.hidden[row, column] else int(self.values[row, column])


def with_totals(cells: list[list[int]]) -> np.ndarray:
    matrix = np.array(cells, dtype=np.int64).reshape(len(cells), -1)
    rows = np.hstack([matrix, matrix.sum(axis=1, keepdims=True)])
    return np.vstack([rows, rows.sum(axis=0, keepdims=True)])


def _lines(shape: tuple[int, int]) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Each line of the table: its inner positions and the position of its total."""
    height, width = shape
    lines = []
    for row in range(height):
        lines.append(([(row, column) for column in range(width - 1)], (row, width - 1)))
    for column in range(width):
        lines.append(([(row, column) for row in range(height - 1)], (height - 1, column)))
    return lines


def bounds(values: np.ndarray, hidden: np.ndarray) -> dict[tuple[int, int], tuple[int, int]]:
    """What a reader can tell about each hidden position of an additive table:
    the least and the greatest value it can take."""
    positions = [tuple(position) for position in np.argwhere(hidden)]
    if not positions:
        return {}
    index = {position: number for number, position in enumerate(positions)}
    equations, constants = [], []
    for inner, total in _lines(values.shape):
        members = [*inner, total]
        if not any(position in index for position in members):
            continue
        row = np.zeros(len(positions))
        constant = 0.0
        for position in members:
            sign = -1.0 if position == total else 1.0
            if position in index:
                row[index[position]] += sign
            else:
                constant -= sign * values[position]
        equations.append(row)
        constants.append(constant)
    a_eq, b_eq = np.array(equations), np.array(constants)
    limits = [(0, None)] * len(positions)
    found = {}
    for position, number in index.items():
        objective = np.zeros(len(positions))
        objective[number] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=limits, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=limits, method="highs")
        lowest = round(low.fun)
        # Unbounded above only when the grand total is hidden as well.
        highest = round(-high.fun) if high.status == 0 else UNBOUNDED
        found[position] = (lowest, highest)
    return found


def _disclosed(low: int, high: int, threshold: int) -> bool:
    return low >= 1 and high <= threshold - 1


def _next_to_hide(
    values: np.ndarray, hidden: np.ndarray, inner: list[tuple[int, int]], total: tuple[int, int]
) -> tuple[int, int] | None:
    """The shown position of a line that costs least to hide: its smallest
    count above zero, then a zero, then the line's total."""
    shown = sorted(
        (position for position in inner if not hidden[position]),
        key=lambda position: (values[position] == 0, values[position]),
    )
    if shown:
        return shown[0]
    return None if hidden[total] else total


def suppress(cells: list[list[int]], threshold: int) -> Table:
    """The table of `cells` with totals, and which of its counts are hidden."""
    values = with_totals(cells)
    hidden = (values >= 1) & (values < threshold)
    lines = _lines(values.shape)
    while True:
        changed = False
        # A line with one hidden count gives it away by subtraction; a line
        # whose hidden counts add up to less than the threshold tells of a
        # small group.
        for inner, total in lines:
            members = [*inner, total]
            hidden_here = [position for position in members if hidden[position]]
            if not hidden_here:
                continue
            total_hidden = sum(int(values[position]) for position in hidden_here)
            if total in hidden_here:
                # The line's total hidden: its shown inner cells leave the rest.
                total_hidden = int(values[total]) - sum(
                    int(values[position]) for position in inner if not hidden[position]
                )
            if len(hidden_here) == 1 or _disclosed(total_hidden, total_hidden, threshold):
                position = _next_to_hide(values, hidden, inner, total)
                if position is not None:
                    hidden[position] = True
                    changed = True
        if changed:
            continue
        for position, (low, high) in bounds(values, hidden).items():
            if not _disclosed(low, high, threshold):
                continue
            for inner, total in lines:
                if position in (*inner, total):
                    other = _next_to_hide(values, hidden, inner, total)
                    if other is not None:
                        hidden[other] = True
                        changed = True
                        break
            if changed:
                break
        if not changed:
            return Table(values, hidden)


def suppress_overlapping(cells: list[list[int]], threshold: int) -> Table:
    """Rows that overlap (one person in several): no totals to subtract from,
    so only the small counts themselves are hidden."""
    values = np.array(cells, dtype=np.int64).reshape(len(cells), -1)
    return Table(values, (values >= 1) & (values < threshold))
