"""Assignment of mentees to mentors that maximises the total score.

Pure computation over numpy arrays, without Django, so that any layer may import it
(DESIGN.md, "Matching engine"). Rows are mentees, columns are mentors.

The objective is the total score of a *matching*: each mentee at most once, mentor ``j``
at most ``capacity[j]`` times, forbidden pairs never. Leaving a mentee unmatched is worth
0, so only a pair with a positive score can raise the total. Every method therefore works
on the *gain* of a pair, its score if the pair is allowed and the mentor has capacity,
floored at 0, and never chooses a pair whose gain is 0. That one rule removes the dummy
"unmatched" columns a perfect-assignment solver would otherwise need, and it makes the
exact methods, greedy and first-come-first-served optimise the same objective.

Small pools go to SciPy's dense assignment solver. Larger ones go to the pruned solver:
each mentee keeps a shortlist of mentors, ranked at prices estimated from a sample of the
pool, a min-cost flow (OR-Tools) solves the sparse problem exactly, shortest paths give
its dual prices, and every pair the lists left out is checked against those prices, by a
bound or by scoring it again, until none could improve the total. The prices then prove
the matching optimal (see ``Certificate``).
Greedy and first-come-first-served are the baselines of matching by hand.

The exact solvers work on gains rounded to a grid of 2**-36 of the largest gain (never finer
than 2**-1000, so that the grid and the prices stay normal floats), on which all arithmetic
of the solvers and of the dual prices is exact in float64. The result is optimal for the
rounded gains, hence within one grid step per pair of the true optimum, far below any
difference a person could care about.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment

Method = Literal["auto", "exact", "greedy", "fcfs"]
METHODS: tuple[Method, ...] = ("auto", "exact", "greedy", "fcfs")

ScoreRows = Callable[[int, int], tuple[ArrayLike, ArrayLike | None]]
"""``score_rows(start, stop)`` returns the scores of mentees ``start:stop`` against all
mentors and their allowed mask (None: all allowed). The engine is done with the arrays
by its next call, so the callable may reuse its buffers."""

TOP_K = 32
"""Candidate mentors per mentee in the first sparse solve, and the most pairs one mentee
gets added per round. The certificate loop adds whatever is missing, so this only trades
the size of each solve against the number of rounds."""

LIST_FACTOR = 8
"""The pruned solver keeps a list of ``LIST_FACTOR * top_k`` mentors per mentee, checked
every round, and goes back to the scores only for mentees whose list cannot rule out a
better pair."""

COMPLETE_LISTS = 1 << 23
"""Up to this many mentees × mentors, the pruned solver's lists hold every mentor: they
cost less memory than the dense solver's matrix, and only the sample of the price
estimate is scored twice."""

DENSE_LIMIT = 2_000_000
"""Largest mentees × capacity slots that "auto" gives to the dense solver. Above it the
pruned solver is faster on realistic scores (benchmarks/bench_matching.py), and its
memory grows with the number of mentees, not with the full matrix."""

NEAR_MARGIN = 0.03
"""A mentee with a violating pair also gets the pairs that fall short of violating by
less than this share of the largest gain: the next prices tend to make them violate, and
adding them now saves a solve."""

PRUNE_MARGIN = 0.05
"""Candidate pairs whose weight falls short of their prices by more than this share of
the largest gain leave the sparse solve: the solver's time grows with its pairs, and a
pair that becomes attractive again is found and added back like any other."""

RESCAN_SHARE = 0.05
"""While more than this share of mentees have violations on their lists, the solver
solves again before it spends a pass over the scores on the mentees the lists cannot
clear: prices still move too much for that pass to last."""

FIRST_RESCAN_SHARE = 0.25
"""The first solve's prices, from lists ranked at estimated prices, are usually close
enough to spend a pass over the scores on every mentee the lists cannot clear, even
those with violations on their lists: unless more than this share of mentees have them
(a first graph that leaves mentees unmatched where supply and demand balance)."""

BLOCK_ENTRIES = 1 << 21
"""Scores per streamed block: a few MB, below glibc's mmap threshold, so that blocks
reuse freed memory instead of paying fresh page faults every time."""

SAMPLE_ENTRIES = 1 << 19
"""Pools of more than about 2.25 times this many pairs first solve a sample of about this
size, every ``step``-th mentee and mentor, to estimate the mentors' prices."""

SAMPLE_RUN = 8
"""The sample takes mentees in runs of this many neighbours."""

SAMPLE_SPARE = 0.02
"""The sample takes this share more mentors than its share of mentees."""

ESTIMATE_RANK = 4
"""How many bids beyond the mentor's capacity the estimate goes down (see
``_estimate_prices``)."""

ESTIMATE_FLOOR = 0.05
"""An estimate with no price above this share of the largest gain is dropped: it would
reorder the lists by little more than its own noise (where mentees and mentors balance
and every pair is nearly as good as the next)."""

CALL_ENTRIES = 1 << 18
"""Rows apart by fewer than this many scores are fetched in one call: scoring a few rows
nobody asked for costs less than another call."""

_GRID_BITS = 36
_FINEST_GRID = 1000
MAX_SCORE = 1e300
"""Larger scores are refused: totals of many of them would overflow float64."""


@dataclass(frozen=True)
class Certificate:
    """Dual prices proving that no matching scores more than ``upper_bound``.

    For every allowed pair, ``score <= mentee_prices[i] + mentor_prices[j]`` (on the
    rounding grid of the module docstring), and ``upper_bound`` is the sum of all mentee
    prices plus each mentor's price times their capacity. By LP duality, and because the
    bipartite matching polytope is integral, that sum bounds every matching; it equals
    the total of the returned one, which is therefore optimal.
    """

    mentee_prices: NDArray[np.float64]
    mentor_prices: NDArray[np.float64]
    upper_bound: float
    max_violation: float
    """Largest ``score - mentee_price - mentor_price`` over all allowed pairs, or an upper
    bound of it for pairs the last round did not score again; at most 0 proves the
    prices feasible."""


