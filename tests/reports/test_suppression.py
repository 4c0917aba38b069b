"""No published table lets a reader work out a count from 1 to k−1
(SECURITY.md B7): tables of Hypothesis-generated populations are attacked
with linear programming over the shown cells and totals, independently of
the module's own audit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from lotse.reports.suppression import suppress, suppress_overlapping

K = 5


def attack(values: np.ndarray, hidden: np.ndarray) -> dict[tuple[int, int], tuple[float, float]]:
    """The least and greatest value of every hidden position, given that
    every row and column adds up to its shown or hidden total."""
    height, width = values.shape
    unknown = [tuple(p) for p in np.argwhere(hidden)]
    column = {p: n for n, p in enumerate(unknown)}
    a_eq = []
    for row in range(height):
        line = [(row, c) for c in range(width - 1)]
        a_eq.append(_equation(line, (row, width - 1), column, values))
    for col in range(width):
        line = [(r, col) for r in range(height - 1)]
        a_eq.append(_equation(line, (height - 1, col), column, values))
    matrix = np.array([coefficients for coefficients, _ in a_eq])
    constants = np.array([constant for _, constant in a_eq])
    found = {}
    for position, index in column.items():
        cost = np.zeros(len(unknown))
        cost[index] = 1
        low = linprog(cost, A_eq=matrix, b_eq=constants, bounds=(0, None)).fun
        result = linprog(-cost, A_eq=matrix, b_eq=constants, bounds=(0, None))
        high = -result.fun if result.status == 0 else float("inf")
        found[position] = (low, high)
    return found


def _equation(line, total, column, values):
    coefficients = np.zeros(len(column))
    constant = 0.0
    for position, sign in [*((p, 1) for p in line), (total, -1)]:
        if position in column:
            coefficients[column[position]] += sign
        else:
            constant -= sign * values[position]
    return coefficients, constant


tables = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(0, 14), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_hidden_count_can_be_narrowed_to_between_one_and_k_minus_one(cells):
    table = suppress(cells, K)
    values, hidden = table.values, table.hidden
    # Every small count is hidden, totals included.
    assert not np.any((values >= 1) & (values < K) & ~hidden)
    for position, (low, high) in attack(values, hidden).items():
        assert not (low > 0.5 and high < K - 0.5), (cells, position, low, high)


@settings(max_examples=100, deadline=None)
@given(tables)
def test_the_shown_cells_are_the_true_counts(cells):
    table = suppress(cells, K)
    for row, line in enumerate(cells):
        for column, count in enumerate(line):
            assert table.shown(row, column) in (None, count)
    assert table.values[-1, -1] == sum(map(sum, cells))


def test_a_single_small_cell_is_not_given_away_by_its_totals():
    table = suppress([[3, 10], [12, 20]], K)
    # 3 is hidden; 10, 12 and 20 would give it away: hiding 10 needs another in
    # its column, and so on around the table.
    assert table.shown(0, 0) is None
    assert sum(table.shown(0, column) is None for column in range(3)) >= 2
    assert sum(table.shown(row, 0) is None for row in range(3)) >= 2


def test_a_table_without_small_counts_is_shown_whole():
    table = suppress([[5, 10], [0, 20]], K)
    assert not table.hidden.any()


def test_overlapping_rows_hide_the_small_counts_only():
    table = suppress_overlapping([[3, 10], [0, 7]], K)
    assert [[table.shown(r, c) for c in range(2)] for r in range(2)] == [[None, 10], [0, 7]]