@dataclass(frozen=True)
class Assignment:
    """The chosen pairs, sorted by mentee, and their total score."""

    rows: NDArray[np.intp]
    cols: NDArray[np.intp]
    total: float
    solver: str
    """What produced the pairs: "dense", "pruned", "greedy" or "fcfs"."""
    iterations: int = 1
    """Sparse solves of the pruned solver's certificate loop; 1 for the others."""
    certificate: Certificate | None = None


def assign(
    scores: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    capacity: ArrayLike | None = None,
    method: Method = "auto",
    top_k: int = TOP_K,
    dense_limit: int = DENSE_LIMIT,
) -> Assignment:
    """Pair mentees (rows of ``scores``) with mentors (columns).

    ``method``:

    - "auto" maximises the total score, densely up to ``dense_limit`` mentees times
      capacity slots and with the pruned solver above;
    - "exact" maximises it with the pruned solver whatever the size, which also returns
      the dual prices as a certificate of optimality;
    - "greedy" takes the best remaining pair first, "fcfs" lets each mentee in row order
      take their best mentor with capacity left: the baselines of matching by hand.

    ``top_k`` sizes the pruned solver's first candidate graph and greedy's pools; neither
    changes the result, only the time it takes.
    """
    matrix = np.asarray(scores)
    if matrix.ndim != 2:
        raise ValueError(f"scores must be a 2-D array, got {matrix.ndim} dimension(s)")
    mask = None
    if allowed is not None:
        mask = np.asarray(allowed)
        if mask.shape != matrix.shape:
            raise ValueError(f"allowed has shape {mask.shape}, scores have {matrix.shape}")

    def score_rows(start: int, stop: int) -> tuple[ArrayLike, ArrayLike | None]:
        return matrix[start:stop], None if mask is None else mask[start:stop]

    n_rows, n_cols = matrix.shape
    return assign_blocks(
        score_rows,
        n_rows,
        n_cols,
        capacity=capacity,
        method=method,
        top_k=top_k,
        dense_limit=dense_limit,
    )


def assign_blocks(
    score_rows: ScoreRows,
    n_rows: int,
    n_cols: int,
    *,
    capacity: ArrayLike | None = None,
    method: Method = "auto",
    top_k: int = TOP_K,
    dense_limit: int = DENSE_LIMIT,
) -> Assignment:
    """Like :func:`assign`, with scores produced on demand, a block of mentees at a time.

    For pools too large to hold every score at once: the pruned solver keeps a few
    hundred candidates per mentee and asks ``score_rows`` again only for the mentees
    whose candidates cannot prove optimality.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    if n_rows < 0 or n_cols < 0:
        raise ValueError("the numbers of mentees and mentors cannot be negative")
    if top_k < 1:
        raise ValueError("top_k must be at least 1")
    caps = _capacity(capacity, n_cols)
    source = _Gains(score_rows, n_rows, n_cols, caps)
    if method == "greedy":
        return _greedy(source, caps, top_k)
    if method == "fcfs":
        return _first_come_first_served(source, caps)
    if method == "auto" and n_rows * int(caps.sum()) <= dense_limit:
        return _exact_dense(source, caps)
    return _exact_pruned(source, caps, top_k)


def weighted_scores(
    criteria: NDArray[np.floating] | Sequence[ArrayLike], weights: ArrayLike
) -> NDArray[np.float64]:
    """Scores as the weighted sum of per-criterion matrices (each mentees × mentors, 0 to 1).

    For pools too large for whole matrices, call it on each block of mentees that
    ``assign_blocks`` asks for.
    """
    layers, factors = _criteria(criteria, weights)
    total = np.zeros(layers[0].shape)
    for layer, factor in zip(layers, factors, strict=True):
        total += factor * layer
    return total


def breakdown(
    criteria: NDArray[np.floating] | Sequence[ArrayLike],
    weights: ArrayLike,
    rows: ArrayLike,
    cols: ArrayLike,
) -> NDArray[np.float64]:
    """Each chosen pair's weighted score per criterion, shape (pairs, criteria).

    Row ``p`` sums to ``weighted_scores(criteria, weights)[rows[p], cols[p]]``, so that
    a proposal can show where its score comes from.
    """
    layers, factors = _criteria(criteria, weights)
    pair_rows, pair_cols = np.asarray(rows, np.intp), np.asarray(cols, np.intp)
    parts = np.empty((pair_rows.size, len(layers)))
    for index, (layer, factor) in enumerate(zip(layers, factors, strict=True)):
        parts[:, index] = factor * layer[pair_rows, pair_cols]
    return parts


def _criteria(
    criteria: NDArray[np.floating] | Sequence[ArrayLike], weights: ArrayLike
) -> tuple[list[NDArray[np.float64]], NDArray[np.float64]]:
    layers = [np.asarray(layer, np.float64) for layer in criteria]
    factors = np.asarray(weights, np.float64)
    if not layers:
        raise ValueError("at least one criterion is needed")
    if factors.shape != (len(layers),):
        raise ValueError(f"{len(layers)} criteria need as many weights, got shape {factors.shape}")
    if not np.isfinite(factors).all():
        raise ValueError("weights must be finite")
    shape = layers[0].shape
    if len(shape) != 2 or any(layer.shape != shape for layer in layers):
        raise ValueError("every criterion must be a 2-D array of the same shape")
    # The weights say how much a criterion counts only if every criterion has the same scale.
    if not all(((layer >= 0) & (layer <= 1)).all() for layer in layers):
        raise ValueError("criterion scores must be numbers between 0 and 1")
    return layers, factors


def _capacity(capacity: ArrayLike | None, n_cols: int) -> NDArray[np.int64]:
    if capacity is None:
        return np.ones(n_cols, np.int64)
    caps = np.asarray(capacity)
    if caps.shape != (n_cols,):
        raise ValueError(f"capacity needs one entry per mentor ({n_cols}), got shape {caps.shape}")
    if caps.dtype.kind not in "iu":
        raise ValueError(f"capacity must be integers, got {caps.dtype}")
    if (caps < 0).any():
        raise ValueError("capacity cannot be negative")
    return caps.astype(np.int64)


class _Gains:
    """Gains of blocks of mentees, validated as they are produced."""

    def __init__(
        self, score_rows: ScoreRows, n_rows: int, n_cols: int, capacity: NDArray[np.int64]
    ) -> None:
        self.score_rows = score_rows
        self.n_rows = n_rows
        self.n_cols = n_cols
        self.closed = capacity == 0
        self.block_rows = max(1, BLOCK_ENTRIES // max(n_cols, 1))
        self.gap_rows = max(1, CALL_ENTRIES // max(n_cols, 1))

    def rows(self, start: int, stop: int) -> NDArray[np.floating]:
        scores, allowed = self.score_rows(start, stop)
        scores = np.asarray(scores)
        shape = (stop - start, self.n_cols)
        if scores.shape != shape:
            raise ValueError(
                f"scores of rows {start}:{stop} have shape {scores.shape}, not {shape}"
            )
        if scores.dtype.kind not in "iuf":
            raise ValueError(f"scores must be real numbers, got {scores.dtype}")
        if scores.dtype not in (np.float32, np.float64):
            scores = scores.astype(np.float64)
        # The extremes are NaN or infinite whenever any score is, at a fraction of the cost.
        if scores.size:
            extremes = np.array([scores.min(), scores.max()], np.float64)
            if not np.isfinite(extremes).all():
                raise ValueError("scores must be finite (no NaN or infinity)")
            if extremes[1] > MAX_SCORE:
                raise ValueError(f"scores above {MAX_SCORE:g} are not supported")
        if allowed is None:
            gains = np.maximum(scores, 0)
        else:
            mask = np.asarray(allowed)
            if mask.shape != shape:
                raise ValueError(
                    f"allowed of rows {start}:{stop} has shape {mask.shape}, not {shape}"
                )
            if mask.dtype != np.bool_:
                raise ValueError(f"allowed must be a boolean array, got {mask.dtype}")
            gains = np.multiply(scores, mask)
            np.maximum(gains, 0, out=gains)
        if self.closed.any():
            gains[:, self.closed] = 0
        return gains

    def blocks(
        self, rows: NDArray[np.intp] | None = None
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.floating]]]:
        """Gains of ``rows`` (sorted; all when None), one block of nearby rows at a time."""
        if rows is None:
            for start in range(0, self.n_rows, self.block_rows):
                stop = min(self.n_rows, start + self.block_rows)
                yield np.arange(start, stop), self.rows(start, stop)
            return
        breaks = (np.diff(rows) > self.gap_rows) | (np.diff(rows // self.block_rows) != 0)
        for part in np.split(rows, np.flatnonzero(breaks) + 1):
            if part.size:
                start, stop = int(part[0]), int(part[-1]) + 1
                gains = self.rows(start, stop)
                yield part, gains if part.size == stop - start else gains[part - start]


def _empty(solver: str, certificate: Certificate | None = None) -> Assignment:
    none = np.zeros(0, np.intp)
    return Assignment(rows=none, cols=none, total=0.0, solver=solver, certificate=certificate)


def _nothing_to_gain(n_rows: int, n_cols: int) -> Assignment:
    """No pair has a positive gain: prices of 0 prove that leaving everyone unmatched is best."""
    return _empty("pruned", Certificate(np.zeros(n_rows), np.zeros(n_cols), 0.0, 0.0))


def _grid(largest_gain: float) -> float:
    """Power of two that puts the largest gain just under 2**36 when multiplied.

    A power of two keeps the scaling itself exact, and 36 bits leave room for sums of
    many rounded gains and prices to stay exact integers in float64. Gains too small for
    the finest grid round to 0: not worth choosing.
    """
    return math.ldexp(1.0, min(_GRID_BITS - math.frexp(largest_gain)[1], _FINEST_GRID))


def _exact_dense(source: _Gains, capacity: NDArray[np.int64]) -> Assignment:
    """SciPy's assignment solver on the whole matrix of rounded gains."""
    gains = source.rows(0, source.n_rows).astype(np.float64, copy=False)
    if gains.size == 0 or gains.max() <= 0:
        return _empty("dense")
    weights = np.rint(gains * _grid(float(gains.max())))
    if weights.max() <= 0:
        return _empty("dense")
    # One column per unit of capacity keeps it a plain rectangular assignment.
    slot_owner = np.repeat(np.arange(source.n_cols), capacity)
    slots = weights[:, slot_owner]
    rows, picked = linear_sum_assignment(slots, maximize=True)
    chosen = slots[rows, picked] > 0
    rows, cols = rows[chosen], slot_owner[picked[chosen]]
    return Assignment(rows=rows, cols=cols, total=math.fsum(gains[rows, cols]), solver="dense")


def _exact_pruned(source: _Gains, capacity: NDArray[np.int64], top_k: int) -> Assignment:
    """Solve on the mentees' shortlists, then certify against all pairs.

    Each round solves the candidate graph, prices it, and adds listed pairs whose weight
    exceeds their mentee's plus their mentor's price: only such a pair could improve the
    matching. Once the lists hold none, each list's bound rules out most mentees; the
    others are scored again at the current prices, which checks them exactly and rebuilds
    their lists by weight minus mentor price. When that finds nothing either, the prices
    are feasible for every pair and the matching is optimal.

    The first lists hold the best weights minus estimated prices, from one pass over the
    scores. With popular mentors the optimum pairs many mentees outside their best
    weights, which is what the estimate is for; after the first solve, every mentee whose
    bound its prices cannot clear is relisted at once, and the prices settle over the
    next few rounds. Small pools skip the rescans: their lists hold every mentor.
    """
    n, m = source.n_rows, source.n_cols
    width = m if n * m <= COMPLETE_LISTS else min(m, LIST_FACTOR * top_k)
    take = min(top_k, width)
    if n == 0 or width == 0:
        return _nothing_to_gain(n, m)
    estimate = _estimate_prices(source, capacity, top_k)
    lists = _first_lists(source, width, estimate)
    grid = lists.grid
    # Tiny gains can round to nothing on the grid: not worth choosing.
    if np.rint(lists.largest * grid) <= 0:
        return _nothing_to_gain(n, m)
    # The first graph may be empty (the estimate can price every listed pair out); the
    # rescans then find what is worth adding.
    first_rows, first_slots = _best_per_row(lists.reduced(np.zeros(n), lists.snapshots[0]), take)
    graph = _Graph()
    graph.add(
        first_rows,
        lists.cols[first_rows, first_slots].astype(np.intp),
        lists.weights[first_rows, first_slots],
        lists.gains[first_rows, first_slots].astype(np.float64),
    )
    few = int(RESCAN_SHARE * n)
    first_few = int(FIRST_RESCAN_SHARE * n)
    margin = PRUNE_MARGIN * lists.largest * grid
    pruned_at = -np.inf
    rounds = 0
    while True:
        rounds += 1
        rows, mentors, weights, pair_gains = graph.arrays()
        used = _best_matching(capacity, n, rows, mentors, weights)
        mate = np.full(n, -1, np.intp)
        mate[rows[used]] = mentors[used]
        mentee_price, mentor_price = _prices(capacity, mate, rows, mentors, weights)
        objective = weights[used].sum()
        if objective > pruned_at:
            # Only after a strict improvement, so that dropping pairs cannot cycle.
            pruned_at = objective
            graph.keep(used | (weights - mentee_price[rows] - mentor_price[mentors] >= -margin))
        kept = graph.arrays()[0].size
        reduced = lists.reduced(mentee_price, mentor_price)
        violating = (reduced > 0).any(axis=1)
        if violating.sum() > (first_few if rounds == 1 else few):
            graph.add(*_admit(lists, np.flatnonzero(violating), reduced[violating], take))
            _check_growth(graph, kept)
            continue
        excess = lists.excess(mentee_price, mentor_price, capacity > 0)
        suspects = np.flatnonzero((excess > 0) & (~violating | (rounds == 1)))
        violating[suspects] = False
        if violating.any():
            graph.add(*_admit(lists, np.flatnonzero(violating), reduced[violating], take))
        max_violation = max(float(reduced.max()), float(excess[excess <= 0].max(initial=-np.inf)))
        found = bool(violating.any())
        if suspects.size:
            lists.snapshots.append(mentor_price)
        for block_rows, block in source.blocks(suspects):
            hits, worst = _rescan(lists, block_rows, block, mentee_price, mentor_price, take)
            max_violation = max(max_violation, worst)
            found = found or hits[0].size > 0
            graph.add(*hits)
        if not found:
            break
        _check_growth(graph, kept)
    order = np.argsort(rows[used], kind="stable")
    certificate = Certificate(
        mentee_prices=mentee_price / grid,
        mentor_prices=mentor_price / grid,
        upper_bound=float((mentee_price.sum() + capacity @ mentor_price) / grid),
        max_violation=max_violation / grid,
    )
    return Assignment(
        rows=rows[used][order],
        cols=mentors[used][order],
        total=math.fsum(pair_gains[used]),
        solver="pruned",
        iterations=rounds,
        certificate=certificate,
    )


def _check_growth(graph: _Graph, kept: int) -> None:
    """Fail, rather than loop for ever, when a round found violations but no new pair.

    The prices satisfy every pair of the graph, so a violating pair is new, unless the
    graph holds the same pair with another score: ``score_rows`` gave different scores
    for the same pair in two calls.
    """
    if graph.arrays()[0].size == kept:
        raise RuntimeError(
            "score_rows returned different scores for the same pairs in different calls"
        )


def _estimate_prices(
    source: _Gains, capacity: NDArray[np.int64], top_k: int
) -> NDArray[np.float64] | None:
    """Mentor prices guessed from a market a fraction of the size, or None if not worth it.

    Lists of the best gains serve badly where many mentees want the same few mentors:
    their optimum lies further down, and the first solves would price those mentors far
    too high. About every ``step``-th mentee and mentor make a market of the same shape,
    solved exactly; what each sampled mentee would pay for a mentor over their share of that
    market is a bid, and a mentor's estimate is a bid some way below the best of them.
    Only the speed depends on the estimate: a mentor priced too high drops off every list
    and then weakens every list's bound, one priced too low only lengthens a few lists.
    """
    n, m = source.n_rows, source.n_cols
    step = int(math.sqrt(n * m / SAMPLE_ENTRIES) + 0.5)
    if step < 2:
        return None
    # Runs of a few neighbours: scoring one mentee at a time costs several times more.
    rows = np.flatnonzero(np.arange(n) // SAMPLE_RUN % step == 0)
    # A few more mentors than their share: where mentees and capacity balance, a sample
    # with a mentee too many prices every mentor near their full gain, one with a mentor
    # too many near 0, and an estimate too low costs far less than one too high.
    sampled_mentors = min(m, math.ceil(m * rows.size / n * (1 + SAMPLE_SPARE)))
    cols = np.arange(sampled_mentors) * m // sampled_mentors
    if 2 * rows.size * cols.size > n * m:
        # Too few mentees for runs: the sample would not be much smaller than the pool.
        return None
    sample = np.vstack([block[:, cols] for _, block in source.blocks(rows)])

    def sample_rows(start: int, stop: int) -> tuple[ArrayLike, None]:
        return sample[start:stop], None

    sampled = _Gains(sample_rows, rows.size, cols.size, capacity[cols])
    certificate = _exact_pruned(sampled, capacity[cols], top_k).certificate
    share = np.zeros(rows.size) if certificate is None else certificate.mentee_prices
    # A mentor with capacity c is priced by the bids beyond the c best (second-price
    # logic), and ESTIMATE_RANK more keep the estimate on the low side. Large capacities
    # stop at the 64th bid, which bounds the memory of the ranking.
    rank = np.clip(capacity + ESTIMATE_RANK, 1, min(rows.size, 64))
    depth = int(rank.max())
    best = np.zeros((depth, m))
    bids: list[NDArray[np.floating]] = []
    for block_rows, block in source.blocks(rows):
        bids.append(block - share[np.searchsorted(rows, block_rows), None].astype(block.dtype))
        if sum(part.shape[0] for part in bids) >= source.block_rows:
            best, bids = _top_of_columns(best, bids, depth), []
    best = -np.sort(-_top_of_columns(best, bids, depth), axis=0)
    estimate = best[rank - 1, np.arange(m)]
    estimate[capacity == 0] = 0
    if estimate.max() <= ESTIMATE_FLOOR * float(sample.max(initial=0.0)):
        return None
    return estimate


def _top_of_columns(
    best: NDArray[np.float64], more: list[NDArray[np.floating]], depth: int
) -> NDArray[np.float64]:
    """The ``depth`` largest values of each column of ``best`` and the ``more`` blocks."""
    if not more:
        return best
    values = np.vstack([best, *more]).astype(np.float64, copy=False)
    return np.partition(values, values.shape[0] - depth, axis=0)[-depth:]


def _first_lists(source: _Gains, width: int, estimate: NDArray[np.float64] | None) -> _Shortlists:
    """Each mentee's ``width`` best gains minus estimated price, from one pass over the scores."""
    n, m = source.n_rows, source.n_cols
    if width == m:
        every = np.vstack([block for _, block in source.blocks()])
        everyone = np.broadcast_to(np.arange(m, dtype=np.int32), (n, m))
        largest = float(every.max(initial=0.0))
        return _Shortlists(everyone, every, np.full(n, -np.inf), m, largest, estimate)
    cols, gains, outside = [], [], []
    largest = 0.0
    for _, block in source.blocks():
        largest = max(largest, float(block.max(initial=0.0)))
        value = block if estimate is None else block - estimate.astype(block.dtype)
        top, next_best = _largest(value, width)
        cols.append(top.astype(np.int32))
        gains.append(np.take_along_axis(block, top, 1).astype(np.float64))
        outside.append(next_best)
    return _Shortlists(
        np.vstack(cols), np.vstack(gains), np.concatenate(outside), m, largest, estimate
    )


_Pairs = tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]
"""Candidate pairs as rows, columns, weights (on the grid) and gains."""


class _Graph:
    """Candidate pairs of the pruned solver; a pair added twice is kept once."""

    def __init__(self) -> None:
        self.parts: list[_Pairs] = []

    def add(
        self,
        rows: NDArray[np.intp],
        cols: NDArray[np.intp],
        weights: NDArray[np.float64],
        gains: NDArray[np.float64],
    ) -> None:
        self.parts.append((rows, cols, weights, gains))

    def arrays(self) -> _Pairs:
        if len(self.parts) > 1:
            rows, cols, weights, gains = (
                np.concatenate(column) for column in zip(*self.parts, strict=True)
            )
            _, first = np.unique(rows * (int(cols.max(initial=0)) + 1) + cols, return_index=True)
            first.sort()
            self.parts = [(rows[first], cols[first], weights[first], gains[first])]
        return self.parts[0]

    def keep(self, mask: NDArray[np.bool_]) -> None:
        rows, cols, weights, gains = self.arrays()
        self.parts = [(rows[mask], cols[mask], weights[mask], gains[mask])]


class _Shortlists:
    """Each mentee's listed mentors, and a bound on every pair left off the list.

    ``slack[i]`` bounds weight minus mentor price of the pairs left off, at the prices
    ``snapshots[seen[i]]`` of the pass that built the list; prices that fell since then
    loosen it by at most their largest fall.
    """

    def __init__(
        self,
        cols: NDArray[np.int32],
        gains: NDArray[np.floating],
        outside: NDArray[np.floating],
        n_mentors: int,
        largest: float,
        estimate: NDArray[np.float64] | None,
    ) -> None:
        """Lists of the best ``gains - estimate``; ``outside`` is the best value left out."""
        self.cols = cols
        self.gains = gains
        self.largest = largest
        self.grid = _grid(self.largest) if self.largest > 0 else 1.0
        self.weights = self._weights(gains)
        if estimate is None:
            # Exact: no price was subtracted. A bound of 0 leaves out only gains of 0.
            self.slack = np.rint(outside.astype(np.float64) * self.grid)
            self.slack[self.slack <= 0] = -np.inf
            self.snapshots = [np.zeros(n_mentors)]
        else:
            self.slack = self._bound(outside, estimate)
            self.snapshots = [np.rint(estimate * self.grid)]
        self.seen = np.zeros(cols.shape[0], np.intp)
        self.complete = cols.shape[1] == n_mentors
        self.buffer = np.empty_like(self.weights)

    def _bound(
        self, outside: NDArray[np.floating], prices: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Bounds on the grid of weight minus price, from values computed in lower precision.

        Widened by a generous estimate of the rounding: exact checks happen on the grid only.
        """
        precision = np.finfo(outside.dtype)
        # Relative error for normal numbers, plus absolute error where values are subnormal.
        tolerance = 8 * float(precision.eps) * (self.largest + float(prices.max(initial=0.0)))
        tolerance += 8 * float(precision.smallest_subnormal)
        return np.ceil((outside.astype(np.float64) + tolerance) * self.grid) + 1

    def _weights(self, gains: NDArray[np.floating]) -> NDArray[np.float64]:
        """Gains on the grid, and -inf for pairs that can never be chosen (gain 0)."""
        weights = np.multiply(gains, self.grid, dtype=np.float64)
        np.rint(weights, out=weights)
        weights[weights <= 0] = -np.inf
        return weights

    def reduced(
        self, mentee_price: NDArray[np.float64], mentor_price: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Weight minus prices of every listed pair, valid until the next call."""
        np.subtract(self.weights, mentee_price[:, None], out=self.buffer)
        self.buffer -= mentor_price if self.complete else mentor_price[self.cols]
        return self.buffer

    def excess(
        self,
        mentee_price: NDArray[np.float64],
        mentor_price: NDArray[np.float64],
        open_mentors: NDArray[np.bool_],
    ) -> NDArray[np.float64]:
        """Upper bound of the largest violation among each mentee's unlisted pairs."""
        drift = np.array([(old - mentor_price)[open_mentors].max() for old in self.snapshots])
        return self.slack + drift[self.seen] - mentee_price

    def relist(
        self, rows: NDArray[np.intp], block: NDArray[np.floating], mentor_price: NDArray[np.float64]
    ) -> None:
        """List the mentors with the best gain minus price, in the block's precision."""
        prices = mentor_price / self.grid
        value = block - prices.astype(block.dtype)
        top, next_best = _largest(value, self.cols.shape[1])
        gains = np.take_along_axis(block, top, 1).astype(np.float64)
        self.cols[rows] = top.astype(np.int32)
        self.gains[rows] = gains
        self.weights[rows] = self._weights(gains)
        self.slack[rows] = self._bound(next_best, prices)
        self.seen[rows] = len(self.snapshots) - 1


def _rescan(
    lists: _Shortlists,
    rows: NDArray[np.intp],
    block: NDArray[np.floating],
    mentee_price: NDArray[np.float64],
    mentor_price: NDArray[np.float64],
    take: int,
) -> tuple[_Pairs, float]:
    """Relist ``rows`` at the current prices and return their violating pairs.

    Also returns the largest violation (on the grid) the check could not rule out.
    """
    lists.relist(rows, block, mentor_price)
    row_price = mentee_price[rows]
    listed = lists.weights[rows] - row_price[:, None] - mentor_price[lists.cols[rows]]
    left_out = lists.slack[rows] - row_price
    hits = _admit(lists, rows, listed, take)
    # A row whose list violates gets looked at again after the next solve anyway; one
    # whose list is clean but whose bound is not needs all its pairs checked now.
    unsure = (left_out > 0) & ~(listed > 0).any(axis=1)
    worst = max(float(listed.max()), float(left_out[~unsure].max(initial=-np.inf)))
    if not unsure.any():
        return hits, worst
    exact = np.rint(block[unsure].astype(np.float64) * lists.grid)
    reduced = exact - row_price[unsure, None] - mentor_price
    hit_rows, hit_cols = _violations(reduced, take)
    hits = (
        np.concatenate([hits[0], rows[unsure][hit_rows]]),
        np.concatenate([hits[1], hit_cols]),
        np.concatenate([hits[2], exact[hit_rows, hit_cols]]),
        np.concatenate([hits[3], block[unsure][hit_rows, hit_cols].astype(np.float64)]),
    )
    return hits, max(worst, float(reduced.max()))


def _admit(
    lists: _Shortlists, rows: NDArray[np.intp], reduced: NDArray[np.float64], take: int
) -> _Pairs:
    """Listed pairs of ``rows`` to add, at most ``take`` per row that violates."""
    violating = (reduced > 0).any(axis=1)
    worth = reduced[violating]
    worth += NEAR_MARGIN * lists.largest * lists.grid
    local, hit_slots = _violations(worth, take)
    hit_rows = rows[violating][local]
    return (
        hit_rows,
        lists.cols[hit_rows, hit_slots].astype(np.intp),
        lists.weights[hit_rows, hit_slots],
        lists.gains[hit_rows, hit_slots].astype(np.float64),
    )


def _violations(
    reduced: NDArray[np.float64], take: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Positions of each row's ``take`` largest positive entries.

    Rows with no more than ``take`` of them, the many once prices settle, skip the
    selection.
    """
    positive = reduced > 0
    many = positive.sum(axis=1) > take
    positive[many] = False
    # Flat: numpy's nonzero is several times slower on two dimensions.
    rows, cols = np.divmod(np.flatnonzero(positive), reduced.shape[1])
    if not many.any():
        return rows, cols
    crowded = np.flatnonzero(many)
    width = reduced.shape[1]
    best = np.argpartition(reduced[crowded], width - take, axis=1)[:, width - take :]
    return np.concatenate([rows, np.repeat(crowded, take)]), np.concatenate([cols, best.ravel()])


def _best_per_row(
    values: NDArray[np.floating], take: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Positions of each row's ``take`` largest entries, where they are finite."""
    n, width = values.shape
    take = min(take, width)
    best = np.argpartition(values, width - take, axis=1)[:, width - take :]
    finite = np.isfinite(np.take_along_axis(values, best, 1))
    return np.repeat(np.arange(n), take)[finite.ravel()], best[finite]


def _largest(
    values: NDArray[np.floating], width: int
) -> tuple[NDArray[np.intp], NDArray[np.floating]]:
    """Columns of each row's ``width`` largest values (fewer than all), and the next value."""
    n, m = values.shape
    part = np.argpartition(values, m - width - 1, axis=1)
    return part[:, m - width :], values[np.arange(n), part[:, m - width - 1]]


def _row_leaders(
    gains: NDArray[np.floating], width: int
) -> tuple[NDArray[np.intp], NDArray[np.floating], NDArray[np.floating], NDArray[np.intp]]:
    """Each row's ``width`` largest gains, best first, ties by column.

    Also returns the first pair left out (its gain and column): every other pair left
    out has a smaller gain, or the same gain and a larger column. Where the cut does not
    split a tie, the column is only known to be above -1, which is all greedy needs.
    """
    n, m = gains.shape
    if width >= m:
        order = np.argsort(-gains, axis=1, kind="stable")
        return order, np.take_along_axis(gains, order, 1), np.zeros(n), np.full(n, m)
    top, bound = _largest(gains, width)
    values = np.take_along_axis(gains, top, 1)
    order = np.lexsort((top, -values), axis=1)
    top, values = np.take_along_axis(top, order, 1), np.take_along_axis(values, order, 1)
    bound_col = np.full(n, -1)
    # argpartition splits a tie at the cut arbitrarily; redo those rows in column order
    # so that greedy sees the pairs a full sort would.
    for row in np.flatnonzero((bound > 0) & (values[:, -1] == bound)):
        row_order = np.argsort(-gains[row], kind="stable")
        top[row], values[row] = row_order[:width], gains[row, row_order[:width]]
        bound_col[row] = row_order[width]
    return top, values, bound, bound_col


def _best_matching(
    capacity: NDArray[np.int64],
    n_rows: int,
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    weights: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Maximum-weight matching of the candidate pairs; True for the pairs it uses.

    A min-cost flow: each mentee sends one unit to a sink, through a mentor (cost minus
    the weight; the mentor's arc to the sink carries their capacity) or straight (cost
    0: unmatched). OR-Tools' cost-scaling solver is exact on integer costs and handles
    capacities without expanding mentors into slots.
    """
    m = capacity.size
    sink = n_rows + m
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([rows, n_rows + np.arange(m), np.arange(n_rows)]),
        np.concatenate([n_rows + cols, np.full(m + n_rows, sink)]),
        np.concatenate([np.ones(rows.size, np.int64), capacity, np.ones(n_rows, np.int64)]),
        np.concatenate([-weights.astype(np.int64), np.zeros(m + n_rows, np.int64)]),
    )
    supplies = np.zeros(sink + 1, np.int64)
    supplies[:n_rows] = 1
    supplies[sink] = -n_rows
    flow.set_nodes_supplies(np.arange(sink + 1), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the min-cost flow solver failed with status {status}")
    return flow.flows(np.arange(rows.size)) > 0


def _prices(
    capacity: NDArray[np.int64],
    mate: NDArray[np.intp],
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    weights: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Optimal dual prices (u for mentees, v for mentors) of an optimal matching.

    Complementary slackness turns the dual into difference constraints between mentors
    and a root node R that stands for price 0: with labels d = -v and mentee i held by
    mentor h, u_i = d_h + w_ih, and u_i + v_j >= w_ij becomes d_j <= d_h + w_ih - w_ij,
    an arc h -> j. Unmatched mentees (u = 0) give arcs R -> j of weight -w_ij, u >= 0
    an arc h -> R of weight w_ih, v >= 0 an arc R -> j of weight 0, and a mentor with
    capacity left (v = 0) an arc j -> R of weight 0. The graph has no negative cycle
    exactly because the matching is optimal. Shortest distances from R satisfy every
    arc, and they give each mentor the lowest price the matching allows: one canonical
    choice among the optimal duals, so that prices move only as far as the candidate
    graph forces them between rounds.
    """
    m = capacity.size
    root = m
    matched = mate >= 0
    held = np.zeros(mate.size)
    own = mate[rows] == cols
    held[rows[own]] = weights[own]
    rows, cols, weights = rows[~own], cols[~own], weights[~own]
    holders = mate[matched]
    free = np.flatnonzero(np.bincount(holders, minlength=m) < capacity)
    labels = np.full(m + 1, np.inf)
    labels[root] = 0.0
    _relax(
        labels,
        np.concatenate(
            [np.where(matched[rows], mate[rows], root), np.full(m, root), free, holders]
        ),
        np.concatenate([cols, np.arange(m), np.full(free.size + holders.size, root)]),
        np.concatenate([held[rows] - weights, np.zeros(m + free.size), held[matched]]),
    )
    labels -= labels[root]
    mentee = np.zeros(mate.size)
    mentee[matched] = labels[holders] + held[matched]
    return mentee, -labels[:m]


def _relax(
    labels: NDArray[np.float64],
    tails: NDArray[np.intp],
    heads: NDArray[np.intp],
    weights: NDArray[np.float64],
) -> None:
    """Lower ``labels`` in place until ``labels[head] <= labels[tail] + weight`` holds.

    Bellman-Ford that relaxes only the arcs of nodes that just improved. SciPy's
    Bellman-Ford always makes n full sweeps; these graphs settle in a few hundred
    vectorised rounds, fewer from a good start.
    """
    n_nodes = labels.size
    order = np.argsort(tails, kind="stable")
    tails, heads, weights = tails[order], heads[order], weights[order]
    first_arc = np.searchsorted(tails, np.arange(n_nodes + 1))
    frontier = np.flatnonzero(np.isfinite(labels))
    improved = np.zeros(n_nodes, bool)
    for _ in range(n_nodes + 1):
        starts = first_arc[frontier]
        counts = first_arc[frontier + 1] - starts
        arcs = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        reach = labels[tails[arcs]] + weights[arcs]
        targets = heads[arcs]
        better = reach < labels[targets]
        if not better.any():
            return
        np.minimum.at(labels, targets[better], reach[better])
        improved[targets[better]] = True
        frontier = np.flatnonzero(improved)
        improved[frontier] = False
    raise RuntimeError("negative cycle among the prices: the matching is not optimal")


def _first_come_first_served(source: _Gains, capacity: NDArray[np.int64]) -> Assignment:
    """Each mentee in row order takes the best mentor with room left (ties: lower column)."""
    room = capacity.copy()
    mate = np.full(source.n_rows, -1, np.intp)
    won = np.zeros(source.n_rows)
    for rows, gains in source.blocks() if source.n_cols else ():
        gains[:, room == 0] = 0
        for local, row in enumerate(rows.tolist()):
            mentor = int(gains[local].argmax())
            if gains[local, mentor] > 0:
                mate[row], won[row] = mentor, gains[local, mentor]
                room[mentor] -= 1
                if room[mentor] == 0:
                    gains[local + 1 :, mentor] = 0
    chosen = np.flatnonzero(mate >= 0)
    return Assignment(rows=chosen, cols=mate[chosen], total=math.fsum(won[chosen]), solver="fcfs")


def _greedy(source: _Gains, capacity: NDArray[np.int64], pool: int) -> Assignment:
    """Best remaining pair first; ties go to the lower mentee, then the lower mentor.

    Each round takes the ``pool`` best pairs of every pending mentee and walks them in
    global order, which is the order of a full sort until the walk reaches a pair that
    some unmatched mentee left out of their pool. There it stops, and the next round
    pools the unmatched mentees' pairs with mentors that have capacity left; that
    continues the same order, because every pair ranked higher involves a matched mentee
    or a full mentor.
    """
    room = capacity.copy()
    mate = np.full(source.n_rows, -1, np.intp)
    won = np.zeros(source.n_rows)
    pending = np.arange(source.n_rows)
    while pending.size:
        full = room == 0
        parts = []
        for rows, gains in source.blocks(pending):
            gains[:, full] = 0
            parts.append((rows, *_row_leaders(gains, pool)))
        rows = np.concatenate([part[0] for part in parts])
        top = np.vstack([part[1] for part in parts])
        values = np.vstack([part[2] for part in parts]).astype(np.float64)
        bound = np.concatenate([part[3] for part in parts]).astype(np.float64)
        bound_col = np.concatenate([part[4] for part in parts])
        paused, picks = _greedy_walk(rows, top, values, bound, bound_col, mate >= 0, room)
        if paused and not picks:
            raise RuntimeError("greedy made no progress")
        for row, col, value in picks:
            mate[row], won[row] = col, value
            room[col] -= 1
        has_pairs = (values[:, :1] > 0).any(axis=1)
        pending = rows[(mate[rows] < 0) & has_pairs & ((bound > 0) | paused)]
    chosen = np.flatnonzero(mate >= 0)
    return Assignment(rows=chosen, cols=mate[chosen], total=math.fsum(won[chosen]), solver="greedy")


def _greedy_walk(
    rows: NDArray[np.intp],
    top: NDArray[np.intp],
    values: NDArray[np.float64],
    bound: NDArray[np.float64],
    bound_col: NDArray[np.intp],
    matched: NDArray[np.bool_],
    room: NDArray[np.int64],
) -> tuple[bool, list[tuple[int, int, float]]]:
    """One round of greedy over the pooled pairs: whether it paused, and its picks.

    Pairs are ranked by the key (-gain, mentee, mentor); the walk must stop before the
    key of the first pair an unmatched mentee left out of their pool.
    """
    positive = values.ravel() > 0
    pair_rows = np.repeat(rows, top.shape[1])[positive]
    pair_cols, pair_values = top.ravel()[positive], values.ravel()[positive]
    order = np.lexsort((pair_cols, pair_rows, -pair_values))
    cut = bound > 0
    cut_order = np.lexsort((bound_col[cut], rows[cut], -bound[cut]))
    limits = list(
        zip(
            (-bound[cut][cut_order]).tolist(),
            rows[cut][cut_order].tolist(),
            bound_col[cut][cut_order].tolist(),
            strict=True,
        )
    )
    taken = matched.tolist()
    left = room.tolist()
    picks: list[tuple[int, int, float]] = []
    next_limit = 0
    for value, row, col in zip(
        pair_values[order].tolist(),
        pair_rows[order].tolist(),
        pair_cols[order].tolist(),
        strict=True,
    ):
        while next_limit < len(limits) and taken[limits[next_limit][1]]:
            next_limit += 1
        if next_limit < len(limits) and (-value, row, col) >= limits[next_limit]:
            return True, picks
        if taken[row] or left[col] == 0:
            continue
        taken[row] = True
        left[col] -= 1
        picks.append((row, col, value))
    return False, picks
